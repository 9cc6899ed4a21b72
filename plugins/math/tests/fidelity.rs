//! Our MATH scorers against golden outputs produced by the references
//! themselves (`fidelity/make_golden.py`: lm_eval 0.4.13's task files,
//! math-verify 0.9.0, sympy 1.14), case by case.
//!
//! Deterministic string rules must agree on every case; the symbolic
//! verdicts (sympy `simplify`, math-verify) must agree on at least 99% of
//! the cases, and every disagreement must be listed with its cause in
//! `fidelity/disagreements.json` (and so in the README).

use std::collections::BTreeMap;

use math::boxed::{INVALID_ANSWER, reference_gold};
use math::episode::{score_leaderboard_original, score_math_verify, score_minerva, score_original};
use math::mathverify::{self, Parsed, Targets};
use math::minerva::{get_unnormalized_answer, normalize_final_answer, normalize_final_answer_v1};
use scorebox_sdk::testing;
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

struct Case {
    id: String,
    solution: String,
    response: String,
}

fn cases() -> Vec<Case> {
    read("cases.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            id: c["id"].as_str().unwrap().into(),
            solution: c["solution"].as_str().unwrap().into(),
            response: c["response"].as_str().unwrap().into(),
        })
        .collect()
}

fn golden() -> BTreeMap<String, Value> {
    testing::by_id(&read("golden.json")["cases"])
}

fn strings(p: &[Parsed]) -> Vec<String> {
    p.iter()
        .filter_map(|x| match x {
            Parsed::Str(s) => Some(s.clone()),
            Parsed::Expr(_) => None,
        })
        .collect()
}

fn ok_int(v: &Value) -> Option<bool> {
    v.get("ok").and_then(Value::as_i64).map(|x| x == 1)
}

