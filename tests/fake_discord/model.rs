//! The fake's view of Discord: one guild with its users, roles, channels, threads, messages,
//! registered commands and interactions. Plain data plus the bookkeeping Discord does (ids,
//! thread counters, mention parsing, permissions); the JSON lives in `payloads.rs`.

use serde_json::Value;
use serenity::model::permissions::Permissions;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01).
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

pub const GUILD_TEXT: u8 = 0;
pub const PUBLIC_THREAD: u8 = 11;
pub const PRIVATE_THREAD: u8 = 12;

/// Message flags used by the fake.
pub const FLAG_EPHEMERAL: u64 = 1 << 6;
pub const FLAG_LOADING: u64 = 1 << 7;

/// A person (or the bot) the test talks about. Create members with
/// [`FakeDiscord::add_member`](super::FakeDiscord::add_member) /
/// [`add_coach`](super::FakeDiscord::add_coach), or use the ready-made ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FakeUser {
    pub id: u64,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct UserEntry {
    pub user: FakeUser,
    pub bot: bool,
    /// The client locale sent with this user's interactions.
    pub locale: String,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub user_id: u64,
    pub roles: Vec<u64>,
    pub joined_ms: u64,
    pub nick: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: u64,
    pub name: String,
    pub permissions: Permissions,
    pub position: u16,
    pub color: u32,
    pub hoist: bool,
    pub mentionable: bool,
    /// The managed role Discord gives a bot when it joins.
    pub bot_id: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct ThreadState {
    pub archived: bool,
    pub locked: bool,
    pub auto_archive_duration: u16,
    pub invitable: bool,
    pub created_ms: u64,
    pub archive_ms: u64,
    /// (user id, joined at ms)
    pub members: Vec<(u64, u64)>,
    pub message_count: u32,
    pub total_message_sent: u32,
}

/// What the bot asked for when it created a thread.
#[derive(Clone, Debug)]
pub struct ThreadSpec {
    pub parent_id: u64,
    pub name: String,
    pub kind: u8,
    pub owner_id: u64,
    pub auto_archive_duration: u16,
    pub invitable: bool,
    pub rate_limit_per_user: u16,
}

#[derive(Clone, Debug)]
pub struct Channel {
    pub id: u64,
    pub kind: u8,
    pub name: String,
    pub parent_id: Option<u64>,
    pub position: u16,
    pub topic: Option<String>,
    pub owner_id: Option<u64>,
    pub last_message_id: Option<u64>,
    pub rate_limit_per_user: u16,
    pub thread: Option<ThreadState>,
}

impl Channel {
    pub fn is_thread(&self) -> bool {
        self.thread.is_some()
    }
}

/// The interaction a message answers (Discord's `interaction_metadata`).
#[derive(Clone, Debug)]
pub struct MessageInteraction {
    pub id: u64,
    pub kind: u8,
    pub name: String,
    pub user_id: u64,
}

/// A message the fake knows about: posted by a user through the test, or by the bot.
#[derive(Clone, Debug)]
pub struct StoredMessage {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub attachments: Vec<Value>,
    pub flags: u64,
    /// Discord's message type: 0 default, 19 reply, 20 chat input command.
    pub kind: u8,
    pub tts: bool,
    pub nonce: Option<Value>,
    pub edited_ms: Option<u64>,
    pub mention_everyone: bool,
    pub mentions: Vec<u64>,
    pub mention_roles: Vec<u64>,
    pub message_reference: Option<Value>,
    pub interaction: Option<MessageInteraction>,
    /// Set for interaction responses and follow-ups (they come from the app's webhook).
    pub webhook_id: Option<u64>,
    /// Position within a thread.
    pub position: Option<u32>,
    /// The request body the bot sent to create it (None for user messages).
    pub sent: Option<Value>,
    pub deleted: bool,
}

impl StoredMessage {
    pub fn ephemeral(&self) -> bool {
        self.flags & FLAG_EPHEMERAL != 0
    }

    /// Content plus every text field of every embed: what a reader could see.
    pub fn visible_text(&self) -> String {
        let mut text = self.content.clone();
        for embed in &self.embeds {
            collect_strings(embed, &mut text);
        }
        text
    }
}

fn collect_strings(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push('\n');
            out.push_str(s);
        }
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// An application command the bot registered, as it sent it plus what Discord adds.
#[derive(Clone, Debug)]
pub struct Command {
    pub id: u64,
    pub guild_id: Option<u64>,
    pub version: u64,
    /// The definition as the bot sent it.
    pub definition: Value,
}

impl Command {
    pub fn name(&self) -> &str {
        self.definition["name"].as_str().unwrap_or_default()
    }
}

/// How the bot answered an interaction, in the order it did.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseKind {
    /// POST /interactions/{id}/{token}/callback; `body["type"]` is the callback type.
    Callback,
    EditOriginal,
    DeleteOriginal,
    Followup,
    EditFollowup,
    DeleteFollowup,
}

