//! Python `re` patterns taken from the dataset's kwargs (keywords, forbidden
//! words, postscript markers, section splitters), compiled with the `regex`
//! crate.
//!
//! The reference passes these strings to `re` unescaped, so `P.S` matches
//! `pass` and `art` matches `start`; we do the same. The translation keeps
//! Python's meaning where the two syntaxes differ in ways that occur in text:
//! `\s`/`\S` gain U+001C..U+001F (Python whitespace), a `{` that does not
//! start a valid repetition is a literal (as in Python), `\Z` is `\z`.
//! Patterns the `regex` crate cannot compile (look-around, back-references)
//! make the row invalid; the README lists the remaining differences (`\w`,
//! `\b` and `\d` follow Unicode's definitions rather than `str.isalnum`).

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Regex, RegexBuilder};

/// Whether `s` contains a character with a meaning in a Python pattern.
pub fn has_meta(s: &str) -> bool {
    s.chars().any(|c| ".^$*+?{}[]\\|()".contains(c))
}

fn valid_repetition(rest: &str) -> Option<usize> {
    // `{m}`, `{m,}`, `{,n}`, `{m,n}` (Python 3.11 also accepts `{,n}`).
    let end = rest.find('}')?;
    let inner = &rest[1..end];
    let ok = match inner.split_once(',') {
        None => !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()),
        Some((a, b)) => {
            a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
                && !(a.is_empty() && b.is_empty())
        }
    };
    ok.then_some(end + 1)
}

/// Rewrites a Python pattern into `regex` crate syntax.
pub fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.char_indices().peekable();
    let mut in_class = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, n)) = chars.next() else {
                    out.push_str("\\\\");
                    break;
                };
                match n {
                    's' if in_class => out.push_str("\\s\\x1c-\\x1f"),
                    's' => out.push_str("[\\s\\x1c-\\x1f]"),
                    'S' if !in_class => out.push_str("[^\\s\\x1c-\\x1f]"),
                    'Z' => out.push_str("\\z"),
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after `[` is literal in both syntaxes.
                if let Some(&(_, '^')) = chars.peek() {
                    out.push('^');
                    chars.next();
                }
                if let Some(&(_, ']')) = chars.peek() {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            '[' if in_class => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '{' if !in_class => match valid_repetition(&pattern[i..]) {
                Some(len) => {
                    let rep = &pattern[i..i + len];
                    // Python's `{,n}` is `{0,n}`.
                    out.push_str(&rep.replace("{,", "{0,"));
                    for _ in 1..rep.chars().count() {
                        chars.next();
                    }
                }
                None => out.push_str("\\{"),
            },
            '}' if !in_class => out.push_str("\\}"),
            // Rust reads `&&`, `~~` and `--` in a class as set operations.
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && matches!(chars.peek(), Some(&(_, '-'))) => out.push_str("\\-"),
            _ => out.push(c),
        }
    }
    out
}

/// Compiles a Python pattern, optionally with `re.IGNORECASE`.
///
/// # Errors
/// The `regex` crate's message when the translated pattern does not compile.
pub fn compile(pattern: &str, ignore_case: bool) -> Result<Regex, String> {
    thread_local! {
        /// Compiled patterns: prompts share keywords and splitters, and a
        /// Unicode-aware compile costs far more than a check.
        static CACHE: RefCell<HashMap<(String, bool), Result<Regex, String>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.entry((pattern.to_string(), ignore_case))
            .or_insert_with(|| {
                RegexBuilder::new(&translate(pattern))
                    .case_insensitive(ignore_case)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_meaning() {
        assert!(compile("P.S", true).unwrap().is_match("pass"));
        assert!(compile("art", true).unwrap().is_match("START"));
        assert!(compile("{name}", false).unwrap().is_match("{name}"));
        assert!(compile("a{2}", false).unwrap().is_match("aa"));
        assert!(compile("a{,2}b", false).unwrap().is_match("b"));
        assert!(compile("\\s", false).unwrap().is_match("\x1c"));
        assert!(compile("[a-c]", false).unwrap().is_match("b"));
        assert!(compile("x(?=y)", false).is_err());
    }
}
