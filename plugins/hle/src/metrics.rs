//! The reference's metrics (`dump_metrics` and `calib_err` in
//! `hle_eval/run_judge_results.py`), ported with NumPy's arithmetic.

/// NumPy's `pairwise_sum` for `float64` (`numpy/_core/src/umath/loops_utils.h.src`):
/// what `np.sum` / `np.nanmean` add up over a contiguous 1-D array.
pub fn np_pairwise_sum(a: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let n = a.len();
    if n < 8 {
        // NumPy starts this branch from -0.0 and adds left to right.
        let mut res = -0.0;
        for &x in a {
            res += x;
        }
        res
    } else if n <= BLOCK {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for (j, rj) in r.iter_mut().enumerate() {
                *rj += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        np_pairwise_sum(&a[..n2]) + np_pairwise_sum(&a[n2..])
    }
}

/// `np.nanmean` of a non-empty array without NaN: the pairwise sum over the count.
fn np_mean(a: &[f64]) -> f64 {
    np_pairwise_sum(a) / a.len() as f64
}

/// `calib_err(confidence, correct, p='2', beta)` of the reference (PixMix's
/// calibration error): sort by confidence (0–1), cut into bins of `beta`
/// samples, the last bin running to the end; sum over **every bin but the
/// last** of `len(bin)/n * (mean confidence − accuracy)²`; square root.
///
/// The reference sorts with `np.argsort` (an unstable sort); this sorts
/// stably, so samples of equal confidence keep their order. `None` when
/// there are fewer than `beta` samples (the reference fails there with an
/// `IndexError`) or `beta` is 0.
pub fn calib_err(confidence: &[f64], correct: &[bool], beta: usize) -> Option<f64> {
    assert_eq!(
        confidence.len(),
        correct.len(),
        "one correctness per confidence"
    );
    let n = confidence.len();
    if beta == 0 || n < beta {
        return None;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| confidence[a].total_cmp(&confidence[b]));
    let conf: Vec<f64> = idx.iter().map(|&i| confidence[i]).collect();
    let corr: Vec<f64> = idx
        .iter()
        .map(|&i| f64::from(u8::from(correct[i])))
        .collect();
    let mut bins: Vec<(usize, usize)> = (0..n / beta).map(|i| (i * beta, (i + 1) * beta)).collect();
    let last = bins.len() - 1;
    bins[last].1 = n;
    let mut cerr = 0.0f64;
    for &(lo, hi) in &bins[..last] {
        let count = hi - lo;
        let difference = (np_mean(&conf[lo..hi]) - np_mean(&corr[lo..hi])).abs();
        cerr += count as f64 / n as f64 * (difference * difference);
    }
    Some(cerr.sqrt())
}

/// Python's `round(x, 2)` for a Python `float`: correctly rounded, ties to
/// even on the exact binary value.
pub fn py_round2(x: f64) -> f64 {
    format!("{x:.2}").parse().expect("a formatted float parses")
}

/// NumPy's `round(np.float64(x), 2)`: `rint(x * 100) / 100`.
pub fn np_round2(x: f64) -> f64 {
    (x * 100.0).round_ties_even() / 100.0
}

/// What the reference prints for `correct` of `n` questions:
/// `(accuracy %, 95 % half-width %)`, i.e. `round(100 * sum(correct) / n, 2)`
/// and `round(1.96 * math.sqrt(accuracy * (100 - accuracy) / n), 2)`.
pub fn printed_accuracy(correct: usize, n: usize) -> (f64, f64) {
    let accuracy = np_round2(100.0 * correct as f64 / n as f64);
    let half_width = py_round2(1.96 * (accuracy * (100.0 - accuracy) / n as f64).sqrt());
    (accuracy, half_width)
}

/// What the reference prints as `Calibration Error`: `100 * round(cerr, 2)`.
pub fn printed_calibration(cerr: f64) -> f64 {
    100.0 * np_round2(cerr)
}

/// Accuracy as a share and its Wald 95 % half-width, `1.96·sqrt(p(1−p)/n)`
/// (the reference's formula, unrounded, on the 0–1 scale); `None` for `n = 0`.
pub fn accuracy_with_interval(correct: usize, n: usize) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let p = correct as f64 / n as f64;
    Some((p, 1.96 * (p * (1.0 - p) / n as f64).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_matches_numpy_on_small_and_blocked_arrays() {
        // python3: np.sum(np.arange(1, 11) / 100) == 0.5499999999999999
        let a: Vec<f64> = (1..=10).map(|i| i as f64 / 100.0).collect();
        assert_eq!(np_pairwise_sum(&a), 0.5499999999999999);
        assert_eq!(np_pairwise_sum(&[]).to_bits(), (-0.0f64).to_bits());
        // python3: np.sum(np.full(300, 0.1)) == 29.999999999999996
        assert_eq!(np_pairwise_sum(&[0.1; 300]), 29.999999999999996);
    }

    #[test]
    fn one_bin_is_never_counted_and_too_few_samples_give_none() {
        assert_eq!(calib_err(&[0.5; 99], &[true; 99], 100), None);
        assert_eq!(calib_err(&[0.5; 150], &[true; 150], 100), Some(0.0));
        // Two bins: only the first (all confidence 1.0, all wrong) counts: sqrt(100/200 * 1).
        let mut conf = vec![1.0; 100];
        conf.extend(vec![1.0; 100]);
        let v = calib_err(&conf, &[false; 200], 100).unwrap();
        assert_eq!(v, 0.5f64.sqrt());
    }

    #[test]
    fn rounding_follows_python_and_numpy() {
        assert_eq!(py_round2(0.125), 0.12);
        assert_eq!(py_round2(0.375), 0.38);
        assert_eq!(np_round2(0.125), 0.12);
        assert_eq!(printed_accuracy(1, 3), (33.33, 53.34));
        assert_eq!(printed_calibration(0.2345), 23.0);
        assert_eq!(accuracy_with_interval(0, 0), None);
    }
}
