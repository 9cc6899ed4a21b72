//! Reading the judge's reply.
//!
//! The reference asks the judge for structured output (a pydantic model
//! `ExtractedAnswer`: `extracted_final_answer`, `reasoning`,
//! `correct: "yes" | "no"`, `confidence: int`). Our judge returns text, so the
//! same four fields are read from `key: value` lines (rules versioned as
//! [`JUDGE_PARSER_VERSION`]):
//!
//! * a key line is a line whose text, after leading spaces and markdown
//!   marks (`#`, `>`, `-`, `*`, `_`, `` ` ``), starts with the key
//!   (ASCII case-insensitive), then optional markdown marks, then `:`; the
//!   value is the rest of the line with markdown marks and spaces trimmed;
//! * `extracted_final_answer` and `reasoning` continue over the following
//!   lines up to the next key line; `correct` and `confidence` take the rest
//!   of their line, or the next non-empty line when it is empty;
//! * when a key occurs more than once the last occurrence counts;
//! * `correct`: the value's first word (letters), lower-cased, must be `yes`
//!   or `no` (the structured output's literal);
//! * `confidence`: a decimal number at the start of the value (an optional
//!   `%` after it is ignored); not clamped, as the reference does not clamp.
//!
//! A reply that is one JSON object (optionally fenced) is read as the
//! structured output: string `correct`, number or string `confidence`.
//!
//! A reply without a usable `correct` or `confidence` is not a verdict: the
//! sample counts as wrong and is left out of the calibration error, as the
//! reference does with a judge call that failed.

/// The version of the reply-parsing rules, recorded in sample details.
pub const JUDGE_PARSER_VERSION: &str = "hle-judge-text-v1";

const KEYS: [&str; 4] = [
    "extracted_final_answer",
    "reasoning",
    "correct",
    "confidence",
];

/// The judge's verdict on one response.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The answer the judge extracted (`None` when the reply has no such line).
    pub extracted_final_answer: Option<String>,
    /// The judge's reasoning (`None` when absent).
    pub reasoning: Option<String>,
    /// Whether `correct` is `yes`.
    pub correct: bool,
    /// The response's confidence as the judge read it, 0–100.
    pub confidence: f64,
}

fn is_mark(c: char) -> bool {
    matches!(c, '#' | '>' | '-' | '*' | '_' | '`') || c.is_whitespace()
}

fn is_value_mark(c: char) -> bool {
    matches!(c, '*' | '_' | '`') || c.is_whitespace()
}

/// If `line` is a key line, the key's index and the value on the line.
fn key_line(line: &str) -> Option<(usize, &str)> {
    let s = line.trim_start_matches(is_mark);
    KEYS.iter().enumerate().find_map(|(i, key)| {
        let head = s.get(..key.len())?;
        if !head.eq_ignore_ascii_case(key) {
            return None;
        }
        let rest = s[key.len()..].trim_start_matches(|c: char| is_mark(c) && c != '-');
        let value = rest.strip_prefix(':')?;
        Some((i, value.trim_matches(is_value_mark)))
    })
}

/// The fields of a reply, by key index (last occurrence wins), multi-line
/// values joined with `\n`.
fn fields(reply: &str) -> [Option<String>; 4] {
    let mut out: [Option<String>; 4] = Default::default();
    let mut current: Option<usize> = None;
    for line in reply.lines() {
        if let Some((i, value)) = key_line(line) {
            out[i] = Some(value.to_string());
            current = Some(i);
            continue;
        }
        let Some(i) = current else { continue };
        let text = line.trim();
        let slot = out[i].get_or_insert_with(String::new);
        if i < 2 {
            // Free-text fields continue until the next key.
            if !text.is_empty() || !slot.is_empty() {
                if !slot.is_empty() {
                    slot.push('\n');
                }
                slot.push_str(line.trim_end());
            }
        } else if slot.is_empty() && !text.is_empty() {
            slot.push_str(text.trim_matches(is_value_mark));
            current = None;
        } else if !slot.is_empty() {
            current = None;
        }
    }
    for s in out.iter_mut().take(2).flatten() {
        let t = s.trim_end().to_string();
        *s = t;
    }
    out
}

