//! sceptic's conversation core: how trainees' messages are read ([`reader`]), what the
//! customer is ([`persona`], [`lexicon`]) and does ([`engine`]), and what a coach reads
//! afterwards ([`debrief`]).
//!
//! The core is pure: no I/O, no clock, no global randomness (a session's seed drives its
//! `rand`). Its own manifest keeps async runtimes, Discord and databases out, and its
//! `clippy.toml` keeps out the clock, files and the environment; the bot, the store and the
//! terminal are adapters in the `sceptic` crate around it.

#![forbid(unsafe_code)]

pub mod debrief;
pub mod engine;
pub mod lexicon;
pub mod persona;
pub mod reader;
pub mod record;
pub mod topic;

pub use debrief::Debrief;
pub use engine::{Outcome, Session, Turn};
pub use persona::{Difficulty, Persona};
pub use reader::{Reader, Reading};
pub use topic::{Act, ActKind, Topic};
