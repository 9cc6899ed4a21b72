//! Python's `str.format(**kwargs)` with string values, as ConvFinQA's
//! `reformulate_turn_req` applies it to a later turn's query
//! (`query.format(answer0=..., answer1=...)`).
//!
//! Supported: literal text, `{{` and `}}`, and `{name}` fields. Anything
//! else Python would do differently or reject — a positional or numbered
//! field, an attribute or index, a conversion (`!r`), a format spec, a lone
//! `}` or an unclosed `{` — is an error here (Python raises for the
//! malformed ones and would format the others; no FinBen query uses them).

use std::collections::BTreeMap;

/// One piece of a format string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text (escapes resolved).
    Text(String),
    /// A `{name}` field.
    Field(String),
}

/// Parses a format string.
///
/// # Errors
/// A message saying what is malformed or unsupported.
pub fn parse(template: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '}' => return Err("Single '}' encountered in format string".into()),
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        None => return Err("expected '}' before end of string".into()),
                        Some('}') => break,
                        Some(ch) => name.push(ch),
                    }
                }
                let plain = !name.is_empty()
                    && !name.starts_with(|ch: char| ch.is_ascii_digit())
                    && !name.contains(['!', ':', '.', '[', ']', '{']);
                if !plain {
                    return Err(format!("field `{{{name}}}` is not a plain keyword field"));
                }
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Field(name));
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// The fields a format string uses, in order.
///
/// # Errors
/// As [`parse`].
pub fn fields(template: &str) -> Result<Vec<String>, String> {
    Ok(parse(template)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Field(f) => Some(f),
            Piece::Text(_) => None,
        })
        .collect())
}

/// `template.format(**values)`.
///
/// # Errors
/// As [`parse`], or a field with no value (Python's `KeyError`).
pub fn format(template: &str, values: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    for piece in parse(template)? {
        match piece {
            Piece::Text(t) => out.push_str(&t),
            Piece::Field(f) => {
                out.push_str(values.get(&f).ok_or_else(|| format!("KeyError: '{f}'"))?)
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_python() {
        let mut v = BTreeMap::new();
        v.insert("answer0".to_string(), "{12}".to_string());
        assert_eq!(
            format("q0: x? {answer0}\nq1: {{y}}", &v).unwrap(),
            "q0: x? {12}\nq1: {y}"
        );
        assert!(format("{answer1}", &v).unwrap_err().contains("KeyError"));
        assert!(parse("a } b").is_err());
        assert!(parse("a { b").is_err());
        assert!(parse("{0}").is_err());
        assert!(parse("{}").is_err());
        assert!(parse("{answer0!r}").is_err());
        assert!(parse("{answer0:>5}").is_err());
        assert_eq!(fields("{a}{{b}}{c}").unwrap(), ["a", "c"]);
    }
}
