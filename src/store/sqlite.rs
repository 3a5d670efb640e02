use super::{
    MessageStore, NewRound, NewSession, Role, Round, RoundStore, SessionFilter, SessionRecord,
    SessionStore, StoreError, StoreResult, StoredMessage, StoredSession,
};
use crate::debrief::Debrief;
use crate::engine::Outcome;
use crate::persona::Difficulty;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{FromRow, Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// SQLite in WAL mode: one writer, many readers, and a file that survives being killed.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

const SESSION_COLUMNS: &str = "id, guild_id, channel_id, thread_id, trainee_id, trainee, persona, seed, \
     difficulty, state, outcome, started_at, updated_at, ended_at, round_id";
const ROUND_COLUMNS: &str = "id, guild_id, channel_id, message_id, coach_id, persona, seed, difficulty, deadline, created_at, closed_at";

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its tables up to date.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
        {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("src/store/migrations").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    fn session(row: &SqliteRow) -> StoreResult<StoredSession> {
        SessionRow::from_row(row)?.parse()
    }

    fn round_row(row: &SqliteRow) -> StoreResult<Round> {
        RoundRow::from_row(row)?.parse()
    }
}

/// A `sessions` row as SQL holds it; [`StoredSession`] is what it means. Discord ids are
/// below 2^63, so they round-trip through SQLite's signed integers.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    #[sqlx(try_from = "i64")]
    guild_id: u64,
    #[sqlx(try_from = "i64")]
    channel_id: u64,
    #[sqlx(try_from = "i64")]
    thread_id: u64,
    #[sqlx(try_from = "i64")]
    trainee_id: u64,
    trainee: String,
    persona: String,
    #[sqlx(try_from = "i64")]
    seed: u64,
    difficulty: String,
    state: String,
    outcome: Option<String>,
    started_at: i64,
    updated_at: i64,
    ended_at: Option<i64>,
    round_id: Option<i64>,
}

impl SessionRow {
    fn parse(self) -> StoreResult<StoredSession> {
        let id = self.id;
        let corrupt = |what: String| StoreError::Corrupt { id, what };
        Ok(StoredSession {
            id,
            guild_id: self.guild_id,
            channel_id: self.channel_id,
            thread_id: self.thread_id,
            trainee_id: self.trainee_id,
            trainee: self.trainee,
            persona: self.persona,
            seed: self.seed,
            difficulty: Difficulty::from_str(&self.difficulty).map_err(corrupt)?,
            open: self.state == "open",
            outcome: self
                .outcome
                .map(|o| parse_outcome(&o).ok_or_else(|| corrupt(format!("unknown outcome {o}"))))
                .transpose()?,
            started_at: self.started_at,
            updated_at: self.updated_at,
            ended_at: self.ended_at,
            round: self.round_id,
        })
    }
}

/// A `rounds` row as SQL holds it.
#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    #[sqlx(try_from = "i64")]
    guild_id: u64,
    #[sqlx(try_from = "i64")]
    channel_id: u64,
    message_id: Option<i64>,
    #[sqlx(try_from = "i64")]
    coach_id: u64,
    persona: String,
    #[sqlx(try_from = "i64")]
    seed: u64,
    difficulty: String,
    deadline: i64,
    created_at: i64,
    closed_at: Option<i64>,
}

impl RoundRow {
    fn parse(self) -> StoreResult<Round> {
        let id = self.id;
        Ok(Round {
            id,
            guild_id: self.guild_id,
            channel_id: self.channel_id,
            message_id: self.message_id.map(|m| m as u64),
            coach_id: self.coach_id,
            persona: self.persona,
            seed: self.seed,
            difficulty: Difficulty::from_str(&self.difficulty)
                .map_err(|what| StoreError::Corrupt { id, what })?,
            deadline: self.deadline,
            created_at: self.created_at,
            closed_at: self.closed_at,
        })
    }
}

/// A `messages` row as SQL holds it.
#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    role: String,
    #[sqlx(try_from = "i64")]
    turn: u32,
    discord_id: Option<i64>,
    content: String,
    sent_at: Option<i64>,
    edited_at: Option<i64>,
}

impl From<MessageRow> for StoredMessage {
    fn from(row: MessageRow) -> Self {
        StoredMessage {
            id: row.id,
            role: if row.role == "trainee" {
                Role::Trainee
            } else {
                Role::Customer
            },
            turn: row.turn,
            discord_id: row.discord_id.map(|d| d as u64),
            content: row.content,
            sent: row.sent_at.is_some(),
            edited: row.edited_at.is_some(),
        }
    }
}

