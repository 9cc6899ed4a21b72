//! NLTK's Punkt sentence tokenizer with its English parameters, as
//! `nltk.sent_tokenize` / `PunktTokenizer("english").tokenize` run it in
//! nltk 3.10.4 (the version the reference was run with).
//!
//! The parameters (abbreviations, collocations, frequent sentence starters,
//! orthographic contexts) are NLTK's official `punkt_tab/english` tables,
//! embedded by `tools/gen_tables.py`. nltk 3.10 compiles every pattern with
//! the third-party `regex` module, whose `\s`, `\S`, `\w` and `\d` are the
//! Unicode (UTS #18) classes that Rust's `char::is_whitespace` and the
//! `regex` crate use. The patterns with lookahead are implemented by hand.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

const ORTHO_BEG_UC: u32 = 1 << 1;
const ORTHO_MID_UC: u32 = 1 << 2;
const ORTHO_UNK_UC: u32 = 1 << 3;
const ORTHO_BEG_LC: u32 = 1 << 4;
const ORTHO_MID_LC: u32 = 1 << 5;
const ORTHO_UNK_LC: u32 = 1 << 6;
const ORTHO_UC: u32 = ORTHO_BEG_UC + ORTHO_MID_UC + ORTHO_UNK_UC;
const ORTHO_LC: u32 = ORTHO_BEG_LC + ORTHO_MID_LC + ORTHO_UNK_LC;

static TABLES_ZLIB: &[u8] = include_bytes!("../data/punkt_english.zlib");

/// The English punkt parameters.
struct Params {
    abbrev_types: HashSet<&'static str>,
    collocations: HashSet<(&'static str, &'static str)>,
    sent_starters: HashSet<&'static str>,
    ortho_context: HashMap<&'static str, u32>,
}

fn params() -> &'static Params {
    static P: OnceLock<Params> = OnceLock::new();
    P.get_or_init(|| {
        let mut p = Params {
            abbrev_types: HashSet::new(),
            collocations: HashSet::new(),
            sent_starters: HashSet::new(),
            ortho_context: HashMap::with_capacity(21_000),
        };
        let text = miniz_oxide::inflate::decompress_to_vec_zlib(TABLES_ZLIB)
            .expect("embedded punkt tables");
        let text: &'static str = Box::leak(
            String::from_utf8(text)
                .expect("utf-8 punkt tables")
                .into_boxed_str(),
        );
        let mut section = "";
        for line in text.lines().skip(1) {
            if line.starts_with('[') && line.ends_with(']') {
                section = line;
                continue;
            }
            match section {
                "[abbrev_types]" => {
                    p.abbrev_types.insert(line);
                }
                "[collocations]" => {
                    if let Some((a, b)) = line.split_once('\t') {
                        p.collocations.insert((a, b));
                    }
                }
                "[sent_starters]" => {
                    p.sent_starters.insert(line);
                }
                "[ortho_context]" => {
                    if let Some((w, f)) = line.rsplit_once('\t') {
                        p.ortho_context.insert(w, f.parse().unwrap_or(0));
                    }
                }
                _ => {}
            }
        }
        p
    })
}

struct Patterns {
    numeric: Regex,
    initial: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        numeric: Regex::new(r"^-?[\.,]?\d[\d,\.-]*\.?$").expect("numeric pattern"),
        initial: Regex::new(r"^[^\W\d]\.$").expect("initial pattern"),
    })
}

// ----- character classes of the punkt patterns --------------------------------

fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

/// `_re_non_word_chars`: `[)";}\]*:@'({[‘’“”«»?!]`.
fn is_non_word(c: char) -> bool {
    matches!(
        c,
        ')' | '"'
            | ';'
            | '}'
            | ']'
            | '*'
            | ':'
            | '@'
            | '\''
            | '('
            | '{'
            | '['
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{ab}'
            | '\u{bb}'
            | '?'
            | '!'
    )
}

/// `_re_word_start`: `[^\(\"\`{\[:;&\#\*@\)}\]\-,]`.
fn is_word_start(c: char) -> bool {
    !matches!(
        c,
        '(' | '"'
            | '`'
            | '{'
            | '['
            | ':'
            | ';'
            | '&'
            | '#'
            | '*'
            | '@'
            | ')'
            | '}'
            | ']'
            | '-'
            | ','
    )
}

