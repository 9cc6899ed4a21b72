//! Aggregation, the HF leaderboard's normalised score, and the replay of
//! the official script's random stream for `fallback=reference-stream`.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, group_stat, metric, stats_by_subtask};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::{AggregateMetric, Error, Level, MetricValue, Report, ScoredSample, TaskReport};
use serde_json::Value;

use crate::load::DOMAINS;
use crate::{Fallback, Variant};

/// The number of options the HF leaderboard assumes per domain (its random
/// baseline is `1/k`).
pub fn leaderboard_choices(domain: &str) -> Option<usize> {
    match domain {
        "murder_mysteries" => Some(2),
        "object_placements" => Some(5),
        "team_allocation" => Some(3),
        _ => None,
    }
}

/// `max(0, (score - 1/k) / (1 - 1/k))`.
pub fn normalised(score: f64, k: usize) -> f64 {
    let lower = 1.0 / k as f64;
    ((score - lower) / (1.0 - lower)).max(0.0)
}

/// The official script's stream: `random.seed(0)`, then per domain (in
/// [`DOMAINS`] order) `random.shuffle` of its stories and, in that order,
/// one `random.sample(["1".."n"], 1)` per question that needs a fallback.
/// Returns the revised scores of those questions (sample order), their
/// `acc` set from the draw and the draw in `details.fallback.draw`.
pub fn replay_stream(samples: &[ScoredSample], key: &str) -> Vec<ScoredSample> {
    let mut rng = PyRandom::from_seed(0);
    let mut revised: BTreeMap<usize, ScoredSample> = BTreeMap::new();
    for domain in DOMAINS {
        // (story, question) → sample index, for this domain's samples.
        let mut index: BTreeMap<(u64, u64), usize> = BTreeMap::new();
        let mut stories = 0u64;
        for (i, s) in samples.iter().enumerate() {
            let Ok(d) = serde_json::from_str::<Value>(&s.score.details) else {
                continue;
            };
            if d["domain"] != domain {
                continue;
            }
            stories = stories.max(d["stories"].as_u64().unwrap_or(0));
            if let (Some(st), Some(q)) = (d["story"].as_u64(), d["question_in_story"].as_u64()) {
                index.insert((st, q), i);
            }
        }
        if index.is_empty() {
            continue;
        }
        let mut order: Vec<u64> = (0..stories).collect();
        rng.shuffle(&mut order);
        for st in order {
            for (_, &i) in index.range((st, 0)..(st + 1, 0)) {
                let s = &samples[i];
                let Ok(mut d) = serde_json::from_str::<Value>(&s.score.details) else {
                    continue;
                };
                if d["fallback"]["deferred"] != true {
                    continue;
                }
                let n = d["choices"].as_u64().unwrap_or(1);
                let draw = (rng.randbelow(n) + 1).to_string();
                let gold = d["gold"].as_u64().unwrap_or(0).to_string();
                let acc = if draw.contains(&gold) { 1.0 } else { 0.0 };
                d["fallback"]["draw"] = Value::String(draw.clone());
                let mut r = s.clone();
                r.score.metrics = vec![MetricValue {
                    name: key.to_string(),
                    value: acc,
                }];
                r.score.extracted = Some(draw);
                r.score.details = d.to_string();
                revised.insert(i, r);
            }
        }
    }
    revised.into_values().collect()
}

/// The report: the whole first, then each domain.
///
/// # Errors
/// Never fails today.
pub fn aggregate(
    samples: &[ScoredSample],
    variant: Variant,
    fallback: Fallback,
) -> Result<Report, Error> {
    let (name, filter, group) = match variant {
        Variant::Leaderboard => ("acc_norm", "none", "leaderboard_musr"),
        Variant::Official => ("acc", fallback.filter(), "musr"),
    };
    let key = name.to_string();
    let revised = if variant == Variant::Official && fallback == Fallback::ReferenceStream {
        replay_stream(samples, &key)
    } else {
        Vec::new()
    };
    let mut merged: Vec<ScoredSample> = samples.to_vec();
    for r in &revised {
        if let Some(s) = merged.iter_mut().find(|s| s.id == r.id) {
            *s = r.clone();
        }
    }
    let stats: BTreeMap<String, Stat> = stats_by_subtask(&merged, &key);
    let mut tasks = Vec::new();
    if let Some(g) = group_stat(&stats, &DOMAINS, Weighting::Size) {
        let mut top = TaskReport {
            name: group.into(),
            level: Level::Task,
            samples: g.n,
            metrics: vec![metric(name, filter, &g)],
        };
        if variant == Variant::Leaderboard {
            let norms: Vec<f64> = DOMAINS
                .iter()
                .filter_map(|d| Some(normalised(stats.get(*d)?.value, leaderboard_choices(d)?)))
                .collect();
            top.metrics.push(AggregateMetric {
                name: "leaderboard_norm".into(),
                filter: "none".into(),
                value: scorebox_sdk::metrics::sum(&norms) / norms.len() as f64,
                stderr: None,
            });
        }
        tasks.push(top);
    }
    for d in DOMAINS {
        if let Some(s) = stats.get(d) {
            tasks.push(TaskReport {
                name: format!("{group}_{d}"),
                level: Level::Subtask,
                samples: s.n,
                metrics: vec![metric(name, filter, s)],
            });
        }
    }
    Ok(Report::new(tasks).with_revised(revised))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm() {
        assert_eq!(normalised(0.5, 2), 0.0);
        // python3: (0.6 - 1/5) / (1 - 1/5)
        assert_eq!(normalised(0.6, 5), 0.49999999999999994);
        assert_eq!(normalised(0.1, 3), 0.0);
    }
}
