//! Every JSON body the fake sends, gateway and REST, built from the [`World`]. The server uses
//! only these builders, and `tests/fake_discord_payloads.rs` feeds each of them through
//! serenity's own model types, so a field serenity requires cannot go missing unnoticed.
//!
//! Field sets follow what Discord sends today, including fields serenity ignores.

use super::model::{
    Channel, Command, InteractionState, Role, StoredMessage, World, iso_timestamp, snowflake_ms,
};
use serde_json::{Map, Value, json};
use serenity::model::permissions::Permissions;

/// Every dispatch (`t`) the fake can send. The gateway refuses to send any other, and the
/// payload test builds one of each.
pub const DISPATCH_EVENTS: &[&str] = &[
    "READY",
    "RESUMED",
    "GUILD_CREATE",
    "MESSAGE_CREATE",
    "MESSAGE_UPDATE",
    "MESSAGE_DELETE",
    "INTERACTION_CREATE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "THREAD_MEMBERS_UPDATE",
    "GUILD_MEMBER_REMOVE",
];

/// The upload limit Discord reports for an unboosted guild (10 MiB).
const ATTACHMENT_SIZE_LIMIT: u64 = 10 * 1024 * 1024;

fn id(value: u64) -> Value {
    Value::String(value.to_string())
}

fn ids(values: &[u64]) -> Value {
    Value::Array(values.iter().copied().map(id).collect())
}

fn perms(p: Permissions) -> Value {
    Value::String(p.bits().to_string())
}

// ---------------------------------------------------------------------------------------------
// Gateway frames

pub fn hello(heartbeat_interval_ms: u64) -> Value {
    json!({
        "op": 10,
        "s": null,
        "t": null,
        "d": { "heartbeat_interval": heartbeat_interval_ms, "_trace": ["[\"fake-discord-gateway\",{}]"] }
    })
}

pub fn heartbeat_ack() -> Value {
    json!({ "op": 11, "s": null, "t": null, "d": null })
}

/// Op 1 sent by the server: asks the client to heartbeat now.
pub fn heartbeat_request() -> Value {
    json!({ "op": 1, "s": null, "t": null, "d": null })
}

pub fn reconnect() -> Value {
    json!({ "op": 7, "s": null, "t": null, "d": null })
}

pub fn invalid_session(resumable: bool) -> Value {
    json!({ "op": 9, "s": null, "t": null, "d": resumable })
}

pub fn dispatch(event: &str, seq: u64, data: Value) -> Value {
    json!({ "op": 0, "s": seq, "t": event, "d": data })
}

// ---------------------------------------------------------------------------------------------
// Users, members, roles

pub fn user(world: &World, user_id: u64) -> Value {
    let Some(entry) = world.user(user_id) else {
        return json!({
            "id": id(user_id), "username": "unknown_user", "global_name": null,
            "discriminator": "0", "avatar": null, "public_flags": 0, "flags": 0,
        });
    };
    let mut user = json!({
        "id": id(user_id),
        "username": entry.user.name,
        "global_name": if entry.bot { Value::Null } else { Value::String(display_name(&entry.user.name)) },
        // Bots kept their four-digit tags; people moved to unique usernames ("0").
        "discriminator": if entry.bot { "4821" } else { "0" },
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "clan": null,
        "primary_guild": null,
        "collectibles": null,
    });
    if entry.bot {
        user["bot"] = Value::Bool(true);
    }
    user
}

