//! Injected REST failures: answer the next N requests matching a route with a status.

use super::record::route_matches;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// "POST", or "*" for any method.
    pub method: String,
    /// A route pattern below `/api/v10`, as for [`Recorded::is`](super::Recorded::is).
    pub pattern: String,
    pub status: u16,
    /// How many more matching requests this fault answers.
    pub remaining: u32,
    /// For 429: the `retry_after` in the body and the rate-limit headers.
    pub retry_after: Option<Duration>,
    /// For 429: a global rate limit rather than a per-route one.
    pub global: bool,
}

/// Shared list of pending faults; the first matching one answers a request.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    pending: Arc<Mutex<Vec<Fault>>>,
}

impl Faults {
    /// Answers the next `times` requests matching `method` and `pattern` with `status` (and a
    /// Discord-style error body) instead of handling them.
    pub fn fail_next(&self, method: &str, pattern: &str, status: u16, times: u32) {
        self.push(Fault {
            method: method.to_string(),
            pattern: pattern.to_string(),
            status,
            remaining: times,
            retry_after: None,
            global: false,
        });
    }

    /// Answers the next `times` matching requests with 429, `retry_after` in the body and the
    /// `retry-after` / `x-ratelimit-*` headers Discord sends.
    pub fn rate_limit_next(&self, method: &str, pattern: &str, retry_after: Duration, times: u32) {
        self.push(Fault {
            method: method.to_string(),
            pattern: pattern.to_string(),
            status: 429,
            remaining: times,
            retry_after: Some(retry_after),
            global: false,
        });
    }

    pub fn push(&self, fault: Fault) {
        if fault.remaining > 0 {
            self.lock().push(fault);
        }
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Faults that still have requests to answer.
    pub fn pending(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Takes one use of the first fault matching this request.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut pending = self.lock();
        let index = pending.iter().position(|f| {
            (f.method == "*" || f.method.eq_ignore_ascii_case(method))
                && route_matches(&f.pattern, path)
        })?;
        let fault = pending[index].clone();
        pending[index].remaining -= 1;
        if pending[index].remaining == 0 {
            pending.remove(index);
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
