//! The loader: the Hendrycks `MATH/{train,test}/<subject>/<n>.json` layout
//! and the Hugging Face copies (jsonl, json, parquet).

use std::collections::BTreeSet;

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, file_name, file_stem, parent_dirs, parse_row,
    split_from_path, str_field,
};
use scorebox_sdk::{DataFile, Error, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::boxed::{gold_answer, reference_gold};
use crate::{Config, SUBJECTS};

/// One MATH problem as the scorer needs it (`sample.data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `problem`.
    pub problem: String,
    /// `solution` (worked solution ending in a `\boxed{…}` answer).
    pub solution: String,
    /// The gold answer: the last box of the solution (the dataset's
    /// `answer` field where the solution has none).
    pub answer: String,
    /// `level`, as `Level N` (`Level ?` kept).
    pub level: String,
    /// The subject folder name (subtask).
    pub subject: String,
    /// Whether the reference's `remove_boxed(last_boxed_only_string(...))`
    /// fails on this solution (an `\fbox` or missing answer): lm-eval's
    /// `hendrycks_math` and `minerva_math` crash there, the leaderboard's
    /// `exact_match_original` scores 0.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference_gold_fails: bool,
}

/// A few-shot exemplar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemplar {
    /// The problem text.
    pub problem: String,
    /// The worked solution as shown after `Solution:` (Minerva format,
    /// ending in the `Final Answer: … I hope it is correct.` line).
    pub solution: String,
    /// The boxed answer (shown after `Answer:` in the original prompt).
    pub answer: String,
}

/// What all episodes share: the few-shot exemplars, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// At most `num_fewshot` exemplars.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fewshot: Vec<Exemplar>,
}

/// The subject of a `type`/`subject` field value (`Counting & Probability`
/// → `counting_and_probability`), or of a folder name.
pub fn subject_key(name: &str) -> Option<&'static str> {
    let key: String = name
        .trim()
        .to_ascii_lowercase()
        .replace(" & ", "_and_")
        .replace(['-', ' '], "_");
    SUBJECTS.iter().copied().find(|s| *s == key)
}

fn subject_from_path(path: &str) -> Option<&'static str> {
    parent_dirs(path)
        .find_map(subject_key)
        .or_else(|| subject_key(file_stem(path).split(['-', '.']).next().unwrap_or("")))
}

fn is_fewshot_file(path: &str) -> bool {
    file_name(path).to_ascii_lowercase().contains("fewshot")
}

fn level_text(obj: &Map<String, Value>) -> Result<String, FieldError> {
    match obj.get("level") {
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(Value::Number(n)) => Ok(format!("Level {n}")),
        None | Some(Value::Null) => Ok("Level ?".into()),
        Some(other) => Err(FieldError::field(
            "level",
            format!("`level` must be a string such as `Level 5`, found {other}"),
        )),
    }
}

fn optional_str<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, FieldError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => str_field(obj, name).map(Some),
    }
}

/// The `Final Answer` line the Minerva exemplars end with.
pub fn final_answer_line(answer: &str) -> String {
    format!("Final Answer: The final answer is ${answer}$. I hope it is correct.")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Test,
    Train,
    Fewshot,
}

/// A few-shot row: `problem` and `solution` (its last box is the answer;
/// the Minerva `Final Answer` line is appended when the solution lacks one).
fn parse_exemplar(obj: &Map<String, Value>) -> Result<Exemplar, FieldError> {
    let problem = str_field(obj, "problem")?.to_string();
    let mut solution = str_field(obj, "solution")?.to_string();
    let answer = match (gold_answer(&solution), optional_str(obj, "answer")?) {
        (Some(a), _) => a.to_string(),
        (None, Some(a)) => a.to_string(),
        (None, None) => {
            return Err(FieldError::field(
                "solution",
                "no `\\boxed{…}` answer in the solution",
            ));
        }
    };
    if !solution.contains("Final Answer:") {
        solution.push('\n');
        solution.push_str(&final_answer_line(&answer));
    }
    Ok(Exemplar {
        problem,
        solution,
        answer,
    })
}

struct Row {
    id: Option<String>,
    problem: Problem,
}

fn parse_problem(obj: &Map<String, Value>, path: &str) -> Result<Row, FieldError> {
    let problem = str_field(obj, "problem")?.to_string();
    let solution = str_field(obj, "solution")?.to_string();
    let level = level_text(obj)?;
    let named = match optional_str(obj, "type")? {
        Some(t) => Some(t),
        None => optional_str(obj, "subject")?,
    };
    let subject = match named {
        Some(t) => subject_key(t).ok_or_else(|| {
            FieldError::field(
                "type",
                format!("`{t}` is not one of the seven MATH subjects"),
            )
        })?,
        None => subject_from_path(path).ok_or_else(|| {
            FieldError::field(
                "type",
                "no `type`/`subject` field and no subject folder in the path",
            )
        })?,
    };
    let given = optional_str(obj, "answer")?;
    let reference_gold_fails = reference_gold(&solution).is_none();
    let answer = match (gold_answer(&solution), given) {
        (Some(a), _) => a.to_string(),
        (None, Some(a)) => a.to_string(),
        (None, None) => {
            return Err(FieldError::field(
                "solution",
                "no `\\boxed{…}` answer in the solution and no `answer` field",
            ));
        }
    };
    let id = match obj.get("unique_id").or_else(|| obj.get("id")) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Ok(Row {
        id,
        problem: Problem {
            problem,
            solution,
            answer,
            level,
            subject: subject.to_string(),
            reference_gold_fails,
        },
    })
}