/// "tess_trainee" -> "Tess".
fn display_name(username: &str) -> String {
    let first = username.split('_').next().unwrap_or(username);
    let mut chars = first.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// GET /users/@me, and the user in READY.
pub fn current_user(world: &World) -> Value {
    let mut me = user(world, world.bot_id);
    me["verified"] = Value::Bool(true);
    me["mfa_enabled"] = Value::Bool(false);
    me["email"] = Value::Null;
    me["locale"] = Value::String("en-US".to_string());
    me["premium_type"] = json!(0);
    me
}

/// A guild member. `with_user` for every place but MESSAGE_CREATE's `member`, `permissions`
/// only inside interactions.
pub fn member(world: &World, user_id: u64, with_user: bool, with_permissions: bool) -> Value {
    let (roles, joined_ms, nick) = world.members.get(&user_id).map_or_else(
        || (Vec::new(), world.created_ms, None),
        |m| (m.roles.clone(), m.joined_ms, m.nick.clone()),
    );
    let mut member = json!({
        "roles": ids(&roles),
        "nick": nick,
        "avatar": null,
        "banner": null,
        "premium_since": null,
        "joined_at": iso_timestamp(joined_ms),
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
        "avatar_decoration_data": null,
    });
    if with_user {
        member["user"] = user(world, user_id);
    }
    if with_permissions {
        member["permissions"] = perms(world.permissions_of(user_id));
    }
    member
}

/// GUILD_MEMBER_REMOVE: who left which guild.
pub fn guild_member_remove(world: &World, user_id: u64) -> Value {
    json!({ "guild_id": id(world.guild_id), "user": user(world, user_id) })
}

pub fn role(role: &Role) -> Value {
    let mut tags = Map::new();
    if let Some(bot_id) = role.bot_id {
        tags.insert("bot_id".to_string(), id(bot_id));
    }
    json!({
        "id": id(role.id),
        "name": role.name,
        "description": null,
        "permissions": perms(role.permissions),
        "position": role.position,
        "color": role.color,
        "colors": { "primary_color": role.color, "secondary_color": null, "tertiary_color": null },
        "hoist": role.hoist,
        "managed": role.bot_id.is_some(),
        "mentionable": role.mentionable,
        "icon": null,
        "unicode_emoji": null,
        "flags": 0,
        "tags": tags,
    })
}

// ---------------------------------------------------------------------------------------------
// Channels and threads

/// A guild channel or thread. Discord leaves `guild_id` out of the channels inside
/// GUILD_CREATE; everywhere else it is there.
pub fn channel(world: &World, channel: &Channel, with_guild_id: bool) -> Value {
    let mut value = json!({
        "id": id(channel.id),
        "type": channel.kind,
        "name": channel.name,
        "parent_id": channel.parent_id.map(id),
        "last_message_id": channel.last_message_id.map(id),
        "rate_limit_per_user": channel.rate_limit_per_user,
        "flags": 0,
    });
    let map = value.as_object_mut().expect("object");
    if with_guild_id {
        map.insert("guild_id".into(), id(world.guild_id));
    }
    match &channel.thread {
        None => {
            map.insert("position".into(), json!(channel.position));
            map.insert("topic".into(), json!(channel.topic));
            map.insert("nsfw".into(), json!(false));
            map.insert("permission_overwrites".into(), json!([]));
            map.insert("last_pin_timestamp".into(), Value::Null);
            map.insert("icon_emoji".into(), Value::Null);
            map.insert("theme_color".into(), Value::Null);
            map.insert("default_auto_archive_duration".into(), json!(1440));
        }
        Some(thread) => {
            map.insert("owner_id".into(), json!(channel.owner_id.map(id)));
            map.insert("message_count".into(), json!(thread.message_count));
            map.insert(
                "total_message_sent".into(),
                json!(thread.total_message_sent),
            );
            map.insert("member_count".into(), json!(thread.members.len().min(50)));
            map.insert("member_ids_preview".into(), {
                let preview: Vec<u64> = thread.members.iter().take(8).map(|(u, _)| *u).collect();
                ids(&preview)
            });
            let mut metadata = json!({
                "archived": thread.archived,
                "archive_timestamp": iso_timestamp(thread.archive_ms),
                "auto_archive_duration": thread.auto_archive_duration,
                "locked": thread.locked,
                "create_timestamp": iso_timestamp(thread.created_ms),
            });
            if channel.kind == super::model::PRIVATE_THREAD {
                metadata["invitable"] = json!(thread.invitable);
            }
            map.insert("thread_metadata".into(), metadata);
        }
    }
    value
}

/// A thread member object, as in the create-thread response and THREAD_MEMBERS_UPDATE.
pub fn thread_member(world: &World, thread_id: u64, user_id: u64, with_member: bool) -> Value {
    let joined = world
        .channels
        .get(&thread_id)
        .and_then(|c| c.thread.as_ref())
        .and_then(|t| t.members.iter().find(|(u, _)| *u == user_id))
        .map_or(world.created_ms, |(_, at)| *at);
    let mut value = json!({
        "id": id(thread_id),
        "user_id": id(user_id),
        "join_timestamp": iso_timestamp(joined),
        "flags": 1,
        "muted": false,
        "mute_config": null,
    });
    if with_member {
        value["member"] = member(world, user_id, true, false);
        value["presence"] = Value::Null;
    }
    value
}

/// POST /channels/{id}/threads answers with the thread plus the creator's thread member.
pub fn created_thread(world: &World, thread: &Channel) -> Value {
    let mut value = channel(world, thread, true);
    let owner = thread.owner_id.unwrap_or(world.bot_id);
    value["member"] = thread_member(world, thread.id, owner, false);
    value
}

/// THREAD_CREATE: the thread, and for the creator `newly_created` plus their thread member.
pub fn thread_create(world: &World, thread: &Channel) -> Value {
    let mut value = created_thread(world, thread);
    value["newly_created"] = Value::Bool(true);
    value
}

/// THREAD_DELETE carries only what identifies the thread. (CHANNEL_DELETE carries the
/// whole [`channel`].)
pub fn thread_delete(world: &World, thread: &Channel) -> Value {
    json!({
        "id": id(thread.id),
        "guild_id": id(world.guild_id),
        "parent_id": thread.parent_id.map(id),
        "type": thread.kind,
    })
}

pub fn thread_members_update(world: &World, thread_id: u64, added: &[u64]) -> Value {
    let count = world
        .channels
        .get(&thread_id)
        .and_then(|c| c.thread.as_ref())
        .map_or(0, |t| t.members.len().min(50));
    json!({
        "id": id(thread_id),
        "guild_id": id(world.guild_id),
        "member_count": count,
        "added_members": added.iter().map(|u| thread_member(world, thread_id, *u, true)).collect::<Vec<_>>(),
    })
}

// ---------------------------------------------------------------------------------------------
// Guild and READY

/// A guild as GET /guilds/{id} returns it.
pub fn guild(world: &World) -> Value {
    let mut value = json!({
        "id": id(world.guild_id),
        "name": world.guild_name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": id(world.owner_id),
        "region": "deprecated",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
    });
    // Two halves: one json! this size exceeds the default macro recursion limit.
    let more = json!({
        "roles": world.roles.iter().map(role).collect::<Vec<_>>(),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": id(world.general_channel),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "nsfw": false,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
        "hub_type": null,
        "latest_onboarding_question_id": null,
        "home_header": null,
    });
    merge(&mut value, more);
    value
}

/// Adds the fields of `more` (an object) to `value` (an object).
fn merge(value: &mut Value, more: Value) {
    if let (Some(target), Value::Object(more)) = (value.as_object_mut(), more) {
        target.extend(more);
    }
}

/// GUILD_CREATE: the guild plus members, channels, threads and the rest. Without the
/// GUILD_MEMBERS intent Discord sends only the bot's own member.
pub fn guild_create(world: &World, all_members: bool) -> Value {
    let members: Vec<Value> = world
        .members
        .keys()
        .filter(|u| all_members || **u == world.bot_id)
        .map(|u| member(world, *u, true, false))
        .collect();
    let channels: Vec<Value> = world
        .channels
        .values()
        .filter(|c| !c.is_thread())
        .map(|c| channel(world, c, false))
        .collect();
    let threads: Vec<Value> = world
        .channels
        .values()
        .filter(|c| c.thread.as_ref().is_some_and(|t| !t.archived))
        .map(|c| channel(world, c, true))
        .collect();
    let mut value = guild(world);
    let extra = json!({
        "soundboard_sounds": [],
        "lazy": true,
        "joined_at": iso_timestamp(world.created_ms),
        "large": false,
        "unavailable": false,
        "member_count": world.members.len(),
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "embedded_activities": [],
        "activity_instances": [],
        "application_command_counts": {},
    });
    merge(&mut value, extra);
    value
}

/// The application flags READY and the application object carry: message content intent
/// switched on in the portal (the "limited" flag of an unverified bot), commands badge.
pub fn application_flags(message_content_enabled: bool) -> u64 {
    let limited = if message_content_enabled { 1 << 19 } else { 0 };
    limited | 1 << 23
}

pub fn ready(
    world: &World,
    session_id: &str,
    resume_gateway_url: &str,
    shard: Option<[u32; 2]>,
    message_content_enabled: bool,
) -> Value {
    let mut ready = json!({
        "v": 10,
        "user_settings": {},
        "user": current_user(world),
        "guilds": [{ "id": id(world.guild_id), "unavailable": true }],
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": resume_gateway_url,
        "application": { "id": id(world.application_id), "flags": application_flags(message_content_enabled) },
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["rotterdam", "madrid", "milan", "frankfurt", "stockholm"],
        "auth": {},
        "_trace": ["[\"fake-discord-gateway\",{\"micros\":1}]"],
    });
    if let Some(shard) = shard {
        ready["shard"] = json!(shard);
    }
    ready
}

pub fn resumed() -> Value {
    json!({ "_trace": ["[\"fake-discord-gateway\",{\"micros\":1}]"] })
}

// ---------------------------------------------------------------------------------------------
// Messages

/// Where a message object goes: gateway dispatches carry `guild_id` and the author's
/// `member`, REST responses carry neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Gateway,
    Rest,
}

