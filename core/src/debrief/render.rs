//! Text and Markdown renderings. Both are built from the same sections, so the terminal and
//! Discord never disagree about what happened.

use super::{Debrief, fill};
use crate::lexicon::{self, Lexicon};
use std::fmt::Write;

/// Trainee words quoted in the debrief are cut to this many characters.
const QUOTE_CHARS: usize = 140;

/// One titled block of the debrief; `lines` are already in the debrief's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Plain(String),
    Item(String),
    /// A second line that belongs to the item above it.
    Detail(String),
}

fn quote(words: &str) -> String {
    let flat = words.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

impl Debrief {
    /// The debrief's wording in its language.
    pub fn wording(&self) -> &'static crate::lexicon::DebriefWords {
        &self.lexicon().debrief
    }

    /// The lexicon of the debrief's language (English where it has none).
    pub fn lexicon(&self) -> &'static Lexicon {
        lexicon::or_english(&self.language)
    }

    /// The headline: outcome, trust at start, peak and end, stalls and turns.
    pub fn headline(&self) -> String {
        let outcome = self
            .lexicon()
            .debrief
            .outcome
            .get(self.outcome.as_str())
            .cloned()
            .unwrap_or_default();
        self.headline_with(&outcome)
    }

    /// The headline as coaches read it: the outcome of the trainee, not addressed to them.
    pub fn headline_for_coaches(&self) -> String {
        self.headline_with(self.lexicon().outcome_for_coaches(self.outcome))
    }

    fn headline_with(&self, outcome: &str) -> String {
        let w = &self.lexicon().debrief;
        format!(
            "{outcome} · {trust}: {start} {s} · {peak} {p} · {end} {e} · {stalls}: {n} · {turns}: {t}",
            trust = w.trust,
            start = w.start,
            s = self.trust.start,
            peak = w.peak,
            p = self.trust.peak,
            end = w.end,
            e = self.trust.end,
            n = self.stalls.len(),
            stalls = w.stalls,
            t = self.turns,
            turns = w.turns,
        )
    }

    pub fn title(&self) -> String {
        fill(
            &self.lexicon().debrief.title,
            &[("name", self.name.clone())],
        )
    }

    /// The debrief's sections, in order: trust moments, stalls, doubts, coaching.
    pub fn sections(&self) -> Vec<Section> {
        let lexicon = self.lexicon();
        let w = &lexicon.debrief;
        let name = ("name", self.name.clone());
        let label = |t: crate::topic::Topic| lexicon.topic(t).label.clone();

        let mut moments = Vec::new();
        if let Some(text) = w.difficulty.get(self.difficulty.as_str()) {
            moments.push(Line::Plain(fill(
                text,
                &[
                    ("start", self.trust.start.to_string()),
                    ("sign_at", self.sign_at.to_string()),
                ],
            )));
        }
        for m in &self.moments {
            let (doubt, topic) = match &m.cause {
                crate::record::Cause::Asked { doubt }
                | crate::record::Cause::Resolved { doubt } => (self.name_of(doubt), String::new()),
                crate::record::Cause::Acknowledged { doubt, topic }
                | crate::record::Cause::PitchedPast { doubt, topic } => {
                    (self.name_of(doubt), label(*topic))
                }
                crate::record::Cause::Admitted { topic } => (String::new(), label(*topic)),
                crate::record::Cause::Learned { subject } => (subject.clone(), String::new()),
                _ => (String::new(), String::new()),
            };
            let cause = w
                .causes
                .get(m.cause.key())
                .map(|t| {
                    fill(
                        t,
                        &[
                            ("doubt", doubt.clone()),
                            ("topic", topic),
                            ("subject", doubt),
                        ],
                    )
                })
                .unwrap_or_default();
            moments.push(Line::Item(format!(
                "{} {}: {:+} → {}  {cause}",
                w.turn, m.turn, m.delta, m.trust
            )));
            moments.push(Line::Detail(format!("\"{}\"", quote(&m.words))));
        }
        if self.moments.is_empty() {
            moments.push(Line::Plain(fill(
                &w.no_moments,
                std::slice::from_ref(&name),
            )));
        }

        let mut stalls = Vec::new();
        for s in &self.stalls {
            let values = [
                ("turn", s.turn.to_string()),
                ("words", quote(&s.words)),
                ("trust", s.trust.to_string()),
                ("sign_at", self.sign_at.to_string()),
                name.clone(),
            ];
            if s.low_trust {
                stalls.push(Line::Item(fill(&w.stall_low_trust, &values)));
                continue;
            }
            stalls.push(Line::Item(fill(&w.stall_line, &values)));
            for id in &s.open {
                let Some(d) = self.doubt(id) else { continue };
                let state = if d.unspoken_at(s.turn) {
                    &w.unspoken
                } else {
                    &w.unanswered
                };
                stalls.push(Line::Detail(format!(
                    "{} ({}): {state}",
                    d.name(),
                    label(d.topic)
                )));
            }
        }
        if stalls.is_empty() {
            stalls.push(Line::Plain(w.no_stalls.clone()));
        }

        let mut doubts = Vec::new();
        for d in &self.doubts {
            let surfaced = match d.revealed_at {
                Some(turn) => fill(&w.surfaced_at, &[("turn", turn.to_string())]),
                None => w.never_surfaced.clone(),
            };
            let resolved = match (d.resolved_at, &d.resolved_by) {
                (Some(turn), Some(by)) => {
                    format!(
                        "; {}",
                        fill(
                            &w.resolved_by,
                            &[("turn", turn.to_string()), ("words", quote(by))]
                        )
                    )
                }
                _ if d.revealed_at.is_some() => format!("; {}", w.unresolved),
                _ => String::new(),
            };
            let blocking = if d.blocking {
                format!(", {}", w.blocking)
            } else {
                String::new()
            };
            doubts.push(Line::Item(format!(
                "{} ({}{blocking}): {surfaced}{resolved}",
                d.name(),
                label(d.topic)
            )));
            if let Some(words) = &d.never_told {
                doubts.push(Line::Detail(fill(
                    &w.never_told,
                    &[name.clone(), ("words", words.clone())],
                )));
            }
        }

        let coaching = self
            .coaching
            .iter()
            .map(|c| Line::Item(c.clone()))
            .collect();
        let edited = self
            .edited
            .iter()
            .map(|turn| {
                Line::Item(fill(
                    &w.edited_line,
                    &[("turn", turn.to_string()), name.clone()],
                ))
            })
            .collect::<Vec<_>>();
        let mut sections = vec![
            Section {
                title: w.moments_heading.clone(),
                lines: moments,
            },
            Section {
                title: w.stalls_heading.clone(),
                lines: stalls,
            },
            Section {
                title: w.doubts_heading.clone(),
                lines: doubts,
            },
            Section {
                title: w.coaching_heading.clone(),
                lines: coaching,
            },
        ];
        if !edited.is_empty() {
            sections.push(Section {
                title: w.edited_heading.clone(),
                lines: edited,
            });
        }
        sections
    }

    /// The trust curve as two text lines: the level after each turn, and under it S for a
    /// stalled close, ? for a doubt surfaced and + for one resolved.
    pub fn curve_lines(&self) -> [String; 2] {
        const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        let bars: String = self
            .curve
            .iter()
            .map(|&t| LEVELS[(usize::from(t) * (LEVELS.len() - 1) + 50) / 100])
            .collect();
        let marks: String = (0..self.curve.len() as u32)
            .map(|turn| {
                if self.stalls.iter().any(|s| s.turn == turn) {
                    'S'
                } else if self.doubts.iter().any(|d| d.resolved_at == Some(turn)) {
                    '+'
                } else if self.doubts.iter().any(|d| d.revealed_at == Some(turn)) {
                    '?'
                } else {
                    ' '
                }
            })
            .collect();
        [bars, marks.trim_end().to_string()]
    }

    /// Plain text for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let title = self.title();
        let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
        let _ = writeln!(out, "{}", self.headline());
        for section in self.sections() {
            let _ = writeln!(
                out,
                "\n{}\n{}",
                section.title,
                "-".repeat(section.title.chars().count())
            );
            for line in section.lines {
                let _ = match line {
                    Line::Plain(text) => writeln!(out, "{text}"),
                    Line::Item(text) => writeln!(out, "• {text}"),
                    Line::Detail(text) => writeln!(out, "    {text}"),
                };
            }
        }
        let w = &self.lexicon().debrief;
        let [bars, marks] = self.curve_lines();
        let _ = writeln!(
            out,
            "\n{}\n{}",
            w.curve_heading,
            "-".repeat(w.curve_heading.chars().count())
        );
        let _ = writeln!(out, "{bars}\n{marks}\n{}", w.curve_legend);
        out
    }

    /// Markdown for Discord. The caller splits it within Discord's limits.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## {}\n**{}**", self.title(), self.headline());
        for section in self.sections() {
            let _ = writeln!(out, "\n### {}", section.title);
            for line in section.lines {
                let _ = match line {
                    Line::Plain(text) => writeln!(out, "{text}"),
                    Line::Item(text) => writeln!(out, "- {text}"),
                    Line::Detail(text) => writeln!(out, "  - {text}"),
                };
            }
        }
        let w = &self.lexicon().debrief;
        let [bars, marks] = self.curve_lines();
        let _ = writeln!(
            out,
            "\n### {}\n```\n{bars}\n{marks}\n```\n{}",
            w.curve_heading, w.curve_legend
        );
        out
    }
}
