//! REST under `/api/v10`: one handler reads and records every request, checks the bot token,
//! applies injected faults and routes by path segments to the handlers in the submodules.

mod channels;
mod commands;
mod interactions;
mod messages;

use channels::{
    create_thread, edit_channel, get_channel, get_guild, guild_channels, guild_member,
    thread_member, thread_members, typing,
};
use commands::commands;
use interactions::{callback, webhook};
use messages::{channel_message, create_message, list_messages};

use super::body::{self, ParsedBody};
use super::check;
use super::faults::{Effect, Fault, Socket};
use super::model::{Channel, World};
use super::payloads;
use super::record::Recorded;
use super::validate::Refusal;
use super::{Shared, lock};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serenity::model::application::CurrentApplicationInfo;
use serenity::model::gateway::{BotGateway, Gateway};
use serenity::model::permissions::Permissions;
use serenity::model::user::CurrentUser;
use std::sync::Arc;
use std::time::Instant;

/// What a handler answers.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    fn no_content() -> Self {
        Reply {
            status: 204,
            body: None,
            headers: Vec::new(),
        }
    }

    fn error(status: u16, code: u32, message: &str) -> Self {
        Reply::json(status, payloads::error(code, message))
    }

    fn refusal((status, body): Refusal) -> Self {
        Reply::json(status, body)
    }

    fn not_found() -> Self {
        Reply::error(404, 0, "404: Not Found")
    }

    /// What a dropped connection is recorded with: status 0, no body.
    fn unanswered() -> Self {
        Reply {
            status: 0,
            body: None,
            headers: Vec::new(),
        }
    }
}

/// Handlers return `Err` for an early error answer.
type Handled = Result<Reply, Reply>;

/// The request as handlers see it.
pub struct ApiRequest {
    pub method: String,
    /// Below `/api/v10`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub files: Vec<String>,
    pub authorization: Option<String>,
}

impl ApiRequest {
    fn body(&self) -> &Value {
        self.body.as_ref().unwrap_or(&Value::Null)
    }

    fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The single axum handler for everything but `/gateway`. An injected fault may answer in
/// place of the route, hold the route's answer back, or cut the connection unanswered.
pub async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(socket): ConnectInfo<Socket>,
    request: Request,
) -> Response {
    let received = Instant::now();
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, 64 * 1024 * 1024).await.unwrap_or_default();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let ParsedBody {
        json,
        files,
        uploads,
        error,
    } = body::parse(content_type, &bytes);
    let full_path = parts.uri.path().to_string();
    let api_path = full_path.strip_prefix("/api/v10").map(str::to_string);
    let request = ApiRequest {
        method: parts.method.as_str().to_string(),
        path: api_path.clone().unwrap_or(full_path),
        query: parse_query(parts.uri.query().unwrap_or_default()),
        body: json,
        files,
        authorization: parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    let fault = api_path
        .is_some()
        .then(|| shared.faults.take(&request.method, &request.path))
        .flatten();
    let effect = fault.as_ref().map(|f| f.effect);
    let (reply, known_route) = if api_path.is_none() {
        (Reply::not_found(), false)
    } else if let Some(fault) = fault.as_ref().filter(|f| f.effect == Effect::Answer) {
        (fault_reply(fault), true)
    } else if effect == Some(Effect::DropConnection) {
        (Reply::unanswered(), true)
    } else if error.is_some() {
        let reply = Reply::error(400, 50109, "The request body contains invalid JSON.");
        (reply, true)
    } else {
        match route(&shared, &request) {
            Some(reply) => (reply, true),
            None => (Reply::not_found(), false),
        }
    };
    shared.record_request(Recorded {
        index: 0,
        method: request.method,
        path: request.path,
        query: request.query,
        body: request.body,
        files: request.files,
        uploads,
        status: reply.status,
        response: reply.body.clone(),
        received,
        known_route,
        injected: fault.is_some(),
    });
    if let Some(effect) = effect {
        after_recording(&shared, &socket, effect).await;
    }
    into_response(reply)
}

/// What a fault does once the request is recorded: cut the connection, or hold the
/// answer back (ending early when the fake shuts down).
async fn after_recording(shared: &Shared, socket: &Socket, effect: Effect) {
    match effect {
        Effect::Answer => {}
        Effect::Delay(delay) => {
            let mut stop = shared.shutdown.subscribe();
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                _ = stop.wait_for(|stop| *stop) => {}
            }
        }
        Effect::DropConnection | Effect::HandleThenDrop => {
            if !socket.cut() {
                let problem = "a drop_connection fault could not cut its connection";
                shared.problems.report(problem.to_string());
            }
        }
    }
}

