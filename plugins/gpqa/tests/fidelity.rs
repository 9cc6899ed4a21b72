//! Our GPQA scoring against lm-evaluation-harness 0.4.13's own pipeline
//! (`fidelity/make_golden_lm_eval.py`): per configuration and row, the
//! shuffled options, gold letter, prompt and metrics, the group values, and
//! the `cot_zeroshot` filters on 100 responses.

use std::collections::BTreeMap;

use gpqa::Gpqa;
use gpqa::episode::{GpqaEpisode, cot_scores};
use scorebox_sdk::{Answer, Loaded, Query, Sample, testing};
use serde_json::Value;

/// The invented corpus in the reference's layout.
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity/data");

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn pipeline_runs_match_lm_eval() {
    let cases = read("cases.json");
    let golden = read("golden_lm_eval.json");
    let mut checked = 0;
    for run in golden["runs"].as_array().unwrap() {
        let variant = run["variant"].as_str().unwrap();
        let seed = run["seed"].as_u64().unwrap().to_string();
        let options = testing::options(&[("variant", variant), ("shuffle_seed", &seed)]);
        let (loaded, shared) =
            testing::load::<Gpqa>(testing::files_from_dir(DATA), &options).unwrap();
        testing::prepare::<Gpqa>(&shared, &options).unwrap();
        // Samples by (config, row index within the configuration).
        let mut by_row: BTreeMap<(String, u64), Sample> = BTreeMap::new();
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for l in loaded {
            let Loaded::Sample(s) = l else {
                panic!("{l:?}")
            };
            let n = counts.entry(s.subtask.clone()).or_default();
            by_row.insert((s.subtask.clone(), *n), s);
            *n += 1;
        }
        let mut scored = BTreeMap::new();
        for g in run["samples"].as_array().unwrap() {
            let config = g["config"].as_str().unwrap().to_string();
            let row = g["row"].as_u64().unwrap();
            let sample = &by_row[&(config.clone(), row)];
            let v = gpqa::Variant::parse(variant).unwrap();
            let ep = GpqaEpisode::new(sample, v, gpqa::Shuffle::Reference, 0).unwrap();
            let (choices, gold) = ep.choices();
            let want: Vec<String> = serde_json::from_value(g["choices"].clone()).unwrap();
            let at = format!("{variant} seed {seed} {config} row {row}");
            assert_eq!(choices, want.as_slice(), "{at}");
            assert_eq!(
                gpqa::episode::LETTERS[gold],
                g["answer"].as_str().unwrap(),
                "{at}"
            );
            assert_eq!(ep.prompt(), g["prompt"].as_str().unwrap(), "{at}");
            let corpus = &cases["rows"][&config][row as usize];
            let score = testing::score::<Gpqa>(sample, 0, &options, |q| match q {
                Query::Choose(_) => testing::scores(
                    corpus["logprobs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(testing::json_f64),
                ),
                _ => Answer::Text(corpus["response"].as_str().unwrap().to_string()),
            })
            .unwrap();
            for (name, want) in g["metrics"].as_object().unwrap() {
                let key = match g.get("filter").and_then(Value::as_str) {
                    Some("strict-match") => "exact_match_strict".to_string(),
                    _ => name.clone(),
                };
                let got = score
                    .metrics
                    .iter()
                    .find(|m| m.name == key)
                    .unwrap_or_else(|| panic!("{at} {key}"));
                assert_eq!(got.value, want.as_f64().unwrap(), "{at} {key}");
                checked += 1;
            }
            scored.insert(
                sample.id.clone(),
                scorebox_sdk::ScoredSample {
                    id: sample.id.clone(),
                    subtask: sample.subtask.clone(),
                    score,
                },
            );
        }
        let report = testing::aggregate::<Gpqa>(scored.into_values().collect(), &options).unwrap();
        for (task, values) in run["results"].as_object().unwrap() {
            let ours = report
                .tasks
                .iter()
                .find(|t| t.name == *task)
                .unwrap_or_else(|| panic!("{task}"));
            for (key, want) in values.as_object().unwrap() {
                let (name, filter) = key.split_once(',').unwrap();
                let got = ours
                    .metrics
                    .iter()
                    .find(|m| m.name == name && m.filter == filter)
                    .unwrap();
                assert_eq!(got.value, want.as_f64().unwrap(), "{variant} {task} {key}");
            }
        }
    }
    assert_eq!(checked, 25 * 2 + 25 * 2 + 50);
}

#[test]
fn cot_filters_match_lm_eval() {
    let cases = read("cases.json");
    let golden: BTreeMap<String, Value> = read("golden_lm_eval.json")["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), c.clone()))
        .collect();
    let mut failures = Vec::new();
    for case in cases["filters"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let choices: Vec<String> = serde_json::from_value(case["choices"].clone()).unwrap();
        let gold = gpqa::episode::LETTERS
            .iter()
            .position(|l| *l == case["gold"].as_str().unwrap())
            .unwrap();
        let (strict, s, flexible, f) =
            cot_scores(case["response"].as_str().unwrap(), &choices, gold);
        let w = &golden[id]["filters"];
        let want = (
            w["strict-match"]["filtered"].as_str().unwrap(),
            w["strict-match"]["exact_match"].as_f64().unwrap(),
            w["flexible-extract"]["filtered"].as_str().unwrap(),
            w["flexible-extract"]["exact_match"].as_f64().unwrap(),
        );
        if (strict.as_str(), s, flexible.as_str(), f) != want {
            failures.push(format!(
                "{id} {:?} {choices:?}\n  expected {want:?}\n  got      {:?}",
                case["response"],
                (strict, s, flexible, f)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
