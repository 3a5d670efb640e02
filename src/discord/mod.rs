//! The Discord adapter: poise commands and a message handler around the pure core. Sessions
//! live in threads; their state is rebuilt from the store, so a restart loses nothing.

mod checks;
mod clock;
mod commands;
mod conversation;
mod delivery;
mod error;
mod lease;
mod opening;
mod render;
mod text;

pub use error::{BotError, StartError};
pub use render::{debrief_embeds, split};

use crate::config::{Config, DISCORD_API};
use crate::persona::LoadReport;
use crate::store::{Location, Store};
use conversation::Sessions;
use poise::serenity_prelude as serenity;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tracing::{debug, error, info, warn};

/// Everything a command or the message handler needs; one per bot.
pub struct Data {
    pub config: Config,
    personas: RwLock<Arc<LoadReport>>,
    pub store: Arc<dyn Store>,
    sessions: Sessions,
    sweeping: AtomicBool,
    /// Held while a debrief is stored as ended and posted, so that the sweeper never posts
    /// one that the ending path is still posting.
    posting: tokio::sync::Mutex<()>,
}

impl Data {
    pub fn new(config: Config, personas: LoadReport, store: Arc<dyn Store>) -> Data {
        Data {
            config,
            personas: RwLock::new(Arc::new(personas)),
            store,
            sessions: Sessions::default(),
            sweeping: AtomicBool::new(false),
            posting: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether this process answers in `guild_id`: always, unless the shards are split
    /// across processes.
    pub fn owns(&self, guild_id: u64) -> bool {
        self.config
            .discord
            .shards
            .is_none_or(|shards| shards.owns(guild_id))
    }

    /// The personas as last loaded.
    pub fn personas(&self) -> Arc<LoadReport> {
        Arc::clone(
            &self
                .personas
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Reloads the persona folder. A file that no longer passes the check keeps its last good
    /// version; the report lists every error.
    pub fn reload_personas(&self) -> Result<Arc<LoadReport>, crate::persona::PersonaError> {
        let mut fresh = crate::personas::load_dir(&self.config.personas.dir)?;
        let old = self.personas();
        for rejected in &fresh.rejected {
            if fresh.get(&rejected.id).is_none()
                && let Some(kept) = old.get(&rejected.id)
            {
                fresh.personas.push(Arc::clone(kept));
            }
        }
        let fresh = Arc::new(fresh);
        *self
            .personas
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::clone(&fresh);
        Ok(fresh)
    }

    fn typing_delay(&self) -> Duration {
        Duration::from_millis(self.config.discord.typing_delay_ms)
    }
}

pub type Context<'a> = poise::Context<'a, Arc<Data>, BotError>;

/// Exactly the permissions the bot asks for in its invite link (see README.md).
pub const PERMISSIONS: serenity::Permissions = serenity::Permissions::VIEW_CHANNEL
    .union(serenity::Permissions::SEND_MESSAGES)
    .union(serenity::Permissions::SEND_MESSAGES_IN_THREADS)
    .union(serenity::Permissions::CREATE_PUBLIC_THREADS)
    .union(serenity::Permissions::CREATE_PRIVATE_THREADS)
    .union(serenity::Permissions::EMBED_LINKS)
    .union(serenity::Permissions::READ_MESSAGE_HISTORY);

/// How many recent messages per channel serenity's cache keeps: enough for a burst of a
/// trainee's messages to be answered in gateway order (`conversation::turn`), few enough
/// that ten thousand open threads cost little memory.
const RECENT_MESSAGES: usize = 8;

fn cache_settings() -> serenity::cache::Settings {
    let mut settings = serenity::cache::Settings::default();
    settings.max_messages = RECENT_MESSAGES;
    settings
}

/// The intents the bot needs: guild events, messages, and their content.
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT
}

/// The HTTP client every request goes through. Its default allowed mentions are empty, so no
/// message the bot sends can ping anyone, whoever builds it.
pub fn http_client(token: &str, api_url: &str) -> serenity::Http {
    let mut builder = serenity::HttpBuilder::new(token)
        .default_allowed_mentions(serenity::CreateAllowedMentions::new());
    if api_url.trim_end_matches('/') != DISCORD_API {
        // serenity only honours a proxy with its own rate limiter off; the proxy limits instead.
        builder = builder.proxy(api_url).ratelimiter_disabled(true);
    }
    builder.build()
}

/// Runs the bot until SIGINT or SIGTERM.
pub async fn run(config: Config, token: Option<String>) -> Result<(), StartError> {
    run_until(config, token, shutdown_signal()).await
}

/// Runs the bot until `stop` completes, then disconnects cleanly.
pub async fn run_until(
    config: Config,
    token: Option<String>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let token = token
        .filter(|t| !t.trim().is_empty())
        .ok_or(StartError::MissingToken)?;
    let store = Location::parse(&config.storage.url)?.open().await?;
    run_with_store(config, token, store, stop).await
}

/// Runs the bot on a given store until `stop` completes (tests use a store that fails).
pub async fn run_with_store(
    config: Config,
    token: String,
    store: Arc<dyn Store>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let personas = crate::personas::load_dir(&config.personas.dir)?;
    for e in &personas.errors {
        warn!(%e, "persona file skipped");
    }
    if personas.personas.is_empty() {
        return Err(StartError::NoPersonas);
    }

    let http = http_client(&token, &config.discord.api_url);
    match http.get_current_user().await {
        Ok(user) => info!(bot = %user.name, "token accepted"),
        Err(serenity::Error::Http(e))
            if e.status_code() == Some(serenity::StatusCode::UNAUTHORIZED) =>
        {
            return Err(StartError::TokenRejected);
        }
        Err(e) => return Err(e.into()),
    }

    let mut stop = Box::pin(stop);
    let lease = Arc::new(lease::Lease::new(
        Arc::clone(&store),
        Duration::from_secs_f64(config.storage.lease_seconds),
        config.discord.shards,
    ));
    tokio::select! {
        taken = lease.acquire() => taken?,
        () = &mut stop => return Ok(()),
    }

    let open = store.open_sessions().await?;
    let data = Arc::new(Data::new(config.clone(), personas, store));
    data.sessions.remember(
        open.iter()
            .filter(|s| data.owns(s.guild_id))
            .map(|s| s.thread_id),
    );
    let guild = config.discord.guild_id;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |e| Box::pin(on_error(e)),
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            allowed_mentions: Some(serenity::CreateAllowedMentions::new()),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                match guild {
                    Some(id) => {
                        poise::builtins::register_in_guild(
                            ctx,
                            commands,
                            serenity::GuildId::new(id),
                        )
                        .await?
                    }
                    None => poise::builtins::register_globally(ctx, commands).await?,
                }
                info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected");
                Ok(data)
            })
        })
        .build();

    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .cache_settings(cache_settings())
        .framework(framework)
        .await?;
    let shards = Arc::clone(&client.shard_manager);
    let held = Arc::clone(&lease);
    let lost = Arc::new(AtomicBool::new(false));
    let lost_it = Arc::clone(&lost);
    let stopping = tokio::spawn(async move {
        tokio::select! {
            () = stop => info!("shutting down"),
            () = held.hold() => {
                lost_it.store(true, Ordering::SeqCst);
                warn!("another process took the lease over; stopping so that no message is answered twice");
            }
        }
        shards.shutdown_all().await;
    });
    let result = match config.discord.shards {
        // serenity's range is inclusive at both ends, like ours.
        Some(shards) => {
            client
                .start_shard_range(shards.first..shards.last, shards.total)
                .await
        }
        None => client.start().await,
    };
    stopping.abort();
    if lost.load(Ordering::SeqCst) {
        return Err(StartError::LeaseLost);
    }
    lease.release().await;
    match result {
        Ok(()) => Ok(()),
        Err(serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication)) => {
            Err(StartError::TokenRejected)
        }
        Err(serenity::Error::Gateway(
            serenity::GatewayError::DisallowedGatewayIntents
            | serenity::GatewayError::InvalidGatewayIntents,
        )) => Err(StartError::MessageContentRefused),
        Err(e) => Err(e.into()),
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                warn!(%e, "cannot listen for SIGTERM; only SIGINT stops the bot");
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// Every `sweep_seconds`: catch up, resend, expire idle sessions, close rounds that are due.
async fn sweeper(http: Arc<serenity::Http>, data: Arc<Data>) {
    let mut every = tokio::time::interval(Duration::from_secs(
        data.config.sessions.sweep_seconds.max(1),
    ));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        conversation::sweep(&http, &data).await;
        commands::close_due_rounds(&http, &data).await;
    }
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Arc<Data>, BotError>,
    event: &serenity::FullEvent,
) -> Result<(), BotError> {
    let (ctx, data) = (framework.serenity_context, framework.user_data);
    match event {
        serenity::FullEvent::Message { new_message } => {
            conversation::on_message(ctx, data, new_message).await?
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(press),
        } => commands::on_button(ctx, data, press).await?,
        serenity::FullEvent::MessageUpdate { event, .. } => {
            let author = event.author.as_ref().map(|a| a.id.get());
            conversation::on_edit(data, event.channel_id.get(), event.id.get(), author).await?;
        }
        // READY comes at every fresh (re)connection, after which missed messages must be
        // fetched; a resumed connection replays them itself.
        serenity::FullEvent::Ready { .. } => {
            conversation::catch_up_all(&ctx.http, data).await;
            if !data.sweeping.swap(true, Ordering::SeqCst) {
                tokio::spawn(sweeper(Arc::clone(&ctx.http), Arc::clone(data)));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Member mistakes are answered; everything else is logged and answered with an apology.
/// Errors the way robbb keeps them: what the member can fix is told to them, ephemerally and
/// in their language; what is ours is logged with its cause, and the member only hears that
/// it was logged. Nothing internal reaches a member verbatim.
async fn on_error(error: poise::FrameworkError<'_, Arc<Data>, BotError>) {
    use poise::FrameworkError as E;
    let (ctx, message) = match error {
        E::Command { error, ctx, .. }
        | E::CommandCheckFailed {
            error: Some(error),
            ctx,
            ..
        } => {
            let message = match &error {
                BotError::User(message) => message.clone(),
                other => {
                    error!(command = %ctx.command().qualified_name, error = %other, "command failed");
                    text::say(ctx.locale(), text::Say::Failed).to_string()
                }
            };
            (ctx, message)
        }
        E::ArgumentParse {
            error, input, ctx, ..
        } => {
            debug!(command = %ctx.command().qualified_name, %error, "an option could not be read");
            let input = input.unwrap_or_default();
            let said = text::say_with(ctx.locale(), text::Say::BadOption, &[("input", input)]);
            (ctx, said)
        }
        E::CommandStructureMismatch {
            description, ctx, ..
        } => {
            warn!(command = %ctx.command().qualified_name, description, "a command as the member's Discord has it differs from ours");
            let ctx = poise::Context::Application(ctx);
            (ctx, text::say(ctx.locale(), text::Say::StaleCommand).into())
        }
        E::GuildOnly { ctx, .. } => (ctx, text::say(ctx.locale(), text::Say::ServerOnly).into()),
        E::MissingBotPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            warn!(command = %ctx.command().qualified_name, missing = %missing_permissions, "the bot lacks permissions");
            let said = text::say_with(
                ctx.locale(),
                text::Say::BotLacksPermissions,
                &[("permissions", missing_permissions.to_string())],
            );
            (ctx, said)
        }
        E::EventHandler { error, event, .. } => {
            return error!(event = event.snake_case_name(), %error, "event handling failed");
        }
        E::UnknownInteraction { interaction, .. } => {
            return warn!(command = %interaction.data.name, "a command this version does not have; registered by another one?");
        }
        other => {
            error!(error = %other, "framework error");
            match other.ctx() {
                Some(ctx) => (ctx, text::say(ctx.locale(), text::Say::Failed).to_string()),
                None => return,
            }
        }
    };
    let reply = poise::CreateReply::default()
        .content(message)
        .ephemeral(true);
    if let Err(e) = ctx.send(reply).await {
        error!(%e, "could not tell the member about an error");
    }
}