#[derive(Clone, Debug)]
pub struct InteractionResponse {
    pub kind: ResponseKind,
    /// The JSON the bot sent (None for deletes).
    pub body: Option<Value>,
    /// The message created or edited, if any.
    pub message_id: Option<u64>,
    /// Time since the interaction was dispatched.
    pub after: Duration,
}

#[derive(Clone, Debug)]
pub struct InteractionState {
    pub id: u64,
    pub token: String,
    /// 2 application command, 3 message component, 4 autocomplete.
    pub kind: u8,
    /// The command name (or the component's custom_id).
    pub name: String,
    pub user_id: u64,
    pub channel_id: u64,
    /// For components: the message the component is on.
    pub message_id: Option<u64>,
    pub created: Instant,
    pub acknowledged: bool,
    pub original_message_id: Option<u64>,
    pub responses: Vec<InteractionResponse>,
    /// The full payload dispatched to the bot.
    pub payload: Value,
}

/// Monotonic snowflakes that carry their creation time like Discord's.
#[derive(Debug, Default)]
pub struct Snowflakes {
    last: u64,
}

impl Snowflakes {
    pub fn next_id(&mut self) -> u64 {
        let candidate = (now_ms() - DISCORD_EPOCH_MS) << 22;
        self.last = candidate.max(self.last + 1);
        self.last
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis() as u64
}

pub fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// Formats Unix milliseconds the way Discord does: `2025-01-31T12:34:56.789000+00:00`.
pub fn iso_timestamp(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}000+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Mentions found in message content, the way Discord parses them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedMentions {
    pub everyone: bool,
    pub users: Vec<u64>,
    pub roles: Vec<u64>,
}

pub fn parse_mentions(content: &str) -> ParsedMentions {
    let mut found = ParsedMentions {
        everyone: content.contains("@everyone") || content.contains("@here"),
        ..ParsedMentions::default()
    };
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let (is_role, body) = match rest.as_bytes().first() {
            Some(b'&') => (true, &rest[1..]),
            Some(b'!') => (false, &rest[1..]),
            _ => (false, rest),
        };
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || body.as_bytes().get(digits) != Some(&b'>') {
            continue;
        }
        let Ok(id) = body[..digits].parse::<u64>() else {
            continue;
        };
        let list = if is_role {
            &mut found.roles
        } else {
            &mut found.users
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    found
}

/// Everything the fake Discord knows. Lives behind one mutex in `Shared`.
#[derive(Debug)]
pub struct World {
    pub ids: Snowflakes,
    pub created_ms: u64,
    pub guild_id: u64,
    pub guild_name: String,
    pub owner_id: u64,
    pub bot_id: u64,
    pub application_id: u64,
    pub users: BTreeMap<u64, UserEntry>,
    pub members: BTreeMap<u64, Member>,
    pub roles: Vec<Role>,
    pub channels: BTreeMap<u64, Channel>,
    pub messages: BTreeMap<u64, StoredMessage>,
    pub commands: Vec<Command>,
    pub interactions: BTreeMap<u64, InteractionState>,
    pub general_channel: u64,
    pub training_channel: u64,
    pub coach_channel: u64,
    pub coach_role: u64,
    pub bot_role: u64,
    pub trainee: FakeUser,
    pub other_member: FakeUser,
    pub coach: FakeUser,
}

/// What @everyone may do in a fresh Discord server.
pub fn everyone_permissions() -> Permissions {
    Permissions::CREATE_INSTANT_INVITE
        | Permissions::ADD_REACTIONS
        | Permissions::STREAM
        | Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::EMBED_LINKS
        | Permissions::ATTACH_FILES
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::MENTION_EVERYONE
        | Permissions::USE_EXTERNAL_EMOJIS
        | Permissions::CONNECT
        | Permissions::SPEAK
        | Permissions::USE_VAD
        | Permissions::CHANGE_NICKNAME
        | Permissions::USE_APPLICATION_COMMANDS
        | Permissions::CREATE_PUBLIC_THREADS
        | Permissions::CREATE_PRIVATE_THREADS
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::USE_EXTERNAL_STICKERS
}

/// What the bot's managed role gets by default: what its invite link asks for.
pub fn default_bot_permissions() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::CREATE_PUBLIC_THREADS
        | Permissions::CREATE_PRIVATE_THREADS
        | Permissions::MANAGE_THREADS
        | Permissions::EMBED_LINKS
        | Permissions::READ_MESSAGE_HISTORY
}

impl World {
    pub fn new(bot_name: &str, bot_permissions: Permissions) -> Self {
        let mut ids = Snowflakes::default();
        let created_ms = now_ms();
        let guild_id = ids.next_id();
        let bot_id = ids.next_id();
        let owner_id = ids.next_id();
        let mut world = World {
            created_ms,
            guild_id,
            guild_name: "Sceptic Test Guild".to_string(),
            owner_id,
            bot_id,
            // Bots made since 2020 share their id with their application.
            application_id: bot_id,
            users: BTreeMap::new(),
            members: BTreeMap::new(),
            roles: Vec::new(),
            channels: BTreeMap::new(),
            messages: BTreeMap::new(),
            commands: Vec::new(),
            interactions: BTreeMap::new(),
            general_channel: 0,
            training_channel: 0,
            coach_channel: 0,
            coach_role: 0,
            bot_role: 0,
            trainee: FakeUser {
                id: 0,
                name: String::new(),
            },
            other_member: FakeUser {
                id: 0,
                name: String::new(),
            },
            coach: FakeUser {
                id: 0,
                name: String::new(),
            },
            ids,
        };
        world.roles.push(Role {
            id: guild_id,
            name: "@everyone".to_string(),
            permissions: everyone_permissions(),
            position: 0,
            color: 0,
            hoist: false,
            mentionable: false,
            bot_id: None,
        });
        world.coach_role = world.add_role("Coach", Permissions::empty(), 0x2e_cc71, None);
        world.bot_role = world.add_role(bot_name, bot_permissions, 0, Some(bot_id));

        world.add_user(owner_id, "guild_owner", false);
        world.add_user(bot_id, bot_name, true);
        world.members.get_mut(&bot_id).expect("bot member").roles = vec![world.bot_role];

        world.general_channel = world.add_text_channel("general", None);
        world.training_channel =
            world.add_text_channel("training", Some("Practice with a sceptical customer"));
        world.coach_channel = world.add_text_channel("coaches", Some("Session summaries"));

        world.trainee = world.add_member("tess_trainee", &[]);
        world.other_member = world.add_member("olaf_onlooker", &[]);
        let coach_role = world.coach_role;
        world.coach = world.add_member("carla_coach", &[coach_role]);
        world
    }

