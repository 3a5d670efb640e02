//! Reads a trainee message into acts (the spec's "Reading the trainee"). Pure and
//! rule-based: the lexicon supplies the phrases, these rules decide what they mean together,
//! so that "we don't offer a penalty clause" is an admission and not a measure.

mod matcher;
mod text;

use matcher::Hit;
pub(crate) use matcher::Kind;
pub(crate) use matcher::Matcher;
use text::Sentence;

use crate::lexicon::Lexicon;
use crate::topic::{Act, ActKind, Topic};

/// How far back (in words) a negation reaches.
const NEGATION_REACH: usize = 4;

/// Everything the engine needs to know about one trainee message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// The acts in the order they occur; `other` alone when nothing else was read.
    pub acts: Vec<Act>,
    /// Topics the message touches in any way, for the customer's tells.
    pub mentions: Vec<Topic>,
    /// Evidence and measures, with the persona doubts whose own resolve terms they use.
    pub offers: Vec<Offer>,
    /// "Any questions?": the customer answers that all is clear.
    pub any_questions: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub act: Act,
    /// Indices into the persona's doubt pool whose resolve terms this offer uses.
    pub resolves: Vec<u16>,
}

/// Reads messages in one language, optionally with a persona's extra words.
pub struct Reader<'a> {
    lexicon: &'static Lexicon,
    base: &'static Matcher,
    extra: Option<&'a Matcher>,
}

