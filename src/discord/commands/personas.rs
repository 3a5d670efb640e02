use crate::discord::text::{Say, say};
use crate::discord::{BotError, Context};
use poise::serenity_prelude as serenity;

/// List the customers you can practise with
#[poise::command(
    slash_command,
    name_localized("nl", "personas"),
    description_localized("nl", "Toon de klanten waarmee je kunt oefenen")
)]
pub async fn personas(ctx: Context<'_>) -> Result<(), BotError> {
    let personas = &ctx.data().personas.personas;
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
