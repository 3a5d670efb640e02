//! `sceptic train`: regenerates the reader's model files from the labelled corpus, or compares
//! the model designs on validation folds. For developers; the shipped models are its output.

use super::TerminalError;
use crate::lexicon;
use crate::reader::corpus::{self, Example};
use crate::reader::train::{self, DESIGN};
use std::io::Write;
use std::path::Path;

/// Every example of one language in a corpus folder: the files named `LANG-*.tsv`, in name
/// order, so that training sees them the same way on every machine.
pub fn load(dir: &Path, language: &str) -> Result<Vec<Example>, TerminalError> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|error| TerminalError::Corpus(format!("{}: {error}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension().is_some_and(|e| e == "tsv")
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{language}-")))
        })
        .collect();
    files.sort();
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path)
            .map_err(|error| TerminalError::Corpus(format!("{}: {error}", path.display())))?;
        match corpus::parse(&text, &path.display().to_string()) {
            Ok(found) => examples.extend(found),
            Err(bad) => errors.extend(bad.into_iter().map(|e| e.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(TerminalError::Corpus(errors.join("\n")));
    }
    if examples.is_empty() {
        return Err(TerminalError::Corpus(format!(
            "no {language}-*.tsv examples in {}",
            dir.display()
        )));
    }
    Ok(examples)
}

/// The model file of a language, trained from the corpus: what `model/LANG.bin` must hold.
pub fn model_bytes(corpus: &Path, language: &str) -> Result<Vec<u8>, TerminalError> {
    let lexicon = lexicon::get(language).ok_or_else(|| unknown(language))?;
    let examples = load(corpus, language)?;
    Ok(train::train(lexicon, &examples, DESIGN).to_bytes())
}

/// Trains every language's model into `out`, or with `compare` prints how each design does
/// on the validation folds (and with `misses` what the shipped design misreads there).
pub fn run(
    corpus: &Path,
    out: &Path,
    compare: bool,
    misses: bool,
    mut report: impl Write,
) -> Result<(), TerminalError> {
    for language in lexicon::languages() {
        if compare {
            let lexicon = lexicon::get(language).ok_or_else(|| unknown(language))?;
            let (text, results) = train::compare(lexicon, &load(corpus, language)?);
            writeln!(report, "{text}")?;
            if misses {
                for (_, scores) in results.iter().filter(|(name, _)| name == DESIGN.name()) {
                    for miss in &scores.misses {
                        writeln!(report, "{miss}")?;
                    }
                }
            }
            continue;
        }
        let bytes = model_bytes(corpus, language)?;
        let path = out.join(format!("{language}.bin"));
        std::fs::write(&path, &bytes)
            .map_err(|error| TerminalError::Corpus(format!("{}: {error}", path.display())))?;
        writeln!(report, "{}: {} bytes", path.display(), bytes.len())?;
    }
    Ok(())
}

fn unknown(language: &str) -> TerminalError {
    TerminalError::UnknownLanguage(language.to_string(), lexicon::languages().join(", "))
}