#[test]
fn deterministic_rules_match_the_reference_case_by_case() {
    let golden = golden();
    let mut failures = Vec::new();
    let mut check = |id: &str, what: &str, want: Value, got: Value| {
        if want != got {
            failures.push(format!("{id} {what}:\n  expected {want}\n  got      {got}"));
        }
    };
    for case in cases() {
        let g = &golden[&case.id];
        let id = case.id.as_str();
        let gold = reference_gold(&case.solution);
        let want_gold = g["hendrycks_gold"]["ok"].as_str().map(str::to_string);
        check(
            id,
            "gold",
            want_gold.clone().into(),
            gold.map(str::to_string).into(),
        );
        if let (Some(gold), Some(want)) = (gold, ok_int(&g["hendrycks"])) {
            check(
                id,
                "hendrycks exact_match",
                want.into(),
                score_original(&case.response, gold).1.into(),
            );
        }
        let unnorm = get_unnormalized_answer(&case.response);
        check(
            id,
            "minerva unnormalized",
            g["minerva_unnormalized"].clone(),
            unnorm.clone().into(),
        );
        check(
            id,
            "minerva normalized",
            g["minerva_normalized"].clone(),
            normalize_final_answer(&unnorm).into(),
        );
        if let Some(gold) = gold {
            check(
                id,
                "minerva doc answer",
                g["minerva_doc_answer"].clone(),
                normalize_final_answer(gold).into(),
            );
        }
        let lb_gold = gold.unwrap_or(INVALID_ANSWER);
        check(
            id,
            "leaderboard answer",
            g["leaderboard_answer"].clone(),
            lb_gold.into(),
        );
        check(
            id,
            "leaderboard normalized",
            g["leaderboard_normalized"].clone(),
            normalize_final_answer_v1(&unnorm).into(),
        );
        check(
            id,
            "leaderboard normalized gold",
            g["leaderboard_normalized_gold"].clone(),
            normalize_final_answer_v1(lb_gold).into(),
        );
        let pred = mathverify::parse(&case.response, Targets::LatexAndExpr);
        check(
            id,
            "math-verify pred strings",
            g["math_verify_pred_strings"].clone(),
            strings(&pred).into(),
        );
        let gold_mv = mathverify::parse(&case.solution, Targets::LatexAndExpr);
        check(
            id,
            "math-verify gold strings",
            g["math_verify_gold_strings"].clone(),
            strings(&gold_mv).into(),
        );
        let gold_lb = mathverify::parse(&case.solution, Targets::LatexOnly);
        check(
            id,
            "leaderboard gold strings",
            g["leaderboard_gold_strings"].clone(),
            strings(&gold_lb).into(),
        );
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One symbolic verdict per case and scorer: (case id, scorer, reference, ours).
fn verdicts() -> Vec<(String, &'static str, bool, bool)> {
    let golden = golden();
    let mut out = Vec::new();
    for case in cases() {
        let g = &golden[&case.id];
        if let (Some(gold), Some(want)) = (reference_gold(&case.solution), ok_int(&g["minerva"])) {
            out.push((
                case.id.clone(),
                "minerva exact_match",
                want,
                score_minerva(&case.response, gold).1,
            ));
        }
        if let Some(want) = ok_int(&g["math_verify"]) {
            let got = score_math_verify(&case.response, &case.solution, Targets::LatexAndExpr).1;
            out.push((case.id.clone(), "minerva math_verify", want, got));
        }
        let lb_gold = reference_gold(&case.solution).unwrap_or(INVALID_ANSWER);
        let want = g["leaderboard"].as_i64() == Some(1);
        let got = score_math_verify(&case.response, &case.solution, Targets::LatexOnly).1;
        out.push((case.id.clone(), "leaderboard exact_match", want, got));
        let want = g["leaderboard_original"].as_i64() == Some(1);
        let got = score_leaderboard_original(&case.response, lb_gold).1;
        out.push((
            case.id.clone(),
            "leaderboard exact_match_original",
            want,
            got,
        ));
    }
    out
}

#[test]
fn symbolic_verdicts_agree_with_the_reference() {
    let known: BTreeMap<String, String> = read("disagreements.json")["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                format!(
                    "{} {}",
                    d["id"].as_str().unwrap(),
                    d["scorer"].as_str().unwrap()
                ),
                d["cause"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let all = verdicts();
    let mut by_scorer: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut seen = Vec::new();
    for (id, scorer, want, got) in &all {
        let e = by_scorer.entry(scorer).or_default();
        e.1 += 1;
        if want == got {
            e.0 += 1;
            continue;
        }
        let key = format!("{id} {scorer}");
        seen.push(key.clone());
        if !known.contains_key(&key) {
            unexplained.push(format!("{key}: reference {want}, ours {got}"));
        }
    }
    for (scorer, (agree, n)) in &by_scorer {
        println!(
            "{scorer}: {agree}/{n} = {:.2}%",
            100.0 * *agree as f64 / *n as f64
        );
    }
    let stale: Vec<&String> = known.keys().filter(|k| !seen.contains(k)).collect();
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed disagreements that no longer occur: {stale:?}"
    );
    for (scorer, (agree, n)) in by_scorer {
        assert!(
            agree as f64 >= 0.99 * n as f64,
            "{scorer}: {agree}/{n} below 99%"
        );
    }
}

/// Scoring time per response, natively (run with `--ignored --nocapture`;
/// the README quotes it). Warm: the regular expressions are compiled once.
#[test]
#[ignore]
fn timing() {
    let cases = cases();
    let gold: Vec<&str> = cases
        .iter()
        .map(|c| reference_gold(&c.solution).unwrap_or(INVALID_ANSWER))
        .collect();
    let rounds = 10;
    let time = |name: &str, f: &dyn Fn(&Case, &str) -> bool| {
        let _ = cases.iter().zip(&gold).filter(|(c, g)| f(c, g)).count();
        let start = std::time::Instant::now();
        let mut hits = 0;
        for _ in 0..rounds {
            hits += cases.iter().zip(&gold).filter(|(c, g)| f(c, g)).count();
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / (rounds * cases.len()) as f64;
        println!("{name}: {us:.1} µs per response ({hits} hits)");
    };
    time("original", &|c, g| score_original(&c.response, g).1);
    time("minerva exact_match", &|c, g| {
        score_minerva(&c.response, g).1
    });
    time("math_verify", &|c, _| {
        score_math_verify(&c.response, &c.solution, Targets::LatexAndExpr).1
    });
    time("leaderboard (both metrics)", &|c, g| {
        score_math_verify(&c.response, &c.solution, Targets::LatexOnly).1
            | score_leaderboard_original(&c.response, g).1
    });
}
