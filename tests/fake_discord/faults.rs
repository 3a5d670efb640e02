//! Injected REST failures: answer the next N requests matching a route with a status, hold
//! their real answer back, or cut their connection without any answer.

use super::record::route_matches;
use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use std::net::{Shutdown, TcpStream};
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a fault does to the request it catches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// Answer with the fault's `status` (and a Discord-style body) instead of handling it.
    Answer,
    /// Handle it as usual (its side effects happen and are dispatched), then hold the
    /// response back this long.
    Delay(Duration),
    /// Do not handle it, and close the connection without any HTTP response.
    DropConnection,
    /// Handle it as usual (Discord did the work), then close the connection without the
    /// response: the client cannot know it succeeded.
    HandleThenDrop,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// "POST", or "*" for any method.
    pub method: String,
    /// A route pattern below `/api/v10`, as for [`Recorded::is`](super::Recorded::is).
    pub pattern: String,
    pub effect: Effect,
    /// For [`Effect::Answer`]: the status to answer with.
    pub status: u16,
    /// How many more matching requests this fault answers.
    pub remaining: u32,
    /// For 429: the `retry_after` in the body and the rate-limit headers.
    pub retry_after: Option<Duration>,
    /// For 429: a global rate limit rather than a per-route one.
    pub global: bool,
}

impl Fault {
    fn new(method: &str, pattern: &str, effect: Effect, times: u32) -> Self {
        Fault {
            method: method.to_string(),
            pattern: pattern.to_string(),
            effect,
            status: 0,
            remaining: times,
            retry_after: None,
            global: false,
        }
    }
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
            status,
            ..Fault::new(method, pattern, Effect::Answer, times)
        });
    }

    /// Answers the next `times` matching requests with 429, `retry_after` in the body and the
    /// `retry-after` / `x-ratelimit-*` headers Discord sends.
    pub fn rate_limit_next(&self, method: &str, pattern: &str, retry_after: Duration, times: u32) {
        self.push(Fault {
            status: 429,
            retry_after: Some(retry_after),
            ..Fault::new(method, pattern, Effect::Answer, times)
        });
    }

    /// Handles the next `times` matching requests as usual but holds each response back for
    /// `delay`: Discord has accepted (a posted message is stored and dispatched as
    /// MESSAGE_CREATE, and the request is recorded) while the bot still waits for the id.
    /// A test can kill the bot in that window.
    pub fn delay_response_next(&self, method: &str, pattern: &str, delay: Duration, times: u32) {
        self.push(Fault::new(method, pattern, Effect::Delay(delay), times));
    }

    /// Does not handle the next `times` matching requests: their TCP connection is shut down
    /// without any HTTP response, and the client reads end-of-stream ("connection closed
    /// before message completed"). Recorded with status 0.
    pub fn drop_connection_next(&self, method: &str, pattern: &str, times: u32) {
        self.push(Fault::new(method, pattern, Effect::DropConnection, times));
    }

    /// Handles the next `times` matching requests, then cuts their connection before the
    /// response: a retry that is not idempotent would do the work twice.
    pub fn handle_then_drop_next(&self, method: &str, pattern: &str, times: u32) {
        self.push(Fault::new(method, pattern, Effect::HandleThenDrop, times));
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

/// The TCP connection a request arrived on, so that [`Effect::DropConnection`] can cut it.
/// The server hands it to every request as `ConnectInfo<Socket>`: a second handle (a `dup`)
/// on the connection's socket.
#[derive(Clone, Debug)]
pub struct Socket(Option<Arc<TcpStream>>);

impl Connected<IncomingStream<'_, tokio::net::TcpListener>> for Socket {
    fn connect_info(stream: IncomingStream<'_, tokio::net::TcpListener>) -> Self {
        let handle = stream.io().as_fd().try_clone_to_owned().ok();
        Socket(handle.map(|fd| Arc::new(TcpStream::from(fd))))
    }
}

impl Socket {
    /// Shuts the socket down both ways: the client reads end-of-stream where it waits for a
    /// response, and whatever the server writes afterwards goes nowhere.
    pub fn cut(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|s| s.shutdown(Shutdown::Both).is_ok())
    }
}
