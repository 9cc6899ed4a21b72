//! Parsed answers: the expression tree the LaTeX parser builds and its
//! numeric evaluation (exact rationals where possible, else complex floats).

use std::collections::BTreeSet;

/// A relation operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelOp {
    /// `=`
    Eq,
    /// `\neq`
    Ne,
    /// `<`
    Lt,
    /// `\leq`
    Le,
    /// `>`
    Gt,
    /// `\geq`
    Ge,
}

impl RelOp {
    /// The same relation read from right to left (`<` ↔ `>`).
    pub fn flipped(self) -> RelOp {
        match self {
            RelOp::Lt => RelOp::Gt,
            RelOp::Gt => RelOp::Lt,
            RelOp::Le => RelOp::Ge,
            RelOp::Ge => RelOp::Le,
            other => other,
        }
    }
}

/// A one-argument function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// Square root.
    Sqrt,
    /// sin
    Sin,
    /// cos
    Cos,
    /// tan
    Tan,
    /// cot
    Cot,
    /// sec
    Sec,
    /// csc
    Csc,
    /// arcsin
    Asin,
    /// arccos
    Acos,
    /// arctan
    Atan,
    /// natural log
    Ln,
    /// exp
    Exp,
    /// |x|
    Abs,
    /// floor
    Floor,
    /// ceil
    Ceil,
    /// n!
    Factorial,
}

/// An answer as parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// An integer literal (decimal digits, no sign).
    Int(String),
    /// A decimal literal such as `0.25` (its digits, no sign).
    Float(String),
    /// A symbol (a letter, a Greek letter, `x_1`, a `\text{…}` word).
    Sym(String),
    /// π
    Pi,
    /// Euler's number.
    E,
    /// The imaginary unit.
    I,
    /// ∞
    Inf,
    /// A sum.
    Add(Vec<Expr>),
    /// A product.
    Mul(Vec<Expr>),
    /// Negation.
    Neg(Box<Expr>),
    /// A quotient.
    Div(Box<Expr>, Box<Expr>),
    /// A power.
    Pow(Box<Expr>, Box<Expr>),
    /// A function of one argument.
    Call(Func, Box<Expr>),
    /// `\sqrt[n]{x}`.
    Root(Box<Expr>, Box<Expr>),
    /// `\log_b x` (base, argument).
    Log(Box<Expr>, Box<Expr>),
    /// `\binom{n}{k}`.
    Binom(Box<Expr>, Box<Expr>),
    /// `x\%`.
    Percent(Box<Expr>),
    /// An ordered tuple.
    Tuple(Vec<Expr>),
    /// A finite set (elements in the order written).
    Set(Vec<Expr>),
    /// An interval: start, end, left open, right open.
    Interval(Box<Expr>, Box<Expr>, bool, bool),
    /// A union of sets.
    Union(Vec<Expr>),
    /// A matrix, row by row.
    Matrix(Vec<Vec<Expr>>),
    /// A chain of relations `a op b op c …`.
    Rel(Vec<Expr>, Vec<RelOp>),
}

/// A complex number in floating point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct C {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

impl C {
    /// A real number.
    pub fn real(re: f64) -> C {
        C { re, im: 0.0 }
    }
    fn add(self, o: C) -> C {
        C::new(self.re + o.re, self.im + o.im)
    }
    fn new(re: f64, im: f64) -> C {
        C { re, im }
    }
    fn mul(self, o: C) -> C {
        C::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
    fn div(self, o: C) -> Option<C> {
        let d = o.re * o.re + o.im * o.im;
        if d == 0.0 {
            return None;
        }
        Some(C::new(
            (self.re * o.re + self.im * o.im) / d,
            (self.im * o.re - self.re * o.im) / d,
        ))
    }
    fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }
    fn is_real(self) -> bool {
        self.im.abs() <= 1e-12 * (1.0 + self.re.abs())
    }
    fn ln(self) -> Option<C> {
        let r = self.abs();
        if r == 0.0 {
            return None;
        }
        Some(C::new(r.ln(), self.im.atan2(self.re)))
    }
    fn exp(self) -> C {
        let m = self.re.exp();
        C::new(m * self.im.cos(), m * self.im.sin())
    }
    fn pow(self, e: C) -> Option<C> {
        if e.im == 0.0 && e.re.fract() == 0.0 && e.re.abs() <= 64.0 {
            // Integer powers exactly, negative bases included.
            let mut out = C::real(1.0);
            for _ in 0..(e.re.abs() as u32) {
                out = out.mul(self);
            }
            return if e.re < 0.0 {
                C::real(1.0).div(out)
            } else {
                Some(out)
            };
        }
        if self.is_real() && self.re >= 0.0 && e.is_real() {
            return Some(C::real(self.re.powf(e.re)));
        }
        if self.re == 0.0 && self.im == 0.0 {
            return Some(C::real(0.0));
        }
        Some(e.mul(self.ln()?).exp())
    }
    fn sqrt(self) -> C {
        if self.is_real() && self.re >= 0.0 {
            return C::real(self.re.sqrt());
        }
        let r = self.abs();
        let re = ((r + self.re) / 2.0).max(0.0).sqrt();
        let im = ((r - self.re) / 2.0).max(0.0).sqrt();
        C::new(re, if self.im < 0.0 { -im } else { im })
    }
}

