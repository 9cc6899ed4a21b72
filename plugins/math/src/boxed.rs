//! The gold answer: the last `\boxed{…}` (or `\fbox{…}`) of a solution, as
//! lm-evaluation-harness's `last_boxed_only_string` and `remove_boxed` find
//! it (the same code in `hendrycks_math`, `minerva_math` and
//! `leaderboard/math`, from hendrycks/math `modeling/math_equivalence.py`).

/// What the Minerva scorers return when no answer can be read.
pub const INVALID_ANSWER: &str = "[invalidanswer]";

/// `last_boxed_only_string`: if `"\boxed "` (with a space) occurs anywhere,
/// `"\boxed "` plus the text after its **last** occurrence up to the next
/// `$`; otherwise the last `\boxed` (else the last `\fbox`) up to the brace
/// that closes the first `{` after it, braces counted from the command on.
/// `None` when there is no box or its braces never close.
pub fn last_boxed_only_string(s: &str) -> Option<&str> {
    if let Some(pos) = s.rfind("\\boxed ") {
        let rest = &s[pos + "\\boxed ".len()..];
        let end = rest.find('$').unwrap_or(rest.len());
        // The caller re-attaches the prefix: return the whole span from
        // the command, which ends where the answer does.
        return Some(&s[pos..pos + "\\boxed ".len() + end]);
    }
    let idx = s.rfind("\\boxed").or_else(|| s.rfind("\\fbox"))?;
    let mut open: i64 = 0;
    for (i, b) in s.as_bytes()[idx..].iter().enumerate() {
        match b {
            b'{' => open += 1,
            b'}' => {
                open -= 1;
                if open == 0 {
                    return Some(&s[idx..idx + i + 1]);
                }
            }
            _ => {}
        }
    }
    None
}

/// `remove_boxed`: the answer inside `"\boxed "…` or `"\boxed{…}"`; `None`
/// where the reference's assertions fail (an `\fbox{…}`, or a `"\boxed "`
/// elsewhere in a `\boxed{…}` span).
pub fn remove_boxed(s: &str) -> Option<&str> {
    if s.contains("\\boxed ") {
        return s.strip_prefix("\\boxed ");
    }
    s.strip_prefix("\\boxed{")?.strip_suffix('}')
}

/// The gold answer of a solution as the reference derives it:
/// `remove_boxed(last_boxed_only_string(solution))`, `None` where the
/// reference raises (no box, unclosed braces, an `\fbox` answer).
pub fn reference_gold(solution: &str) -> Option<&str> {
    remove_boxed(last_boxed_only_string(solution)?)
}

/// Like [`reference_gold`], but an `\fbox{…}` answer is unwrapped too
/// (where the reference raises; see the README).
pub fn gold_answer(solution: &str) -> Option<&str> {
    let boxed = last_boxed_only_string(solution)?;
    remove_boxed(boxed).or_else(|| boxed.strip_prefix("\\fbox{")?.strip_suffix('}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes() {
        assert_eq!(
            reference_gold("so $\\boxed{\\frac{1}{2}}$."),
            Some("\\frac{1}{2}")
        );
        assert_eq!(reference_gold("\\boxed{1} then \\boxed{2}"), Some("2"));
        assert_eq!(
            reference_gold("is \\boxed 3. And $\\boxed{4}$"),
            Some("3. And ")
        );
        assert_eq!(reference_gold("\\fbox{7}"), None);
        assert_eq!(gold_answer("\\fbox{7}"), Some("7"));
        assert_eq!(reference_gold("\\boxed{1"), None);
        assert_eq!(reference_gold("none"), None);
        assert_eq!(reference_gold("\\boxed{a{b}c}d}"), Some("a{b}c"));
        assert_eq!(last_boxed_only_string("\\boxed}{x}"), None);
    }
}
