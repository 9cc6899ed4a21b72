//! Suite scores: the mean of each member's headline metric.

use serde_json::{Map, Value, json};

use crate::registry::Suite;
use crate::run::BenchmarkRun;
use crate::runtime::wit::Level;

/// A suite's score over one run.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteScore {
    /// Suite name.
    pub name: String,
    /// The metric averaged.
    pub metric: String,
    /// Each member's value of the metric (`None`: missing or failed).
    pub members: Vec<(String, Option<f64>)>,
    /// The mean, when every member has a value.
    pub value: Option<f64>,
}

/// The scores of `suites` over `runs`.
pub fn suite_scores(suites: &[Suite], runs: &[BenchmarkRun]) -> Vec<SuiteScore> {
    suites
        .iter()
        .map(|suite| {
            let members: Vec<(String, Option<f64>)> = suite
                .members
                .iter()
                .map(|m| {
                    let name = m
                        .benchmark
                        .split('@')
                        .next()
                        .unwrap_or(&m.benchmark)
                        .to_string();
                    let value = runs
                        .iter()
                        .find(|r| r.prepared.name == name)
                        .and_then(|r| r.report.as_ref().ok())
                        .and_then(|report| report.tasks.iter().find(|t| t.level == Level::Task))
                        .and_then(|task| {
                            task.metrics
                                .iter()
                                .find(|x| x.name == suite.score && x.filter == "none")
                        })
                        .map(|x| x.value);
                    (name, value)
                })
                .collect();
            let value = members
                .iter()
                .map(|(_, v)| *v)
                .collect::<Option<Vec<f64>>>()
                .filter(|v| !v.is_empty())
                .map(|v| v.iter().sum::<f64>() / v.len() as f64);
            SuiteScore {
                name: suite.name.clone(),
                metric: suite.score.clone(),
                members,
                value,
            }
        })
        .collect()
}

/// The suite's entry in `results.json`.
pub fn suite_json(score: &SuiteScore) -> Value {
    let mut entry = Map::new();
    entry.insert("alias".into(), json!(score.name));
    entry.insert(format!("{},none", score.metric), json!(score.value));
    entry.insert(format!("{}_stderr,none", score.metric), json!("N/A"));
    let members: Map<String, Value> = score
        .members
        .iter()
        .map(|(n, v)| (n.clone(), json!(v)))
        .collect();
    entry.insert("members".into(), Value::Object(members));
    Value::Object(entry)
}
