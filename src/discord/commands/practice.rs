use super::{DifficultyChoice, autocomplete_persona, new_seed};
use crate::discord::opening::{self, Opening};
use crate::discord::text::{Say, say_with};
use crate::discord::{BotError, Context, checks};
use crate::persona::{Difficulty, Persona};
use std::sync::Arc;

/// The persona asked for, or one picked by the seed; a clear error for a wrong or broken id.
pub fn choose(ctx: Context<'_>, id: Option<&str>, seed: u64) -> Result<Arc<Persona>, BotError> {
    let report = ctx.data().personas();
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
    Err(BotError::User(say_with(
        ctx.locale(),
        what,
        &[("id", id.to_string()), ("available", report.ids())],
    )))
}

/// Start a practice conversation with a sceptical customer
#[poise::command(slash_command, guild_only)]
pub async fn practice(
    ctx: Context<'_>,
    #[description = "Who to practise with (leave out for a surprise)"]
    #[autocomplete = "autocomplete_persona"]
    persona: Option<String>,
    #[description = "How sceptical the customer is"] difficulty: Option<DifficultyChoice>,
) -> Result<(), BotError> {
    checks::practice_channel(ctx)?;
    checks::no_open_session(ctx, ctx.author().id.get()).await?;
    let seed = new_seed();
    let persona = choose(ctx, persona.as_deref(), seed)?;
    ctx.defer_ephemeral().await?;
    let thread = opening::open(
        ctx.http(),
        ctx.data(),
        Opening {
            guild: ctx.guild_id().map(|g| g.get()).unwrap_or_default(),
            channel: ctx.channel_id(),
            trainee: ctx.author(),
            persona,
            seed,
            difficulty: difficulty.map(Difficulty::from),
            round: None,
        },
    )
    .await?;
    let ready = say_with(
        ctx.locale(),
        Say::Ready,
        &[("thread", format!("<#{thread}>"))],
    );
    ctx.send(poise::CreateReply::default().content(ready).ephemeral(true))
        .await?;
    Ok(())
}
