use crate::discord::clock::now;
use crate::discord::{BotError, Context, checks};
use crate::store::SessionFilter;
use poise::serenity_prelude as serenity;

/// Recent sessions with outcome, trust and stalls (coaches; trainees may review themselves)
#[poise::command(slash_command, guild_only)]
pub async fn review(
    ctx: Context<'_>,
    #[description = "Whose sessions (yourself when left out)"] member: Option<serenity::User>,
    #[description = "How many days back (default 30)"] days: Option<u32>,
) -> Result<(), BotError> {
    let member = member.unwrap_or_else(|| ctx.author().clone());
    if member.id != ctx.author().id {
        checks::coach(ctx).await?;
    }
    let days = i64::from(days.unwrap_or(30).clamp(1, 3650));
    let filter = SessionFilter {
        guild_id: ctx.guild_id().map(|g| g.get()),
        trainee_id: Some(member.id.get()),
        since: Some(now() - days * 86_400),
        ..SessionFilter::default()
    };
    let records = ctx.data().store.list_sessions(&filter).await?;
    let words = crate::lexicon::for_locale(ctx.locale());
    let text = crate::report::review(words, member.display_name(), days, &records);
    super::reply_private(ctx, &text).await?;
    Ok(())
}
