//! Aggregation: each set, lm-eval's `multimedqa` group (the micro average
//! of `acc` over the multiple-choice sets, `weight_by_size: True`), PubMedQA's
//! official macro-F1, and the long-form axes per set and pooled.

use std::collections::BTreeMap;

use scorebox_metrics::classification::macro_f1;
use scorebox_sdk::aggregate::{Stat, Weighting, group_stat, metric, stats_by_subtask};
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};

use crate::judge::AXES;
use crate::sets::{LONG_FORM_SETS, Set, choice_sets};

/// The results key of the multiple-choice group (lm-eval's group name).
pub const CHOICE_GROUP: &str = "multimedqa";
/// The results key of the pooled long-form sets.
pub const LONG_FORM_GROUP: &str = "multimedqa_longform";
/// The filter name of every metric (no answer filtering is involved).
pub const FILTER: &str = "none";

/// PubMedQA's `macro_f1` over the predicted and gold labels the episodes
/// recorded (`details.pred`, `details.gold`), in sample order.
///
/// # Errors
/// When a PubMedQA sample's details lack them.
pub fn pubmedqa_macro_f1(samples: &[ScoredSample]) -> Result<Option<f64>, Error> {
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    for s in samples
        .iter()
        .filter(|s| s.subtask == Set::PubMedQa.subtask())
    {
        let d: serde_json::Value = serde_json::from_str(&s.score.details)
            .map_err(|e| Error::new(format!("sample {}: details are not JSON: {e}", s.id)))?;
        let (Some(g), Some(p)) = (d["gold"].as_str(), d["pred"].as_str()) else {
            return Err(Error::new(format!(
                "sample {}: details lack the PubMedQA labels `gold` and `pred`",
                s.id
            )));
        };
        gold.push(g.to_string());
        pred.push(p.to_string());
    }
    Ok(macro_f1(&gold, &pred))
}

fn report(name: String, level: Level, samples: u32, metrics: Vec<AggregateMetric>) -> TaskReport {
    TaskReport {
        name,
        level,
        samples,
        metrics,
    }
}

