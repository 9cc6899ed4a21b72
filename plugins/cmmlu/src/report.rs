//! Aggregation: per subject, the micro average lm-eval reports and the
//! official macro average, each overall and per official category.
//!
//! * `cmmlu{S}` (level task) and `cmmlu_micro_<category>{S}` (group): the
//!   size-weighted mean over subjects (lm-eval's `weight_by_size: true`,
//!   `sum(acc_t · n_t) / sum(n_t)` in `_cmmlu.yaml` order, with
//!   `pooled_sample_stderr`). lm-eval's `cmmlu` group is the first; it has
//!   no category groups, so those are ours, computed the same way.
//! * `cmmlu_official_macro{S}` and `cmmlu_official_macro_<category>{S}`
//!   (group): the official `get_results`, the unweighted mean of the
//!   per-subject accuracies. `mode=reference` reproduces it exactly (a
//!   subject without results counts as 0; a first question `1` is dropped;
//!   phantom CSV rows count as wrong); `mode=corrected` averages the
//!   subjects present, over their samples.
//! * `cmmlu_<subject>{S}` (subtask): the subject's mean.
//!
//! `{S}` is the variant's suffix (`""`, `_letter`, `_generative`).
//! With `fallback=reference-stream`, deferred misses are first resolved by
//! replaying one `random.Random(stream_seed)` stream in the official order,
//! and returned as the report's `revised` samples.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, combine, metric, stat};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};
use serde_json::Value;

use crate::subjects::{Category, SUBJECTS};
use crate::{Config, Fallback, Mode, Variant};

/// One sample as the aggregation sees it.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    /// Index into the aggregated list.
    sample: usize,
    subject: String,
    row: u64,
    /// One value per metric of the variant (in [`Variant::metrics`] order).
    values: Vec<f64>,
    answer_index: u64,
    deferred: bool,
    phantom_rows: u64,
    dropped: bool,
}

fn rows(samples: &[ScoredSample], metrics: &[&str]) -> Result<Vec<Row>, Error> {
    let mut out = Vec::with_capacity(samples.len());
    for (i, s) in samples.iter().enumerate() {
        let values: Vec<f64> = metrics
            .iter()
            .filter_map(|name| s.score.metrics.iter().find(|m| m.name == *name))
            .map(|m| m.value)
            .collect();
        if values.len() != metrics.len() {
            continue;
        }
        let details: Value = serde_json::from_str(&s.score.details).unwrap_or(Value::Null);
        let deferred = details["fallback"]["deferred"] == Value::Bool(true);
        let answer_index = details["answer_index"].as_u64();
        if deferred && answer_index.is_none() {
            return Err(Error::new(format!(
                "sample {}: a deferred fallback needs `answer_index` in its details",
                s.id
            )));
        }
        out.push(Row {
            sample: i,
            subject: s.subtask.clone(),
            row: details["row"].as_u64().unwrap_or(i as u64),
            values,
            answer_index: answer_index.unwrap_or(0),
            deferred,
            phantom_rows: details["phantom_rows"].as_u64().unwrap_or(0),
            dropped: details["dropped"] == Value::Bool(true),
        });
    }
    Ok(out)
}

/// The subjects present, in the official order (`name_en2zh`, which is also
/// `_cmmlu.yaml`'s), then any other subtask alphabetically.
fn subject_order(by_subject: &BTreeMap<String, Vec<usize>>) -> Vec<String> {
    let mut order: Vec<String> = SUBJECTS
        .iter()
        .filter(|s| by_subject.contains_key(s.name))
        .map(|s| s.name.to_string())
        .collect();
    order.extend(
        by_subject
            .keys()
            .filter(|k| crate::subjects::subject(k).is_none())
            .cloned(),
    );
    order
}

/// Replays the official fallback draws from one `random.Random(seed)`
/// stream: subjects in `name_en2zh` order, rows in results-file order, one
/// `randint(0, 3)` per row without a letter (a dropped row draws nothing;
/// each phantom row draws one after its row). Returns `(draw, acc)` per
/// deferred row (index into `rows`).
fn replay_stream(
    rows: &[Row],
    order: &[String],
    by_subject: &BTreeMap<String, Vec<usize>>,
    seed: u64,
) -> BTreeMap<usize, (u64, f64)> {
    let mut rng = PyRandom::from_seed(seed);
    let mut resolved = BTreeMap::new();
    for subject in order {
        for &i in &by_subject[subject] {
            let r = &rows[i];
            if r.deferred && !r.dropped {
                let d = rng.randint(0, 3) as u64;
                resolved.insert(i, (d, if d == r.answer_index { 1.0 } else { 0.0 }));
            }
            for _ in 0..r.phantom_rows {
                rng.randint(0, 3);
            }
        }
    }
    resolved
}

