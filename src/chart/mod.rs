//! The trust picture: the debrief's trust curve as a PNG, drawn in-process with tiny-skia
//! (anti-aliased shapes) and the embedded DejaVu Sans (an open font, `DejaVuSans-LICENSE.txt`)
//! rasterised by ab_glyph, so it needs neither system fonts nor a browser and stays readable
//! when a phone scales it down. Each stalled close is marked on the curve and labelled with
//! the doubts still open, each doubt surfaced gets a "?" and each doubt answered a "+" at its
//! turn; the words come from the debrief's lexicon.

use crate::debrief::{Debrief, StallReport, fill};
use crate::engine::Outcome;
use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use tiny_skia::{FillRule, LineCap, Paint, PathBuilder, Pixmap, Stroke, Transform};

pub type Rgb = [u8; 3];

/// The picture's size in pixels: wide enough to stay readable when a phone scales it down.
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 560;
/// Where turn 0 and the last turn sit, left to right.
pub const X_RANGE: (f32, f32) = (96.0, 956.0);
/// Where trust 100 and trust 0 sit, top to bottom.
pub const Y_RANGE: (f32, f32) = (112.0, 452.0);
/// The colours of the curve, a stalled close, a doubt surfaced and a doubt answered.
pub const CURVE: Rgb = [37, 99, 235];
pub const STALL: Rgb = [220, 38, 38];
pub const REVEALED: Rgb = [230, 126, 0];
pub const RESOLVED: Rgb = [22, 150, 70];

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [33, 33, 33];
const MUTED: Rgb = [105, 105, 105];
const GRID: Rgb = [226, 226, 226];
const AXIS: Rgb = [150, 150, 150];
const THRESHOLD: Rgb = [80, 80, 80];

const W: i32 = WIDTH as i32;
const H: i32 = HEIGHT as i32;
const MARGIN: i32 = 16;
const PLOT_LEFT: i32 = 80;
const PLOT_RIGHT: i32 = 976;
/// Height of a line of text at scale 2, and of a label box around one.
const TEXT: i32 = 16;
const LABEL: i32 = TEXT + 4;
/// A stall's label shows this many pixels of its first open doubt's name.
const NAME_ROOM: i32 = 220;
/// The font's size in pixels per step of `scale`, and where the baseline sits below the top
/// of a line: a line at scale 2 is 16 pixels high, its capitals about 13.
const PX_PER_SCALE: f32 = 9.0;
const BASELINE_PER_SCALE: f32 = 7.0;

static FONT: LazyLock<FontRef<'static>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!("DejaVuSans.ttf"))
        .expect("the embedded DejaVu Sans is a valid font")
});

type Point = (f32, f32);

/// The trust curve of `debrief` as a PNG: title and outcome, trust 0..100 over the turns, the
/// `sign_at` threshold, stalls, reveals, resolutions and a legend in the debrief's language.
pub fn trust_png(debrief: &Debrief) -> Vec<u8> {
    let chart = Chart::new(debrief);
    let mut canvas = Canvas::new();
    chart.header(&mut canvas);
    chart.axes(&mut canvas);
    let mut taken = vec![chart.threshold(&mut canvas)];
    chart.curve(&mut canvas);
    taken.extend(chart.events(&mut canvas));
    chart.stalls(&mut canvas, &mut taken);
    chart.legend(&mut canvas);
    canvas.png()
}

struct Chart<'a> {
    debrief: &'a Debrief,
    /// The last turn on the x axis.
    last: u32,
    /// Pixels from one turn to the next.
    step: f32,
}

impl<'a> Chart<'a> {
    fn new(debrief: &'a Debrief) -> Self {
        let points = u32::try_from(debrief.curve.len().saturating_sub(1)).unwrap_or(u32::MAX);
        let last = debrief.turns.max(points);
        let step = (X_RANGE.1 - X_RANGE.0) / last.max(1) as f32;
        Chart {
            debrief,
            last,
            step,
        }
    }

    fn x(&self, turn: u32) -> f32 {
        X_RANGE.0 + turn as f32 * self.step
    }

    fn y(trust: u8) -> f32 {
        Y_RANGE.1 - f32::from(trust.min(100)) / 100.0 * (Y_RANGE.1 - Y_RANGE.0)
    }

