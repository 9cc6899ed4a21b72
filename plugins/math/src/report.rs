//! Aggregation in lm-evaluation-harness's task layout.
//!
//! * `original`: group `hendrycks_math` over `hendrycks_math_<subject>`;
//! * `minerva`: `minerva_math` over `minerva_math_<subject>` (lm-eval has
//!   no group for these; ours is size-weighted like the others);
//! * `leaderboard`: group `leaderboard_math_hard` over
//!   `leaderboard_math_<subject>_hard`, plus `leaderboard_norm`.
//!
//! Subtasks: the mean and `mean_stderr`; groups: `weight_by_size: true`
//! (`sum(v·n)/sum(n)`) with `pooled_sample_stderr`, as lm-eval computes them.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Weighting, combine, metric, stats_by_subtask};
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};

use crate::{Config, SUBJECTS, Variant};

/// lm-eval's short subject names in task names.
pub fn task_subject(subject: &str) -> &str {
    match subject {
        "counting_and_probability" => "counting_and_prob",
        "number_theory" => "num_theory",
        other => other,
    }
}

/// The results key of the whole task for `variant`.
pub fn group_name(variant: Variant) -> &'static str {
    match variant {
        Variant::Original => "hendrycks_math",
        Variant::Minerva => "minerva_math",
        Variant::Leaderboard => "leaderboard_math_hard",
    }
}

/// The results key of a subject's task for `variant`.
pub fn subtask_name(variant: Variant, subject: &str) -> String {
    match variant {
        Variant::Original => {
            let s = match subject {
                "precalculus" => "precalc",
                other => task_subject(other),
            };
            format!("hendrycks_math_{s}")
        }
        Variant::Minerva => {
            let s = match subject {
                "precalculus" => "precalc",
                other => task_subject(other),
            };
            format!("minerva_math_{s}")
        }
        Variant::Leaderboard => format!("leaderboard_math_{}_hard", task_subject(subject)),
    }
}

/// Builds the report for `config`.
///
/// # Errors
/// Never in practice; the signature follows the SDK hook.
pub fn aggregate(samples: &[ScoredSample], config: &Config) -> Result<Report, Error> {
    let mut group = TaskReport {
        name: group_name(config.variant).into(),
        level: Level::Task,
        samples: samples.len() as u32,
        metrics: Vec::new(),
    };
    let mut subtasks: BTreeMap<&str, TaskReport> = BTreeMap::new();
    let mut norm = None;
    for name in config.metrics() {
        let stats = stats_by_subtask(samples, name);
        // Subtasks in lm-eval's group order (the subjects' order).
        let mut parts = Vec::new();
        for subject in SUBJECTS {
            let Some(s) = stats.get(subject) else {
                continue;
            };
            parts.push(*s);
            subtasks
                .entry(subject)
                .or_insert_with(|| TaskReport {
                    name: subtask_name(config.variant, subject),
                    level: Level::Subtask,
                    samples: s.n,
                    metrics: Vec::new(),
                })
                .metrics
                .push(metric(name, "none", s));
        }
        if let Some(g) = combine(&parts, Weighting::Size) {
            group.metrics.push(metric(name, "none", &g));
            if config.variant == Variant::Leaderboard && *name == "exact_match" {
                norm = Some(g.value);
            }
        }
    }
    // The leaderboard's MATH Lvl 5 score: the size-weighted exact_match,
    // not baseline-shifted (shown ×100 on the leaderboard).
    if let Some(value) = norm {
        group.metrics.push(AggregateMetric {
            name: "leaderboard_norm".into(),
            filter: "none".into(),
            value,
            stderr: None,
        });
    }
    let mut tasks = vec![group];
    tasks.extend(SUBJECTS.iter().filter_map(|s| subtasks.remove(s)));
    Ok(Report::new(tasks))
}