/// Values given to free symbols when an expression is evaluated.
pub type Env<'a> = &'a [(String, f64)];

fn real_fn(x: C, f: fn(f64) -> f64) -> Option<C> {
    if !x.is_real() {
        return None;
    }
    let v = f(x.re);
    v.is_finite().then(|| C::real(v))
}

fn factorial(n: f64) -> Option<f64> {
    if n < 0.0 || n.fract() != 0.0 || n > 170.0 {
        return None;
    }
    Some((1..=n as u64).fold(1.0, |acc, k| acc * k as f64))
}

fn parse_num(s: &str) -> f64 {
    s.parse::<f64>().unwrap_or(f64::NAN)
}

impl Expr {
    /// The negation of `self`.
    pub fn negated(self) -> Expr {
        Expr::Neg(Box::new(self))
    }

    /// Whether this is a scalar expression (not a set, tuple, relation, …).
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            Expr::Tuple(_)
                | Expr::Set(_)
                | Expr::Interval(..)
                | Expr::Union(_)
                | Expr::Matrix(_)
                | Expr::Rel(..)
        )
    }

    /// The free symbols, sorted.
    pub fn symbols(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Sym(s) => {
                out.insert(s.clone());
            }
            Expr::Add(v) | Expr::Mul(v) | Expr::Tuple(v) | Expr::Set(v) | Expr::Union(v) => {
                v.iter().for_each(|e| e.symbols(out))
            }
            Expr::Rel(v, _) => v.iter().for_each(|e| e.symbols(out)),
            Expr::Neg(a) | Expr::Call(_, a) | Expr::Percent(a) => a.symbols(out),
            Expr::Div(a, b)
            | Expr::Pow(a, b)
            | Expr::Root(a, b)
            | Expr::Log(a, b)
            | Expr::Binom(a, b)
            | Expr::Interval(a, b, ..) => {
                a.symbols(out);
                b.symbols(out);
            }
            Expr::Matrix(rows) => rows.iter().flatten().for_each(|e| e.symbols(out)),
            _ => {}
        }
    }

    /// The value at `env`; `None` outside the domain, for non-scalars, or
    /// for a symbol without a value.
    pub fn eval(&self, env: Env<'_>) -> Option<C> {
        let v = match self {
            Expr::Int(s) | Expr::Float(s) => C::real(parse_num(s)),
            Expr::Sym(s) => C::real(env.iter().find(|(n, _)| n == s)?.1),
            Expr::Pi => C::real(std::f64::consts::PI),
            Expr::E => C::real(std::f64::consts::E),
            Expr::I => C::new(0.0, 1.0),
            Expr::Inf => C::real(f64::INFINITY),
            Expr::Add(v) => {
                let mut acc = C::real(0.0);
                for e in v {
                    acc = acc.add(e.eval(env)?);
                }
                acc
            }
            Expr::Mul(v) => {
                let mut acc = C::real(1.0);
                for e in v {
                    acc = acc.mul(e.eval(env)?);
                }
                acc
            }
            Expr::Neg(a) => {
                let x = a.eval(env)?;
                C::new(-x.re, -x.im)
            }
            Expr::Div(a, b) => a.eval(env)?.div(b.eval(env)?)?,
            Expr::Pow(a, b) => a.eval(env)?.pow(b.eval(env)?)?,
            Expr::Root(n, x) => {
                let n = n.eval(env)?;
                let x = x.eval(env)?;
                if x.is_real()
                    && n.is_real()
                    && x.re < 0.0
                    && n.re.fract() == 0.0
                    && n.re % 2.0 != 0.0
                {
                    C::real(-(-x.re).powf(1.0 / n.re))
                } else {
                    x.pow(C::real(1.0).div(n)?)?
                }
            }
            Expr::Log(b, x) => x.eval(env)?.ln()?.div(b.eval(env)?.ln()?)?,
            Expr::Binom(n, k) => {
                let n = n.eval(env)?;
                let k = k.eval(env)?;
                if !n.is_real() || !k.is_real() || k.re.fract() != 0.0 || k.re < 0.0 {
                    return None;
                }
                let mut acc = 1.0;
                for i in 0..(k.re as u64) {
                    acc = acc * (n.re - i as f64) / (i as f64 + 1.0);
                }
                C::real(acc)
            }
            Expr::Percent(a) => a.eval(env)?.div(C::real(100.0))?,
            Expr::Call(f, a) => {
                let x = a.eval(env)?;
                match f {
                    Func::Sqrt => x.sqrt(),
                    Func::Sin => real_fn(x, f64::sin)?,
                    Func::Cos => real_fn(x, f64::cos)?,
                    Func::Tan => real_fn(x, f64::tan)?,
                    Func::Cot => real_fn(x, |v| 1.0 / v.tan())?,
                    Func::Sec => real_fn(x, |v| 1.0 / v.cos())?,
                    Func::Csc => real_fn(x, |v| 1.0 / v.sin())?,
                    Func::Asin => real_fn(x, f64::asin)?,
                    Func::Acos => real_fn(x, f64::acos)?,
                    Func::Atan => real_fn(x, f64::atan)?,
                    Func::Ln => x.ln()?,
                    Func::Exp => x.exp(),
                    Func::Abs => C::real(x.abs()),
                    Func::Floor => real_fn(x, f64::floor)?,
                    Func::Ceil => real_fn(x, f64::ceil)?,
                    Func::Factorial => C::real(factorial(real_fn(x, |v| v)?.re)?),
                }
            }
            _ => return None,
        };
        (!v.re.is_nan() && !v.im.is_nan()).then_some(v)
    }
}

