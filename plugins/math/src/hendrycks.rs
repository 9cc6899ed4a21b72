//! The original MATH scorer: hendrycks/math `modeling/math_equivalence.py`
//! `is_equiv` / `strip_string`, as lm-evaluation-harness's `hendrycks_math`
//! task runs it (`tasks/hendrycks_math/utils.py`).

use crate::py;

/// `hendrycks_math` `process_results`: the candidate answer is the text
/// between the first and the last `$` of the response (an escaped `\$`
/// counts); with at most one `$`, the whole response.
pub fn dollar_slice(response: &str) -> &str {
    match (response.find('$'), response.rfind('$')) {
        (Some(first), Some(last)) if first != last => &response[first + 1..last],
        _ => response,
    }
}

/// Why `strip_string` raised (then `is_equiv` compares the raw strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StripError {
    /// `remove_right_units`: `"\text{ "` occurs more than once.
    Units,
    /// `fix_sqrt` / `fix_fracs`: `\sqrt` or `\frac` with nothing after it.
    Index,
    /// `fix_a_slash_b`: `int()` of a non-integer side of `a/b`.
    Int,
}

fn fix_fracs(s: &str) -> Result<String, StripError> {
    let mut parts = s.split("\\frac");
    let mut out = parts.next().unwrap_or("").to_string();
    for sub in parts {
        out.push_str("\\frac");
        let mut chars = sub.chars();
        let Some(a) = chars.next() else {
            return Err(StripError::Index);
        };
        if a == '{' {
            out.push_str(sub);
            continue;
        }
        let Some(b) = chars.next() else {
            // `assert len(substr) >= 2` fails: the whole input comes back.
            return Ok(s.to_string());
        };
        let rest = chars.as_str();
        if b != '{' {
            out.push('{');
            out.push(a);
            out.push_str("}{");
            out.push(b);
            out.push('}');
            out.push_str(rest);
        } else {
            out.push('{');
            out.push(a);
            out.push('}');
            out.push(b);
            out.push_str(rest);
        }
    }
    Ok(out)
}

fn fix_a_slash_b(s: &str) -> Result<String, StripError> {
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() != 2 {
        return Ok(s.to_string());
    }
    let a = py::int_str(parts[0]).ok_or(StripError::Int)?;
    let b = py::int_str(parts[1]).ok_or(StripError::Int)?;
    if format!("{a}/{b}") == s {
        Ok(format!("\\frac{{{a}}}{{{b}}}"))
    } else {
        Ok(s.to_string())
    }
}

fn remove_right_units(s: &str) -> Result<String, StripError> {
    if !s.contains("\\text{ ") {
        return Ok(s.to_string());
    }
    let parts: Vec<&str> = s.split("\\text{ ").collect();
    if parts.len() != 2 {
        return Err(StripError::Units);
    }
    Ok(parts[0].to_string())
}

fn fix_sqrt(s: &str) -> Result<String, StripError> {
    if !s.contains("\\sqrt") {
        return Ok(s.to_string());
    }
    let mut parts = s.split("\\sqrt");
    let mut out = parts.next().unwrap_or("").to_string();
    for part in parts {
        let mut chars = part.chars();
        let a = chars.next().ok_or(StripError::Index)?;
        if a != '{' {
            out.push_str("\\sqrt{");
            out.push(a);
            out.push('}');
            out.push_str(chars.as_str());
        } else {
            out.push_str("\\sqrt");
            out.push_str(part);
        }
    }
    Ok(out)
}

/// `strip_string`, step by step as the reference orders it.
///
/// # Errors
/// Where the reference raises (see [`StripError`]).
pub fn strip_string(input: &str) -> Result<String, StripError> {
    let mut s = input.replace('\n', "");
    s = s.replace("\\!", "");
    s = s.replace("\\\\", "\\");
    s = s.replace("tfrac", "frac").replace("dfrac", "frac");
    s = s.replace("\\left", "").replace("\\right", "");
    s = s.replace("^{\\circ}", "").replace("^\\circ", "");
    s = s.replace("\\$", "");
    s = remove_right_units(&s)?;
    s = s.replace("\\%", "");
    s = s.replace(" .", " 0.").replace("{.", "{0.");
    if s.is_empty() {
        return Ok(s);
    }
    if s.starts_with('.') {
        s.insert(0, '0');
    }
    {
        let parts: Vec<&str> = s.split('=').collect();
        if parts.len() == 2 && py::len(parts[0]) <= 2 {
            s = parts[1].to_string();
        }
    }
    s = fix_sqrt(&s)?;
    s = s.replace(' ', "");
    s = fix_fracs(&s)?;
    if s == "0.5" {
        s = "\\frac{1}{2}".into();
    }
    fix_a_slash_b(&s)
}

/// `is_equiv(str1, str2)`: `strip_string` of both sides equal; where either
/// raises, the raw strings equal.
pub fn is_equiv(a: &str, b: &str) -> bool {
    match (strip_string(a), strip_string(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_equivalences() {
        for (a, b) in [
            ("0.5", "\\frac12"),
            (".5", "\\frac{1}{2}"),
            ("1/2", "\\dfrac{1}{2}"),
            ("x = 3", "3"),
            ("5^\\circ", "5"),
            ("\\$10", "10"),
            ("10\\%", "10"),
            ("\\sqrt3", "\\sqrt{3}"),
            ("4\\text{ cm}", "4"),
        ] {
            assert!(is_equiv(a, b), "{a} vs {b}");
        }
        for (a, b) in [
            ("0.25", "\\frac14"),
            ("-2/3", "-\\frac{2}{3}"),
            ("31.5", "\\$31.50"),
            ("25%", "25\\%"),
            ("10000", "10,\\!000x"),
        ] {
            assert!(!is_equiv(a, b), "{a} vs {b}");
        }
        assert_eq!(strip_string("-2/3").unwrap(), "\\frac{-2}{3}");
        assert_eq!(
            strip_string("a\\text{ b}\\text{ c}"),
            Err(StripError::Units)
        );
        assert_eq!(strip_string("2\\sqrt"), Err(StripError::Index));
        assert_eq!(strip_string("x/2"), Err(StripError::Int));
        assert_eq!(strip_string("\\frac1").unwrap(), "\\frac1");
    }

    #[test]
    fn dollars() {
        assert_eq!(dollar_slice("The answer is $5$."), "5");
        assert_eq!(dollar_slice("$a$ and $b$"), "a$ and $b");
        assert_eq!(dollar_slice("costs 5$"), "costs 5$");
    }
}
