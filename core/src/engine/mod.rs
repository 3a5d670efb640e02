//! The sceptical customer: a pure function of persona, seed and the trainee's messages.
//! No clock, no I/O, no global randomness: the session's seed drives every choice, so a
//! session is rebuilt exactly by replaying its stored messages.

mod answers;
mod report;
mod situation;
mod trust;

pub use crate::record::{Cause, Moment, Outcome};

use crate::debrief::StallReport;
use crate::lexicon::Stock;
use crate::persona::{Difficulty, Persona};
use crate::reader::{Context, Reader, Reading};
use crate::topic::{Act, ActKind, Topic};
use rand::Rng;
use rand::SeedableRng;
use rand::seq::index;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// What one trainee message did, and the customer's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turn {
    pub turn: u32,
    pub acts: Vec<Act>,
    pub reply: String,
    pub trust: u8,
    /// Every doubt revealed so far, in the order they came out.
    pub revealed: Vec<String>,
    /// Every doubt resolved so far.
    pub resolved: Vec<String>,
    pub stalled: bool,
    pub outcome: Option<Outcome>,
}

/// A drawn doubt and what has happened to it.
#[derive(Debug, Clone)]
struct DoubtState {
    /// Index into the persona's pool.
    index: usize,
    revealed_at: Option<u32>,
    resolved_at: Option<u32>,
    resolved_by: Option<String>,
    acknowledged: bool,
    /// On hard, the customer has questioned a fitting answer once already.
    probed: bool,
    /// Which of its reveal lines the customer said: what an answer can be tied to.
    said: Option<usize>,
}

impl DoubtState {
    fn open(&self) -> bool {
        self.resolved_at.is_none()
    }
}

/// Which list a line came from, so the same list never says the same line twice in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Voice {
    Opening,
    Tell(usize),
    Reveal(usize),
    Resolved(usize),
    Answer(usize, usize),
    Situation(usize),
    Probe(Topic),
    Unresolved(usize),
    Stock(Stock),
}

#[derive(Clone)]
pub struct Session {
    persona: Arc<Persona>,
    seed: u64,
    difficulty: Difficulty,
    rng: ChaCha8Rng,
    doubts: Vec<DoubtState>,
    /// Trust at the start and the trust needed to sign, at this session's difficulty.
    start: u8,
    sign_at: u8,
    /// On hard, a later doubt comes out at the second ask: the first was held back.
    held_back: bool,
    trust: u8,
    peak: u8,
    curve: Vec<u8>,
    turn: u32,
    stalls: Vec<StallReport>,
    moments: Vec<Moment>,
    outcome: Option<Outcome>,
    last_line: HashMap<Voice, usize>,
    admitted: Vec<Topic>,
    first_ask: Option<u32>,
    early_evidence: Vec<(u32, Topic)>,
    opening: String,
    /// What the customer's last message did, for reading the trainee's next one.
    context: Context,
    /// The situation subjects asked about, with the turn of the first question.
    learned: Vec<(u32, usize)>,
    /// Messages before the first ask about doubts that were no question about the
    /// customer's world: the ones spent in the dark.
    dark: u32,
}

/// The rank of a bare acknowledgement of an offer that answered nothing.
const NOTED: u8 = 7;

/// A reply under construction: parts ordered by how much they matter to the customer.
#[derive(Default)]
struct Reply {
    parts: Vec<(u8, String)>,
    revealed_now: bool,
    /// What the reply does that the trainee's next message may answer, most telling first.
    context: Option<(u8, Context)>,
}

impl Reply {
    fn add(&mut self, rank: u8, line: String) {
        self.parts.push((rank, line));
    }

    /// Keeps the context that tells most about what the trainee may say next.
    fn did(&mut self, context: Context) {
        let rank = match context {
            Context::Revealed(_) => 0,
            Context::Stalled => 1,
            Context::Resolved(_) => 2,
            Context::NoConcern(_) | Context::NothingElse => 3,
            Context::Unresolved(_) => 4,
            Context::Told(_) => 5,
            _ => 6,
        };
        if self.context.is_none_or(|(r, _)| rank < r) {
            self.context = Some((rank, context));
        }
    }

