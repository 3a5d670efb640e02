//! sceptic: a sceptical B2B customer to practise asking what still holds a buyer back.
//!
//! The conversation core lives in its own crate, `sceptic-core` (`core/`), which cannot
//! reach I/O, the clock or global randomness; its modules are re-exported here under their
//! own names. This crate holds the adapters around it: the Discord bot ([`discord`]), the
//! store ([`store`]), the terminal ([`terminal`]), settings ([`config`]), the trust chart
//! ([`chart`]), coaches' reports ([`report`]) and reading persona folders from disk
//! ([`personas`]).

pub mod chart;
pub mod config;
pub mod discord;
pub mod personas;
pub mod report;
pub mod store;
pub mod terminal;

pub use sceptic_core::{debrief, engine, lexicon, persona, reader, topic};

pub use debrief::Debrief;
pub use engine::{Outcome, Session, Turn};
pub use persona::{Difficulty, Persona};
pub use reader::{Reader, Reading};
pub use topic::{Act, ActKind, Topic};
