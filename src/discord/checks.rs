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
