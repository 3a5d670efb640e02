//! Whole conversations with the customer, in English and Dutch, through the public API the
//! terminal and Discord use.

use common::{known_persona, shipped, shipped_persona};
use sceptic::engine::Cause;
use sceptic::{ActKind, Outcome, Persona, Session, Topic};
use sceptic_test_support::common;
use std::collections::BTreeSet;
use std::sync::Arc;

struct Phrases {
    ask: &'static str,
    acknowledge: &'static str,
    admit: &'static str,
    close: &'static str,
    pitch: &'static str,
    dismiss: &'static str,
}

const EN: Phrases = Phrases {
    ask: "What's still holding you back?",
    acknowledge: "I understand why that worries you.",
    admit: "I'll be honest: we're not the cheapest.",
    close: "Shall I send you the contract?",
    pitch: "We're the market leader with the best product.",
    dismiss: "Don't worry about that, it's never a problem.",
};

const NL: Phrases = Phrases {
    ask: "Waar twijfelt u nog over?",
    acknowledge: "Dat snap ik heel goed.",
    admit: "Eerlijk is eerlijk, we zijn niet de goedkoopste.",
    close: "Zullen we de handtekening zetten?",
    pitch: "Wij zijn de beste van Nederland.",
    dismiss: "Daar hoeft u zich geen zorgen over te maken.",
};

/// What a good trainee offers for a doubt on each topic: real evidence or a fitting measure.
fn answer(language: &str, topic: Topic) -> &'static str {
    match (language, topic) {
        ("en", Topic::Performance) => {
            "Here's an independent benchmark on volumes like yours: 30% more throughput."
        }
        ("en", Topic::Fit) => {
            "Let's start with a pilot at one site; if it doesn't work for your people, you walk away."
        }
        ("en", Topic::Reliability) => {
            "Here are our uptime figures: 99.9% over three years, with the incident log."
        }
        ("en", Topic::References) => {
            "I'll put you in touch with three customers like you; you can call them."
        }
        ("en", Topic::Guarantee) => {
            "You get a money-back guarantee for the first year, in the contract."
        }
        ("en", Topic::Delivery) => {
            "We'll write the start date into the contract with a penalty clause."
        }
        ("en", Topic::Price) => "We'll fix the price for three years, in writing, no hidden costs.",
        ("en", Topic::Service) => {
            "You get an SLA with a four-hour response time and a named contact."
        }
        (_, Topic::Performance) => {
            "Hier is de onafhankelijke benchmark: dertig procent meer doorvoer."
        }
        (_, Topic::Fit) => {
            "Laten we beginnen met een pilot op één locatie; past het niet, dan stoppen we."
        }
        (_, Topic::Reliability) => {
            "Hier zijn onze storingscijfers: een uptime van 99,9 procent over drie jaar."
        }
        (_, Topic::References) => {
            "Ik breng u in contact met drie klanten zoals u, die u mag bellen."
        }
        (_, Topic::Guarantee) => {
            "U krijgt een geld-terug-garantie voor het eerste jaar, in het contract."
        }
        (_, Topic::Delivery) => {
            "We nemen een boeteclausule op en zetten de startdatum vast in het contract."
        }
        (_, Topic::Price) => "We leggen de prijs vast voor drie jaar, zonder verborgen kosten.",
        (_, Topic::Service) => {
            "U krijgt een SLA met een reactietijd van vier uur en een vast aanspreekpunt."
        }
    }
}

fn topic_of(session: &Session, id: &str) -> Topic {
    session
        .debrief()
        .doubt(id)
        .expect("revealed doubt is in the debrief")
        .topic
}

/// The trainee the product wants: asks, admits, acknowledges, proves, then closes.
fn play_good_trainee(persona: Arc<Persona>, seed: u64, p: &Phrases) -> Session {
    let language = persona.language.clone();
    let mut session = Session::new(persona, seed, None);
    session.respond(p.admit);
    for _ in 0..8 {
        let revealed = session.respond(p.ask).revealed;
        // An easy customer can bring out two doubts at one ask: answer every one still open.
        let open: Vec<String> = revealed
            .into_iter()
            .filter(|id| {
                session
                    .debrief()
                    .doubt(id)
                    .is_some_and(|d| d.resolved_at.is_none())
            })
            .collect();
        if open.is_empty() {
            // A hard customer holds a later doubt back at the first ask: ask again.
            if session
                .debrief()
                .doubts
                .iter()
                .any(|d| d.revealed_at.is_none())
            {
                continue;
            }
            break;
        }
        for id in open {
            let topic = topic_of(&session, &id);
            session.respond(p.acknowledge);
            let mut turn = session.respond(answer(&language, topic));
            // A hard customer questions the first fitting answer once; the same answer again
            // counts.
            if session.difficulty() == sceptic::Difficulty::Hard && !turn.resolved.contains(&id) {
                turn = session.respond(answer(&language, topic));
            }
            assert!(
                turn.resolved.contains(&id),
                "{language}: answer for {topic} did not resolve {id}: {turn:?}"
            );
        }
    }
    session.respond(p.close);
    session
}

