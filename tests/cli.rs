//! The real `sceptic` binary, run the way a trainee, a coach and a persona author run it.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn sceptic(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sceptic"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin takes the input");
    child.wait_with_output().expect("the binary finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

const PUSHY: &str = "We're the market leader.\nShall we sign?\nOur product is simply the best.\nShall I send you the contract?\n";

#[test]
fn practice_json_prints_only_json_events_ending_in_the_debrief() {
    let output = sceptic(
        &[
            "practice",
            "--persona",
            "margaret",
            "--seed",
            "42",
            "--json",
        ],
        PUSHY,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let events = json_lines(&output);
    assert_eq!(events[0]["type"], "customer");
    assert_eq!(events[0]["turn"], 0);
    let turns: Vec<&Value> = events.iter().filter(|e| e["type"] == "turn").collect();
    assert_eq!(turns.len(), 4);
    assert_eq!(turns[0]["turn"], 1);
    assert_eq!(turns[0]["acts"][0]["act"], "pitch");
    assert_eq!(turns[1]["acts"][0]["act"], "close");
    assert_eq!(turns[1]["stalled"], true);
    assert!(
        turns[1]["revealed"]
            .as_array()
            .is_some_and(|r| r.is_empty())
    );
    let debrief = events.last().expect("events");
    assert_eq!(debrief["type"], "debrief");
    assert_eq!(debrief["outcome"], "postponed");
    assert_eq!(debrief["turns"], 4);
    assert_eq!(debrief["stalls"].as_array().map(Vec::len), Some(2));
    assert_eq!(debrief["stalls"][0]["turn"], 2);
    for key in ["start", "peak", "end"] {
        assert!(debrief["trust"][key].is_u64(), "trust.{key} missing");
    }
    for doubt in debrief["doubts"].as_array().expect("doubts") {
        for key in ["id", "topic", "revealed_at", "resolved_at", "resolved_by"] {
            assert!(doubt.get(key).is_some(), "doubt lacks {key}");
        }
    }
    assert!(debrief["moments"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn the_same_seed_replays_the_same_session_and_another_seed_does_not() {
    let run = |seed: &str| {
        stdout(&sceptic(
            &["practice", "--persona", "dan", "--seed", seed, "--json"],
            PUSHY,
        ))
    };
    assert_eq!(run("7"), run("7"));
    let differs = ["8", "9", "10", "11"].iter().any(|s| run(s) != run("7"));
    assert!(differs, "four other seeds gave the very same conversation");
}

#[test]
fn practice_without_seed_or_persona_says_which_so_it_can_be_replayed() {
    let output = sceptic(&["practice"], "Hello.\n/end\n");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    // "replay with: sceptic practice ..." or, for a Dutch customer, "opnieuw spelen met: ...".
    let replay = text
        .lines()
        .find_map(|l| l.find("sceptic practice").map(|at| &l[at..]))
        .expect("the replay command is printed")
        .trim_end_matches(')')
        .to_string();
    let args: Vec<&str> = replay.split_whitespace().skip(1).collect();
    let again = sceptic(&args, "Hello.\n/end\n");
    assert_eq!(
        stdout(&again),
        text,
        "replaying the printed command gave another session"
    );
    assert!(text.contains("Debrief") || text.contains("Nabespreking"));
}

#[test]
fn practice_chart_writes_the_trust_curve_as_a_png_and_names_a_path_it_cannot_write() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("trust.png");
    let chart = path.to_str().expect("a UTF-8 path");
    let args = [
        "practice",
        "--persona",
        "margaret",
        "--seed",
        "3",
        "--chart",
    ];
    let output = sceptic(&[&args[..], &[chart]].concat(), PUSHY);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Debrief"),
        "the debrief is still printed"
    );
    let bytes = std::fs::read(&path).expect("the chart is written");
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the chart is a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let frame = reader.next_frame(&mut pixels).expect("the PNG decodes");
    assert_eq!((frame.width, frame.height), (1000, 560));

    let missing = dir.path().join("no-such-folder").join("trust.png");
    let missing = missing.to_str().expect("a UTF-8 path");
    let output = sceptic(&[&args[..], &[missing]].concat(), PUSHY);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("chart") && err.contains(missing), "{err}");
}

#[test]
fn practice_text_mode_shows_briefing_replies_and_debrief() {
    let output = sceptic(
        &["practice", "--persona", "kees", "--seed", "3"],
        "Waar twijfel je nog over?\nDaar hoef je je geen zorgen over te maken.\n/end\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Kees van Dam"));
    assert!(
        text.contains("Kees:"),
        "customer lines are attributed: {text}"
    );
    assert_eq!(
        text.matches("\nKees: ").count(),
        4,
        "opening, two replies and goodbye: {text}"
    );
    // A Dutch session is Dutch from the header on.
    for dutch in [
        "Je spreekt met Kees van Dam",
        "Je verkoopt:",
        "Typ je berichten",
        "normaal",
    ] {
        assert!(text.contains(dutch), "missing `{dutch}`: {text}");
    }
    for english in [
        "You are talking",
        "You sell",
        "Type your messages",
        "replay with",
    ] {
        assert!(!text.contains(english), "English `{english}` in: {text}");
    }
}

#[test]
fn an_unknown_persona_is_refused_with_the_available_ones() {
    let output = sceptic(&["practice", "--persona", "nobody"], "");
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("nobody") && err.contains("margaret"), "{err}");
}

