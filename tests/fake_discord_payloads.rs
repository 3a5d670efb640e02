//! The fake Discord speaks serenity's language: every payload it can send deserialises into
//! serenity's own model types (a missing field fails here with the serde error, instead of
//! as a handler that silently never runs), and a real serenity `Client` connects to it,
//! receives READY and a MESSAGE_CREATE, answers an interaction and uses the REST endpoints.

use fake_discord::gateway::{self, MESSAGE_CONTENT};
use fake_discord::model::{
    FLAG_EPHEMERAL, InteractionState, MessageInteraction, PRIVATE_THREAD, PUBLIC_THREAD,
    ThreadSpec, World, default_bot_permissions, iso_timestamp, parse_mentions,
};
use fake_discord::payloads::{self, DISPATCH_EVENTS, Via};
use fake_discord::{Config, Effect, FakeDiscord, Recorded, ResponseKind};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use serenity::all::{
    CommandInteraction, CommandOptionType, CreateAllowedMentions, CreateAttachment,
    CreateAutocompleteResponse, CreateCommand, CreateCommandOption, CreateEmbed,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, CreateThread, GetMessages,
};
use serenity::client::{ClientBuilder, Context, EventHandler};
use serenity::http::{DiscordJsonError, HttpBuilder};
use serenity::model::application::{
    Command, CommandDataOptionValue, CurrentApplicationInfo, Interaction,
};
use serenity::model::channel::{Channel, ChannelType, GuildChannel, Message};
use serenity::model::event::{
    ChannelDeleteEvent, ChannelUpdateEvent, Event, GatewayEvent, GuildCreateEvent,
    GuildMemberRemoveEvent, InteractionCreateEvent, MessageCreateEvent, MessageDeleteEvent,
    MessageUpdateEvent, ReadyEvent, ResumedEvent, ThreadCreateEvent, ThreadDeleteEvent,
    ThreadMembersUpdateEvent, ThreadUpdateEvent,
};
use serenity::model::gateway::{BotGateway, Gateway, GatewayIntents, Ready};
use serenity::model::guild::{Member, PartialGuild, ThreadMember};
use serenity::model::id::{ChannelId, GuildId, UserId};
use serenity::model::user::CurrentUser;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(15);

/// Deserialises `value` as `T` or fails with serde's error and the payload.
fn read<T: DeserializeOwned>(what: &str, value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "{what} does not deserialise as {}: {e}\n{value:#}",
            std::any::type_name::<T>()
        )
    })
}

/// Reads a whole dispatch frame the way serenity's shard does and insists it is not the
/// `Event::Unknown` serenity falls back to for an unreadable payload.
fn read_frame(event: &str, data: &Value) -> Event {
    let frame = payloads::dispatch(event, 7, data.clone());
    match read::<GatewayEvent>(&format!("the {event} frame"), &frame) {
        GatewayEvent::Dispatch(7, Event::Unknown(unknown)) => {
            panic!(
                "serenity reads {event} as Event::Unknown:\n{:#}",
                unknown.value
            )
        }
        GatewayEvent::Dispatch(7, event) => event,
        other => panic!("{event} is not read as a dispatch: {other:?}"),
    }
}

/// A world with something of everything: commands, threads, messages, interactions.
struct Sample {
    world: World,
    public_thread: u64,
    private_thread: u64,
    user_message: u64,
    bot_reply: u64,
    interaction_message: u64,
    command: InteractionState,
    autocomplete: InteractionState,
    component: InteractionState,
}

fn practice_definition() -> Value {
    json!({
        "name": "practice",
        "description": "Practise with a sceptical customer",
        "description_localizations": { "nl": "Oefen met een sceptische klant" },
        "type": 1,
        "default_member_permissions": null,
        "contexts": [0],
        "options": [
            { "type": 3, "name": "persona", "description": "Who", "required": false, "autocomplete": true },
            { "type": 3, "name": "difficulty", "description": "How hard", "required": false,
              "choices": [{ "name": "easy", "value": "easy" }, { "name": "hard", "value": "hard" }] },
            { "type": 6, "name": "member", "description": "Whom", "required": false },
        ],
    })
}

fn sample() -> Sample {
    let mut world = World::new("Sceptic", default_bot_permissions());
    let guild = world.guild_id;
    world.overwrite_commands(Some(guild), &[practice_definition()]);
    world.overwrite_commands(
        None,
        &[json!({ "name": "personas", "description": "List the personas" })],
    );
    let thread = |kind, name: &str| ThreadSpec {
        parent_id: 0,
        name: name.to_string(),
        kind,
        owner_id: 0,
        auto_archive_duration: 1440,
        invitable: false,
        rate_limit_per_user: 0,
    };
    let (training, bot, trainee, coach) = (
        world.training_channel,
        world.bot_id,
        world.trainee.id,
        world.coach.id,
    );
    let public_thread = world.create_thread(&ThreadSpec {
        parent_id: training,
        owner_id: bot,
        ..thread(PUBLIC_THREAD, "practice: Tess")
    });
    let private_thread = world.create_thread(&ThreadSpec {
        parent_id: training,
        owner_id: bot,
        invitable: false,
        ..thread(PRIVATE_THREAD, "practice: Tess (private)")
    });
    world.join_thread(private_thread, trainee);

    let content = format!("@everyone <@{coach}> <@&{}> hello", world.coach_role);
    let mut message = world.new_message(public_thread, trainee, &content);
    let mentions = parse_mentions(&content);
    message.mention_everyone = mentions.everyone;
    message.mentions = mentions.users;
    message.mention_roles = mentions.roles;
    message.nonce = Some(json!("1234"));
    let user_message = world.store_message(message).id;

    let mut reply = world.new_message(public_thread, bot, "Fair enough, but what does it cost?");
    reply.kind = 19;
    reply.embeds = vec![json!({
        "type": "rich", "title": "Debrief", "description": "Trust 4/10", "color": 3066993,
        "fields": [{ "name": "Doubts", "value": "price", "inline": false }],
        "footer": { "text": "sceptic" }, "timestamp": iso_timestamp(world.created_ms),
    })];
    reply.components = vec![json!({ "type": 1, "components": [
        { "type": 2, "style": 1, "label": "Start", "custom_id": "round:start" }
    ]})];
    reply.message_reference = Some(json!({
        "type": 0, "message_id": user_message.to_string(),
        "channel_id": public_thread.to_string(), "guild_id": guild.to_string(),
    }));
    reply.mentions = vec![trainee];
    let bot_reply = world.store_message(reply).id;

    let interaction = |world: &mut World, kind: u8, name: &str, message_id: Option<u64>| {
        let id = world.ids.next_id();
        InteractionState {
            id,
            token: world.new_interaction_token(id),
            kind,
            name: name.to_string(),
            user_id: trainee,
            channel_id: training,
            message_id,
            created: Instant::now(),
            acknowledged: false,
            original_message_id: None,
            responses: Vec::new(),
            payload: Value::Null,
        }
    };
    let command = interaction(&mut world, 2, "practice", None);
    let autocomplete = interaction(&mut world, 4, "practice", None);
    let component = interaction(&mut world, 3, "round:start", Some(bot_reply));
    world.interactions.insert(command.id, command.clone());

    let mut answer = world.new_message(training, bot, "Your thread is ready");
    answer.kind = 20;
    answer.flags = FLAG_EPHEMERAL;
    answer.webhook_id = Some(world.application_id);
    answer.interaction = Some(MessageInteraction {
        id: command.id,
        kind: 2,
        name: "practice".into(),
        user_id: trainee,
    });
    let interaction_message = world.store_message(answer).id;
    world
        .interactions
        .get_mut(&command.id)
        .expect("inserted")
        .original_message_id = Some(interaction_message);

    Sample {
        world,
        public_thread,
        private_thread,
        user_message,
        bot_reply,
        interaction_message,
        command,
        autocomplete,
        component,
    }
}

