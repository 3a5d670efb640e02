//! The reader against labelled trainee messages (tests/corpus/*.tsv): per-act precision and
//! recall, printed with `cargo test --test corpus -- --nocapture`.

use sceptic::{ActKind, Reader, lexicon};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default, Debug)]
struct Score {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Score {
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

struct Evaluation {
    scores: BTreeMap<ActKind, Score>,
    lines: usize,
    topic_hits: u32,
    topic_total: u32,
    misses: Vec<String>,
}

fn evaluate(language: &str) -> Evaluation {
    let path = format!("{}/tests/corpus/{language}.tsv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("corpus file is readable");
    let code = language.rsplit('-').next().unwrap_or(language);
    let reader = Reader::new(lexicon::get(code).expect("language exists"));
    let mut eval = Evaluation {
        scores: BTreeMap::new(),
        lines: 0,
        topic_hits: 0,
        topic_total: 0,
        misses: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (message, labels) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{path}:{}: no tab", n + 1));
        eval.lines += 1;
        let expected: BTreeSet<String> = labels.split_whitespace().map(str::to_string).collect();
        let reading = reader.read(message);
        let got: BTreeSet<String> = reading.acts.iter().map(|a| a.to_string()).collect();
        let kinds = |set: &BTreeSet<String>| -> BTreeSet<ActKind> {
            set.iter()
                .map(|l| {
                    l.split(':')
                        .next()
                        .unwrap_or_default()
                        .parse()
                        .expect("known act")
                })
                .collect()
        };
        let (want, have) = (kinds(&expected), kinds(&got));
        for act in ActKind::ALL {
            let score = eval.scores.entry(act).or_default();
            match (want.contains(&act), have.contains(&act)) {
                (true, true) => score.tp += 1,
                (false, true) => score.fp += 1,
                (true, false) => score.fn_ += 1,
                (false, false) => {}
            }
        }
        for label in expected.iter().filter(|l| l.contains(':')) {
            let act = label.split(':').next().unwrap_or_default();
            if got
                .iter()
                .any(|g| g.starts_with(&format!("{act}:")) || g == act)
            {
                eval.topic_total += 1;
                if got.contains(label) {
                    eval.topic_hits += 1;
                }
            }
        }
        if want != have {
            eval.misses.push(format!(
                "{}:{}: want {:?} got {:?}: {message}",
                language,
                n + 1,
                expected,
                got
            ));
        }
    }
    eval
}

fn report(language: &str) -> Evaluation {
    let eval = evaluate(language);
    println!("\n{language}: {} messages", eval.lines);
    println!(
        "{:<16} {:>9} {:>7} {:>5} {:>4} {:>4}",
        "act", "precision", "recall", "tp", "fp", "fn"
    );
    for (act, s) in &eval.scores {
        println!(
            "{:<16} {:>9.3} {:>7.3} {:>5} {:>4} {:>4}",
            act.as_str(),
            s.precision(),
            s.recall(),
            s.tp,
            s.fp,
            s.fn_
        );
    }
    println!(
        "topic right where the act was read: {}/{}",
        eval.topic_hits, eval.topic_total
    );
    if std::env::var_os("SCEPTIC_CORPUS_MISSES").is_some() {
        for miss in &eval.misses {
            println!("{miss}");
        }
    }
    eval
}

/// The acts a trainee is graded on most: asking, closing and brushing off.
const KEY_ACTS: [ActKind; 3] = [ActKind::AskHesitation, ActKind::Close, ActKind::Dismiss];
const KEY_FLOOR: f64 = 0.95;
const OTHER_FLOOR: f64 = 0.80;

fn assert_quality(language: &str) {
    let eval = report(language);
    assert!(
        eval.lines >= 150,
        "{language} corpus has only {} messages",
        eval.lines
    );
    let mut failures = Vec::new();
    for (act, s) in &eval.scores {
        let floor = if KEY_ACTS.contains(act) {
            KEY_FLOOR
        } else {
            OTHER_FLOOR
        };
        if s.precision() < floor || s.recall() < floor {
            failures.push(format!(
                "{act}: precision {:.3}, recall {:.3} (floor {floor})",
                s.precision(),
                s.recall()
            ));
        }
    }
    assert!(failures.is_empty(), "{language}: {}", failures.join("; "));
}

/// `holdout-*` and `fresh-*` were written apart from the lexicon and each used once, after a
/// first blind measurement, to find its blind spots; `blind-*` was written last and never
/// used to tune anything: the honest figure. These floors only guard against regressions:
/// precision matters most (a wrong reading misleads the customer), recall is what the
/// lexicons still have to grow into. `other` is left out: it collects every miss.
const UNSEEN_PRECISION: f64 = 0.75;
const UNSEEN_RECALL: f64 = 0.35;

fn assert_unseen(corpus: &str) {
    let eval = report(corpus);
    assert!(
        eval.lines >= 100,
        "{corpus} has only {} messages",
        eval.lines
    );
    for (act, s) in eval
        .scores
        .iter()
        .filter(|(act, _)| **act != ActKind::Other)
    {
        assert!(
            s.precision() >= UNSEEN_PRECISION && s.recall() >= UNSEEN_RECALL,
            "{corpus}: {act}: precision {:.3}, recall {:.3}",
            s.precision(),
            s.recall()
        );
    }
}

#[test]
fn english_reader_holds_up_on_unseen_messages() {
    assert_unseen("holdout-en");
    assert_unseen("fresh-en");
    assert_unseen("blind-en");
}

#[test]
fn dutch_reader_holds_up_on_unseen_messages() {
    assert_unseen("holdout-nl");
    assert_unseen("fresh-nl");
    assert_unseen("blind-nl");
}

#[test]
fn english_reader_meets_its_floors() {
    assert_quality("en");
}

#[test]
fn dutch_reader_meets_its_floors() {
    assert_quality("nl");
}