/// Length of `_re_multi_char_punct` (`\-{2,}|\.{2,}|(?:\.\s){2,}\.`) matched at `i`.
fn multi_char_at(t: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| t.get(k).copied();
    if at(i) == Some('-') && at(i + 1) == Some('-') {
        let mut j = i;
        while at(j) == Some('-') {
            j += 1;
        }
        return Some(j - i);
    }
    if at(i) == Some('.') && at(i + 1) == Some('.') {
        let mut j = i;
        while at(j) == Some('.') {
            j += 1;
        }
        return Some(j - i);
    }
    // (?:\.\s){2,}\. : greedy pairs, giving one back if no period follows.
    let mut k = 0;
    while at(i + 2 * k) == Some('.') && at(i + 2 * k + 1).is_some_and(is_ws) {
        k += 1;
    }
    while k >= 2 {
        if at(i + 2 * k) == Some('.') {
            return Some(2 * k + 1);
        }
        k -= 1;
    }
    None
}

/// `PunktLanguageVars.word_tokenize` on one line.
fn word_tokenize_line(t: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        if is_ws(c) {
            i += 1;
            continue;
        }
        if let Some(n) = multi_char_at(t, i) {
            out.push(t[i..i + n].iter().collect());
            i += n;
            continue;
        }
        if is_word_start(c) {
            let ends_here = |e: usize| -> bool {
                if e >= t.len() {
                    return true;
                }
                let d = t[e];
                if is_ws(d) || is_non_word(d) || multi_char_at(t, e).is_some() {
                    return true;
                }
                d == ','
                    && (e + 1 >= t.len()
                        || is_ws(t[e + 1])
                        || is_non_word(t[e + 1])
                        || multi_char_at(t, e + 1).is_some())
            };
            let mut e = i + 1;
            while !ends_here(e) {
                e += 1;
            }
            out.push(t[i..e].iter().collect());
            i = e;
            continue;
        }
        out.push(c.to_string());
        i += 1;
    }
    out
}

/// A token with punkt's annotations.
#[derive(Debug)]
struct Token {
    tok: String,
    typ: String,
    period_final: bool,
    sentbreak: bool,
    abbr: bool,
    ellipsis: bool,
}

impl Token {
    fn new(tok: String) -> Token {
        let lower = tok.to_lowercase();
        let typ = if patterns().numeric.is_match(&lower) {
            "##number##".to_string()
        } else {
            lower
        };
        Token {
            period_final: tok.ends_with('.'),
            tok,
            typ,
            sentbreak: false,
            abbr: false,
            ellipsis: false,
        }
    }

    fn type_no_period(&self) -> &str {
        if self.typ.chars().count() > 1 && self.typ.ends_with('.') {
            &self.typ[..self.typ.len() - 1]
        } else {
            &self.typ
        }
    }

    fn type_no_sentperiod(&self) -> &str {
        if self.sentbreak {
            self.type_no_period()
        } else {
            &self.typ
        }
    }

    fn first_upper(&self) -> bool {
        self.tok.chars().next().is_some_and(char::is_uppercase)
    }

    fn first_lower(&self) -> bool {
        self.tok.chars().next().is_some_and(char::is_lowercase)
    }

    fn is_ellipsis(&self) -> bool {
        self.tok.len() >= 2 && self.tok.chars().all(|c| c == '.')
    }

    fn is_initial(&self) -> bool {
        patterns().initial.is_match(&self.tok)
    }
}

fn first_pass(tok: &mut Token, p: &Params) {
    let t = tok.tok.as_str();
    if t == "." || t == "?" || t == "!" {
        tok.sentbreak = true;
    } else if tok.is_ellipsis() {
        tok.ellipsis = true;
    } else if tok.period_final && !t.ends_with("..") {
        let stem = t[..t.len() - 1].to_lowercase();
        let last = stem.rsplit('-').next().unwrap_or("");
        if p.abbrev_types.contains(stem.as_str()) || p.abbrev_types.contains(last) {
            tok.abbr = true;
        } else {
            tok.sentbreak = true;
        }
    }
}

#[derive(PartialEq)]
enum Ortho {
    Yes,
    No,
    Unknown,
}

fn ortho_heuristic(tok: &Token, p: &Params) -> Ortho {
    if matches!(tok.tok.as_str(), ";" | ":" | "," | "." | "!" | "?") {
        return Ortho::No;
    }
    let oc = p
        .ortho_context
        .get(tok.type_no_sentperiod())
        .copied()
        .unwrap_or(0);
    if tok.first_upper() && oc & ORTHO_LC != 0 && oc & ORTHO_MID_UC == 0 {
        return Ortho::Yes;
    }
    if tok.first_lower() && (oc & ORTHO_UC != 0 || oc & ORTHO_BEG_LC == 0) {
        return Ortho::No;
    }
    Ortho::Unknown
}

