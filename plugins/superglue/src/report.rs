//! Aggregation: each task's metrics (lm-eval's names and orders of
//! operations), the official corpus-level metrics (CB F1, MultiRC F1a and
//! EM, ReCoRD F1 and EM) and the SuperGLUE score.

use std::collections::BTreeMap;

use scorebox_metrics::classification::numpy_sum;
use scorebox_metrics::sklearn::{Average, f1_score};
use scorebox_sdk::aggregate::{Stat, stat, values};
use scorebox_sdk::{AggregateMetric, Error, Level, Report, ScoredSample, TaskReport};
use serde_json::Value;

use crate::{Mode, Task, Variant};

/// NumPy's `np.mean` of a float64 array: pairwise sums over blocks of 8192
/// values (NumPy's reduction buffer), the blocks added left to right, over
/// the count. `None` when empty.
pub fn numpy_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut total: Option<f64> = None;
    for block in values.chunks(8192) {
        let s = numpy_sum(block);
        total = Some(match total {
            None => s,
            Some(t) => t + s,
        });
    }
    Some(total? / values.len() as f64)
}

/// The metrics whose mean is a task's SuperGLUE score, in order.
pub fn score_metrics(task: Task, variant: Variant) -> &'static [&'static str] {
    match (variant, task) {
        (Variant::Loglikelihood, Task::Cb) => &["acc", "f1"],
        (Variant::Loglikelihood, Task::Multirc) => &["f1a", "em"],
        (_, Task::Record) => &["f1", "em"],
        (Variant::Loglikelihood, _) => &["acc"],
        (Variant::Generative, Task::Cb) => &["exact_match", "mean_3class_f1"],
        (Variant::Generative, Task::Multirc) => &["f1", "em"],
        (Variant::Generative, Task::Wsc) => &["accuracy"],
        (Variant::Generative, _) => &["exact_match"],
    }
}

/// The SuperGLUE score: each task's metrics averaged into one task score,
/// then the unweighted mean over the tasks given (in order).
pub fn superglue_score(task_scores: &[Vec<f64>]) -> Option<f64> {
    let per_task: Vec<f64> = task_scores
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| m.iter().fold(0.0, |a, v| a + v) / m.len() as f64)
        .collect();
    if per_task.is_empty() {
        return None;
    }
    Some(per_task.iter().fold(0.0, |a, v| a + v) / per_task.len() as f64)
}

fn details(s: &ScoredSample) -> Result<Value, Error> {
    serde_json::from_str(&s.score.details).map_err(|e| {
        Error::new(format!(
            "sample `{}`: details are not this scorer's JSON ({e})",
            s.id
        ))
    })
}

fn int(d: &Value, key: &str, id: &str) -> Result<i64, Error> {
    d[key]
        .as_i64()
        .ok_or_else(|| Error::new(format!("sample `{id}`: details lack `{key}`")))
}

fn no_stderr(value: f64, n: u32) -> Stat {
    Stat {
        value,
        stderr: None,
        n,
    }
}

