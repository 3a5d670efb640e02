//! A session ended: the customer's last word, the debrief stored and then posted in the
//! thread with its trust picture, and the coaches' summary, each posted once.

use super::registry::Live;
use super::turn::{customer_line, reply_key};
use crate::debrief::Debrief;
use crate::discord::clock::now;
use crate::discord::delivery::{post, post_embed_with, post_once};
use crate::discord::{BotError, Data, render};
use crate::store::{Role, StoredSession};
use poise::serenity_prelude as serenity;
use tracing::{error, info, warn};

const CHART_FILE: &str = "trust.png";

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
    let _posting = data.posting.lock().await;
    data.store
        .end_session(live.stored.id, &debrief, now())
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
        let text = render::clip(
            &crate::report::summary(debrief, &stored.trainee, &stored.thread_link()),
            render::MESSAGE_LIMIT,
        );
        if let Err(e) = post(http, serenity::ChannelId::new(coaches), &text).await {
            warn!(%e, "could not post the summary in the coaches' channel");
        }
    }
    Ok(())
}

pub(super) async fn post_pending_debriefs(http: &serenity::Http, data: &Data) {
    let _posting = data.posting.lock().await;
    let pending = match data.store.debriefs_to_post().await {
        Ok(pending) => pending,
        Err(e) => return error!(error = %e, "cannot read the debriefs to post"),
    };
    for (stored, debrief) in pending.into_iter().filter(|(s, _)| data.owns(s.guild_id)) {
        match debrief {
            Ok(debrief) => {
                if let Err(e) = post_debrief(http, data, &stored, &debrief).await {
                    warn!(session = stored.id, error = %e, "debrief not posted yet");
                }
            }
            Err(e) => error!(error = %e, "a debrief cannot be posted"),
        }
    }
}

/// Discord says the channel or member is no longer there (or the thread is locked).
pub(super) fn gone(error: &BotError) -> bool {
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

pub(super) async fn expire(
    http: &serenity::Http,
    data: &Data,
    live: &mut Live,
) -> Result<(), BotError> {
    let Some(line) = live.session.expire() else {
        return Ok(());
    };
    last_word(http, data, live, &line).await?;
    finish(http, data, live).await
}

/// The customer's last line of a session (a goodbye, leaving an idle talk): stored first, so
/// the transcript and exports have it, then posted once.
pub async fn last_word(
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
