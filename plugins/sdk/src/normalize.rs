//! Normalisers: lm-evaluation-harness `exact_match` and Python string rules.

use crate::pyunicode;

/// Python's `string.punctuation`: the 32 ASCII punctuation characters.
pub const PY_PUNCTUATION: &str = r##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##;

/// `s` without Python's `string.punctuation` characters (ASCII only: `“`,
/// `（` and other Unicode punctuation stay).
pub fn remove_punctuation(s: &str) -> String {
    s.chars().filter(|c| !PY_PUNCTUATION.contains(*c)).collect()
}

/// `s` without ASCII digits (Python's `string.digits`).
pub fn remove_digits(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// Options of lm-evaluation-harness's `exact_match`
/// (`exact_match_hf_evaluate`), applied in its order: lower-case, then drop
/// punctuation, then drop digits. (`regexes_to_ignore` is not supported: a
/// plugin that needs it applies its own rule before.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactMatch {
    /// `ignore_case`: compare `str.lower()` of both sides.
    pub ignore_case: bool,
    /// `ignore_punctuation`: remove `string.punctuation` from both sides.
    pub ignore_punctuation: bool,
    /// `ignore_numbers`: remove `string.digits` from both sides.
    pub ignore_numbers: bool,
}

impl ExactMatch {
    /// `ignore_case` and `ignore_punctuation`, as most lm-eval generative
    /// multiple-choice tasks configure it.
    pub const CASE_AND_PUNCTUATION: ExactMatch = ExactMatch {
        ignore_case: true,
        ignore_punctuation: true,
        ignore_numbers: false,
    };

    /// One side after normalisation.
    pub fn normalize(&self, s: &str) -> String {
        let mut out = if self.ignore_case {
            pyunicode::lower(s)
        } else {
            s.to_string()
        };
        if self.ignore_punctuation {
            out = remove_punctuation(&out);
        }
        if self.ignore_numbers {
            out = remove_digits(&out);
        }
        out
    }

    /// Whether `prediction` equals `reference` after normalisation.
    pub fn matches(&self, prediction: &str, reference: &str) -> bool {
        self.normalize(prediction) == self.normalize(reference)
    }

    /// 1.0 when [`ExactMatch::matches`], else 0.0.
    pub fn score(&self, prediction: &str, reference: &str) -> f64 {
        if self.matches(prediction, reference) {
            1.0
        } else {
            0.0
        }
    }
}

/// SQuAD-style answer normalisation: lower-case, drop ASCII punctuation,
/// drop the articles `a`, `an`, `the`, collapse whitespace.
pub fn squad_normalize(s: &str) -> String {
    let lowered = remove_punctuation(&s.to_lowercase());
    lowered
        .split_whitespace()
        .filter(|w| !matches!(*w, "a" | "an" | "the"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_ascii_only() {
        assert_eq!(PY_PUNCTUATION.len(), 32);
        assert_eq!(remove_punctuation("(B)."), "B");
        assert_eq!(remove_punctuation("（B）"), "（B）");
        assert_eq!(remove_digits("a1b2"), "ab");
    }

    #[test]
    fn exact_match_rules() {
        let em = ExactMatch::CASE_AND_PUNCTUATION;
        assert!(em.matches("(b)", "B"));
        assert!(em.matches("**B**", "B"));
        assert!(!em.matches("B because", "B"));
        assert!(!em.matches("[invalid]", "B"));
        assert!(!ExactMatch::default().matches("b", "B"));
        let num = ExactMatch {
            ignore_numbers: true,
            ..ExactMatch::default()
        };
        assert!(num.matches("B1", "B"));
        assert_eq!(em.score("B.", "b"), 1.0);
    }

    #[test]
    fn squad() {
        assert_eq!(squad_normalize("The  Cat, a dog!"), "cat dog");
    }
}