/// `(name, stat)` pairs of one task.
type Metrics = Vec<(&'static str, Stat)>;

fn mean_metric(samples: &[ScoredSample], name: &'static str) -> Option<(&'static str, Stat)> {
    stat(&values(samples, name)).map(|s| (name, s))
}

/// The F1 of class 1 over `(gold, pred)` pairs (scikit-learn's binary
/// `f1_score`, 0 when there is no positive on either side).
fn binary_f1(golds: &[i64], preds: &[i64]) -> f64 {
    let labels = [1i64].into_iter().collect();
    f1_score(golds, preds, Average::Macro, Some(&labels)).unwrap_or(0.0)
}

/// The mean F1 of classes 0, 1, 2 (lm-eval's `cb_multi_fi`, the t5
/// `mean_3class_f1`); a prediction outside them counts for no class.
fn three_class_f1(golds: &[i64], preds: &[i64]) -> f64 {
    let labels = [0i64, 1, 2].into_iter().collect();
    f1_score(golds, preds, Average::Macro, Some(&labels)).unwrap_or(0.0)
}

/// Per question (key `key` of the details), 1 when every option is right;
/// returns the per-question values in order of first appearance.
fn multirc_em(samples: &[ScoredSample], key: &str) -> Result<Vec<f64>, Error> {
    let mut order: Vec<String> = Vec::new();
    let mut right: BTreeMap<String, bool> = BTreeMap::new();
    for s in samples {
        let d = details(s)?;
        let k = d[key]
            .as_str()
            .ok_or_else(|| Error::new(format!("sample `{}`: details lack `{key}`", s.id)))?
            .to_string();
        let ok = int(&d, "pred", &s.id)? == int(&d, "label", &s.id)?;
        match right.get_mut(&k) {
            Some(all) => *all &= ok,
            None => {
                order.push(k.clone());
                right.insert(k, ok);
            }
        }
    }
    Ok(order
        .iter()
        .map(|k| if right[k] { 1.0 } else { 0.0 })
        .collect())
}

fn preds_golds(samples: &[ScoredSample], gold_key: &str) -> Result<(Vec<i64>, Vec<i64>), Error> {
    let mut golds = Vec::new();
    let mut preds = Vec::new();
    for s in samples {
        let d = details(s)?;
        golds.push(int(&d, gold_key, &s.id)?);
        preds.push(int(&d, "pred", &s.id)?);
    }
    Ok((golds, preds))
}

/// One task's metrics, in lm-eval's order.
pub fn task_metrics(
    task: Task,
    samples: &[ScoredSample],
    variant: Variant,
    mode: Mode,
) -> Result<Metrics, Error> {
    let n = samples.len() as u32;
    let mut out: Metrics = Vec::new();
    let mut push_mean = |name: &'static str| {
        if let Some(m) = mean_metric(samples, name) {
            out.push(m);
        }
    };
    match (variant, task) {
        (Variant::Loglikelihood, Task::Cb) => {
            push_mean("acc");
            let (golds, preds) = preds_golds(samples, "gold")?;
            out.push(("f1", no_stderr(three_class_f1(&golds, &preds), n)));
        }
        (Variant::Loglikelihood, Task::Multirc) => {
            push_mean("acc");
            let (golds, preds) = preds_golds(samples, "label")?;
            out.push(("f1a", no_stderr(binary_f1(&golds, &preds), n)));
            let ems = multirc_em(samples, "paragraph_question_key")?;
            if let Some(s) = stat(&ems) {
                out.push(("em", s));
            }
        }
        (Variant::Loglikelihood, Task::Record) => {
            push_mean("f1");
            push_mean("em");
        }
        (Variant::Loglikelihood, _) => push_mean("acc"),
        (Variant::Generative, Task::Cb) => {
            push_mean("exact_match");
            let (golds, preds) = preds_golds(samples, "gold")?;
            out.push((
                "mean_3class_f1",
                no_stderr(three_class_f1(&golds, &preds), n),
            ));
        }
        (Variant::Generative, Task::Multirc) => {
            let (golds, preds) = preds_golds(samples, "label")?;
            out.push(("f1", no_stderr(binary_f1(&golds, &preds), n)));
            let key = match mode {
                Mode::Reference => "question_key",
                Mode::Corrected => "paragraph_question_key",
            };
            let ems = multirc_em(samples, key)?;
            if let Some(v) = numpy_mean(&ems) {
                out.push(("em", no_stderr(v, n)));
            }
        }
        (Variant::Generative, Task::Record) => {
            let ems = values(samples, "em");
            match mode {
                Mode::Reference => {
                    // One copy of each query per gold answer (t5 `process_docs`).
                    let mut hits = 0.0;
                    let mut copies = 0.0;
                    for (s, em) in samples.iter().zip(&ems) {
                        let k = int(&details(s)?, "answers", &s.id)? as f64;
                        hits += em * k;
                        copies += k;
                    }
                    if copies > 0.0 {
                        out.push(("em", no_stderr(hits / copies, n)));
                    }
                }
                Mode::Corrected => {
                    if let Some(s) = stat(&ems) {
                        out.push(("em", s));
                    }
                }
            }
            if let Some(v) = numpy_mean(&values(samples, "f1")) {
                out.push(("f1", no_stderr(v, n)));
            }
        }
        (Variant::Generative, Task::Wsc) => push_mean("accuracy"),
        (Variant::Generative, _) => push_mean("exact_match"),
    }
    Ok(out)
}

