//! Aggregation: per language (lm-eval's `milu_<Language>` tasks), the
//! `milu` group (size-weighted over languages, `_milu.yaml`'s
//! `weight_by_size: True`), and per domain.

use std::collections::BTreeMap;

use scorebox_sdk::aggregate::{Stat, Weighting, combine, stat, task_report};
use scorebox_sdk::{Level, Report, ScoredSample};
use serde_json::Value;

use crate::LANGUAGES;

/// The results-key suffix of a domain: lower-case, every run of characters
/// other than ASCII letters and digits replaced by `_`
/// (`Arts & Humanities` → `arts_humanities`).
pub fn domain_key(domain: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in domain.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// Builds the report: `milu` (task), `milu_domain_<domain>` (groups, by
/// key), `milu_<Language>` (subtasks, in `_milu.yaml` order, then other
/// languages alphabetically).
pub fn aggregate(samples: &[ScoredSample]) -> Report {
    let mut by_language: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut by_domain: BTreeMap<String, (String, Vec<f64>)> = BTreeMap::new();
    for s in samples {
        let Some(acc) = s.score.metrics.iter().find(|m| m.name == "acc") else {
            continue;
        };
        by_language.entry(&s.subtask).or_default().push(acc.value);
        let details: Value = serde_json::from_str(&s.score.details).unwrap_or(Value::Null);
        let domain = details["domain"].as_str().unwrap_or_default();
        let key = domain_key(domain);
        if !key.is_empty() {
            by_domain
                .entry(key)
                .or_insert_with(|| (domain.to_string(), Vec::new()))
                .1
                .push(acc.value);
        }
    }
    let mut order: Vec<&str> = LANGUAGES
        .iter()
        .copied()
        .filter(|l| by_language.contains_key(l))
        .collect();
    order.extend(
        by_language
            .keys()
            .copied()
            .filter(|l| !LANGUAGES.contains(l)),
    );
    let stats: Vec<(&str, Stat)> = order
        .iter()
        .filter_map(|l| stat(&by_language[l]).map(|s| (*l, s)))
        .collect();
    let mut tasks = Vec::new();
    let parts: Vec<Stat> = stats.iter().map(|(_, s)| *s).collect();
    if let Some(all) = combine(&parts, Weighting::Size) {
        tasks.push(task_report("milu", Level::Task, "acc", "none", &all));
    }
    for (key, (_, values)) in &by_domain {
        if let Some(s) = stat(values) {
            tasks.push(task_report(
                &format!("milu_domain_{key}"),
                Level::Group,
                "acc",
                "none",
                &s,
            ));
        }
    }
    for (language, s) in &stats {
        tasks.push(task_report(
            &format!("milu_{language}"),
            Level::Subtask,
            "acc",
            "none",
            s,
        ));
    }
    Report::new(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::{MetricValue, SampleScore};

    fn scored(language: &str, domain: &str, acc: f64) -> ScoredSample {
        ScoredSample {
            id: format!("{language}/x"),
            subtask: language.into(),
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: "acc".into(),
                    value: acc,
                }],
                extracted: None,
                details: serde_json::json!({ "domain": domain }).to_string(),
            },
        }
    }

    #[test]
    fn keys_and_groups() {
        assert_eq!(domain_key("Arts & Humanities"), "arts_humanities");
        assert_eq!(domain_key("Math and Sciences"), "math_and_sciences");
        assert_eq!(domain_key(" Engineering & Tech "), "engineering_tech");
        assert_eq!(domain_key("&"), "");
        let mut s = Vec::new();
        for i in 0..22 {
            s.push(scored(
                "Hindi",
                "Social Sciences",
                if i < 15 { 1.0 } else { 0.0 },
            ));
        }
        for i in 0..23 {
            s.push(scored(
                "English",
                "Law & Governance",
                if i < 13 { 1.0 } else { 0.0 },
            ));
        }
        s.push(scored("English", "", 1.0));
        let r = aggregate(&s);
        let names: Vec<&str> = r.tasks.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "milu",
                "milu_domain_law_governance",
                "milu_domain_social_sciences",
                "milu_English",
                "milu_Hindi"
            ]
        );
        // English first (`_milu.yaml` order): (14/24·24 + 15/22·22) / 46.
        assert_eq!(
            r.tasks[0].metrics[0].value,
            (14.0 / 24.0 * 24.0 + 15.0 / 22.0 * 22.0) / 46.0
        );
        assert_eq!(r.tasks[0].samples, 46);
        assert_eq!(r.tasks[1].metrics[0].value, 13.0 / 23.0);
        assert_eq!(r.tasks[1].level, Level::Group);
    }
}
