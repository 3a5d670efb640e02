//! The SQL both backends run. SQLite and PostgreSQL both take `$1`-style parameters and
//! `RETURNING`, so every query is written once, in [`sql_store!`], and each backend only says
//! how it connects and migrates.

use super::{Role, StoreError, StoreResult, StoredMessage, StoredSession};
use crate::debrief::Debrief;
use crate::engine::Outcome;
use crate::persona::Difficulty;
use crate::store::Round;
use std::str::FromStr;

/// A stored debrief, read back.
pub(super) fn debrief(id: i64, json: &str) -> StoreResult<Debrief> {
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

/// Discord ids and seeds as SQL's signed 64-bit integers (see [`RawSession::stored`]).
pub(super) fn id(v: u64) -> i64 {
    v as i64
}

/// Every row of a store as SQL holds it: what every query reads, and what `sceptic store
/// copy` moves uninterpreted, so that nothing can be lost or changed on the way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dump {
    pub rounds: Vec<RawRound>,
    pub sessions: Vec<RawSession>,
    pub messages: Vec<RawMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RawRound {
    pub id: i64,
    pub guild_id: i64,
    pub channel_id: i64,
    pub message_id: Option<i64>,
    pub coach_id: i64,
    pub persona: String,
    pub seed: i64,
    pub difficulty: String,
    pub deadline: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RawSession {
    pub id: i64,
    pub guild_id: i64,
    pub channel_id: i64,
    pub thread_id: i64,
    pub trainee_id: i64,
    pub trainee: String,
    pub persona: String,
    pub seed: i64,
    pub difficulty: String,
    pub state: String,
    pub outcome: Option<String>,
    pub debrief: Option<String>,
    pub started_at: i64,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
    pub debrief_posted_at: Option<i64>,
    pub round_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RawMessage {
    pub id: i64,
    pub session_id: i64,
    pub role: String,
    pub turn: i64,
    pub discord_id: Option<i64>,
    pub content: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub edited_at: Option<i64>,
}

pub(super) const ROUND_COLUMNS: &str = "id, guild_id, channel_id, message_id, coach_id, persona, seed, difficulty, deadline, created_at, closed_at";
pub(super) const SESSION_COLUMNS: &str = "id, guild_id, channel_id, thread_id, trainee_id, trainee, persona, seed, difficulty, state, \
     outcome, debrief, started_at, updated_at, ended_at, debrief_posted_at, round_id";
pub(super) const MESSAGE_COLUMNS: &str =
    "id, session_id, role, turn, discord_id, content, created_at, sent_at, edited_at";

/// Discord ids and seeds are stored as `v as i64` and read back as `v as u64`: the same 64
/// bits either way, whatever the value.
impl RawSession {
    pub(super) fn stored(&self) -> StoreResult<StoredSession> {
        let id = self.id;
        let corrupt = |what: String| StoreError::Corrupt { id, what };
        Ok(StoredSession {
            id,
            guild_id: self.guild_id as u64,
            channel_id: self.channel_id as u64,
            thread_id: self.thread_id as u64,
            trainee_id: self.trainee_id as u64,
            trainee: self.trainee.clone(),
            persona: self.persona.clone(),
            seed: self.seed as u64,
            difficulty: Difficulty::from_str(&self.difficulty).map_err(corrupt)?,
            open: self.state == "open",
            outcome: self
                .outcome
                .as_deref()
                .map(|o| parse_outcome(o).ok_or_else(|| corrupt(format!("unknown outcome {o}"))))
                .transpose()?,
            started_at: self.started_at,
            updated_at: self.updated_at,
            ended_at: self.ended_at,
            round: self.round_id,
        })
    }
}

impl RawRound {
    pub(super) fn round(&self) -> StoreResult<Round> {
        let id = self.id;
        Ok(Round {
            id,
            guild_id: self.guild_id as u64,
            channel_id: self.channel_id as u64,
            message_id: self.message_id.map(|m| m as u64),
            coach_id: self.coach_id as u64,
            persona: self.persona.clone(),
            seed: self.seed as u64,
            difficulty: Difficulty::from_str(&self.difficulty)
                .map_err(|what| StoreError::Corrupt { id, what })?,
            deadline: self.deadline,
            created_at: self.created_at,
            closed_at: self.closed_at,
        })
    }
}

impl From<RawMessage> for StoredMessage {
    fn from(row: RawMessage) -> Self {
        StoredMessage {
            id: row.id,
            role: if row.role == "trainee" {
                Role::Trainee
            } else {
                Role::Customer
            },
            turn: u32::try_from(row.turn).unwrap_or(u32::MAX),
            discord_id: row.discord_id.map(|d| d as u64),
            content: row.content,
            sent: row.sent_at.is_some(),
            edited: row.edited_at.is_some(),
        }
    }
}

/// The five store traits for a backend type with a `pool` field. A macro, not generics:
/// sqlx's executor bounds over a generic database would outweigh the queries themselves.
macro_rules! sql_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::SessionStore for $store {
            async fn create_session(
                &self,
                new: &NewSession,
                opening: &str,
                now: i64,
            ) -> StoreResult<StoredSession> {
                let mut tx = self.pool.begin().await?;
                let row: RawSession = sqlx::query_as(&format!(
                    "INSERT INTO sessions (guild_id, channel_id, thread_id, trainee_id, trainee, persona, seed, \
                     difficulty, started_at, updated_at, round_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
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
                let session = row.stored()?;
                sqlx::query("INSERT INTO messages (session_id, role, turn, content, created_at) VALUES ($1, $2, 0, $3, $4)")
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
                let row: Option<RawSession> = sqlx::query_as(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions WHERE thread_id = $1"
                ))
                .bind(id(thread_id))
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(RawSession::stored).transpose()
            }
            async fn open_session_of(
                &self,
                guild_id: u64,
                trainee_id: u64,
            ) -> StoreResult<Option<StoredSession>> {
                let row: Option<RawSession> = sqlx::query_as(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions WHERE guild_id = $1 AND trainee_id = $2 AND state = 'open' \
                     ORDER BY id DESC LIMIT 1"
                ))
                .bind(id(guild_id))
                .bind(id(trainee_id))
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(RawSession::stored).transpose()
            }
            async fn open_sessions(&self) -> StoreResult<Vec<StoredSession>> {
                let rows: Vec<RawSession> = sqlx::query_as(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions WHERE state = 'open' ORDER BY id"
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(RawSession::stored).collect()
            }
            async fn end_session(&self, session_id: i64, debrief: &Debrief, now: i64) -> StoreResult<()> {
                let json = serde_json::to_string(debrief).map_err(|source| StoreError::Encode {
                    id: session_id,
                    source,
                })?;
                sqlx::query(
                    "UPDATE sessions SET state = 'ended', outcome = $1, debrief = $2, ended_at = $3, updated_at = $4 \
                     WHERE id = $5",
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
                let rows: Vec<RawSession> = sqlx::query_as(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions WHERE state = 'ended' AND debrief_posted_at IS NULL \
                     AND debrief IS NOT NULL ORDER BY id"
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let session = row.stored()?;
                        let debrief = debrief(session.id, row.debrief.as_deref().unwrap_or_default());
                        Ok((session, debrief))
                    })
                    .collect()
            }
            async fn mark_debrief_posted(&self, session_id: i64, now: i64) -> StoreResult<()> {
                sqlx::query("UPDATE sessions SET debrief_posted_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(session_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
            async fn list_sessions(&self, filter: &SessionFilter) -> StoreResult<Vec<SessionRecord>> {
                let rows: Vec<RawSession> = sqlx::query_as(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions \
                     WHERE ($7 IS NULL OR id = $7) AND ($1 IS NULL OR guild_id = $1) AND ($2 IS NULL OR trainee_id = $2) \
                     AND ($3 IS NULL OR persona = $3) AND ($4 IS NULL OR round_id = $4) \
                     AND ($5 IS NULL OR started_at >= $5) AND ($6 IS NULL OR started_at < $6) \
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
                        let session = row.stored()?;
                        let debrief = row.debrief.as_deref().map(|j| debrief(session.id, j)).transpose()?;
                        Ok(SessionRecord { session, debrief })
                    })
                    .collect()
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::MessageStore for $store {
            async fn messages(&self, session_id: i64) -> StoreResult<Vec<StoredMessage>> {
                let rows: Vec<RawMessage> = sqlx::query_as(&format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = $1 ORDER BY id"
                ))
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
                     VALUES ($1, 'trainee', $2, $3, $4, $5, $6)",
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
                    "INSERT INTO messages (session_id, role, turn, content, created_at) VALUES ($1, 'customer', $2, $3, $4) \
                     RETURNING id",
                )
                .bind(session_id)
                .bind(i64::from(turn))
                .bind(reply)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                sqlx::query("UPDATE sessions SET updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(session_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(reply_id)
            }
            async fn mark_sent(&self, message_id: i64, discord_id: u64, now: i64) -> StoreResult<()> {
                sqlx::query("UPDATE messages SET discord_id = $1, sent_at = $2 WHERE id = $3")
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
                let row = sqlx::query("SELECT 1 FROM messages WHERE discord_id = $1")
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
                    "INSERT INTO messages (session_id, role, turn, content, created_at) VALUES ($1, 'customer', $2, $3, $4) \
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
                sqlx::query("UPDATE messages SET edited_at = $1 WHERE discord_id = $2 AND role = 'trainee'")
                    .bind(now)
                    .bind(id(discord_id))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::RoundStore for $store {
            async fn create_round(&self, new: &NewRound, now: i64) -> StoreResult<Round> {
                let row: RawRound = sqlx::query_as(&format!(
                    "INSERT INTO rounds (guild_id, channel_id, coach_id, persona, seed, difficulty, deadline, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {ROUND_COLUMNS}"
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
                row.round()
            }
            async fn set_round_message(&self, round: i64, message_id: u64) -> StoreResult<()> {
                sqlx::query("UPDATE rounds SET message_id = $1 WHERE id = $2")
                    .bind(id(message_id))
                    .bind(round)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
            async fn round(&self, round: i64) -> StoreResult<Option<Round>> {
                let row: Option<RawRound> = sqlx::query_as(&format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = $1"))
                    .bind(round)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(RawRound::round).transpose()
            }
            async fn open_round_in(&self, guild_id: u64, channel_id: u64) -> StoreResult<Option<Round>> {
                let row: Option<RawRound> = sqlx::query_as(&format!(
                    "SELECT {ROUND_COLUMNS} FROM rounds WHERE guild_id = $1 AND channel_id = $2 AND closed_at IS NULL \
                     ORDER BY id DESC LIMIT 1"
                ))
                .bind(id(guild_id))
                .bind(id(channel_id))
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(RawRound::round).transpose()
            }
            async fn rounds_due(&self, now: i64) -> StoreResult<Vec<Round>> {
                let rows: Vec<RawRound> = sqlx::query_as(&format!(
                    "SELECT {ROUND_COLUMNS} FROM rounds WHERE closed_at IS NULL AND deadline <= $1 ORDER BY id"
                ))
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(RawRound::round).collect()
            }
            async fn close_round(&self, round: i64, now: i64) -> StoreResult<()> {
                sqlx::query("UPDATE rounds SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
                    .bind(now)
                    .bind(round)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
        #[async_trait::async_trait]
        impl $crate::store::LeaseStore for $store {
            async fn acquire_lease(&self, name: &str, holder: &str, now: i64, until: i64) -> StoreResult<bool> {
                // One statement: the database decides between two processes asking at once.
                let row = sqlx::query(
                    "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $4) \
                     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                     WHERE leases.holder = excluded.holder OR leases.expires_at <= $3 \
                     RETURNING holder",
                )
                .bind(name)
                .bind(holder)
                .bind(now)
                .bind(until)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.is_some())
            }
            async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
                    .bind(name)
                    .bind(holder)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::Backup for $store {
            async fn dump(&self) -> StoreResult<Dump> {
                // One read transaction, so that the three tables agree with each other.
                let mut tx = self.pool.begin().await?;
                let rounds = sqlx::query_as(&format!("SELECT {ROUND_COLUMNS} FROM rounds ORDER BY id"))
                    .fetch_all(&mut *tx)
                    .await?;
                let sessions = sqlx::query_as(&format!("SELECT {SESSION_COLUMNS} FROM sessions ORDER BY id"))
                    .fetch_all(&mut *tx)
                    .await?;
                let messages = sqlx::query_as(&format!("SELECT {MESSAGE_COLUMNS} FROM messages ORDER BY id"))
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Dump { rounds, sessions, messages })
            }
            async fn restore(&self, dump: &Dump) -> StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                let held: i64 = sqlx::query("SELECT (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM rounds)")
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
                if held > 0 {
                    return Err(StoreError::NotEmpty { rows: held });
                }
                for r in &dump.rounds {
                    sqlx::query(&format!(
                        "INSERT INTO rounds ({ROUND_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                    ))
                    .bind(r.id).bind(r.guild_id).bind(r.channel_id).bind(r.message_id).bind(r.coach_id)
                    .bind(&r.persona).bind(r.seed).bind(&r.difficulty).bind(r.deadline).bind(r.created_at)
                    .bind(r.closed_at)
                    .execute(&mut *tx)
                    .await?;
                }
                for s in &dump.sessions {
                    sqlx::query(&format!(
                        "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES \
                         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
                    ))
                    .bind(s.id).bind(s.guild_id).bind(s.channel_id).bind(s.thread_id).bind(s.trainee_id)
                    .bind(&s.trainee).bind(&s.persona).bind(s.seed).bind(&s.difficulty).bind(&s.state)
                    .bind(&s.outcome).bind(&s.debrief).bind(s.started_at).bind(s.updated_at).bind(s.ended_at)
                    .bind(s.debrief_posted_at).bind(s.round_id)
                    .execute(&mut *tx)
                    .await?;
                }
                for m in &dump.messages {
                    sqlx::query(&format!(
                        "INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                    ))
                    .bind(m.id).bind(m.session_id).bind(&m.role).bind(m.turn).bind(m.discord_id)
                    .bind(&m.content).bind(m.created_at).bind(m.sent_at).bind(m.edited_at)
                    .execute(&mut *tx)
                    .await?;
                }
                <$store>::after_restore(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(super) use sql_store;