    fn add_role(
        &mut self,
        name: &str,
        permissions: Permissions,
        color: u32,
        bot: Option<u64>,
    ) -> u64 {
        let id = self.ids.next_id();
        let position = self.roles.len() as u16;
        self.roles.push(Role {
            id,
            name: name.to_string(),
            permissions,
            position,
            color,
            hoist: false,
            mentionable: bot.is_none(),
            bot_id: bot,
        });
        id
    }

    fn add_user(&mut self, id: u64, name: &str, bot: bool) {
        let user = FakeUser {
            id,
            name: name.to_string(),
        };
        self.users.insert(
            id,
            UserEntry {
                user,
                bot,
                locale: "en-US".to_string(),
            },
        );
        self.members.insert(
            id,
            Member {
                user_id: id,
                roles: Vec::new(),
                joined_ms: now_ms(),
                nick: None,
            },
        );
    }

    pub fn add_member(&mut self, name: &str, roles: &[u64]) -> FakeUser {
        let id = self.ids.next_id();
        self.add_user(id, name, false);
        self.members.get_mut(&id).expect("just added").roles = roles.to_vec();
        self.users[&id].user.clone()
    }

    fn add_text_channel(&mut self, name: &str, topic: Option<&str>) -> u64 {
        let id = self.ids.next_id();
        let position = self.channels.len() as u16;
        self.channels.insert(
            id,
            Channel {
                id,
                kind: GUILD_TEXT,
                name: name.to_string(),
                parent_id: None,
                position,
                topic: topic.map(str::to_string),
                owner_id: None,
                last_message_id: None,
                rate_limit_per_user: 0,
                thread: None,
            },
        );
        id
    }