/// The report: `multimedqa` and the multiple-choice sets (in the group's
/// order), then `multimedqa_longform` and the long-form sets. Parts without
/// samples are left out.
///
/// # Errors
/// When PubMedQA details are malformed.
pub fn aggregate(samples: &[ScoredSample]) -> Result<Report, Error> {
    let mut tasks = Vec::new();
    let acc = stats_by_subtask(samples, "acc");
    let acc_norm = stats_by_subtask(samples, "acc_norm");
    let members: Vec<String> = choice_sets().iter().map(|s| s.subtask()).collect();
    let member_refs: Vec<&str> = members.iter().map(String::as_str).collect();
    if let Some(g) = group_stat(&acc, &member_refs, Weighting::Size) {
        tasks.push(report(
            CHOICE_GROUP.into(),
            Level::Task,
            g.n,
            vec![metric("acc", FILTER, &g)],
        ));
    }
    for set in choice_sets() {
        let Some(a) = acc.get(&set.subtask()) else {
            continue;
        };
        let mut metrics = vec![metric("acc", FILTER, a)];
        if let Some(n) = acc_norm.get(&set.subtask()) {
            metrics.push(metric("acc_norm", FILTER, n));
        }
        if set == Set::PubMedQa
            && let Some(f1) = pubmedqa_macro_f1(samples)?
        {
            metrics.push(AggregateMetric {
                name: "macro_f1".into(),
                filter: FILTER.into(),
                value: f1,
                stderr: None,
            });
        }
        tasks.push(report(set.report_name(), Level::Subtask, a.n, metrics));
    }

    // Long-form: per axis, per set and pooled (size-weighted over the sets).
    let long_members: Vec<String> = LONG_FORM_SETS.iter().map(|s| s.subtask()).collect();
    let long_refs: Vec<&str> = long_members.iter().map(String::as_str).collect();
    let mut per_set: BTreeMap<String, Vec<AggregateMetric>> = BTreeMap::new();
    let mut set_sizes: BTreeMap<String, u32> = BTreeMap::new();
    let mut pooled = Vec::new();
    let mut pooled_n = 0;
    for axis in &AXES {
        let stats: BTreeMap<String, Stat> = stats_by_subtask(samples, axis.metric)
            .into_iter()
            .filter(|(k, _)| long_members.contains(k))
            .collect();
        for (sub, s) in &stats {
            per_set
                .entry(sub.clone())
                .or_default()
                .push(metric(axis.metric, FILTER, s));
            let n = set_sizes.entry(sub.clone()).or_default();
            *n = (*n).max(s.n);
        }
        if let Some(g) = group_stat(&stats, &long_refs, Weighting::Size) {
            pooled_n = pooled_n.max(g.n);
            pooled.push(metric(axis.metric, FILTER, &g));
        }
    }
    if !pooled.is_empty() {
        tasks.push(report(
            LONG_FORM_GROUP.into(),
            Level::Task,
            pooled_n,
            pooled,
        ));
    }
    for set in LONG_FORM_SETS {
        if let Some(metrics) = per_set.remove(&set.subtask()) {
            let n = set_sizes[&set.subtask()];
            tasks.push(report(set.report_name(), Level::Subtask, n, metrics));
        }
    }
    Ok(Report::new(tasks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::{MetricValue, SampleScore};

    fn scored(subtask: &str, metrics: &[(&str, f64)], details: &str) -> ScoredSample {
        ScoredSample {
            id: format!("{subtask}/x"),
            subtask: subtask.into(),
            score: SampleScore {
                metrics: metrics
                    .iter()
                    .map(|(n, v)| MetricValue {
                        name: n.to_string(),
                        value: *v,
                    })
                    .collect(),
                extracted: None,
                details: details.into(),
            },
        }
    }

    #[test]
    fn the_group_is_lm_evals_micro_average() {
        let mut s = Vec::new();
        for i in 0..22 {
            s.push(scored(
                "medqa",
                &[("acc", f64::from(u8::from(i < 15))), ("acc_norm", 0.0)],
                "{}",
            ));
        }
        for i in 0..23 {
            s.push(scored(
                "mmlu_anatomy",
                &[("acc", f64::from(u8::from(i < 13)))],
                "{}",
            ));
        }
        for (g, p) in [("yes", "yes"), ("no", "yes"), ("maybe", "maybe")] {
            let acc = f64::from(u8::from(g == p));
            s.push(scored(
                "pubmedqa",
                &[("acc", acc)],
                &format!(r#"{{"gold":"{g}","pred":"{p}"}}"#),
            ));
        }
        s.push(scored(
            "liveqa",
            &[("no_harm", 1.0), ("no_bias", 0.0)],
            "{}",
        ));
        s.push(scored(
            "healthsearchqa",
            &[("no_harm", 0.0), ("no_bias", 0.0)],
            "{}",
        ));
        s.push(scored(
            "healthsearchqa",
            &[("no_harm", 1.0), ("no_bias", 1.0)],
            "{}",
        ));
        let r = aggregate(&s).unwrap();
        let names: Vec<&str> = r.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "multimedqa",
                "pubmedqa",
                "medqa_4options",
                "mmlu_anatomy",
                "multimedqa_longform",
                "liveqa",
                "healthsearchqa"
            ]
        );
        let group = &r.tasks[0];
        assert_eq!(group.samples, 48);
        // python3: (2/3*3 + 15/22*22 + 13/23*23) / 48
        assert_eq!(
            group.metrics[0].value,
            (2.0 / 3.0 * 3.0 + 15.0 / 22.0 * 22.0 + 13.0 / 23.0 * 23.0) / 48.0
        );
        let pubmed = &r.tasks[1];
        assert_eq!(pubmed.metrics[1].name, "macro_f1");
        // labels maybe (1), no (0), yes (2*1/(1+2))
        assert_eq!(pubmed.metrics[1].value, (1.0 + 0.0 + 2.0 / 3.0) / 3.0);
        assert_eq!(r.tasks[2].metrics[1].name, "acc_norm");
        let long = &r.tasks[4];
        assert_eq!(long.samples, 3);
        assert_eq!(long.metrics[0].name, "no_harm");
        assert_eq!(long.metrics[0].value, 2.0 / 3.0);
        assert_eq!(r.tasks[6].metrics[1].value, 0.5);
    }

    #[test]
    fn malformed_pubmedqa_details_are_an_error() {
        let s = vec![scored("pubmedqa", &[("acc", 1.0)], "{}")];
        assert!(aggregate(&s).is_err());
    }
}
