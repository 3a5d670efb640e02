//! The bot as users meet it: the release binary against the fake Discord on loopback.
//! Prints the time from a trainee message leaving the gateway to the reply request reaching
//! the fake (median and 99th percentile) with 1 and with 100 trainees talking at once (also
//! with 429s injected), and
//! the bot process's resident memory before and after opening 1,000 sessions.
//!
//! A fixed-sample load measurement rather than a criterion loop: each sample is a round trip
//! through two processes, and the percentiles are the figure. `cargo bench --bench discord`.

use fake_discord::{FakeDiscord, FakeUser};
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

fn start_bot(fake: &FakeDiscord, dir: &Path) -> Child {
    let config = format!(
        "[discord]\napi_url = \"{}\"\nguild_id = {}\ntyping_delay_ms = 0\ncoach_channel = {}\n\n[storage]\ndatabase = \"{}\"\n\n[personas]\ndir = \"{}\"\n",
        fake.base_url(),
        fake.guild_id(),
        fake.coach_channel(),
        dir.join("sceptic.db").display(),
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
    let known: Vec<u64> = fake.threads().iter().map(|t| t.id).collect();
    fake.slash_command(
        "practice",
        json!({ "persona": "margaret" }),
        trainee,
        fake.training_channel(),
    );
    let thread = fake
        .wait_for_thread(|t| !known.contains(&t.id), WAIT)
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

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let fake = FakeDiscord::start().await;
        let dir = tempfile::tempdir().expect("temp dir");
        personas(&dir.path().join("personas"));
        let mut bot = start_bot(&fake, dir.path());
        assert!(fake.wait_for_commands(&["practice"], WAIT).await, "the bot did not come up");
        let idle = rss_kib(bot.id());

        let one = vec![(fake.trainee(), open_session(&fake, &fake.trainee()).await)];
        let mut samples = Vec::new();
        for _ in 0..300 {
            samples.extend(round(&fake, &one, "Tell me more about your planning.").await);
        }
        report("1 trainee", samples);

        let mut many = Vec::new();
        for i in 0..100 {
            let user = fake.add_member(&format!("t{i:03}_trainee"));
            let thread = open_session(&fake, &user).await;
            many.push((user, thread));
        }
        let mut samples = Vec::new();
        for _ in 0..20 {
            samples.extend(round(&fake, &many, "Tell me more about your planning.").await);
        }
        report("100 trainees at once", samples);

        let mut samples = Vec::new();
        for _ in 0..20 {
            // A fifth of the replies first meet a 429, as behind a shared rate-limit proxy.
            fake.faults().rate_limit_next("POST", "/channels/{id}/messages", Duration::from_millis(200), 20);
            samples.extend(round(&fake, &many, "Tell me more about your planning.").await);
        }
        report("100 trainees at once, 20% of replies rate-limited first", samples);

        let started = Instant::now();
        for i in 100..1000 {
            let user = fake.add_member(&format!("t{i:03}_trainee"));
            let thread = open_session(&fake, &user).await;
            round(&fake, &[(user, thread)], "Hello!").await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let full = rss_kib(bot.id());
        println!(
            "memory: {idle} KiB idle, {full} KiB with 1,001 open sessions ({:.1} KiB per session); opening 900 took {:.1?}",
            (full.saturating_sub(idle)) as f64 / 1001.0,
            started.elapsed()
        );
        let _ = bot.kill();
        let _ = bot.wait();
    });
}
