//! Reads persona files and reports every problem in every file at once, each with the file,
//! the line and the key, because coaches fix them in an editor, not in a debugger.

use super::{Answer, Difficulty, Doubt, Persona, Subject, Temperament};
use crate::lexicon;
use crate::lexicon::Stock;
use crate::topic::Topic;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// One problem in one persona file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct PersonaError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

/// What a folder of persona files gave: the valid personas and every error. A broken file
/// does not keep the others from loading.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub personas: Vec<Arc<Persona>>,
    pub errors: Vec<PersonaError>,
    /// The files that were rejected, by the id they tried to define.
    pub rejected: Vec<Rejected>,
    pub files: usize,
}

#[derive(Debug, Clone)]
pub struct Rejected {
    /// The id the file defines, or its file name where the id could not be read.
    pub id: String,
    pub file: PathBuf,
}

impl LoadReport {
    pub fn get(&self, id: &str) -> Option<&Arc<Persona>> {
        self.personas.iter().find(|p| p.id == id)
    }

    /// The valid personas' ids, for messages that list them.
    pub fn ids(&self) -> String {
        self.personas
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Why the file that defines `id` was rejected; empty if no such file was rejected.
    pub fn errors_for(&self, id: &str) -> Vec<&PersonaError> {
        self.rejected
            .iter()
            .filter(|r| r.id == id)
            .flat_map(|r| self.errors.iter().filter(move |e| e.file == r.file))
            .collect()
    }
}

/// Checks persona files that an adapter read, in the order given (folders are read in name
/// order): each with its path and its text, or why it could not be read.
pub fn load(files: Vec<(PathBuf, std::io::Result<String>)>) -> LoadReport {
    let mut report = LoadReport {
        files: files.len(),
        ..LoadReport::default()
    };
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for (path, text) in files {
        let text = match text {
            Ok(text) => text,
            Err(e) => {
                report.errors.push(PersonaError {
                    file: path.clone(),
                    line: 0,
                    message: format!("cannot read the file: {e}"),
                });
                report.rejected.push(Rejected {
                    id: stem(&path),
                    file: path,
                });
                continue;
            }
        };
        let (persona, mut errors, declared) = check(&path, &text);
        let id = declared.as_ref().map(|(id, _)| id.clone());
        if let Some((id, line)) = declared {
            if let Some(first) = seen.get(&id) {
                errors.push(PersonaError {
                    file: path.clone(),
                    line,
                    message: format!("id: \"{id}\" is already used by {}", first.display()),
                });
            } else {
                seen.insert(id, path.clone());
            }
        }
        match persona {
            Some(p) if errors.is_empty() => report.personas.push(Arc::new(p)),
            _ => {
                report.rejected.push(Rejected {
                    id: id.unwrap_or_else(|| stem(&path)),
                    file: path,
                });
                report.errors.extend(errors);
            }
        }
    }
    report
}

/// Checks one persona file's text; `file` is only used to name it in errors.
pub fn parse(file: &Path, text: &str) -> Result<Persona, Vec<PersonaError>> {
    match check(file, text) {
        (Some(persona), errors, _) if errors.is_empty() => Ok(persona),
        (_, errors, _) => Err(errors),
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Collects errors while walking the document; every getter records what is wrong and
/// returns `None`, so one pass finds everything.
struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<PersonaError>,
}

impl Checker<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        self.text[..span.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn error(&mut self, span: Range<usize>, message: String) {
        let line = self.line(span);
        self.errors.push(PersonaError {
            file: self.file.to_path_buf(),
            line,
            message,
        });
    }

    /// Reports keys the format does not know; a typo must not be silently ignored.
    fn unknown_keys(&mut self, table: &DeTable<'_>, path: &str, known: &[&str]) {
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                let name = key.get_ref();
                let suggestion = known
                    .iter()
                    .find(|k| close_enough(k, name))
                    .map(|k| format!(" (did you mean \"{k}\"?)"))
                    .unwrap_or_default();
                self.error(
                    key.span(),
                    format!(
                        "{}: unknown key{suggestion}; allowed here: {}",
                        join(path, name),
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn value<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        table_span: Range<usize>,
        path: &str,
        key: &str,
    ) -> Option<&'t Spanned<DeValue<'i>>> {
        let found = entry(table, key);
        if found.is_none() {
            self.error(
                table_span,
                format!("{}: missing required key", join(path, key)),
            );
        }
        found
    }

    fn has(table: &DeTable<'_>, key: &str) -> bool {
        entry(table, key).is_some()
    }

    /// A list that may be left out or left empty: it only adds.
    fn optional_strings(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
    ) -> Option<Vec<String>> {
        let empty =
            entry(table, key).is_none_or(|v| v.get_ref().as_array().is_some_and(|a| a.is_empty()));
        if empty {
            return Some(Vec::new());
        }
        self.strings(table, span, path, key)
    }

    fn optional_string(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
    ) -> Option<Option<String>> {
        if !Checker::has(table, key) {
            return Some(None);
        }
        self.string(table, span, path, key).map(Some)
    }

    fn string(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
    ) -> Option<String> {
        let value = self.value(table, span, path, key)?;
        match value.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                self.error(
                    value.span(),
                    format!("{}: must not be empty", join(path, key)),
                );
                None
            }
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.error(
                    value.span(),
                    format!(
                        "{}: expected a string, found {}",
                        join(path, key),
                        other.type_str()
                    ),
                );
                None
            }
        }
    }

    fn integer(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let value = self.value(table, span, path, key)?;
        let parsed = value.get_ref().as_integer().and_then(|i| {
            let digits = i.as_str().replace('_', "");
            let digits = digits.trim_start_matches(['0', 'x', 'o', 'b']).to_string();
            let digits = if digits.is_empty() {
                "0".to_string()
            } else {
                digits
            };
            i64::from_str_radix(&digits, i.radix()).ok()
        });
        match parsed {
            Some(n) if range.contains(&n) => Some(n),
            Some(n) => {
                self.error(
                    value.span(),
                    format!(
                        "{}: {n} is out of range ({}..={})",
                        join(path, key),
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
            None => {
                self.error(
                    value.span(),
                    format!(
                        "{}: expected a whole number, found {}",
                        join(path, key),
                        value.get_ref().type_str()
                    ),
                );
                None
            }
        }
    }

    fn boolean(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
    ) -> Option<bool> {
        let value = self.value(table, span, path, key)?;
        let b = value.get_ref().as_bool();
        if b.is_none() {
            self.error(
                value.span(),
                format!(
                    "{}: expected true or false, found {}",
                    join(path, key),
                    value.get_ref().type_str()
                ),
            );
        }
        b
    }

    fn strings(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
    ) -> Option<Vec<String>> {
        let value = self.value(table, span, path, key)?;
        let Some(array) = value.get_ref().as_array() else {
            self.error(
                value.span(),
                format!(
                    "{}: expected a list of strings, found {}",
                    join(path, key),
                    value.get_ref().type_str()
                ),
            );
            return None;
        };
        if array.is_empty() {
            self.error(
                value.span(),
                format!("{}: must not be an empty list", join(path, key)),
            );
            return None;
        }
        let mut out = Vec::with_capacity(array.len());
        let mut ok = true;
        for (i, item) in array.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => out.push(s.to_string()),
                DeValue::String(_) => {
                    self.error(
                        item.span(),
                        format!("{}[{i}]: must not be empty", join(path, key)),
                    );
                    ok = false;
                }
                other => {
                    self.error(
                        item.span(),
                        format!(
                            "{}[{i}]: expected a string, found {}",
                            join(path, key),
                            other.type_str()
                        ),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn id(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
    ) -> Option<(String, usize)> {
        let id = self.string(table, span.clone(), path, "id")?;
        let value_span = entry(table, "id").map(|v| v.span()).unwrap_or(span);
        if !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            self.error(
                value_span,
                format!("{}: \"{id}\" may only use a-z, 0-9 and -", join(path, "id")),
            );
            return None;
        }
        Some((id, self.line(value_span)))
    }

    fn table<'t, 'i>(
        &mut self,
        parent: &'t DeTable<'i>,
        span: Range<usize>,
        key: &str,
    ) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let Some(value) = entry(parent, key) else {
            self.error(span, format!("{key}: missing; add a [{key}] table"));
            return None;
        };
        match value.get_ref().as_table() {
            Some(t) => Some((t, value.span())),
            None => {
                self.error(
                    value.span(),
                    format!(
                        "{key}: expected a table [{key}], found {}",
                        value.get_ref().type_str()
                    ),
                );
                None
            }
        }
    }

    /// An optional `[[shown]]` array of tables under `key`: `Ok(None)` when left out, `Err` (and
    /// an error) when it is something else.
    fn optional_tables<'t, 'i>(
        &mut self,
        parent: &'t DeTable<'i>,
        key: &str,
        path: &str,
        shown: &str,
    ) -> Result<Option<&'t DeArray<'i>>, ()> {
        let Some(value) = entry(parent, key) else {
            return Ok(None);
        };
        match value.get_ref().as_array() {
            Some(array) => Ok(Some(array)),
            None => {
                self.error(
                    value.span(),
                    format!(
                        "{path}: expected [[{shown}]] tables, found {}",
                        value.get_ref().type_str()
                    ),
                );
                Err(())
            }
        }
    }

    /// The tables of an array of tables, each with its path (`doubt[2]`) and span; an item
    /// that is not a table is reported. The flag says whether every item was one.
    fn tables<'t, 'i>(&mut self, array: &'t DeArray<'i>, path: &str) -> (Vec<Item<'t, 'i>>, bool) {
        let mut tables = Vec::new();
        let mut all = true;
        for (i, item) in array.iter().enumerate() {
            let path = format!("{path}[{i}]");
            match item.get_ref().as_table() {
                Some(t) => tables.push((path, t, item.span())),
                None => {
                    self.error(
                        item.span(),
                        format!(
                            "{path}: expected a table, found {}",
                            item.get_ref().type_str()
                        ),
                    );
                    all = false;
                }
            }
        }
        (tables, all)
    }

    fn parse_enum<T>(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        key: &str,
        allowed: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let raw = self.string(table, span.clone(), path, key)?;
        let value_span = entry(table, key).map(|v| v.span()).unwrap_or(span);
        let parsed = parse(&raw);
        if parsed.is_none() {
            self.error(
                value_span,
                format!(
                    "{}: unknown value \"{raw}\"; expected one of {}",
                    join(path, key),
                    allowed.join(", ")
                ),
            );
        }
        parsed
    }
}

/// One table of an array of tables: its path (`doubt[2]`), the table and its span.
type Item<'t, 'i> = (String, &'t DeTable<'i>, Range<usize>);

/// The value of `key` in a table, with its span.
fn entry<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Near-miss keys ("sign-at" for "sign_at", "opennig" for "opening") get a suggestion.
fn close_enough(known: &str, typed: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "_");
    let (a, b) = (norm(known), norm(typed));
    if a == b || a.trim_end_matches('s') == b.trim_end_matches('s') {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    a.len().abs_diff(b.len()) <= 2 && common >= 3
}

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
fn check(file: &Path, text: &str) -> (Option<Persona>, Vec<PersonaError>, Option<(String, usize)>) {
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

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "{error}")?;
        }
        write!(
            f,
            "{} file(s) checked: {} valid, {} with errors ({} error(s))",
            self.files,
            self.personas.len(),
            self.rejected.len(),
            self.errors.len()
        )
    }
}