    fn finish(mut self, ending: Option<String>, filler: impl FnOnce() -> String) -> String {
        self.parts.sort_by_key(|(rank, _)| *rank);
        self.parts.dedup_by(|a, b| a.1 == b.1);
        // A bare "Okay, noted." only where the customer has nothing else to say: pasted after
        // a real answer it reads as a fragment.
        if self.parts.iter().any(|(rank, _)| *rank < NOTED) || ending.is_some() {
            self.parts.retain(|(rank, _)| *rank < NOTED);
        }
        let mut lines: Vec<String> = self.parts.into_iter().take(3).map(|(_, l)| l).collect();
        if let Some(ending) = ending {
            lines.truncate(2);
            lines.push(ending);
        }
        if lines.is_empty() {
            lines.push(filler());
        }
        lines.join(" ")
    }
}

impl Session {
    /// Starts a session; the customer's opening line is [`Session::opening`].
    /// `difficulty` overrides the persona's own.
    pub fn new(persona: Arc<Persona>, seed: u64, difficulty: Option<Difficulty>) -> Session {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let pool = persona.doubts.len();
        let mut drawn = index::sample(&mut rng, pool, persona.draw.min(pool)).into_vec();
        drawn.sort_unstable();
        let played = difficulty.unwrap_or(persona.difficulty);
        let t = &persona.temperament;
        let (trust, sign_at) = trust::bar(t.trust, t.sign_at, persona.difficulty, played);
        let mut session = Session {
            difficulty: played,
            start: trust,
            sign_at,
            held_back: false,
            seed,
            rng,
            doubts: drawn
                .into_iter()
                .map(|index| DoubtState {
                    index,
                    revealed_at: None,
                    resolved_at: None,
                    resolved_by: None,
                    acknowledged: false,
                    probed: false,
                    said: None,
                })
                .collect(),
            trust,
            peak: trust,
            curve: vec![trust],
            turn: 0,
            stalls: Vec::new(),
            moments: Vec::new(),
            outcome: None,
            last_line: HashMap::new(),
            admitted: Vec::new(),
            first_ask: None,
            early_evidence: Vec::new(),
            opening: String::new(),
            context: Context::Opening,
            learned: Vec::new(),
            dark: 0,
            persona,
        };
        let persona = Arc::clone(&session.persona);
        session.opening = session.say(Voice::Opening, &persona.opening);
        session
    }