fn second_pass(tok1: &mut Token, tok2: &Token, p: &Params) {
    if !tok1.period_final {
        return;
    }
    let typ = tok1.type_no_period().to_string();
    let next_typ = tok2.type_no_sentperiod();
    let initial = tok1.is_initial();
    if p.collocations.contains(&(typ.as_str(), next_typ)) {
        tok1.sentbreak = false;
        tok1.abbr = true;
        return;
    }
    if (tok1.abbr || tok1.ellipsis) && !initial {
        if ortho_heuristic(tok2, p) == Ortho::Yes {
            tok1.sentbreak = true;
            return;
        }
        if tok2.first_upper() && p.sent_starters.contains(next_typ) {
            tok1.sentbreak = true;
            return;
        }
    }
    if initial || typ == "##number##" {
        let o = ortho_heuristic(tok2, p);
        if o == Ortho::No {
            tok1.sentbreak = false;
            tok1.abbr = true;
            return;
        }
        if o == Ortho::Unknown
            && initial
            && tok2.first_upper()
            && p.ortho_context.get(next_typ).copied().unwrap_or(0) & ORTHO_LC == 0
        {
            tok1.sentbreak = false;
            tok1.abbr = true;
        }
    }
}

/// `text_contains_sentbreak`: some token other than the last is a sentence break.
fn text_contains_sentbreak(text: &[char]) -> bool {
    let p = params();
    let mut tokens: Vec<Token> = Vec::new();
    for line in text.split(|&c| c == '\n') {
        if line.iter().all(|&c| scorebox_sdk::pyunicode::is_space(c)) {
            continue;
        }
        tokens.extend(word_tokenize_line(line).into_iter().map(Token::new));
    }
    for t in &mut tokens {
        first_pass(t, p);
    }
    let n = tokens.len();
    for i in 0..n {
        if i + 1 < n {
            let (a, b) = tokens.split_at_mut(i + 1);
            second_pass(&mut a[i], &b[0], p);
        }
        if tokens[i].sentbreak && i + 1 < n {
            return true;
        }
    }
    false
}

/// One `period_context_re` match: the sentence-end character at `at`, the
/// end of its `after_tok` group, and where `next_tok` starts (if it matched).
struct EndContext {
    at: usize,
    after_end: usize,
    next_tok: Option<usize>,
}

fn period_contexts(t: &[char]) -> Vec<EndContext> {
    let mut out = Vec::new();
    for i in 0..t.len() {
        if !matches!(t[i], '.' | '?' | '!') {
            continue;
        }
        let Some(&n) = t.get(i + 1) else { continue };
        if is_non_word(n) {
            out.push(EndContext {
                at: i,
                after_end: i + 2,
                next_tok: None,
            });
            continue;
        }
        if is_ws(n) {
            let mut j = i + 1;
            while j < t.len() && is_ws(t[j]) {
                j += 1;
            }
            if j < t.len() {
                let mut k = j;
                while k < t.len() && !is_ws(t[k]) {
                    k += 1;
                }
                out.push(EndContext {
                    at: i,
                    after_end: k,
                    next_tok: Some(j),
                });
            }
        }
    }
    out
}

/// `string.whitespace`.
fn is_ascii_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `_slices_from_text` (with `_match_potential_end_contexts`), in characters.
fn slices_from_text(t: &[char]) -> Vec<(usize, usize)> {
    let mut slices = Vec::new();
    let mut last_break = 0;
    let mut candidates: Vec<(&EndContext, (usize, usize))> = Vec::new();
    let contexts = period_contexts(t);
    let mut prev: Option<(&EndContext, (usize, usize))> = None;
    for m in &contexts {
        let (prev_start, prev_stop) = prev.map_or((0, 0), |(_, s)| s);
        let before = &t[prev_stop..m.at];
        // `_get_last_whitespace_index`: 0 when none (or when it is the first character).
        let idx = before.iter().rposition(|&c| is_ascii_ws(c)).unwrap_or(0);
        let word_start = if idx != 0 {
            idx + prev_stop + 1
        } else {
            prev_start
        };
        if let Some((pm, ps)) = prev
            && ps.1 <= word_start
        {
            candidates.push((pm, ps));
        }
        prev = Some((m, (word_start, m.at)));
    }
    if let Some(last) = prev {
        candidates.push(last);
    }
    for (m, (s, e)) in candidates {
        // context = text[previous_slice] + match + after_tok
        let mut context: Vec<char> = t[s..e].to_vec();
        context.extend_from_slice(&t[m.at..m.after_end]);
        if text_contains_sentbreak(&context) {
            slices.push((last_break, m.at + 1));
            last_break = m.next_tok.unwrap_or(m.at + 1);
        }
    }
    let end = t.len()
        - t.iter()
            .rev()
            .take_while(|&&c| scorebox_sdk::pyunicode::is_space(c))
            .count();
    slices.push((last_break, end));
    slices
}

