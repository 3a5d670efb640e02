//! The gateway websocket: HELLO, heartbeats, IDENTIFY (token and intent checks), READY and
//! GUILD_CREATE, RESUME with replay, and dispatches filtered by each session's intents.
//!
//! Sessions outlive connections like Discord's: a dispatch for a session whose socket is gone
//! is numbered and kept, and a RESUME replays what the client missed.

use super::payloads::{self, DISPATCH_EVENTS};
use super::record::Direction;
use super::{Shared, check, lock};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

pub const GUILDS: u64 = 1 << 0;
pub const GUILD_MEMBERS: u64 = 1 << 1;
pub const GUILD_PRESENCES: u64 = 1 << 8;
pub const GUILD_MESSAGES: u64 = 1 << 9;
pub const MESSAGE_CONTENT: u64 = 1 << 15;
pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
/// Every intent bit Discord defines today (bits 0-25, without the retired 17-19).
const KNOWN_INTENTS: u64 = ((1 << 26) - 1) & !(0b111 << 17);

/// Close codes the fake uses.
pub const CLOSE_UNKNOWN_OPCODE: u16 = 4001;
pub const CLOSE_DECODE_ERROR: u16 = 4002;
pub const CLOSE_NOT_AUTHENTICATED: u16 = 4003;
pub const CLOSE_AUTHENTICATION_FAILED: u16 = 4004;
pub const CLOSE_ALREADY_AUTHENTICATED: u16 = 4005;
pub const CLOSE_INVALID_SHARD: u16 = 4010;
pub const CLOSE_INVALID_INTENTS: u16 = 4013;
pub const CLOSE_DISALLOWED_INTENTS: u16 = 4014;

/// What a connection's task should do next.
#[derive(Debug)]
pub enum Outbound {
    Frame(Value),
    /// Send a close frame with this code and reason, then end the connection.
    Close(u16, String),
    /// End the connection without a close frame, like a network failure.
    Drop,
}

#[derive(Debug)]
pub struct Connection {
    /// 1 for the first connection.
    pub id: u64,
    /// The query string the client connected with (serenity: `v=10`).
    pub query: String,
    pub opened: Instant,
    pub open: bool,
    /// The session this connection identified or resumed.
    pub session: Option<String>,
    tx: UnboundedSender<Outbound>,
}

#[derive(Debug)]
pub struct Session {
    pub id: String,
    pub seq: u64,
    pub intents: u64,
    pub shard: Option<[u32; 2]>,
    /// The connection currently carrying this session.
    pub connection: Option<u64>,
    /// Every dispatch sent in this session, for RESUME.
    pub sent: Vec<Value>,
    pub invalidated: bool,
    pub resumes: u32,
}

#[derive(Debug, Default)]
pub struct GatewayState {
    pub connections: Vec<Connection>,
    pub sessions: Vec<Session>,
}

impl GatewayState {
    fn register(&mut self, query: String, tx: UnboundedSender<Outbound>) -> u64 {
        let id = self.connections.len() as u64 + 1;
        self.connections.push(Connection {
            id,
            query,
            opened: Instant::now(),
            open: true,
            session: None,
            tx,
        });
        id
    }

    fn unregister(&mut self, connection: u64) {
        if let Some(c) = self.connection_mut(connection) {
            c.open = false;
        }
        for session in &mut self.sessions {
            if session.connection == Some(connection) {
                session.connection = None;
            }
        }
    }

    fn connection_mut(&mut self, id: u64) -> Option<&mut Connection> {
        self.connections.iter_mut().find(|c| c.id == id)
    }

    fn send(&self, connection: u64, out: Outbound) {
        if let Some(c) = self
            .connections
            .iter()
            .find(|c| c.id == connection && c.open)
        {
            // The task may have ended a moment ago; then there is nobody to tell.
            let _ = c.tx.send(out);
        }
    }

