//! The store on both backends: a real SQLite file and a real PostgreSQL server, closed,
//! killed and reopened as a restarted bot (or database) would be. Every body runs on both.

use sceptic::persona::Difficulty;
use sceptic::store::{
    Location, NewRound, NewSession, Role, SessionFilter, SqliteStore, StoreError, copy,
};
use sceptic::{Debrief, Session};
use sceptic_test_support::database::{Backend, TestDatabase};
use sceptic_test_support::on_both_backends;
use sceptic_test_support::postgres::Postgres;
use std::path::Path;

/// A real debrief: a short session with Margaret, ended by the trainee.
fn played_debrief() -> Debrief {
    let personas =
        sceptic::personas::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("personas"))
            .expect("the shipped personas load");
    let persona = personas.get("margaret").expect("margaret ships").clone();
    let mut session = Session::new(persona, 7, None);
    for line in [
        "What still holds you back?",
        "Anything else?",
        "Shall we sign today?",
    ] {
        session.respond(line);
    }
    session.end();
    session.debrief()
}

fn new_session(thread: u64, trainee: u64) -> NewSession {
    NewSession {
        guild_id: 1,
        channel_id: 2,
        thread_id: thread,
        trainee_id: trainee,
        trainee: "Tess".into(),
        persona: "margaret".into(),
        seed: u64::MAX >> 1,
        difficulty: Difficulty::Hard,
        round: None,
    }
}

on_both_backends!(
    sessions_and_messages_survive_a_restart,
    one_open_session_per_trainee_and_ended_ones_are_closed,
    an_unreadable_debrief_is_named_and_keeps_no_other_from_posting,
    a_thread_holds_one_session_only,
    a_stored_message_id_is_stored_once,
    the_outbox_holds_each_reply_and_debrief_until_it_is_sent,
    rounds_open_come_due_and_close,
    sessions_are_listed_newest_first_and_filtered,
    the_lease_goes_to_one_holder_until_it_lapses_or_is_released,
    a_seed_above_two_to_the_63_comes_back_as_it_went_in,
);

async fn sessions_and_messages_survive_a_restart(mut db: TestDatabase) {
    let session = {
        let store = db.open().await;
        let session = store
            .create_session(&new_session(10, 20), "Hello.", 1000)
            .await
            .expect("created");
        let reply = store
            .record_turn(
                session.id,
                1,
                ("What holds you back?", 555),
                "The price.",
                1001,
            )
            .await
            .expect("turn stored");
        store.mark_sent(reply, 556, 1002).await.expect("marked");
        session
    };
    db.kill_and_restart().await;
    let store = db.open().await;
    let again = store
        .session_by_thread(10)
        .await
        .expect("query")
        .expect("session found");
    assert_eq!(
        (again.id, again.thread_id, again.trainee_id),
        (session.id, 10, 20)
    );
    assert_eq!(again.updated_at, 1001, "the turn touched the session");
    assert_eq!(again.seed, u64::MAX >> 1, "large seeds round-trip");
    assert_eq!(again.difficulty, Difficulty::Hard);
    let messages = store.messages(session.id).await.expect("messages");
    let roles: Vec<Role> = messages.iter().map(|m| m.role).collect();
    assert_eq!(roles, [Role::Customer, Role::Trainee, Role::Customer]);
    assert_eq!(messages[1].content, "What holds you back?");
    assert_eq!(messages[2].discord_id, Some(556));
    assert!(store.seen(555).await.expect("query"));
    assert!(!store.seen(999).await.expect("query"));
}

async fn one_open_session_per_trainee_and_ended_ones_are_closed(db: TestDatabase) {
    let store = db.open().await;
    let first = store
        .create_session(&new_session(10, 20), "Hi.", 1)
        .await
        .expect("created");
    assert_eq!(
        store
            .open_session_of(1, 20)
            .await
            .expect("query")
            .map(|s| s.id),
        Some(first.id)
    );
    assert_eq!(store.open_session_of(1, 21).await.expect("query"), None);
    let debrief = played_debrief();
    store
        .end_session(first.id, &debrief, 2)
        .await
        .expect("ended");
    assert_eq!(store.open_session_of(1, 20).await.expect("query"), None);
    let ended = store
        .session_by_thread(10)
        .await
        .expect("query")
        .expect("still there");
    assert!(!ended.open);
    assert_eq!(ended.outcome, Some(debrief.outcome));
    assert!(store.open_sessions().await.expect("query").is_empty());
    let listed = store
        .list_sessions(&Default::default())
        .await
        .expect("listed");
    assert_eq!(
        listed[0].debrief.as_ref().map(Debrief::to_text),
        Some(debrief.to_text()),
        "the debrief comes back as it went in"
    );
}

