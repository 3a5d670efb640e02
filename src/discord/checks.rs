//! Who may do what, where: every check in one place.

use super::text::{Say, say_with};
use super::{BotError, Context};

/// `/practice` works in the configured training channels, or anywhere when none are set.
pub fn practice_channel(ctx: Context<'_>) -> Result<(), BotError> {
    let allowed = &ctx.data().config.discord.practice_channels;
    if allowed.is_empty() || allowed.contains(&ctx.channel_id().get()) {
        return Ok(());
    }
    let channels = allowed
        .iter()
        .map(|id| format!("<#{id}>"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(BotError::User(say_with(
        ctx.locale(),
        Say::NotHere,
        &[("channels", channels)],
    )))
}

/// One open session per trainee and server.
pub async fn no_open_session(ctx: Context<'_>, trainee: u64) -> Result<(), BotError> {
    let guild = ctx.guild_id().map(|g| g.get()).unwrap_or_default();
    match ctx.data().store.open_session_of(guild, trainee).await? {
        Some(open) => Err(BotError::User(say_with(
            ctx.locale(),
            Say::AlreadyOpen,
            &[("thread", format!("<#{}>", open.thread_id))],
        ))),
        None => Ok(()),
    }
}

/// Whether a member is a coach: has the configured coach role.
pub fn has_coach_role(
    config: &crate::config::DiscordConfig,
    roles: &[poise::serenity_prelude::RoleId],
) -> bool {
    config
        .coach_role
        .is_some_and(|coach| roles.iter().any(|r| r.get() == coach))
}

/// Coach-only commands refuse everyone else.
pub async fn coach(ctx: Context<'_>) -> Result<(), BotError> {
    let roles = match ctx.author_member().await {
        Some(member) => member.roles.clone(),
        None => Vec::new(),
    };
    if has_coach_role(&ctx.data().config.discord, &roles) {
        return Ok(());
    }
    Err(BotError::User(say_with(
        ctx.locale(),
        Say::CoachesOnly,
        &[],
    )))
}
