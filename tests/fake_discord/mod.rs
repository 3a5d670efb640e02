//! A fake Discord for the integration tests: REST under `/api/v10` and the gateway websocket
//! at `/gateway`, served by one axum server on 127.0.0.1, with one guild that has a
//! "training" channel, a "coaches" channel, a "Coach" role and a few members.
//!
//! Point the bot's serenity client at [`FakeDiscord::base_url`] with
//! `HttpBuilder::new(token).proxy(base_url).ratelimiter_disabled(true)`; serenity then asks
//! `GET /api/v10/gateway` for the websocket URL, which points back here. Started with
//! [`FakeDiscord::start_https`], the fake is also reached as production reaches Discord:
//! through `https://discord.com` and a `wss://` gateway (see `https.rs`).
//!
//! The fake records every request and gateway frame, behaves like Discord where the bot can
//! tell (ids, timestamps, intents, interaction deadlines, message limits, permissions), and
//! checks every payload it sends against serenity's model types: a payload serenity could not
//! read is a protocol error that fails the test when the fake is dropped.
//!
//! Like Discord, and worth knowing when writing a test:
//! - the bot's own messages (and non-ephemeral interaction responses) come back to it as
//!   MESSAGE_CREATE; a public thread created without a message posts a type-18 "thread
//!   created" system message in its parent ([`FakeDiscord::messages_in`] leaves those out);
//! - a session without the MESSAGE_CONTENT intent gets MESSAGE_CREATE with empty content
//!   unless the bot is mentioned; without GUILD_MEMBERS, GUILD_CREATE holds only the bot's
//!   member;
//! - every identified session receives every dispatch: stop an old client before starting
//!   the next, or both answer;
//! - a user's message is stored whether or not a session is connected: a session whose
//!   socket is gone gets it on RESUME, a new client finds it with GET messages `after`
//!   (newest first, like every message list);
//! - a message posted in an archived thread unarchives it (THREAD_UPDATE), unless the thread
//!   is locked: then the bot's POST gets 403 50083 "Thread is archived";
//! - the first interaction callback must come within `Config::interaction_deadline` (3 s) and
//!   only once; after a deferred response the first follow-up replaces the "thinking" message;
//! - REST bodies get Discord's limits (2000 characters, embed limits, command names,
//!   localisation locales...) and Discord's 400 / 403 / 404 bodies.
//!
//! Files: `mod.rs` setup and shared state; `drive.rs` what tests make users do and gateway
//! faults; `moderation.rs` edits, deletes, members leaving, threads archived or deleted;
//! `inspect.rs` reading and waiting; `gateway.rs` the websocket; `rest/` the HTTP routes;
//! `model.rs` the guild's state; `payloads.rs` every JSON body sent; `check.rs` the
//! serenity-type checks; `validate.rs` Discord's limits; `faults.rs` injected REST failures
//! (error statuses, held-back answers, cut connections); `record.rs` the request and frame log;
//! `https.rs` the HTTPS front (a throwaway CA, a CONNECT proxy for discord.com, TLS for the
//! gateway).
//!
//! ```ignore
//! let fake = FakeDiscord::start().await;
//! // start the bot against fake.base_url() with fake.token() ...
//! assert!(fake.wait_for_commands(&["practice"], Duration::from_secs(10)).await);
//! let interaction = fake.slash_command("practice", json!({}), &fake.trainee(), fake.training_channel());
//! let reply = fake.wait_for_interaction_response(interaction, Duration::from_secs(5)).await;
//! ```

mod body;
pub mod check;
mod drive;
pub mod faults;
pub mod gateway;
pub mod https;
mod inspect;
pub mod model;
mod moderation;
pub mod payloads;
pub mod record;
mod rest;
pub mod validate;

pub use faults::{Effect, Fault, Faults};
pub use https::HttpsFront;
pub use model::{Channel, Command, FakeUser, InteractionResponse, ResponseKind, StoredMessage};
pub use record::{Direction, GatewayFrame, Recorded, contains_text, find_all};

use gateway::GatewayState;
use model::World;
use serde_json::Value;
use serenity::model::permissions::Permissions;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The token the fake accepts unless configured otherwise. It has the three dot-separated
/// parts `serenity::utils::validate_token` wants, and is obviously not a real token.
pub const FAKE_TOKEN: &str = "fake.sceptic-test-token.not-a-real-secret";

