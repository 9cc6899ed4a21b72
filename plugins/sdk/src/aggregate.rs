//! Aggregation: per-subtask statistics and groups, in lm-evaluation-harness's
//! order of operations.
//!
//! A subtask's value is the mean of its samples' values (in sample order) and
//! its stderr lm-eval's `mean_stderr`. A group combines its member subtasks
//! with [`combine`]: [`Weighting::Size`] is lm-eval's `weight_by_size: true`
//! (`sum(v_t * n_t) / sum(n_t)`, the micro average up to the last bit),
//! [`Weighting::Equal`] its `false` (the macro average); the stderr is
//! lm-eval's `pooled_sample_stderr` in both cases.

use std::collections::BTreeMap;

use crate::metrics::{mean, mean_stderr};
use crate::{AggregateMetric, Level, Report, ScoredSample, TaskReport};

/// One aggregated value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stat {
    /// The value (a mean).
    pub value: f64,
    /// Its standard error, when defined (`None` is lm-eval's `N/A`).
    pub stderr: Option<f64>,
    /// Number of samples it covers.
    pub n: u32,
}

/// Mean and `mean_stderr` of `values`; `None` when empty.
pub fn stat(values: &[f64]) -> Option<Stat> {
    Some(Stat {
        value: mean(values)?,
        stderr: mean_stderr(values),
        n: values.len() as u32,
    })
}

/// How a group weighs its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weighting {
    /// Weighted by size: lm-eval `weight_by_size: true` (micro average).
    Size,
    /// Every member counts once: lm-eval `weight_by_size: false` (macro average).
    Equal,
}

/// lm-eval's group aggregation over `parts`, in their order:
/// `aggregate_subtask_metrics` for the value and `pooled_sample_stderr` for
/// the stderr (`None` when any part has none, or when the pooled variance
/// is undefined). `None` when `parts` is empty.
pub fn combine(parts: &[Stat], weighting: Weighting) -> Option<Stat> {
    if parts.is_empty() {
        return None;
    }
    let weight = |s: &Stat| match weighting {
        Weighting::Size => f64::from(s.n),
        Weighting::Equal => 1.0,
    };
    let mut num = 0.0;
    let mut den = 0.0;
    for p in parts {
        num += p.value * weight(p);
        den += weight(p);
    }
    let n: u32 = parts.iter().map(|p| p.n).sum();
    let stderr = pooled_sample_stderr(parts);
    Some(Stat {
        value: num / den,
        stderr,
        n,
    })
}

/// lm-eval's `pooled_sample_stderr(stderrs, sizes)`:
/// `sqrt(sum((n_t - 1) * se_t^2 * n_t) / (sum(n_t) - k) / sum(n_t))`.
pub fn pooled_sample_stderr(parts: &[Stat]) -> Option<f64> {
    let mut num = 0.0;
    for p in parts {
        let se = p.stderr?;
        let n = f64::from(p.n);
        num += (n - 1.0) * (se * se) * n;
    }
    let total: u32 = parts.iter().map(|p| p.n).sum();
    let dof = i64::from(total) - parts.len() as i64;
    if dof <= 0 {
        return None;
    }
    Some((num / dof as f64 / f64::from(total)).sqrt())
}

/// Values of `metric` per subtask, each list in sample order (samples
/// lacking the metric are skipped).
pub fn values_by_subtask(samples: &[ScoredSample], metric: &str) -> BTreeMap<String, Vec<f64>> {
    let mut out: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for s in samples {
        if let Some(v) = s.score.metrics.iter().find(|m| m.name == metric) {
            out.entry(s.subtask.clone()).or_default().push(v.value);
        }
    }
    out
}

/// Values of `metric` over all samples, in sample order.
pub fn values(samples: &[ScoredSample], metric: &str) -> Vec<f64> {
    samples
        .iter()
        .filter_map(|s| s.score.metrics.iter().find(|m| m.name == metric))
        .map(|m| m.value)
        .collect()
}

/// [`stat`] of `metric` per subtask.
pub fn stats_by_subtask(samples: &[ScoredSample], metric: &str) -> BTreeMap<String, Stat> {
    values_by_subtask(samples, metric)
        .into_iter()
        .filter_map(|(k, v)| stat(&v).map(|s| (k, s)))
        .collect()
}

/// [`combine`] of the members of a group, in `members` order; members with
/// no samples are skipped (lm-eval skips tasks missing the metric).
pub fn group_stat(
    stats: &BTreeMap<String, Stat>,
    members: &[&str],
    weighting: Weighting,
) -> Option<Stat> {
    let parts: Vec<Stat> = members
        .iter()
        .filter_map(|m| stats.get(*m).copied())
        .collect();
    combine(&parts, weighting)
}

