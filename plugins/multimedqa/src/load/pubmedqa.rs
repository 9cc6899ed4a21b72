//! PubMedQA PQA-L: the 500 test questions, in the layouts they are published in.
//!
//! * The official repository (`pubmedqa/pubmedqa`, `data/`): `ori_pqal.json`
//!   (all 1,000 questions, one JSON object keyed by PMID) with
//!   `test_ground_truth.json` (`{PMID: label}` of the 500 test questions),
//!   or the split files `pqal_test_set.json` / `test_set.json` (test
//!   questions only, keyed by PMID).
//! * `bigbio/pubmed_qa`, config `pubmed_qa_labeled_fold0_source` (what
//!   lm-eval reads): one row per question `{QUESTION, CONTEXTS, LABELS,
//!   MESHES, YEAR, reasoning_*, final_decision, LONG_ANSWER}`, no PMID; the
//!   `test` split is the 500.
//! * `qiaojin/PubMedQA`, config `pqa_labeled`: one row per question
//!   `{pubid, question, context: {contexts, ...}, long_answer,
//!   final_decision}`, all 1,000 in `train`.
//!
//! Which questions count: when a ground-truth file is given, the records
//! whose PMID it lists (its ids missing from the records are reported);
//! otherwise the records of files whose path says `test`. A file of all
//! questions without a ground-truth file is reported, not guessed.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, file_stem, parse_row, split_from_path,
};
use scorebox_sdk::{DataFile, Loaded};
use serde_json::{Map, Value};

use super::records::{as_str, first, id_text, str_list};
use super::{Parsed, Row};
use crate::item::{Item, PUBMEDQA_LABELS};
use crate::sets::Set;

/// The test ids of a ground-truth file, with their labels, in file order.
struct GroundTruth<'a> {
    path: &'a str,
    labels: Vec<(String, String)>,
}

/// A file whose single row is an object of `{PMID: string}`: a ground truth.
fn ground_truth(file: &DataFile) -> Option<GroundTruth<'_>> {
    if file.rows.len() != 1 {
        return None;
    }
    let v = parse_row(&file.rows[0]).ok()?;
    let obj = v.as_object()?;
    if obj.is_empty() || !obj.values().all(Value::is_string) {
        return None;
    }
    Some(GroundTruth {
        path: &file.path,
        labels: obj
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect(),
    })
}

/// A file whose single row is an object of `{PMID: record}`.
fn keyed_records(file: &DataFile) -> Option<Map<String, Value>> {
    if file.rows.len() != 1 {
        return None;
    }
    let v = parse_row(&file.rows[0]).ok()?;
    let obj = v.as_object()?;
    (!obj.is_empty()
        && obj.values().all(Value::is_object)
        && !obj.contains_key("QUESTION")
        && !obj.contains_key("question"))
    .then(|| obj.clone())
}

