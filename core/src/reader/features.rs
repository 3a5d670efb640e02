//! What the reader's model sees of a message: stemmed words, word pairs and triples, the
//! letters inside words (so typos and unseen inflections still share most of their features),
//! what the lexicon rules found, what its questions hold, and what the customer just did.
//! Every feature is a string hashed to 32 bits, so the model stores no vocabulary.

use super::context::Context;
use super::matcher::{Hit, Kind};
use super::rules::{self, NEGATION_REACH};
use super::text::Sentence;
use crate::topic::{Act, Topic};
use rust_stemmers::{Algorithm, Stemmer};
use std::fmt::Write;
use std::sync::LazyLock;

/// Which families of features a model uses; chosen on the validation folds (see `train`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Stemmed words and word pairs, negation scope and context.
    Words,
    /// `Words` plus letter n-grams inside each word.
    WordsLetters,
    /// `WordsLetters` plus what the lexicon rules read.
    WordsLettersRules,
    /// `WordsLettersRules` plus word triples and, after the customer spoke, word pairs in
    /// that context: "are you worried" is not "don't worry", and "why not" after a stall is
    /// not "why not" in a pitch.
    Phrases,
    /// `Phrases` plus what a question holds: its first word, its length and the lexicon's
    /// hits inside it, apart from the same words in a statement. "Heb je al een offerte?"
    /// asks about the customer's world, "we hebben een offerte" tells.
    Questions,
}

impl Design {
    pub const ALL: [Design; 5] = [
        Design::Words,
        Design::WordsLetters,
        Design::WordsLettersRules,
        Design::Phrases,
        Design::Questions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Design::Words => "words",
            Design::WordsLetters => "words+letters",
            Design::WordsLettersRules => "words+letters+rules",
            Design::Phrases => "words+letters+rules+phrases",
            Design::Questions => "words+letters+rules+phrases+questions",
        }
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            Design::Words => 1,
            Design::WordsLetters => 2,
            Design::WordsLettersRules => 3,
            Design::Phrases => 4,
            Design::Questions => 5,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Design> {
        Design::ALL.into_iter().find(|d| d.code() == code)
    }

    fn letters(self) -> bool {
        self != Design::Words
    }

    fn rules(self) -> bool {
        matches!(
            self,
            Design::WordsLettersRules | Design::Phrases | Design::Questions
        )
    }

    fn phrases(self) -> bool {
        matches!(self, Design::Phrases | Design::Questions)
    }

    fn questions(self) -> bool {
        self == Design::Questions
    }
}

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static DUTCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Dutch));

/// The Snowball stemmer a lexicon names.
pub(crate) fn stemmer(name: &str) -> Option<&'static Stemmer> {
    match name {
        "english" => Some(&ENGLISH),
        "dutch" => Some(&DUTCH),
        _ => None,
    }
}

/// The top bit marks letter n-grams, which the model weighs as a family of their own.
pub(crate) const LETTERS: u32 = 1 << 31;

/// FNV-1a without the top bit: stable across platforms and releases, unlike `std`'s hasher.
pub(crate) fn hash(text: &str) -> u32 {
    hash_parts(text.as_bytes(), b"")
}

fn hash_parts(first: &[u8], second: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in first.iter().chain(second) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h & !LETTERS
}

/// Everything the features are made from.
pub(crate) struct Input<'a> {
    pub folded: &'a str,
    pub sentences: &'a [Sentence],
    /// The lexicon's hits, per sentence.
    pub hits: &'a [Vec<Hit>],
    /// What the rules read, for [`Design::WordsLettersRules`].
    pub rule_acts: &'a [Act],
    pub context: Context,
    /// Each sentence's words, stemmed.
    pub stems: &'a [Vec<String>],
}