/// One sample `d` for every dispatch the fake can send.
fn sample_dispatches(s: &Sample) -> BTreeMap<&'static str, Value> {
    let w = &s.world;
    let thread = &w.channels[&s.public_thread];
    let mut edited_channel = w.channels[&w.training_channel].clone();
    edited_channel.topic = Some("edited".into());
    let mut archived = w.channels[&s.private_thread].clone();
    if let Some(metadata) = archived.thread.as_mut() {
        (metadata.archived, metadata.locked) = (true, true);
    }
    let mut edited = w.messages[&s.user_message].clone();
    edited.content = "edited".into();
    edited.edited_ms = Some(w.created_ms + 1000);
    let command = w.command_named("practice").expect("registered");
    let data = payloads::command_data(
        w,
        command,
        vec![
            json!({ "name": "persona", "type": 3, "value": "anna" }),
            json!({ "name": "member", "type": 6, "value": w.coach.id.to_string() }),
        ],
    );
    let mut dispatches = BTreeMap::new();
    dispatches.insert(
        "READY",
        payloads::ready(
            w,
            "fake-session",
            "ws://127.0.0.1:1/gateway",
            Some([0, 1]),
            true,
        ),
    );
    dispatches.insert("RESUMED", payloads::resumed());
    dispatches.insert("GUILD_CREATE", payloads::guild_create(w, true));
    dispatches.insert(
        "MESSAGE_CREATE",
        payloads::message(w, &w.messages[&s.user_message], Via::Gateway),
    );
    dispatches.insert(
        "MESSAGE_UPDATE",
        payloads::message(w, &edited, Via::Gateway),
    );
    dispatches.insert(
        "MESSAGE_DELETE",
        payloads::message_delete(w, s.public_thread, s.user_message),
    );
    dispatches.insert(
        "INTERACTION_CREATE",
        payloads::interaction(w, &s.command, data, None),
    );
    dispatches.insert("THREAD_CREATE", payloads::thread_create(w, thread));
    dispatches.insert("THREAD_UPDATE", payloads::channel(w, &archived, true));
    dispatches.insert("THREAD_DELETE", payloads::thread_delete(w, thread));
    dispatches.insert(
        "CHANNEL_UPDATE",
        payloads::channel(w, &edited_channel, true),
    );
    dispatches.insert(
        "CHANNEL_DELETE",
        payloads::channel(w, &w.channels[&w.general_channel], true),
    );
    dispatches.insert(
        "GUILD_MEMBER_REMOVE",
        payloads::guild_member_remove(w, w.trainee.id),
    );
    dispatches.insert(
        "THREAD_MEMBERS_UPDATE",
        payloads::thread_members_update(w, s.private_thread, &[w.trainee.id]),
    );
    dispatches
}