    /// Sends `out` to every open connection.
    pub fn send_all(&self, mut out: impl FnMut() -> Outbound) -> usize {
        let open: Vec<u64> = self
            .connections
            .iter()
            .filter(|c| c.open)
            .map(|c| c.id)
            .collect();
        for id in &open {
            self.send(*id, out());
        }
        open.len()
    }

    /// Numbers a dispatch in one session, keeps it for RESUME and writes it if connected.
    fn dispatch_to(&mut self, session: usize, event: &str, data: Value, errors: &super::Problems) {
        assert!(
            DISPATCH_EVENTS.contains(&event),
            "the fake dispatches {event}: add it to payloads::DISPATCH_EVENTS and to the payload test"
        );
        let session = &mut self.sessions[session];
        session.seq += 1;
        let frame = payloads::dispatch(event, session.seq, data);
        if let Err(problem) = check::gateway_frame(&frame) {
            errors.report(problem);
        }
        session.sent.push(frame.clone());
        if let Some(connection) = session.connection {
            self.send(connection, Outbound::Frame(frame));
        }
    }

    /// Sends a dispatch to every live session whose intents ask for it, the way Discord does
    /// (MESSAGE_CREATE and MESSAGE_UPDATE lose their content without MESSAGE_CONTENT).
    pub fn broadcast(&mut self, event: &str, data: &Value, bot_id: u64, errors: &super::Problems) {
        let guild = data.get("guild_id").and_then(snowflake);
        for index in 0..self.sessions.len() {
            let session = &self.sessions[index];
            if session.invalidated || guild.is_some_and(|g| !on_shard(session.shard, g)) {
                continue;
            }
            if let Some(data) = filter_for(event, data, session.intents, bot_id) {
                self.dispatch_to(index, event, data, errors);
            }
        }
    }

    fn session_index(&self, id: &str) -> Option<usize> {
        self.sessions.iter().position(|s| s.id == id)
    }
}

/// Discord's rule: a server's events go to shard `(guild_id >> 22) % total` only.
fn on_shard(shard: Option<[u32; 2]>, guild_id: u64) -> bool {
    shard.is_none_or(|[id, total]| (guild_id >> 22) % u64::from(total.max(1)) == u64::from(id))
}

fn snowflake(value: &Value) -> Option<u64> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| value.as_u64())
}

/// What a session with `intents` receives of a dispatch, if anything.
pub fn filter_for(event: &str, data: &Value, intents: u64, bot_id: u64) -> Option<Value> {
    let needed = match event {
        "GUILD_CREATE" | "THREAD_CREATE" | "THREAD_UPDATE" | "THREAD_DELETE" | "CHANNEL_UPDATE"
        | "CHANNEL_DELETE" => GUILDS,
        "THREAD_MEMBERS_UPDATE" => GUILDS | GUILD_MEMBERS,
        "GUILD_MEMBER_REMOVE" => GUILD_MEMBERS,
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE" => GUILD_MESSAGES,
        _ => 0,
    };
    if intents & needed != needed {
        return None;
    }
    let mut data = data.clone();
    let has_content = matches!(event, "MESSAGE_CREATE" | "MESSAGE_UPDATE");
    if has_content && intents & MESSAGE_CONTENT == 0 {
        let bot = bot_id.to_string();
        let own = data["author"]["id"].as_str() == Some(bot.as_str());
        let mentioned = data["mentions"]
            .as_array()
            .is_some_and(|m| m.iter().any(|u| u["id"].as_str() == Some(bot.as_str())));
        if !own && !mentioned {
            data["content"] = Value::String(String::new());
            data["embeds"] = Value::Array(Vec::new());
            data["attachments"] = Value::Array(Vec::new());
            data["components"] = Value::Array(Vec::new());
        }
    }
    Some(data)
}