/// The rows of the PubMedQA files, and the invalid entries about files and
/// ground-truth ids.
pub(crate) fn rows<'a>(files: &[&'a DataFile]) -> (Vec<Row<'a>>, Vec<Loaded>) {
    let mut invalid = Vec::new();
    let truths: Vec<GroundTruth<'a>> = files.iter().filter_map(|f| ground_truth(f)).collect();
    let wanted: BTreeMap<&str, (&str, &str)> = truths
        .iter()
        .flat_map(|t| {
            t.labels
                .iter()
                .map(move |(id, label)| (id.as_str(), (label.as_str(), t.path)))
        })
        .collect();
    let have_truth = !truths.is_empty();
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for file in files {
        if ground_truth(file).is_some() {
            continue;
        }
        let split = split_of(&file.path);
        let test_file = split == Some(Split::Test);
        let at0 = RowRef {
            path: &file.path,
            row: 0,
        };
        if !have_truth && !test_file {
            if split.is_none() {
                invalid.push(at0.invalid(FieldError::row(
                    "this PubMedQA file is not a test split, and no ground-truth file \
                     (`test_ground_truth.json`, {PMID: label}) says which of its questions \
                     are the 500 PQA-L test questions: add it next to the file",
                )));
            }
            continue;
        }
        // Which records of this file count.
        let keep = |pmid: Option<&str>| match pmid {
            Some(id) if have_truth => wanted.contains_key(id),
            _ => test_file,
        };
        if let Some(map) = keyed_records(file) {
            for (pmid, rec) in &map {
                if !keep(Some(pmid)) {
                    continue;
                }
                found.insert(pmid.clone());
                let parsed = record(rec.as_object().expect("checked"), Some(pmid))
                    .map_err(|e| prefix(e, pmid))
                    .and_then(|p| check_truth(p, wanted.get(pmid.as_str()), pmid));
                out.push(Row {
                    at: at0,
                    set: Some(Set::PubMedQa),
                    parsed,
                });
            }
            continue;
        }
        for (i, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: i as u32,
            };
            let obj = match parse_row(text).and_then(|v| as_object(&v).cloned()) {
                Ok(o) => o,
                Err(e) => {
                    if test_file {
                        out.push(Row::bad(at, Some(Set::PubMedQa), e));
                    }
                    continue;
                }
            };
            let pmid = first(&obj, &["pubid", "PMID", "pmid"]).and_then(|(_, v)| id_text(v));
            if !keep(pmid.as_deref()) {
                continue;
            }
            if let Some(p) = &pmid {
                found.insert(p.clone());
            }
            let parsed = record(&obj, pmid.as_deref()).and_then(|p| match &pmid {
                Some(id) => check_truth(p, wanted.get(id.as_str()), id),
                None => Ok(p),
            });
            out.push(Row {
                at,
                set: Some(Set::PubMedQa),
                parsed,
            });
        }
    }
    for (id, (_, path)) in &wanted {
        if !found.contains(*id) {
            invalid.push(Loaded::Invalid(RowRef { path, row: 0 }.error(
                Some(id),
                format!(
                    "test id {id} of the ground truth has no question among the PubMedQA files \
                     (give ori_pqal.json or the test set next to it)"
                ),
            )));
        }
    }
    (out, invalid)
}

/// The split a PubMedQA file holds: as [`split_from_path`] tells it, else
/// a `_`/`-`-separated word of the file stem (`pqal_test_set.json`,
/// `train_set.json`, `dev_set.json`).
fn split_of(path: &str) -> Option<Split> {
    split_from_path(path).or_else(|| {
        file_stem(path)
            .to_ascii_lowercase()
            .split(['_', '-', '.'])
            .find_map(|t| match t {
                "test" => Some(Split::Test),
                "train" => Some(Split::Train),
                "dev" => Some(Split::Dev),
                "val" | "valid" | "validation" => Some(Split::Validation),
                _ => None,
            })
    })
}

fn prefix(e: FieldError, pmid: &str) -> FieldError {
    FieldError {
        field: Some(match e.field {
            Some(f) => format!("{pmid}.{f}"),
            None => pmid.to_string(),
        }),
        message: e.message,
    }
}

/// A record in the official / bigbio layout (`QUESTION`, `CONTEXTS`) or
/// qiaojin's (`question`, `context.contexts`).
fn record(obj: &Map<String, Value>, pmid: Option<&str>) -> Result<Parsed, FieldError> {
    let (question, contexts) = if let Some(q) = obj.get("QUESTION") {
        let contexts = obj
            .get("CONTEXTS")
            .ok_or_else(|| FieldError::field("CONTEXTS", "missing field `CONTEXTS`"))?;
        (as_str("QUESTION", q)?, str_list("CONTEXTS", contexts)?)
    } else if let Some(q) = obj.get("question") {
        let ctx = obj
            .get("context")
            .and_then(|c| c.get("contexts"))
            .ok_or_else(|| FieldError::field("context", "missing field `context.contexts`"))?;
        (as_str("question", q)?, str_list("context.contexts", ctx)?)
    } else {
        return Err(FieldError::field(
            "QUESTION",
            "missing field `QUESTION` (official and bigbio layouts) or `question` (qiaojin)",
        ));
    };
    let decision = obj
        .get("final_decision")
        .ok_or_else(|| FieldError::field("final_decision", "missing field `final_decision`"))?;
    let answer = as_str("final_decision", decision)?;
    if !PUBMEDQA_LABELS.contains(&answer) {
        return Err(FieldError::field(
            "final_decision",
            format!("`final_decision` must be yes, no or maybe, found {answer:?}"),
        ));
    }
    Ok(Parsed {
        own_id: pmid.map(str::to_string),
        item: Item::Pubmedqa {
            question: question.to_string(),
            contexts,
            answer: answer.to_string(),
        },
    })
}

