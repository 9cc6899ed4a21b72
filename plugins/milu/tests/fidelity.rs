//! Our MILU scoring against lm-evaluation-harness 0.4.13 running the
//! official task: `golden_milu.json` (AI4Bharat/MILU's own task folder, run
//! locally; see `fidelity/README.md`) and `golden_lm_eval.json`
//! (`make_golden_lm_eval.py`, the same rules restated), case by case.

use milu::Milu;
use scorebox_sdk::testing::{self, by_id, json_f64, samples};
use scorebox_sdk::{DataFile, Query};
use serde_json::Value;

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

fn corpus_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity/data"))
}

fn check(golden_file: &str) {
    let cases = read("cases.json");
    let golden = read(golden_file);
    for run in golden["runs"].as_array().unwrap() {
        let k = run["num_fewshot"].as_u64().unwrap().to_string();
        let options = testing::options(&[("num_fewshot", &k)]);
        let (loaded, shared) = testing::load::<Milu>(corpus_files(), &options).unwrap();
        testing::prepare::<Milu>(&shared, &options).unwrap();
        let want = by_id(&run["samples"]);
        let loaded = samples(loaded);
        assert_eq!(loaded.len(), want.len());
        let mut scored = Vec::new();
        for s in loaded {
            let (language, n) = s.id.split_once('/').unwrap();
            let lls: Vec<f64> =
                cases["loglikelihood"][language][n.parse::<usize>().unwrap()]["logprobs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(json_f64)
                    .collect();
            let g = &want[&s.id];
            assert_eq!(
                s.target,
                format!("option{}", g["target"].as_u64().unwrap() + 1)
            );
            let score = testing::scored::<Milu>(&s, 0, &options, |q| {
                let Query::Choose(c) = q else { panic!() };
                assert_eq!(c.context, g["prompt"].as_str().unwrap(), "{} prompt", s.id);
                let want: Vec<&str> = g["continuations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(c.continuations, want, "{} continuations", s.id);
                testing::scores(lls.clone())
            })
            .unwrap();
            assert_eq!(
                score.score.metrics[0].value,
                g["acc"].as_f64().unwrap(),
                "{} acc",
                s.id
            );
            scored.push(score);
        }
        let report = testing::aggregate::<Milu>(scored, &options).unwrap();
        for (task, values) in run["results"].as_object().unwrap() {
            let t = report
                .tasks
                .iter()
                .find(|t| t.name == *task)
                .unwrap_or_else(|| panic!("no {task}"));
            assert_eq!(t.metrics[0].filter, "none");
            assert_eq!(
                t.metrics[0].value,
                values["acc,none"].as_f64().unwrap(),
                "{golden_file} {k}-shot {task}"
            );
        }
    }
}

#[test]
fn agrees_with_the_official_task_folder() {
    check("golden_milu.json");
}

#[test]
fn agrees_with_the_restated_task() {
    check("golden_lm_eval.json");
}