/// `yes` / `no` from a `correct` value.
pub fn parse_correct(value: &str) -> Option<bool> {
    let word: String = value
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    match word.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The number at the start of a `confidence` value (`85`, `85%`, `85.5 %`,
/// `-3`); `None` when there is none.
pub fn parse_confidence(value: &str) -> Option<f64> {
    let v = value.trim_start_matches(['"', '\'']);
    let bytes = v.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end == digits_start {
        return None;
    }
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    v[..end].parse().ok()
}

/// The fields of a reply that is one JSON object (the structured output's
/// shape), optionally in a ```` ``` ```` / ```` ```json ```` fence.
fn json_fields(reply: &str) -> Option<[Option<String>; 4]> {
    let t = reply.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .and_then(|r| r.trim_end().strip_suffix("```"))
        .unwrap_or(t)
        .trim();
    if !t.starts_with('{') {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let obj = v.as_object()?;
    let get = |k: &str| {
        obj.get(k).and_then(|x| match x {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    Some(KEYS.map(get))
}

/// Reads a judge reply: one JSON object with the structured output's fields,
/// or `key: value` lines (see the module documentation).
///
/// # Errors
/// A message saying which field is missing or unreadable.
pub fn parse(reply: &str) -> Result<Verdict, String> {
    let [extracted, reasoning, correct, confidence] =
        json_fields(reply).unwrap_or_else(|| fields(reply));
    let correct = match correct {
        None => return Err("the judge reply has no `correct:` line".into()),
        Some(v) => parse_correct(&v)
            .ok_or_else(|| format!("the judge's `correct:` value {v:?} is neither yes nor no"))?,
    };
    let confidence = match confidence {
        None => return Err("the judge reply has no `confidence:` line".into()),
        Some(v) => parse_confidence(&v)
            .ok_or_else(|| format!("the judge's `confidence:` value {v:?} is not a number"))?,
    };
    Ok(Verdict {
        extracted_final_answer: extracted,
        reasoning,
        correct,
        confidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_four_fields_of_a_plain_reply() {
        let v = parse(
            "extracted_final_answer: 42\n\nreasoning: Same number.\nStill same.\n\ncorrect: yes\n\nconfidence: 85",
        )
        .unwrap();
        assert_eq!(v.extracted_final_answer.as_deref(), Some("42"));
        assert_eq!(v.reasoning.as_deref(), Some("Same number.\nStill same."));
        assert!(v.correct);
        assert_eq!(v.confidence, 85.0);
    }

    #[test]
    fn reads_markdown_and_case_variants() {
        let v = parse("**Extracted_Final_Answer:** B\n- **Correct**: No.\n### confidence:\n 70%")
            .unwrap();
        assert_eq!(v.extracted_final_answer.as_deref(), Some("B"));
        assert!(!v.correct);
        assert_eq!(v.confidence, 70.0);
    }

    #[test]
    fn the_last_occurrence_wins_and_bad_values_are_errors() {
        let v = parse("correct: no\nconfidence: 10\ncorrect: yes\nconfidence: 90.5%").unwrap();
        assert!(v.correct);
        assert_eq!(v.confidence, 90.5);
        assert!(
            parse("correct: maybe\nconfidence: 1")
                .unwrap_err()
                .contains("neither")
        );
        assert!(
            parse("correct: yes")
                .unwrap_err()
                .contains("no `confidence:`")
        );
        assert!(
            parse("confidence: 5")
                .unwrap_err()
                .contains("no `correct:`")
        );
        assert!(
            parse("correct: yes\nconfidence: high")
                .unwrap_err()
                .contains("not a number")
        );
        assert_eq!(parse_confidence("-3"), Some(-3.0));
        assert_eq!(parse_confidence("7."), Some(7.0));
        assert_eq!(parse_correct("'yes'"), Some(true));
    }
}
