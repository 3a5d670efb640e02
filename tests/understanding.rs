//! The customer understands what the trainee means: whole conversations with the shipped
//! personas, in English and Dutch, for every way a reader that goes by exact words failed in
//! play (see `../shared/field/`): follow-up asks, explanations that mention signing, fitting
//! answers in the trainee's own words, wrong proof, acceptances that name what was never
//! offered, closed questions on a topic, and admissions.

use common::shipped_persona;
use sceptic::engine::Cause;
use sceptic::{ActKind, Session, Turn};
use sceptic_test_support::common;

/// A session with `persona` whose drawn doubts include `doubts`, `first` among them the
/// heaviest (what a general ask brings out first). The seed is searched, so the test says
/// which customer it needs rather than which seed happens to give it.
fn session_with(persona: &str, doubts: &[&str]) -> Session {
    let persona = shipped_persona(persona);
    (0..2000)
        .map(|seed| Session::new(persona.clone(), seed, None))
        .find(|s| doubts.iter().all(|d| s.drawn().contains(d)))
        .unwrap_or_else(|| panic!("no seed draws {doubts:?}"))
}

fn acts(turn: &Turn) -> Vec<ActKind> {
    turn.acts.iter().map(|a| a.act).collect()
}

#[test]
fn a_follow_up_ask_after_a_reveal_brings_out_the_next_doubt() {
    for (persona, ask, follow_ups) in [
        (
            "margaret",
            "What's still holding you back?",
            ["Anything else?", "what else"],
        ),
        (
            "kees",
            "Waar twijfel je nog over?",
            ["Nog iets?", "is er verder nog iets"],
        ),
    ] {
        for follow_up in follow_ups {
            let mut session = session_with(persona, &[]);
            let first = session.respond(ask);
            assert_eq!(first.revealed.len(), 1, "{persona}: {ask}");
            let next = session.respond(follow_up);
            assert_eq!(
                next.revealed.len(),
                2,
                "{persona}: \"{follow_up}\" after a reveal did not ask for more: {:?} / {}",
                next.acts,
                next.reply
            );
            assert!(
                session
                    .debrief()
                    .moments
                    .iter()
                    .filter(|m| matches!(m.cause, Cause::Asked { .. }))
                    .count()
                    == 2
            );
        }
    }
}

#[test]
fn why_after_a_stall_asks_what_holds_the_customer_back() {
    for (persona, close, why) in [
        ("dan", "Shall we get the contract signed today?", "Why?"),
        ("marloes", "Zullen we de overeenkomst tekenen?", "Waarom?"),
    ] {
        let mut session = session_with(persona, &[]);
        let stalled = session.respond(close);
        assert!(stalled.stalled, "{persona}: {close} did not stall");
        let asked = session.respond(why);
        assert!(
            acts(&asked).contains(&ActKind::AskHesitation),
            "{persona}: \"{why}\" after a stall read as {:?}",
            asked.acts
        );
        assert_eq!(asked.revealed.len(), 1, "{persona}: {}", asked.reply);
    }
}

#[test]
fn an_explanation_that_mentions_signing_is_not_a_close() {
    for (persona, explanation) in [
        (
            "priya",
            "The price is fixed from the moment you sign, and you get a quote you sign off first.",
        ),
        (
            "jeroen",
            "Op het moment van tekenen staat de prijs vast, en daarna loopt het contract vier jaar.",
        ),
    ] {
        let mut session = session_with(persona, &[]);
        let turn = session.respond(explanation);
        assert!(
            !acts(&turn).contains(&ActKind::Close),
            "{persona}: {:?}",
            turn.acts
        );
        assert!(
            !turn.stalled && turn.outcome.is_none(),
            "{persona}: {turn:?}"
        );
        assert!(session.debrief().stalls.is_empty());
    }
}

#[test]
fn asking_for_doubts_before_the_paperwork_asks_and_does_not_close() {
    for (persona, message) in [
        ("dan", "Right, anything else before we talk paperwork?"),
        (
            "kees",
            "Zit je nog ergens mee voordat we het over het contract hebben?",
        ),
    ] {
        let mut session = session_with(persona, &[]);
        let turn = session.respond(message);
        assert!(!turn.stalled, "{persona}: {message} was charged as a stall");
        assert_eq!(turn.revealed.len(), 1, "{persona}: {:?}", turn.acts);
    }
}