#[test]
fn an_invalid_persona_is_refused_with_its_errors_while_valid_ones_still_load() {
    let dir = "tests/fixtures/broken-personas";
    let output = sceptic(
        &["practice", "--personas", dir, "--persona", "unknown-keys"],
        "",
    );
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("b-unknown-keys.toml:10: mood: unknown key"),
        "{err}"
    );
    let fine = sceptic(
        &[
            "practice",
            "--personas",
            dir,
            "--persona",
            "fine",
            "--seed",
            "1",
        ],
        "/end\n",
    );
    assert!(fine.status.success(), "{}", stderr(&fine));
    assert!(
        stderr(&fine).contains("invalid"),
        "the skipped files are mentioned"
    );
}

#[test]
fn personas_check_reports_every_error_in_every_file_with_its_line() {
    let output = sceptic(&["personas", "check", "tests/fixtures/broken-personas"], "");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let dir = "tests/fixtures/broken-personas";
    let expected = [
        "a-syntax.toml:2: TOML syntax error",
        "b-unknown-keys.toml:10: mood: unknown key",
        "b-unknown-keys.toml:12: temperament.sign_at: missing required key",
        "b-unknown-keys.toml:14: temperament.sign-at: unknown key (did you mean \"sign_at\"?)",
        "b-unknown-keys.toml:32: doubt[0].colour: unknown key",
        "b-unknown-keys.toml:34: doubt[0].answer[0].replies: missing required key",
        "b-unknown-keys.toml:36: doubt[0].answer[0].reply: unknown key (did you mean \"replies\"?)",
        "c-ranges.toml:1: id: \"Ranges!\" may only use a-z, 0-9 and -",
        "c-ranges.toml:3: language: unknown value \"fr\"",
        "c-ranges.toml:7: briefing: must not be empty",
        "c-ranges.toml:8: difficulty: unknown value \"extreme\"",
        "c-ranges.toml:9: opening: must not be an empty list",
        "c-ranges.toml:12: temperament.trust: 150 is out of range",
        "c-ranges.toml:14: temperament.patience: expected a whole number",
        "c-ranges.toml:18: doubts.draw: 3 is larger than the pool of 1 doubt(s)",
        "c-ranges.toml:22: doubt[0].topic: unknown value \"weather\"",
        "c-ranges.toml:23: doubt[0].weight: 5 is out of range",
        "c-ranges.toml:24: doubt[0].blocking: expected true or false",
        "c-ranges.toml:29: doubt[0].resolved: must not be an empty list",
        "d-missing.toml:1: name: missing required key",
        "d-missing.toml:1: doubts: missing",
        "d-missing.toml:1: doubt: missing",
        "f-twin-again.toml:1: id: \"twin\" is already used by",
        "h-voice.toml:9: register: English has no registers to choose from",
        "h-voice.toml:33: situation[0].answers: missing required key",
        "h-voice.toml:37: situation[0].answer: unknown key (did you mean \"answers\"?)",
        "h-voice.toml:41: lines.goodbye: unknown key",
    ];
    for line in expected {
        let wanted = format!("{}", Path::new(dir).join(line).display());
        assert!(
            text.lines().any(|l| l.starts_with(&wanted)),
            "missing `{wanted}` in:\n{text}"
        );
    }
    let errors = text.lines().filter(|l| l.starts_with(dir)).count();
    assert_eq!(errors, expected.len(), "unexpected extra errors:\n{text}");
    assert!(
        text.contains("8 file(s) checked: 2 valid, 6 with errors"),
        "{text}"
    );
}

