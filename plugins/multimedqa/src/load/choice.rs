//! MedQA, MedMCQA and MMLU rows.

use scorebox_sdk::data::{
    FieldError, RowRef, Split, csv_cells, name_before_split_suffix, parent_dirs, parse_row,
    split_from_path,
};
use scorebox_sdk::{DataFile, FileFormat};
use serde_json::{Map, Value};

use super::records::{Record, answer_index, as_str, first, id_text, records, str_list};
use super::{Parsed, Row};
use crate::item::Item;
use crate::sets::{Set, mmlu_subject};

/// A file whose split cannot be told: one invalid row 0.
fn no_split<'a>(file: &'a DataFile, set: Option<Set>, expected: &str) -> Vec<Row<'a>> {
    vec![Row::bad(
        RowRef {
            path: &file.path,
            row: 0,
        },
        set,
        FieldError::row(format!(
            "cannot tell the split from the path; name the file after its split \
             (e.g. {expected}) or put it under a `{}/` folder",
            expected.split(['.', '-', '_']).next().unwrap_or("test")
        )),
    )]
}

fn each<'a>(
    file: &'a DataFile,
    set: Set,
    parse: impl Fn(&Map<String, Value>) -> Result<Parsed, FieldError>,
) -> Vec<Row<'a>> {
    records(file)
        .into_iter()
        .map(|(row, rec): Record| {
            let at = RowRef {
                path: &file.path,
                row,
            };
            Row {
                at,
                set: Some(set),
                parsed: rec.and_then(|obj| parse(&obj)),
            }
        })
        .collect()
}

fn four_strings(obj: &Map<String, Value>, names: [&str; 4]) -> Result<Vec<String>, FieldError> {
    names
        .iter()
        .map(|n| {
            let v = obj
                .get(*n)
                .ok_or_else(|| FieldError::field(n, format!("missing field `{n}`")))?;
            as_str(n, v).map(str::to_string)
        })
        .collect()
}

fn required<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a Value, FieldError> {
    obj.get(name)
        .ok_or_else(|| FieldError::field(name, format!("missing field `{name}`")))
}

