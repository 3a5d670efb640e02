//! Channel messages: create (JSON or multipart), list with before/after/around, read, edit,
//! delete; plus what a message body does to a stored message.

use super::super::model::{
    Channel, FLAG_EPHEMERAL, FLAG_LOADING, PRIVATE_THREAD, StoredMessage, World, now_ms,
    parse_mentions,
};
use super::super::payloads::{self, Via};
use super::super::validate;
use super::super::{Shared, lock};
use super::{ApiRequest, Handled, Reply, bot_can, find_channel, snowflake, typed};
use serde_json::{Value, json};
use serenity::model::channel::Message;
use serenity::model::permissions::Permissions;

/// Checks the bot may post in `channel` (a thread needs SEND_MESSAGES_IN_THREADS and, when
/// private, membership or MANAGE_THREADS; a locked archived thread takes nothing).
fn may_post(world: &World, channel: &Channel) -> Result<(), Reply> {
    let perms = world.permissions_of(world.bot_id);
    match &channel.thread {
        None => bot_can(
            world,
            Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
        ),
        Some(thread) => {
            // What Discord answers there (seen in discord-api-docs issues 6884 and 7707).
            if thread.archived && thread.locked {
                return Err(Reply::error(403, 50083, "Thread is archived"));
            }
            let member = thread.members.iter().any(|(u, _)| *u == world.bot_id);
            if channel.kind == PRIVATE_THREAD
                && !member
                && !perms.contains(Permissions::MANAGE_THREADS)
            {
                return Err(Reply::error(403, 50001, "Missing Access"));
            }
            bot_can(
                world,
                Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES_IN_THREADS,
            )
        }
    }
}

/// Applies a create or edit body to a message: content, embeds, components, flags,
/// attachments, a reply reference, and the mentions Discord would parse given
/// `allowed_mentions`.
pub(super) fn apply_body(
    world: &World,
    message: &mut StoredMessage,
    body: &Value,
    files: &[String],
    creating: bool,
) -> Result<(), Reply> {
    if let Some(content) = body.get("content") {
        message.content = content.as_str().unwrap_or_default().to_string();
    }
    if let Some(embeds) = body.get("embeds") {
        message.embeds = embeds
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|mut embed| {
                if embed.get("type").is_none() {
                    embed["type"] = json!("rich");
                }
                embed
            })
            .collect();
    }
    if let Some(components) = body.get("components") {
        message.components = components.as_array().cloned().unwrap_or_default();
    }
    let requested = body.get("flags").and_then(Value::as_u64).unwrap_or(0);
    // SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, and EPHEMERAL (kept only for interactions).
    message.flags = (message.flags & (FLAG_EPHEMERAL | FLAG_LOADING)) | (requested & (4 | 4096));
    if creating {
        message.flags |= requested & FLAG_EPHEMERAL;
        message.tts = body.get("tts").and_then(Value::as_bool).unwrap_or(false);
        message.nonce = body.get("nonce").filter(|n| !n.is_null()).cloned();
        for (i, name) in files.iter().enumerate() {
            message.attachments.push(json!({
                "id": (message.id + i as u64 + 1).to_string(),
                "filename": name,
                "size": 0,
                "url": format!("https://cdn.fake-discord.invalid/attachments/{}/{}", message.channel_id, name),
                "proxy_url": format!("https://media.fake-discord.invalid/attachments/{}/{}", message.channel_id, name),
                "content_type": "application/octet-stream",
            }));
        }
        if let Some(reference) = body.get("message_reference").filter(|r| !r.is_null()) {
            let target = reference
                .get("message_id")
                .and_then(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .or_else(|| v.as_u64().map(|n| n.to_string()))
                })
                .and_then(|s| s.parse::<u64>().ok());
            let exists = target.is_some_and(|t| world.messages.contains_key(&t));
            let must_exist = reference
                .get("fail_if_not_exists")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            if !exists && must_exist {
                return Err(Reply::refusal((
                    400,
                    payloads::form_error(
                        &["message_reference"],
                        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                        "Unknown message",
                    ),
                )));
            }
            if let Some(target) = target.filter(|_| exists) {
                message.kind = if message.kind == 0 { 19 } else { message.kind };
                message.message_reference = Some(json!({
                    "type": 0,
                    "message_id": target.to_string(),
                    "channel_id": world.messages[&target].channel_id.to_string(),
                    "guild_id": world.guild_id.to_string(),
                }));
            }
        }
    }
    apply_mentions(world, message, body.get("allowed_mentions"));
    Ok(())
}

