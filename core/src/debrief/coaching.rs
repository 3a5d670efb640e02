//! Two or three concrete coaching points, drawn from what happened, most important first.

use super::{Debrief, fill};
use crate::lexicon::Lexicon;
use crate::record::{Cause, Outcome};
use crate::topic::Topic;

/// What the session knows beyond the debrief's own figures.
pub(crate) struct Facts {
    pub first_ask: Option<u32>,
    /// Messages before the first ask that were no discovery question.
    pub dark: u32,
    pub early_evidence: Vec<Topic>,
    pub admitted: bool,
    /// Each drawn doubt's own answers (the persona's answers and resolve terms), by id.
    pub answers: Vec<(String, Vec<String>)>,
}

/// A trainee who asks within the first few messages is on time.
const LATE_ASK_AFTER: u32 = 3;

pub(crate) fn coaching(d: &Debrief, facts: &Facts, lexicon: &Lexicon) -> Vec<String> {
    let words = &lexicon.debrief.coaching;
    let say = |key: &str, values: &[(&str, String)]| words.get(key).map(|t| fill(t, values));
    let name = ("name", d.name.clone());
    let label = |t: Topic| lexicon.topic(t).label.clone();
    let mut points: Vec<Option<String>> = Vec::new();

    let never_surfaced = d.doubts.iter().any(|x| x.revealed_at.is_none());
    if facts.first_ask.is_none() && never_surfaced {
        points.push(say("never_asked", std::slice::from_ref(&name)));
    }
    let unspoken_stalls = d
        .stalls
        .iter()
        .filter(|s| {
            s.open.iter().any(|id| {
                d.doubt(id)
                    .is_some_and(|x| x.blocking && x.unspoken_at(s.turn))
            })
        })
        .count();
    if unspoken_stalls > 0 {
        points.push(say(
            "stalled_unspoken",
            &[("count", unspoken_stalls.to_string()), name.clone()],
        ));
    }
    if let Some(m) = d.moments.iter().find(|m| m.cause == Cause::Dismissed) {
        points.push(say(
            "dismissed",
            &[
                ("points", (-m.delta).to_string()),
                ("words", m.words.clone()),
            ],
        ));
    }
    if let Some(x) = d
        .doubts
        .iter()
        .find(|x| x.revealed_at.is_some() && x.resolved_at.is_none())
    {
        // What this customer needed, in the persona's words; the topic's usual answers
        // only where the persona names none.
        let own = facts
            .answers
            .iter()
            .find(|(id, _)| *id == x.id)
            .map(|(_, a)| a.iter().take(3).cloned().collect::<Vec<_>>().join(", "))
            .filter(|a| !a.is_empty());
        let answers = own.unwrap_or_else(|| lexicon.topic(x.topic).answers.clone());
        points.push(say(
            "unanswered",
            &[
                ("doubt", x.name().to_string()),
                ("topic", label(x.topic)),
                ("answers", answers),
                name.clone(),
            ],
        ));
    }
    let unanswered_stall = d.stalls.iter().find_map(|s| {
        s.open
            .iter()
            .filter_map(|id| d.doubt(id))
            .find(|x| x.blocking && !x.unspoken_at(s.turn))
    });
    if let Some(x) = unanswered_stall {
        points.push(say(
            "stalled_unanswered",
            &[("doubt", x.name().to_string())],
        ));
    }
    if let Some(&t) = facts.early_evidence.first() {
        points.push(say("early_evidence", &[("topic", label(t)), name.clone()]));
    }
    // Questions about the customer's world before the first ask are discovery, not the dark.
    if let Some(turn) = facts.first_ask.filter(|_| facts.dark >= LATE_ASK_AFTER) {
        points.push(say("asked_late", &[("turn", turn.to_string())]));
    }
    if !facts.admitted && d.outcome != Outcome::Signed {
        points.push(say("no_honesty", &[]));
    }
    if d.outcome == Outcome::Signed {
        points.push(say(
            "signed",
            &[name.clone(), ("trust", d.trust.end.to_string())],
        ));
    }
    let surfaced = d.doubts.iter().filter(|x| x.revealed_at.is_some()).count();
    let resolved = d.doubts.iter().filter(|x| x.resolved_at.is_some()).count();
    points.push(say(
        "well_done",
        &[
            ("surfaced", surfaced.to_string()),
            ("total", d.doubts.len().to_string()),
            ("resolved", resolved.to_string()),
        ],
    ));
    if !facts.admitted && d.outcome == Outcome::Signed {
        points.push(say("no_honesty", &[]));
    }

    let mut out: Vec<String> = Vec::new();
    for point in points.into_iter().flatten() {
        if !out.contains(&point) && out.len() < 3 {
            out.push(point);
        }
    }
    out
}