pub fn message(world: &World, message: &StoredMessage, via: Via) -> Value {
    message_inner(world, message, via, true)
}

fn message_inner(world: &World, m: &StoredMessage, via: Via, with_reference: bool) -> Value {
    let mentions: Vec<Value> = m
        .mentions
        .iter()
        .map(|u| {
            let mut mentioned = user(world, *u);
            if via == Via::Gateway && world.members.contains_key(u) {
                mentioned["member"] = member(world, *u, false, false);
            }
            mentioned
        })
        .collect();
    let mut value = json!({
        "type": m.kind,
        "id": id(m.id),
        "channel_id": id(m.channel_id),
        "author": user(world, m.author_id),
        "content": m.content,
        "timestamp": iso_timestamp(snowflake_ms(m.id)),
        "edited_timestamp": m.edited_ms.map(iso_timestamp),
        "tts": m.tts,
        "mention_everyone": m.mention_everyone,
        "mentions": mentions,
        "mention_roles": ids(&m.mention_roles),
        "attachments": m.attachments,
        "embeds": m.embeds,
        "components": m.components,
        "pinned": false,
        "flags": m.flags,
    });
    let map = value.as_object_mut().expect("object");
    if let Some(nonce) = &m.nonce {
        map.insert("nonce".into(), nonce.clone());
    }
    if let Some(position) = m.position {
        map.insert("position".into(), json!(position));
    }
    if let Some(webhook_id) = m.webhook_id {
        map.insert("webhook_id".into(), id(webhook_id));
        map.insert("application_id".into(), id(world.application_id));
    }
    if let Some(interaction) = &m.interaction {
        let invoker = user(world, interaction.user_id);
        let original = world
            .interactions
            .get(&interaction.id)
            .and_then(|i| i.original_message_id)
            .filter(|original| *original != m.id);
        let mut metadata = json!({
            "id": id(interaction.id),
            "type": interaction.kind,
            "user": invoker,
            "authorizing_integration_owners": { "0": id(world.guild_id) },
        });
        if let Some(original) = original {
            metadata["original_response_message_id"] = id(original);
        }
        if interaction.kind == 2 {
            metadata["name"] = json!(interaction.name);
            metadata["command_type"] = json!(1);
        } else if let Some(on) = world
            .interactions
            .get(&interaction.id)
            .and_then(|i| i.message_id)
        {
            metadata["interacted_message_id"] = id(on);
        }
        map.insert("interaction_metadata".into(), metadata);
        let mut legacy = json!({
            "id": id(interaction.id),
            "type": interaction.kind,
            "name": interaction.name,
            "user": user(world, interaction.user_id),
        });
        if via == Via::Gateway {
            legacy["member"] = member(world, interaction.user_id, false, false);
        }
        map.insert("interaction".into(), legacy);
    }
    if let Some(reference) = &m.message_reference {
        map.insert("message_reference".into(), reference.clone());
        let referenced = reference
            .get("message_id")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<u64>().ok())
            .and_then(|rid| world.messages.get(&rid));
        if with_reference {
            map.insert(
                "referenced_message".into(),
                referenced.map_or(Value::Null, |r| message_inner(world, r, via, false)),
            );
        }
    }
    if via == Via::Gateway {
        map.insert("guild_id".into(), id(world.guild_id));
        if m.webhook_id.is_none() && world.members.contains_key(&m.author_id) {
            map.insert("member".into(), member(world, m.author_id, false, false));
        }
    }
    value
}

