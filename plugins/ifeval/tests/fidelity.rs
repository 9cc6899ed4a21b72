//! The fidelity corpus (`fidelity/cases.json`, written by us) against the
//! verdicts of lm-evaluation-harness's own IFEval code (`fidelity/golden.json`,
//! produced by `fidelity/make_golden.py` with lm_eval 0.4.13, langdetect 1.0.9
//! seeded 0, nltk 3.10.4): every strict and loose boolean of every
//! instruction of every case, and the four metrics over the corpus.

use ifeval::episode::score_response;
use ifeval::{Variant, gold, load, report, score};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::{ScoredSample, Step, testing};
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

fn bools(v: &Value) -> Vec<bool> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_bool().unwrap())
        .collect()
}

#[test]
fn every_verdict_matches_lm_eval() {
    let corpus = read("cases.json");
    let golden = read("golden.json");
    let prompts: Vec<load::Prompt> = corpus["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| load::parse(&p.to_string()).unwrap())
        .collect();
    let responses = corpus["responses"].as_array().unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    let results = golden["results"].as_array().unwrap();
    assert_eq!(cases.len(), results.len());
    let mut mismatches = Vec::new();
    let mut booleans = 0;
    let mut scored = Vec::new();
    for (i, (case, want)) in cases.iter().zip(results).enumerate() {
        let key = case["key"].as_i64().unwrap();
        let prompt = prompts.iter().find(|p| p.key == key).unwrap();
        let response = responses[case["response"].as_u64().unwrap() as usize]
            .as_str()
            .unwrap();
        let instructions = prompt.instructions(&mut PyRandom::from_seed(0)).unwrap();
        let got = score::evaluate(&instructions, response);
        let (ws, wl) = (bools(&want["strict"]), bools(&want["loose"]));
        assert_eq!(got.len(), ws.len());
        for (j, v) in got.iter().enumerate() {
            booleans += 2;
            if v.strict != ws[j] || v.loose != wl[j] {
                mismatches.push(format!(
                    "case {i} key {key} {}: strict {} (lm_eval {}), loose {} (lm_eval {}) on {response:?}",
                    v.id, v.strict, ws[j], v.loose, wl[j]
                ));
            }
        }
        if case["gold"] == Value::Bool(true) {
            assert!(
                ws.iter().all(|&b| b),
                "lm_eval rejects our reference answer for key {key}: {ws:?}"
            );
            assert_eq!(
                response,
                gold::reference(&instructions),
                "reference answer for key {key} changed; regenerate the corpus"
            );
        }
        let Step::Done(score) = score_response(&instructions, response) else {
            panic!()
        };
        scored.push(ScoredSample {
            id: format!("{i}"),
            subtask: String::new(),
            score,
        });
    }
    assert!(
        mismatches.is_empty(),
        "{} of {booleans} booleans differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    println!("{booleans} booleans identical");
    let r = report::aggregate(&scored, Variant::Ifeval).unwrap();
    for m in &r.tasks[0].metrics {
        let want: f64 = golden["metrics"][&m.name]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(m.value, want, "{}", m.name);
    }
}
