//! The SQLite store on a real file, closed and reopened as a restarted bot would.

use sceptic::persona::Difficulty;
use sceptic::store::{MessageStore, NewSession, Role, SessionStore, SqliteStore, StoreError};
use sceptic::{Debrief, Session};
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

#[tokio::test]
async fn sessions_and_messages_survive_reopening_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sceptic.db");
    let session = {
        let store = SqliteStore::open(&path).await.expect("store opens");
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
    let store = SqliteStore::open(&path).await.expect("store reopens");
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

#[tokio::test]
async fn one_open_session_per_trainee_and_ended_ones_are_closed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("s.db"))
        .await
        .expect("store opens");
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

#[tokio::test]
async fn an_unreadable_debrief_is_named_and_keeps_no_other_from_posting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.db");
    let store = SqliteStore::open(&path).await.expect("store opens");
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
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("the file opens");
    sqlx::query("UPDATE sessions SET debrief = '{\"outcome\": 3' WHERE id = ?")
        .bind(ids[0])
        .execute(&pool)
        .await
        .expect("damaged");

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

#[tokio::test]
async fn a_thread_holds_one_session_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("s.db"))
        .await
        .expect("store opens");
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

#[tokio::test]
async fn a_stored_message_id_is_stored_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("s.db"))
        .await
        .expect("store opens");
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

#[tokio::test]
async fn a_missing_database_folder_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("var").join("lib").join("sceptic.db");
    SqliteStore::open(&path)
        .await
        .expect("store opens in a new folder");
    assert!(path.exists());
}
