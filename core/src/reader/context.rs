//! What the customer's last message did. Some trainee messages mean something only after it:
//! "Anything else?" after a confession asks for more doubts, "Why?" after a stall asks what
//! holds the customer back, and "that" points at the topic just spoken of.

use crate::topic::Topic;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Context {
    /// Nothing known: `classify`, or a message read on its own.
    #[default]
    None,
    Opening,
    /// The customer confessed a doubt of this topic.
    Revealed(Topic),
    /// The customer hinted at a hidden doubt of this topic.
    Told(Topic),
    /// The customer accepted an answer to its doubt of this topic.
    Resolved(Topic),
    /// The customer was not convinced by an answer to its doubt of this topic, or said, when
    /// asked, that the doubt still stands.
    Unresolved(Topic),
    /// The customer said honestly that this topic does not worry it.
    NoConcern(Topic),
    /// The customer said it has no other worries.
    NothingElse,
    /// The customer stalled a close.
    Stalled,
    /// The customer answered "any questions?" with "no, it's clear".
    Clear,
    /// The customer answered a question about its own situation.
    Answered,
}

impl Context {
    /// The topic the customer just spoke of, which "that" and "dat" point at.
    pub fn topic(self) -> Option<Topic> {
        match self {
            Context::Revealed(t)
            | Context::Told(t)
            | Context::Resolved(t)
            | Context::Unresolved(t)
            | Context::NoConcern(t) => Some(t),
            _ => None,
        }
    }

    /// The context's name without its topic, as the reader's model sees it.
    pub fn kind(self) -> &'static str {
        match self {
            Context::None => "-",
            Context::Opening => "opening",
            Context::Revealed(_) => "reveal",
            Context::Told(_) => "tell",
            Context::Resolved(_) => "resolved",
            Context::Unresolved(_) => "unresolved",
            Context::NoConcern(_) => "no_concern",
            Context::NothingElse => "nothing_else",
            Context::Stalled => "stall",
            Context::Clear => "clear",
            Context::Answered => "answer",
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.topic() {
            Some(t) => write!(f, "{}:{t}", self.kind()),
            None => f.write_str(self.kind()),
        }
    }
}

/// Parses the corpus notation: `-`, `stall`, `reveal:price`, ...
impl FromStr for Context {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, topic) = match s.split_once(':') {
            Some((kind, topic)) => (
                kind,
                Some(
                    topic
                        .parse::<Topic>()
                        .map_err(|()| format!("unknown topic `{topic}`"))?,
                ),
            ),
            None => (s, None),
        };
        let context = match (kind, topic) {
            ("-", None) => Context::None,
            ("opening", None) => Context::Opening,
            ("nothing_else", None) => Context::NothingElse,
            ("stall", None) => Context::Stalled,
            ("clear", None) => Context::Clear,
            ("answer", None) => Context::Answered,
            ("reveal", Some(t)) => Context::Revealed(t),
            ("tell", Some(t)) => Context::Told(t),
            ("resolved", Some(t)) => Context::Resolved(t),
            ("unresolved", Some(t)) => Context::Unresolved(t),
            ("no_concern", Some(t)) => Context::NoConcern(t),
            _ => return Err(format!("unknown context `{s}`")),
        };
        Ok(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_notation_round_trips() {
        for s in ["-", "stall", "reveal:price", "no_concern:service", "answer"] {
            assert_eq!(s.parse::<Context>().map(|c| c.to_string()), Ok(s.into()));
        }
        assert!("reveal".parse::<Context>().is_err());
        assert!("stall:price".parse::<Context>().is_err());
        assert!("reveal:cost".parse::<Context>().is_err());
    }
}