#[test]
fn a_request_for_a_decision_without_the_word_sign_is_a_close() {
    for (persona, close) in [
        ("dan", "So can we agree on a start date?"),
        ("jeroen", "Kunnen we dan tot een overeenkomst komen?"),
    ] {
        let mut session = session_with(persona, &[]);
        let turn = session.respond(close);
        assert!(
            turn.stalled,
            "{persona}: \"{close}\" read as {:?}",
            turn.acts
        );
    }
}

#[test]
fn a_fitting_answer_in_the_trainees_own_words_resolves_the_doubt() {
    for (persona, doubt, answer) in [
        (
            "margaret",
            "callout-times",
            "If a boiler packs up on a Saturday night, an engineer who lives twenty minutes from the home is on site within four hours, and if we're late you don't pay for that month.",
        ),
        (
            "kees",
            "nachtstoring",
            "Valt er 's nachts een oven uit, dan bel je ons nummer en staat er binnen twee uur iemand van ons in de bakkerij, ook in het weekend.",
        ),
        (
            "jeroen",
            "vaste-bezetting",
            "We nemen uw huidige schoonmakers over, werken met vaste teams per gebouw en er staat altijd een invaller klaar die de locaties kent.",
        ),
    ] {
        let mut session = session_with(persona, &[doubt]);
        reveal(&mut session, doubt, "");
        let turn = session.respond(answer);
        assert_eq!(
            turn.resolved,
            vec![doubt.to_string()],
            "{persona}: own-words answer to {doubt} read as {:?}, reply {}",
            turn.acts,
            turn.reply
        );
    }
}

/// Asks until `doubt` is out: a targeted ask when given, else general ones.
fn reveal(session: &mut Session, doubt: &str, targeted: &str) {
    let dutch = session.persona().language == "nl";
    for _ in 0..6 {
        if session
            .debrief()
            .doubt(doubt)
            .is_some_and(|d| d.revealed_at.is_some())
        {
            return;
        }
        let ask = if !targeted.is_empty() {
            targeted
        } else if dutch {
            "Waar twijfelt u nog over?"
        } else {
            "What's still holding you back?"
        };
        session.respond(ask);
    }
    assert!(
        session
            .debrief()
            .doubt(doubt)
            .is_some_and(|d| d.revealed_at.is_some()),
        "{doubt} never came out"
    );
}

#[test]
fn proof_of_another_kind_does_not_resolve_a_doubt() {
    for (persona, doubt, wrong) in [
        (
            "jeroen",
            "social-return",
            "Onze mensen zijn allemaal VCA-gecertificeerd en we hebben een ISO 9001 certificaat.",
        ),
        (
            "margaret",
            "care-setting",
            "Here's our ISO 9001 certificate and last year's uptime report for our boilers.",
        ),
    ] {
        let mut session = session_with(persona, &[doubt]);
        reveal(&mut session, doubt, "");
        let turn = session.respond(wrong);
        assert!(
            !turn.resolved.contains(&doubt.to_string()),
            "{persona}: {wrong} resolved {doubt}"
        );
    }
}

#[test]
fn the_acceptance_names_only_what_was_offered() {
    // Priya's own lines speak of five years, Kees's of four hours and of a lease: a trainee
    // who offered three years, two hours or a calculation must not hear them back.
    for (persona, doubt, offer, never) in [
        (
            "priya",
            "total-cost",
            "We'll fix the price for three years, in writing, with no hidden costs.",
            &["five", "implementation"][..],
        ),
        (
            "kees",
            "nachtstoring",
            "Je krijgt een storingsdienst met een reactietijd van twee uur.",
            &["vier", "voorraad"][..],
        ),
        (
            "kees",
            "energiekosten",
            "Ik maak een rekenvoorbeeld met jouw eigen energierekening erbij.",
            &["lease", "subsidie", "vier"][..],
        ),
    ] {
        for seed_offset in 0..6 {
            let mut session = session_with(persona, &[doubt]);
            for _ in 0..seed_offset {
                session.respond("ok");
            }
            reveal(&mut session, doubt, "");
            let turn = session.respond(offer);
            assert!(
                turn.resolved.contains(&doubt.to_string()),
                "{persona}: {turn:?}"
            );
            let reply = turn.reply.to_lowercase();
            for word in never {
                assert!(
                    !reply.contains(word),
                    "{persona}: the customer names \"{word}\", never offered: {reply}"
                );
            }
        }
    }
}

