//! `latex2sympy2_extended.math_normalization.normalize_latex` (1.11.0)
//! with math-verify's `LatexExtractionConfig` settings: boxed content,
//! basic LaTeX clean-up, units, "nits" and malformed operators.

use std::sync::OnceLock;

use fancy_regex::{Captures, Regex};

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("normalisation pattern {p}: {e}"))
}

fn sub(re: &Regex, text: &str, rep: &str) -> String {
    re.replace_all(text, rep).into_owned()
}

struct Res {
    left: Regex,
    right: Regex,
    permutation: Regex,
    to_remove: Regex,
    to_replace: Regex,
    command_slash: Regex,
    unit_superscript: Regex,
    units: Regex,
    malformed: Vec<(Regex, &'static str)>,
    separator: Regex,
}

const REPLACEMENTS: &[(&str, &str, &str)] = &[
    ("math", r"\\math(?:rm|it|bf)", r"\text"),
    ("text", r"\\text(?:normal|bf|it|rm)", r"\text"),
    ("frac", r"\\(?:d|t|c)frac", r"\frac"),
    ("decimal_space", r"\s\.", r" 0."),
    ("decimal_brace", r"\{\.", r"{0."),
    ("approx", r"~=", r"\approx"),
    ("comma", r"\s*\{\s*,\s*\}", r","),
    (
        "and_or",
        r"(?<![a-zA-Z])(,?\s*(?:and|or))(?![a-zA-Z])",
        r",",
    ),
    ("and_or_text", r"(,?\s*\\text\{\s*(?:and|or)\s*\})", r","),
    ("backslash_space", r"(?<!\\)\\\s", r" "),
    ("infinity", r"infinity", r"\infty"),
    ("dot", r",?(\\ldots)", r" "),
    ("percentage", r"\s*\bpercentage\b", r"\%"),
    ("percentage_in_text", r"\\text\{percentage\}", r"%"),
    ("percent", r"\s*\bpercent\b", r"\%"),
    ("percent_in_text", r"\\text\{percent\}", r"%"),
    ("pct", r"\s*\bpct\b", r"\%"),
    ("pct_in_text", r"\\text\{pct\}", r"%"),
    ("inf", r"((?<!\\)inf(?!inity))", r"\infty"),
    ("sqrt", r" sqrt", r"\sqrt"),
];

const UNITS: &[&str] = &[
    "integerpoint",
    "feet",
    "sue",
    "digit",
    "pound",
    "meal",
    "edge",
    "student",
    "children ticket",
    "multiple",
    "east",
    "degree",
    "mph",
    "kmph",
    "ft",
    "m square",
    " m east",
    "sq m",
    "deg",
    "mile",
    "q .",
    "monkey",
    "prime",
    "ratio",
    "profit of rs",
    "rd",
    "o",
    "gm",
    "p . m",
    "lb",
    "tile",
    "per",
    "dm",
    "lt",
    "gain",
    "ab",
    "way",
    "west",
    "a .",
    "b .",
    "c .",
    "d .",
    "e .",
    "f .",
    "g .",
    "h .",
    "t",
    "h",
    "no change",
    "men",
    "soldier",
    "pie",
    "bc",
    "excess",
    "st",
    "inches",
    "noon",
    "cent",
    "by",
    "gal",
    "kmh",
    "c",
    "acre",
    "rise",
    "a . m",
    "th",
    "π r 2",
    "sq",
    "mark",
    "l",
    "toy",
    "coin",
    "sq . m",
    "gallon",
    "° f",
    "profit",
    "minw",
    "yr",
    "women",
    "am",
    "pm",
    "hr",
    "cu cm",
    "square",
    "v â € ™",
    "are",
    "rupee",
    "rounds",
    "cubic",
    "cc",
    "mtr",
    "s",
    "ohm",
    "number",
    "kmph",
    "day",
    "hour",
    "minute",
    "min",
    "second",
    "man",
    "woman",
    "sec",
    "cube",
    "mt",
    "sq inch",
    "mp",
    "∏ cm ³",
    "hectare",
    "more",
    "sec",
    "unit",
    "cu . m",
    "cm 2",
    "rs .",
    "rs",
    "kg",
    "g",
    "month",
    "km",
    "m",
    "cm",
    "mm",
    "apple",
    "liter",
    "loss",
    "yard",
    "pure",
    "year",
    "increase",
    "decrease",
    "d",
    "less",
    "Surface",
    "litre",
    "pi sq m",
    "s .",
    "metre",
    "meter",
    "inch",
];

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let replace = REPLACEMENTS
            .iter()
            .map(|(name, p, _)| format!("(?P<{name}>{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let units = format!("(?:{})(?:s|es)?", UNITS.join("|"));
        Res {
            left: re(r"\\m?left(\\\{|\{|\\\||\||\[|\(|\\rbracl|\\lgroup|\\lbrace|\\lbrack|\\vert|\\lvert|\\lceil|\\lfloor|\\vert|\\lvert|\\langle|\\llcorner|\\ulcorner)"),
            right: re(r"\\m?right(\\\}|\}|\\\||\||\]|\)|\\rbrack|\\rgroup|\\rbrace|\\rbrack|\\vert|\\rvert|\\rceil|\\rfloor|\\vert|\\rvert|\\rangle|\\lrcorner|\\urcorner)"),
            permutation: re(r"\(([a-zA-Z0-9+\-*/\\ ]+?)\)_\{([a-zA-Z0-9+\-*/\\ ]+?)\}"),
            to_remove: re(concat!(
                r"\\mathrm\{th\}|\\!\s*|\\text\s*\{\s*\}|\\text\s*\{\s*\}|\\\$|\$|",
                r#"(?<!\\)["']|\\displaystyle"#
            )),
            to_replace: re(&replace),
            command_slash: re(r"\\\\(?=[a-zA-Z])"),
            unit_superscript: re(r"(\\(?:text|mbox)\{.*?\})(\^\d|\{\^\d\})?$"),
            units: re(&format!(r"(\d|\}}|\s)\s*(?:{units})\s*$")),
            malformed: vec![
                (re(r"\^\s?\((.*?)\)"), r"^{${1}}"),
                (re(r"sqrt\s?\((.*?)\)"), r"\sqrt{${1}}"),
                (re(r"\\frac\s?(\d)\s?(\d+)"), r"\frac{${1}}{${2}}"),
                (re(r"\\log_\s?(\d)\s?(\d+)"), r"\log_{${1}}{${2}}"),
                (re(r"\\frac\s?\{(.*?)\}\s?(\d)"), r"\frac{${1}}{${2}}"),
                (re(r"\\frac\s?(\d)\s?\{(.*?)\}"), r"\frac{${1}}{${2}}"),
                (re(r"\\sqrt\s?(\d)"), r"\sqrt{${1}}"),
            ],
            separator: re(r"\b(and|or)\b|,|;"),
        }
    })
}

