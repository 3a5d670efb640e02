//! Finds every lexicon phrase in a sentence in one pass: phrases are indexed by their first
//! word, so a message costs one hash look-up per word whatever the size of the lexicon.

use super::text::{Sentence, Token, phrase_words};
use crate::topic::Topic;
use std::collections::HashMap;

/// What a phrase signals when it is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Negation,
    /// A measured figure: "99.9%", "38 percent".
    Figure,
    Hedge,
    QuestionStart,
    Subject,
    ClauseBreak,
    Conditional,
    Anaphora,
    OfferOpener,
    Invite,
    Greeting,
    OurSide,
    Hesitation,
    AskAbout,
    AnyQuestions,
    Honesty,
    Limitation(Option<Topic>),
    Acknowledge,
    Evidence(Option<Topic>),
    Measure(Option<Topic>),
    Close,
    Dismiss,
    Pitch,
    TopicWord(Topic),
    /// A persona's own resolve term, tagged with the index of its doubt in the pool.
    Resolve(u16, Topic),
    /// One of a persona's `[[doubt.answer]]` phrases: the doubt's index and the answer's.
    Answer(u16, u16),
}

#[derive(Debug, Clone)]
enum Part {
    Word(String),
    Prefix(String),
    Gap(u8),
}

#[derive(Debug, Clone)]
struct Pattern {
    parts: Vec<Part>,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Matcher {
    patterns: Vec<Pattern>,
    by_first_word: HashMap<String, Vec<u32>>,
    by_first_prefix: Vec<u32>,
}

impl Matcher {
    pub fn add<S: AsRef<str>>(&mut self, phrases: &[S], kind: Kind) {
        for phrase in phrases {
            self.add_one(phrase.as_ref(), kind);
        }
    }

    fn add_one(&mut self, phrase: &str, kind: Kind) {
        let mut parts = Vec::new();
        for raw in phrase.split_whitespace() {
            if raw == ".." {
                parts.push(Part::Gap(3));
            } else if let Some(stem) = raw.strip_suffix('*') {
                parts.extend(phrase_words(stem).into_iter().map(Part::Prefix));
            } else {
                parts.extend(phrase_words(raw).into_iter().map(Part::Word));
            }
        }
        let id = self.patterns.len() as u32;
        match parts.first() {
            Some(Part::Word(w)) => self.by_first_word.entry(w.clone()).or_default().push(id),
            Some(Part::Prefix(_)) => self.by_first_prefix.push(id),
            Some(Part::Gap(_)) | None => return,
        }
        self.patterns.push(Pattern { parts, kind });
    }

    /// Every phrase found in the sentence, in order of where it starts.
    pub fn find(&self, folded: &str, sentence: &Sentence, hits: &mut Vec<Hit>) {
        let words: Vec<&str> = sentence
            .tokens
            .iter()
            .map(|t: &Token| &folded[t.start as usize..t.end as usize])
            .collect();
        for (start, word) in words.iter().enumerate() {
            if word.ends_with('%') {
                hits.push(Hit {
                    kind: Kind::Figure,
                    start,
                    end: start + 1,
                });
            }
            let candidates = self
                .by_first_word
                .get(words[start])
                .into_iter()
                .flatten()
                .chain(self.by_first_prefix.iter());
            for &id in candidates {
                let pattern = &self.patterns[id as usize];
                if let Some(end) = match_parts(&pattern.parts, &words, start) {
                    hits.push(Hit {
                        kind: pattern.kind,
                        start,
                        end,
                    });
                }
            }
        }
    }
}

fn match_parts(parts: &[Part], words: &[&str], at: usize) -> Option<usize> {
    let Some((first, rest)) = parts.split_first() else {
        return Some(at);
    };
    match first {
        Part::Word(w) => (words.get(at) == Some(&w.as_str()))
            .then(|| match_parts(rest, words, at + 1))
            .flatten(),
        Part::Prefix(p) => words
            .get(at)
            .filter(|word| word.starts_with(p.as_str()))
            .and_then(|_| match_parts(rest, words, at + 1)),
        Part::Gap(max) => (0..=*max as usize)
            .filter(|skip| at + skip <= words.len())
            .find_map(|skip| match_parts(rest, words, at + skip)),
    }
}
