//! Driving the bot: users post messages, run slash commands, autocomplete and click buttons;
//! the gateway drops, closes, asks to reconnect or invalidates sessions.

use super::model::{self, FLAG_EPHEMERAL, InteractionState, World};
use super::payloads;
use super::{
    FakeDiscord, FakeUser, InteractionResponse, ResponseKind, StoredMessage, gateway, lock, record,
};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

impl FakeDiscord {
    // -----------------------------------------------------------------------------------------
    // The gateway

    /// Waits until a gateway session is identified and connected (READY has been sent).
    pub async fn wait_for_ready(&self, timeout: Duration) -> bool {
        self.wait_until(|fake| fake.sessions_connected() > 0, timeout)
            .await
    }

    /// Sessions with an open websocket.
    pub fn sessions_connected(&self) -> usize {
        lock(&self.shared.gateway)
            .sessions
            .iter()
            .filter(|s| s.connection.is_some())
            .count()
    }

    /// How many times sessions were resumed.
    pub fn resumes(&self) -> u32 {
        lock(&self.shared.gateway)
            .sessions
            .iter()
            .map(|s| s.resumes)
            .sum()
    }

    /// Cuts every websocket without a close frame, like a network failure. Sessions stay
    /// resumable. Returns how many connections were cut.
    pub fn disconnect_gateway(&self) -> usize {
        gateway::drop_all(&self.shared)
    }

    /// Closes every websocket with a close code (4000 unknown error: resumable).
    pub fn close_gateway(&self, code: u16) -> usize {
        gateway::close_all(&self.shared, code, "Closed by the fake.")
    }

    /// Sends op 7 RECONNECT: the client should reconnect and RESUME.
    pub fn reconnect_request(&self) -> usize {
        gateway::send_frame_all(&self.shared, &payloads::reconnect())
    }

    /// Sends op 9 INVALID SESSION; when not resumable, later RESUMEs fail too.
    pub fn invalidate_session(&self, resumable: bool) -> usize {
        gateway::invalidate_sessions(&self.shared, resumable)
    }

    /// Sends op 1: asks the client to heartbeat now.
    pub fn request_heartbeat(&self) -> usize {
        gateway::send_frame_all(&self.shared, &payloads::heartbeat_request())
    }

    // -----------------------------------------------------------------------------------------
    // Driving the bot

    /// `author` posts `content` in `channel_id`: stored (GET messages returns it, even when no
    /// session is connected) and dispatched as MESSAGE_CREATE with guild_id, member and parsed
    /// mentions (`@everyone` / `@here`, `<@id>`, `<@&id>`). Posting unarchives an archived
    /// thread (THREAD_UPDATE). Returns the message id.
    ///
    /// Panics for a channel the fake does not have (or deleted), an author who is not a
    /// member, or a locked archived thread: the Discord client would not let them post.
    pub fn user_message(&self, channel_id: u64, author: &FakeUser, content: &str) -> u64 {
        let mut world = self.world();
        let Some(channel) = world.channels.get(&channel_id) else {
            panic!("user_message: the fake has no channel {channel_id}");
        };
        assert!(
            !channel
                .thread
                .as_ref()
                .is_some_and(|t| t.archived && t.locked),
            "user_message: thread {channel_id} is archived and locked"
        );
        assert!(
            world.members.contains_key(&author.id),
            "user_message: {} is not a member of the fake's guild; create users with add_member",
            author.name
        );
        // Posting in a public thread makes the author a member of it, as in Discord.
        if channel.kind == model::PUBLIC_THREAD {
            world.join_thread(channel_id, author.id);
        }
        let mut message = world.new_message(channel_id, author.id, content);
        world.parse_user_mentions(&mut message);
        message.nonce = Some(Value::String(message.id.to_string()));
        let message = self.shared.post(&mut world, message);
        drop(world);
        self.shared.changed();
        message.id
    }

