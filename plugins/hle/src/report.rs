//! Aggregation: the reference's `dump_metrics` over all samples and per
//! category.

use std::collections::BTreeMap;

use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};

use crate::load::{Skipped, subtask_of};
use crate::metrics::{accuracy_with_interval, calib_err};

/// The task name (results key); subtasks are `hle_<category>`.
pub const TASK: &str = "hle";

/// What aggregation needs of one sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// The judge said `yes`.
    pub correct: bool,
    /// The response's confidence (0–100) when the judge gave a verdict.
    pub confidence: Option<f64>,
}

fn metric_value(s: &ScoredSample, name: &str) -> Option<f64> {
    s.score
        .metrics
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
}

/// The outcome recorded in a sample's score.
///
/// # Errors
/// When the score is not an HLE episode's.
pub fn outcome(s: &ScoredSample) -> Result<Outcome, Error> {
    let bad = |what: &str| Error::new(format!("sample {}: {what}", s.id));
    let accuracy = metric_value(s, "accuracy").ok_or_else(|| bad("no `accuracy` metric"))?;
    let judged = metric_value(s, "judged").ok_or_else(|| bad("no `judged` metric"))?;
    let confidence = if judged == 1.0 {
        let details: serde_json::Value = serde_json::from_str(&s.score.details)
            .map_err(|e| bad(&format!("details are not JSON: {e}")))?;
        Some(
            details["confidence"]
                .as_f64()
                .ok_or_else(|| bad("a judged sample without `confidence` in its details"))?,
        )
    } else {
        None
    };
    Ok(Outcome {
        correct: accuracy == 1.0,
        confidence,
    })
}

fn value(name: &str, value: f64, stderr: Option<f64>) -> AggregateMetric {
    AggregateMetric {
        name: name.into(),
        filter: "none".into(),
        value,
        stderr,
    }
}

/// The metrics of one group of outcomes (in sample order): `accuracy`
/// (stderr `sqrt(p(1−p)/n)`), `accuracy_ci95`, `judged`, and
/// `calibration_error` (0–100) when at least `beta` samples were judged.
pub fn group_metrics(outcomes: &[Outcome], beta: usize) -> Vec<AggregateMetric> {
    let n = outcomes.len();
    let correct = outcomes.iter().filter(|o| o.correct).count();
    let Some((p, half)) = accuracy_with_interval(correct, n) else {
        return Vec::new();
    };
    let judged: Vec<&Outcome> = outcomes.iter().filter(|o| o.confidence.is_some()).collect();
    let mut out = vec![
        value("accuracy", p, Some(half / 1.96)),
        value("accuracy_ci95", half, None),
        value("judged", judged.len() as f64 / n as f64, None),
    ];
    // The reference: `np.array(confidence) / 100`, correct as booleans.
    let confidence: Vec<f64> = judged
        .iter()
        .map(|o| o.confidence.unwrap_or_default() / 100.0)
        .collect();
    let flags: Vec<bool> = judged.iter().map(|o| o.correct).collect();
    if let Some(cerr) = calib_err(&confidence, &flags, beta) {
        out.push(value("calibration_error", 100.0 * cerr, None));
    }
    out
}

/// The report: task `hle` over all samples, then one subtask per category
/// (sorted by name), each with [`group_metrics`] and `skipped_multimodal`.
///
/// # Errors
/// When a score is not an HLE episode's.
pub fn aggregate(
    samples: &[ScoredSample],
    skipped: &Skipped,
    beta: usize,
) -> Result<Report, Error> {
    let mut all = Vec::with_capacity(samples.len());
    let mut by_subtask: BTreeMap<&str, Vec<Outcome>> = BTreeMap::new();
    for s in samples {
        let o = outcome(s)?;
        all.push(o);
        by_subtask.entry(s.subtask.as_str()).or_default().push(o);
    }
    let mut skipped_by_subtask: BTreeMap<String, u32> = BTreeMap::new();
    for (category, count) in &skipped.multimodal {
        *skipped_by_subtask.entry(subtask_of(category)).or_default() += count;
    }
    let mut tasks = Vec::new();
    let mut task_metrics = group_metrics(&all, beta);
    task_metrics.push(value(
        "skipped_multimodal",
        f64::from(skipped.total()),
        None,
    ));
    tasks.push(TaskReport {
        name: TASK.into(),
        level: Level::Task,
        samples: all.len() as u32,
        metrics: task_metrics,
    });
    for (subtask, outcomes) in &by_subtask {
        let mut metrics = group_metrics(outcomes, beta);
        let n_skipped = skipped_by_subtask.get(*subtask).copied().unwrap_or(0);
        metrics.push(value("skipped_multimodal", f64::from(n_skipped), None));
        tasks.push(TaskReport {
            name: format!("{TASK}_{subtask}"),
            level: Level::Subtask,
            samples: outcomes.len() as u32,
            metrics,
        });
    }
    Ok(Report::new(tasks))
}
