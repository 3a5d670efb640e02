//! The bot binary as production runs it: `api_url` left at https://discord.com, so serenity
//! uses no proxy and keeps its own rate limiter, reaching the fake Discord only through the
//! fake's HTTPS front (`HTTPS_PROXY`, and `SSL_CERT_FILE` naming a throwaway authority that
//! no compiled-in root store holds). A whole session, rate limits and server errors, as the
//! trainee sees them in the thread.

use bot::crash::Crashes;
use bot::*;
use fake_discord::{Effect, FakeDiscord, Fault, Recorded};
use sceptic_test_support::bot;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const TALK: [&str; 4] = [
    "Good morning!",
    "What is still holding you back?",
    "I understand why that worries you.",
    "Is the price a concern for you?",
];

/// How long the fake's 429s tell the bot to wait (the `Retry-After` header is whole seconds).
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The fake behind HTTPS, the binary started against it in production mode, and the
/// trainee's session with `persona` opened.
async fn production(persona: &str) -> (FakeDiscord, Crashes, u64) {
    let fake = FakeDiscord::start_https().await;
    let mut bot = Crashes::behind_https(env!("CARGO_BIN_EXE_sceptic"), &fake, true);
    bot.start(&fake).await;
    let thread = open_session(&fake, &fake.trainee(), persona).await;
    (fake, bot, thread)
}

/// The POSTs of messages to `thread` from `mark` on, as Discord received them, once one was
/// accepted. (A message is in the thread a moment before its request is in the log.)
async fn posts_until_accepted(fake: &FakeDiscord, thread: u64, mark: usize) -> Vec<Recorded> {
    let route = format!("/channels/{thread}/messages");
    let accepted = fake
        .wait_for_request_after(mark, |r| r.is("POST", &route) && r.status == 200, WAIT)
        .await;
    assert!(accepted.is_some(), "Discord never accepted the reply");
    fake.requests_to("POST", &route)
        .into_iter()
        .filter(|r| r.index >= mark)
        .collect()
}

/// The first three of [`TALK`] each answered once, in order, as an uninterrupted session
/// answers them, with every injected fault met on the way.
async fn three_answered_once(fake: &FakeDiscord, bot: &Crashes, thread: u64, twice: &str) {
    answered_once_as_uninterrupted(fake, Path::new(bot.url()), thread, &TALK[..3], twice).await;
    assert!(fake.faults().pending().is_empty(), "a fault was never met");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_over_https_from_practice_to_debrief() {
    let (fake, bot, thread) = production("margaret").await;
    let trainee = fake.trainee();
    for m in TALK {
        say(&fake, thread, &trainee, m).await;
    }
    answered_once_as_uninterrupted(
        &fake,
        Path::new(bot.url()),
        thread,
        &TALK,
        "a message was answered twice",
    )
    .await;

    fake.slash_command("end", json!({}), &trainee, thread);
    assert!(
        wait_for_embed(&fake, thread, "Debrief").await,
        "the debrief was posted in the thread"
    );
    let (_, mut expected) = uninterrupted(Path::new(bot.url()), thread, &TALK).await;
    expected.end();
    let debrief = expected.debrief();
    assert_eq!(
        posted_debrief(&fake, thread, &debrief),
        rendered_debrief(&debrief),
        "the debrief is the uninterrupted session's"
    );
    assert!(
        fake.wait_for_message_in(
            fake.coach_channel(),
            |m| m.content.contains(&thread.to_string()),
            WAIT
        )
        .await
        .is_some(),
        "the summary reached the coaches' channel"
    );

    // Nothing reached the fake but through the front: REST tunnelled to discord.com, the
    // gateway over TLS.
    let front = fake.https().expect("the HTTPS front");
    assert!(!front.tunnels().is_empty(), "REST went through the proxy");
    assert!(front.refused().is_empty(), "{:?}", front.refused());
    assert!(front.gateway_connections() >= 1, "the gateway was wss://");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_replies_are_posted_once_after_the_wait_discord_asked_for() {
    let (fake, bot, thread) = production("dan").await;
    let trainee = fake.trainee();
    let route = format!("/channels/{thread}/messages");

    // Two per-route 429s in a row, with Discord's Retry-After and X-RateLimit headers.
    let mark = fake.mark();
    fake.faults()
        .rate_limit_next("POST", &route, RETRY_AFTER, 2);
    fake.user_message(thread, &trainee, TALK[0]);
    wait_for_replies(&fake, thread, 1).await;
    let posts = posts_until_accepted(&fake, thread, mark).await;
    let statuses: Vec<u16> = posts.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [429, 429, 200],
        "one retry per 429, nothing on top"
    );
    for pair in posts.windows(2) {
        let waited = pair[1].received.duration_since(pair[0].received);
        assert!(
            waited >= RETRY_AFTER,
            "retried after {waited:?}, before the Retry-After of {RETRY_AFTER:?}"
        );
    }

    // A global rate limit.
    let mark = fake.mark();
    fake.faults().push(Fault {
        method: "POST".into(),
        pattern: route.clone(),
        effect: Effect::Answer,
        status: 429,
        remaining: 1,
        retry_after: Some(RETRY_AFTER),
        global: true,
    });
    fake.user_message(thread, &trainee, TALK[1]);
    wait_for_replies(&fake, thread, 2).await;
    let posts = posts_until_accepted(&fake, thread, mark).await;
    let statuses: Vec<u16> = posts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200], "one retry after a global 429");
    assert!(posts[1].received.duration_since(posts[0].received) >= RETRY_AFTER);

    fake.user_message(thread, &trainee, TALK[2]);
    three_answered_once(&fake, &bot, thread, "a rate-limited reply was posted twice").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_server_errors_still_gets_each_reply_posted_once() {
    let (fake, bot, thread) = production("priya").await;
    let trainee = fake.trainee();
    let route = format!("/channels/{thread}/messages");

    // More failures than one send tries: the sweeper takes the reply over from the turn.
    for status in [500, 502, 503, 504, 500, 502, 503, 504] {
        fake.faults().fail_next("POST", &route, status, 1);
    }
    fake.user_message(thread, &trainee, TALK[0]);
    wait_for_replies(&fake, thread, 1).await;
    fake.faults().fail_next("POST", &route, 503, 2);
    fake.user_message(thread, &trainee, TALK[1]);
    fake.user_message(thread, &trainee, TALK[2]);
    three_answered_once(
        &fake,
        &bot,
        thread,
        "a reply was posted twice after server errors",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_authority_in_ssl_cert_file_the_bot_trusts_no_fake_discord() {
    let fake = FakeDiscord::start_https().await;
    let mut bot = Crashes::behind_https(env!("CARGO_BIN_EXE_sceptic"), &fake, false);
    let (success, log) = bot.run_until_stopped(&fake).await;
    assert!(
        !success,
        "the bot ran against a certificate it cannot trust"
    );
    let said = log
        .lines()
        .find(|l| l.contains("cannot reach Discord"))
        .expect("the bot says it cannot reach Discord");
    assert!(said.contains("certificate"), "{said}");
    let front = fake.https().expect("the HTTPS front");
    assert!(!front.tunnels().is_empty(), "the bot never tried the proxy");
    assert!(fake.requests().is_empty(), "a request got past TLS");
}
