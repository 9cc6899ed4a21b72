//! Loading MuSR: Hugging Face `TAUR-Lab/MuSR` rows (one split per domain;
//! `choices` a Python list literal) and the official `*.json` files
//! (`[{context, questions: [{question, choices, answer}]}]`).

use std::collections::BTreeMap;

use scorebox_sdk::data::{
    FieldError, RowRef, as_object, csv_cells, csv_record, file_stem, parent_dirs, parse_row,
    str_field,
};
use scorebox_sdk::pyliteral::literal_eval_str_list;
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The three domains, in the order the official script evaluates them.
pub const DOMAINS: [&str; 3] = ["murder_mysteries", "object_placements", "team_allocation"];

/// A sample's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleData {
    /// The domain (split).
    pub domain: String,
    /// `narrative` (official: `context`).
    pub narrative: String,
    /// `question`.
    pub question: String,
    /// The options, parsed from the `choices` literal as `ast.literal_eval` does.
    pub choices: Vec<String>,
    /// The 0-based correct option (`answer_index`; official: `answer`).
    pub answer_index: i64,
    /// `answer_choice` as lm-eval renders `{{answer_choice}}` (`None` for the official files).
    pub answer_choice: Option<String>,
    /// The story this question belongs to (consecutive rows with the same
    /// narrative form a story), its index in the domain, the question's
    /// index within it, and the domain's number of stories: the official
    /// script shuffles stories, then asks their questions in order.
    pub story: usize,
    /// The question's index within its story.
    pub question_in_story: usize,
    /// Stories in the domain.
    pub stories: usize,
}

/// The domain a path belongs to (`murder_mystery` is the official file's name).
pub fn domain_of(path: &str) -> Option<&'static str> {
    let norm = |t: &str| -> Option<&'static str> {
        let t = t.to_ascii_lowercase();
        let t = if t == "murder_mystery" {
            "murder_mysteries".to_string()
        } else {
            t
        };
        DOMAINS.iter().copied().find(|d| *d == t)
    };
    let stem = file_stem(path);
    norm(stem)
        .or_else(|| stem.split(['-', '.']).next().and_then(norm))
        .or_else(|| parent_dirs(path).find_map(norm))
}

/// The questions of one domain: file path, file row, and the question or what is wrong with it.
type DomainRows = Vec<(String, u32, Result<Row, FieldError>)>;

struct Row {
    narrative: String,
    question: String,
    choices: Vec<String>,
    answer_index: i64,
    answer_choice: Option<String>,
}