/// Who a bot message really pings: Discord parses the content and keeps only what
/// `allowed_mentions` allows (everything when it is absent).
fn apply_mentions(world: &World, message: &mut StoredMessage, allowed: Option<&Value>) {
    let parsed = parse_mentions(&message.content);
    let allowed = allowed.filter(|a| !a.is_null());
    let list = |key: &str| -> Vec<String> {
        allowed
            .and_then(|a| a.get(key))
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let parse = match allowed {
        None => vec![
            "users".to_string(),
            "roles".to_string(),
            "everyone".to_string(),
        ],
        Some(_) => list("parse"),
    };
    let (users, roles) = (list("users"), list("roles"));
    let perms = world.permissions_of(world.bot_id);
    message.mention_everyone = parsed.everyone
        && parse.iter().any(|p| p == "everyone")
        && perms.contains(Permissions::MENTION_EVERYONE);
    message.mentions = parsed
        .users
        .iter()
        .copied()
        .filter(|u| world.user(*u).is_some())
        .filter(|u| parse.iter().any(|p| p == "users") || users.contains(&u.to_string()))
        .collect();
    message.mention_roles = parsed
        .roles
        .iter()
        .copied()
        .filter(|r| {
            world.role(*r).is_some_and(|role| {
                role.mentionable || perms.contains(Permissions::MENTION_EVERYONE)
            })
        })
        .filter(|r| parse.iter().any(|p| p == "roles") || roles.contains(&r.to_string()))
        .collect();
    let replied_user = match allowed {
        None => true,
        Some(a) => a
            .get("replied_user")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    if replied_user {
        let author = message
            .message_reference
            .as_ref()
            .and_then(|r| r["message_id"].as_str())
            .and_then(|s| s.parse::<u64>().ok())
            .and_then(|id| world.messages.get(&id))
            .map(|m| m.author_id);
        if let Some(author) = author.filter(|a| !message.mentions.contains(a)) {
            message.mentions.push(author);
        }
    }
}

pub(super) fn create_message(shared: &Shared, req: &ApiRequest, channel: &str) -> Handled {
    let mut world = lock(&shared.world);
    let channel = find_channel(&world, channel)?.clone();
    may_post(&world, &channel)?;
    let body = req.body();
    validate::message(body, true, !req.files.is_empty()).map_err(Reply::refusal)?;
    let bot = world.bot_id;
    // Like Discord: with enforce_nonce, a nonce the bot already used in this channel returns
    // that message instead of posting another.
    let nonce = body.get("nonce").filter(|n| !n.is_null());
    if body.get("enforce_nonce") == Some(&Value::Bool(true))
        && let Some(earlier) = world
            .channel_messages(channel.id)
            .into_iter()
            .find(|m| m.author_id == bot && !m.deleted && m.nonce.as_ref() == nonce)
    {
        let response = payloads::message(&world, earlier, Via::Rest);
        return Ok(typed::<Message>(
            shared,
            200,
            "POST /channels/{id}/messages",
            response,
        ));
    }
    let mut message = world.new_message(channel.id, bot, "");
    apply_body(&world, &mut message, body, &req.files, true)?;
    // EPHEMERAL means nothing outside interactions.
    message.flags &= !FLAG_EPHEMERAL;
    message.sent = Some(body.clone());
    let message = shared.post(&mut world, message);
    let response = payloads::message(&world, &message, Via::Rest);
    drop(world);
    shared.changed();
    Ok(typed::<Message>(
        shared,
        200,
        "POST /channels/{id}/messages",
        response,
    ))
}

pub(super) fn list_messages(shared: &Shared, req: &ApiRequest, channel: &str) -> Handled {
    let world = lock(&shared.world);
    let channel = find_channel(&world, channel)?;
    bot_can(
        &world,
        Permissions::VIEW_CHANNEL | Permissions::READ_MESSAGE_HISTORY,
    )?;
    let limit = match req.query("limit") {
        None => 50,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(Reply::refusal((
                    400,
                    payloads::form_error(
                        &["limit"],
                        "NUMBER_TYPE_MAX",
                        "int value should be less than or equal to 100.",
                    ),
                )));
            }
        },
    };
    let pivot = |key: &str| -> Result<Option<u64>, Reply> {
        req.query(key).map(|v| snowflake(v, key)).transpose()
    };
    let all = world.channel_messages(channel.id);
    let mut picked: Vec<&StoredMessage> = if let Some(after) = pivot("after")? {
        // The `limit` messages right after `after`, oldest of them first...
        all.into_iter()
            .filter(|m| m.id > after)
            .take(limit)
            .collect()
    } else if let Some(before) = pivot("before")? {
        let older: Vec<_> = all.into_iter().filter(|m| m.id < before).collect();
        older[older.len().saturating_sub(limit)..].to_vec()
    } else if let Some(around) = pivot("around")? {
        let at = all.iter().position(|m| m.id >= around).unwrap_or(all.len());
        let start = at.saturating_sub(limit / 2);
        all[start..(start + limit).min(all.len())].to_vec()
    } else {
        all[all.len().saturating_sub(limit)..].to_vec()
    };
    // ...and always newest first, like Discord.
    picked.reverse();
    let body: Vec<Value> = picked
        .iter()
        .map(|m| payloads::message(&world, m, Via::Rest))
        .collect();
    Ok(typed::<Vec<Message>>(
        shared,
        200,
        "GET /channels/{id}/messages",
        Value::Array(body),
    ))
}

