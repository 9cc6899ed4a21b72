//! The loader: FastChat's `data/mt_bench/question.jsonl` rows into samples,
//! with the reference answers of `reference_answer/<model>.jsonl` when the
//! data holds that file.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{FieldError, RowRef, as_object, field, parse_row, str_field};
use scorebox_sdk::{DataFile, Error, Loaded, Sample};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::prompts::needs_reference;

/// Where a question's reference answers came from.
pub const FROM_QUESTION: &str = "question";

/// One MT-Bench question, as the scorer receives it (`sample.data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The dataset's `question_id`, as text.
    pub question_id: String,
    /// The dataset's `category` (the subtask).
    pub category: String,
    /// The two user turns.
    pub turns: [String; 2],
    /// Reference answers to both turns, if any.
    pub references: Option<[String; 2]>,
    /// Where they came from: `reference_answer/<model>.jsonl` or `question`.
    pub reference_source: Option<String>,
}

/// Whether `path` is a question file (`question.jsonl`, in any folder).
pub fn is_question_file(path: &str) -> bool {
    scorebox_sdk::data::file_name(path) == "question.jsonl"
}

/// The model of a `reference_answer/<model>.jsonl` path.
pub fn reference_model(path: &str) -> Option<&str> {
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    (parts.next()? == "reference_answer")
        .then(|| name.strip_suffix(".jsonl"))
        .flatten()
}

fn two_strings(v: &Value, name: &str) -> Result<[String; 2], FieldError> {
    let list = v.as_array().ok_or_else(|| {
        FieldError::field(name, format!("`{name}` must be a list of two strings"))
    })?;
    if list.len() != 2 {
        return Err(FieldError::field(
            name,
            format!(
                "`{name}` must hold 2 strings (MT-Bench is two-turn), found {}",
                list.len()
            ),
        ));
    }
    let mut out = [String::new(), String::new()];
    for (i, s) in list.iter().enumerate() {
        out[i] = s
            .as_str()
            .ok_or_else(|| FieldError::field(name, format!("`{name}[{i}]` must be a string")))?
            .to_string();
    }
    Ok(out)
}

fn question_id(obj: &serde_json::Map<String, Value>) -> Result<String, FieldError> {
    match field(obj, "question_id")? {
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        _ => Err(FieldError::field(
            "question_id",
            "`question_id` must be an integer or a non-empty string",
        )),
    }
}

/// Reference answers by question id, from a `reference_answer/<model>.jsonl`
/// file (FastChat's model-answer schema: `choices[0].turns`). Rows that do
/// not have two string turns are reported.
fn reference_answers(file: &DataFile, items: &mut Vec<Loaded>) -> BTreeMap<String, [String; 2]> {
    let mut out = BTreeMap::new();
    for (row, text) in file.rows.iter().enumerate() {
        let at = RowRef {
            path: &file.path,
            row: row as u32,
        };
        let parsed = parse_row(text).and_then(|v| {
            let obj = as_object(&v)?;
            let id = question_id(obj)?;
            let turns = field(obj, "choices")?
                .get(0)
                .and_then(|c| c.get("turns"))
                .ok_or_else(|| FieldError::field("choices", "expected `choices[0].turns`"))?;
            Ok((id, two_strings(turns, "choices")?))
        });
        match parsed {
            Ok((id, turns)) => {
                out.insert(id, turns);
            }
            Err(e) => items.push(at.invalid(e)),
        }
    }
    out
}

/// Loads every question file; `reference_model` names the
/// `reference_answer/<model>.jsonl` file whose answers the reference-based
/// categories use (FastChat: the judge model's, `gpt-4`).
///
/// # Errors
/// Returns an error when no `question.jsonl` is among the files.
pub fn load(files: &[DataFile], reference_model_name: &str) -> Result<Vec<Loaded>, Error> {
    let mut items = Vec::new();
    let mut refs: Option<(String, BTreeMap<String, [String; 2]>)> = None;
    for f in files {
        if reference_model(&f.path) == Some(reference_model_name) {
            refs = Some((f.path.clone(), reference_answers(f, &mut items)));
        }
    }
    let questions: Vec<&DataFile> = files.iter().filter(|f| is_question_file(&f.path)).collect();
    if questions.is_empty() {
        return Err(Error::new(
            "no `question.jsonl` among the data files (expected FastChat's \
             fastchat/llm_judge/data/mt_bench/question.jsonl)",
        ));
    }
    let mut seen = BTreeSet::new();
    for f in questions {
        for (row, text) in f.rows.iter().enumerate() {
            let at = RowRef {
                path: &f.path,
                row: row as u32,
            };
            match question(text, refs.as_ref(), &mut seen) {
                Ok(item) => items.push(Loaded::Sample(Sample {
                    id: item.question_id.clone(),
                    subtask: item.category.clone(),
                    target: item
                        .references
                        .as_ref()
                        .map(|r| r.join("\n\n"))
                        .unwrap_or_default(),
                    data: serde_json::to_string(&item).expect("items serialise"),
                })),
                Err(e) => items.push(at.invalid(e)),
            }
        }
    }
    Ok(items)
}

fn question(
    text: &str,
    refs: Option<&(String, BTreeMap<String, [String; 2]>)>,
    seen: &mut BTreeSet<String>,
) -> Result<Item, FieldError> {
    let v = parse_row(text)?;
    let obj = as_object(&v)?;
    let question_id = question_id(obj)?;
    let category = str_field(obj, "category")?.to_string();
    let turns = two_strings(field(obj, "turns")?, "turns")?;
    let own = match obj.get("reference") {
        None | Some(Value::Null) => None,
        Some(r) => Some(two_strings(r, "reference")?),
    };
    let from_file = refs.and_then(|(path, m)| m.get(&question_id).map(|r| (path, r)));
    if let Some((path, _)) = refs
        && from_file.is_none()
        && needs_reference(&category)
    {
        // FastChat asserts that the judge's reference file answers every
        // reference-based question; mixing in the question's own notes
        // would change what the judge compares against.
        return Err(FieldError::field(
            "reference",
            format!("{path} has no answer for question {question_id} (category `{category}`)"),
        ));
    }
    let (references, reference_source) = match (from_file, own) {
        (Some((path, r)), _) => (Some(r.clone()), Some(path.clone())),
        (None, Some(r)) => (Some(r), Some(FROM_QUESTION.to_string())),
        (None, None) => (None, None),
    };
    if needs_reference(&category) && references.is_none() {
        return Err(FieldError::field(
            "reference",
            format!(
                "category `{category}` is judged against a reference answer, but question \
                 {question_id} has none (no `reference` field and no entry in the \
                 reference_answer file)"
            ),
        ));
    }
    if !seen.insert(question_id.clone()) {
        return Err(FieldError::field(
            "question_id",
            format!("duplicate question_id {question_id}"),
        ));
    }
    Ok(Item {
        question_id,
        category,
        turns,
        references,
        reference_source,
    })
}
