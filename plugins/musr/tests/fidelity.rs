//! Our MuSR scoring against the references:
//! * lm-evaluation-harness 0.4.13's own `leaderboard_musr` pipeline
//!   (`fidelity/make_golden_lm_eval.py`): prompts, continuations, `acc_norm`
//!   per row, task and group values;
//! * the official `eval/eval.py` (`fidelity/golden_official.json`, see the
//!   fidelity README): prompts, per-response correctness and fallbacks, and
//!   per-domain totals under its random stream.

use std::collections::BTreeMap;

use musr::Musr;
use musr::episode::{MusrEpisode, needs_fallback, official_answer, official_correct};
use scorebox_sdk::{Answer, DataFile, Loaded, Query, Sample, ScoredSample, testing};
use serde_json::Value;

/// The invented corpus in the reference's layout.
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity/data");

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

fn samples(
    files: Vec<DataFile>,
    options: &[scorebox_sdk::OptionValue],
) -> BTreeMap<String, Sample> {
    let (loaded, shared) = testing::load::<Musr>(files, options).unwrap();
    testing::prepare::<Musr>(&shared, options).unwrap();
    loaded
        .into_iter()
        .map(|l| match l {
            Loaded::Sample(s) => (s.id.clone(), s),
            Loaded::Invalid(e) => panic!("{e:?}"),
        })
        .collect()
}

#[test]
fn leaderboard_matches_lm_eval() {
    let cases = read("cases.json");
    let golden = read("golden_lm_eval.json");
    let options = testing::options(&[]);
    let by_id = samples(testing::files_from_dir(DATA), &options);
    let mut scored = Vec::new();
    for g in golden["samples"].as_array().unwrap() {
        let domain = g["domain"].as_str().unwrap();
        let row = g["row"].as_u64().unwrap();
        let id = format!("{domain}/{row}");
        let s = &by_id[&id];
        let ep =
            MusrEpisode::new(s, musr::Variant::Leaderboard, musr::Fallback::Seeded, 0).unwrap();
        assert_eq!(ep.prompt(), g["prompt"].as_str().unwrap(), "{id}");
        let lls = &cases["rows"][domain][row as usize]["logprobs"];
        let mut conts = Vec::new();
        let score = testing::score::<Musr>(s, 0, &options, |q| {
            let Query::Choose(c) = q else { panic!() };
            conts = c.continuations.clone();
            testing::scores(lls.as_array().unwrap().iter().map(testing::json_f64))
        })
        .unwrap();
        let want: Vec<String> = serde_json::from_value(g["continuations"].clone()).unwrap();
        assert_eq!(conts, want, "{id}");
        assert_eq!(
            score.metrics[0].value,
            g["acc_norm"].as_f64().unwrap(),
            "{id}"
        );
        scored.push(ScoredSample {
            id: id.clone(),
            subtask: domain.into(),
            score,
        });
    }
    assert_eq!(scored.len(), 17);
    let report = testing::aggregate::<Musr>(scored, &options).unwrap();
    for (task, values) in golden["results"].as_object().unwrap() {
        let ours = report.tasks.iter().find(|t| t.name == *task).unwrap();
        assert_eq!(
            ours.metrics[0].value,
            values["acc_norm,none"].as_f64().unwrap(),
            "{task}"
        );
    }
}

/// The official files' layout (`[{context, questions}]`), as the host hands
/// a `.json` file over: one row per story.
fn official_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity/official"))
}

#[test]
fn official_prompts_parse_and_stream_match_eval_py() {
    let golden = read("golden_official.json");
    // 1. Each response alone: fallback taken or not, correctness when not.
    let mut n = 0;
    for c in golden["responses"].as_array().unwrap() {
        let parsed = official_answer(c["output"].as_str().unwrap());
        let choices = c["choices"].as_u64().unwrap() as usize;
        let gold = c["gold"].as_u64().unwrap() as usize;
        let fell_back = needs_fallback(&parsed, choices);
        assert_eq!(fell_back, c["fallback"].as_bool().unwrap(), "{c}");
        if !fell_back {
            assert_eq!(
                official_correct(&parsed, gold),
                c["correct"].as_bool().unwrap(),
                "{c}"
            );
        }
        n += 1;
    }
    assert!(n >= 40);
    // 2. A whole run: prompts and per-domain totals under the script's stream.
    for (options, key) in [(
        vec![("variant", "official"), ("fallback", "reference-stream")],
        "stream",
    )] {
        let options = testing::options(&options);
        let by_id = samples(official_files(), &options);
        let outputs: BTreeMap<String, String> = golden["run"]["outputs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let prompts: BTreeMap<String, String> = golden["run"]["prompts"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let mut scored = Vec::new();
        for (id, s) in &by_id {
            let mut seen = None;
            let score = testing::score::<Musr>(s, 0, &options, |q| {
                let Query::Generate(g) = q else { panic!() };
                assert_eq!(g.messages[0].content, musr::episode::SYSTEM_PROMPT);
                seen = Some(g.messages[1].content.clone());
                Answer::Text(outputs[id].clone())
            })
            .unwrap();
            assert_eq!(seen.as_deref(), Some(prompts[id].as_str()), "{id}");
            scored.push(ScoredSample {
                id: id.clone(),
                subtask: s.subtask.clone(),
                score,
            });
        }
        // Aggregation wants sample order (domain, then row).
        scored.sort_by_key(|s| {
            let (d, n) = s.id.split_once('/').unwrap();
            (
                musr::load::DOMAINS.iter().position(|x| *x == d).unwrap(),
                n.parse::<usize>().unwrap(),
            )
        });
        let report = testing::aggregate::<Musr>(scored, &options).unwrap();
        // The same fallbacks drew the same numbers (as multisets: ours are
        // listed in sample order, the script's in stream order).
        let mut ours: Vec<String> = report
            .revised
            .iter()
            .map(|s| {
                serde_json::from_str::<Value>(&s.score.details).unwrap()["fallback"]["draw"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let mut theirs: Vec<String> =
            serde_json::from_value(golden["run"]["draws"].clone()).unwrap();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs);
        for (domain, want) in golden["run"]["totals"].as_object().unwrap() {
            let t = report
                .tasks
                .iter()
                .find(|t| t.name == format!("musr_{domain}"))
                .unwrap();
            let (correct, total) = (want[0].as_f64().unwrap(), want[1].as_f64().unwrap());
            assert_eq!(t.samples as f64, total, "{key} {domain}");
            assert!(
                (t.metrics[0].value * total - correct).abs() < 1e-9,
                "{key} {domain}: {} vs {correct}/{total}",
                t.metrics[0].value
            );
        }
    }
}