impl<'a> Reader<'a> {
    pub fn new(lexicon: &'static Lexicon) -> Self {
        Reader {
            lexicon,
            base: lexicon.matcher(),
            extra: None,
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

    pub fn read(&self, message: &str) -> Reading {
        let mut folded = String::with_capacity(message.len());
        let sentences = text::tokenize(message, &mut folded, &self.lexicon.grammar.synonyms);
        let mut reading = Reading::default();
        let mut hits = Vec::new();
        let mut previous: Vec<Topic> = Vec::new();
        for sentence in &sentences {
            hits.clear();
            self.base.find(&folded, sentence, &mut hits);
            if let Some(extra) = self.extra {
                extra.find(&folded, sentence, &mut hits);
            }
            hits.sort_by_key(|h| h.start);
            previous = read_sentence(sentence, &hits, &previous, &mut reading);
        }
        if reading.acts.is_empty() {
            reading.acts.push(Act::new(ActKind::Other, None));
        }
        reading
    }
}

impl Lexicon {
    /// The lexicon's phrases compiled once, on first use.
    pub(crate) fn matcher(&'static self) -> &'static Matcher {
        self.compiled.get_or_init(|| compile(self))
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

struct SentenceView<'h> {
    sentence: &'h Sentence,
    hits: &'h [Hit],
}

impl SentenceView<'_> {
    fn has(&self, pred: impl Fn(Kind) -> bool) -> bool {
        self.hits.iter().any(|h| pred(h.kind))
    }

    fn negated(&self, target: &Hit) -> bool {
        let clause = |i: usize| self.sentence.tokens[i].clause;
        self.hits.iter().any(|n| {
            n.kind == Kind::Negation
                && n.end <= target.start
                && target.start - n.end <= NEGATION_REACH
                && clause(n.start) == clause(target.start)
                && !self.hits.iter().any(|b| {
                    b.kind == Kind::ClauseBreak && b.start >= n.end && b.start < target.start
                })
        })
    }

    /// Whether a condition ("if it doesn't suit") governs the hit, so it admits nothing.
    fn conditional(&self, target: &Hit) -> bool {
        self.hits.iter().any(|c| {
            c.kind == Kind::Conditional
                && c.end <= target.start
                && target.start - c.end <= NEGATION_REACH
                && self.sentence.tokens[c.start].clause == self.sentence.tokens[target.start].clause
        })
    }

    /// An offer negated earlier in its clause drags the rest of the clause with it: "we
    /// can't commit to a start date in writing" offers nothing in writing either.
    fn offer_negated(&self, target: &Hit) -> bool {
        self.negated(target)
            || self.hits.iter().any(|h| {
                is_offer(h.kind)
                    && h.start < target.start
                    && self.sentence.tokens[h.start].clause
                        == self.sentence.tokens[target.start].clause
                    && self.negated(h)
            })
    }

    /// Whether two hits stand in one clause: no comma-like mark and no "but" between them.
    fn same_clause(&self, a: &Hit, b: &Hit) -> bool {
        let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
        self.sentence.tokens[first.start].clause == self.sentence.tokens[second.start].clause
            && !self.hits.iter().any(|h| {
                h.kind == Kind::ClauseBreak && h.start >= first.start && h.start < second.start
            })
    }

    fn overlaps(&self, target: &Hit, kind: Kind) -> bool {
        self.hits
            .iter()
            .any(|h| h.kind == kind && h.start < target.end && target.start < h.end)
    }

    fn question(&self) -> bool {
        self.sentence.question_mark
            || self.hits.iter().any(|h| {
                (h.kind == Kind::QuestionStart && h.start == 0)
                    || (h.kind == Kind::Subject && h.start == 1)
            })
    }

    fn topics(&self) -> Vec<Topic> {
        let mut topics = Vec::new();
        for hit in self.hits {
            if let Kind::TopicWord(t) = hit.kind
                && !topics.contains(&t)
            {
                topics.push(t);
            }
        }
        topics
    }
}

fn is_offer(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Evidence(_) | Kind::Measure(_) | Kind::Resolve(..)
    )
}

/// Reads one sentence into `reading`; returns the sentence's topics for the next one.
fn read_sentence(
    sentence: &Sentence,
    hits: &[Hit],
    previous: &[Topic],
    reading: &mut Reading,
) -> Vec<Topic> {
    let s = SentenceView { sentence, hits };
    let topics = s.topics();
    let first_topic = topics.first().copied();
    let question = s.question();
    let hedged = s.has(|k| k == Kind::Hedge);
    let mut acts: Vec<Act> = Vec::new();
    let push = |act: ActKind, topic: Option<Topic>, acts: &mut Vec<Act>| {
        let act = Act::new(act, topic);
        if !acts.contains(&act) {
            acts.push(act);
        }
    };

    for &t in &topics {
        if !reading.mentions.contains(&t) {
            reading.mentions.push(t);
        }
    }

    // Brush-offs carry their own negation ("wouldn't lose any sleep"), so none is checked.
    let dismiss = s.has(|k| k == Kind::Dismiss);
    let any_questions = s.has(|k| k == Kind::AnyQuestions);
    reading.any_questions |= any_questions && question;
    let asking = (question || s.has(|k| k == Kind::Invite)) && !dismiss && !any_questions;

    if asking {
        let doubt_words = s.has(|k| k == Kind::Hesitation);
        let frame = s.has(|k| k == Kind::AskAbout);
        // "We have no references yet. Is that a problem for you?" asks about references.
        let pointed = if topics.is_empty() && s.has(|k| k == Kind::Anaphora) {
            previous
        } else {
            &[]
        };
        let asked_topics: Vec<Topic> = topics.iter().chain(pointed).copied().collect();
        if (doubt_words || frame) && !asked_topics.is_empty() {
            for &t in &asked_topics {
                push(ActKind::AskAbout, Some(t), &mut acts);
            }
        } else if doubt_words {
            push(ActKind::AskHesitation, None, &mut acts);
        }
    }

    let asked = !acts.is_empty();
    // An honest "we had a failure rate we weren't proud of" admits; it does not prove.
    let admission = |target: &Hit| {
        !question
            && hits.iter().any(|h| {
                matches!(h.kind, Kind::Limitation(_))
                    && !s.negated(h)
                    && !s.conditional(h)
                    && s.same_clause(h, target)
            })
    };
    let pitched = hits.iter().any(|h| h.kind == Kind::Pitch && !s.negated(h));
    for hit in hits {
        let negated = s.negated(hit);
        match hit.kind {
            // "What would stop you from signing?" asks; it does not close.
            Kind::Close if !negated && !asked => push(ActKind::Close, None, &mut acts),
            Kind::Pitch if !negated => push(ActKind::Pitch, None, &mut acts),
            Kind::Acknowledge if !negated && !question => {
                push(ActKind::Acknowledge, None, &mut acts)
            }
            Kind::Limitation(topic) if !negated && !question && !s.conditional(hit) => {
                if let Some(t) = topic.or(first_topic) {
                    push(ActKind::ShowWeakSpot, Some(t), &mut acts);
                }
            }
            Kind::Evidence(_) | Kind::Measure(_) | Kind::Resolve(..) => {
                let skip = (matches!(hit.kind, Kind::Measure(None))
                    && s.overlaps(hit, Kind::Close))
                    || (matches!(hit.kind, Kind::Evidence(_)) && (pitched || admission(hit)));
                if !skip {
                    let negated = s.offer_negated(hit);
                    read_offer(
                        &s,
                        hit,
                        negated,
                        question,
                        hedged,
                        first_topic,
                        reading,
                        &mut acts,
                    );
                }
            }
            _ => {}
        }
    }
    if dismiss {
        push(ActKind::Dismiss, None, &mut acts);
    }
    // A measured figure on a topic is evidence even without the word "figures".
    let figure = hits
        .iter()
        .any(|h| h.kind == Kind::Figure && !s.negated(h) && !admission(h));
    if figure
        && !question
        && !hedged
        && !pitched
        && let Some(t) = first_topic
        && !acts
            .iter()
            .any(|a| matches!(a.act, ActKind::Evidence | ActKind::Measure))
    {
        let act = Act::new(ActKind::Evidence, Some(t));
        acts.push(act);
        reading.offers.push(Offer {
            act,
            resolves: Vec::new(),
        });
    }
    let honest = hits
        .iter()
        .any(|h| h.kind == Kind::Honesty && !s.negated(h));
    if honest
        && !pitched
        && !dismiss
        && let Some(t) = first_topic
        && !acts.iter().any(|a| a.act == ActKind::ShowWeakSpot)
    {
        push(ActKind::ShowWeakSpot, Some(t), &mut acts);
    }

    // A topic-less act is dropped where the same act with a topic was read beside it.
    let topical: Vec<ActKind> = acts
        .iter()
        .filter(|a| a.topic.is_some())
        .map(|a| a.act)
        .collect();
    acts.retain(|a| a.topic.is_some() || !topical.contains(&a.act));
    reading.offers.retain(|o| {
        o.act.topic.is_some() || !topical.contains(&o.act.act) || !o.resolves.is_empty()
    });
    let mut spoken_of = topics;
    for act in acts {
        if let Some(t) = act.topic
            && !spoken_of.contains(&t)
        {
            spoken_of.push(t);
        }
        if !reading.acts.contains(&act) {
            reading.acts.push(act);
        }
    }
    spoken_of
}

/// Evidence and measures count only when they are affirmed: not negated, not hedged into
/// vagueness, and not merely asked about. A negated offer is an honest admission instead.
#[allow(clippy::too_many_arguments)]
fn read_offer(
    s: &SentenceView<'_>,
    hit: &Hit,
    negated: bool,
    question: bool,
    hedged: bool,
    first_topic: Option<Topic>,
    reading: &mut Reading,
    acts: &mut Vec<Act>,
) {
    let (kind, own_topic) = match hit.kind {
        Kind::Evidence(t) => (ActKind::Evidence, t),
        Kind::Measure(t) => (ActKind::Measure, t),
        _ => (ActKind::Measure, None),
    };
    let topic = own_topic.or(first_topic);
    if negated {
        if let Some(t) = topic {
            let act = Act::new(ActKind::ShowWeakSpot, Some(t));
            if !acts.contains(&act) {
                acts.push(act);
            }
        }
        return;
    }
    let proposed = !question || s.has(|k| k == Kind::OfferOpener);
    if hedged || !proposed {
        return;
    }
    if let Kind::Resolve(doubt, doubt_topic) = hit.kind {
        // A persona's resolve term makes an offer of its own only where the lexicon saw none;
        // otherwise the lexicon's offer in this sentence carries it.
        if s.has(|k| matches!(k, Kind::Evidence(_) | Kind::Measure(_))) {
            return;
        }
        let act = Act::new(ActKind::Measure, Some(doubt_topic));
        match reading
            .offers
            .iter_mut()
            .rev()
            .find(|o| o.act == act && acts.contains(&act))
        {
            Some(offer) => offer.resolves.push(doubt),
            None => {
                acts.push(act);
                reading.offers.push(Offer {
                    act,
                    resolves: vec![doubt],
                });
            }
        }
        return;
    }
    let act = Act::new(kind, topic);
    let resolves = s
        .hits
        .iter()
        .filter_map(|h| match h.kind {
            Kind::Resolve(d, _) => Some(d),
            _ => None,
        })
        .collect();
    if !acts.contains(&act) {
        acts.push(act);
        reading.offers.push(Offer { act, resolves });
    }
}
