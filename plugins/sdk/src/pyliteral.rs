//! Python `ast.literal_eval` for a list (or tuple) of strings, as
//! references parse list-valued CSV cells (MuSR's `choices`).
//!
//! [`crate::data::parse_list_literal`] is lenient (it also reads NumPy's
//! `['a' 'b']` as two items); this module follows Python's grammar: adjacent
//! string literals concatenate (`['a' 'b']` is `['ab']`), prefixes `r`/`u`
//! (any case), single, double and triple quotes, every escape of a str
//! literal (`\\ \' \" \a \b \f \n \r \t \v`, octal `\ooo`, `\xhh`,
//! `\uXXXX`, `\UXXXXXXXX`, `\` + newline; an unknown escape keeps its
//! backslash), newlines and `#` comments between items, a trailing comma,
//! leading spaces and tabs (which `literal_eval` strips). `\N{name}` and
//! non-string items (numbers, bytes, f-strings) are refused with a message:
//! a value Python would accept but this module does not is an error, never
//! a different list.

/// Parses `s` as `ast.literal_eval` would, requiring a list or tuple of
/// strings.
///
/// # Errors
/// A message saying where the text stops being such a literal.
pub fn literal_eval_str_list(s: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = leading_blank_lines(s)?.chars().collect();
    let mut p = P { c: &chars, i: 0 };
    p.skip();
    let close = match p.peek() {
        Some('[') => ']',
        Some('(') => ')',
        _ => return Err("expected `[` or `(`".into()),
    };
    p.i += 1;
    let mut out = Vec::new();
    let mut items_since_comma = 0;
    let mut had_comma = false;
    loop {
        p.skip();
        match p.peek() {
            Some(c) if c == close => {
                p.i += 1;
                break;
            }
            Some(',') if items_since_comma == 1 => {
                p.i += 1;
                items_since_comma = 0;
                had_comma = true;
            }
            Some(_) if items_since_comma == 0 => {
                out.push(p.strings()?);
                items_since_comma = 1;
            }
            Some(c) => return Err(format!("unexpected `{c}` at character {}", p.i)),
            None => return Err(format!("missing `{close}`")),
        }
    }
    // `('a')` is a parenthesised string, not a tuple.
    if close == ')' && !had_comma && out.len() == 1 {
        return Err("a parenthesised string is not a tuple".into());
    }
    p.skip();
    if p.i != chars.len() {
        return Err(format!("text after `{close}`"));
    }
    Ok(out)
}

/// `literal_eval` strips leading spaces and tabs; Python's tokenizer then
/// skips blank and comment-only lines, and refuses an indented first line.
fn leading_blank_lines(s: &str) -> Result<&str, String> {
    let first = s.trim_start_matches([' ', '\t']);
    let mut rest = first;
    while let Some(end) = rest.find('\n') {
        let content = rest[..end].trim_start_matches([' ', '\t', '\x0c', '\r']);
        if !(content.is_empty() || content.starts_with('#')) {
            break;
        }
        rest = &rest[end + 1..];
    }
    if rest.len() != first.len() && rest.starts_with([' ', '\t']) {
        return Err("unexpected indent".into());
    }
    Ok(rest)
}

