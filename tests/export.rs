//! `sceptic sessions`: the bot's database read from the command line; exports round-trip.

use sceptic::Session;
use sceptic::persona::Difficulty;
use sceptic::report::{CSV_HEADER, Row};
use sceptic::store::{
    MessageStore, NewSession, RoundStore, SessionFilter, SessionStore, SqliteStore,
};
use sceptic_test_support::common;
use sceptic_test_support::postgres::Postgres;
use std::path::Path;
use std::process::Command;

async fn fill(database: &Path) -> Vec<Row> {
    let store = SqliteStore::open(database).await.expect("store");
    let round = store
        .create_round(
            &sceptic::store::NewRound {
                guild_id: 9,
                channel_id: 8,
                coach_id: 7,
                persona: "margaret".into(),
                seed: 42,
                difficulty: Difficulty::Normal,
                deadline: 10_000,
            },
            50,
        )
        .await
        .expect("round");
    let people = [
        ("Ann, the \"closer\"", 1, "margaret", 100),
        ("Bea", 2, "priya", 200),
        ("Cor", 3, "kees", 300),
    ];
    for (i, (name, trainee, persona, started)) in people.into_iter().enumerate() {
        let new = NewSession {
            guild_id: 9,
            channel_id: 8,
            thread_id: 1000 + i as u64,
            trainee_id: trainee,
            trainee: name.to_string(),
            persona: persona.to_string(),
            seed: 42,
            difficulty: Difficulty::Normal,
            round: (i < 2).then_some(round.id),
        };
        let mut session = Session::new(common::shipped_persona(persona), 42, None);
        let stored = store
            .create_session(&new, session.opening(), started)
            .await
            .expect("created");
        let turn = session.respond("What is still holding you back?");
        store
            .record_turn(
                stored.id,
                1,
                ("What is still holding you back?", 5000 + i as u64),
                &turn.reply,
                started + 10,
            )
            .await
            .expect("turn");
        if i < 2 {
            session.end();
            store
                .end_session(stored.id, &session.debrief(), started + 20)
                .await
                .expect("ended");
        }
    }
    store
        .list_sessions(&SessionFilter::default())
        .await
        .expect("list")
        .iter()
        .map(Row::from_record)
        .collect()
}

fn sceptic(config: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sceptic"))
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// A small RFC 4180 reader, enough for the export.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn csv_and_json_exports_round_trip_and_filters_apply() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("sceptic.db");
    let rows = fill(&database).await;
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[storage]\ndatabase = \"{}\"\n", database.display()),
    )
    .expect("config");

    let json = sceptic(&config, &["sessions", "export", "--format", "json"]);
    let back: Vec<Row> = serde_json::from_str(&json).expect("JSON parses");
    assert_eq!(back, rows);

    let csv = sceptic(&config, &["sessions", "export", "--format", "csv"]);
    let table = parse_csv(&csv);
    assert_eq!(table[0].join(","), CSV_HEADER);
    assert_eq!(table.len(), 4);
    let ann = table
        .iter()
        .find(|r| r[4].starts_with("Ann"))
        .expect("Ann's row");
    assert_eq!(ann[4], "Ann, the \"closer\"", "quoting survives");
    assert_eq!(ann[12], "ended");
    assert_eq!(
        ann[13],
        rows.iter()
            .find(|r| r.trainee_id == 1)
            .and_then(|r| r.trust_start)
            .expect("trust")
            .to_string()
    );

    let round = sceptic(
        &config,
        &["sessions", "export", "--format", "json", "--round", "1"],
    );
    assert_eq!(
        serde_json::from_str::<Vec<Row>>(&round)
            .expect("JSON")
            .len(),
        2
    );
    let bea = sceptic(
        &config,
        &["sessions", "export", "--format", "json", "--member", "2"],
    );
    assert_eq!(
        serde_json::from_str::<Vec<Row>>(&bea).expect("JSON")[0].trainee,
        "Bea"
    );
    let none = sceptic(
        &config,
        &[
            "sessions",
            "export",
            "--format",
            "json",
            "--since",
            "2030-01-01",
        ],
    );
    assert!(
        serde_json::from_str::<Vec<Row>>(&none)
            .expect("JSON")
            .is_empty()
    );

    let list = sceptic(&config, &["sessions", "list", "--persona", "kees"]);
    assert_eq!(list.lines().count(), 1);
    assert!(list.contains("Cor") && list.contains("open"));
    let show = sceptic(&config, &["sessions", "show", &rows[0].session.to_string()]);
    assert!(show.contains("What is still holding you back?"));
}

/// `sceptic store copy` moves a SQLite deployment to PostgreSQL, and every command reads the
/// same from there; a second copy into the now full database is refused and says why.
#[tokio::test]
async fn a_deployment_copied_to_postgres_exports_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("sceptic.db");
    let rows = fill(&database).await;
    let server = Postgres::start().await;
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("[storage]\nurl = \"{}\"\n", server.url())).expect("config");
    let from = database.display().to_string();
    let to = server.url();

    let copied = sceptic(&config, &["store", "copy", "--from", &from, "--to", &to]);
    assert!(
        copied.starts_with("copied 3 sessions, 9 messages and 1 rounds"),
        "{copied}"
    );
    let json = sceptic(&config, &["sessions", "export", "--format", "json"]);
    let back: Vec<Row> = serde_json::from_str(&json).expect("JSON parses");
    assert_eq!(back, rows, "PostgreSQL exports what SQLite held");

    let again = Command::new(env!("CARGO_BIN_EXE_sceptic"))
        .args(["store", "copy", "--from", &from, "--to", &to])
        .output()
        .expect("the binary runs");
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("already holds") && said.contains("127.0.0.1"),
        "{said}"
    );
}
