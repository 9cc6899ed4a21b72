//! Relation extraction (`RelationExtraction` in PIXIU's `flare.py`).
//!
//! Reference rule: **one set over the whole task**: G = every gold relation
//! string of every document, P = every line (`answer.split("\n")`, not
//! trimmed) of every answer; a line equal to *another* document's gold
//! counts as found, duplicates collapse, an empty answer or a trailing
//! newline adds `""` to P. precision = |G∩P| / |P|, recall = |G∩P| / |G|,
//! F1 = 2PR/(P+R) (0 when both are 0).
//!
//! Corrected rule: per document (its own gold set against its own lines,
//! each line trimmed and empty lines dropped), counts summed over documents.

use std::collections::BTreeSet;

use scorebox_sdk::pyunicode;

use crate::Mode;

/// The answer's lines as the mode reads them.
pub fn lines(answer: &str, mode: Mode) -> Vec<String> {
    match mode {
        Mode::Reference => answer.split('\n').map(str::to_string).collect(),
        Mode::Corrected => answer
            .split('\n')
            .map(|l| pyunicode::strip(l).to_string())
            .filter(|l| !l.is_empty())
            .collect(),
    }
}

/// Precision, recall and F1; `None` for a ratio whose denominator is 0
/// (the reference raises `ZeroDivisionError` there).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SetScores {
    /// Found over predicted.
    pub precision: Option<f64>,
    /// Found over gold.
    pub recall: Option<f64>,
    /// Harmonic mean (when both are defined).
    pub f1: Option<f64>,
}

fn scores(tp: usize, predicted: usize, gold: usize) -> SetScores {
    let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
    let precision = ratio(tp, predicted);
    let recall = ratio(tp, gold);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) => Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * (p * r) / (p + r)
        }),
        _ => None,
    };
    SetScores {
        precision,
        recall,
        f1,
    }
}

/// Corpus scores over `(gold relations, answer lines)` per document.
pub fn corpus(docs: &[(Vec<String>, Vec<String>)], mode: Mode) -> SetScores {
    match mode {
        Mode::Reference => {
            let gold: BTreeSet<&str> = docs
                .iter()
                .flat_map(|(g, _)| g.iter().map(String::as_str))
                .collect();
            let pred: BTreeSet<&str> = docs
                .iter()
                .flat_map(|(_, p)| p.iter().map(String::as_str))
                .collect();
            scores(gold.intersection(&pred).count(), pred.len(), gold.len())
        }
        Mode::Corrected => {
            let (mut tp, mut np, mut ng) = (0, 0, 0);
            for (g, p) in docs {
                let g: BTreeSet<&str> = g.iter().map(|s| pyunicode::strip(s)).collect();
                let p: BTreeSet<&str> = p.iter().map(String::as_str).collect();
                tp += g.intersection(&p).count();
                np += p.len();
                ng += g.len();
            }
            scores(tp, np, ng)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pooled_sets() {
        let docs = vec![
            (v(&["a ; b ; r1"]), lines("c ; d ; r2\n", Mode::Reference)),
            (v(&["c ; d ; r2"]), lines("x", Mode::Reference)),
        ];
        // P = {"c ; d ; r2", "", "x"}, G = {"a ; b ; r1", "c ; d ; r2"}: 1 found.
        let s = corpus(&docs, Mode::Reference);
        assert_eq!(s.precision, Some(1.0 / 3.0));
        assert_eq!(s.recall, Some(0.5));
        let docs = vec![
            (v(&["a ; b ; r1"]), lines("c ; d ; r2\n", Mode::Corrected)),
            (v(&["c ; d ; r2"]), lines(" c ; d ; r2 ", Mode::Corrected)),
        ];
        let s = corpus(&docs, Mode::Corrected);
        assert_eq!(
            (s.precision, s.recall, s.f1),
            (Some(0.5), Some(0.5), Some(0.5))
        );
        assert_eq!(corpus(&[], Mode::Reference).recall, None);
    }
}
