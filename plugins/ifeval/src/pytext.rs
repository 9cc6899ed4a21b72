//! Python `str` predicates the checkers use.

/// The titlecase letters (general category Lt), for which Python's
/// `str.isupper` and `str.islower` are both false.
fn is_title(c: char) -> bool {
    matches!(
        c as u32,
        0x1c5 | 0x1c8 | 0x1cb | 0x1f2 | 0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf
            | 0x1fbc | 0x1fcc | 0x1ffc
    )
}

/// Python's `s.isupper()`: no lower-case or title-case character, and at
/// least one upper-case one.
pub fn is_upper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_title(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Python's `s.islower()`: no upper-case or title-case character, and at
/// least one lower-case one.
pub fn is_lower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_title(c) {
            return false;
        }
        cased |= c.is_lowercase();
    }
    cased
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_predicates() {
        assert!(is_upper("HELLO, WORLD 1"));
        assert!(is_upper("'M"));
        assert!(!is_upper("Hello"));
        assert!(!is_upper("123"));
        assert!(!is_upper("\u{1c5}A"));
        assert!(is_lower("hello 1!"));
        assert!(!is_lower("hello I"));
        assert!(!is_lower(""));
        assert!(is_upper("ⒶB"));
    }
}