    pub fn user(&self, id: u64) -> Option<&UserEntry> {
        self.users.get(&id)
    }

    pub fn bot(&self) -> FakeUser {
        self.users[&self.bot_id].user.clone()
    }

    pub fn role(&self, id: u64) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// A member's permissions in the guild (the fake has no channel overwrites).
    pub fn permissions_of(&self, user_id: u64) -> Permissions {
        if user_id == self.owner_id {
            return Permissions::all();
        }
        let mut perms = self.roles[0].permissions;
        if let Some(member) = self.members.get(&user_id) {
            for role in member.roles.iter().filter_map(|r| self.role(*r)) {
                perms |= role.permissions;
            }
        }
        if perms.contains(Permissions::ADMINISTRATOR) {
            Permissions::all()
        } else {
            perms
        }
    }

    pub fn create_thread(&mut self, spec: &ThreadSpec) -> u64 {
        let ThreadSpec {
            parent_id,
            ref name,
            kind,
            owner_id,
            auto_archive_duration,
            invitable,
            rate_limit_per_user,
        } = *spec;
        let id = self.ids.next_id();
        let created_ms = snowflake_ms(id);
        self.channels.insert(
            id,
            Channel {
                id,
                kind,
                name: name.clone(),
                parent_id: Some(parent_id),
                position: 0,
                topic: None,
                owner_id: Some(owner_id),
                last_message_id: None,
                rate_limit_per_user,
                thread: Some(ThreadState {
                    archived: false,
                    locked: false,
                    auto_archive_duration,
                    invitable: kind == PRIVATE_THREAD && invitable,
                    created_ms,
                    archive_ms: created_ms,
                    members: vec![(owner_id, created_ms)],
                    message_count: 0,
                    total_message_sent: 0,
                }),
            },
        );
        id
    }

    /// Adds a user to a thread; false when they were already in it.
    pub fn join_thread(&mut self, thread_id: u64, user_id: u64) -> bool {
        let Some(thread) = self
            .channels
            .get_mut(&thread_id)
            .and_then(|c| c.thread.as_mut())
        else {
            return false;
        };
        if thread.members.iter().any(|(u, _)| *u == user_id) {
            return false;
        }
        thread.members.push((user_id, now_ms()));
        true
    }

    /// Removes a member from the guild and from every thread. The user stays known (their
    /// old messages keep their author); false when they were not a member.
    pub fn remove_member(&mut self, user_id: u64) -> bool {
        if self.members.remove(&user_id).is_none() {
            return false;
        }
        for thread in self.channels.values_mut().filter_map(|c| c.thread.as_mut()) {
            thread.members.retain(|(u, _)| *u != user_id);
        }
        true
    }

    /// Removes a channel and, for a text channel, its threads; returns what was removed, the
    /// channel first. Their messages stay in `messages` for the test to read.
    pub fn remove_channel(&mut self, channel_id: u64) -> Vec<Channel> {
        let Some(channel) = self.channels.remove(&channel_id) else {
            return Vec::new();
        };
        let threads: Vec<u64> = self
            .channels
            .values()
            .filter(|c| c.parent_id == Some(channel_id) && c.is_thread())
            .map(|c| c.id)
            .collect();
        let mut removed = vec![channel];
        removed.extend(threads.iter().filter_map(|t| self.channels.remove(t)));
        removed
    }

    /// Fills in the mentions Discord parses from a user's content: `@everyone` / `@here`,
    /// and `<@id>` / `<@&id>` of users and roles that exist.
    pub fn parse_user_mentions(&self, message: &mut StoredMessage) {
        let mentions = parse_mentions(&message.content);
        message.mention_everyone = mentions.everyone;
        message.mentions = mentions
            .users
            .into_iter()
            .filter(|u| self.user(*u).is_some())
            .collect();
        message.mention_roles = mentions
            .roles
            .into_iter()
            .filter(|r| self.role(*r).is_some())
            .collect();
    }

