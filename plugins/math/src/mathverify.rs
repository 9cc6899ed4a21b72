//! math-verify (huggingface/Math-Verify 0.9.0) `parse` and `verify`, as
//! lm-evaluation-harness's `minerva_math` (`math_verify`) and
//! `leaderboard_math_hard` (`exact_match`) call them.
//!
//! Extraction follows `math_verify.parser` pattern by pattern (the same
//! regular expressions, run by `fancy-regex`; priorities, rightmost match
//! first, first successful parse wins, the first matched string kept as a
//! fallback); normalisation follows `latex2sympy2_extended.normalize_latex`;
//! parsing and comparison use this crate's [`crate::latex`] parser
//! (math-verify dialect) and [`crate::equiv::math_verify_equal`].

use std::sync::OnceLock;

use fancy_regex::{Captures, Regex};

use crate::equiv::math_verify_equal;
use crate::expr::Expr;
use crate::latex::{Dialect, parse as parse_latex};

/// One item of `parse`'s result: a parsed expression or a fallback string.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    /// A successfully parsed answer.
    Expr(Expr),
    /// The first matched text (math-verify's `fallback_mode="first_match"`).
    Str(String),
}

/// Which extraction targets `parse` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targets {
    /// `[LatexExtractionConfig(), ExprExtractionConfig()]` (the default).
    LatexAndExpr,
    /// `[LatexExtractionConfig()]` (the leaderboard's gold).
    LatexOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Latex,
    Expr,
}

struct Pattern {
    re: Regex,
    priority: u32,
    kind: Kind,
}

fn env_pattern(prefix: &str, boxed: bool) -> String {
    let percent = format!(r"(?P<{prefix}percent>(?:\\?%|[Pp]ercent|[Pp]ercentage|[Pp]ct))");
    let mut dd = r"(?:[^$]|\$(?!\$))".to_string();
    let mut db = r"(?:[^\\]|\\(?!\]))".to_string();
    let mut id = r"(?:\\[$]|[^\n$])".to_string();
    let mut ip = r"(?:[^\\\n]|\\(?!\)))".to_string();
    let mut ib = r"[^\n\]\[]".to_string();
    for c in [&mut dd, &mut db, &mut id, &mut ip, &mut ib] {
        *c = if boxed {
            format!(r"{c}*?\\boxed\{{{c}+?\}}{c}*?")
        } else {
            format!("{c}+?")
        };
    }
    let mut pats = vec![
        format!(r"(?<!\\)\$\$(?P<{prefix}latexDisplayDollar>{dd})(?<!\\)\$\$"),
        format!(r"(?<!\\)\\\[(?P<{prefix}latexDisplayBracket>{db})(?<!\\)\\\]"),
        format!(r"(?<!\\|\d)\$(?P<{prefix}latexInlineDollar>{id})(?<!\\)\$"),
        format!(r"(?<!\\)\\\((?P<{prefix}latexInlineParenthesis>{ip})(?<!\\)\\\)"),
        format!(r"\s\[(?P<{prefix}latexInlineBracket>{ib})\]\s"),
    ];
    if !boxed {
        let n = r"-?\d+(?:[.,]\d+)?";
        pats.push(format!(
            r"(?P<{prefix}latexFraction>-?\\frac\{{{n}\}}\{{{n}\}})"
        ));
    }
    format!(r"(?:(?:{})\s*{percent}?)", pats.join("|"))
}

fn latex_patterns() -> Vec<(String, u32)> {
    let first = env_pattern("first_", false);
    let next: String = (1..=5)
        .map(|i| {
            format!(
                r"(?:\s*(?:,?and|,?or|,)\s*{})?",
                env_pattern(&format!("next{i}_"), false)
            )
        })
        .collect();
    let l = format!("(?:{first}{next})");
    let mut out = vec![
        (format!(r"(?i:final answer is):?\s*{l}\.?\s?I hope"), 0),
        (format!(r"(?i:final answer.{{0,100}}?)\s+is:?\s*{l}"), 50),
        (format!(r"(?i:answer):.{{0,50}}?{l}"), 100),
        (format!(r"(?i:answer).{{0,50}}?{l}"), 200),
        (l.clone(), 300),
    ];
    let boxed_first = env_pattern("first_", true);
    let boxed_next: String = (1..=5)
        .map(|i| {
            format!(
                r"\s*(?:\s*(?:,?and|,?or|,)\s*{})?",
                env_pattern(&format!("next{i}_"), true)
            )
        })
        .collect();
    out.push((format!("{boxed_first}{boxed_next}"), 50));
    out.push((r"(?P<first_latexBoxed>\\boxed\{.+\})".to_string(), 50));
    out.into_iter()
        .map(|(p, k)| (format!("(?s){p}"), k))
        .collect()
}

