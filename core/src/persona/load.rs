//! Reads persona files and reports every problem in every file at once, each with the file,
//! the line and the key, because coaches fix them in an editor, not in a debugger.

use super::Persona;
use super::schema::check;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