    /// `user` runs `/name` in `channel_id`: INTERACTION_CREATE type 2 with the id of the
    /// command the bot registered under that name. `options` is either Discord's own option
    /// array, or an object `{"persona": "anna", "member": user_id}` that the fake types from
    /// the registered definition (a nested object for a subcommand). Returns the
    /// interaction id.
    ///
    /// Panics when the bot registered no such command or option: the Discord client would
    /// not let the user send it either.
    pub fn slash_command(
        &self,
        name: &str,
        options: Value,
        user: &FakeUser,
        channel_id: u64,
    ) -> u64 {
        let world = self.world();
        let command = registered(&world, name);
        let definitions = command
            .definition
            .get("options")
            .cloned()
            .unwrap_or(json!([]));
        let options = match options {
            Value::Array(raw) => raw,
            Value::Object(given) => typed_options(name, &definitions, &given),
            Value::Null => Vec::new(),
            other => panic!("slash_command: options must be an array or an object, not {other}"),
        };
        let data = payloads::command_data(&world, command, options);
        drop(world);
        self.interact(2, name, data, user, channel_id, None)
    }

    /// `user` types `partial` into option `focused` of `/name`: INTERACTION_CREATE type 4
    /// (autocomplete). Read the choices with [`autocomplete_choices`](Self::autocomplete_choices).
    pub fn autocomplete(
        &self,
        name: &str,
        focused: &str,
        partial: &str,
        user: &FakeUser,
        channel_id: u64,
    ) -> u64 {
        let world = self.world();
        let command = registered(&world, name);
        let definition = option_definition(name, command.definition.get("options"), focused);
        let option = json!({
            "name": focused,
            "type": definition["type"],
            "value": partial,
            "focused": true,
        });
        let data = payloads::command_data(&world, command, vec![option]);
        drop(world);
        self.interact(4, name, data, user, channel_id, None)
    }

    /// `user` clicks the button `custom_id` on the bot's message `message_id`:
    /// INTERACTION_CREATE type 3 with the message.
    pub fn click_button(&self, message_id: u64, custom_id: &str, user: &FakeUser) -> u64 {
        let channel_id = {
            let world = self.world();
            let message = world
                .messages
                .get(&message_id)
                .unwrap_or_else(|| panic!("click_button: no message {message_id}"));
            assert!(
                record::contains_text(&Value::Array(message.components.clone()), custom_id),
                "click_button: message {message_id} has no component {custom_id}"
            );
            message.channel_id
        };
        let data = payloads::component_data(custom_id, 2, None);
        self.interact(3, custom_id, data, user, channel_id, Some(message_id))
    }

    fn interact(
        &self,
        kind: u8,
        name: &str,
        data: Value,
        user: &FakeUser,
        channel_id: u64,
        message_id: Option<u64>,
    ) -> u64 {
        let mut world = self.world();
        assert!(
            world.channels.contains_key(&channel_id),
            "the fake has no channel {channel_id}"
        );
        assert!(
            world.members.contains_key(&user.id),
            "{} is not a member of the fake's guild",
            user.name
        );
        let id = world.ids.next_id();
        let token = world.new_interaction_token(id);
        let mut state = InteractionState {
            id,
            token,
            kind,
            name: name.to_string(),
            user_id: user.id,
            channel_id,
            message_id,
            created: Instant::now(),
            acknowledged: false,
            original_message_id: None,
            responses: Vec::new(),
            payload: Value::Null,
        };
        let message = message_id.and_then(|m| world.messages.get(&m));
        state.payload = payloads::interaction(&world, &state, data, message);
        let payload = state.payload.clone();
        world.interactions.insert(id, state);
        self.shared.broadcast("INTERACTION_CREATE", &payload);
        drop(world);
        self.shared.changed();
        id
    }

    /// How the bot answered an interaction, in order: the callback, then edits and
    /// follow-ups.
    pub fn interaction_responses(&self, interaction_id: u64) -> Vec<InteractionResponse> {
        self.world()
            .interactions
            .get(&interaction_id)
            .map(|i| i.responses.clone())
            .unwrap_or_default()
    }

    /// Waits for the bot's first answer to an interaction (normally its callback).
    pub async fn wait_for_interaction_response(
        &self,
        interaction_id: u64,
        timeout: Duration,
    ) -> Option<InteractionResponse> {
        self.wait_for_interaction_responses(interaction_id, 1, timeout)
            .await
            .and_then(|r| r.into_iter().next())
    }

