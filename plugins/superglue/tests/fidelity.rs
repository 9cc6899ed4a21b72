//! Fidelity against lm-evaluation-harness 0.4.13: our invented corpus
//! (`fidelity/data`, `fidelity/cases.json`) scored by lm_eval's own
//! `simple_evaluate` (`fidelity/golden_lm_eval.json`, written by
//! `fidelity/make_golden_lm_eval.py`). Prompts, continuations, per-sample
//! values and task values must agree exactly.

use std::collections::BTreeMap;

use scorebox_sdk::testing::{self, files_from_dir, json_f64, read_json, samples};
use scorebox_sdk::{Answer, Query, Report, Sample, ScoredSample};
use serde_json::Value;
use superglue::SuperGlue;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

struct Run {
    /// Sample id → (the query asked, the scored sample).
    by_id: BTreeMap<String, (Query, ScoredSample)>,
    report: Report,
}

fn corpus() -> Vec<Sample> {
    let files = files_from_dir(format!("{DIR}/fidelity/data"));
    let opts = testing::options(&[]);
    let (items, shared) = testing::load::<SuperGlue>(files, &opts).unwrap();
    testing::prepare::<SuperGlue>(&shared, &opts).unwrap();
    samples(items)
}

fn case<'a>(cases: &'a Value, id: &str) -> &'a Value {
    let (task, key) = id.split_once('/').unwrap();
    &cases[task][key]
}

fn run(variant: &str, mode: &str) -> Run {
    let cases = read_json(format!("{DIR}/fidelity/cases.json"));
    let opts = testing::options(&[("variant", variant), ("mode", mode)]);
    let mut by_id = BTreeMap::new();
    let mut scored = Vec::new();
    for s in corpus() {
        let c = case(&cases, &s.id).clone();
        let mut asked = None;
        let out = testing::scored::<SuperGlue>(&s, 0, &opts, |q| {
            asked = Some(q.clone());
            match q {
                Query::Choose(_) => {
                    testing::scores(c["logprobs"].as_array().unwrap().iter().map(json_f64))
                }
                _ => Answer::Text(c["response"].as_str().unwrap().to_string()),
            }
        })
        .unwrap();
        testing::assert_declared::<SuperGlue>(&out);
        by_id.insert(s.id.clone(), (asked.unwrap(), out.clone()));
        scored.push(out);
    }
    let report = testing::aggregate::<SuperGlue>(scored, &opts).unwrap();
    Run { by_id, report }
}

fn golden() -> Value {
    read_json(format!("{DIR}/fidelity/golden_lm_eval.json"))
}

fn metric(s: &ScoredSample, name: &str) -> Option<f64> {
    s.score
        .metrics
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
}

fn details(s: &ScoredSample) -> Value {
    serde_json::from_str(&s.score.details).unwrap()
}

fn task_value(report: &Report, task: &str, name: &str) -> f64 {
    let t = report
        .tasks
        .iter()
        .find(|t| t.name == task)
        .unwrap_or_else(|| panic!("no task {task}"));
    t.metrics
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{task} has no {name}"))
        .value
}

fn is_default_task(task: &str) -> bool {
    !task.starts_with("super_glue-")
}

