//! Mathematical equivalence of parsed answers.
//!
//! * [`sympy_simplify_equal`]: Minerva's `is_equiv` test,
//!   `sympy.simplify(a - b) == 0`, on scalar expressions;
//! * [`math_verify_equal`]: math-verify's `sympy_expr_eq(gold, pred)` with
//!   `float_rounding=6`: assignments and equations, sets, tuples,
//!   intervals, matrices, text symbols, percentages, numbers rounded to 6
//!   decimals when one side is a decimal literal, else symbolic equality.
//!
//! Symbolic equality is decided numerically: both sides are evaluated
//! exactly (rational arithmetic) where they are rational, else in complex
//! floating point at fixed sample points for their free symbols, and must
//! agree to a relative 1e-10 at every point where both are defined.

use std::collections::BTreeSet;

use crate::expr::{C, Expr, RelOp};

/// Values the free symbols take, one list per sample point (fixed, so the
/// result is the same on every machine).
const POINTS: [f64; 4] = [0.7318, 1.4183, 2.1863, 0.3791];

const REL_TOL: f64 = 1e-10;

fn close(a: C, b: C) -> bool {
    if !(a.re.is_finite() && a.im.is_finite() && b.re.is_finite() && b.im.is_finite()) {
        return false;
    }
    let scale = 1.0_f64
        .max(a.re.abs())
        .max(b.re.abs())
        .max(a.im.abs())
        .max(b.im.abs());
    (a.re - b.re).abs() <= REL_TOL * scale && (a.im - b.im).abs() <= REL_TOL * scale
}

/// Whether two scalar expressions are equal for all values of their free
/// symbols (sampled), i.e. `simplify(a - b) == 0` for well-behaved input.
pub fn scalar_equal(a: &Expr, b: &Expr) -> bool {
    if let (Some(x), Some(y)) = (a.exact(), b.exact()) {
        return x == y;
    }
    let mut syms = BTreeSet::new();
    a.symbols(&mut syms);
    b.symbols(&mut syms);
    let syms: Vec<String> = syms.into_iter().collect();
    let sets = if syms.is_empty() { 1 } else { POINTS.len() };
    let mut agreed = 0;
    for k in 0..sets {
        let env: Vec<(String, f64)> = syms
            .iter()
            .enumerate()
            .map(|(j, s)| (s.clone(), POINTS[(k + j) % POINTS.len()] + 0.173 * j as f64))
            .collect();
        match (a.eval(&env), b.eval(&env)) {
            (Some(x), Some(y)) => {
                if !close(x, y) {
                    return false;
                }
                agreed += 1;
            }
            (None, None) => {}
            _ => return false,
        }
    }
    agreed > 0
}

/// Minerva `is_equiv` after both sides parsed (sympy dialect): scalars
/// only (a tuple, set or relation makes sympy's subtraction raise), and
/// infinities never compare equal (`oo - oo` is `nan`).
pub fn sympy_simplify_equal(a: &Expr, b: &Expr) -> bool {
    if !a.is_scalar() || !b.is_scalar() {
        return false;
    }
    scalar_equal(a, b)
}

// ----- math-verify ---------------------------------------------------------

fn strip_neg(e: &Expr) -> &Expr {
    match e {
        Expr::Neg(a) => strip_neg(a),
        other => other,
    }
}

/// Atomic number kinds as sympy sees a parsed literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Atom {
    Integer,
    Rational,
    Float,
}

fn atom_kind(e: &Expr) -> Option<Atom> {
    match strip_neg(e) {
        Expr::Int(_) => Some(Atom::Integer),
        Expr::Float(_) => Some(Atom::Float),
        Expr::Div(a, b) => match (strip_neg(a), strip_neg(b)) {
            (Expr::Int(_), Expr::Int(_)) => Some(Atom::Rational),
            _ => None,
        },
        _ => None,
    }
}

