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

pub fn clip(text: &str, limit: usize) -> String {
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
