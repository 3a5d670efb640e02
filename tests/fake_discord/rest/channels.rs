//! The guild, its channels and threads, thread members and typing.

use super::super::model::{GUILD_TEXT, PRIVATE_THREAD, PUBLIC_THREAD, ThreadSpec, World, now_ms};
use super::super::payloads;
use super::super::validate;
use super::super::{Shared, lock};
use super::{
    ApiRequest, Handled, Reply, bot_can, find_channel, missing_permissions, snowflake, typed,
};
use serde_json::{Value, json};
use serenity::model::channel::{Channel as SerenityChannel, GuildChannel};
use serenity::model::guild::{Member, PartialGuild, ThreadMember};
use serenity::model::permissions::Permissions;

fn our_guild(world: &World, guild: &str) -> Result<(), Reply> {
    let id = snowflake(guild, "guild_id")?;
    if id == world.guild_id {
        Ok(())
    } else {
        Err(Reply::error(404, 10004, "Unknown Guild"))
    }
}

pub(super) fn get_guild(shared: &Shared, guild: &str) -> Handled {
    let world = lock(&shared.world);
    our_guild(&world, guild)?;
    let body = payloads::guild(&world);
    Ok(typed::<PartialGuild>(shared, 200, "GET /guilds/{id}", body))
}

pub(super) fn guild_channels(shared: &Shared, guild: &str) -> Handled {
    let world = lock(&shared.world);
    our_guild(&world, guild)?;
    let body: Vec<Value> = world
        .channels
        .values()
        .filter(|c| !c.is_thread())
        .map(|c| payloads::channel(&world, c, true))
        .collect();
    Ok(typed::<Vec<GuildChannel>>(
        shared,
        200,
        "GET /guilds/{id}/channels",
        Value::Array(body),
    ))
}

pub(super) fn guild_member(shared: &Shared, guild: &str, user: &str) -> Handled {
    let world = lock(&shared.world);
    our_guild(&world, guild)?;
    let user = snowflake(user, "user_id")?;
    if !world.members.contains_key(&user) {
        return Err(Reply::error(404, 10007, "Unknown Member"));
    }
    let body = payloads::member(&world, user, true, false);
    Ok(typed::<Member>(
        shared,
        200,
        "GET /guilds/{id}/members/{user}",
        body,
    ))
}

pub(super) fn get_channel(shared: &Shared, channel: &str) -> Handled {
    let world = lock(&shared.world);
    let channel = find_channel(&world, channel)?;
    let body = payloads::channel(&world, channel, true);
    Ok(typed::<SerenityChannel>(
        shared,
        200,
        "GET /channels/{id}",
        body,
    ))
}

