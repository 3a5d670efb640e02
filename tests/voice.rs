//! A customer who talks back: discovery questions answered from the persona's situation, a
//! greeting returned, one register throughout, the persona's own stock lines, and a debrief
//! that names doubts as people do. Whole conversations with the shipped personas.

use common::shipped_persona;
use sceptic::engine::Cause;
use sceptic::persona;
use sceptic::{ActKind, Session};
use sceptic_test_support::common;
use std::path::Path;

fn learned(session: &Session) -> Vec<String> {
    session
        .debrief()
        .moments
        .iter()
        .filter_map(|m| match &m.cause {
            Cause::Learned { subject } => Some(subject.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn discovery_questions_are_answered_from_the_situation() {
    for (id, questions) in [
        (
            "margaret",
            [
                ("How many homes do you run?", "volumes"),
                ("Who else is involved in the decision?", "decision"),
                ("what's your budget for this", "budget"),
            ],
        ),
        (
            "kees",
            [
                ("Hoeveel brood bak je per nacht?", "volumes"),
                ("Wie beslist er verder mee?", "decision"),
                ("wat is je budget", "budget"),
            ],
        ),
    ] {
        let persona = shipped_persona(id);
        let mut session = Session::new(persona.clone(), 5, None);
        for (question, subject) in questions {
            let turn = session.respond(question);
            assert!(
                turn.acts.iter().any(|a| a.act == ActKind::AskSituation),
                "{id}: {question} read as {:?}",
                turn.acts
            );
            let answers = &persona
                .situation
                .iter()
                .find(|s| s.id == subject)
                .expect("subject")
                .answers;
            assert!(
                answers.iter().any(|a| turn.reply.contains(a.as_str())),
                "{id}: {question} was not answered from `{subject}`: {}",
                turn.reply
            );
            assert!(turn.revealed.is_empty(), "{id}: discovery revealed a doubt");
        }
        assert_eq!(
            learned(&session).len(),
            3,
            "{id}: each first question earns trust"
        );
        // Asking the same subject again earns nothing more.
        session.respond(questions[0].0);
        assert_eq!(learned(&session).len(), 3, "{id}");
        assert!(session.trust() > persona.temperament.trust);
    }
}

#[test]
fn a_subject_the_persona_does_not_describe_gets_a_natural_answer_not_filler() {
    for (id, question) in [
        ("priya", "What's the average age of your workforce?"),
        ("jeroen", "Welk koffiemerk drinken jullie eigenlijk?"),
    ] {
        let persona = shipped_persona(id);
        let mut session = Session::new(persona.clone(), 1, None);
        let turn = session.respond(question);
        assert!(
            turn.acts.iter().any(|a| a.act == ActKind::AskSituation),
            "{id}: {question} read as {:?}",
            turn.acts
        );
        let filler = persona.stock(sceptic::lexicon::Stock::Filler);
        assert!(
            !filler.contains(&turn.reply),
            "{id}: filler: {}",
            turn.reply
        );
        let unknown = persona.stock(sceptic::lexicon::Stock::UnknownSituation);
        assert!(unknown.contains(&turn.reply), "{id}: {}", turn.reply);
    }
}

#[test]
fn discovery_before_the_first_ask_is_not_spent_in_the_dark() {
    let mut session = Session::new(shipped_persona("margaret"), 5, None);
    for q in [
        "How many homes do you run?",
        "Who runs maintenance day to day?",
        "Who else decides on this?",
        "When does the current contract end?",
        "What's still holding you back?",
    ] {
        session.respond(q);
    }
    session.end();
    let coaching = session.debrief().coaching.join("\n");
    assert!(!coaching.contains("in the dark"), "{coaching}");
}

#[test]
fn a_greeting_gets_a_greeting() {
    for (id, hello) in [
        ("dan", "Good morning Dan!"),
        ("marloes", "Goedemiddag mevrouw De Wit"),
    ] {
        let persona = shipped_persona(id);
        let mut session = Session::new(persona.clone(), 2, None);
        let turn = session.respond(hello);
        let greetings = persona.stock(sceptic::lexicon::Stock::Greeting);
        assert!(greetings.contains(&turn.reply), "{id}: {}", turn.reply);
    }
}

/// Whether a Dutch line addresses someone as "u".
fn says_u(line: &str) -> bool {
    line.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w.to_lowercase().as_str(), "u" | "uw"))
}

#[test]
fn a_je_customer_never_says_u() {
    let script = [
        "Goedemorgen Kees",
        "Hoeveel brood bak je per nacht?",
        "Dat is indrukwekkend.",
        "Wij zijn de beste ovenbouwer van Nederland.",
        "Zullen we tekenen?",
        "Waar twijfel je nog over?",
        "Dat snap ik heel goed.",
        "Daar hoef je je geen zorgen over te maken.",
        "Eerlijk is eerlijk, we zijn niet de goedkoopste.",
        "Nog vragen?",
        "Is de levertijd een probleem voor je?",
        "Zit je verder nog ergens mee?",
        "Zullen we de handtekening zetten?",
    ];
    for seed in 0..8 {
        let mut session = Session::new(shipped_persona("kees"), seed, None);
        let mut lines = vec![session.opening().to_string()];
        for message in script {
            lines.push(session.respond(message).reply);
        }
        lines.extend(session.end());
        for line in lines {
            assert!(!says_u(&line), "seed {seed}: Kees says u: {line}");
        }
    }
}

/// Asked for more once every doubt is out, or about the topic of one still open, the customer
/// says it still stands. The doubt's own `unresolved` lines answer an offer ("A nice paragraph
/// in the quote. We had that last time too."), not a question.
#[test]
fn asked_again_once_every_doubt_is_out_the_customer_says_the_open_one_still_stands() {
    for (id, ask) in [
        ("margaret", "What else is holding you back?"),
        ("jeroen", "Is er verder nog iets?"),
    ] {
        for seed in 0..4 {
            let persona = shipped_persona(id);
            let mut session = Session::new(persona.clone(), seed, None);
            for _ in 0..6 {
                session.respond(ask);
                if session
                    .debrief()
                    .doubts
                    .iter()
                    .all(|d| d.revealed_at.is_some())
                {
                    break;
                }
            }
            let reply = session.respond(ask).reply;
            let still_open = &persona.lexicon().replies.still_open;
            assert!(
                still_open.iter().any(|l| reply.contains(l.as_str())),
                "{id}, seed {seed}: asked again, said {reply:?}"
            );
            assert!(
                !persona
                    .doubts
                    .iter()
                    .flat_map(|d| &d.unresolved)
                    .any(|l| reply.contains(l.as_str())),
                "{id}, seed {seed}: answered a question as if it were an offer: {reply:?}"
            );
        }
    }
}

#[test]
fn a_persona_gives_its_own_stock_lines() {
    // Kees owns his bakery: when he postpones, he answers to no board.
    let mut postponed = Vec::new();
    for seed in 0..6 {
        let mut session = Session::new(shipped_persona("kees"), seed, None);
        let mut last = String::new();
        for _ in 0..3 {
            if session.is_over() {
                break;
            }
            last = session.respond("Zullen we tekenen?").reply;
        }
        postponed.push(last);
    }
    for line in &postponed {
        assert!(
            !line.contains("directie") && !line.contains("bestuur"),
            "Kees defers to a board: {line}"
        );
    }
    let kees = shipped_persona("kees");
    let own = &kees.lines[&sceptic::lexicon::Stock::Postpone];
    assert!(
        postponed
            .iter()
            .any(|l| own.iter().any(|o| l.contains(o.as_str())))
    );
}

#[test]
fn the_debrief_names_doubts_by_their_label() {
    let mut session = Session::new(shipped_persona("margaret"), 5, None);
    session.respond("What's still holding you back?");
    session.end();
    let debrief = session.debrief();
    let text = debrief.to_text();
    for doubt in &debrief.doubts {
        let label = doubt.label.as_deref().expect("shipped doubts have labels");
        assert!(text.contains(label), "{label} missing from:\n{text}");
        assert!(!text.contains(&format!("\"{}\"", doubt.id)), "{text}");
    }
}

#[test]
fn keywords_and_the_other_additions_are_optional() {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("personas/margaret.toml"),
    )
    .expect("persona");
    let cut = base
        .find("\n# What margaret tells")
        .expect("situation block");
    let without_situation = &base[..cut];
    let no_keywords = without_situation
        .lines()
        .filter(|l| !l.starts_with("keywords") && !l.starts_with("label"))
        .collect::<Vec<_>>()
        .join("\n");
    let empty_keywords = without_situation.replace("keywords = [", "keywords = [] # [");
    for (what, text) in [
        ("no keywords", no_keywords),
        ("empty keywords", empty_keywords),
    ] {
        let persona = persona::parse(Path::new("margaret.toml"), &text)
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert!(persona.situation.is_empty(), "{what}");
        let mut session = Session::new(std::sync::Arc::new(persona), 3, None);
        assert_eq!(
            session
                .respond("What's still holding you back?")
                .revealed
                .len(),
            1
        );
    }
}

/// A good seller: greets, asks about the customer's world, asks for doubts, acknowledges
/// each, answers it with what the doubt itself asks for, admits a weak spot, then closes.
fn good_seller(id: &str, seed: u64) -> (Session, Vec<String>) {
    let persona = shipped_persona(id);
    let dutch = persona.language == "nl";
    let je = persona.register.as_deref() == Some("je");
    let pick = |en: &'static str, u: &'static str, j: &'static str| {
        if !dutch {
            en
        } else if je {
            j
        } else {
            u
        }
    };
    let mut session = Session::new(persona.clone(), seed, None);
    let mut replies = Vec::new();
    let mut say = |session: &mut Session, text: &str| {
        let reply = session.respond(text).reply;
        replies.push(reply);
    };
    say(
        &mut session,
        pick("Good morning!", "Goedemorgen!", "Goedemorgen!"),
    );
    say(
        &mut session,
        pick(
            "Who else decides on this?",
            "Wie beslist er verder mee?",
            "Wie beslist er verder mee?",
        ),
    );
    say(
        &mut session,
        pick(
            "What's your budget for this?",
            "Wat is uw budget hiervoor?",
            "Wat is je budget hiervoor?",
        ),
    );
    say(
        &mut session,
        pick(
            "I'll be honest: we're not the cheapest.",
            "Eerlijk is eerlijk, we zijn niet de goedkoopste.",
            "Eerlijk is eerlijk, we zijn niet de goedkoopste.",
        ),
    );
    for _ in 0..4 {
        let before = session
            .debrief()
            .doubts
            .iter()
            .filter(|d| d.revealed_at.is_some())
            .count();
        say(
            &mut session,
            pick(
                "What's still holding you back?",
                "Waar twijfelt u nog over?",
                "Waar twijfel je nog over?",
            ),
        );
        let debrief = session.debrief();
        let Some(doubt) = debrief
            .doubts
            .iter()
            .filter(|d| d.revealed_at.is_some() && d.resolved_at.is_none())
            .max_by_key(|d| d.revealed_at)
        else {
            break;
        };
        if debrief
            .doubts
            .iter()
            .filter(|d| d.revealed_at.is_some())
            .count()
            == before
        {
            break;
        }
        say(
            &mut session,
            pick(
                "I understand why that worries you.",
                "Dat begrijp ik heel goed.",
                "Dat snap ik heel goed.",
            ),
        );
        let term = persona
            .doubts
            .iter()
            .find(|d| d.id == doubt.id)
            .and_then(|d| d.resolve.first())
            .expect("resolve term")
            .clone();
        let answer = if dutch {
            format!("Dat regelen we: {term}, zwart op wit in het contract.")
        } else {
            format!("Here's what we'll do: {term}, written into the contract.")
        };
        say(&mut session, &answer);
    }
    say(
        &mut session,
        pick(
            "Shall I send you the contract?",
            "Zal ik u het contract sturen?",
            "Zal ik je het contract sturen?",
        ),
    );
    (session, replies)
}

