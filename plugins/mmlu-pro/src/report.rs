//! Aggregation: `mmlu_pro` and one subtask per category.
//!
//! * official extraction: per category `correct / n`, overall
//!   `total correct / total n` (the reference's arithmetic, without the
//!   `+ 0.000001` it adds to the printed total's denominator); with
//!   `fallback=reference-stream` the misses are first resolved by replaying
//!   the reference's random stream (`replay_reference_stream`), and their
//!   resolved scores are returned as the report's `revised` samples;
//! * lm-eval extraction: lm-eval's `mmlu_pro` group, `sum(v_c * n_c) / sum(n_c)`
//!   over the category tasks in task-name order, pooled stderr;
//! * log-likelihood: lm-eval's single `leaderboard_mmlu_pro` task, the mean
//!   over all samples.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, combine, stat, task_report};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample};
use serde_json::Value;

use crate::{Config, Extraction, Fallback, Variant};

/// The results key of a category: `mmlu_pro_<category, spaces → _>`.
pub fn category_task(category: &str) -> String {
    format!("mmlu_pro_{}", category.replace(' ', "_"))
}

/// The official script's seed.
pub const REFERENCE_SEED: u64 = 12345;

/// One sample as the aggregation sees it.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    /// Index of the sample in the aggregated list.
    sample: usize,
    category: String,
    order: u64,
    value: f64,
    /// `(n_options, answer_index)` when the official fallback was deferred.
    deferred: Option<(u64, u64)>,
}

fn rows(samples: &[ScoredSample], metric: &str) -> Result<Vec<Row>, Error> {
    let mut out = Vec::with_capacity(samples.len());
    for (i, s) in samples.iter().enumerate() {
        let Some(m) = s.score.metrics.iter().find(|m| m.name == metric) else {
            continue;
        };
        let details: Value = serde_json::from_str(&s.score.details).unwrap_or(Value::Null);
        let order = details["order"].as_u64().unwrap_or(i as u64);
        let deferred = if details["fallback"]["deferred"] == Value::Bool(true) {
            let n = details["n_options"].as_u64();
            let a = details["answer_index"].as_u64();
            match (n, a) {
                (Some(n), Some(a)) => Some((n, a)),
                _ => {
                    return Err(Error::new(format!(
                        "sample {}: a deferred fallback needs `n_options` and `answer_index` in its details",
                        s.id
                    )));
                }
            }
        } else {
            None
        };
        out.push(Row {
            sample: i,
            category: s.subtask.clone(),
            order,
            value: m.value,
            deferred,
        });
    }
    Ok(out)
}

/// Replays `evaluate_from_local.py`'s fallback draws: `random.seed(12345)`
/// once; categories in `sorted()` order; within a category, samples in
/// dataset order; `save_res` runs twice per category and each run draws
/// `randint(0, n_options - 1)` for every sample without a letter, in order;
/// the second run's draw decides. Returns the second draw and the resolved
/// value of each deferred sample (by index into `rows`).
fn replay_reference_stream(rows: &[Row]) -> BTreeMap<usize, (u64, f64)> {
    let mut by_category: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_category.entry(r.category.as_str()).or_default().push(i);
    }
    let mut rng = PyRandom::from_seed(REFERENCE_SEED);
    let mut resolved = BTreeMap::new();
    for (_, mut members) in by_category {
        members.sort_by_key(|&i| rows[i].order);
        for pass in 0..2 {
            for &i in &members {
                let Some((n, answer_index)) = rows[i].deferred else {
                    continue;
                };
                let x = if n == 0 {
                    0
                } else {
                    rng.randint(0, n as i64 - 1) as u64
                };
                if pass == 1 {
                    resolved.insert(i, (x, if x == answer_index { 1.0 } else { 0.0 }));
                }
            }
        }
    }
    resolved
}

/// A deferred sample's score once the replay resolved it: `metric` set to
/// `value`, the draw recorded as `details.fallback.draw` (the details keep
/// `deferred: true`, so aggregating the revised scores replays the same way).
fn resolved_score(sample: &ScoredSample, metric: &str, draw: u64, value: f64) -> ScoredSample {
    let mut revised = sample.clone();
    for m in revised
        .score
        .metrics
        .iter_mut()
        .filter(|m| m.name == metric)
    {
        m.value = value;
    }
    if let Ok(mut details) = serde_json::from_str::<Value>(&revised.score.details) {
        if details["fallback"].is_object() {
            details["fallback"]["draw"] = draw.into();
        }
        revised.score.details = details.to_string();
    }
    revised
}

