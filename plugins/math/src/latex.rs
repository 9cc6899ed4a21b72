//! A LaTeX answer parser: numbers, `\frac`, `\sqrt`, powers, `\pi`,
//! implicit products, functions, and (in the math-verify dialect) tuples,
//! sets, intervals, unions, matrices, `\text{…}` words and percentages.
//!
//! Two dialects follow the two Python parsers the references use:
//! [`Dialect::Sympy`] accepts what `sympy.parsing.latex.parse_latex` accepts
//! for MATH answers (a single scalar expression or relation; no commas,
//! `\text`, intervals), [`Dialect::MathVerify`] what `latex2sympy2_extended`
//! accepts.

use crate::expr::{Expr, Func, RelOp};

/// Which reference parser to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `sympy.parsing.latex.parse_latex` (Minerva `is_equiv`).
    Sympy,
    /// `latex2sympy2_extended` (math-verify); `complex` reads `i` as the
    /// imaginary unit (math-verify's `should_treat_as_complex`).
    MathVerify {
        /// Whether `i` is the imaginary unit.
        complex: bool,
    },
}

/// Why an answer did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

type R<T> = Result<T, ParseError>;

fn err<T>(msg: impl Into<String>) -> R<T> {
    Err(ParseError(msg.into()))
}

const GREEK: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Sigma",
    "Phi",
    "Psi",
    "Omega",
];

/// Parses one answer.
///
/// # Errors
/// Returns a [`ParseError`] for text outside the dialect.
pub fn parse(text: &str, dialect: Dialect) -> R<Expr> {
    let cleaned = preprocess(text, dialect);
    let mut p = Parser {
        s: cleaned.chars().collect(),
        i: 0,
        dialect,
        in_abs: 0,
    };
    let e = p.top()?;
    p.ws();
    if dialect == Dialect::Sympy && p.i < p.s.len() && sympy_token_char(p.s[p.i]) {
        // sympy's grammar has no end-of-input rule: antlr stops where the
        // expression cannot go on and the rest is ignored (`1,2` is 1,
        // `1011_2` is 1011), unless the next character does not lex.
        return Ok(e);
    }
    if p.i != p.s.len() {
        return err(format!(
            "unexpected `{}`",
            p.s[p.i..].iter().take(12).collect::<String>()
        ));
    }
    Ok(e)
}

/// Characters sympy's LaTeX lexer turns into tokens (others raise).
fn sympy_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+-*/^_=<>()[]{}|,!\\'&:;".contains(c)
}

/// Spacing commands (`\,`, `\;`, `\!`, `\:`, `\ `) removed, but not
/// the second backslash of a `\\` row break.
fn remove_spacing(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.peek() {
            Some(',' | ';' | '!' | ':') => {
                it.next();
            }
            Some(' ') => {
                it.next();
                out.push(' ');
            }
            Some('\\') => {
                it.next();
                out.push_str("\\\\");
            }
            _ => out.push(c),
        }
    }
    out
}

