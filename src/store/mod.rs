//! Where sessions live between messages and across restarts. The conversation state is not
//! stored: it is rebuilt by replaying a session's trainee messages through the pure core.
//! [`Store`] is the interface; [`SqliteStore`] (the default, a file) and [`PostgresStore`]
//! (a server, for more than one process) run the same SQL, written once in `sql.rs`.

mod postgres;
mod sql;
mod sqlite;

pub use postgres::PostgresStore;
pub use sql::{Dump, RawMessage, RawRound, RawSession};
pub use sqlite::SqliteStore;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::debrief::Debrief;
use crate::engine::Outcome;
use crate::persona::Difficulty;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {}: {source}", path.display())]
    Folder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("stored session {id} is corrupt: {what}")]
    Corrupt { id: i64, what: String },
    #[error("the debrief of session {id} cannot be written: {source}")]
    Encode { id: i64, source: serde_json::Error },
    #[error(
        "storage.url {0:?} is not a database sceptic can use: give a file path, sqlite://PATH or postgres://USER@HOST/DATABASE"
    )]
    Location(String),
    #[error(
        "the database to copy into already holds {rows} sessions and rounds: copy only into an empty one"
    )]
    NotEmpty { rows: i64 },
    #[error(
        "the copy differs from its source after writing ({what}); nothing was lost from the source"
    )]
    CopyDiffers { what: String },
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Where the sessions live, as `storage.url` gives it.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file: a plain path or `sqlite://PATH`.
    Sqlite(PathBuf),
    /// A PostgreSQL server: `postgres://` or `postgresql://`.
    Postgres(String),
}

impl Location {
    pub fn parse(url: &str) -> StoreResult<Location> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        // Anything else with a scheme (mysql://, https://) is a mistake, not a file name.
        if path.is_empty() || path.contains("://") {
            return Err(StoreError::Location(url.to_string()));
        }
        Ok(Location::Sqlite(PathBuf::from(path)))
    }

    /// Opens the store, creating a SQLite file or the tables where they are missing.
    pub async fn open(&self) -> StoreResult<Arc<dyn Store>> {
        Ok(match self {
            Location::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
            Location::Postgres(url) => Arc::new(PostgresStore::open(url).await?),
        })
    }
}

/// Shown in logs and errors without the password a PostgreSQL URL may carry.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                match rest.rsplit_once('@') {
                    Some((user, host)) => {
                        let user = user.split(':').next().unwrap_or(user);
                        let host = host.split('?').next().unwrap_or(host);
                        write!(f, "{scheme}://{user}@{host}")
                    }
                    None => write!(f, "{scheme}://{}", rest.split('?').next().unwrap_or(rest)),
                }
            }
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A session about to be opened in a thread.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub guild_id: u64,
    pub channel_id: u64,
    pub thread_id: u64,
    pub trainee_id: u64,
    pub trainee: String,
    pub persona: String,
    pub seed: u64,
    pub difficulty: Difficulty,
    pub round: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub thread_id: u64,
    pub trainee_id: u64,
    pub trainee: String,
    pub persona: String,
    pub seed: u64,
    pub difficulty: Difficulty,
    pub open: bool,
    pub outcome: Option<Outcome>,
    pub started_at: i64,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
    pub round: Option<i64>,
}

impl StoredSession {
    /// The session's thread as a link members can open.
    pub fn thread_link(&self) -> String {
        format!(
            "https://discord.com/channels/{}/{}",
            self.guild_id, self.thread_id
        )
    }
}

/// A practice round: every trainee meets the same customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub message_id: Option<u64>,
    pub coach_id: u64,
    pub persona: String,
    pub seed: u64,
    pub difficulty: Difficulty,
    pub deadline: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewRound {
    pub guild_id: u64,
    pub channel_id: u64,
    pub coach_id: u64,
    pub persona: String,
    pub seed: u64,
    pub difficulty: Difficulty,
    pub deadline: i64,
}

/// Which sessions to list; every field left `None` matches all.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    /// One session by its id.
    pub id: Option<i64>,
    pub guild_id: Option<u64>,
    pub trainee_id: Option<u64>,
    pub persona: Option<String>,
    pub round: Option<i64>,
    /// Started at or after (unix seconds).
    pub since: Option<i64>,
    /// Started before (unix seconds).
    pub until: Option<i64>,
}

/// A session with its debrief once it ended, for review and export.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub session: StoredSession,
    pub debrief: Option<Debrief>,
}

/// One message of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Trainee,
    Customer,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Trainee => "trainee",
            Role::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub id: i64,
    pub role: Role,
    pub turn: u32,
    pub discord_id: Option<u64>,
    pub content: String,
    /// Whether Discord has it: always for trainee messages, once sent for replies.
    pub sent: bool,
    /// The trainee edited it after it was answered.
    pub edited: bool,
}

/// The storage the bot needs, in five parts so that a backend is written a concern at a
/// time; a type with all three is a [`Store`]. Times are unix seconds supplied by the
/// caller: the store keeps no clock of its own.
pub trait Store: SessionStore + MessageStore + RoundStore + Backup + LeaseStore {}

impl<T: SessionStore + MessageStore + RoundStore + Backup + LeaseStore> Store for T {}

