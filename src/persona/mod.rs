//! The persona format coaches write (one TOML file per customer), checked strictly so that a
//! typo never silently changes a customer. See `load` for the checker.

mod load;

pub use load::{LoadReport, PersonaError, Rejected, load_dir, parse};

use crate::lexicon::Lexicon;
use crate::reader::{Kind, Matcher};
use crate::topic::Topic;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How easily the customer opens up and how much each move weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Normal,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Normal, Difficulty::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Normal => "normal",
            Difficulty::Hard => "hard",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Difficulty {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Difficulty::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("unknown difficulty \"{s}\" (expected easy, normal or hard)"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Temperament {
    pub trust: u8,
    pub sign_at: u8,
    pub patience: u32,
    pub stalls: u32,
}

#[derive(Debug, Clone)]
pub struct Doubt {
    pub id: String,
    pub topic: Topic,
    pub weight: u8,
    pub blocking: bool,
    pub keywords: Vec<String>,
    pub tells: Vec<String>,
    pub reveal: Vec<String>,
    pub resolve: Vec<String>,
    pub resolved: Vec<String>,
    pub unresolved: Vec<String>,
}

/// A checked persona: every field present and in range, its language one sceptic speaks.
/// Only [`parse`] and [`load_dir`] make one.
#[derive(Debug)]
pub struct Persona {
    pub id: String,
    pub name: String,
    pub language: String,
    pub role: String,
    pub company: String,
    pub offer: String,
    pub briefing: String,
    pub difficulty: Difficulty,
    pub opening: Vec<String>,
    pub temperament: Temperament,
    pub draw: usize,
    pub doubts: Vec<Doubt>,
    lexicon: &'static Lexicon,
    /// The doubts' keywords and resolve terms, compiled once for every session.
    words: Matcher,
}

impl Persona {
    /// The lexicon of the persona's language.
    pub fn lexicon(&self) -> &'static Lexicon {
        self.lexicon
    }

    pub(crate) fn words(&self) -> &Matcher {
        &self.words
    }

    fn compile_words(doubts: &[Doubt]) -> Matcher {
        let mut words = Matcher::default();
        for (i, doubt) in doubts.iter().enumerate() {
            words.add(&doubt.keywords, Kind::TopicWord(doubt.topic));
            words.add(&doubt.resolve, Kind::Resolve(i as u16, doubt.topic));
        }
        words
    }
}
