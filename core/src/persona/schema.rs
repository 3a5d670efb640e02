//! What a persona file holds: the keys each table may have and the rules for the persona,
//! its temperament, doubts and their answers, situation and lines.

use super::checker::{Checker, entry};
use super::load::PersonaError;
use super::{Answer, Difficulty, Doubt, Persona, Subject, Temperament};
use crate::lexicon;
use crate::lexicon::Stock;
use crate::topic::Topic;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::de::DeTable;

const TOP_KEYS: &[&str] = &[
    "id",
    "name",
    "language",
    "role",
    "company",
    "offer",
    "briefing",
    "difficulty",
    "opening",
    "temperament",
    "doubts",
    "doubt",
    "register",
    "situation",
    "lines",
];
const SUBJECT_KEYS: &[&str] = &["id", "label", "asks", "answers"];
const TEMPERAMENT_KEYS: &[&str] = &["trust", "sign_at", "patience", "stalls"];
const DOUBTS_KEYS: &[&str] = &["draw"];
const DOUBT_KEYS: &[&str] = &[
    "id",
    "topic",
    "label",
    "weight",
    "blocking",
    "keywords",
    "tells",
    "reveal",
    "resolve",
    "resolved",
    "unresolved",
    "answer",
];
const ANSWER_KEYS: &[&str] = &["offers", "replies"];

/// The persona (if every field could be read), all errors, and the id it declares with its line.
pub(super) fn check(
    file: &Path,
    text: &str,
) -> (Option<Persona>, Vec<PersonaError>, Option<(String, usize)>) {
    let mut c = Checker {
        file,
        text,
        errors: Vec::new(),
    };
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    for e in syntax_errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().replace('\n', " ");
        c.error(span, format!("TOML syntax error: {message}"));
    }
    if !c.errors.is_empty() {
        return (None, c.errors, None);
    }
    let root_span = 0..0;
    let root = root.get_ref();
    c.unknown_keys(root, "", TOP_KEYS);

    let id = c.id(root, root_span.clone(), "");
    let name = c.string(root, root_span.clone(), "", "name");
    let languages = lexicon::languages();
    let language = c.parse_enum(root, root_span.clone(), "", "language", &languages, |s| {
        languages.contains(&s).then(|| s.to_string())
    });
    let role = c.string(root, root_span.clone(), "", "role");
    let company = c.string(root, root_span.clone(), "", "company");
    let offer = c.string(root, root_span.clone(), "", "offer");
    let briefing = c.string(root, root_span.clone(), "", "briefing");
    let difficulty = c.parse_enum(
        root,
        root_span.clone(),
        "",
        "difficulty",
        &["easy", "normal", "hard"],
        |s| s.parse::<Difficulty>().ok(),
    );
    let opening = c.strings(root, root_span.clone(), "", "opening");
    let register = match language.as_deref().and_then(lexicon::get) {
        Some(lexicon) if Checker::has(root, "register") => {
            let names = lexicon.register_names();
            if names.is_empty() {
                let span = entry(root, "register").map_or(0..0, |v| v.span());
                c.error(
                    span,
                    format!("register: {} has no registers to choose from", lexicon.name),
                );
                None
            } else {
                c.parse_enum(root, root_span.clone(), "", "register", &names, |s| {
                    names.contains(&s).then(|| Some(s.to_string()))
                })
            }
        }
        _ => Some(None),
    };
    let situation = check_situation(&mut c, root);
    let lines = check_lines(&mut c, root);

    let temperament = c
        .table(root, root_span.clone(), "temperament")
        .and_then(|(t, span)| {
            c.unknown_keys(t, "temperament", TEMPERAMENT_KEYS);
            let trust = c.integer(t, span.clone(), "temperament", "trust", 0..=100);
            let sign_at = c.integer(t, span.clone(), "temperament", "sign_at", 1..=100);
            let patience = c.integer(t, span.clone(), "temperament", "patience", 1..=500);
            let stalls = c.integer(t, span, "temperament", "stalls", 1..=20);
            Some(Temperament {
                trust: trust? as u8,
                sign_at: sign_at? as u8,
                patience: patience? as u32,
                stalls: stalls? as u32,
            })
        });

    let draw = c
        .table(root, root_span.clone(), "doubts")
        .and_then(|(t, span)| {
            c.unknown_keys(t, "doubts", DOUBTS_KEYS);
            c.integer(t, span.clone(), "doubts", "draw", 1..=100)
                .map(|d| (d as usize, t, span))
        });

    let (doubts, pool) = check_doubts(&mut c, root, root_span);
    if let Some((draw, table, span)) = &draw
        && pool > 0
        && *draw > pool
    {
        let span = entry(table, "draw")
            .map(|v| v.span())
            .unwrap_or(span.clone());
        c.error(
            span,
            format!("doubts.draw: {draw} is larger than the pool of {pool} doubt(s)"),
        );
    }

    let declared = id.clone();
    let persona = (|| {
        let language = language?;
        let lexicon = lexicon::get(&language)?;
        let doubts = doubts?;
        let (meanings, offer_words) = Persona::compile_meanings(lexicon, &doubts);
        Some(Persona {
            id: id?.0,
            name: name?,
            language,
            role: role?,
            company: company?,
            offer: offer?,
            briefing: briefing?,
            difficulty: difficulty?,
            opening: opening?,
            temperament: temperament?,
            draw: draw?.0,
            asks: Persona::compile_asks(lexicon, situation.as_deref()?),
            situation: situation?,
            lines: lines?,
            register: register?,
            words: Persona::compile_words(&doubts),
            meanings,
            offer_words,
            doubts,
            lexicon,
        })
    })();
    let persona = if c.errors.is_empty() { persona } else { None };
    c.errors.sort_by_key(|e| e.line);
    (persona, c.errors, declared)
}