/// Runs one websocket connection until either side ends it or the fake shuts down.
pub async fn serve_connection(shared: Arc<Shared>, mut socket: WebSocket, query: String) {
    let (tx, mut rx) = unbounded_channel();
    let connection = lock(&shared.gateway).register(query, tx.clone());
    shared.changed();
    let mut shutdown = shared.shutdown.subscribe();
    let hello = payloads::hello(shared.heartbeat_interval.as_millis() as u64);
    let _ = tx.send(Outbound::Frame(hello));
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => handle_text(&shared, connection, text.as_str()),
                Some(Ok(Message::Binary(_))) => {
                    let _ = tx.send(Outbound::Close(CLOSE_DECODE_ERROR, "Error while decoding payload.".into()));
                }
                Some(Ok(Message::Close(_))) => {
                    // Reading on drives out tungstenite's queued reply, so the client sees its
                    // close answered; sending a close of our own would fail here.
                    let _ = tokio::time::timeout(Duration::from_secs(1), async {
                        while let Some(Ok(_)) = socket.recv().await {}
                    })
                    .await;
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            outgoing = rx.recv() => match outgoing {
                Some(Outbound::Frame(frame)) => {
                    shared.record_frame(connection, Direction::ToBot, frame.clone());
                    if socket.send(Message::Text(frame.to_string().into())).await.is_err() {
                        break;
                    }
                }
                Some(Outbound::Close(code, reason)) => {
                    close(&mut socket, code, reason).await;
                    break;
                }
                Some(Outbound::Drop) | None => break,
            },
            _ = shutdown.changed() => break,
        }
    }
    lock(&shared.gateway).unregister(connection);
    shared.changed();
}

/// Sends a close frame and waits briefly for the client's answer.
async fn close(socket: &mut WebSocket, code: u16, reason: String) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

fn handle_text(shared: &Arc<Shared>, connection: u64, text: &str) {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        lock(&shared.gateway).send(
            connection,
            Outbound::Close(CLOSE_DECODE_ERROR, "Error while decoding payload.".into()),
        );
        return;
    };
    shared.record_frame(connection, Direction::FromBot, payload.clone());
    let op = payload.get("op").and_then(Value::as_u64);
    let d = &payload["d"];
    match op {
        Some(1) => {
            lock(&shared.gateway).send(connection, Outbound::Frame(payloads::heartbeat_ack()))
        }
        Some(2) => identify(shared, connection, d),
        Some(6) => resume(shared, connection, d),
        // Presence update, voice state, request guild members, request soundboard sounds.
        Some(3 | 4 | 8 | 31) => {}
        _ => lock(&shared.gateway).send(
            connection,
            Outbound::Close(CLOSE_UNKNOWN_OPCODE, "Unknown opcode.".into()),
        ),
    }
}

fn token_ok(shared: &Shared, token: Option<&str>) -> bool {
    let token = token.unwrap_or_default();
    token.strip_prefix("Bot ").unwrap_or(token) == shared.token
}