#[test]
fn a_good_sellers_conversation_has_at_most_one_filler_in_ten_replies() {
    for id in ["margaret", "dan", "priya", "jeroen", "kees", "marloes"] {
        for seed in 0..4 {
            let (session, replies) = good_seller(id, seed);
            let filler = session.persona().stock(sceptic::lexicon::Stock::Filler);
            let noted = session.persona().stock(sceptic::lexicon::Stock::Noted);
            let empty = replies
                .iter()
                .filter(|r| filler.contains(r) || noted.contains(r))
                .count();
            assert!(
                empty * 10 <= replies.len(),
                "{id} seed {seed}: {empty} filler replies of {}: {replies:#?}",
                replies.len()
            );
        }
    }
}

#[test]
fn rudeness_costs_trust_with_a_reply_and_a_cause() {
    for (id, rude) in [
        (
            "dan",
            "Honestly mate, your current system is a dinosaur and whoever picked it was clueless.",
        ),
        (
            "kees",
            "Kees, eerlijk gezegd zijn die ovens van jou gewoon schroot.",
        ),
    ] {
        let persona = shipped_persona(id);
        let mut session = Session::new(persona.clone(), 4, None);
        let turn = session.respond(rude);
        assert!(turn.trust < persona.temperament.trust, "{id}: {turn:?}");
        assert!(!turn.reply.is_empty());
        let moments = session.debrief().moments;
        assert!(
            moments
                .iter()
                .any(|m| m.cause == Cause::Dismissed && m.delta < 0),
            "{id}: {moments:?}"
        );
    }
}

