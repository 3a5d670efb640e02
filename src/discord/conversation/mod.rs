//! Running conversations. Every trainee message goes through one path, live or caught up
//! after downtime: into its session's inbox, answered in message order, the reply stored
//! before it is sent and marked once Discord has it. A message seen before is never
//! answered twice; a reply Discord never confirmed is sent again, unless it is already there.
//!
//! `registry` holds the sessions in memory, `turn` answers a message, `ending` closes a
//! session and posts its debrief, `recovery` catches up after downtime and runs the
//! sweeper's rounds.

mod ending;
mod recovery;
mod registry;
mod turn;

pub use ending::{finish, last_word};
pub use recovery::{catch_up_all, sweep};
pub use registry::{Live, Sessions, slot};
pub use turn::{customer_line, on_edit, on_message};