/// The report: `superglue` (the SuperGLUE score) and one entry per task
/// present, named as lm-eval names the task.
///
/// # Errors
/// A sample of an unknown subtask, or details this scorer did not write.
pub fn aggregate(samples: &[ScoredSample], variant: Variant, mode: Mode) -> Result<Report, Error> {
    let mut by_task: BTreeMap<Task, Vec<ScoredSample>> = BTreeMap::new();
    for s in samples {
        let task = Task::from_key(&s.subtask).ok_or_else(|| {
            Error::new(format!(
                "sample `{}` has subtask `{}`, not a SuperGLUE task",
                s.id, s.subtask
            ))
        })?;
        by_task.entry(task).or_default().push(s.clone());
    }
    let filter = mode.filter();
    let mut reports = Vec::new();
    let mut task_scores = Vec::new();
    for task in Task::ALL {
        let Some(members) = by_task.get(&task) else {
            continue;
        };
        let metrics = task_metrics(task, members, variant, mode)?;
        let wanted = score_metrics(task, variant);
        task_scores.push(
            wanted
                .iter()
                .filter_map(|w| metrics.iter().find(|(n, _)| n == w).map(|(_, s)| s.value))
                .collect::<Vec<f64>>(),
        );
        reports.push(TaskReport {
            name: task.lm_eval_name(variant),
            level: Level::Subtask,
            samples: members.len() as u32,
            metrics: metrics
                .iter()
                .map(|(name, s)| AggregateMetric {
                    name: name.to_string(),
                    filter: filter.to_string(),
                    value: s.value,
                    stderr: s.stderr,
                })
                .collect(),
        });
    }
    let mut top = TaskReport {
        name: "superglue".into(),
        level: Level::Task,
        samples: samples.len() as u32,
        metrics: Vec::new(),
    };
    if let Some(score) = superglue_score(&task_scores) {
        top.metrics.push(AggregateMetric {
            name: "score".into(),
            filter: filter.to_string(),
            value: score,
            stderr: None,
        });
    }
    let mut tasks = vec![top];
    tasks.extend(reports);
    Ok(Report::new(tasks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superglue_score_reproduces_the_lm_eval_readme() {
        // lm-eval `tasks/super_glue/README.md`, T5 v1.1 base on validation:
        // T5x SGLUE 69.47, LM-Eval 71.35, from the per-task numbers.
        let t5x = [
            vec![78.47],
            vec![83.93, 87.5],
            vec![50.0],
            vec![73.81, 33.26],
            vec![70.09, 71.34],
            vec![78.7],
            vec![63.64],
            vec![75.0],
        ];
        let lm_eval = [
            vec![79.36],
            vec![83.63, 87.5],
            vec![63.0],
            vec![73.45, 33.26],
            vec![69.85, 68.86],
            vec![78.34],
            vec![65.83],
            vec![75.96],
        ];
        let round2 = |x: f64| (x * 100.0).round() / 100.0;
        assert_eq!(round2(superglue_score(&t5x).unwrap()), 69.47);
        assert_eq!(round2(superglue_score(&lm_eval).unwrap()), 71.35);
        assert_eq!(superglue_score(&[]), None);
    }

    #[test]
    fn numpy_mean_blocks() {
        assert_eq!(numpy_mean(&[]), None);
        assert_eq!(numpy_mean(&[1.0, 2.0]), Some(1.5));
        // python3 + numpy 2.2.6: np.mean(v) (a left-to-right mean gives
        // 3404.523809523794 and 86.57142857142853).
        let v: Vec<f64> = (0..20000)
            .map(|i| f64::from((i * 7919) % 1000) / 7.0 + f64::from(i) / 3.0)
            .collect();
        assert_eq!(numpy_mean(&v), Some(3404.523809523809));
        assert_eq!(numpy_mean(&v[..100]), Some(86.57142857142857));
    }

    #[test]
    fn f1s() {
        assert_eq!(binary_f1(&[0, 0], &[0, 0]), 0.0);
        assert_eq!(binary_f1(&[1, 0, 1], &[1, 1, 0]), 0.5);
        // One class absent from both sides counts 0 (lm-eval's cb_multi_fi).
        assert_eq!(three_class_f1(&[0, 1], &[0, 1]), 2.0 / 3.0);
        assert_eq!(three_class_f1(&[0, 1, 2], &[-1, 1, 2]), 2.0 / 3.0);
    }
}
