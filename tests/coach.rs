//! What coaches get: practice rounds, review, personas in full, and nothing of it for
//! trainees.

use bot::*;
use fake_discord::{FakeDiscord, FakeUser};
use sceptic_test_support::{bot, common};
use serde_json::{Value, json};

fn sub(name: &str, options: Value) -> Value {
    let options: Vec<Value> = options
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| json!({ "type": if v.is_number() { 4 } else { 3 }, "name": k, "value": v }))
                .collect()
        })
        .unwrap_or_default();
    json!([{ "type": 1, "name": name, "options": options }])
}

async fn answer(fake: &FakeDiscord, interaction: u64) -> String {
    fake.wait_until(|f| !f.interaction_text(interaction).is_empty(), WAIT)
        .await;
    fake.interaction_text(interaction)
}

async fn press_start(
    fake: &FakeDiscord,
    announcement: u64,
    custom_id: &str,
    who: &FakeUser,
) -> u64 {
    let known: Vec<u64> = fake.threads().iter().map(|t| t.id).collect();
    fake.click_button(announcement, custom_id, who);
    let thread = fake
        .wait_for_thread(|t| !known.contains(&t.id), WAIT)
        .await
        .expect("a thread per trainee");
    fake.wait_for_message_in(thread.id, |m| m.content.starts_with("**"), WAIT)
        .await
        .expect("the customer opens");
    thread.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_gives_everyone_the_same_customer_and_ends_in_a_comparing_summary() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let coach = fake.coach();
    let start = fake.slash_command(
        "round",
        sub(
            "start",
            json!({ "persona": "margaret", "deadline": "4s", "seed": 77 }),
        ),
        &coach,
        fake.training_channel(),
    );
    assert!(
        answer(fake, start).await.contains("<t:"),
        "{}",
        fake.interaction_text(start)
    );
    let announcement = fake
        .wait_for_message_in(fake.training_channel(), |m| !m.components.is_empty(), WAIT)
        .await
        .expect("the round is announced with a button");
    let custom_id = announcement.components[0]["components"][0]["custom_id"]
        .as_str()
        .expect("a button")
        .to_string();

    let (ann, bea, cor) = (
        fake.add_member("ann_trainee"),
        fake.add_member("bea_trainee"),
        fake.add_member("cor_trainee"),
    );
    let threads = [
        press_start(fake, announcement.id, &custom_id, &ann).await,
        press_start(fake, announcement.id, &custom_id, &bea).await,
        press_start(fake, announcement.id, &custom_id, &cor).await,
    ];
    let openings: Vec<String> = threads
        .iter()
        .map(|t| customer_lines(fake, *t)[0].clone())
        .collect();
    assert!(
        openings.iter().all(|o| o == &openings[0]),
        "everyone meets the same customer"
    );

    for m in [
        "We're the market leader.",
        "Shall we sign?",
        "Shall we sign?",
    ] {
        say(fake, threads[0], &ann, m).await;
    }
    fake.slash_command("end", json!({}), &bea, threads[1]);
    assert!(wait_for_embed(fake, threads[1], "Debrief").await);

    let summary = fake
        .wait_for_message_in(
            fake.coach_channel(),
            |m| m.content.contains("Practice round"),
            WAIT,
        )
        .await
        .expect("the summary comes at the deadline");
    let text = summary.content;
    assert!(text.contains("3 started, 2 finished"), "{text}");
    for (who, outcome, thread) in [
        ("Ann", "Postponed", threads[0]),
        ("Bea", "Ended by the trainee", threads[1]),
        ("Cor", "not finished", threads[2]),
    ] {
        let row = text
            .lines()
            .find(|l| l.contains(&format!("**{who}**")))
            .unwrap_or_else(|| panic!("no row for {who}: {text}"));
        assert!(
            row.contains(outcome) && row.contains(&thread.to_string()),
            "{row}"
        );
    }
    assert!(
        text.contains("2 of 2 never surfaced"),
        "what the group missed: {text}"
    );
    let late = fake.click_button(announcement.id, &custom_id, &fake.add_member("dan_late"));
    assert!(answer(fake, late).await.contains("closed"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coach_commands_are_refused_to_trainees() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let trainee = fake.trainee();
    let attempts = [
        fake.slash_command(
            "round",
            sub("start", json!({ "persona": "margaret", "deadline": "1d" })),
            &trainee,
            fake.training_channel(),
        ),
        fake.slash_command(
            "round",
            sub("status", json!({})),
            &trainee,
            fake.training_channel(),
        ),
        fake.slash_command(
            "persona",
            sub("show", json!({ "id": "margaret" })),
            &trainee,
            fake.training_channel(),
        ),
        fake.slash_command(
            "persona",
            sub("reload", json!({})),
            &trainee,
            fake.training_channel(),
        ),
        fake.slash_command(
            "review",
            json!({ "member": fake.coach().id.to_string() }),
            &trainee,
            fake.training_channel(),
        ),
    ];
    for attempt in attempts {
        let text = answer(fake, attempt).await;
        assert!(text.contains("Only coaches"), "{text}");
        assert!(!text.contains("callout-times"));
    }
    assert!(
        fake.messages_in(fake.training_channel()).is_empty(),
        "nothing was announced"
    );
    let shown = fake.slash_command(
        "persona",
        sub("show", json!({ "id": "margaret" })),
        &fake.coach(),
        fake.training_channel(),
    );
    assert!(
        answer(fake, shown).await.contains("callout-times"),
        "coaches see the doubt pool"
    );
    assert!(fake.interaction_was_ephemeral(shown));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_lists_sessions_newest_first_with_the_trend() {
    let w = world().await;
    let fake = &w.fake;
    let bot = start_bot(fake, &w.database).await;
    let trainee = fake.trainee();
    for persona in ["margaret", "priya"] {
        let thread = open_session(fake, &trainee, persona).await;
        say(fake, thread, &trainee, "What is still holding you back?").await;
        fake.slash_command("end", json!({}), &trainee, thread);
        assert!(wait_for_embed(fake, thread, "Debrief").await);
    }
    let review = fake.slash_command("review", json!({}), &trainee, fake.general_channel());
    let text = answer(fake, review).await;
    assert!(text.contains("2 session(s)"), "{text}");
    let (priya, margaret) = (
        text.find("priya").expect("priya listed"),
        text.find("margaret").expect("margaret listed"),
    );
    assert!(priya < margaret, "newest first: {text}");
    assert!(text.contains("Trend: first Ended by the trainee"), "{text}");
    fake.set_locale(&trainee, "nl");
    let dutch = fake.slash_command("review", json!({}), &trainee, fake.general_channel());
    let text = answer(fake, dutch).await;
    assert!(
        text.contains("2 gesprek(ken)") && text.contains("Door de trainee beëindigd"),
        "{text}"
    );
    let coach_view = fake.slash_command(
        "review",
        json!({ "member": trainee.id.to_string() }),
        &fake.coach(),
        fake.general_channel(),
    );
    assert!(answer(fake, coach_view).await.contains("2 session(s)"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloading_personas_reports_errors_and_keeps_the_last_good_version() {
    let w = world().await;
    let fake = &w.fake;
    let personas = w._dir.path().join("personas");
    std::fs::create_dir_all(&personas).expect("persona dir");
    for entry in std::fs::read_dir(common::personas_dir()).expect("shipped personas") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, personas.join(path.file_name().expect("name"))).expect("copied");
    }
    let mut config = config(fake, &w.database);
    config.personas.dir = personas.clone();
    let bot = start_bot_with(fake, config).await;
    let broken = std::fs::read_to_string(personas.join("margaret.toml"))
        .expect("read")
        .replace("patience = 16", "patience = 16\nmood = \"grumpy\"");
    std::fs::write(personas.join("margaret.toml"), broken).expect("broken");
    let reload = fake.slash_command(
        "persona",
        sub("reload", json!({})),
        &fake.coach(),
        fake.training_channel(),
    );
    let text = answer(fake, reload).await;
    assert!(
        text.contains("margaret.toml") && text.contains("mood: unknown key"),
        "{text}"
    );
    open_session(fake, &fake.trainee(), "margaret").await;

    // An unknown id is the coach's to know; a folder the bot cannot read is ours, logged, and
    // the coach is told only that it went wrong, without the path or the system's words.
    let unknown = fake.slash_command(
        "persona",
        sub("show", json!({ "id": "nobody" })),
        &fake.coach(),
        fake.training_channel(),
    );
    let text = answer(fake, unknown).await;
    assert!(
        text.contains("nobody") && text.contains("margaret"),
        "{text}"
    );
    std::fs::remove_dir_all(&personas).expect("folder removed");
    let reload = fake.slash_command(
        "persona",
        sub("reload", json!({})),
        &fake.coach(),
        fake.training_channel(),
    );
    let text = answer(fake, reload).await;
    assert!(
        text.contains("went wrong on our side") && !text.contains(&personas.display().to_string()),
        "{text}"
    );
    bot.stop().await;
}
