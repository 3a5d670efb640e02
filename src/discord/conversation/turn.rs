//! A trainee message answered: into its session's inbox, answered in message order, the
//! reply stored before it is sent and marked once Discord has it.

use super::ending::finish;
use super::registry::{Live, Slot, lock, slot};
use crate::discord::clock::now;
use crate::discord::delivery::post_once;
use crate::discord::{BotError, Data};
use poise::serenity_prelude as serenity;
use tracing::{debug, error, warn};

/// The nonce key of a stored reply: Discord posts it once, however often it is sent.
pub(super) fn reply_key(row: i64) -> String {
    format!("sceptic-{row}")
}

/// The customer's line as posted: the customer's first name in bold, then the line.
pub fn customer_line(live: &Live, line: &str) -> String {
    let name = &live.session.persona().name;
    let first = name.split_whitespace().next().unwrap_or(name);
    format!("**{first}:** {line}")
}

/// A message arriving from the gateway.
pub async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    message: &serenity::Message,
) -> Result<(), BotError> {
    if message.author.bot
        || message.guild_id.is_none()
        || !data.sessions.is_open(message.channel_id.get())
    {
        return Ok(());
    }
    let Some(slot) = slot(data, message.channel_id.get()).await? else {
        return Ok(());
    };
    if message.author.id.get() != slot.trainee_id {
        debug!(
            thread = message.channel_id.get(),
            "not the trainee; ignored"
        );
        return Ok(());
    }
    {
        let mut inbox = lock(&slot.inbox);
        for (id, text) in delivered_before(ctx, message, slot.trainee_id) {
            inbox.add(id, &text);
        }
        inbox.add(message.id.get(), &message.content);
    }
    drain(&ctx.http, data, &slot).await
}

/// The trainee's messages in the thread that the gateway delivered before `message`.
/// Serenity files every message in its cache, in gateway order, before any handler runs;
/// handlers then run concurrently, so this one may have overtaken an earlier message's. Taking
/// the earlier ones in first answers a burst in order with no wait.
fn delivered_before(
    ctx: &serenity::Context,
    message: &serenity::Message,
    trainee: u64,
) -> Vec<(u64, String)> {
    ctx.cache
        .channel_messages(message.channel_id)
        .map(|cached| {
            cached
                .values()
                .filter(|m| m.id < message.id && m.author.id.get() == trainee && !m.author.bot)
                .map(|m| (m.id.get(), m.content.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The trainee edited a message: the turn stands, the debrief will say so.
pub async fn on_edit(
    data: &Data,
    thread: u64,
    message: u64,
    author: Option<u64>,
) -> Result<(), BotError> {
    let Some(slot) = data.sessions.get(thread) else {
        return Ok(());
    };
    if author.is_some_and(|a| a != slot.trainee_id) {
        return Ok(());
    }
    data.store.mark_edited(message, now()).await?;
    Ok(())
}

/// Answers the slot's waiting messages, oldest first. Whoever holds the conversation's lock
/// answers everything waiting, so a burst is answered in order, one reply per message.
pub(super) async fn drain(http: &serenity::Http, data: &Data, slot: &Slot) -> Result<(), BotError> {
    let mut live = slot.live.lock().await;
    loop {
        let next = lock(&slot.inbox).next();
        let Some((id, text)) = next else {
            return Ok(());
        };
        if let Err(e) = answer(http, data, &mut live, id, &text).await {
            lock(&slot.inbox).clear();
            return Err(e);
        }
        lock(&slot.inbox).answered(id);
    }
}

async fn answer(
    http: &serenity::Http,
    data: &Data,
    live: &mut Live,
    id: u64,
    text: &str,
) -> Result<(), BotError> {
    let text = text.trim();
    if text.is_empty() || live.session.is_over() || data.store.seen(id).await? {
        return Ok(());
    }
    let thread = serenity::ChannelId::new(live.stored.thread_id);
    if let Err(e) = thread.broadcast_typing(http).await {
        debug!(error = %e, "no typing indicator");
    }
    tokio::time::sleep(data.typing_delay()).await;
    let turn = live.session.respond(text);
    let row = match data
        .store
        .record_turn(live.stored.id, turn.turn, (text, id), &turn.reply, now())
        .await
    {
        Ok(row) => row,
        Err(e) => {
            // Played in memory but not stored: forget it and catch up from Discord later,
            // so nothing is answered that the store does not hold.
            error!(thread = live.stored.thread_id, error = %e, "could not store a turn; it will be answered once storage works");
            data.sessions.forget(live.stored.thread_id);
            data.sessions.fell_behind(live.stored.thread_id);
            return Err(e.into());
        }
    };
    match post_once(
        http,
        thread,
        &customer_line(live, &turn.reply),
        &reply_key(row),
    )
    .await
    {
        Ok(Some(message)) => data.store.mark_sent(row, message.get(), now()).await?,
        Ok(None) => {}
        Err(e) => {
            warn!(thread = live.stored.thread_id, error = %e, "reply not delivered yet; the sweeper will retry")
        }
    }
    if live.session.is_over() {
        finish(http, data, live).await?;
    }
    Ok(())
}