pub(super) fn edit_channel(shared: &Shared, req: &ApiRequest, channel: &str) -> Handled {
    let mut world = lock(&shared.world);
    let id = find_channel(&world, channel)?.id;
    let body = req.body();
    let bot_id = world.bot_id;
    let manage_threads = world
        .permissions_of(bot_id)
        .contains(Permissions::MANAGE_THREADS);
    let channel = world.channels.get_mut(&id).expect("found above");
    if let Some(name) = body.get("name").and_then(Value::as_str) {
        if !(1..=100).contains(&name.chars().count()) {
            return Err(Reply::refusal((
                400,
                payloads::form_error(
                    &["name"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                ),
            )));
        }
        channel.name = name.to_string();
    }
    if let Some(rate) = body.get("rate_limit_per_user").and_then(Value::as_u64) {
        channel.rate_limit_per_user = rate.min(21_600) as u16;
    }
    let is_owner = channel.owner_id == Some(bot_id);
    match channel.thread.as_mut() {
        Some(thread) => {
            if let Some(archived) = body.get("archived").and_then(Value::as_bool) {
                if !is_owner && !manage_threads {
                    return Err(missing_permissions());
                }
                if archived != thread.archived {
                    thread.archived = archived;
                    thread.archive_ms = now_ms();
                }
            }
            if let Some(locked) = body.get("locked").and_then(Value::as_bool) {
                if !manage_threads {
                    return Err(missing_permissions());
                }
                thread.locked = locked;
            }
            if let Some(duration) = body.get("auto_archive_duration").and_then(Value::as_u64) {
                thread.auto_archive_duration = duration as u16;
            }
            if let Some(invitable) = body.get("invitable").and_then(Value::as_bool) {
                thread.invitable = invitable;
            }
        }
        None => {
            if let Some(topic) = body.get("topic") {
                channel.topic = topic.as_str().map(str::to_string);
            }
        }
    }
    let channel = world.channels[&id].clone();
    let body = payloads::channel(&world, &channel, true);
    let event = if channel.is_thread() {
        "THREAD_UPDATE"
    } else {
        "CHANNEL_UPDATE"
    };
    shared.broadcast(event, &body);
    drop(world);
    shared.changed();
    Ok(typed::<GuildChannel>(
        shared,
        200,
        "PATCH /channels/{id}",
        body,
    ))
}

pub(super) fn create_thread(shared: &Shared, req: &ApiRequest, channel: &str) -> Handled {
    let mut world = lock(&shared.world);
    let parent = find_channel(&world, channel)?.clone();
    if parent.kind != GUILD_TEXT {
        return Err(Reply::error(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    }
    let body = req.body();
    validate::thread(body).map_err(Reply::refusal)?;
    let kind = body
        .get("type")
        .and_then(Value::as_u64)
        .map_or(PRIVATE_THREAD, |k| k as u8);
    let needed = if kind == PRIVATE_THREAD {
        Permissions::CREATE_PRIVATE_THREADS
    } else {
        Permissions::CREATE_PUBLIC_THREADS
    };
    bot_can(&world, Permissions::VIEW_CHANNEL | needed)?;
    let spec = ThreadSpec {
        parent_id: parent.id,
        name: body["name"].as_str().unwrap_or_default().to_string(),
        kind,
        owner_id: world.bot_id,
        auto_archive_duration: body
            .get("auto_archive_duration")
            .and_then(Value::as_u64)
            .map_or(1440, |d| d as u16),
        invitable: body
            .get("invitable")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        rate_limit_per_user: body
            .get("rate_limit_per_user")
            .and_then(Value::as_u64)
            .map_or(0, |r| r as u16),
    };
    let thread_id = world.create_thread(&spec);
    let thread = world.channels[&thread_id].clone();
    let response = payloads::created_thread(&world, &thread);
    shared.broadcast("THREAD_CREATE", &payloads::thread_create(&world, &thread));
    if kind == PUBLIC_THREAD {
        // Discord announces a public thread started without a message in its parent.
        let bot = world.bot_id;
        let mut notice = world.new_message(parent.id, bot, &spec.name);
        notice.kind = 18;
        notice.message_reference = Some(json!({
            "type": 0,
            "channel_id": thread_id.to_string(),
            "guild_id": world.guild_id.to_string(),
        }));
        shared.post(&mut world, notice);
    }
    drop(world);
    shared.changed();
    Ok(typed::<GuildChannel>(
        shared,
        201,
        "POST /channels/{id}/threads",
        response,
    ))
}

pub(super) fn thread_members(shared: &Shared, channel: &str) -> Handled {
    let world = lock(&shared.world);
    let channel = find_channel(&world, channel)?;
    let Some(thread) = &channel.thread else {
        return Err(Reply::error(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    let body: Vec<Value> = thread
        .members
        .iter()
        .map(|(user, _)| payloads::thread_member(&world, channel.id, *user, false))
        .collect();
    Ok(typed::<Vec<ThreadMember>>(
        shared,
        200,
        "GET /channels/{id}/thread-members",
        Value::Array(body),
    ))
}

pub(super) fn thread_member(
    shared: &Shared,
    req: &ApiRequest,
    channel: &str,
    user: &str,
) -> Handled {
    let mut world = lock(&shared.world);
    let channel = find_channel(&world, channel)?.clone();
    let Some(thread) = &channel.thread else {
        return Err(Reply::error(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    let user = if user == "@me" {
        world.bot_id
    } else {
        snowflake(user, "user_id")?
    };
    if !world.members.contains_key(&user) {
        return Err(Reply::error(404, 10007, "Unknown Member"));
    }
    if thread.archived {
        return Err(Reply::error(400, 50083, "Thread is archived"));
    }
    let bot_in_thread = thread.members.iter().any(|(u, _)| *u == world.bot_id);
    let manage = world
        .permissions_of(world.bot_id)
        .contains(Permissions::MANAGE_THREADS);
    if channel.kind == PRIVATE_THREAD && !bot_in_thread && !manage && user != world.bot_id {
        return Err(Reply::error(403, 50001, "Missing Access"));
    }
    if req.method == "DELETE" {
        if let Some(thread) = world
            .channels
            .get_mut(&channel.id)
            .and_then(|c| c.thread.as_mut())
        {
            thread.members.retain(|(u, _)| *u != user);
        }
    } else if world.join_thread(channel.id, user) {
        let update = payloads::thread_members_update(&world, channel.id, &[user]);
        shared.broadcast("THREAD_MEMBERS_UPDATE", &update);
    }
    drop(world);
    shared.changed();
    Ok(Reply::no_content())
}

pub(super) fn typing(shared: &Shared, channel: &str) -> Handled {
    let world = lock(&shared.world);
    find_channel(&world, channel)?;
    bot_can(
        &world,
        Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
    )?;
    Ok(Reply::no_content())
}