fn preprocess(text: &str, dialect: Dialect) -> String {
    let mut s = remove_spacing(text);
    if dialect != Dialect::Sympy && s.contains('\u{2212}') {
        s = s.replace('\u{2212}', "-");
    }
    for (from, to) in [
        ("\\left.", ""),
        ("\\right.", ""),
        ("\\left", ""),
        ("\\right", ""),
        ("\\displaystyle", ""),
        ("\\dfrac", "\\frac"),
        ("\\tfrac", "\\frac"),
        ("\\dbinom", "\\binom"),
        ("\\tbinom", "\\binom"),
        ("\\qquad", " "),
        ("\\quad", " "),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    s
}

struct Parser {
    s: Vec<char>,
    i: usize,
    dialect: Dialect,
    in_abs: u32,
}

impl Parser {
    fn mv(&self) -> bool {
        matches!(self.dialect, Dialect::MathVerify { .. })
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// The command name at the cursor (`\frac` → `frac`) without moving.
    fn cmd_at(&mut self) -> Option<String> {
        self.ws();
        if self.s.get(self.i) != Some(&'\\') {
            return None;
        }
        let mut j = self.i + 1;
        let start = j;
        while j < self.s.len() && self.s[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j == start {
            // A one-character command such as `\{` or `\%`.
            return self.s.get(start).map(|c| c.to_string());
        }
        Some(self.s[start..j].iter().collect())
    }

    fn eat_cmd(&mut self, name: &str) -> bool {
        if self.cmd_at().as_deref() == Some(name) {
            self.i += 1 + name.chars().count();
            true
        } else {
            false
        }
    }

    fn top(&mut self) -> R<Expr> {
        let items = self.list(&[])?;
        if items.len() == 1 {
            return Ok(items.into_iter().next().unwrap_or(Expr::Set(Vec::new())));
        }
        if !self.mv() {
            return err("a list of answers");
        }
        Ok(Expr::Set(items))
    }

    /// Comma-separated relations, up to (not including) a closing token.
    fn list(&mut self, _closers: &[char]) -> R<Vec<Expr>> {
        let mut items = vec![self.union()?];
        while self.peek() == Some(',') || (self.mv() && self.peek() == Some(';')) {
            if !self.mv() {
                // sympy: the expression ends here (see `parse`).
                break;
            }
            self.i += 1;
            items.push(self.union()?);
        }
        Ok(items)
    }

    fn union(&mut self) -> R<Expr> {
        let first = self.rel()?;
        if !self.mv() || self.cmd_at().as_deref() != Some("cup") {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.eat_cmd("cup") {
            parts.push(self.rel()?);
        }
        Ok(Expr::Union(parts))
    }

    fn relop(&mut self) -> Option<RelOp> {
        let op = match self.peek()? {
            '=' => Some(RelOp::Eq),
            '<' => Some(RelOp::Lt),
            '>' => Some(RelOp::Gt),
            '\u{2264}' => Some(RelOp::Le),
            '\u{2265}' => Some(RelOp::Ge),
            '\u{2260}' => Some(RelOp::Ne),
            _ => None,
        };
        if let Some(op) = op {
            self.i += 1;
            if self.peek() == Some('=') && matches!(op, RelOp::Lt | RelOp::Gt) {
                self.i += 1;
                return Some(if op == RelOp::Lt {
                    RelOp::Le
                } else {
                    RelOp::Ge
                });
            }
            return Some(op);
        }
        let cmd = self.cmd_at()?;
        let op = match cmd.as_str() {
            "le" | "leq" | "leqslant" => RelOp::Le,
            "ge" | "geq" | "geqslant" => RelOp::Ge,
            "lt" => RelOp::Lt,
            "gt" => RelOp::Gt,
            "ne" | "neq" => RelOp::Ne,
            "in" if self.mv() => RelOp::Eq,
            _ => return None,
        };
        self.i += 1 + cmd.len();
        Some(op)
    }

    fn rel(&mut self) -> R<Expr> {
        let first = self.expr()?;
        let mut items = vec![first];
        let mut ops = Vec::new();
        while let Some(op) = self.relop() {
            ops.push(op);
            items.push(self.expr()?);
        }
        if ops.is_empty() {
            return Ok(items.pop().unwrap_or(Expr::Set(Vec::new())));
        }
        Ok(Expr::Rel(items, ops))
    }

    fn expr(&mut self) -> R<Expr> {
        let mut terms = Vec::new();
        let first_neg = if self.eat('-') {
            true
        } else {
            self.eat('+');
            false
        };
        let t = self.term()?;
        terms.push(if first_neg { t.negated() } else { t });
        loop {
            if self.eat('+') {
                terms.push(self.term()?);
            } else if self.peek() == Some('-') {
                self.i += 1;
                terms.push(self.term()?.negated());
            } else {
                break;
            }
        }
        Ok(if terms.len() == 1 {
            terms.pop().unwrap_or(Expr::Int("0".into()))
        } else {
            Expr::Add(terms)
        })
    }

    fn starts_atom(&mut self) -> bool {
        match self.peek() {
            Some(c) if c.is_ascii_alphanumeric() || c == '(' || c == '{' || c == '.' => true,
            Some('[') => self.mv(),
            Some('|') => self.in_abs == 0,
            Some('\\') => match self.cmd_at().as_deref() {
                Some(
                    "cdot" | "times" | "div" | "cup" | "le" | "leq" | "ge" | "geq" | "lt" | "gt"
                    | "ne" | "neq" | "leqslant" | "geqslant" | "}" | "rfloor" | "rceil" | "end"
                    | "in" | "%" | "circ" | "pm" | "mp",
                ) => false,
                Some(_) => true,
                None => false,
            },
            _ => false,
        }
    }

    fn term(&mut self) -> R<Expr> {
        let mut num = vec![self.unary()?];
        loop {
            if self.eat('*') || self.eat_cmd("cdot") || self.eat_cmd("times") {
                num.push(self.unary()?);
            } else if self.eat('/') || self.eat_cmd("div") {
                let d = self.unary()?;
                let n = if num.len() == 1 {
                    num.pop().unwrap_or(Expr::Int("1".into()))
                } else {
                    Expr::Mul(std::mem::take(&mut num))
                };
                num.push(Expr::Div(Box::new(n), Box::new(d)));
            } else if self.starts_atom() {
                let frac = self.cmd_at().as_deref() == Some("frac");
                let next = self.postfix()?;
                // latex2sympy2_extended reads `3\frac{1}{2}` as a mixed number.
                if self.mv()
                    && frac
                    && matches!(num.last(), Some(Expr::Int(_)))
                    && matches!(&next, Expr::Div(a, b) if matches!(**a, Expr::Int(_)) && matches!(**b, Expr::Int(_)))
                {
                    let whole = num.pop().unwrap_or(Expr::Int("0".into()));
                    num.push(Expr::Add(vec![whole, next]));
                    continue;
                }
                num.push(next);
            } else {
                break;
            }
        }
        Ok(if num.len() == 1 {
            num.pop().unwrap_or(Expr::Int("1".into()))
        } else {
            Expr::Mul(num)
        })
    }

    fn unary(&mut self) -> R<Expr> {
        if self.eat('-') {
            return Ok(self.unary()?.negated());
        }
        if self.eat('+') {
            return self.unary();
        }
        self.postfix()
    }

    fn postfix(&mut self) -> R<Expr> {
        let mut e = self.atom()?;
        loop {
            // No whitespace is skipped before `!` and `'` in LaTeX answers
            // either way; `peek` skips it, as both grammars do.
            match self.peek() {
                Some('^') => {
                    self.i += 1;
                    if self.peek() == Some('{') && self.s.get(self.i + 1) == Some(&'\\') {
                        let save = self.i;
                        self.i += 1;
                        if self.eat_cmd("circ") && self.eat('}') {
                            if !self.mv() {
                                return err("degrees");
                            }
                            continue;
                        }
                        self.i = save;
                    }
                    if self.eat_cmd("circ") {
                        if !self.mv() {
                            return err("degrees");
                        }
                        continue;
                    }
                    let exp = self.script_arg()?;
                    e = Expr::Pow(Box::new(e), Box::new(exp));
                }
                Some('!') => {
                    self.i += 1;
                    e = Expr::Call(Func::Factorial, Box::new(e));
                }
                Some('_') => {
                    if !self.mv() && !matches!(e, Expr::Sym(_)) {
                        break;
                    }
                    self.i += 1;
                    let sub = self.raw_arg()?;
                    e = match e {
                        Expr::Sym(name) => Expr::Sym(format!("{name}_{sub}")),
                        Expr::Int(n) if self.mv() => Expr::Int(n),
                        _ => return err("subscript"),
                    };
                }
                Some('%') => return err("percent (latex2sympy2_extended 1.11 raises on it)"),
                Some('\\') if self.cmd_at().as_deref() == Some("%") => {
                    return err("percent (latex2sympy2_extended 1.11 raises on it)");
                }
                _ => break,
            }
        }
        Ok(e)
    }

    /// The text of a `{…}` group or of one character (for subscripts).
    fn raw_arg(&mut self) -> R<String> {
        if self.eat('{') {
            let start = self.i;
            let mut depth = 1;
            while self.i < self.s.len() {
                match self.s[self.i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            let t: String = self.s[start..self.i].iter().collect();
                            self.i += 1;
                            return Ok(t.split_whitespace().collect());
                        }
                    }
                    _ => {}
                }
                self.i += 1;
            }
            return err("unclosed `{`");
        }
        match self.peek() {
            Some(c) if c.is_alphanumeric() => {
                self.i += 1;
                Ok(c.to_string())
            }
            _ => err("subscript"),
        }
    }

    /// The argument of `^`, `\frac`, `\sqrt`: a `{…}` group, or one
    /// token (a digit run counts as one number, as both grammars lex it).
    fn script_arg(&mut self) -> R<Expr> {
        if self.eat('{') {
            let e = self.expr_or_rel_in_group()?;
            if !self.eat('}') {
                return err("expected `}`");
            }
            return Ok(e);
        }
        match self.peek() {
            Some(c) if c.is_ascii_digit() => self.number(),
            Some(c) if c.is_alphabetic() => {
                self.i += 1;
                Ok(self.letter(c))
            }
            Some('\\') => self.atom(),
            Some('-') => {
                self.i += 1;
                Ok(self.script_arg()?.negated())
            }
            _ => err("missing argument"),
        }
    }

    /// One digit or letter, as `\frac12` reads its arguments.
    fn frac_arg(&mut self) -> R<Expr> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                self.i += 1;
                Ok(Expr::Int(c.to_string()))
            }
            _ => self.script_arg(),
        }
    }

    fn expr_or_rel_in_group(&mut self) -> R<Expr> {
        let items = self.list(&['}'])?;
        if items.len() == 1 {
            return Ok(items.into_iter().next().unwrap_or(Expr::Set(Vec::new())));
        }
        Ok(Expr::Set(items))
    }

    fn letter(&self, c: char) -> Expr {
        match (c, self.dialect) {
            ('e', Dialect::MathVerify { .. }) => Expr::E,
            ('i', Dialect::MathVerify { complex: true }) => Expr::I,
            _ => Expr::Sym(c.to_string()),
        }
    }

    fn number(&mut self) -> R<Expr> {
        self.ws();
        let start = self.i;
        let mut digits = String::new();
        while let Some(&c) = self.s.get(self.i) {
            if c.is_ascii_digit() {
                digits.push(c);
                self.i += 1;
            } else if c == ','
                && !digits.is_empty()
                && self
                    .s
                    .get(self.i + 1..self.i + 4)
                    .is_some_and(|d| d.iter().all(char::is_ascii_digit))
                && !self.s.get(self.i + 4).is_some_and(char::is_ascii_digit)
                && !self.mv()
            {
                self.i += 1;
            } else {
                break;
            }
        }
        if self.s.get(self.i) == Some(&'.')
            && self.s.get(self.i + 1).is_some_and(char::is_ascii_digit)
        {
            self.i += 1;
            let mut frac = String::new();
            while let Some(&c) = self.s.get(self.i).filter(|c| c.is_ascii_digit()) {
                frac.push(c);
                self.i += 1;
            }
            let int = if digits.is_empty() {
                "0".to_string()
            } else {
                digits
            };
            return Ok(Expr::Float(format!("{int}.{frac}")));
        }
        if digits.is_empty() {
            self.i = start;
            return err("expected a number");
        }
        Ok(Expr::Int(digits))
    }

    fn group(&mut self, close: char) -> R<Vec<Expr>> {
        let items = self.list(&[close])?;
        Ok(items)
    }

    fn bracketed(&mut self, open: char) -> R<Expr> {
        let items = self.group(')')?;
        let close = match self.peek() {
            Some(c @ (')' | ']')) => {
                self.i += 1;
                c
            }
            _ => return err("unclosed bracket"),
        };
        if items.len() == 1 {
            if open == '(' && close == ')' || !self.mv() && open == '[' && close == ']' {
                return Ok(items.into_iter().next().unwrap_or(Expr::Set(Vec::new())));
            }
            if open == '[' && close == ']' {
                return Ok(Expr::Tuple(items));
            }
            return err("mismatched brackets");
        }
        if !self.mv() {
            return err("a tuple");
        }
        if items.len() == 2 {
            let mut it = items.into_iter();
            let (a, b) = (it.next(), it.next());
            if let (Some(a), Some(b)) = (a, b) {
                return Ok(Expr::Interval(
                    Box::new(a),
                    Box::new(b),
                    open == '(',
                    close == ')',
                ));
            }
            return err("interval");
        }
        if open == '(' && close == ')' {
            Ok(Expr::Tuple(items))
        } else {
            err("mismatched brackets")
        }
    }

    fn func_arg(&mut self) -> R<Expr> {
        match self.peek() {
            Some('(') => {
                self.i += 1;
                let e = self.expr()?;
                if !self.eat(')') {
                    return err("expected `)`");
                }
                Ok(e)
            }
            Some('{') => self.script_arg(),
            _ => {
                // `\sin x`, `\sin 2x`: a product of atoms without operators.
                let mut parts = vec![self.postfix()?];
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric()) {
                    parts.push(self.postfix()?);
                }
                Ok(if parts.len() == 1 {
                    parts.pop().unwrap_or(Expr::Int("0".into()))
                } else {
                    Expr::Mul(parts)
                })
            }
        }
    }

    fn text_group(&mut self) -> R<String> {
        if !self.eat('{') {
            return err("expected `{`");
        }
        let start = self.i;
        let mut depth = 1;
        while self.i < self.s.len() {
            match self.s[self.i] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let t: String = self.s[start..self.i].iter().collect();
                        self.i += 1;
                        return Ok(t);
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
        err("unclosed `{`")
    }

    fn matrix(&mut self, env: &str) -> R<Expr> {
        // Rows split by `\\`, cells by `&`, until `\end{env}`.
        let end = format!("\\end{{{env}}}");
        let rest: String = self.s[self.i..].iter().collect();
        let Some(stop) = rest.find(&end) else {
            return err("unclosed matrix");
        };
        let body = &rest[..stop];
        self.i += rest[..stop + end.len()].chars().count();
        let mut rows = Vec::new();
        for row in body.split("\\\\") {
            if row.trim().is_empty() {
                continue;
            }
            let mut cells = Vec::new();
            for cell in row.split('&') {
                cells.push(parse(cell, self.dialect)?);
            }
            rows.push(cells);
        }
        if rows.is_empty() {
            return err("empty matrix");
        }
        Ok(Expr::Matrix(rows))
    }

    fn atom(&mut self) -> R<Expr> {
        let Some(c) = self.peek() else {
            return err("unexpected end");
        };
        if c.is_ascii_digit() || (c == '.' && self.mv()) {
            return self.number();
        }
        if c.is_alphabetic() {
            self.i += 1;
            return Ok(self.letter(c));
        }
        match c {
            '(' => {
                self.i += 1;
                return self.bracketed('(');
            }
            '[' => {
                self.i += 1;
                return self.bracketed('[');
            }
            '{' => {
                self.i += 1;
                let e = self.expr_or_rel_in_group()?;
                if !self.eat('}') {
                    return err("expected `}`");
                }
                return Ok(e);
            }
            '|' if self.in_abs == 0 => {
                self.i += 1;
                self.in_abs += 1;
                let e = self.expr();
                self.in_abs -= 1;
                let e = e?;
                if !self.eat('|') {
                    return err("expected `|`");
                }
                return Ok(Expr::Call(Func::Abs, Box::new(e)));
            }
            '\\' => {}
            other => return err(format!("unexpected `{other}`")),
        }
        let Some(cmd) = self.cmd_at() else {
            return err("bad command");
        };
        self.i += 1 + cmd.chars().count();
        let func = |f: Func| Some(f);
        let one_arg = match cmd.as_str() {
            "sin" => func(Func::Sin),
            "cos" => func(Func::Cos),
            "tan" => func(Func::Tan),
            "cot" => func(Func::Cot),
            "sec" => func(Func::Sec),
            "csc" => func(Func::Csc),
            "arcsin" => func(Func::Asin),
            "arccos" => func(Func::Acos),
            "arctan" => func(Func::Atan),
            "ln" => func(Func::Ln),
            "exp" => func(Func::Exp),
            _ => None,
        };
        if let Some(f) = one_arg {
            let mut power = None;
            if self.eat('^') {
                power = Some(self.script_arg()?);
            }
            let arg = self.func_arg()?;
            let call = Expr::Call(f, Box::new(arg));
            return Ok(match power {
                Some(p) => Expr::Pow(Box::new(call), Box::new(p)),
                None => call,
            });
        }
        match cmd.as_str() {
            "pi" => Ok(Expr::Pi),
            "infty" => Ok(Expr::Inf),
            "frac" => {
                let n = self.frac_arg()?;
                let d = self.frac_arg()?;
                Ok(Expr::Div(Box::new(n), Box::new(d)))
            }
            "binom" => {
                let n = self.frac_arg()?;
                let k = self.frac_arg()?;
                Ok(Expr::Binom(Box::new(n), Box::new(k)))
            }
            "sqrt" => {
                if self.eat('[') {
                    let n = self.expr()?;
                    if !self.eat(']') {
                        return err("expected `]`");
                    }
                    if self.mv() && self.peek() != Some('{') {
                        return err("\\sqrt[n] without braces");
                    }
                    let x = self.frac_arg()?;
                    return Ok(Expr::Root(Box::new(n), Box::new(x)));
                }
                let x = self.frac_arg()?;
                Ok(Expr::Call(Func::Sqrt, Box::new(x)))
            }
            "log" => {
                let base = if self.eat('_') {
                    Some(self.script_arg()?)
                } else {
                    None
                };
                let x = self.func_arg()?;
                Ok(match base {
                    Some(b) => Expr::Log(Box::new(b), Box::new(x)),
                    None if self.mv() => Expr::Log(Box::new(Expr::Int("10".into())), Box::new(x)),
                    None => Expr::Call(Func::Ln, Box::new(x)),
                })
            }
            "lfloor" | "lceil" => {
                let e = self.expr()?;
                let close = if cmd == "lfloor" { "rfloor" } else { "rceil" };
                if !self.eat_cmd(close) {
                    return err("unclosed floor/ceil");
                }
                let f = if cmd == "lfloor" {
                    Func::Floor
                } else {
                    Func::Ceil
                };
                Ok(Expr::Call(f, Box::new(e)))
            }
            "{" => {
                let items = self.list(&['}'])?;
                if !(self.peek() == Some('\\') && self.cmd_at().as_deref() == Some("}")) {
                    return err("unclosed `\\{`");
                }
                self.i += 2;
                if self.mv() {
                    Ok(Expr::Set(items))
                } else if items.len() == 1 {
                    Ok(items.into_iter().next().unwrap_or(Expr::Set(Vec::new())))
                } else {
                    err("a set")
                }
            }
            "emptyset" | "varnothing" if self.mv() => Ok(Expr::Set(Vec::new())),
            "text" | "textbf" | "mbox" | "mathrm" | "textnormal" | "mathbf" | "textit"
            | "mathit" => {
                let t = self.text_group()?;
                if !self.mv() && cmd != "mathit" {
                    return err("text");
                }
                let word: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                if word.is_empty() {
                    return err("empty text");
                }
                if let Ok(e) = parse(&word, self.dialect)
                    && !matches!(e, Expr::Mul(_))
                {
                    return Ok(e);
                }
                Ok(Expr::Sym(word.to_lowercase()))
            }
            "begin" => {
                let env = self.text_group()?;
                if !self.mv() || !env.ends_with("matrix") {
                    return err(format!("environment {env}"));
                }
                self.matrix(&env)
            }
            name if GREEK.contains(&name) => Ok(Expr::Sym(name.to_string())),
            other => err(format!("unknown command \\{other}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MV: Dialect = Dialect::MathVerify { complex: false };

    #[test]
    fn parses_common_answers() {
        for (t, d) in [
            ("\\frac{1}{2}", Dialect::Sympy),
            ("\\dfrac12", Dialect::Sympy),
            ("2\\sqrt{3}", Dialect::Sympy),
            ("-\\frac{\\pi}{4}", Dialect::Sympy),
            ("x^2+2x+1", Dialect::Sympy),
            ("1,000", Dialect::Sympy),
            ("(1,2]", MV),
            ("\\{1,2,3\\}", MV),
            ("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", MV),
            ("\\text{Monday}", MV),
        ] {
            assert!(parse(t, d).is_ok(), "{t}: {:?}", parse(t, d));
        }
        for t in ["(1,2)", "\\text{east}", ".5", "1/2."] {
            assert!(parse(t, Dialect::Sympy).is_err(), "{t}");
        }
        // sympy ignores what follows a complete expression.
        assert_eq!(parse("1,3", Dialect::Sympy), parse("1", Dialect::Sympy));
        assert_eq!(
            parse("1011_2", Dialect::Sympy),
            parse("1011", Dialect::Sympy)
        );
        assert!(parse("5\\%", MV).is_err());
    }
}