/// The message's features, sorted and without repeats.
pub(crate) fn extract(design: Design, input: &Input<'_>) -> Vec<u32> {
    let mut out = Vec::with_capacity(256);
    let mut buf = String::with_capacity(48);
    // Every feature is a formatted string, hashed; one buffer serves them all.
    macro_rules! emit {
        ($($arg:tt)*) => {{
            buf.clear();
            let _ = write!(buf, $($arg)*);
            out.push(hash(&buf));
        }};
    }
    let context = input.context.kind();
    let words: usize = input.sentences.iter().map(|s| s.tokens.len()).sum();
    let length = match words {
        0..=1 => "1",
        2..=3 => "3",
        4..=7 => "7",
        8..=15 => "15",
        _ => "long",
    };
    emit!("len:{length}");
    if input.context != Context::None {
        emit!("x:{context}");
        emit!("x:{context}|len:{length}");
    }
    if let Some(topic) = input.context.topic() {
        emit!("xt:{topic}");
    }

    for (s, sentence) in input.sentences.iter().enumerate() {
        let hits = &input.hits[s];
        let stems = &input.stems[s];
        let negated = negation_scope(sentence, hits);
        if sentence.question_mark {
            out.push(hash("?"));
        }
        let (mut before, mut previous) = ("^", "^");
        for (i, stem) in stems.iter().enumerate() {
            emit!("w:{stem}");
            emit!("b:{previous}_{stem}");
            if design.phrases() {
                emit!("t:{before}_{previous}_{stem}");
                if input.context != Context::None {
                    emit!("x:{context}|b:{previous}_{stem}");
                }
            }
            if negated[i] {
                emit!("n:{stem}");
            }
            if i == 0 {
                emit!("f:{stem}");
            }
            if input.context != Context::None {
                emit!("x:{context}|w:{stem}");
            }
            if design.letters() {
                let token = &sentence.tokens[i];
                letter_grams(
                    &input.folded[token.start as usize..token.end as usize],
                    &mut out,
                );
            }
            before = previous;
            previous = stem;
        }
        emit!("b:{previous}_$");
        if design.questions() && rules::is_question(sentence, hits) {
            let first = stems.first().map_or("", String::as_str);
            emit!("q:f:{first}");
            emit!("q:len:{}", stems.len().min(12));
            if s + 1 == input.sentences.len() {
                emit!("q:last");
            }
            for hit in hits {
                emit!("q:k:{}", kind_name(hit.kind));
            }
        }

        if design.rules() {
            for hit in hits {
                let negated = negated.get(hit.start).copied().unwrap_or(false);
                emit!(
                    "k:{}{}",
                    kind_name(hit.kind),
                    if negated { "!" } else { "" }
                );
            }
        }
    }
    if design.rules() {
        for act in input.rule_acts {
            emit!("r:{}", act.act);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Letter 3- to 5-grams of a word with its edges marked, so "conserns" shares most of its
/// features with "concerns".
fn letter_grams(word: &str, out: &mut Vec<u32>) {
    let mut chars = [0u8; 4 * 34];
    let mut ends: Vec<usize> = Vec::with_capacity(34);
    let mut len = 0;
    for c in std::iter::once('<')
        .chain(word.chars())
        .chain(std::iter::once('>'))
    {
        if len + c.len_utf8() > chars.len() {
            break;
        }
        len += c.encode_utf8(&mut chars[len..]).len();
        ends.push(len);
    }
    if ends.len() < 5 {
        return;
    }
    for n in 3..=5 {
        for start in 0..=ends.len() - n {
            let from = if start == 0 { 0 } else { ends[start - 1] };
            let gram = &chars[from..ends[start + n - 1]];
            out.push(hash_parts(b"c:", gram) | LETTERS);
        }
    }
}

/// Which words stand in the scope of a negation: up to a few words after it, in its clause.
fn negation_scope(sentence: &Sentence, hits: &[Hit]) -> Vec<bool> {
    let mut scope = vec![false; sentence.tokens.len()];
    for hit in hits.iter().filter(|h| h.kind == Kind::Negation) {
        let clause = sentence.tokens[hit.start].clause;
        let end = (hit.end + NEGATION_REACH).min(scope.len());
        for (i, slot) in scope.iter_mut().enumerate().take(end).skip(hit.end) {
            let broken = hits
                .iter()
                .any(|b| b.kind == Kind::ClauseBreak && b.start >= hit.end && b.start <= i);
            if sentence.tokens[i].clause != clause || broken {
                break;
            }
            *slot = true;
        }
    }
    scope
}

fn kind_name(kind: Kind) -> String {
    let topic = |t: Option<Topic>| t.map(|t| format!(":{t}")).unwrap_or_default();
    match kind {
        Kind::Limitation(t) => format!("limitation{}", topic(t)),
        Kind::Evidence(t) => format!("evidence{}", topic(t)),
        Kind::Measure(t) => format!("measure{}", topic(t)),
        Kind::TopicWord(t) => format!("topic:{t}"),
        Kind::Resolve(_, t) => format!("resolve:{t}"),
        Kind::Answer(..) => "answer".to_string(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_is_stable() {
        // A model file depends on these values: they must never change between builds.
        assert_eq!(hash(""), 0x011c_9dc5);
        assert_eq!(hash("a"), 0x640c_292c);
    }

    #[test]
    fn stems_join_inflections() {
        let en = stemmer("english").expect("english");
        assert_eq!(en.stem("concerns"), en.stem("concerned"));
        let nl = stemmer("dutch").expect("dutch");
        assert_eq!(nl.stem("twijfels"), nl.stem("twijfel"));
    }
}
