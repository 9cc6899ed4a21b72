//! Classification and stock-movement answers (`Classification` and
//! `StockMovement.process_results` in PIXIU's `flare.py`).
//!
//! Reference rule: the answer is stripped (Python `str.strip`) and, like
//! each choice, lower-cased; the **first choice in `choices` order** that is
//! a substring of the answer is the prediction, else `"missing"`. Stock
//! movement also accepts each choice's synonyms (`rise`: yes, positive;
//! `fall`: no, negative, neutral) and falls back to a default label instead
//! of `"missing"`.
//!
//! Corrected rule: a choice (or synonym) counts only as a whole word (no
//! letter or digit, in Python's `str.isalnum` sense, right before or after
//! it), and the one found **earliest** in the answer wins (a longer one
//! first at the same position, then `choices` order). `flare_cfa` keeps the
//! case (its first `class CFA` set `LOWER_CASE = False`; the second one,
//! which Python keeps, does not).

use scorebox_sdk::pyunicode;

use crate::Mode;
use crate::tasks::StockRule;

/// What the reference calls an answer with no choice in it.
pub const MISSING: &str = "missing";

/// A choice prediction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// The predicted label (a choice as compared, or [`MISSING`]).
    pub label: String,
    /// Whether nothing matched (`missing` metric): always false for stock
    /// movement in reference mode, where the default label is used.
    pub missing: bool,
}

/// A choice as compared: lower-cased unless `keep_case`.
pub fn normalize(choice: &str, keep_case: bool) -> String {
    if keep_case {
        choice.to_string()
    } else {
        pyunicode::lower(choice)
    }
}

/// Char index of the first occurrence of `needle` in `hay` that is a whole
/// word (no alphanumeric character right before or after it).
pub fn find_word(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| {
        hay[i..i + needle.len()] == *needle
            && (i == 0 || !pyunicode::is_alnum(hay[i - 1]))
            && hay
                .get(i + needle.len())
                .is_none_or(|c| !pyunicode::is_alnum(*c))
    })
}

/// The answer as compared: stripped, lower-cased unless `keep_case`.
fn prepare(response: &str, keep_case: bool) -> String {
    normalize(pyunicode::strip(response), keep_case)
}

/// The earliest whole-word hit among `candidates`: (position, -length, index).
fn earliest(hay: &[char], candidates: &[(usize, Vec<char>)]) -> Option<usize> {
    candidates
        .iter()
        .filter_map(|(index, word)| {
            find_word(hay, word).map(|pos| (pos, std::cmp::Reverse(word.len()), *index))
        })
        .min()
        .map(|(_, _, index)| index)
}

/// `Classification.process_results`'s prediction (reference) or the
/// corrected whole-word rule, over `choices` as compared (see [`normalize`]).
pub fn classify(response: &str, choices: &[String], keep_case: bool, mode: Mode) -> Prediction {
    let answer = prepare(response, keep_case);
    let found = match mode {
        Mode::Reference => choices.iter().position(|c| answer.contains(c.as_str())),
        Mode::Corrected => {
            let hay: Vec<char> = answer.chars().collect();
            let candidates: Vec<(usize, Vec<char>)> = choices
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.chars().collect()))
                .collect();
            earliest(&hay, &candidates)
        }
    };
    match found {
        Some(i) => Prediction {
            label: choices[i].clone(),
            missing: false,
        },
        None => Prediction {
            label: MISSING.to_string(),
            missing: true,
        },
    }
}

/// `StockMovement.process_results`'s prediction over lower-cased `choices`
/// (each one a label of `rule`; the loader checks). In reference mode the
/// default label is never reported as missing; in corrected mode it is.
pub fn stock_movement(
    response: &str,
    choices: &[String],
    rule: &StockRule,
    mode: Mode,
) -> Prediction {
    let answer = prepare(response, false);
    let synonyms = |c: &str| rule.synonyms_of(c).unwrap_or(&[]);
    let found = match mode {
        Mode::Reference => choices.iter().position(|c| {
            answer.contains(c.as_str()) || synonyms(c).iter().any(|s| answer.contains(s))
        }),
        Mode::Corrected => {
            let hay: Vec<char> = answer.chars().collect();
            let candidates: Vec<(usize, Vec<char>)> = choices
                .iter()
                .enumerate()
                .flat_map(|(i, c)| {
                    std::iter::once(c.as_str())
                        .chain(synonyms(c).iter().copied())
                        .map(move |w| (i, w.chars().collect()))
                })
                .collect();
            earliest(&hay, &candidates)
        }
    };
    match found {
        Some(i) => Prediction {
            label: choices[i].clone(),
            missing: false,
        },
        None => Prediction {
            label: rule.default.to_string(),
            missing: mode == Mode::Corrected,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::{GOOD_BAD, RISE_FALL};

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reference_takes_the_first_choice_in_order() {
        let c = v(&["positive", "negative", "neutral"]);
        let r = |s| classify(s, &c, false, Mode::Reference).label;
        assert_eq!(r("The sentiment is not positive."), "positive");
        assert_eq!(r("negative, definitely not positive"), "positive");
        assert_eq!(r("neutral or negative"), "negative");
        assert_eq!(r("  POSITIVELY  "), "positive");
        assert_eq!(r("unclear"), "missing");
        let fomc = v(&["dovish", "hawkish", "neutral"]);
        assert_eq!(
            classify(
                "neither hawkish nor dovish; neutral",
                &fomc,
                false,
                Mode::Reference
            )
            .label,
            "dovish"
        );
        let cfa = v(&["a", "b", "c"]);
        assert_eq!(
            classify("The answer is B", &cfa, false, Mode::Reference).label,
            "a"
        );
        assert_eq!(
            classify("None", &cfa, false, Mode::Reference).label,
            "missing"
        );
    }

    #[test]
    fn corrected_takes_the_earliest_whole_word() {
        let c = v(&["positive", "negative", "neutral"]);
        let r = |s| classify(s, &c, false, Mode::Corrected);
        assert_eq!(r("negative, definitely not positive").label, "negative");
        assert_eq!(r("positively").label, "missing");
        assert!(r("positively").missing);
        let cfa = v(&["A", "B", "C"]);
        assert_eq!(
            classify("The answer is B", &cfa, true, Mode::Corrected).label,
            "B"
        );
        assert_eq!(
            classify("C, because", &cfa, true, Mode::Corrected).label,
            "C"
        );
        assert_eq!(find_word(&['a', 'b'], &[]), None);
    }

    #[test]
    fn stock_movement_synonyms_and_default() {
        let c = v(&["rise", "fall"]);
        let r = |s| stock_movement(s, &c, &RISE_FALL, Mode::Reference);
        assert_eq!(r("Surprise drop: it will fall").label, "rise");
        assert_eq!(r("I don't know").label, "fall");
        assert_eq!(r("eyes on it").label, "rise");
        assert_eq!(r("Fall, not rise").label, "rise");
        assert_eq!(r("").label, "fall");
        assert!(!r("").missing);
        let k = |s| stock_movement(s, &c, &RISE_FALL, Mode::Corrected);
        assert_eq!(k("Fall, not rise").label, "fall");
        assert_eq!(k("Surprise drop: it will fall").label, "fall");
        assert!(k("unclear").missing);
        let g = v(&["good", "bad"]);
        let r = |s| stock_movement(s, &g, &GOOD_BAD, Mode::Reference).label;
        assert_eq!(r("unknown"), "bad");
        assert_eq!(r("not good"), "good");
        assert_eq!(r("bad, not good"), "good");
        assert_eq!(r(""), "good");
    }
}