#[test]
fn each_difficulty_changes_the_curve_of_the_same_script() {
    use sceptic::Difficulty;
    let script = [
        "Good morning!",
        "How many homes do you run?",
        "What's still holding you back?",
        "I understand why that worries you.",
        "Anything else?",
        "I'll be honest: we're not the cheapest.",
        "What else is on your mind?",
    ];
    let play = |difficulty: Difficulty| {
        let mut session = Session::new(shipped_persona("margaret"), 5, Some(difficulty));
        for message in script {
            session.respond(message);
        }
        session.end();
        session.debrief()
    };
    let (easy, normal, hard) = (
        play(Difficulty::Easy),
        play(Difficulty::Normal),
        play(Difficulty::Hard),
    );
    assert!(easy.trust.start > normal.trust.start && normal.trust.start > hard.trust.start);
    assert!(easy.sign_at < normal.sign_at && normal.sign_at < hard.sign_at);
    assert_ne!(easy.curve, normal.curve);
    assert_ne!(normal.curve, hard.curve);
    let surfaced = |d: &sceptic::Debrief, turn: u32| {
        d.doubts
            .iter()
            .filter(|x| x.revealed_at.is_some_and(|t| t <= turn))
            .count()
    };
    // Easy brings out two doubts at the first ask; hard holds the second one back.
    assert_eq!(surfaced(&easy, 3), 2);
    assert_eq!(surfaced(&normal, 3), 1);
    assert_eq!(surfaced(&normal, 5), 2);
    assert_eq!(surfaced(&hard, 5), 1);
    for d in [&easy, &normal, &hard] {
        let text = d.to_text();
        let explained = format!("trust started at {}", d.trust.start);
        assert!(text.contains(&explained), "{text}");
    }
}

#[test]
fn a_hard_customer_questions_a_fitting_answer_once_before_taking_it() {
    use sceptic::Difficulty;
    let persona = shipped_persona("priya");
    let mut session = (0..200)
        .map(|seed| Session::new(persona.clone(), seed, Some(Difficulty::Hard)))
        .find(|s| s.drawn().contains(&"total-cost"))
        .expect("a seed draws total-cost");
    for _ in 0..4 {
        if session
            .respond("Is the total cost a worry for you?")
            .revealed
            .contains(&"total-cost".to_string())
        {
            break;
        }
    }
    let offer = "We'll lock the price for five years, in the contract.";
    let probed = session.respond(offer);
    assert!(probed.resolved.is_empty(), "{}", probed.reply);
    let probes = &persona.lexicon().topic(sceptic::Topic::Price).probe;
    assert!(
        probes.iter().any(|p| probed.reply.contains(p.as_str())),
        "{}",
        probed.reply
    );
    let taken =
        session.respond("Then it stays locked: the price is fixed for five years, in writing.");
    assert_eq!(
        taken.resolved,
        vec!["total-cost".to_string()],
        "{}",
        taken.reply
    );
}
