//! Helpers for plugin tests: the host's `gold` model, data files and
//! loaded items in brief, and golden JSON files.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::{
    Answer, Benchmark, ContinuationScore, DataFile, FileFormat, Loaded, Query, Sample, ScoredSample,
};

/// The log-probability [`gold`] gives the continuations that are not the
/// reference (as the host's `gold` model does).
pub const GOLD_WRONG_LOGPROB: f64 = -1000.0;

/// The host's `gold` model: a generate or judge query is answered with its
/// reference; a choose query with log-probability 0 and `is_greedy` for the
/// reference continuation and [`GOLD_WRONG_LOGPROB`] for the others.
///
/// # Panics
/// When the query has no reference, or a reference index out of range (the
/// host's `gold` refuses those queries).
pub fn gold(query: &Query) -> Answer {
    match query {
        Query::Generate(g) | Query::Judge(g) => Answer::Text(
            g.reference
                .clone()
                .expect("the scorer attached no reference answer, so gold cannot answer"),
        ),
        Query::Choose(c) => {
            let gold = c
                .reference
                .expect("the scorer attached no reference continuation, so gold cannot answer");
            let n = c.continuations.len();
            assert!(
                (gold as usize) < n,
                "reference index {gold} is out of range for {n} continuations"
            );
            Answer::Scores(
                (0..n as u32)
                    .map(|i| ContinuationScore {
                        logprob: if i == gold { 0.0 } else { GOLD_WRONG_LOGPROB },
                        is_greedy: i == gold,
                    })
                    .collect(),
            )
        }
    }
}

/// A choose answer with these log-probabilities, one per continuation in
/// order, none of them marked greedy.
pub fn scores(logprobs: impl IntoIterator<Item = f64>) -> Answer {
    Answer::Scores(
        logprobs
            .into_iter()
            .map(|logprob| ContinuationScore {
                logprob,
                is_greedy: false,
            })
            .collect(),
    )
}

/// A data file with these rows (JSON texts, as the host decodes them) and
/// no `sha256`.
pub fn data_file(path: &str, format: FileFormat, rows: &[&str]) -> DataFile {
    DataFile {
        path: path.to_string(),
        sha256: String::new(),
        format,
        rows: rows.iter().map(|r| r.to_string()).collect(),
    }
}

/// The samples of a load.
///
/// # Panics
/// On an invalid row (a bundled sample has none).
pub fn samples(loaded: Vec<Loaded>) -> Vec<Sample> {
    loaded
        .into_iter()
        .map(|l| match l {
            Loaded::Sample(s) => s,
            Loaded::Invalid(e) => panic!("the bundled sample has no malformed row: {e:?}"),
        })
        .collect()
}

/// One loaded item in brief: a sample's id, or `!path:row:field` for an
/// invalid row (field empty when the error names none).
pub fn label(item: &Loaded) -> String {
    match item {
        Loaded::Sample(s) => s.id.clone(),
        Loaded::Invalid(e) => format!(
            "!{}:{}:{}",
            e.path,
            e.row,
            e.field.clone().unwrap_or_default()
        ),
    }
}

/// Checks that every per-sample metric of `scored` is declared in `B`'s
/// info (the host refuses a per-sample metric the plugin does not declare).
///
/// # Panics
/// Naming the first undeclared metric.
pub fn assert_declared<B: Benchmark>(scored: &ScoredSample) {
    let declared: Vec<String> = B::info().metrics.into_iter().map(|m| m.name).collect();
    for m in &scored.score.metrics {
        assert!(
            declared.contains(&m.name),
            "undeclared per-sample metric {}",
            m.name
        );
    }
}

/// A JSON file (a fidelity corpus or golden output), parsed.
///
/// # Panics
/// Naming the file when it cannot be read or is not JSON.
pub fn read_json(path: impl AsRef<Path>) -> Value {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An array of objects keyed by their `"id"` string (a later duplicate wins).
///
/// # Panics
/// When `cases` is not an array of objects with a string `id`.
pub fn by_id(cases: &Value) -> BTreeMap<String, Value> {
    cases
        .as_array()
        .expect("an array of cases")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("a string `id`").to_string(),
                c.clone(),
            )
        })
        .collect()
}

/// A number from a golden file: a JSON number, or a string Rust parses as
/// `f64` (`"inf"`, `"-inf"` and `"nan"`, which JSON cannot hold).
///
/// # Panics
/// On anything else.
pub fn json_f64(v: &Value) -> f64 {
    match v {
        Value::String(s) => s
            .parse()
            .unwrap_or_else(|_| panic!("unexpected number {s}")),
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("unexpected number {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Step, step};

    #[test]
    fn gold_answers_with_the_reference() {
        let generate = step::generate(
            vec![step::user("q")],
            step::params(None, &[], None),
            Some("42".into()),
        );
        let Step::Ask(q) = generate else { panic!() };
        assert_eq!(gold(&q), Answer::Text("42".into()));
        let choose = step::choose(
            "ctx".into(),
            vec!["a".into(), "b".into(), "c".into()],
            Some(1),
        );
        let Step::Ask(q) = choose else { panic!() };
        let Answer::Scores(answered) = gold(&q) else {
            panic!()
        };
        let got: Vec<(f64, bool)> = answered.iter().map(|s| (s.logprob, s.is_greedy)).collect();
        assert_eq!(got, [(-1000.0, false), (0.0, true), (-1000.0, false)]);
        let Answer::Scores(given) = scores([-1.5, 0.0]) else {
            panic!()
        };
        let got: Vec<(f64, bool)> = given.iter().map(|s| (s.logprob, s.is_greedy)).collect();
        assert_eq!(got, [(-1.5, false), (0.0, false)]);
        let no_reference = step::choose("ctx".into(), vec!["a".into()], None);
        let Step::Ask(q) = no_reference else { panic!() };
        assert!(std::panic::catch_unwind(|| gold(&q)).is_err());
    }

    #[test]
    fn items_samples_and_golden_values() {
        let sample = Sample {
            id: "s/1".into(),
            subtask: String::new(),
            data: String::new(),
            target: String::new(),
        };
        let invalid = |field: Option<&str>| {
            Loaded::Invalid(crate::RowError {
                path: "a.csv".into(),
                row: 3,
                field: field.map(str::to_string),
                message: "bad".into(),
            })
        };
        assert_eq!(label(&Loaded::Sample(sample.clone())), "s/1");
        assert_eq!(label(&invalid(Some("x"))), "!a.csv:3:x");
        assert_eq!(label(&invalid(None)), "!a.csv:3:");
        assert_eq!(samples(vec![Loaded::Sample(sample.clone())]), [sample]);
        assert!(std::panic::catch_unwind(|| samples(vec![invalid(None)])).is_err());
        let f = data_file("x.jsonl", crate::FileFormat::Jsonl, &["{}", "[]"]);
        assert_eq!((f.path.as_str(), f.rows.len()), ("x.jsonl", 2));
        let cases = serde_json::json!([{"id": "a", "v": 1}, {"id": "b", "v": "-inf"}]);
        let cases = by_id(&cases);
        assert_eq!(cases.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(json_f64(&cases["a"]["v"]), 1.0);
        assert_eq!(json_f64(&cases["b"]["v"]), f64::NEG_INFINITY);
        assert!(json_f64(&serde_json::json!("nan")).is_nan());
    }
}
