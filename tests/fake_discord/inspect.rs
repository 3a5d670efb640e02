//! Reading what happened: the requests and gateway frames the bot sent, what the fake now
//! holds (messages, threads, commands), and waiting for any of it with a timeout.

use super::model::{Channel, Command, StoredMessage};
use super::record::{Direction, GatewayFrame, Recorded};
use super::{FakeDiscord, lock};
use serde_json::Value;
use std::time::{Duration, Instant};

impl FakeDiscord {
    // -----------------------------------------------------------------------------------------
    // What the bot sent

    /// Every REST request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// Requests matching a method ("*" for any) and a route pattern like
    /// `/channels/{id}/messages`.
    pub fn requests_to(&self, method: &str, pattern: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.is(method, pattern))
            .collect()
    }

    /// Requests no route matched (answered 404): a test should expect none.
    pub fn unknown_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| !r.known_route)
            .collect()
    }

    /// The number of requests so far; pass it to [`wait_for_request_after`] to wait only for
    /// newer ones.
    ///
    /// [`wait_for_request_after`]: Self::wait_for_request_after
    pub fn mark(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// Waits for a request matching `matches`, including ones already received.
    pub async fn wait_for_request(
        &self,
        matches: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Option<Recorded> {
        self.wait_for_request_after(0, matches, timeout).await
    }

    /// Waits for a request matching `matches` among those from index `mark` on.
    pub async fn wait_for_request_after(
        &self,
        mark: usize,
        matches: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Option<Recorded> {
        let find = |fake: &Self| {
            lock(&fake.shared.requests)
                .iter()
                .skip(mark)
                .find(|r| matches(r))
                .cloned()
        };
        let mut found = None;
        self.wait_until(
            |fake| {
                found = find(fake);
                found.is_some()
            },
            timeout,
        )
        .await;
        found
    }

    /// Every gateway frame both ways, in order.
    pub fn gateway_frames(&self) -> Vec<GatewayFrame> {
        lock(&self.shared.frames).clone()
    }

    /// The `d` of every IDENTIFY the bot sent.
    pub fn identifies(&self) -> Vec<Value> {
        self.gateway_frames()
            .into_iter()
            .filter(|f| f.direction == Direction::FromBot && f.op() == Some(2))
            .map(|f| f.payload["d"].clone())
            .collect()
    }

    /// When the fake wrote the MESSAGE_CREATE of `message_id` to a websocket (the first
    /// time): the start of a "message in, reply out" latency.
    pub fn message_dispatched_at(&self, message_id: u64) -> Option<Instant> {
        let id = message_id.to_string();
        lock(&self.shared.frames)
            .iter()
            .find(|f| {
                f.direction == Direction::ToBot
                    && f.event() == Some("MESSAGE_CREATE")
                    && f.payload["d"]["id"].as_str() == Some(id.as_str())
            })
            .map(|f| f.at)
    }

    /// The query string of every websocket connection so far (serenity sends `v=10`).
    pub fn gateway_connection_queries(&self) -> Vec<String> {
        lock(&self.shared.gateway)
            .connections
            .iter()
            .map(|c| c.query.clone())
            .collect()
    }

    // -----------------------------------------------------------------------------------------
    // What Discord now holds

    /// What the bot posted in a channel, oldest first: neither ephemeral nor deleted
    /// messages, nor Discord's system messages (such as "started a thread").
    pub fn messages_in(&self, channel_id: u64) -> Vec<StoredMessage> {
        let world = self.world();
        world
            .channel_messages(channel_id)
            .into_iter()
            .filter(|m| m.author_id == world.bot_id && matches!(m.kind, 0 | 19 | 20))
            .cloned()
            .collect()
    }

    /// Every visible message in a channel, anyone's, oldest first.
    pub fn all_messages_in(&self, channel_id: u64) -> Vec<StoredMessage> {
        self.world()
            .channel_messages(channel_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Any message by id, ephemeral and deleted ones included.
    pub fn message(&self, id: u64) -> Option<StoredMessage> {
        self.world().messages.get(&id).cloned()
    }

    /// Waits for a bot message in `channel_id` (as [`messages_in`](Self::messages_in) lists
    /// them) that matches, including ones already there.
    pub async fn wait_for_message_in(
        &self,
        channel_id: u64,
        matches: impl Fn(&StoredMessage) -> bool,
        timeout: Duration,
    ) -> Option<StoredMessage> {
        let mut found = None;
        self.wait_until(
            |fake| {
                found = fake
                    .messages_in(channel_id)
                    .into_iter()
                    .find(|m| matches(m));
                found.is_some()
            },
            timeout,
        )
        .await;
        found
    }

    pub fn channel(&self, id: u64) -> Option<Channel> {
        self.world().channels.get(&id).cloned()
    }

    /// Every thread, oldest first.
    pub fn threads(&self) -> Vec<Channel> {
        self.world()
            .channels
            .values()
            .filter(|c| c.is_thread())
            .cloned()
            .collect()
    }

    /// Waits for a thread that matches, including ones already there.
    pub async fn wait_for_thread(
        &self,
        matches: impl Fn(&Channel) -> bool,
        timeout: Duration,
    ) -> Option<Channel> {
        let mut found = None;
        self.wait_until(
            |fake| {
                found = fake.threads().into_iter().find(|t| matches(t));
                found.is_some()
            },
            timeout,
        )
        .await;
        found
    }

    /// The user ids in a thread (the creator first).
    pub fn thread_members(&self, thread_id: u64) -> Vec<u64> {
        self.world()
            .channels
            .get(&thread_id)
            .and_then(|c| c.thread.as_ref())
            .map(|t| t.members.iter().map(|(u, _)| *u).collect())
            .unwrap_or_default()
    }

    /// The application commands the bot registered, global and guild.
    pub fn commands(&self) -> Vec<Command> {
        self.world().commands.clone()
    }

    /// Waits until commands with all these names are registered (globally or in the guild).
    pub async fn wait_for_commands(&self, names: &[&str], timeout: Duration) -> bool {
        self.wait_until(
            |fake| {
                let world = fake.world();
                names.iter().all(|n| world.command_named(n).is_some())
            },
            timeout,
        )
        .await
    }

    // -----------------------------------------------------------------------------------------
    // Waiting

    /// Re-checks `condition` after every change in the fake (request, frame, message...)
    /// until it holds or `timeout` passes. Returns whether it held.
    pub async fn wait_until(
        &self,
        mut condition: impl FnMut(&Self) -> bool,
        timeout: Duration,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.shared.changes.subscribe();
        loop {
            changes.borrow_and_update();
            if condition(self) {
                return true;
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                _ => return condition(self),
            }
        }
    }
}
