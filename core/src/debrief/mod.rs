//! The debrief: trust earned set against decisions stalled. One model, three renderings
//! (terminal text, Discord Markdown, JSON), in the persona's language.

mod coaching;
mod render;

pub(crate) use coaching::{Facts, coaching};
pub use render::{Line, Section};

use crate::record::{Difficulty, Moment, Outcome};
use crate::topic::Topic;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debrief {
    pub persona: String,
    pub name: String,
    pub language: String,
    pub seed: u64,
    pub difficulty: Difficulty,
    pub outcome: Outcome,
    pub trust: TrustSummary,
    pub sign_at: u8,
    pub stalls: Vec<StallReport>,
    pub doubts: Vec<DoubtReport>,
    pub moments: Vec<Moment>,
    pub coaching: Vec<String>,
    /// Trust before the first message and after each one.
    pub curve: Vec<u8>,
    pub turns: u32,
    /// Turns whose message the trainee edited after the customer had answered it; the
    /// customer answered what was first written.
    #[serde(default)]
    pub edited: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustSummary {
    pub start: u8,
    pub peak: u8,
    pub end: u8,
}

/// A close that did not get a yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StallReport {
    pub turn: u32,
    pub words: String,
    /// Doubts still open at that moment, blocking ones first.
    pub open: Vec<String>,
    /// No blocking doubt was open, but trust had not reached `sign_at`.
    pub low_trust: bool,
    pub trust: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoubtReport {
    pub id: String,
    /// The persona's short name for it, where it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub topic: Topic,
    pub weight: u8,
    pub blocking: bool,
    pub revealed_at: Option<u32>,
    pub resolved_at: Option<u32>,
    pub resolved_by: Option<String>,
    /// For a doubt never surfaced: what the customer would have said, had anyone asked.
    pub never_told: Option<String>,
}

impl DoubtReport {
    /// How the debrief names the doubt: its label, else its id.
    pub fn name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }

    /// Whether the doubt was still unspoken at `turn` (as opposed to spoken but unanswered).
    pub fn unspoken_at(&self, turn: u32) -> bool {
        self.revealed_at.is_none_or(|r| r > turn)
    }
}

impl Debrief {
    /// How many doubts came out, and how many were answered.
    pub fn surfaced_and_resolved(&self) -> (usize, usize) {
        let surfaced = self
            .doubts
            .iter()
            .filter(|d| d.revealed_at.is_some())
            .count();
        let resolved = self
            .doubts
            .iter()
            .filter(|d| d.resolved_at.is_some())
            .count();
        (surfaced, resolved)
    }

    pub fn doubt(&self, id: &str) -> Option<&DoubtReport> {
        self.doubts.iter().find(|d| d.id == id)
    }

    /// A doubt's name as the debrief shows it: its label, else its id.
    pub fn name_of(&self, id: &str) -> String {
        self.doubt(id).map_or(id, DoubtReport::name).to_string()
    }
}

/// Fills `{key}` placeholders in a lexicon template.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}