    /// Waits until the bot has answered an interaction at least `count` times.
    pub async fn wait_for_interaction_responses(
        &self,
        interaction_id: u64,
        count: usize,
        timeout: Duration,
    ) -> Option<Vec<InteractionResponse>> {
        let done = self
            .wait_until(
                |fake| fake.interaction_responses(interaction_id).len() >= count,
                timeout,
            )
            .await;
        done.then(|| self.interaction_responses(interaction_id))
    }

    /// The text the user saw in answer to an interaction: the original response as it is
    /// now, then follow-ups (content and embed text of each).
    pub fn interaction_text(&self, interaction_id: u64) -> String {
        let world = self.world();
        let mut messages: Vec<&StoredMessage> = world
            .messages
            .values()
            .filter(|m| {
                m.interaction
                    .as_ref()
                    .is_some_and(|i| i.id == interaction_id)
                    && !m.deleted
            })
            .collect();
        messages.sort_by_key(|m| m.id);
        messages
            .iter()
            .map(|m| m.visible_text())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The interaction's answers were ephemeral (only the user saw them).
    pub fn interaction_was_ephemeral(&self, interaction_id: u64) -> bool {
        let world = self.world();
        world
            .interactions
            .get(&interaction_id)
            .and_then(|i| i.original_message_id)
            .and_then(|m| world.messages.get(&m))
            .is_some_and(|m| m.flags & FLAG_EPHEMERAL != 0)
    }

    /// The choices the bot answered an autocomplete interaction with.
    pub fn autocomplete_choices(&self, interaction_id: u64) -> Option<Vec<Value>> {
        self.interaction_responses(interaction_id)
            .into_iter()
            .find(|r| r.kind == ResponseKind::Callback)
            .and_then(|r| r.body)
            .and_then(|b| {
                b.pointer("/data/choices")
                    .and_then(Value::as_array)
                    .cloned()
            })
    }

    /// The payload dispatched for an interaction.
    pub fn interaction_payload(&self, interaction_id: u64) -> Option<Value> {
        self.world()
            .interactions
            .get(&interaction_id)
            .map(|i| i.payload.clone())
    }
}

fn registered<'w>(world: &'w World, name: &str) -> &'w model::Command {
    world.command_named(name).unwrap_or_else(|| {
        let known: Vec<&str> = world.commands.iter().map(|c| c.name()).collect();
        panic!("the bot has not registered /{name} (registered: {known:?})")
    })
}

fn option_definition<'d>(command: &str, definitions: Option<&'d Value>, name: &str) -> &'d Value {
    definitions
        .and_then(Value::as_array)
        .and_then(|d| d.iter().find(|o| o["name"] == name))
        .unwrap_or_else(|| {
            let known: Vec<&str> = definitions
                .and_then(Value::as_array)
                .map(|d| d.iter().filter_map(|o| o["name"].as_str()).collect())
                .unwrap_or_default();
            panic!("/{command} has no option {name} (it has: {known:?})")
        })
}

/// Turns `{"name": value}` into Discord's typed option array, following the registered
/// definitions.
fn typed_options(command: &str, definitions: &Value, given: &Map<String, Value>) -> Vec<Value> {
    let mut options = Vec::new();
    for (name, value) in given {
        let definition = option_definition(command, Some(definitions), name);
        let kind = definition["type"].as_u64().unwrap_or(3);
        let option = match kind {
            1 | 2 => {
                let nested = value.as_object().cloned().unwrap_or_default();
                let sub = definition.get("options").cloned().unwrap_or(json!([]));
                json!({ "name": name, "type": kind, "options": typed_options(command, &sub, &nested) })
            }
            _ => json!({ "name": name, "type": kind, "value": option_value(kind, value) }),
        };
        options.push(option);
    }
    let required: Vec<&str> = definitions
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|o| o["required"] == true)
                .filter_map(|o| o["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    for name in required {
        assert!(
            given.contains_key(name),
            "/{command} needs option {name}: Discord would not send it without"
        );
    }
    options
}

fn option_value(kind: u64, value: &Value) -> Value {
    let text = || match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match kind {
        // String
        3 => Value::String(text()),
        // Integer, number, boolean: as given.
        4 | 5 | 10 => value.clone(),
        // User, channel, role, mentionable, attachment: snowflakes as strings.
        _ => Value::String(text()),
    }
}