/// Builds the report for `config`. With `fallback=reference-stream`, every
/// deferred miss is resolved by the replay and returned in `revised`, in
/// sample order, so the samples file shows the replayed draw's score.
///
/// # Errors
/// Returns an error when a deferred sample lacks the details the replay needs.
pub fn aggregate(samples: &[ScoredSample], config: &Config) -> Result<Report, Error> {
    let (metric, filter) = config.metric();
    let mut rows = rows(samples, metric)?;
    let official =
        config.variant == Variant::Generative && config.extraction == Extraction::Official;
    let mut revised = Vec::new();
    if official && config.fallback == Fallback::ReferenceStream {
        for (i, (draw, v)) in replay_reference_stream(&rows) {
            rows[i].value = v;
            revised.push(resolved_score(&samples[rows[i].sample], metric, draw, v));
        }
    }
    // Per category, samples in dataset order.
    let mut by_category: BTreeMap<String, Vec<(u64, f64)>> = BTreeMap::new();
    for r in &rows {
        by_category
            .entry(r.category.clone())
            .or_default()
            .push((r.order, r.value));
    }
    let mut category_stats: Vec<(String, Stat)> = Vec::new();
    for (category, mut vals) in by_category {
        vals.sort_by_key(|(o, _)| *o);
        let v: Vec<f64> = vals.into_iter().map(|(_, v)| v).collect();
        if let Some(s) = stat(&v) {
            category_stats.push((category, s));
        }
    }
    // lm-eval's group and the display use task-name order.
    category_stats.sort_by_key(|(c, _)| category_task(c));

    let overall = match (config.variant, config.extraction) {
        (Variant::Generative, Extraction::LmEval) => {
            let parts: Vec<Stat> = category_stats.iter().map(|(_, s)| *s).collect();
            combine(&parts, Weighting::Size)
        }
        _ => {
            // Official: total correct / total, in sorted-category order; the
            // leaderboard task: the mean over all samples in sample order.
            let all: Vec<f64> = if official {
                let mut sorted: Vec<&Row> = rows.iter().collect();
                sorted.sort_by(|a, b| a.category.cmp(&b.category).then(a.order.cmp(&b.order)));
                sorted.iter().map(|r| r.value).collect()
            } else {
                rows.iter().map(|r| r.value).collect()
            };
            stat(&all)
        }
    };
    let mut tasks = Vec::new();
    if let Some(s) = overall {
        let mut top = task_report("mmlu_pro", Level::Task, metric, filter, &s);
        if config.variant == Variant::Loglikelihood {
            top.metrics.push(leaderboard_norm(s.value));
        }
        tasks.push(top);
    }
    for (category, s) in &category_stats {
        tasks.push(task_report(
            &category_task(category),
            Level::Subtask,
            metric,
            filter,
            s,
        ));
    }
    Ok(Report::new(tasks).with_revised(revised))
}

