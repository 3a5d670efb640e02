//! The terminal adapter: `practice`, `classify` and the persona commands. Everything here
//! reads from a line source and writes to a writer, so tests drive it like a user would.

mod classify;
mod personas;
mod practice;
pub mod sessions;
pub mod train;

pub use classify::classify;
pub use personas::{check, list, show};
pub use practice::{PracticeOptions, practice};

use crate::persona::PersonaError;
use std::io::{self, BufRead};
use std::path::PathBuf;

/// Why a terminal command could not do its job; every message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error("no persona with id \"{id}\"; available: {available}")]
    UnknownPersona { id: String, available: String },
    #[error("persona \"{id}\" is invalid and cannot be used:\n{errors}")]
    InvalidPersona { id: String, errors: String },
    #[error("no valid persona to practise with; run `sceptic personas check` to see why")]
    NoPersonas,
    #[error("unknown language \"{0}\"; sceptic speaks: {1}")]
    UnknownLanguage(String, String),
    #[error(transparent)]
    Personas(#[from] PersonaError),
    #[error("cannot write the chart to {}: {error}", path.display())]
    Chart { path: PathBuf, error: io::Error },
    #[error("cannot write output: {0}")]
    Io(#[from] io::Error),
    #[error("no stored session with id {0}; `sceptic sessions list` shows them")]
    UnknownSession(i64),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("cannot read the corpus: {0}")]
    Corpus(String),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Where trainee lines come from: a line editor in a terminal, plain stdin otherwise.
pub trait LineSource {
    /// The next line, without its line ending; `None` at the end of input.
    fn next_line(&mut self, prompt: &str) -> io::Result<Option<String>>;
}

/// Reads lines from any buffered reader, without prompts (piped input, tests).
pub struct Lines<R>(pub R);

impl<R: BufRead> LineSource for Lines<R> {
    fn next_line(&mut self, _prompt: &str) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.0.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let trimmed = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(trimmed);
        Ok(Some(line))
    }
}
