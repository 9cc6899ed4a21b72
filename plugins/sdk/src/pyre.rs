//! A small backtracking regular-expression engine with Python `re` semantics,
//! for the patterns reference scorers use (lm-evaluation-harness filters,
//! official answer parsers).
//!
//! Python's `re` is a backtracking engine: the leftmost match wins, and at
//! one position alternatives are tried in order and quantifiers greedily
//! (or lazily). The `regex` crate finds the same leftmost match but has no
//! lookaround, and its `\b`, `\s` and `\w` follow other Unicode rules. This
//! module reproduces `re` for str patterns without flags:
//!
//! * literals and escapes (`\(`, `\.`, `\\`, `\n`, `\t`, `\r`, `\ `, ...), `.`
//!   (anything but `\n`), classes `[...]`/`[^...]` with ranges and `\s \S \w \W`;
//! * `\s`, `\w`, `\b`, `\B` with CPython's character tables
//!   ([`crate::pyunicode`]), `^` (start of text), `$` (end of text or before
//!   a final `\n`), `\A`, `\Z`;
//! * groups `(...)`, `(?:...)`, the `regex` module's branch reset `(?|...)`
//!   when it holds no capturing group, lookahead `(?=...)`/`(?!...)`,
//!   fixed-width lookbehind `(?<=...)`/`(?<!...)`;
//! * `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`, each greedy or lazy (`*?`).
//!
//! `\d` is refused (Python's is every Unicode decimal digit; write `[0-9]`
//! when that is what the reference means). Positions are counted in
//! characters (code points), as Python's are.
//!
//! [`Regex::findall`], [`Regex::finditer`] and [`Regex::sub`] follow CPython
//! 3.7+ for empty matches: a match may be empty, and after an empty match
//! the next one may start at the same position only if it is not empty.

use crate::pyunicode::{is_space, is_word};

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    root: Node,
    groups: usize,
    pattern: String,
}

/// One match: its span and the spans of its groups, in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Start of the whole match (character index).
    pub start: usize,
    /// End of the whole match (character index, exclusive).
    pub end: usize,
    /// Spans of groups 1..=n (`None`: the group did not take part).
    pub groups: Vec<Option<(usize, usize)>>,
}

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Char(char),
    Any,
    Set(Set),
    Start,
    End,
    EndOfText,
    WordBoundary(bool),
    Group(Box<Node>, Option<usize>),
    Look {
        node: Box<Node>,
        ahead: bool,
        negate: bool,
        width: usize,
    },
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: usize,
        max: usize,
        greedy: bool,
    },
}

#[derive(Clone, Debug)]
struct Set {
    negate: bool,
    items: Vec<SetItem>,
}

#[derive(Clone, Copy, Debug)]
enum SetItem {
    Range(char, char),
    Space(bool),
    Word(bool),
}

impl Set {
    fn matches(&self, c: char) -> bool {
        let hit = self.items.iter().any(|item| match *item {
            SetItem::Range(a, b) => a <= c && c <= b,
            SetItem::Space(yes) => is_space(c) == yes,
            SetItem::Word(yes) => is_word(c) == yes,
        });
        hit != self.negate
    }
}

type Caps = Vec<Option<(usize, usize)>>;

struct Parser<'a> {
    p: &'a [char],
    i: usize,
    groups: usize,
}

