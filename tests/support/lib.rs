//! What sceptic's integration tests and benchmarks share: the shipped personas and a small
//! persona of known doubts (`common`), the bot run in-process against the fake Discord
//! (`bot`), the bot binary killed and restarted (`bot::crash`), a real PostgreSQL server
//! of a test's own (`postgres`), and either backend behind one type (`database`).

pub mod bot;
pub mod common;
pub mod database;
pub mod postgres;