fn play_pitcher(persona: Arc<Persona>, seed: u64, p: &Phrases) -> Session {
    let mut session = Session::new(persona, seed, None);
    for message in [
        p.pitch, p.pitch, p.close, p.pitch, p.close, p.pitch, p.close,
    ] {
        session.respond(message);
    }
    session
}

fn assert_pitcher_postponed(language: &str, p: &Phrases) {
    for persona in shipped().personas.iter().filter(|x| x.language == language) {
        let session = play_pitcher(Arc::clone(persona), 7, p);
        let debrief = session.debrief();
        assert_eq!(debrief.outcome, Outcome::Postponed, "{}", persona.id);
        assert!(
            debrief.doubts.iter().all(|d| d.revealed_at.is_none()),
            "pitching revealed a doubt"
        );
        assert_eq!(debrief.stalls.len() as u32, persona.temperament.stalls);
        let blocking: BTreeSet<&str> = debrief
            .doubts
            .iter()
            .filter(|d| d.blocking)
            .map(|d| d.id.as_str())
            .collect();
        for stall in &debrief.stalls {
            let open: BTreeSet<&str> = stall.open.iter().map(String::as_str).collect();
            assert!(
                blocking.is_subset(&open),
                "stall at {} does not list the blocking doubts",
                stall.turn
            );
        }
        assert!(
            debrief.coaching.len() >= 2,
            "{}: too few coaching points",
            persona.id
        );
        assert!(
            debrief.trust.end < debrief.trust.start,
            "pushing should cost trust"
        );
    }
}

#[test]
fn pitching_and_pushing_is_postponed_with_stalls_and_nothing_revealed_en() {
    assert_pitcher_postponed("en", &EN);
}

#[test]
fn pitching_and_pushing_is_postponed_with_stalls_and_nothing_revealed_nl() {
    assert_pitcher_postponed("nl", &NL);
}

fn assert_good_trainee_signs(language: &str, p: &Phrases) {
    for persona in shipped().personas.iter().filter(|x| x.language == language) {
        for seed in [1, 2, 3] {
            let session = play_good_trainee(Arc::clone(persona), seed, p);
            let debrief = session.debrief();
            assert_eq!(
                debrief.outcome,
                Outcome::Signed,
                "{} seed {seed} ended {:?} at trust {} (signs at {})",
                persona.id,
                debrief.outcome,
                debrief.trust.end,
                persona.temperament.sign_at
            );
            assert!(debrief.stalls.is_empty());
            assert!(
                debrief
                    .doubts
                    .iter()
                    .all(|d| d.resolved_at.is_some() && d.resolved_by.is_some())
            );
            assert!(
                debrief.moments.iter().all(|m| m.delta > 0),
                "a good trainee lost trust"
            );
        }
    }
}

#[test]
fn asking_acknowledging_and_proving_signs_en() {
    assert_good_trainee_signs("en", &EN);
}

#[test]
fn asking_acknowledging_and_proving_signs_nl() {
    assert_good_trainee_signs("nl", &NL);
}

#[test]
fn evidence_before_the_doubt_is_revealed_resolves_nothing() {
    for (language, p) in [("en", &EN), ("nl", &NL)] {
        let mut session = Session::new(known_persona(language, "normal", 30, 60), 3, None);
        let early = session.respond(answer(language, Topic::Delivery));
        assert!(
            early.resolved.is_empty(),
            "{language}: hidden doubt resolved early"
        );
        assert!(early.revealed.is_empty());
        let reveal = session.respond(p.ask);
        assert_eq!(
            reveal.reply, "REVEAL-DELIVERY",
            "{language}: general ask reveals the heaviest doubt"
        );
        let resolved = session.respond(answer(language, Topic::Delivery));
        assert_eq!(resolved.resolved, vec!["start-date".to_string()]);
        assert!(resolved.reply.contains("ACCEPTED-DELIVERY"));
        let debrief = session.debrief();
        assert_eq!(
            debrief.doubt("start-date").and_then(|d| d.resolved_at),
            Some(3)
        );
        assert!(
            debrief.coaching.iter().any(|c| c.contains(&debrief.name)),
            "{language}: coaching should mention the early proof: {:?}",
            debrief.coaching
        );
    }
}

