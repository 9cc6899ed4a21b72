//! The judge's rating, parsed as FastChat's `run_judge_single` does for the
//! output format `[[rating]]`:
//!
//! ```python
//! one_score_pattern = re.compile("\[\[(\d+\.?\d*)\]\]")
//! one_score_pattern_backup = re.compile("\[(\d+\.?\d*)\]")
//! match = re.search(one_score_pattern, judgment)
//! if not match:
//!     match = re.search(one_score_pattern_backup, judgment)
//! rating = ast.literal_eval(match.groups()[0]) if match else -1
//! ```
//!
//! `re.search` takes the leftmost match; `\d` is any Unicode decimal digit
//! (category Nd). `ast.literal_eval` then reads the digits as a Python
//! literal: ASCII only, no leading zero in an integer other than zero
//! itself (`07` is a `SyntaxError`), at most 4300 digits in an integer.
//! When it raises, FastChat's judgment run stops with the exception; we
//! count the rating as missing instead ([`Rating::NotALiteral`]).

use scorebox_sdk::pyunicode::is_decimal;

/// The rating FastChat uses when the judgment holds none.
pub const NO_RATING: f64 = -1.0;

/// CPython's default limit on the digits of an integer read from text.
pub const PY_INT_MAX_STR_DIGITS: usize = 4300;

/// What a judgment yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Rating {
    /// A rating (any non-negative number the patterns match; not clamped to 1–10).
    Value(f64),
    /// No pattern matched: FastChat's `-1`.
    Missing,
    /// A pattern matched text `ast.literal_eval` rejects (the reference
    /// raises); counted as missing. Holds the matched text.
    NotALiteral(String),
}

impl Rating {
    /// The rating, or `None` when FastChat would record none (or fail).
    pub fn value(&self) -> Option<f64> {
        match self {
            Rating::Value(v) => Some(*v),
            _ => None,
        }
    }
}

/// The text of the first match of `\[{open}(\d+\.?\d*)\]{open}` (with `open`
/// brackets on each side), leftmost first.
fn search(text: &str, brackets: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut starts = text.char_indices().map(|(i, _)| i);
    'outer: loop {
        let start = starts.next()?;
        if bytes[start] != b'[' {
            continue;
        }
        let mut at = start;
        for _ in 0..brackets {
            if bytes.get(at) != Some(&b'[') {
                continue 'outer;
            }
            at += 1;
        }
        let body = at;
        let mut chars = text[at..].char_indices().peekable();
        let mut digits = 0;
        let mut end = at;
        while let Some(&(i, c)) = chars.peek() {
            if !is_decimal(c) {
                break;
            }
            digits += 1;
            end = at + i + c.len_utf8();
            chars.next();
        }
        if digits == 0 {
            continue;
        }
        if let Some(&(i, '.')) = chars.peek() {
            end = at + i + 1;
            chars.next();
            while let Some(&(i, c)) = chars.peek() {
                if !is_decimal(c) {
                    break;
                }
                end = at + i + c.len_utf8();
                chars.next();
            }
        }
        let closing = &text[end..];
        if closing.len() >= brackets && closing.bytes().take(brackets).all(|b| b == b']') {
            return Some(&text[body..end]);
        }
    }
}

/// `ast.literal_eval` of a matched rating (`\d+\.?\d*`).
fn literal(matched: &str) -> Option<f64> {
    if !matched.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if !matched.contains('.') {
        let nonzero = matched.bytes().any(|b| b != b'0');
        if (matched.len() > 1 && matched.starts_with('0') && nonzero)
            || matched.len() > PY_INT_MAX_STR_DIGITS
        {
            return None;
        }
    }
    matched.parse::<f64>().ok()
}

/// The rating of a judgment, by FastChat's rules.
pub fn parse(judgment: &str) -> Rating {
    match search(judgment, 2).or_else(|| search(judgment, 1)) {
        None => Rating::Missing,
        Some(m) => match literal(m) {
            Some(v) => Rating::Value(v),
            None => Rating::NotALiteral(m.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_literals() {
        assert_eq!(parse("Rating: [[7]]"), Rating::Value(7.0));
        assert_eq!(parse("[[8.5]]"), Rating::Value(8.5));
        assert_eq!(parse("[[7.]]"), Rating::Value(7.0));
        assert_eq!(parse("Rating: [7]"), Rating::Value(7.0));
        assert_eq!(parse("[[3]] then [[9]]"), Rating::Value(3.0));
        assert_eq!(parse("[4] then [[9]]"), Rating::Value(9.0));
        assert_eq!(parse("[[[6]]]"), Rating::Value(6.0));
        assert_eq!(parse("[[7/10]]"), Rating::Missing);
        assert_eq!(parse("no rating"), Rating::Missing);
        assert_eq!(parse("[[07]]"), Rating::NotALiteral("07".into()));
        assert_eq!(parse("[[00]]"), Rating::Value(0.0));
        assert_eq!(parse("[[07.5]]"), Rating::Value(7.5));
        assert_eq!(parse("[[٧]]"), Rating::NotALiteral("٧".into()));
        assert_eq!(parse("é[[5]]"), Rating::Value(5.0));
    }
}
