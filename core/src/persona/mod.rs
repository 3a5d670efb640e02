//! The persona format coaches write (one TOML file per customer), checked strictly so that a
//! typo never silently changes a customer. See `load` for the checker.

mod checker;
mod load;
mod schema;

pub use crate::record::Difficulty;
pub use load::{LoadReport, PersonaError, Rejected, load, parse};

use crate::lexicon::{Lexicon, Stock};
use crate::reader::{Kind, Matcher, Reader};
use crate::topic::Topic;
use std::collections::BTreeMap;

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
    /// A short name for the debrief ("emergency call-outs"); the id where there is none.
    pub label: Option<String>,
    pub weight: u8,
    pub blocking: bool,
    pub keywords: Vec<String>,
    pub tells: Vec<String>,
    pub reveal: Vec<String>,
    pub resolve: Vec<String>,
    pub resolved: Vec<String>,
    pub unresolved: Vec<String>,
    /// Answers the author pairs with the customer's reply to them, so that the customer
    /// echoes what was offered.
    pub answers: Vec<Answer>,
}

/// One `[[situation]]` subject: the words that ask for it and the customer's answers.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: String,
    /// How the debrief names what the trainee learned.
    pub label: String,
    pub asks: Vec<String>,
    pub answers: Vec<String>,
}

/// A `[[doubt.answer]]`: the phrases that count as this answer and what the customer says to it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub offers: Vec<String>,
    pub replies: Vec<String>,
}

/// A doubt's words as the reader stems them, to tie an answer to it by meaning.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meaning {
    /// Its keywords, resolve terms and answers.
    pub terms: Vec<String>,
    /// Each reveal line, in the order of `reveal`.
    pub reveals: Vec<Vec<String>>,
}

/// A checked persona: every field present and in range, its language one sceptic speaks.
/// Only [`parse`] and [`load`] make one.
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
    /// `je` or `u` for a Dutch customer: the register of every stock line it says.
    pub register: Option<String>,
    /// What the customer tells when asked about its own world.
    pub situation: Vec<Subject>,
    /// The persona's own stock lines, in place of the lexicon's.
    pub lines: BTreeMap<Stock, Vec<String>>,
    lexicon: &'static Lexicon,
    /// Each subject's `asks`, stemmed.
    asks: Vec<Vec<String>>,
    /// The doubts' keywords, resolve terms and answers, compiled once for every session.
    words: Matcher,
    meanings: Vec<Meaning>,
    /// Every stemmed word that names a proof or a measure, in the lexicon or the persona: a
    /// line of the customer's that names one is said only when the trainee offered it.
    offer_words: Vec<String>,
}

impl Persona {
    /// The lexicon of the persona's language.
    pub fn lexicon(&self) -> &'static Lexicon {
        self.lexicon
    }

    pub(crate) fn words(&self) -> &Matcher {
        &self.words
    }

    /// The stock lines this customer says: its own, else its register's, else the lexicon's.
    pub fn stock(&self, which: Stock) -> &[String] {
        match self.lines.get(&which) {
            Some(own) => own,
            None => self.lexicon.stock(which, self.register.as_deref()),
        }
    }

    /// The situation subject a message asks about: the one that shares most of its words,
    /// the first written on a tie.
    pub(crate) fn subject_asked(&self, words: &[String]) -> Option<usize> {
        self.asks
            .iter()
            .enumerate()
            .map(|(i, asks)| (words.iter().filter(|w| asks.contains(w)).count(), i))
            .filter(|&(n, _)| n > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, i)| i)
    }

    pub(crate) fn meaning(&self, doubt: usize) -> &Meaning {
        &self.meanings[doubt]
    }

    pub(crate) fn offer_words(&self) -> &[String] {
        &self.offer_words
    }

    fn compile_words(doubts: &[Doubt]) -> Matcher {
        let mut words = Matcher::default();
        for (i, doubt) in doubts.iter().enumerate() {
            words.add(&doubt.keywords, Kind::TopicWord(doubt.topic));
            words.add(&doubt.resolve, Kind::Resolve(i as u16, doubt.topic));
            for (a, answer) in doubt.answers.iter().enumerate() {
                words.add(&answer.offers, Kind::Answer(i as u16, a as u16));
            }
        }
        words
    }

    fn compile_asks(lexicon: &'static Lexicon, situation: &[Subject]) -> Vec<Vec<String>> {
        let reader = Reader::new(lexicon);
        situation
            .iter()
            .map(|s| {
                let mut stems: Vec<String> = s
                    .asks
                    .iter()
                    .flat_map(|a| reader.content_words(a))
                    .collect();
                stems.sort();
                stems.dedup();
                stems
            })
            .collect()
    }

    fn compile_meanings(
        lexicon: &'static Lexicon,
        doubts: &[Doubt],
    ) -> (Vec<Meaning>, Vec<String>) {
        let reader = Reader::new(lexicon);
        let stems = |texts: &mut dyn Iterator<Item = &String>| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for text in texts {
                for w in reader.content_words(text) {
                    if !out.contains(&w) {
                        out.push(w);
                    }
                }
            }
            out
        };
        let meanings = doubts
            .iter()
            .map(|d| {
                let offers = d.answers.iter().flat_map(|a| &a.offers);
                Meaning {
                    terms: stems(&mut d.keywords.iter().chain(&d.resolve).chain(offers)),
                    reveals: d
                        .reveal
                        .iter()
                        .map(|r| stems(&mut std::iter::once(r)))
                        .collect(),
                }
            })
            .collect();
        let persona_offers = doubts.iter().flat_map(|d| {
            d.resolve
                .iter()
                .chain(d.answers.iter().flat_map(|a| &a.offers))
        });
        let lexicon_offers = lexicon
            .topics
            .values()
            .flat_map(|t| t.evidence.iter().chain(&t.measures))
            .chain(&lexicon.acts.evidence)
            .chain(&lexicon.acts.measure);
        // Topic words ("delivery", "price") name what a doubt is about, not what was offered.
        let topic_words: Vec<String> = stems(&mut lexicon.topics.values().flat_map(|t| &t.words));
        let offer_words = stems(&mut persona_offers.chain(lexicon_offers))
            .into_iter()
            .filter(|w| !topic_words.contains(w))
            .collect();
        (meanings, offer_words)
    }
}
