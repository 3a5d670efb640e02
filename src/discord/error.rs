//! Two kinds of failure, kept apart as in robbb: what the member did wrong is told to them
//! (ephemerally, in their language); what went wrong on our side is logged with its cause,
//! and the member only learns that it was logged.

use crate::persona::PersonaError;
use crate::store::StoreError;
use poise::serenity_prelude as serenity;

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// Shown to the member as it is.
    #[error("{0}")]
    User(String),
    /// Boxed: serenity's error is large, and errors travel through every command.
    #[error("Discord: {0}")]
    Discord(Box<serenity::Error>),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("persona \"{0}\" of a stored session is no longer loaded")]
    MissingPersona(String),
    /// The persona folder could not be read: ours to fix, not the member's.
    #[error("personas: {0}")]
    Personas(#[from] PersonaError),
    #[error("{0}")]
    Terminal(#[from] crate::terminal::TerminalError),
}

/// Why the bot could not start; each says what the admin should do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "DISCORD_TOKEN is not set: create a bot in the Discord Developer Portal and put its token in the DISCORD_TOKEN environment variable"
    )]
    MissingToken,
    #[error(
        "Discord rejected the token in DISCORD_TOKEN: reset it under Bot → Token in the Developer Portal and set the new one"
    )]
    TokenRejected,
    #[error(
        "Discord refused the Message Content intent: switch on \"Message Content Intent\" under Bot → Privileged Gateway Intents in the Developer Portal"
    )]
    MessageContentRefused,
    #[error("the persona folder cannot be read: {0}")]
    Personas(#[from] PersonaError),
    #[error("no valid persona to practise with; run `sceptic personas check`")]
    NoPersonas,
    #[error("the database cannot be opened: {0}")]
    Store(#[from] StoreError),
    #[error("cannot reach Discord: {}", with_causes(.0))]
    Discord(Box<serenity::Error>),
    #[error(
        "another sceptic process took the lease over (this one was cut off from the database for longer than storage.lease_seconds); restart this one to stand by"
    )]
    LeaseLost,
}

/// An error and its causes, each said once. What an admin can act on (a certificate not
/// trusted, a proxy refusing) sits at the bottom of the chain, under serenity's "Error while
/// sending HTTP request." (which it says twice, at two levels).
fn with_causes(error: &serenity::Error) -> String {
    let mut said = error.to_string();
    let mut last = said.clone();
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        let text = e.to_string();
        if text != last {
            said = format!("{said}: {text}");
        }
        last = text;
        cause = e.source();
    }
    said
}

impl From<serenity::Error> for BotError {
    fn from(e: serenity::Error) -> Self {
        BotError::Discord(Box::new(e))
    }
}

impl From<serenity::Error> for StartError {
    fn from(e: serenity::Error) -> Self {
        StartError::Discord(Box::new(e))
    }
}