#[test]
fn dismissing_a_concern_costs_trust_with_a_stated_cause() {
    for (language, p) in [("en", &EN), ("nl", &NL)] {
        let mut session = Session::new(known_persona(language, "normal", 40, 60), 3, None);
        session.respond(p.ask);
        let before = session.trust();
        let turn = session.respond(p.dismiss);
        assert!(
            turn.trust < before,
            "{language}: dismissal did not cost trust"
        );
        assert!(turn.acts.iter().any(|a| a.act == ActKind::Dismiss));
        assert_eq!(
            turn.reply, "UNRESOLVED-DELIVERY",
            "{language}: the revealed doubt stays"
        );
        let moment = session
            .debrief()
            .moments
            .into_iter()
            .last()
            .expect("a moment was recorded");
        assert_eq!(moment.cause, Cause::Dismissed);
        assert_eq!(moment.words, p.dismiss);
        assert_eq!(moment.turn, 2);
    }
}

#[test]
fn closing_with_a_hidden_blocking_doubt_stalls_even_at_high_trust() {
    let mut session = Session::new(known_persona("en", "normal", 95, 50), 1, None);
    let turn = session.respond(EN.close);
    assert!(turn.stalled);
    assert_ne!(turn.outcome, Some(Outcome::Signed));
    let stall = &session.debrief().stalls[0];
    assert_eq!(
        stall.open,
        vec!["start-date".to_string(), "budget".to_string()]
    );
    assert!(!stall.low_trust);
}

#[test]
fn a_non_blocking_doubt_does_not_stop_the_signature() {
    let mut session = Session::new(known_persona("en", "normal", 40, 50), 1, None);
    session.respond(EN.ask);
    session.respond(answer("en", Topic::Delivery));
    let turn = session.respond(EN.close);
    assert_eq!(turn.outcome, Some(Outcome::Signed), "trust {}", turn.trust);
    let debrief = session.debrief();
    assert_eq!(
        debrief.doubt("budget").and_then(|d| d.never_told.clone()),
        Some("REVEAL-PRICE".into())
    );
}

#[test]
fn targeted_questions_reveal_their_topic_or_get_an_honest_no() {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    let hit = session.respond("Is the price a concern for you?");
    assert_eq!(hit.reply, "REVEAL-PRICE");
    assert_eq!(hit.revealed, vec!["budget".to_string()]);
    let miss = session.respond("Are you worried about our support?");
    assert!(
        miss.revealed == vec!["budget".to_string()],
        "a miss revealed something"
    );
    let no_lines = &sceptic::lexicon::get("en").expect("en").replies.no_concern;
    assert!(
        no_lines.contains(&miss.reply),
        "unexpected answer to a miss: {}",
        miss.reply
    );
}

#[test]
fn any_questions_is_not_an_ask_and_the_customer_says_it_is_clear() {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    let turn = session.respond("Any questions?");
    assert!(turn.revealed.is_empty());
    let clear = &sceptic::lexicon::get("en").expect("en").replies.clear;
    assert!(clear.contains(&turn.reply), "{}", turn.reply);
}

#[test]
fn talk_near_a_hidden_doubt_draws_a_tell_not_a_reveal() {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    let turn = session.respond("Our installation planning is very flexible.");
    assert!(turn.reply.starts_with("TELL-DELIVERY"), "{}", turn.reply);
    assert!(turn.revealed.is_empty());
}

#[test]
fn hard_customers_hold_back_the_second_doubt_until_trust_has_grown() {
    let mut session = Session::new(known_persona("en", "hard", 30, 60), 1, None);
    assert_eq!(session.respond(EN.ask).revealed.len(), 1);
    let held = session.respond(EN.ask);
    assert_eq!(
        held.revealed.len(),
        1,
        "hard customer opened up without trust"
    );
    session.respond(EN.acknowledge);
    // The first fitting answer is questioned once; the second one counts.
    let probed = session.respond(answer("en", Topic::Delivery));
    assert!(probed.resolved.is_empty(), "{}", probed.reply);
    assert_eq!(
        session.respond(answer("en", Topic::Delivery)).resolved,
        vec!["start-date".to_string()]
    );
    assert_eq!(session.respond(EN.ask).revealed.len(), 2);

    let mut normal = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    normal.respond(EN.ask);
    assert_eq!(normal.respond(EN.ask).revealed.len(), 2);
}