fn into_response(reply: Reply) -> Response {
    let mut response = match &reply.body {
        Some(body) => {
            let mut response = Response::new(Body::from(body.to_string()));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        None => Response::new(Body::empty()),
    };
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn fault_reply(fault: &Fault) -> Reply {
    if fault.status == 429 {
        let retry = fault.retry_after.unwrap_or_default().as_secs_f64();
        let mut reply = Reply::json(429, payloads::rate_limited(retry, fault.global));
        reply.headers = vec![
            ("retry-after", retry.ceil().to_string()),
            ("x-ratelimit-limit", "5".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset-after", format!("{retry:.3}")),
            ("x-ratelimit-bucket", "fake-bucket".into()),
            (
                "x-ratelimit-scope",
                if fault.global { "global" } else { "user" }.into(),
            ),
        ];
        if fault.global {
            reply.headers.push(("x-ratelimit-global", "true".into()));
        }
        return reply;
    }
    let reason = StatusCode::from_u16(fault.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    Reply::error(fault.status, 0, &format!("{}: {reason}", fault.status))
}

/// Checks a response body against the serenity type the bot reads it as.
fn typed<T: DeserializeOwned>(shared: &Shared, status: u16, what: &str, body: Value) -> Reply {
    if let Err(problem) = check::as_type::<T>(what, &body) {
        shared.problems.report(problem);
    }
    Reply::json(status, body)
}

fn snowflake(text: &str, field: &str) -> Result<u64, Reply> {
    text.parse::<u64>().map_err(|_| {
        Reply::refusal((
            400,
            payloads::form_error(
                &[field],
                "NUMBER_TYPE_COERCE",
                &format!("Value \"{text}\" is not snowflake."),
            ),
        ))
    })
}

fn route(shared: &Shared, req: &ApiRequest) -> Option<Reply> {
    let segments: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
    let method = req.method.as_str();
    // Routes Discord serves without the bot token: the gateway URL, and everything an
    // interaction token authorises.
    match (method, segments.as_slice()) {
        ("GET", ["gateway"]) => {
            let body = payloads::gateway(&shared.gateway_url);
            return Some(typed::<Gateway>(shared, 200, "GET /gateway", body));
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            return Some(callback(shared, req, id, token).unwrap_or_else(|e| e));
        }
        (_, ["webhooks", app, token, rest @ ..]) => {
            return webhook(shared, req, app, token, rest).map(|r| r.unwrap_or_else(|e| e));
        }
        _ => {}
    }
    let expected = format!("Bot {}", shared.token);
    if req.authorization.as_deref() != Some(expected.as_str()) {
        return Some(Reply::error(401, 0, "401: Unauthorized"));
    }
    let handled = match (method, segments.as_slice()) {
        ("GET", ["gateway", "bot"]) => {
            let body = payloads::gateway_bot(&shared.gateway_url);
            Ok(typed::<BotGateway>(shared, 200, "GET /gateway/bot", body))
        }
        ("GET", ["users", "@me"]) => {
            let body = payloads::current_user(&lock(&shared.world));
            Ok(typed::<CurrentUser>(shared, 200, "GET /users/@me", body))
        }
        ("GET", ["oauth2", "applications", "@me"]) => {
            let body = payloads::application_info(
                &lock(&shared.world),
                !shared.refuses_privileged_intents(),
            );
            Ok(typed::<CurrentApplicationInfo>(
                shared,
                200,
                "GET /oauth2/applications/@me",
                body,
            ))
        }
        (_, ["applications", app, "commands", rest @ ..]) => commands(shared, req, app, None, rest),
        (_, ["applications", app, "guilds", guild, "commands", rest @ ..]) => {
            commands(shared, req, app, Some(guild), rest)
        }
        ("GET", ["channels", channel]) => get_channel(shared, channel),
        ("PATCH", ["channels", channel]) => edit_channel(shared, req, channel),
        ("POST", ["channels", channel, "threads"]) => create_thread(shared, req, channel),
        ("GET", ["channels", channel, "thread-members"]) => thread_members(shared, channel),
        ("PUT" | "DELETE", ["channels", channel, "thread-members", user]) => {
            thread_member(shared, req, channel, user)
        }
        ("POST", ["channels", channel, "messages"]) => create_message(shared, req, channel),
        ("GET", ["channels", channel, "messages"]) => list_messages(shared, req, channel),
        ("GET" | "PATCH" | "DELETE", ["channels", channel, "messages", message]) => {
            channel_message(shared, req, channel, message)
        }
        ("POST", ["channels", channel, "typing"]) => typing(shared, channel),
        ("GET", ["guilds", guild]) => get_guild(shared, guild),
        ("GET", ["guilds", guild, "channels"]) => guild_channels(shared, guild),
        ("GET", ["guilds", guild, "members", user]) => guild_member(shared, guild, user),
        _ => return None,
    };
    Some(handled.unwrap_or_else(|e| e))
}

fn find_channel<'w>(world: &'w World, channel: &str) -> Result<&'w Channel, Reply> {
    let id = snowflake(channel, "channel_id")?;
    world
        .channels
        .get(&id)
        .ok_or_else(|| Reply::error(404, 10003, "Unknown Channel"))
}

fn missing_permissions() -> Reply {
    Reply::error(403, 50013, "Missing Permissions")
}

fn bot_can(world: &World, needed: Permissions) -> Result<(), Reply> {
    if world.permissions_of(world.bot_id).contains(needed) {
        Ok(())
    } else {
        Err(missing_permissions())
    }
}
