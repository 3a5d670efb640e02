//! The bot as users meet it: the release binary against the fake Discord on loopback, on a
//! SQLite file and on a PostgreSQL server of its own. For each backend it prints: the time
//! from a trainee message leaving the gateway to the reply request reaching the fake (median
//! and 99th percentile) with 1 and with 200 trainees talking at once (also with 429s
//! injected), and how many messages per second the one process answers then; the bot's
//! resident memory with 10,000 open sessions; and, after a clean restart with those 10,000
//! open, the time until a message sent while it was down is answered.
//!
//! A fixed-sample load measurement rather than a criterion loop: each sample is a round trip
//! through two processes, and the percentiles are the figure. `cargo bench --bench discord`;
//! `SCEPTIC_BENCH_SESSIONS=N` opens N sessions instead of 10,000.

use fake_discord::{FakeDiscord, FakeUser};
use sceptic_test_support::postgres::Postgres;
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() - 1) as f64 * p) as usize]
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A patient customer, so the measurement can talk for long.
fn personas(dir: &Path) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("personas/margaret.toml");
    let text = std::fs::read_to_string(source).expect("persona file");
    let text = text
        .replace("patience = 16", "patience = 500")
        .replace("stalls = 2", "stalls = 20");
    std::fs::create_dir_all(dir).expect("persona dir");
    std::fs::write(dir.join("margaret.toml"), text).expect("persona written");
}

fn start_bot(fake: &FakeDiscord, dir: &Path, url: &str) -> Child {
    let config = format!(
        "[discord]\napi_url = \"{}\"\nguild_id = {}\ntyping_delay_ms = 0\ncoach_channel = {}\n\n[storage]\nurl = \"{url}\"\n\n[personas]\ndir = \"{}\"\n",
        fake.base_url(),
        fake.guild_id(),
        fake.coach_channel(),
        dir.join("personas").display()
    );
    std::fs::write(dir.join("config.toml"), config).expect("config written");
    Command::new(env!("CARGO_BIN_EXE_sceptic"))
        .args([
            "--config",
            &dir.join("config.toml").to_string_lossy(),
            "bot",
        ])
        .env("DISCORD_TOKEN", fake.token())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bot starts")
}

async fn open_session(fake: &FakeDiscord, trainee: &FakeUser) -> u64 {
    // Thread ids grow: the newest known one is enough to tell the new one, with 10,000 there.
    let newest = fake.threads().iter().map(|t| t.id).max().unwrap_or(0);
    fake.slash_command(
        "practice",
        json!({ "persona": "margaret" }),
        trainee,
        fake.training_channel(),
    );
    let thread = fake
        .wait_for_thread(|t| t.id > newest, WAIT)
        .await
        .expect("session thread")
        .id;
    fake.wait_for_message_in(thread, |m| m.content.starts_with("**"), WAIT)
        .await
        .expect("the customer's opening line");
    thread
}

/// Every trainee sends one message at once; returns each message's latency.
async fn round(fake: &FakeDiscord, sessions: &[(FakeUser, u64)], text: &str) -> Vec<Duration> {
    let mark = fake.mark();
    let sent: Vec<(u64, u64)> = sessions
        .iter()
        .map(|(user, thread)| (fake.user_message(*thread, user, text), *thread))
        .collect();
    let expected = sessions.len();
    let all = fake
        .wait_until(
            |f| {
                f.requests()
                    .iter()
                    .skip(mark)
                    .filter(|r| r.is("POST", "/channels/{id}/messages") && r.succeeded())
                    .count()
                    >= expected
            },
            WAIT,
        )
        .await;
    assert!(all, "not every trainee got an answer");
    let replies = fake.requests();
    sent.iter()
        .filter_map(|(message, thread)| {
            let start = fake.message_dispatched_at(*message)?;
            let reply = replies.iter().skip(mark).find(|r| {
                r.is("POST", "/channels/{id}/messages")
                    && r.succeeded()
                    && r.path_id(1) == Some(*thread)
            })?;
            Some(reply.received.saturating_duration_since(start))
        })
        .collect()
}

