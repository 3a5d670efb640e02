use crate::discord::conversation::{finish, last_word, slot};
use crate::discord::text::{Say, say, say_with};
use crate::discord::{BotError, Context};

/// End your practice conversation and get the debrief
#[poise::command(slash_command, guild_only)]
pub async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    let data = ctx.data();
    let Some(slot) = slot(data, ctx.channel_id().get()).await? else {
        return Err(BotError::User(
            say(ctx.locale(), Say::NotASession).to_string(),
        ));
    };
    let mut live = slot.live.lock().await;
    if ctx.author().id.get() != live.stored.trainee_id {
        let trainee = live.stored.trainee.clone();
        return Err(BotError::User(say_with(
            ctx.locale(),
            Say::NotYourSession,
            &[("trainee", trainee)],
        )));
    }
    ctx.send(
        poise::CreateReply::default()
            .content(say(ctx.locale(), Say::Ended))
            .ephemeral(true),
    )
    .await?;
    if let Some(goodbye) = live.session.end() {
        last_word(ctx.http(), data, &live, &goodbye).await?;
    }
    finish(ctx.http(), data, &mut live).await
}
