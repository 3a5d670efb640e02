//! The open sessions in memory, and a session rebuilt from the store when its thread speaks
//! and it is not in memory (after a restart, or after falling behind).

use crate::discord::{BotError, Data};
use crate::engine::Session;
use crate::store::{Role, StoredSession};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use tracing::debug;

/// An open session and the conversation rebuilt from its messages.
pub struct Live {
    pub stored: StoredSession,
    pub session: Session,
}

/// One session's place in memory: the conversation, and trainee messages waiting their turn.
pub struct Slot {
    pub trainee_id: u64,
    pub live: tokio::sync::Mutex<Live>,
    pub(super) inbox: Mutex<Inbox>,
}

/// Trainee messages waiting their turn, oldest first by Discord id, and the newest message
/// answered: one at or below it is never taken in again, however often it is heard.
#[derive(Debug, Default)]
pub(super) struct Inbox {
    waiting: BTreeMap<u64, String>,
    answered: u64,
}

impl Inbox {
    pub(super) fn add(&mut self, id: u64, text: &str) {
        if id > self.answered {
            self.waiting.entry(id).or_insert_with(|| text.to_string());
        }
    }

    pub(super) fn next(&mut self) -> Option<(u64, String)> {
        self.waiting.pop_first()
    }

    pub(super) fn answered(&mut self, id: u64) {
        self.answered = self.answered.max(id);
    }

    /// Forgets what waits (it is caught up from Discord later), not what was answered.
    pub(super) fn clear(&mut self) {
        self.waiting.clear();
    }
}

/// The open sessions in memory, by thread id. A session missing here is rebuilt from the
/// store on its next message, which is how sessions survive a restart.
#[derive(Default)]
pub struct Sessions {
    by_thread: Mutex<HashMap<u64, Arc<Slot>>>,
    /// Every thread with an open session, in memory or not, so that messages elsewhere cost
    /// no look-up in the store.
    open: Mutex<HashSet<u64>>,
    /// Threads whose last message could not be stored; caught up by the sweeper.
    behind: Mutex<HashSet<u64>>,
}

/// Poisoning only means another task panicked mid-update of a plain map; the map is fine.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sessions {
    pub(super) fn get(&self, thread: u64) -> Option<Arc<Slot>> {
        lock(&self.by_thread).get(&thread).cloned()
    }

    /// Notes the threads of sessions that are open in the store (at start).
    pub fn remember(&self, threads: impl IntoIterator<Item = u64>) {
        lock(&self.open).extend(threads);
    }

    pub fn is_open(&self, thread: u64) -> bool {
        lock(&self.open).contains(&thread)
    }

    /// Puts a conversation in memory; `answered` is the newest trainee message it has
    /// answered (0 for none).
    pub fn insert(&self, thread: u64, live: Live, answered: u64) -> Arc<Slot> {
        lock(&self.open).insert(thread);
        let slot = Arc::new(Slot {
            trainee_id: live.stored.trainee_id,
            live: tokio::sync::Mutex::new(live),
            inbox: Mutex::new(Inbox {
                answered,
                ..Inbox::default()
            }),
        });
        Arc::clone(lock(&self.by_thread).entry(thread).or_insert(slot))
    }

    /// Drops the conversation from memory; the next message rebuilds it from the store.
    pub fn forget(&self, thread: u64) {
        lock(&self.by_thread).remove(&thread);
    }

    /// The session ended: its thread no longer drives a customer.
    pub(super) fn close(&self, thread: u64) {
        self.forget(thread);
        lock(&self.open).remove(&thread);
    }

    pub(super) fn fell_behind(&self, thread: u64) {
        lock(&self.behind).insert(thread);
    }

    pub(super) fn take_behind(&self) -> Vec<u64> {
        lock(&self.behind).drain().collect()
    }
}

/// The session slot of a thread, rebuilt from the store when it is not in memory.
pub async fn slot(data: &Data, thread: u64) -> Result<Option<Arc<Slot>>, BotError> {
    if let Some(slot) = data.sessions.get(thread) {
        return Ok(Some(slot));
    }
    let Some(stored) = data.store.session_by_thread(thread).await? else {
        return Ok(None);
    };
    if !stored.open {
        return Ok(None);
    }
    let persona = data
        .personas()
        .get(&stored.persona)
        .cloned()
        .ok_or_else(|| BotError::MissingPersona(stored.persona.clone()))?;
    let messages = data.store.messages(stored.id).await?;
    let trainee = messages
        .iter()
        .filter(|m| m.role == Role::Trainee)
        .map(|m| m.content.as_str());
    let session = Session::replay(persona, stored.seed, Some(stored.difficulty), trainee);
    debug!(
        session = stored.id,
        turns = session.turns(),
        "session rebuilt from the store"
    );
    let answered = messages
        .iter()
        .filter(|m| m.role == Role::Trainee)
        .filter_map(|m| m.discord_id)
        .max()
        .unwrap_or(0);
    Ok(Some(data.sessions.insert(
        thread,
        Live { stored, session },
        answered,
    )))
}