/// The doubts, if all are valid, and how many `[[doubt]]` tables there are.
fn check_doubts(
    c: &mut Checker<'_>,
    root: &DeTable<'_>,
    root_span: Range<usize>,
) -> (Option<Vec<Doubt>>, usize) {
    let Some(value) = entry(root, "doubt") else {
        c.error(
            root_span,
            "doubt: missing; add at least one [[doubt]] table".into(),
        );
        return (None, 0);
    };
    let Some(array) = value.get_ref().as_array() else {
        c.error(
            value.span(),
            format!(
                "doubt: expected [[doubt]] tables, found {}",
                value.get_ref().type_str()
            ),
        );
        return (None, 0);
    };
    if array.is_empty() {
        c.error(
            value.span(),
            "doubt: there must be at least one [[doubt]]".into(),
        );
        return (None, 0);
    }
    let mut doubts = Vec::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut complete = true;
    let (tables, all_tables) = c.tables(array, "doubt");
    complete &= all_tables;
    for (path, t, span) in tables {
        c.unknown_keys(t, &path, DOUBT_KEYS);
        let id = c.id(t, span.clone(), &path);
        if let Some((id, line)) = &id {
            if let Some(first) = ids.get(id) {
                c.errors.push(PersonaError {
                    file: c.file.to_path_buf(),
                    line: *line,
                    message: format!(
                        "{path}.id: \"{id}\" is already used by the doubt on line {first}"
                    ),
                });
            } else {
                ids.insert(id.clone(), *line);
            }
        }
        let topics: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
        let topic = c.parse_enum(t, span.clone(), &path, "topic", &topics, |s| {
            s.parse::<Topic>().ok()
        });
        let weight = c.integer(t, span.clone(), &path, "weight", 1..=3);
        let blocking = c.boolean(t, span.clone(), &path, "blocking");
        let label = c.optional_string(t, span.clone(), &path, "label");
        let keywords = c.optional_strings(t, span.clone(), &path, "keywords");
        let tells = c.strings(t, span.clone(), &path, "tells");
        let reveal = c.strings(t, span.clone(), &path, "reveal");
        let resolve = c.strings(t, span.clone(), &path, "resolve");
        let resolved = c.strings(t, span.clone(), &path, "resolved");
        let unresolved = c.strings(t, span, &path, "unresolved");
        let answers = check_answers(c, t, &path);
        let doubt = (|| {
            Some(Doubt {
                id: id?.0,
                topic: topic?,
                label: label?,
                weight: weight? as u8,
                blocking: blocking?,
                keywords: keywords?,
                tells: tells?,
                reveal: reveal?,
                resolve: resolve?,
                resolved: resolved?,
                unresolved: unresolved?,
                answers: answers?,
            })
        })();
        match doubt {
            Some(d) => doubts.push(d),
            None => complete = false,
        }
    }
    (complete.then_some(doubts), array.len())
}