#[test]
fn an_authors_answer_is_echoed_back() {
    for (persona, doubt, offer, echo) in [
        (
            "priya",
            "total-cost",
            "We can lock the price for the whole term.",
            "lock",
        ),
        (
            "kees",
            "nachtstoring",
            "Bij ons draait een storingsdienst die dag en nacht opneemt, ook in het weekend.",
            "nacht",
        ),
    ] {
        let mut session = session_with(persona, &[doubt]);
        reveal(&mut session, doubt, "");
        let turn = session.respond(offer);
        assert!(
            turn.resolved.contains(&doubt.to_string()),
            "{persona}: {turn:?}"
        );
        let answers = &session
            .persona()
            .doubts
            .iter()
            .find(|d| d.id == doubt)
            .expect("doubt")
            .answers;
        assert!(
            answers
                .iter()
                .flat_map(|a| &a.replies)
                .any(|r| turn.reply.contains(r.as_str())),
            "{persona}: not the author's reply: {}",
            turn.reply
        );
        assert!(turn.reply.to_lowercase().contains(echo));
    }
}

#[test]
fn a_closed_question_on_a_topic_reveals_that_doubt_or_gets_an_honest_no() {
    for (persona, doubt, question, other_question) in [
        (
            "priya",
            "total-cost",
            "is price an issue?",
            "and is delivery a worry for you at all",
        ),
        (
            "kees",
            "energiekosten",
            "Kees, is de prijs voor jou een probleem?",
            "Is de levertijd voor jou een probleem?",
        ),
    ] {
        let mut session = session_with(persona, &[doubt]);
        let hit = session.respond(question);
        assert_eq!(
            hit.revealed,
            vec![doubt.to_string()],
            "{persona}: {question} read as {:?}",
            hit.acts
        );
        // Delivery is none of these customers' doubts: an honest no, never another doubt.
        let miss = session.respond(other_question);
        assert_eq!(
            miss.revealed,
            vec![doubt.to_string()],
            "{persona}: {}",
            miss.reply
        );
        let lexicon = session.persona().lexicon();
        assert!(
            lexicon
                .replies
                .no_concern
                .iter()
                .any(|l| miss.reply.contains(l.as_str())),
            "{persona}: no honest no: {}",
            miss.reply
        );
    }
}

#[test]
fn admissions_earn_trust_and_references_are_not_admissions() {
    for (persona, admission, reference) in [
        (
            "margaret",
            "I'll be honest, our weak spot is that we don't have many care clients.",
            "Mark at Pennine is a reference you can call.",
        ),
        (
            "marloes",
            "Eerlijk gezegd is onze module voor apparaatbeheer jonger dan de rest.",
            "Ik breng u graag in contact met de ICT-coördinator van een andere stichting.",
        ),
    ] {
        let mut session = session_with(persona, &[]);
        let admitted = session.respond(admission);
        assert!(
            acts(&admitted).contains(&ActKind::ShowWeakSpot),
            "{persona}: {admission} read as {:?}",
            admitted.acts
        );
        let offered = session.respond(reference);
        assert!(
            !acts(&offered).contains(&ActKind::ShowWeakSpot),
            "{persona}: {reference} read as {:?}",
            offered.acts
        );
        let admissions = session
            .debrief()
            .moments
            .iter()
            .filter(|m| matches!(m.cause, Cause::Admitted { .. }))
            .count();
        assert_eq!(admissions, 1, "{persona}");
    }
}