/// MESSAGE_DELETE. (MESSAGE_UPDATE carries the whole edited [`message`], as Discord sends
/// it since 2024.)
pub fn message_delete(world: &World, channel_id: u64, message_id: u64) -> Value {
    json!({
        "id": id(message_id),
        "channel_id": id(channel_id),
        "guild_id": id(world.guild_id),
    })
}

// ---------------------------------------------------------------------------------------------
// Interactions

/// The `data` of an APPLICATION_COMMAND or AUTOCOMPLETE interaction.
pub fn command_data(world: &World, command: &Command, options: Vec<Value>) -> Value {
    let mut data = json!({
        "id": id(command.id),
        "name": command.name(),
        "type": command.definition.get("type").cloned().unwrap_or(json!(1)),
        "options": options,
    });
    if let Some(guild_id) = command.guild_id {
        data["guild_id"] = id(guild_id);
    }
    let resolved = resolved_users(world, &data["options"]);
    if !resolved.is_empty() {
        data["resolved"] = Value::Object(resolved);
    }
    data
}

/// `resolved.users`/`resolved.members` for the USER (6) and MENTIONABLE (9) options given.
fn resolved_users(world: &World, options: &Value) -> Map<String, Value> {
    let mut users = Map::new();
    let mut members = Map::new();
    let mut stack: Vec<&Value> = options
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    while let Some(option) = stack.pop() {
        if let Some(nested) = option.get("options").and_then(Value::as_array) {
            stack.extend(nested);
        }
        let kind = option.get("type").and_then(Value::as_u64);
        if !matches!(kind, Some(6 | 9)) || option.get("focused") == Some(&Value::Bool(true)) {
            continue;
        }
        let Some(user_id) = option
            .get("value")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<u64>().ok())
        else {
            continue;
        };
        if world.user(user_id).is_some() {
            users.insert(user_id.to_string(), user(world, user_id));
            if world.members.contains_key(&user_id) {
                members.insert(user_id.to_string(), member(world, user_id, false, true));
            }
        }
    }
    let mut resolved = Map::new();
    if !users.is_empty() {
        resolved.insert("users".into(), Value::Object(users));
    }
    if !members.is_empty() {
        resolved.insert("members".into(), Value::Object(members));
    }
    resolved
}

