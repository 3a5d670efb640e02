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
    }
}

/// `say` with its `{placeholders}` filled.
pub fn say_with(locale: Option<&str>, what: Say, values: &[(&str, String)]) -> String {
    crate::debrief::fill(say(locale, what), values)
}
