//! Aggregation as FastChat's `show_result.py --mode single`: ratings of -1
//! are dropped (`df[df["score"] != -1]`), the turn scores are the means of
//! the remaining turn-1 and turn-2 ratings, and the overall score is the mean
//! of all remaining ratings of both turns (not the mean of the two turn
//! means). Per category the same, over its questions.

use scorebox_sdk::metrics::{mean, mean_stderr};
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};

/// The benchmark's results key.
pub const TASK: &str = "mtbench";

/// MT-Bench's eight categories, in `question.jsonl` order.
pub const CATEGORIES: [&str; 8] = [
    "writing",
    "roleplay",
    "reasoning",
    "math",
    "coding",
    "extraction",
    "stem",
    "humanities",
];

fn metric_of(s: &ScoredSample, name: &str) -> Option<f64> {
    s.score
        .metrics
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
}

fn mean_metric(name: &str, values: &[f64]) -> Option<AggregateMetric> {
    Some(AggregateMetric {
        name: name.into(),
        filter: "none".into(),
        value: mean(values)?,
        stderr: mean_stderr(values),
    })
}

/// The metrics of a group of samples.
pub fn group(name: &str, level: Level, samples: &[&ScoredSample]) -> TaskReport {
    let turn1: Vec<f64> = samples
        .iter()
        .filter_map(|s| metric_of(s, "score_turn1"))
        .collect();
    let turn2: Vec<f64> = samples
        .iter()
        .filter_map(|s| metric_of(s, "score_turn2"))
        .collect();
    // show_result.py's row order: every turn-1 judgment, then every turn-2 one.
    let all: Vec<f64> = turn1.iter().chain(&turn2).copied().collect();
    let invalid: f64 = samples
        .iter()
        .filter_map(|s| metric_of(s, "invalid_ratings"))
        .sum();
    let mut metrics: Vec<AggregateMetric> = [
        mean_metric("score", &all),
        mean_metric("score_turn1", &turn1),
        mean_metric("score_turn2", &turn2),
    ]
    .into_iter()
    .flatten()
    .collect();
    metrics.push(AggregateMetric {
        name: "invalid_ratings".into(),
        filter: "none".into(),
        value: invalid,
        stderr: None,
    });
    TaskReport {
        name: name.into(),
        level,
        samples: samples.len() as u32,
        metrics,
    }
}

/// The task, then one subtask per category (the eight official ones in
/// their order, then any other, sorted).
///
/// # Errors
/// Never fails today; the signature matches the scorer's.
pub fn aggregate(samples: &[ScoredSample]) -> Result<Report, Error> {
    let all: Vec<&ScoredSample> = samples.iter().collect();
    let mut tasks = vec![group(TASK, Level::Task, &all)];
    let mut categories: Vec<&str> = CATEGORIES.to_vec();
    let mut others: Vec<&str> = samples
        .iter()
        .map(|s| s.subtask.as_str())
        .filter(|c| !CATEGORIES.contains(c))
        .collect();
    others.sort_unstable();
    others.dedup();
    categories.extend(others);
    for c in categories {
        let members: Vec<&ScoredSample> = samples.iter().filter(|s| s.subtask == c).collect();
        if !members.is_empty() {
            tasks.push(group(&format!("{TASK}_{c}"), Level::Subtask, &members));
        }
    }
    Ok(Report::new(tasks))
}
