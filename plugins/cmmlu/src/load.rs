//! The loader: the official CSVs (`data/{test,dev}/<subject>.csv`, header
//! `,Question,A,B,C,D,Answer`) and the Hugging Face configs
//! (`<subject>/test-*.parquet`, rows `{Question, A, B, C, D, Answer}`).

use std::collections::BTreeMap;

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, csv_cells, file_stem, parent_dirs, parse_row,
    split_from_path,
};
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::subjects;

/// One question: text, the four options and the answer index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// `Question`, as in the data.
    pub question: String,
    /// `A`, `B`, `C`, `D`, as in the data.
    pub choices: Vec<String>,
    /// Index of `Answer` (0..=3).
    pub answer: u32,
}

/// What the loader hands the scorer for one sample (`sample.data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleData {
    /// Subject key, e.g. `chinese_history`.
    pub subject: String,
    /// Zero-based index among the subject's test rows (the `n` of the id):
    /// the official results-file order.
    pub row: u32,
    /// The test question.
    #[serde(flatten)]
    pub item: Question,
}

/// What all episodes share (`loaded-set.shared`): the few-shot pools.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Per subject with test samples, its first `num_fewshot` dev questions
    /// in file order. Empty for `num_fewshot=0`, so that nothing is shared.
    #[serde(default)]
    pub dev: BTreeMap<String, Vec<Question>>,
}

impl Shared {
    /// The few-shot pool of `subject` (empty when none was loaded).
    pub fn examples(&self, subject: &str) -> &[Question] {
        self.dev.get(subject).map(Vec::as_slice).unwrap_or_default()
    }
}

/// The subject a path names: the file stem or the closest directory that is
/// one of the 67 subjects (`data/test/agronomy.csv`, `agronomy/test-0.parquet`,
/// `agronomy/test/0000.parquet`).
pub fn subject_from_path(path: &str) -> Option<&'static str> {
    std::iter::once(file_stem(path))
        .chain(parent_dirs(path))
        .find_map(|p| subjects::subject(p).map(|s| s.name))
}

/// Columns of a CSV file: where each field is.
#[derive(Clone, Debug)]
struct Columns {
    question: usize,
    options: [usize; 4],
    answer: usize,
    width: usize,
}

impl Columns {
    /// From a header row naming `Question`, `A`..`D`, `Answer`
    /// (case-insensitive; the unnamed index column is ignored).
    fn from_header(cells: &[String]) -> Option<Columns> {
        let find = |name: &str| {
            cells
                .iter()
                .position(|c| c.trim().eq_ignore_ascii_case(name))
        };
        Some(Columns {
            question: find("question")?,
            options: [find("a")?, find("b")?, find("c")?, find("d")?],
            answer: find("answer")?,
            width: cells.len(),
        })
    }

    /// Without a header: `index, Question, A, B, C, D, Answer` (7 cells) or
    /// `Question, A, B, C, D, Answer` (6 cells).
    fn positional(width: usize) -> Option<Columns> {
        let first = match width {
            7 => 1,
            6 => 0,
            _ => return None,
        };
        Some(Columns {
            question: first,
            options: [first + 1, first + 2, first + 3, first + 4],
            answer: first + 5,
            width,
        })
    }
}

/// The answer index of an `Answer` cell: exactly `A`, `B`, `C` or `D`, as
/// lm-eval's `['A', 'B', 'C', 'D'].index(Answer)` requires.
fn answer_index(field: &str, value: &str) -> Result<u32, FieldError> {
    match value {
        "A" => Ok(0),
        "B" => Ok(1),
        "C" => Ok(2),
        "D" => Ok(3),
        other => Err(FieldError::field(
            field,
            format!("`{field}` must be one of A, B, C, D; found `{other}`"),
        )),
    }
}

fn csv_question(cells: &[String], cols: &Columns) -> Result<Question, FieldError> {
    if cells.len() != cols.width {
        return Err(FieldError::row(format!(
            "row has {} cells, expected {} (index, Question, A, B, C, D, Answer)",
            cells.len(),
            cols.width
        )));
    }
    Ok(Question {
        question: cells[cols.question].clone(),
        choices: cols.options.iter().map(|&i| cells[i].clone()).collect(),
        answer: answer_index("Answer", &cells[cols.answer])?,
    })
}

/// A string field, looked up as `Name` then `name`.
fn text_field<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, FieldError> {
    let lower = name.to_ascii_lowercase();
    let v = obj
        .get(name)
        .or_else(|| obj.get(&lower))
        .ok_or_else(|| FieldError::field(name, format!("missing field `{name}`")))?;
    v.as_str()
        .ok_or_else(|| FieldError::field(name, format!("`{name}` must be a string, found {v}")))
}

