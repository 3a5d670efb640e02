//! One lexicon per language, kept as data (`en.toml`, `nl.toml` beside this file): the words
//! that recognise each act and topic, the customer's stock replies, and the debrief's wording.
//! Adding a language is one TOML file and one line in [`BUILTIN`]; the engine does not change.

use crate::topic::Topic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The shipped lexicons, by language code.
const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("en.toml")),
    ("nl", include_str!("nl.toml")),
];

static LEXICONS: LazyLock<Vec<Lexicon>> = LazyLock::new(|| {
    BUILTIN
        .iter()
        .map(|(code, text)| {
            let lexicon: Lexicon = toml::from_str(text)
                .unwrap_or_else(|e| panic!("built-in lexicon {code}.toml is invalid: {e}"));
            assert_eq!(
                lexicon.language, *code,
                "lexicon {code}.toml names another language"
            );
            lexicon
        })
        .collect()
});

/// The lexicon for a language code, if sceptic speaks it.
pub fn get(language: &str) -> Option<&'static Lexicon> {
    LEXICONS.iter().find(|l| l.language == language)
}

/// The language everything falls back to, and the one the Discord commands are written in.
pub const DEFAULT: &str = "en";

/// The lexicon for a language code, or the English one, which is always built in.
pub fn or_english(language: &str) -> &'static Lexicon {
    get(language)
        .or_else(|| get(DEFAULT))
        .expect("the English lexicon is built in")
}

/// The lexicon of a member's Discord locale ("nl", "en-GB"), or the English one.
pub fn for_locale(locale: Option<&str>) -> &'static Lexicon {
    or_english(locale.and_then(|l| l.split('-').next()).unwrap_or(DEFAULT))
}

/// The language codes sceptic speaks, for error messages and the CLI.
pub fn languages() -> Vec<&'static str> {
    BUILTIN.iter().map(|(code, _)| *code).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub language: String,
    pub name: String,
    /// The Snowball stemmer for the reader's model: `english` or `dutch`.
    pub stemmer: String,
    pub grammar: Grammar,
    pub acts: ActWords,
    pub topics: BTreeMap<Topic, TopicWords>,
    pub replies: Replies,
    pub debrief: DebriefWords,
    pub report: ReportWords,
    pub session: SessionWords,
    pub bot: BotWords,
    /// The slash commands' names and descriptions in this language, by their English path
    /// (`"round start"`); English itself is the commands' own, in the Discord adapter.
    #[serde(default)]
    pub commands: BTreeMap<String, CommandWords>,
    /// The name of the register `[replies]` speaks in (`u`), where the language has several.
    #[serde(default)]
    pub register: Option<String>,
    /// Other registers (`[registers.je]`): the stock lines that differ from `[replies]`.
    #[serde(default)]
    pub registers: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Lexicon {
    pub fn topic(&self, topic: Topic) -> &TopicWords {
        &self.topics[&topic]
    }
}