    /// Where the curve is at `turn`.
    fn point(&self, turn: u32) -> Point {
        let curve = &self.debrief.curve;
        let trust = curve.get(turn as usize).or(curve.last()).copied();
        (self.x(turn), Self::y(trust.unwrap_or(0)))
    }

    /// Title and outcome, then trust at start, peak and end.
    fn header(&self, c: &mut Canvas) {
        let (d, w) = (self.debrief, self.debrief.wording());
        let outcome = w.outcome.get(d.outcome.as_str()).cloned();
        let (title, outcome) = (d.title(), outcome.unwrap_or_default());
        let whole = |scale| width(&title, scale) + width(" · ", scale) + width(&outcome, scale);
        let scale = if whole(3) <= W - 2 * MARGIN { 3 } else { 2 };
        let outcome = fit(&outcome, (W - 2 * MARGIN) / 2, scale);
        let room = W - 2 * MARGIN - width(&outcome, scale) - width(" · ", scale);
        let title = fit(&title, room, scale);
        let y = 12 + (3 - scale) * 4;
        c.text(MARGIN, y, &title, scale, INK);
        let x = MARGIN + width(&title, scale);
        c.text(x, y, " · ", scale, MUTED);
        let colour = match d.outcome {
            Outcome::Signed => RESOLVED,
            Outcome::Postponed => REVEALED,
            Outcome::Lost => STALL,
            Outcome::Ended => MUTED,
        };
        c.text(x + width(" · ", scale), y, &outcome, scale, colour);
        let t = d.trust;
        let trust = format!(
            "{}: {} {} · {} {} · {} {}",
            w.trust, w.start, t.start, w.peak, t.peak, w.end, t.end
        );
        c.text(MARGIN, 48, &fit(&trust, W - 2 * MARGIN, 2), 2, MUTED);
    }

    /// Gridlines at every quarter with their labels, the axes, turn ticks and axis titles.
    fn axes(&self, c: &mut Canvas) {
        let w = self.debrief.wording();
        for level in [0u8, 25, 50, 75, 100] {
            let y = Self::y(level).round() as i32;
            let colour = if level == 0 { AXIS } else { GRID };
            c.rect(Rect::new(PLOT_LEFT, y, PLOT_RIGHT - PLOT_LEFT, 1), colour);
            let label = level.to_string();
            c.text(
                PLOT_LEFT - 10 - width(&label, 2),
                y - TEXT / 2,
                &label,
                2,
                MUTED,
            );
        }
        let (top, bottom) = (Y_RANGE.0 as i32, Y_RANGE.1 as i32);
        c.rect(Rect::new(PLOT_LEFT, top, 1, bottom - top + 1), AXIS);
        c.text(MARGIN, top - 32, &fit(&w.trust, W / 2, 2), 2, INK);

        let need = width(&self.last.to_string(), 2) as f32 + 20.0;
        let every = usize::try_from(tick_every(self.last, self.step, need)).unwrap_or(usize::MAX);
        let mut ticks: Vec<u32> = (0..=self.last).step_by(every).collect();
        let end = ticks.last().copied().unwrap_or(0);
        if end != self.last && (self.last - end) as f32 * self.step >= need {
            ticks.push(self.last);
        }
        for turn in ticks {
            let x = self.x(turn).round() as i32;
            c.rect(Rect::new(x - 1, bottom + 1, 2, 6), AXIS);
            let label = turn.to_string();
            let left = (x - width(&label, 2) / 2).clamp(0, W - width(&label, 2));
            c.text(left, bottom + 12, &label, 2, MUTED);
        }
        let title = fit(&w.turn, W / 2, 2);
        let centre = (X_RANGE.0 + X_RANGE.1) as i32 / 2;
        c.text(centre - width(&title, 2) / 2, bottom + 36, &title, 2, INK);
    }

