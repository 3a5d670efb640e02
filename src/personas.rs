//! Reads a folder of persona files from disk; checking them is the core's
//! ([`crate::persona::load`]).

use crate::persona::{self, LoadReport, PersonaError};
use std::path::{Path, PathBuf};

/// Reads every `*.toml` in `dir`, in name order. A file that cannot be read is reported
/// with the others; only a folder that cannot be read, or holds no persona file, fails.
pub fn load_dir(dir: &Path) -> Result<LoadReport, PersonaError> {
    let dir_error = |message: String| PersonaError {
        file: dir.to_path_buf(),
        line: 0,
        message,
    };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| dir_error(format!("cannot read the persona folder: {e}")))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(dir_error("no persona files (*.toml) in this folder".into()));
    }
    let files = paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path);
            (path, text)
        })
        .collect();
    Ok(persona::load(files))
}
