//! The session written up for the debrief: what happened to each doubt, the trust it moved,
//! and the facts the coaching points are drawn from.

use super::{Outcome, Session};
use crate::debrief::{self, Debrief, DoubtReport, TrustSummary};

impl Session {
    /// The debrief of the session as it stands (complete once the session is over).
    pub fn debrief(&self) -> Debrief {
        let persona = &self.persona;
        let doubts = self
            .doubts
            .iter()
            .map(|d| {
                let doubt = &persona.doubts[d.index];
                DoubtReport {
                    id: doubt.id.clone(),
                    label: doubt.label.clone(),
                    topic: doubt.topic,
                    weight: doubt.weight,
                    blocking: doubt.blocking,
                    revealed_at: d.revealed_at,
                    resolved_at: d.resolved_at,
                    resolved_by: d.resolved_by.clone(),
                    never_told: d.revealed_at.is_none().then(|| {
                        doubt.reveal
                            [(self.seed as usize).wrapping_add(d.index) % doubt.reveal.len()]
                        .clone()
                    }),
                }
            })
            .collect();
        let mut report = Debrief {
            persona: persona.id.clone(),
            name: persona.name.clone(),
            language: persona.language.clone(),
            seed: self.seed,
            difficulty: self.difficulty,
            outcome: self.outcome.unwrap_or(Outcome::Ended),
            trust: TrustSummary {
                start: self.start,
                peak: self.peak,
                end: self.trust,
            },
            sign_at: self.sign_at,
            stalls: self.stalls.clone(),
            doubts,
            moments: self.moments.clone(),
            coaching: Vec::new(),
            curve: self.curve.clone(),
            turns: self.turn,
            edited: Vec::new(),
        };
        let facts = debrief::Facts {
            first_ask: self.first_ask,
            dark: self.dark,
            early_evidence: self.early_evidence.iter().map(|(_, t)| *t).collect(),
            admitted: !self.admitted.is_empty(),
            answers: self
                .doubts
                .iter()
                .map(|d| {
                    let doubt = &persona.doubts[d.index];
                    let own = doubt
                        .answers
                        .iter()
                        .filter_map(|a| a.offers.first())
                        .chain(&doubt.resolve)
                        .cloned()
                        .collect();
                    (doubt.id.clone(), own)
                })
                .collect(),
        };
        report.coaching = debrief::coaching(&report, &facts, persona.lexicon());
        report
    }
}
