//! How the customer takes an offer: whether it answers a revealed doubt by meaning, and an
//! acceptance that names nothing the trainee did not offer.

use super::{Cause, Context, Reply, Session, Voice, trust};
use crate::lexicon::Stock;
use crate::persona::Difficulty;
use crate::reader::{Offer, Reading};
use std::sync::Arc;

impl Session {
    /// Evidence or a measure resolves the revealed doubts it answers (see [`Session::fits`]).
    /// Aimed at a doubt still hidden, it resolves nothing. Returns whether it answered a doubt.
    pub(super) fn offered(
        &mut self,
        offer: &Offer,
        reading: &Reading,
        message: &str,
        words: &str,
        reply: &mut Reply,
    ) -> bool {
        let persona = Arc::clone(&self.persona);
        let mut answered = false;
        for state in 0..self.doubts.len() {
            let d = &self.doubts[state];
            if !d.open() || !self.fits(state, offer, reading) {
                continue;
            }
            if d.revealed_at.is_none() {
                self.early_evidence
                    .push((self.turn, persona.doubts[d.index].topic));
                continue;
            }
            let index = d.index;
            // A hard customer questions the first fitting answer once before taking it.
            if self.difficulty == Difficulty::Hard && !d.probed {
                self.doubts[state].probed = true;
                let topic = persona.doubts[index].topic;
                let line = self.say(Voice::Probe(topic), &persona.lexicon().topic(topic).probe);
                reply.add(0, line);
                reply.did(Context::Unresolved(topic));
                answered = true;
                continue;
            }
            self.doubts[state].resolved_at = Some(self.turn);
            self.doubts[state].resolved_by = Some(words.to_string());
            answered = true;
            let doubt = &persona.doubts[index];
            self.move_trust(
                trust::RESOLVED_PER_WEIGHT * i32::from(doubt.weight),
                Cause::Resolved {
                    doubt: doubt.id.clone(),
                },
                words,
            );
            let line = self.acceptance(index, offer, message);
            reply.add(0, line);
            reply.did(Context::Resolved(doubt.topic));
        }
        answered
    }

    /// Whether an offer answers what a doubt is about: the persona's own resolve terms or
    /// answers, a kind of proof or measure the topic's lexicon lists, or an offer on the
    /// doubt's topic that speaks of what the doubt is about (its words, or what the customer
    /// said when revealing it). Proof of another kind does not.
    fn fits(&self, state: usize, offer: &Offer, reading: &Reading) -> bool {
        let d = &self.doubts[state];
        let doubt = &self.persona.doubts[d.index];
        let index = d.index as u16;
        if offer.resolves.contains(&index)
            || offer.answers.iter().any(|&(i, _)| i == index)
            || offer.named.contains(&doubt.topic)
        {
            return true;
        }
        if offer.act.topic != Some(doubt.topic) {
            return false;
        }
        let meaning = self.persona.meaning(d.index);
        let said = d.said.and_then(|i| meaning.reveals.get(i));
        reading.mentions.contains(&doubt.topic)
            || reading
                .words
                .iter()
                .any(|w| meaning.terms.contains(w) || said.is_some_and(|s| s.contains(w)))
    }

    /// The customer's acceptance: the author's reply to the answer given, else one of the
    /// doubt's `resolved` lines, but only a line that names nothing the trainee did not offer
    /// (no number, proof or measure of its own); else a plain acceptance.
    fn acceptance(&mut self, index: usize, offer: &Offer, message: &str) -> String {
        let persona = Arc::clone(&self.persona);
        let reader = self.reader();
        let offered = reader.named(message);
        // An author's reply to an answer may name what the answer names, but no number the
        // trainee did not give; a `resolved` line may name nothing the trainee did not offer.
        let names_only_offered = |line: &String, authored: bool| {
            reader
                .named(line)
                .iter()
                .filter(|w| {
                    w.starts_with("number:") || (!authored && persona.offer_words().contains(w))
                })
                .all(|w| offered.contains(w))
        };
        let doubt = &persona.doubts[index];
        let answers = offer
            .answers
            .iter()
            .filter(|&&(d, _)| usize::from(d) == index)
            .filter_map(|&(_, a)| Some((usize::from(a), doubt.answers.get(usize::from(a))?)));
        let mut candidates: Vec<(Voice, Vec<String>, bool)> = answers
            .map(|(a, answer)| (Voice::Answer(index, a), answer.replies.clone(), true))
            .collect();
        candidates.push((Voice::Resolved(index), doubt.resolved.clone(), false));
        for (voice, lines, authored) in candidates {
            let fitting: Vec<String> = lines
                .into_iter()
                .filter(|l| names_only_offered(l, authored))
                .collect();
            if !fitting.is_empty() {
                return self.say(voice, &fitting);
            }
        }
        self.stock(Stock::Accepted)
    }
}
