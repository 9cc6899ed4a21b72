//! Whether Python's `json.loads(s)` accepts `s` (CPython 3.11, C scanner,
//! `strict=True`).
//!
//! Python accepts more than RFC 8259: the literals `NaN`, `Infinity` and
//! `-Infinity`, numbers of any size (`1e400` is `inf`), duplicate keys, and
//! any value at the top level. It rejects a leading BOM, control characters
//! inside strings, and anything but `[ \t\n\r]` around tokens.

/// Nesting at which CPython raises `RecursionError` (not a `ValueError`, so
/// lm-eval would crash); the plugin counts such text as not JSON.
const MAX_DEPTH: usize = 990;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> bool {
        let Some(&c) = self.s.get(self.i) else {
            return false;
        };
        match c {
            b'"' => self.string(),
            b'{' => self.object(),
            b'[' => self.array(),
            b'n' => self.eat(b"null"),
            b't' => self.eat(b"true"),
            b'f' => self.eat(b"false"),
            b'N' => self.eat(b"NaN"),
            b'I' => self.eat(b"Infinity"),
            b'-' if self.s[self.i..].starts_with(b"-Infinity") => self.eat(b"-Infinity"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => false,
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`; an incomplete fraction or
    /// exponent is left unconsumed (Python then fails on the extra data).
    fn number(&mut self) -> bool {
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return false,
        }
        if self.s.get(self.i) == Some(&b'.')
            && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit)
        {
            self.i += 1;
            self.digits();
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            let save = self.i;
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                self.i = save;
            }
        }
        true
    }

    fn string(&mut self) -> bool {
        self.i += 1;
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'"' => {
                    self.i += 1;
                    return true;
                }
                b'\\' => {
                    let Some(&e) = self.s.get(self.i + 1) else {
                        return false;
                    };
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                        b'u' => {
                            let hex = self.s.get(self.i + 2..self.i + 6);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return false;
                            }
                            self.i += 6;
                        }
                        _ => return false,
                    }
                }
                0..=0x1f => return false,
                _ => self.i += 1,
            }
        }
        false
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        self.depth < MAX_DEPTH
    }

    fn object(&mut self) -> bool {
        if !self.enter() {
            return false;
        }
        self.i += 1;
        self.ws();
        if self.eat(b"}") {
            self.depth -= 1;
            return true;
        }
        loop {
            if self.s.get(self.i) != Some(&b'"') || !self.string() {
                return false;
            }
            self.ws();
            if !self.eat(b":") {
                return false;
            }
            self.ws();
            if !self.value() {
                return false;
            }
            self.ws();
            if self.eat(b"}") {
                self.depth -= 1;
                return true;
            }
            if !self.eat(b",") {
                return false;
            }
            self.ws();
        }
    }

    fn array(&mut self) -> bool {
        if !self.enter() {
            return false;
        }
        self.i += 1;
        self.ws();
        if self.eat(b"]") {
            self.depth -= 1;
            return true;
        }
        loop {
            if !self.value() {
                return false;
            }
            self.ws();
            if self.eat(b"]") {
                self.depth -= 1;
                return true;
            }
            if !self.eat(b",") {
                return false;
            }
            self.ws();
        }
    }
}

/// Whether `json.loads(s)` succeeds.
pub fn loads_ok(s: &str) -> bool {
    let mut p = Parser {
        s: s.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.ws();
    if !p.value() {
        return false;
    }
    p.ws();
    p.i == p.s.len()
}

#[cfg(test)]
mod tests {
    use super::loads_ok;

    #[test]
    fn follows_python() {
        for ok in [
            "{}",
            "[]",
            "1",
            "-0",
            "1.5e10",
            "1e400",
            "NaN",
            "-Infinity",
            "\"a\\u00e9\"",
            "{\"a\": 1, \"a\": 2}",
            " \n[1, [2, {\"x\": null}]]\r\n",
            "\"é\"",
        ] {
            assert!(loads_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "{",
            "[1,]",
            "01",
            "1.",
            ".5",
            "+1",
            "\u{feff}{}",
            "\"a\tb\"",
            "'a'",
            "{a: 1}",
            "[1] x",
            "tru",
            "\"\\x\"",
            "1e",
            "-",
            "{\"a\" 1}",
            "\u{a0}1",
        ] {
            assert!(!loads_ok(bad), "{bad:?}");
        }
    }
}