async fn an_unreadable_debrief_is_named_and_keeps_no_other_from_posting(db: TestDatabase) {
    let store = db.open().await;
    let debrief = played_debrief();
    let mut ids = Vec::new();
    for thread in [10, 11] {
        let s = store
            .create_session(&new_session(thread, thread + 10), "Hi.", 1)
            .await
            .expect("created");
        store.end_session(s.id, &debrief, 2).await.expect("ended");
        ids.push(s.id);
    }
    // Damaged by hand, as an admin's editor or a bad restore would.
    db.execute(
        "UPDATE sessions SET debrief = '{\"outcome\": 3' WHERE id = $1",
        ids[0],
    )
    .await;

    let pending = store.debriefs_to_post().await.expect("query");
    assert_eq!(pending.len(), 2);
    let (damaged, ok) = (&pending[0], &pending[1]);
    assert!(
        matches!(&damaged.1, Err(StoreError::Corrupt { id, .. }) if *id == ids[0]),
        "{:?}",
        damaged.1
    );
    assert_eq!(ok.0.id, ids[1]);
    assert_eq!(ok.1.as_ref().map(|d| d.outcome).ok(), Some(debrief.outcome));

    let err = store
        .list_sessions(&Default::default())
        .await
        .expect_err("export refuses a damaged debrief");
    let message = err.to_string();
    assert!(
        message.contains(&format!("session {}", ids[0])) && message.contains("debrief"),
        "{message}"
    );
}

async fn a_thread_holds_one_session_only(db: TestDatabase) {
    let store = db.open().await;
    store
        .create_session(&new_session(10, 20), "Hi.", 1)
        .await
        .expect("created");
    assert!(
        store
            .create_session(&new_session(10, 21), "Hi.", 1)
            .await
            .is_err()
    );
}

async fn a_stored_message_id_is_stored_once(db: TestDatabase) {
    let store = db.open().await;
    let s = store
        .create_session(&new_session(10, 20), "Hi.", 1)
        .await
        .expect("created");
    store
        .record_turn(s.id, 1, ("a", 77), "b", 2)
        .await
        .expect("first");
    assert!(
        store
            .record_turn(s.id, 2, ("a again", 77), "c", 3)
            .await
            .is_err(),
        "a replayed message is refused"
    );
    assert_eq!(
        store.messages(s.id).await.expect("messages").len(),
        3,
        "nothing half-stored"
    );
}

async fn the_outbox_holds_each_reply_and_debrief_until_it_is_sent(db: TestDatabase) {
    let store = db.open().await;
    let s = store
        .create_session(&new_session(10, 20), "Hi.", 1)
        .await
        .expect("created");
    let opening = store.messages(s.id).await.expect("messages")[0].id;
    store.mark_sent(opening, 100, 1).await.expect("marked");
    assert!(
        store
            .threads_with_unsent_replies()
            .await
            .expect("query")
            .is_empty()
    );

    let reply = store
        .record_turn(s.id, 1, ("What holds you back?", 101), "The price.", 2)
        .await
        .expect("turn");
    assert_eq!(
        store.threads_with_unsent_replies().await.expect("query"),
        [10]
    );
    store.mark_sent(reply, 102, 3).await.expect("marked");
    let idle = store
        .record_customer(s.id, 1, "Still there?", 4)
        .await
        .expect("stored");
    assert_eq!(
        store.threads_with_unsent_replies().await.expect("query"),
        [10]
    );
    store.mark_sent(idle, 103, 5).await.expect("marked");
    assert!(
        store
            .threads_with_unsent_replies()
            .await
            .expect("query")
            .is_empty()
    );

    store.mark_edited(101, 6).await.expect("edited");
    let messages = store.messages(s.id).await.expect("messages");
    let edited: Vec<bool> = messages.iter().map(|m| m.edited).collect();
    assert_eq!(
        edited,
        [false, true, false, false],
        "only the trainee's line"
    );
    assert!(messages.iter().all(|m| m.sent));

    store
        .end_session(s.id, &played_debrief(), 7)
        .await
        .expect("ended");
    assert_eq!(store.debriefs_to_post().await.expect("query").len(), 1);
    store.mark_debrief_posted(s.id, 8).await.expect("posted");
    assert!(store.debriefs_to_post().await.expect("query").is_empty());
}

