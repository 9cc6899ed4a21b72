//! scikit-learn metrics the [`crate::classification`] module does not cover,
//! with the same conventions (per-label `F1 = 2·tp / (true + predicted)`,
//! NumPy's pairwise sums): F1 over an explicit label list with the
//! `weighted` or `macro` average, `matthews_corrcoef`, and
//! `mean_squared_error`. Checked against scikit-learn 1.5.2 by the FinBen
//! plugin's fidelity corpus.
//!
//! Labels are any ordered type (strings, integer ids); sums run in the
//! labels' sorted order, which is scikit-learn's when it picks the labels
//! itself (`numpy.unique`). A caller passing `labels=list(set(...))` to
//! scikit-learn gets Python's set order instead, which can move the last bit
//! of a weighted or macro average.

use std::collections::{BTreeMap, BTreeSet};

use crate::classification::{LabelCounts, numpy_mean, numpy_sum};

/// How per-label F1 scores are averaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Average {
    /// Weighted by each label's count in `y_true` (`average="weighted"`).
    Weighted,
    /// Unweighted mean (`average="macro"`).
    Macro,
}

/// Confusion counts of each label in `labels`, in sorted order; a
/// prediction or truth outside `labels` counts for no label. `None` when
/// the lists differ in length.
pub fn counts_for<T: Ord + Clone>(
    y_true: &[T],
    y_pred: &[T],
    labels: &BTreeSet<T>,
) -> Option<BTreeMap<T, LabelCounts>> {
    if y_true.len() != y_pred.len() {
        return None;
    }
    let mut counts: BTreeMap<T, LabelCounts> = labels
        .iter()
        .map(|l| (l.clone(), LabelCounts::default()))
        .collect();
    for (t, p) in y_true.iter().zip(y_pred) {
        if let Some(c) = counts.get_mut(t) {
            c.true_count += 1;
        }
        if let Some(c) = counts.get_mut(p) {
            c.pred_count += 1;
            if t == p {
                c.tp += 1;
            }
        }
    }
    Some(counts)
}

/// `f1_score(y_true, y_pred, average=..., labels=labels)`; with `labels`
/// `None`, the labels found in either list (scikit-learn's default).
/// `None` when the lists are empty or differ in length, or no label is left.
///
/// The weighted average is NumPy's `average(f1, weights=true_counts)`:
/// the pairwise sum of `f1·weight` over the pairwise sum of the weights; a
/// label with no true item weighs nothing.
pub fn f1_score<T: Ord + Clone>(
    y_true: &[T],
    y_pred: &[T],
    average: Average,
    labels: Option<&BTreeSet<T>>,
) -> Option<f64> {
    if y_true.is_empty() {
        return None;
    }
    let found: BTreeSet<T>;
    let labels = match labels {
        Some(l) => l,
        None => {
            found = y_true.iter().chain(y_pred).cloned().collect();
            &found
        }
    };
    if labels.is_empty() {
        return None;
    }
    let counts = counts_for(y_true, y_pred, labels)?;
    let f1s: Vec<f64> = counts.values().map(LabelCounts::f1).collect();
    match average {
        Average::Macro => numpy_mean(&f1s),
        Average::Weighted => {
            let weights: Vec<f64> = counts.values().map(|c| c.true_count as f64).collect();
            let total = numpy_sum(&weights);
            if total == 0.0 {
                return Some(0.0);
            }
            let products: Vec<f64> = f1s.iter().zip(&weights).map(|(f, w)| f * w).collect();
            Some(numpy_sum(&products) / total)
        }
    }
}

