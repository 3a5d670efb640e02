//! `sceptic sessions`: the bot's database from the command line, for coaches who want a
//! spreadsheet. One row per session with every debrief figure.

use super::TerminalError;
use crate::report::{CSV_HEADER, Row, csv_cell};
use crate::store::{SessionFilter, Store};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// `sessions list`: one line per session, newest first.
pub async fn list(
    store: &dyn Store,
    filter: &SessionFilter,
    out: &mut dyn Write,
) -> Result<(), TerminalError> {
    for record in store.list_sessions(filter).await? {
        let row = Row::from_record(&record);
        writeln!(
            out,
            "{:>5}  {}  {:<16} {:<10} {:<9} trust {}→{}→{}  stalls {}  {}",
            row.session,
            row.started_at,
            row.trainee,
            row.persona,
            row.outcome.as_deref().unwrap_or("open"),
            row.trust_start.map_or("-".into(), |v| v.to_string()),
            row.trust_peak.map_or("-".into(), |v| v.to_string()),
            row.trust_end.map_or("-".into(), |v| v.to_string()),
            row.stalls.map_or("-".into(), |v| v.to_string()),
            row.link
        )?;
    }
    Ok(())
}

/// `sessions show`: the transcript and the debrief of one session.
pub async fn show(store: &dyn Store, id: i64, out: &mut dyn Write) -> Result<(), TerminalError> {
    let filter = SessionFilter {
        id: Some(id),
        ..SessionFilter::default()
    };
    let record = store
        .list_sessions(&filter)
        .await?
        .into_iter()
        .next()
        .ok_or(TerminalError::UnknownSession(id))?;
    for m in store.messages(id).await? {
        let who = match m.role {
            crate::store::Role::Trainee => record.session.trainee.as_str(),
            crate::store::Role::Customer => record.session.persona.as_str(),
        };
        writeln!(out, "[{}] {who}: {}", m.turn, m.content)?;
    }
    if let Some(debrief) = &record.debrief {
        writeln!(out, "\n{}", debrief.to_text())?;
    }
    Ok(())
}

/// `sessions export`: CSV for a spreadsheet, or JSON with every figure.
pub async fn export(
    store: &dyn Store,
    filter: &SessionFilter,
    format: Format,
    out: &mut dyn Write,
) -> Result<usize, TerminalError> {
    let rows: Vec<Row> = store
        .list_sessions(filter)
        .await?
        .iter()
        .map(Row::from_record)
        .collect();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            writeln!(out, "{CSV_HEADER}")?;
            for row in &rows {
                let line: Vec<String> = row.cells().iter().map(|c| csv_cell(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
    }
    Ok(rows.len())
}