/// `(kind, is_percent)` of an atomic number or a percentage of one.
fn pct_atom(e: &Expr) -> Option<(Atom, bool)> {
    match e {
        Expr::Percent(inner) => atom_kind(inner).map(|k| (k, true)),
        other => atom_kind(other).map(|k| (k, false)),
    }
}

fn pct_value(e: &Expr) -> &Expr {
    match e {
        Expr::Percent(inner) => inner,
        other => other,
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round()
}

fn value(e: &Expr) -> Option<C> {
    e.eval(&[])
}

/// `sympy_numeric_eq` for scalars.
fn numeric_eq(a: &Expr, b: &Expr) -> bool {
    let (pa, pb) = (pct_atom(a), pct_atom(b));
    if pa.is_some() || pb.is_some() {
        let float = matches!(pa, Some((Atom::Float, _))) || matches!(pb, Some((Atom::Float, _)));
        if float {
            return match (value(a), value(b)) {
                (Some(x), Some(y)) => x.im == 0.0 && y.im == 0.0 && round6(x.re) == round6(y.re),
                _ => false,
            };
        }
        if matches!(pa, Some((Atom::Integer, _))) && matches!(pb, Some((Atom::Integer, _))) {
            return pct_value(a).exact() == pct_value(b).exact();
        }
        return match (a.exact(), b.exact()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        };
    }
    false
}

fn is_only_symbols(e: &Expr) -> bool {
    match e {
        Expr::Sym(_) => true,
        Expr::Mul(v) => v.iter().all(|x| matches!(x, Expr::Sym(_))),
        _ => false,
    }
}

fn is_equation(e: &Expr) -> bool {
    matches!(e, Expr::Rel(_, ops) if ops.iter().all(|o| *o == RelOp::Eq))
}

fn is_assignment(e: &Expr) -> bool {
    matches!(e, Expr::Rel(items, ops) if ops.iter().all(|o| *o == RelOp::Eq) && is_only_symbols(&items[0]))
}

fn is_set_like(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Set(_) | Expr::Tuple(_) | Expr::Interval(..) | Expr::Union(_)
    )
}

fn last_rhs(e: &Expr) -> Expr {
    match e {
        Expr::Rel(items, _) => items.last().cloned().unwrap_or(Expr::Set(Vec::new())),
        other => other.clone(),
    }
}

fn first_last(e: &Expr) -> Expr {
    match e {
        Expr::Rel(items, _) if items.len() > 2 => Expr::Rel(
            vec![items[0].clone(), items[items.len() - 1].clone()],
            vec![RelOp::Eq],
        ),
        other => other.clone(),
    }
}

/// `x < 3`, `3 \le x`, `1 < x < 2` as an interval of the one symbol.
fn relation_as_set(e: &Expr) -> Option<Expr> {
    let Expr::Rel(items, ops) = e else {
        return None;
    };
    let inf = || Expr::Inf;
    let ninf = || Expr::Inf.negated();
    match (items.as_slice(), ops.as_slice()) {
        ([l, r], [op]) => {
            let (bound, op) = match (l, r) {
                (Expr::Sym(_), b) if b.exact().is_some() || b.eval(&[]).is_some() => (b, *op),
                (b, Expr::Sym(_)) if b.eval(&[]).is_some() => (b, op.flipped()),
                _ => return None,
            };
            let b = Box::new(bound.clone());
            Some(match op {
                RelOp::Lt => Expr::Interval(Box::new(ninf()), b, true, true),
                RelOp::Le => Expr::Interval(Box::new(ninf()), b, true, false),
                RelOp::Gt => Expr::Interval(b, Box::new(inf()), true, true),
                RelOp::Ge => Expr::Interval(b, Box::new(inf()), false, true),
                _ => return None,
            })
        }
        ([lo, Expr::Sym(_), hi], [o1, o2]) => {
            let lo_open = match o1 {
                RelOp::Lt => true,
                RelOp::Le => false,
                _ => return None,
            };
            let hi_open = match o2 {
                RelOp::Lt => true,
                RelOp::Le => false,
                _ => return None,
            };
            Some(Expr::Interval(
                Box::new(lo.clone()),
                Box::new(hi.clone()),
                lo_open,
                hi_open,
            ))
        }
        _ => None,
    }
}

