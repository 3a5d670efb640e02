//! Running conversations: the live sessions by thread, the trainee's messages, and the end
//! of a session with its debrief. Every reply is stored before it is sent.

use super::render::{self, MESSAGE_LIMIT};
use super::{BotError, Data};
use crate::engine::Session;
use crate::store::{Role, StoredSession};
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::{debug, info, warn};

/// An open session and the conversation rebuilt from its messages.
pub struct Live {
    pub stored: StoredSession,
    pub session: Session,
}

/// The open sessions in memory, by thread id. A session missing here is rebuilt from the
/// store on its next message, which is how sessions survive a restart.
#[derive(Default)]
pub struct Sessions {
    by_thread: Mutex<HashMap<u64, Arc<tokio::sync::Mutex<Live>>>>,
}

impl Sessions {
    fn get(&self, thread: u64) -> Option<Arc<tokio::sync::Mutex<Live>>> {
        self.by_thread.lock().ok()?.get(&thread).cloned()
    }

    pub fn insert(&self, thread: u64, live: Live) -> Arc<tokio::sync::Mutex<Live>> {
        let live = Arc::new(tokio::sync::Mutex::new(live));
        if let Ok(mut map) = self.by_thread.lock() {
            map.entry(thread)
                .or_insert_with(|| Arc::clone(&live))
                .clone()
        } else {
            live
        }
    }

    pub fn forget(&self, thread: u64) {
        if let Ok(mut map) = self.by_thread.lock() {
            map.remove(&thread);
        }
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The live session of a thread, rebuilt from the store when it is not in memory.
pub async fn live_session(
    data: &Data,
    thread: u64,
) -> Result<Option<Arc<tokio::sync::Mutex<Live>>>, BotError> {
    if let Some(live) = data.sessions.get(thread) {
        return Ok(Some(live));
    }
    let Some(stored) = data.store.session_by_thread(thread).await? else {
        return Ok(None);
    };
    if !stored.open {
        return Ok(None);
    }
    let persona = data
        .personas
        .get(&stored.persona)
        .cloned()
        .ok_or_else(|| BotError::MissingPersona(stored.persona.clone()))?;
    let messages = data.store.messages(stored.id).await?;
    let trainee = messages
        .iter()
        .filter(|m| m.role == Role::Trainee)
        .map(|m| m.content.as_str());
    let session = Session::replay(persona, stored.seed, Some(stored.difficulty), trainee);
    info!(
        session = stored.id,
        turns = session.turns(),
        "session rebuilt from the store"
    );
    Ok(Some(data.sessions.insert(thread, Live { stored, session })))
}

/// The customer's line as posted: the customer's first name in bold, then the line.
pub fn customer_line(live: &Live, line: &str) -> String {
    let name = &live.session.persona().name;
    let first = name.split_whitespace().next().unwrap_or(name);
    format!("**{first}:** {line}")
}

/// Posts text in a channel, split within Discord's limit; returns the last message's id
/// (none for empty text).
pub async fn post(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    text: &str,
) -> Result<Option<serenity::MessageId>, BotError> {
    let mut last = None;
    for piece in render::split(text, MESSAGE_LIMIT) {
        let message = channel
            .send_message(http, serenity::CreateMessage::new().content(piece))
            .await?;
        last = Some(message.id);
    }
    Ok(last)
}

/// A message in a session thread: only the trainee's drive the customer.
pub async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    message: &serenity::Message,
) -> Result<(), BotError> {
    if message.author.bot || message.guild_id.is_none() {
        return Ok(());
    }
    let thread = message.channel_id.get();
    let Some(live) = live_session(data, thread).await? else {
        return Ok(());
    };
    let mut live = live.lock().await;
    if message.author.id.get() != live.stored.trainee_id {
        debug!(
            thread,
            author = message.author.id.get(),
            "not the trainee; ignored"
        );
        return Ok(());
    }
    let text = message.content.trim();
    if text.is_empty() || live.session.is_over() {
        return Ok(());
    }
    if data.store.seen(message.id.get()).await? {
        debug!(message = message.id.get(), "already answered");
        return Ok(());
    }

    let typing = message.channel_id.start_typing(&ctx.http);
    tokio::time::sleep(data.typing_delay()).await;
    let turn = live.session.respond(text);
    let stored = data
        .store
        .record_turn(
            live.stored.id,
            turn.turn,
            (text, message.id.get()),
            &turn.reply,
            now(),
        )
        .await;
    let reply_row = match stored {
        Ok(row) => row,
        Err(e) => {
            // The turn was played in memory but not stored: forget it, so the next message
            // rebuilds the session from what the store really holds.
            data.sessions.forget(thread);
            typing.stop();
            return Err(e.into());
        }
    };
    let sent = post(
        &ctx.http,
        message.channel_id,
        &customer_line(&live, &turn.reply),
    )
    .await;
    typing.stop();
    if let Some(sent) = sent? {
        data.store.mark_sent(reply_row, sent.get(), now()).await?;
    }
    if live.session.is_over() {
        finish(&ctx.http, data, &mut live).await?;
    }
    Ok(())
}

/// Ends a session: the debrief in the thread, the summary in the coaches' channel, the
/// outcome in the store.
pub async fn finish(http: &serenity::Http, data: &Data, live: &mut Live) -> Result<(), BotError> {
    let debrief = live.session.debrief();
    let thread = serenity::ChannelId::new(live.stored.thread_id);
    for embed in render::debrief_embeds(&debrief) {
        thread
            .send_message(http, serenity::CreateMessage::new().embed(embed))
            .await?;
    }
    let json = serde_json::to_string(&debrief).unwrap_or_default();
    data.store
        .end_session(live.stored.id, debrief.outcome, &json, now())
        .await?;
    data.sessions.forget(live.stored.thread_id);
    if let Some(coaches) = data.config.coach_channel {
        let link = format!(
            "https://discord.com/channels/{}/{}",
            live.stored.guild_id, live.stored.thread_id
        );
        let text = render::summary(&debrief, &live.stored.trainee, &link);
        if let Err(e) = post(http, serenity::ChannelId::new(coaches), &text).await {
            warn!(%e, "could not post the summary in the coaches' channel");
        }
    }
    info!(
        session = live.stored.id,
        outcome = debrief.outcome.as_str(),
        "session ended"
    );
    Ok(())
}