#[test]
fn every_dispatch_reads_as_its_serenity_event() {
    let s = sample();
    let w = &s.world;
    let dispatches = sample_dispatches(&s);
    let covered: Vec<&str> = dispatches.keys().copied().collect();
    let mut listed = DISPATCH_EVENTS.to_vec();
    listed.sort_unstable();
    assert_eq!(
        covered, listed,
        "build a sample for every event in DISPATCH_EVENTS"
    );

    let ready = read::<ReadyEvent>("READY", &dispatches["READY"]).ready;
    assert_eq!(ready.user.id, UserId::new(w.bot_id));
    assert!(ready.user.bot);
    assert_eq!(ready.application.id.get(), w.application_id);
    assert_eq!(ready.guilds.len(), 1);
    assert!(ready.shard.is_some());
    read::<ResumedEvent>("RESUMED", &dispatches["RESUMED"]);

    let guild = read::<GuildCreateEvent>("GUILD_CREATE", &dispatches["GUILD_CREATE"]).guild;
    // serenity skips a guild channel it cannot read with only a log line: count them.
    assert_eq!(
        guild.channels.len(),
        3,
        "every channel survives deserialisation"
    );
    assert_eq!(guild.threads.len(), 2);
    assert_eq!(guild.members.len(), w.members.len());
    assert_eq!(guild.roles.len(), 3);
    let training = &guild.channels[&ChannelId::new(w.training_channel)];
    assert_eq!(
        (training.name.as_str(), training.kind),
        ("training", ChannelType::Text)
    );
    assert_eq!(training.guild_id, GuildId::new(w.guild_id));
    let coach = &guild.members[&UserId::new(w.coach.id)];
    assert!(coach.roles.iter().any(|r| r.get() == w.coach_role));
    assert_eq!(
        guild.roles[&serenity::model::id::RoleId::new(w.coach_role)].name,
        "Coach"
    );
    let bot_member =
        read::<GuildCreateEvent>("GUILD_CREATE", &payloads::guild_create(w, false)).guild;
    assert_eq!(
        bot_member.members.len(),
        1,
        "without GUILD_MEMBERS only the bot's member"
    );

    let message =
        read::<MessageCreateEvent>("MESSAGE_CREATE", &dispatches["MESSAGE_CREATE"]).message;
    assert_eq!(message.id.get(), s.user_message);
    assert_eq!(message.guild_id, Some(GuildId::new(w.guild_id)));
    assert!(message.member.is_some());
    assert!(message.mention_everyone);
    assert_eq!(message.mentions.len(), 1);
    assert_eq!(message.mention_roles.len(), 1);
    assert_eq!(message.position, Some(0));

    let interaction =
        read::<InteractionCreateEvent>("INTERACTION_CREATE", &dispatches["INTERACTION_CREATE"])
            .interaction;
    let Interaction::Command(command) = interaction else {
        panic!("INTERACTION_CREATE type 2 is not a command interaction");
    };
    assert_eq!(command.data.name, "practice");
    assert_eq!(
        command.user.id.get(),
        w.trainee.id,
        "the user comes from the member"
    );
    assert!(
        command
            .member
            .as_ref()
            .is_some_and(|m| m.permissions.is_some())
    );
    assert!(command.app_permissions.is_some());
    assert_eq!(
        command.data.options[0].value,
        CommandDataOptionValue::String("anna".into())
    );
    assert!(
        command
            .data
            .resolved
            .users
            .contains_key(&UserId::new(w.coach.id))
    );
    assert!(
        command
            .data
            .resolved
            .members
            .contains_key(&UserId::new(w.coach.id))
    );

    let thread = read::<ThreadCreateEvent>("THREAD_CREATE", &dispatches["THREAD_CREATE"]).thread;
    assert_eq!(thread.kind, ChannelType::PublicThread);
    assert_eq!(thread.parent_id, Some(ChannelId::new(w.training_channel)));
    assert!(thread.thread_metadata.is_some());
    let thread = read::<ThreadUpdateEvent>("THREAD_UPDATE", &dispatches["THREAD_UPDATE"]).thread;
    assert_eq!(thread.kind, ChannelType::PrivateThread);
    assert!(
        thread
            .thread_metadata
            .is_some_and(|m| m.archived && m.locked)
    );
    let deleted = read::<ThreadDeleteEvent>("THREAD_DELETE", &dispatches["THREAD_DELETE"]).thread;
    assert_eq!(
        (deleted.id.get(), deleted.parent_id.get(), deleted.kind),
        (
            s.public_thread,
            w.training_channel,
            ChannelType::PublicThread
        )
    );
    read::<ChannelUpdateEvent>("CHANNEL_UPDATE", &dispatches["CHANNEL_UPDATE"]);
    let gone = read::<ChannelDeleteEvent>("CHANNEL_DELETE", &dispatches["CHANNEL_DELETE"]);
    assert_eq!(gone.channel.id.get(), w.general_channel);

    let update = read::<MessageUpdateEvent>("MESSAGE_UPDATE", &dispatches["MESSAGE_UPDATE"]);
    assert_eq!(update.id.get(), s.user_message);
    assert_eq!(update.content.as_deref(), Some("edited"));
    assert!(update.edited_timestamp.is_some() && update.timestamp.is_some());
    assert!(update.author.is_some() && update.member.is_some());
    assert_eq!(update.guild_id, Some(GuildId::new(w.guild_id)));
    let removed = read::<MessageDeleteEvent>("MESSAGE_DELETE", &dispatches["MESSAGE_DELETE"]);
    assert_eq!(
        (removed.message_id.get(), removed.channel_id.get()),
        (s.user_message, s.public_thread)
    );
    assert_eq!(removed.guild_id, Some(GuildId::new(w.guild_id)));
    let left =
        read::<GuildMemberRemoveEvent>("GUILD_MEMBER_REMOVE", &dispatches["GUILD_MEMBER_REMOVE"]);
    assert_eq!(
        (left.guild_id.get(), left.user.id.get()),
        (w.guild_id, w.trainee.id)
    );
    let members = read::<ThreadMembersUpdateEvent>(
        "THREAD_MEMBERS_UPDATE",
        &dispatches["THREAD_MEMBERS_UPDATE"],
    );
    assert_eq!(members.added_members.len(), 1);

    for (event, data) in &dispatches {
        read_frame(event, data);
        // And the check the running fake applies to every frame it sends.
        fake_discord::check::dispatch_data(event, data).expect("the fake's own check agrees");
    }
}

#[test]
fn an_unreadable_dispatch_becomes_event_unknown_in_serenity() {
    // Why the fake checks every payload: serenity does not report a broken dispatch.
    let s = sample();
    let mut message = payloads::message(&s.world, &s.world.messages[&s.user_message], Via::Gateway);
    message.as_object_mut().expect("object").remove("timestamp");
    let frame = payloads::dispatch("MESSAGE_CREATE", 1, message.clone());
    let event = read::<GatewayEvent>("broken frame", &frame);
    assert!(
        matches!(event, GatewayEvent::Dispatch(_, Event::Unknown(_))),
        "got {event:?}"
    );
    let problem = fake_discord::check::gateway_frame(&frame).expect_err("the check notices");
    assert!(problem.contains("timestamp"), "{problem}");
}

#[test]
fn every_other_gateway_frame_reads_as_serenity_expects() {
    assert!(matches!(
        read::<GatewayEvent>("HELLO", &payloads::hello(41_250)),
        GatewayEvent::Hello(41_250)
    ));
    assert!(matches!(
        read::<GatewayEvent>("HEARTBEAT_ACK", &payloads::heartbeat_ack()),
        GatewayEvent::HeartbeatAck
    ));
    assert!(matches!(
        read::<GatewayEvent>("HEARTBEAT", &payloads::heartbeat_request()),
        GatewayEvent::Heartbeat { .. }
    ));
    assert!(matches!(
        read::<GatewayEvent>("RECONNECT", &payloads::reconnect()),
        GatewayEvent::Reconnect
    ));
    assert!(matches!(
        read::<GatewayEvent>("INVALID_SESSION", &payloads::invalid_session(true)),
        GatewayEvent::InvalidateSession(true)
    ));
}

