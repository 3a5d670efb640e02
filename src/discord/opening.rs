//! Opening a session: the thread, the briefing, the customer's first line, the store. Used
//! by `/practice` and by a round's "Start my session" button.

use super::clock::now;
use super::conversation::{Live, customer_line};
use super::delivery::{post, post_embed};
use super::{BotError, Data};
use crate::engine::Session;
use crate::persona::{Difficulty, Persona};
use crate::store::NewSession;
use poise::serenity_prelude as serenity;
use std::sync::Arc;
use tracing::warn;

pub struct Opening<'a> {
    pub guild: u64,
    pub channel: serenity::ChannelId,
    pub trainee: &'a serenity::User,
    pub persona: Arc<Persona>,
    pub seed: u64,
    pub difficulty: Option<Difficulty>,
    pub round: Option<i64>,
}

/// Opens the session's thread and returns it.
pub async fn open(
    http: &serenity::Http,
    data: &Data,
    o: Opening<'_>,
) -> Result<serenity::ChannelId, BotError> {
    let session = Session::new(Arc::clone(&o.persona), o.seed, o.difficulty);
    let name = format!("{} · {}", o.persona.name, o.trainee.display_name());
    let thread = open_thread(http, data, o.channel, &name, o.trainee.id).await?;
    let stored = data
        .store
        .create_session(
            &NewSession {
                guild_id: o.guild,
                channel_id: o.channel.get(),
                thread_id: thread.get(),
                trainee_id: o.trainee.id.get(),
                trainee: o.trainee.display_name().to_string(),
                persona: o.persona.id.clone(),
                seed: o.seed,
                difficulty: session.difficulty(),
                round: o.round,
            },
            session.opening(),
            now(),
        )
        .await?;

    let p = &o.persona;
    let briefing = serenity::CreateEmbed::new()
        .title(format!("{} · {}", p.name, p.role))
        .description(format!("{}\n\n{}", p.company, p.briefing))
        .field(p.lexicon().debrief.offer.clone(), p.offer.clone(), false)
        .footer(serenity::CreateEmbedFooter::new(crate::debrief::fill(
            &p.lexicon().session.footer,
            &[
                (
                    "difficulty",
                    p.lexicon()
                        .difficulty_name(session.difficulty())
                        .to_string(),
                ),
                ("seed", o.seed.to_string()),
            ],
        )));
    // In memory before anything is posted, and locked while the opening goes out: a trainee
    // who types the moment the thread appears waits in the inbox instead of going unheard.
    let slot = data
        .sessions
        .insert(thread.get(), Live { stored, session }, 0);
    let live = slot.live.lock().await;
    post_embed(http, thread, briefing).await?;
    let opening = post(http, thread, &customer_line(&live, live.session.opening())).await?;
    if let (Some(sent), Some(row)) = (opening, data.store.messages(live.stored.id).await?.first()) {
        data.store.mark_sent(row.id, sent.get(), now()).await?;
    }
    Ok(thread)
}

/// A private thread where configured and allowed, else a public one.
async fn open_thread(
    http: &serenity::Http,
    data: &Data,
    channel: serenity::ChannelId,
    name: &str,
    trainee: serenity::UserId,
) -> Result<serenity::ChannelId, BotError> {
    let create = |kind| {
        serenity::CreateThread::new(name.chars().take(100).collect::<String>())
            .kind(kind)
            .auto_archive_duration(serenity::AutoArchiveDuration::OneWeek)
    };
    if data.config.discord.private_threads {
        let private = create(serenity::ChannelType::PrivateThread).invitable(false);
        match channel.create_thread(http, private).await {
            Ok(thread) => {
                thread.id.add_thread_member(http, trainee).await?;
                return Ok(thread.id);
            }
            Err(e) => warn!(%e, "private thread refused; opening a public one"),
        }
    }
    let thread = channel
        .create_thread(http, create(serenity::ChannelType::PublicThread))
        .await?;
    Ok(thread.id)
}
