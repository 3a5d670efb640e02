//! Practice rounds: one customer (persona, seed, difficulty) for every trainee who presses
//! the button, until the deadline; then a summary that compares everyone.

use super::{DifficultyChoice, autocomplete_persona, new_seed};
use crate::discord::clock::now;
use crate::discord::delivery::post;
use crate::discord::opening::{self, Opening};
use crate::discord::text::{Say, say, say_with};
use crate::discord::{BotError, Context, Data, checks};
use crate::persona::Difficulty;
use crate::report::round_summary;
use crate::store::{NewRound, Round, SessionFilter};
use poise::serenity_prelude as serenity;
use tracing::warn;

const BUTTON_PREFIX: &str = "sceptic-round:";

/// Practice rounds: everyone meets the same customer (coaches)
#[poise::command(
    slash_command,
    guild_only,
    subcommands("start", "status", "close"),
    subcommand_required
)]
pub async fn round(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// "48h", "3d", "90m", "1d12h" as seconds.
pub fn parse_deadline(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in text.trim().to_lowercase().chars() {
        match c {
            '0'..='9' => number.push(c),
            'd' | 'h' | 'm' | 'u' | 's' => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                let unit = match c {
                    'd' => 86_400,
                    'h' | 'u' => 3_600,
                    'm' => 60,
                    _ => 1,
                };
                total = total.checked_add(n.checked_mul(unit)?)?;
            }
            ' ' => {}
            _ => return None,
        }
    }
    (number.is_empty() && total > 0).then_some(total)
}

/// Start a round in this channel with a "Start my session" button
#[poise::command(slash_command, guild_only)]
async fn start(
    ctx: Context<'_>,
    #[description = "The customer everyone meets"]
    #[autocomplete = "autocomplete_persona"]
    persona: String,
    #[description = "How long the round runs: 48h, 3d, 1d12h"] deadline: String,
    #[description = "How sceptical the customer is"] difficulty: Option<DifficultyChoice>,
    #[description = "Seed, to meet exactly the customer of an earlier round"] seed: Option<u64>,
) -> Result<(), BotError> {
    checks::coach(ctx).await?;
    let data = ctx.data();
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    let seconds = parse_deadline(&deadline).ok_or_else(|| {
        BotError::User(say_with(
            ctx.locale(),
            Say::BadDeadline,
            &[("deadline", deadline.clone())],
        ))
    })?;
    if data
        .store
        .open_round_in(guild, ctx.channel_id().get())
        .await?
        .is_some()
    {
        return Err(BotError::User(
            say(ctx.locale(), Say::RoundOpen).to_string(),
        ));
    }
    let seed = seed.unwrap_or_else(new_seed);
    let chosen = super::practice::choose(ctx, Some(&persona), seed)?;
    let difficulty = difficulty
        .map(Difficulty::from)
        .unwrap_or(chosen.difficulty);
    let round = data
        .store
        .create_round(
            &NewRound {
                guild_id: guild,
                channel_id: ctx.channel_id().get(),
                coach_id: ctx.author().id.get(),
                persona: chosen.id.clone(),
                seed,
                difficulty,
                deadline: now() + seconds,
            },
            now(),
        )
        .await?;
    // The announcement speaks the customer's language, as the sessions will.
    let lexicon = chosen.lexicon();
    let values = [
        ("name", chosen.name.clone()),
        ("role", chosen.role.clone()),
        ("briefing", chosen.briefing.clone()),
        (
            "difficulty",
            lexicon.difficulty_name(difficulty).to_string(),
        ),
        ("deadline", format!("<t:{}:R>", round.deadline)),
    ];
    let w = &lexicon.session;
    let announcement = serenity::CreateMessage::new()
        .embed(
            serenity::CreateEmbed::new()
                .title(crate::debrief::fill(&w.round_title, &values))
                .description(crate::debrief::fill(&w.round_description, &values)),
        )
        .button(
            serenity::CreateButton::new(format!("{BUTTON_PREFIX}{}", round.id))
                .label(w.round_button.clone())
                .style(serenity::ButtonStyle::Primary),
        );
    let message = ctx
        .channel_id()
        .send_message(ctx.http(), announcement)
        .await?;
    data.store
        .set_round_message(round.id, message.id.get())
        .await?;
    let text = say_with(
        ctx.locale(),
        Say::RoundStarted,
        &[("deadline", format!("<t:{}:R>", round.deadline))],
    );
    ctx.send(poise::CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}

/// Who started, who finished and how
#[poise::command(slash_command, guild_only)]
async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    checks::coach(ctx).await?;
    let round = current_round(ctx).await?;
    let text = summary_text(ctx.data(), &round).await?;
    super::reply_private(ctx, &text).await?;
    Ok(())
}