fn expr_patterns() -> Vec<(String, u32)> {
    let number = concat!(
        r"(?<!\d)(?:",
        r"(?P<integer1>-?[1-9]\d{0,2}(?:[ ,]\d{3})+)(?P<decimal1>\.\d+)?|",
        r"(?P<integer2>-?\d+)(?P<decimal2>[.,]\d+)|",
        r"(?P<decimal3>\.\d+)|",
        r"(?P<integer3>-?\d+)",
        r")(?P<percent>\s*(?:%|[Pp]ercent|\s*[Pp]ercentage|\s*[Pp]ct))?"
    );
    let ops = r"\+\-\*×/\^\(\)÷";
    let all = format!(r"[\d\.\s{ops}]");
    let expr = format!(r"(?P<expr>-?\(?-?\d{all}*[{ops}]{all}+\)?)");
    let currency = "$€£¥₹₽₪₩₫฿₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₴₵₶₷₸₹₺₻₼₽₾₿";
    let prefix = r"(?:^|\s|=)(?:\*\*)?";
    let suffix = r"(?:\*\*)?(?:\.|,|:|\s|\)|\$|$)";
    let with_anchors = format!("(?:{prefix}{expr}{suffix})");
    let number_anchors = format!("(?:{prefix}[{currency}]?{number})");
    let eon = format!("(?:{with_anchors}|{number_anchors})");
    let ap = "(?i:answer)";
    vec![
        (format!(r"(?i:final answer is):?\s*{eon}\.?\s?I hope"), 0),
        (format!(r"(?i:final answer.{{0,100}}?)\s+is:?{eon}"), 50),
        (
            format!(r"{ap}:(?:.{{0,100}}=\s*|.{{0,50}}?){eon}(?!\s*=)"),
            100,
        ),
        (
            format!(r"{ap}(?:.{{0,100}}=\s*|.{{0,50}}?){eon}(?!\s*=)"),
            200,
        ),
        (with_anchors, 300),
        (number_anchors, 300),
    ]
}

fn compile(list: Vec<(String, u32)>, kind: Kind) -> Vec<Pattern> {
    list.into_iter()
        .map(|(p, priority)| Pattern {
            re: Regex::new(&p).unwrap_or_else(|e| panic!("math-verify pattern {p}: {e}")),
            priority,
            kind,
        })
        .collect()
}

fn patterns(targets: Targets) -> &'static [Pattern] {
    static BOTH: OnceLock<Vec<Pattern>> = OnceLock::new();
    static LATEX: OnceLock<Vec<Pattern>> = OnceLock::new();
    match targets {
        Targets::LatexAndExpr => BOTH.get_or_init(|| {
            let mut v = compile(latex_patterns(), Kind::Latex);
            v.extend(compile(expr_patterns(), Kind::Expr));
            // Stable sort by priority, as `sorted(..., key=priority)`.
            v.sort_by_key(|p| p.priority);
            v
        }),
        Targets::LatexOnly => LATEX.get_or_init(|| {
            let mut v = compile(latex_patterns(), Kind::Latex);
            v.sort_by_key(|p| p.priority);
            v
        }),
    }
}

fn complex_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\\mathbb\{C\}|\\i\b|\bi\b|\\text\{i\}|\\mathrm\{i\}|\\imath\b|",
            r"\\det|\\operatorname\{tr\}|\\operatorname\{rank\}|\\text\{rank\}|",
            r"\\arg\{|\\Re\{|\\Im\{|\\operatorname\{Re\}|\\operatorname\{Im\}|",
            r"\\text\{Re\}|\\text\{Im\}"
        ))
        .unwrap_or_else(|e| panic!("complex pattern: {e}"))
    })
}

fn is_match(re: &Regex, s: &str) -> bool {
    re.is_match(s).unwrap_or(false)
}