    /// Rebuilds a session from its stored messages; the replies are the ones given before.
    pub fn replay<'m>(
        persona: Arc<Persona>,
        seed: u64,
        difficulty: Option<Difficulty>,
        messages: impl IntoIterator<Item = &'m str>,
    ) -> Session {
        let mut session = Session::new(persona, seed, difficulty);
        for message in messages {
            if session.is_over() {
                break;
            }
            session.respond(message);
        }
        session
    }

    pub fn persona(&self) -> &Arc<Persona> {
        &self.persona
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn difficulty(&self) -> Difficulty {
        self.difficulty
    }

    pub fn opening(&self) -> &str {
        &self.opening
    }

    pub fn trust(&self) -> u8 {
        self.trust
    }

    pub fn turns(&self) -> u32 {
        self.turn
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    pub fn is_over(&self) -> bool {
        self.outcome.is_some()
    }

    /// The ids of the doubts this session carries (for authors and tests, never the trainee).
    pub fn drawn(&self) -> Vec<&str> {
        self.doubts
            .iter()
            .map(|d| self.persona.doubts[d.index].id.as_str())
            .collect()
    }

    /// Reads a message the way this persona's session does at this point: knowing the
    /// persona's own words and what the customer just did.
    pub fn read(&self, message: &str) -> Reading {
        self.reader().read_in(message, self.context)
    }

    fn reader(&self) -> Reader<'_> {
        Reader::with_extra(self.persona.lexicon(), self.persona.words())
    }

    /// Plays one trainee message. After the session is over it changes nothing and the
    /// customer stays silent.
    pub fn respond(&mut self, message: &str) -> Turn {
        if self.is_over() {
            return self.turn_result(Vec::new(), String::new(), false);
        }
        self.turn += 1;
        let words = message.trim().to_string();
        let reading = self.read(message);
        let mut reply = Reply::default();
        if reading.foreign {
            // The customer answers in character and asks to keep to its language; what was
            // said in another language moves nothing.
            let line = self.stock(Stock::OtherLanguage);
            self.curve.push(self.trust);
            return self.turn_result(Vec::new(), line, false);
        }

        for act in &reading.acts {
            match act.act {
                ActKind::AskHesitation => self.ask(None, &words, &mut reply),
                ActKind::AskAbout => self.ask(act.topic, &words, &mut reply),
                ActKind::ShowWeakSpot => self.admit(act.topic, &words, &mut reply),
                ActKind::Acknowledge => self.acknowledge(&words, &mut reply),
                ActKind::Dismiss => self.dismissed(&words, &mut reply),
                ActKind::Pitch => self.pitched(&words, &mut reply),
                ActKind::AskSituation => self.discover(&reading, &words, &mut reply),
                ActKind::Evidence | ActKind::Measure | ActKind::Close | ActKind::Other => {}
            }
        }
        let mut answered = false;
        for offer in &reading.offers {
            answered |= self.offered(offer, &reading, message, &words, &mut reply);
        }
        if !reading.offers.is_empty() && !answered {
            let line = self.stock(Stock::Noted);
            reply.add(NOTED, line);
        }
        if !reply.revealed_now {
            self.hint(Some(&reading.mentions), &mut reply);
        }
        let discovery = reading.acts.iter().any(|a| a.act == ActKind::AskSituation);
        if self.first_ask.is_none() && !discovery && !reading.greeting {
            self.dark += 1;
        }
        if reading.greeting && reply.parts.is_empty() {
            let line = self.stock(Stock::Greeting);
            reply.add(6, line);
        }
        // A question about the offer that does nothing else ("what would you like to see?")
        // gets what is on the customer's mind: a hint of its heaviest hidden doubt.
        let only_other = reading.acts.iter().all(|a| a.act == ActKind::Other);
        if reading.about_offer && only_other && !reading.any_questions && reply.parts.is_empty() {
            self.hint(None, &mut reply);
        }
        if reading.any_questions && reply.parts.is_empty() {
            let line = self.stock(Stock::Clear);
            reply.add(5, line);
            reply.did(Context::Clear);
        }

        let mut stalled = false;
        let mut ending = None;
        if reading.acts.iter().any(|a| a.act == ActKind::Close) {
            let (line, did_stall) = self.close(&words);
            stalled = did_stall;
            if did_stall {
                reply.did(Context::Stalled);
            }
            ending = Some(line);
        }
        if self.outcome.is_none() && self.trust == 0 {
            self.outcome = Some(Outcome::Lost);
            ending = Some(self.stock(Stock::LeaveTrust));
        }
        if self.outcome.is_none() && self.turn >= self.persona.temperament.patience {
            self.outcome = Some(Outcome::Lost);
            let leave = self.stock(Stock::LeavePatience);
            ending = Some(match ending {
                Some(stall) => format!("{stall} {leave}"),
                None => leave,
            });
        }
        self.curve.push(self.trust);
        self.context = reply.context.map_or(Context::None, |(_, c)| c);

        let text = reply.finish(ending, || self.stock(Stock::Filler));
        self.turn_result(reading.acts, text, stalled)
    }

    /// Nobody answered the customer for too long: the decision is postponed. Returns the
    /// customer's last word.
    pub fn expire(&mut self) -> Option<String> {
        if self.is_over() {
            return None;
        }
        self.outcome = Some(Outcome::Postponed);
        Some(self.stock(Stock::Idle))
    }

    /// The trainee stops the conversation; returns the customer's goodbye.
    pub fn end(&mut self) -> Option<String> {
        if self.is_over() {
            return None;
        }
        self.outcome = Some(Outcome::Ended);
        Some(self.stock(Stock::Ended))
    }

    fn turn_result(&self, acts: Vec<Act>, reply: String, stalled: bool) -> Turn {
        let ids = |pick: fn(&DoubtState) -> Option<u32>| {
            let mut list: Vec<(u32, &str)> = self
                .doubts
                .iter()
                .filter_map(|d| pick(d).map(|t| (t, self.persona.doubts[d.index].id.as_str())))
                .collect();
            list.sort();
            list.into_iter().map(|(_, id)| id.to_string()).collect()
        };
        Turn {
            turn: self.turn,
            acts,
            reply,
            trust: self.trust,
            revealed: ids(|d| d.revealed_at),
            resolved: ids(|d| d.resolved_at),
            stalled,
            outcome: self.outcome,
        }
    }

    /// Picks one of `lines`, never the one this list gave last time when there is another.
    fn say(&mut self, voice: Voice, lines: &[String]) -> String {
        if lines.is_empty() {
            return String::new();
        }
        let last = self.last_line.get(&voice).copied();
        let mut i = self.rng.random_range(0..lines.len());
        if lines.len() > 1 && Some(i) == last {
            i = (i + 1 + self.rng.random_range(0..lines.len() - 1)) % lines.len();
        }
        self.last_line.insert(voice, i);
        lines[i].clone()
    }

    fn stock(&mut self, which: Stock) -> String {
        let persona = Arc::clone(&self.persona);
        self.say(Voice::Stock(which), persona.stock(which))
    }

    fn move_trust(&mut self, delta: i32, cause: Cause, words: &str) {
        let delta = trust::scale(delta, self.difficulty);
        let before = i32::from(self.trust);
        let after = (before + delta).clamp(0, 100);
        if after == before {
            return;
        }
        self.trust = after as u8;
        self.peak = self.peak.max(self.trust);
        self.moments.push(Moment {
            turn: self.turn,
            delta: after - before,
            trust: self.trust,
            cause,
            words: words.to_string(),
        });
    }

    fn doubt_id(&self, state: usize) -> String {
        self.persona.doubts[self.doubts[state].index].id.clone()
    }

    fn doubt_topic(&self, state: usize) -> Topic {
        self.persona.doubts[self.doubts[state].index].topic
    }

    /// The most recently revealed doubt still unanswered.
    fn latest_open_revealed(&self) -> Option<usize> {
        (0..self.doubts.len())
            .filter(|&i| self.doubts[i].open() && self.doubts[i].revealed_at.is_some())
            .max_by_key(|&i| self.doubts[i].revealed_at)
    }

    fn unresolved_line(&mut self, state: usize) -> String {
        let persona = Arc::clone(&self.persona);
        let index = self.doubts[state].index;
        self.say(Voice::Unresolved(index), &persona.doubts[index].unresolved)
    }

    /// A general ask brings out the heaviest hidden doubt; a targeted one the doubt of that
    /// topic, or an honest "no".
    fn ask(&mut self, topic: Option<Topic>, words: &str, reply: &mut Reply) {
        self.first_ask.get_or_insert(self.turn);
        let persona = Arc::clone(&self.persona);
        let hidden = (0..self.doubts.len())
            .filter(|&i| self.doubts[i].revealed_at.is_none())
            .filter(|&i| topic.is_none_or(|t| self.doubt_topic(i) == t))
            .max_by_key(|&i| {
                (
                    persona.doubts[self.doubts[i].index].weight,
                    std::cmp::Reverse(i),
                )
            });
        let Some(state) = hidden else {
            // An open ask and one about a topic in one message: the doubt this turn revealed
            // answers both, and a second line would contradict it.
            let just_revealed = (0..self.doubts.len()).any(|i| {
                self.doubts[i].revealed_at == Some(self.turn)
                    && topic.is_none_or(|t| self.doubt_topic(i) == t)
            });
            if just_revealed {
                return;
            }
            let still_open = self
                .latest_open_revealed()
                .filter(|&i| topic.is_none_or(|t| self.doubt_topic(i) == t));
            let line = match (still_open, topic) {
                (Some(i), _) => {
                    reply.did(Context::Unresolved(self.doubt_topic(i)));
                    self.stock(Stock::StillOpen)
                }
                (None, Some(t)) => {
                    reply.did(Context::NoConcern(t));
                    self.stock(Stock::NoConcern)
                }
                (None, None) => {
                    reply.did(Context::NothingElse);
                    self.stock(Stock::NothingElse)
                }
            };
            reply.add(2, line);
            return;
        };
        let already_out = self
            .doubts
            .iter()
            .filter(|d| d.revealed_at.is_some())
            .count();
        if self.difficulty == Difficulty::Hard && already_out > 0 {
            // A later doubt takes more trust and a second ask.
            let trusted =
                i32::from(self.trust) >= i32::from(self.start) + trust::HARD_OPENS_UP_AFTER;
            if !trusted || !self.held_back {
                self.held_back = true;
                let line = self.stock(Stock::NotYet);
                reply.add(2, line);
                return;
            }
            self.held_back = false;
        }
        self.reveal(state, words, reply);
        // On easy, a general ask brings out the next doubt too.
        if self.difficulty == Difficulty::Easy && topic.is_none() {
            let next = (0..self.doubts.len())
                .filter(|&i| self.doubts[i].revealed_at.is_none())
                .max_by_key(|&i| {
                    (
                        persona.doubts[self.doubts[i].index].weight,
                        std::cmp::Reverse(i),
                    )
                });
            if let Some(next) = next {
                self.reveal(next, words, reply);
            }
        }
    }

    fn reveal(&mut self, state: usize, words: &str, reply: &mut Reply) {
        let persona = Arc::clone(&self.persona);
        let index = self.doubts[state].index;
        self.doubts[state].revealed_at = Some(self.turn);
        reply.revealed_now = true;
        let line = self.say(Voice::Reveal(index), &persona.doubts[index].reveal);
        self.doubts[state].said = self.last_line.get(&Voice::Reveal(index)).copied();
        reply.add(1, line);
        reply.did(Context::Revealed(persona.doubts[index].topic));
        self.move_trust(
            trust::ASKED,
            Cause::Asked {
                doubt: persona.doubts[index].id.clone(),
            },
            words,
        );
    }

    fn admit(&mut self, topic: Option<Topic>, words: &str, reply: &mut Reply) {
        let Some(topic) = topic else { return };
        if self.admitted.contains(&topic) {
            return;
        }
        self.admitted.push(topic);
        self.move_trust(trust::ADMITTED, Cause::Admitted { topic }, words);
        let line = self.stock(Stock::WeakSpot);
        reply.add(3, line);
    }

    fn acknowledge(&mut self, words: &str, reply: &mut Reply) {
        let Some(state) = self
            .latest_open_revealed()
            .filter(|&i| !self.doubts[i].acknowledged)
        else {
            return;
        };
        self.doubts[state].acknowledged = true;
        let (doubt, topic) = (self.doubt_id(state), self.doubt_topic(state));
        self.move_trust(
            trust::ACKNOWLEDGED,
            Cause::Acknowledged { doubt, topic },
            words,
        );
        let line = self.stock(Stock::Acknowledged);
        reply.add(4, line);
    }

    fn dismissed(&mut self, words: &str, reply: &mut Reply) {
        self.move_trust(trust::DISMISSED, Cause::Dismissed, words);
        let line = match self.latest_open_revealed() {
            Some(state) => {
                reply.did(Context::Unresolved(self.doubt_topic(state)));
                self.unresolved_line(state)
            }
            None => self.stock(Stock::Dismissed),
        };
        reply.add(2, line);
    }

    fn pitched(&mut self, words: &str, reply: &mut Reply) {
        match self.latest_open_revealed() {
            Some(state) => {
                let (doubt, topic) = (self.doubt_id(state), self.doubt_topic(state));
                self.move_trust(
                    trust::PITCHED_PAST,
                    Cause::PitchedPast { doubt, topic },
                    words,
                );
                let line = self.unresolved_line(state);
                reply.add(2, line);
                reply.did(Context::Unresolved(topic));
            }
            None => {
                let line = self.stock(Stock::Pitch);
                reply.add(6, line);
            }
        }
    }

    /// A hint of the heaviest hidden doubt: among those the message touches, when `touching`
    /// names topics; of any, for a question about the offer.
    fn hint(&mut self, touching: Option<&[Topic]>, reply: &mut Reply) {
        let persona = Arc::clone(&self.persona);
        let hidden = (0..self.doubts.len())
            .filter(|&i| self.doubts[i].revealed_at.is_none())
            .filter(|&i| touching.is_none_or(|t| t.contains(&self.doubt_topic(i))))
            .max_by_key(|&i| persona.doubts[self.doubts[i].index].weight);
        if let Some(state) = hidden {
            let index = self.doubts[state].index;
            let line = self.say(Voice::Tell(index), &persona.doubts[index].tells);
            reply.add(5, line);
            reply.did(Context::Told(persona.doubts[index].topic));
        }
    }

    /// A close with an open blocking doubt stalls; so does one before trust reaches `sign_at`.
    /// Returns the customer's answer and whether it stalled.
    fn close(&mut self, words: &str) -> (String, bool) {
        let persona = Arc::clone(&self.persona);
        let mut open: Vec<usize> = (0..self.doubts.len())
            .filter(|&i| self.doubts[i].open())
            .collect();
        open.sort_by_key(|&i| !persona.doubts[self.doubts[i].index].blocking);
        let blocking = open
            .iter()
            .any(|&i| persona.doubts[self.doubts[i].index].blocking);
        if !blocking && self.trust >= self.sign_at {
            self.outcome = Some(Outcome::Signed);
            return (self.stock(Stock::Sign), false);
        }
        let low_trust = !blocking;
        let cause = if low_trust {
            Cause::PushedLowTrust
        } else {
            Cause::Pushed
        };
        self.move_trust(trust::PUSHED, cause, words);
        self.stalls.push(StallReport {
            turn: self.turn,
            words: words.to_string(),
            open: open.iter().map(|&i| self.doubt_id(i)).collect(),
            low_trust,
            trust: self.trust,
        });
        if self.stalls.len() as u32 >= persona.temperament.stalls {
            self.outcome = Some(Outcome::Postponed);
            return (self.stock(Stock::Postpone), true);
        }
        let line = if low_trust {
            self.stock(Stock::StallLowTrust)
        } else {
            self.stock(Stock::Stall)
        };
        (line, true)
    }
}
