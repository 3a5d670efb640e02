//! Two `sceptic bot` processes on one database, as in a rolling restart or a standby: one
//! answers, the other stands by, and when the one answering is killed in the middle of a
//! conversation the other takes over. Every trainee message is answered exactly once and in
//! order, and neither process logs an error. On a SQLite file and on PostgreSQL. A large bot
//! splits its shards across processes: each range has a lease of its own.

use bot::crash::{Crashes, open};
use bot::{WAIT, replies, uninterrupted_at};
use fake_discord::FakeDiscord;
use sceptic_test_support::database::TestDatabase;
use sceptic_test_support::{bot, common, on_both_backends};

on_both_backends!(
    a_standby_takes_over_a_killed_bot_mid_conversation,
    processes_on_other_shards_answer_side_by_side,
);

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

async fn processes_on_other_shards_answer_side_by_side(db: TestDatabase) {
    let fake = FakeDiscord::start().await;
    let binary = env!("CARGO_BIN_EXE_sceptic");
    let owner = ((fake.guild_id() >> 22) % 2) as u32;
    let on = |shard: u32| Crashes::sharded(binary, &fake, db.url(), [shard, shard, 2]);
    let (mut answering, mut other, mut standby) = (on(owner), on(1 - owner), on(owner));
    answering.start(&fake).await;
    other.start(&fake).await;
    assert!(
        other.wait_for_log("holding the lease").await,
        "the other shard's process waits though no one holds its shards"
    );
    standby.spawn(&fake);
    assert!(
        standby.wait_for_log("standing by").await,
        "a second process for the same shard does not stand by"
    );

    let thread = open(&fake).await;
    let trainee = fake.trainee();
    let messages = [
        "What is still holding you back?",
        "Anything else that worries you?",
    ];
    for (i, message) in messages.iter().enumerate() {
        fake.user_message(thread, &trainee, message);
        assert!(
            fake.wait_until(|f| replies(f, thread).len() > i, WAIT)
                .await,
            "message {i} ({message:?}) was never answered"
        );
    }
    tokio::time::sleep(bot::QUIET).await;
    let (expected, _) = uninterrupted_at(&db.url(), thread, &messages).await;
    assert_eq!(
        replies(&fake, thread),
        expected,
        "answered once, by the server's shard"
    );
    let errors: Vec<String> = [&answering, &other, &standby]
        .iter()
        .flat_map(|c| c.errors())
        .collect();
    assert!(errors.is_empty(), "errors logged: {errors:#?}");
}
