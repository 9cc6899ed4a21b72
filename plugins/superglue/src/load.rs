//! Dataset files → samples: the Hugging Face `aps/super_glue` / `super_glue`
//! layout (`<config>/validation-*.parquet`, jsonl or json) and the original
//! SuperGLUE jsonl files (`BoolQ/val.jsonl`, ...), converted as the Hugging
//! Face builder converts them.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{
    self, FieldError, RowRef, Split, as_object, field, file_stem, int_field,
    name_before_split_suffix, parent_dirs, parse_row, split_from_path, str_field,
};
use scorebox_sdk::{DataFile, Error, Loaded, LoadedSet, Sample};
use serde_json::{Map, Value};

use crate::Task;
use crate::row::{Row, label_names};

/// What a file holds, from its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Rows of a task. `fixed` is true for a `wsc.fixed` folder.
    Task {
        /// The task.
        task: Task,
        /// The folder is `wsc.fixed`.
        fixed: bool,
    },
    /// The AX-b / AX-g diagnostics (not scored; skipped).
    Diagnostic,
}

fn source_of_name(name: &str) -> Option<Source> {
    let name = name.to_ascii_lowercase();
    if matches!(name.as_str(), "axb" | "axg" | "ax-b" | "ax-g") {
        return Some(Source::Diagnostic);
    }
    if name == "wsc.fixed" {
        return Some(Source::Task {
            task: Task::Wsc,
            fixed: true,
        });
    }
    Task::from_key(&name).map(|task| Source::Task { task, fixed: false })
}

/// The task a file belongs to: the closest folder named after a Hugging
/// Face config or an original task folder (any case: `boolq`, `BoolQ`,
/// `wsc.fixed`, `WSC`, `AX-b`), else a file named `<config>_<split>.*`.
pub fn source_of_path(path: &str) -> Option<Source> {
    parent_dirs(path)
        .find_map(source_of_name)
        .or_else(|| name_before_split_suffix(path).and_then(source_of_name))
}

