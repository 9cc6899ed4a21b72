//! Aggregation: the four IFEval metrics (lm-eval's `mean` for the
//! prompt-level ones, `agg_inst_level_acc` for the instruction-level ones),
//! `leaderboard_norm` for the leaderboard configuration, and per-category and
//! per-instruction breakdowns.

use std::collections::BTreeMap;

use scorebox_sdk::metrics::mean_stderr;
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};
use serde_json::Value;

use crate::Variant;
use crate::instructions::category;
use crate::score::Verdict;

fn metric(name: &str, value: f64, stderr: Option<f64>) -> AggregateMetric {
    AggregateMetric {
        name: name.into(),
        filter: "none".into(),
        value,
        stderr,
    }
}

/// Strict and loose counts over a set of instructions.
#[derive(Default, Clone, Copy)]
struct Tally {
    n: u32,
    strict: u32,
    loose: u32,
}

impl Tally {
    fn add(&mut self, v: &Verdict) {
        self.n += 1;
        self.strict += u32::from(v.strict);
        self.loose += u32::from(v.loose);
    }

    fn report(&self, name: String) -> TaskReport {
        let n = f64::from(self.n);
        TaskReport {
            name,
            level: Level::Subtask,
            samples: self.n,
            metrics: vec![
                metric("inst_level_strict_acc", f64::from(self.strict) / n, None),
                metric("inst_level_loose_acc", f64::from(self.loose) / n, None),
            ],
        }
    }
}

/// Builds the report.
///
/// # Errors
/// A sample whose details lack the per-instruction verdicts.
pub fn aggregate(samples: &[ScoredSample], variant: Variant) -> Result<Report, Error> {
    let task = variant.task_name();
    let mut strict_prompt = Vec::with_capacity(samples.len());
    let mut loose_prompt = Vec::with_capacity(samples.len());
    let mut all = Tally::default();
    let mut by_id: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    for s in samples {
        let details: Value = serde_json::from_str(&s.score.details).unwrap_or(Value::Null);
        let verdicts: Vec<Verdict> = serde_json::from_value(details["instructions"].clone())
            .map_err(|e| {
                Error::new(format!(
                    "sample {}: details lack the per-instruction verdicts: {e}",
                    s.id
                ))
            })?;
        strict_prompt.push(if verdicts.iter().all(|v| v.strict) {
            1.0
        } else {
            0.0
        });
        loose_prompt.push(if verdicts.iter().all(|v| v.loose) {
            1.0
        } else {
            0.0
        });
        for v in &verdicts {
            all.add(v);
            by_id.entry(v.id.clone()).or_default().add(v);
            by_category
                .entry(category(&v.id).to_string())
                .or_default()
                .add(v);
        }
    }
    if samples.is_empty() {
        return Ok(Report::new(Vec::new()));
    }
    // lm-eval: `mean` is sum / len of the booleans, `agg_inst_level_acc`
    // sum / len of the flattened booleans (no stderr for the latter).
    let n = samples.len() as f64;
    let prompt_strict = strict_prompt.iter().sum::<f64>() / n;
    let prompt_loose = loose_prompt.iter().sum::<f64>() / n;
    let inst = |k: u32| {
        if all.n == 0 {
            f64::NAN
        } else {
            f64::from(k) / f64::from(all.n)
        }
    };
    let inst_strict = inst(all.strict);
    let mut metrics = vec![
        metric(
            "prompt_level_strict_acc",
            prompt_strict,
            mean_stderr(&strict_prompt),
        ),
        metric("inst_level_strict_acc", inst_strict, None),
        metric(
            "prompt_level_loose_acc",
            prompt_loose,
            mean_stderr(&loose_prompt),
        ),
        metric("inst_level_loose_acc", inst(all.loose), None),
    ];
    if variant == Variant::Leaderboard {
        // HF Open LLM Leaderboard v2: the mean of the two strict accuracies,
        // not baseline-shifted.
        metrics.push(metric(
            "leaderboard_norm",
            (prompt_strict + inst_strict) / 2.0,
            None,
        ));
    }
    let mut tasks = vec![TaskReport {
        name: task.to_string(),
        level: Level::Task,
        samples: samples.len() as u32,
        metrics,
    }];
    for (c, t) in &by_category {
        tasks.push(t.report(format!("{task}_category_{c}")));
    }
    for (id, t) in &by_id {
        tasks.push(t.report(format!("{task}_inst_{id}")));
    }
    Ok(Report::new(tasks))
}