/// A deferred sample once the replay resolved it: `acc` set, the draw in
/// `details.fallback.draw` (still `deferred: true`, so aggregating the
/// revised scores again replays the same way).
fn resolved_score(sample: &ScoredSample, draw: u64, value: f64) -> ScoredSample {
    let mut revised = sample.clone();
    for m in revised.score.metrics.iter_mut().filter(|m| m.name == "acc") {
        m.value = value;
    }
    if let Ok(mut details) = serde_json::from_str::<Value>(&revised.score.details) {
        if details["fallback"].is_object() {
            details["fallback"]["draw"] = draw.into();
        }
        details["pred"] = Value::String(crate::extract::CHOICES[draw as usize % 4].to_string());
        revised.score.details = details.to_string();
    }
    revised
}

/// The official per-subject accuracy of metric `k` (a fraction).
/// Reference: over the rows `get_results` keeps (a dropped first row out,
/// phantom rows in as wrong); an empty subject (the reference's NaN) gives 0.
/// Corrected: the samples' mean.
fn official_subject_acc(rows: &[Row], members: &[usize], k: usize, mode: Mode) -> f64 {
    match mode {
        Mode::Reference => {
            let mut correct = 0.0;
            let mut n = 0u64;
            for &i in members {
                let r = &rows[i];
                if !r.dropped {
                    correct += r.values[k];
                    n += 1;
                }
                n += r.phantom_rows;
            }
            if n == 0 { 0.0 } else { correct / n as f64 }
        }
        Mode::Corrected => {
            let v: Vec<f64> = members.iter().map(|&i| rows[i].values[k]).collect();
            stat(&v).map_or(0.0, |s| s.value)
        }
    }
}