/// How the fake behaves; `Config::default()` is what [`FakeDiscord::start`] uses.
#[derive(Clone, Debug)]
pub struct Config {
    /// The bot token the fake accepts (REST `Authorization: Bot <token>`, gateway IDENTIFY).
    pub token: String,
    /// Sent in HELLO. Short enough that heartbeats happen in tests.
    pub heartbeat_interval: Duration,
    /// How long after INTERACTION_CREATE the first callback is accepted (Discord: 3 s).
    pub interaction_deadline: Duration,
    /// Close IDENTIFYs asking for privileged intents with 4014, as when the intent is off in
    /// the developer portal.
    pub refuse_privileged_intents: bool,
    /// The permissions of the bot's managed role.
    pub bot_permissions: Permissions,
    pub bot_name: String,
    /// Also serve behind an [`HttpsFront`] and hand out its `wss://` gateway, for a bot
    /// configured as in production.
    pub https: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: FAKE_TOKEN.to_string(),
            heartbeat_interval: Duration::from_secs(5),
            interaction_deadline: Duration::from_secs(3),
            refuse_privileged_intents: false,
            bot_permissions: model::default_bot_permissions(),
            bot_name: "Sceptic".to_string(),
            https: false,
        }
    }
}

/// Payloads the fake sent that serenity could not read. Reported loudly when found, and
/// failing the test when the fake is dropped.
#[derive(Debug, Default)]
pub struct Problems(Mutex<Vec<String>>);

impl Problems {
    pub fn report(&self, problem: String) {
        eprintln!("fake discord protocol error: {problem}");
        lock(&self.0).push(problem);
    }

    pub fn all(&self) -> Vec<String> {
        lock(&self.0).clone()
    }
}

/// Locks a mutex, carrying on after a panic elsewhere (the data is test bookkeeping).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// State shared by the server tasks and the test. Lock order: world, then gateway.
pub struct Shared {
    pub token: String,
    pub heartbeat_interval: Duration,
    pub interaction_deadline: Duration,
    refuse_privileged: AtomicBool,
    pub bot_id: u64,
    pub base_url: String,
    pub gateway_url: String,
    pub world: Mutex<World>,
    pub gateway: Mutex<GatewayState>,
    pub requests: Mutex<Vec<Recorded>>,
    pub frames: Mutex<Vec<GatewayFrame>>,
    pub faults: Faults,
    pub problems: Problems,
    changes: watch::Sender<u64>,
    pub shutdown: watch::Sender<bool>,
}

impl Shared {
    /// Wakes everyone waiting for a change.
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    pub fn refuses_privileged_intents(&self) -> bool {
        self.refuse_privileged.load(Ordering::SeqCst)
    }

    pub fn record_request(&self, mut request: Recorded) {
        let mut requests = lock(&self.requests);
        request.index = requests.len();
        requests.push(request);
        drop(requests);
        self.changed();
    }

    pub fn record_frame(&self, connection: u64, direction: Direction, payload: Value) {
        lock(&self.frames).push(GatewayFrame {
            connection,
            direction,
            payload,
            at: Instant::now(),
        });
        self.changed();
    }

    /// Dispatches an event to every session. Call with the world locked, never with the
    /// gateway locked.
    pub fn broadcast(&self, event: &str, data: &Value) {
        lock(&self.gateway).broadcast(event, data, self.bot_id, &self.problems);
    }

    /// Stores a message with Discord's bookkeeping ([`World::store_message`]) and dispatches
    /// what follows: THREAD_UPDATE when it unarchived its thread, then MESSAGE_CREATE unless it
    /// is ephemeral. Call with the world locked.
    pub fn post(&self, world: &mut World, message: StoredMessage) -> StoredMessage {
        let channel = message.channel_id;
        let archived = |world: &World| {
            world
                .channels
                .get(&channel)
                .and_then(|c| c.thread.as_ref())
                .is_some_and(|t| t.archived)
        };
        let was_archived = archived(world);
        let message = world.store_message(message);
        if was_archived && !archived(world) {
            let thread = payloads::channel(world, &world.channels[&channel], true);
            self.broadcast("THREAD_UPDATE", &thread);
        }
        if !message.ephemeral() {
            let data = payloads::message(world, &message, payloads::Via::Gateway);
            self.broadcast("MESSAGE_CREATE", &data);
        }
        message
    }
}

/// The fake Discord. Dropping it (or [`shutdown`](Self::shutdown)) stops the server and
/// ends every websocket.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: Option<JoinHandle<()>>,
    https: Option<HttpsFront>,
}

impl FakeDiscord {
    /// Starts the fake with [`Config::default`] on 127.0.0.1 and a free port.
    pub async fn start() -> Self {
        Self::start_with(Config::default()).await
    }

    /// Starts the fake behind its [`HttpsFront`], as production reaches Discord.
    pub async fn start_https() -> Self {
        Self::start_with(Config {
            https: true,
            ..Config::default()
        })
        .await
    }