/// Loads `files`: per domain, rows in file order; sample id `<domain>/<n>`.
///
/// # Errors
/// When no file belongs to a domain.
pub fn load(files: &[DataFile]) -> Result<LoadedSet, Error> {
    let mut items = Vec::new();
    let mut per_domain: BTreeMap<&str, DomainRows> = BTreeMap::new();
    for file in files {
        let Some(domain) = domain_of(&file.path) else {
            items.push(Loaded::Invalid(RowRef { path: &file.path, row: 0 }.error(
                None,
                "cannot tell the MuSR domain from the path (murder_mysteries, object_placements or team_allocation)",
            )));
            continue;
        };
        let list = per_domain.entry(domain).or_default();
        let mut header: Option<Vec<String>> = None;
        for (r, text) in file.rows.iter().enumerate() {
            for row in rows(file.format, text, &mut header) {
                list.push((file.path.clone(), r as u32, row));
            }
        }
    }
    if per_domain.is_empty() {
        return Err(Error::new(
            "no MuSR file found (give murder_mysteries, object_placements and team_allocation splits)",
        ));
    }
    for domain in DOMAINS {
        let Some(list) = per_domain.get(domain) else {
            continue;
        };
        // Stories: runs of consecutive rows with the same narrative.
        let mut story_of = Vec::with_capacity(list.len());
        let mut last: Option<&str> = None;
        let (mut story, mut q) = (0usize, 0usize);
        for (_, _, row) in list {
            let narrative = row.as_ref().ok().map(|r| r.narrative.as_str());
            match (last, narrative) {
                (Some(a), Some(b)) if a == b => q += 1,
                _ if last.is_none() && story_of.is_empty() => {}
                _ => {
                    story += 1;
                    q = 0;
                }
            }
            last = narrative;
            story_of.push((story, q));
        }
        let stories = story_of.last().map_or(0, |(s, _)| s + 1);
        for (n, ((path, r, row), (story, q))) in list.iter().zip(story_of).enumerate() {
            let at = RowRef { path, row: *r };
            match row {
                Ok(row) => {
                    let data = SampleData {
                        domain: domain.to_string(),
                        narrative: row.narrative.clone(),
                        question: row.question.clone(),
                        choices: row.choices.clone(),
                        answer_index: row.answer_index,
                        answer_choice: row.answer_choice.clone(),
                        story,
                        question_in_story: q,
                        stories,
                    };
                    let target = usize::try_from(row.answer_index)
                        .ok()
                        .and_then(|i| row.choices.get(i).cloned())
                        .unwrap_or_default();
                    items.push(Loaded::Sample(Sample {
                        id: format!("{domain}/{n}"),
                        subtask: domain.to_string(),
                        data: serde_json::to_string(&data)
                            .map_err(|e| Error::new(e.to_string()))?,
                        target,
                    }));
                }
                Err(e) => items.push(at.invalid(e.clone())),
            }
        }
    }
    Ok(items.into())
}

/// The questions of one file row: a Hugging Face row gives one, an official
/// `{context, questions}` item one per question; a CSV header gives none.
fn rows(
    format: FileFormat,
    text: &str,
    header: &mut Option<Vec<String>>,
) -> Vec<Result<Row, FieldError>> {
    let value = match parse_row(text) {
        Ok(v) => v,
        Err(e) => return vec![Err(e)],
    };
    let obj = if format == FileFormat::Csv {
        let cells = match csv_cells(&value) {
            Ok(c) => c,
            Err(e) => return vec![Err(e)],
        };
        let Some(h) = header else {
            *header = Some(cells);
            return Vec::new();
        };
        match csv_record(h, cells) {
            Ok(o) => o,
            Err(e) => return vec![Err(e)],
        }
    } else {
        match as_object(&value) {
            Ok(o) => o.clone(),
            Err(e) => return vec![Err(e)],
        }
    };
    if let Some(qs) = obj.get("questions") {
        let context = match str_field(&obj, "context") {
            Ok(c) => c.to_string(),
            Err(e) => return vec![Err(e)],
        };
        let Some(qs) = qs.as_array() else {
            return vec![Err(FieldError::field(
                "questions",
                "`questions` must be an array",
            ))];
        };
        return qs
            .iter()
            .enumerate()
            .map(|(i, q)| official(&context, q, i))
            .collect();
    }
    vec![hf(&obj)]
}

fn official(context: &str, q: &Value, i: usize) -> Result<Row, FieldError> {
    let name = |f: &str| format!("questions[{i}].{f}");
    let o = q
        .as_object()
        .ok_or_else(|| FieldError::field(&format!("questions[{i}]"), "must be an object"))?;
    let question = str_field(o, "question")
        .map_err(|_| FieldError::field(&name("question"), "missing or not a string"))?;
    let choices: Vec<String> = o
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().map(|c| c.as_str().map(str::to_string)).collect())
        .ok_or_else(|| FieldError::field(&name("choices"), "must be a list of strings"))?;
    let answer = o
        .get("answer")
        .and_then(Value::as_i64)
        .ok_or_else(|| FieldError::field(&name("answer"), "must be an integer"))?;
    check(&choices, answer, &name("answer"))?;
    Ok(Row {
        narrative: context.to_string(),
        question: question.to_string(),
        choices,
        answer_index: answer,
        answer_choice: None,
    })
}