/// The folder holding `path` (everything before the last `/`).
fn folder(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Loads the validation rows of the selected tasks.
///
/// # Errors
/// When no validation file of a selected task is found.
pub fn load(files: &[DataFile], selected: &[Task]) -> Result<LoadedSet, Error> {
    // A `wsc.fixed` folder shadows its sibling `wsc` folder (a full
    // `aps/super_glue` snapshot has both; lm-eval reads `wsc.fixed`).
    let fixed_parents: BTreeSet<&str> = files
        .iter()
        .filter(|f| {
            matches!(
                source_of_path(&f.path),
                Some(Source::Task { fixed: true, .. })
            )
        })
        .map(|f| folder(folder(&f.path)))
        .collect();
    let mut items = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut any = false;
    for file in files {
        let at0 = RowRef {
            path: &file.path,
            row: 0,
        };
        let task = match source_of_path(&file.path) {
            Some(Source::Diagnostic) => continue,
            Some(Source::Task { task, fixed }) => {
                if task == Task::Wsc && !fixed && fixed_parents.contains(folder(folder(&file.path)))
                {
                    continue;
                }
                task
            }
            None => {
                items.push(Loaded::Invalid(at0.error(
                    None,
                    "cannot tell which SuperGLUE task this file holds: put it in a folder named \
                     after the task (boolq, cb, copa, multirc, record, rte, wic, wsc.fixed, or the \
                     original BoolQ, CB, ... folders)",
                )));
                continue;
            }
        };
        if !selected.contains(&task) {
            continue;
        }
        match split_from_path(&file.path) {
            Some(Split::Validation) => {}
            Some(_) => continue,
            None => {
                items.push(Loaded::Invalid(at0.error(
                    None,
                    format!(
                        "cannot tell the split of `{}`: SuperGLUE is scored on validation files \
                         (`validation-*.parquet`, `validation.jsonl`, `val.jsonl`)",
                        file_stem(&file.path)
                    ),
                )));
                continue;
            }
        }
        any = true;
        for (i, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: i as u32,
            };
            for parsed in parse_file_row(task, text) {
                match parsed {
                    Err(e) => items.push(at.invalid(e)),
                    Ok((id, row)) => {
                        let here = format!("{}:{}", file.path, i);
                        if let Some(first) = seen.get(&id) {
                            items.push(Loaded::Invalid(at.error(
                                Some("idx"),
                                format!("duplicate sample id `{id}` (first at {first})"),
                            )));
                            continue;
                        }
                        seen.insert(id.clone(), here);
                        items.push(Loaded::Sample(sample(id, row)));
                    }
                }
            }
        }
    }
    if !any {
        return Err(Error::new(format!(
            "no SuperGLUE validation file found for {} (expected e.g. \
             `boolq/validation-00000-of-00001.parquet` or `BoolQ/val.jsonl`)",
            selected
                .iter()
                .map(|t| t.key())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(LoadedSet::new(items))
}

fn sample(id: String, row: Row) -> Sample {
    let task = row.task();
    let target = match &row {
        Row::Record { answers, .. } => answers.join(" | "),
        other => other
            .label()
            .and_then(|l| label_names(task).get(l as usize))
            .map(|s| s.to_string())
            .unwrap_or_default(),
    };
    Sample {
        id,
        subtask: task.key().to_string(),
        data: serde_json::to_string(&row).expect("rows serialise"),
        target,
    }
}

/// The samples of one file row (several for an original MultiRC or ReCoRD
/// row), or what is wrong with it.
pub fn parse_file_row(task: Task, text: &str) -> Vec<Result<(String, Row), FieldError>> {
    let value = match parse_row(text) {
        Ok(v) => v,
        Err(e) => return vec![Err(e)],
    };
    let obj = match as_object(&value) {
        Ok(o) => o,
        Err(e) => return vec![Err(e)],
    };
    match task {
        Task::Multirc if obj.get("passage").is_some_and(Value::is_object) => original_multirc(obj),
        Task::Record if obj.contains_key("qas") => original_record(obj),
        _ => vec![flat_row(task, obj)],
    }
}

fn id_int(obj: &Map<String, Value>, name: &str) -> Result<i64, FieldError> {
    int_field(obj, name)
}

/// A label: a class index, a boolean (binary tasks), or a class name.
fn label(obj: &Map<String, Value>, name: &str, task: Task) -> Result<u8, FieldError> {
    let names = label_names(task);
    let v = field(obj, name)?;
    let index: Option<i64> = match v {
        Value::Bool(b) if names == ["False", "True"] => Some(i64::from(*b)),
        Value::String(s) => names
            .iter()
            .position(|n| n == s)
            .map(|i| i as i64)
            .or_else(|| s.trim().parse().ok()),
        Value::Number(n) => n.as_i64(),
        _ => None,
    };
    match index {
        Some(-1) => Err(FieldError::field(
            name,
            "label -1: hidden label (test split?); SuperGLUE is scored on validation",
        )),
        Some(i) if (0..names.len() as i64).contains(&i) => Ok(i as u8),
        _ => Err(FieldError::field(
            name,
            format!(
                "`{name}` must be a class index 0..{} or one of {}, found {v}",
                names.len() - 1,
                names.join(", ")
            ),
        )),
    }
}

fn s(obj: &Map<String, Value>, name: &str) -> Result<String, FieldError> {
    str_field(obj, name).map(str::to_string)
}

fn flat_row(task: Task, obj: &Map<String, Value>) -> Result<(String, Row), FieldError> {
    let simple_id = |obj: &Map<String, Value>| -> Result<String, FieldError> {
        Ok(format!("{}/{}", task.key(), id_int(obj, "idx")?))
    };
    Ok(match task {
        Task::Boolq => (
            simple_id(obj)?,
            Row::Boolq {
                question: s(obj, "question")?,
                passage: s(obj, "passage")?,
                label: label(obj, "label", task)?,
            },
        ),
        Task::Cb => (
            simple_id(obj)?,
            Row::Cb {
                premise: s(obj, "premise")?,
                hypothesis: s(obj, "hypothesis")?,
                label: label(obj, "label", task)?,
            },
        ),
        Task::Copa => {
            let question = s(obj, "question")?;
            if question != "cause" && question != "effect" {
                return Err(FieldError::field(
                    "question",
                    format!("`question` must be `cause` or `effect`, found `{question}`"),
                ));
            }
            let choice = |name: &str| -> Result<String, FieldError> {
                let c = s(obj, name)?;
                if c.is_empty() {
                    // lm-eval's `convert_choice` indexes the first character.
                    return Err(FieldError::field(name, format!("`{name}` is empty")));
                }
                Ok(c)
            };
            (
                simple_id(obj)?,
                Row::Copa {
                    premise: s(obj, "premise")?,
                    choice1: choice("choice1")?,
                    choice2: choice("choice2")?,
                    question,
                    label: label(obj, "label", task)?,
                },
            )
        }
        Task::Multirc => {
            let idx = field(obj, "idx")?;
            let idx = idx.as_object().ok_or_else(|| {
                FieldError::field(
                    "idx",
                    "`idx` must be an object {paragraph, question, answer}",
                )
            })?;
            let part = |name: &str| {
                int_field(idx, name)
                    .map_err(|e| FieldError::field("idx", format!("idx: {}", e.message)))
            };
            let (p, q, a) = (part("paragraph")?, part("question")?, part("answer")?);
            (
                format!("multirc/{p}-{q}-{a}"),
                Row::Multirc {
                    paragraph: s(obj, "paragraph")?,
                    question: s(obj, "question")?,
                    answer: s(obj, "answer")?,
                    label: label(obj, "label", task)?,
                    paragraph_idx: p,
                    question_idx: q,
                    answer_idx: a,
                },
            )
        }
        Task::Record => {
            let idx = field(obj, "idx")?;
            let idx = idx.as_object().ok_or_else(|| {
                FieldError::field("idx", "`idx` must be an object {passage, query}")
            })?;
            let part = |name: &str| {
                int_field(idx, name)
                    .map_err(|e| FieldError::field("idx", format!("idx: {}", e.message)))
            };
            let (p, q) = (part("passage")?, part("query")?);
            let entities = data::str_list_field(obj, "entities")?;
            let answers = data::str_list_field(obj, "answers")?;
            record_row(
                p,
                q,
                s(obj, "passage")?,
                s(obj, "query")?,
                entities,
                answers,
            )?
        }
        Task::Rte => (
            simple_id(obj)?,
            Row::Rte {
                premise: s(obj, "premise")?,
                hypothesis: s(obj, "hypothesis")?,
                label: label(obj, "label", task)?,
            },
        ),
        Task::Wic => (
            simple_id(obj)?,
            Row::Wic {
                word: s(obj, "word")?,
                sentence1: s(obj, "sentence1")?,
                sentence2: s(obj, "sentence2")?,
                start1: int_field(obj, "start1")?,
                end1: int_field(obj, "end1")?,
                start2: int_field(obj, "start2")?,
                end2: int_field(obj, "end2")?,
                label: label(obj, "label", task)?,
            },
        ),
        Task::Wsc => {
            // The original files keep the spans in `target`.
            let merged;
            let obj = match obj.get("target").and_then(Value::as_object) {
                Some(target) => {
                    let mut m = obj.clone();
                    for (k, v) in target {
                        m.insert(k.clone(), v.clone());
                    }
                    merged = m;
                    &merged
                }
                None => obj,
            };
            let mut ex = WscSpans {
                text: s(obj, "text")?,
                span1_index: int_field(obj, "span1_index")?,
                span2_index: int_field(obj, "span2_index")?,
                span1_text: s(obj, "span1_text")?,
                span2_text: s(obj, "span2_text")?,
            };
            fix_wsc(&mut ex)?;
            (
                simple_id(obj)?,
                Row::Wsc {
                    text: ex.text,
                    span1_index: ex.span1_index,
                    span2_index: ex.span2_index,
                    span1_text: ex.span1_text,
                    span2_text: ex.span2_text,
                    label: label(obj, "label", task)?,
                },
            )
        }
    })
}

fn record_row(
    p: i64,
    q: i64,
    passage: String,
    query: String,
    entities: Vec<String>,
    answers: Vec<String>,
) -> Result<(String, Row), FieldError> {
    if entities.is_empty() {
        return Err(FieldError::field("entities", "no candidate entity"));
    }
    if answers.is_empty() {
        return Err(FieldError::field(
            "answers",
            "no gold answer (test split?); SuperGLUE is scored on validation",
        ));
    }
    Ok((
        format!("record/{p}-{q}"),
        Row::Record {
            passage,
            query,
            entities,
            answers,
            passage_idx: p,
            query_idx: q,
        },
    ))
}

/// An original MultiRC row: one sample per answer option.
fn original_multirc(obj: &Map<String, Value>) -> Vec<Result<(String, Row), FieldError>> {
    let head = (|| -> Result<(i64, String, &Vec<Value>), FieldError> {
        let p = id_int(obj, "idx")?;
        let passage = field(obj, "passage")?
            .as_object()
            .expect("checked by the caller");
        let text = str_field(passage, "text")
            .map_err(|e| FieldError::field("passage.text", e.message))?
            .to_string();
        let questions = passage
            .get("questions")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                FieldError::field("passage.questions", "missing list `passage.questions`")
            })?;
        Ok((p, text, questions))
    })();
    let (p, text, questions) = match head {
        Ok(h) => h,
        Err(e) => return vec![Err(e)],
    };
    let mut out = Vec::new();
    for (qi, question) in questions.iter().enumerate() {
        let at = format!("passage.questions[{qi}]");
        let Some(question) = question.as_object() else {
            out.push(Err(FieldError::field(&at, "not an object")));
            continue;
        };
        let qhead = (|| -> Result<(i64, String, &Vec<Value>), FieldError> {
            let q = int_field(question, "idx")?;
            let text = str_field(question, "question")?.to_string();
            let answers = question
                .get("answers")
                .and_then(Value::as_array)
                .ok_or_else(|| FieldError::field("answers", "missing list `answers`"))?;
            Ok((q, text, answers))
        })()
        .map_err(|e| prefix(&at, e));
        let (q, qtext, answers) = match qhead {
            Ok(h) => h,
            Err(e) => {
                out.push(Err(e));
                continue;
            }
        };
        for (ai, answer) in answers.iter().enumerate() {
            let at = format!("{at}.answers[{ai}]");
            let parsed = (|| -> Result<(String, Row), FieldError> {
                let answer = answer
                    .as_object()
                    .ok_or_else(|| FieldError::row("not an object"))?;
                let a = int_field(answer, "idx")?;
                let label = match answer.get("label") {
                    None | Some(Value::Null) => {
                        return Err(FieldError::field(
                            "label",
                            "no label (test split?); SuperGLUE is scored on validation",
                        ));
                    }
                    Some(Value::Bool(b)) => u8::from(*b),
                    Some(v) => match v.as_i64() {
                        Some(0) => 0,
                        Some(1) => 1,
                        _ => {
                            return Err(FieldError::field(
                                "label",
                                format!("`label` must be 0 or 1, found {v}"),
                            ));
                        }
                    },
                };
                Ok((
                    format!("multirc/{p}-{q}-{a}"),
                    Row::Multirc {
                        paragraph: text.clone(),
                        question: qtext.clone(),
                        answer: str_field(answer, "text")?.to_string(),
                        label,
                        paragraph_idx: p,
                        question_idx: q,
                        answer_idx: a,
                    },
                ))
            })()
            .map_err(|e| prefix(&at, e));
            out.push(parsed);
        }
    }
    out
}

/// An original ReCoRD row: one sample per query; entities are the sorted
/// set of `passage.text[start:end + 1]`, answers the sorted set of their texts.
fn original_record(obj: &Map<String, Value>) -> Vec<Result<(String, Row), FieldError>> {
    type Head<'a> = (i64, String, Vec<String>, &'a Vec<Value>);
    let head = (|| -> Result<Head<'_>, FieldError> {
        let p = id_int(obj, "idx")?;
        let passage = field(obj, "passage")?.as_object().ok_or_else(|| {
            FieldError::field("passage", "`passage` must be an object {text, entities}")
        })?;
        let text = str_field(passage, "text")
            .map_err(|e| FieldError::field("passage.text", e.message))?
            .to_string();
        let chars: Vec<char> = text.chars().collect();
        let spans = passage
            .get("entities")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                FieldError::field("passage.entities", "missing list `passage.entities`")
            })?;
        let mut entities = BTreeSet::new();
        for (i, e) in spans.iter().enumerate() {
            let bad = || {
                FieldError::field(
                    &format!("passage.entities[{i}]"),
                    "needs integer `start` and `end`",
                )
            };
            let e = e.as_object().ok_or_else(bad)?;
            let start = int_field(e, "start").map_err(|_| bad())?;
            let end = int_field(e, "end").map_err(|_| bad())?;
            entities.insert(crate::prompt::py_slice(&chars, start, end + 1));
        }
        let qas = obj
            .get("qas")
            .and_then(Value::as_array)
            .ok_or_else(|| FieldError::field("qas", "`qas` must be a list"))?;
        Ok((p, text, entities.into_iter().collect(), qas))
    })();
    let (p, text, entities, qas) = match head {
        Ok(h) => h,
        Err(e) => return vec![Err(e)],
    };
    qas.iter()
        .enumerate()
        .map(|(qi, qa)| {
            let at = format!("qas[{qi}]");
            (|| -> Result<(String, Row), FieldError> {
                let qa = qa
                    .as_object()
                    .ok_or_else(|| FieldError::row("not an object"))?;
                let q = int_field(qa, "idx")?;
                let query = str_field(qa, "query")?.to_string();
                let mut answers = BTreeSet::new();
                if let Some(list) = qa.get("answers") {
                    let list = list
                        .as_array()
                        .ok_or_else(|| FieldError::field("answers", "`answers` must be a list"))?;
                    for (i, a) in list.iter().enumerate() {
                        let t = a.get("text").and_then(Value::as_str).ok_or_else(|| {
                            FieldError::field(&format!("answers[{i}]"), "needs a string `text`")
                        })?;
                        answers.insert(t.to_string());
                    }
                }
                record_row(
                    p,
                    q,
                    text.clone(),
                    query,
                    entities.clone(),
                    answers.into_iter().collect(),
                )
            })()
            .map_err(|e| prefix(&at, e))
        })
        .collect()
}

