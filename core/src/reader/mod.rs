//! Reads a trainee message into acts (the spec's "Reading the trainee"). Pure. Rules do what
//! rules do well: folding, sentences, negation and condition scope, topic words, a persona's
//! own terms. A learned model ([`model`], trained by [`train`] from the labelled corpus)
//! decides what the message does and which topic it is about, so that phrasings nobody wrote
//! down are still read as meant.

mod context;
pub mod corpus;
mod features;
mod matcher;
mod model;
mod rules;
mod text;
pub mod train;

pub use context::Context;
pub use features::Design;
pub use model::Model;

use features::Input;
use matcher::Hit;
pub(crate) use matcher::Kind;
pub(crate) use matcher::Matcher;
use rust_stemmers::Stemmer;
use text::Sentence;

use crate::lexicon::{self, Lexicon};
use crate::topic::{Act, ActKind, Topic};
use std::sync::LazyLock;

/// A topic probability the model is sure enough of to name the topic by itself.
const SURE_TOPIC: f32 = 0.2;

/// A sentence shorter than this is read only as part of its message.
const MIN_PART_WORDS: usize = 4;

/// How much surer than the whole message a single sentence must be to read an act: the model
/// learnt whole messages, and a sentence alone reads acts its message does not do. Chosen on
/// the validation split (`sceptic train --compare`): 0.15 reads about a point fewer wrong
/// acts for about a point fewer complete messages, and a wrong act costs the trainee more.
const PART_DISCOUNT: f32 = 0.15;

/// A trainee's message nearly always does something: where no act reaches its threshold, the
/// likeliest act is still read if it reaches this. Chosen with the threshold of 0.6 on the
/// validation folds (`sceptic train --compare`): the pair read a few more messages whole and
/// fewer wrong acts than 0.5 alone in both languages, and no single threshold did both.
const LONE_ACT_THRESHOLD: f32 = 0.4;

/// How many common words of another language make a message foreign.
const FOREIGN_WORDS: usize = 3;

/// An offer backed by one of the persona's own terms counts at this lower probability.
const PERSONA_TERM_THRESHOLD: f32 = 0.25;

/// Everything the engine needs to know about one trainee message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// The acts the message does; `other` alone when nothing else was read.
    pub acts: Vec<Act>,
    /// Topics whose words the message uses (the lexicon's or the persona's), for the
    /// customer's tells and for tying an answer to a doubt.
    pub mentions: Vec<Topic>,
    /// Evidence and measures, with what they name.
    pub offers: Vec<Offer>,
    /// "Any questions?": the customer answers that all is clear.
    pub any_questions: bool,
    /// The message opens with a greeting.
    pub greeting: bool,
    /// A question about the offer ("what would you like to see from us?").
    pub about_offer: bool,
    /// The message is in another language than the reader's ("is it ok if I speak English?").
    pub foreign: bool,
    /// The message's content words, stemmed, for matching an answer to a doubt by meaning.
    pub words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub act: Act,
    /// Indices into the persona's doubt pool whose resolve terms this offer uses.
    pub resolves: Vec<u16>,
    /// Topics whose lexicon lists the kind of proof or measure this offer names.
    pub named: Vec<Topic>,
    /// The persona's `[[doubt.answer]]`s this offer uses: (doubt, answer) indices.
    pub answers: Vec<(u16, u16)>,
}

/// Reads messages in one language, optionally with a persona's extra words.
pub struct Reader<'a> {
    lexicon: &'static Lexicon,
    base: &'static Matcher,
    extra: Option<&'a Matcher>,
    model: &'a Model,
    stemmer: &'static Stemmer,
}

/// A message split into sentences, with what the lexicon (and the persona) found in each.
struct Analysis {
    folded: String,
    sentences: Vec<Sentence>,
    /// Each sentence's words, stemmed once for every use.
    stems: Vec<Vec<String>>,
    hits: Vec<Vec<Hit>>,
    extra: Vec<Vec<Hit>>,
}