/// The plain mean of `values` summed left to right (`None` when empty).
fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Builds the report for `config` (see the module documentation).
///
/// # Errors
/// Returns an error when a deferred sample lacks the details the replay needs.
pub fn aggregate(samples: &[ScoredSample], config: &Config) -> Result<Report, Error> {
    let metrics = config.variant.metrics();
    let suffix = config.variant.suffix();
    let filter = config.filter();
    let macro_filter = config.macro_filter();
    let mut rows = rows(samples, metrics)?;

    let mut by_subject: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_subject.entry(r.subject.clone()).or_default().push(i);
    }
    for members in by_subject.values_mut() {
        members.sort_by_key(|&i| rows[i].row);
    }
    let order = subject_order(&by_subject);

    let mut revised = Vec::new();
    if config.variant == Variant::Generative && config.fallback == Fallback::ReferenceStream {
        for (i, (draw, v)) in replay_stream(&rows, &order, &by_subject, config.stream_seed) {
            rows[i].values[0] = v;
            revised.push((
                rows[i].sample,
                resolved_score(&samples[rows[i].sample], draw, v),
            ));
        }
        revised.sort_by_key(|(i, _)| *i);
    }

    // Per subject and metric: mean and stderr over its samples in row order.
    let subject_stats: BTreeMap<&str, Vec<Stat>> = order
        .iter()
        .filter_map(|subject| {
            let members = &by_subject[subject];
            let stats: Option<Vec<Stat>> = (0..metrics.len())
                .map(|k| {
                    stat(
                        &members
                            .iter()
                            .map(|&i| rows[i].values[k])
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            stats.map(|s| (subject.as_str(), s))
        })
        .collect();

    let micro = |members: &[&str]| -> Option<Vec<AggregateMetric>> {
        let mut out = Vec::new();
        for (k, name) in metrics.iter().enumerate() {
            let parts: Vec<Stat> = members
                .iter()
                .filter_map(|m| subject_stats.get(m).map(|s| s[k]))
                .collect();
            out.push(metric(name, &filter, &combine(&parts, Weighting::Size)?));
        }
        Some(out)
    };
    let size = |members: &[&str]| -> u32 {
        members
            .iter()
            .filter_map(|m| subject_stats.get(m).map(|s| s[0].n))
            .sum()
    };
    let official = |members: &[&str], zero_fill: bool| -> Option<Vec<AggregateMetric>> {
        let mut out = Vec::new();
        for (k, name) in metrics.iter().enumerate() {
            let values: Vec<f64> = members
                .iter()
                .filter_map(|m| match by_subject.get(*m) {
                    Some(idx) => Some(official_subject_acc(&rows, idx, k, config.mode)),
                    None => zero_fill.then_some(0.0),
                })
                .collect();
            out.push(AggregateMetric {
                name: name.to_string(),
                filter: macro_filter.clone(),
                value: mean(&values)?,
                stderr: None,
            });
        }
        Some(out)
    };
    let zero_fill = config.mode == Mode::Reference;

    let mut tasks = Vec::new();
    let all: Vec<&str> = order.iter().map(String::as_str).collect();
    if let Some(m) = micro(&all) {
        tasks.push(TaskReport {
            name: format!("cmmlu{suffix}"),
            level: Level::Task,
            samples: size(&all),
            metrics: m,
        });
    }
    for c in Category::ALL {
        let members = c.members();
        if let Some(m) = micro(&members) {
            tasks.push(TaskReport {
                name: format!("cmmlu_micro_{}{suffix}", c.key()),
                level: Level::Group,
                samples: size(&members),
                metrics: m,
            });
        }
    }
    // The official Overall: every subject of the 67 (missing ones as 0 in
    // reference mode; other subtasks are never read by `get_results`).
    let overall: Vec<&str> = if zero_fill {
        SUBJECTS.iter().map(|s| s.name).collect()
    } else {
        all.clone()
    };
    if !all.is_empty() {
        if let Some(m) = official(&overall, zero_fill) {
            tasks.push(TaskReport {
                name: format!("cmmlu_official_macro{suffix}"),
                level: Level::Group,
                samples: size(&overall),
                metrics: m,
            });
        }
        for c in Category::ALL {
            let members = c.members();
            if size(&members) == 0 && !zero_fill {
                continue;
            }
            if let Some(m) = official(&members, zero_fill) {
                tasks.push(TaskReport {
                    name: format!("cmmlu_official_macro_{}{suffix}", c.key()),
                    level: Level::Group,
                    samples: size(&members),
                    metrics: m,
                });
            }
        }
    }
    let mut subjects_sorted: Vec<&&str> = subject_stats.keys().collect();
    subjects_sorted.sort();
    for subject in subjects_sorted {
        let stats = &subject_stats[*subject];
        tasks.push(TaskReport {
            name: format!("cmmlu_{subject}{suffix}"),
            level: Level::Subtask,
            samples: stats[0].n,
            metrics: metrics
                .iter()
                .zip(stats)
                .map(|(name, s)| metric(name, &filter, s))
                .collect(),
        });
    }
    Ok(Report::new(tasks).with_revised(revised.into_iter().map(|(_, s)| s).collect()))
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

    fn scored(subject: &str, row: u64, values: &[(&str, f64)], details: Value) -> ScoredSample {
        let mut d = details;
        d["row"] = row.into();
        ScoredSample {
            id: format!("{subject}/{row}"),
            subtask: subject.into(),
            score: SampleScore {
                metrics: values
                    .iter()
                    .map(|(n, v)| MetricValue {
                        name: n.to_string(),
                        value: *v,
                    })
                    .collect(),
                extracted: None,
                details: d.to_string(),
            },
        }
    }

    fn many(subject: &str, correct: usize, total: usize) -> Vec<ScoredSample> {
        (0..total)
            .map(|i| {
                let v = if i < correct { 1.0 } else { 0.0 };
                scored(subject, i as u64, &[("acc", v), ("acc_norm", v)], json!({}))
            })
            .collect()
    }

    fn value(r: &Report, name: &str) -> f64 {
        r.tasks
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .metrics[0]
            .value
    }

    #[test]
    fn micro_and_macro_side_by_side() {
        // arts (Humanities) 15/22, virology (STEM) 13/23.
        let mut s = many("arts", 15, 22);
        s.extend(many("virology", 13, 23));
        let corrected = aggregate(&s, &config(&[("mode", "corrected")])).unwrap();
        assert_eq!(corrected.tasks[0].name, "cmmlu");
        assert_eq!(value(&corrected, "cmmlu"), 0.6222222222222221);
        assert_eq!(corrected.tasks[0].metrics[1].name, "acc_norm");
        assert_eq!(
            value(&corrected, "cmmlu_official_macro"),
            (15.0 / 22.0 + 13.0 / 23.0) / 2.0
        );
        assert_eq!(value(&corrected, "cmmlu_official_macro_stem"), 13.0 / 23.0);
        assert_eq!(value(&corrected, "cmmlu_micro_humanities"), 15.0 / 22.0);
        assert!(
            corrected
                .tasks
                .iter()
                .all(|t| t.name != "cmmlu_official_macro_other")
        );
        let m = &corrected
            .tasks
            .iter()
            .find(|t| t.name == "cmmlu_official_macro")
            .unwrap();
        assert_eq!(
            (m.metrics[0].filter.as_str(), m.metrics[0].stderr),
            ("corrected", None)
        );
        // Reference: the 65 missing subjects count as 0 in the Overall and in
        // their categories.
        let reference = aggregate(&s, &config(&[])).unwrap();
        assert_eq!(
            value(&reference, "cmmlu_official_macro"),
            (15.0 / 22.0 + 13.0 / 23.0) / 67.0
        );
        assert_eq!(
            value(&reference, "cmmlu_official_macro_stem"),
            13.0 / 23.0 / 17.0
        );
        assert_eq!(value(&reference, "cmmlu_official_macro_other"), 0.0);
        assert_eq!(value(&reference, "cmmlu"), 0.6222222222222221);
    }

    #[test]
    fn reference_rows_dropped_and_phantom() {
        let s = vec![
            scored("arts", 0, &[("acc", 1.0)], json!({"dropped": true})),
            scored("arts", 1, &[("acc", 1.0)], json!({"phantom_rows": 2})),
            scored("arts", 2, &[("acc", 0.0)], json!({})),
        ];
        let c = config(&[("variant", "official-letter")]);
        let r = aggregate(&s, &c).unwrap();
        assert_eq!(r.tasks[0].name, "cmmlu_letter");
        assert_eq!(value(&r, "cmmlu_letter"), 2.0 / 3.0);
        // Official arts: 1 correct of (2 kept + 2 phantom) rows, over 67.
        assert_eq!(value(&r, "cmmlu_official_macro_letter"), 0.25 / 67.0);
        let c = config(&[("variant", "official-letter"), ("mode", "corrected")]);
        let r = aggregate(&s, &c).unwrap();
        assert_eq!(value(&r, "cmmlu_official_macro_letter"), 2.0 / 3.0);
    }

    #[test]
    fn stream_replay_in_official_order() {
        let miss = |subject: &str, row: u64, answer: u64, extra: Value| {
            let mut d = json!({"answer_index": answer,
                               "fallback": {"mode": "reference-stream", "deferred": true}});
            if let Value::Object(m) = extra {
                for (k, v) in m {
                    d[k] = v;
                }
            }
            scored(subject, row, &[("acc", 0.0)], d)
        };
        // Sample order differs from the official order (virology after arts).
        let s = vec![
            miss("virology", 0, 3, json!({})),
            miss("arts", 1, 3, json!({})),
            miss("arts", 0, 0, json!({"phantom_rows": 1})),
        ];
        let c = config(&[
            ("variant", "generative"),
            ("fallback", "reference-stream"),
            ("stream_seed", "5"),
        ]);
        let r = aggregate(&s, &c).unwrap();
        // python3: r = random.Random(5); [r.randint(0, 3) for _ in range(4)]
        // = [2, 2, 0, 3]: arts/0 draws 2, its phantom row 2, arts/1 draws 0,
        // virology/0 draws 3 (its answer).
        let draws: Vec<(String, Value)> = r
            .revised
            .iter()
            .map(|s| {
                let d: Value = serde_json::from_str(&s.score.details).unwrap();
                (s.id.clone(), d["fallback"]["draw"].clone())
            })
            .collect();
        assert_eq!(
            draws,
            [
                ("virology/0".to_string(), json!(3)),
                ("arts/1".to_string(), json!(0)),
                ("arts/0".to_string(), json!(2)),
            ]
        );
        let acc: Vec<f64> = r.revised.iter().map(|s| s.score.metrics[0].value).collect();
        assert_eq!(acc, [1.0, 0.0, 0.0]);
        assert_eq!(value(&r, "cmmlu_virology_generative"), 1.0);
        assert_eq!(r.tasks[0].metrics[0].filter, "reference-stream");
        // Aggregating the revised scores again gives the same report.
        let again: Vec<ScoredSample> = s
            .iter()
            .map(|x| r.revised.iter().find(|y| y.id == x.id).unwrap().clone())
            .collect();
        assert_eq!(aggregate(&again, &c).unwrap(), r);
    }
}
