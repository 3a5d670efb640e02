//! The slash commands, one module per group, named and described in English and Dutch.

mod personas;
mod practice;
mod session;

use super::{BotError, Data};
use std::sync::Arc;

pub fn all() -> Vec<poise::Command<Arc<Data>, BotError>> {
    vec![practice::practice(), session::end(), personas::personas()]
}
