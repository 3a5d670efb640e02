//! The slash commands, one module per group, named and described in English and Dutch.

mod personas;
mod practice;
mod review;
mod round;
mod session;

pub use round::{close_due_rounds, on_button};

use super::{BotError, Context, Data};
use crate::persona::Difficulty;
use poise::serenity_prelude as serenity;
use rand::TryRngCore;
use rand::rngs::OsRng;
use std::sync::Arc;

pub fn all() -> Vec<poise::Command<Arc<Data>, BotError>> {
    vec![
        practice::practice(),
        session::end(),
        personas::personas(),
        personas::persona(),
        round::round(),
        review::review(),
    ]
}

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

/// Sends text only the member sees, split within Discord's limit.
async fn reply_private(ctx: Context<'_>, text: &str) -> Result<(), BotError> {
    for piece in super::render::split(text, super::render::MESSAGE_LIMIT) {
        ctx.send(poise::CreateReply::default().content(piece).ephemeral(true))
            .await?;
    }
    Ok(())
}

/// A fresh seed for a session nobody asked to replay.
pub fn new_seed() -> u64 {
    OsRng
        .try_next_u64()
        .map_or_else(|_| super::clock::now() as u64, |s| s >> 12)
}

async fn autocomplete_persona(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let choices = ctx
        .data()
        .personas()
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