/// Python `str.isspace` for one character.
fn is_space(c: char) -> bool {
    scorebox_sdk::pyunicode::is_space(c)
}

/// `extract_boxed_content(text, mode)`: `\boxed{…}`/`\fbox{…}` contents,
/// from the right; `all` joins every box with `,`, `last` only boxes close
/// to (or separated by `and`/`or`/`,`/`;` from) the last one.
pub fn extract_boxed_content(text: &str, last_only: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let s: String = chars.iter().collect();
    // Work in char indices, as Python does.
    let find_back = |needle: &str, end: usize| -> Option<usize> {
        let n: Vec<char> = needle.chars().collect();
        if end < n.len() {
            return None;
        }
        (0..=end - n.len())
            .rev()
            .find(|&i| chars[i..i + n.len()] == n[..])
    };
    let slice = |a: usize, b: usize| -> String { chars[a..b].iter().collect() };
    let mut results: Vec<String> = Vec::new();
    let mut current = chars.len();
    let mut last_boxed_start: Option<usize> = None;
    let mut max_pos = chars.len();
    loop {
        let boxed = find_back("\\boxed", current);
        let fbox = find_back("\\fbox", current);
        if boxed.is_none() && fbox.is_none() {
            break;
        }
        let (start, cmd_end) = match (boxed, fbox) {
            (Some(b), Some(f)) if b > f => (b, b + 6),
            (Some(b), None) => (b, b + 6),
            (_, Some(f)) => (f, f + 5),
            (None, None) => break,
        };
        let mut next = cmd_end;
        while next < max_pos && is_space(chars[next]) {
            next += 1;
        }
        if next >= max_pos {
            break;
        }
        if chars[next] == '{' {
            let mut i = next;
            let mut open = 1;
            let mut close = None;
            while i + 1 < max_pos {
                i += 1;
                if chars[i] == '{' {
                    open += 1;
                } else if chars[i] == '}' {
                    open -= 1;
                    if open == 0 {
                        close = Some(i);
                        break;
                    }
                }
            }
            let Some(close) = close else {
                if results.is_empty() {
                    results.push(slice(next, chars.len()));
                }
                break;
            };
            let content = scorebox_sdk::pyunicode::strip(&slice(next + 1, close)).to_string();
            if last_only && let Some(lbs) = last_boxed_start {
                let prev = results.last().cloned().unwrap_or_default();
                let between = slice((close + 1).min(lbs), lbs);
                let ok = between.chars().count() < 10
                    || (prev != content
                        && between.chars().count() < 70
                        && res().separator.is_match(&between).unwrap_or(false));
                if !ok {
                    break;
                }
            }
            if results.last() != Some(&content) {
                results.push(content);
            }
            last_boxed_start = Some(start);
            max_pos = start;
        } else {
            if results.is_empty() {
                results.push(slice(next, chars.len()));
            }
            break;
        }
        current = start;
    }
    let _ = s;
    if results.is_empty() {
        return text.to_string();
    }
    results.reverse();
    results.join(",")
}

