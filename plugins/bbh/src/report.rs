//! Aggregation in lm-eval's names: one task per subtask and the variant's
//! group, size-weighted (`weight_by_size: true`) over the subtasks in
//! lm-eval's order; for `leaderboard`, the HF leaderboard's normalised score.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, group_stat, metric, stats_by_subtask};
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};

use crate::Variant;
use crate::tasks::{SUBTASKS, subtask};

/// The per-sample metric name of a filter's `exact_match`: `exact_match`,
/// or `exact_match_strict` for the zero-shot `strict-match` filter (a
/// per-sample name must be one the plugin declares).
pub fn sample_metric(filter: &str) -> &'static str {
    if filter == "strict-match" {
        "exact_match_strict"
    } else {
        "exact_match"
    }
}

/// The per-sample metrics of a variant, as `(metric, filter)`, and whether
/// the group reports it. The per-sample name is [`sample_metric`] of the
/// filter (`acc_norm` for the leaderboard).
pub fn metrics(variant: Variant) -> &'static [(&'static str, &'static str, bool)] {
    match variant {
        Variant::CotFewshot => &[("exact_match", "get-answer", true)],
        Variant::Fewshot => &[("exact_match", "none", true)],
        Variant::Zeroshot | Variant::CotZeroshot => &[
            ("exact_match", "strict-match", false),
            ("exact_match", "flexible-extract", true),
        ],
        Variant::Leaderboard => &[("acc_norm", "none", true)],
    }
}

/// The HF Open LLM Leaderboard normalisation of one subtask score:
/// `max(0, (score - 1/k) / (1 - 1/k))` for `k` choices.
pub fn normalised(score: f64, num_choices: usize) -> f64 {
    let lower = 1.0 / num_choices as f64;
    ((score - lower) / (1.0 - lower)).max(0.0)
}

/// Builds the report: the group first, then each subtask (in group order).
///
/// # Errors
/// Never fails today.
pub fn aggregate(samples: &[ScoredSample], variant: Variant) -> Result<Report, Error> {
    let group = variant.group();
    let order: Vec<&str> = SUBTASKS.iter().map(|s| s.name).collect();
    let mut group_report = TaskReport {
        name: group.to_string(),
        level: Level::Task,
        samples: 0,
        metrics: Vec::new(),
    };
    let mut subtasks: BTreeMap<usize, TaskReport> = BTreeMap::new();
    for (name, filter, in_group) in metrics(variant) {
        let key = if *name == "acc_norm" {
            "acc_norm"
        } else {
            sample_metric(filter)
        };
        let stats: BTreeMap<String, Stat> = stats_by_subtask(samples, key);
        if *in_group && let Some(g) = group_stat(&stats, &order, Weighting::Size) {
            group_report.samples = g.n;
            group_report.metrics.push(metric(name, filter, &g));
        }
        for (sub, s) in &stats {
            let Some(pos) = order.iter().position(|o| o == sub) else {
                continue;
            };
            let entry = subtasks.entry(pos).or_insert_with(|| TaskReport {
                name: format!("{group}_{sub}"),
                level: Level::Subtask,
                samples: s.n,
                metrics: Vec::new(),
            });
            entry.metrics.push(metric(name, filter, s));
        }
        if variant == Variant::Leaderboard {
            let norms: Vec<f64> = stats
                .iter()
                .filter_map(|(sub, s)| {
                    let k = subtask(sub)?.choices?.len();
                    Some(normalised(s.value, k))
                })
                .collect();
            if !norms.is_empty() {
                let mean = scorebox_sdk::metrics::sum(&norms) / norms.len() as f64;
                group_report.metrics.push(AggregateMetric {
                    name: "leaderboard_norm".into(),
                    filter: "none".into(),
                    value: mean,
                    stderr: None,
                });
            }
        }
    }
    let mut tasks = Vec::new();
    if !group_report.metrics.is_empty() {
        tasks.push(group_report);
    }
    tasks.extend(subtasks.into_values());
    Ok(Report::new(tasks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::{MetricValue, SampleScore};

    fn scored(sub: &str, key: &str, v: f64) -> ScoredSample {
        ScoredSample {
            id: format!("{sub}/x"),
            subtask: sub.into(),
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: key.into(),
                    value: v,
                }],
                extracted: None,
                details: "{}".into(),
            },
        }
    }

    #[test]
    fn leaderboard_norm_clamps_and_averages_subtasks() {
        // navigate (2 choices) 3/4 → 0.5; snarks (2) 1/4 → 0 (clamped);
        // date_understanding (6) 1/2 → (0.5 - 1/6) / (5/6) = 0.4.
        let mut s = Vec::new();
        for (sub, ok, n) in [
            ("navigate", 3, 4),
            ("snarks", 1, 4),
            ("date_understanding", 1, 2),
        ] {
            for i in 0..n {
                s.push(scored(sub, "acc_norm", if i < ok { 1.0 } else { 0.0 }));
            }
        }
        let r = aggregate(&s, Variant::Leaderboard).unwrap();
        assert_eq!(r.tasks[0].name, "leaderboard_bbh");
        assert_eq!(
            r.tasks[0].metrics[0].value,
            (0.5 * 2.0 + 0.75 * 4.0 + 0.25 * 4.0) / 10.0
        );
        let norm = &r.tasks[0].metrics[1];
        assert_eq!(norm.name, "leaderboard_norm");
        assert!(
            (norm.value - (0.5 + 0.0 + 0.4) / 3.0).abs() < 1e-15,
            "{}",
            norm.value
        );
        let names: Vec<&str> = r.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "leaderboard_bbh",
                "leaderboard_bbh_date_understanding",
                "leaderboard_bbh_navigate",
                "leaderboard_bbh_snarks"
            ]
        );
    }

    #[test]
    fn zeroshot_group_reports_flexible_only() {
        let s = vec![
            scored("navigate", "exact_match_strict", 1.0),
            scored("navigate", "exact_match", 0.0),
        ];
        let mut s2 = s.clone();
        s2[0].score.metrics.push(s[1].score.metrics[0].clone());
        let r = aggregate(&s2[..1], Variant::CotZeroshot).unwrap();
        assert_eq!(r.tasks[0].name, "bbh_cot_zeroshot");
        assert_eq!(r.tasks[0].metrics.len(), 1);
        assert_eq!(r.tasks[0].metrics[0].filter, "flexible-extract");
        assert_eq!(r.tasks[1].metrics.len(), 2);
    }
}
