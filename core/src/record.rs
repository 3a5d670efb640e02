//! What a session leaves behind for the debrief: the difficulty it was played at, how it
//! ended, and every move of trust with its cause. The engine writes these, the debrief
//! reports them and the lexicon names them, so they live apart from all three and depend on
//! nothing but the topics.

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Signed,
    Postponed,
    Lost,
    /// The trainee stopped first.
    Ended,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Signed => "signed",
            Outcome::Postponed => "postponed",
            Outcome::Lost => "lost",
            Outcome::Ended => "ended",
        }
    }
}

/// Why trust moved. The names are part of the JSON contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Cause {
    Asked {
        doubt: String,
    },
    Admitted {
        topic: Topic,
    },
    Acknowledged {
        doubt: String,
        topic: Topic,
    },
    Resolved {
        doubt: String,
    },
    Dismissed,
    Pushed,
    PushedLowTrust,
    PitchedPast {
        doubt: String,
        topic: Topic,
    },
    /// A discovery question on a subject of the customer's situation, by its label.
    Learned {
        subject: String,
    },
}

impl Cause {
    /// The key of this cause's wording in the lexicon's `[debrief.causes]`.
    pub fn key(&self) -> &'static str {
        match self {
            Cause::Asked { .. } => "asked",
            Cause::Admitted { .. } => "admitted",
            Cause::Acknowledged { .. } => "acknowledged",
            Cause::Resolved { .. } => "resolved",
            Cause::Dismissed => "dismissed",
            Cause::Pushed => "pushed",
            Cause::PushedLowTrust => "pushed_low_trust",
            Cause::PitchedPast { .. } => "pitched_past",
            Cause::Learned { .. } => "learned",
        }
    }
}

/// One change in trust: when, by how much, why, and the trainee's words that caused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub turn: u32,
    pub delta: i32,
    pub trust: u8,
    #[serde(flatten)]
    pub cause: Cause,
    pub words: String,
}