async fn rounds_open_come_due_and_close(db: TestDatabase) {
    let store = db.open().await;
    let new = NewRound {
        guild_id: 1,
        channel_id: 2,
        coach_id: 3,
        persona: "jeroen".into(),
        seed: u64::MAX >> 1,
        difficulty: Difficulty::Easy,
        deadline: 500,
    };
    let round = store.create_round(&new, 100).await.expect("created");
    assert_eq!(
        (round.seed, round.deadline, round.closed_at),
        (u64::MAX >> 1, 500, None)
    );
    store.set_round_message(round.id, 999).await.expect("set");
    assert_eq!(
        store
            .round(round.id)
            .await
            .expect("query")
            .and_then(|r| r.message_id),
        Some(999)
    );
    assert_eq!(
        store
            .open_round_in(1, 2)
            .await
            .expect("query")
            .map(|r| r.id),
        Some(round.id)
    );
    assert_eq!(store.open_round_in(1, 3).await.expect("query"), None);
    assert!(store.rounds_due(499).await.expect("query").is_empty());
    assert_eq!(store.rounds_due(500).await.expect("query").len(), 1);

    let mut joined = new_session(10, 20);
    joined.round = Some(round.id);
    store
        .create_session(&joined, "Hi.", 101)
        .await
        .expect("joined");

    store.close_round(round.id, 600).await.expect("closed");
    store
        .close_round(round.id, 700)
        .await
        .expect("closing twice is harmless");
    let closed = store.round(round.id).await.expect("query").expect("kept");
    assert_eq!(closed.closed_at, Some(600), "the first close stands");
    assert_eq!(store.open_round_in(1, 2).await.expect("query"), None);
    assert!(store.rounds_due(800).await.expect("query").is_empty());
}

async fn sessions_are_listed_newest_first_and_filtered(db: TestDatabase) {
    let store = db.open().await;
    let mut ids = Vec::new();
    for (thread, trainee, persona, at) in [
        (10, 20, "margaret", 100),
        (11, 21, "dan", 200),
        (12, 20, "dan", 300),
    ] {
        let mut new = new_session(thread, trainee);
        new.persona = persona.into();
        ids.push(
            store
                .create_session(&new, "Hi.", at)
                .await
                .expect("created")
                .id,
        );
    }
    let listed = |filter: SessionFilter| {
        let store = store.clone();
        async move {
            store
                .list_sessions(&filter)
                .await
                .expect("listed")
                .iter()
                .map(|r| r.session.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        listed(SessionFilter::default()).await,
        [ids[2], ids[1], ids[0]]
    );
    let member = SessionFilter {
        trainee_id: Some(20),
        ..Default::default()
    };
    assert_eq!(listed(member).await, [ids[2], ids[0]]);
    let persona = SessionFilter {
        persona: Some("dan".into()),
        ..Default::default()
    };
    assert_eq!(listed(persona).await, [ids[2], ids[1]]);
    let dates = SessionFilter {
        since: Some(200),
        until: Some(300),
        ..Default::default()
    };
    assert_eq!(listed(dates).await, [ids[1]]);
    let one = SessionFilter {
        id: Some(ids[0]),
        ..Default::default()
    };
    assert_eq!(listed(one).await, [ids[0]]);
    let other_guild = SessionFilter {
        guild_id: Some(9),
        ..Default::default()
    };
    assert!(listed(other_guild).await.is_empty());
}

/// A coach may type any seed for a round; the largest ones do not fit a signed column.
async fn a_seed_above_two_to_the_63_comes_back_as_it_went_in(db: TestDatabase) {
    let store = db.open().await;
    let mut new = new_session(10, 20);
    new.seed = u64::MAX;
    store.create_session(&new, "Hi.", 1).await.expect("created");
    let back = store
        .session_by_thread(10)
        .await
        .expect("readable")
        .expect("stored");
    assert_eq!(back.seed, u64::MAX);
}

async fn the_lease_goes_to_one_holder_until_it_lapses_or_is_released(db: TestDatabase) {
    let store = db.open().await;
    let asks = |steps: &'static [(&'static str, &'static str, i64, bool, &'static str)]| {
        let store = store.clone();
        async move {
            for &(name, holder, now, held, why) in steps {
                let got = store
                    .acquire_lease(name, holder, now, now + 1_000)
                    .await
                    .expect("asked");
                assert_eq!(got, held, "{holder} asking for {name} at {now}: {why}");
            }
        }
    };
    asks(&[
        ("bot", "a", 1_000, true, "free"),
        ("bot", "b", 1_500, false, "a holds it"),
        ("bot", "a", 1_900, true, "a renews it"),
        ("bot", "b", 2_500, false, "renewed until 2,900"),
        ("other", "b", 2_500, true, "one lease per name"),
        ("bot", "b", 2_900, true, "lapsed"),
        ("bot", "a", 3_000, false, "b took it over"),
    ])
    .await;
    store.release_lease("bot", "a").await.expect("a no-op");
    asks(&[("bot", "c", 3_000, false, "only its holder releases it")]).await;
    store.release_lease("bot", "b").await.expect("released");
    asks(&[("bot", "c", 3_000, true, "free at once after a release")]).await;
}