#[test]
fn every_interaction_kind_reads_as_serenity_interaction() {
    let s = sample();
    let w = &s.world;
    let command = w.command_named("practice").expect("registered");
    let focused = json!({ "name": "persona", "type": 3, "value": "an", "focused": true });
    let data = payloads::command_data(w, command, vec![focused]);
    let autocomplete = payloads::interaction(w, &s.autocomplete, data, None);
    let Interaction::Autocomplete(autocomplete) =
        read::<Interaction>("autocomplete", &autocomplete)
    else {
        panic!("type 4 is not read as autocomplete");
    };
    assert_eq!(
        autocomplete.data.autocomplete().map(|a| a.value),
        Some("an")
    );

    let data = payloads::component_data("round:start", 2, None);
    let on = &w.messages[&s.bot_reply];
    let component = payloads::interaction(w, &s.component, data, Some(on));
    let Interaction::Component(component) = read::<Interaction>("component", &component) else {
        panic!("type 3 is not read as a component interaction");
    };
    assert_eq!(component.data.custom_id, "round:start");
    assert_eq!(component.message.id.get(), s.bot_reply);
    let command = read::<Interaction>(
        "command",
        &payloads::interaction(
            w,
            &s.command,
            json!({
                "id": command.id.to_string(), "name": "practice", "type": 1,
            }),
            None,
        ),
    );
    assert!(matches!(
        command,
        Interaction::Command(CommandInteraction { .. })
    ));
}

#[test]
fn every_rest_body_reads_as_its_serenity_type() {
    let s = sample();
    let w = &s.world;
    let gateway = read::<Gateway>(
        "GET /gateway",
        &payloads::gateway("ws://127.0.0.1:1/gateway"),
    );
    assert_eq!(gateway.url, "ws://127.0.0.1:1/gateway");
    let bot_gateway = read::<BotGateway>(
        "GET /gateway/bot",
        &payloads::gateway_bot("ws://127.0.0.1:1/gateway"),
    );
    assert_eq!(bot_gateway.shards, 1);
    let me = read::<CurrentUser>("GET /users/@me", &payloads::current_user(w));
    assert_eq!(me.id.get(), w.bot_id);
    assert!(me.discriminator.is_some(), "bots keep their tag");
    let app = read::<CurrentApplicationInfo>(
        "GET /oauth2/applications/@me",
        &payloads::application_info(w, true),
    );
    assert_eq!(app.id.get(), w.application_id);
    assert!(app.owner.is_some());

    let commands: Vec<Value> = w.commands.iter().map(|c| payloads::command(w, c)).collect();
    let commands = read::<Vec<Command>>("PUT commands", &Value::Array(commands));
    let practice = commands
        .iter()
        .find(|c| c.name == "practice")
        .expect("practice");
    assert_eq!(practice.guild_id, Some(GuildId::new(w.guild_id)));
    assert_eq!(practice.options.len(), 3);
    assert!(practice.options[0].autocomplete);
    assert_eq!(practice.options[2].kind, CommandOptionType::User);
    assert!(
        commands
            .iter()
            .any(|c| c.name == "personas" && c.guild_id.is_none())
    );

    for id in [w.training_channel, s.public_thread, s.private_thread] {
        let body = payloads::channel(w, &w.channels[&id], true);
        let channel = read::<GuildChannel>("a channel", &body);
        assert_eq!(channel.guild_id.get(), w.guild_id);
        assert!(matches!(
            read::<Channel>("GET /channels/{id}", &body),
            Channel::Guild(_)
        ));
    }
    let created = read::<GuildChannel>(
        "POST /channels/{id}/threads",
        &payloads::created_thread(w, &w.channels[&s.private_thread]),
    );
    assert_eq!(created.kind, ChannelType::PrivateThread);
    assert!(
        created.member.is_some()
            && created.member_count.is_some()
            && created.message_count.is_some()
    );
    read::<ThreadMember>(
        "a thread member",
        &payloads::thread_member(w, s.private_thread, w.trainee.id, false),
    );

    for id in [s.user_message, s.bot_reply, s.interaction_message] {
        let message = read::<Message>(
            "a REST message",
            &payloads::message(w, &w.messages[&id], Via::Rest),
        );
        assert_eq!(message.guild_id, None, "REST messages carry no guild_id");
    }
    let reply = read::<Message>(
        "a reply",
        &payloads::message(w, &w.messages[&s.bot_reply], Via::Rest),
    );
    assert!(reply.referenced_message.is_some());
    assert_eq!(reply.embeds[0].title.as_deref(), Some("Debrief"));
    assert_eq!(reply.components.len(), 1);
    let answer = read::<Message>(
        "an answer",
        &payloads::message(w, &w.messages[&s.interaction_message], Via::Gateway),
    );
    assert!(answer.interaction_metadata.is_some());
    assert!(answer.webhook_id.is_some());

    read::<Member>(
        "GET /guilds/{id}/members/{id}",
        &payloads::member(w, w.coach.id, true, false),
    );
    read::<PartialGuild>("GET /guilds/{id}", &payloads::guild(w));

    for (code, message) in [
        (10003, "Unknown Channel"),
        (10007, "Unknown Member"),
        (50083, "Thread is archived"),
    ] {
        let error = read::<DiscordJsonError>("an error", &payloads::error(code, message));
        assert_eq!(
            (error.code, error.message.as_str()),
            (code as isize, message)
        );
    }
    let form = read::<DiscordJsonError>(
        "a form error",
        &payloads::form_error(
            &["embeds", "0", "title"],
            "BASE_TYPE_MAX_LENGTH",
            "too long",
        ),
    );
    assert_eq!(form.errors[0].path, "embeds.0.title");
}

