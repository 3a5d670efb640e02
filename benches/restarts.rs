//! 50 kill-and-restart cycles (SIGKILL at rotating points) over one long conversation with
//! the bot binary: replies lost and duplicated, and the time from restart to the first
//! caught-up reply. `cargo bench --bench restarts`.

use bot::crash::{Crashes, KillPoint, play};
use fake_discord::FakeDiscord;
use sceptic_test_support::{bot, common};
use std::time::Duration;

const CYCLES: usize = 50;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let fake = FakeDiscord::start().await;
        let personas = tempfile::tempdir().expect("temp dir");
        let text = std::fs::read_to_string(common::personas_dir().join("margaret.toml")).expect("persona");
        let patient = text.replace("patience = 16", "patience = 500");
        std::fs::write(personas.path().join("margaret.toml"), patient).expect("persona written");
        let mut crashes = Crashes::with_personas(
            env!("CARGO_BIN_EXE_sceptic"),
            &fake,
            personas.path().to_path_buf(),
        );
        let lines = [
            "Tell me more about your planning.",
            "How many homes do you run?",
            "Interesting, go on.",
            "What does your week look like?",
        ];
        let messages: Vec<&str> = lines.iter().cycle().take(CYCLES).copied().collect();
        let points = [KillPoint::Early, KillPoint::Stored, KillPoint::Sent];
        let report = play(&fake, &mut crashes, &messages, &points).await;
        let mut times = report.restart_to_reply.clone();
        times.sort_unstable();
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        let worst = times.last().copied().unwrap_or(Duration::ZERO);
        println!(
            "{} kill-and-restart cycles: {} replies lost, {} duplicated, debrief equal to an uninterrupted run: {}",
            report.messages, report.lost, report.duplicated, report.debrief_matches
        );
        println!("restart to first caught-up reply: median {median:.2?}, worst {worst:.2?}");
    });
}
