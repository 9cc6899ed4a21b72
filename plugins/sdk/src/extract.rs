//! Answer-letter extraction, reproducing the references' Python `re` rules.
//!
//! Each function names the Python pattern it reproduces. They are written by
//! hand (no regex engine): the references rely on Python semantics the
//! `regex` crate does not have (lookahead, Python's Unicode `\b` and `\s`),
//! and a hand-written scan keeps components small. `letters` is the set of
//! accepted answer letters, e.g. `"ABCDEFGHIJ"` for `[A-J]`.

use crate::pyunicode::{is_space, is_word_boundary, strip};

/// Which stage of [`tiger_chain`] found the letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// `answer is \(?([A-J])\)?`
    AnswerIs,
    /// `.*[aA]nswer:\s*([A-J])`
    AnswerColon,
    /// `\b[A-J]\b(?!.*\b[A-J]\b)` with DOTALL (the last standalone letter).
    LastLetter,
}

impl Stage {
    /// A short stable name, for per-sample details.
    pub fn name(self) -> &'static str {
        match self {
            Stage::AnswerIs => "answer-is",
            Stage::AnswerColon => "answer-colon",
            Stage::LastLetter => "last-letter",
        }
    }
}

fn letter_at(text: &str, at: usize, letters: &str) -> Option<char> {
    text[at..].chars().next().filter(|c| letters.contains(*c))
}

/// Python `re.search(r"answer is \(?([A-J])\)?", text).group(1)`: the first
/// `answer is ` (case-sensitive, one ASCII space) followed by a letter or by
/// `(` and a letter. Nothing is required after the letter, so
/// `answer is Because` gives `B`. lm-eval's `regex` filter with `findall(..)[0]`
/// gives the same letter (the first match).
pub fn answer_is(text: &str, letters: &str) -> Option<char> {
    const NEEDLE: &str = "answer is ";
    let mut from = 0;
    while let Some(pos) = text[from..].find(NEEDLE) {
        let after = from + pos + NEEDLE.len();
        if text[after..].starts_with('(')
            && let Some(c) = letter_at(text, after + 1, letters)
        {
            return Some(c);
        }
        if let Some(c) = letter_at(text, after, letters) {
            return Some(c);
        }
        from += pos + 1;
    }
    None
}

/// Python `re.search(r".*[aA]nswer:\s*([A-J])", text).group(1)` without
/// DOTALL: on the first line (split on `\n` only) that holds an `answer:` or
/// `Answer:` followed by optional whitespace (which may cross newlines) and
/// a letter, the last such occurrence on that line.
pub fn answer_colon(text: &str, letters: &str) -> Option<char> {
    let mut line_start = 0;
    loop {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let mut found = None;
        let mut from = 0;
        while let Some(pos) = line[from..].find("nswer:") {
            let p = from + pos;
            if p > 0 && matches!(line.as_bytes()[p - 1], b'a' | b'A') {
                let mut at = line_start + p + "nswer:".len();
                while let Some(c) = text[at..].chars().next().filter(|c| is_space(*c)) {
                    at += c.len_utf8();
                }
                if let Some(c) = letter_at(text, at, letters) {
                    found = Some(c);
                }
            }
            from = p + 1;
        }
        if found.is_some() {
            return found;
        }
        if line_end >= text.len() {
            return None;
        }
        line_start = line_end + 1;
    }
}

/// Python `re.search(r"\b[A-J]\b(?!.*\b[A-J]\b)", text, re.DOTALL).group(0)`:
/// the last letter that stands alone, with Python's Unicode `\b` (a
/// combining accent or `(` is not a word character, `É` or a digit is).
pub fn last_standalone_letter(text: &str, letters: &str) -> Option<char> {
    text.char_indices()
        .rev()
        .find(|&(i, c)| {
            letters.contains(c)
                && is_word_boundary(text, i)
                && is_word_boundary(text, i + c.len_utf8())
        })
        .map(|(_, c)| c)
}

/// The extraction chain of TIGER-AI-Lab/MMLU-Pro `evaluate_from_local.py`
/// (`extract_answer` → `extract_again` → `extract_final`): [`answer_is`],
/// else [`answer_colon`], else [`last_standalone_letter`]. `None` means
/// the reference's random fallback applies.
pub fn tiger_chain(text: &str, letters: &str) -> Option<(char, Stage)> {
    if let Some(c) = answer_is(text, letters) {
        return Some((c, Stage::AnswerIs));
    }
    if let Some(c) = answer_colon(text, letters) {
        return Some((c, Stage::AnswerColon));
    }
    last_standalone_letter(text, letters).map(|c| (c, Stage::LastLetter))
}

/// lm-eval's `regex` filter output for a pattern with one group, when the
/// pattern did not match.
pub const LM_EVAL_INVALID: &str = "[invalid]";

/// lm-eval `mmlu_pro` `custom-extract`: `regex` filter
/// `answer is \(?([ABCDEFGHIJ])\)?` then `take_first`: the first match's
/// letter, or `"[invalid]"`.
pub fn lm_eval_answer_is(text: &str, letters: &str) -> String {
    answer_is(text, letters).map_or_else(|| LM_EVAL_INVALID.to_string(), String::from)
}

