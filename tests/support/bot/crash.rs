//! The bot binary as a child process, killed with SIGKILL at chosen points of a
//! conversation and restarted: used by the crash test and the restart benchmark.

use super::{WAIT, posted_debrief, rendered_debrief, replies, stored_seed_at};
use crate::common;
use fake_discord::FakeDiscord;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment that would otherwise change which proxy the bot uses and which
/// certificates it trusts.
const PROXY_AND_ROOTS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

/// Where in answering a message the bot is killed.
#[derive(Debug, Clone, Copy)]
pub enum KillPoint {
    /// As soon as the message has left the gateway: maybe before anything was stored.
    Early,
    /// The reply is stored, but Discord keeps refusing it.
    Stored,
    /// Discord has the reply, but the bot has not heard back.
    Sent,
}

pub struct Crashes {
    /// The `sceptic` binary: only the package that builds it knows where it is
    /// (`env!("CARGO_BIN_EXE_sceptic")` in its tests and benchmarks).
    binary: PathBuf,
    pub dir: tempfile::TempDir,
    /// `storage.url`: a SQLite file in `dir` unless the test gives a server.
    url: String,
    personas: PathBuf,
    pub logs: Vec<PathBuf>,
    child: Option<Child>,
    /// Environment the binary gets beyond the token and the log level.
    env: Vec<(&'static str, String)>,
}

pub struct Report {
    pub messages: usize,
    pub lost: usize,
    pub duplicated: usize,
    pub restart_to_reply: Vec<Duration>,
    pub debrief_matches: bool,
}

impl Crashes {
    pub fn new(binary: &str, fake: &FakeDiscord) -> Crashes {
        Crashes::with_personas(binary, fake, common::personas_dir())
    }

    pub fn with_personas(binary: &str, fake: &FakeDiscord, personas: PathBuf) -> Crashes {
        Crashes::with_database(binary, fake, personas, None)
    }

    /// The bot on the database at `url`, or on a SQLite file of its own when `None`.
    pub fn with_database(
        binary: &str,
        fake: &FakeDiscord,
        personas: PathBuf,
        url: Option<String>,
    ) -> Crashes {
        let api = format!("api_url = \"{}\"\n", fake.base_url());
        Crashes::configured(binary, fake, personas, &api, url)
    }

    /// The bot on shards `first` to `last` of `total`, on the database at `url`.
    pub fn sharded(binary: &str, fake: &FakeDiscord, url: String, shards: [u32; 3]) -> Crashes {
        let [first, last, total] = shards;
        let discord = format!(
            "api_url = \"{}\"\nshards = {{ first = {first}, last = {last}, total = {total} }}\n",
            fake.base_url()
        );
        Crashes::configured(binary, fake, common::personas_dir(), &discord, Some(url))
    }

    /// The binary with the HTTP setup production has: `api_url` left at https://discord.com
    /// (no proxy in serenity, its rate limiter on), reaching the fake through its HTTPS front
    /// with `HTTPS_PROXY` and, when `trust_ca`, `SSL_CERT_FILE` naming the front's CA.
    pub fn behind_https(binary: &str, fake: &FakeDiscord, trust_ca: bool) -> Crashes {
        let front = fake
            .https()
            .expect("the fake was started with FakeDiscord::start_https");
        let mut crashes = Crashes::configured(binary, fake, common::personas_dir(), "", None);
        crashes.env.push(("HTTPS_PROXY", front.proxy_url()));
        if trust_ca {
            let ca = crashes.dir.path().join("throwaway-ca.pem");
            std::fs::write(&ca, front.ca_pem()).expect("CA written");
            crashes
                .env
                .push(("SSL_CERT_FILE", ca.display().to_string()));
        }
        crashes
    }