/// MedQA test rows: `GBaker/MedQA-USMLE-4-options-hf` `{id, sent1, sent2,
/// ending0..3, label}` (what lm-eval reads), or the original
/// `{question, options: {A..D}, answer_idx, ...}`. Other splits are skipped.
pub(crate) fn medqa_rows(file: &DataFile) -> Vec<Row<'_>> {
    match split_from_path(&file.path) {
        Some(Split::Test) => {}
        Some(_) => return Vec::new(),
        None => return no_split(file, Some(Set::MedQa), "test.jsonl"),
    }
    each(file, Set::MedQa, |obj| {
        if obj.contains_key("sent1") {
            let question = as_str("sent1", required(obj, "sent1")?)?.to_string();
            let options = four_strings(obj, ["ending0", "ending1", "ending2", "ending3"])?;
            let answer = answer_index("label", required(obj, "label")?, 0, 4)?;
            let own_id = obj.get("id").and_then(id_text);
            return Ok(Parsed {
                own_id,
                item: Item::Medqa {
                    question,
                    options,
                    answer,
                },
            });
        }
        let question = as_str("question", required(obj, "question")?)?.to_string();
        let opts = required(obj, "options")?;
        let options = match opts {
            Value::Object(map) => {
                if map.len() != 4 {
                    return Err(FieldError::field(
                        "options",
                        format!(
                            "expected the 4 options A..D, found {} ({})",
                            map.len(),
                            map.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                four_strings(map, ["A", "B", "C", "D"]).map_err(|e| {
                    FieldError::field("options", format!("`options`: {}", e.message))
                })?
            }
            other => {
                return Err(FieldError::field(
                    "options",
                    format!("`options` must be an object {{A, B, C, D}}, found {other}"),
                ));
            }
        };
        let answer = answer_index("answer_idx", required(obj, "answer_idx")?, 0, 4)?;
        Ok(Parsed {
            own_id: obj.get("id").and_then(id_text),
            item: Item::Medqa {
                question,
                options,
                answer,
            },
        })
    })
}

/// MedMCQA validation rows `{id, question, opa, opb, opc, opd, cop, ...}`:
/// `openlifescienceai/medmcqa` `validation-*` (what lm-eval reads, `cop`
/// 0..3), or the original release's `dev.json` (`cop` 1..4). Train and test
/// (unlabelled) files are skipped.
pub(crate) fn medmcqa_rows(file: &DataFile) -> Vec<Row<'_>> {
    let base = match split_from_path(&file.path) {
        Some(Split::Validation) => 0,
        Some(Split::Dev) => 1,
        Some(_) => return Vec::new(),
        None => return no_split(file, Some(Set::MedMcqa), "validation.jsonl"),
    };
    each(file, Set::MedMcqa, move |obj| {
        let question = as_str("question", required(obj, "question")?)?.to_string();
        let options = four_strings(obj, ["opa", "opb", "opc", "opd"])?;
        let answer = answer_index("cop", required(obj, "cop")?, base, 4)?;
        Ok(Parsed {
            own_id: obj.get("id").and_then(id_text),
            item: Item::Medmcqa {
                question,
                options,
                answer,
            },
        })
    })
}

/// The subject a path names: `<subject>_test.csv`, else a folder named
/// after an MMLU clinical subject.
fn subject_from_path(path: &str) -> Option<String> {
    if let Some(name) = name_before_split_suffix(path) {
        return Some(name.to_string());
    }
    parent_dirs(path)
        .find(|d| mmlu_subject(d).is_some())
        .map(str::to_string)
}

/// MMLU test rows of the six clinical subjects: Hugging Face `cais/mmlu`
/// `{question, subject, choices[4], answer}` (parquet, jsonl, json, CSV with
/// a header), or the original Hendrycks CSV (`question, A, B, C, D, letter`,
/// no header). Rows of other subjects are skipped.
pub(crate) fn mmlu_rows(file: &DataFile) -> Vec<Row<'_>> {
    match split_from_path(&file.path) {
        Some(Split::Test) => {}
        Some(_) => return Vec::new(),
        None => return no_split(file, None, "test.jsonl"),
    }
    let path_subject = subject_from_path(&file.path);
    // Hendrycks CSVs have no header: their first row is a question.
    let hendrycks = file.format == FileFormat::Csv
        && file.rows.first().is_some_and(|r| {
            parse_row(r)
                .ok()
                .and_then(|v| csv_cells(&v).ok())
                .is_some_and(|cells| {
                    !cells
                        .iter()
                        .any(|c| c.trim().eq_ignore_ascii_case("question"))
                })
        });
    let mut out = Vec::new();
    if hendrycks {
        let Some(subject) = path_subject.as_deref().and_then(mmlu_subject) else {
            return Vec::new();
        };
        for (i, text) in file.rows.iter().enumerate() {
            let at = RowRef {
                path: &file.path,
                row: i as u32,
            };
            let parsed = parse_row(text)
                .and_then(|v| csv_cells(&v))
                .and_then(|cells| hendrycks_row(&cells, subject));
            out.push(Row {
                at,
                set: Some(Set::Mmlu(subject)),
                parsed,
            });
        }
        return out;
    }
    for (row, rec) in records(file) {
        let at = RowRef {
            path: &file.path,
            row,
        };
        let obj = match rec {
            Ok(o) => o,
            Err(e) => {
                let set = path_subject
                    .as_deref()
                    .and_then(mmlu_subject)
                    .map(Set::Mmlu);
                out.push(Row::bad(at, set, e));
                continue;
            }
        };
        let subject_name = match first(&obj, &["subject"]) {
            Some((_, Value::String(s))) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => path_subject.clone(),
        };
        let Some(subject_name) = subject_name else {
            out.push(Row::bad(
                at,
                None,
                FieldError::field(
                    "subject",
                    "no `subject` field, and the path names no subject (expected \
                     `<subject>/test-*.parquet` or `<subject>_test.csv`)",
                ),
            ));
            continue;
        };
        // Other MMLU subjects are not part of MultiMedQA.
        let Some(subject) = mmlu_subject(&subject_name) else {
            continue;
        };
        out.push(Row {
            at,
            set: Some(Set::Mmlu(subject)),
            parsed: hf_mmlu_row(&obj, subject),
        });
    }
    out
}

fn hf_mmlu_row(obj: &Map<String, Value>, subject: usize) -> Result<Parsed, FieldError> {
    let question = as_str("question", required(obj, "question")?)?.to_string();
    let choices = str_list("choices", required(obj, "choices")?)?;
    if choices.len() != 4 {
        return Err(FieldError::field(
            "choices",
            format!("expected 4 choices, found {}", choices.len()),
        ));
    }
    let answer = answer_index("answer", required(obj, "answer")?, 0, 4)?;
    Ok(Parsed {
        own_id: None,
        item: Item::Mmlu {
            subject,
            question,
            choices,
            answer,
        },
    })
}

fn hendrycks_row(cells: &[String], subject: usize) -> Result<Parsed, FieldError> {
    if cells.len() != 6 {
        return Err(FieldError::row(format!(
            "expected 6 cells (question, A, B, C, D, answer letter), found {}",
            cells.len()
        )));
    }
    let answer = answer_index("answer", &Value::String(cells[5].clone()), 0, 4)?;
    if cells[5].trim().parse::<i64>().is_ok() {
        return Err(FieldError::field(
            "answer",
            format!(
                "the answer cell must be a letter A..D, found {:?}",
                cells[5]
            ),
        ));
    }
    Ok(Parsed {
        own_id: None,
        item: Item::Mmlu {
            subject,
            question: cells[0].clone(),
            choices: cells[1..5].to_vec(),
            answer,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::testing::data_file;

    fn labels(rows: &[Row<'_>]) -> Vec<String> {
        rows.iter()
            .map(|r| match &r.parsed {
                Ok(p) => format!("{:?}:{}", r.set, p.item.target()),
                Err(e) => format!("!{}:{}", r.at.row, e.field.clone().unwrap_or_default()),
            })
            .collect()
    }

    #[test]
    fn medqa_layouts() {
        let f = data_file(
            "medqa/test.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"id":"t-1","sent1":"Q","sent2":"","ending0":"a","ending1":"b","ending2":"c","ending3":"d","label":2}"#,
                r#"{"question":"Q","options":{"A":"a","B":"b","C":"c","D":"d"},"answer_idx":"D","answer":"d"}"#,
                r#"{"question":"Q","options":{"A":"a","B":"b","C":"c","D":"d","E":"e"},"answer_idx":"E"}"#,
                r#"{"sent1":"Q","ending0":"a","ending1":"b","ending2":"c","label":0}"#,
                r#"{"sent1":"Q","ending0":"a","ending1":"b","ending2":"c","ending3":"d","label":4}"#,
            ],
        );
        let rows = medqa_rows(&f);
        assert_eq!(
            labels(&rows),
            [
                "Some(MedQa):C",
                "Some(MedQa):D",
                "!2:options",
                "!3:ending3",
                "!4:label"
            ]
        );
        assert_eq!(
            rows[0].parsed.as_ref().unwrap().own_id.as_deref(),
            Some("t-1")
        );
        assert!(medqa_rows(&data_file("medqa/train.jsonl", FileFormat::Jsonl, &["{}"])).is_empty());
        let f = data_file("medqa/questions.jsonl", FileFormat::Jsonl, &["{}"]);
        assert_eq!(labels(&medqa_rows(&f)), ["!0:"]);
    }

    #[test]
    fn medmcqa_cop_base_follows_the_split_name() {
        let row = r#"{"id":"u1","question":"Q","opa":"a","opb":"b","opc":"c","opd":"d","cop":1}"#;
        let hf = data_file("medmcqa/validation.jsonl", FileFormat::Jsonl, &[row]);
        assert_eq!(labels(&medmcqa_rows(&hf)), ["Some(MedMcqa):B"]);
        let orig = data_file("medmcqa/dev.jsonl", FileFormat::Jsonl, &[row]);
        assert_eq!(labels(&medmcqa_rows(&orig)), ["Some(MedMcqa):A"]);
        assert!(
            medmcqa_rows(&data_file("medmcqa/test.jsonl", FileFormat::Jsonl, &[row])).is_empty()
        );
    }

    #[test]
    fn mmlu_layouts_keep_only_the_clinical_subjects() {
        let hf = data_file(
            "mmlu/all/test.jsonl",
            FileFormat::Jsonl,
            &[
                r#"{"question":"Q","subject":"anatomy","choices":["a","b","c","d"],"answer":1}"#,
                r#"{"question":"Q","subject":"virology","choices":["a","b","c","d"],"answer":1}"#,
                r#"{"question":"Q","subject":"college_biology","choices":["a","b","c"],"answer":1}"#,
                r#"{"question":"Q","choices":["a","b","c","d"],"answer":1}"#,
            ],
        );
        assert_eq!(
            labels(&mmlu_rows(&hf)),
            ["Some(Mmlu(0)):B", "!2:choices", "!3:subject"]
        );
        let csv = data_file(
            "mmlu/data/test/medical_genetics_test.csv",
            FileFormat::Csv,
            &[
                r#"["Q","a","b","c","d","C"]"#,
                r#"["Q","a","b","c","d","2"]"#,
                r#"["Q"]"#,
            ],
        );
        assert_eq!(
            labels(&mmlu_rows(&csv)),
            ["Some(Mmlu(3)):C", "!1:answer", "!2:"]
        );
        let other = data_file(
            "mmlu/data/test/virology_test.csv",
            FileFormat::Csv,
            &[r#"["Q","a","b","c","d","C"]"#],
        );
        assert!(mmlu_rows(&other).is_empty());
        assert_eq!(crate::sets::MMLU_SUBJECTS[3], "medical_genetics");
    }
}
