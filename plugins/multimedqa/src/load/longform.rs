//! LiveQA, MedicationQA and HealthSearchQA questions: every row of every
//! file of the set (these sets have one split), JSON rows or CSV with a
//! header.

use scorebox_sdk::DataFile;
use scorebox_sdk::data::{FieldError, RowRef};
use serde_json::{Map, Value};

use super::records::{as_str, first, records, str_list};
use super::{Parsed, Row};
use crate::item::{Item, LongFormSet};
use crate::sets::Set;

/// Where the question is: the first of these fields present.
pub const QUESTION_FIELDS: [&str; 5] = ["question", "Question", "QUESTION", "query", "Query"];
/// LiveQA's consumer messages: `message` (and its `subject`, if any).
pub const MESSAGE_FIELDS: [&str; 2] = ["message", "MESSAGE"];
/// A message's subject line.
pub const SUBJECT_FIELDS: [&str; 2] = ["subject", "SUBJECT"];
/// Reference answers: a string or a list of strings.
pub const ANSWER_FIELDS: [&str; 5] = ["answer", "Answer", "ANSWER", "answers", "reference_answer"];

/// The rows of a long-form file.
pub(crate) fn rows(file: &DataFile, set: Set) -> Vec<Row<'_>> {
    let dataset = LongFormSet::of(set).expect("a long-form set");
    records(file)
        .into_iter()
        .map(|(row, rec)| Row {
            at: RowRef {
                path: &file.path,
                row,
            },
            set: Some(set),
            parsed: rec.and_then(|obj| question(&obj, dataset)),
        })
        .collect()
}

fn question(obj: &Map<String, Value>, dataset: LongFormSet) -> Result<Parsed, FieldError> {
    let text = if let Some((name, v)) = first(obj, &QUESTION_FIELDS) {
        as_str(name, v)?.trim().to_string()
    } else if let Some((name, v)) = first(obj, &MESSAGE_FIELDS) {
        let message = as_str(name, v)?.trim();
        match first(obj, &SUBJECT_FIELDS) {
            Some((sname, s)) => {
                let subject = as_str(sname, s)?.trim();
                if subject.is_empty() {
                    message.to_string()
                } else {
                    format!("{subject}\n{message}")
                }
            }
            None => message.to_string(),
        }
    } else {
        return Err(FieldError::field(
            "question",
            format!(
                "no question field (looked for {} and {})",
                QUESTION_FIELDS.join(", "),
                MESSAGE_FIELDS.join(", ")
            ),
        ));
    };
    if text.is_empty() {
        return Err(FieldError::field("question", "the question is empty"));
    }
    let references = match first(obj, &ANSWER_FIELDS) {
        None => Vec::new(),
        Some((_, Value::String(s))) => {
            if s.trim().is_empty() {
                Vec::new()
            } else {
                vec![s.clone()]
            }
        }
        Some((name, v)) => str_list(name, v)?
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
    };
    Ok(Parsed {
        own_id: None,
        item: Item::LongForm {
            dataset,
            question: text,
            references,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::FileFormat;
    use scorebox_sdk::testing::data_file;

    #[test]
    fn question_fields() {
        let f = data_file(
            "liveqa/test.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"SUBJECT":"Itchy ears","MESSAGE":"Why do my ears itch?","answers":["a1","a2"]}"#,
                r#"{"Question":"Can I take X with Y?","Answer":"ref"}"#,
                r#"{"question":"   "}"#,
                r#"{"title":"no question"}"#,
                r#"{"question":3}"#,
            ],
        );
        let rows = rows(&f, Set::LiveQa);
        let got: Vec<String> = rows
            .iter()
            .map(|r| match &r.parsed {
                Ok(Parsed {
                    item:
                        Item::LongForm {
                            question,
                            references,
                            ..
                        },
                    ..
                }) => format!("{question}|{}", references.join("+")),
                Ok(_) => unreachable!(),
                Err(e) => format!("!{}", e.field.clone().unwrap_or_default()),
            })
            .collect();
        assert_eq!(
            got,
            [
                "Itchy ears\nWhy do my ears itch?|a1+a2",
                "Can I take X with Y?|ref",
                "!question",
                "!question",
                "!question"
            ]
        );
        let csv = data_file(
            "healthsearchqa/all_data.csv",
            FileFormat::Csv,
            &[r#"["id","question"]"#, r#"["0","What causes hiccups?"]"#],
        );
        assert_eq!(rows_len(&csv), 1);
    }

    fn rows_len(f: &DataFile) -> usize {
        rows(f, Set::HealthSearchQa)
            .iter()
            .filter(|r| r.parsed.is_ok())
            .count()
    }
}
