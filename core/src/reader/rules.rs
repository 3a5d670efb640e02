//! The lexicon rules: what rules do well (questions, negation and condition scope, hedges,
//! topics, offers that a clause negates). Their reading is one of the learned model's inputs,
//! and the reader falls back on it for the topic words a message names.

use super::matcher::{Hit, Kind};
use super::text::Sentence;
use super::{Offer, Reading};
use crate::topic::{Act, ActKind, Topic};

/// How far (in words) a negation reaches; the model's negation features use the same reach.
pub(crate) const NEGATION_REACH: usize = 4;

/// Reads sentences with their lexicon hits into acts, the way the rules alone would.
pub(crate) fn read(sentences: &[Sentence], hits: &[Vec<Hit>]) -> Reading {
    let mut reading = Reading::default();
    let mut previous: Vec<Topic> = Vec::new();
    for (sentence, hits) in sentences.iter().zip(hits) {
        previous = read_sentence(sentence, hits, &previous, &mut reading);
    }
    reading
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
        is_question(self.sentence, self.hits)
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

/// Whether a sentence asks: a question mark, or the shape of a question without one ("what
/// do you need", "heb je al een offerte").
pub(crate) fn is_question(sentence: &Sentence, hits: &[Hit]) -> bool {
    sentence.question_mark
        || hits.iter().any(|h| {
            (h.kind == Kind::QuestionStart && h.start == 0)
                || (h.kind == Kind::Subject && h.start == 1)
        })
}

/// Whether a negation earlier in its clause governs `target`.
pub(crate) fn negated(sentence: &Sentence, hits: &[Hit], target: &Hit) -> bool {
    SentenceView { sentence, hits }.negated(target)
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
    reading.about_offer |= question && s.has(|k| k == Kind::OurSide);
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
            named: Vec::new(),
            answers: Vec::new(),
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
                    named: Vec::new(),
                    answers: Vec::new(),
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
        reading.offers.push(Offer {
            act,
            resolves,
            named: Vec::new(),
            answers: Vec::new(),
        });
    }
}