fn json_question(obj: &Map<String, Value>) -> Result<Question, FieldError> {
    let question = text_field(obj, "Question")?.to_string();
    let mut choices = Vec::with_capacity(4);
    for name in ["A", "B", "C", "D"] {
        choices.push(text_field(obj, name)?.to_string());
    }
    let answer = answer_index("Answer", text_field(obj, "Answer")?)?;
    Ok(Question {
        question,
        choices,
        answer,
    })
}

/// Every row of a file, parsed, with its row index (a CSV header row
/// produces nothing).
fn parse_file(file: &DataFile) -> Vec<(u32, Result<Question, FieldError>)> {
    let mut out = Vec::with_capacity(file.rows.len());
    let mut columns: Option<Columns> = None;
    for (i, text) in file.rows.iter().enumerate() {
        let row = i as u32;
        let value = match parse_row(text) {
            Ok(v) => v,
            Err(e) => {
                out.push((row, Err(e)));
                continue;
            }
        };
        if file.format != FileFormat::Csv {
            out.push((row, as_object(&value).and_then(json_question)));
            continue;
        }
        let cells = match csv_cells(&value) {
            Ok(c) => c,
            Err(e) => {
                out.push((row, Err(e)));
                continue;
            }
        };
        if i == 0
            && let Some(cols) = Columns::from_header(&cells)
        {
            columns = Some(cols);
            continue;
        }
        let cols = match &columns {
            Some(c) => c.clone(),
            None => match Columns::positional(cells.len()) {
                Some(c) => c,
                None => {
                    out.push((
                        row,
                        Err(FieldError::row(format!(
                            "no header row naming Question, A, B, C, D, Answer, and {} cells \
                             (expected 7: index, Question, A, B, C, D, Answer)",
                            cells.len()
                        ))),
                    ));
                    continue;
                }
            },
        };
        out.push((row, csv_question(&cells, &cols)));
    }
    out
}