#[test]
fn prompts_and_per_sample_values_match_lm_eval() {
    let golden = golden();
    let mut checked = 0;
    for variant in ["loglikelihood", "generative"] {
        let ours = run(variant, "reference");
        for (task, rows) in golden["samples"].as_object().unwrap() {
            if is_default_task(task) != (variant == "loglikelihood") {
                continue;
            }
            let mut seen = std::collections::BTreeSet::new();
            for g in rows.as_array().unwrap() {
                let id = g["id"].as_str().unwrap();
                // lm-eval's t5 ReCoRD task repeats a query once per gold answer.
                if !seen.insert(id.to_string()) {
                    continue;
                }
                let (query, s) = ours
                    .by_id
                    .get(id)
                    .unwrap_or_else(|| panic!("{id} not loaded"));
                match query {
                    Query::Choose(c) => {
                        assert_eq!(
                            c.context,
                            g["prompt"].as_str().unwrap(),
                            "{task} {id} prompt"
                        );
                        let conts: Vec<String> = g["continuations"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap().to_string())
                            .collect();
                        assert_eq!(c.continuations, conts, "{task} {id} continuations");
                    }
                    Query::Generate(r) => {
                        assert_eq!(r.messages.len(), 1);
                        assert_eq!(
                            r.messages[0].content,
                            g["prompt"].as_str().unwrap(),
                            "{task} {id} prompt"
                        );
                        let until: Vec<String> = g["until"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap().to_string())
                            .collect();
                        assert_eq!(r.params.stop, until, "{task} {id} stop");
                    }
                    Query::Judge(_) => panic!("no judge"),
                }
                let d = details(s);
                for name in ["acc", "exact_match", "accuracy"] {
                    if let Some(v) = g.get(name) {
                        assert_eq!(metric(s, name), Some(json_f64(v)), "{task} {id} {name}");
                    }
                }
                match task.as_str() {
                    "record" => {
                        for name in ["f1", "em"] {
                            assert_eq!(
                                metric(s, name),
                                Some(json_f64(&g[name])),
                                "{task} {id} {name}"
                            );
                        }
                    }
                    "cb" => {
                        // lm-eval's per-sample f1 is (gold, pred).
                        assert_eq!(d["gold"], g["f1"][0], "{id}");
                        assert_eq!(d["pred"], g["f1"][1], "{id}");
                    }
                    "super_glue-cb-t5-prompt" => {
                        assert_eq!(d["pred"], g["mean_3class_f1"][0], "{id}");
                        assert_eq!(d["gold"], g["mean_3class_f1"][1], "{id}");
                    }
                    "super_glue-multirc-t5-prompt" => {
                        let pred = g["f1"][0].as_i64().or(g["f1"][0].as_bool().map(i64::from));
                        assert_eq!(d["pred"].as_i64(), pred, "{id} pred");
                        assert_eq!(d["label"], g["f1"][1], "{id} label");
                        assert_eq!(d["question_key"], g["em"][0], "{id} group");
                    }
                    _ => {}
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 130, "samples compared");
}

#[test]
fn task_values_match_lm_eval() {
    let golden = golden();
    let mut checked = 0;
    for variant in ["loglikelihood", "generative"] {
        let ours = run(variant, "reference");
        for (task, values) in golden["results"].as_object().unwrap() {
            if is_default_task(task) != (variant == "loglikelihood") {
                continue;
            }
            for (key, v) in values.as_object().unwrap() {
                let (name, filter) = key.split_once(',').unwrap();
                assert_eq!(filter, "none");
                assert_eq!(
                    task_value(&ours.report, task, name),
                    json_f64(v),
                    "{task} {key}"
                );
                checked += 1;
            }
        }
        if variant == "loglikelihood" {
            let extra = &golden["extra"]["multirc_loglikelihood_reference"];
            for name in ["f1a", "em"] {
                assert_eq!(
                    task_value(&ours.report, "multirc", name),
                    json_f64(&extra[name]),
                    "multirc {name}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 23);
}

#[test]
fn corrected_values_match_lm_eval_functions() {
    let golden = golden();
    let extra = &golden["extra"];
    let ll = run("loglikelihood", "corrected");
    let m = &extra["multirc_loglikelihood_corrected"];
    for name in ["acc", "f1a", "em"] {
        assert_eq!(
            task_value(&ll.report, "multirc", name),
            json_f64(&m[name]),
            "multirc {name}"
        );
    }
    let r = &extra["record_loglikelihood_corrected"];
    for name in ["f1", "em"] {
        assert_eq!(
            task_value(&ll.report, "record", name),
            json_f64(&r[name]),
            "record {name}"
        );
    }
    let per_query: Vec<f64> = r["per_query_f1"]
        .as_array()
        .unwrap()
        .iter()
        .map(json_f64)
        .collect();
    // The corpus rows, in order: by query index.
    let mut ordered: Vec<(i64, f64)> = ll
        .by_id
        .iter()
        .filter(|(id, _)| id.starts_with("record/"))
        .map(|(id, (_, s))| {
            let q: i64 = id.rsplit('-').next().unwrap().parse().unwrap();
            (q, metric(s, "f1").unwrap())
        })
        .collect();
    ordered.sort_by_key(|(q, _)| *q);
    assert_eq!(
        ordered.into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
        per_query
    );
    // The other default tasks are unchanged by `corrected`.
    let reference = run("loglikelihood", "reference");
    for task in ["boolq", "cb", "copa", "sglue_rte", "wic", "wsc"] {
        let a = &ll
            .report
            .tasks
            .iter()
            .find(|t| t.name == task)
            .unwrap()
            .metrics;
        let b = &reference
            .report
            .tasks
            .iter()
            .find(|t| t.name == task)
            .unwrap()
            .metrics;
        assert_eq!(
            a.iter().map(|m| m.value).collect::<Vec<_>>(),
            b.iter().map(|m| m.value).collect::<Vec<_>>(),
            "{task}"
        );
        assert!(a.iter().all(|m| m.filter == "corrected"));
    }

    let generative = run("generative", "corrected");
    assert_eq!(
        task_value(&generative.report, "super_glue-multirc-t5-prompt", "em"),
        json_f64(&extra["multirc_generative_corrected"]["em"])
    );
    assert_eq!(
        task_value(&generative.report, "super_glue-record-t5-prompt", "em"),
        json_f64(&extra["record_generative_corrected"]["em"])
    );
    let cb = &extra["cb_generative_corrected"];
    assert_eq!(
        task_value(
            &generative.report,
            "super_glue-cb-t5-prompt",
            "mean_3class_f1"
        ),
        json_f64(&cb["mean_3class_f1"])
    );
    let mut preds: Vec<(i64, Value)> = generative
        .by_id
        .iter()
        .filter(|(id, _)| id.starts_with("cb/"))
        .map(|(id, (_, s))| (id[3..].parse().unwrap(), details(s)["pred"].clone()))
        .collect();
    preds.sort_by_key(|(i, _)| *i);
    assert_eq!(
        Value::Array(preds.into_iter().map(|(_, p)| p).collect()),
        cb["preds"]
    );
}
