use super::sql::{
    Dump, MESSAGE_COLUMNS, ROUND_COLUMNS, RawMessage, RawRound, RawSession, SESSION_COLUMNS,
    debrief, id, sql_store,
};
use super::{
    NewRound, NewSession, Role, Round, SessionFilter, SessionRecord, StoreError, StoreResult,
    StoredMessage, StoredSession,
};
use crate::debrief::Debrief;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::time::Duration;

/// SQLite in WAL mode: one writer, many readers, and a file that survives being killed.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

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
        sqlx::migrate!("src/store/migrations/sqlite")
            .run(&pool)
            .await?;
        Ok(SqliteStore { pool })
    }

    /// Nothing to do: SQLite numbers new rows after the largest id there is.
    async fn after_restore(_: &mut sqlx::Transaction<'_, sqlx::Sqlite>) -> StoreResult<()> {
        Ok(())
    }
}

sql_store!(SqliteStore);