/// `latex2sympy(latex, is_real=not should_treat_as_complex(latex))`.
fn latex2sympy(latex: &str) -> Option<Expr> {
    let complex = is_match(complex_re(), latex);
    if let Some(n) = comma_number(latex) {
        return Some(n);
    }
    parse_latex(latex, Dialect::MathVerify { complex }).ok()
}

/// `^\s*-?\d{1,3}(,\d{3})+(\.\d+)?\s*$`: a number with thousands commas.
fn comma_number(latex: &str) -> Option<Expr> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^\s*-?\d{1,3}(,\d{3})+(\.\d+)?\s*$").unwrap_or_else(|e| panic!("{e}"))
    });
    if !is_match(re, latex) {
        return None;
    }
    let t: String = latex.trim().chars().filter(|c| *c != ',').collect();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t),
    };
    let e = if t.contains('.') {
        Expr::Float(t)
    } else {
        Expr::Int(t)
    };
    Some(if neg { e.negated() } else { e })
}

/// `parse_latex_cached`: the whole text, else its last equation part.
fn parse_latex_cached(latex: &str) -> Option<Expr> {
    if let Some(e) = latex2sympy(latex) {
        return Some(e);
    }
    let last = get_last_eq(latex);
    if last != latex {
        return latex2sympy(last);
    }
    None
}

/// `get_last_eq`: with no `,` or `;`, the text after the last `=` not
/// preceded by `\`, `<`, `!` or `>` when there are at least two.
fn get_last_eq(latex: &str) -> &str {
    if latex.contains(',') || latex.contains(';') {
        return latex;
    }
    let bytes = latex.as_bytes();
    let cuts: Vec<usize> = latex
        .match_indices('=')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || !matches!(bytes[i - 1], b'\\' | b'<' | b'!' | b'>'))
        .collect();
    if cuts.len() >= 2 {
        &latex[cuts[cuts.len() - 1] + 1..]
    } else {
        latex
    }
}

fn group<'t>(
    caps: &Captures<'t, str>,
    re: &Regex,
    pred: impl Fn(&str) -> bool,
) -> Option<(String, &'t str)> {
    re.capture_names()
        .flatten()
        .filter(|n| pred(n))
        .find_map(|n| {
            caps.name(n)
                .filter(|m| !m.as_str().is_empty())
                .map(|m| (n.to_string(), m.as_str()))
        })
}

fn extract_latex(caps: &Captures<'_, str>, re: &Regex) -> (Option<Expr>, String) {
    let mut found: Vec<(String, &str)> = Vec::new();
    if let Some(g) = group(caps, re, |n| n.starts_with("first_latex")) {
        found.push(g);
    }
    for i in 1..=5 {
        let prefix = format!("next{i}_latex");
        if let Some(g) = group(caps, re, |n| n.starts_with(&prefix)) {
            found.push(g);
        }
    }
    let mut exprs = Vec::new();
    let mut strs = Vec::new();
    for (name, latex) in &found {
        let mut parts = name.split('_');
        let prefix = parts.next().unwrap_or("");
        let group_name = parts.next().unwrap_or("");
        let pct_name = format!("{prefix}_percent");
        let is_pct = caps.name(&pct_name).is_some_and(|m| !m.as_str().is_empty());
        let boxed_last = group_name == "latexBoxed";
        let normalized = crate::mvnorm::normalize_latex(latex, boxed_last);
        let parsed = parse_latex_cached(&normalized).map(|e| {
            if is_pct {
                Expr::Percent(Box::new(e))
            } else {
                e
            }
        });
        strs.push(normalized);
        exprs.push(parsed);
    }
    if exprs.is_empty() {
        return (None, String::new());
    }
    if exprs.len() > 1 && exprs.iter().all(Option::is_some) {
        let mut all = Vec::new();
        for e in exprs.into_iter().flatten() {
            match e {
                Expr::Set(items) => all.extend(items),
                other => all.push(other),
            }
        }
        return (Some(Expr::Set(all)), strs.join(" and "));
    }
    (exprs.swap_remove(0), strs.swap_remove(0))
}