/// Structural equality up to the order of set elements (sympy's `==`).
fn structural_eq(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Set(x), Expr::Set(y)) => {
            x.iter().all(|e| y.iter().any(|f| structural_eq(e, f)))
                && y.iter().all(|e| x.iter().any(|f| structural_eq(e, f)))
        }
        _ => a == b,
    }
}

fn real_value(e: &Expr) -> Option<f64> {
    let v = value(e)?;
    (v.im == 0.0).then_some(v.re)
}

fn is_empty_interval(e: &Expr) -> bool {
    if let Expr::Interval(a, b, lo, hi) = e
        && let (Some(x), Some(y)) = (real_value(a), real_value(b))
    {
        return x > y || (x == y && (*lo || *hi));
    }
    false
}

fn compare_interval(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Interval(a0, a1, al, ar), Expr::Interval(b0, b1, bl, br)) => {
            al == bl && ar == br && expr_eq(a0, b0) && expr_eq(a1, b1)
        }
        _ => false,
    }
}

fn sort_by_value(v: &[Expr]) -> Vec<Expr> {
    let mut out = v.to_vec();
    out.sort_by(|x, y| {
        let kx = real_value(x);
        let ky = real_value(y);
        match (kx, ky) {
            (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => format!("{x:?}").cmp(&format!("{y:?}")),
        }
    });
    out
}

fn deep_compare(gold: &Expr, pred: &Expr) -> bool {
    let (g, p) = match (gold, pred) {
        (Expr::Set(g), Expr::Set(p)) => (sort_by_value(g), sort_by_value(p)),
        (Expr::Tuple(g), Expr::Set(p)) => (g.clone(), p.clone()),
        (Expr::Set(g), Expr::Tuple(p)) => (sort_by_value(g), sort_by_value(p)),
        (Expr::Tuple(g), Expr::Tuple(p)) => (g.clone(), p.clone()),
        _ => return false,
    };
    g.len() == p.len() && g.iter().zip(&p).all(|(x, y)| expr_eq(x, y))
}

/// Finite set of numbers: the same values (sympy's symmetric difference).
fn same_values(a: &[Expr], b: &[Expr]) -> bool {
    let vals =
        |v: &[Expr]| -> Option<Vec<crate::expr::Rat>> { v.iter().map(Expr::exact).collect() };
    match (vals(a), vals(b)) {
        (Some(x), Some(y)) => x.iter().all(|e| y.contains(e)) && y.iter().all(|e| x.contains(e)),
        _ => false,
    }
}

fn compare_sets(gold: &Expr, pred: &Expr) -> bool {
    let wrap = |e: &Expr| {
        if is_set_like(e) {
            if is_empty_interval(e) {
                Expr::Set(Vec::new())
            } else {
                e.clone()
            }
        } else {
            Expr::Set(vec![e.clone()])
        }
    };
    let (a, b) = (wrap(gold), wrap(pred));
    if let (Expr::Interval(..), Expr::Interval(..)) = (&a, &b) {
        return compare_interval(&a, &b);
    }
    if structural_eq(&a, &b) {
        return true;
    }
    if let (Expr::Set(x), Expr::Set(y)) = (&a, &b)
        && same_values(x, y)
    {
        return true;
    }
    if let (Expr::Union(x), Expr::Union(y)) = (&a, &b) {
        return x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| compare_sets(i, j)));
    }
    let finite = |e: &Expr| matches!(e, Expr::Set(_) | Expr::Tuple(_));
    if finite(&a) && finite(&b) {
        return deep_compare(&a, &b);
    }
    if let Expr::Interval(s, e, true, true) = &a
        && finite(&b)
    {
        return deep_compare(&Expr::Tuple(vec![(**s).clone(), (**e).clone()]), &b);
    }
    if let Expr::Interval(s, e, true, true) = &b
        && finite(&a)
    {
        return deep_compare(&a, &Expr::Tuple(vec![(**s).clone(), (**e).clone()]));
    }
    false
}

