use super::{LineSource, TerminalError};
use crate::debrief::Debrief;
use crate::debrief::fill;
use crate::engine::Session;
use crate::persona::{Difficulty, LoadReport, Persona};
use crate::topic::Act;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// What `sceptic practice` was asked for. The seed is always known here: the binary picks
/// one when the trainee gave none, so that every session can be replayed.
#[derive(Debug, Clone)]
pub struct PracticeOptions {
    pub persona: Option<String>,
    pub seed: u64,
    pub difficulty: Option<Difficulty>,
    pub json: bool,
    /// Where to write the trust curve as a PNG once the session is over.
    pub chart: Option<PathBuf>,
}

/// One line of `--json` output.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event<'a> {
    Customer {
        turn: u32,
        text: &'a str,
    },
    Turn {
        turn: u32,
        acts: &'a [Act],
        trust: u8,
        revealed: &'a [String],
        resolved: &'a [String],
        stalled: bool,
    },
    Debrief(&'a Debrief),
}

pub(super) fn find(report: &LoadReport, id: &str) -> Result<Arc<Persona>, TerminalError> {
    if let Some(p) = report.get(id) {
        return Ok(Arc::clone(p));
    }
    let errors = report.errors_for(id);
    if !errors.is_empty() {
        let errors = errors
            .iter()
            .map(|e| format!("  {e}"))
            .collect::<Vec<_>>()
            .join("\n");
        return Err(TerminalError::InvalidPersona {
            id: id.to_string(),
            errors,
        });
    }
    let available = report.ids();
    Err(TerminalError::UnknownPersona {
        id: id.to_string(),
        available,
    })
}

/// A conversation in the terminal. `/end` or the end of input stops it; the debrief follows.
/// Returns the finished session.
pub fn practice(
    report: &LoadReport,
    options: &PracticeOptions,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
    notes: &mut dyn Write,
) -> Result<Session, TerminalError> {
    let persona = match &options.persona {
        Some(id) => find(report, id)?,
        None => {
            if report.personas.is_empty() {
                return Err(TerminalError::NoPersonas);
            }
            let pick = (options.seed % report.personas.len() as u64) as usize;
            Arc::clone(&report.personas[pick])
        }
    };
    let mut session = Session::new(Arc::clone(&persona), options.seed, options.difficulty);
    let replay = format!(
        "sceptic practice --persona {} --seed {} --difficulty {}",
        persona.id,
        options.seed,
        session.difficulty()
    );
    let first = persona
        .name
        .split_whitespace()
        .next()
        .unwrap_or(&persona.name)
        .to_string();

    if options.json {
        writeln!(
            notes,
            "Practising with {} ({}). Replay: {replay}",
            persona.name, persona.id
        )?;
        emit(
            out,
            &Event::Customer {
                turn: 0,
                text: session.opening(),
            },
        )?;
    } else {
        // Everything the trainee reads speaks the customer's language.
        let lexicon = persona.lexicon();
        let w = &lexicon.session;
        let difficulty = lexicon.difficulty_name(session.difficulty()).to_string();
        let values = [
            ("name", persona.name.clone()),
            ("role", persona.role.clone()),
            ("company", persona.company.clone()),
            ("offer", persona.offer.clone()),
            ("seed", options.seed.to_string()),
            ("difficulty", difficulty),
            ("replay", replay.clone()),
        ];
        writeln!(out, "{}", fill(&w.talking_to, &values))?;
        writeln!(out, "{}", fill(&w.you_sell, &values))?;
        writeln!(out, "{}", persona.briefing)?;
        writeln!(out, "{}", fill(&w.replay, &values))?;
        writeln!(out, "{}\n", w.how_to)?;
        writeln!(out, "{first}: {}", session.opening())?;
    }

    while !session.is_over() {
        let Some(line) = input.next_line("you> ")? else {
            break;
        };
        let message = line.trim();
        if message.is_empty() {
            continue;
        }
        if message.eq_ignore_ascii_case("/end") {
            break;
        }
        if message.starts_with('/') {
            writeln!(
                notes,
                "Unknown command {message}; /end ends the conversation."
            )?;
            continue;
        }
        let turn = session.respond(message);
        if options.json {
            emit(
                out,
                &Event::Turn {
                    turn: turn.turn,
                    acts: &turn.acts,
                    trust: turn.trust,
                    revealed: &turn.revealed,
                    resolved: &turn.resolved,
                    stalled: turn.stalled,
                },
            )?;
            emit(
                out,
                &Event::Customer {
                    turn: turn.turn,
                    text: &turn.reply,
                },
            )?;
        } else {
            writeln!(out, "{first}: {}", turn.reply)?;
        }
    }
    if let Some(goodbye) = session.end() {
        if options.json {
            emit(
                out,
                &Event::Customer {
                    turn: session.turns(),
                    text: &goodbye,
                },
            )?;
        } else {
            writeln!(out, "{first}: {goodbye}")?;
        }
    }

    let debrief = session.debrief();
    if options.json {
        emit(out, &Event::Debrief(&debrief))?;
    } else {
        writeln!(out, "\n{}", debrief.to_text())?;
    }
    out.flush()?;
    if let Some(path) = &options.chart {
        std::fs::write(path, crate::chart::trust_png(&debrief)).map_err(|error| {
            TerminalError::Chart {
                path: path.clone(),
                error,
            }
        })?;
    }
    Ok(session)
}

fn emit(out: &mut dyn Write, event: &Event<'_>) -> Result<(), TerminalError> {
    serde_json::to_writer(&mut *out, event)?;
    writeln!(out)?;
    Ok(())
}