/// `re_boundary_realignment.match(s)`: `["')\]}‘’“”«»]+?(?:\s+|(?=--)|$)`
/// (MULTILINE); the whole match's length and its length without trailing
/// whitespace.
fn boundary_realignment(s: &[char]) -> Option<(usize, usize)> {
    let closing = |c: char| {
        matches!(
            c,
            '"' | '\''
                | ')'
                | ']'
                | '}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201c}'
                | '\u{201d}'
                | '\u{ab}'
                | '\u{bb}'
        )
    };
    let mut k = 0;
    // Lazy: the fewest closing characters after which the rest matches.
    while k < s.len() && closing(s[k]) {
        k += 1;
        let mut j = k;
        while j < s.len() && is_ws(s[j]) {
            j += 1;
        }
        if j > k {
            // `group(0).rstrip()` drops exactly the whitespace run.
            return Some((j, k));
        }
        if (s.get(k) == Some(&'-') && s.get(k + 1) == Some(&'-')) || k == s.len() || s[k] == '\n' {
            return Some((k, k));
        }
    }
    None
}

/// `_realign_boundaries`.
fn realign_boundaries(t: &[char], slices: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut realign = 0;
    for i in 0..slices.len() {
        let (s1, e1) = slices[i];
        let s1 = s1 + realign;
        let nonempty = s1 < e1;
        let Some(&(s2, e2)) = slices.get(i + 1) else {
            if nonempty {
                out.push((s1, e1));
            }
            continue;
        };
        let s2_text = if s2 < e2 { &t[s2..e2] } else { &t[0..0] };
        if let Some((end, stripped)) = boundary_realignment(s2_text) {
            out.push((s1, s2 + stripped));
            realign = end;
        } else {
            realign = 0;
            if nonempty {
                out.push((s1, e1));
            }
        }
    }
    out
}

/// `sent_tokenize(text)`: the sentences, as character spans of `text`.
pub fn sentence_spans(text: &[char]) -> Vec<(usize, usize)> {
    realign_boundaries(text, slices_from_text(text))
}

/// `sent_tokenize(text)`: the sentences.
pub fn sent_tokenize(text: &str) -> Vec<String> {
    let t: Vec<char> = text.chars().collect();
    sentence_spans(&t)
        .into_iter()
        .map(|(s, e)| {
            if s < e {
                t[s..e].iter().collect()
            } else {
                String::new()
            }
        })
        .collect()
}

/// `len(sent_tokenize(text))`, as IFEval's `count_sentences`.
pub fn count_sentences(text: &str) -> usize {
    let t: Vec<char> = text.chars().collect();
    sentence_spans(&t).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_nltk() {
        // nltk 3.10.4 sent_tokenize, punkt_tab english.
        assert_eq!(
            sent_tokenize("Hello world. This is Dr. Smith. He arrived at 5 p.m. yesterday."),
            [
                "Hello world.",
                "This is Dr. Smith.",
                "He arrived at 5 p.m. yesterday."
            ]
        );
        assert_eq!(
            sent_tokenize("(Sent one.) Sent two."),
            ["(Sent one.)", "Sent two."]
        );
        assert_eq!(
            sent_tokenize("Wait... What? Yes!"),
            ["Wait... What?", "Yes!"]
        );
        assert_eq!(count_sentences(""), 0);
        assert_eq!(count_sentences("   "), 0);
    }

    #[test]
    fn word_tokens() {
        let t: Vec<char> = "Hello, world... (a) -- b. c.d".chars().collect();
        assert_eq!(
            word_tokenize_line(&t),
            [
                "Hello", ",", "world", "...", "(", "a", ")", "--", "b.", "c.d"
            ]
        );
    }
}