/// Hendrycks layout: `…/<split>/<subject>/<n>.json` holding one problem.
fn hendrycks_id(path: &str, format_json_single: bool) -> Option<String> {
    if !format_json_single {
        return None;
    }
    let subject = parent_dirs(path).next().and_then(subject_key)?;
    Some(format!("{subject}/{}", file_stem(path)))
}

/// Loads test rows as samples (Level 5 only when `config.hard_only`); the
/// few-shot exemplars become the shared data.
///
/// # Errors
/// Returns an error when no file holds test problems.
pub fn load(files: &[DataFile], config: &Config) -> Result<LoadedSet<Shared>, Error> {
    let mut files: Vec<&DataFile> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Vec::new();
    let mut fewshot_file: Vec<Exemplar> = Vec::new();
    let mut train: Vec<Exemplar> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut saw_test = false;
    for file in files {
        let fewshot = is_fewshot_file(&file.path);
        let split = split_from_path(&file.path);
        let role = if fewshot {
            Role::Fewshot
        } else {
            match split {
                Some(Split::Test) => Role::Test,
                Some(Split::Train) => Role::Train,
                Some(_) => continue,
                None => {
                    let at = RowRef {
                        path: &file.path,
                        row: 0,
                    };
                    out.push(Loaded::Invalid(at.error(
                        None,
                        "cannot tell the split from the path: use MATH/test/<subject>/<n>.json, \
                         test*.jsonl / test-*.parquet, or name a few-shot file fewshot*.jsonl",
                    )));
                    continue;
                }
            }
        };
        saw_test |= role == Role::Test;
        let single = file.rows.len() == 1 && file.path.to_ascii_lowercase().ends_with(".json");
        for (i, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: i as u32,
            };
            if role != Role::Test {
                match parse_row(text).and_then(|v| as_object(&v).and_then(parse_exemplar)) {
                    Ok(ex) if role == Role::Fewshot => fewshot_file.push(ex),
                    Ok(ex) => train.push(ex),
                    // A bad train row only matters if it is used; a bad
                    // few-shot row is reported.
                    Err(e) if role == Role::Fewshot => out.push(at.invalid(e)),
                    Err(_) => {}
                }
                continue;
            }
            let parsed = parse_row(text)
                .and_then(|v| as_object(&v).and_then(|o| parse_problem(o, &file.path)));
            let row = match parsed {
                Ok(r) => r,
                Err(e) => {
                    out.push(at.invalid(e));
                    continue;
                }
            };
            if config.hard_only && row.problem.level != "Level 5" {
                continue;
            }
            let id = row
                .id
                .clone()
                .or_else(|| hendrycks_id(&file.path, single))
                .unwrap_or_else(|| format!("{}/{i}", row.problem.subject));
            if !seen.insert(id.clone()) {
                out.push(Loaded::Invalid(at.error(
                    Some("unique_id"),
                    format!("duplicate sample id {id} (sample ids must be unique)"),
                )));
                continue;
            }
            let data = serde_json::to_string(&row.problem)
                .map_err(|e| Error::new(format!("cannot encode sample {id}: {e}")))?;
            out.push(Loaded::Sample(Sample {
                id,
                subtask: row.problem.subject.clone(),
                data,
                target: row.problem.answer.clone(),
            }));
        }
    }
    if !saw_test {
        return Err(Error::new(
            "no MATH test problems among the data files; expected MATH/test/<subject>/<n>.json, \
             test*.jsonl or test-*.parquet",
        ));
    }
    let pool = if fewshot_file.is_empty() {
        train
    } else {
        fewshot_file
    };
    let shared = Shared {
        fewshot: pool.into_iter().take(config.num_fewshot).collect(),
    };
    Ok(LoadedSet::with_shared(out, shared))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert_eq!(
            subject_key("Counting & Probability"),
            Some("counting_and_probability")
        );
        assert_eq!(
            subject_key("Intermediate Algebra"),
            Some("intermediate_algebra")
        );
        assert_eq!(subject_key("Precalculus"), Some("precalculus"));
        assert_eq!(subject_key("Calculus"), None);
        assert_eq!(
            subject_from_path("algebra/test-00000-of-00001.parquet"),
            Some("algebra")
        );
        assert_eq!(
            hendrycks_id("MATH/test/geometry/12.json", true).as_deref(),
            Some("geometry/12")
        );
    }
}
