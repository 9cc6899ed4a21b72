//! The loader: Hugging Face `cais/mmlu` rows and the original Hendrycks CSVs.

use std::collections::BTreeMap;

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, csv_cells, csv_record, int_field,
    name_before_split_suffix, parent_dirs, parse_row, split_from_path, str_field, str_list_field,
};
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::subjects;

/// One question: text, the four choices and the answer index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Question text, as in the data.
    pub question: String,
    /// The four choices, as in the data.
    pub choices: Vec<String>,
    /// Index of the correct choice (0..=3).
    pub answer: u32,
}

/// What the loader hands the scorer for one sample (`sample.data`): the
/// sample's own fields only (few-shot examples are in [`Shared`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleData {
    /// Subject, e.g. `high_school_us_history`.
    pub subject: String,
    /// The test question.
    #[serde(flatten)]
    pub item: Question,
}

/// What all episodes share (`loaded-set.shared`): the few-shot pools.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Per subject with test samples, its first `num_fewshot` dev questions
    /// in file order (subjects without dev rows are absent). Empty for
    /// `num_fewshot=0`, so that nothing is shared.
    #[serde(default)]
    pub dev: BTreeMap<String, Vec<Question>>,
}

impl Shared {
    /// The few-shot pool of `subject` (empty when none was loaded).
    pub fn examples(&self, subject: &str) -> &[Question] {
        self.dev.get(subject).map(Vec::as_slice).unwrap_or_default()
    }
}

/// A parsed row, or why it is unusable (with its subject when known, so the
/// sample-id count stays aligned with the file).
type Parsed = Result<(String, Question), (Option<String>, FieldError)>;