    /// The dashed `sign_at` line and its label; returns where the label is.
    fn threshold(&self, c: &mut Canvas) -> Rect {
        let d = self.debrief;
        let y = Self::y(d.sign_at);
        let mut x = PLOT_LEFT as f32 + 4.0;
        while x < PLOT_RIGHT as f32 {
            let end = (x + 10.0).min(PLOT_RIGHT as f32);
            c.stroke((x, y), (end, y), 1.0, THRESHOLD);
            x += 18.0;
        }
        let label = fill(
            &d.wording().chart_sign_at,
            &[("sign_at", d.sign_at.to_string())],
        );
        let label = fit(&label, (PLOT_RIGHT - PLOT_LEFT) / 2, 2);
        let y = y.round() as i32;
        let top = if y - LABEL - 4 >= Y_RANGE.0 as i32 {
            y - LABEL - 4
        } else {
            y + 5
        };
        let rect = Rect::new(PLOT_LEFT + 6, top, width(&label, 2) + 8, LABEL);
        c.rect(rect, WHITE);
        c.text(rect.x0 + 4, top + 2, &label, 2, THRESHOLD);
        rect
    }

    /// The curve as a thick line with a dot per turn.
    fn curve(&self, c: &mut Canvas) {
        let points: Vec<Point> = (0..self.debrief.curve.len())
            .map(|turn| self.point(turn as u32))
            .collect();
        for pair in points.windows(2) {
            c.stroke(pair[0], pair[1], 2.5, CURVE);
        }
        let dot = (self.step * 0.3).clamp(1.5, 5.0);
        for p in points {
            c.stroke(p, p, dot, CURVE);
        }
    }

    /// A "?" where a doubt surfaced and a "+" where one was answered: under the curve, or
    /// over it at a peak or when there is no room below; returns where the markers are.
    fn events(&self, c: &mut Canvas) -> Vec<Rect> {
        let mut turns: BTreeMap<u32, [bool; 2]> = BTreeMap::new();
        for doubt in &self.debrief.doubts {
            for (kind, turn) in [doubt.revealed_at, doubt.resolved_at]
                .into_iter()
                .enumerate()
            {
                if let Some(turn) = turn.filter(|&t| t <= self.last) {
                    turns.entry(turn).or_default()[kind] = true;
                }
            }
        }
        let r = (self.step * 0.45).clamp(6.0, 10.0);
        let mut taken = Vec::new();
        for (turn, kinds) in turns {
            let (x, y) = self.point(turn);
            let marks: Vec<(char, Rgb)> = [('?', REVEALED), ('+', RESOLVED)]
                .into_iter()
                .zip(kinds)
                .filter_map(|(mark, on)| on.then_some(mark))
                .collect();
            let offset = |i: usize| 8.0 + r + i as f32 * (2.0 * r + 3.0);
            let reach = offset(marks.len() - 1) + r;
            let before = self.point(turn.saturating_sub(1)).1;
            let after = self.point(turn.saturating_add(1)).1;
            let peak = before > y && after > y;
            let below = if peak {
                y - reach < Y_RANGE.0
            } else {
                y + reach <= Y_RANGE.1 + r
            };
            for (i, (glyph, colour)) in marks.into_iter().enumerate() {
                let centre = (x, if below { y + offset(i) } else { y - offset(i) });
                c.badge(centre, r, glyph, colour);
                taken.push(Rect::around(centre, r + 1.0));
            }
        }
        taken
    }

    /// The lowest and highest the curve gets (in pixels, down the picture) between `x0`
    /// and `x1`, widened by the line's thickness.
    fn curve_span(&self, x0: f32, x1: f32) -> (f32, f32) {
        let at = |x: f32| {
            let turn = ((x - X_RANGE.0) / self.step).clamp(0.0, self.last as f32);
            let (before, after) = (turn.floor() as u32, turn.ceil() as u32);
            let (a, b) = (self.point(before).1, self.point(after).1);
            a + (b - a) * (turn - before as f32)
        };
        let inside = ((x0 - X_RANGE.0) / self.step).ceil().max(0.0) as u32
            ..=((x1 - X_RANGE.0) / self.step).floor().min(self.last as f32) as u32;
        let ys = [at(x0), at(x1)]
            .into_iter()
            .chain(inside.take(1024).map(|turn| self.point(turn).1));
        let (low, high) = ys.fold((f32::MAX, f32::MIN), |(l, h), y| (l.min(y), h.max(y)));
        (low - 3.0, high + 3.0)
    }