impl<'a> Reader<'a> {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        let model = model::builtin(&lexicon.language)
            .unwrap_or_else(|| panic!("no reader model for language {}", lexicon.language));
        Reader::with_model(lexicon, model)
    }

    /// A reader with a model of one's own (the trainer's, while it compares designs).
    pub fn with_model(lexicon: &'static Lexicon, model: &'a Model) -> Self {
        Reader {
            lexicon,
            base: matcher(lexicon),
            extra: None,
            model,
            stemmer: lexicon.stemmer(),
        }
    }

    /// A reader that also knows a persona's keywords and resolve terms.
    pub(crate) fn with_extra(lexicon: &'static Lexicon, extra: &'a Matcher) -> Self {
        Reader {
            extra: Some(extra),
            ..Reader::new(lexicon)
        }
    }

    pub fn lexicon(&self) -> &'static Lexicon {
        self.lexicon
    }

    /// Reads a message on its own, as `classify` does.
    pub fn read(&self, message: &str) -> Reading {
        self.read_in(message, Context::None)
    }

    /// Reads a message as an answer to what the customer just did.
    pub fn read_in(&self, message: &str, context: Context) -> Reading {
        let analysis = self.analyse(message);
        let rules = rules::read(&analysis.sentences, &analysis.hits);
        let parts: Vec<_> = self
            .parts(&analysis, &rules, context, self.model.design)
            .iter()
            .map(|features| self.model.probabilities(features))
            .collect();
        self.decide(&analysis, &rules, context, &parts)
    }

    /// The features of every part the model scores: the whole message first, then, in a
    /// message of several sentences, each sentence long enough to be read on its own. A long
    /// message does several things, and its second and third act are not to be drowned by
    /// the first.
    fn parts(
        &self,
        analysis: &Analysis,
        rules: &Reading,
        context: Context,
        design: Design,
    ) -> Vec<Vec<u32>> {
        let mut parts = vec![self.features(analysis, rules, context, design)];
        if analysis.sentences.len() < 2 {
            return parts;
        }
        for i in 0..analysis.sentences.len() {
            // "What is it?" after a sentence means what that sentence says; read alone, a
            // short sentence would say something else.
            if analysis.sentences[i].tokens.len() < MIN_PART_WORDS {
                continue;
            }
            let (sentences, hits) = (&analysis.sentences[i..=i], &analysis.hits[i..=i]);
            let rules = rules::read(sentences, hits);
            parts.push(features::extract(
                design,
                &Input {
                    folded: &analysis.folded,
                    sentences,
                    hits,
                    rule_acts: &rules.acts,
                    context,
                    stems: &analysis.stems[i..=i],
                },
            ));
        }
        parts
    }

    /// What the rules alone read, for comparison with the model.
    pub fn read_by_rules(&self, message: &str) -> Reading {
        let analysis = self.analyse(message);
        let mut reading = rules::read(&analysis.sentences, &analysis.hits);
        if reading.acts.is_empty() {
            reading.acts.push(Act::new(ActKind::Other, None));
        }
        reading
    }

    /// The model's features of a whole message, for the trainer.
    pub(crate) fn features_of(&self, message: &str, context: Context, design: Design) -> Vec<u32> {
        let analysis = self.analyse(message);
        let rules = rules::read(&analysis.sentences, &analysis.hits);
        self.features(&analysis, &rules, context, design)
    }

    /// The stemmed content words of a text, as [`Reading::words`] holds them.
    pub fn content_words(&self, text: &str) -> Vec<String> {
        self.words_of(&self.analyse(text))
    }

    /// What a text names, to tell whether a customer's line names only what the trainee
    /// offered: its numbers as digits (`number:4`) and its stemmed words.
    pub fn named(&self, text: &str) -> Vec<String> {
        let analysis = self.analyse(text);
        let numbers = &self.lexicon.grammar.numbers;
        let mut out: Vec<String> = Vec::new();
        for token in analysis.sentences.iter().flat_map(|s| &s.tokens) {
            let word = &analysis.folded[token.start as usize..token.end as usize];
            let digits = word.trim_end_matches('%');
            let item = if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                format!("number:{digits}")
            } else if let Some(n) = numbers.get(word) {
                format!("number:{n}")
            } else {
                self.stemmer.stem(word).into_owned()
            };
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }

    /// Whether most of a message's common words belong to another language sceptic speaks:
    /// a few of its stopwords and clearly more of them than of this language's.
    fn foreign(&self, analysis: &Analysis) -> bool {
        let words: Vec<&str> = analysis
            .sentences
            .iter()
            .flat_map(|s| &s.tokens)
            .map(|t| &analysis.folded[t.start as usize..t.end as usize])
            .collect();
        let count = |lexicon: &Lexicon| {
            let stop = &lexicon.grammar.stopwords;
            words
                .iter()
                .filter(|w| stop.iter().any(|s| s == *w))
                .count()
        };
        let own = count(self.lexicon);
        crate::lexicon::languages()
            .into_iter()
            .filter(|&code| code != self.lexicon.language)
            .filter_map(crate::lexicon::get)
            .any(|other| {
                let theirs = count(other);
                theirs >= FOREIGN_WORDS && theirs > 2 * own
            })
    }

    fn analyse(&self, message: &str) -> Analysis {
        let mut folded = String::with_capacity(message.len());
        let sentences = text::tokenize(message, &mut folded, &self.lexicon.grammar.synonyms);
        let mut hits = Vec::with_capacity(sentences.len());
        let mut extra = Vec::with_capacity(sentences.len());
        for sentence in &sentences {
            let mut found = Vec::new();
            self.base.find(&folded, sentence, &mut found);
            hits.push(found);
            let mut found = Vec::new();
            if let Some(matcher) = self.extra {
                matcher.find(&folded, sentence, &mut found);
            }
            extra.push(found);
        }
        let stems = sentences
            .iter()
            .map(|s| {
                s.tokens
                    .iter()
                    .map(|t| {
                        let word = &folded[t.start as usize..t.end as usize];
                        self.stemmer.stem(word).into_owned()
                    })
                    .collect()
            })
            .collect();
        Analysis {
            folded,
            sentences,
            stems,
            hits,
            extra,
        }
    }

    fn features(
        &self,
        analysis: &Analysis,
        rules: &Reading,
        context: Context,
        design: Design,
    ) -> Vec<u32> {
        features::extract(
            design,
            &Input {
                folded: &analysis.folded,
                sentences: &analysis.sentences,
                hits: &analysis.hits,
                rule_acts: &rules.acts,
                context,
                stems: &analysis.stems,
            },
        )
    }

    fn words_of(&self, analysis: &Analysis) -> Vec<String> {
        let stop = &self.lexicon.grammar.stopwords;
        let mut words: Vec<String> = Vec::new();
        for (sentence, stems) in analysis.sentences.iter().zip(&analysis.stems) {
            for (token, stem) in sentence.tokens.iter().zip(stems) {
                let word = &analysis.folded[token.start as usize..token.end as usize];
                if word.len() < 3
                    || word.chars().all(|c| c.is_ascii_digit())
                    || stop.iter().any(|s| s == word)
                    || words.contains(stem)
                {
                    continue;
                }
                words.push(stem.clone());
            }
        }
        words
    }

    /// Turns the model's probabilities into acts with topics, and gathers what the engine
    /// needs to match offers to doubts.
    fn decide(
        &self,
        analysis: &Analysis,
        rules: &Reading,
        context: Context,
        parts: &[[f32; model::OUTPUTS]],
    ) -> Reading {
        // For each act, the part (whole message or one sentence) that reads it most surely,
        // how surely, and whether that reaches the model's threshold.
        let best: Vec<(ActKind, usize, f32, bool)> = model::ACTS
            .iter()
            .enumerate()
            .filter_map(|(o, &act)| {
                let (part, p) = parts
                    .iter()
                    .enumerate()
                    .map(|(k, p)| (k, if k == 0 { p[o] } else { p[o] - PART_DISCOUNT }))
                    .reduce(|a, b| if b.1 > a.1 { b } else { a })?;
                Some((act, part, p, p >= self.model.threshold[o]))
            })
            .collect();
        let mut mentions: Vec<Topic> = Vec::new();
        let mut persona_terms: Vec<(u16, Topic)> = Vec::new();
        let mut named: Vec<Topic> = Vec::new();
        let mut answers: Vec<(u16, u16)> = Vec::new();
        for (i, sentence) in analysis.sentences.iter().enumerate() {
            let base = &analysis.hits[i];
            for hit in base.iter().chain(&analysis.extra[i]) {
                let affirmed = || !rules::negated(sentence, base, hit);
                match hit.kind {
                    Kind::TopicWord(t) if !mentions.contains(&t) => mentions.push(t),
                    Kind::Resolve(d, t)
                        if !persona_terms.iter().any(|(i, _)| *i == d) && affirmed() =>
                    {
                        persona_terms.push((d, t))
                    }
                    Kind::Evidence(Some(t)) | Kind::Measure(Some(t))
                        if !named.contains(&t) && affirmed() =>
                    {
                        named.push(t)
                    }
                    Kind::Answer(d, a) if !answers.contains(&(d, a)) && affirmed() => {
                        answers.push((d, a))
                    }
                    _ => {}
                }
            }
        }

        let mut reading = Reading {
            words: self.words_of(analysis),
            ..Reading::default()
        };
        // A message the model is sure does nothing reads no act of the model's; an offer in
        // the persona's own terms is evidence the model did not see, and still counts.
        let nothing = parts[0][model::NOTHING] >= self.model.threshold[model::NOTHING];
        let lone = if nothing || best.iter().any(|&(.., sure)| sure) {
            None
        } else {
            best.iter()
                .filter(|&&(_, _, p, _)| p >= LONE_ACT_THRESHOLD)
                .reduce(|a, b| if b.2 > a.2 { b } else { a })
                .map(|&(act, ..)| act)
        };
        for &(act, part, p, sure) in &best {
            let topical = matches!(
                act,
                ActKind::AskAbout | ActKind::ShowWeakSpot | ActKind::Evidence | ActKind::Measure
            );
            let offer = matches!(act, ActKind::Evidence | ActKind::Measure);
            let backed = offer
                && (!persona_terms.is_empty() || !answers.is_empty())
                && p >= PERSONA_TERM_THRESHOLD;
            if !backed && (nothing || (!sure && lone != Some(act))) {
                continue;
            }
            let topic = topical
                .then(|| self.topic(&parts[part], &parts[0], &mentions, &persona_terms, context));
            let act = Act::new(act, topic);
            if reading.acts.contains(&act) {
                continue;
            }
            reading.acts.push(act);
            if offer {
                reading.offers.push(Offer {
                    act,
                    resolves: persona_terms.iter().map(|(d, _)| *d).collect(),
                    named: named.clone(),
                    answers: answers.clone(),
                });
            }
        }
        reading.mentions = mentions;
        reading.foreign = self.foreign(analysis);
        reading.about_offer = rules.about_offer;
        reading.greeting = analysis.hits.first().is_some_and(|hits| {
            hits.iter()
                .any(|h| h.kind == Kind::Greeting && h.start == 0)
        });
        reading.any_questions = rules.any_questions
            && !reading
                .acts
                .iter()
                .any(|a| matches!(a.act, ActKind::AskHesitation | ActKind::AskAbout));
        if reading.acts.is_empty() {
            reading.acts.push(Act::new(ActKind::Other, None));
        }
        reading
    }

    /// The topic of a topical act: the model's (from the sentence that read the act, else the
    /// whole message), unless a persona's own term says more; where the model is unsure, the
    /// topic words named, then the topic the customer just spoke of.
    fn topic(
        &self,
        part: &[f32; model::OUTPUTS],
        whole: &[f32; model::OUTPUTS],
        mentions: &[Topic],
        persona_terms: &[(u16, Topic)],
        context: Context,
    ) -> Topic {
        let strongest = |p: &[f32; model::OUTPUTS]| {
            Topic::ALL
                .into_iter()
                .map(|t| (t, p[model::topic_output(t)]))
                .reduce(|a, b| if b.1 > a.1 { b } else { a })
                .unwrap_or((Topic::Performance, 0.0))
        };
        let (best, score) = match strongest(part) {
            (_, s) if s < SURE_TOPIC => strongest(whole),
            found => found,
        };
        if let Some(&(_, t)) = persona_terms.first()
            && whole[model::topic_output(t)] >= score * 0.5
        {
            return t;
        }
        if score >= SURE_TOPIC {
            return best;
        }
        mentions
            .first()
            .copied()
            .or(context.topic())
            .unwrap_or(best)
    }
}