    pub async fn start_with(config: Config) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind the fake Discord to 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let port = address.port();
        let https = if config.https {
            Some(HttpsFront::start(address).await)
        } else {
            None
        };
        let gateway_url = https.as_ref().map_or_else(
            || format!("ws://127.0.0.1:{port}/gateway"),
            HttpsFront::gateway_url,
        );
        let world = World::new(&config.bot_name, config.bot_permissions);
        let (shutdown, mut shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            token: config.token,
            heartbeat_interval: config.heartbeat_interval,
            interaction_deadline: config.interaction_deadline,
            refuse_privileged: AtomicBool::new(config.refuse_privileged_intents),
            bot_id: world.bot_id,
            base_url: format!("http://127.0.0.1:{port}"),
            gateway_url,
            world: Mutex::new(world),
            gateway: Mutex::new(GatewayState::default()),
            requests: Mutex::new(Vec::new()),
            frames: Mutex::new(Vec::new()),
            faults: Faults::default(),
            problems: Problems::default(),
            changes: watch::channel(0).0,
            shutdown,
        });
        let app = axum::Router::new()
            .route("/gateway", axum::routing::get(websocket))
            .fallback(rest::handle)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            let stop = async move {
                let _ = shutdown_rx.wait_for(|stop| *stop).await;
            };
            // Each request learns its connection, so a fault can cut it.
            let app = app.into_make_service_with_connect_info::<faults::Socket>();
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await;
        });
        FakeDiscord {
            shared,
            server: Some(server),
            https,
        }
    }

    /// Stops the server and ends every websocket, waiting up to five seconds for the server
    /// task to finish.
    pub async fn shutdown(mut self) {
        self.shared.shutdown.send_replace(true);
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
        }
    }

    // -----------------------------------------------------------------------------------------
    // Where things are

    /// `http://127.0.0.1:PORT`: give it to serenity's `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// What GET /gateway answers: `ws://127.0.0.1:PORT/gateway`, or the HTTPS front's
    /// `wss://` one.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url.clone()
    }

    /// The HTTPS front, when started with [`Config::https`].
    pub fn https(&self) -> Option<&HttpsFront> {
        self.https.as_ref()
    }

    /// The bot token the fake accepts.
    pub fn token(&self) -> String {
        self.shared.token.clone()
    }

    fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.shared.world)
    }

    pub fn guild_id(&self) -> u64 {
        self.world().guild_id
    }

    /// The practice channel, "training".
    pub fn training_channel(&self) -> u64 {
        self.world().training_channel
    }

    /// "coaches", where session summaries go.
    pub fn coach_channel(&self) -> u64 {
        self.world().coach_channel
    }

    /// "general": a text channel that is neither of the above.
    pub fn general_channel(&self) -> u64 {
        self.world().general_channel
    }

    pub fn coach_role(&self) -> u64 {
        self.world().coach_role
    }

    pub fn bot_user_id(&self) -> u64 {
        self.shared.bot_id
    }

    pub fn application_id(&self) -> u64 {
        self.world().application_id
    }

    /// A member without roles, ready-made.
    pub fn trainee(&self) -> FakeUser {
        self.world().trainee.clone()
    }

    /// Another member without roles, ready-made.
    pub fn other_member(&self) -> FakeUser {
        self.world().other_member.clone()
    }

    /// A member with the Coach role, ready-made.
    pub fn coach(&self) -> FakeUser {
        self.world().coach.clone()
    }

    /// Adds a guild member without roles. (Sessions already connected saw GUILD_CREATE
    /// without them, as with a member who joins later.)
    pub fn add_member(&self, name: &str) -> FakeUser {
        self.world().add_member(name, &[])
    }

    /// Adds a guild member with the Coach role.
    pub fn add_coach(&self, name: &str) -> FakeUser {
        let mut world = self.world();
        let role = world.coach_role;
        world.add_member(name, &[role])
    }

    /// The client locale of a user's interactions ("en-US" unless set), e.g. "nl".
    pub fn set_locale(&self, user: &FakeUser, locale: &str) {
        if let Some(entry) = self.world().users.get_mut(&user.id) {
            entry.locale = locale.to_string();
        }
    }

    /// Switches the "privileged intents are off in the portal" behaviour for later IDENTIFYs.
    pub fn set_refuse_privileged_intents(&self, refuse: bool) {
        self.shared
            .refuse_privileged
            .store(refuse, Ordering::SeqCst);
    }

    /// Injected REST failures.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Payloads the fake sent that serenity could not read (normally none).
    pub fn protocol_errors(&self) -> Vec<String> {
        self.shared.problems.all()
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.shared.shutdown.send_replace(true);
        let problems = self.shared.problems.all();
        if !problems.is_empty() && !std::thread::panicking() {
            panic!(
                "the fake Discord sent payloads serenity cannot read:\n{}",
                problems.join("\n\n")
            );
        }
    }
}

/// The axum handler for `/gateway`.
async fn websocket(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    uri: axum::http::Uri,
    upgrade: axum::extract::ws::WebSocketUpgrade,
) -> axum::response::Response {
    let query = uri.query().unwrap_or_default().to_string();
    upgrade
        .max_message_size(16 * 1024 * 1024)
        .on_upgrade(move |socket| gateway::serve_connection(shared, socket, query))
}
