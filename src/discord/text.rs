//! What the bot itself says to members (not the customer: that is the lexicon's). English,
//! and Dutch for members whose Discord runs in Dutch.

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
}

pub fn say(locale: Option<&str>, what: Say) -> &'static str {
    let dutch = locale.is_some_and(|l| l.starts_with("nl"));
    match (what, dutch) {
        (Say::NotHere, false) => "Practice sessions start in the training channels: {channels}.",
        (Say::NotHere, true) => "Oefengesprekken start je in de trainingskanalen: {channels}.",
        (Say::AlreadyOpen, false) => {
            "You already have a session running in {thread}. Finish it there with /end first."
        }
        (Say::AlreadyOpen, true) => {
            "Je hebt al een gesprek lopen in {thread}. Rond dat daar eerst af met /stoppen."
        }
        (Say::UnknownPersona, false) => {
            "There is no customer called \"{id}\". Available: {available}."
        }
        (Say::UnknownPersona, true) => "Er is geen klant \"{id}\". Beschikbaar: {available}.",
        (Say::InvalidPersona, false) => {
            "The customer \"{id}\" has errors in its file; ask a coach to run `sceptic personas check`."
        }
        (Say::InvalidPersona, true) => {
            "De klant \"{id}\" heeft fouten in zijn bestand; vraag een coach `sceptic personas check` te draaien."
        }
        (Say::Ready, false) => "Your customer is waiting in {thread}.",
        (Say::Ready, true) => "Je klant wacht op je in {thread}.",
        (Say::NotASession, false) => "This is not an open practice thread.",
        (Say::NotASession, true) => "Dit is geen lopend oefengesprek.",
        (Say::NotYourSession, false) => "Only {trainee} can end this session.",
        (Say::NotYourSession, true) => "Alleen {trainee} kan dit gesprek beëindigen.",
        (Say::Ended, false) => "Session ended. The debrief follows.",
        (Say::Ended, true) => "Gesprek beëindigd. De nabespreking volgt.",
        (Say::Failed, false) => {
            "Something went wrong on our side. It has been logged; please try again in a moment."
        }
        (Say::Failed, true) => {
            "Er ging bij ons iets mis. Het is vastgelegd; probeer het zo opnieuw."
        }
        (Say::NoPersonas, false) => "No customers are available right now.",
        (Say::NoPersonas, true) => "Er zijn nu geen klanten beschikbaar.",
        (Say::CoachesOnly, false) => "Only coaches can do that.",
        (Say::CoachesOnly, true) => "Dat kunnen alleen coaches.",
        (Say::RoundOpen, false) => {
            "A round is already open in this channel; close it first with /round close."
        }
        (Say::RoundOpen, true) => {
            "Er loopt al een ronde in dit kanaal; sluit die eerst met /ronde sluiten."
        }
        (Say::RoundStarted, false) => "Round started; it closes {deadline}.",
        (Say::RoundStarted, true) => "Ronde gestart; die sluit {deadline}.",
        (Say::NoRound, false) => "There is no practice round in this channel.",
        (Say::NoRound, true) => "Er is geen oefenronde in dit kanaal.",
        (Say::RoundClosed, false) => "This round is closed.",
        (Say::RoundClosed, true) => "Deze ronde is gesloten.",
        (Say::BadDeadline, false) => {
            "\"{deadline}\" is not a deadline I understand: use hours or days, like 48h, 3d or 1d12h."
        }
        (Say::BadDeadline, true) => {
            "\"{deadline}\" is geen deadline die ik begrijp: gebruik uren of dagen, zoals 48h, 3d of 1d12h."
        }
        (Say::AlreadyInRound, false) => "You already took part in this round: {thread}.",
        (Say::AlreadyInRound, true) => "Je deed al mee aan deze ronde: {thread}.",
        (Say::Reloaded, false) => "Personas reloaded: {valid} valid.",
        (Say::Reloaded, true) => "Klanten opnieuw geladen: {valid} geldig.",
    }
}

/// `say` with its `{placeholders}` filled.
pub fn say_with(locale: Option<&str>, what: Say, values: &[(&str, String)]) -> String {
    crate::debrief::fill(say(locale, what), values)
}