fn identify(shared: &Arc<Shared>, connection: u64, d: &Value) {
    let intents = d.get("intents").and_then(Value::as_u64).unwrap_or(0);
    let shard = d.get("shard").and_then(|s| {
        let s = s.as_array()?;
        Some([s.first()?.as_u64()? as u32, s.get(1)?.as_u64()? as u32])
    });
    let refusal = if !token_ok(shared, d.get("token").and_then(Value::as_str)) {
        Some((CLOSE_AUTHENTICATION_FAILED, "Authentication failed."))
    } else if intents & !KNOWN_INTENTS != 0 {
        Some((CLOSE_INVALID_INTENTS, "Invalid intent(s)."))
    } else if shared.refuses_privileged_intents() && intents & PRIVILEGED != 0 {
        Some((CLOSE_DISALLOWED_INTENTS, "Disallowed intent(s)."))
    } else if shard.is_some_and(|[id, total]| total == 0 || id >= total) {
        Some((CLOSE_INVALID_SHARD, "Invalid shard."))
    } else {
        None
    };
    let world = lock(&shared.world);
    let mut gateway = lock(&shared.gateway);
    if gateway
        .connections
        .iter()
        .any(|c| c.id == connection && c.session.is_some())
    {
        gateway.send(
            connection,
            Outbound::Close(CLOSE_ALREADY_AUTHENTICATED, "Already authenticated.".into()),
        );
        return;
    }
    if let Some((code, reason)) = refusal {
        gateway.send(connection, Outbound::Close(code, reason.into()));
        return;
    }
    let session_id = format!(
        "fake{:028x}",
        (gateway.sessions.len() as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ world.created_ms
    );
    let ready = payloads::ready(
        &world,
        &session_id,
        &shared.gateway_url,
        shard,
        !shared.refuses_privileged_intents(),
    );
    let guild = payloads::guild_create(&world, intents & GUILD_MEMBERS != 0);
    gateway.sessions.push(Session {
        id: session_id.clone(),
        seq: 0,
        intents,
        shard,
        connection: Some(connection),
        sent: Vec::new(),
        invalidated: false,
        resumes: 0,
    });
    if let Some(c) = gateway.connection_mut(connection) {
        c.session = Some(session_id);
    }
    let index = gateway.sessions.len() - 1;
    gateway.dispatch_to(index, "READY", ready, &shared.problems);
    if intents & GUILDS != 0 && on_shard(shard, world.guild_id) {
        gateway.dispatch_to(index, "GUILD_CREATE", guild, &shared.problems);
    }
    drop(gateway);
    drop(world);
    shared.changed();
}

fn resume(shared: &Arc<Shared>, connection: u64, d: &Value) {
    let mut gateway = lock(&shared.gateway);
    if !token_ok(shared, d.get("token").and_then(Value::as_str)) {
        gateway.send(
            connection,
            Outbound::Close(CLOSE_AUTHENTICATION_FAILED, "Authentication failed.".into()),
        );
        return;
    }
    let session_id = d
        .get("session_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let seq = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let Some(index) = gateway
        .session_index(session_id)
        .filter(|i| !gateway.sessions[*i].invalidated)
    else {
        gateway.send(
            connection,
            Outbound::Frame(payloads::invalid_session(false)),
        );
        return;
    };
    // The session moves to this connection; an old one still open is closed like Discord does.
    if let Some(old) = gateway.sessions[index]
        .connection
        .filter(|c| *c != connection)
    {
        gateway.send(old, Outbound::Close(4009, "Session timed out.".into()));
    }
    let missed: Vec<Value> = gateway.sessions[index]
        .sent
        .iter()
        .filter(|f| f["s"].as_u64().is_some_and(|s| s > seq))
        .cloned()
        .collect();
    gateway.sessions[index].connection = Some(connection);
    gateway.sessions[index].resumes += 1;
    if let Some(c) = gateway.connection_mut(connection) {
        c.session = Some(session_id.to_string());
    }
    for frame in missed {
        gateway.send(connection, Outbound::Frame(frame));
    }
    gateway.dispatch_to(index, "RESUMED", payloads::resumed(), &shared.problems);
    drop(gateway);
    shared.changed();
}

/// Closes every open connection with `code`.
pub fn close_all(shared: &Shared, code: u16, reason: &str) -> usize {
    lock(&shared.gateway).send_all(|| Outbound::Close(code, reason.to_string()))
}

/// Ends every open connection without a close frame.
pub fn drop_all(shared: &Shared) -> usize {
    lock(&shared.gateway).send_all(|| Outbound::Drop)
}

/// Sends a raw frame (op 7, op 9, op 1...) to every open connection.
pub fn send_frame_all(shared: &Shared, frame: &Value) -> usize {
    lock(&shared.gateway).send_all(|| Outbound::Frame(frame.clone()))
}

/// Marks every session invalid (a later RESUME gets op 9 false) and tells open connections.
pub fn invalidate_sessions(shared: &Shared, resumable: bool) -> usize {
    let mut gateway = lock(&shared.gateway);
    if !resumable {
        for session in &mut gateway.sessions {
            session.invalidated = true;
        }
    }
    gateway.send_all(|| Outbound::Frame(payloads::invalid_session(resumable)))
}