pub(super) fn channel_message(
    shared: &Shared,
    req: &ApiRequest,
    channel: &str,
    message: &str,
) -> Handled {
    let mut world = lock(&shared.world);
    let channel = find_channel(&world, channel)?.id;
    let id = snowflake(message, "message_id")?;
    let Some(existing) = world
        .messages
        .get(&id)
        .filter(|m| m.channel_id == channel && !m.deleted && !m.ephemeral())
        .cloned()
    else {
        return Err(Reply::error(404, 10008, "Unknown Message"));
    };
    match req.method.as_str() {
        "GET" => {
            let body = payloads::message(&world, &existing, Via::Rest);
            Ok(typed::<Message>(
                shared,
                200,
                "GET /channels/{id}/messages/{id}",
                body,
            ))
        }
        "DELETE" => {
            if existing.author_id != world.bot_id {
                bot_can(&world, Permissions::MANAGE_MESSAGES)?;
            }
            world.delete_message(id);
            shared.broadcast(
                "MESSAGE_DELETE",
                &payloads::message_delete(&world, channel, id),
            );
            drop(world);
            shared.changed();
            Ok(Reply::no_content())
        }
        _ => {
            if existing.author_id != world.bot_id {
                return Err(Reply::error(
                    403,
                    50005,
                    "Cannot edit a message authored by another user",
                ));
            }
            let body = req.body();
            validate::message(body, false, !req.files.is_empty()).map_err(Reply::refusal)?;
            let mut edited = existing;
            apply_body(&world, &mut edited, body, &req.files, false)?;
            edited.edited_ms = Some(now_ms());
            world.messages.insert(id, edited.clone());
            shared.broadcast(
                "MESSAGE_UPDATE",
                &payloads::message(&world, &edited, Via::Gateway),
            );
            let response = payloads::message(&world, &edited, Via::Rest);
            drop(world);
            shared.changed();
            Ok(typed::<Message>(
                shared,
                200,
                "PATCH /channels/{id}/messages/{id}",
                response,
            ))
        }
    }
}
