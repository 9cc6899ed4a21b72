//! CPython's character classes, for reproducing Python `re` and `str` rules.
//!
//! Python's `re` (str patterns) treats a character as a word character
//! (`\w`, the sides of `\b`) when `str.isalnum()` is true or it is `_`, and as
//! whitespace (`\s`) when `str.isspace()` is true; `str.strip()` strips the
//! same whitespace. Rust's `char::is_alphanumeric`/`is_whitespace` and the
//! `regex` crate use other definitions: a combining accent is a word character
//! for the `regex` crate but not for Python (so `(B\u{301})` has a `\b` after
//! `B` in Python), and U+001C..U+001F are whitespace only in Python. The
//! tables here are generated from CPython (see `tools/gen_pyunicode.py`).

use crate::pyunicode_table::{ALNUM, SPACE};

/// The Unicode version of the tables (that of the CPython that generated them).
pub const UNICODE_VERSION: &str = crate::pyunicode_table::UNICODE_VERSION;

/// Whether the sorted inclusive code point ranges `table` hold `c`.
pub(crate) fn in_table(table: &[(u32, u32)], c: char) -> bool {
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

/// Python's `c.isalnum()`.
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    in_table(ALNUM, c)
}

/// Python `re`'s `\w` for str patterns: `c.isalnum() or c == "_"`.
pub fn is_word(c: char) -> bool {
    c == '_' || is_alnum(c)
}

/// Python's `c.isspace()`, which is also `re`'s `\s` for str patterns.
pub fn is_space(c: char) -> bool {
    in_table(SPACE, c)
}

/// Python's `s.strip()` (no argument).
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python's `s.lstrip()` (no argument).
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// Python's `s.rstrip()` (no argument).
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Python's `s.lower()` (full Unicode lower-casing, final sigma included).
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Whether Python `re` finds a `\b` at byte offset `at` of `s`: a word
/// character on exactly one side (the string's ends count as non-word).
pub fn is_word_boundary(s: &str, at: usize) -> bool {
    let before = s[..at].chars().next_back().is_some_and(is_word);
    let after = s[at..].chars().next().is_some_and(is_word);
    before != after
}

/// Python `c.isdecimal()` (Unicode category Nd), which is also `re`'s `\d`
/// for str patterns.
pub fn is_decimal(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && in_table(crate::pyunicode_digits::DECIMAL, c))
}

/// Python `c.isdigit()` (decimal digits plus superscripts, circled digits…).
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && in_table(crate::pyunicode_digits::DIGIT, c))
}

/// Python `s.isdigit()`: non-empty and every character a digit.
pub fn str_isdigit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_digit)
}

/// The value of a decimal digit of any script (`'٣'` → 3), as Python's
/// `int()` reads it; `None` for anything [`is_decimal`] rejects.
pub fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return c.to_digit(10);
    }
    if !is_decimal(c) {
        return None;
    }
    // Unicode decimal digits come in contiguous runs of ten, 0 to 9.
    let cp = c as u32;
    crate::pyunicode_digits::DECIMAL
        .iter()
        .find(|&&(lo, hi)| lo <= cp && cp <= hi)
        .map(|&(lo, _)| (cp - lo) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_follow_python() {
        assert!(is_word('_'));
        assert!(is_word('B'));
        assert!(is_word('é'));
        assert!(is_word('２')); // fullwidth digit: Nd
        assert!(is_word('½')); // No: isnumeric
        assert!(!is_word('\u{301}')); // combining acute: Mn
        assert!(!is_word('\u{93E}')); // Devanagari vowel sign AA: Mc
        assert!(!is_word('Ⓐ')); // circled letter: So
        assert!(!is_word('\u{200B}'));
        assert!(!is_word('('));
    }

    #[test]
    fn whitespace_follows_python() {
        for c in [
            '\t', '\n', '\x0b', '\x0c', '\r', '\x1c', '\x1f', ' ', '\u{85}', '\u{a0}', '\u{3000}',
        ] {
            assert!(is_space(c), "{c:?}");
        }
        for c in ['\u{200B}', '\u{180E}', 'a', '\u{FEFF}'] {
            assert!(!is_space(c), "{c:?}");
        }
        assert_eq!(strip("\x1c  a b \u{a0}\n"), "a b");
        assert_eq!(lstrip("  a "), "a ");
        assert_eq!(rstrip("  a "), "  a");
    }

    #[test]
    fn boundaries() {
        let s = "(B\u{301})";
        assert!(is_word_boundary(s, 1));
        assert!(is_word_boundary(s, 2));
        assert!(is_word_boundary("B", 0));
        assert!(is_word_boundary("B", 1));
        assert!(!is_word_boundary("B12", 1));
        assert!(!is_word_boundary("", 0));
    }

    #[test]
    fn lower_matches_python() {
        assert_eq!(lower("ΣΑΣ"), "σας");
        assert_eq!(lower("İ"), "i\u{307}");
        assert_eq!(UNICODE_VERSION, "14.0.0");
    }
}
