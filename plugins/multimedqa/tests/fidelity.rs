//! Our MultiMedQA scoring against the references' own output on the
//! invented corpus (`fidelity/make_golden.py`): lm-evaluation-harness
//! 0.4.13's `multimedqa` pipeline (prompts, continuations, per-sample `acc`
//! and `acc_norm`, every task and group value and stderr), and
//! scikit-learn 1.7.2's `accuracy_score` / macro `f1_score`.

use std::collections::BTreeMap;

use multimedqa::MultiMedQa;
use multimedqa::choice::ChoiceEpisode;
use multimedqa::item::Item;
use scorebox_metrics::classification::{accuracy, macro_f1};
use scorebox_sdk::{Loaded, Sample, ScoredSample, testing};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fidelity/data");

fn read(name: &str) -> Value {
    testing::read_json(format!("{}/fidelity/{name}", env!("CARGO_MANIFEST_DIR")))
}

/// lm-eval's task name → our subtask.
fn subtask_of(task: &str) -> &str {
    if task == "medqa_4options" {
        "medqa"
    } else {
        task
    }
}

fn strings(v: &Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap()
}

#[test]
fn the_multimedqa_pipeline_matches_lm_eval() {
    let cases = read("cases.json");
    let golden = read("golden.json");
    let options = testing::options(&[]);
    let (loaded, shared) =
        testing::load::<MultiMedQa>(testing::files_from_dir(DATA), &options).unwrap();
    testing::prepare::<MultiMedQa>(&shared, &options).unwrap();
    // Samples by (subtask, row of the task's evaluation split).
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
    let lm = &golden["lm_eval"];
    let want = lm["samples"].as_array().unwrap();
    assert_eq!(
        by_row.len(),
        want.len(),
        "train, validation and dev rows are not samples"
    );
    let mut scored = Vec::new();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for g in want {
        let task = g["task"].as_str().unwrap();
        let row = g["row"].as_u64().unwrap();
        let at = format!("{task} row {row}");
        let sample = &by_row[&(subtask_of(task).to_string(), row)];
        let item: Item = serde_json::from_str(&sample.data).unwrap();
        let ep = ChoiceEpisode::new(&item).unwrap();
        if ep.prompt() != g["prompt"].as_str().unwrap() {
            mismatches.push(format!(
                "{at}: prompt\n  lm-eval {:?}\n  ours    {:?}",
                g["prompt"],
                ep.prompt()
            ));
        }
        if ep.continuations() != strings(&g["continuations"]) {
            mismatches.push(format!("{at}: continuations {:?}", g["continuations"]));
        }
        let lls = cases["rows"][task][row as usize]["logprobs"]
            .as_array()
            .unwrap()
            .clone();
        let score = testing::score::<MultiMedQa>(sample, 0, &options, |_| {
            testing::scores(lls.iter().map(testing::json_f64))
        })
        .unwrap();
        let want_metrics = g["metrics"].as_object().unwrap();
        let got: BTreeMap<&str, f64> = score
            .metrics
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect();
        let want_map: BTreeMap<&str, f64> = want_metrics
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_f64().unwrap()))
            .collect();
        if got != want_map {
            mismatches.push(format!("{at}: metrics lm-eval {want_map:?} ours {got:?}"));
        }
        checked += want_map.len();
        scored.push(ScoredSample {
            id: sample.id.clone(),
            subtask: sample.subtask.clone(),
            score,
        });
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert_eq!(checked, 24 * 2 + 15 + 24);

    let report = testing::aggregate::<MultiMedQa>(scored, &options).unwrap();
    let mut values = 0;
    for (task, vals) in lm["results"].as_object().unwrap() {
        let ours = report
            .tasks
            .iter()
            .find(|t| t.name == *task)
            .unwrap_or_else(|| panic!("no {task} in our report"));
        for (key, want) in vals.as_object().unwrap() {
            let (name, filter) = key.split_once(',').unwrap();
            let (name, is_stderr) = match name.strip_suffix("_stderr") {
                Some(n) => (n, true),
                None => (name, false),
            };
            let m = ours
                .metrics
                .iter()
                .find(|m| m.name == name && m.filter == filter)
                .unwrap_or_else(|| panic!("{task} {key}"));
            let got = if is_stderr {
                m.stderr.unwrap()
            } else {
                m.value
            };
            assert_eq!(got, want.as_f64().unwrap(), "{task} {key}");
            values += 1;
        }
    }
    assert_eq!(values, 2 * 10 + 2 * 2);

    // PubMedQA's macro-F1 as scikit-learn computes it on the same predictions.
    let sk = &golden["sklearn"];
    let pubmed = report.tasks.iter().find(|t| t.name == "pubmedqa").unwrap();
    let f1 = pubmed
        .metrics
        .iter()
        .find(|m| m.name == "macro_f1")
        .unwrap();
    let run = sk["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "pubmedqa_run")
        .unwrap();
    assert_eq!(f1.value, run["macro_f1"].as_f64().unwrap());
    assert_eq!(
        pubmed
            .metrics
            .iter()
            .find(|m| m.name == "acc")
            .unwrap()
            .value,
        run["accuracy"].as_f64().unwrap()
    );
}

#[test]
fn accuracy_and_macro_f1_match_scikit_learn() {
    let cases = read("cases.json");
    let golden = read("golden.json");
    let sk = &golden["sklearn"];
    let mut lists: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let labels = &sk["pubmedqa_labels"];
    lists.insert(
        "pubmedqa_run".into(),
        (strings(&labels["y_true"]), strings(&labels["y_pred"])),
    );
    for c in cases["macro_f1"].as_array().unwrap() {
        lists.insert(
            c["id"].as_str().unwrap().into(),
            (strings(&c["y_true"]), strings(&c["y_pred"])),
        );
    }
    let want = testing::by_id(&sk["cases"]);
    assert_eq!(want.len(), lists.len());
    for (id, (t, p)) in &lists {
        assert_eq!(
            accuracy(t, p),
            want[id]["accuracy"].as_f64(),
            "{id} accuracy"
        );
        assert_eq!(
            macro_f1(t, p),
            want[id]["macro_f1"].as_f64(),
            "{id} macro_f1"
        );
    }
}