/// An [`AggregateMetric`] from a [`Stat`].
pub fn metric(name: &str, filter: &str, stat: &Stat) -> AggregateMetric {
    AggregateMetric {
        name: name.to_string(),
        filter: filter.to_string(),
        value: stat.value,
        stderr: stat.stderr,
    }
}

/// A [`TaskReport`] with one metric.
pub fn task_report(
    name: &str,
    level: Level,
    metric_name: &str,
    filter: &str,
    stat: &Stat,
) -> TaskReport {
    TaskReport {
        name: name.to_string(),
        level,
        samples: stat.n,
        metrics: vec![metric(metric_name, filter, stat)],
    }
}

/// The default report: for every metric name (sorted), the mean over all
/// samples (a task named `task`) and per subtask (named
/// `<task>_<subtask>`), filter `none`.
pub fn default_report(task: &str, samples: &[ScoredSample]) -> Report {
    let mut names: Vec<String> = samples
        .iter()
        .flat_map(|s| s.score.metrics.iter().map(|m| m.name.clone()))
        .collect();
    names.sort();
    names.dedup();
    let mut overall = TaskReport {
        name: task.to_string(),
        level: Level::Task,
        samples: samples.len() as u32,
        metrics: Vec::new(),
    };
    let mut subtasks: BTreeMap<String, TaskReport> = BTreeMap::new();
    for name in &names {
        if let Some(s) = stat(&values(samples, name)) {
            overall.metrics.push(metric(name, "none", &s));
        }
        for (sub, s) in stats_by_subtask(samples, name) {
            if sub.is_empty() {
                continue;
            }
            let entry = subtasks.entry(sub.clone()).or_insert_with(|| TaskReport {
                name: format!("{task}_{sub}"),
                level: Level::Subtask,
                samples: s.n,
                metrics: Vec::new(),
            });
            entry.metrics.push(metric(name, "none", &s));
        }
    }
    let mut tasks = vec![overall];
    tasks.extend(subtasks.into_values());
    Report::new(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MetricValue, SampleScore};

    fn sample(id: &str, subtask: &str, acc: f64) -> ScoredSample {
        ScoredSample {
            id: id.into(),
            subtask: subtask.into(),
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: "acc".into(),
                    value: acc,
                }],
                extracted: None,
                details: "{}".into(),
            },
        }
    }

    #[test]
    fn micro_matches_lm_eval_order_of_operations() {
        // Two tasks at 15/22 and 13/23: lm-eval gives 0.6222222222222221,
        // not 28/45 = 0.6222222222222222 (python3 checked).
        let a = Stat {
            value: 15.0 / 22.0,
            stderr: Some(0.1),
            n: 22,
        };
        let b = Stat {
            value: 13.0 / 23.0,
            stderr: Some(0.1),
            n: 23,
        };
        let g = combine(&[a, b], Weighting::Size).unwrap();
        assert_eq!(g.value, 0.6222222222222221);
        assert_eq!(g.n, 45);
        let m = combine(&[a, b], Weighting::Equal).unwrap();
        assert_eq!(m.value, (15.0 / 22.0 + 13.0 / 23.0) / 2.0);
    }

    #[test]
    fn pooled_stderr_matches_lm_eval() {
        // numpy: pooled_sample_stderr([0.1, 0.2], [10, 30])
        let a = Stat {
            value: 0.5,
            stderr: Some(0.1),
            n: 10,
        };
        let b = Stat {
            value: 0.5,
            stderr: Some(0.2),
            n: 30,
        };
        assert_eq!(pooled_sample_stderr(&[a, b]), Some(0.15325417483795722));
        let c = Stat {
            value: 1.0,
            stderr: None,
            n: 1,
        };
        assert_eq!(pooled_sample_stderr(&[a, c]), None);
    }

    #[test]
    fn default_report_shape() {
        let samples = vec![
            sample("1", "x", 1.0),
            sample("2", "x", 0.0),
            sample("3", "y", 1.0),
        ];
        let r = default_report("bench", &samples);
        assert_eq!(r.tasks.len(), 3);
        assert_eq!(r.tasks[0].name, "bench");
        assert_eq!(r.tasks[0].metrics[0].value, 2.0 / 3.0);
        assert_eq!(r.tasks[1].name, "bench_x");
        assert_eq!(r.tasks[1].metrics[0].value, 0.5);
        assert_eq!(r.tasks[2].metrics[0].stderr, None);
        let g = group_stat(
            &stats_by_subtask(&samples, "acc"),
            &["x", "y", "z"],
            Weighting::Size,
        );
        assert_eq!(g.unwrap().n, 3);
    }
}
