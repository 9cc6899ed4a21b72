//! `nltk.word_tokenize` (nltk 3.10.4): Punkt sentences, each split by the
//! improved Treebank tokenizer (`NLTKWordTokenizer`).
//!
//! The rules are applied in NLTK's order. nltk 3.10 compiles them with the
//! `regex` module (Unicode `\s`/`\w`, as the `regex` crate); the MacIntyre
//! contractions are compiled with the standard `re`, whose `\b` follows
//! Python's `str.isalnum` (the SDK's `pyunicode`). The one rule with
//! look-behind and look-ahead (a leading `'`) is written by hand.

use std::sync::OnceLock;

use regex::Regex;
use scorebox_sdk::pyunicode;

use crate::punkt;

/// A substitution, and the characters without which it cannot match (a
/// cheap test that skips most passes over most sentences).
type Rule = (Regex, &'static str, &'static str);

struct Rules {
    starting: Vec<Rule>,
    punctuation: Vec<Rule>,
    parens: Regex,
    ending: Vec<Rule>,
    word: Regex,
}

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| {
        let r = |p: &str| Regex::new(p).expect("treebank pattern");
        Rules {
            starting: vec![
                (r("([«“‘„]|[`]+)"), " $1 ", "«“‘„`"),
                (r("^\""), "``", "\""),
                (r("(``)"), " $1 ", "`"),
                (r("([ \\(\\[{<])(\"|'{2})"), "$1 `` ", "\"'"),
            ],
            punctuation: vec![
                // `[...]*+` (possessive) behaves as greedy here: the class
                // and `\s*$` only share the space, and giving it back never
                // changes whether the rest matches.
                (
                    r("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$"),
                    "$1 $2 $3 ",
                    ".",
                ),
                (r("([:,])([^\\d])"), " $1 $2", ":,"),
                (r("([:,])$"), " $1 ", ":,"),
                (r("\\.{2,}"), " $0 ", "."),
                (r("[;@#$%&]"), " $0 ", ";@#$%&"),
                (
                    r("[\u{2012}-\u{2015}]"),
                    " $0 ",
                    "\u{2012}\u{2013}\u{2014}\u{2015}",
                ),
                (r("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$"), "$1 $2$3 ", "."),
                (r("[?!]"), " $0 ", "?!"),
                (r("([^'])' "), "$1 ' ", "'"),
                (r("[*]"), " $0 ", "*"),
            ],
            parens: r("[\\]\\[\\(\\)\\{\\}<>]"),
            ending: vec![
                (r("([»”’])"), " $1 ", "»”’"),
                (r("''"), " '' ", "'"),
                (r("\""), " '' ", "\""),
                (r("\\s+"), " ", ""),
                (r("([^' ])('[sS]|'[mM]|'[dD]|') "), "$1 $2 ", "'"),
                (
                    r("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "),
                    "$1 $2 ",
                    "'",
                ),
            ],
            word: r("\\w"),
        }
    })
}

/// Python `re.sub` with every match replaced, repeated from left to right
/// (the `regex` crate's `replace_all` has the same semantics).
fn sub(rule: &Rule, text: String) -> String {
    let (re, rep, needs) = rule;
    if !needs.is_empty() && !text.contains(|c: char| needs.contains(c)) {
        return text;
    }
    match re.replace_all(&text, *rep) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(s) => s,
    }
}

/// `(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)` → `\1 `.
fn split_leading_apostrophes(text: &str) -> String {
    let word = &rules().word;
    let is_w = |c: char| {
        let mut b = [0u8; 4];
        word.is_match(c.encode_utf8(&mut b))
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if c != '\'' {
            continue;
        }
        if i > 0 && is_w(chars[i - 1]) {
            continue;
        }
        if !chars.get(i + 1).copied().is_some_and(is_w) {
            continue;
        }
        let rest = &chars[i + 1..];
        let excluded = ["re", "ve", "ll", "m", "t", "s", "d", "n"].iter().any(|s| {
            let n = s.len();
            rest.len() >= n
                && rest[..n]
                    .iter()
                    .zip(s.chars())
                    .all(|(a, b)| a.to_lowercase().eq(std::iter::once(b)))
                && !rest.get(n).copied().is_some_and(is_w)
        });
        if !excluded {
            out.push(' ');
        }
    }
    out
}

