//! A session's figures as one row: what `sessions export` writes (CSV or JSON) and
//! `sessions list` shows.

use super::dates::iso_date_time;
use crate::debrief::Debrief;
use crate::store::SessionRecord;
use serde::Serialize;

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
    pub fn cells(&self) -> Vec<String> {
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
pub fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