/// `matthews_corrcoef(y_true, y_pred)` (multiclass): from the confusion
/// matrix over all labels found, `cov(t,p) / sqrt(cov(t,t)·cov(p,p))`, and
/// 0.0 when the denominator is 0 (one class only on either side). `None`
/// when the lists are empty or differ in length.
pub fn matthews_corrcoef<T: Ord + Clone>(y_true: &[T], y_pred: &[T]) -> Option<f64> {
    if y_true.is_empty() || y_true.len() != y_pred.len() {
        return None;
    }
    let labels: BTreeSet<T> = y_true.iter().chain(y_pred).cloned().collect();
    let counts = counts_for(y_true, y_pred, &labels)?;
    // Integer counts: every sum and dot product below is exact in f64 far
    // beyond any dataset size, so the order of operations does not matter.
    let n = y_true.len() as f64;
    let correct: f64 = counts.values().map(|c| c.tp as f64).sum();
    let t_dot_p: f64 = counts
        .values()
        .map(|c| c.true_count as f64 * c.pred_count as f64)
        .sum();
    let p_dot_p: f64 = counts
        .values()
        .map(|c| c.pred_count as f64 * c.pred_count as f64)
        .sum();
    let t_dot_t: f64 = counts
        .values()
        .map(|c| c.true_count as f64 * c.true_count as f64)
        .sum();
    let cov_ytyp = correct * n - t_dot_p;
    let cov_ypyp = n * n - p_dot_p;
    let cov_ytyt = n * n - t_dot_t;
    if cov_ypyp * cov_ytyt == 0.0 {
        return Some(0.0);
    }
    Some(cov_ytyp / (cov_ytyt * cov_ypyp).sqrt())
}

/// `mean_squared_error(y_true, y_pred)`: NumPy's mean of the squared
/// differences; `None` when the lists are empty or differ in length.
pub fn mean_squared_error(y_true: &[f64], y_pred: &[f64]) -> Option<f64> {
    if y_true.len() != y_pred.len() {
        return None;
    }
    let sq: Vec<f64> = y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| (t - p) * (t - p))
        .collect();
    numpy_mean(&sq)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn weighted_and_macro_f1_over_gold_labels() {
        // sklearn 1.5.2:
        // t = ["pos","neg","neu","pos","neg"]; p = ["pos","missing","neu","neg","neg"]
        // f1_score(t, p, average="weighted", labels=["neg","neu","pos"]) = 0.6666666666666666
        // f1_score(t, p, average="macro", labels=[...]) = 0.7222222222222222
        let t = v(&["pos", "neg", "neu", "pos", "neg"]);
        let p = v(&["pos", "missing", "neu", "neg", "neg"]);
        let labels = set(&["neg", "neu", "pos"]);
        let w = f1_score(&t, &p, Average::Weighted, Some(&labels)).unwrap();
        assert_eq!(w, 0.6666666666666666);
        let m = f1_score(&t, &p, Average::Macro, Some(&labels)).unwrap();
        assert_eq!(m, 0.7222222222222222);
        // Without labels, "missing" joins the macro mean with F1 0.
        let m = f1_score(&t, &p, Average::Macro, None).unwrap();
        assert_eq!(m, 0.5416666666666666);
        // Integer ids, -1 for unknown.
        // f1_score([0,1,1,2], [0,1,-1,2], average="weighted") = 0.8333333333333333
        let w = f1_score(&[0, 1, 1, 2], &[0, 1, -1, 2], Average::Weighted, None).unwrap();
        assert_eq!(w, 0.8333333333333333);
        assert_eq!(f1_score::<i32>(&[], &[], Average::Macro, None), None);
    }

    #[test]
    fn mcc_as_sklearn() {
        // sklearn: matthews_corrcoef([1,1,1,0], [1,0,1,1]) = -0.3333333333333333
        assert_eq!(
            matthews_corrcoef(&[1, 1, 1, 0], &[1, 0, 1, 1]),
            Some(-0.3333333333333333)
        );
        // One class only: 0.0 even when all correct.
        assert_eq!(matthews_corrcoef(&[0, 0], &[0, 0]), Some(0.0));
        assert_eq!(matthews_corrcoef(&[0, 1], &[0, 1]), Some(1.0));
        assert_eq!(matthews_corrcoef::<i32>(&[], &[]), None);
    }

    #[test]
    fn mse() {
        assert_eq!(mean_squared_error(&[0.5, -0.5], &[0.5, 0.5]), Some(0.5));
        assert_eq!(mean_squared_error(&[], &[]), None);
        assert_eq!(mean_squared_error(&[1.0], &[]), None);
    }
}