/// A stored debrief, read back.
fn debrief(id: i64, json: &str) -> StoreResult<Debrief> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        id,
        what: format!("its debrief cannot be read: {e}"),
    })
}

fn parse_outcome(s: &str) -> Option<Outcome> {
    [
        Outcome::Signed,
        Outcome::Postponed,
        Outcome::Lost,
        Outcome::Ended,
    ]
    .into_iter()
    .find(|o| o.as_str() == s)
}

/// Discord ids are below 2^63, so they round-trip through SQLite's signed integers.
fn id(v: u64) -> i64 {
    v as i64
}

#[async_trait::async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(
        &self,
        new: &NewSession,
        opening: &str,
        now: i64,
    ) -> StoreResult<StoredSession> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO sessions (guild_id, channel_id, thread_id, trainee_id, trainee, persona, seed, \
             difficulty, started_at, updated_at, round_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             RETURNING {SESSION_COLUMNS}"
        ))
        .bind(id(new.guild_id))
        .bind(id(new.channel_id))
        .bind(id(new.thread_id))
        .bind(id(new.trainee_id))
        .bind(&new.trainee)
        .bind(&new.persona)
        .bind(id(new.seed))
        .bind(new.difficulty.as_str())
        .bind(now)
        .bind(now)
        .bind(new.round)
        .fetch_one(&mut *tx)
        .await?;
        let session = SqliteStore::session(&row)?;
        sqlx::query("INSERT INTO messages (session_id, role, turn, content, created_at) VALUES (?, ?, 0, ?, ?)")
            .bind(session.id)
            .bind(Role::Customer.as_str())
            .bind(opening)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(session)
    }
    async fn session_by_thread(&self, thread_id: u64) -> StoreResult<Option<StoredSession>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE thread_id = ?"
        ))
        .bind(id(thread_id))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(SqliteStore::session).transpose()
    }
    async fn open_session_of(
        &self,
        guild_id: u64,
        trainee_id: u64,
    ) -> StoreResult<Option<StoredSession>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE guild_id = ? AND trainee_id = ? AND state = 'open' \
             ORDER BY id DESC LIMIT 1"
        ))
        .bind(id(guild_id))
        .bind(id(trainee_id))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(SqliteStore::session).transpose()
    }
    async fn open_sessions(&self) -> StoreResult<Vec<StoredSession>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE state = 'open' ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(SqliteStore::session).collect()
    }
    async fn end_session(&self, session_id: i64, debrief: &Debrief, now: i64) -> StoreResult<()> {
        let json = serde_json::to_string(debrief).map_err(|source| StoreError::Encode {
            id: session_id,
            source,
        })?;
        sqlx::query(
            "UPDATE sessions SET state = 'ended', outcome = ?, debrief = ?, ended_at = ?, updated_at = ? \
             WHERE id = ?",
        )
        .bind(debrief.outcome.as_str())
        .bind(json)
        .bind(now)
        .bind(now)
        .bind(session_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
    async fn debriefs_to_post(&self) -> StoreResult<Vec<(StoredSession, StoreResult<Debrief>)>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, debrief FROM sessions WHERE state = 'ended' AND debrief_posted_at IS NULL \
             AND debrief IS NOT NULL ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let session = SqliteStore::session(row)?;
                let json: String = row.try_get("debrief")?;
                let debrief = debrief(session.id, &json);
                Ok((session, debrief))
            })
            .collect()
    }
    async fn mark_debrief_posted(&self, session_id: i64, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET debrief_posted_at = ? WHERE id = ?")
            .bind(now)
            .bind(session_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn list_sessions(&self, filter: &SessionFilter) -> StoreResult<Vec<SessionRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, debrief FROM sessions \
             WHERE (?7 IS NULL OR id = ?7) AND (?1 IS NULL OR guild_id = ?1) AND (?2 IS NULL OR trainee_id = ?2) \
             AND (?3 IS NULL OR persona = ?3) AND (?4 IS NULL OR round_id = ?4) \
             AND (?5 IS NULL OR started_at >= ?5) AND (?6 IS NULL OR started_at < ?6) \
             ORDER BY started_at DESC, id DESC"
        ))
        .bind(filter.guild_id.map(id))
        .bind(filter.trainee_id.map(id))
        .bind(filter.persona.as_deref())
        .bind(filter.round)
        .bind(filter.since)
        .bind(filter.until)
        .bind(filter.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let session = SqliteStore::session(row)?;
                let json: Option<String> = row.try_get("debrief")?;
                let debrief = json.map(|j| debrief(session.id, &j)).transpose()?;
                Ok(SessionRecord { session, debrief })
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl MessageStore for SqliteStore {
    async fn messages(&self, session_id: i64) -> StoreResult<Vec<StoredMessage>> {
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT id, role, turn, discord_id, content, sent_at, edited_at FROM messages WHERE session_id = ? \
             ORDER BY id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(StoredMessage::from).collect())
    }
    async fn record_turn(
        &self,
        session_id: i64,
        turn: u32,
        trainee: (&str, u64),
        reply: &str,
        now: i64,
    ) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO messages (session_id, role, turn, discord_id, content, created_at, sent_at) \
             VALUES (?, 'trainee', ?, ?, ?, ?, ?)",
        )
        .bind(session_id)
        .bind(i64::from(turn))
        .bind(id(trainee.1))
        .bind(trainee.0)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let reply_id: i64 = sqlx::query(
            "INSERT INTO messages (session_id, role, turn, content, created_at) VALUES (?, 'customer', ?, ?, ?) \
             RETURNING id",
        )
        .bind(session_id)
        .bind(i64::from(turn))
        .bind(reply)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        sqlx::query("UPDATE sessions SET updated_at = ? WHERE id = ?")
            .bind(now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(reply_id)
    }
    async fn mark_sent(&self, message_id: i64, discord_id: u64, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE messages SET discord_id = ?, sent_at = ? WHERE id = ?")
            .bind(id(discord_id))
            .bind(now)
            .bind(message_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn threads_with_unsent_replies(&self) -> StoreResult<Vec<u64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT s.thread_id FROM messages m JOIN sessions s ON s.id = m.session_id \
             WHERE m.sent_at IS NULL AND m.role = 'customer' AND s.state = 'open'",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(row.try_get::<i64, _>(0)? as u64))
            .collect()
    }
    async fn seen(&self, discord_id: u64) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM messages WHERE discord_id = ?")
            .bind(id(discord_id))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }
    async fn record_customer(
        &self,
        session_id: i64,
        turn: u32,
        line: &str,
        now: i64,
    ) -> StoreResult<i64> {
        let id = sqlx::query(
            "INSERT INTO messages (session_id, role, turn, content, created_at) VALUES (?, 'customer', ?, ?, ?) \
             RETURNING id",
        )
        .bind(session_id)
        .bind(i64::from(turn))
        .bind(line)
        .bind(now)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(id)
    }
    async fn mark_edited(&self, discord_id: u64, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE messages SET edited_at = ? WHERE discord_id = ? AND role = 'trainee'")
            .bind(now)
            .bind(id(discord_id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl RoundStore for SqliteStore {
    async fn create_round(&self, new: &NewRound, now: i64) -> StoreResult<Round> {
        let row = sqlx::query(&format!(
            "INSERT INTO rounds (guild_id, channel_id, coach_id, persona, seed, difficulty, deadline, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {ROUND_COLUMNS}"
        ))
        .bind(id(new.guild_id))
        .bind(id(new.channel_id))
        .bind(id(new.coach_id))
        .bind(&new.persona)
        .bind(id(new.seed))
        .bind(new.difficulty.as_str())
        .bind(new.deadline)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        SqliteStore::round_row(&row)
    }
    async fn set_round_message(&self, round: i64, message_id: u64) -> StoreResult<()> {
        sqlx::query("UPDATE rounds SET message_id = ? WHERE id = ?")
            .bind(id(message_id))
            .bind(round)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn round(&self, round: i64) -> StoreResult<Option<Round>> {
        let row = sqlx::query(&format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?"))
            .bind(round)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(SqliteStore::round_row).transpose()
    }
    async fn open_round_in(&self, guild_id: u64, channel_id: u64) -> StoreResult<Option<Round>> {
        let row = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS} FROM rounds WHERE guild_id = ? AND channel_id = ? AND closed_at IS NULL \
             ORDER BY id DESC LIMIT 1"
        ))
        .bind(id(guild_id))
        .bind(id(channel_id))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(SqliteStore::round_row).transpose()
    }
    async fn rounds_due(&self, now: i64) -> StoreResult<Vec<Round>> {
        let rows = sqlx::query(&format!(
            "SELECT {ROUND_COLUMNS} FROM rounds WHERE closed_at IS NULL AND deadline <= ? ORDER BY id"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(SqliteStore::round_row).collect()
    }
    async fn close_round(&self, round: i64, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL")
            .bind(now)
            .bind(round)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