fn extract_expr(caps: &Captures<'_, str>, re: &Regex) -> (Option<Expr>, String) {
    let integer = group(caps, re, |n| n.starts_with("integer"))
        .map(|g| g.1)
        .unwrap_or("");
    let decimal = group(caps, re, |n| n.starts_with("decimal"))
        .map(|g| g.1)
        .unwrap_or("");
    let is_pct = caps.name("percent").is_some_and(|m| !m.as_str().is_empty());
    if !integer.is_empty() || !decimal.is_empty() {
        let mut int: String = integer.chars().filter(|c| *c != ',' && *c != ' ').collect();
        int = int.trim_start_matches('0').to_string();
        if int.is_empty() {
            int = "0".into();
        }
        let dec = decimal.replace(',', ".");
        let text = format!("{int}{dec}");
        let (neg, digits) = match text.strip_prefix('-') {
            Some(r) => (true, r.to_string()),
            None => (false, text.clone()),
        };
        // `Number("-0…")`: a leading zero after the sign stays.
        let digits = if digits.starts_with('.') {
            format!("0{digits}")
        } else {
            digits
        };
        let mut e = if dec.is_empty() {
            Expr::Int(digits)
        } else {
            Expr::Float(digits)
        };
        if neg {
            e = e.negated();
        }
        if is_pct {
            e = Expr::Percent(Box::new(e));
        }
        return (Some(e), text);
    }
    let expr = caps.name("expr").map(|m| m.as_str()).unwrap_or("");
    if expr.is_empty() {
        return (None, String::new());
    }
    let parsed = if expr.contains('×') || expr.contains('÷') {
        None
    } else {
        parse_latex(
            &python_floats(&expr.replace('\n', " ")),
            Dialect::MathVerify { complex: false },
        )
        .ok()
    };
    (parsed, expr.to_string())
}

/// Python number syntax for `parse_expr`: `2.` is the float `2.0`.
fn python_floats(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 2);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && !chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            out.push('0');
        }
    }
    out
}

/// `math_verify.parse(text, extraction_config)`: at most one parsed
/// expression, then the first matched text as a fallback string.
pub fn parse(text: &str, targets: Targets) -> Vec<Parsed> {
    let pats = patterns(targets);
    let mut out = Vec::new();
    let mut fallbacks: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pats.len() {
        let priority = pats[i].priority;
        let mut j = i;
        while j < pats.len() && pats[j].priority == priority {
            j += 1;
        }
        let mut matches: Vec<(usize, usize, Captures<'_, str>, &Pattern)> = Vec::new();
        for p in &pats[i..j] {
            for caps in p.re.captures_iter(text) {
                let Ok(caps) = caps else { break };
                if let Some(m) = caps.get(0) {
                    matches.push((m.start(), m.end(), caps, p));
                }
            }
        }
        // Rightmost end first; for equal ends the leftmost start (stable).
        matches.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut extracted = false;
        for (_, _, caps, p) in &matches {
            let (e, s) = match p.kind {
                Kind::Latex => extract_latex(caps, &p.re),
                Kind::Expr => extract_expr(caps, &p.re),
            };
            if !s.is_empty() {
                fallbacks.push(s);
            }
            if let Some(e) = e {
                out.push(Parsed::Expr(e));
                extracted = true;
                break;
            }
        }
        if extracted {
            break;
        }
        i = j;
    }
    if let Some(f) = fallbacks.into_iter().next() {
        out.push(Parsed::Str(f));
    }
    out
}

/// `math_verify.verify(gold, target)`: any pair equal (expressions by
/// [`math_verify_equal`], strings when both are the same non-empty text).
pub fn verify(gold: &[Parsed], target: &[Parsed]) -> bool {
    gold.iter().any(|g| {
        target.iter().any(|t| match (g, t) {
            (Parsed::Expr(a), Parsed::Expr(b)) => math_verify_equal(a, b),
            (Parsed::Str(a), Parsed::Str(b)) => {
                let (a, b) = (a.trim(), b.trim());
                !a.is_empty() && a == b
            }
            _ => false,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv(gold: &str, pred: &str) -> bool {
        verify(
            &parse(gold, Targets::LatexAndExpr),
            &parse(pred, Targets::LatexAndExpr),
        )
    }

    #[test]
    fn extraction() {
        assert!(mv("so $\\boxed{\\frac12}$", "The answer is 0.5."));
        assert!(mv(
            "$\\boxed{5}$",
            "Final Answer: The final answer is $5$. I hope it is correct."
        ));
        assert!(!mv("$\\boxed{5}$", "the answer is 6"));
        assert!(mv("$\\boxed{(1,2)}$", "$\\boxed{(1, 2)}$"));
        assert_eq!(parse("nothing here", Targets::LatexAndExpr), vec![]);
    }
}
