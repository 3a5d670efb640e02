//! The bot end to end: the real serenity client and poise framework against the fake
//! Discord in `tests/fake_discord`, with a real SQLite file.

use bot::*;
use sceptic::Session;
use sceptic::discord::{self, StartError};
use sceptic_test_support::{bot, common};
use serde_json::json;
use tokio::sync::oneshot;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_from_practice_to_debrief_and_coach_summary() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    let briefing = fake
        .messages_in(thread)
        .into_iter()
        .find(|m| !m.embeds.is_empty())
        .expect("briefing");
    assert!(briefing.embeds[0].to_string().contains("Margaret Okafor"));
    assert!(
        fake.thread_members(thread).contains(&trainee.id),
        "the trainee was added to the private thread"
    );

    let messages = [
        "We're the market leader in maintenance.",
        "What is still holding you back?",
        "Shall we sign?",
    ];
    let mut replies = Vec::new();
    for m in messages {
        replies.push(say(fake, thread, &trainee, m).await);
    }
    let (persona, seed) = stored_seed(&w.database, thread).await;
    let mut expected = Session::new(common::shipped_persona(&persona), seed, None);
    for (m, got) in messages.iter().zip(&replies) {
        assert_eq!(
            &expected.respond(m).reply,
            got,
            "the bot's customer is the core's customer"
        );
    }

    let before_debrief = fake.messages_in(thread);
    let end = fake.slash_command("end", json!({}), &trainee, thread);
    let debrief = fake
        .wait_for_message_in(
            thread,
            |m| m.embeds.iter().any(|e| e.to_string().contains("Debrief")),
            WAIT,
        )
        .await
        .expect("the debrief was posted in the thread");
    assert!(fake.interaction_was_ephemeral(end));
    let summary = fake
        .wait_for_message_in(
            fake.coach_channel(),
            |m| m.content.contains("Margaret Okafor"),
            WAIT,
        )
        .await
        .expect("the summary reached the coaches' channel");
    assert!(
        summary.content.contains(&format!(
            "https://discord.com/channels/{}/{thread}",
            fake.guild_id()
        )),
        "{}",
        summary.content
    );
    assert!(debrief.embeds.iter().all(|e| e.to_string().len() < 6000));

    // Hidden doubts never showed before the debrief.
    expected.end();
    let report = expected.debrief();
    let pool = common::shipped_persona(&persona);
    for doubt in report.doubts.iter().filter(|d| d.revealed_at.is_none()) {
        let lines = &pool
            .doubts
            .iter()
            .find(|d| d.id == doubt.id)
            .expect("doubt in pool")
            .reveal;
        for m in &before_debrief {
            assert!(
                lines.iter().all(|l| !m.content.contains(l.as_str())),
                "hidden doubt leaked: {}",
                m.content
            );
        }
    }
    bot.stop().await;
    assert!(
        fake.unknown_requests().is_empty(),
        "unknown routes: {:?}",
        fake.unknown_requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_trainee_drives_the_customer() {
    let (w, bot, trainee, thread) = talk("priya").await;
    let fake = &w.fake;
    let before = customer_lines(fake, thread).len();
    fake.user_message(thread, &fake.coach(), "What is still holding you back?");
    fake.user_message(thread, &fake.other_member(), "Shall we sign?");
    tokio::time::sleep(QUIET).await;
    assert_eq!(
        customer_lines(fake, thread).len(),
        before,
        "someone else's message was answered"
    );
    say(fake, thread, &trainee, "Hello Priya").await;
    assert_eq!(customer_lines(fake, thread).len(), before + 1);
    let not_yours = fake.slash_command("end", json!({}), &fake.other_member(), thread);
    let refused = fake
        .wait_until(|f| f.interaction_text(not_yours).starts_with("Only "), WAIT)
        .await;
    assert!(refused, "{}", fake.interaction_text(not_yours));
    assert!(fake.interaction_was_ephemeral(not_yours));
    say(fake, thread, &trainee, "Where were we?").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_the_bot_sends_can_ping_anyone() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    let text = format!(
        "@everyone @here <@&{}> <@{}> what is still holding you back? {}",
        fake.coach_role(),
        fake.coach().id,
        "Long words. ".repeat(500)
    );
    say(fake, thread, &trainee, &text).await;
    fake.slash_command("end", json!({}), &trainee, thread);
    fake.wait_for_message_in(fake.coach_channel(), |_| true, WAIT)
        .await
        .expect("summary");
    let posts = fake.requests_to("POST", "/channels/{id}/messages");
    assert!(posts.len() >= 5);
    for post in posts {
        let mentions = post
            .json("/allowed_mentions")
            .expect("every message carries allowed mentions");
        for list in ["parse", "users", "roles"] {
            assert!(
                mentions[list].as_array().is_none_or(Vec::is_empty),
                "{list} allowed: {mentions}"
            );
        }
        assert_ne!(mentions["replied_user"], json!(true));
    }
    for m in fake.messages_in(thread) {
        assert!(!m.mention_everyone && m.mentions.is_empty() && m.mention_roles.is_empty());
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_outside_a_training_channel_is_refused_with_where_to_go() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let interaction = fake.slash_command(
        "practice",
        json!({}),
        &fake.trainee(),
        fake.general_channel(),
    );
    let training = format!("<#{}>", fake.training_channel());
    assert!(
        fake.wait_until(
            |f| f.interaction_text(interaction).contains(&training),
            WAIT
        )
        .await
    );
    assert!(fake.interaction_was_ephemeral(interaction));
    assert!(fake.threads().is_empty(), "a thread was opened anyway");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_practice_points_to_the_open_session() {
    let (w, bot, trainee, thread) = talk("dan").await;
    let fake = &w.fake;
    let again = fake.slash_command(
        "practice",
        json!({ "persona": "kees" }),
        &trainee,
        fake.training_channel(),
    );
    assert!(
        fake.wait_until(
            |f| f.interaction_text(again).contains(&format!("<#{thread}>")),
            WAIT
        )
        .await
    );
    assert_eq!(fake.threads().len(), 1);
    let unknown = fake.slash_command(
        "practice",
        json!({ "persona": "nobody" }),
        &fake.coach(),
        fake.training_channel(),
    );
    assert!(
        fake.wait_until(|f| f.interaction_text(unknown).contains("margaret"), WAIT)
            .await
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_bot_continues_the_same_conversation_from_the_database() {
    let w = world().await;
    let fake = &w.fake;
    let trainee = fake.trainee();
    let messages = [
        "Good morning!",
        "What is still holding you back?",
        "I understand why that worries you.",
        "Is the price a concern for you?",
        "Shall we sign?",
    ];
    let bot = start_bot(fake, &w.database).await;
    let thread = open_session(fake, &trainee, "kees").await;
    let mut replies = Vec::new();
    for m in &messages[..2] {
        replies.push(say(fake, thread, &trainee, m).await);
    }
    bot.stop().await;

    let bot = start_bot(fake, &w.database).await;
    for m in &messages[2..] {
        replies.push(say(fake, thread, &trainee, m).await);
    }
    let (persona, seed) = stored_seed(&w.database, thread).await;
    let mut uninterrupted = Session::new(common::shipped_persona(&persona), seed, None);
    let expected: Vec<String> = messages
        .iter()
        .map(|m| uninterrupted.respond(m).reply)
        .collect();
    assert_eq!(replies, expected);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personas_lists_customers_but_never_their_doubts() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let interaction = fake.slash_command(
        "personas",
        json!({}),
        &fake.trainee(),
        fake.general_channel(),
    );
    assert!(
        fake.wait_until(
            |f| f.interaction_text(interaction).contains("Margaret Okafor"),
            WAIT
        )
        .await
    );
    let text = fake.interaction_text(interaction);
    for persona in common::shipped().personas {
        assert!(text.contains(&persona.name), "{} missing", persona.name);
        for doubt in &persona.doubts {
            assert!(
                !text.contains(&doubt.id) && !text.contains(&doubt.reveal[0]),
                "doubt {} shown",
                doubt.id
            );
        }
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_refuses_message_content_stops_the_bot_with_what_to_do() {
    let w = world().await;
    let fake = &w.fake;
    fake.set_refuse_privileged_intents(true);
    let (_stop, stopped) = oneshot::channel::<()>();
    let run = discord::run_until(config(fake, &w.database), Some(fake.token()), async {
        let _ = stopped.await;
    });
    let result = tokio::time::timeout(WAIT, run)
        .await
        .expect("the bot gave up in time");
    let err = result.expect_err("the bot must not run without message content");
    assert!(matches!(err, StartError::MessageContentRefused));
    assert!(err.to_string().contains("Message Content Intent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_stops_the_bot_with_what_to_do() {
    let w = world().await;
    let (_stop, stopped) = oneshot::channel::<()>();
    let run = discord::run_until(
        config(&w.fake, &w.database),
        Some("not-the-token".into()),
        async {
            let _ = stopped.await;
        },
    );
    let err = tokio::time::timeout(WAIT, run)
        .await
        .expect("in time")
        .expect_err("refused");
    assert!(matches!(err, StartError::TokenRejected), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_debrief_carries_the_trust_picture() {
    let (w, bot, trainee, thread) = talk("margaret").await;
    let fake = &w.fake;
    say(fake, thread, &trainee, "Shall we sign?").await;
    fake.slash_command("end", json!({}), &trainee, thread);
    let debrief = fake
        .wait_for_message_in(thread, |m| !m.attachments.is_empty(), WAIT)
        .await
        .expect("the debrief has an attachment");
    assert_eq!(debrief.attachments[0]["filename"], "trust.png");
    assert_eq!(debrief.embeds[0]["image"]["url"], "attachment://trust.png");
    let upload = fake
        .wait_for_request(
            |r| r.is("POST", "/channels/{id}/messages") && !r.files.is_empty(),
            WAIT,
        )
        .await
        .expect("the PNG was uploaded");
    assert_eq!(upload.files[0], "trust.png");
    let decoder = png::Decoder::new(std::io::Cursor::new(upload.uploads[0].clone()));
    let info = decoder.read_info().expect("a valid PNG").info().clone();
    assert_eq!(
        (info.width, info.height),
        (sceptic::chart::WIDTH, sceptic::chart::HEIGHT)
    );
    bot.stop().await;
}

/// Everything a trainee in a Dutch session reads is Dutch, and the coaches' summary speaks of
/// the trainee, not to them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dutch_session_is_dutch_from_briefing_to_coaches_summary() {
    let (w, bot, trainee, thread) = talk("kees").await;
    let fake = &w.fake;
    let briefing = fake
        .messages_in(thread)
        .into_iter()
        .find(|m| !m.embeds.is_empty())
        .expect("briefing")
        .embeds[0]
        .to_string();
    assert!(
        briefing.contains("normaal") && briefing.contains("/stoppen"),
        "{briefing}"
    );
    assert!(
        !briefing.contains("normal ·") && !briefing.contains("/end"),
        "{briefing}"
    );
    let reply = say(fake, thread, &trainee, "What is still holding you back?").await;
    let kees = common::shipped_persona("kees");
    assert!(
        kees.stock(sceptic::lexicon::Stock::OtherLanguage)
            .contains(&reply),
        "English in a Dutch session: {reply}"
    );
    fake.slash_command("end", json!({}), &trainee, thread);
    let summary = fake
        .wait_for_message_in(
            fake.coach_channel(),
            |m| m.content.contains("Kees van Dam"),
            WAIT,
        )
        .await
        .expect("the summary reached the coaches' channel");
    assert!(
        summary.content.contains("Door de trainee beëindigd")
            && summary.content.contains("normaal"),
        "{}",
        summary.content
    );
    assert!(!summary.content.contains("Door jou"), "{}", summary.content);
    // The goodbye is stored with the transcript, not only posted.
    let goodbye = replies(fake, thread).pop().expect("a goodbye");
    let ended = kees.stock(sceptic::lexicon::Stock::Ended);
    assert!(ended.contains(&goodbye), "{goodbye}");
    let store = sceptic::store::SqliteStore::open(&w.database)
        .await
        .expect("store opens");
    let stored = sceptic::store::SessionStore::session_by_thread(&store, thread)
        .await
        .expect("query")
        .expect("session");
    let messages = sceptic::store::MessageStore::messages(&store, stored.id)
        .await
        .expect("messages");
    assert_eq!(
        messages
            .last()
            .map(|m| (m.role, m.content.as_str(), m.sent)),
        Some((sceptic::store::Role::Customer, goodbye.as_str(), true)),
        "the goodbye is the transcript's last line"
    );
    bot.stop().await;
}

/// Members whose Discord runs in Dutch see the commands, their options and the difficulty
/// choices in Dutch, as the Dutch lexicon names them; every command has its Dutch words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_in_every_language_the_lexicons_speak() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let nl = sceptic::lexicon::get("nl").expect("Dutch ships");
    fn walk(
        definition: &serde_json::Value,
        parent: &str,
        nl: &sceptic::lexicon::Lexicon,
        seen: &mut Vec<String>,
    ) {
        let name = definition["name"].as_str().expect("a name");
        let path = if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent} {name}")
        };
        let words = nl
            .commands
            .get(&path)
            .unwrap_or_else(|| panic!("/{path} has no Dutch words"));
        assert_eq!(
            definition["name_localizations"]["nl"], words.name,
            "/{path}"
        );
        assert_eq!(
            definition["description_localizations"]["nl"], words.description,
            "/{path}"
        );
        seen.push(path.clone());
        for option in definition["options"].as_array().into_iter().flatten() {
            if option["type"] == 1 {
                walk(option, &path, nl, seen);
                continue;
            }
            let key = option["name"].as_str().expect("an option name");
            if let Some(o) = words.options.get(key) {
                assert_eq!(
                    option["description_localizations"]["nl"], o.description,
                    "/{path} {key}"
                );
                if let Some(n) = &o.name {
                    assert_eq!(option["name_localizations"]["nl"], *n, "/{path} {key}");
                }
            }
            for choice in option["choices"].as_array().into_iter().flatten() {
                let english = choice["name"].as_str().expect("a choice name");
                assert_eq!(
                    choice["name_localizations"]["nl"], nl.session.difficulty[english],
                    "/{path} {key} {english}"
                );
            }
        }
    }
    let mut seen = Vec::new();
    for command in fake.commands() {
        walk(&command.definition, "", nl, &mut seen);
    }
    seen.sort();
    let mut listed: Vec<String> = nl.commands.keys().cloned().collect();
    listed.sort();
    assert_eq!(
        seen, listed,
        "the Dutch lexicon names a command that does not exist"
    );
    let practice = fake
        .commands()
        .into_iter()
        .find(|c| c.name() == "practice")
        .expect("practice registered");
    assert_eq!(practice.definition["name_localizations"]["nl"], "oefenen");
    bot.stop().await;
}

/// A command as an older Discord app holds it (a choice that no longer exists) is the
/// member's to fix: told in their language, ephemerally, and nothing is opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_command_is_explained_in_the_members_language() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let trainee = fake.trainee();
    fake.set_locale(&trainee, "nl");
    let interaction = fake.slash_command(
        "practice",
        json!([{ "name": "difficulty", "type": 3, "value": "impossible" }]),
        &trainee,
        fake.training_channel(),
    );
    let nl = sceptic::lexicon::get("nl").expect("Dutch ships");
    let expected = &nl.bot.stale_command;
    assert!(
        fake.wait_until(|f| f.interaction_text(interaction) == *expected, WAIT)
            .await,
        "{}",
        fake.interaction_text(interaction)
    );
    assert!(fake.interaction_was_ephemeral(interaction));
    assert!(fake.threads().is_empty(), "a session was opened anyway");
    bot.stop().await;
}

/// A trainee who types the moment the customer's opening line appears, before the bot has
/// even confirmed the thread, is answered like any other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_sent_the_moment_the_opening_appears_is_answered() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let trainee = fake.trainee();
    fake.slash_command(
        "practice",
        json!({ "persona": "margaret" }),
        &trainee,
        fake.training_channel(),
    );
    let thread = fake
        .wait_for_thread(|t| t.parent_id == Some(fake.training_channel()), WAIT)
        .await
        .expect("a session thread")
        .id;
    fake.wait_for_message_in(thread, |m| m.content.starts_with("**"), WAIT)
        .await
        .expect("the opening line");
    let reply = say(fake, thread, &trainee, "What is still holding you back?").await;
    assert!(!reply.is_empty());
    bot.stop().await;
}