/// One MacIntyre contraction rule (`re`, IGNORECASE): `pre` + `a` + `b`,
/// matched case-insensitively; `pre` is `\b` (or a literal space for the
/// `'tis`/`'twas` rules) and the end is `\b` (or `(?=\s)` for `wanna`);
/// replaced by ` a b `.
fn contraction(text: &str, lead_space: bool, a: &str, b: &str, end_ws: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let pat: Vec<char> = a.chars().chain(b.chars()).collect();
    let a_len = a.chars().count();
    let lead = usize::from(lead_space);
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    // Byte offsets of each char, for Python's `\b` test.
    let mut offsets: Vec<usize> = text.char_indices().map(|(o, _)| o).collect();
    offsets.push(text.len());
    let eq = |x: char, y: char| x == y || x.to_lowercase().eq(y.to_lowercase());
    while i < chars.len() {
        let start_ok = if lead_space {
            chars[i] == ' '
        } else {
            pyunicode::is_word_boundary(text, offsets[i])
        };
        let n = lead + pat.len();
        if start_ok
            && i + n <= chars.len()
            && chars[i + lead..i + n]
                .iter()
                .zip(&pat)
                .all(|(&x, &y)| eq(x, y))
        {
            let end = i + n;
            let end_ok = if end_ws {
                chars.get(end).copied().is_some_and(pyunicode::is_space)
            } else {
                pyunicode::is_word_boundary(text, offsets[end])
            };
            if end_ok {
                out.push(' ');
                out.extend(&chars[i + lead..i + lead + a_len]);
                out.push(' ');
                out.extend(&chars[i + lead + a_len..end]);
                out.push(' ');
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `NLTKWordTokenizer().tokenize(text)` on one sentence.
pub fn treebank_tokenize(text: &str) -> Vec<String> {
    let r = rules();
    let mut text = text.to_string();
    for rule in &r.starting {
        text = sub(rule, text);
    }
    if text.contains('\'') {
        text = split_leading_apostrophes(&text);
    }
    for rule in &r.punctuation {
        text = sub(rule, text);
    }
    if text.contains(|c: char| "[](){}<>".contains(c)) {
        text = r.parens.replace_all(&text, " $0 ").into_owned();
    }
    text = text.replace("--", " -- ");
    text = format!(" {text} ");
    for rule in &r.ending {
        text = sub(rule, text);
    }
    // The contractions need their letters; most sentences have none of them.
    let lower = text.to_lowercase();
    for (a, b, end_ws) in [
        ("can", "not", false),
        ("d", "'ye", false),
        ("gim", "me", false),
        ("gon", "na", false),
        ("got", "ta", false),
        ("lem", "me", false),
        ("more", "'n", false),
        ("wan", "na", true),
    ] {
        if lower.contains(&format!("{a}{b}")) {
            text = contraction(&text, false, a, b, end_ws);
        }
    }
    for (a, b) in [("'t", "is"), ("'t", "was")] {
        if lower.contains(&format!(" {a}{b}")) {
            text = contraction(&text, true, a, b, false);
        }
    }
    text.split(pyunicode::is_space)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The number of tokens of `nltk.word_tokenize(text)` for which Python's
/// `str.isupper()` holds (IFEval's capital-word count). Sentences are
/// tokenized once per thread and remembered: the loose variants of a
/// response share most of their sentences.
pub fn count_capital_words(text: &str) -> usize {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, usize>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    punkt::sent_tokenize(text)
        .into_iter()
        .map(|s| {
            // A sentence without an upper-case letter has no upper-case token.
            if !s.chars().any(char::is_uppercase) {
                return 0;
            }
            CACHE.with(|c| {
                if let Some(&n) = c.borrow().get(&s) {
                    return n;
                }
                let n = treebank_tokenize(&s)
                    .iter()
                    .filter(|w| crate::pytext::is_upper(w))
                    .count();
                let mut c = c.borrow_mut();
                if c.len() > 1024 {
                    c.clear();
                }
                c.insert(s, n);
                n
            })
        })
        .sum()
}

/// `nltk.word_tokenize(text)`: Punkt sentences, then the Treebank rules.
pub fn word_tokenize(text: &str) -> Vec<String> {
    punkt::sent_tokenize(text)
        .iter()
        .flat_map(|s| treebank_tokenize(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_like_nltk() {
        // nltk 3.10.4 word_tokenize.
        assert_eq!(
            word_tokenize(
                "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks."
            ),
            [
                "Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in",
                "New", "York", ".", "Please", "buy", "me", "two", "of", "them", ".", "Thanks", "."
            ]
        );
        assert_eq!(
            word_tokenize("I'M GONNA say CANNOT."),
            ["I", "'M", "GON", "NA", "say", "CAN", "NOT", "."]
        );
        assert_eq!(
            word_tokenize("'Twas \"fine\", 'ok'"),
            ["'", "Twas", "``", "fine", "''", ",", "'", "ok", "'"]
        );
    }
}
