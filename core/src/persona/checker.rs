//! Reading a TOML document with its line numbers: every getter records what is wrong, with
//! the line and the key, and returns `None`, so one pass finds every problem of a file.

use super::load::PersonaError;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// Collects errors while walking the document; every getter records what is wrong and
/// returns `None`, so one pass finds everything.
pub(super) struct Checker<'a> {
    pub(super) file: &'a Path,
    pub(super) text: &'a str,
    pub(super) errors: Vec<PersonaError>,
}

impl Checker<'_> {
    pub(super) fn line(&self, span: Range<usize>) -> usize {
        self.text[..span.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    pub(super) fn error(&mut self, span: Range<usize>, message: String) {
        let line = self.line(span);
        self.errors.push(PersonaError {
            file: self.file.to_path_buf(),
            line,
            message,
        });
    }

    /// Reports keys the format does not know; a typo must not be silently ignored.
    pub(super) fn unknown_keys(&mut self, table: &DeTable<'_>, path: &str, known: &[&str]) {
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

    pub(super) fn value<'t, 'i>(
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

    pub(super) fn has(table: &DeTable<'_>, key: &str) -> bool {
        entry(table, key).is_some()
    }

    /// A list that may be left out or left empty: it only adds.
    pub(super) fn optional_strings(
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

    pub(super) fn optional_string(
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

    pub(super) fn string(
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

    pub(super) fn integer(
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

    pub(super) fn boolean(
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

    pub(super) fn strings(
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

    pub(super) fn id(
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

    pub(super) fn table<'t, 'i>(
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
    pub(super) fn optional_tables<'t, 'i>(
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
    pub(super) fn tables<'t, 'i>(
        &mut self,
        array: &'t DeArray<'i>,
        path: &str,
    ) -> (Vec<Item<'t, 'i>>, bool) {
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

    pub(super) fn parse_enum<T>(
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
pub(super) type Item<'t, 'i> = (String, &'t DeTable<'i>, Range<usize>);

/// The value of `key` in a table, with its span.
pub(super) fn entry<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Near-miss keys ("sign-at" for "sign_at", "opennig" for "opening") get a suggestion.
pub(super) fn close_enough(known: &str, typed: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "_");
    let (a, b) = (norm(known), norm(typed));
    if a == b || a.trim_end_matches('s') == b.trim_end_matches('s') {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    a.len().abs_diff(b.len()) <= 2 && common >= 3
}
