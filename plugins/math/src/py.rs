//! Python string semantics the references rely on (`str.isdigit`, `int()`,
//! `re`'s `\d`), written once for the scorers.

use scorebox_sdk::pyunicode::decimal_value;
#[cfg(test)]
use scorebox_sdk::pyunicode::is_digit;
pub use scorebox_sdk::pyunicode::{is_decimal, str_isdigit};

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