/// Loads test rows as samples; the first `num_fewshot` dev rows of each
/// subject that has test rows become the shared few-shot pools.
///
/// # Errors
/// Returns an error when no file holds the test split.
pub fn load(files: &[DataFile], num_fewshot: usize) -> Result<LoadedSet<Shared>, Error> {
    let mut out = Vec::new();
    let mut dev: BTreeMap<String, Vec<Question>> = BTreeMap::new();
    let mut tests: Vec<(RowRef<'_>, Parsed)> = Vec::new();
    let mut saw_test = false;
    for file in files {
        let split = split_from_path(&file.path);
        match split {
            Some(Split::Test) => saw_test = true,
            Some(Split::Dev) => {}
            // Validation and auxiliary-train rows are not used.
            Some(_) => continue,
            None => {
                let at = RowRef {
                    path: &file.path,
                    row: 0,
                };
                out.push(Loaded::Invalid(at.error(
                    None,
                    "cannot tell the split from the path: name the file `<subject>_test.csv` / \
                     `test-*.parquet` (or put it under `test/`), likewise for `dev`",
                )));
                continue;
            }
        }
        for (row, parsed) in parse_file(file) {
            let at = RowRef {
                path: &file.path,
                row,
            };
            if split == Some(Split::Dev) {
                match parsed {
                    Ok((subject, q)) => dev.entry(subject).or_default().push(q),
                    Err((_, e)) => out.push(at.invalid(e)),
                }
            } else {
                tests.push((at, parsed));
            }
        }
    }
    if !saw_test {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        return Err(Error::new(format!(
            "no MMLU test split among the data files ({}); expected e.g. \
             `data/test/<subject>_test.csv` or `all/test-00000-of-00001.parquet`",
            if paths.is_empty() {
                "none given".to_string()
            } else {
                paths.join(", ")
            }
        )));
    }
    let mut counters: BTreeMap<String, u32> = BTreeMap::new();
    for (at, parsed) in tests {
        match parsed {
            Ok((subject, item)) => {
                let n = counters.entry(subject.clone()).or_default();
                let id = format!("{subject}/{n}");
                *n += 1;
                let target = scorebox_sdk::prompt::letter(item.answer as usize)
                    .map(String::from)
                    .unwrap_or_default();
                let data = SampleData {
                    subject: subject.clone(),
                    item,
                };
                let data = serde_json::to_string(&data)
                    .map_err(|e| Error::new(format!("cannot encode sample {id}: {e}")))?;
                out.push(Loaded::Sample(Sample {
                    id,
                    subtask: subject,
                    data,
                    target,
                }));
            }
            Err((subject, e)) => {
                if let Some(subject) = subject {
                    *counters.entry(subject).or_default() += 1;
                }
                out.push(at.invalid(e));
            }
        }
    }
    // The pools of the subjects with test rows, cut to `num_fewshot`.
    dev.retain(|subject, pool| {
        pool.truncate(num_fewshot);
        !pool.is_empty() && counters.contains_key(subject)
    });
    Ok(LoadedSet::with_shared(out, Shared { dev }))
}

/// Every row of a file, parsed, with its row index.
fn parse_file(file: &DataFile) -> Vec<(u32, Parsed)> {
    let mut out = Vec::with_capacity(file.rows.len());
    let path_subject = subject_from_path(&file.path);
    let mut header: Option<Vec<String>> = None;
    for (i, text) in file.rows.iter().enumerate() {
        let row = i as u32;
        let value = match parse_row(text) {
            Ok(v) => v,
            Err(e) => {
                out.push((row, Err((path_subject.clone(), e))));
                continue;
            }
        };
        let parsed = if file.format == FileFormat::Csv {
            let cells = match csv_cells(&value) {
                Ok(c) => c,
                Err(e) => {
                    out.push((row, Err((path_subject.clone(), e))));
                    continue;
                }
            };
            if i == 0 && is_header(&cells) {
                if cells
                    .iter()
                    .any(|c| c.trim().eq_ignore_ascii_case("choices"))
                {
                    header = Some(
                        cells
                            .iter()
                            .map(|c| c.trim().to_ascii_lowercase())
                            .collect(),
                    );
                }
                continue;
            }
            match &header {
                Some(h) => csv_record(h, cells)
                    .map_err(|e| (path_subject.clone(), e))
                    .and_then(|rec| hf_row(&rec, path_subject.as_deref())),
                None => hendrycks_row(&cells, path_subject.as_deref(), &file.path),
            }
        } else {
            as_object(&value)
                .map_err(|e| (path_subject.clone(), e))
                .and_then(|obj| hf_row(obj, path_subject.as_deref()))
        };
        out.push((row, parsed));
    }
    out
}

/// A header row: the Hendrycks columns named, or the Hugging Face ones.
fn is_header(cells: &[String]) -> bool {
    let has = |name: &str| cells.iter().any(|c| c.trim().eq_ignore_ascii_case(name));
    has("question") && (has("answer") || has("choices"))
}

/// The subject a path names: the Hendrycks file name (`anatomy_test.csv`),
/// else the closest directory that is a known subject (`anatomy/test-*.parquet`).
fn subject_from_path(path: &str) -> Option<String> {
    if let Some(name) = name_before_split_suffix(path) {
        return Some(name.to_string());
    }
    parent_dirs(path)
        .find(|d| subjects::category(d).is_some())
        .map(str::to_string)
}

/// A Hendrycks CSV row: `question, A, B, C, D, answer letter`.
fn hendrycks_row(cells: &[String], subject: Option<&str>, path: &str) -> Parsed {
    let subject = subject.map(str::to_string);
    let fail = |field: Option<&str>, msg: String| {
        Err((
            subject.clone(),
            FieldError {
                field: field.map(str::to_string),
                message: msg,
            },
        ))
    };
    let Some(subject_name) = subject.clone() else {
        return fail(
            None,
            format!(
                "cannot tell the subject from the file name `{path}` (expected `<subject>_test.csv`)"
            ),
        );
    };
    if cells.len() != 6 {
        return fail(
            None,
            format!(
                "expected 6 cells (question, A, B, C, D, answer letter), found {}",
                cells.len()
            ),
        );
    }
    let letter = cells[5].trim();
    let answer = match letter {
        "A" => 0,
        "B" => 1,
        "C" => 2,
        "D" => 3,
        _ => {
            return fail(
                Some("answer"),
                format!("answer must be one of A, B, C, D; found `{letter}`"),
            );
        }
    };
    Ok((
        subject_name,
        Question {
            question: cells[0].clone(),
            choices: cells[1..5].to_vec(),
            answer,
        },
    ))
}

/// A Hugging Face `cais/mmlu` row: `question, subject, choices[4], answer`.
fn hf_row(obj: &Map<String, Value>, path_subject: Option<&str>) -> Parsed {
    let subject = match obj.get("subject") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => path_subject.map(str::to_string),
    };
    let with_subject = |e: FieldError| (subject.clone(), e);
    let Some(subject_name) = subject.clone() else {
        return Err(with_subject(FieldError::field(
            "subject",
            "missing `subject`, and the path names no subject",
        )));
    };
    let question = str_field(obj, "question")
        .map_err(with_subject)?
        .to_string();
    let choices = str_list_field(obj, "choices").map_err(with_subject)?;
    if choices.len() != 4 {
        return Err(with_subject(FieldError::field(
            "choices",
            format!("expected 4 choices, found {}", choices.len()),
        )));
    }
    let answer = match obj.get("answer") {
        Some(Value::String(s)) if matches!(s.trim(), "A" | "B" | "C" | "D") => {
            u32::from(s.trim().as_bytes()[0] - b'A')
        }
        _ => {
            let n = int_field(obj, "answer").map_err(with_subject)?;
            if !(0..4).contains(&n) {
                return Err(with_subject(FieldError::field(
                    "answer",
                    format!("answer must be 0..3 (or A..D), found {n}"),
                )));
            }
            n as u32
        }
    };
    Ok((
        subject_name,
        Question {
            question,
            choices,
            answer,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::testing::data_file;

    fn samples(loaded: &[Loaded]) -> Vec<&Sample> {
        loaded
            .iter()
            .filter_map(|l| match l {
                Loaded::Sample(s) => Some(s),
                Loaded::Invalid(_) => None,
            })
            .collect()
    }

    fn errors(loaded: &[Loaded]) -> Vec<&scorebox_sdk::RowError> {
        loaded
            .iter()
            .filter_map(|l| match l {
                Loaded::Invalid(e) => Some(e),
                Loaded::Sample(_) => None,
            })
            .collect()
    }

    #[test]
    fn hendrycks_csv_with_dev_pool() {
        let files = vec![
            data_file(
                "data/dev/anatomy_dev.csv",
                FileFormat::Csv,
                &[
                    r#"["Dev q1","a","b","c","d","B"]"#,
                    r#"["Dev q2","a","b","c","d","C"]"#,
                ],
            ),
            data_file(
                "data/test/anatomy_test.csv",
                FileFormat::Csv,
                &[
                    r#"["Q0","w","x","y","z","D"]"#,
                    r#"["Q1","w","x","y","z","E"]"#,
                    r#"["Q2","w","x","y","z","A"]"#,
                ],
            ),
            data_file(
                "data/val/anatomy_val.csv",
                FileFormat::Csv,
                &[r#"["V","a","b","c","d","A"]"#],
            ),
        ];
        let set = load(&files, 1).unwrap();
        let loaded = set.items;
        let s = samples(&loaded);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].id, "anatomy/0");
        // The malformed row keeps its place in the numbering.
        assert_eq!(s[1].id, "anatomy/2");
        assert_eq!(s[0].subtask, "anatomy");
        assert_eq!(s[0].target, "D");
        let data: SampleData = serde_json::from_str(&s[0].data).unwrap();
        assert_eq!(data.item.answer, 3);
        let fewshot = set.shared.examples(&data.subject);
        assert_eq!(fewshot.len(), 1);
        assert_eq!(fewshot[0].question, "Dev q1");
        let e = errors(&loaded);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "data/test/anatomy_test.csv");
        assert_eq!(e[0].row, 1);
        assert_eq!(e[0].field.as_deref(), Some("answer"));
    }

    #[test]
    fn hf_rows_in_any_json_format() {
        let files = vec![
            data_file(
                "all/test-00000-of-00001.parquet",
                FileFormat::Parquet,
                &[
                    r#"{"question":"Q","subject":"virology","choices":["a","b","c","d"],"answer":2}"#,
                    r#"{"question":"Q","subject":"virology","choices":["a","b","c"],"answer":2}"#,
                    r#"{"question":"Q","subject":"virology","choices":["a","b","c","d"],"answer":7}"#,
                    r#"{"question":"Q","subject":"anatomy","choices":["a","b","c","d"],"answer":"B"}"#,
                    r#"[1,2]"#,
                    r#"not json"#,
                ],
            ),
            data_file(
                "anatomy/dev.jsonl",
                FileFormat::Jsonl,
                &[r#"{"question":"D","choices":["a","b","c","d"],"answer":0}"#],
            ),
        ];
        let set = load(&files, 5).unwrap();
        let loaded = set.items;
        let s = samples(&loaded);
        assert_eq!(
            s.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["virology/0", "anatomy/0"]
        );
        let data: SampleData = serde_json::from_str(&s[1].data).unwrap();
        assert_eq!(data.item.answer, 1);
        assert_eq!(
            set.shared.examples(&data.subject).len(),
            1,
            "subject taken from the folder name"
        );
        let e = errors(&loaded);
        assert_eq!(e.len(), 4);
        assert_eq!(e[0].field.as_deref(), Some("choices"));
        assert_eq!(e[1].field.as_deref(), Some("answer"));
        assert_eq!(e[2].field, None);
        assert!(e[3].message.contains("not valid JSON"));
    }

    #[test]
    fn csv_headers_are_recognised() {
        let files = vec![
            data_file(
                "test/anatomy_test.csv",
                FileFormat::Csv,
                &[
                    r#"["question","A","B","C","D","answer"]"#,
                    r#"["Q","a","b","c","d","A"]"#,
                ],
            ),
            data_file(
                "hf/test.csv",
                FileFormat::Csv,
                &[
                    r#"["question","subject","choices","answer"]"#,
                    r#"["Q","nutrition","['a', 'b', 'c', 'd']","3"]"#,
                ],
            ),
        ];
        let loaded = load(&files, 0).unwrap().items;
        let s = samples(&loaded);
        assert_eq!(s.len(), 2, "{loaded:?}");
        assert_eq!(s[1].id, "nutrition/0");
        assert_eq!(s[1].target, "D");
    }

    #[test]
    fn no_test_split_is_an_error() {
        let files = vec![data_file("dev/anatomy_dev.csv", FileFormat::Csv, &[])];
        assert!(
            load(&files, 0)
                .unwrap_err()
                .message
                .contains("no MMLU test split")
        );
        let files = vec![
            data_file("test/anatomy_test.csv", FileFormat::Csv, &[]),
            data_file("misc/rows.jsonl", FileFormat::Jsonl, &["{}"]),
        ];
        let loaded = load(&files, 0).unwrap().items;
        assert!(errors(&loaded)[0].message.contains("cannot tell the split"));
    }

    #[test]
    fn samples_hold_only_themselves_and_pools_are_shared() {
        let dev: Vec<String> = (0..7)
            .map(|i| format!(r#"["Dev {i}","a","b","c","d","A"]"#))
            .collect();
        let dev: Vec<&str> = dev.iter().map(String::as_str).collect();
        let files = vec![
            data_file("data/dev/anatomy_dev.csv", FileFormat::Csv, &dev),
            data_file("data/dev/virology_dev.csv", FileFormat::Csv, &dev),
            data_file(
                "data/test/anatomy_test.csv",
                FileFormat::Csv,
                &[
                    r#"["Q0","w","x","y","z","D"]"#,
                    r#"["Q1","w","x","y","z","A"]"#,
                ],
            ),
        ];
        let set = load(&files, 5).unwrap();
        // Only the subject with test rows, cut to num_fewshot.
        assert_eq!(set.shared.dev.keys().collect::<Vec<_>>(), ["anatomy"]);
        assert_eq!(set.shared.examples("anatomy").len(), 5);
        assert_eq!(set.shared.examples("anatomy")[4].question, "Dev 4");
        assert!(set.shared.examples("virology").is_empty());
        for s in samples(&set.items) {
            let data: serde_json::Value = serde_json::from_str(&s.data).unwrap();
            let keys: Vec<&str> = data
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, ["answer", "choices", "question", "subject"]);
        }
        // The shared JSON round-trips; zero shots share nothing.
        let text = scorebox_sdk::shared::encode(&set.shared).unwrap();
        assert!(
            text.starts_with(r#"{"dev":{"anatomy":[{"question":"Dev 0""#),
            "{text}"
        );
        assert_eq!(
            scorebox_sdk::shared::decode::<Shared>(&text).unwrap(),
            set.shared
        );
        let set = load(&files, 0).unwrap();
        assert_eq!(set.shared, Shared::default());
        assert_eq!(scorebox_sdk::shared::encode(&set.shared).unwrap(), "");
    }
}
