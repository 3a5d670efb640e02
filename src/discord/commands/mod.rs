//! The slash commands, one module per group. Their English names and descriptions are their
//! own; every other language's come from that language's lexicon (`[commands]`).

mod personas;
mod practice;
mod review;
mod round;
mod session;

pub use round::{close_due_rounds, on_button};

use super::{BotError, Context, Data};
use crate::lexicon;
use crate::persona::Difficulty;
use poise::serenity_prelude as serenity;
use rand::TryRngCore;
use rand::rngs::OsRng;
use std::borrow::Cow;
use std::sync::Arc;

type Command = poise::Command<Arc<Data>, BotError>;

/// Every command, named and described in every language sceptic speaks.
pub fn all() -> Vec<Command> {
    let mut commands = vec![
        practice::practice(),
        session::end(),
        personas::personas(),
        personas::persona(),
        round::round(),
        review::review(),
    ];
    for language in lexicon::languages() {
        // The default language is the commands' own, written in code.
        if language == lexicon::DEFAULT {
            continue;
        }
        let Some(words) = lexicon::get(language) else {
            continue;
        };
        for command in &mut commands {
            localise(command, "", words);
        }
    }
    commands
}

/// Gives a command, its options and its subcommands their names in `words`' language, where
/// the lexicon has them (`Discord` shows the English to the rest).
fn localise(command: &mut Command, parent: &str, words: &'static lexicon::Lexicon) {
    let path = if parent.is_empty() {
        command.name.to_string()
    } else {
        format!("{parent} {}", command.name)
    };
    let locale = || Cow::Borrowed(words.language.as_str());
    if let Some(w) = words.commands.get(&path) {
        command
            .name_localizations
            .to_mut()
            .push((locale(), Cow::Borrowed(w.name.as_str())));
        command
            .description_localizations
            .to_mut()
            .push((locale(), Cow::Borrowed(w.description.as_str())));
        for option in &mut command.parameters {
            if let Some(o) = w.options.get(option.name.as_ref()) {
                if let Some(name) = &o.name {
                    option
                        .name_localizations
                        .to_mut()
                        .push((locale(), Cow::Borrowed(name.as_str())));
                }
                option
                    .description_localizations
                    .to_mut()
                    .push((locale(), Cow::Borrowed(o.description.as_str())));
            }
            for choice in option.choices.to_mut() {
                if let Some(name) = words.session.difficulty.get(choice.name.as_ref()) {
                    choice
                        .localizations
                        .to_mut()
                        .push((locale(), Cow::Borrowed(name.as_str())));
                }
            }
        }
    }
    for sub in &mut command.subcommands {
        localise(sub, &path, words);
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DifficultyChoice {
    #[name = "easy"]
    Easy,
    #[name = "normal"]
    Normal,
    #[name = "hard"]
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
