//! Getting what the bot says into Discord: split within limits, retried with backoff on rate
//! limits, server errors and dropped connections. With serenity's own rate limiter (real
//! Discord) 429s are handled before they reach us; behind a proxy they are retried here.

use super::BotError;
use super::render::{self, MESSAGE_LIMIT};
use poise::serenity_prelude as serenity;
use std::time::Duration;
use tracing::warn;

/// Attempts per message before it is left to the sweeper.
const ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Whether Discord may accept the same request if we try again.
pub fn retryable(error: &BotError) -> bool {
    let BotError::Discord(e) = error else {
        return false;
    };
    match e.as_ref() {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            status == 429 || status >= 500
        }
        serenity::Error::Http(serenity::HttpError::Request(_)) | serenity::Error::Io(_) => true,
        _ => false,
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the attempts run out.
pub async fn retrying<T, F, Fut>(what: &str, mut attempt: F) -> Result<T, BotError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BotError>>,
{
    let mut backoff = FIRST_BACKOFF;
    let mut tries = 1;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(e) if tries < ATTEMPTS && retryable(&e) => {
                warn!(what, attempt = tries, error = %e, "Discord refused for now; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                tries += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Posts text in a channel, split within Discord's limit; returns the last message's id
/// (none for empty text).
pub async fn post(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    text: &str,
) -> Result<Option<serenity::MessageId>, BotError> {
    post_keyed(http, channel, text, None).await
}

/// Posts a stored reply at most once: each piece carries a nonce derived from `key` with
/// `enforce_nonce`, so a retry after a connection lost mid-request returns the message
/// Discord already made instead of posting it again.
pub async fn post_once(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    text: &str,
    key: &str,
) -> Result<Option<serenity::MessageId>, BotError> {
    post_keyed(http, channel, text, Some(key)).await
}

async fn post_keyed(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    text: &str,
    key: Option<&str>,
) -> Result<Option<serenity::MessageId>, BotError> {
    let mut last = None;
    for (i, piece) in render::split(text, MESSAGE_LIMIT).into_iter().enumerate() {
        let message = retrying("post a message", || async {
            let mut message = serenity::CreateMessage::new().content(piece.clone());
            if let Some(key) = key {
                message = message
                    .nonce(serenity::Nonce::String(format!("{key}-{i}")))
                    .enforce_nonce(true);
            }
            Ok(channel.send_message(http, message).await?)
        })
        .await?;
        last = Some(message.id);
    }
    Ok(last)
}

pub async fn post_embed(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    embed: serenity::CreateEmbed,
) -> Result<serenity::MessageId, BotError> {
    post_embed_with(http, channel, embed, None).await
}

/// An embed, optionally with a picture shown inside it (a PNG named `name`).
pub async fn post_embed_with(
    http: &serenity::Http,
    channel: serenity::ChannelId,
    embed: serenity::CreateEmbed,
    picture: Option<(&str, &[u8])>,
) -> Result<serenity::MessageId, BotError> {
    let message = retrying("post an embed", || async {
        let mut message = serenity::CreateMessage::new();
        let mut embed = embed.clone();
        if let Some((name, png)) = picture {
            embed = embed.attachment(name);
            message = message.add_file(serenity::CreateAttachment::bytes(png.to_vec(), name));
        }
        Ok(channel.send_message(http, message.embed(embed)).await?)
    })
    .await?;
    Ok(message.id)
}
