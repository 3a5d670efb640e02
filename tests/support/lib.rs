//! What sceptic's integration tests and benchmarks share: the shipped personas and a small
//! persona of known doubts (`common`), the bot run in-process against the fake Discord
//! (`bot`), and the bot binary killed and restarted (`bot::crash`).

pub mod bot;
pub mod common;
