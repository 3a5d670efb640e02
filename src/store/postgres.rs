use super::sql::{
    Dump, MESSAGE_COLUMNS, ROUND_COLUMNS, RawMessage, RawRound, RawSession, SESSION_COLUMNS,
    debrief, id, sql_store,
};
use super::{
    NewRound, NewSession, Role, Round, SessionFilter, SessionRecord, StoreError, StoreResult,
    StoredMessage, StoredSession,
};
use crate::debrief::Debrief;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use std::str::FromStr;
use std::time::Duration;

/// A PostgreSQL server, for deployments with more than one process or machine.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the server at `url` (`postgres://user:password@host:port/database`) and
    /// brings the tables up to date; the database itself must exist.
    pub async fn open(url: &str) -> StoreResult<PostgresStore> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("src/store/migrations/postgres")
            .run(&pool)
            .await?;
        Ok(PostgresStore { pool })
    }

    /// Rows restored with their ids leave the identity counters behind: move them past the
    /// largest id, or the next new session would collide with a copied one.
    async fn after_restore(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>) -> StoreResult<()> {
        for table in ["rounds", "sessions", "messages"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            ))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }
}

sql_store!(PostgresStore);
