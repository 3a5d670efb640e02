//! How much each move is worth, and why. Every change in trust is a [`Moment`] with a cause,
//! so the debrief can show exactly what earned or cost the trainee's standing.

use crate::record::Difficulty;

/// Asking, and hearing a doubt the customer had kept to himself.
pub const ASKED: i32 = 6;
/// Naming a weak spot of one's own offer, once per topic.
pub const ADMITTED: i32 = 5;
/// Recognising a concern the customer has just voiced, once per doubt.
pub const ACKNOWLEDGED: i32 = 3;
/// Answering a doubt with fitting evidence or a measure, per point of the doubt's weight.
pub const RESOLVED_PER_WEIGHT: i32 = 8;
pub const DISMISSED: i32 = -8;
/// Asking for the decision while a blocking doubt is open, or before trust is there.
pub const PUSHED: i32 = -3;
/// Pitching strengths at a customer whose voiced concern is still unanswered.
pub const PITCHED_PAST: i32 = -3;
/// Asking about the customer's own world, once per subject.
pub const LEARNED: i32 = 2;
/// On hard, doubts after the first come out only once trust has grown this much.
pub const HARD_OPENS_UP_AFTER: i32 = 10;

/// One difficulty step from the persona's own: this much less trust to start with, and this
/// much more needed to sign.
pub const DIFFICULTY_STEP: i32 = 10;

/// Trust at the start and the trust needed to sign, for a persona written at `own`
/// difficulty and played at `played`: the persona's own numbers at its own difficulty.
pub fn bar(trust: u8, sign_at: u8, own: Difficulty, played: Difficulty) -> (u8, u8) {
    let level = |d: Difficulty| match d {
        Difficulty::Easy => -1,
        Difficulty::Normal => 0,
        Difficulty::Hard => 1,
    };
    let steps = level(played) - level(own);
    let start = (i32::from(trust) - steps * DIFFICULTY_STEP).clamp(0, 100);
    let sign = (i32::from(sign_at) + steps * DIFFICULTY_STEP).clamp(1, 100);
    (start as u8, sign as u8)
}

/// Easy customers reward more and forgive more. Hard ones punish more, and open up only
/// once trust has grown (see [`HARD_OPENS_UP_AFTER`]), but reward good work in full: the
/// persona's own `sign_at` already sets the bar. Never rounds a move to nothing.
pub fn scale(delta: i32, difficulty: Difficulty) -> i32 {
    let (num, den) = match (difficulty, delta > 0) {
        (Difficulty::Normal, _) | (Difficulty::Hard, true) => return delta,
        (Difficulty::Easy, true) | (Difficulty::Hard, false) => (3, 2),
        (Difficulty::Easy, false) => (1, 2),
    };
    let scaled = (delta * num + den / 2 * delta.signum()) / den;
    if scaled == 0 { delta.signum() } else { scaled }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulty_scales_gains_and_losses_in_opposite_directions() {
        assert_eq!(scale(6, Difficulty::Normal), 6);
        assert!(scale(6, Difficulty::Easy) > 6);
        assert_eq!(scale(6, Difficulty::Hard), 6);
        assert!(scale(-8, Difficulty::Easy) > -8);
        assert!(scale(-8, Difficulty::Hard) < -8);
        assert_eq!(scale(-1, Difficulty::Easy), -1);
    }
}