/// Loads test rows as samples (id `<subject>/<n>`); the first `num_fewshot`
/// dev rows of each subject with test rows become the shared pools.
///
/// # Errors
/// Returns an error when no file holds the test split.
pub fn load(files: &[DataFile], num_fewshot: usize) -> Result<LoadedSet<Shared>, Error> {
    let mut out = Vec::new();
    let mut dev: BTreeMap<String, Vec<Question>> = BTreeMap::new();
    let mut counters: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut saw_test = false;
    for file in files {
        let file_error = |message: String| {
            Loaded::Invalid(
                RowRef {
                    path: &file.path,
                    row: 0,
                }
                .error(None, message),
            )
        };
        let split = split_from_path(&file.path);
        match split {
            Some(Split::Test) => saw_test = true,
            Some(Split::Dev) => {}
            // CMMLU has no other split; ignore such files as MMLU's loader does.
            Some(_) => continue,
            None => {
                out.push(file_error(
                    "cannot tell the split from the path: put the file under `test/` or `dev/` \
                     (`data/test/<subject>.csv`) or name it `test-*.parquet` / `dev-*.parquet`"
                        .into(),
                ));
                continue;
            }
        }
        let Some(subject) = subject_from_path(&file.path) else {
            out.push(file_error(format!(
                "cannot tell the subject from the path `{}`: the file stem or a folder must be one \
                 of the 67 CMMLU subjects (e.g. `data/test/agronomy.csv`, `agronomy/test-*.parquet`)",
                file.path
            )));
            continue;
        };
        for (row, parsed) in parse_file(file) {
            let at = RowRef {
                path: &file.path,
                row,
            };
            if split == Some(Split::Dev) {
                match parsed {
                    Ok(q) => dev.entry(subject.to_string()).or_default().push(q),
                    Err(e) => out.push(at.invalid(e)),
                }
                continue;
            }
            // Malformed rows keep their number, so ids do not shift.
            let counter = counters.entry(subject).or_default();
            let n = *counter;
            *counter += 1;
            match parsed {
                Ok(item) => {
                    let id = format!("{subject}/{n}");
                    let target = scorebox_sdk::prompt::letter(item.answer as usize)
                        .map(String::from)
                        .unwrap_or_default();
                    let data = SampleData {
                        subject: subject.to_string(),
                        row: n,
                        item,
                    };
                    let data = serde_json::to_string(&data)
                        .map_err(|e| Error::new(format!("cannot encode sample {id}: {e}")))?;
                    out.push(Loaded::Sample(Sample {
                        id,
                        subtask: subject.to_string(),
                        data,
                        target,
                    }));
                }
                Err(e) => out.push(at.invalid(e)),
            }
        }
    }
    if !saw_test {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        return Err(Error::new(format!(
            "no CMMLU test split among the data files ({}); expected e.g. \
             `data/test/agronomy.csv` or `agronomy/test-00000-of-00001.parquet`",
            if paths.is_empty() {
                "none given".to_string()
            } else {
                paths.join(", ")
            }
        )));
    }
    dev.retain(|subject, pool| {
        pool.truncate(num_fewshot);
        !pool.is_empty() && counters.contains_key(subject.as_str())
    });
    Ok(LoadedSet::with_shared(out, Shared { dev }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::testing::{data_file, label};

    fn labels(set: &LoadedSet<Shared>) -> Vec<String> {
        set.items.iter().map(label).collect()
    }

    #[test]
    fn official_csv_with_header_and_index() {
        let files = vec![
            data_file(
                "data/dev/arts.csv",
                FileFormat::Csv,
                &[
                    r#"["","Question","A","B","C","D","Answer"]"#,
                    r#"["0","例题一","甲","乙","丙","丁","B"]"#,
                    r#"["1","例题二","甲","乙","丙","丁","C"]"#,
                ],
            ),
            data_file(
                "data/test/arts.csv",
                FileFormat::Csv,
                &[
                    r#"["","Question","A","B","C","D","Answer"]"#,
                    r#"["0","问题零","甲","乙","丙","丁","D"]"#,
                    r#"["1","问题一","甲","乙","丙","丁","E"]"#,
                    r#"["2","问题二","甲","乙","丙"]"#,
                    r#"["3","问题三","甲","乙","丙","丁","A"]"#,
                ],
            ),
        ];
        let set = load(&files, 1).unwrap();
        assert_eq!(
            labels(&set),
            [
                "arts/0",
                "!data/test/arts.csv:2:Answer",
                "!data/test/arts.csv:3:",
                "arts/3"
            ]
        );
        let Loaded::Sample(s) = &set.items[0] else {
            panic!()
        };
        assert_eq!((s.subtask.as_str(), s.target.as_str()), ("arts", "D"));
        let data: SampleData = serde_json::from_str(&s.data).unwrap();
        assert_eq!(data.item.choices, ["甲", "乙", "丙", "丁"]);
        assert_eq!((data.row, data.item.answer), (0, 3));
        assert_eq!(set.shared.examples("arts").len(), 1);
        assert_eq!(set.shared.examples("arts")[0].question, "例题一");
    }

    #[test]
    fn hugging_face_rows_and_layout_errors() {
        let files = vec![
            data_file(
                "agronomy/test-00000-of-00001.parquet",
                FileFormat::Parquet,
                &[
                    r#"{"Question":"Q","A":"a","B":"b","C":"c","D":"d","Answer":"C"}"#,
                    r#"{"Question":"Q","A":"a","B":"b","C":"c","Answer":"C"}"#,
                    r#"{"Question":1,"A":"a","B":"b","C":"c","D":"d","Answer":"C"}"#,
                    r#"not json"#,
                ],
            ),
            data_file(
                "virology/test/0000.jsonl",
                FileFormat::Jsonl,
                &[r#"{"question":"Q","A":"a","B":"b","C":"c","D":"d","answer":"A"}"#],
            ),
            data_file("misc/test-0.parquet", FileFormat::Parquet, &["{}"]),
            data_file("agronomy/rows.jsonl", FileFormat::Jsonl, &["{}"]),
            data_file(
                "data/test/agronomy.csv",
                FileFormat::Csv,
                &[r#"["0","Q","a","b","c","d","A"]"#],
            ),
        ];
        let set = load(&files, 0).unwrap();
        assert_eq!(
            labels(&set),
            [
                "agronomy/0",
                "!agronomy/test-00000-of-00001.parquet:1:D",
                "!agronomy/test-00000-of-00001.parquet:2:Question",
                "!agronomy/test-00000-of-00001.parquet:3:",
                "virology/0",
                "!misc/test-0.parquet:0:",
                "!agronomy/rows.jsonl:0:",
                "agronomy/4"
            ]
        );
        assert_eq!(set.shared, Shared::default());
        let e = load(&files[3..4], 0).unwrap_err();
        assert!(e.message.contains("no CMMLU test split"), "{}", e.message);
    }
}
