//! What coaches read in the chat about sessions, in the persona's language: the summary of
//! one session, a round's summary and a member's review, in Discord's Markdown. The Discord
//! adapter clips and splits them to Discord's limits.

use crate::debrief::{Debrief, fill};
use crate::engine::Outcome;
use crate::lexicon::Lexicon;
use crate::store::{Round, SessionRecord};

/// The one-paragraph summary for the coaches' channel. Names, never mentions.
pub fn summary(debrief: &Debrief, trainee: &str, thread_link: &str) -> String {
    let (surfaced, resolved) = debrief.surfaced_and_resolved();
    fill(
        &debrief.wording().summary,
        &[
            ("trainee", trainee.to_string()),
            ("name", debrief.name.clone()),
            (
                "difficulty",
                debrief
                    .lexicon()
                    .difficulty_name(debrief.difficulty)
                    .to_string(),
            ),
            ("headline", debrief.headline_for_coaches()),
            ("surfaced", surfaced.to_string()),
            ("total", debrief.doubts.len().to_string()),
            ("resolved", resolved.to_string()),
            ("link", thread_link.to_string()),
        ],
    )
}

/// The outcome's name in the report's language.
fn outcome_name(words: &Lexicon, outcome: Outcome) -> String {
    words.outcome_for_coaches(outcome).to_string()
}

/// One line of figures for a finished session.
fn figures(words: &Lexicon, debrief: &Debrief) -> String {
    let (surfaced, resolved) = debrief.surfaced_and_resolved();
    fill(
        &words.report.figures,
        &[
            ("outcome", outcome_name(words, debrief.outcome)),
            ("start", debrief.trust.start.to_string()),
            ("peak", debrief.trust.peak.to_string()),
            ("end", debrief.trust.end.to_string()),
            ("stalls", debrief.stalls.len().to_string()),
            ("surfaced", surfaced.to_string()),
            ("total", debrief.doubts.len().to_string()),
            ("resolved", resolved.to_string()),
        ],
    )
}

/// The round summary, in the persona's language: a row per trainee, then what the group as a
/// whole missed most.
pub fn round_summary(
    words: &Lexicon,
    round: &Round,
    persona: &str,
    records: &[SessionRecord],
) -> String {
    let r = &words.report;
    let finished: Vec<Debrief> = records.iter().filter_map(|r| r.debrief.clone()).collect();
    let mut text = fill(
        &r.round_title,
        &[
            ("id", round.id.to_string()),
            ("persona", persona.to_string()),
            (
                "difficulty",
                words.difficulty_name(round.difficulty).to_string(),
            ),
            ("seed", round.seed.to_string()),
            ("started", records.len().to_string()),
            ("finished", finished.len().to_string()),
        ],
    );
    text.push('\n');
    let mut rows: Vec<&SessionRecord> = records.iter().collect();
    rows.sort_by(|a, b| a.session.trainee.cmp(&b.session.trainee));
    for record in rows {
        let figures = record
            .debrief
            .as_ref()
            .map_or_else(|| r.unfinished.clone(), |d| figures(words, d));
        text.push_str(&format!(
            "• **{}**: {figures} · {}\n",
            record.session.trainee,
            record.session.thread_link()
        ));
    }
    let mut misses: Vec<(usize, String)> = Vec::new();
    if let Some(first) = finished.first() {
        for doubt in &first.doubts {
            let missed = finished
                .iter()
                .filter(|d| d.doubt(&doubt.id).is_some_and(|x| x.revealed_at.is_none()))
                .count();
            if missed > 0 {
                let label = &words.topic(doubt.topic).label;
                misses.push((missed, format!("`{}` ({label})", doubt.name())));
            }
        }
    }
    misses.sort_by_key(|(count, _)| std::cmp::Reverse(*count));
    if !misses.is_empty() {
        text.push_str(&r.missed_heading);
        text.push('\n');
        for (count, doubt) in misses {
            let line = fill(
                &r.missed_line,
                &[
                    ("count", count.to_string()),
                    ("finished", finished.len().to_string()),
                    ("doubt", doubt),
                ],
            );
            text.push_str(&format!("• {line}\n"));
        }
    }
    text
}

/// A member's sessions, newest first, and the trend from the first to the best.
pub fn review(words: &Lexicon, member: &str, days: i64, records: &[SessionRecord]) -> String {
    let r = &words.report;
    let mut text = fill(
        &r.review_title,
        &[
            ("member", member.to_string()),
            ("count", records.len().to_string()),
            ("days", days.to_string()),
        ],
    );
    text.push('\n');
    for record in records {
        let s = &record.session;
        let figures = record
            .debrief
            .as_ref()
            .map_or_else(|| r.open.clone(), |d| figures(words, d));
        text.push_str(&format!(
            "• <t:{}:d> {} · {figures} · {}\n",
            s.started_at,
            s.persona,
            s.thread_link()
        ));
    }
    let finished: Vec<(i64, &Debrief)> = records
        .iter()
        .filter_map(|r| r.debrief.as_ref().map(|d| (r.session.started_at, d)))
        .collect();
    let first = finished.iter().min_by_key(|(at, _)| *at);
    let best = finished
        .iter()
        .max_by_key(|(at, d)| (d.outcome == Outcome::Signed, d.trust.end, *at));
    if let (Some((_, first)), Some((at, best))) = (first, best) {
        let trend = fill(
            &r.trend,
            &[
                ("first", outcome_name(words, first.outcome)),
                ("first_trust", first.trust.end.to_string()),
                ("best", outcome_name(words, best.outcome)),
                ("best_trust", best.trust.end.to_string()),
                ("date", format!("<t:{at}:d>")),
            ],
        );
        text.push_str(&trend);
        text.push('\n');
    }
    text
}