/// `sceptic store copy`: everything a SQLite deployment holds arrives in PostgreSQL as it
/// was, and the copy goes on numbering where the source stopped.
#[tokio::test]
async fn a_sqlite_deployment_moves_to_postgres_losing_nothing() {
    let sqlite = TestDatabase::new(Backend::Sqlite).await;
    let postgres = TestDatabase::new(Backend::Postgres).await;
    let (from, to) = (sqlite.open().await, postgres.open().await);
    let round = from
        .create_round(
            &NewRound {
                guild_id: 1,
                channel_id: 2,
                coach_id: 3,
                persona: "margaret".into(),
                seed: 5,
                difficulty: Difficulty::Normal,
                deadline: 50,
            },
            10,
        )
        .await
        .expect("round");
    let mut joined = new_session(10, 20);
    joined.round = Some(round.id);
    let ended = from
        .create_session(&joined, "Hello.", 11)
        .await
        .expect("session");
    let reply = from
        .record_turn(
            ended.id,
            1,
            ("What still holds you back?", 555),
            "Ünïcode — the price.",
            12,
        )
        .await
        .expect("turn");
    from.mark_sent(reply, 556, 13).await.expect("sent");
    from.mark_edited(555, 14).await.expect("edited");
    from.end_session(ended.id, &played_debrief(), 15)
        .await
        .expect("ended");
    from.mark_debrief_posted(ended.id, 16)
        .await
        .expect("posted");
    let open = from
        .create_session(&new_session(11, 21), "Hi.", 17)
        .await
        .expect("open");
    from.record_customer(open.id, 0, "Still there?", 18)
        .await
        .expect("unsent");

    let copied = copy(&*from, &*to).await.expect("copied");
    assert_eq!((copied.rounds, copied.sessions, copied.messages), (1, 2, 5));
    assert_eq!(
        to.dump().await.expect("dump"),
        from.dump().await.expect("dump")
    );
    assert_eq!(
        to.threads_with_unsent_replies().await.expect("query"),
        [11],
        "the unsent line is still owed after the move"
    );
    let next = to
        .create_session(&new_session(12, 22), "Hi.", 19)
        .await
        .expect("a new session");
    assert!(
        next.id > open.id,
        "new ids follow the copied ones: {} after {}",
        next.id,
        open.id
    );

    let err = copy(&*from, &*to)
        .await
        .expect_err("a second copy is refused");
    assert!(matches!(err, StoreError::NotEmpty { .. }), "{err}");
    assert_eq!(
        to.list_sessions(&Default::default())
            .await
            .expect("listed")
            .len(),
        3
    );
}

#[tokio::test]
async fn a_missing_database_folder_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("var").join("lib").join("sceptic.db");
    SqliteStore::open(&path)
        .await
        .expect("store opens in a new folder");
    assert!(path.exists());
}

/// A managed PostgreSQL that speaks only TLS: reached with its certificate checked, refused
/// without TLS, and refused when its certificate is not trusted.
#[tokio::test]
async fn a_database_that_requires_tls_is_reached_over_it() {
    let server = Postgres::start_tls().await;
    let open = |url: String| async move { Location::parse(&url).expect("a URL").open().await };
    let store = open(server.tls_url()).await.expect("opens over TLS");
    store
        .create_session(&new_session(10, 20), "Hi.", 1)
        .await
        .expect("stored over TLS");
    let plain = open(format!("{}?sslmode=disable", server.url())).await;
    assert!(plain.is_err(), "the server admits TLS only");
    let untrusted = open(format!("{}?sslmode=verify-full", server.url())).await;
    assert!(
        untrusted.is_err(),
        "a certificate nobody vouches for is refused"
    );
}
