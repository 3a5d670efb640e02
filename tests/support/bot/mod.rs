//! Running the bot in-process against the fake Discord: start, stop, open sessions, talk.

pub mod crash;

use super::common;
use fake_discord::{FakeDiscord, FakeUser};
use sceptic::config::Config;
use sceptic::discord::{self, StartError};
use sceptic::store::Location;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const WAIT: Duration = Duration::from_secs(20);
/// How long a test waits to be sure something does NOT happen.
pub const QUIET: Duration = Duration::from_millis(1500);

pub struct Bot {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), StartError>>,
}

impl Bot {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let result = tokio::time::timeout(WAIT, self.task).await;
        assert!(
            matches!(result, Ok(Ok(Ok(())))),
            "the bot did not stop cleanly: {result:?}"
        );
    }
}

pub fn config(fake: &FakeDiscord, database: &Path) -> Config {
    let mut config = Config::default();
    config.discord.api_url = fake.base_url();
    config.discord.guild_id = Some(fake.guild_id());
    config.discord.practice_channels = vec![fake.training_channel()];
    config.discord.coach_channel = Some(fake.coach_channel());
    config.discord.coach_role = Some(fake.coach_role());
    config.discord.typing_delay_ms = 0;
    config.sessions.sweep_seconds = 1;
    config.storage.url = database.display().to_string();
    // A bot a test drops without stopping leaves its lease behind; the next waits it out.
    config.storage.lease_seconds = 0.5;
    config.personas.dir = common::personas_dir();
    config
}

pub async fn start_bot(fake: &FakeDiscord, database: &Path) -> Bot {
    start_bot_with(fake, config(fake, database)).await
}

pub async fn start_bot_with(fake: &FakeDiscord, config: Config) -> Bot {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("sceptic=debug")
        .try_init();
    let mark = fake.mark();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(discord::run_until(config, Some(fake.token()), async {
        let _ = stopped.await;
    }));
    wait_until_listening(fake, mark).await;
    assert!(
        fake.wait_for_commands(&["practice", "end", "personas"], WAIT)
            .await
    );
    Bot { stop, task }
}

/// Waits until a bot started after `mark` listens: registering its commands is the last
/// thing it does first.
pub async fn wait_until_listening(fake: &FakeDiscord, mark: usize) {
    let registered = fake
        .wait_for_request_after(
            mark,
            |r| r.is("PUT", "/applications/{id}/guilds/{id}/commands"),
            WAIT,
        )
        .await;
    assert!(
        registered.is_some(),
        "the bot did not come up and register its commands"
    );
}

pub struct World {
    pub fake: FakeDiscord,
    pub _dir: tempfile::TempDir,
    pub database: PathBuf,
}

/// The start most tests share: a fake Discord, the bot on a fresh database, and the
/// trainee's session with `persona` opened. Returns the world, the bot, the trainee and the
/// session's thread.
pub async fn talk(persona: &str) -> (World, Bot, FakeUser, u64) {
    let w = world().await;
    let trainee = w.fake.trainee();
    let bot = start_bot(&w.fake, &w.database).await;
    let thread = open_session(&w.fake, &trainee, persona).await;
    (w, bot, trainee, thread)
}

pub async fn world() -> World {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("sceptic.db");
    World {
        fake,
        _dir: dir,
        database,
    }
}

/// Starts a session with `persona` and returns its thread id.
pub async fn open_session(fake: &FakeDiscord, trainee: &FakeUser, persona: &str) -> u64 {
    let known: Vec<u64> = fake.threads().iter().map(|t| t.id).collect();
    let interaction = fake.slash_command(
        "practice",
        json!({ "persona": persona }),
        trainee,
        fake.training_channel(),
    );
    let thread = fake
        .wait_for_thread(
            |t| {
                t.parent_id == Some(fake.training_channel())
                    && t.owner_id == Some(fake.bot_user_id())
                    && !known.contains(&t.id)
            },
            WAIT,
        )
        .await
        .expect("a session thread was opened");
    assert!(
        fake.wait_until(
            |f| f
                .interaction_text(interaction)
                .contains(&thread.id.to_string()),
            WAIT
        )
        .await,
        "the trainee was not pointed to the thread: {}",
        fake.interaction_text(interaction)
    );
    assert!(fake.interaction_was_ephemeral(interaction));
    fake.wait_for_message_in(thread.id, |m| m.content.starts_with("**"), WAIT)
        .await
        .expect("the customer opened the conversation");
    thread.id
}

pub fn customer_lines(fake: &FakeDiscord, thread: u64) -> Vec<String> {
    fake.messages_in(thread)
        .into_iter()
        .filter(|m| m.embeds.is_empty())
        .map(|m| m.content)
        .collect()
}

