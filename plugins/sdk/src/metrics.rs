//! Per-sample and per-task metrics, computed in the references' order of
//! operations (sums run left to right, as CPython ≤ 3.11's `sum` does).

use std::collections::BTreeMap;

use crate::normalize::squad_normalize;

/// Sum of `values`, left to right.
pub fn sum(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |acc, v| acc + v)
}

/// lm-eval's `mean`: `sum(arr) / len(arr)`; `None` when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(sum(values) / values.len() as f64)
}

/// lm-eval's `sample_stddev`: `sqrt(sum((x - mean)^2) / (n - 1))`; `None`
/// for fewer than two values.
pub fn sample_stddev(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let mu = mean(values)?;
    let squares: Vec<f64> = values.iter().map(|x| (x - mu) * (x - mu)).collect();
    Some((sum(&squares) / (values.len() - 1) as f64).sqrt())
}

/// lm-eval's `mean_stderr`: `sample_stddev / sqrt(n)`; `None` for fewer than
/// two values (lm-eval reports `N/A` there).
pub fn mean_stderr(values: &[f64]) -> Option<f64> {
    Some(sample_stddev(values)? / (values.len() as f64).sqrt())
}

/// `correct / total`; 0 when `total` is 0.
pub fn accuracy(correct: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        correct as f64 / total as f64
    }
}

/// `numpy.argmax`: the index of the first maximum; a NaN counts as the
/// maximum (the first NaN wins); `None` when empty.
pub fn argmax(values: &[f64]) -> Option<usize> {
    if let Some(i) = values.iter().position(|v| v.is_nan()) {
        return Some(i);
    }
    let mut best: Option<usize> = None;
    for (i, v) in values.iter().enumerate() {
        match best {
            Some(b) if *v <= values[b] => {}
            _ => best = Some(i),
        }
    }
    best
}

/// 1.0 when `correct`, else 0.0.
pub fn indicator(correct: bool) -> f64 {
    if correct { 1.0 } else { 0.0 }
}

/// Harmonic mean of precision and recall; 0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// SQuAD-style token F1 between a prediction and a reference, after
/// [`squad_normalize`]: bag-of-words overlap; when either side has no token,
/// 1 if both have none, else 0.
pub fn token_f1(prediction: &str, reference: &str) -> f64 {
    let p = squad_normalize(prediction);
    let r = squad_normalize(reference);
    let pt: Vec<&str> = p.split_whitespace().collect();
    let rt: Vec<&str> = r.split_whitespace().collect();
    if pt.is_empty() || rt.is_empty() {
        return indicator(pt == rt);
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &rt {
        *counts.entry(t).or_default() += 1;
    }
    let mut common = 0usize;
    for t in &pt {
        if let Some(c) = counts.get_mut(t)
            && *c > 0
        {
            *c -= 1;
            common += 1;
        }
    }
    if common == 0 {
        return 0.0;
    }
    let precision = common as f64 / pt.len() as f64;
    let recall = common as f64 / rt.len() as f64;
    f1(precision, recall)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_stderr_match_lm_eval() {
        // python3: statistics-free lm-eval formulas on [1,0,1,1]
        let v = [1.0, 0.0, 1.0, 1.0];
        assert_eq!(mean(&v), Some(0.75));
        assert_eq!(sample_stddev(&v), Some(0.5));
        assert_eq!(mean_stderr(&v), Some(0.25));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean_stderr(&[1.0]), None);
        // math.sqrt(sum((x-0.6)**2 for x in [1,0,1,0,1])/4)/math.sqrt(5)
        let v = [1.0, 0.0, 1.0, 0.0, 1.0];
        assert_eq!(mean_stderr(&v), Some(0.24494897427831783));
    }

    #[test]
    fn argmax_is_numpy() {
        assert_eq!(argmax(&[-1.0, -0.5, -0.5, -2.0]), Some(1));
        assert_eq!(argmax(&[-1.0, -1.0, -1.0, -1.0]), Some(0));
        assert_eq!(argmax(&[0.0, -0.0]), Some(0));
        assert_eq!(argmax(&[-0.0, 0.0]), Some(0));
        assert_eq!(argmax(&[-1.0, f64::NAN, 0.0, f64::NAN]), Some(1));
        assert_eq!(argmax(&[f64::NEG_INFINITY, f64::NEG_INFINITY]), Some(0));
        assert_eq!(argmax(&[]), None);
    }

    #[test]
    fn f1_scores() {
        assert_eq!(f1(0.0, 0.0), 0.0);
        assert_eq!(f1(1.0, 0.5), 2.0 / 3.0);
        assert_eq!(token_f1("the cat sat", "a cat sat down"), 0.8);
        assert_eq!(token_f1("", ""), 1.0);
        assert_eq!(token_f1("x", ""), 0.0);
        assert_eq!(token_f1("dog", "cat"), 0.0);
        assert_eq!(accuracy(3, 4), 0.75);
        assert_eq!(accuracy(0, 0), 0.0);
    }
}
