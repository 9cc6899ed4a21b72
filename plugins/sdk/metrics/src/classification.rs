//! Corpus-level classification metrics with scikit-learn's semantics, in
//! NumPy's order of operations: `accuracy_score` and `f1_score(average=
//! "macro")` over string labels (PubMedQA's `evaluation.py`, SuperGLUE CB's
//! macro-F1, ...), checked bit for bit against scikit-learn 1.7.2 and
//! NumPy 2.2.6 by the MultiMedQA plugin's fidelity corpus.
//!
//! * The labels of a macro average are those present in `y_true` **or**
//!   `y_pred`, sorted (`numpy.unique`): a class absent from both is left
//!   out; a class that is only predicted (any string, `"Yes"`, `""`) counts
//!   with F1 0.
//! * Per label, `F1 = 2·tp / (true + predicted)` (scikit-learn ≥ 1.3 writes
//!   it from the confusion counts, not from precision and recall), 0 when
//!   the denominator is 0 (`zero_division="warn"`).
//! * The mean is NumPy's: a pairwise sum ([`numpy_sum`]) divided by the count.

use std::collections::BTreeMap;

/// NumPy's `np.add.reduce` of a contiguous float64 array
/// (`pairwise_sum_DOUBLE`): under 8 values a left-to-right sum from 0.0; up
/// to 128, eight interleaved accumulators combined as
/// `((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))`, then the remainder one by one;
/// above, the two halves (the first a multiple of 8 long) summed recursively.
pub fn numpy_sum(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 8 {
        let mut res = 0.0;
        for v in values {
            res += v;
        }
        return res;
    }
    if n <= 128 {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&values[..8]);
        let full = n - n % 8;
        let mut i = 8;
        while i < full {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += values[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &values[full..] {
            res += v;
        }
        return res;
    }
    let mut n2 = n / 2;
    n2 -= n2 % 8;
    numpy_sum(&values[..n2]) + numpy_sum(&values[n2..])
}

/// NumPy's `mean` of a float64 array: [`numpy_sum`] over the count; `None`
/// when empty.
pub fn numpy_mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| numpy_sum(values) / values.len() as f64)
}

/// scikit-learn's `accuracy_score(y_true, y_pred)`: the share of positions
/// where the labels are equal (exact string comparison); `None` when the
/// lists are empty or of different lengths.
pub fn accuracy<S: AsRef<str>>(y_true: &[S], y_pred: &[S]) -> Option<f64> {
    if y_true.len() != y_pred.len() {
        return None;
    }
    let hits: Vec<f64> = y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| if t.as_ref() == p.as_ref() { 1.0 } else { 0.0 })
        .collect();
    numpy_mean(&hits)
}

/// Per-label confusion counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LabelCounts {
    /// Predicted and true.
    pub tp: u64,
    /// Occurrences in `y_true` (`tp + fn`).
    pub true_count: u64,
    /// Occurrences in `y_pred` (`tp + fp`).
    pub pred_count: u64,
}

impl LabelCounts {
    /// scikit-learn's F1 of this label: `2·tp / (true + predicted)`, 0.0
    /// when both counts are 0.
    pub fn f1(&self) -> f64 {
        let denom = self.true_count as f64 + self.pred_count as f64;
        if denom == 0.0 {
            0.0
        } else {
            (2.0 * self.tp as f64) / denom
        }
    }
}

/// Confusion counts of every label present in `y_true` or `y_pred`, sorted
/// by label (Python's string order, which is Rust's); `None` when the lists
/// differ in length.
pub fn label_counts<S: AsRef<str>>(
    y_true: &[S],
    y_pred: &[S],
) -> Option<BTreeMap<String, LabelCounts>> {
    if y_true.len() != y_pred.len() {
        return None;
    }
    let mut counts: BTreeMap<String, LabelCounts> = BTreeMap::new();
    for (t, p) in y_true.iter().zip(y_pred) {
        let (t, p) = (t.as_ref(), p.as_ref());
        counts.entry(t.to_string()).or_default().true_count += 1;
        let pred = counts.entry(p.to_string()).or_default();
        pred.pred_count += 1;
        if t == p {
            pred.tp += 1;
        }
    }
    Some(counts)
}

/// scikit-learn's `f1_score(y_true, y_pred, average="macro")` over string
/// labels (see the module notes); `None` when the lists are empty or of
/// different lengths (scikit-learn raises there).
pub fn macro_f1<S: AsRef<str>>(y_true: &[S], y_pred: &[S]) -> Option<f64> {
    if y_true.is_empty() {
        return None;
    }
    let counts = label_counts(y_true, y_pred)?;
    let f1s: Vec<f64> = counts.values().map(LabelCounts::f1).collect();
    numpy_mean(&f1s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_groups_as_numpy() {
        // python3: float(np.add.reduce(np.array(v))) for these values.
        let v: Vec<f64> = (0..9).map(|i| 0.1 * f64::from(i) + 1e-17).collect();
        let r: Vec<f64> = v[..8].to_vec();
        let want = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + v[8];
        assert_eq!(numpy_sum(&v), want);
        assert_eq!(numpy_sum(&v[..7]), v[..7].iter().fold(0.0, |a, b| a + b));
        assert_eq!(numpy_sum(&[]), 0.0);
        assert_eq!(numpy_mean(&[]), None);
        let big: Vec<f64> = (0..300).map(|i| 1.0 / f64::from(i + 1)).collect();
        let n2 = 144; // 150 rounded down to a multiple of 8
        assert_eq!(
            numpy_sum(&big),
            numpy_sum(&big[..n2]) + numpy_sum(&big[n2..])
        );
    }

    #[test]
    fn macro_f1_counts_labels_seen_on_either_side() {
        // sklearn: f1_score(["yes","no","yes"], ["yes","yes","yes"], average="macro")
        // labels {no, yes}: no → 0, yes → 2*2/(2+3) = 0.8; mean 0.4.
        assert_eq!(
            macro_f1(&["yes", "no", "yes"], &["yes", "yes", "yes"]),
            Some(0.4)
        );
        // A label only predicted counts with F1 0 ("Yes" is not "yes").
        assert_eq!(
            macro_f1(&["yes", "yes"], &["yes", "Yes"]),
            Some((2.0 / 3.0) / 2.0)
        );
        // "maybe" absent from both sides is left out.
        assert_eq!(macro_f1(&["yes", "no"], &["yes", "no"]), Some(1.0));
        assert_eq!(macro_f1::<&str>(&[], &[]), None);
        assert_eq!(macro_f1(&["a"], &[]), None);
        assert_eq!(
            accuracy(&["a", "b", "c"], &["a", "x", "c"]),
            Some(2.0 / 3.0)
        );
        assert_eq!(accuracy::<&str>(&[], &[]), None);
        let c = label_counts(&["a", "b"], &["b", "b"]).unwrap();
        assert_eq!(
            c["b"],
            LabelCounts {
                tp: 1,
                true_count: 1,
                pred_count: 2
            }
        );
        assert_eq!(c["a"].f1(), 0.0);
    }
}