/// lm-eval `mmlu_generative` `get_response` filter: regex `^(.*?)(?=\n|$)`
/// (the text before the first `\n`), `strip()`, `remove_whitespace`
/// (`strip()`), regex `^(.*?)\s*$` (drops trailing whitespace), `strip()`:
/// the first line with Python whitespace stripped from both ends.
pub fn first_line_stripped(text: &str) -> String {
    let first = text.split('\n').next().unwrap_or("");
    strip(first).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AJ: &str = "ABCDEFGHIJ";

    fn chain(text: &str) -> Option<char> {
        tiger_chain(text, AJ).map(|(c, _)| c)
    }

    #[test]
    fn stage_one_answer_is() {
        assert_eq!(answer_is("The answer is (C).", AJ), Some('C'));
        assert_eq!(answer_is("the answer is C", AJ), Some('C'));
        assert_eq!(answer_is("The answer is Because of x", AJ), Some('B'));
        assert_eq!(answer_is("the answer is Evidently (B)", AJ), Some('E'));
        assert_eq!(answer_is("the answer is (B\u{301})", AJ), Some('B'));
        // First occurrence that matches, skipping failing ones.
        assert_eq!(answer_is("answer is (x) ... answer is (D)", AJ), Some('D'));
        assert_eq!(
            answer_is("the answer is (c)... no, the answer is (D)", AJ),
            Some('D')
        );
        for miss in [
            "answer isn't (C)",
            "answer is\n(C)",
            "answer\u{a0}is (C)",
            "The Answer is (C)",
            "ANSWER IS (C)",
            "answer is (c)",
            "answer is **(C)**",
            "answer is: C",
            "answer is ( C )",
            "answer is K",
            "",
        ] {
            assert_eq!(answer_is(miss, AJ), None, "{miss:?}");
        }
    }

    #[test]
    fn stage_two_answer_colon() {
        assert_eq!(answer_colon("Answer: C", AJ), Some('C'));
        assert_eq!(answer_colon("answer:C", AJ), Some('C'));
        assert_eq!(answer_colon("Answer: I or maybe Answer: H", AJ), Some('H'));
        assert_eq!(answer_colon("Answer: H\nmore\nAnswer: G", AJ), Some('H'));
        assert_eq!(answer_colon("Answer:\nC", AJ), Some('C'));
        assert_eq!(answer_colon("Answer:\x1c C", AJ), Some('C'));
        // A line whose only `Answer:` fails does not stop later lines.
        assert_eq!(answer_colon("Answer: (C)\nAnswer: D", AJ), Some('D'));
        // Last successful occurrence on the line, not the last occurrence.
        assert_eq!(answer_colon("Answer: B, Answer: x", AJ), Some('B'));
        for miss in ["ANSWER: C", "Answer: (C)", "Answer: c", "Answer - C", ""] {
            assert_eq!(answer_colon(miss, AJ), None, "{miss:?}");
        }
    }

    #[test]
    fn stage_three_last_letter() {
        assert_eq!(
            last_standalone_letter("I think (C) is right", AJ),
            Some('C')
        );
        assert_eq!(last_standalone_letter("(C). I am sure", AJ), Some('I'));
        assert_eq!(last_standalone_letter("2.5 A", AJ), Some('A'));
        assert_eq!(last_standalone_letter("**C**", AJ), Some('C'));
        assert_eq!(last_standalone_letter("\\boxed{C}", AJ), Some('C'));
        assert_eq!(last_standalone_letter("（C）", AJ), Some('C'));
        assert_eq!(last_standalone_letter("(\u{200b}E)", AJ), Some('E'));
        assert_eq!(last_standalone_letter("C_1", AJ), None);
        for miss in ["B12", "É", "Ｃ", "С", "abc", "K", ""] {
            assert_eq!(last_standalone_letter(miss, AJ), None, "{miss:?}");
        }
    }

    #[test]
    fn whole_chain() {
        assert_eq!(
            tiger_chain("The answer is (C).", AJ),
            Some(('C', Stage::AnswerIs))
        );
        assert_eq!(
            tiger_chain("so\nAnswer: D", AJ),
            Some(('D', Stage::AnswerColon))
        );
        assert_eq!(
            tiger_chain("…Answer - J. I am fairly sure.", AJ),
            Some(('I', Stage::LastLetter))
        );
        assert_eq!(chain("The answer is **(B)**. I double-checked."), Some('I'));
        assert_eq!(chain("no letters here"), None);
        assert_eq!(chain(""), None);
    }

    #[test]
    fn lm_eval_filters() {
        assert_eq!(lm_eval_answer_is("the answer is (D)", AJ), "D");
        assert_eq!(lm_eval_answer_is("Answer: D", AJ), "[invalid]");
        assert_eq!(first_line_stripped("  B. Paris \nmore"), "B. Paris");
        assert_eq!(first_line_stripped("\nB"), "");
        assert_eq!(first_line_stripped(" C\r\n"), "C");
        assert_eq!(first_line_stripped(""), "");
    }
}