    /// A red marker on the curve at every stalled close, and near it, clear of the curve,
    /// the other labels and the markers, the doubts still open; left out when there is no
    /// room within a few rows.
    fn stalls(&self, c: &mut Canvas, taken: &mut Vec<Rect>) {
        const ROWS: i32 = 3;
        let r = (self.step * 0.4).clamp(3.0, 8.0);
        let stalls: Vec<(&StallReport, Point)> = self
            .debrief
            .stalls
            .iter()
            .filter(|s| s.turn <= self.last)
            .map(|s| (s, self.point(s.turn)))
            .collect();
        for &(_, p) in &stalls {
            c.stroke(p, p, r + 2.0, WHITE);
            c.stroke(p, p, r, STALL);
            taken.push(Rect::around(p, r + 2.0));
        }
        let mut labels = Vec::new();
        for (stall, (x, y)) in stalls {
            let text = self.stall_label(stall);
            if text.is_empty() {
                continue;
            }
            let size = (width(&text, 2) + 8, LABEL);
            let left = (x as i32 - size.0 / 2)
                .min(PLOT_RIGHT - 2 - size.0)
                .max(PLOT_LEFT + 2);
            let (y, gap) = (y.round() as i32, r as i32 + 6);
            let above = (0..ROWS)
                .map(|k| y - gap - LABEL - k * (LABEL + 2))
                .filter(|&top| top >= Y_RANGE.0 as i32 - 8);
            let below = (0..ROWS)
                .map(|k| y + gap + k * (LABEL + 2))
                .filter(|&top| top + LABEL <= Y_RANGE.1 as i32);
            let free = above
                .chain(below)
                .map(|top| Rect::new(left, top, size.0, size.1))
                .find(|rect| {
                    let (low, high) = self.curve_span(rect.x0 as f32, rect.x1 as f32);
                    let clear = high < rect.y0 as f32 || low > rect.y1 as f32;
                    clear && !taken.iter().any(|t| t.overlaps(rect))
                });
            if let Some(rect) = free {
                taken.push(rect);
                let (edge, side) = if rect.y0 < y {
                    (rect.y1, -1.0)
                } else {
                    (rect.y0, 1.0)
                };
                let from = (x, y as f32 + side * (r + 2.0));
                let to = (x.clamp(rect.x0 as f32, rect.x1 as f32), edge as f32);
                labels.push((rect, text, from, to));
            }
        }
        for (_, _, from, to) in &labels {
            c.stroke(*from, *to, 0.6, STALL);
        }
        for (rect, text, _, _) in labels {
            c.rect(rect, STALL);
            c.rect(rect.inset(1), WHITE);
            c.text(rect.x0 + 4, rect.y0 + 2, &text, 2, STALL);
        }
    }

    /// The first open doubt's name (shortened) and how many more were open; for a close that
    /// stalled on trust alone, the lexicon's words for that.
    fn stall_label(&self, stall: &StallReport) -> String {
        let mut ids = stall
            .open
            .iter()
            .map(|id| {
                self.debrief
                    .doubt(id)
                    .map_or(id.as_str(), |d| d.name())
                    .trim()
            })
            .filter(|id| !id.is_empty());
        match ids.next() {
            Some(first) => {
                let more = ids.count();
                let first = fit(first, NAME_ROOM, 2);
                if more == 0 {
                    first
                } else {
                    format!("{first} +{more}")
                }
            }
            None if stall.low_trust => fit(&self.debrief.wording().chart_low_trust, W / 3, 2),
            None => String::new(),
        }
    }

