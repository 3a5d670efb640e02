//! `sceptic sessions`: the bot's database from the command line, for coaches who want a
//! spreadsheet. One row per session with every debrief figure.

use super::TerminalError;
use crate::debrief::Debrief;
use crate::store::{SessionFilter, SessionRecord, Store};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// One exported session; the CSV columns are these fields, in this order.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Row {
    pub session: i64,
    pub guild_id: u64,
    pub thread_id: u64,
    pub trainee_id: u64,
    pub trainee: String,
    pub persona: String,
    pub round: Option<i64>,
    pub seed: u64,
    pub difficulty: String,
    pub state: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub outcome: Option<String>,
    pub trust_start: Option<u8>,
    pub trust_peak: Option<u8>,
    pub trust_end: Option<u8>,
    pub sign_at: Option<u8>,
    pub stalls: Option<usize>,
    pub turns: Option<u32>,
    pub doubts: Option<usize>,
    pub doubts_surfaced: Option<usize>,
    pub doubts_resolved: Option<usize>,
    pub never_surfaced: Option<String>,
    pub link: String,
}

impl Row {
    pub fn from_record(record: &SessionRecord) -> Row {
        let s = &record.session;
        let d = record.debrief.as_ref();
        let counts = d.map(Debrief::surfaced_and_resolved);
        Row {
            session: s.id,
            guild_id: s.guild_id,
            thread_id: s.thread_id,
            trainee_id: s.trainee_id,
            trainee: s.trainee.clone(),
            persona: s.persona.clone(),
            round: s.round,
            seed: s.seed,
            difficulty: s.difficulty.to_string(),
            state: if s.open { "open" } else { "ended" }.to_string(),
            started_at: iso_date_time(s.started_at),
            ended_at: s.ended_at.map(iso_date_time),
            outcome: s.outcome.map(|o| o.as_str().to_string()),
            trust_start: d.as_ref().map(|d| d.trust.start),
            trust_peak: d.as_ref().map(|d| d.trust.peak),
            trust_end: d.as_ref().map(|d| d.trust.end),
            sign_at: d.as_ref().map(|d| d.sign_at),
            stalls: d.as_ref().map(|d| d.stalls.len()),
            turns: d.as_ref().map(|d| d.turns),
            doubts: d.as_ref().map(|d| d.doubts.len()),
            doubts_surfaced: counts.map(|c| c.0),
            doubts_resolved: counts.map(|c| c.1),
            never_surfaced: d.as_ref().map(|d| {
                d.doubts
                    .iter()
                    .filter(|x| x.revealed_at.is_none())
                    .map(|x| x.id.as_str())
                    .collect::<Vec<_>>()
                    .join(";")
            }),
            link: s.thread_link(),
        }
    }

    /// The values in CSV order, empty for none.
    fn cells(&self) -> Vec<String> {
        let opt = |v: Option<String>| v.unwrap_or_default();
        vec![
            self.session.to_string(),
            self.guild_id.to_string(),
            self.thread_id.to_string(),
            self.trainee_id.to_string(),
            self.trainee.clone(),
            self.persona.clone(),
            opt(self.round.map(|r| r.to_string())),
            self.seed.to_string(),
            self.difficulty.clone(),
            self.state.clone(),
            self.started_at.clone(),
            opt(self.ended_at.clone()),
            opt(self.outcome.clone()),
            opt(self.trust_start.map(|v| v.to_string())),
            opt(self.trust_peak.map(|v| v.to_string())),
            opt(self.trust_end.map(|v| v.to_string())),
            opt(self.sign_at.map(|v| v.to_string())),
            opt(self.stalls.map(|v| v.to_string())),
            opt(self.turns.map(|v| v.to_string())),
            opt(self.doubts.map(|v| v.to_string())),
            opt(self.doubts_surfaced.map(|v| v.to_string())),
            opt(self.doubts_resolved.map(|v| v.to_string())),
            opt(self.never_surfaced.clone()),
            self.link.clone(),
        ]
    }
}

pub const CSV_HEADER: &str = "session,guild_id,thread_id,trainee_id,trainee,persona,round,seed,difficulty,state,\
started_at,ended_at,outcome,trust_start,trust_peak,trust_end,sign_at,stalls,turns,doubts,doubts_surfaced,\
doubts_resolved,never_surfaced,link";

/// RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes doubled.
fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
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

/// "2026-11-27" as unix seconds at midnight UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds as "2026-11-27 16:49" (UTC).
pub fn iso_date_time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        let t = parse_date("2026-11-27").expect("date");
        assert_eq!(iso_date_time(t + 16 * 3600 + 49 * 60), "2026-11-27 16:49");
        assert_eq!(
            parse_date("2024-02-29").map(iso_date_time),
            Some("2024-02-29 00:00".into())
        );
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