fn diff(l: &Expr, r: &Expr) -> Expr {
    Expr::Add(vec![l.clone(), r.clone().negated()])
}

/// The root of a linear equation in one symbol (`None` otherwise).
fn linear_root(e: &Expr) -> Option<(String, f64)> {
    let Expr::Rel(items, ops) = e else {
        return None;
    };
    if items.len() != 2 || ops != &[RelOp::Eq] {
        return None;
    }
    let d = diff(&items[0], &items[1]);
    let mut syms = BTreeSet::new();
    d.symbols(&mut syms);
    if syms.len() != 1 {
        return None;
    }
    let name = syms.into_iter().next()?;
    let at = |x: f64| {
        d.eval(&[(name.clone(), x)])
            .filter(|c| c.im == 0.0)
            .map(|c| c.re)
    };
    let (f0, f1, f2) = (at(0.0)?, at(1.0)?, at(2.0)?);
    let slope = f1 - f0;
    if slope == 0.0 || ((f2 - f1) - slope).abs() > 1e-9 * (1.0 + slope.abs()) {
        return None;
    }
    Some((name, -f0 / slope))
}

fn compare_relational(gold: &Expr, pred: &Expr) -> bool {
    let (Expr::Rel(gi, go), Expr::Rel(pi, po)) = (gold, pred) else {
        return false;
    };
    if go.len() != 1 || po.len() != 1 {
        if go.len() != po.len() {
            return false;
        }
        // A chain: each link in order.
        return go.iter().enumerate().all(|(k, _)| {
            compare_relational(
                &Expr::Rel(vec![gi[k].clone(), gi[k + 1].clone()], vec![go[k]]),
                &Expr::Rel(vec![pi[k].clone(), pi[k + 1].clone()], vec![po[k]]),
            )
        });
    }
    let gd = diff(&gi[0], &gi[1]);
    if go[0] == po[0] && expr_eq(&gd, &diff(&pi[0], &pi[1])) {
        return true;
    }
    if go[0].flipped() == po[0] && expr_eq(&gd, &diff(&pi[1], &pi[0])) {
        return true;
    }
    if go[0] == RelOp::Eq
        && po[0] == RelOp::Eq
        && let (Some((gs, gv)), Some((ps, pv))) = (linear_root(gold), linear_root(pred))
    {
        return gs == ps && close(C::real(gv), C::real(pv));
    }
    false
}

