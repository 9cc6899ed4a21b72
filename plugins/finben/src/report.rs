//! Aggregation: one task report per dataset, named by PIXIU's task name,
//! with the reference's corpus-level metrics computed from the per-sample
//! details (predictions and gold labels), filter = the `mode`.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_metrics::seqeval;
use scorebox_metrics::sklearn::{self, Average};
use scorebox_sdk::aggregate::stat;
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};
use serde_json::Value;

use crate::tasks::{self, Family, Rules};
use crate::{Config, relation, seqlabel, tsa};

struct Parsed<'a> {
    sample: &'a ScoredSample,
    details: Value,
}

fn metric_values(samples: &[Parsed<'_>], name: &str) -> Vec<f64> {
    samples
        .iter()
        .filter_map(|p| p.sample.score.metrics.iter().find(|m| m.name == name))
        .map(|m| m.value)
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn opt_strings(v: &Value) -> Vec<Option<String>> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

struct Metrics {
    filter: &'static str,
    out: Vec<AggregateMetric>,
}

impl Metrics {
    fn value(&mut self, name: &str, value: Option<f64>) {
        if let Some(value) = value {
            self.out.push(AggregateMetric {
                name: name.to_string(),
                filter: self.filter.to_string(),
                value,
                stderr: None,
            });
        }
    }

    fn mean(&mut self, name: &str, values: &[f64]) {
        if let Some(s) = stat(values) {
            self.out.push(AggregateMetric {
                name: name.to_string(),
                filter: self.filter.to_string(),
                value: s.value,
                stderr: s.stderr,
            });
        }
    }
}

/// Classification metrics from `(pred, gold)` pairs: weighted and macro F1
/// over `labels=set(golds)`, and MCC with gold classes numbered and every
/// other prediction (`missing` included) mapped to one class -1.
pub fn choice_metrics(
    preds: &[String],
    golds: &[String],
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let labels: BTreeSet<String> = golds.iter().cloned().collect();
    let weighted = sklearn::f1_score(golds, preds, Average::Weighted, Some(&labels));
    let macro_f1 = sklearn::f1_score(golds, preds, Average::Macro, Some(&labels));
    let index: BTreeMap<&String, i64> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l, i as i64))
        .collect();
    let g: Vec<i64> = golds
        .iter()
        .map(|l| index.get(l).copied().unwrap_or(-1))
        .collect();
    let p: Vec<i64> = preds
        .iter()
        .map(|l| index.get(l).copied().unwrap_or(-1))
        .collect();
    (weighted, macro_f1, sklearn::matthews_corrcoef(&g, &p))
}

