//! Our BBH scoring against golden outputs of lm-evaluation-harness 0.4.13
//! (`fidelity/make_golden_lm_eval.py`), case by case: prompts of every
//! bundled row under every variant, filters and `exact_match` of the
//! invented responses, `acc_norm` of the invented log-likelihoods.

use std::collections::BTreeMap;

use bbh::Variant;
use bbh::episode::{BbhEpisode, score_response};
use bbh::load::Shared;
use bbh::tasks::subtask;
use scorebox_sdk::lmeval::choice_prediction;
use scorebox_sdk::testing::{self, by_id, json_f64};
use scorebox_sdk::{DataFile, Loaded, Query, Step};
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

#[test]
fn prompts_match_lm_eval_task_contexts() {
    let golden = read("golden_lm_eval.json");
    let mut checked = 0;
    for variant_name in Variant::NAMES {
        let variant = Variant::parse(variant_name).unwrap();
        let options = testing::options(&[("variant", variant_name)]);
        let (loaded, shared) = testing::load::<bbh::Bbh>(sample_files(), &options).unwrap();
        let shared: Shared = serde_json::from_str(&shared).unwrap();
        let mut ours = BTreeMap::new();
        for l in loaded {
            let Loaded::Sample(s) = l else {
                panic!("{l:?}")
            };
            let mut ep = BbhEpisode::new(&s, &shared, variant, 3).unwrap();
            let step = scorebox_sdk::Episode::step(&mut ep, None).unwrap();
            let conts = match step {
                Step::Ask(Query::Choose(c)) => Some(c.continuations),
                _ => None,
            };
            ours.insert(s.id.clone(), (ep.prompt().to_string(), conts));
        }
        for g in golden["prompts"].as_array().unwrap() {
            if g["variant"] != *variant_name {
                continue;
            }
            let id = g["id"].as_str().unwrap();
            let (prompt, conts) = &ours[id];
            assert_eq!(
                prompt,
                g["context"].as_str().unwrap(),
                "{variant_name} {id}"
            );
            if let Some(c) = g.get("continuations") {
                let want: Vec<String> = serde_json::from_value(c.clone()).unwrap();
                assert_eq!(conts.as_ref().unwrap(), &want, "{variant_name} {id}");
            }
            checked += 1;
        }
        let expected = golden["prompts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["variant"] == *variant_name)
            .count();
        assert_eq!(ours.len(), expected, "{variant_name}");
    }
    assert_eq!(checked, 146);
}

#[test]
fn filters_and_exact_match_match_lm_eval() {
    let cases = read("cases.json");
    let golden = by_id(&read("golden_lm_eval.json")["generative"]);
    let mut failures = Vec::new();
    let mut n = 0;
    for case in cases["generative"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let variant = Variant::parse(case["variant"].as_str().unwrap()).unwrap();
        let sub = subtask(case["subtask"].as_str().unwrap()).unwrap();
        let ours = score_response(
            variant,
            sub,
            case["input"].as_str().unwrap(),
            case["target"].as_str().unwrap(),
            case["response"].as_str().unwrap(),
        );
        let want = golden[id]["filters"].as_object().unwrap();
        assert_eq!(ours.len(), want.len(), "{id}");
        for (filter, text, em) in ours {
            let w = &want[filter];
            n += 1;
            if w["filtered"].as_str() != Some(text.as_str())
                || w["exact_match"].as_f64() != Some(em)
            {
                failures.push(format!(
                    "{id} {} {filter}: {:?}\n  expected ({}, {})\n  got      ({text:?}, {em})",
                    case["variant"], case["response"], w["filtered"], w["exact_match"]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(n, 314);
}

#[test]
fn acc_norm_matches_lm_eval() {
    let cases = read("cases.json");
    let golden = by_id(&read("golden_lm_eval.json")["loglikelihood"]);
    for case in cases["loglikelihood"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let sub = subtask(case["subtask"].as_str().unwrap()).unwrap();
        let choices: Vec<String> = sub.choices.unwrap().iter().map(|c| c.to_string()).collect();
        let lls: Vec<f64> = case["logprobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(json_f64)
            .collect();
        let p = choice_prediction(&lls, &choices).unwrap();
        let gold = choices
            .iter()
            .position(|c| c == case["target"].as_str().unwrap());
        assert_eq!(
            p.pred_norm as u64,
            golden[id]["pred_norm"].as_u64().unwrap(),
            "{id} {lls:?}"
        );
        let acc_norm = if Some(p.pred_norm) == gold { 1.0 } else { 0.0 };
        assert_eq!(acc_norm, golden[id]["acc_norm"].as_f64().unwrap(), "{id}");
    }
}