    /// What the markers mean, centred under the chart.
    fn legend(&self, c: &mut Canvas) {
        let w = self.debrief.wording();
        let items = [
            (None, &w.chart_stall, STALL),
            (Some('?'), &w.chart_revealed, REVEALED),
            (Some('+'), &w.chart_resolved, RESOLVED),
        ];
        let (marker, gap) = (26, 32);
        let room = (W - 2 * MARGIN - items.len() as i32 * (marker + gap)) / items.len() as i32;
        let texts: Vec<String> = items.iter().map(|(_, t, _)| fit(t, room, 2)).collect();
        let total: i32 = texts
            .iter()
            .map(|t| marker + width(t, 2) + gap)
            .sum::<i32>()
            - gap;
        let (mut x, y) = ((W - total) / 2, H - 28);
        for ((glyph, _, colour), text) in items.into_iter().zip(texts) {
            let centre = (x as f32 + 9.0, y as f32);
            match glyph {
                Some(glyph) => c.badge(centre, 9.0, glyph, colour),
                None => {
                    c.stroke(centre, centre, 8.0, WHITE);
                    c.stroke(centre, centre, 6.0, colour);
                }
            }
            c.text(x + marker, y - TEXT / 2, &text, 2, INK);
            x += marker + width(&text, 2) + gap;
        }
    }
}

/// Turns between labelled ticks: 1, 2, 5, 10, 20, 50... whichever first leaves `need`
/// pixels per label.
fn tick_every(last: u32, step: f32, need: f32) -> u64 {
    let mut base = 1u64;
    loop {
        for m in [1, 2, 5] {
            let every = m * base;
            if every as f32 * step >= need || every >= u64::from(last) {
                return every;
            }
        }
        base *= 10;
    }
}

/// A box of pixels: `x0..x1` by `y0..y1`.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

impl Rect {
    fn new(x: i32, y: i32, width: i32, height: i32) -> Self {
        Rect {
            x0: x,
            y0: y,
            x1: x.saturating_add(width),
            y1: y.saturating_add(height),
        }
    }

    fn around((x, y): Point, r: f32) -> Self {
        let (x0, y0) = ((x - r).floor() as i32, (y - r).floor() as i32);
        Rect::new(
            x0,
            y0,
            (2.0 * r).ceil() as i32 + 1,
            (2.0 * r).ceil() as i32 + 1,
        )
    }