fn prefix(at: &str, e: FieldError) -> FieldError {
    FieldError {
        field: Some(match e.field {
            Some(f) => format!("{at}.{f}"),
            None => at.to_string(),
        }),
        message: e.message,
    }
}

/// The WSC fields the Hugging Face `wsc.fixed` builder repairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WscSpans {
    /// The text.
    pub text: String,
    /// Word index of span 1.
    pub span1_index: i64,
    /// Word index of span 2.
    pub span2_index: i64,
    /// Span 1 text.
    pub span1_text: String,
    /// Span 2 text.
    pub span2_text: String,
}

/// The Hugging Face builder's `_fix_wst` (config `wsc.fixed`): a span text
/// that is not a substring of the text gets the case of its first word
/// matched to the text's word at its index, trailing `.` stripped and
/// newlines turned into spaces (two known spans with intervening text are
/// left alone). Idempotent, so `wsc.fixed` rows pass through unchanged.
///
/// # Errors
/// Where the builder fails: an index outside the text's words, an empty
/// span, a span still not in the text after the fix.
pub fn fix_wsc(ex: &mut WscSpans) -> Result<(), FieldError> {
    for k in [1, 2] {
        let (text, index) = if k == 1 {
            (ex.span1_text.clone(), ex.span1_index)
        } else {
            (ex.span2_text.clone(), ex.span2_index)
        };
        let field = if k == 1 { "span1_text" } else { "span2_text" };
        if ex.text.contains(&text) {
            continue;
        }
        if text == "Kamenev and Zinoviev" || text == "Kamenev, Zinoviev, and Stalin" {
            continue;
        }
        if text.contains("theyscold") {
            // The builder discards its own `str.replace` here; it only moves span 2.
            ex.span2_index = 10;
        }
        let words: Vec<&str> = ex
            .text
            .split(scorebox_sdk::pyunicode::is_space)
            .filter(|w| !w.is_empty())
            .collect();
        let first_word = crate::prompt::py_index(&words, index).ok_or_else(|| {
            FieldError::field(
                field,
                format!(
                    "`{field}` is not in the text and its index {index} is outside the text's words"
                ),
            )
        })?;
        let mut chars = text.chars();
        let Some(first) = chars.next() else {
            return Err(FieldError::field(field, format!("`{field}` is empty")));
        };
        let rest: String = chars.collect();
        let first_is_lower = first_word.chars().next().is_some_and(char::is_lowercase);
        let head: String = if first_is_lower {
            first.to_lowercase().collect()
        } else {
            first.to_uppercase().collect()
        };
        let fixed = format!("{head}{rest}")
            .trim_end_matches('.')
            .replace('\n', " ");
        if !ex.text.contains(&fixed) {
            return Err(FieldError::field(
                field,
                format!(
                    "`{field}` `{text}` is not a substring of the text, even after the wsc.fixed repair"
                ),
            ));
        }
        if k == 1 {
            ex.span1_text = fixed;
        } else {
            ex.span2_text = fixed;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_from_paths() {
        let t = |task| Some(Source::Task { task, fixed: false });
        assert_eq!(
            source_of_path("boolq/validation-00000-of-00001.parquet"),
            t(Task::Boolq)
        );
        assert_eq!(source_of_path("data/BoolQ/val.jsonl"), t(Task::Boolq));
        assert_eq!(
            source_of_path("wsc.fixed/validation.jsonl"),
            Some(Source::Task {
                task: Task::Wsc,
                fixed: true
            })
        );
        assert_eq!(source_of_path("WSC/val.jsonl"), t(Task::Wsc));
        assert_eq!(source_of_path("AX-b/AX-b.jsonl"), Some(Source::Diagnostic));
        assert_eq!(source_of_path("rte_validation.jsonl"), t(Task::Rte));
        assert_eq!(source_of_path("x/validation.jsonl"), None);
    }

    #[test]
    fn wsc_fix_matches_the_builder() {
        // Invented text; words: Ines0 paid1 Karl2 back3 because4 she5 owed6 him7 .8
        let mut ex = WscSpans {
            text: "Ines paid Karl back because she owed him .".into(),
            span1_index: 0,
            span2_index: 5,
            span1_text: "ines".into(),
            span2_text: "Him.".into(),
        };
        // "Him." takes the case of word 5 ("she"): "him." → "him", in the text.
        // "ines" takes the case of word 0: "Ines".
        fix_wsc(&mut ex).unwrap();
        assert_eq!(ex.span1_text, "Ines");
        assert_eq!(ex.span2_text, "him");
        let again = ex.clone();
        fix_wsc(&mut ex).unwrap();
        assert_eq!(ex, again);
        // Still not a substring after the repair: the builder's assertion fails.
        let mut bad = again.clone();
        bad.span2_text = "They.".into();
        let e = fix_wsc(&mut bad).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("span2_text"));
        // An index outside the words.
        let mut bad = again;
        bad.span1_text = "karl.".into();
        bad.span1_index = 20;
        assert!(fix_wsc(&mut bad).is_err());
    }
}
