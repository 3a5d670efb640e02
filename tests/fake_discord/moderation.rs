//! What happens around the bot besides conversation: users edit and delete messages, members
//! leave the server, threads are archived, locked or deleted. Each changes what REST answers
//! and dispatches what Discord dispatches.

use super::model::now_ms;
use super::payloads::{self, Via};
use super::{FakeDiscord, FakeUser};

impl FakeDiscord {
    /// The author edits message `message_id` to `content`: the stored message gets the new
    /// content, its parsed mentions and `edited_timestamp`, and MESSAGE_UPDATE carries the
    /// whole message, as Discord sends it. Panics on an unknown or deleted message.
    pub fn edit_message(&self, message_id: u64, content: &str) {
        let mut world = self.world();
        let Some(mut message) = world
            .messages
            .get(&message_id)
            .filter(|m| !m.deleted)
            .cloned()
        else {
            panic!("edit_message: no message {message_id}");
        };
        message.content = content.to_string();
        world.parse_user_mentions(&mut message);
        message.edited_ms = Some(now_ms());
        world.messages.insert(message_id, message.clone());
        let data = payloads::message(&world, &message, Via::Gateway);
        self.shared.broadcast("MESSAGE_UPDATE", &data);
        drop(world);
        self.shared.changed();
    }

    /// Its author or a moderator deletes message `message_id` in `channel_id`: MESSAGE_DELETE,
    /// and GET messages leaves it out from then on ([`message`](Self::message) still finds it,
    /// marked deleted). Panics on an unknown or already deleted message.
    pub fn delete_message(&self, channel_id: u64, message_id: u64) {
        let mut world = self.world();
        assert!(
            world
                .messages
                .get(&message_id)
                .is_some_and(|m| m.channel_id == channel_id && !m.deleted),
            "delete_message: no message {message_id} in channel {channel_id}"
        );
        world.delete_message(message_id);
        let data = payloads::message_delete(&world, channel_id, message_id);
        self.shared.broadcast("MESSAGE_DELETE", &data);
        drop(world);
        self.shared.changed();
    }

    /// `user` leaves the server (or is kicked): GUILD_MEMBER_REMOVE (sessions with the
    /// GUILD_MEMBERS intent get it), GET /guilds/{id}/members/{user} answers 404 "Unknown
    /// Member" (10007), and they leave every thread (without THREAD_MEMBERS_UPDATE). They can
    /// no longer post or run commands. Panics when `user` is not a member.
    pub fn remove_member(&self, user: &FakeUser) {
        let mut world = self.world();
        assert!(
            world.remove_member(user.id),
            "remove_member: {} is not a member",
            user.name
        );
        let data = payloads::guild_member_remove(&world, user.id);
        self.shared.broadcast("GUILD_MEMBER_REMOVE", &data);
        drop(world);
        self.shared.changed();
    }

    /// Deletes a thread (THREAD_DELETE with its id, guild, parent and type, as Discord sends
    /// it) or a channel (CHANNEL_DELETE with the whole channel; its threads go with it,
    /// without dispatches of their own). From then on every route on it answers 404 "Unknown
    /// Channel" (10003); the test can still read its messages. Panics on an unknown channel.
    pub fn delete_channel(&self, channel_id: u64) {
        let mut world = self.world();
        let removed = world.remove_channel(channel_id);
        let Some(channel) = removed.first() else {
            panic!("delete_channel: the fake has no channel {channel_id}");
        };
        let (event, data) = if channel.is_thread() {
            ("THREAD_DELETE", payloads::thread_delete(&world, channel))
        } else {
            ("CHANNEL_DELETE", payloads::channel(&world, channel, true))
        };
        self.shared.broadcast(event, &data);
        drop(world);
        self.shared.changed();
    }

    /// Archives a thread, as Discord does after inactivity or a moderator by hand, and locks
    /// it when `locked`: THREAD_UPDATE with `thread_metadata.archived` (and `locked`) set.
    /// Like Discord, a message posted in an unlocked archived thread unarchives it (with
    /// THREAD_UPDATE); in a locked one the bot's POST gets 403 50083 "Thread is archived" and
    /// [`user_message`](Self::user_message) panics. Panics when `thread_id` is no thread.
    pub fn archive_thread(&self, thread_id: u64, locked: bool) {
        let mut world = self.world();
        let Some(thread) = world
            .channels
            .get_mut(&thread_id)
            .and_then(|c| c.thread.as_mut())
        else {
            panic!("archive_thread: the fake has no thread {thread_id}");
        };
        thread.archived = true;
        thread.locked = locked;
        thread.archive_ms = now_ms();
        let data = payloads::channel(&world, &world.channels[&thread_id], true);
        self.shared.broadcast("THREAD_UPDATE", &data);
        drop(world);
        self.shared.changed();
    }
}
