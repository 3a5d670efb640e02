//! Reports for coaches, apart from where they are read: a session's figures (the export's
//! row), the chat summaries (one session, a round, a member's review) and the dates they
//! print. Discord posts them within its limits (`discord/render.rs`); the terminal exports
//! and lists them (`terminal/sessions.rs`).

mod coaches;
pub mod dates;
mod figures;

pub use coaches::{review, round_summary, summary};
pub use figures::{CSV_HEADER, Row, csv_cell};
