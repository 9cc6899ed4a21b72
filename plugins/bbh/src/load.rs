//! Loading BBH rows and prompt files.
//!
//! * Official `bbh/<subtask>.json`: one object `{"canary", "examples": [{input, target}]}`.
//! * Hugging Face `lukaemon/bbh` (or `SaylorTwift/bbh`): `<subtask>/test-*.parquet`
//!   (also jsonl/json/csv with a header) rows `{input, target}`.
//! * Prompt files `cot-prompts/<subtask>.txt`: a file whose only row is a
//!   JSON string (the file's text; today's host delivers a `.json` file
//!   holding that string).
//!
//! The subtask is the file stem when it names one, else the closest parent
//! directory that does.

use std::collections::BTreeMap;

use scorebox_sdk::data::{
    FieldError, RowRef, as_object, csv_cells, csv_record, file_stem, parent_dirs, parse_row,
    str_field,
};
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Variant;
use crate::prompts::{PromptFile, parse_prompt_file};
use crate::tasks::subtask;

/// A sample's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleData {
    /// The subtask.
    pub subtask: String,
    /// The question.
    pub input: String,
    /// The reference answer.
    pub target: String,
}

/// Data all episodes share: the parsed prompt file of every subtask that
/// has samples.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// Prompt files by subtask.
    #[serde(default)]
    pub prompts: BTreeMap<String, PromptFile>,
}

/// The subtask a path belongs to.
pub fn subtask_of(path: &str) -> Option<&'static str> {
    if let Some(s) = subtask(file_stem(path)) {
        return Some(s.name);
    }
    parent_dirs(path).find_map(|d| subtask(d).map(|s| s.name))
}

fn is_prompt_file(file: &DataFile) -> bool {
    file.rows.len() == 1 && file.rows[0].trim_start().starts_with('"')
}

/// Loads `files` for `variant`: samples of the variant's subtasks (the
/// leaderboard skips dyck_languages, multistep_arithmetic_two and
/// word_sorting), and the prompt files of the subtasks that have samples.
///
/// # Errors
/// Returns an error when no file holds BBH rows.
pub fn load(files: &[DataFile], variant: Variant) -> Result<LoadedSet<Shared>, Error> {
    let mut items = Vec::new();
    let mut counters: BTreeMap<&str, usize> = BTreeMap::new();
    let mut prompts: BTreeMap<String, PromptFile> = BTreeMap::new();
    let mut prompt_errors = Vec::new();
    let mut data_files = 0;
    for file in files {
        let at = |row: usize| RowRef {
            path: &file.path,
            row: row as u32,
        };
        let Some(name) = subtask_of(&file.path) else {
            items.push(Loaded::Invalid(at(0).error(
                None,
                "cannot tell the BBH subtask from the path (name the file or its folder after one of the 27 subtasks)",
            )));
            continue;
        };
        if is_prompt_file(file) {
            let text: Result<String, _> = serde_json::from_str(&file.rows[0]);
            match text
                .map_err(|e| e.to_string())
                .and_then(|t| parse_prompt_file(&t))
            {
                Ok(p) => {
                    prompts.insert(name.to_string(), p);
                }
                Err(e) => prompt_errors.push(at(0).error(None, format!("prompt file: {e}"))),
            }
            continue;
        }
        data_files += 1;
        let keep =
            variant != Variant::Leaderboard || subtask(name).is_some_and(|s| s.choices.is_some());
        let mut header: Option<Vec<String>> = None;
        for (r, text) in file.rows.iter().enumerate() {
            let rows = match parse(file.format, text, &mut header) {
                Ok(Some(rows)) => rows,
                Ok(None) => continue,
                Err(e) => {
                    items.push(at(r).invalid(e));
                    let n = counters.entry(name).or_default();
                    *n += 1;
                    continue;
                }
            };
            for (field_prefix, row) in rows {
                let n = counters.entry(name).or_default();
                let index = *n;
                *n += 1;
                if !keep {
                    continue;
                }
                match row.and_then(|row| example(&row, &field_prefix)) {
                    Ok((input, target)) => {
                        let data = SampleData {
                            subtask: name.to_string(),
                            input,
                            target: target.clone(),
                        };
                        items.push(Loaded::Sample(Sample {
                            id: format!("{name}/{index}"),
                            subtask: name.to_string(),
                            data: serde_json::to_string(&data)
                                .map_err(|e| Error::new(e.to_string()))?,
                            target,
                        }));
                    }
                    Err(e) => items.push(at(r).invalid(e)),
                }
            }
        }
    }
    if data_files == 0 {
        return Err(Error::new(
            "no BBH data file found (give bbh/<subtask>.json, or <subtask>/test-*.parquet of lukaemon/bbh)",
        ));
    }
    items.extend(prompt_errors.into_iter().map(Loaded::Invalid));
    prompts.retain(|k, _| counters.contains_key(k.as_str()));
    Ok(LoadedSet::with_shared(items, Shared { prompts }))
}