#[test]
fn the_shipped_personas_pass_the_check() {
    let output = sceptic(&["personas", "check"], "");
    assert!(output.status.success(), "{}", stdout(&output));
}

#[test]
fn personas_list_hides_doubts_and_show_reveals_them() {
    let list = stdout(&sceptic(&["personas", "list"], ""));
    assert_eq!(list.lines().count(), 6, "{list}");
    assert!(!list.contains("callout-times"));
    let show = sceptic(&["personas", "show", "margaret"], "");
    assert!(show.status.success());
    assert!(stdout(&show).contains("callout-times"));
}

#[test]
fn classify_prints_one_json_object_per_line() {
    let input =
        "What's still holding you back?\nany questions?\nWe don't offer a penalty clause.\n";
    let output = sceptic(&["classify", "--lang", "en"], input);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["text"], "What's still holding you back?");
    assert_eq!(
        lines[0]["acts"],
        serde_json::json!([{"act": "ask_hesitation"}])
    );
    assert_eq!(lines[1]["acts"], serde_json::json!([{"act": "other"}]));
    assert_eq!(
        lines[2]["acts"],
        serde_json::json!([{"act": "show_weak_spot", "topic": "delivery"}])
    );
    let dutch = json_lines(&sceptic(
        &["classify", "--lang", "nl"],
        "Zullen we de handtekening zetten?\n",
    ));
    assert_eq!(dutch[0]["acts"], serde_json::json!([{"act": "close"}]));
    let unknown = sceptic(&["classify", "--lang", "fr"], "");
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("fr"));
}

#[test]
fn a_six_thousand_character_message_is_read_and_answered() {
    let long = format!(
        "{} What's still holding you back?\n/end\n",
        "We deliver on time. ".repeat(300)
    );
    let output = sceptic(
        &["practice", "--persona", "margaret", "--seed", "2", "--json"],
        &long,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let events = json_lines(&output);
    let turn = events.iter().find(|e| e["type"] == "turn").expect("a turn");
    assert!(
        turn["acts"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["act"] == "ask_hesitation"))
    );
}

#[test]
fn the_bot_without_a_token_says_what_to_do() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sceptic"));
    child
        .arg("bot")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISCORD_TOKEN");
    let output = child.output().expect("the binary runs");
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error")).count(),
        1,
        "{err}"
    );
}

#[test]
fn a_bad_settings_key_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[personas]\ndirectory = \"personas\"\n").expect("write settings");
    let path = path.to_string_lossy().into_owned();
    let output = sceptic(&["--config", &path, "personas", "list"], "");
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("line 2") && err.contains("directory"), "{err}");
    let missing = sceptic(&["--config", "no-such-file.toml", "personas", "list"], "");
    assert!(stderr(&missing).contains("no-such-file.toml"));
}

#[test]
fn the_readme_invite_link_asks_for_exactly_the_permissions_the_bot_needs() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let bits = sceptic::discord::PERMISSIONS.bits();
    assert!(
        readme.contains(&format!("permissions={bits}")),
        "README invite link lacks permissions={bits}"
    );
}
