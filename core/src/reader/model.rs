//! The learned layer that decides a message's acts and their topic: one logistic output per
//! act, one for a message that does none of them, and one per topic, over hashed features;
//! trained from the labelled corpus by [`super::train`] and shipped as a generated file per
//! language (`model/*.bin`).

use super::features::{Design, LETTERS};
use crate::topic::{ActKind, Topic};
use std::sync::LazyLock;

/// The acts the model decides: every act but `other` (the last), which is what is left when
/// none of them is read.
pub(crate) const ACTS: &[ActKind] = match ActKind::ALL.split_last() {
    Some((ActKind::Other, rest)) => rest,
    _ => panic!("`other` must be the last act"),
};

/// One output per act, one for a message that does none of them, then one per topic.
pub(crate) const OUTPUTS: usize = NOTHING + 1 + Topic::ALL.len();

/// The output that says a message does nothing the acts' outputs decide: thanks, logistics,
/// small talk, polite agreement. Each act's output learns its own negatives; this one pools
/// the evidence of them all, so a message it is sure of reads no act.
pub(crate) const NOTHING: usize = ACTS.len();

pub(crate) fn act_output(act: ActKind) -> Option<usize> {
    ACTS.iter().position(|&a| a == act)
}

pub(crate) fn topic_output(topic: Topic) -> usize {
    NOTHING + 1 + Topic::ALL.iter().position(|&t| t == topic).unwrap_or(0)
}

const MAGIC: &[u8; 4] = b"SCRM";
const VERSION: u8 = 2;

/// The shipped models, by language code; regenerate with `sceptic train`.
const BUILTIN: &[(&str, &[u8])] = &[
    ("en", include_bytes!("model/en.bin")),
    ("nl", include_bytes!("model/nl.bin")),
];

static MODELS: LazyLock<Vec<(&'static str, Model)>> = LazyLock::new(|| {
    BUILTIN
        .iter()
        .map(|(code, bytes)| {
            let model = Model::from_bytes(bytes)
                .unwrap_or_else(|e| panic!("built-in reader model {code}.bin is invalid: {e}"));
            (*code, model)
        })
        .collect()
});

/// The shipped model for a language code.
pub(crate) fn builtin(language: &str) -> Option<&'static Model> {
    MODELS.iter().find(|(c, _)| *c == language).map(|(_, m)| m)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) design: Design,
    /// Sorted feature hashes; row `i` of `weights` belongs to `hashes[i]`.
    pub(crate) hashes: Vec<u32>,
    /// `OUTPUTS` weights per feature, quantised to a byte with a scale per output.
    pub(crate) weights: Vec<i8>,
    pub(crate) scale: [f32; OUTPUTS],
    pub(crate) bias: [f32; OUTPUTS],
    /// The probability above which an act output counts as read (and the `NOTHING` output
    /// keeps acts out).
    pub(crate) threshold: [f32; OUTPUTS],
}

impl Model {
    /// The probability of every output for a message's features.
    pub(crate) fn probabilities(&self, features: &[u32]) -> [f32; OUTPUTS] {
        // Words and letters are summed apart: each family has its own value.
        let mut sums = [[0i32; OUTPUTS]; 2];
        for f in features {
            if let Ok(row) = self.hashes.binary_search(f) {
                let w = &self.weights[row * OUTPUTS..(row + 1) * OUTPUTS];
                let family = &mut sums[usize::from(f & LETTERS != 0)];
                for (s, &w) in family.iter_mut().zip(w) {
                    *s += i32::from(w);
                }
            }
        }
        let x = input_values(features);
        let mut out = [0f32; OUTPUTS];
        for o in 0..OUTPUTS {
            let z = sums[0][o] as f32 * x[0] + sums[1][o] as f32 * x[1];
            out[o] = sigmoid(self.bias[o] + z * self.scale[o]);
        }
        out
    }

