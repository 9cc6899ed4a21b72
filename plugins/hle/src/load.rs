//! The loader: `cais/hle` rows (parquet, JSON Lines or JSON) into samples.
//!
//! Every row must have string fields `id` (unique), `question` (non-empty),
//! `answer`, `answer_type` (`exactMatch` or `multipleChoice`), `category`
//! (non-empty) and `image` (`""` or `null` for a text-only question);
//! `raw_subject` is kept when it is a string. Rows with an image are skipped
//! (the WIT has no image input) and counted per category in the shared data.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{FieldError, RowRef, as_object, field, parse_row, str_field};
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The two answer types of HLE.
pub const ANSWER_TYPES: [&str; 2] = ["exactMatch", "multipleChoice"];

/// What a scorer needs of one question (the sample's `data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The question text, sent as the user message.
    pub question: String,
    /// The reference answer, shown to the judge as `[correct_answer]`.
    pub answer: String,
    /// `exactMatch` or `multipleChoice`.
    pub answer_type: String,
    /// The dataset's category (the subtask).
    pub category: String,
    /// The dataset's finer subject, if given.
    #[serde(default)]
    pub raw_subject: Option<String>,
}

/// Data shared by all episodes: multimodal questions left out, by category.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// Number of skipped image questions per category.
    pub multimodal: BTreeMap<String, u32>,
}

impl Skipped {
    /// All skipped image questions.
    pub fn total(&self) -> u32 {
        self.multimodal.values().sum()
    }
}

/// The subtask name of a category: lower-case, runs of other characters
/// than ASCII letters and digits as one `_` (`Computer Science/AI` →
/// `computer_science_ai`).
pub fn subtask_of(category: &str) -> String {
    let mut out = String::new();
    for c in category.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// A non-empty string field.
fn non_empty<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, FieldError> {
    let s = str_field(obj, name)?;
    if s.trim().is_empty() {
        return Err(FieldError::field(name, format!("`{name}` is empty")));
    }
    Ok(s)
}

/// One row: `Ok(None)` for a question with an image (its category returned
/// through `skipped`).
fn read_row(
    text: &str,
    skipped: &mut Option<String>,
) -> Result<Option<(String, Item)>, FieldError> {
    let v = parse_row(text)?;
    let obj = as_object(&v)?;
    let id = non_empty(obj, "id")?.to_string();
    let category = non_empty(obj, "category")?.to_string();
    let image = match field(obj, "image")? {
        Value::Null => "",
        Value::String(s) => s.as_str(),
        other => {
            return Err(FieldError::field(
                "image",
                format!("`image` must be a string (\"\" for text-only), found {other}"),
            ));
        }
    };
    let question = non_empty(obj, "question")?.to_string();
    let answer = str_field(obj, "answer")?.to_string();
    let answer_type = str_field(obj, "answer_type")?;
    if !ANSWER_TYPES.contains(&answer_type) {
        return Err(FieldError::field(
            "answer_type",
            format!("`answer_type` must be exactMatch or multipleChoice, found {answer_type:?}"),
        ));
    }
    if !image.is_empty() {
        *skipped = Some(category);
        return Ok(None);
    }
    let raw_subject = obj
        .get("raw_subject")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Some((
        id,
        Item {
            question,
            answer,
            answer_type: answer_type.to_string(),
            category,
            raw_subject,
        },
    )))
}

/// Loads every row of every file.
///
/// # Errors
/// When no file holds rows the loader reads (no parquet, jsonl or json file).
pub fn load(files: &[DataFile]) -> Result<LoadedSet<Skipped>, Error> {
    let mut items = Vec::new();
    let mut skipped = Skipped::default();
    let mut seen = BTreeSet::new();
    let mut read_any = false;
    for file in files {
        if !matches!(
            file.format,
            FileFormat::Parquet | FileFormat::Jsonl | FileFormat::Json
        ) {
            continue;
        }
        read_any = true;
        for (row, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: row as u32,
            };
            let mut image_category = None;
            match read_row(text, &mut image_category) {
                Err(e) => items.push(at.invalid(e)),
                Ok(None) => {
                    let c = image_category.unwrap_or_default();
                    *skipped.multimodal.entry(c).or_default() += 1;
                }
                Ok(Some((id, item))) => {
                    if !seen.insert(id.clone()) {
                        items.push(at.invalid(FieldError::field(
                            "id",
                            format!("id {id:?} repeats an earlier row's"),
                        )));
                        continue;
                    }
                    items.push(Loaded::Sample(Sample {
                        id,
                        subtask: subtask_of(&item.category),
                        target: item.answer.clone(),
                        data: serde_json::to_string(&item).expect("an item serialises"),
                    }));
                }
            }
        }
    }
    if !read_any {
        return Err(Error::new(
            "no HLE data file: give the cais/hle test split (data/test-*.parquet) \
             or rows as .jsonl / .json",
        ));
    }
    Ok(LoadedSet::with_shared(items, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_become_subtasks() {
        assert_eq!(subtask_of("Computer Science/AI"), "computer_science_ai");
        assert_eq!(
            subtask_of("Humanities/Social Science"),
            "humanities_social_science"
        );
        assert_eq!(subtask_of(" Math "), "math");
    }
}
