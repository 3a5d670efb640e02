//! What the bot sent: every REST request and every gateway frame, in arrival order, plus
//! small helpers to dig into their JSON.

use serde_json::Value;
use std::time::Instant;

/// One REST request as the fake received and answered it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Position in the log (0 = first request).
    pub index: usize,
    pub method: String,
    /// The path below `/api/v10`, like `/channels/123/messages` (the full path when the
    /// request did not start with `/api/v10`).
    pub path: String,
    /// Query parameters in order, empty ones skipped (serenity sends `?&limit=50`).
    pub query: Vec<(String, String)>,
    /// The JSON body, or the `payload_json` part of a multipart body.
    pub body: Option<Value>,
    /// File names of multipart uploads.
    pub files: Vec<String>,
    /// The uploads' bytes, in the order of `files`.
    pub uploads: Vec<Vec<u8>>,
    /// The status the fake answered with; 0 when a fault cut the connection unanswered.
    pub status: u16,
    /// The JSON the fake answered with, if any.
    pub response: Option<Value>,
    /// When the request reached the fake (before its body was read).
    pub received: Instant,
    /// False when no route matched and the fake answered 404.
    pub known_route: bool,
    /// True when an injected fault answered it, held its answer back or cut its connection.
    /// A held-back request is recorded once handled, before its answer leaves.
    pub injected: bool,
}

impl Recorded {
    /// `method` ("POST", or "*" for any) and a path pattern below `/api/v10` in which `*` or
    /// `{name}` stands for one segment: `r.is("POST", "/channels/{id}/messages")`.
    pub fn is(&self, method: &str, pattern: &str) -> bool {
        (method == "*" || self.method.eq_ignore_ascii_case(method))
            && route_matches(pattern, &self.path)
    }

    pub fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The body value at a JSON pointer, like `"/allowed_mentions/parse"`.
    pub fn json(&self, pointer: &str) -> Option<&Value> {
        self.body.as_ref()?.pointer(pointer)
    }

    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.json(pointer)?.as_str()
    }

    /// The numeric segment at `index` of the path: for `/channels/5/messages`, 1 -> 5.
    pub fn path_id(&self, index: usize) -> Option<u64> {
        self.path
            .split('/')
            .filter(|s| !s.is_empty())
            .nth(index)?
            .parse()
            .ok()
    }

    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Whether `path` matches `pattern` segment by segment; `*` and `{name}` match any one
/// segment, `**` as the last segment matches the rest.
pub fn route_matches(pattern: &str, path: &str) -> bool {
    let mut pattern = pattern.split('/').filter(|s| !s.is_empty());
    let mut path = path.split('/').filter(|s| !s.is_empty());
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some("**"), _) => return true,
            (Some(p), Some(s))
                if p == "*" || (p.starts_with('{') && p.ends_with('}')) || p == s => {}
            _ => return false,
        }
    }
}

/// Which way a gateway frame went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// From the bot to the fake (IDENTIFY, heartbeats, RESUME...).
    FromBot,
    /// From the fake to the bot.
    ToBot,
}

/// One gateway frame.
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    /// Which websocket connection (1 = first) carried it.
    pub connection: u64,
    pub direction: Direction,
    pub payload: Value,
    pub at: Instant,
}

impl GatewayFrame {
    pub fn op(&self) -> Option<u64> {
        self.payload.get("op").and_then(Value::as_u64)
    }

    pub fn event(&self) -> Option<&str> {
        self.payload.get("t").and_then(Value::as_str)
    }
}

/// Every value stored under `key` anywhere in `value`.
pub fn find_all<'a>(value: &'a Value, key: &str) -> Vec<&'a Value> {
    let mut found = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(hit) = map.get(key) {
                    found.push(hit);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

/// Whether any string anywhere in `value` contains `needle`.
pub fn contains_text(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s.contains(needle),
        Value::Array(items) => items.iter().any(|v| contains_text(v, needle)),
        Value::Object(map) => map.values().any(|v| contains_text(v, needle)),
        _ => false,
    }
}
