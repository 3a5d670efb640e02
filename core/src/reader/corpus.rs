//! The labelled corpus (`tests/corpus/`): one trainee message per line with what the customer
//! just did and what a sales coach says the message does, and the figures the reader is
//! judged by.

use super::context::Context;
use crate::topic::{Act, ActKind};
use std::collections::BTreeMap;
use std::fmt;

/// One labelled message.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub context: Context,
    pub text: String,
    /// What the message does; empty for `other`.
    pub labels: Vec<Act>,
    /// `file:line`, for reports.
    pub origin: String,
}

impl Example {
    /// Whether the line comes from a retired blind set (`LANG-blind-N.tsv`): written at the
    /// rate a real conversation has, unlike the writer files' lines, many of them chosen to be
    /// hard. Scored apart, they say what a blind set will.
    pub fn natural(&self) -> bool {
        let file = self
            .origin
            .rsplit_once(':')
            .map_or(&*self.origin, |(f, _)| f);
        std::path::Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains("-blind-"))
    }
}

/// A line of a corpus file that cannot be read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CorpusError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Reads a corpus file: `CONTEXT<TAB>MESSAGE<TAB>LABELS`, `#` for comments. Every bad line
/// is reported, not only the first.
pub fn parse(text: &str, file: &str) -> Result<Vec<Example>, Vec<CorpusError>> {
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok((context, text, labels)) => examples.push(Example {
                context,
                text,
                labels,
                origin: format!("{file}:{}", n + 1),
            }),
            Err(message) => errors.push(CorpusError {
                file: file.to_string(),
                line: n + 1,
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(examples)
    } else {
        Err(errors)
    }
}

fn parse_line(line: &str) -> Result<(Context, String, Vec<Act>), String> {
    let columns: Vec<&str> = line.split('\t').collect();
    let [context, text, labels] = columns[..] else {
        return Err(format!(
            "{} columns, want 3 (context, message, labels) separated by tabs",
            columns.len()
        ));
    };
    let context: Context = context.trim().parse()?;
    if text.trim().is_empty() {
        return Err("empty message".into());
    }
    let mut acts = Vec::new();
    for label in labels.split_whitespace() {
        let (kind, topic) = match label.split_once(':') {
            Some((kind, topic)) => (
                kind,
                Some(
                    topic
                        .parse()
                        .map_err(|()| format!("unknown topic `{topic}` in `{label}`"))?,
                ),
            ),
            None => (label, None),
        };
        let kind: ActKind = kind
            .parse()
            .map_err(|()| format!("unknown act `{kind}` in `{label}`"))?;
        if kind != ActKind::Other {
            acts.push(Act::new(kind, topic));
        }
    }
    if labels.split_whitespace().count() == 0 {
        return Err("no labels".into());
    }
    Ok((context, text.to_string(), acts))
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Count {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
}

impl Count {
    /// `None` when the act was never read: no precision to speak of.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `None` when no message in the set does the act.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: u32, b: u32) -> Option<f64> {
    (b > 0).then(|| f64::from(a) / f64::from(b))
}

/// How a reader did on a set of labelled messages.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub acts: BTreeMap<ActKind, Count>,
    pub messages: u32,
    /// Messages that must be read as doing something.
    pub with_acts: u32,
    /// Of those, the ones where every act that must be read was read.
    pub complete: u32,
    /// Messages where an act was read that the message does not do (`other` aside).
    pub wrong: u32,
    /// Topical acts read with the right kind, and of those the ones with the right topic.
    pub topical: u32,
    pub topic_right: u32,
    /// `origin: want [..] got [..]: text`, for the misses listing.
    pub misses: Vec<String>,
}

impl Scores {
    pub fn complete_rate(&self) -> f64 {
        ratio(self.complete, self.with_acts).unwrap_or(0.0)
    }

    pub fn wrong_rate(&self) -> f64 {
        ratio(self.wrong, self.messages).unwrap_or(1.0)
    }

    pub fn topic_rate(&self) -> f64 {
        ratio(self.topic_right, self.topical).unwrap_or(0.0)
    }

    /// Adds another set of examples' scores to these, as if both had been scored together.
    pub fn merge(&mut self, other: Scores) {
        for (act, count) in other.acts {
            let mine = self.acts.entry(act).or_default();
            mine.tp += count.tp;
            mine.fp += count.fp;
            mine.fn_ += count.fn_;
        }
        self.messages += other.messages;
        self.with_acts += other.with_acts;
        self.complete += other.complete;
        self.wrong += other.wrong;
        self.topical += other.topical;
        self.topic_right += other.topic_right;
        self.misses.extend(other.misses);
    }
}

/// Scores `read` on every example.
pub fn score(examples: &[Example], mut read: impl FnMut(&Example) -> Vec<Act>) -> Scores {
    let mut scores = Scores::default();
    for example in examples {
        let got: Vec<Act> = read(example)
            .into_iter()
            .filter(|a| a.act != ActKind::Other)
            .collect();
        scores.add(example, &got);
    }
    scores
}

impl Scores {
    fn add(&mut self, example: &Example, got: &[Act]) {
        let kinds = |acts: &[Act]| -> Vec<ActKind> {
            let mut k: Vec<ActKind> = acts.iter().map(|a| a.act).collect();
            if k.is_empty() {
                k.push(ActKind::Other);
            }
            k.sort();
            k.dedup();
            k
        };
        let (want, have) = (kinds(&example.labels), kinds(got));
        self.messages += 1;
        for act in ActKind::ALL {
            let count = self.acts.entry(act).or_default();
            match (want.contains(&act), have.contains(&act)) {
                (true, true) => count.tp += 1,
                (false, true) => count.fp += 1,
                (true, false) => count.fn_ += 1,
                (false, false) => {}
            }
        }
        if !example.labels.is_empty() {
            self.with_acts += 1;
            if want.iter().all(|a| have.contains(a)) {
                self.complete += 1;
            }
        }
        // Reading nothing where something was meant is a miss, not a wrong act.
        if have
            .iter()
            .any(|a| *a != ActKind::Other && !want.contains(a))
        {
            self.wrong += 1;
        }
        for label in example.labels.iter().filter(|l| l.topic.is_some()) {
            if got.iter().any(|g| g.act == label.act) {
                self.topical += 1;
                if got.contains(label) {
                    self.topic_right += 1;
                }
            }
        }
        let same_topics = example
            .labels
            .iter()
            .all(|l| l.topic.is_none() || got.contains(l));
        if want != have || !same_topics {
            let show = |acts: &[Act]| {
                if acts.is_empty() {
                    "other".to_string()
                } else {
                    acts.iter()
                        .map(|a| a.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                }
            };
            self.misses.push(format!(
                "{}: [{}] want {} got {}: {}",
                example.origin,
                example.context,
                show(&example.labels),
                show(got),
                example.text
            ));
        }
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: Option<f64>| v.map_or("  -  ".to_string(), |v| format!("{v:.3}"));
        writeln!(
            f,
            "{:<16} {:>9} {:>7} {:>5} {:>4} {:>4}",
            "act", "precision", "recall", "tp", "fp", "fn"
        )?;
        for (act, c) in &self.acts {
            writeln!(
                f,
                "{:<16} {:>9} {:>7} {:>5} {:>4} {:>4}",
                act.as_str(),
                show(c.precision()),
                show(c.recall()),
                c.tp,
                c.fp,
                c.fn_
            )?;
        }
        writeln!(
            f,
            "messages {}: every act read {:.1}% of {}, a wrong act read {:.1}%, topic right {:.1}% of {}",
            self.messages,
            100.0 * self.complete_rate(),
            self.with_acts,
            100.0 * self.wrong_rate(),
            100.0 * self.topic_rate(),
            self.topical
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic::Topic;

    #[test]
    fn reads_lines_and_names_every_bad_one() {
        let text = "# comment\n-\tShall we sign?\tclose\nreveal:price\tAnything else?\task_hesitation\n\
                    -\tno tabs here\nstall\tWhy?\task_hesitaton\n-\tok\tother\n";
        let errors = parse(text, "x.tsv").unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, 4);
        assert!(
            errors[1]
                .to_string()
                .starts_with("x.tsv:5: unknown act `ask_hesitaton`")
        );
        let good = parse(
            "-\tShall we sign?\tclose\nreveal:price\tIs that a dealbreaker?\task_about:price\n-\tok\tother\n",
            "y.tsv",
        )
        .expect("valid");
        assert_eq!(good[1].context, Context::Revealed(Topic::Price));
        assert_eq!(
            good[1].labels,
            vec![Act::new(ActKind::AskAbout, Some(Topic::Price))]
        );
        assert!(good[2].labels.is_empty());
    }

    #[test]
    fn an_act_with_no_examples_has_no_recall() {
        let examples = parse("-\tShall we sign?\tclose\n", "z.tsv").expect("valid");
        let scores = score(&examples, |_| vec![Act::new(ActKind::Close, None)]);
        assert_eq!(scores.acts[&ActKind::Close].recall(), Some(1.0));
        assert_eq!(scores.acts[&ActKind::Dismiss].recall(), None);
        assert_eq!(scores.acts[&ActKind::Dismiss].precision(), None);
        assert_eq!(scores.wrong, 0);
    }
}
