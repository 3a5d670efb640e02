//! The eight places where a purchase can go wrong, and the acts a trainee message is read into.
//! Their names are a contract: they appear in persona files, JSON output and the debrief.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Performance,
    Fit,
    Reliability,
    References,
    Guarantee,
    Delivery,
    Price,
    Service,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::Performance,
        Topic::Fit,
        Topic::Reliability,
        Topic::References,
        Topic::Guarantee,
        Topic::Delivery,
        Topic::Price,
        Topic::Service,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Performance => "performance",
            Topic::Fit => "fit",
            Topic::Reliability => "reliability",
            Topic::References => "references",
            Topic::Guarantee => "guarantee",
            Topic::Delivery => "delivery",
            Topic::Price => "price",
            Topic::Service => "service",
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Topic {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Topic::ALL.into_iter().find(|t| t.as_str() == s).ok_or(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActKind {
    AskHesitation,
    AskAbout,
    /// A discovery question about the customer's own situation.
    AskSituation,
    ShowWeakSpot,
    Acknowledge,
    Evidence,
    Measure,
    Close,
    Dismiss,
    Pitch,
    Other,
}

impl ActKind {
    pub const ALL: [ActKind; 11] = [
        ActKind::AskHesitation,
        ActKind::AskAbout,
        ActKind::AskSituation,
        ActKind::ShowWeakSpot,
        ActKind::Acknowledge,
        ActKind::Evidence,
        ActKind::Measure,
        ActKind::Close,
        ActKind::Dismiss,
        ActKind::Pitch,
        ActKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActKind::AskHesitation => "ask_hesitation",
            ActKind::AskAbout => "ask_about",
            ActKind::AskSituation => "ask_situation",
            ActKind::ShowWeakSpot => "show_weak_spot",
            ActKind::Acknowledge => "acknowledge",
            ActKind::Evidence => "evidence",
            ActKind::Measure => "measure",
            ActKind::Close => "close",
            ActKind::Dismiss => "dismiss",
            ActKind::Pitch => "pitch",
            ActKind::Other => "other",
        }
    }
}

impl fmt::Display for ActKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActKind::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// One thing a trainee message does, with the topic it is about where the act has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Act {
    pub act: ActKind,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub topic: Option<Topic>,
}

impl Act {
    pub fn new(act: ActKind, topic: Option<Topic>) -> Self {
        Act { act, topic }
    }
}

impl fmt::Display for Act {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.topic {
            Some(t) => write!(f, "{}:{}", self.act, t),
            None => write!(f, "{}", self.act),
        }
    }
}
