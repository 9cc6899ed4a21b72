//! Aggregation: subjects, lm-eval's four categories and the whole benchmark,
//! all size-weighted (`weight_by_size: true`) over the leaf subject tasks in
//! lm-eval's order of operations.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, group_stat, stats_by_subtask, task_report};
use scorebox_sdk::{Error, Level, Report, ScoredSample};

use crate::Variant;
use crate::subjects::{self, Category};

/// Result keys of one variant, as lm-eval names its tasks and groups.
pub struct Names {
    /// The whole benchmark (`mmlu` / `mmlu_generative`).
    pub overall: &'static str,
    /// A subject task (`mmlu_anatomy` / `mmlu_anatomy_generative`).
    pub subject: fn(&str) -> String,
    /// A category group (`mmlu_stem` / `stem`).
    pub category: fn(Category) -> String,
}

/// The result keys of `variant`.
pub fn names(variant: Variant) -> Names {
    match variant {
        Variant::Loglikelihood => Names {
            overall: "mmlu",
            subject: |s| format!("mmlu_{s}"),
            category: |c| format!("mmlu_{}", c.key()),
        },
        Variant::Generative => Names {
            overall: "mmlu_generative",
            subject: |s| format!("mmlu_{s}_generative"),
            category: |c| c.generative_group().to_string(),
        },
    }
}

/// Builds the report: the overall group, the four category groups, then one
/// subtask per subject (sorted). Subjects outside the 57 count in the overall
/// group only, after the known ones.
///
/// # Errors
/// Never fails today; the signature leaves room for validation.
pub fn aggregate(samples: &[ScoredSample], variant: Variant) -> Result<Report, Error> {
    let (metric, filter) = variant.metric();
    let names = names(variant);
    let stats: BTreeMap<String, Stat> = stats_by_subtask(samples, metric);

    // lm-eval sums the leaf tasks of `mmlu` category by category, in
    // `_mmlu.yaml` order (stem, other, social sciences, humanities).
    let mut leaves: Vec<&str> = Category::ALL
        .iter()
        .flat_map(|c| subjects::subjects_of(*c))
        .collect();
    let unknown: Vec<&str> = stats
        .keys()
        .map(String::as_str)
        .filter(|s| subjects::category(s).is_none())
        .collect();
    leaves.extend(unknown.iter().copied());

    let mut tasks = Vec::new();
    if let Some(all) = group_stat(&stats, &leaves, Weighting::Size) {
        tasks.push(task_report(
            names.overall,
            Level::Task,
            metric,
            filter,
            &all,
        ));
    }
    for c in Category::ALL {
        let members: Vec<&str> = subjects::subjects_of(c).collect();
        if let Some(g) = group_stat(&stats, &members, Weighting::Size) {
            tasks.push(task_report(
                &(names.category)(c),
                Level::Group,
                metric,
                filter,
                &g,
            ));
        }
    }
    for (subject, s) in &stats {
        tasks.push(task_report(
            &(names.subject)(subject),
            Level::Subtask,
            metric,
            filter,
            s,
        ));
    }
    Ok(Report::new(tasks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::{MetricValue, SampleScore};

    fn scored(subject: &str, metric: &str, v: f64) -> ScoredSample {
        ScoredSample {
            id: format!("{subject}/x"),
            subtask: subject.into(),
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: metric.into(),
                    value: v,
                }],
                extracted: None,
                details: "{}".into(),
            },
        }
    }

    fn many(subject: &str, metric: &str, correct: usize, total: usize) -> Vec<ScoredSample> {
        (0..total)
            .map(|i| scored(subject, metric, if i < correct { 1.0 } else { 0.0 }))
            .collect()
    }

    #[test]
    fn groups_are_size_weighted_in_lm_eval_order() {
        // anatomy (stem) 15/22 and virology (other) 13/23: lm-eval's `mmlu`
        // is 0.6222222222222221 (python3: (15/22*22 + 13/23*23)/45).
        let mut samples = many("anatomy", "acc", 15, 22);
        samples.extend(many("virology", "acc", 13, 23));
        samples.extend(many("astrology", "acc", 1, 1));
        let r = aggregate(&samples, Variant::Loglikelihood).unwrap();
        let get = |name: &str| r.tasks.iter().find(|t| t.name == name).unwrap();
        let mut s = many("anatomy", "acc", 15, 22);
        s.extend(many("virology", "acc", 13, 23));
        let r2 = aggregate(&s, Variant::Loglikelihood).unwrap();
        assert_eq!(r2.tasks[0].name, "mmlu");
        assert_eq!(r2.tasks[0].metrics[0].value, 0.6222222222222221);
        assert_eq!(r2.tasks[0].samples, 45);
        assert_eq!(get("mmlu").samples, 46);
        assert_eq!(get("mmlu_stem").metrics[0].value, 15.0 / 22.0);
        assert_eq!(get("mmlu_stem").level, Level::Group);
        assert_eq!(get("mmlu_other").metrics[0].value, 13.0 / 23.0);
        assert_eq!(get("mmlu_anatomy").level, Level::Subtask);
        assert_eq!(get("mmlu_astrology").samples, 1);
        assert_eq!(get("mmlu_astrology").metrics[0].stderr, None);
        assert!(r.tasks.iter().all(|t| t.name != "mmlu_humanities"));
        assert_eq!(
            get("mmlu").metrics[0].stderr,
            None,
            "a part without stderr makes the pooled one N/A"
        );
    }

    #[test]
    fn generative_names() {
        let samples = many("us_foreign_policy", "exact_match", 1, 2);
        let r = aggregate(&samples, Variant::Generative).unwrap();
        let names: Vec<&str> = r.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "mmlu_generative",
                "social sciences",
                "mmlu_us_foreign_policy_generative"
            ]
        );
        assert_eq!(r.tasks[0].metrics[0].filter, "get_response");
        assert_eq!(r.tasks[0].metrics[0].name, "exact_match");
    }
}
