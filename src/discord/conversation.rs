//! Running conversations. Every trainee message goes through one path, live or caught up
//! after downtime: into its session's inbox, answered in message order, the reply stored
//! before it is sent and marked once Discord has it. A message seen before is never
//! answered twice; a reply Discord never confirmed is sent again, unless it is already there.

use super::delivery::{post, post_embed_with, post_once, retrying};
use super::render;
use super::{BotError, Data};
use crate::debrief::Debrief;
use crate::engine::Session;
use crate::store::{Role, StoredSession};
use poise::serenity_prelude as serenity;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::{debug, error, info, warn};

const CHART_FILE: &str = "trust.png";
const BURST_SETTLE: std::time::Duration = std::time::Duration::from_millis(50);

/// An open session and the conversation rebuilt from its messages.
pub struct Live {
    pub stored: StoredSession,
    pub session: Session,
}

/// One session's place in memory: the conversation, and trainee messages waiting their turn.
pub struct Slot {
    pub trainee_id: u64,
    pub live: tokio::sync::Mutex<Live>,
    inbox: Mutex<BTreeMap<u64, String>>,
}

/// The open sessions in memory, by thread id. A session missing here is rebuilt from the
/// store on its next message, which is how sessions survive a restart.
#[derive(Default)]
pub struct Sessions {
    by_thread: Mutex<HashMap<u64, Arc<Slot>>>,
    /// Every thread with an open session, in memory or not, so that messages elsewhere cost
    /// no look-up in the store.
    open: Mutex<HashSet<u64>>,
    /// Threads whose last message could not be stored; caught up by the sweeper.
    behind: Mutex<HashSet<u64>>,
}