/// The official scorer reads labels from the ground-truth file, lm-eval
/// from `final_decision`: they must agree.
fn check_truth(p: Parsed, truth: Option<&(&str, &str)>, pmid: &str) -> Result<Parsed, FieldError> {
    if let (Some((label, path)), Item::Pubmedqa { answer, .. }) = (truth, &p.item)
        && label != answer
    {
        return Err(FieldError::field(
            &format!("{pmid}.final_decision"),
            format!("`final_decision` is {answer:?} but {path} says {label:?}"),
        ));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::FileFormat;
    use scorebox_sdk::testing::{data_file, label};

    fn rec(q: &str, d: &str) -> String {
        format!(
            r#"{{"QUESTION":"{q}","CONTEXTS":["c1","c2"],"LABELS":["A","B"],"final_decision":"{d}"}}"#
        )
    }

    fn ids(rows: &[Row<'_>]) -> Vec<String> {
        rows.iter()
            .map(|r| match &r.parsed {
                Ok(p) => format!(
                    "{}={}",
                    p.own_id.clone().unwrap_or_default(),
                    p.item.target()
                ),
                Err(e) => format!("!{}", e.field.clone().unwrap_or_default()),
            })
            .collect()
    }

    #[test]
    fn the_ground_truth_selects_the_test_ids() {
        let all = format!(
            r#"{{"11":{},"22":{},"33":{},"44":{}}}"#,
            rec("q1", "yes"),
            rec("q2", "no"),
            rec("q3", "maybe"),
            rec("q4", "perhaps")
        );
        let ori = data_file("pubmedqa/data/ori_pqal.json", FileFormat::Json, &[&all]);
        let gt = data_file(
            "pubmedqa/data/test_ground_truth.json",
            FileFormat::Json,
            &[r#"{"22":"no","33":"yes","44":"no","55":"yes"}"#],
        );
        let (rows, invalid) = super::rows(&[&ori, &gt]);
        assert_eq!(
            ids(&rows),
            ["22=no", "!33.final_decision", "!44.final_decision"]
        );
        assert_eq!(
            invalid.iter().map(label).collect::<Vec<_>>(),
            ["!pubmedqa/data/test_ground_truth.json:0:55"]
        );
        // Without it, the file of all questions is reported, not guessed.
        let (rows, invalid) = super::rows(&[&ori]);
        assert!(rows.is_empty());
        assert_eq!(
            invalid.iter().map(label).collect::<Vec<_>>(),
            ["!pubmedqa/data/ori_pqal.json:0:"]
        );
    }

    #[test]
    fn split_files_and_row_layouts() {
        let test_set = data_file(
            "pubmedqa/pqal_test_set.json",
            FileFormat::Json,
            &[&format!(r#"{{"7":{}}}"#, rec("q", "maybe"))],
        );
        let (rows, _) = super::rows(&[&test_set]);
        assert_eq!(ids(&rows), ["7=maybe"]);
        let bigbio = data_file(
            "pubmedqa/pubmed_qa_labeled_fold0_source/test.jsonl",
            FileFormat::Jsonl,
            &[&rec("q", "no"), r#"{"QUESTION":"q"}"#, "[1]"],
        );
        let train = data_file(
            "pubmedqa/pubmed_qa_labeled_fold0_source/train.jsonl",
            FileFormat::Jsonl,
            &[&rec("q", "no")],
        );
        let (rows, invalid) = super::rows(&[&bigbio, &train]);
        assert_eq!(ids(&rows), ["=no", "!CONTEXTS", "!"]);
        assert!(invalid.is_empty());
        let qiaojin = data_file(
            "pubmedqa/pqa_labeled/train.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"pubid":5,"question":"q","context":{"contexts":["a"]},"final_decision":"yes"}"#,
                r#"{"pubid":6,"question":"q","context":{"contexts":["a"]},"final_decision":"no"}"#,
            ],
        );
        let gt = data_file(
            "pubmedqa/test_ground_truth.json",
            FileFormat::Json,
            &[r#"{"6":"no"}"#],
        );
        let (rows, invalid) = super::rows(&[&qiaojin, &gt]);
        assert_eq!(ids(&rows), ["6=no"]);
        assert!(invalid.is_empty());
    }
}