fn report(label: &str, mut samples: Vec<Duration>) {
    let n = samples.len();
    let p50 = percentile(&mut samples, 0.50);
    let p99 = percentile(&mut samples, 0.99);
    println!("{label}: {n} replies, median {p50:.2?}, p99 {p99:.2?}");
}

/// SIGTERM: the clean stop of a deployment, which hands the lease on at once.
fn stop(bot: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status();
    let _ = bot.wait();
}

async fn measure(backend: &str, url: &str, sessions: usize) {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    personas(&dir.path().join("personas"));
    let mut bot = start_bot(&fake, dir.path(), url);
    assert!(
        fake.wait_for_commands(&["practice"], WAIT).await,
        "the bot did not come up"
    );
    let idle = rss_kib(bot.id());
    let planning = "Tell me more about your planning.";

    let one = vec![(fake.trainee(), open_session(&fake, &fake.trainee()).await)];
    let mut samples = Vec::new();
    for _ in 0..300 {
        samples.extend(round(&fake, &one, planning).await);
    }
    report(&format!("{backend}: 1 trainee"), samples);

    let mut many = Vec::new();
    for i in 0..200 {
        let user = fake.add_member(&format!("t{i:05}_trainee"));
        let thread = open_session(&fake, &user).await;
        many.push((user, thread));
    }
    let mut samples = Vec::new();
    let started = Instant::now();
    for _ in 0..10 {
        samples.extend(round(&fake, &many, planning).await);
    }
    let rate = samples.len() as f64 / started.elapsed().as_secs_f64();
    report(&format!("{backend}: 200 trainees at once"), samples);
    println!("{backend}: 200 trainees at once: {rate:.0} messages answered per second");

    let mut samples = Vec::new();
    for _ in 0..10 {
        // A fifth of the replies first meet a 429, as behind a shared rate-limit proxy.
        fake.faults().rate_limit_next(
            "POST",
            "/channels/{id}/messages",
            Duration::from_millis(200),
            40,
        );
        samples.extend(round(&fake, &many, planning).await);
    }
    report(
        &format!("{backend}: 200 trainees at once, 20% of replies rate-limited first"),
        samples,
    );

    let started = Instant::now();
    let mut newest = many[many.len() - 1].clone();
    for i in 200..sessions.saturating_sub(1) {
        let user = fake.add_member(&format!("t{i:05}_trainee"));
        let thread = open_session(&fake, &user).await;
        newest = (user, thread);
    }
    let opening = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let full = rss_kib(bot.id());
    let open = sessions.max(201);
    println!(
        "{backend}: memory {idle} KiB idle, {full} KiB with {open} open sessions ({:.1} KiB per session); opening {} took {opening:.1?}",
        (full.saturating_sub(idle)) as f64 / open as f64,
        open - 201,
    );

    // A clean restart with every session open; two trainees write while the bot is down, in
    // one of the oldest sessions and in the newest (catch-up goes oldest first).
    stop(&mut bot);
    let mark = fake.mark();
    let down = [
        ("an old session", &many[many.len() / 2]),
        ("the newest session", &newest),
    ];
    for (_, (user, thread)) in down {
        fake.user_message(*thread, user, "Anything else that worries you?");
    }
    let restarted = Instant::now();
    let mut bot = start_bot(&fake, dir.path(), url);
    for (which, (_, thread)) in down {
        let answered = fake
            .wait_for_request_after(
                mark,
                |r| {
                    r.is("POST", "/channels/{id}/messages")
                        && r.succeeded()
                        && r.path_id(1) == Some(*thread)
                },
                WAIT * 5,
            )
            .await;
        let Some(answered) = answered else {
            panic!("the message in {which}, sent while the bot was down, was never answered");
        };
        println!(
            "{backend}: restart with {open} open sessions to the caught-up reply in {which}: {:.1?}",
            answered.received.saturating_duration_since(restarted)
        );
    }
    let _ = bot.kill();
    let _ = bot.wait();
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sessions = std::env::var("SCEPTIC_BENCH_SESSIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("sceptic.db").display().to_string();
        measure("SQLite", &file, sessions).await;
        let server = Postgres::start().await;
        measure("PostgreSQL", &server.url(), sessions).await;
    });
}
