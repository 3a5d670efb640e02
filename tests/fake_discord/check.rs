//! The fake checks every payload it sends against serenity's own model types, because
//! serenity drops a dispatch it cannot deserialise without telling anyone: an unreadable
//! MESSAGE_CREATE even turns into `Event::Unknown`. Failures are collected as protocol
//! errors and fail the test when the `FakeDiscord` is dropped.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serenity::model::event::{
    ChannelDeleteEvent, ChannelUpdateEvent, Event, GatewayEvent, GuildCreateEvent,
    GuildMemberRemoveEvent, InteractionCreateEvent, MessageCreateEvent, MessageDeleteEvent,
    MessageUpdateEvent, ReadyEvent, ResumedEvent, ThreadCreateEvent, ThreadDeleteEvent,
    ThreadMembersUpdateEvent, ThreadUpdateEvent,
};

/// Deserialises `value` as `T`, naming `what` in the error.
pub fn as_type<T: DeserializeOwned>(what: &str, value: &Value) -> Result<T, String> {
    serde_json::from_value::<T>(value.clone()).map_err(|e| {
        format!(
            "{what}: serenity cannot read it as {}: {e}\n{value:#}",
            std::any::type_name::<T>()
        )
    })
}

/// Checks one dispatch's `d` with the event type serenity uses for `t`.
pub fn dispatch_data(t: &str, d: &Value) -> Result<(), String> {
    let what = format!("dispatch {t}");
    match t {
        "READY" => as_type::<ReadyEvent>(&what, d).map(drop),
        "RESUMED" => as_type::<ResumedEvent>(&what, d).map(drop),
        "GUILD_CREATE" => as_type::<GuildCreateEvent>(&what, d).map(drop),
        "MESSAGE_CREATE" => as_type::<MessageCreateEvent>(&what, d).map(drop),
        "MESSAGE_UPDATE" => as_type::<MessageUpdateEvent>(&what, d).map(drop),
        "MESSAGE_DELETE" => as_type::<MessageDeleteEvent>(&what, d).map(drop),
        "INTERACTION_CREATE" => as_type::<InteractionCreateEvent>(&what, d).map(drop),
        "THREAD_CREATE" => as_type::<ThreadCreateEvent>(&what, d).map(drop),
        "THREAD_UPDATE" => as_type::<ThreadUpdateEvent>(&what, d).map(drop),
        "THREAD_DELETE" => as_type::<ThreadDeleteEvent>(&what, d).map(drop),
        "CHANNEL_UPDATE" => as_type::<ChannelUpdateEvent>(&what, d).map(drop),
        "CHANNEL_DELETE" => as_type::<ChannelDeleteEvent>(&what, d).map(drop),
        "THREAD_MEMBERS_UPDATE" => as_type::<ThreadMembersUpdateEvent>(&what, d).map(drop),
        "GUILD_MEMBER_REMOVE" => as_type::<GuildMemberRemoveEvent>(&what, d).map(drop),
        other => Err(format!("the fake has no check for dispatch {other}")),
    }
}

/// Checks a whole gateway frame the way serenity's shard reads it, and for a dispatch that
/// it becomes the named event rather than `Event::Unknown`.
pub fn gateway_frame(frame: &Value) -> Result<(), String> {
    let event = as_type::<GatewayEvent>("gateway frame", frame)?;
    if let GatewayEvent::Dispatch(_, event) = event {
        let t = frame.get("t").and_then(Value::as_str).unwrap_or_default();
        dispatch_data(t, &frame["d"])?;
        if matches!(event, Event::Unknown(_)) {
            return Err(format!("dispatch {t}: serenity reads it as Event::Unknown"));
        }
    }
    Ok(())
}
