//! The loader: `google/IFEval` rows (`key`, `prompt`, `instruction_id_list`,
//! `kwargs`).

use std::collections::BTreeSet;

use scorebox_sdk::data::{
    FieldError, RowRef, as_object, field, int_field, parse_row, str_field, str_list_field,
};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::instructions::{Instruction, truthy};

/// What the loader hands the scorer for one prompt (`sample.data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    /// `key` (the sample id).
    pub key: i64,
    /// `prompt`: the text sent to the model.
    pub prompt: String,
    /// `instruction_id_list`.
    pub instruction_id_list: Vec<String>,
    /// `kwargs`, one object per instruction, with falsy values (the HF
    /// copies' `null`s, `0`, `""`, `[]`) dropped as the reference does.
    pub kwargs: Vec<Map<String, Value>>,
}

impl Prompt {
    /// The instructions, with the reference's random fallbacks (for falsy or
    /// missing kwargs) drawn from `rng` in order.
    ///
    /// # Errors
    /// As [`Instruction::build`], naming the instruction.
    pub fn instructions(&self, rng: &mut PyRandom) -> Result<Vec<Instruction>, String> {
        self.instruction_id_list
            .iter()
            .zip(&self.kwargs)
            .enumerate()
            .map(|(i, (id, kw))| {
                Instruction::build(id, kw, rng).map_err(|e| format!("instruction {i} ({id}): {e}"))
            })
            .collect()
    }
}

/// Reads one row.
///
/// # Errors
/// A missing or mistyped field, kwargs that do not line up with the ids, or
/// an instruction the reference would reject.
pub fn parse(row: &str) -> Result<Prompt, FieldError> {
    let v = parse_row(row)?;
    let obj = as_object(&v)?;
    let key = int_field(obj, "key")?;
    let prompt = str_field(obj, "prompt")?.to_string();
    let ids = str_list_field(obj, "instruction_id_list")?;
    let raw = field(obj, "kwargs")?;
    let raw: Vec<Value> = match raw {
        Value::Array(a) => a.clone(),
        // Some exports keep the list as JSON text.
        Value::String(s) => serde_json::from_str::<Vec<Value>>(s).map_err(|e| {
            FieldError::field("kwargs", format!("`kwargs` is not a JSON list: {e}"))
        })?,
        other => {
            return Err(FieldError::field(
                "kwargs",
                format!("`kwargs` must be a list of objects, found {other}"),
            ));
        }
    };
    if raw.len() < ids.len() {
        return Err(FieldError::field(
            "kwargs",
            format!(
                "{} kwargs for {} instruction ids (the reference raises IndexError)",
                raw.len(),
                ids.len()
            ),
        ));
    }
    let mut kwargs = Vec::with_capacity(ids.len());
    for (i, k) in raw.iter().take(ids.len()).enumerate() {
        let map = match k {
            Value::Object(m) => m
                .iter()
                .filter(|(_, v)| truthy(v))
                .map(|(a, b)| (a.clone(), b.clone()))
                .collect(),
            Value::Null => Map::new(),
            other => {
                return Err(FieldError::field(
                    "kwargs",
                    format!("`kwargs[{i}]` must be an object, found {other}"),
                ));
            }
        };
        kwargs.push(map);
    }
    let p = Prompt {
        key,
        prompt,
        instruction_id_list: ids,
        kwargs,
    };
    // The same checks the episode's build makes; the random fallbacks drawn
    // here are thrown away.
    p.instructions(&mut PyRandom::from_seed(0))
        .map_err(|e| FieldError::field("kwargs", e))?;
    Ok(p)
}

/// Loads every row of every file as a sample; the sample id is `key`.
///
/// # Errors
/// Returns an error when no file is given.
pub fn load(files: &[DataFile]) -> Result<LoadedSet<()>, Error> {
    if files.is_empty() {
        return Err(Error::new(
            "no data file: give the google/IFEval jsonl (or parquet)",
        ));
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for file in files {
        if file.format == FileFormat::Csv {
            out.push(Loaded::Invalid(RowRef { path: &file.path, row: 0 }.error(
                None,
                "CSV is not supported for IFEval (kwargs are nested objects): use the jsonl or parquet file",
            )));
            continue;
        }
        for (row, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: row as u32,
            };
            match parse(text) {
                Ok(p) if !seen.insert(p.key) => {
                    out.push(Loaded::Invalid(
                        at.error(Some("key"), format!("key {} appears twice", p.key)),
                    ));
                }
                Ok(p) => out.push(Loaded::Sample(Sample {
                    id: p.key.to_string(),
                    subtask: String::new(),
                    target: p.instruction_id_list.join(", "),
                    data: serde_json::to_string(&p).map_err(|e| Error::new(e.to_string()))?,
                })),
                Err(e) => out.push(at.invalid(e)),
            }
        }
    }
    Ok(out.into())
}