fn check(choices: &[String], answer: i64, field: &str) -> Result<(), FieldError> {
    if choices.is_empty() {
        return Err(FieldError::field("choices", "no choices"));
    }
    if answer < 0 || answer as usize >= choices.len() {
        return Err(FieldError::field(
            field,
            format!(
                "{answer} is not the index of one of the {} choices",
                choices.len()
            ),
        ));
    }
    Ok(())
}

/// Jinja's rendering of a value (`{{x}}`): strings as they are, numbers as
/// Python prints them, null as `None`.
fn rendered(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "None".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "True" } else { "False" }.into(),
        Some(other) => other.to_string(),
    }
}

fn hf(obj: &Map<String, Value>) -> Result<Row, FieldError> {
    let narrative = str_field(obj, "narrative")?.to_string();
    let question = str_field(obj, "question")?.to_string();
    let choices = match obj.get("choices") {
        Some(Value::String(s)) => literal_eval_str_list(s).map_err(|e| {
            FieldError::field(
                "choices",
                format!("`choices` is not a Python list of strings: {e}"),
            )
        })?,
        Some(Value::Array(a)) => a
            .iter()
            .map(|c| c.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| FieldError::field("choices", "`choices` must hold strings"))?,
        _ => {
            return Err(FieldError::field(
                "choices",
                "missing or not a list literal",
            ));
        }
    };
    let answer_index = scorebox_sdk::data::int_field(obj, "answer_index")?;
    check(&choices, answer_index, "answer_index")?;
    let answer_choice = Some(rendered(obj.get("answer_choice")));
    Ok(Row {
        narrative,
        question,
        choices,
        answer_index,
        answer_choice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::testing::{data_file, label};

    #[test]
    fn layouts_stories_and_errors() {
        let files = vec![
            data_file(
                "object_placements.json",
                FileFormat::Json,
                &[
                    r#"{"context":"S1","questions":[{"question":"a","choices":["x","y"],"answer":1},{"question":"b","choices":["x","y"],"answer":0}]}"#,
                    r#"{"context":"S2","questions":[{"question":"c","choices":["x"],"answer":3}]}"#,
                ],
            ),
            data_file(
                "data/murder_mysteries.csv",
                FileFormat::Csv,
                &[
                    r#"["narrative","question","choices","answer_index","answer_choice"]"#,
                    r#"["N1","Who?","['Ann', 'Bo']","1","Bo"]"#,
                    r#"["N1","Why?","['Ann' 'Bo']","0","AnnBo"]"#,
                    r#"["N2","Who?","[1, 2]","0","1"]"#,
                ],
            ),
        ];
        let set = load(&files).unwrap();
        let got: Vec<String> = set
            .items
            .iter()
            .map(|i| match i {
                Loaded::Sample(s) => {
                    let d: SampleData = serde_json::from_str(&s.data).unwrap();
                    format!(
                        "{} s{}q{} of {} {:?}",
                        s.id, d.story, d.question_in_story, d.stories, d.choices
                    )
                }
                Loaded::Invalid(_) => label(i),
            })
            .collect();
        assert_eq!(
            got,
            [
                r#"murder_mysteries/0 s0q0 of 2 ["Ann", "Bo"]"#,
                r#"murder_mysteries/1 s0q1 of 2 ["AnnBo"]"#,
                "!data/murder_mysteries.csv:3:choices",
                r#"object_placements/0 s0q0 of 2 ["x", "y"]"#,
                r#"object_placements/1 s0q1 of 2 ["x", "y"]"#,
                "!object_placements.json:1:questions[0].answer",
            ]
        );
        assert_eq!(domain_of("murder_mystery.json"), Some("murder_mysteries"));
        assert_eq!(
            domain_of("x/team_allocation-00000-of-00001.parquet"),
            Some("team_allocation")
        );
    }
}