    /// A new message with a fresh id in `channel_id`, not yet stored.
    pub fn new_message(&mut self, channel_id: u64, author_id: u64, content: &str) -> StoredMessage {
        StoredMessage {
            id: self.ids.next_id(),
            channel_id,
            author_id,
            content: content.to_string(),
            embeds: Vec::new(),
            components: Vec::new(),
            attachments: Vec::new(),
            flags: 0,
            kind: 0,
            tts: false,
            nonce: None,
            edited_ms: None,
            mention_everyone: false,
            mentions: Vec::new(),
            mention_roles: Vec::new(),
            message_reference: None,
            interaction: None,
            webhook_id: None,
            position: None,
            sent: None,
            deleted: false,
        }
    }

    /// Stores a message and does Discord's bookkeeping (last message, thread counters,
    /// un-archiving). Ephemeral messages are stored but touch no channel.
    pub fn store_message(&mut self, mut message: StoredMessage) -> StoredMessage {
        if !message.ephemeral()
            && let Some(channel) = self.channels.get_mut(&message.channel_id)
        {
            channel.last_message_id = Some(message.id);
            if let Some(thread) = channel.thread.as_mut() {
                message.position = Some(thread.total_message_sent);
                thread.message_count += 1;
                thread.total_message_sent += 1;
                if thread.archived && !thread.locked {
                    thread.archived = false;
                    thread.archive_ms = now_ms();
                }
            }
        }
        self.messages.insert(message.id, message.clone());
        message
    }

    /// Marks a message deleted, and a thread counts one message less, as Discord does.
    pub fn delete_message(&mut self, message_id: u64) {
        let Some(message) = self.messages.get_mut(&message_id).filter(|m| !m.deleted) else {
            return;
        };
        message.deleted = true;
        let channel = message.channel_id;
        if let Some(thread) = self
            .channels
            .get_mut(&channel)
            .and_then(|c| c.thread.as_mut())
        {
            thread.message_count = thread.message_count.saturating_sub(1);
        }
    }

    /// Messages visible in a channel, oldest first (no ephemeral or deleted ones).
    pub fn channel_messages(&self, channel_id: u64) -> Vec<&StoredMessage> {
        self.messages
            .values()
            .filter(|m| m.channel_id == channel_id && !m.ephemeral() && !m.deleted)
            .collect()
    }

    pub fn interaction_by_token(&self, token: &str) -> Option<&InteractionState> {
        self.interactions.values().find(|i| i.token == token)
    }

    /// The registered command a user would see under `name` in this guild: a guild command
    /// wins over a global one, as in the Discord client.
    pub fn command_named(&self, name: &str) -> Option<&Command> {
        let guild = self
            .commands
            .iter()
            .find(|c| c.guild_id == Some(self.guild_id) && c.name() == name);
        guild.or_else(|| {
            self.commands
                .iter()
                .find(|c| c.guild_id.is_none() && c.name() == name)
        })
    }

    /// Replaces the command set of one scope (global or a guild) like a bulk overwrite:
    /// a command keeps its id when its name stays, and its version changes when it changed.
    pub fn overwrite_commands(
        &mut self,
        guild_id: Option<u64>,
        definitions: &[Value],
    ) -> Vec<Command> {
        let old: HashMap<String, Command> = self
            .commands
            .iter()
            .filter(|c| c.guild_id == guild_id)
            .map(|c| (c.name().to_string(), c.clone()))
            .collect();
        self.commands.retain(|c| c.guild_id != guild_id);
        let mut fresh = Vec::new();
        for definition in definitions {
            let name = definition["name"].as_str().unwrap_or_default();
            let command = match old.get(name) {
                Some(existing) if existing.definition == *definition => existing.clone(),
                Some(existing) => Command {
                    id: existing.id,
                    guild_id,
                    version: self.ids.next_id(),
                    definition: definition.clone(),
                },
                None => Command {
                    id: self.ids.next_id(),
                    guild_id,
                    version: self.ids.next_id(),
                    definition: definition.clone(),
                },
            };
            fresh.push(command);
        }
        self.commands.extend(fresh.iter().cloned());
        fresh
    }

    pub fn locale_of(&self, user_id: u64) -> String {
        self.users
            .get(&user_id)
            .map_or_else(|| "en-US".to_string(), |u| u.locale.clone())
    }

    pub fn new_interaction_token(&mut self, interaction_id: u64) -> String {
        // Clearly fake, and unique per interaction.
        format!("fake-interaction-token-{interaction_id}")
    }
}