fn task_metrics(
    task: &str,
    family: Family,
    samples: &[Parsed<'_>],
    config: &Config,
) -> Vec<AggregateMetric> {
    let mode = config.mode;
    let mut m = Metrics {
        filter: mode.filter(),
        out: Vec::new(),
    };
    match family {
        Family::Classification | Family::StockMovement => {
            m.mean("acc", &metric_values(samples, "acc"));
            let preds: Vec<String> = samples
                .iter()
                .map(|p| p.details["pred"].as_str().unwrap_or("").to_string())
                .collect();
            let golds: Vec<String> = samples
                .iter()
                .map(|p| p.details["gold"].as_str().unwrap_or("").to_string())
                .collect();
            let (f1, macro_f1, mcc) = choice_metrics(&preds, &golds);
            m.value("f1", f1);
            m.value("macro_f1", macro_f1);
            m.value("mcc", mcc);
            m.mean("missing", &metric_values(samples, "missing"));
        }
        Family::Ner => {
            let golds: Vec<Vec<String>> = samples
                .iter()
                .map(|p| strings(&p.details["gold"]))
                .collect();
            let preds: Vec<Vec<String>> = samples
                .iter()
                .map(|p| strings(&p.details["pred"]))
                .collect();
            m.value(
                "entity_f1",
                seqeval::micro_scores(&golds, &preds).ok().map(|s| s.f1),
            );
        }
        Family::SequentialLabeling => {
            let map = match tasks::by_task(task).map(|d| d.rules) {
                Some(Rules::Labels(map)) => map,
                _ => tasks::FINER_ORD,
            };
            let golds: Vec<Vec<String>> = samples
                .iter()
                .map(|p| strings(&p.details["gold"]))
                .collect();
            let lines: Vec<Vec<Option<String>>> = samples
                .iter()
                .map(|p| opt_strings(&p.details["lines"]))
                .collect();
            let tags: Vec<Vec<String>> = lines
                .iter()
                .map(|l| seqlabel::entity_tags(l, map))
                .collect();
            m.value(
                "entity_f1",
                seqeval::micro_scores(&golds, &tags).ok().map(|s| s.f1),
            );
            let gold_ids: Vec<i64> = golds
                .iter()
                .flatten()
                .map(|g| tasks::label_id(map, g).unwrap_or(-1))
                .collect();
            let pred_ids: Vec<i64> = lines
                .iter()
                .flat_map(|l| seqlabel::label_ids(l, map))
                .collect();
            m.value(
                "f1",
                sklearn::f1_score(&gold_ids, &pred_ids, Average::Weighted, None),
            );
        }
        Family::RelationExtraction => {
            let docs: Vec<(Vec<String>, Vec<String>)> = samples
                .iter()
                .map(|p| (strings(&p.details["gold"]), strings(&p.details["lines"])))
                .collect();
            let s = relation::corpus(&docs, mode);
            m.value("precision", s.precision);
            m.value("recall", s.recall);
            m.value("f1", s.f1);
        }
        Family::Qa => m.mean("acc", &metric_values(samples, "acc")),
        Family::ConvFinQa => {
            let turns: Vec<f64> = samples
                .iter()
                .flat_map(|p| {
                    p.details["turns"]
                        .as_array()
                        .map(|ts| {
                            ts.iter()
                                .map(|t| t["acc"].as_f64().unwrap_or(0.0))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                })
                .collect();
            m.mean("acc", &turns);
        }
        Family::Tsa => {
            let (golds, preds): (Vec<f64>, Vec<f64>) = samples
                .iter()
                .filter_map(|p| {
                    Some((
                        p.details["gold"].as_f64()?,
                        tsa::clip(p.details["pred"].as_f64()?),
                    ))
                })
                .unzip();
            m.value(
                "rmse",
                sklearn::mean_squared_error(&golds, &preds).map(f64::sqrt),
            );
            m.mean("missing", &metric_values(samples, "missing"));
        }
        Family::AbstractiveSummarization | Family::ExtractiveSummarization => {
            for name in ["rouge1", "rouge2", "rougeL"] {
                m.mean(name, &metric_values(samples, name));
            }
        }
        Family::Trading => {
            for name in [
                "cumulative_return",
                "sharpe_ratio",
                "daily_volatility",
                "annualized_volatility",
                "max_drawdown",
                "invalid_decisions",
            ] {
                m.mean(name, &metric_values(samples, name));
            }
        }
    }
    m.out
}

/// One report per task (dataset), in task-name order.
///
/// # Errors
/// Returns an error when a sample's details are not this plugin's.
pub fn aggregate(samples: &[ScoredSample], config: &Config) -> Result<Report, Error> {
    let mut by_task: BTreeMap<String, Vec<Parsed<'_>>> = BTreeMap::new();
    for s in samples {
        let details: Value = serde_json::from_str(&s.score.details).map_err(|e| {
            Error::new(format!(
                "sample {}: details are not this plugin's JSON: {e}",
                s.id
            ))
        })?;
        by_task
            .entry(s.subtask.clone())
            .or_default()
            .push(Parsed { sample: s, details });
    }
    let mut tasks_out = Vec::new();
    for (task, parsed) in &by_task {
        let family = parsed[0]
            .details
            .get("family")
            .and_then(Value::as_str)
            .and_then(Family::from_name)
            .ok_or_else(|| {
                Error::new(format!(
                    "sample {}: details name no FinBen family",
                    parsed[0].sample.id
                ))
            })?;
        tasks_out.push(TaskReport {
            name: task.clone(),
            level: Level::Task,
            samples: parsed.len() as u32,
            metrics: task_metrics(task, family, parsed, config),
        });
    }
    Ok(Report::new(tasks_out))
}
