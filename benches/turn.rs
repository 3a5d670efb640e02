//! One trainee turn (read + rules + reply) deep into a long conversation, reading a
//! 1,000-character message and reading a short chat message. Besides criterion's estimates, prints the 50th and 99th
//! percentile of single turns. The product promises a turn well under a millisecond.

use criterion::{BatchSize, Criterion, criterion_group};
use sceptic::persona;
use sceptic::{Reader, Session, lexicon};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// A patient customer, so that the conversation can grow long without ending.
fn long_session() -> Session {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("personas");
    let text = std::fs::read_to_string(dir.join("margaret.toml")).expect("persona file");
    let text = text
        .replace("patience = 16", "patience = 500")
        .replace("stalls = 2", "stalls = 20");
    let persona =
        Arc::new(persona::parse(Path::new("margaret.toml"), &text).expect("valid persona"));
    let script = [
        "Good morning, thanks for making time.",
        "How many homes do you run at the moment?",
        "What's still holding you back?",
        "I understand why that worries you.",
        "Tell me about your planning for next winter.",
        "Is the price a concern for you?",
        "I'll be honest: we're not the cheapest.",
        "Here are our uptime figures for the last three years.",
    ];
    let messages = script.iter().cycle().take(200).copied();
    let session = Session::replay(persona, 17, None, messages);
    assert!(
        !session.is_over(),
        "the benchmark conversation ended early: {:?}",
        session.outcome()
    );
    session
}

const TURN: &str = "I hear you. We'll put a four-hour response time in the SLA, with service credits if we miss it. What else is holding you back?";

fn long_message() -> String {
    let sentences = [
        "Thanks for walking me through your current set-up, that really helps.",
        "I understand why the last supplier's call-out times worry you; that sounds painful.",
        "To be honest, we're not the cheapest on the market, and I won't pretend otherwise.",
        "What we do is put a four-hour attendance time in the contract, with service credits.",
        "Here are our uptime figures for 2,300 installations over the last three years.",
        "You can call the facilities director at Riverside Care, they've been with us five years.",
        "Is the price still a concern for you, or is it more the start date?",
        "Shall I send you the contract so your board can review it next week?",
    ];
    let mut text = String::new();
    while text.len() < 1000 {
        for s in sentences {
            text.push_str(s);
            text.push(' ');
        }
    }
    text.truncate(1000);
    text
}

fn benches(c: &mut Criterion) {
    let base = long_session();
    c.bench_function("turn after 200 messages", |b| {
        b.iter_batched(
            || base.clone(),
            |mut s| black_box(s.respond(TURN)),
            BatchSize::SmallInput,
        )
    });
    let reader = Reader::new(lexicon::get("en").expect("en"));
    let message = long_message();
    c.bench_function("read a 1,000-character message", |b| {
        b.iter(|| black_box(reader.read(&message)))
    });
    let dutch = Reader::new(lexicon::get("nl").expect("nl"));
    let chat = "ok top, maar zit je verder nog ergens mee? anders stuur ik ff de offerte";
    c.bench_function("read a chat message (nl)", |b| {
        b.iter(|| black_box(dutch.read(chat)))
    });
}

/// Times single turns one by one and prints the percentiles criterion does not report.
fn percentiles() {
    let base = long_session();
    let mut samples: Vec<u128> = (0..20_000)
        .map(|_| {
            let mut session = base.clone();
            let start = Instant::now();
            black_box(session.respond(TURN));
            start.elapsed().as_nanos()
        })
        .collect();
    samples.sort_unstable();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize] as f64 / 1000.0;
    println!(
        "single turn after 200 messages, 20,000 samples: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        at(0.50),
        at(0.99),
        at(1.0)
    );
}

criterion_group!(turn, benches);

fn main() {
    turn();
    percentiles();
    Criterion::default().configure_from_args().final_summary();
}