/// Phrases are matched as whole folded words; a word ending in `*` matches any word it
/// starts, and a lone `..` skips up to three words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grammar {
    pub negations: Vec<String>,
    /// Words that make a number a measured figure ("percent"); a token with % is one too.
    pub figures: Vec<String>,
    pub hedges: Vec<String>,
    /// Words that make a sentence a question when it starts with them, question mark or not.
    pub question_starts: Vec<String>,
    /// Verb-first questions ("Maakt u zich zorgen"): a sentence whose second word is one of
    /// these is a question.
    #[serde(default)]
    pub inverted_subjects: Vec<String>,
    /// Words that start a new clause, so a negation before them does not reach past them.
    pub clause_breaks: Vec<String>,
    /// Words that make what follows a condition ("if it doesn't suit"), not an admission.
    pub conditionals: Vec<String>,
    /// Chat spellings read as the word they stand for ("u" is "you").
    #[serde(default)]
    pub synonyms: BTreeMap<String, String>,
    /// Words that point back at the previous sentence ("is that a problem?"), so a question
    /// about it takes that sentence's topic.
    #[serde(default)]
    pub anaphora: Vec<String>,
    /// Questions that propose something ("what if we", "would it help if").
    pub offer_openers: Vec<String>,
    /// Statements that invite the customer to speak ("tell me", "I'd like to hear").
    pub invites: Vec<String>,
    /// Words too common to tie an answer to a doubt by meaning.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// The seller's own side ("we", "our"): a question with one of these is about the offer.
    #[serde(default)]
    pub our_side: Vec<String>,
    /// Greetings that open a message ("good morning"): the customer greets back.
    #[serde(default)]
    pub greetings: Vec<String>,
    /// Number words and their digits, so "four hours" and "4 hours" name the same offer.
    #[serde(default)]
    pub numbers: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActWords {
    /// Words of doubt; in a question without a topic they ask for hesitations, with a topic
    /// they ask about that topic.
    pub ask_hesitation: Vec<String>,
    /// Question frames that ask about a topic when one follows ("how do you feel about").
    pub ask_about: Vec<String>,
    /// "Any questions?": not an ask about hesitation, and the customer says so.
    pub any_questions: Vec<String>,
    pub honesty: Vec<String>,
    pub limitations: Vec<String>,
    pub acknowledge: Vec<String>,
    pub evidence: Vec<String>,
    pub measure: Vec<String>,
    pub close: Vec<String>,
    pub dismiss: Vec<String>,
    pub pitch: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicWords {
    /// The topic's name in this language, for the debrief.
    pub label: String,
    pub words: Vec<String>,
    pub evidence: Vec<String>,
    pub measures: Vec<String>,
    #[serde(default)]
    pub limitations: Vec<String>,
    /// What usually answers a doubt on this topic, for coaching points.
    pub answers: String,
    /// A hard customer's one question back to a fitting answer ("And if you're late anyway?").
    pub probe: Vec<String>,
}

/// The customer's stock lines, used where the persona has none of its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replies {
    pub no_concern: Vec<String>,
    pub nothing_else: Vec<String>,
    /// Asked for more doubts once all are out, or about the topic of one still open: the
    /// doubt still stands. Its own `unresolved` lines answer an offer, not a question.
    pub still_open: Vec<String>,
    pub not_yet: Vec<String>,
    pub clear: Vec<String>,
    pub stall: Vec<String>,
    pub stall_low_trust: Vec<String>,
    pub postpone: Vec<String>,
    pub sign: Vec<String>,
    pub leave_patience: Vec<String>,
    pub leave_trust: Vec<String>,
    pub ended: Vec<String>,
    pub filler: Vec<String>,
    pub pitch: Vec<String>,
    pub dismissed: Vec<String>,
    pub weak_spot: Vec<String>,
    pub acknowledged: Vec<String>,
    pub noted: Vec<String>,
    /// Accepting an answer without naming anything in it, where none of the persona's own
    /// lines names only what the trainee offered.
    pub accepted: Vec<String>,
    /// Leaving a session nobody answered for days.
    pub idle: Vec<String>,
    /// Answering a greeting.
    pub greeting: Vec<String>,
    /// A question about the customer's world that its persona does not describe.
    pub unknown_situation: Vec<String>,
    /// A message in another language than the customer's.
    pub other_language: Vec<String>,
}

/// What a trainee sees around the conversation, in the customer's language: the terminal's
/// header, the Discord briefing's footer, a round's announcement.
/// A slash command's name and description in one language, and its options'.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandWords {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub options: BTreeMap<String, OptionWords>,
}

/// An option's name (where it differs from the English) and description in one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionWords {
    #[serde(default)]
    pub name: Option<String>,
    pub description: String,
}

/// What the bot itself says to members, apart from the customer: errors, confirmations.
/// `{placeholders}` are filled by the adapter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotWords {
    pub not_here: String,
    pub already_open: String,
    pub unknown_persona: String,
    pub invalid_persona: String,
    pub ready: String,
    pub not_a_session: String,
    pub not_your_session: String,
    pub ended: String,
    pub failed: String,
    pub no_personas: String,
    pub coaches_only: String,
    pub round_open: String,
    pub round_started: String,
    pub no_round: String,
    pub round_closed: String,
    pub bad_deadline: String,
    pub already_in_round: String,
    pub reloaded: String,
    pub bad_option: String,
    pub stale_command: String,
    pub server_only: String,
    pub bot_lacks_permissions: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionWords {
    pub talking_to: String,
    pub you_sell: String,
    pub replay: String,
    pub how_to: String,
    pub footer: String,
    pub round_title: String,
    pub round_description: String,
    pub round_button: String,
    /// The difficulties' names, by `easy`, `normal`, `hard`.
    pub difficulty: BTreeMap<String, String>,
}