/// The trainee says something and the customer's answer comes back (without the name).
pub async fn say(fake: &FakeDiscord, thread: u64, trainee: &FakeUser, text: &str) -> String {
    let before = customer_lines(fake, thread).len();
    fake.user_message(thread, trainee, text);
    assert!(
        fake.wait_until(|f| customer_lines(f, thread).len() > before, WAIT)
            .await,
        "no answer to {text:?}"
    );
    let line = customer_lines(fake, thread).pop().unwrap_or_default();
    line.split_once(":** ")
        .map(|(_, l)| l.to_string())
        .unwrap_or(line)
}

pub async fn stored_seed(database: &Path, thread: u64) -> (String, u64) {
    stored_seed_at(&database.display().to_string(), thread).await
}

/// The persona and seed of the session in `thread`, from the store at `url`.
pub async fn stored_seed_at(url: &str, thread: u64) -> (String, u64) {
    let store = Location::parse(url)
        .expect("a test URL")
        .open()
        .await
        .expect("store opens");
    let session = store
        .session_by_thread(thread)
        .await
        .expect("query")
        .expect("session stored");
    (session.persona, session.seed)
}

/// The customer's lines in a thread after the opening, without the customer's name.
pub fn replies(fake: &FakeDiscord, thread: u64) -> Vec<String> {
    customer_lines(fake, thread)
        .into_iter()
        .skip(1)
        .map(|l| {
            l.split_once(":** ")
                .map(|(_, l)| l.to_string())
                .unwrap_or(l)
        })
        .collect()
}

/// Waits until the thread holds `count` replies after the opening; returns them.
pub async fn wait_for_replies(fake: &FakeDiscord, thread: u64, count: usize) -> Vec<String> {
    let arrived = fake
        .wait_until(|f| replies(f, thread).len() >= count, WAIT)
        .await;
    assert!(
        arrived,
        "expected {count} replies, got {:?}",
        replies(fake, thread)
    );
    replies(fake, thread)
}

/// Waits for a reply to each of `messages`, checks they are what an uninterrupted session
/// answers, then that no second reply follows a moment later (`twice` says what that would
/// mean).
pub async fn answered_once_as_uninterrupted(
    fake: &FakeDiscord,
    database: &Path,
    thread: u64,
    messages: &[&str],
    twice: &str,
) {
    let got = wait_for_replies(fake, thread, messages.len()).await;
    let (expected, _) = uninterrupted(database, thread, messages).await;
    assert_eq!(got, expected);
    tokio::time::sleep(QUIET).await;
    assert_eq!(replies(fake, thread).len(), messages.len(), "{twice}");
}

/// What an uninterrupted session with the same persona and seed answers.
pub async fn uninterrupted(
    database: &Path,
    thread: u64,
    messages: &[&str],
) -> (Vec<String>, sceptic::Session) {
    uninterrupted_at(&database.display().to_string(), thread, messages).await
}

/// [`uninterrupted`], for the session stored at `url` (any `storage.url`).
pub async fn uninterrupted_at(
    url: &str,
    thread: u64,
    messages: &[&str],
) -> (Vec<String>, sceptic::Session) {
    let (persona, seed) = stored_seed_at(url, thread).await;
    let mut session = sceptic::Session::new(common::shipped_persona(&persona), seed, None);
    let replies = messages.iter().map(|m| session.respond(m).reply).collect();
    (replies, session)
}

/// The debrief embeds the thread shows (those titled like `debrief`), as title,
/// description and fields.
pub fn posted_debrief(
    fake: &FakeDiscord,
    thread: u64,
    debrief: &sceptic::Debrief,
) -> Vec<serde_json::Value> {
    let title = debrief.title();
    fake.messages_in(thread)
        .into_iter()
        .flat_map(|m| m.embeds)
        .filter(|e| e["title"].as_str() == Some(title.as_str()))
        .map(|e| json!({ "title": e["title"], "description": e["description"], "fields": e["fields"] }))
        .collect()
}

/// The same, rendered from a debrief the test computed.
pub fn rendered_debrief(debrief: &sceptic::Debrief) -> Vec<serde_json::Value> {
    discord::debrief_embeds(debrief)
        .into_iter()
        .map(|e| {
            let e = serde_json::to_value(e).unwrap_or_default();
            json!({ "title": e["title"], "description": e["description"], "fields": e["fields"] })
        })
        .collect()
}

/// Waits for an embed in the thread whose text contains `needle` (a debrief heading).
pub async fn wait_for_embed(fake: &FakeDiscord, thread: u64, needle: &str) -> bool {
    fake.wait_for_message_in(
        thread,
        |m| m.embeds.iter().any(|e| e.to_string().contains(needle)),
        WAIT,
    )
    .await
    .is_some()
}