    fn configured(
        binary: &str,
        fake: &FakeDiscord,
        personas: PathBuf,
        api: &str,
        url: Option<String>,
    ) -> Crashes {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = url.unwrap_or_else(|| dir.path().join("sceptic.db").display().to_string());
        let config = format!(
            "[discord]\n{api}guild_id = {}\ntyping_delay_ms = 0\npractice_channels = [{}]\ncoach_channel = {}\n\n\
             [storage]\nurl = \"{url}\"\nlease_seconds = 1\n\n[sessions]\nsweep_seconds = 1\n\n[personas]\ndir = \"{}\"\n",
            fake.guild_id(),
            fake.training_channel(),
            fake.coach_channel(),
            personas.display()
        );
        std::fs::write(dir.path().join("config.toml"), config).expect("config written");
        Crashes {
            binary: PathBuf::from(binary),
            dir,
            url,
            personas,
            logs: Vec::new(),
            child: None,
            env: Vec::new(),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Starts the bot and waits until it listens.
    pub async fn start(&mut self, fake: &FakeDiscord) {
        let mark = fake.mark();
        self.spawn(fake);
        super::wait_until_listening(fake, mark).await;
    }

    /// Starts the bot and waits (up to [`WAIT`]) for it to stop by itself, as it does when it
    /// cannot start; returns whether it stopped with success and what it logged.
    pub async fn run_until_stopped(&mut self, fake: &FakeDiscord) -> (bool, String) {
        let log = self.spawn(fake);
        let deadline = Instant::now() + WAIT;
        let status = loop {
            let child = self.child.as_mut().expect("the bot was spawned");
            if let Some(status) = child.try_wait().expect("the bot's exit status") {
                break status;
            }
            assert!(Instant::now() < deadline, "the bot did not stop by itself");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        self.child = None;
        let text = std::fs::read_to_string(log).expect("log is UTF-8");
        (status.success(), text)
    }

    /// Waits until the running bot's log has a line containing `text`.
    pub async fn wait_for_log(&self, text: &str) -> bool {
        let Some(log) = self.logs.last() else {
            return false;
        };
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if std::fs::read_to_string(log).is_ok_and(|l| l.contains(text)) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Lines at ERROR level in any of the bot's logs.
    pub fn errors(&self) -> Vec<String> {
        self.logs
            .iter()
            .filter_map(|log| std::fs::read_to_string(log).ok())
            .flat_map(|text| {
                text.lines()
                    .filter(|l| l.contains(" ERROR "))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Spawns the binary with its stderr in a fresh log file, without waiting for it (a
    /// standby does not listen until it takes over); returns that file.
    pub fn spawn(&mut self, fake: &FakeDiscord) -> PathBuf {
        let log = self.dir.path().join(format!("bot-{}.log", self.logs.len()));
        let file = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(&self.binary);
        command
            .args([
                "--config",
                &self.dir.path().join("config.toml").to_string_lossy(),
                "bot",
            ])
            .env("DISCORD_TOKEN", fake.token())
            .env("RUST_LOG", "debug")
            .stdout(Stdio::null())
            .stderr(file);
        // Only what the test sets decides where the bot connects and what it trusts.
        for name in PROXY_AND_ROOTS {
            command.env_remove(name);
        }
        command.envs(self.env.iter().cloned());
        self.child = Some(command.spawn().expect("the bot starts"));
        self.logs.push(log.clone());
        log
    }

    /// SIGKILL: no shutdown, no flushing, like a power cut.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Everything the bot wrote: its logs and its database.
    pub fn written(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for log in &self.logs {
            all.extend(std::fs::read(log).unwrap_or_default());
        }
        for file in ["sceptic.db", "sceptic.db-wal"] {
            all.extend(std::fs::read(self.dir.path().join(file)).unwrap_or_default());
        }
        all
    }
}

impl Drop for Crashes {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Opens a practice session as the trainee and returns its new thread.
pub async fn open(fake: &FakeDiscord) -> u64 {
    let known: Vec<u64> = fake.threads().iter().map(|t| t.id).collect();
    fake.slash_command(
        "practice",
        json!({ "persona": "margaret" }),
        &fake.trainee(),
        fake.training_channel(),
    );
    let thread = fake
        .wait_for_thread(
            |t| t.parent_id == Some(fake.training_channel()) && !known.contains(&t.id),
            WAIT,
        )
        .await
        .expect("thread");
    fake.wait_for_message_in(thread.id, |m| m.content.starts_with("**"), WAIT)
        .await
        .expect("opening line");
    thread.id
}

/// Plays `messages`, killing and restarting the bot once per message at the given points,
/// then ends the session and compares everything with an uninterrupted run.
pub async fn play(
    fake: &FakeDiscord,
    crashes: &mut Crashes,
    messages: &[&str],
    points: &[KillPoint],
) -> Report {
    crashes.start(fake).await;
    let thread = open(fake).await;
    let route = format!("/channels/{thread}/messages");
    let trainee = fake.trainee();
    let mut restart_to_reply = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let point = points[i % points.len()];
        let mark = fake.mark();
        match point {
            KillPoint::Early => {
                fake.user_message(thread, &trainee, message);
            }
            KillPoint::Stored => {
                fake.faults().fail_next("POST", &route, 500, 1000);
                fake.user_message(thread, &trainee, message);
                let refused = fake
                    .wait_for_request_after(mark, |r| r.is("POST", &route) && r.injected, WAIT)
                    .await;
                assert!(refused.is_some(), "the bot never tried to send");
            }
            KillPoint::Sent => {
                fake.faults()
                    .delay_response_next("POST", &route, Duration::from_secs(30), 1);
                fake.user_message(thread, &trainee, message);
                let took = fake
                    .wait_until(|f| replies(f, thread).len() > i, WAIT)
                    .await;
                assert!(took, "Discord never got the reply");
            }
        }
        crashes.kill();
        fake.faults().clear();
        let restarted = Instant::now();
        crashes.start(fake).await;
        if fake
            .wait_until(|f| replies(f, thread).len() > i, WAIT)
            .await
        {
            restart_to_reply.push(restarted.elapsed());
        }
    }
    fake.slash_command("end", json!({}), &trainee, thread);
    let debrief_posted = fake
        .wait_for_message_in(
            thread,
            |m| m.embeds.iter().any(|e| e.to_string().contains("Debrief")),
            WAIT,
        )
        .await
        .is_some();
    tokio::time::sleep(Duration::from_millis(500)).await;
    crashes.kill();

    let (persona, seed) = stored_seed_at(crashes.url(), thread).await;
    let report = sceptic::personas::load_dir(&crashes.personas).expect("personas load");
    let pool = report.get(&persona).expect("the session's persona").clone();
    let mut expected = sceptic::Session::new(pool, seed, None);
    let wanted: Vec<String> = messages.iter().map(|m| expected.respond(m).reply).collect();
    expected.end();
    let got = replies(fake, thread);
    let got: Vec<String> = got
        .into_iter()
        .take_while(|l| !expected_goodbye(l))
        .collect();
    let lost = wanted.iter().filter(|w| !got.contains(w)).count();
    let duplicated = got.len().saturating_sub(wanted.len() - lost);
    Report {
        messages: messages.len(),
        lost,
        duplicated,
        restart_to_reply,
        debrief_matches: debrief_posted && {
            let debrief = expected.debrief();
            posted_debrief(fake, thread, &debrief) == rendered_debrief(&debrief)
        },
    }
}

fn expected_goodbye(line: &str) -> bool {
    sceptic::lexicon::get("en").is_some_and(|l| l.replies.ended.iter().any(|e| e == line))
}