/// Close the round now and post its summary for the coaches
#[poise::command(slash_command, guild_only)]
async fn close(ctx: Context<'_>) -> Result<(), BotError> {
    checks::coach(ctx).await?;
    let round = current_round(ctx).await?;
    ctx.defer_ephemeral().await?;
    close_round(ctx.http(), ctx.data(), &round).await?;
    ctx.send(
        poise::CreateReply::default()
            .content(say(ctx.locale(), Say::RoundClosed))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

async fn current_round(ctx: Context<'_>) -> Result<Round, BotError> {
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    ctx.data()
        .store
        .open_round_in(guild, ctx.channel_id().get())
        .await?
        .ok_or_else(|| BotError::User(say(ctx.locale(), Say::NoRound).to_string()))
}

async fn summary_text(data: &Data, round: &Round) -> Result<String, BotError> {
    let filter = SessionFilter {
        round: Some(round.id),
        ..SessionFilter::default()
    };
    let records = data.store.list_sessions(&filter).await?;
    let persona = data.personas().get(&round.persona).cloned();
    let name = persona
        .as_ref()
        .map_or(round.persona.clone(), |p| p.name.clone());
    // The round speaks the customer's language; English if the persona is gone.
    let words = persona
        .map(|p| p.lexicon())
        .or_else(|| crate::lexicon::get("en"))
        .ok_or_else(|| BotError::MissingPersona(round.persona.clone()))?;
    Ok(round_summary(words, round, &name, &records))
}

/// Closes a round and posts its summary in the coaches' channel (or the round's channel).
pub async fn close_round(
    http: &serenity::Http,
    data: &Data,
    round: &Round,
) -> Result<(), BotError> {
    data.store.close_round(round.id, now()).await?;
    let text = summary_text(data, round).await?;
    let channel = data
        .config
        .discord
        .coach_channel
        .unwrap_or(round.channel_id);
    post(http, serenity::ChannelId::new(channel), &text).await?;
    Ok(())
}

/// Rounds past their deadline close by themselves.
pub async fn close_due_rounds(http: &serenity::Http, data: &Data) {
    match data.store.rounds_due(now()).await {
        Ok(rounds) => {
            for round in rounds.iter().filter(|r| data.owns(r.guild_id)) {
                if let Err(e) = close_round(http, data, round).await {
                    warn!(round = round.id, error = %e, "could not close a round");
                }
            }
        }
        Err(e) => warn!(error = %e, "cannot read the rounds"),
    }
}

/// "Start my session" on a round's announcement.
pub async fn on_button(
    ctx: &serenity::Context,
    data: &Data,
    press: &serenity::ComponentInteraction,
) -> Result<(), BotError> {
    let Some(round) = press
        .data
        .custom_id
        .strip_prefix(BUTTON_PREFIX)
        .and_then(|id| id.parse().ok())
    else {
        return Ok(());
    };
    let locale = Some(press.locale.as_str());
    let refuse = |text: String| async move {
        let message = serenity::CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true);
        press
            .create_response(
                &ctx.http,
                serenity::CreateInteractionResponse::Message(message),
            )
            .await
    };
    let Some(round) = data.store.round(round).await? else {
        return Ok(());
    };
    if round.closed_at.is_some() {
        refuse(say(locale, Say::RoundClosed).to_string()).await?;
        return Ok(());
    }
    let trainee = press.user.id.get();
    if let Some(open) = data.store.open_session_of(round.guild_id, trainee).await? {
        refuse(say_with(
            locale,
            Say::AlreadyOpen,
            &[("thread", format!("<#{}>", open.thread_id))],
        ))
        .await?;
        return Ok(());
    }
    let mine = SessionFilter {
        round: Some(round.id),
        trainee_id: Some(trainee),
        ..SessionFilter::default()
    };
    if let Some(done) = data.store.list_sessions(&mine).await?.first() {
        let thread = format!("<#{}>", done.session.thread_id);
        refuse(say_with(locale, Say::AlreadyInRound, &[("thread", thread)])).await?;
        return Ok(());
    }
    let Some(persona) = data.personas().get(&round.persona).cloned() else {
        refuse(say_with(
            locale,
            Say::InvalidPersona,
            &[("id", round.persona.clone())],
        ))
        .await?;
        return Ok(());
    };
    press.defer_ephemeral(&ctx.http).await?;
    let thread = opening::open(
        &ctx.http,
        data,
        Opening {
            guild: round.guild_id,
            channel: serenity::ChannelId::new(round.channel_id),
            trainee: &press.user,
            persona,
            seed: round.seed,
            difficulty: Some(round.difficulty),
            round: Some(round.id),
        },
    )
    .await?;
    let ready = say_with(locale, Say::Ready, &[("thread", format!("<#{thread}>"))]);
    press
        .create_followup(
            &ctx.http,
            serenity::CreateInteractionResponseFollowup::new()
                .content(ready)
                .ephemeral(true),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_deadline;

    #[test]
    fn deadlines_read_as_coaches_write_them() {
        assert_eq!(parse_deadline("48h"), Some(48 * 3600));
        assert_eq!(parse_deadline("3d"), Some(3 * 86_400));
        assert_eq!(parse_deadline("1d 12h"), Some(36 * 3600));
        assert_eq!(parse_deadline("90m"), Some(90 * 60));
        assert_eq!(parse_deadline("48"), None);
        assert_eq!(parse_deadline("tomorrow"), None);
        assert_eq!(parse_deadline("0h"), None);
    }
}
