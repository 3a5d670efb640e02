//! sceptic: a sceptical B2B customer to practise asking what still holds a buyer back.
//!
//! The conversation core ([`reader`], [`engine`], [`debrief`]) is pure: no I/O, no clock, no
//! global randomness. The terminal ([`terminal`]) is an adapter around it; so will Discord
//! and storage be.

pub mod chart;
pub mod config;
pub mod debrief;
pub mod discord;
pub mod engine;
pub mod lexicon;
pub mod persona;
pub mod reader;
pub mod store;
pub mod terminal;
pub mod topic;

pub use debrief::Debrief;
pub use engine::{Outcome, Session, Turn};
pub use persona::{Difficulty, Persona};
pub use reader::{Reader, Reading};
pub use topic::{Act, ActKind, Topic};
