//! The slash commands, one module per group, named and described in English and Dutch.

mod personas;
mod practice;
mod session;

use super::{BotError, Data};

pub fn all() -> Vec<poise::Command<Data, BotError>> {
    vec![practice::practice(), session::end(), personas::personas()]
}
