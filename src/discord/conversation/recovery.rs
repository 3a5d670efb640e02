//! Catching up after downtime and the sweeper's rounds: replies Discord never confirmed,
//! messages that came while the bot was away, sessions that can no longer go on or sat
//! idle. Every path ends in the session's inbox, so each message is answered once.

use super::ending::{expire, finish, gone, post_pending_debriefs};
use super::registry::{Live, lock, slot};
use super::turn::{customer_line, drain, reply_key};
use crate::discord::clock::now;
use crate::discord::delivery::{post_once, retrying};
use crate::discord::{BotError, Data};
use crate::store::{Role, StoredSession};
use futures_util::StreamExt;
use poise::serenity_prelude as serenity;
use std::collections::HashSet;
use tracing::{error, info, warn};

/// Brings every open session up to date after a (re)connect: replies Discord never
/// confirmed, messages that arrived while the bot was away, sessions that can no longer go
/// on, and debriefs still to post.
pub async fn catch_up_all(http: &serenity::Http, data: &Data) {
    match data.store.open_sessions().await {
        Ok(mut sessions) => {
            sessions.retain(|s| data.owns(s.guild_id));
            // The conversations going on when the bot stopped first: a trainee mid-session
            // waits least, an idle one from last week can wait longest.
            sessions.sort_by_key(|s| std::cmp::Reverse(s.updated_at));
            futures_util::stream::iter(sessions)
                .for_each_concurrent(CATCHING_UP_AT_ONCE, |stored| async move {
                    if let Err(e) = catch_up(http, data, stored.thread_id).await {
                        warn!(thread = stored.thread_id, error = %e, "catch-up failed; trying again at the next sweep");
                        data.sessions.fell_behind(stored.thread_id);
                    }
                })
                .await;
        }
        Err(e) => error!(error = %e, "cannot read the open sessions"),
    }
    post_pending_debriefs(http, data).await;
}

/// Sessions caught up side by side after a (re)connect: each is a few requests that mostly
/// wait on Discord, and serenity's rate limiter keeps the pace Discord allows.
const CATCHING_UP_AT_ONCE: usize = 8;

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
            inbox.add(m.id.get(), &m.content);
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

/// The sessions' part of the sweeper's round: catch up sessions that fell behind, resend
/// what Discord has not confirmed, let idle sessions go, post debriefs still to post.
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
    for stored in sessions.into_iter().filter(|s| data.owns(s.guild_id)) {
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
}
