use crate::discord::conversation::{Live, customer_line, now};
use crate::discord::delivery::{post, post_embed};
use crate::discord::text::{Say, say_with};
use crate::discord::{BotError, Context, checks};
use crate::engine::Session;
use crate::persona::{Difficulty, Persona};
use crate::store::NewSession;
use poise::serenity_prelude as serenity;
use rand::TryRngCore;
use rand::rngs::OsRng;
use std::sync::Arc;
use tracing::warn;

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DifficultyChoice {
    #[name = "easy"]
    #[name_localized("nl", "makkelijk")]
    Easy,
    #[name = "normal"]
    #[name_localized("nl", "normaal")]
    Normal,
    #[name = "hard"]
    #[name_localized("nl", "moeilijk")]
    Hard,
}

impl From<DifficultyChoice> for Difficulty {
    fn from(choice: DifficultyChoice) -> Self {
        match choice {
            DifficultyChoice::Easy => Difficulty::Easy,
            DifficultyChoice::Normal => Difficulty::Normal,
            DifficultyChoice::Hard => Difficulty::Hard,
        }
    }
}

async fn autocomplete_persona(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let choices = ctx
        .data()
        .personas
        .personas
        .iter()
        .filter(|p| p.id.contains(&partial) || p.name.to_lowercase().contains(&partial))
        .take(25)
        .map(|p| {
            serenity::AutocompleteChoice::new(
                format!("{} ({}, {})", p.name, p.role, p.language),
                p.id.clone(),
            )
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

fn choose(ctx: Context<'_>, id: Option<&str>, seed: u64) -> Result<Arc<Persona>, BotError> {
    let report = &ctx.data().personas;
    let Some(id) = id else {
        let pick = (seed % report.personas.len().max(1) as u64) as usize;
        return report
            .personas
            .get(pick)
            .cloned()
            .ok_or_else(|| BotError::User(say_with(ctx.locale(), Say::NoPersonas, &[])));
    };
    if let Some(p) = report.get(id) {
        return Ok(Arc::clone(p));
    }
    let what = if report.errors_for(id).is_empty() {
        Say::UnknownPersona
    } else {
        Say::InvalidPersona
    };
    let available = report.ids();
    Err(BotError::User(say_with(
        ctx.locale(),
        what,
        &[("id", id.to_string()), ("available", available)],
    )))
}

/// Start a practice conversation with a sceptical customer
#[poise::command(
    slash_command,
    guild_only,
    name_localized("nl", "oefenen"),
    description_localized("nl", "Start een oefengesprek met een sceptische klant")
)]
pub async fn practice(
    ctx: Context<'_>,
    #[description = "Who to practise with (leave out for a surprise)"]
    #[description_localized("nl", "Met wie je oefent (leeg voor een verrassing)")]
    #[name_localized("nl", "klant")]
    #[autocomplete = "autocomplete_persona"]
    persona: Option<String>,
    #[description = "How sceptical the customer is"]
    #[description_localized("nl", "Hoe sceptisch de klant is")]
    #[name_localized("nl", "moeilijkheid")]
    difficulty: Option<DifficultyChoice>,
) -> Result<(), BotError> {
    checks::practice_channel(ctx)?;
    let data = ctx.data();
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    let trainee = ctx.author();
    if let Some(open) = data.store.open_session_of(guild, trainee.id.get()).await? {
        let thread = format!("<#{}>", open.thread_id);
        return Err(BotError::User(say_with(
            ctx.locale(),
            Say::AlreadyOpen,
            &[("thread", thread)],
        )));
    }
    let seed = OsRng
        .try_next_u64()
        .map_or_else(|_| now() as u64, |s| s >> 12);
    let persona = choose(ctx, persona.as_deref(), seed)?;
    ctx.defer_ephemeral().await?;

    let session = Session::new(Arc::clone(&persona), seed, difficulty.map(Difficulty::from));
    let name = format!("{} · {}", persona.name, trainee.display_name());
    let thread = open_thread(ctx, &name, trainee.id).await?;
    let stored = data
        .store
        .create_session(
            &NewSession {
                guild_id: guild,
                channel_id: ctx.channel_id().get(),
                thread_id: thread.get(),
                trainee_id: trainee.id.get(),
                trainee: trainee.display_name().to_string(),
                persona: persona.id.clone(),
                seed,
                difficulty: session.difficulty(),
            },
            session.opening(),
            now(),
        )
        .await?;

    let briefing = serenity::CreateEmbed::new()
        .title(format!("{} · {}", persona.name, persona.role))
        .description(format!("{}\n\n{}", persona.company, persona.briefing))
        .field("Offer", persona.offer.clone(), false)
        .footer(serenity::CreateEmbedFooter::new(format!(
            "{} · seed {seed} · /end",
            session.difficulty()
        )));
    post_embed(ctx.http(), thread, briefing).await?;
    let live = Live { stored, session };
    let opening = post(
        ctx.http(),
        thread,
        &customer_line(&live, live.session.opening()),
    )
    .await?;
    if let (Some(sent), Some(row)) = (opening, data.store.messages(live.stored.id).await?.first()) {
        data.store.mark_sent(row.id, sent.get(), now()).await?;
    }
    data.sessions.insert(thread.get(), live);

    let ready = say_with(
        ctx.locale(),
        Say::Ready,
        &[("thread", format!("<#{thread}>"))],
    );
    ctx.send(poise::CreateReply::default().content(ready).ephemeral(true))
        .await?;
    Ok(())
}

/// A private thread where configured and allowed, else a public one.
async fn open_thread(
    ctx: Context<'_>,
    name: &str,
    trainee: serenity::UserId,
) -> Result<serenity::ChannelId, BotError> {
    let channel = ctx.channel_id();
    let create = |kind| {
        serenity::CreateThread::new(name.chars().take(100).collect::<String>())
            .kind(kind)
            .auto_archive_duration(serenity::AutoArchiveDuration::OneWeek)
    };
    if ctx.data().config.discord.private_threads {
        match channel
            .create_thread(
                ctx.http(),
                create(serenity::ChannelType::PrivateThread).invitable(false),
            )
            .await
        {
            Ok(thread) => {
                thread.id.add_thread_member(ctx.http(), trainee).await?;
                return Ok(thread.id);
            }
            Err(e) => warn!(%e, "private thread refused; opening a public one"),
        }
    }
    let thread = channel
        .create_thread(ctx.http(), create(serenity::ChannelType::PublicThread))
        .await?;
    Ok(thread.id)
}