/// Poisoning only means another task panicked mid-update of a plain map; the map is fine.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sessions {
    fn get(&self, thread: u64) -> Option<Arc<Slot>> {
        lock(&self.by_thread).get(&thread).cloned()
    }

    /// Notes the threads of sessions that are open in the store (at start).
    pub fn remember(&self, threads: impl IntoIterator<Item = u64>) {
        lock(&self.open).extend(threads);
    }

    pub fn is_open(&self, thread: u64) -> bool {
        lock(&self.open).contains(&thread)
    }

    pub fn insert(&self, thread: u64, live: Live) -> Arc<Slot> {
        lock(&self.open).insert(thread);
        let slot = Arc::new(Slot {
            trainee_id: live.stored.trainee_id,
            live: tokio::sync::Mutex::new(live),
            inbox: Mutex::new(BTreeMap::new()),
        });
        Arc::clone(lock(&self.by_thread).entry(thread).or_insert(slot))
    }

    /// Drops the conversation from memory; the next message rebuilds it from the store.
    pub fn forget(&self, thread: u64) {
        lock(&self.by_thread).remove(&thread);
    }

    /// The session ended: its thread no longer drives a customer.
    fn close(&self, thread: u64) {
        self.forget(thread);
        lock(&self.open).remove(&thread);
    }

    fn fell_behind(&self, thread: u64) {
        lock(&self.behind).insert(thread);
    }

    fn take_behind(&self) -> Vec<u64> {
        lock(&self.behind).drain().collect()
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The session slot of a thread, rebuilt from the store when it is not in memory.
pub async fn slot(data: &Data, thread: u64) -> Result<Option<Arc<Slot>>, BotError> {
    if let Some(slot) = data.sessions.get(thread) {
        return Ok(Some(slot));
    }
    let Some(stored) = data.store.session_by_thread(thread).await? else {
        return Ok(None);
    };
    if !stored.open {
        return Ok(None);
    }
    let persona = data
        .personas()
        .get(&stored.persona)
        .cloned()
        .ok_or_else(|| BotError::MissingPersona(stored.persona.clone()))?;
    let messages = data.store.messages(stored.id).await?;
    let trainee = messages
        .iter()
        .filter(|m| m.role == Role::Trainee)
        .map(|m| m.content.as_str());
    let session = Session::replay(persona, stored.seed, Some(stored.difficulty), trainee);
    debug!(
        session = stored.id,
        turns = session.turns(),
        "session rebuilt from the store"
    );
    Ok(Some(data.sessions.insert(thread, Live { stored, session })))
}

/// The nonce key of a stored reply: Discord posts it once, however often it is sent.
fn reply_key(row: i64) -> String {
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
    lock(&slot.inbox).insert(message.id.get(), message.content.clone());
    drain(&ctx.http, data, &slot).await
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
async fn drain(http: &serenity::Http, data: &Data, slot: &Slot) -> Result<(), BotError> {
    let mut live = slot.live.lock().await;
    // Gateway events are handled concurrently; a moment's wait lets every message of a
    // burst reach the inbox before the oldest is taken.
    tokio::time::sleep(BURST_SETTLE).await;
    loop {
        let next = lock(&slot.inbox).pop_first();
        let Some((id, text)) = next else {
            return Ok(());
        };
        if let Err(e) = answer(http, data, &mut live, id, &text).await {
            lock(&slot.inbox).clear();
            return Err(e);
        }
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

/// Ends a session: the outcome and debrief in the store first, then the debrief in the
/// thread and the summary for the coaches, each posted once.
pub async fn finish(http: &serenity::Http, data: &Data, live: &mut Live) -> Result<(), BotError> {
    let mut debrief = live.session.debrief();
    let messages = data.store.messages(live.stored.id).await?;
    debrief.edited = messages
        .iter()
        .filter(|m| m.role == Role::Trainee && m.edited)
        .map(|m| m.turn)
        .collect();
    let json = serde_json::to_string(&debrief)?;
    let _posting = data.posting.lock().await;
    data.store
        .end_session(live.stored.id, debrief.outcome, &json, now())
        .await?;
    data.sessions.close(live.stored.thread_id);
    info!(
        session = live.stored.id,
        outcome = debrief.outcome.as_str(),
        "session ended"
    );
    post_debrief(http, data, &live.stored, &debrief).await
}

async fn post_debrief(
    http: &serenity::Http,
    data: &Data,
    stored: &StoredSession,
    debrief: &Debrief,
) -> Result<(), BotError> {
    let thread = serenity::ChannelId::new(stored.thread_id);
    let chart = crate::chart::trust_png(debrief);
    for (i, embed) in render::debrief_embeds(debrief).into_iter().enumerate() {
        // The trust picture shows inside the debrief's first embed.
        let picture = (i == 0).then_some((CHART_FILE, chart.as_slice()));
        if let Err(e) = post_embed_with(http, thread, embed, picture).await {
            if gone(&e) {
                warn!(
                    session = stored.id,
                    "the thread is gone; the debrief goes to the coaches only"
                );
                break;
            }
            return Err(e);
        }
    }
    data.store.mark_debrief_posted(stored.id, now()).await?;
    if let Some(coaches) = data.config.discord.coach_channel {
        let link = format!(
            "https://discord.com/channels/{}/{}",
            stored.guild_id, stored.thread_id
        );
        let text = render::summary(debrief, &stored.trainee, &link);
        if let Err(e) = post(http, serenity::ChannelId::new(coaches), &text).await {
            warn!(%e, "could not post the summary in the coaches' channel");
        }
    }
    Ok(())
}

/// Discord says the channel or member is no longer there (or the thread is locked).
fn gone(error: &BotError) -> bool {
    let BotError::Discord(e) = error else {
        return false;
    };
    match e.as_ref() {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) => {
            matches!(r.status_code.as_u16(), 403 | 404)
        }
        _ => false,
    }
}

/// Brings every open session up to date after a (re)connect: replies Discord never
/// confirmed, messages that arrived while the bot was away, sessions that can no longer go
/// on, and debriefs still to post.
pub async fn catch_up_all(http: &serenity::Http, data: &Data) {
    match data.store.open_sessions().await {
        Ok(sessions) => {
            for stored in sessions {
                if let Err(e) = catch_up(http, data, stored.thread_id).await {
                    warn!(thread = stored.thread_id, error = %e, "catch-up failed; trying again at the next sweep");
                    data.sessions.fell_behind(stored.thread_id);
                }
            }
        }
        Err(e) => error!(error = %e, "cannot read the open sessions"),
    }
    post_pending_debriefs(http, data).await;
}

async fn post_pending_debriefs(http: &serenity::Http, data: &Data) {
    let _posting = data.posting.lock().await;
    let pending = match data.store.debriefs_to_post().await {
        Ok(pending) => pending,
        Err(e) => return error!(error = %e, "cannot read the debriefs to post"),
    };
    for (stored, json) in pending {
        match serde_json::from_str::<Debrief>(&json) {
            Ok(debrief) => {
                if let Err(e) = post_debrief(http, data, &stored, &debrief).await {
                    warn!(session = stored.id, error = %e, "debrief not posted yet");
                }
            }
            Err(e) => error!(session = stored.id, error = %e, "stored debrief unreadable"),
        }
    }
}

/// One session: is it still possible, what did Discord never confirm, what was missed.
pub async fn catch_up(http: &serenity::Http, data: &Data, thread: u64) -> Result<(), BotError> {
    let Some(slot) = slot(data, thread).await? else {
        return Ok(());
    };
    let channel = serenity::ChannelId::new(thread);
    let session_id = {
        let mut live = slot.live.lock().await;
        if !still_possible(http, &live.stored).await? {
            info!(
                session = live.stored.id,
                "thread or trainee gone; ending the session"
            );
            live.session.end();
            return finish(http, data, &mut live).await;
        }
        resend_unconfirmed(http, data, &live).await?;
        live.stored.id
    };

    let messages = data.store.messages(session_id).await?;
    let mut after = last_known(&messages, thread);
    loop {
        let page = messages_after(http, channel, after).await?;
        let Some(newest) = page.iter().map(|m| m.id.get()).max() else {
            break;
        };
        let mut inbox = lock(&slot.inbox);
        for m in page
            .iter()
            .filter(|m| m.author.id.get() == slot.trainee_id && !m.author.bot)
        {
            inbox.insert(m.id.get(), m.content.clone());
        }
        drop(inbox);
        after = newest;
    }
    drain(http, data, &slot).await
}

/// The newest Discord id among stored messages: where reading the thread resumes.
fn last_known(messages: &[crate::store::StoredMessage], thread: u64) -> u64 {
    messages
        .iter()
        .filter_map(|m| m.discord_id)
        .max()
        .unwrap_or(thread)
}

/// Up to 100 messages of a channel after `after`.
async fn messages_after(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    after: u64,
) -> Result<Vec<serenity::Message>, BotError> {
    retrying("read a thread", || async {
        let page = serenity::GetMessages::new()
            .after(serenity::MessageId::new(after))
            .limit(100);
        Ok(channel.messages(http, page).await?)
    })
    .await
}

/// False when the thread was deleted or archived, or the trainee left the server.
async fn still_possible(http: &serenity::Http, stored: &StoredSession) -> Result<bool, BotError> {
    let channel = retrying("look up a session thread", || async {
        Ok(serenity::ChannelId::new(stored.thread_id)
            .to_channel(http)
            .await?)
    })
    .await;
    match channel {
        Ok(serenity::Channel::Guild(thread)) => {
            if thread
                .thread_metadata
                .is_some_and(|m| m.archived || m.locked)
            {
                return Ok(false);
            }
        }
        Ok(_) => return Ok(false),
        Err(e) if gone(&e) => return Ok(false),
        Err(e) => return Err(e),
    }
    let guild = serenity::GuildId::new(stored.guild_id);
    let member = retrying("look up the trainee", || async {
        Ok(guild
            .member(http, serenity::UserId::new(stored.trainee_id))
            .await?)
    })
    .await;
    match member {
        Ok(_) => Ok(true),
        Err(e) if gone(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Sends the stored replies Discord never confirmed, unless they are in the thread already
/// (the bot stopped after Discord took a reply but before it could note so).
async fn resend_unconfirmed(
    http: &serenity::Http,
    data: &Data,
    live: &Live,
) -> Result<(), BotError> {
    let messages = data.store.messages(live.stored.id).await?;
    let channel = serenity::ChannelId::new(live.stored.thread_id);
    for (i, reply) in messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == Role::Customer && !m.sent)
    {
        let text = customer_line(live, &reply.content);
        let recent = messages_after(
            http,
            channel,
            last_known(&messages[..i], live.stored.thread_id),
        )
        .await?;
        let already = recent
            .iter()
            .find(|m| m.author.bot && m.content == text)
            .map(|m| m.id);
        let sent = match already {
            Some(id) => Some(id),
            None => post_once(http, channel, &text, &reply_key(reply.id)).await?,
        };
        if let Some(id) = sent {
            data.store.mark_sent(reply.id, id.get(), now()).await?;
        }
    }
    Ok(())
}

/// What the sweeper does every `sweep_seconds`: catch up sessions that fell behind, resend
/// what Discord has not confirmed, and let idle sessions go.
pub async fn sweep(http: &serenity::Http, data: &Data) {
    for thread in data.sessions.take_behind() {
        if let Err(e) = catch_up(http, data, thread).await {
            warn!(thread, error = %e, "still behind");
            data.sessions.fell_behind(thread);
        }
    }
    let sessions = match data.store.open_sessions().await {
        Ok(sessions) => sessions,
        Err(e) => return error!(error = %e, "cannot read the open sessions"),
    };
    let unsent: HashSet<u64> = match data.store.threads_with_unsent_replies().await {
        Ok(threads) => threads.into_iter().collect(),
        Err(e) => return error!(error = %e, "cannot read the replies to resend"),
    };
    let idle_after = (data.config.sessions.idle_hours * 3600.0) as i64;
    // Only sessions with something to do are brought into memory.
    for stored in sessions {
        let idle = now() - stored.updated_at >= idle_after;
        let resend = unsent.contains(&stored.thread_id);
        if !idle && !resend {
            continue;
        }
        let Ok(Some(slot)) = slot(data, stored.thread_id).await else {
            continue;
        };
        let mut live = slot.live.lock().await;
        if resend && let Err(e) = resend_unconfirmed(http, data, &live).await {
            warn!(thread = stored.thread_id, error = %e, "reply still not delivered");
            continue;
        }
        if idle && let Err(e) = expire(http, data, &mut live).await {
            warn!(thread = stored.thread_id, error = %e, "could not end an idle session");
        }
    }
    post_pending_debriefs(http, data).await;
    super::commands::close_due_rounds(http, data).await;
}

async fn expire(http: &serenity::Http, data: &Data, live: &mut Live) -> Result<(), BotError> {
    let Some(line) = live.session.expire() else {
        return Ok(());
    };
    last_word(http, data, live, &line).await?;
    finish(http, data, live).await
}

/// The customer's last line of a session (a goodbye, leaving an idle talk): stored first, so
/// the transcript and exports have it, then posted once.
pub(crate) async fn last_word(
    http: &serenity::Http,
    data: &Data,
    live: &Live,
    line: &str,
) -> Result<(), BotError> {
    let row = data
        .store
        .record_customer(live.stored.id, live.session.turns(), line, now())
        .await?;
    let thread = serenity::ChannelId::new(live.stored.thread_id);
    if let Ok(Some(id)) = post_once(http, thread, &customer_line(live, line), &reply_key(row)).await
    {
        data.store.mark_sent(row, id.get(), now()).await?;
    }
    Ok(())
}