#[test]
fn patience_runs_out_and_the_customer_leaves() {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    let mut last = None;
    for _ in 0..20 {
        last = Some(session.respond("Let me tell you about our company history."));
    }
    assert_eq!(last.and_then(|t| t.outcome), Some(Outcome::Lost));
    assert_eq!(session.turns(), 20);
    let after = session.respond("Hello?");
    assert!(after.reply.is_empty(), "a customer who left answered");
}

#[test]
fn the_same_seed_gives_the_same_conversation_and_debrief() {
    let messages = [
        EN.pitch,
        "Is the price a concern?",
        EN.ask,
        EN.dismiss,
        EN.close,
        EN.ask,
        EN.close,
    ];
    let play = || {
        let mut session = Session::new(shipped_persona("margaret"), 99, None);
        let replies: Vec<String> = messages.iter().map(|m| session.respond(m).reply).collect();
        (session.opening().to_string(), replies, session.debrief())
    };
    assert_eq!(play(), play());
}

#[test]
fn replaying_the_stored_messages_rebuilds_the_session() {
    let messages = ["Hello!", EN.ask, EN.acknowledge, EN.close];
    let mut live = Session::new(shipped_persona("priya"), 5, None);
    for m in messages {
        live.respond(m);
    }
    let mut replayed = Session::replay(shipped_persona("priya"), 5, None, messages);
    assert_eq!(live.debrief(), replayed.debrief());
    assert_eq!(live.respond(EN.pitch), replayed.respond(EN.pitch));
}

#[test]
fn different_seeds_draw_different_doubts() {
    for persona in shipped().personas {
        let draws: BTreeSet<Vec<String>> = (0..40)
            .map(|seed| {
                Session::new(Arc::clone(&persona), seed, None)
                    .drawn()
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        assert!(
            draws.len() >= 4,
            "{}: only {} different draws over 40 seeds",
            persona.id,
            draws.len()
        );
        assert!(draws.iter().all(|d| d.len() == persona.draw));
    }
}

#[test]
fn the_customer_never_repeats_a_line_twice_in_a_row() {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 11, None);
    let mut previous = String::new();
    for _ in 0..10 {
        let reply = session.respond("Our planning is great.").reply;
        assert_ne!(reply, previous);
        previous = reply;
    }
}

#[test]
fn a_dutch_customer_gets_a_dutch_debrief() {
    let mut session = Session::new(shipped_persona("kees"), 4, None);
    session.respond(NL.pitch);
    session.respond(NL.close);
    session.end();
    let debrief = session.debrief();
    let text = debrief.to_text();
    assert!(
        text.contains("Coachingspunten") || text.contains("Coaching"),
        "{text}"
    );
    let en = sceptic::lexicon::get("en").expect("en");
    for section in debrief.sections() {
        assert!(
            ![
                &en.debrief.moments_heading,
                &en.debrief.stalls_heading,
                &en.debrief.doubts_heading
            ]
            .contains(&&section.title),
            "English heading in a Dutch debrief: {}",
            section.title
        );
    }
}

#[test]
fn the_debrief_renders_the_same_story_as_text_markdown_and_json() {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    session.respond(EN.close);
    session.respond(EN.ask);
    session.respond(EN.dismiss);
    session.end();
    let debrief = session.debrief();
    let text = debrief.to_text();
    let markdown = debrief.to_markdown();
    let json = serde_json::to_value(&debrief).expect("debrief serialises");
    for rendering in [&text, &markdown] {
        assert!(rendering.contains("start-date"));
        assert!(
            rendering.contains("REVEAL-PRICE"),
            "never-surfaced doubt's words are shown"
        );
        assert!(rendering.contains(EN.close), "the stalled close is quoted");
    }
    assert!(markdown.starts_with("## "));
    assert_eq!(json["outcome"], "ended");
    assert_eq!(json["stalls"][0]["turn"], 1);
    assert_eq!(json["stalls"][0]["open"][0], "start-date");
    assert_eq!(json["doubts"][0]["revealed_at"], 2);
    assert!(json["doubts"][1]["revealed_at"].is_null());
    assert_eq!(json["moments"][0]["cause"], "pushed");
    assert_eq!(json["turns"], 3);
}