/// The `data` of a MESSAGE_COMPONENT interaction (a button when `values` is None).
pub fn component_data(custom_id: &str, component_type: u8, values: Option<&[String]>) -> Value {
    let mut data = json!({ "custom_id": custom_id, "component_type": component_type });
    if let Some(values) = values {
        data["values"] = json!(values);
    }
    data
}

/// INTERACTION_CREATE's payload. `message` is the message a component sits on.
pub fn interaction(
    world: &World,
    state: &InteractionState,
    data: Value,
    message: Option<&StoredMessage>,
) -> Value {
    let channel_json = world
        .channels
        .get(&state.channel_id)
        .map_or(Value::Null, |c| {
            let mut value = channel(world, c, true);
            value["permissions"] = perms(world.permissions_of(state.user_id));
            value
        });
    let mut value = json!({
        "id": id(state.id),
        "application_id": id(world.application_id),
        "type": state.kind,
        "data": data,
        "guild_id": id(world.guild_id),
        "guild": { "id": id(world.guild_id), "locale": "en-US", "features": [] },
        "channel_id": id(state.channel_id),
        "channel": channel_json,
        "member": member(world, state.user_id, true, true),
        "token": state.token,
        "version": 1,
        "app_permissions": perms(world.permissions_of(world.bot_id)),
        "locale": world.locale_of(state.user_id),
        "guild_locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": { "0": id(world.guild_id) },
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    });
    if let Some(message) = message {
        value["message"] = self::message(world, message, Via::Rest);
    }
    value
}

