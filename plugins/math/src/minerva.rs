//! The Minerva answer rules (Lewkowycz et al. 2022, appendix D) as
//! lm-evaluation-harness runs them: `get_unnormalized_answer` and
//! `normalize_final_answer` of `tasks/minerva_math/utils.py` (the revised
//! copy) and of `tasks/leaderboard/math/utils.py` (the frozen original,
//! [`normalize_final_answer_v1`]).
//!
//! Python `re` patterns are reproduced by hand: `.` stops at `\n`, `\b` and
//! `\w` are Python's Unicode classes (from the SDK's CPython tables), `\d`
//! is `str.isdecimal`.

use scorebox_sdk::pyunicode::{is_word, is_word_boundary, strip};

use crate::boxed::INVALID_ANSWER;
use crate::py;

const PREFIX: &str = "Final Answer: The final answer is";
const HOPE: &str = " I hope it is correct";

/// `get_unnormalized_answer`: `re.search(r"Final Answer: The final answer
/// is(.*?). I hope it is correct.", text + "I hope it is correct.")`, group 1
/// stripped, or `[invalidanswer]`. The first occurrence that matches wins;
/// the character before `" I hope"` is swallowed by the pattern's `.`.
pub fn get_unnormalized_answer(text: &str) -> String {
    let text = format!("{text}I hope it is correct.");
    let mut from = 0;
    while let Some(p) = text[from..].find(PREFIX) {
        let start = from + p + PREFIX.len();
        if let Some(group) = lazy_group(&text, start) {
            return strip(group).to_string();
        }
        from = from + p + 1;
    }
    INVALID_ANSWER.to_string()
}

/// `(.*?). I hope it is correct.` from `start`: the shortest group without a
/// newline followed by one non-newline character, the phrase and one more
/// non-newline character.
fn lazy_group(text: &str, start: usize) -> Option<&str> {
    let mut k = start;
    loop {
        let c = text[k..].chars().next()?;
        if c == '\n' {
            return None;
        }
        let after = k + c.len_utf8();
        if text[after..].starts_with(HOPE) {
            let tail = after + HOPE.len();
            if text[tail..].chars().next().is_some_and(|d| d != '\n') {
                return Some(&text[start..k]);
            }
        }
        // The group grows by this character (it is not a newline).
        k = after;
    }
}

const SUBSTITUTIONS: [(&str, &str); 10] = [
    ("an ", ""),
    ("a ", ""),
    (".$", "$"),
    ("\\$", ""),
    ("\\ ", ""),
    (" ", ""),
    ("mbox", "text"),
    (",\\text{and}", ","),
    ("\\text{and}", ","),
    ("\\text{m}", "\\text{}"),
];

const REMOVED_EXPRESSIONS: [&str; 42] = [
    "square",
    "ways",
    "integers",
    "dollars",
    "mph",
    "inches",
    "ft",
    "hours",
    "km",
    "units",
    "\\ldots",
    "sue",
    "points",
    "feet",
    "minutes",
    "digits",
    "cents",
    "degrees",
    "cm",
    "gm",
    "pounds",
    "meters",
    "meals",
    "edges",
    "students",
    "childrentickets",
    "multiples",
    "\\text{s}",
    "\\text{.}",
    "\\text{\ns}",
    "\\text{}^2",
    "\\text{}^3",
    "\\text{\n}",
    "\\text{}",
    "\\mathrm{th}",
    "^\\circ",
    "^{\\circ}",
    "\\;",
    ",\\!",
    "{,}",
    "\"",
    "\\dots",
];

fn is_alpha_word(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphabetic())
}

/// `re.sub(pattern, repl, s)` for a hand-written matcher: `m(s, i)` returns
/// the end and replacement of a match starting at byte `i`, tried at every
/// character position left to right; matched text is not searched again.
fn sub_all(s: &str, mut m: impl FnMut(&str, usize) -> Option<(usize, String)>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if let Some((end, rep)) = m(s, i) {
            out.push_str(&rep);
            if end > i {
                i = end;
                continue;
            }
        }
        let c = s[i..].chars().next().unwrap_or('\0');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// `re.sub(rf"(?<!\\)\b{word}\b", "", s)`.
fn remove_word(s: &str, word: &str) -> String {
    sub_all(s, |s, i| {
        (s[i..].starts_with(word)
            && !s[..i].ends_with('\\')
            && is_word_boundary(s, i)
            && is_word_boundary(s, i + word.len()))
        .then(|| (i + word.len(), String::new()))
    })
}

/// Replace `word` outside LaTeX command names: the text split by
/// `(\\[a-zA-Z]+)`, only the non-command pieces edited.
fn remove_outside_commands(s: &str, word: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut piece_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                j += 1;
            }
            out.push_str(&s[piece_start..i].replace(word, ""));
            out.push_str(&s[i..j]);
            piece_start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[piece_start..].replace(word, ""));
    out
}

