//! Two `sceptic bot` processes on one database, as in a rolling restart or a standby: one
//! answers, the other stands by, and when the one answering is killed in the middle of a
//! conversation the other takes over. Every trainee message is answered exactly once and in
//! order, and neither process logs an error. On a SQLite file and on PostgreSQL.

use bot::crash::{Crashes, open};
use bot::{WAIT, replies, uninterrupted_at};
use fake_discord::FakeDiscord;
use sceptic_test_support::database::TestDatabase;
use sceptic_test_support::{bot, common, on_both_backends};

on_both_backends!(a_standby_takes_over_a_killed_bot_mid_conversation);

async fn a_standby_takes_over_a_killed_bot_mid_conversation(db: TestDatabase) {
    let fake = FakeDiscord::start().await;
    let binary = env!("CARGO_BIN_EXE_sceptic");
    let instance = || Crashes::with_database(binary, &fake, common::personas_dir(), Some(db.url()));
    let (mut first, mut second) = (instance(), instance());
    first.start(&fake).await;
    second.spawn(&fake);
    assert!(
        second.wait_for_log("standing by").await,
        "the second process does not stand by"
    );

    let thread = open(&fake).await;
    let trainee = fake.trainee();
    let messages = [
        "Good morning!",
        "What is still holding you back?",
        "I understand why that worries you.",
        "Is the price a concern for you?",
        "Anything else that worries you?",
    ];
    for (i, message) in messages.iter().enumerate() {
        let mark = fake.mark();
        fake.user_message(thread, &trainee, message);
        if i == 2 {
            // Killed the moment the message is out: it may or may not have been stored.
            first.kill();
            assert!(
                second.wait_for_log("took the lease over").await,
                "no takeover"
            );
            bot::wait_until_listening(&fake, mark).await;
        }
        assert!(
            fake.wait_until(|f| replies(f, thread).len() > i, WAIT)
                .await,
            "message {i} ({message:?}) was never answered: {:?}",
            replies(&fake, thread)
        );
    }
    tokio::time::sleep(bot::QUIET).await;

    let (expected, _) = uninterrupted_at(&db.url(), thread, &messages).await;
    assert_eq!(
        replies(&fake, thread),
        expected,
        "each message answered once, in order, as one process would"
    );
    second.kill();
    let errors: Vec<String> = [&first, &second].iter().flat_map(|c| c.errors()).collect();
    assert!(errors.is_empty(), "errors logged: {errors:#?}");
}