/// The coaches' reports: round summaries and reviews.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportWords {
    /// The outcomes as coaches read them: of the trainee, not to them.
    pub outcome: BTreeMap<String, String>,
    pub figures: String,
    pub unfinished: String,
    pub open: String,
    pub round_title: String,
    pub missed_heading: String,
    pub missed_line: String,
    pub review_title: String,
    pub trend: String,
}

/// Which of the customer's stock lines. The key is its name in a lexicon's `[replies]`, in a
/// register's overrides and in a persona's `[lines]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stock {
    NoConcern,
    NothingElse,
    StillOpen,
    NotYet,
    Clear,
    Stall,
    StallLowTrust,
    Postpone,
    Sign,
    LeavePatience,
    LeaveTrust,
    Ended,
    Filler,
    Pitch,
    Dismissed,
    WeakSpot,
    Acknowledged,
    Noted,
    Accepted,
    Idle,
    Greeting,
    UnknownSituation,
    OtherLanguage,
}

impl Stock {
    pub const ALL: [Stock; 23] = [
        Stock::NoConcern,
        Stock::NothingElse,
        Stock::StillOpen,
        Stock::NotYet,
        Stock::Clear,
        Stock::Stall,
        Stock::StallLowTrust,
        Stock::Postpone,
        Stock::Sign,
        Stock::LeavePatience,
        Stock::LeaveTrust,
        Stock::Ended,
        Stock::Filler,
        Stock::Pitch,
        Stock::Dismissed,
        Stock::WeakSpot,
        Stock::Acknowledged,
        Stock::Noted,
        Stock::Accepted,
        Stock::Idle,
        Stock::Greeting,
        Stock::UnknownSituation,
        Stock::OtherLanguage,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stock::NoConcern => "no_concern",
            Stock::NothingElse => "nothing_else",
            Stock::StillOpen => "still_open",
            Stock::NotYet => "not_yet",
            Stock::Clear => "clear",
            Stock::Stall => "stall",
            Stock::StallLowTrust => "stall_low_trust",
            Stock::Postpone => "postpone",
            Stock::Sign => "sign",
            Stock::LeavePatience => "leave_patience",
            Stock::LeaveTrust => "leave_trust",
            Stock::Ended => "ended",
            Stock::Filler => "filler",
            Stock::Pitch => "pitch",
            Stock::Dismissed => "dismissed",
            Stock::WeakSpot => "weak_spot",
            Stock::Acknowledged => "acknowledged",
            Stock::Noted => "noted",
            Stock::Accepted => "accepted",
            Stock::Idle => "idle",
            Stock::Greeting => "greeting",
            Stock::UnknownSituation => "unknown_situation",
            Stock::OtherLanguage => "other_language",
        }
    }

    pub fn from_key(key: &str) -> Option<Stock> {
        Stock::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl Replies {
    pub fn lines(&self, which: Stock) -> &[String] {
        match which {
            Stock::NoConcern => &self.no_concern,
            Stock::NothingElse => &self.nothing_else,
            Stock::StillOpen => &self.still_open,
            Stock::NotYet => &self.not_yet,
            Stock::Clear => &self.clear,
            Stock::Stall => &self.stall,
            Stock::StallLowTrust => &self.stall_low_trust,
            Stock::Postpone => &self.postpone,
            Stock::Sign => &self.sign,
            Stock::LeavePatience => &self.leave_patience,
            Stock::LeaveTrust => &self.leave_trust,
            Stock::Ended => &self.ended,
            Stock::Filler => &self.filler,
            Stock::Pitch => &self.pitch,
            Stock::Dismissed => &self.dismissed,
            Stock::WeakSpot => &self.weak_spot,
            Stock::Acknowledged => &self.acknowledged,
            Stock::Noted => &self.noted,
            Stock::Accepted => &self.accepted,
            Stock::Idle => &self.idle,
            Stock::Greeting => &self.greeting,
            Stock::UnknownSituation => &self.unknown_situation,
            Stock::OtherLanguage => &self.other_language,
        }
    }
}

impl Lexicon {
    /// The stock lines of `which` in a register (`je`, `u`); the default register's where the
    /// register has none of its own.
    pub fn stock(&self, which: Stock, register: Option<&str>) -> &[String] {
        register
            .and_then(|r| self.registers.get(r))
            .and_then(|lines| lines.get(which.key()))
            .map_or_else(|| self.replies.lines(which), Vec::as_slice)
    }

    /// A difficulty's name in this language.
    pub fn difficulty_name(&self, difficulty: crate::record::Difficulty) -> &str {
        self.session
            .difficulty
            .get(difficulty.as_str())
            .map_or(difficulty.as_str(), String::as_str)
    }

    /// An outcome as coaches read it.
    pub fn outcome_for_coaches(&self, outcome: crate::record::Outcome) -> &str {
        self.report
            .outcome
            .get(outcome.as_str())
            .map_or(outcome.as_str(), String::as_str)
    }

    /// The registers a persona of this language may speak in.
    pub fn register_names(&self) -> Vec<&str> {
        self.register
            .iter()
            .map(String::as_str)
            .chain(self.registers.keys().map(String::as_str))
            .collect()
    }
}

/// The debrief's wording. `{name}`-style placeholders are filled in by the debrief.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebriefWords {
    pub title: String,
    pub outcome: BTreeMap<String, String>,
    pub trust: String,
    pub start: String,
    pub peak: String,
    pub end: String,
    pub turns: String,
    pub stalls: String,
    pub moments_heading: String,
    pub no_moments: String,
    pub stalls_heading: String,
    pub no_stalls: String,
    pub stall_line: String,
    pub stall_low_trust: String,
    pub unspoken: String,
    pub unanswered: String,
    pub doubts_heading: String,
    pub surfaced_at: String,
    pub never_surfaced: String,
    pub resolved_by: String,
    pub unresolved: String,
    pub never_told: String,
    pub coaching_heading: String,
    pub curve_heading: String,
    pub curve_legend: String,
    pub blocking: String,
    /// The coaches' channel summary of one session.
    pub summary: String,
    /// The briefing's label for what the trainee sells.
    pub offer: String,
    pub edited_heading: String,
    pub edited_line: String,
    pub turn: String,
    /// The picture of the trust curve: its legend, the threshold line's label (`{sign_at}`)
    /// and the label of a stall with no doubt open.
    pub chart_stall: String,
    pub chart_revealed: String,
    pub chart_resolved: String,
    pub chart_sign_at: String,
    pub chart_low_trust: String,
    pub causes: BTreeMap<String, String>,
    pub coaching: BTreeMap<String, String>,
    /// What each difficulty meant for the session (`{start}`, `{sign_at}`), by its name.
    pub difficulty: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_lexicon_parses_and_covers_every_topic() {
        for code in languages() {
            let lexicon = get(code).expect("listed language has a lexicon");
            for topic in Topic::ALL {
                assert!(
                    lexicon.topics.contains_key(&topic),
                    "{code} lacks topic {topic}"
                );
            }
            for (register, lines) in &lexicon.registers {
                for (key, list) in lines {
                    assert!(
                        Stock::from_key(key).is_some() && !list.is_empty(),
                        "{code}: register {register}: `{key}` is no stock line or is empty"
                    );
                }
            }
            for which in Stock::ALL {
                assert!(
                    !lexicon.replies.lines(which).is_empty(),
                    "{code}: no {}",
                    which.key()
                );
            }
            for level in crate::record::Difficulty::ALL {
                assert!(
                    lexicon.session.difficulty.contains_key(level.as_str()),
                    "{code} has no name for {level}"
                );
                assert!(
                    lexicon.debrief.difficulty.contains_key(level.as_str()),
                    "{code} does not explain {level}"
                );
            }
            for outcome in ["signed", "postponed", "lost", "ended"] {
                assert!(
                    lexicon.report.outcome.contains_key(outcome),
                    "{code} lacks the coaches' outcome {outcome}"
                );
                assert!(
                    lexicon.debrief.outcome.contains_key(outcome),
                    "{code} lacks outcome {outcome}"
                );
            }
        }
    }
}