/// The Open LLM Leaderboard's normalised MMLU-Pro score: accuracy above
/// the 1-in-10 chance level, rescaled to [0, 1] and clamped at 0.
pub fn leaderboard_norm(acc: f64) -> AggregateMetric {
    const CHANCE: f64 = 0.1;
    AggregateMetric {
        name: "leaderboard_norm".into(),
        filter: "none".into(),
        value: ((acc - CHANCE) / (1.0 - CHANCE)).max(0.0),
        stderr: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OPTIONS;
    use scorebox_sdk::{MetricValue, Options, SampleScore};
    use serde_json::json;

    fn config(pairs: &[(&str, &str)]) -> Config {
        Config::from_options(&Options::from_pairs(OPTIONS, pairs).unwrap()).unwrap()
    }

    fn scored(id: u32, category: &str, metric: &str, v: f64, details: Value) -> ScoredSample {
        ScoredSample {
            id: id.to_string(),
            subtask: category.into(),
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: metric.into(),
                    value: v,
                }],
                extracted: None,
                details: details.to_string(),
            },
        }
    }

    fn deferred(order: u32, n: u32, answer_index: u32) -> Value {
        json!({"order": order, "n_options": n, "answer_index": answer_index,
               "fallback": {"mode": "reference-stream", "deferred": true}})
    }

    #[test]
    fn reference_stream_replays_two_passes_per_sorted_category() {
        // CPython: r = random.Random(12345); draws randint(0, n-1) in order
        // [math pass1: n=10, n=4] [math pass2: n=10, n=4] [physics pass1: n=10] [physics pass2: n=10]
        // r.randint(0,9), r.randint(0,3), r.randint(0,9), r.randint(0,3), r.randint(0,9), r.randint(0,9)
        // = 6, 0, 4, 2, 3, 4 (CPython 3.11).
        let samples = vec![
            // Given out of order: physics first, math second with order swapped.
            scored(3, "physics", "acc", 0.0, deferred(5, 10, 4)),
            scored(2, "math", "acc", 0.0, deferred(2, 4, 2)),
            scored(1, "math", "acc", 0.0, deferred(1, 10, 4)),
            scored(4, "math", "acc", 1.0, json!({"order": 3, "fallback": null})),
        ];
        let r = aggregate(&samples, &config(&[("fallback", "reference-stream")])).unwrap();
        let get = |n: &str| r.tasks.iter().find(|t| t.name == n).unwrap().metrics[0].value;
        // math second pass: 4 (n=10, gold 4 → hit), 2 (n=4, gold 2 → hit) + the answered one.
        assert_eq!(get("mmlu_pro_math"), 1.0);
        // physics second pass draw 4 → gold 4 → hit.
        assert_eq!(get("mmlu_pro_physics"), 1.0);
        assert_eq!(r.tasks[0].metrics[0].filter, "official-stream");
    }

    #[test]
    fn official_total_is_correct_over_total() {
        let mut samples = Vec::new();
        for i in 0..22 {
            samples.push(scored(
                i,
                "law",
                "acc",
                if i < 15 { 1.0 } else { 0.0 },
                json!({"order": i}),
            ));
        }
        for i in 22..45 {
            samples.push(scored(
                i,
                "math",
                "acc",
                if i < 35 { 1.0 } else { 0.0 },
                json!({"order": i}),
            ));
        }
        let r = aggregate(&samples, &config(&[])).unwrap();
        assert_eq!(r.tasks[0].name, "mmlu_pro");
        assert_eq!(r.tasks[0].metrics[0].value, 28.0 / 45.0);
        assert_eq!(r.tasks[0].metrics[0].filter, "official-seeded");
        // lm-eval's group: (15/22*22 + 13/23*23)/45 = 0.6222222222222221.
        let lm: Vec<ScoredSample> = samples
            .iter()
            .map(|s| {
                let mut s = s.clone();
                s.score.metrics[0].name = "exact_match".into();
                s
            })
            .collect();
        let r = aggregate(&lm, &config(&[("extraction", "lm-eval")])).unwrap();
        assert_eq!(r.tasks[0].metrics[0].value, 0.6222222222222221);
        assert_eq!(r.tasks[0].metrics[0].filter, "custom-extract");
        assert_eq!(r.tasks[1].name, "mmlu_pro_law");
    }

    #[test]
    fn category_names() {
        assert_eq!(
            category_task("computer science"),
            "mmlu_pro_computer_science"
        );
    }

    #[test]
    fn reference_stream_revises_the_deferred_samples() {
        // The draws of `reference_stream_replays_two_passes_per_sorted_category`:
        // math second pass 4 (n=10) and 2 (n=4), physics second pass 4.
        let samples = vec![
            scored(3, "physics", "acc", 0.0, deferred(5, 10, 7)),
            scored(2, "math", "acc", 0.0, deferred(2, 4, 2)),
            scored(1, "math", "acc", 0.0, deferred(1, 10, 4)),
            scored(4, "math", "acc", 1.0, json!({"order": 3, "fallback": null})),
        ];
        let stream = config(&[("fallback", "reference-stream")]);
        let r = aggregate(&samples, &stream).unwrap();
        // In sample order; the answered sample is not revised.
        let ids: Vec<&str> = r.revised.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["3", "2", "1"]);
        let acc: Vec<f64> = r.revised.iter().map(|s| s.score.metrics[0].value).collect();
        assert_eq!(acc, [0.0, 1.0, 1.0]);
        let draws: Vec<Value> = r
            .revised
            .iter()
            .map(|s| serde_json::from_str::<Value>(&s.score.details).unwrap()["fallback"].clone())
            .collect();
        assert_eq!(
            draws,
            [
                json!({"mode": "reference-stream", "deferred": true, "draw": 4}),
                json!({"mode": "reference-stream", "deferred": true, "draw": 2}),
                json!({"mode": "reference-stream", "deferred": true, "draw": 4}),
            ]
        );
        assert_eq!(r.revised[0].subtask, "physics");
        assert_eq!(r.revised[0].score.extracted, None);
        // The task values are those of the revised scores.
        let get = |n: &str| r.tasks.iter().find(|t| t.name == n).unwrap().metrics[0].value;
        assert_eq!(get("mmlu_pro_physics"), 0.0);
        assert_eq!(get("mmlu_pro_math"), 1.0);
        // Aggregating the revised scores again gives the same report.
        let mut again = samples.clone();
        for s in &r.revised {
            let i = again.iter().position(|x| x.id == s.id).unwrap();
            again[i] = s.clone();
        }
        assert_eq!(aggregate(&again, &stream).unwrap(), r);
        // The other fallbacks revise nothing.
        for pairs in [
            vec![],
            vec![("fallback", "none")],
            vec![("extraction", "lm-eval")],
        ] {
            assert!(
                aggregate(&samples, &config(&pairs))
                    .unwrap()
                    .revised
                    .is_empty()
            );
        }
    }

    #[test]
    fn leaderboard_norm_rescales_above_chance_and_clamps() {
        assert!((leaderboard_norm(0.55).value - 0.5).abs() < 1e-12);
        assert_eq!(leaderboard_norm(1.0).value, 1.0);
        assert_eq!(leaderboard_norm(0.05).value, 0.0);
    }
}
