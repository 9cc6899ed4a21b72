//! Our MMLU scoring against golden outputs of lm-evaluation-harness (see
//! `fidelity/make_golden_lm_eval.py`), case by case.

use mmlu::episode::{generative_exact_match, loglikelihood_acc};
use scorebox_sdk::testing::{self, by_id, json_f64};
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn generative_filter_and_exact_match_match_lm_eval() {
    let cases = read("cases.json");
    let golden = by_id(&read("golden_lm_eval.json")["generative"]);
    let mut failures = Vec::new();
    for case in cases["generative"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let (em, filtered) = generative_exact_match(
            case["response"].as_str().unwrap(),
            case["gold"].as_str().unwrap(),
        );
        let want_filtered = golden[id]["filtered"].as_str().unwrap();
        let want_em = golden[id]["exact_match"].as_f64().unwrap();
        if filtered != want_filtered || em != want_em {
            failures.push(format!(
                "case {id}: {:?}\n  expected ({want_filtered:?}, {want_em})\n  got      ({filtered:?}, {em})",
                case["response"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn loglikelihood_argmax_and_ties_match_numpy() {
    let cases = read("cases.json");
    let golden = by_id(&read("golden_lm_eval.json")["loglikelihood"]);
    for case in cases["loglikelihood"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let lls: Vec<f64> = case["logprobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(json_f64)
            .collect();
        let (acc, pred) = loglikelihood_acc(&lls, case["gold"].as_u64().unwrap() as u32);
        assert_eq!(
            pred,
            Some(golden[id]["pred"].as_u64().unwrap() as usize),
            "case {id}: {lls:?}"
        );
        assert_eq!(acc, golden[id]["acc"].as_f64().unwrap(), "case {id}");
    }
}
