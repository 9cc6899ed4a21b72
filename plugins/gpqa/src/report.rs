//! Aggregation: one task per configuration and the whole; for the
//! leaderboard, the HF leaderboard's normalised score.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, group_stat, metric, stats_by_subtask};
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};

use crate::Variant;
use crate::load::CONFIGS;

/// The metrics of a variant as `(per-sample name, metric, filter)` (a
/// per-sample name must be one the plugin declares).
pub fn metrics(variant: Variant) -> &'static [(&'static str, &'static str, &'static str)] {
    match variant {
        Variant::Leaderboard => &[("acc_norm", "acc_norm", "none")],
        Variant::Zeroshot => &[("acc", "acc", "none"), ("acc_norm", "acc_norm", "none")],
        Variant::CotZeroshot => &[
            ("exact_match_strict", "exact_match", "strict-match"),
            ("exact_match", "exact_match", "flexible-extract"),
        ],
    }
}

/// `max(0, (score - 1/4) / (1 - 1/4))`: the HF leaderboard's GPQA normalisation.
pub fn normalised(score: f64) -> f64 {
    ((score - 0.25) / 0.75).max(0.0)
}

/// The report: the whole first, then each configuration in [`CONFIGS`] order.
///
/// # Errors
/// Never fails today.
pub fn aggregate(samples: &[ScoredSample], variant: Variant) -> Result<Report, Error> {
    let mut top = TaskReport {
        name: variant.group().to_string(),
        level: Level::Task,
        samples: 0,
        metrics: Vec::new(),
    };
    let mut subs: BTreeMap<usize, TaskReport> = BTreeMap::new();
    for (key, name, filter) in metrics(variant) {
        let stats: BTreeMap<String, Stat> = stats_by_subtask(samples, key);
        if let Some(g) = group_stat(&stats, &CONFIGS, Weighting::Size) {
            top.samples = g.n;
            top.metrics.push(metric(name, filter, &g));
            if variant == Variant::Leaderboard {
                top.metrics.push(AggregateMetric {
                    name: "leaderboard_norm".into(),
                    filter: "none".into(),
                    value: normalised(g.value),
                    stderr: None,
                });
            }
        }
        for (i, config) in CONFIGS.iter().enumerate() {
            if let Some(s) = stats.get(*config) {
                subs.entry(i)
                    .or_insert_with(|| TaskReport {
                        name: variant.subtask_name(config),
                        level: Level::Subtask,
                        samples: s.n,
                        metrics: Vec::new(),
                    })
                    .metrics
                    .push(metric(name, filter, s));
            }
        }
    }
    let mut tasks = Vec::new();
    if !top.metrics.is_empty() {
        tasks.push(top);
    }
    tasks.extend(subs.into_values());
    Ok(Report::new(tasks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::{MetricValue, SampleScore};

    fn s(config: &str, v: f64) -> ScoredSample {
        ScoredSample {
            id: format!("{config}/x"),
            subtask: config.into(),
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: "acc_norm".into(),
                    value: v,
                }],
                extracted: None,
                details: "{}".into(),
            },
        }
    }

    #[test]
    fn leaderboard_names_and_norm() {
        let samples = vec![
            s("gpqa_main", 1.0),
            s("gpqa_main", 0.0),
            s("gpqa_diamond", 1.0),
            s("gpqa_diamond", 1.0),
        ];
        let r = aggregate(&samples, Variant::Leaderboard).unwrap();
        let names: Vec<&str> = r.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "leaderboard_gpqa",
                "leaderboard_gpqa_diamond",
                "leaderboard_gpqa_main"
            ]
        );
        assert_eq!(r.tasks[0].metrics[0].value, 0.75);
        assert_eq!(r.tasks[0].metrics[1].value, (0.75 - 0.25) / 0.75);
        assert_eq!(normalised(0.2), 0.0);
    }
}
