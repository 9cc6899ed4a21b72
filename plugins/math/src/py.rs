//! Python string semantics the references rely on (`str.isdigit`, `int()`,
//! `re`'s `\d`), written once for the scorers.

use crate::pydigits::{DECIMAL, DIGIT};

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Python `c.isdecimal()`, which is also `re`'s `\d` for str patterns.
pub fn is_decimal(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && in_table(DECIMAL, c))
}

/// Python `c.isdigit()` (decimal digits plus superscripts, circled digits…).
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && in_table(DIGIT, c))
}

/// Python `s.isdigit()`: non-empty and every character a digit.
pub fn str_isdigit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_digit)
}

/// The decimal value of a `\d` character (`'٣'` → 3).
fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return c.to_digit(10);
    }
    if !is_decimal(c) {
        return None;
    }
    // Unicode decimal digits come in contiguous runs of ten, 0 to 9.
    let cp = c as u32;
    DECIMAL
        .iter()
        .find(|&&(lo, hi)| lo <= cp && cp <= hi)
        .map(|&(lo, _)| (cp - lo) % 10)
}

/// `str(int(s))` for Python's `int(s)` with base 10, or `None` where `int()`
/// raises `ValueError`: surrounding whitespace, an optional sign, decimal
/// digits (any script) with single underscores between them.
pub fn int_str(s: &str) -> Option<String> {
    let t = sdk_strip(s);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') {
        return None;
    }
    let mut out = String::new();
    let mut prev_underscore = false;
    for c in digits.chars() {
        if c == '_' {
            if prev_underscore {
                return None;
            }
            prev_underscore = true;
            continue;
        }
        prev_underscore = false;
        let d = decimal_value(c)?;
        if out.is_empty() && d == 0 {
            continue;
        }
        out.push(char::from_digit(d, 10)?);
    }
    if out.is_empty() {
        return Some("0".into());
    }
    if neg {
        out.insert(0, '-');
    }
    Some(out)
}

fn sdk_strip(s: &str) -> &str {
    scorebox_sdk::pyunicode::strip(s)
}

/// Python `len(s)`: the number of code points.
pub fn len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int() {
        assert_eq!(int_str("12").as_deref(), Some("12"));
        assert_eq!(int_str(" -012 ").as_deref(), Some("-12"));
        assert_eq!(int_str("+3").as_deref(), Some("3"));
        assert_eq!(int_str("-0").as_deref(), Some("0"));
        assert_eq!(int_str("1_000").as_deref(), Some("1000"));
        assert_eq!(int_str("٣").as_deref(), Some("3"));
        for bad in ["", "-", "1__0", "_1", "1_", "1.0", "a", "\\frac12", "²"] {
            assert_eq!(int_str(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn digits() {
        assert!(is_digit('²') && !is_decimal('²'));
        assert!(is_decimal('٣'));
        assert!(str_isdigit("12") && !str_isdigit("") && !str_isdigit("1a"));
    }
}
