//! What the bot itself says to members (not the customer), in the member's language: the
//! words are the lexicon's `[bot]` table, one file per language like everything else.

use crate::lexicon;

/// A message the bot says, by the member's locale.
#[derive(Debug, Clone, Copy)]
pub enum Say {
    NotHere,
    AlreadyOpen,
    UnknownPersona,
    InvalidPersona,
    Ready,
    NotASession,
    NotYourSession,
    Ended,
    Failed,
    NoPersonas,
    CoachesOnly,
    RoundOpen,
    RoundStarted,
    NoRound,
    RoundClosed,
    BadDeadline,
    AlreadyInRound,
    Reloaded,
    BadOption,
    StaleCommand,
    ServerOnly,
    BotLacksPermissions,
}

/// The message in the language of the member's Discord locale (English where sceptic does
/// not speak it).
pub fn say(locale: Option<&str>, what: Say) -> &'static str {
    let w = &lexicon::for_locale(locale).bot;
    match what {
        Say::NotHere => &w.not_here,
        Say::AlreadyOpen => &w.already_open,
        Say::UnknownPersona => &w.unknown_persona,
        Say::InvalidPersona => &w.invalid_persona,
        Say::Ready => &w.ready,
        Say::NotASession => &w.not_a_session,
        Say::NotYourSession => &w.not_your_session,
        Say::Ended => &w.ended,
        Say::Failed => &w.failed,
        Say::NoPersonas => &w.no_personas,
        Say::CoachesOnly => &w.coaches_only,
        Say::RoundOpen => &w.round_open,
        Say::RoundStarted => &w.round_started,
        Say::NoRound => &w.no_round,
        Say::RoundClosed => &w.round_closed,
        Say::BadDeadline => &w.bad_deadline,
        Say::AlreadyInRound => &w.already_in_round,
        Say::Reloaded => &w.reloaded,
        Say::BadOption => &w.bad_option,
        Say::StaleCommand => &w.stale_command,
        Say::ServerOnly => &w.server_only,
        Say::BotLacksPermissions => &w.bot_lacks_permissions,
    }
}

/// `say` with its `{placeholders}` filled.
pub fn say_with(locale: Option<&str>, what: Say, values: &[(&str, String)]) -> String {
    crate::debrief::fill(say(locale, what), values)
}