#[test]
fn the_small_helpers_behave() {
    assert_eq!(iso_timestamp(0), "1970-01-01T00:00:00.000000+00:00");
    assert_eq!(
        iso_timestamp(1_700_000_000_123),
        "2023-11-14T22:13:20.123000+00:00"
    );
    let mentions = parse_mentions("hi <@12> <@!13> <@&14> @here <@x> <@15");
    assert!(mentions.everyone);
    assert_eq!((mentions.users, mentions.roles), (vec![12, 13], vec![14]));
    assert!(fake_discord::record::route_matches(
        "/channels/{id}/messages",
        "/channels/5/messages"
    ));
    assert!(fake_discord::record::route_matches(
        "/webhooks/**",
        "/webhooks/1/abc/messages/@original"
    ));
    assert!(!fake_discord::record::route_matches(
        "/channels/*",
        "/channels/5/messages"
    ));

    let filtered = gateway::filter_for(
        "MESSAGE_CREATE",
        &json!({ "content": "secret", "author": { "id": "1" }, "mentions": [], "embeds": [] }),
        gateway::GUILD_MESSAGES,
        2,
    )
    .expect("GUILD_MESSAGES gets messages");
    assert_eq!(
        filtered["content"], "",
        "no MESSAGE_CONTENT intent, no content"
    );
    assert!(gateway::filter_for("MESSAGE_CREATE", &json!({}), gateway::GUILDS, 2).is_none());
    let kept = gateway::filter_for(
        "MESSAGE_CREATE",
        &json!({ "content": "hi", "author": { "id": "1" }, "mentions": [] }),
        gateway::GUILD_MESSAGES | MESSAGE_CONTENT,
        2,
    );
    assert_eq!(kept.expect("kept")["content"], "hi");

    let faults = fake_discord::Faults::default();
    faults.fail_next("POST", "/channels/*/messages", 502, 2);
    assert_eq!(
        faults
            .take("POST", "/channels/1/messages")
            .map(|f| f.status),
        Some(502)
    );
    assert!(faults.take("GET", "/channels/1/messages").is_none());
    assert!(faults.take("POST", "/channels/1/messages").is_some());
    assert!(
        faults.take("POST", "/channels/1/messages").is_none(),
        "used up"
    );
    let second = Duration::from_secs(1);
    faults.delay_response_next("POST", "/channels/*/messages", second, 1);
    faults.drop_connection_next("*", "/guilds/**", 1);
    assert_eq!(
        faults
            .take("POST", "/channels/1/messages")
            .map(|f| f.effect),
        Some(Effect::Delay(second))
    );
    assert_eq!(
        faults.take("GET", "/guilds/1/members/2").map(|f| f.effect),
        Some(Effect::DropConnection)
    );
    assert!(faults.pending().is_empty());
}

// -------------------------------------------------------------------------------------------
// A real serenity client against the running fake

#[derive(Debug)]
enum Seen {
    Ready(Box<Ready>),
    Message(Box<Message>),
    Updated(Box<MessageUpdateEvent>),
    /// (channel, message)
    Deleted(u64, u64),
    Interaction(u64),
}

struct Handler(mpsc::UnboundedSender<Seen>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, ready: Ready) {
        let _ = self.0.send(Seen::Ready(Box::new(ready)));
    }

    async fn message(&self, _: Context, message: Message) {
        let _ = self.0.send(Seen::Message(Box::new(message)));
    }

    async fn message_update(
        &self,
        _: Context,
        _: Option<Message>,
        _: Option<Message>,
        event: MessageUpdateEvent,
    ) {
        let _ = self.0.send(Seen::Updated(Box::new(event)));
    }

    async fn message_delete(
        &self,
        _: Context,
        channel: ChannelId,
        message: serenity::model::id::MessageId,
        _: Option<GuildId>,
    ) {
        let _ = self.0.send(Seen::Deleted(channel.get(), message.get()));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => {
                let reply = CreateInteractionResponseMessage::new()
                    .content("pong")
                    .ephemeral(true);
                command
                    .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
                    .await
                    .expect("the callback is accepted");
                command
                    .create_followup(
                        &ctx.http,
                        CreateInteractionResponseFollowup::new().content("and a follow-up"),
                    )
                    .await
                    .expect("the follow-up is accepted");
                let _ = self.0.send(Seen::Interaction(command.id.get()));
            }
            Interaction::Autocomplete(autocomplete) => {
                let choices = CreateAutocompleteResponse::new().add_string_choice("Anna", "anna");
                autocomplete
                    .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(choices))
                    .await
                    .expect("the choices are accepted");
                let _ = self.0.send(Seen::Interaction(autocomplete.id.get()));
            }
            _ => {}
        }
    }
}

async fn next_event(
    events: &mut mpsc::UnboundedReceiver<Seen>,
    what: &str,
    wanted: impl Fn(&Seen) -> bool,
) -> Seen {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(event)) if wanted(&event) => return event,
            Ok(Some(_)) => {}
            Ok(None) => panic!("the client stopped before {what}"),
            Err(_) => panic!("no {what} within {WAIT:?}"),
        }
    }
}

struct RunningClient {
    http: std::sync::Arc<serenity::http::Http>,
    events: mpsc::UnboundedReceiver<Seen>,
    shards: std::sync::Arc<serenity::gateway::ShardManager>,
    task: tokio::task::JoinHandle<Result<(), serenity::Error>>,
}

impl RunningClient {
    async fn start(fake: &FakeDiscord, token: &str, intents: GatewayIntents) -> Self {
        let http = http_client(fake, token);
        let (tx, events) = mpsc::unbounded_channel();
        let mut client = ClientBuilder::new_with_http(http, intents)
            .event_handler(Handler(tx))
            .await
            .expect("the client builds against the fake");
        let http = std::sync::Arc::clone(&client.http);
        let shards = std::sync::Arc::clone(&client.shard_manager);
        let task = tokio::spawn(async move { client.start().await });
        RunningClient {
            http,
            events,
            shards,
            task,
        }
    }

    async fn stop(self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.shards.shutdown_all()).await;
        self.task.abort();
    }
}

/// serenity's REST client pointed at the fake, as the bot builds it.
fn http_client(fake: &FakeDiscord, token: &str) -> serenity::http::Http {
    HttpBuilder::new(token)
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .default_allowed_mentions(CreateAllowedMentions::new())
        .build()
}

/// The status and Discord error code of a refused request.
fn refusal(result: Result<impl std::fmt::Debug, serenity::Error>) -> (u16, isize) {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response))) => {
            (response.status_code.as_u16(), response.error.code)
        }
        other => panic!("expected Discord to refuse, got {other:?}"),
    }
}

