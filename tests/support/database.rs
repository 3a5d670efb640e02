//! The database a test runs on, either backend behind one type, so that one test body runs
//! on a SQLite file and on a real PostgreSQL server alike.

use crate::postgres::Postgres;
use sceptic::store::{Location, Store};
use sqlx::Connection;
use std::sync::Arc;

pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDatabase {
    /// Holds the SQLite file's folder.
    dir: tempfile::TempDir,
    server: Option<Postgres>,
}

impl TestDatabase {
    pub async fn new(backend: Backend) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(Postgres::start().await),
        };
        TestDatabase { dir, server }
    }

    /// What `storage.url` says for this database.
    pub fn url(&self) -> String {
        match &self.server {
            Some(server) => server.url(),
            None => self.dir.path().join("sceptic.db").display().to_string(),
        }
    }

    pub async fn open(&self) -> Arc<dyn Store> {
        Location::parse(&self.url())
            .expect("a test URL")
            .open()
            .await
            .expect("the store opens")
    }

    /// Takes the database down hard and brings it back: SIGKILL and a restart for the
    /// server. A file has no process to kill: the test's reopening is the restart.
    pub async fn kill_and_restart(&mut self) {
        if let Some(server) = &mut self.server {
            server.restart().await;
        }
    }

    /// Runs SQL on the database behind the store's back, as an admin's tool would.
    pub async fn execute(&self, sql: &str, id: i64) {
        match &self.server {
            Some(server) => {
                let mut connection = sqlx::PgConnection::connect(&server.url())
                    .await
                    .expect("connects");
                sqlx::query(sql)
                    .bind(id)
                    .execute(&mut connection)
                    .await
                    .expect("runs");
            }
            None => {
                let url = format!("sqlite://{}", self.url());
                let mut connection = sqlx::SqliteConnection::connect(&url).await.expect("opens");
                sqlx::query(sql)
                    .bind(id)
                    .execute(&mut connection)
                    .await
                    .expect("runs");
            }
        }
    }
}

/// Writes each test body twice: `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::database::{Backend, TestDatabase};

                #[tokio::test]
                async fn sqlite() {
                    super::$name(TestDatabase::new(Backend::Sqlite).await).await;
                }

                #[tokio::test]
                async fn postgres() {
                    super::$name(TestDatabase::new(Backend::Postgres).await).await;
                }
            }
        )*
    };
}