impl Parser<'_> {
    fn err<T>(&self, msg: &str) -> Result<T, String> {
        Err(format!("{msg} at position {}", self.i))
    }

    fn peek(&self) -> Option<char> {
        self.p.get(self.i).copied()
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.p.len() >= self.i + n && self.p[self.i..self.i + n].iter().copied().eq(s.chars()) {
            self.i += n;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.i += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i == start {
            return None;
        }
        self.p[start..self.i]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}`; `None` (and no input consumed) when
    /// the brace is a literal, as Python treats it.
    fn braces(&mut self) -> Option<(usize, usize)> {
        let save = self.i;
        self.i += 1;
        let min = self.number();
        let result = if self.eat(",") {
            let max = self.number();
            Some((min.unwrap_or(0), max.unwrap_or(usize::MAX)))
        } else {
            min.map(|m| (m, m))
        };
        if result.is_some() && self.eat("}") {
            result
        } else {
            self.i = save;
            None
        }
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.i += 1;
                (0, usize::MAX)
            }
            Some('+') => {
                self.i += 1;
                (1, usize::MAX)
            }
            Some('?') => {
                self.i += 1;
                (0, 1)
            }
            Some('{') => match self.braces() {
                Some(b) => b,
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        if min > max {
            return self.err("min repeat greater than max repeat");
        }
        if matches!(
            atom,
            Node::Start | Node::End | Node::EndOfText | Node::WordBoundary(_) | Node::Look { .. }
        ) {
            return self.err("nothing to repeat");
        }
        let greedy = !self.eat("?");
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return self.err("multiple repeat");
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return self.err("unexpected end of pattern");
        };
        self.i += 1;
        match c {
            '(' => self.group(),
            '[' => self.set().map(Node::Set),
            '.' => Ok(Node::Any),
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '*' | '+' | '?' => self.err("nothing to repeat"),
            '\\' => self.escape(),
            other => Ok(Node::Char(other)),
        }
    }

    fn group(&mut self) -> Result<Node, String> {
        let node = if self.eat("?:") {
            Node::Group(Box::new(self.alternation()?), None)
        } else if self.eat("?|") {
            let before = self.groups;
            let inner = self.alternation()?;
            if self.groups != before {
                return self.err("branch reset groups with captures are not supported");
            }
            Node::Group(Box::new(inner), None)
        } else if self.eat("?=") || self.eat("?!") {
            let negate = self.p[self.i - 1] == '!';
            let inner = self.alternation()?;
            Node::Look {
                node: Box::new(inner),
                ahead: true,
                negate,
                width: 0,
            }
        } else if self.eat("?<=") || self.eat("?<!") {
            let negate = self.p[self.i - 1] == '!';
            let inner = self.alternation()?;
            let Some(width) = width(&inner) else {
                return self.err("look-behind requires fixed-width pattern");
            };
            Node::Look {
                node: Box::new(inner),
                ahead: false,
                negate,
                width,
            }
        } else if self.peek() == Some('?') {
            return self.err("unsupported group extension");
        } else {
            self.groups += 1;
            let index = self.groups;
            Node::Group(Box::new(self.alternation()?), Some(index))
        };
        if !self.eat(")") {
            return self.err("missing ), unterminated subpattern");
        }
        Ok(node)
    }

    /// An escape outside a class.
    fn escape(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return self.err("bad escape (end of pattern)");
        };
        self.i += 1;
        Ok(match c {
            'b' => Node::WordBoundary(true),
            'B' => Node::WordBoundary(false),
            'A' => Node::Start,
            'Z' => Node::EndOfText,
            's' | 'S' | 'w' | 'W' => Node::Set(Set {
                negate: false,
                items: vec![class_item(c)],
            }),
            other => Node::Char(self.escaped_char(other)?),
        })
    }

    /// The character an escape `\c` stands for (not a class).
    fn escaped_char(&self, c: char) -> Result<char, String> {
        Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\x0c',
            'v' => '\x0b',
            'a' => '\x07',
            'd' | 'D' => return self.err("`\\d` is not supported (use [0-9])"),
            c if c.is_ascii_alphanumeric() => return self.err(&format!("bad escape \\{c}")),
            c => c,
        })
    }

    fn set(&mut self) -> Result<Set, String> {
        let negate = self.eat("^");
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return self.err("unterminated character set");
            };
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            self.i += 1;
            let lo = if c == '\\' {
                let Some(e) = self.peek() else {
                    return self.err("bad escape (end of pattern)");
                };
                self.i += 1;
                if matches!(e, 's' | 'S' | 'w' | 'W') {
                    items.push(class_item(e));
                    continue;
                }
                self.escaped_char(e)?
            } else {
                c
            };
            // A range `a-z`, unless the `-` is the last character of the set.
            if self.peek() == Some('-') && self.p.get(self.i + 1).is_some_and(|&n| n != ']') {
                self.i += 1;
                let Some(h) = self.peek() else {
                    return self.err("unterminated character set");
                };
                self.i += 1;
                let hi = if h == '\\' {
                    let Some(e) = self.peek() else {
                        return self.err("bad escape (end of pattern)");
                    };
                    self.i += 1;
                    self.escaped_char(e)?
                } else {
                    h
                };
                if hi < lo {
                    return self.err("bad character range");
                }
                items.push(SetItem::Range(lo, hi));
            } else {
                items.push(SetItem::Range(lo, lo));
            }
        }
        Ok(Set { negate, items })
    }
}

fn class_item(c: char) -> SetItem {
    match c {
        's' => SetItem::Space(true),
        'S' => SetItem::Space(false),
        'w' => SetItem::Word(true),
        _ => SetItem::Word(false),
    }
}

/// The fixed width of a node, if it has one.
fn width(node: &Node) -> Option<usize> {
    match node {
        Node::Empty
        | Node::Start
        | Node::End
        | Node::EndOfText
        | Node::WordBoundary(_)
        | Node::Look { .. } => Some(0),
        Node::Char(_) | Node::Any | Node::Set(_) => Some(1),
        Node::Group(n, _) => width(n),
        Node::Concat(items) => items.iter().map(width).sum(),
        Node::Alt(branches) => {
            let w = width(&branches[0])?;
            branches.iter().all(|b| width(b) == Some(w)).then_some(w)
        }
        Node::Repeat { node, min, max, .. } => {
            (min == max).then_some(())?;
            width(node)?.checked_mul(*min)
        }
    }
}

impl Regex {
    /// Compiles `pattern` (Python `re.compile(pattern)`, no flags).
    ///
    /// # Errors
    /// Returns a message naming the problem and its position, as Python's
    /// `re.error` would, or saying that a construct is not supported.
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser {
            p: &chars,
            i: 0,
            groups: 0,
        };
        let root = parser.alternation()?;
        if parser.i != chars.len() {
            return parser.err("unbalanced parenthesis");
        }
        Ok(Regex {
            root,
            groups: parser.groups,
            pattern: pattern.to_string(),
        })
    }

    /// The pattern it was compiled from.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The number of capturing groups.
    pub fn group_count(&self) -> usize {
        self.groups
    }

    /// Python `re.search(pattern, text)`: the leftmost match.
    pub fn search(&self, text: &str) -> Option<Match> {
        let s: Vec<char> = text.chars().collect();
        self.search_at(&s, 0, false)
    }

    /// Whether [`Regex::search`] finds a match.
    pub fn is_match(&self, text: &str) -> bool {
        self.search(text).is_some()
    }

    /// Python `re.finditer(pattern, text)`.
    pub fn finditer(&self, text: &str) -> Vec<Match> {
        let s: Vec<char> = text.chars().collect();
        self.iter_chars(&s)
    }

    /// Python `re.findall(pattern, text)`: per match, the whole match when
    /// the pattern has no group, else the groups' texts (`""` for a group
    /// that did not take part). With one group, Python returns the string
    /// itself: take `item[0]`; with several, Python returns a tuple.
    pub fn findall(&self, text: &str) -> Vec<Vec<String>> {
        let s: Vec<char> = text.chars().collect();
        let slice = |span: Option<(usize, usize)>| {
            span.map_or_else(String::new, |(a, b)| s[a..b].iter().collect())
        };
        self.iter_chars(&s)
            .into_iter()
            .map(|m| {
                if self.groups == 0 {
                    vec![slice(Some((m.start, m.end)))]
                } else {
                    m.groups.iter().map(|g| slice(*g)).collect()
                }
            })
            .collect()
    }

    /// Python `re.sub(pattern, replacement, text)` with a literal
    /// replacement (no group references).
    pub fn sub(&self, replacement: &str, text: &str) -> String {
        let s: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in self.iter_chars(&s) {
            out.extend(&s[last..m.start]);
            out.push_str(replacement);
            last = m.end;
        }
        out.extend(&s[last..]);
        out
    }

    /// The text of a span of `text` (character indices), e.g. a [`Match`] group.
    pub fn slice(text: &str, span: (usize, usize)) -> String {
        text.chars().skip(span.0).take(span.1 - span.0).collect()
    }

    fn iter_chars(&self, s: &[char]) -> Vec<Match> {
        let mut out = Vec::new();
        let mut pos = 0;
        let mut must_advance = false;
        while pos <= s.len() {
            let Some(m) = self.search_at(s, pos, must_advance) else {
                break;
            };
            must_advance = m.end == m.start;
            pos = m.end;
            out.push(m);
        }
        out
    }

    /// The leftmost match starting at or after `start`; with `must_advance`,
    /// a match at `start` must not be empty (CPython's rule after an empty match).
    fn search_at(&self, s: &[char], start: usize, must_advance: bool) -> Option<Match> {
        for p in start..=s.len() {
            let mut caps: Caps = vec![None; self.groups + 1];
            let mut found: Option<(usize, Caps)> = None;
            let ok = self.m(&self.root, s, p, &mut caps, &mut |j, caps| {
                if must_advance && p == start && j == start {
                    return false;
                }
                found = Some((j, caps.clone()));
                true
            });
            if ok && let Some((end, caps)) = found {
                return Some(Match {
                    start: p,
                    end,
                    groups: caps[1..].to_vec(),
                });
            }
        }
        None
    }

    fn single(node: &Node, c: char) -> Option<bool> {
        match node {
            Node::Char(x) => Some(*x == c),
            Node::Any => Some(c != '\n'),
            Node::Set(set) => Some(set.matches(c)),
            _ => None,
        }
    }

    fn is_single(node: &Node) -> bool {
        matches!(node, Node::Char(_) | Node::Any | Node::Set(_))
    }

    fn m(
        &self,
        node: &Node,
        s: &[char],
        i: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(usize, &mut Caps) -> bool,
    ) -> bool {
        match node {
            Node::Empty => k(i, caps),
            Node::Char(_) | Node::Any | Node::Set(_) => {
                if i < s.len() && Self::single(node, s[i]) == Some(true) {
                    k(i + 1, caps)
                } else {
                    false
                }
            }
            Node::Start => i == 0 && k(i, caps),
            Node::End => (i == s.len() || (i + 1 == s.len() && s[i] == '\n')) && k(i, caps),
            Node::EndOfText => i == s.len() && k(i, caps),
            Node::WordBoundary(want) => {
                let before = i > 0 && is_word(s[i - 1]);
                let after = i < s.len() && is_word(s[i]);
                ((before != after) == *want) && k(i, caps)
            }
            Node::Group(inner, None) => self.m(inner, s, i, caps, k),
            Node::Group(inner, Some(g)) => {
                let g = *g;
                self.m(inner, s, i, caps, &mut |j, caps| {
                    let saved = caps[g];
                    caps[g] = Some((i, j));
                    if k(j, caps) {
                        return true;
                    }
                    caps[g] = saved;
                    false
                })
            }
            Node::Look {
                node,
                ahead,
                negate,
                width,
            } => {
                let mut inner_caps = caps.clone();
                let hit = if *ahead {
                    self.m(node, s, i, &mut inner_caps, &mut |_, _| true)
                } else if i >= *width {
                    self.m(node, s, i - width, &mut inner_caps, &mut |j, _| j == i)
                } else {
                    false
                };
                if hit == *negate {
                    return false;
                }
                if !*negate {
                    // Python keeps the groups a positive lookaround set.
                    let saved = std::mem::replace(caps, inner_caps);
                    if k(i, caps) {
                        return true;
                    }
                    *caps = saved;
                    return false;
                }
                k(i, caps)
            }
            Node::Concat(items) => self.seq(items, s, i, caps, k),
            Node::Alt(branches) => branches.iter().any(|b| self.m(b, s, i, caps, k)),
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                if Self::is_single(node) {
                    let mut n = 0;
                    while n < *max && i + n < s.len() && Self::single(node, s[i + n]) == Some(true)
                    {
                        n += 1;
                    }
                    if n < *min {
                        return false;
                    }
                    if *greedy {
                        (*min..=n).rev().any(|c| k(i + c, caps))
                    } else {
                        (*min..=n).any(|c| k(i + c, caps))
                    }
                } else {
                    self.rep(node, *min, *max, *greedy, 0, s, i, caps, k)
                }
            }
        }
    }

    fn seq(
        &self,
        items: &[Node],
        s: &[char],
        i: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(usize, &mut Caps) -> bool,
    ) -> bool {
        match items.split_first() {
            None => k(i, caps),
            Some((first, rest)) => self.m(first, s, i, caps, &mut |j, caps| {
                self.seq(rest, s, j, caps, k)
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rep(
        &self,
        node: &Node,
        min: usize,
        max: usize,
        greedy: bool,
        count: usize,
        s: &[char],
        i: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(usize, &mut Caps) -> bool,
    ) -> bool {
        let more = |caps: &mut Caps, k: &mut dyn FnMut(usize, &mut Caps) -> bool| {
            count < max
                && self.m(node, s, i, caps, &mut |j, caps| {
                    // An empty iteration past the minimum ends the loop.
                    if j == i && count >= min {
                        return false;
                    }
                    self.rep(node, min, max, greedy, count + 1, s, j, caps, k)
                })
        };
        // Greedy tries one more iteration first, lazy the rest of the pattern.
        let done_here = count >= min;
        if !greedy && done_here && k(i, caps) {
            return true;
        }
        if more(caps, k) {
            return true;
        }
        greedy && done_here && k(i, caps)
    }
}

/// Python `re.escape(s)` (3.7+): every character of
/// `()[]{}?*+-|^$\.&~# \t\n\r\v\f` preceded by a backslash.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\x0b\x0c".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findall(p: &str, t: &str) -> Vec<Vec<String>> {
        Regex::new(p).unwrap().findall(t)
    }

    fn one(p: &str, t: &str) -> Vec<String> {
        findall(p, t).into_iter().map(|mut v| v.remove(0)).collect()
    }

    #[test]
    fn lookbehind_and_last_character_drop() {
        let p = "(?<=the answer is )(.*)(?=.)";
        // python3: re.findall(p, t)
        assert_eq!(one(p, "so the answer is (B)."), ["(B)"]);
        assert_eq!(one(p, "so the answer is (B)"), ["(B"]);
        assert_eq!(one(p, "so the answer is 6"), [""]);
        assert_eq!(one(p, "the answer is (B).\nthe answer is C."), ["(B)", "C"]);
        assert!(one(p, "The answer is (B).").is_empty());
        assert_eq!(
            one(p, "the answer is the answer is X"),
            ["the answer is ", ""]
        );
    }

    #[test]
    fn tuples_from_alternation() {
        let p = "((?<=The answer is )(.*)(?=.)|(?<=the answer is )(.*)(?=.))";
        assert_eq!(findall(p, "x the answer is (A)."), [vec!["(A)", "", "(A)"]]);
        assert_eq!(findall(p, "The answer is 6"), [vec!["", "", ""]]);
    }

    #[test]
    fn word_boundaries_and_classes() {
        assert_eq!(
            one(r"\b(True|False)\b", "True, not False; Falsehood"),
            ["True", "False"]
        );
        assert_eq!(one(r"(\([A-Z]\))", "(A) or (b) or (C)"), ["(A)", "(C)"]);
        assert_eq!(
            one(r"\([A-Z]\)([^\n^(]*)", "(A) x ^y\n(B) z (w"),
            [" x ", " z "]
        );
        assert_eq!(one(r":[\s]*(A|B)", "Answer:\n B, then: A"), ["B", "A"]);
        assert_eq!(
            one("([-0-9]+)", "double-check 12 and -3"),
            ["-", "12", "-3"]
        );
        assert_eq!(one(r"\bé\b", "é x"), ["é"]);
    }

    #[test]
    fn empty_matches_follow_cpython() {
        // python3: re.findall("a*", "baa") == ['', 'aa', '']
        assert_eq!(one("a*", "baa"), ["", "aa", ""]);
        // re.sub("x*", "-", "abxd") == '-a-b--d-'
        assert_eq!(Regex::new("x*").unwrap().sub("-", "abxd"), "-a-b--d-");
        assert_eq!(Regex::new(r"\.$").unwrap().sub("", "a.\n"), "a\n");
        assert_eq!(
            Regex::new(r"\[.*?\]").unwrap().sub("", "a [b] c [d [e] f]"),
            "a  c  f]"
        );
    }

    #[test]
    fn quantifiers_and_groups() {
        assert_eq!(one("(?:ab)+", "ababa ab"), ["abab", "ab"]);
        assert_eq!(one("a{2}", "aaaaa"), ["aa", "aa"]);
        assert_eq!(one("a{,2}b", "aaab"), ["aab"]);
        assert_eq!(one("x{a}", "x{a}"), ["x{a}"]);
        assert_eq!(
            one("eight(?|een|y)?", "eighty eighteen eight"),
            ["eighty", "eighteen", "eight"]
        );
        assert_eq!(
            findall("(?<= )([ab]+)|([ab]+)", "ab ba"),
            [vec!["", "ab"], vec!["ba", ""]]
        );
    }

    #[test]
    fn errors() {
        for bad in ["(a", "a)", "*a", r"\d", "(?<=a*)b", "[a", r"\q", "a**"] {
            assert!(Regex::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a.b (c)-d e"), r"a\.b\ \(c\)\-d\ e");
        let r = Regex::new(&escape("1+1=2?")).unwrap();
        assert!(r.is_match("so 1+1=2? yes"));
    }
}