struct P<'a> {
    c: &'a [char],
    i: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    /// Whitespace, newlines, comments and line continuations.
    fn skip(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' | '\x0c' => self.i += 1,
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                '\\' if self.c.get(self.i + 1) == Some(&'\n') => self.i += 2,
                _ => break,
            }
        }
    }

    /// One or more adjacent string literals, concatenated.
    fn strings(&mut self) -> Result<String, String> {
        let mut out = self.string()?;
        loop {
            let save = self.i;
            self.skip();
            if self.starts_string() {
                out.push_str(&self.string()?);
            } else {
                self.i = save;
                return Ok(out);
            }
        }
    }

    fn starts_string(&self) -> bool {
        let mut j = self.i;
        while self.c.get(j).is_some_and(|c| c.is_ascii_alphabetic()) && j < self.i + 2 {
            j += 1;
        }
        matches!(self.c.get(j), Some('\'' | '"'))
    }

    fn string(&mut self) -> Result<String, String> {
        let mut raw = false;
        while let Some(c) = self.peek().filter(|c| c.is_ascii_alphabetic()) {
            match c.to_ascii_lowercase() {
                'r' => raw = true,
                'u' => {}
                'b' => return Err("bytes literals are not strings".into()),
                'f' => return Err("f-strings are not literals".into()),
                other => return Err(format!("unexpected `{other}` at character {}", self.i)),
            }
            self.i += 1;
        }
        let Some(q) = self.peek().filter(|c| *c == '\'' || *c == '"') else {
            return Err(format!("expected a string at character {}", self.i));
        };
        let triple = self.c.get(self.i + 1) == Some(&q) && self.c.get(self.i + 2) == Some(&q);
        self.i += if triple { 3 } else { 1 };
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err("unterminated string".into());
            };
            if c == q {
                if !triple {
                    self.i += 1;
                    return Ok(out);
                }
                if self.c.get(self.i + 1) == Some(&q) && self.c.get(self.i + 2) == Some(&q) {
                    self.i += 3;
                    return Ok(out);
                }
            }
            if c == '\n' && !triple {
                return Err("end of line in a string".into());
            }
            self.i += 1;
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.peek() else {
                return Err("unterminated string".into());
            };
            self.i += 1;
            if raw {
                // A raw string keeps the backslash (it still cannot end on one quote).
                out.push('\\');
                out.push(e);
                continue;
            }
            match e {
                '\n' => {}
                '\\' | '\'' | '"' => out.push(e),
                'a' => out.push('\x07'),
                'b' => out.push('\x08'),
                'f' => out.push('\x0c'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => out.push('\x0b'),
                '0'..='7' => {
                    let mut v = e.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match self.peek().and_then(|d| d.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                self.i += 1;
                            }
                            None => break,
                        }
                    }
                    out.push(char::from_u32(v).ok_or("bad octal escape")?);
                }
                'x' | 'u' | 'U' => {
                    let len = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = self.c.iter().skip(self.i).take(len).collect();
                    let cp = u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == len && hex.chars().all(|h| h.is_ascii_hexdigit()))
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad escape \\{e}{hex}"))?;
                    out.push(cp);
                    self.i += len;
                }
                'N' => return Err("\\N{...} escapes are not supported".into()),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Vec<String> {
        literal_eval_str_list(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn python_semantics() {
        // Each expectation is python3.11's ast.literal_eval of the input.
        assert_eq!(ok("['Mackenzie', 'Ana']"), ["Mackenzie", "Ana"]);
        assert_eq!(ok(r#"["Jack's room", 'desk']"#), ["Jack's room", "desk"]);
        assert_eq!(ok("['a' 'b', \"c\"]"), ["ab", "c"]);
        assert_eq!(ok("[\n 'x',  # note\n 'y',\n]"), ["x", "y"]);
        assert_eq!(
            ok(r"['\x41\u00e9\101\n', r'\n', 'a\'b', '\q']"),
            ["Aé\u{41}\n", "\\n", "a'b", "\\q"]
        );
        assert_eq!(ok("  \t('t1', 't2')"), ["t1", "t2"]);
        assert_eq!(ok("('solo',)"), ["solo"]);
        assert_eq!(ok("\n['a']"), ["a"]);
        assert_eq!(ok("  \n# c\r\n['a']"), ["a"]);
        assert_eq!(ok("\x0c['a']"), ["a"]);
        assert_eq!(ok("[]"), Vec::<String>::new());
        assert_eq!(ok("['''tri'ple''']"), ["tri'ple"]);
        assert_eq!(
            ok("['Zoe\\u0308', 'Zoë', U'up']"),
            ["Zoe\u{308}", "Zoë", "up"]
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "['a'",
            "['a',,'b']",
            "[1, 2]",
            "[b'x']",
            "('a')",
            "['a'] x",
            "\n  ['a']",
            "['\\N{BULLET}']",
            "[f'x']",
            "['a' , 'b' 'c' 'd', ]x",
        ] {
            assert!(literal_eval_str_list(bad).is_err(), "{bad:?}");
        }
    }
}
