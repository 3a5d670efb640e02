use super::{LineSource, TerminalError};
use crate::lexicon;
use crate::reader::Reader;
use crate::topic::Act;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Classified<'a> {
    text: &'a str,
    acts: &'a [Act],
}

/// `sceptic classify`: one JSON object per input line with the acts read from it, so persona
/// authors see how a line will be read.
pub fn classify(
    language: &str,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
) -> Result<(), TerminalError> {
    let lexicon = lexicon::get(language).ok_or_else(|| {
        TerminalError::UnknownLanguage(language.to_string(), lexicon::languages().join(", "))
    })?;
    let reader = Reader::new(lexicon);
    while let Some(line) = input.next_line("")? {
        let reading = reader.read(&line);
        serde_json::to_writer(
            &mut *out,
            &Classified {
                text: &line,
                acts: &reading.acts,
            },
        )?;
        writeln!(out)?;
    }
    Ok(())
}