/// An exact rational `num/den` (den > 0), for answers without irrational parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rat {
    /// Numerator.
    pub num: i128,
    /// Denominator (positive).
    pub den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rat {
    fn new(num: i128, den: i128) -> Option<Rat> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let s = if den < 0 { -1 } else { 1 };
        Some(Rat {
            num: s * num / g,
            den: s * den / g,
        })
    }
    fn int(n: i128) -> Rat {
        Rat { num: n, den: 1 }
    }
    fn add(self, o: Rat) -> Option<Rat> {
        let n = self
            .num
            .checked_mul(o.den)?
            .checked_add(o.num.checked_mul(self.den)?)?;
        Rat::new(n, self.den.checked_mul(o.den)?)
    }
    fn mul(self, o: Rat) -> Option<Rat> {
        Rat::new(self.num.checked_mul(o.num)?, self.den.checked_mul(o.den)?)
    }
    fn div(self, o: Rat) -> Option<Rat> {
        Rat::new(self.num.checked_mul(o.den)?, self.den.checked_mul(o.num)?)
    }
    fn pow(self, e: i64) -> Option<Rat> {
        if e.unsigned_abs() > 512 {
            return None;
        }
        let mut out = Rat::int(1);
        for _ in 0..e.unsigned_abs() {
            out = out.mul(self)?;
        }
        if e < 0 {
            Rat::int(1).div(out)
        } else {
            Some(out)
        }
    }
    /// Parses decimal digits with an optional fraction part.
    pub fn parse(s: &str) -> Option<Rat> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = format!("{int}{frac}");
        if digits.is_empty() || digits.len() > 36 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num: i128 = digits.parse().ok()?;
        Rat::new(num, 10i128.checked_pow(frac.len() as u32)?)
    }
}

impl Expr {
    /// The exact value where the expression is rational arithmetic on
    /// literals (`None` otherwise or on overflow).
    pub fn exact(&self) -> Option<Rat> {
        match self {
            Expr::Int(s) | Expr::Float(s) => Rat::parse(s),
            Expr::Add(v) => v.iter().try_fold(Rat::int(0), |acc, e| acc.add(e.exact()?)),
            Expr::Mul(v) => v.iter().try_fold(Rat::int(1), |acc, e| acc.mul(e.exact()?)),
            Expr::Neg(a) => Rat::int(-1).mul(a.exact()?),
            Expr::Div(a, b) => a.exact()?.div(b.exact()?),
            Expr::Pow(a, b) => {
                let e = b.exact()?;
                if e.den != 1 {
                    return None;
                }
                a.exact()?.pow(i64::try_from(e.num).ok()?)
            }
            Expr::Percent(a) => a.exact()?.div(Rat::int(100)),
            Expr::Call(Func::Factorial, a) => {
                let n = a.exact()?;
                if n.den != 1 || !(0..=33).contains(&n.num) {
                    return None;
                }
                (1..=n.num).try_fold(Rat::int(1), |acc, k| acc.mul(Rat::int(k)))
            }
            Expr::Binom(n, k) => {
                let (n, k) = (n.exact()?, k.exact()?);
                if n.den != 1 || k.den != 1 || k.num < 0 || k.num > 64 {
                    return None;
                }
                let mut acc = Rat::int(1);
                for i in 0..k.num {
                    acc = acc.mul(Rat::int(n.num - i))?.div(Rat::int(i + 1))?;
                }
                Some(acc)
            }
            Expr::Call(Func::Abs, a) => {
                let r = a.exact()?;
                Some(Rat {
                    num: r.num.abs(),
                    den: r.den,
                })
            }
            _ => None,
        }
    }
}