/// Sessions: opened, found, ended with their debrief, listed for review and export.
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync {
    /// Opens a session with the customer's opening line as its first message.
    async fn create_session(
        &self,
        new: &NewSession,
        opening: &str,
        now: i64,
    ) -> StoreResult<StoredSession>;
    async fn session_by_thread(&self, thread_id: u64) -> StoreResult<Option<StoredSession>>;
    async fn open_session_of(
        &self,
        guild_id: u64,
        trainee_id: u64,
    ) -> StoreResult<Option<StoredSession>>;
    async fn open_sessions(&self) -> StoreResult<Vec<StoredSession>>;
    /// Ends a session with its debrief (and the debrief's outcome); the debrief still has to
    /// be posted.
    async fn end_session(&self, session_id: i64, debrief: &Debrief, now: i64) -> StoreResult<()>;
    /// Ended sessions whose debrief was not posted yet, each with its debrief or why it
    /// cannot be read: one unreadable row keeps no other debrief from being posted.
    async fn debriefs_to_post(&self) -> StoreResult<Vec<(StoredSession, StoreResult<Debrief>)>>;
    async fn mark_debrief_posted(&self, session_id: i64, now: i64) -> StoreResult<()>;
    /// Sessions matching `filter`, newest first; an unreadable debrief is an error that names
    /// its session.
    async fn list_sessions(&self, filter: &SessionFilter) -> StoreResult<Vec<SessionRecord>>;
}

/// A conversation's messages, and the outbox: every reply stored before it is sent, marked
/// once Discord has it.
#[async_trait::async_trait]
pub trait MessageStore: Send + Sync {
    async fn messages(&self, session_id: i64) -> StoreResult<Vec<StoredMessage>>;
    /// Stores a trainee message and the customer's reply in one transaction, before the
    /// reply is sent. Returns the reply's row id.
    async fn record_turn(
        &self,
        session_id: i64,
        turn: u32,
        trainee: (&str, u64),
        reply: &str,
        now: i64,
    ) -> StoreResult<i64>;
    /// Notes that Discord accepted a stored message, with its id there.
    async fn mark_sent(&self, message_id: i64, discord_id: u64, now: i64) -> StoreResult<()>;
    /// Threads of open sessions with a customer line Discord has not confirmed yet.
    async fn threads_with_unsent_replies(&self) -> StoreResult<Vec<u64>>;
    /// Whether a Discord message was already stored (seen before a restart or a replay).
    async fn seen(&self, discord_id: u64) -> StoreResult<bool>;
    /// Stores a line the customer says on its own (leaving an idle session), before sending.
    async fn record_customer(
        &self,
        session_id: i64,
        turn: u32,
        line: &str,
        now: i64,
    ) -> StoreResult<i64>;
    /// Notes that the trainee edited a message after it was answered.
    async fn mark_edited(&self, discord_id: u64, now: i64) -> StoreResult<()>;
}

/// Practice rounds: every trainee of a round meets the same customer.
#[async_trait::async_trait]
pub trait RoundStore: Send + Sync {
    async fn create_round(&self, new: &NewRound, now: i64) -> StoreResult<Round>;
    async fn set_round_message(&self, round: i64, message_id: u64) -> StoreResult<()>;
    async fn round(&self, id: i64) -> StoreResult<Option<Round>>;
    /// The newest round in a channel that is still open.
    async fn open_round_in(&self, guild_id: u64, channel_id: u64) -> StoreResult<Option<Round>>;
    /// Open rounds whose deadline has passed.
    async fn rounds_due(&self, now: i64) -> StoreResult<Vec<Round>>;
    async fn close_round(&self, id: i64, now: i64) -> StoreResult<()>;
}

/// Which process answers: the one holding the lease, renewed well before it lapses. Times
/// are unix milliseconds from the caller, so that a lease can be a few seconds long.
#[async_trait::async_trait]
pub trait LeaseStore: Send + Sync {
    /// Takes or renews the lease `name` for `holder` until `until`, unless another holder's
    /// lease is still running at `now`. Returns whether `holder` holds it.
    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<bool>;
    /// Gives the lease up at once, so that a standby need not wait for it to lapse.
    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()>;
}

/// Every row in and out, ids included, for moving a deployment between backends.
#[async_trait::async_trait]
pub trait Backup: Send + Sync {
    async fn dump(&self) -> StoreResult<Dump>;
    /// Writes every row of `dump` in one transaction; refuses a store that holds any.
    async fn restore(&self, dump: &Dump) -> StoreResult<()>;
}

/// What `copy` moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub rounds: usize,
    pub sessions: usize,
    pub messages: usize,
}

/// Copies every row of `from` into the empty `to`, then reads the copy back and compares it
/// row by row, so that "copied" means nothing was lost. `from` is only read.
pub async fn copy(from: &dyn Store, to: &dyn Store) -> StoreResult<Copied> {
    let dump = from.dump().await?;
    to.restore(&dump).await?;
    let copy = to.dump().await?;
    let differs = |table: &str, a: usize, b: usize| StoreError::CopyDiffers {
        what: format!("{table}: {a} in the source, {b} in the copy"),
    };
    if copy.rounds != dump.rounds {
        return Err(differs("rounds", dump.rounds.len(), copy.rounds.len()));
    }
    if copy.sessions != dump.sessions {
        return Err(differs(
            "sessions",
            dump.sessions.len(),
            copy.sessions.len(),
        ));
    }
    if copy.messages != dump.messages {
        return Err(differs(
            "messages",
            dump.messages.len(),
            copy.messages.len(),
        ));
    }
    Ok(Copied {
        rounds: dump.rounds.len(),
        sessions: dump.sessions.len(),
        messages: dump.messages.len(),
    })
}