/// serenity's own logs, with `RUST_LOG=serenity=debug` when a test needs them.
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_serenity_client_gets_ready_and_hears_a_message() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = RunningClient::start(&fake, &fake.token(), intents()).await;

    let Seen::Ready(ready) =
        next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await
    else {
        unreachable!()
    };
    assert_eq!(ready.user.id.get(), fake.bot_user_id());
    // All a bare serenity client asks at startup: the gateway URL, then `?v=10` on the socket.
    let startup: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(startup, vec!["GET /gateway".to_string()]);
    assert_eq!(fake.gateway_connection_queries(), vec!["v=10".to_string()]);
    let identify = &fake.identifies()[0];
    assert!(
        identify["token"]
            .as_str()
            .is_some_and(|t| t.ends_with(&fake.token()))
    );
    assert_eq!(identify["intents"].as_u64(), Some(intents().bits()));

    let trainee = fake.trainee();
    let id = fake.user_message(fake.training_channel(), &trainee, "hello @everyone");
    let Seen::Message(message) = next_event(&mut client.events, "MESSAGE_CREATE", |e| {
        matches!(e, Seen::Message(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(message.id.get(), id);
    assert_eq!(message.content, "hello @everyone");
    assert_eq!(message.author.id.get(), trainee.id);
    assert!(message.mention_everyone);

    assert!(fake.protocol_errors().is_empty());
    client.stop().await;
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_uses_the_fakes_rest_endpoints_and_interactions() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = RunningClient::start(&fake, &fake.token(), intents()).await;
    next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await;
    let http = std::sync::Arc::clone(&client.http);
    let guild = GuildId::new(fake.guild_id());
    let training = ChannelId::new(fake.training_channel());

    let me = http.get_current_user().await.expect("GET /users/@me");
    assert_eq!(me.id.get(), fake.bot_user_id());
    let app = http
        .get_current_application_info()
        .await
        .expect("GET /oauth2/applications/@me");
    assert_eq!(app.id.get(), fake.application_id());
    assert_eq!(
        http.get_bot_gateway()
            .await
            .expect("GET /gateway/bot")
            .shards,
        1
    );

    let practice = CreateCommand::new("practice")
        .description("Practise with a sceptical customer")
        .description_localized("nl", "Oefen met een sceptische klant")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "persona", "Who")
                .set_autocomplete(true),
        );
    let registered = guild
        .set_commands(&*http, vec![practice])
        .await
        .expect("PUT guild commands");
    assert_eq!(registered[0].name, "practice");
    let global = serenity::model::application::Command::set_global_commands(
        &*http,
        vec![CreateCommand::new("personas").description("List the personas")],
    )
    .await
    .expect("PUT global commands");
    assert_eq!(global.len(), 1);
    assert_eq!(
        http.get_global_commands()
            .await
            .expect("GET commands")
            .len(),
        1
    );

    let interaction = fake.slash_command(
        "practice",
        json!({ "persona": "anna" }),
        &fake.trainee(),
        fake.training_channel(),
    );
    next_event(
        &mut client.events,
        "the command",
        |e| matches!(e, Seen::Interaction(i) if *i == interaction),
    )
    .await;
    let responses = fake
        .wait_for_interaction_responses(interaction, 2, WAIT)
        .await
        .expect("callback and follow-up");
    assert_eq!(responses[0].kind, ResponseKind::Callback);
    assert_eq!(responses[1].kind, ResponseKind::Followup);
    assert!(fake.interaction_was_ephemeral(interaction));
    assert!(fake.interaction_text(interaction).contains("pong"));
    let payload = fake.interaction_payload(interaction).expect("payload");
    let again = http
        .create_interaction_response(
            serenity::model::id::InteractionId::new(interaction),
            payload["token"].as_str().expect("token"),
            &CreateInteractionResponse::Acknowledge,
            Vec::new(),
        )
        .await;
    assert!(
        again.is_err(),
        "a second callback is refused like Discord does"
    );

    let autocomplete = fake.autocomplete(
        "practice",
        "persona",
        "an",
        &fake.trainee(),
        fake.training_channel(),
    );
    next_event(
        &mut client.events,
        "the autocomplete",
        |e| matches!(e, Seen::Interaction(i) if *i == autocomplete),
    )
    .await;
    let choices = fake.autocomplete_choices(autocomplete).expect("choices");
    assert_eq!(choices[0]["value"], "anna");

    let thread = training
        .create_thread(
            &*http,
            CreateThread::new("practice: Tess")
                .kind(ChannelType::PrivateThread)
                .invitable(false),
        )
        .await
        .expect("POST /channels/{id}/threads");
    assert_eq!(thread.kind, ChannelType::PrivateThread);
    assert_eq!(thread.parent_id, Some(training));
    thread
        .id
        .add_thread_member(&*http, UserId::new(fake.trainee().id))
        .await
        .expect("PUT thread member");
    assert_eq!(
        fake.thread_members(thread.id.get()),
        vec![fake.bot_user_id(), fake.trainee().id]
    );

    let sent = thread
        .id
        .send_message(
            &*http,
            CreateMessage::new()
                .content("Hello @everyone, I am listening")
                .embed(
                    CreateEmbed::new()
                        .title("Briefing")
                        .description("A sceptical buyer"),
                ),
        )
        .await
        .expect("POST /channels/{id}/messages");
    assert!(
        !sent.mention_everyone,
        "the default allowed mentions stop the ping"
    );
    let posted = fake
        .wait_for_request(|r: &Recorded| r.is("POST", "/channels/{id}/messages"), WAIT)
        .await
        .expect("recorded");
    assert_eq!(posted.json("/allowed_mentions/parse"), Some(&json!([])));
    assert_eq!(
        fake.messages_in(thread.id.get())[0].embeds[0]["title"],
        "Briefing"
    );

    thread
        .id
        .broadcast_typing(&*http)
        .await
        .expect("POST typing");
    let fetched = thread
        .id
        .messages(&*http, GetMessages::new().limit(10))
        .await
        .expect("GET messages");
    assert_eq!(fetched.len(), 1);
    let user_message = fake.user_message(thread.id.get(), &fake.trainee(), "price?");
    let newer = thread
        .id
        .messages(&*http, GetMessages::new().after(sent.id).limit(10))
        .await
        .expect("GET messages after");
    assert_eq!(
        newer.iter().map(|m| m.id.get()).collect::<Vec<_>>(),
        vec![user_message]
    );
    let channel = http
        .get_channel(thread.id)
        .await
        .expect("GET /channels/{id}");
    assert!(matches!(channel, Channel::Guild(c) if c.thread_metadata.is_some()));
    let archived = thread
        .id
        .edit_thread(&*http, serenity::builder::EditThread::new().archived(true))
        .await
        .expect("PATCH /channels/{id}");
    assert!(archived.thread_metadata.is_some_and(|m| m.archived));

    // serenity's builder stops 2001 characters itself; the fake refuses them like Discord too.
    let long = json!({ "content": "x".repeat(2001) });
    let refused = http.send_message(training, Vec::new(), &long).await;
    assert!(refused.is_err());
    let last = fake.requests().pop().expect("recorded");
    assert_eq!(
        (
            last.status,
            last.response.as_ref().map(|r| r["code"].clone())
        ),
        (400, Some(json!(50035)))
    );

    // A file goes as multipart with payload_json; the fake reads both.
    let upload = CreateMessage::new()
        .content("the transcript")
        .add_file(CreateAttachment::bytes(
            b"line one".to_vec(),
            "transcript.txt",
        ));
    let uploaded = training
        .send_message(&*http, upload)
        .await
        .expect("multipart message");
    assert_eq!(uploaded.attachments[0].filename, "transcript.txt");
    let last = fake.requests().pop().expect("recorded");
    assert_eq!(last.files, vec!["transcript.txt".to_string()]);
    assert_eq!(last.str_at("/content"), Some("the transcript"));

    // With its rate limiter disabled serenity hands a 429 straight back: status 429, and the
    // body (no `code`, like Discord's) does not decode, so retry_after is lost to the bot.
    fake.faults().rate_limit_next(
        "POST",
        "/channels/{id}/messages",
        Duration::from_millis(250),
        1,
    );
    let limited = training.say(&*http, "one").await.expect_err("429");
    let serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) = limited
    else {
        panic!("a 429 is an unsuccessful request, not {limited:?}");
    };
    assert_eq!(
        (response.status_code.as_u16(), response.error.code),
        (429, -1)
    );
    training
        .say(&*http, "two")
        .await
        .expect("the fault was used up");
    assert!(
        fake.requests()
            .iter()
            .any(|r| r.injected && r.status == 429)
    );

    assert_eq!(
        fake.unknown_requests().len(),
        0,
        "{:?}",
        fake.unknown_requests()
    );
    assert!(fake.protocol_errors().is_empty());
    client.stop().await;
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_resumes_after_a_dropped_connection_and_gets_what_it_missed() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = RunningClient::start(&fake, &fake.token(), intents()).await;
    next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await;

    assert_eq!(fake.disconnect_gateway(), 1);
    let missed = fake.user_message(
        fake.training_channel(),
        &fake.trainee(),
        "sent while you were away",
    );
    assert!(
        fake.wait_until(|f| f.resumes() >= 1, WAIT).await,
        "serenity resumes"
    );
    let Seen::Message(message) = next_event(&mut client.events, "the missed message", |e| {
        matches!(e, Seen::Message(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(message.id.get(), missed);

    assert!(fake.reconnect_request() >= 1);
    assert!(
        fake.wait_until(|f| f.resumes() >= 2, WAIT).await,
        "op 7 makes serenity resume"
    );
    let after = fake.user_message(fake.training_channel(), &fake.trainee(), "still there?");
    let Seen::Message(message) = next_event(&mut client.events, "a message after op 7", |e| {
        matches!(e, Seen::Message(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(message.id.get(), after);
    client.stop().await;
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_and_refused_intents_end_the_client_with_serenitys_errors() {
    init_logs();
    let fake = FakeDiscord::start_with(Config::default()).await;
    let wrong = RunningClient::start(&fake, "wrong.token.value", intents()).await;
    let ended = tokio::time::timeout(WAIT, wrong.task)
        .await
        .expect("the client gives up");
    let error = format!("{:?}", ended.expect("no panic"));
    assert!(error.contains("InvalidAuthentication"), "{error}");

    fake.set_refuse_privileged_intents(true);
    let refused = RunningClient::start(&fake, &fake.token(), intents()).await;
    let ended = tokio::time::timeout(WAIT, refused.task)
        .await
        .expect("the client gives up");
    let error = format!("{:?}", ended.expect("no panic"));
    assert!(error.contains("DisallowedGatewayIntents"), "{error}");

    let codes: Vec<u64> = fake
        .gateway_frames()
        .iter()
        .filter(|f| f.direction == fake_discord::Direction::FromBot)
        .filter_map(|f| f.op())
        .collect();
    assert_eq!(
        codes.iter().filter(|op| **op == 2).count(),
        2,
        "two IDENTIFYs: {codes:?}"
    );
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_fake_closes_its_port_and_its_websockets() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = RunningClient::start(&fake, &fake.token(), intents()).await;
    next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await;
    let sent = fake.user_message(fake.training_channel(), &fake.trainee(), "timing");
    next_event(&mut client.events, "the message", |e| {
        matches!(e, Seen::Message(_))
    })
    .await;
    assert!(fake.message_dispatched_at(sent).is_some());

    let address = fake.base_url().trim_start_matches("http://").to_string();
    drop(fake);
    let deadline = Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(&address).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the fake still listens after being dropped"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A graceful stop would wait out serenity's five-second timeout for a shard that is
    // busy reconnecting to the fake that is gone.
    client.task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_answer_comes_late_after_discord_has_posted_the_message() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = RunningClient::start(&fake, &fake.token(), intents()).await;
    next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await;
    let training = ChannelId::new(fake.training_channel());
    let delay = Duration::from_millis(1500);
    fake.faults()
        .delay_response_next("POST", "/channels/{id}/messages", delay, 1);

    let started = Instant::now();
    let http = std::sync::Arc::clone(&client.http);
    let sending = tokio::spawn(async move { training.say(&*http, "held back").await });
    // Discord has stored and dispatched the message while the client still waits for its id.
    let Seen::Message(echo) = next_event(&mut client.events, "the MESSAGE_CREATE", |e| {
        matches!(e, Seen::Message(_))
    })
    .await
    else {
        unreachable!()
    };
    assert!(!sending.is_finished(), "the answer is still held back");
    let posted = fake.requests_to("POST", "/channels/{id}/messages");
    assert!(posted[0].injected && posted[0].succeeded());
    assert_eq!(fake.messages_in(training.get()).len(), 1);

    let sent = sending
        .await
        .expect("no panic")
        .expect("the answer comes, late");
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert_eq!(sent.id, echo.id);
    assert!(fake.faults().pending().is_empty());
    client.stop().await;
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_a_request_error_and_nothing_is_posted() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let http = http_client(&fake, &fake.token());
    let training = ChannelId::new(fake.training_channel());
    fake.faults()
        .drop_connection_next("POST", "/channels/{id}/messages", 1);

    let error = training.say(&http, "lost").await.expect_err("no answer");
    let serenity::Error::Http(serenity::http::HttpError::Request(error)) = error else {
        panic!("a cut connection is a request error, not {error:?}");
    };
    assert!(error.is_request() && error.status().is_none(), "{error:?}");
    assert!(
        format!("{error:?}").contains("IncompleteMessage"),
        "the connection closed before the response: {error:?}"
    );
    assert!(
        fake.all_messages_in(training.get()).is_empty(),
        "not handled"
    );
    let cut = fake.requests().pop().expect("recorded");
    assert_eq!(
        (cut.status, cut.injected, cut.response.is_none()),
        (0, true, true)
    );

    training
        .say(&http, "again")
        .await
        .expect("the next request gets a new connection");
    assert_eq!(fake.all_messages_in(training.get()).len(), 1);
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_deletes_reach_serenitys_handler() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let mut client = RunningClient::start(&fake, &fake.token(), intents()).await;
    next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await;
    let training = fake.training_channel();
    let id = fake.user_message(training, &fake.trainee(), "first try");
    next_event(&mut client.events, "the message", |e| {
        matches!(e, Seen::Message(_))
    })
    .await;

    let coach = fake.coach().id;
    fake.edit_message(id, &format!("second try, <@{coach}>"));
    let Seen::Updated(update) = next_event(&mut client.events, "message_update", |e| {
        matches!(e, Seen::Updated(_))
    })
    .await
    else {
        unreachable!()
    };
    assert_eq!(update.id.get(), id);
    assert_eq!(
        update.content.as_deref(),
        Some(format!("second try, <@{coach}>").as_str())
    );
    assert!(update.edited_timestamp.is_some());
    assert_eq!(
        update.author.as_ref().map(|a| a.id.get()),
        Some(fake.trainee().id)
    );
    let stored = fake.message(id).expect("stored");
    assert!(stored.edited_ms.is_some() && stored.mentions == vec![coach]);

    fake.delete_message(training, id);
    let deleted = next_event(&mut client.events, "message_delete", |e| {
        matches!(e, Seen::Deleted(..))
    })
    .await;
    assert!(matches!(deleted, Seen::Deleted(c, m) if c == training && m == id));
    let listed = ChannelId::new(training)
        .messages(&*client.http, GetMessages::new())
        .await
        .expect("GET messages");
    assert!(listed.is_empty(), "a deleted message is not listed");
    assert!(fake.protocol_errors().is_empty());
    client.stop().await;
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catch_up_members_and_threads_answer_like_discord() {
    init_logs();
    let fake = FakeDiscord::start().await;
    let http = http_client(&fake, &fake.token());
    let trainee = fake.trainee();
    let thread = ChannelId::new(fake.training_channel())
        .create_thread(
            &http,
            CreateThread::new("practice: Tess").kind(ChannelType::PublicThread),
        )
        .await
        .expect("thread");

    // No gateway session at all: the trainee's messages are stored all the same, and GET
    // messages `after` pages through them newest first, at most `limit` (default 50).
    let ids: Vec<u64> = (1..=4)
        .map(|n| fake.user_message(thread.id.get(), &trainee, &format!("message {n}")))
        .collect();
    let listed = |messages: Vec<Message>| messages.iter().map(|m| m.id.get()).collect::<Vec<_>>();
    let first = serenity::model::id::MessageId::new(ids[0]);
    let page = thread
        .id
        .messages(&http, GetMessages::new().after(first).limit(2))
        .await
        .expect("GET messages after, limit 2");
    assert_eq!(listed(page), vec![ids[2], ids[1]]);
    let rest = thread
        .id
        .messages(&http, GetMessages::new().after(first))
        .await
        .expect("GET messages after");
    assert_eq!(listed(rest), vec![ids[3], ids[2], ids[1]]);
    let too_many = http.get_messages(thread.id, None, Some(101)).await;
    assert_eq!(refusal(too_many), (400, 50035));

    let mut client = RunningClient::start(
        &fake,
        &fake.token(),
        intents() | GatewayIntents::GUILD_MEMBERS,
    )
    .await;
    next_event(&mut client.events, "READY", |e| matches!(e, Seen::Ready(_))).await;
    let guild = GuildId::new(fake.guild_id());
    let member = http
        .get_member(guild, UserId::new(trainee.id))
        .await
        .expect("GET member");
    assert_eq!(member.user.id.get(), trainee.id);
    fake.remove_member(&trainee);
    let gone = http.get_member(guild, UserId::new(trainee.id)).await;
    assert_eq!(refusal(gone), (404, 10007));

    fake.archive_thread(thread.id.get(), false);
    assert!(
        fake.channel(thread.id.get())
            .is_some_and(|c| c.thread.is_some_and(|t| t.archived))
    );
    thread
        .id
        .say(&http, "still there?")
        .await
        .expect("posting unarchives an unlocked thread");
    assert!(
        fake.channel(thread.id.get())
            .is_some_and(|c| c.thread.is_some_and(|t| !t.archived))
    );
    fake.archive_thread(thread.id.get(), true);
    assert_eq!(refusal(thread.id.say(&http, "hello?").await), (403, 50083));

    fake.delete_channel(thread.id.get());
    assert_eq!(refusal(http.get_channel(thread.id).await), (404, 10003));
    assert_eq!(refusal(thread.id.say(&http, "anyone?").await), (404, 10003));
    assert_eq!(
        refusal(thread.id.messages(&http, GetMessages::new()).await),
        (404, 10003)
    );

    let sent = |event: &str| {
        fake.gateway_frames()
            .iter()
            .filter(|f| f.event() == Some(event))
            .count()
    };
    let expected = [
        ("GUILD_MEMBER_REMOVE", 1),
        ("THREAD_UPDATE", 3),
        ("THREAD_DELETE", 1),
    ];
    assert!(
        fake.wait_until(|_| expected.iter().all(|(e, n)| sent(e) == *n), WAIT)
            .await,
        "{:?}",
        expected.map(|(e, _)| (e, sent(e)))
    );
    assert!(fake.protocol_errors().is_empty());
    client.stop().await;
    fake.shutdown().await;
}
