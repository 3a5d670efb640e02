//! Fits what the bot says into Discord's limits: messages of 2,000 characters, embeds of
//! 6,000 with fields of 1,024. Everything is cut at line boundaries where it can be.

use crate::debrief::{Debrief, Line};
use crate::engine::Outcome;
use poise::serenity_prelude as serenity;

pub const MESSAGE_LIMIT: usize = 2000;
const FIELD_VALUE_LIMIT: usize = 1024;
const FIELD_NAME_LIMIT: usize = 256;
const DESCRIPTION_LIMIT: usize = 4096;
const EMBED_TOTAL_LIMIT: usize = 6000;
const FIELDS_PER_EMBED: usize = 25;

/// Splits text into pieces of at most `limit` characters, preferring line breaks, then
/// spaces, and cutting inside a word only when one is longer than the limit.
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        for word in line.split_inclusive(' ') {
            if current.chars().count() + word.chars().count() > limit && !current.is_empty() {
                pieces.push(std::mem::take(&mut current).trim_end().to_string());
            }
            let mut word = word;
            while word.chars().count() > limit {
                let cut = word
                    .char_indices()
                    .nth(limit)
                    .map_or(word.len(), |(i, _)| i);
                pieces.push(word[..cut].to_string());
                word = &word[cut..];
            }
            current.push_str(word);
        }
        if current.chars().count() >= limit {
            pieces.push(std::mem::take(&mut current).trim_end().to_string());
        }
    }
    if !current.trim().is_empty() {
        pieces.push(current.trim_end().to_string());
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

fn clip(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit.saturating_sub(1)) {
        Some((cut, _)) if text.chars().count() > limit => format!("{}…", &text[..cut]),
        _ => text.to_string(),
    }
}

fn colour(outcome: Outcome) -> serenity::Colour {
    match outcome {
        Outcome::Signed => serenity::Colour::DARK_GREEN,
        Outcome::Postponed => serenity::Colour::ORANGE,
        Outcome::Lost => serenity::Colour::RED,
        Outcome::Ended => serenity::Colour::LIGHT_GREY,
    }
}

/// One embed's worth of debrief: a field is (name, value).
struct Page {
    fields: Vec<(String, String)>,
    size: usize,
}

/// The debrief as embeds, each within Discord's limits, one embed per message.
pub fn debrief_embeds(debrief: &Debrief) -> Vec<serenity::CreateEmbed> {
    let title = clip(&debrief.title(), FIELD_NAME_LIMIT);
    let [bars, marks] = debrief.curve_lines();
    let description = clip(
        &format!("**{}**\n```\n{bars}\n{marks}\n```", debrief.headline()),
        DESCRIPTION_LIMIT,
    );

    let mut fields = Vec::new();
    for section in debrief.sections() {
        let lines: Vec<String> = section
            .lines
            .iter()
            .map(|line| match line {
                Line::Plain(t) => t.clone(),
                Line::Item(t) => format!("• {t}"),
                Line::Detail(t) => format!("  ↳ {t}"),
            })
            .collect();
        let chunks = split(&lines.join("\n"), FIELD_VALUE_LIMIT);
        for (i, chunk) in chunks.into_iter().enumerate() {
            let name = if i == 0 {
                section.title.clone()
            } else {
                format!("{} ({})", section.title, i + 1)
            };
            fields.push((clip(&name, FIELD_NAME_LIMIT), chunk));
        }
    }

    let first_size = title.chars().count() + description.chars().count();
    let mut pages = vec![Page {
        fields: Vec::new(),
        size: first_size,
    }];
    for (name, value) in fields {
        let size = name.chars().count() + value.chars().count();
        let page = pages
            .last_mut()
            .filter(|p| p.fields.len() < FIELDS_PER_EMBED && p.size + size <= EMBED_TOTAL_LIMIT);
        match page {
            Some(page) => {
                page.size += size;
                page.fields.push((name, value));
            }
            None => pages.push(Page {
                fields: vec![(name, value)],
                size: title.chars().count() + size,
            }),
        }
    }

    pages
        .into_iter()
        .enumerate()
        .map(|(i, page)| {
            let mut embed = serenity::CreateEmbed::new()
                .title(title.clone())
                .colour(colour(debrief.outcome));
            if i == 0 {
                embed = embed.description(description.clone());
            }
            for (name, value) in page.fields {
                embed = embed.field(name, value, false);
            }
            embed
        })
        .collect()
}

/// The one-paragraph summary for the coaches' channel. Names, never mentions.
pub fn summary(debrief: &Debrief, trainee: &str, thread_link: &str) -> String {
    let (surfaced, resolved) = debrief.surfaced_and_resolved();
    let text = crate::debrief::fill(
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
    );
    clip(&text, MESSAGE_LIMIT)
}

/// The outcome's name in the report's language.
fn outcome_name(words: &crate::lexicon::Lexicon, outcome: Outcome) -> String {
    words.outcome_for_coaches(outcome).to_string()
}

/// One line of figures for a finished session.
fn figures(words: &crate::lexicon::Lexicon, debrief: &Debrief) -> String {
    let (surfaced, resolved) = debrief.surfaced_and_resolved();
    crate::debrief::fill(
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
    words: &crate::lexicon::Lexicon,
    round: &crate::store::Round,
    persona: &str,
    records: &[crate::store::SessionRecord],
) -> String {
    let r = &words.report;
    let finished: Vec<Debrief> = records.iter().filter_map(|r| r.debrief.clone()).collect();
    let mut text = crate::debrief::fill(
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
    let mut rows: Vec<&crate::store::SessionRecord> = records.iter().collect();
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
            let line = crate::debrief::fill(
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
pub fn review(
    words: &crate::lexicon::Lexicon,
    member: &str,
    days: i64,
    records: &[crate::store::SessionRecord],
) -> String {
    let r = &words.report;
    let mut text = crate::debrief::fill(
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
        let trend = crate::debrief::fill(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_respects_the_limit_and_loses_nothing() {
        let text = format!("{}\n{}", "word ".repeat(700), "x".repeat(4500));
        let pieces = split(&text, MESSAGE_LIMIT);
        assert!(pieces.iter().all(|p| p.chars().count() <= MESSAGE_LIMIT));
        let joined: String = pieces.concat().split_whitespace().collect();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined, original);
    }
}