/// The optional `[[situation]]` subjects.
fn check_situation(c: &mut Checker<'_>, root: &DeTable<'_>) -> Option<Vec<Subject>> {
    let array = match c.optional_tables(root, "situation", "situation", "situation") {
        Ok(Some(array)) => array,
        Ok(None) => return Some(Vec::new()),
        Err(()) => return None,
    };
    let (tables, mut complete) = c.tables(array, "situation");
    let mut subjects: Vec<Subject> = Vec::new();
    for (path, t, span) in tables {
        c.unknown_keys(t, &path, SUBJECT_KEYS);
        let id = c.id(t, span.clone(), &path);
        let label = c.string(t, span.clone(), &path, "label");
        let asks = c.strings(t, span.clone(), &path, "asks");
        let answers = c.strings(t, span, &path, "answers");
        if let Some((id, line)) = &id
            && subjects.iter().any(|s| &s.id == id)
        {
            c.errors.push(PersonaError {
                file: c.file.to_path_buf(),
                line: *line,
                message: format!("{path}.id: \"{id}\" is already a subject of this persona"),
            });
            complete = false;
        }
        match (id, label, asks, answers) {
            (Some((id, _)), Some(label), Some(asks), Some(answers)) => subjects.push(Subject {
                id,
                label,
                asks,
                answers,
            }),
            _ => complete = false,
        }
    }
    complete.then_some(subjects)
}

/// The optional `[lines]`: the persona's own stock lines, by the lexicon's names for them.
fn check_lines(c: &mut Checker<'_>, root: &DeTable<'_>) -> Option<BTreeMap<Stock, Vec<String>>> {
    let Some(value) = entry(root, "lines") else {
        return Some(BTreeMap::new());
    };
    let Some(table) = value.get_ref().as_table() else {
        c.error(
            value.span(),
            format!(
                "lines: expected a table [lines], found {}",
                value.get_ref().type_str()
            ),
        );
        return None;
    };
    let keys: Vec<&str> = Stock::ALL.iter().map(|s| s.key()).collect();
    c.unknown_keys(table, "lines", &keys);
    let mut lines = BTreeMap::new();
    let mut complete = true;
    for which in Stock::ALL {
        if !Checker::has(table, which.key()) {
            continue;
        }
        match c.strings(table, value.span(), "lines", which.key()) {
            Some(list) => {
                lines.insert(which, list);
            }
            None => complete = false,
        }
    }
    complete.then_some(lines)
}

/// A doubt's optional `[[doubt.answer]]` tables: each needs its `offers` and `replies`.
fn check_answers(c: &mut Checker<'_>, doubt: &DeTable<'_>, path: &str) -> Option<Vec<Answer>> {
    let array = match c.optional_tables(doubt, "answer", &format!("{path}.answer"), "doubt.answer")
    {
        Ok(Some(array)) => array,
        Ok(None) => return Some(Vec::new()),
        Err(()) => return None,
    };
    let mut answers = Vec::new();
    let (tables, mut complete) = c.tables(array, &format!("{path}.answer"));
    for (path, t, span) in tables {
        c.unknown_keys(t, &path, ANSWER_KEYS);
        let offers = c.strings(t, span.clone(), &path, "offers");
        let replies = c.strings(t, span, &path, "replies");
        match (offers, replies) {
            (Some(offers), Some(replies)) => answers.push(Answer { offers, replies }),
            _ => complete = false,
        }
    }
    complete.then_some(answers)
}
