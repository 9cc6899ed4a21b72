//! Dataset rows to samples.
//!
//! A file's dataset and length level come from its name,
//! `<dataset>_<level>.<ext>` (as the reference's `load_LVEval_dataset` and
//! `evaluation.py` read them), or from the closest folder so named (a
//! Hugging Face config folder holding `test-*.parquet`). Sample id:
//! `<dataset>_<level>/<row>`, the zero-based row index in the file.

use std::collections::BTreeSet;

use scorebox_sdk::data::{
    FieldError, RowRef, as_object, file_stem, parent_dirs, parse_row, str_field, str_list_field,
};
use scorebox_sdk::{DataFile, Error, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Dataset, LEVELS, Language, Shared, dataset};

/// What an episode needs of a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The dataset name (canonical spelling).
    pub dataset: String,
    /// The length level, e.g. `16k`.
    pub level: String,
    /// The question.
    pub input: String,
    /// The long context.
    pub context: String,
    /// The ground-truth answers (the reference scores against the first).
    pub answers: Vec<String>,
    /// `answer_keywords`, `None` when missing or null.
    pub answer_keywords: Option<String>,
}

/// `<dataset>_<level>` split into its parts, if `name` is one.
pub fn parse_name(name: &str) -> Option<(&'static Dataset, &'static str)> {
    let (ds, level) = name.rsplit_once('_')?;
    let level = LEVELS
        .iter()
        .find(|l| l.eq_ignore_ascii_case(level))
        .copied()?;
    Some((dataset(ds)?, level))
}

/// The dataset and level of a file, from its stem or a parent folder.
pub fn file_subset(path: &str) -> Option<(&'static Dataset, &'static str)> {
    parse_name(file_stem(path)).or_else(|| parent_dirs(path).find_map(parse_name))
}

fn row(value: &Value) -> Result<(String, String, Vec<String>, Option<String>), FieldError> {
    let obj = as_object(value)?;
    let input = str_field(obj, "input")?.to_string();
    let context = str_field(obj, "context")?.to_string();
    let answers = str_list_field(obj, "answers")?;
    if answers.is_empty() {
        return Err(FieldError::field(
            "answers",
            "`answers` is empty: there is no ground truth to score against",
        ));
    }
    let keywords = match obj.get("answer_keywords") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(FieldError::field(
                "answer_keywords",
                format!("`answer_keywords` must be a string or null, found {other}"),
            ));
        }
    };
    Ok((input, context, answers, keywords))
}

/// Loads every file; rows of a file whose name names no dataset and level
/// become invalid, each saying so.
///
/// # Errors
/// Never: every problem is a row error.
pub fn load(files: &[DataFile]) -> Result<LoadedSet<Shared>, Error> {
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    let mut chinese = false;
    for file in files {
        let subset = file_subset(&file.path);
        for (i, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: i as u32,
            };
            let Some((ds, level)) = subset else {
                items.push(Loaded::Invalid(at.error(
                    None,
                    "the file's name (or folder) is not `<dataset>_<16k|32k|64k|128k|256k>` \
                     for an LV-Eval dataset, e.g. `hotpotwikiqa_mixup_16k.jsonl`",
                )));
                continue;
            };
            let subtask = format!("{}_{level}", ds.name);
            let id = format!("{subtask}/{i}");
            let parsed = parse_row(text).and_then(|v| row(&v));
            let (input, context, answers, answer_keywords) = match parsed {
                Ok(r) => r,
                Err(e) => {
                    items.push(at.invalid(e));
                    continue;
                }
            };
            if !seen.insert(id.clone()) {
                items.push(Loaded::Invalid(at.error(
                    None,
                    format!("sample id `{id}` again: another file already holds {subtask}"),
                )));
                continue;
            }
            chinese |= ds.language == Language::Zh;
            let target = answers[0].clone();
            let data = Row {
                dataset: ds.name.to_string(),
                level: level.to_string(),
                input,
                context,
                answers,
                answer_keywords,
            };
            items.push(Loaded::Sample(Sample {
                id,
                subtask,
                data: serde_json::to_string(&data).map_err(|e| Error::new(e.to_string()))?,
                target,
            }));
        }
    }
    Ok(LoadedSet::with_shared(items, Shared { chinese }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let (d, l) = file_subset("loogle_SD_mixup/loogle_SD_mixup_128k.jsonl").unwrap();
        assert_eq!((d.name, l), ("loogle_SD_mixup", "128k"));
        let (d, l) = file_subset("factrecall_zh_16k/test-00000-of-00001.parquet").unwrap();
        assert_eq!((d.name, l), ("factrecall_zh", "16k"));
        assert!(file_subset("factrecall_zh_8k.jsonl").is_none());
        assert!(file_subset("other_16k.jsonl").is_none());
    }
}