    /// The model as its generated file: little-endian, fixed layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.hashes.len() * (4 + OUTPUTS));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[VERSION, self.design.code(), OUTPUTS as u8, 0]);
        out.extend_from_slice(&(self.hashes.len() as u32).to_le_bytes());
        for o in 0..OUTPUTS {
            for v in [self.bias[o], self.scale[o], self.threshold[o]] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for h in &self.hashes {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out.extend(self.weights.iter().map(|&w| w as u8));
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], String> {
            let slice = bytes
                .get(at..at + n)
                .ok_or_else(|| format!("cut short at byte {at}"))?;
            at += n;
            Ok(slice)
        };
        if take(4)? != MAGIC {
            return Err("not a sceptic reader model".into());
        }
        let header = take(4)?;
        if header[0] != VERSION {
            return Err(format!(
                "version {} (this build reads {VERSION})",
                header[0]
            ));
        }
        let design =
            Design::from_code(header[1]).ok_or_else(|| format!("unknown design {}", header[1]))?;
        if usize::from(header[2]) != OUTPUTS {
            return Err(format!("{} outputs, this build has {OUTPUTS}", header[2]));
        }
        let f32_at = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let n = u32::from_le_bytes(take(4)?.try_into().map_err(|_| "bad length")?) as usize;
        let mut bias = [0f32; OUTPUTS];
        let mut scale = [0f32; OUTPUTS];
        let mut threshold = [0f32; OUTPUTS];
        for o in 0..OUTPUTS {
            let b = take(12)?;
            bias[o] = f32_at(&b[0..4]);
            scale[o] = f32_at(&b[4..8]);
            threshold[o] = f32_at(&b[8..12]);
        }
        let hashes = take(n * 4)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect::<Vec<_>>();
        if hashes.windows(2).any(|w| w[0] >= w[1]) {
            return Err("feature hashes are not sorted".into());
        }
        let weights = take(n * OUTPUTS)?.iter().map(|&b| b as i8).collect();
        if at != bytes.len() {
            return Err(format!("{} bytes left over", bytes.len() - at));
        }
        Ok(Model {
            design,
            hashes,
            weights,
            scale,
            bias,
            threshold,
        })
    }
}

/// The value of a present word feature and of a present letter feature: each family adds up
/// to the same length whatever the message's, so that a long message does not outshout a
/// short one, and letters (which help with typos) weigh less than words.
pub(crate) fn input_values(features: &[u32]) -> [f32; 2] {
    let letters = features.iter().filter(|&&f| f & LETTERS != 0).count();
    let words = features.len() - letters;
    let value = |n: usize, weight: f32| weight / (n.max(1) as f32).sqrt();
    [value(words, 1.0), value(letters, LETTER_WEIGHT)]
}

/// How much the letter n-grams weigh against the words, chosen on a validation split.
const LETTER_WEIGHT: f32 = 0.25;

/// The logistic function with an exponential of our own: the same bits on every platform,
/// so that training reproduces the shipped model exactly.
pub(crate) fn sigmoid(z: f32) -> f32 {
    let z = z.clamp(-30.0, 30.0);
    1.0 / (1.0 + exp(-z))
}

fn exp(x: f32) -> f32 {
    // e^x = 2^k * e^r with |r| <= ln2/2, and e^r by its Taylor series to the 7th power.
    let k = (x * std::f32::consts::LOG2_E).round();
    let r = x - k * std::f32::consts::LN_2;
    let mut term = 1.0f32;
    let mut sum = 1.0f32;
    for i in 1..=7 {
        term = term * r / i as f32;
        sum += term;
    }
    sum * f32::from_bits(((k as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_exponential_is_close_to_the_platform_one() {
        for i in -300..=300 {
            let x = i as f32 / 10.0;
            let (ours, std) = (exp(x), x.exp());
            assert!((ours - std).abs() <= std * 1e-5, "{x}: {ours} vs {std}");
        }
    }

    #[test]
    fn every_builtin_model_loads() {
        for (code, _) in BUILTIN {
            assert!(
                builtin(code).is_some_and(|m| !m.hashes.is_empty()),
                "{code}"
            );
        }
    }

    #[test]
    fn bytes_round_trip_and_damage_is_named() {
        let model = builtin("en").expect("english model");
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).as_ref(), Ok(model));
        let err = Model::from_bytes(&bytes[..bytes.len() - 1]).unwrap_err();
        assert!(err.contains("cut short"), "{err}");
        assert!(Model::from_bytes(b"nope").is_err());
    }
}