fn symbol_names(e: &Expr) -> Option<String> {
    match e {
        Expr::Mul(v) => v
            .iter()
            .map(|x| match x {
                Expr::Sym(s) => Some(s.clone()),
                Expr::E => Some("e".into()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn compare_symbols(gold: &Expr, pred: &Expr) -> bool {
    let is_e = |e: &Expr| matches!(e, Expr::Sym(s) if s.eq_ignore_ascii_case("e"));
    if (is_e(gold) && *pred == Expr::E) || (is_e(pred) && *gold == Expr::E) {
        return true;
    }
    if let (Expr::Sym(g), Some(p)) = (gold, symbol_names(pred)) {
        return g.to_lowercase() == p.to_lowercase();
    }
    if let (Some(g), Expr::Sym(p)) = (symbol_names(gold), pred) {
        return g.to_lowercase() == p.to_lowercase();
    }
    false
}

fn matrix_eq(a: &Expr, b: &Expr) -> Option<bool> {
    match (a, b) {
        (Expr::Matrix(x), Expr::Matrix(y)) => Some(
            x.len() == y.len()
                && x.iter().zip(y).all(|(r, s)| {
                    r.len() == s.len() && r.iter().zip(s).all(|(p, q)| expr_eq(p, q))
                }),
        ),
        (Expr::Matrix(_), _) | (_, Expr::Matrix(_)) => Some(false),
        _ => None,
    }
}

fn is_relation(e: &Expr) -> bool {
    matches!(e, Expr::Rel(..))
}

/// math-verify's `sympy_expr_eq(gold, pred, float_rounding=6)`.
pub fn math_verify_equal(gold: &Expr, pred: &Expr) -> bool {
    let mut gold = gold.clone();
    let mut pred = pred.clone();
    let gold_assign = is_assignment(&gold);
    let pred_assign = is_assignment(&pred);
    let gold_eqn = is_equation(&gold);
    let pred_eqn = is_equation(&pred);
    if gold_assign {
        gold = first_last(&gold);
    }
    if pred_assign {
        pred = first_last(&pred);
    }
    if pred_eqn && !gold_eqn {
        pred = last_rhs(&pred);
    } else if gold_assign && !pred_eqn {
        gold = last_rhs(&gold);
    }
    if is_relation(&gold)
        && is_set_like(&pred)
        && let Some(s) = relation_as_set(&gold)
    {
        gold = s;
    }
    expr_eq(&gold, &pred)
}

fn expr_eq(gold: &Expr, pred: &Expr) -> bool {
    if structural_eq(gold, pred) {
        return true;
    }
    if is_relation(gold) && is_relation(pred) {
        return compare_relational(gold, pred);
    }
    if is_relation(gold) || is_relation(pred) {
        return false;
    }
    if is_set_like(gold) || is_set_like(pred) {
        return compare_sets(gold, pred);
    }
    if let Some(m) = matrix_eq(gold, pred) {
        return m;
    }
    if matches!(gold, Expr::Sym(_)) || matches!(pred, Expr::Sym(_)) {
        return compare_symbols(gold, pred)
            || (has_no_text(gold) && has_no_text(pred) && scalar_equal(gold, pred));
    }
    if numeric_eq(gold, pred) {
        return true;
    }
    scalar_equal(gold, pred)
}

fn has_no_text(e: &Expr) -> bool {
    !matches!(e, Expr::Sym(s) if s.chars().count() > 1 && !s.contains('_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::latex::{Dialect, parse};

    fn mv(g: &str, p: &str) -> bool {
        let d = Dialect::MathVerify { complex: false };
        math_verify_equal(&parse(g, d).unwrap(), &parse(p, d).unwrap())
    }

    fn sy(a: &str, b: &str) -> bool {
        sympy_simplify_equal(
            &parse(a, Dialect::Sympy).unwrap(),
            &parse(b, Dialect::Sympy).unwrap(),
        )
    }

    #[test]
    fn simplify_like() {
        assert!(sy("\\frac{1}{2}", "0.5"));
        assert!(sy("2\\sqrt{2}", "\\sqrt{8}"));
        assert!(sy("(x+1)^2", "x^2+2x+1"));
        assert!(!sy("0.333", "\\frac13"));
        assert!(!sy("\\infty", "\\infty"));
        assert!(sy("\\frac{\\pi}{2}", "\\pi/2"));
    }

    #[test]
    fn math_verify_like() {
        assert!(mv("\\frac{1}{3}", "0.333333"));
        assert!(!mv("\\frac{1}{3}", "0.333"));
        assert!(mv("x=5", "5"));
        assert!(mv("5", "x=5"));
        assert!(mv("\\{1,2\\}", "\\{2,1\\}"));
        assert!(mv("(1,2]", "(1,2]"));
        assert!(!mv("(1,2]", "[1,2]"));
        assert!(mv("\\text{Monday}", "\\text{Monday}"));
        assert!(mv("2\\sqrt{2}", "2.828427"));
        assert!(mv("x > 3", "(3, \\infty)"));
        assert!(mv(
            "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
            "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}"
        ));
    }
}