    fn inset(self, by: i32) -> Self {
        Rect {
            x0: self.x0 + by,
            y0: self.y0 + by,
            x1: self.x1 - by,
            y1: self.y1 - by,
        }
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// The font at `scale`.
fn font(scale: i32) -> ab_glyph::PxScaleFont<&'static FontRef<'static>> {
    FONT.as_scaled(PxScale::from(PX_PER_SCALE * scale as f32))
}

/// Each glyph of `text` at `scale` with where its origin sits, left of `x`, kerned.
fn layout(text: &str, scale: i32) -> (Vec<(GlyphId, f32)>, f32) {
    let font = font(scale);
    let mut caret = 0.0;
    let mut last: Option<GlyphId> = None;
    let mut glyphs = Vec::new();
    for ch in text.chars() {
        let id = font.glyph_id(ch);
        if let Some(previous) = last {
            caret += font.kern(previous, id);
        }
        glyphs.push((id, caret));
        caret += font.h_advance(id);
        last = Some(id);
    }
    (glyphs, caret)
}

/// Pixels wide that `text` is at `scale`.
fn width(text: &str, scale: i32) -> i32 {
    layout(text, scale).1.ceil() as i32
}

/// `text` cut to fit `room` pixels at `scale`, ending in ".." when it was cut.
fn fit(text: &str, room: i32, scale: i32) -> String {
    if width(text, scale) <= room {
        return text.to_string();
    }
    let mut kept: Vec<char> = text.chars().collect();
    while !kept.is_empty() {
        kept.pop();
        let cut: String = kept.iter().collect::<String>().trim_end().to_string() + "..";
        if width(&cut, scale) <= room {
            return cut;
        }
    }
    String::new()
}

fn paint(colour: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(colour[0], colour[1], colour[2], 255);
    paint.anti_alias = true;
    paint
}

/// The picture being drawn, white to start with. Everything drawn is opaque, so a pixel's
/// premultiplied colour is its colour.
struct Canvas {
    pixmap: Pixmap,
}

impl Canvas {
    fn new() -> Self {
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("the picture's size is not zero");
        pixmap.fill(tiny_skia::Color::WHITE);
        Canvas { pixmap }
    }

    fn rect(&mut self, rect: Rect, colour: Rgb) {
        let (width, height) = (rect.x1 - rect.x0, rect.y1 - rect.y0);
        if let Some(r) =
            tiny_skia::Rect::from_xywh(rect.x0 as f32, rect.y0 as f32, width as f32, height as f32)
        {
            let mut paint = paint(colour);
            paint.anti_alias = false;
            self.pixmap
                .fill_rect(r, &paint, Transform::identity(), None);
        }
    }

    /// A line `radius` thick on either side from `a` to `b` with round ends, or a filled
    /// circle when `a` is `b`.
    fn stroke(&mut self, a: Point, b: Point, radius: f32, colour: Rgb) {
        let paint = paint(colour);
        if a == b {
            if let Some(circle) = PathBuilder::from_circle(a.0, a.1, radius) {
                self.pixmap.fill_path(
                    &circle,
                    &paint,
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
            return;
        }
        let mut line = PathBuilder::new();
        line.move_to(a.0, a.1);
        line.line_to(b.0, b.1);
        if let Some(line) = line.finish() {
            let stroke = Stroke {
                width: 2.0 * radius,
                line_cap: LineCap::Round,
                ..Stroke::default()
            };
            self.pixmap
                .stroke_path(&line, &paint, &stroke, Transform::identity(), None);
        }
    }

    /// A filled circle with `mark` in white at its centre (smaller when the circle is small,
    /// left out when it is tiny).
    fn badge(&mut self, centre: Point, r: f32, mark: char, colour: Rgb) {
        self.stroke(centre, centre, r, colour);
        let scale = match r {
            r if r >= 8.0 => 2,
            r if r >= 5.0 => 1,
            _ => return,
        };
        // Centre the glyph's ink, not its advance box.
        let font = font(scale);
        let glyph = font.scaled_glyph(mark);
        let Some(bounds) = FONT.outline_glyph(glyph).map(|g| g.px_bounds()) else {
            return;
        };
        let x = centre.0 - (bounds.min.x + bounds.max.x) / 2.0;
        let top = centre.1 - (bounds.max.y - bounds.min.y) / 2.0;
        let y = top - (BASELINE_PER_SCALE * scale as f32 + bounds.min.y);
        self.text(
            x.round() as i32,
            y.round() as i32,
            &mark.to_string(),
            scale,
            WHITE,
        );
    }

    /// `text` in the embedded font at `scale`, its line's top-left corner at `x, y`.
    fn text(&mut self, x: i32, y: i32, text: &str, scale: i32, colour: Rgb) {
        let size = PxScale::from(PX_PER_SCALE * scale as f32);
        let baseline = y as f32 + BASELINE_PER_SCALE * scale as f32;
        for (id, left) in layout(text, scale).0 {
            let glyph = id.with_scale_and_position(size, point(x as f32 + left, baseline));
            let Some(outline) = FONT.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i32 + gx as i32;
                let py = bounds.min.y as i32 + gy as i32;
                self.blend(px, py, colour, coverage);
            });
        }
    }

    /// Lays `colour` over the pixel at `x, y` with opacity `alpha`; off-picture is ignored.
    fn blend(&mut self, x: i32, y: i32, colour: Rgb, alpha: f32) {
        if !(0..W).contains(&x) || !(0..H).contains(&y) {
            return;
        }
        let at = y as usize * WIDTH as usize + x as usize;
        let pixel = &mut self.pixmap.pixels_mut()[at];
        let mix = |old: u8, new: u8| {
            (f32::from(old) * (1.0 - alpha) + f32::from(new) * alpha).round() as u8
        };
        let mixed = tiny_skia::PremultipliedColorU8::from_rgba(
            mix(pixel.red(), colour[0]),
            mix(pixel.green(), colour[1]),
            mix(pixel.blue(), colour[2]),
            255,
        );
        if let Some(mixed) = mixed {
            *pixel = mixed;
        }
    }

    /// The picture as an RGB PNG: everything is opaque, so the alpha channel is left out.
    fn png(&self) -> Vec<u8> {
        let rgb: Vec<u8> = self
            .pixmap
            .pixels()
            .iter()
            .flat_map(|p| [p.red(), p.green(), p.blue()])
            .collect();
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .expect("a PNG header goes into memory");
        writer
            .write_image_data(&rgb)
            .expect("the pixels match the header's size");
        writer.finish().expect("a PNG ends in memory");
        out
    }
}