// ---------------------------------------------------------------------------------------------
// REST-only bodies

/// GET /gateway
pub fn gateway(url: &str) -> Value {
    json!({ "url": url })
}

/// GET /gateway/bot
pub fn gateway_bot(url: &str) -> Value {
    json!({
        "url": url,
        "shards": 1,
        "session_start_limit": {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14_400_000,
            "max_concurrency": 1,
        },
    })
}

/// GET /oauth2/applications/@me
pub fn application_info(world: &World, message_content_enabled: bool) -> Value {
    json!({
        "id": id(world.application_id),
        "name": user(world, world.bot_id)["username"],
        "icon": null,
        "description": "A sceptical customer to practise on (fake application)",
        "summary": "",
        "type": null,
        "is_monetized": false,
        "is_verified": false,
        "is_discoverable": false,
        "hook": true,
        "storefront_available": false,
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "flags": application_flags(message_content_enabled),
        "owner": user(world, world.owner_id),
        "team": null,
        "bot": user(world, world.bot_id),
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "event_webhooks_url": null,
        "event_webhooks_status": 1,
        "integration_types_config": { "0": {} },
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "explicit_content_filter": 0,
        "rpc_application_state": 0,
        "store_application_state": 1,
        "verification_state": 1,
        "integration_public": false,
        "integration_require_code_grant": false,
        "discoverability_state": 1,
        "discovery_eligibility_flags": 0,
        "monetization_state": 1,
        "monetization_eligibility_flags": 0,
    })
}

/// An application command as Discord returns it: what the bot sent plus id, version and
/// the fields Discord fills in.
pub fn command(world: &World, command: &Command) -> Value {
    let def = &command.definition;
    let field = |name: &str, default: Value| def.get(name).cloned().unwrap_or(default);
    let mut value = json!({
        "id": id(command.id),
        "application_id": id(world.application_id),
        "version": id(command.version),
        "type": field("type", json!(1)),
        "name": field("name", json!("")),
        "name_localizations": field("name_localizations", Value::Null),
        "description": field("description", json!("")),
        "description_localizations": field("description_localizations", Value::Null),
        "options": field("options", json!([])),
        "default_member_permissions": field("default_member_permissions", Value::Null),
        "nsfw": field("nsfw", json!(false)),
        "contexts": field("contexts", Value::Null),
    });
    match command.guild_id {
        Some(guild_id) => value["guild_id"] = id(guild_id),
        None => {
            value["dm_permission"] = field("dm_permission", json!(true));
            value["integration_types"] = field("integration_types", json!([0]));
        }
    }
    value
}

/// A Discord JSON error: `{"message": ..., "code": ...}`.
pub fn error(code: u32, message: &str) -> Value {
    json!({ "message": message, "code": code })
}

/// 50035 Invalid Form Body with one error at `path` (like `["embeds","0","title"]`).
pub fn form_error(path: &[&str], code: &str, message: &str) -> Value {
    let mut errors = json!({ "_errors": [{ "code": code, "message": message }] });
    for key in path.iter().rev() {
        errors = json!({ *key: errors });
    }
    json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors })
}

/// The body of a 429.
pub fn rate_limited(retry_after_secs: f64, global: bool) -> Value {
    json!({ "message": "You are being rate limited.", "retry_after": retry_after_secs, "global": global })
}
