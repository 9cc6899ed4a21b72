//! Targeted sentiment analysis (`TSA` in PIXIU's `flare.py`): a sentiment
//! score in [-1, 1] read from the answer, scored by RMSE.
//!
//! Reference rule: the first match of `[0-9]+(?:\.[0-9]+)?` (ASCII digits)
//! in the answer's **first line** (`split("\n")[0]`) — **no sign**
//! (`-0.72` reads 0.72), `.75` reads 75, `0,6` reads 0, `1e-2` reads 1.
//! No match is `missing` (excluded from the RMSE). The RMSE clips each
//! prediction to [-1, 1].
//!
//! Corrected rule: `-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)`, so a minus sign and
//! a leading-dot decimal are read.

use crate::Mode;

fn digits_end(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The number the answer gives, if any.
pub fn read(answer: &str, mode: Mode) -> Option<f64> {
    let first = answer.split('\n').next().unwrap_or("");
    let c: Vec<char> = first.chars().collect();
    let digit_at = |i: usize| c.get(i).is_some_and(|ch| ch.is_ascii_digit());
    for i in 0..c.len() {
        let (start, int_start) = match mode {
            Mode::Reference => (i, i),
            Mode::Corrected
                if c[i] == '-'
                    && (digit_at(i + 1) || (c.get(i + 1) == Some(&'.') && digit_at(i + 2))) =>
            {
                (i, i + 1)
            }
            Mode::Corrected => (i, i),
        };
        let end = if digit_at(int_start) {
            let mut end = digits_end(&c, int_start);
            if c.get(end) == Some(&'.') && digit_at(end + 1) {
                end = digits_end(&c, end + 1);
            }
            end
        } else if mode == Mode::Corrected
            && c.get(int_start) == Some(&'.')
            && digit_at(int_start + 1)
        {
            digits_end(&c, int_start + 1)
        } else {
            continue;
        };
        let text: String = c[start..end].iter().collect();
        return text.parse::<f64>().ok();
    }
    None
}

/// The prediction as the RMSE uses it: clipped to [-1, 1].
pub fn clip(pred: f64) -> f64 {
    pred.clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_reads_no_sign() {
        let r = |s| read(s, Mode::Reference);
        assert_eq!(r("-0.72"), Some(0.72));
        assert_eq!(r("Score: .75"), Some(75.0));
        assert_eq!(r("0,6"), Some(0.0));
        assert_eq!(r("1e-2"), Some(1.0));
        assert_eq!(r("45%"), Some(45.0));
        assert_eq!(r("between 0.2 and 0.4"), Some(0.2));
        assert_eq!(r("\n0.61"), None);
        assert_eq!(r("1."), Some(1.0));
        assert_eq!(r("none"), None);
        assert_eq!(r("٣"), None);
    }

    #[test]
    fn corrected_reads_signs() {
        let r = |s| read(s, Mode::Corrected);
        assert_eq!(r("-0.72"), Some(-0.72));
        assert_eq!(r("Score: .75"), Some(0.75));
        assert_eq!(r("-.5"), Some(-0.5));
        assert_eq!(r("a-b 3"), Some(3.0));
        assert_eq!(clip(75.0), 1.0);
        assert_eq!(clip(-3.0), -1.0);
    }
}
