//! The trust picture: a real session's debrief drawn as a PNG, decoded again and inspected,
//! and debriefs of every shape (no turns, hundreds of turns, a hundred stalls) drawn safely.

use common::known_persona;
use sceptic::chart::{
    self, CURVE, HEIGHT, RESOLVED, REVEALED, Rgb, STALL, WIDTH, X_RANGE, Y_RANGE,
};
use sceptic::debrief::StallReport;
use sceptic::{Debrief, Session};
use sceptic_test_support::common;

struct Image {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("the PNG has a valid header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
        let info = reader.next_frame(&mut pixels).expect("the PNG has pixels");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        pixels.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            pixels,
        }
    }

    fn at(&self, x: u32, y: u32) -> Rgb {
        let i = ((y * self.width + x) * 3) as usize;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// Pixels of exactly `colour` inside the plot area.
    fn count_in_plot(&self, colour: Rgb) -> usize {
        let (x0, x1) = (X_RANGE.0 as u32 - 10, X_RANGE.1 as u32 + 10);
        let (y0, y1) = (Y_RANGE.0 as u32, Y_RANGE.1 as u32);
        (y0..=y1)
            .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
            .filter(|&(x, y)| self.at(x, y) == colour)
            .count()
    }
}

/// A close too early, an ask that brings the blocking doubt out, the answer to it, and
/// another close.
fn played() -> Debrief {
    let mut session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    session.respond("Shall I send you the contract?");
    session.respond("What's still holding you back?");
    session.respond("We'll write the start date into the contract with a penalty clause.");
    session.respond("Shall we sign?");
    session.end();
    session.debrief()
}

fn x_of(debrief: &Debrief, turn: u32) -> f32 {
    let last = debrief.turns.max(1) as f32;
    X_RANGE.0 + turn as f32 * (X_RANGE.1 - X_RANGE.0) / last
}

fn y_of(trust: u8) -> f32 {
    Y_RANGE.1 - f32::from(trust) / 100.0 * (Y_RANGE.1 - Y_RANGE.0)
}

#[test]
fn a_played_session_draws_its_curve_stalls_reveals_and_resolutions() {
    let debrief = played();
    assert_eq!(debrief.turns, 4);
    assert!(!debrief.stalls.is_empty(), "{debrief:#?}");
    assert!(debrief.doubts.iter().any(|d| d.revealed_at.is_some()));
    assert!(debrief.doubts.iter().any(|d| d.resolved_at.is_some()));

    let image = Image::decode(&chart::trust_png(&debrief));
    assert_eq!((image.width, image.height), (WIDTH, HEIGHT));
    assert_eq!((WIDTH, HEIGHT), (1000, 560));
    assert!(image.count_in_plot(CURVE) > 500, "the curve is drawn");
    assert!(image.count_in_plot(STALL) > 50, "stalls are marked");
    assert!(image.count_in_plot(REVEALED) > 50, "the reveal is marked");
    assert!(
        image.count_in_plot(RESOLVED) > 50,
        "the resolution is marked"
    );

    // Where the curve crosses the column of a turn (one without a stall marker on it), it
    // sits at that turn's trust.
    let stalled: Vec<u32> = debrief.stalls.iter().map(|s| s.turn).collect();
    let mut checked = 0;
    for turn in (1..=debrief.turns).filter(|t| !stalled.contains(t)) {
        let x = x_of(&debrief, turn).round() as u32;
        let expected = y_of(debrief.curve[turn as usize]);
        let ys: Vec<u32> = (0..image.height)
            .filter(|&y| image.at(x, y) == CURVE)
            .collect();
        assert!(!ys.is_empty(), "no curve at turn {turn}");
        for y in ys {
            assert!(
                (y as f32 - expected).abs() <= 8.0,
                "turn {turn}: curve at y {y}, trust {} is at {expected}",
                debrief.curve[turn as usize]
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "turns checked: {checked}");
}

#[test]
fn a_dutch_debrief_with_accents_renders() {
    let mut session = Session::new(known_persona("nl", "normal", 30, 60), 1, None);
    session.respond("Zullen we de handtekening zetten?");
    session.respond("Waar twijfelt u nog over?");
    let mut debrief = session.debrief();
    debrief.name = "Geneviève Ørsted 王".to_string();
    let image = Image::decode(&chart::trust_png(&debrief));
    assert_eq!((image.width, image.height), (WIDTH, HEIGHT));
    assert!(image.count_in_plot(CURVE) > 100);
}

#[test]
fn a_debrief_without_turns_renders() {
    let session = Session::new(known_persona("en", "normal", 30, 60), 1, None);
    let debrief = session.debrief();
    assert_eq!(debrief.turns, 0);
    let image = Image::decode(&chart::trust_png(&debrief));
    assert_eq!((image.width, image.height), (WIDTH, HEIGHT));
    assert!(
        image.count_in_plot(CURVE) > 20,
        "the starting point is drawn"
    );
}

/// `debrief` stretched to `turns` turns with a stall every `every` turns.
fn stretched(mut debrief: Debrief, turns: u32, every: u32) -> Debrief {
    debrief.turns = turns;
    debrief.curve = (0..=turns).map(|t| (t * 37 % 101) as u8).collect();
    debrief.stalls = (1..=turns)
        .filter(|t| t % every == 0)
        .map(|turn| StallReport {
            turn,
            words: "Shall we sign?".into(),
            open: match turn % 3 {
                0 => vec![],
                1 => vec!["".into(), "a-very-long-doubt-identifier-indeed".into()],
                _ => vec!["start-date".into(), "budget".into(), "références".into()],
            },
            low_trust: turn % 3 == 0,
            trust: 40,
        })
        .collect();
    for (i, doubt) in debrief.doubts.iter_mut().enumerate() {
        doubt.revealed_at = Some(turns / 3 + i as u32);
        doubt.resolved_at = Some(turns / 2 + i as u32);
    }
    debrief
}

#[test]
fn long_sessions_with_many_stalls_render() {
    let base = Session::new(known_persona("en", "normal", 30, 60), 1, None).debrief();
    for (turns, every) in [(300, 7), (500, 5), (1, 1), (20, 1)] {
        let debrief = stretched(base.clone(), turns, every);
        let image = Image::decode(&chart::trust_png(&debrief));
        assert_eq!((image.width, image.height), (WIDTH, HEIGHT));
        assert!(
            image.count_in_plot(CURVE) > 500,
            "{turns} turns: curve drawn"
        );
        assert!(
            image.count_in_plot(STALL) > 20,
            "{turns} turns: stalls drawn"
        );
    }
}

#[test]
fn inconsistent_debriefs_do_not_panic() {
    let base = Session::new(known_persona("en", "normal", 30, 60), 1, None).debrief();
    let mut odd = stretched(base.clone(), 50, 2);
    odd.curve = vec![255, 0];
    odd.sign_at = 250;
    odd.language = "xx".into();
    odd.name = "x".repeat(500);
    // Still a whole picture of the usual size, not a panic or an empty file.
    let size = |png: Vec<u8>| {
        let image = Image::decode(&png);
        (image.width, image.height)
    };
    let usual = size(chart::trust_png(&base));
    assert_eq!(size(chart::trust_png(&odd)), usual);
    odd.curve.clear();
    odd.turns = u32::MAX;
    odd.stalls[0].turn = u32::MAX;
    assert_eq!(size(chart::trust_png(&odd)), usual);
}
