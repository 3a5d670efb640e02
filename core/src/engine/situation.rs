//! Discovery: questions about the customer's own world, answered from its persona's situation.

use super::{Cause, Context, Reply, Session, Voice, trust};
use crate::lexicon::Stock;
use crate::reader::Reading;
use std::sync::Arc;

impl Session {
    /// A question about the customer's own world: answered from the persona's situation, a
    /// little trust for the first question on each subject; a subject the persona does not
    /// describe gets a natural "I'd have to check".
    pub(super) fn discover(&mut self, reading: &Reading, words: &str, reply: &mut Reply) {
        let persona = Arc::clone(&self.persona);
        let Some(i) = persona.subject_asked(&reading.words) else {
            let line = self.stock(Stock::UnknownSituation);
            reply.add(4, line);
            reply.did(Context::Answered);
            return;
        };
        let subject = &persona.situation[i];
        if !self.learned.iter().any(|&(_, s)| s == i) {
            self.learned.push((self.turn, i));
            self.move_trust(
                trust::LEARNED,
                Cause::Learned {
                    subject: subject.label.clone(),
                },
                words,
            );
        }
        let line = self.say(Voice::Situation(i), &subject.answers);
        reply.add(4, line);
        reply.did(Context::Answered);
    }
}
