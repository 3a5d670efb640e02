//! The spec's own examples of reading a trainee, in both languages.

use sceptic::{Reader, lexicon};

fn acts(language: &str, text: &str) -> Vec<String> {
    let reader = Reader::new(lexicon::get(language).expect("language ships"));
    reader
        .read(text)
        .acts
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_spec_examples_read_as_the_spec_says() {
    let cases = [
        ("en", "What's still holding you back?", "ask_hesitation"),
        ("nl", "Waar twijfelt u nog over?", "ask_hesitation"),
        ("en", "Is the price a concern for you?", "ask_about:price"),
        (
            "nl",
            "Maakt u zich zorgen over de levertijd?",
            "ask_about:delivery",
        ),
        (
            "en",
            "I'll be honest: we're not the cheapest.",
            "show_weak_spot:price",
        ),
        (
            "nl",
            "Eerlijk is eerlijk, onze levertijd is langer.",
            "show_weak_spot:delivery",
        ),
        ("en", "I understand why that worries you.", "acknowledge"),
        ("nl", "Dat snap ik heel goed.", "acknowledge"),
        (
            "en",
            "Three hospitals in your region run it; you can call them.",
            "evidence:references",
        ),
        (
            "nl",
            "Ik kan u in contact brengen met drie klanten.",
            "evidence:references",
        ),
        (
            "en",
            "We'll put a penalty clause on the start date in the contract.",
            "measure:delivery",
        ),
        ("nl", "We nemen een boeteclausule op.", "measure:delivery"),
        ("en", "Shall I send you the contract?", "close"),
        ("nl", "Zullen we de handtekening zetten?", "close"),
        (
            "en",
            "Don't worry about that, it's never a problem.",
            "dismiss",
        ),
        (
            "nl",
            "Daar hoeft u zich geen zorgen over te maken.",
            "dismiss",
        ),
        (
            "en",
            "We're the market leader with the best product.",
            "pitch",
        ),
        ("nl", "Wij zijn de beste van Nederland.", "pitch"),
        ("en", "How was your weekend?", "other"),
    ];
    for (language, text, expected) in cases {
        assert_eq!(
            acts(language, text),
            vec![expected.to_string()],
            "{language}: {text}"
        );
    }
}

#[test]
fn negation_and_hedging_change_the_reading() {
    assert_eq!(
        acts("en", "We don't offer a penalty clause."),
        ["show_weak_spot:delivery"]
    );
    assert_eq!(acts("en", "I'm not asking you to decide now."), ["other"]);
    assert_eq!(acts("en", "Any questions?"), ["other"]);
    assert_eq!(
        acts(
            "en",
            "Maybe we could possibly look into a pilot at some point."
        ),
        ["other"]
    );
    assert_eq!(
        acts("nl", "Een boeteclausule bieden we niet."),
        ["show_weak_spot:delivery"]
    );
    assert_eq!(
        acts("nl", "Ik vraag u niet om vandaag te beslissen."),
        ["other"]
    );
    assert_eq!(acts("nl", "Nog vragen?"), ["other"]);
}

#[test]
fn case_punctuation_and_missing_question_marks_do_not_matter() {
    assert_eq!(
        acts("en", "WHATS STILL HOLDING YOU BACK"),
        ["ask_hesitation"]
    );
    assert_eq!(acts("en", "whats holding u back"), ["ask_hesitation"]);
    assert_eq!(acts("nl", "waar twijfel je nog over"), ["ask_hesitation"]);
}

#[test]
fn a_long_message_carries_several_acts_in_order() {
    let text = "I get that, it's a fair worry. Three hospitals in your region run our system and you \
                can call them. Shall we put it on paper?";
    assert_eq!(
        acts("en", text),
        ["acknowledge", "evidence:references", "close"]
    );
}