fn replace_in_latex(text: &str) -> String {
    let r = &res().to_replace;
    r.replace_all(text, |caps: &Captures<'_, str>| {
        REPLACEMENTS
            .iter()
            .find(|(name, _, _)| caps.name(name).is_some())
            .map(|(_, _, rep)| rep.to_string())
            .unwrap_or_default()
    })
    .into_owned()
}

fn fix_fracs(text: &str) -> String {
    let mut parts = text.split("\\frac");
    let mut out = parts.next().unwrap_or("").to_string();
    for sub in parts {
        let sub = scorebox_sdk::pyunicode::lstrip(sub);
        out.push_str("\\frac");
        let mut it = sub.chars();
        match (it.next(), it.next()) {
            (Some('{'), _) => out.push_str(sub),
            (Some(a), Some(b)) => {
                let rest = it.as_str();
                if b != '{' {
                    out.push_str(&format!("{{{a}}}{{{b}}}{rest}"));
                } else {
                    out.push_str(&format!("{{{a}}}{b}{rest}"));
                }
            }
            _ => return text.to_string(),
        }
    }
    out
}

fn fix_a_slash_b(text: &str) -> String {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.len() != 2 {
        return text.to_string();
    }
    match (crate::py::int_str(parts[0]), crate::py::int_str(parts[1])) {
        (Some(a), Some(b)) if format!("{a}/{b}") == text => format!("\\frac{{{a}}}{{{b}}}"),
        _ => text.to_string(),
    }
}

fn fix_sqrt(text: &str) -> String {
    if !text.contains("\\sqrt") {
        return text.to_string();
    }
    let mut parts = text.split("\\sqrt");
    let mut out = parts.next().unwrap_or("").to_string();
    for part in parts {
        let part = scorebox_sdk::pyunicode::lstrip(part);
        match part.chars().next() {
            Some(a) if a != '{' && a != '[' => {
                out.push_str(&format!("\\sqrt{{{a}}}{}", &part[a.len_utf8()..]));
            }
            _ => {
                out.push_str("\\sqrt");
                out.push_str(part);
            }
        }
    }
    out
}

/// `normalize_latex(text, config)` with math-verify's configuration;
/// `boxed_last` is the `boxed="last"` variant used for `\boxed{.+}` matches.
pub fn normalize_latex(text: &str, boxed_last: bool) -> String {
    let r = res();
    let mut t = extract_boxed_content(text, boxed_last);
    // basic_latex
    t = t.replace("\\mathrm{T}", "T");
    t = t.replace("\\mathrm{d}", "d").replace("{\\rm d}", "d");
    t = t
        .replace("\\left[\\begin{matrix}", "\\begin{bmatrix}")
        .replace("\\end{matrix}\\right]", "\\end{bmatrix}");
    t = sub(&r.left, &t, "${1}");
    t = sub(&r.right, &t, "${1}");
    t = sub(&r.permutation, &t, r"\frac{(${1})!}{((${1})-(${2}))!}");
    t = sub(&r.to_remove, &t, "");
    t = replace_in_latex(&t);
    t = t.replace(['\n', '\t'], " ");
    if !t.contains("matrix") {
        t = sub(&r.command_slash, &t, r"\");
    }
    // units
    let u = scorebox_sdk::pyunicode::strip(&sub(&r.unit_superscript, &t, "")).to_string();
    if !u.is_empty() && u != t {
        t = u;
    }
    for _ in 0..2 {
        let u = sub(&r.units, &t, "${1}");
        if !u.is_empty() && u != t {
            t = u;
        }
    }
    // nits
    if t.starts_with('.') {
        t.insert(0, '0');
    }
    if t == "0.5" {
        t = "\\frac{1}{2}".into();
    }
    // malformed operators
    for (re, rep) in &r.malformed {
        t = sub(re, &t, rep);
    }
    t = t.replace(" sqrt", "\\sqrt");
    t = fix_sqrt(&t);
    t = fix_fracs(&t);
    t = fix_a_slash_b(&t);
    scorebox_sdk::pyunicode::strip(&t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxed_content() {
        assert_eq!(
            extract_boxed_content("a \\boxed{1} b \\boxed{2}", false),
            "1,2"
        );
        assert_eq!(
            extract_boxed_content("\\boxed{1} and \\boxed{2}", true),
            "1,2"
        );
        assert_eq!(extract_boxed_content("no box", true), "no box");
        assert_eq!(
            normalize_latex("\\boxed{\\dfrac{1}{2}}", false),
            "\\frac{1}{2}"
        );
        assert_eq!(normalize_latex("10\\text{ cm}", false), "10");
        assert_eq!(normalize_latex("\\left( 1, 2 \\right)", false), "( 1, 2 )");
    }
}
