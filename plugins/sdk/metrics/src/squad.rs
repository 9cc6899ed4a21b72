//! SQuAD-style answer scoring with Python's exact semantics: the official
//! SQuAD / ReCoRD `normalize_answer`, exact match, token F1 in both
//! conventions found in the references, and the max over gold answers.
//!
//! `normalize_answer` (SQuAD v1.1 `evaluate-v1.1.py`, ReCoRD's official
//! `evaluate.py`, `transformers` `squad_metrics`, lm-eval's t5 `normalize_squad`
//! all agree) is, in this order: `str.lower()`; delete every character of
//! `string.punctuation` (ASCII only, nothing inserted: `Jean-Luc` → `jeanluc`);
//! `re.sub(r"\b(a|an|the)\b", " ", s)`; `" ".join(s.split())`.
//!
//! [`scorebox_sdk::normalize::squad_normalize`] approximates it with Rust's
//! whitespace and word splitting; this module follows Python's: the articles
//! are whole runs of `\w` characters in Python's sense (so `a` in `’a` or in
//! `a` + U+0301 is removed, since `’` and combining marks are not `\w`), and
//! `split()` splits on Python's whitespace (U+001C..U+001F included).
//!
//! Token F1 exists in two conventions:
//! * [`f1_official`] (SQuAD v1.1 and ReCoRD official scripts, lm-eval's t5
//!   `squad_f1_agg`): 0 when no token overlaps, including when both sides
//!   normalise to nothing;
//! * [`f1_transformers`] (`transformers.data.metrics.squad_metrics.compute_f1`,
//!   lm-eval's ReCoRD task): when either side has no token, 1 if both have
//!   none, else 0.

use std::collections::BTreeMap;

use scorebox_sdk::normalize::PY_PUNCTUATION;
use scorebox_sdk::pyunicode;

/// The official SQuAD / ReCoRD `normalize_answer` (see the module notes).
pub fn normalize_answer(s: &str) -> String {
    let lowered = pyunicode::lower(s);
    let no_punct: String = lowered
        .chars()
        .filter(|c| !PY_PUNCTUATION.contains(*c))
        .collect();
    let no_articles = remove_articles(&no_punct);
    no_articles
        .split(pyunicode::is_space)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `re.sub(r"\b(a|an|the)\b", " ", s)` for a str pattern: every maximal run
/// of Python `\w` characters equal to `a`, `an` or `the` becomes one space.
fn remove_articles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if matches!(run.as_str(), "a" | "an" | "the") {
            out.push(' ');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if pyunicode::is_word(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The tokens of `normalize_answer(s)` (`.split()` of the normalised text).
pub fn tokens(s: &str) -> Vec<String> {
    normalize_answer(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// `normalize_answer(prediction) == normalize_answer(gold)`.
pub fn exact(prediction: &str, gold: &str) -> bool {
    normalize_answer(prediction) == normalize_answer(gold)
}

/// Tokens two bags share (`sum((Counter(a) & Counter(b)).values())`).
fn overlap(a: &[String], b: &[String]) -> usize {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in b {
        *counts.entry(t.as_str()).or_default() += 1;
    }
    let mut same = 0;
    for t in a {
        if let Some(c) = counts.get_mut(t.as_str())
            && *c > 0
        {
            *c -= 1;
            same += 1;
        }
    }
    same
}

/// `precision = 1.0 * same / len(pred)`, `recall = 1.0 * same / len(gold)`,
/// `(2 * precision * recall) / (precision + recall)`, in Python's order.
fn harmonic(same: usize, pred: usize, gold: usize) -> f64 {
    let precision = same as f64 / pred as f64;
    let recall = same as f64 / gold as f64;
    (2.0 * precision * recall) / (precision + recall)
}

/// Token F1 of the official SQuAD v1.1 / ReCoRD scripts: 0 when no
/// normalised token overlaps (also when both sides are empty).
pub fn f1_official(prediction: &str, gold: &str) -> f64 {
    let p = tokens(prediction);
    let g = tokens(gold);
    let same = overlap(&p, &g);
    if same == 0 {
        return 0.0;
    }
    harmonic(same, p.len(), g.len())
}

/// `transformers` `squad_metrics.compute_f1`: when either side has no
/// normalised token, 1 if both have none, else 0; otherwise as
/// [`f1_official`].
pub fn f1_transformers(prediction: &str, gold: &str) -> f64 {
    let p = tokens(prediction);
    let g = tokens(gold);
    if p.is_empty() || g.is_empty() {
        return if p == g { 1.0 } else { 0.0 };
    }
    let same = overlap(&p, &g);
    if same == 0 {
        return 0.0;
    }
    harmonic(same, p.len(), g.len())
}

/// `metric_max_over_ground_truths(metric, prediction, golds)`: the largest
/// score against any gold answer; `None` when there is none (Python's `max`
/// raises there).
pub fn max_over_golds(
    metric: impl Fn(&str, &str) -> f64,
    prediction: &str,
    golds: &[String],
) -> Option<f64> {
    golds
        .iter()
        .map(|g| metric(prediction, g))
        .fold(None, |best: Option<f64>, v| {
            Some(match best {
                Some(b) if b >= v => b,
                _ => v,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_follows_python() {
        // python3: evaluate-v1.1 normalize_answer(...)
        assert_eq!(normalize_answer("The  Cat, a dog!"), "cat dog");
        assert_eq!(normalize_answer("Jean-Luc O'Brien's"), "jeanluc obriens");
        assert_eq!(normalize_answer("bank of the west!"), "bank of west");
        assert_eq!(normalize_answer("O’Brien"), "o’brien");
        // `’` is not \w: the `a` before it is a whole word.
        assert_eq!(normalize_answer("a’s"), "’s");
        // U+0301 is not \w either.
        assert_eq!(normalize_answer("a\u{301} b"), "\u{301} b");
        // `_` is punctuation, removed before the articles.
        assert_eq!(normalize_answer("the_a"), "thea");
        assert_eq!(normalize_answer("x\u{1c}y"), "x y");
        assert_eq!(normalize_answer("The"), "");
        assert_eq!(normalize_answer("AN apple"), "apple");
    }

    #[test]
    fn f1_conventions() {
        assert_eq!(f1_official("the cat sat", "a cat sat down"), 0.8);
        assert_eq!(f1_transformers("the cat sat", "a cat sat down"), 0.8);
        assert_eq!(f1_official("The", "the"), 0.0);
        assert_eq!(f1_transformers("The", "the"), 1.0);
        assert_eq!(f1_transformers("The", "cat"), 0.0);
        assert_eq!(f1_official("cat cat", "cat"), 2.0 * 0.5 * 1.0 / 1.5);
        assert!(exact("The Cat.", "cat"));
        let golds = vec!["dog".to_string(), "the cat".to_string()];
        assert_eq!(max_over_golds(f1_official, "cat", &golds), Some(1.0));
        assert_eq!(max_over_golds(f1_official, "cat", &[]), None);
    }
}
