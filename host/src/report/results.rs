//! `results.json`, in lm-evaluation-harness's key layout plus a
//! `provenance` block.

use serde_json::{Map, Value, json};

use crate::run::BenchmarkRun;
use crate::runtime::wit::{self, Level};

use super::RunMeta;

/// Builds the results document.
pub fn results_json(runs: &[BenchmarkRun], meta: &RunMeta) -> Value {
    let mut results = Map::new();
    let mut groups = Map::new();
    let mut versions = Map::new();
    let mut higher = Map::new();
    let mut n_samples = Map::new();
    let mut configs = Map::new();
    let mut failures = Vec::new();
    let mut invalid = Vec::new();
    let mut aggregate_errors = Map::new();
    for run in runs {
        let p = &run.prepared;
        let version = p.scorer.entry.version.clone();
        let hib: Map<String, Value> = p
            .scorer_info
            .metrics
            .iter()
            .map(|m| (m.name.clone(), Value::Bool(m.higher_is_better)))
            .collect();
        configs.insert(p.name.clone(), json!({
            "task": p.name,
            "loader": p.loader.entry.key(),
            "scorer": p.scorer.entry.key(),
            "options": p.scorer_options.iter().chain(&p.loader_options).map(|o| (o.key.clone(), Value::String(o.value.clone()))).collect::<Map<_, _>>(),
            "data": p.data_source,
        }));
        n_samples.insert(
            p.name.clone(),
            json!({
                "original": run.samples_loaded,
                "effective": run.outcomes.len() - run.failures(),
                "failed": run.failures(),
                "invalid_rows": run.invalid_rows.len(),
            }),
        );
        match &run.report {
            Ok(report) => {
                let has_subtasks = report.tasks.iter().any(|t| t.level == Level::Subtask);
                for task in &report.tasks {
                    let entry = task_entry(task);
                    if has_subtasks && task.level != Level::Subtask {
                        groups.insert(task.name.clone(), entry.clone());
                    }
                    results.insert(task.name.clone(), entry);
                    versions.insert(task.name.clone(), Value::String(version.clone()));
                    higher.insert(task.name.clone(), Value::Object(hib.clone()));
                    if task.name != p.name {
                        n_samples.entry(task.name.clone()).or_insert(
                            json!({"original": task.samples, "effective": task.samples}),
                        );
                    }
                }
            }
            Err(e) => {
                aggregate_errors.insert(p.name.clone(), Value::String(e.to_string()));
            }
        }
        for o in &run.outcomes {
            if let Err(e) = &o.result {
                failures.push(
                    json!({"benchmark": p.name, "sample": o.sample.id, "error": e.to_string()}),
                );
            }
        }
        for r in &run.invalid_rows {
            invalid.push(json!({"benchmark": p.name, "path": r.path, "row": r.row, "field": r.field, "error": r.message}));
        }
    }
    for suite in &meta.suites {
        let entry = super::suite_json(suite);
        results.insert(suite.name.clone(), entry.clone());
        groups.insert(suite.name.clone(), entry);
    }
    let mut doc = Map::new();
    doc.insert("results".into(), Value::Object(results));
    doc.insert("groups".into(), Value::Object(groups));
    doc.insert("configs".into(), Value::Object(configs));
    doc.insert("versions".into(), Value::Object(versions));
    doc.insert("higher_is_better".into(), Value::Object(higher));
    doc.insert("n-samples".into(), Value::Object(n_samples));
    doc.insert(
        "config".into(),
        json!({
            "model": meta.model,
            "model_args": null,
            "judge": meta.judge,
            "limit": meta.limit,
            "random_seed": meta.seed,
            "bootstrap_iters": 0,
            "workers": meta.workers,
        }),
    );
    doc.insert("provenance".into(), provenance(runs, meta));
    doc.insert("failures".into(), Value::Array(failures));
    doc.insert("invalid_rows".into(), Value::Array(invalid));
    doc.insert("aggregate_errors".into(), Value::Object(aggregate_errors));
    doc.insert("date".into(), json!(meta.started_unix));
    doc.insert(
        "total_evaluation_time_seconds".into(),
        Value::String(format!("{:.3}", meta.elapsed.as_secs_f64())),
    );
    Value::Object(doc)
}

fn task_entry(task: &wit::TaskReport) -> Value {
    let mut entry = Map::new();
    let alias = match task.level {
        Level::Subtask => format!(" - {}", task.name),
        _ => task.name.clone(),
    };
    entry.insert("alias".into(), Value::String(alias));
    for m in &task.metrics {
        entry.insert(format!("{},{}", m.name, m.filter), number(m.value));
        entry.insert(
            format!("{}_stderr,{}", m.name, m.filter),
            m.stderr.map(number).unwrap_or(Value::String("N/A".into())),
        );
    }
    entry.insert("sample_len".into(), json!(task.samples));
    Value::Object(entry)
}

fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn provenance(runs: &[BenchmarkRun], meta: &RunMeta) -> Value {
    let mut components = Vec::new();
    let mut data = Vec::new();
    let mut probes = Map::new();
    for run in runs {
        let p = &run.prepared;
        if let Some(probe) = &p.probe {
            probes.insert(p.name.clone(), probe.clone());
        }
        let same = p.loader.entry.key() == p.scorer.entry.key();
        for (located, role) in [(&p.loader, "loader"), (&p.scorer, "scorer")] {
            if same && role == "scorer" {
                continue;
            }
            let roles = if same {
                vec!["loader", "scorer"]
            } else {
                vec![role]
            };
            components.push(json!({
                "benchmark": p.name,
                "name": located.entry.name,
                "version": located.entry.version,
                "roles": roles,
                "sha256": located.entry.sha256,
                "wit": format!("scorebox:bench@{}", located.entry.wit),
                "source": located.entry.source,
            }));
        }
        for f in &p.files {
            data.push(json!({"benchmark": p.name, "path": f.path, "sha256": f.sha256, "rows": f.rows.len()}));
        }
    }
    json!({
        "host": format!("scorebox {}", env!("CARGO_PKG_VERSION")),
        "wit_versions": crate::runtime::wit::SUPPORTED_VERSIONS,
        "components": components,
        "data_files": data,
        "model": meta.model,
        "model_details": meta.model_details,
        "judge": meta.judge,
        "loglikelihood_probe": probes,
        "seed": meta.seed,
        "options": meta.options,
        "limits": meta.limits,
    })
}