/// Every built-in lexicon's phrases, compiled once on first use. The reader keeps them, not
/// the lexicon: the lexicon is words, and knows nothing of how they are read.
static COMPILED: LazyLock<Vec<(&'static str, Matcher)>> = LazyLock::new(|| {
    lexicon::languages()
        .into_iter()
        .filter_map(|code| lexicon::get(code).map(|l| (code, compile(l))))
        .collect()
});

/// A lexicon's compiled phrases; lexicons are built in, so every one has them.
fn matcher(lexicon: &Lexicon) -> &'static Matcher {
    COMPILED
        .iter()
        .find(|(code, _)| *code == lexicon.language)
        .map(|(_, m)| m)
        .unwrap_or_else(|| panic!("lexicon {} is not built in", lexicon.language))
}

impl Lexicon {
    /// The Snowball stemmer the lexicon names (checked when the built-in lexicons load).
    pub(crate) fn stemmer(&self) -> &'static Stemmer {
        features::stemmer(&self.stemmer)
            .unwrap_or_else(|| panic!("lexicon {} names no known stemmer", self.language))
    }
}

fn compile(lexicon: &Lexicon) -> Matcher {
    let mut m = Matcher::default();
    let g = &lexicon.grammar;
    m.add(&g.negations, Kind::Negation);
    m.add(&g.hedges, Kind::Hedge);
    m.add(&g.figures, Kind::Figure);
    m.add(&g.question_starts, Kind::QuestionStart);
    m.add(&g.inverted_subjects, Kind::Subject);
    m.add(&g.clause_breaks, Kind::ClauseBreak);
    m.add(&g.conditionals, Kind::Conditional);
    m.add(&g.anaphora, Kind::Anaphora);
    m.add(&g.offer_openers, Kind::OfferOpener);
    m.add(&g.invites, Kind::Invite);
    m.add(&g.greetings, Kind::Greeting);
    m.add(&g.our_side, Kind::OurSide);
    let a = &lexicon.acts;
    m.add(&a.ask_hesitation, Kind::Hesitation);
    m.add(&a.ask_about, Kind::AskAbout);
    m.add(&a.any_questions, Kind::AnyQuestions);
    m.add(&a.honesty, Kind::Honesty);
    m.add(&a.limitations, Kind::Limitation(None));
    m.add(&a.acknowledge, Kind::Acknowledge);
    m.add(&a.evidence, Kind::Evidence(None));
    m.add(&a.measure, Kind::Measure(None));
    m.add(&a.close, Kind::Close);
    m.add(&a.dismiss, Kind::Dismiss);
    m.add(&a.pitch, Kind::Pitch);
    for (&topic, words) in &lexicon.topics {
        m.add(&words.words, Kind::TopicWord(topic));
        m.add(&words.evidence, Kind::Evidence(Some(topic)));
        m.add(&words.measures, Kind::Measure(Some(topic)));
        m.add(&words.limitations, Kind::Limitation(Some(topic)));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model that reads every message the same: each act at the probability given, every
    /// other act at 0.05, and doing nothing at `nothing`.
    fn constant(probabilities: &[(ActKind, f32)], nothing: f32) -> Model {
        let logit = |p: f32| (p / (1.0 - p)).ln();
        let mut bias = [logit(0.05); model::OUTPUTS];
        bias[model::NOTHING] = logit(nothing);
        for &(act, p) in probabilities {
            bias[model::act_output(act).expect("a modelled act")] = logit(p);
        }
        Model {
            design: Design::Phrases,
            hashes: Vec::new(),
            weights: Vec::new(),
            scale: [1.0; model::OUTPUTS],
            bias,
            threshold: [0.6; model::OUTPUTS],
        }
    }

    fn acts(probabilities: &[(ActKind, f32)]) -> Vec<ActKind> {
        acts_or_nothing(probabilities, 0.05)
    }

    fn acts_or_nothing(probabilities: &[(ActKind, f32)], nothing: f32) -> Vec<ActKind> {
        let model = constant(probabilities, nothing);
        let reader = Reader::with_model(lexicon::get("en").expect("english"), &model);
        reader
            .read("so tell me more")
            .acts
            .iter()
            .map(|a| a.act)
            .collect()
    }

    #[test]
    fn a_question_without_its_mark_is_still_seen_as_one() {
        let reader = Reader::new(lexicon::get("nl").expect("dutch"));
        let asks = |text: &str| {
            reader
                .features_of(text, Context::None, Design::Questions)
                .contains(&features::hash("q:last"))
        };
        assert!(asks("heb je al een andere offerte binnen"));
        assert!(asks("Hoeveel scholen doen mee?"));
        assert!(!asks("we hebben een offerte voor je klaarliggen"));
    }

    #[test]
    fn the_likeliest_act_is_read_when_none_is_sure() {
        use ActKind::*;
        assert_eq!(acts(&[(AskSituation, 0.45), (Close, 0.42)]), [AskSituation]);
        assert_eq!(acts(&[(Close, 0.3)]), [Other]);
        assert_eq!(
            acts(&[(Acknowledge, 0.7), (AskSituation, 0.45)]),
            [Acknowledge]
        );
    }

    #[test]
    fn a_message_sure_to_do_nothing_reads_no_act() {
        use ActKind::*;
        assert_eq!(acts_or_nothing(&[(Close, 0.7)], 0.65), [Other]);
        assert_eq!(acts_or_nothing(&[(AskSituation, 0.45)], 0.65), [Other]);
        assert_eq!(acts_or_nothing(&[(Close, 0.7)], 0.55), [Close]);
    }
}