type Rows = Vec<(String, Result<Map<String, Value>, FieldError>)>;

/// The examples in one file row: an official `{"examples": [...]}` object
/// gives each element (field prefix `examples[i].`), a plain row itself.
/// `None` for a CSV header row.
fn parse(
    format: FileFormat,
    text: &str,
    header: &mut Option<Vec<String>>,
) -> Result<Option<Rows>, FieldError> {
    let value = parse_row(text)?;
    if format == FileFormat::Csv {
        let cells = csv_cells(&value)?;
        let Some(h) = header else {
            *header = Some(cells);
            return Ok(None);
        };
        return Ok(Some(vec![(String::new(), Ok(csv_record(h, cells)?))]));
    }
    let obj = as_object(&value)?;
    if let Some(examples) = obj.get("examples") {
        let list = examples
            .as_array()
            .ok_or_else(|| FieldError::field("examples", "`examples` must be an array"))?;
        let mut out = Vec::new();
        for (i, e) in list.iter().enumerate() {
            let o = e.as_object().cloned().ok_or_else(|| {
                FieldError::field(&format!("examples[{i}]"), "an example must be an object")
            });
            out.push((format!("examples[{i}]."), o));
        }
        return Ok(Some(out));
    }
    Ok(Some(vec![(String::new(), Ok(obj.clone()))]))
}

fn example(row: &Map<String, Value>, prefix: &str) -> Result<(String, String), FieldError> {
    let named = |e: FieldError| FieldError {
        field: e.field.map(|f| format!("{prefix}{f}")),
        message: e.message,
    };
    let input = str_field(row, "input").map_err(named)?.to_string();
    let target = match row.get("target") {
        Some(Value::Number(n)) => n.to_string(),
        _ => str_field(row, "target").map_err(named)?.to_string(),
    };
    Ok((input, target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::testing::{data_file, label};

    #[test]
    fn layouts_ids_and_errors() {
        let files = vec![
            data_file(
                "bbh/navigate.json",
                FileFormat::Json,
                &[
                    r#"{"canary":"c","examples":[{"input":"a","target":"Yes"},{"input":"b"},{"input":"c","target":"No"}]}"#,
                ],
            ),
            data_file(
                "word_sorting/test-00000-of-00001.parquet",
                FileFormat::Parquet,
                &[
                    r#"{"input":"List: b a","target":"a b"}"#,
                    "{",
                    r#"{"input":"List: d c","target":"c d"}"#,
                ],
            ),
            data_file(
                "cot-prompts/navigate.json",
                FileFormat::Json,
                &[r#""Nav.\n\nQ: x\nA: Let's think step by step.\nSo the answer is Yes.""#],
            ),
            data_file(
                "cot-prompts/snarks.json",
                FileFormat::Json,
                &[r#""S.\n\nQ: x\nA: nope""#],
            ),
            data_file("other/thing.jsonl", FileFormat::Jsonl, &["{}"]),
        ];
        let set = load(&files, Variant::CotFewshot).unwrap();
        let ids: Vec<String> = set.items.iter().map(label).collect();
        assert_eq!(
            ids,
            [
                "navigate/0",
                "!bbh/navigate.json:0:examples[1].target",
                "navigate/2",
                "word_sorting/0",
                "!word_sorting/test-00000-of-00001.parquet:1:",
                "word_sorting/2",
                "!other/thing.jsonl:0:",
                "!cot-prompts/snarks.json:0:",
            ]
        );
        // The snarks prompt file is broken but snarks has no samples: its
        // error is still reported; the unused prompt is dropped.
        assert_eq!(set.shared.prompts.len(), 1);
        assert_eq!(
            set.shared.prompts["navigate"].shots[0].answer.as_deref(),
            Some("Yes")
        );
        let lb = load(&files, Variant::Leaderboard).unwrap();
        assert!(
            lb.items
                .iter()
                .all(|i| !matches!(i, Loaded::Sample(s) if s.subtask == "word_sorting"))
        );
        assert!(load(&files[2..3], Variant::CotFewshot).is_err());
    }
}
