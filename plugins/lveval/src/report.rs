//! Aggregation: per dataset × length (as `evaluation.py` reports it), the
//! average over datasets per length (the paper's headline table), the
//! average over lengths per dataset (its per-dataset tables), and the
//! average over every dataset × length.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, combine, metric, stat};
use scorebox_sdk::metrics::sum;
use scorebox_sdk::{AggregateMetric, Level, Report, ScoredSample, TaskReport};

use crate::{Config, DATASETS, LEVELS};

/// Python's `round(x, 2)` (correctly rounded, ties to even on the exact
/// binary value).
pub fn py_round2(x: f64) -> f64 {
    format!("{x:.2}").parse().expect("a formatted float parses")
}

/// One subtask's values: the `score` statistics and `evaluation.py`'s
/// `round(100 * total_score / total_sample, 2)`.
struct Part {
    stat: Stat,
    pct: f64,
}

fn report(name: String, level: Level, filter: &str, parts: &[&Part]) -> Option<TaskReport> {
    let stats: Vec<Stat> = parts.iter().map(|p| p.stat).collect();
    let s = if parts.len() == 1 {
        parts[0].stat
    } else {
        combine(&stats, Weighting::Equal)?
    };
    let pct = if parts.len() == 1 {
        parts[0].pct
    } else {
        sum(&parts.iter().map(|p| p.pct).collect::<Vec<_>>()) / parts.len() as f64
    };
    Some(TaskReport {
        name,
        level,
        samples: s.n,
        metrics: vec![
            metric("score", filter, &s),
            AggregateMetric {
                name: "score_pct".into(),
                filter: filter.into(),
                value: pct,
                stderr: None,
            },
        ],
    })
}

/// The report: `lveval` (mean over every dataset × length present), then
/// `lveval_<level>` per length (mean over datasets), `lveval_<dataset>` per
/// dataset (mean over lengths), then `lveval_<dataset>_<level>`. The
/// filter is the mode's name.
pub fn aggregate(samples: &[ScoredSample], config: &Config) -> Report {
    let filter = config.mode.name();
    let mut values: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for s in samples {
        if let Some(m) = s.score.metrics.iter().find(|m| m.name == "score") {
            values.entry(s.subtask.as_str()).or_default().push(m.value);
        }
    }
    // (dataset index, level index) → part, in DATASETS × LEVELS order.
    let mut parts: Vec<(usize, usize, String, Part)> = Vec::new();
    for (di, d) in DATASETS.iter().enumerate() {
        for (li, l) in LEVELS.iter().enumerate() {
            let key = format!("{}_{l}", d.name);
            let Some(v) = values.get(key.as_str()) else {
                continue;
            };
            let Some(st) = stat(v) else { continue };
            let pct = py_round2(100.0 * sum(v) / v.len() as f64);
            parts.push((di, li, key, Part { stat: st, pct }));
        }
    }
    let mut tasks = Vec::new();
    let all: Vec<&Part> = parts.iter().map(|p| &p.3).collect();
    if let Some(t) = report("lveval".into(), Level::Task, filter, &all) {
        tasks.push(t);
    }
    for (li, l) in LEVELS.iter().enumerate() {
        let members: Vec<&Part> = parts.iter().filter(|p| p.1 == li).map(|p| &p.3).collect();
        if let Some(t) = report(format!("lveval_{l}"), Level::Group, filter, &members) {
            tasks.push(t);
        }
    }
    for (di, d) in DATASETS.iter().enumerate() {
        let members: Vec<&Part> = parts.iter().filter(|p| p.0 == di).map(|p| &p.3).collect();
        if let Some(t) = report(format!("lveval_{}", d.name), Level::Group, filter, &members) {
            tasks.push(t);
        }
    }
    for (_, _, key, part) in &parts {
        if let Some(t) = report(format!("lveval_{key}"), Level::Subtask, filter, &[part]) {
            tasks.push(t);
        }
    }
    Report::new(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_round() {
        // python3: round(x, 2)
        for (x, want) in [
            (0.125, 0.12),
            (2.675, 2.67),
            (1.005, 1.0),
            (99.9999995, 100.0),
            (66.665, 66.67),
        ] {
            assert_eq!(py_round2(x), want, "{x}");
        }
    }
}
