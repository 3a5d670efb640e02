//! Nothing lost: messages sent while the bot was down, bursts, rate limits, server errors,
//! dropped gateways, idle sessions, vanished threads and edits.

use bot::*;
use sceptic_test_support::{bot, common};
use serde_json::json;
use std::time::Duration;

const TALK: [&str; 6] = [
    "Good morning!",
    "What is still holding you back?",
    "I understand why that worries you.",
    "Is the price a concern for you?",
    "We're the market leader, honestly.",
    "Tell me more about your planning.",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_sent_while_the_bot_was_down_are_answered_in_order_once() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    say(fake, thread, &trainee, TALK[0]).await;
    bot.stop().await;

    for m in &TALK[1..4] {
        fake.user_message(thread, &trainee, m);
    }
    let bot = start_bot(fake, &w.database).await;
    answered_once_as_uninterrupted(
        fake,
        &w.database,
        thread,
        &TALK[..4],
        "a message was answered twice",
    )
    .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_gets_one_reply_per_message_in_order() {
    let (w, bot, trainee, thread) = talk("priya").await;
    let fake = &w.fake;
    for m in TALK {
        fake.user_message(thread, &trainee, m);
    }
    let got = wait_for_replies(fake, thread, TALK.len()).await;
    let (expected, _) = uninterrupted(&w.database, thread, &TALK).await;
    assert_eq!(got, expected);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_server_errors_and_dropped_connections_lose_nothing() {
    let (w, bot, trainee, thread) = talk("dan").await;
    let fake = &w.fake;
    let route = format!("/channels/{thread}/messages");
    fake.faults()
        .rate_limit_next("POST", &route, Duration::from_millis(300), 2);
    fake.user_message(thread, &trainee, TALK[0]);
    wait_for_replies(fake, thread, 1).await;
    fake.faults().fail_next("POST", &route, 500, 1);
    fake.faults().fail_next("POST", &route, 502, 1);
    fake.user_message(thread, &trainee, TALK[1]);
    wait_for_replies(fake, thread, 2).await;
    fake.faults().drop_connection_next("POST", &route, 1);
    fake.user_message(thread, &trainee, TALK[2]);
    wait_for_replies(fake, thread, 3).await;
    // Discord posted the reply but the answer never arrived: the retry must not post it again.
    fake.faults().handle_then_drop_next("POST", &route, 1);
    fake.user_message(thread, &trainee, TALK[3]);
    answered_once_as_uninterrupted(
        fake,
        &w.database,
        thread,
        &TALK[..4],
        "a retried reply was posted twice",
    )
    .await;
    assert!(fake.faults().pending().is_empty(), "every fault was met");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_is_resumed_and_what_arrived_meanwhile_answered() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    say(fake, thread, &trainee, TALK[0]).await;
    fake.disconnect_gateway();
    fake.user_message(thread, &trainee, TALK[1]);
    wait_for_replies(fake, thread, 2).await;
    fake.reconnect_request();
    fake.user_message(thread, &trainee, TALK[2]);
    let got = wait_for_replies(fake, thread, 3).await;
    let (expected, _) = uninterrupted(&w.database, thread, &TALK[..3]).await;
    assert_eq!(got, expected);
    bot.stop().await;
}

/// Every other way Discord drops or questions the gateway: a close frame, an invalidated
/// session that cannot be resumed (a fresh IDENTIFY), a heartbeat asked for at once. The
/// conversation goes on as if nothing happened, each message answered once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_or_invalidated_gateway_is_reopened_and_the_talk_goes_on() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    say(fake, thread, &trainee, TALK[0]).await;
    assert_eq!(fake.close_gateway(4000), 1, "one connection to close");
    assert!(fake.wait_for_ready(WAIT).await, "the bot never came back");
    say(fake, thread, &trainee, TALK[1]).await;
    assert_eq!(fake.invalidate_session(false), 1);
    assert!(
        fake.wait_for_ready(WAIT).await,
        "the bot never identified again"
    );
    fake.request_heartbeat();
    fake.user_message(thread, &trainee, TALK[2]);
    answered_once_as_uninterrupted(
        fake,
        &w.database,
        thread,
        &TALK[..3],
        "a message was answered twice",
    )
    .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_is_postponed_with_its_debrief() {
    let w = world().await;
    let fake = &w.fake;
    let trainee = fake.trainee();
    let mut config = config(fake, &w.database);
    config.sessions.idle_hours = 2.0 / 3600.0;
    let bot = start_bot_with(fake, config).await;
    let thread = open_session(fake, &trainee, "kees").await;
    assert!(
        wait_for_embed(fake, thread, "Uitgesteld").await,
        "no postponed debrief: {:?}",
        customer_lines(fake, thread)
    );
    let kees = common::shipped_persona("kees");
    let idle_lines = kees.stock(sceptic::lexicon::Stock::Idle);
    let last = replies(fake, thread).pop().unwrap_or_default();
    assert!(idle_lines.contains(&last), "{last}");
    fake.wait_for_message_in(fake.coach_channel(), |m| m.content.contains("Kees"), WAIT)
        .await
        .expect("the coaches hear of it");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_thread_or_a_departed_trainee_ends_the_session_cleanly() {
    let w = world().await;
    let fake = &w.fake;
    let trainee = fake.trainee();
    let leaver = fake.add_member("lee_leaver");
    let archiver = fake.add_member("ari_archived");
    let bot = start_bot(fake, &w.database).await;
    let deleted = open_session(fake, &trainee, "margaret").await;
    let left = open_session(fake, &leaver, "priya").await;
    let archived = open_session(fake, &archiver, "dan").await;
    bot.stop().await;
    fake.delete_channel(deleted);
    fake.remove_member(&leaver);
    fake.archive_thread(archived, false);

    let bot = start_bot(fake, &w.database).await;
    fake.wait_for_message_in(
        left,
        |m| !m.embeds.is_empty() && m.embeds[0].to_string().contains("Debrief"),
        WAIT,
    )
    .await
    .expect("the debrief is posted where it still can be");
    let debriefed = |f: &fake_discord::FakeDiscord| {
        f.messages_in(archived)
            .iter()
            .any(|m| m.embeds.iter().any(|e| e.to_string().contains("Debrief")))
    };
    assert!(
        fake.wait_until(debriefed, WAIT).await,
        "an archived thread gets its debrief"
    );
    let summaries = fake
        .wait_until(|f| f.messages_in(f.coach_channel()).len() >= 3, WAIT)
        .await;
    assert!(
        summaries,
        "every ended session is summarised for the coaches"
    );
    let store = sceptic::store::SqliteStore::open(&w.database)
        .await
        .expect("store");
    use sceptic::store::SessionStore;
    let open = store.open_sessions().await.expect("query");
    assert!(
        open.is_empty(),
        "still open: {open:?}; coaches saw {:?}",
        fake.messages_in(fake.coach_channel())
            .iter()
            .map(|m| m.content.clone())
            .collect::<Vec<_>>()
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_does_not_rerun_the_turn_and_the_debrief_says_so() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    let message = fake.user_message(thread, &trainee, "Shall we sign?");
    wait_for_replies(fake, thread, 1).await;
    fake.edit_message(message, "What is still holding you back?");
    tokio::time::sleep(QUIET).await;
    assert_eq!(
        replies(fake, thread).len(),
        1,
        "the edit was answered as a new turn"
    );
    fake.slash_command("end", json!({}), &trainee, thread);
    assert!(
        wait_for_embed(fake, thread, "Edited afterwards").await,
        "the debrief does not mention the edit"
    );
    bot.stop().await;
}

/// SQLite, but `record_turn` fails while `failing` is set, as with a busy or full disk.
struct FlakyStore {
    inner: sceptic::store::SqliteStore,
    failing: std::sync::atomic::AtomicBool,
}

use sceptic::store::StoreResult;

#[async_trait::async_trait]
impl sceptic::store::SessionStore for FlakyStore {
    async fn create_session(
        &self,
        new: &sceptic::store::NewSession,
        opening: &str,
        now: i64,
    ) -> sceptic::store::StoreResult<sceptic::store::StoredSession> {
        self.inner.create_session(new, opening, now).await
    }
    async fn session_by_thread(
        &self,
        thread: u64,
    ) -> sceptic::store::StoreResult<Option<sceptic::store::StoredSession>> {
        self.inner.session_by_thread(thread).await
    }
    async fn open_session_of(
        &self,
        guild: u64,
        trainee: u64,
    ) -> sceptic::store::StoreResult<Option<sceptic::store::StoredSession>> {
        self.inner.open_session_of(guild, trainee).await
    }
    async fn open_sessions(
        &self,
    ) -> sceptic::store::StoreResult<Vec<sceptic::store::StoredSession>> {
        self.inner.open_sessions().await
    }
    async fn end_session(
        &self,
        session: i64,
        debrief: &sceptic::Debrief,
        now: i64,
    ) -> sceptic::store::StoreResult<()> {
        self.inner.end_session(session, debrief, now).await
    }
    async fn debriefs_to_post(
        &self,
    ) -> StoreResult<Vec<(sceptic::store::StoredSession, StoreResult<sceptic::Debrief>)>> {
        self.inner.debriefs_to_post().await
    }
    async fn mark_debrief_posted(&self, session: i64, now: i64) -> sceptic::store::StoreResult<()> {
        self.inner.mark_debrief_posted(session, now).await
    }
    async fn list_sessions(
        &self,
        filter: &sceptic::store::SessionFilter,
    ) -> StoreResult<Vec<sceptic::store::SessionRecord>> {
        self.inner.list_sessions(filter).await
    }
}

#[async_trait::async_trait]
impl sceptic::store::LeaseStore for FlakyStore {
    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<bool> {
        self.inner.acquire_lease(name, holder, now, until).await
    }
    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()> {
        self.inner.release_lease(name, holder).await
    }
}

#[async_trait::async_trait]
impl sceptic::store::Backup for FlakyStore {
    async fn dump(&self) -> StoreResult<sceptic::store::Dump> {
        self.inner.dump().await
    }
    async fn restore(&self, dump: &sceptic::store::Dump) -> StoreResult<()> {
        self.inner.restore(dump).await
    }
}

#[async_trait::async_trait]
impl sceptic::store::MessageStore for FlakyStore {
    async fn messages(
        &self,
        session: i64,
    ) -> sceptic::store::StoreResult<Vec<sceptic::store::StoredMessage>> {
        self.inner.messages(session).await
    }
    async fn record_turn(
        &self,
        session: i64,
        turn: u32,
        trainee: (&str, u64),
        reply: &str,
        now: i64,
    ) -> sceptic::store::StoreResult<i64> {
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(sceptic::store::StoreError::Database(
                sqlx::Error::PoolTimedOut,
            ));
        }
        self.inner
            .record_turn(session, turn, trainee, reply, now)
            .await
    }
    async fn mark_sent(
        &self,
        message: i64,
        discord: u64,
        now: i64,
    ) -> sceptic::store::StoreResult<()> {
        self.inner.mark_sent(message, discord, now).await
    }
    async fn threads_with_unsent_replies(&self) -> StoreResult<Vec<u64>> {
        self.inner.threads_with_unsent_replies().await
    }
    async fn seen(&self, discord: u64) -> sceptic::store::StoreResult<bool> {
        self.inner.seen(discord).await
    }
    async fn record_customer(
        &self,
        session: i64,
        turn: u32,
        line: &str,
        now: i64,
    ) -> sceptic::store::StoreResult<i64> {
        self.inner.record_customer(session, turn, line, now).await
    }
    async fn mark_edited(&self, discord: u64, now: i64) -> sceptic::store::StoreResult<()> {
        self.inner.mark_edited(discord, now).await
    }
}

#[async_trait::async_trait]
impl sceptic::store::RoundStore for FlakyStore {
    async fn create_round(
        &self,
        new: &sceptic::store::NewRound,
        now: i64,
    ) -> StoreResult<sceptic::store::Round> {
        self.inner.create_round(new, now).await
    }
    async fn set_round_message(&self, round: i64, message: u64) -> StoreResult<()> {
        self.inner.set_round_message(round, message).await
    }
    async fn round(&self, id: i64) -> StoreResult<Option<sceptic::store::Round>> {
        self.inner.round(id).await
    }
    async fn open_round_in(
        &self,
        guild: u64,
        channel: u64,
    ) -> StoreResult<Option<sceptic::store::Round>> {
        self.inner.open_round_in(guild, channel).await
    }
    async fn rounds_due(&self, now: i64) -> StoreResult<Vec<sceptic::store::Round>> {
        self.inner.rounds_due(now).await
    }
    async fn close_round(&self, id: i64, now: i64) -> StoreResult<()> {
        self.inner.close_round(id, now).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_could_not_be_stored_is_not_answered_until_storage_recovers() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let w = world().await;
    let fake = &w.fake;
    let trainee = fake.trainee();
    let store = Arc::new(FlakyStore {
        inner: sceptic::store::SqliteStore::open(&w.database)
            .await
            .expect("store"),
        failing: AtomicBool::new(false),
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mark = fake.mark();
    let task = tokio::spawn(sceptic::discord::run_with_store(
        config(fake, &w.database),
        fake.token(),
        Arc::clone(&store) as Arc<dyn sceptic::store::Store>,
        async {
            let _ = stopped.await;
        },
    ));
    wait_until_listening(fake, mark).await;
    let thread = open_session(fake, &trainee, "margaret").await;
    store.failing.store(true, Ordering::SeqCst);
    fake.user_message(thread, &trainee, TALK[1]);
    tokio::time::sleep(QUIET).await;
    assert!(
        replies(fake, thread).is_empty(),
        "answered a message that was not stored"
    );
    store.failing.store(false, Ordering::SeqCst);
    answered_once_as_uninterrupted(
        fake,
        &w.database,
        thread,
        &TALK[1..2],
        "a message was answered twice",
    )
    .await;
    let _ = stop.send(());
    let _ = tokio::time::timeout(WAIT, task).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_messages_are_ignored_and_markdown_is_read_as_text() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    fake.user_message(thread, &trainee, "");
    fake.user_message(thread, &trainee, "   ");
    tokio::time::sleep(QUIET).await;
    assert!(
        replies(fake, thread).is_empty(),
        "an empty message was answered"
    );
    let markdown = "**What** is _still_ holding you back?\n```\ncode block\n```";
    let got = say(fake, thread, &trainee, markdown).await;
    let (expected, _) = uninterrupted(&w.database, thread, &[markdown]).await;
    assert_eq!(vec![got], expected);
    bot.stop().await;
}
