use crate::discord::text::{Say, say};
use crate::discord::{BotError, Context};
use crate::terminal::TerminalError;
use poise::serenity_prelude as serenity;

/// List the customers you can practise with
#[poise::command(slash_command)]
pub async fn personas(ctx: Context<'_>) -> Result<(), BotError> {
    let report = ctx.data().personas();
    let personas = &report.personas;
    if personas.is_empty() {
        return Err(BotError::User(
            say(ctx.locale(), Say::NoPersonas).to_string(),
        ));
    }
    let mut embed = serenity::CreateEmbed::new().title("sceptic");
    for p in personas.iter().take(25) {
        embed = embed.field(
            format!("{} · `{}`", p.name, p.id),
            format!(
                "{}, {}\n{} · {}",
                p.role, p.company, p.language, p.difficulty
            ),
            false,
        );
    }
    ctx.send(poise::CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// Personas in full, for coaches
#[poise::command(
    slash_command,
    guild_only,
    subcommands("show", "reload"),
    subcommand_required
)]
pub async fn persona(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Show a persona with its whole doubt pool (only you see it)
#[poise::command(slash_command, guild_only)]
async fn show(
    ctx: Context<'_>,
    #[description = "Persona id"]
    #[autocomplete = "super::autocomplete_persona"]
    id: String,
) -> Result<(), BotError> {
    crate::discord::checks::coach(ctx).await?;
    let report = ctx.data().personas();
    let mut text = Vec::new();
    // An unknown or broken persona is the member's to know; anything else is logged.
    crate::terminal::show(&report, &id, &mut text).map_err(|e| match e {
        TerminalError::UnknownPersona { .. } | TerminalError::InvalidPersona { .. } => {
            BotError::User(e.to_string())
        }
        other => BotError::from(other),
    })?;
    let text = String::from_utf8_lossy(&text);
    super::reply_private(ctx, &text).await?;
    Ok(())
}

/// Reload the persona folder; broken files keep their last good version
#[poise::command(slash_command, guild_only)]
async fn reload(ctx: Context<'_>) -> Result<(), BotError> {
    crate::discord::checks::coach(ctx).await?;
    let report = ctx.data().reload_personas()?;
    let valid = report.personas.len().to_string();
    let mut text = crate::discord::text::say_with(ctx.locale(), Say::Reloaded, &[("valid", valid)]);
    if !report.errors.is_empty() {
        text.push_str(&format!("\n```\n{report}\n```"));
    }
    super::reply_private(ctx, &text).await?;
    Ok(())
}
