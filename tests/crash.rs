//! The bot binary killed with SIGKILL before a reply is stored, after it is stored but before
//! it is sent, and after it is sent: every trainee message is still answered exactly once and
//! the debrief equals that of an uninterrupted run. Nothing it writes contains the token.

use bot::crash::{Crashes, KillPoint, play};
use fake_discord::FakeDiscord;
use sceptic_test_support::postgres::Postgres;
use sceptic_test_support::{bot, common};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_every_point_of_a_conversation_the_bot_answers_each_message_once() {
    let fake = FakeDiscord::start().await;
    let mut crashes = Crashes::new(env!("CARGO_BIN_EXE_sceptic"), &fake);
    let messages = [
        "Good morning!",
        "What is still holding you back?",
        "I understand why that worries you.",
        "Is the price a concern for you?",
        "Tell me more about your planning.",
        "Anything else that worries you?",
    ];
    let points = [KillPoint::Early, KillPoint::Stored, KillPoint::Sent];
    let report = play(&fake, &mut crashes, &messages, &points).await;
    assert_eq!(
        (report.lost, report.duplicated),
        (0, 0),
        "replies lost or duplicated"
    );
    assert_eq!(
        report.restart_to_reply.len(),
        messages.len(),
        "a message was never answered"
    );
    assert!(
        report.debrief_matches,
        "the debrief differs from an uninterrupted run's"
    );

    let written = crashes.written();
    let token = fake.token();
    assert!(!written.is_empty());
    assert!(
        !written.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token appears in the bot's logs or database"
    );
    // A service's stderr goes to journald or a file: colour codes there are noise.
    for log in &crashes.logs {
        let text = std::fs::read_to_string(log).expect("log is UTF-8");
        assert!(text.contains("INFO"), "{} has no log lines", log.display());
        assert!(
            !text.contains('\u{1b}'),
            "{} has colour codes though it is not a terminal",
            log.display()
        );
    }
}

/// The same on PostgreSQL, and a second session after the database server itself was killed
/// and restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_killed_bot_or_database_loses_and_repeats_nothing() {
    let fake = FakeDiscord::start().await;
    let mut server = Postgres::start().await;
    let mut crashes = Crashes::with_database(
        env!("CARGO_BIN_EXE_sceptic"),
        &fake,
        common::personas_dir(),
        Some(server.url()),
    );
    let before = [
        "Good morning!",
        "What is still holding you back?",
        "I understand why that worries you.",
    ];
    let points = [KillPoint::Early, KillPoint::Stored, KillPoint::Sent];
    let first = play(&fake, &mut crashes, &before, &points).await;
    assert_eq!(
        (first.lost, first.duplicated),
        (0, 0),
        "replies lost or duplicated"
    );
    assert!(
        first.debrief_matches,
        "the debrief differs from an uninterrupted run's"
    );

    server.restart().await;
    let after = [
        "Is the price a concern for you?",
        "Anything else that worries you?",
    ];
    let second = play(&fake, &mut crashes, &after, &points).await;
    assert_eq!(
        (second.lost, second.duplicated),
        (0, 0),
        "replies lost or duplicated"
    );
    assert!(
        second.debrief_matches,
        "the debrief differs from an uninterrupted run's"
    );
    let errors = crashes.errors();
    assert!(errors.is_empty(), "errors logged: {errors:#?}");
}