/// `re.sub(r"(.*?)(\$)(.*?)(\$)(.*)", "$\\3$", s)`: every line holding two
/// `$` becomes `$` + the text between its first two `$` + `$`.
fn keep_first_math(s: &str) -> String {
    s.split('\n')
        .map(|line| {
            let mut it = line.match_indices('$');
            match (it.next(), it.next()) {
                (Some((a, _)), Some((b, _))) => format!("${}$", &line[a + 1..b]),
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `re.sub(r"(\\cmd\{)(.*?)(\})", "\\2", s)`: the
/// text up to the first `}` on the same line.
fn unwrap_lazy(s: &str, open: &str) -> String {
    sub_all(s, |s, i| {
        if !s[i..].starts_with(open) {
            return None;
        }
        let body = i + open.len();
        let rest = &s[body..];
        let close = rest.find('}')?;
        if rest[..close].contains('\n') {
            return None;
        }
        Some((body + close + 1, rest[..close].to_string()))
    })
}

/// `re.sub(r"(\\boxed\{)(.*)(\})", "\\2", s)`: up to the last `}` of the line.
fn unwrap_boxed_greedy(s: &str) -> String {
    sub_all(s, |s, i| {
        const OPEN: &str = "\\boxed{";
        if !s[i..].starts_with(OPEN) {
            return None;
        }
        let body = i + OPEN.len();
        let line_end = s[body..].find('\n').map_or(s.len(), |e| body + e);
        let close = s[body..line_end].rfind('}')?;
        Some((body + close + 1, s[body..body + close].to_string()))
    })
}

/// `re.sub(r"(frac)([^{])(.)", "frac{\\2}{\\3}", s)`.
fn fix_frac_shorthand(s: &str) -> String {
    sub_all(s, |s, i| {
        if !s[i..].starts_with("frac") {
            return None;
        }
        let mut it = s[i + 4..].chars();
        let a = it.next().filter(|&c| c != '{')?;
        let b = it.next().filter(|&c| c != '\n')?;
        let end = i + 4 + a.len_utf8() + b.len_utf8();
        Some((end, format!("frac{{{a}}}{{{b}}}")))
    })
}

/// `re.sub(r"(sqrt)([^{])", "sqrt{\\2}", s)` (the original rule).
fn fix_sqrt_v1(s: &str) -> String {
    sub_all(s, |s, i| {
        if !s[i..].starts_with("sqrt") {
            return None;
        }
        let a = s[i + 4..].chars().next().filter(|&c| c != '{')?;
        Some((i + 4 + a.len_utf8(), format!("sqrt{{{a}}}")))
    })
}

/// The revised `\sqrt` rules: `(sqrt)(\[[^\]]*\])(\w)` → `\1\2{\3}`, then
/// `(sqrt)(?!\[)([^{])` → `sqrt{\2}`.
fn fix_sqrt_revised(s: &str) -> String {
    let s = sub_all(s, |s, i| {
        if !s[i..].starts_with("sqrt[") {
            return None;
        }
        let idx_start = i + 4;
        let close = s[idx_start + 1..].find(']')? + idx_start + 1;
        let w = s[close + 1..].chars().next().filter(|&c| is_word(c))?;
        Some((
            close + 1 + w.len_utf8(),
            format!("sqrt{}{{{w}}}", &s[idx_start..=close]),
        ))
    });
    sub_all(&s, |s, i| {
        if !s[i..].starts_with("sqrt") {
            return None;
        }
        let a = s[i + 4..]
            .chars()
            .next()
            .filter(|&c| c != '{' && c != '[')?;
        Some((i + 4 + a.len_utf8(), format!("sqrt{{{a}}}")))
    })
}

/// `re.fullmatch(r"-?\d{1,3}(,\d{3})+", s)`.
fn is_thousands_grouped(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let mut groups = s.split(',');
    let Some(first) = groups.next() else {
        return false;
    };
    let n = first.chars().count();
    if !(1..=3).contains(&n) || !first.chars().all(py::is_decimal) {
        return false;
    }
    let mut any = false;
    for g in groups {
        if g.chars().count() != 3 || !g.chars().all(py::is_decimal) {
            return false;
        }
        any = true;
    }
    any
}

fn extract_and_shorthand(mut s: String) -> String {
    s = keep_first_math(&s);
    s = unwrap_lazy(&s, "\\text{");
    s = unwrap_lazy(&s, "\\textbf{");
    s = unwrap_lazy(&s, "\\overline{");
    s = unwrap_boxed_greedy(&s);
    fix_frac_shorthand(&s)
}

fn last_equals_side(s: &str) -> &str {
    s.rsplit('=').next().unwrap_or(s)
}

/// `normalize_final_answer` of lm-eval's `minerva_math` (the revised copy:
/// unit words removed at word boundaries and outside command names, indexed
/// roots kept, commas dropped only from real thousands groups).
pub fn normalize_final_answer(answer: &str) -> String {
    let mut s = last_equals_side(answer).to_string();
    for expr in REMOVED_EXPRESSIONS {
        if is_alpha_word(expr) {
            s = remove_word(&s, expr);
        }
    }
    for (before, after) in SUBSTITUTIONS {
        s = s.replace(before, after);
    }
    for expr in REMOVED_EXPRESSIONS {
        s = if is_alpha_word(expr) {
            remove_outside_commands(&s, expr)
        } else {
            s.replace(expr, "")
        };
    }
    s = extract_and_shorthand(s);
    s = fix_sqrt_revised(&s);
    s = s.replace('$', "");
    if is_thousands_grouped(&s) {
        s = s.replace(',', "");
    }
    s
}

/// `normalize_final_answer` of lm-eval's frozen `leaderboard/math` copy
/// (the paper's rules as first published: every removed expression cut out
/// with `str.replace`, so `\left` loses its `ft`; commas dropped whenever
/// the rest is all digits).
pub fn normalize_final_answer_v1(answer: &str) -> String {
    let mut s = last_equals_side(answer).to_string();
    for (before, after) in SUBSTITUTIONS {
        s = s.replace(before, after);
    }
    for expr in REMOVED_EXPRESSIONS {
        s = s.replace(expr, "");
    }
    s = extract_and_shorthand(s);
    s = fix_sqrt_v1(&s);
    s = s.replace('$', "");
    if py::str_isdigit(&s.replace(',', "")) {
        s = s.replace(',', "");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_quirks() {
        let g = get_unnormalized_answer;
        assert_eq!(
            g("Final Answer: The final answer is $5$. I hope it is correct."),
            "$5$"
        );
        assert_eq!(g("Final Answer: The final answer is $5$."), INVALID_ANSWER);
        assert_eq!(g("Final Answer: The final answer is $5$. "), "$5$");
        assert_eq!(
            g("Final Answer: The final answer is $5$.  I hope it is correct."),
            "$5$."
        );
        assert_eq!(g("Final Answer: The final answer is 1200 "), "120");
        assert_eq!(g("Final Answer: The final answer is 4 "), "");
        assert_eq!(
            g("Final Answer: The final answer is 4.\nI hope it is correct."),
            INVALID_ANSWER
        );
        assert_eq!(
            g(
                "Final Answer: The final answer is 1. I hope it is correct.\nFinal Answer: The final answer is 2. I hope it is correct."
            ),
            "1"
        );
    }

    #[test]
    fn normalisation() {
        let n = normalize_final_answer;
        assert_eq!(n("$\\frac12$"), "\\frac{1}{2}");
        assert_eq!(n("10 \\text{ cm}"), "10");
        assert_eq!(n("\\left(2,3\\right)"), "\\left(2,3\\right)");
        assert_eq!(n("\\sqrt[3]{27}"), "\\sqrt[3]{27}");
        assert_eq!(n("1,000"), "1000");
        assert_eq!(n("1,3"), "1,3");
        assert_eq!(n("\\tan x"), "\\tx");
        let v = normalize_final_answer_v1;
        assert_eq!(v("\\left(2,3\\right)"), "\\le(2,3\\right)");
        assert_eq!(v("\\infty"), "\\iny");
        assert_eq!(v("\\sqrt[3]{27}"), "\\sqrt{[}3]{27}");
        assert_eq!(v("1,3"), "13");
    }
}
