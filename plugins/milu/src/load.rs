//! The loader: Hugging Face `ai4bharat/MILU` rows, one config per language
//! (`<Language>/test-*.parquet`, `<Language>/validation-*.parquet`).

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, csv_cells, csv_record, file_stem, parent_dirs, parse_row,
    split_from_path,
};
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::language;

/// One question: text, the four option texts and the target index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// `question`, as in the data.
    pub question: String,
    /// `option1`..`option4`, as in the data.
    pub options: Vec<String>,
    /// Index of the correct option (0..=3), from `target` = `"optionN"`.
    pub target: u32,
}

/// What the loader hands the scorer for one sample (`sample.data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleData {
    /// The language (config), e.g. `Hindi`.
    pub language: String,
    /// `domain` (empty when the row has none).
    pub domain: String,
    /// `subject` (empty when the row has none).
    pub subject: String,
    /// The test question.
    #[serde(flatten)]
    pub item: Question,
}

/// What all episodes share (`loaded-set.shared`): the few-shot pools.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Per language with test samples, its first `num_fewshot` validation
    /// questions in file order. Empty for `num_fewshot=0`.
    #[serde(default)]
    pub validation: BTreeMap<String, Vec<Question>>,
}

impl Shared {
    /// The few-shot pool of `language` (empty when none was loaded).
    pub fn examples(&self, language: &str) -> &[Question] {
        self.validation
            .get(language)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// The target index of `target`, as the official `doc_to_target` computes
/// it: `['1', '2', '3', '4'].index(target.split("option")[1])`.
pub fn target_index(target: &str) -> Option<u32> {
    match target.split("option").nth(1)? {
        "1" => Some(0),
        "2" => Some(1),
        "3" => Some(2),
        "4" => Some(3),
        _ => None,
    }
}

/// A string field that must be present.
fn text<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, FieldError> {
    match obj.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(FieldError::field(
            name,
            format!("`{name}` must be a string, found {other}"),
        )),
        None => Err(FieldError::field(name, format!("missing field `{name}`"))),
    }
}

/// A string field that may be missing or null (`""` then).
fn optional_text(obj: &Map<String, Value>, name: &str) -> Result<String, FieldError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(FieldError::field(
            name,
            format!("`{name}` must be a string, found {other}"),
        )),
    }
}

/// One parsed row.
#[derive(Clone, Debug)]
struct Row {
    /// The row's own language field, canonical when known.
    language: Option<String>,
    /// The dataset's `id`, if the row has one.
    id: Option<String>,
    domain: String,
    subject: String,
    item: Question,
}

fn parse_object(obj: &Map<String, Value>) -> Result<Row, FieldError> {
    let question = text(obj, "question")?.to_string();
    let mut options = Vec::with_capacity(4);
    for name in ["option1", "option2", "option3", "option4"] {
        options.push(text(obj, name)?.to_string());
    }
    let target_text = text(obj, "target")?;
    let target = target_index(target_text).ok_or_else(|| {
        FieldError::field(
            "target",
            format!("`target` must name an option as `option1`..`option4`; found `{target_text}`"),
        )
    })?;
    let language = optional_text(obj, "language")?;
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(FieldError::field(
                "id",
                format!("`id` must be a string or an integer, found {other}"),
            ));
        }
    };
    Ok(Row {
        language: (!language.is_empty()).then(|| canonical_or(&language)),
        id,
        domain: optional_text(obj, "domain")?,
        subject: optional_text(obj, "subject")?,
        item: Question {
            question,
            options,
            target,
        },
    })
}

/// The canonical language name, or the text as it is.
fn canonical_or(name: &str) -> String {
    language(name).map_or_else(|| name.to_string(), str::to_string)
}

/// Every row of a file, parsed, with its row index (a CSV header row
/// produces nothing).
fn parse_file(file: &DataFile) -> Vec<(u32, Result<Row, FieldError>)> {
    let mut out = Vec::with_capacity(file.rows.len());
    let mut header: Option<Vec<String>> = None;
    for (i, text) in file.rows.iter().enumerate() {
        let row = i as u32;
        if i == 0
            && file.format == FileFormat::Csv
            && let Ok(Value::Array(cells)) = parse_row(text)
        {
            let names: Vec<String> = cells
                .iter()
                .map(|c| c.as_str().unwrap_or_default().trim().to_string())
                .collect();
            if names.iter().any(|n| n == "question") {
                header = Some(names);
                continue;
            }
        }
        let parsed = parse_row(text).and_then(|value| {
            if file.format != FileFormat::Csv {
                return as_object(&value).and_then(parse_object);
            }
            let cells = csv_cells(&value)?;
            match &header {
                Some(h) => csv_record(h, cells).and_then(|rec| parse_object(&rec)),
                None => Err(FieldError::row(
                    "a MILU CSV needs a header row naming question, option1..option4, target",
                )),
            }
        });
        out.push((row, parsed));
    }
    out
}

/// The language a path names: the file stem or the closest folder that is
/// one of the 11 languages (`Hindi/test-00000-of-00001.parquet`).
pub fn language_from_path(path: &str) -> Option<&'static str> {
    std::iter::once(file_stem(path))
        .chain(parent_dirs(path))
        .find_map(language)
}

/// Loads test rows as samples; the first `num_fewshot` validation rows of
/// each language with test rows become the shared pools.
///
/// # Errors
/// Returns an error when no file holds the test split.
pub fn load(files: &[DataFile], num_fewshot: usize) -> Result<LoadedSet<Shared>, Error> {
    let mut out = Vec::new();
    let mut pools: BTreeMap<String, Vec<Question>> = BTreeMap::new();
    let mut counters: BTreeMap<String, u32> = BTreeMap::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut saw_test = false;
    for file in files {
        let split = split_from_path(&file.path);
        match split {
            Some(Split::Test) => saw_test = true,
            Some(Split::Validation) => {}
            // MILU has no other split.
            Some(_) => continue,
            None => {
                let at = RowRef {
                    path: &file.path,
                    row: 0,
                };
                out.push(Loaded::Invalid(at.error(
                    None,
                    "cannot tell the split from the path: name the file `test-*.parquet` / \
                     `validation-*.parquet` (or put it under `test/`, `validation/`)",
                )));
                continue;
            }
        }
        let path_language = language_from_path(&file.path);
        for (row, parsed) in parse_file(file) {
            let at = RowRef {
                path: &file.path,
                row,
            };
            let row_language = parsed.as_ref().ok().and_then(|r| r.language.clone());
            let lang = path_language.map(str::to_string).or(row_language);
            let parsed = parsed.and_then(|r| match &lang {
                Some(_) => Ok(r),
                None => Err(FieldError::field(
                    "language",
                    "no language: neither the path names one of the 11 MILU languages nor does \
                     the row have a `language` field",
                )),
            });
            if split == Some(Split::Validation) {
                match parsed {
                    Ok(r) => pools
                        .entry(lang.unwrap_or_default())
                        .or_default()
                        .push(r.item),
                    Err(e) => out.push(at.invalid(e)),
                }
                continue;
            }
            // Malformed rows keep their number, so ids do not shift.
            let n = lang.as_ref().map(|l| {
                let c = counters.entry(l.clone()).or_default();
                *c += 1;
                *c - 1
            });
            let (r, lang, n) = match (parsed, lang, n) {
                (Ok(r), Some(lang), Some(n)) => (r, lang, n),
                (Err(e), _, _) => {
                    out.push(at.invalid(e));
                    continue;
                }
                _ => unreachable!("a parsed row has a language"),
            };
            let id = match &r.id {
                Some(own) => format!("{lang}/{own}"),
                None => format!("{lang}/{n}"),
            };
            if !ids.insert(id.clone()) {
                out.push(at.invalid(FieldError::field(
                    if r.id.is_some() { "id" } else { "language" },
                    format!("sample id `{id}` is already taken by an earlier row"),
                )));
                continue;
            }
            let target = format!("option{}", r.item.target + 1);
            let data = SampleData {
                language: lang.clone(),
                domain: r.domain,
                subject: r.subject,
                item: r.item,
            };
            let data = serde_json::to_string(&data)
                .map_err(|e| Error::new(format!("cannot encode sample {id}: {e}")))?;
            out.push(Loaded::Sample(Sample {
                id,
                subtask: lang,
                data,
                target,
            }));
        }
    }
    if !saw_test {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        return Err(Error::new(format!(
            "no MILU test split among the data files ({}); expected e.g. \
             `Hindi/test-00000-of-00001.parquet`",
            if paths.is_empty() {
                "none given".to_string()
            } else {
                paths.join(", ")
            }
        )));
    }
    pools.retain(|lang, pool| {
        pool.truncate(num_fewshot);
        !pool.is_empty() && counters.contains_key(lang)
    });
    Ok(LoadedSet::with_shared(out, Shared { validation: pools }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scorebox_sdk::testing::{data_file, label};

    const ROW: &str = r#"{"question":"Q","option1":"a","option2":"b","option3":"c","option4":"d","target":"option2","language":"Hindi","domain":"Social Sciences","subject":"Sociology"}"#;

    #[test]
    fn targets_as_doc_to_target_reads_them() {
        assert_eq!(target_index("option1"), Some(0));
        assert_eq!(target_index("option4"), Some(3));
        assert_eq!(target_index(" option2"), Some(1));
        assert_eq!(target_index("xoption3option1"), Some(2));
        assert_eq!(target_index("option2 "), None);
        assert_eq!(target_index("Option2"), None);
        assert_eq!(target_index("option5"), None);
        assert_eq!(target_index("2"), None);
    }

    #[test]
    fn rows_ids_pools_and_errors() {
        let with_id = ROW.replace(r#""question""#, r#""id":17,"question""#);
        let bad_target = ROW.replace(r#""target":"option2""#, r#""target":"option 2""#);
        let no_option = ROW.replace(r#""option4":"d","#, "");
        let unknown = ROW.replace("Hindi", "Klingon");
        let files = vec![
            data_file(
                "Hindi/test-00000-of-00001.parquet",
                FileFormat::Parquet,
                &[ROW, &bad_target, ROW, &with_id, &no_option, "[]"],
            ),
            data_file(
                "Hindi/validation-00000-of-00001.parquet",
                FileFormat::Parquet,
                &[ROW, ROW],
            ),
            data_file("rows/test.jsonl", FileFormat::Jsonl, &[&unknown, ROW]),
            data_file("English/train.jsonl", FileFormat::Jsonl, &[ROW]),
            data_file("English/misc.jsonl", FileFormat::Jsonl, &[ROW]),
        ];
        let set = load(&files, 1).unwrap();
        let labels: Vec<String> = set.items.iter().map(label).collect();
        assert_eq!(
            labels,
            [
                "Hindi/0",
                "!Hindi/test-00000-of-00001.parquet:1:target",
                "Hindi/2",
                "Hindi/17",
                "!Hindi/test-00000-of-00001.parquet:4:option4",
                "!Hindi/test-00000-of-00001.parquet:5:",
                // From the row's own `language` field.
                "Klingon/0",
                "Hindi/6",
                "!English/misc.jsonl:0:",
            ]
        );
        let Loaded::Sample(s) = &set.items[0] else {
            panic!()
        };
        assert_eq!(
            (s.subtask.as_str(), s.target.as_str()),
            ("Hindi", "option2")
        );
        let data: SampleData = serde_json::from_str(&s.data).unwrap();
        assert_eq!(
            (data.domain.as_str(), data.item.target),
            ("Social Sciences", 1)
        );
        assert_eq!(set.shared.examples("Hindi").len(), 1);
        assert!(set.shared.examples("English").is_empty());
        // A repeated id is refused.
        let files = vec![data_file(
            "Hindi/test.jsonl",
            FileFormat::Jsonl,
            &[&with_id, &with_id],
        )];
        let labels: Vec<String> = load(&files, 0).unwrap().items.iter().map(label).collect();
        assert_eq!(labels, ["Hindi/17", "!Hindi/test.jsonl:1:id"]);
    }

    #[test]
    fn csv_with_header() {
        let files = vec![data_file(
            "Tamil/test.csv",
            FileFormat::Csv,
            &[
                r#"["question","option1","option2","option3","option4","target","domain","subject"]"#,
                r#"["Q","a","b","c","d","option4","Social Sciences","Sociology"]"#,
                r#"["Q","a","b","c","d"]"#,
            ],
        )];
        let labels: Vec<String> = load(&files, 0).unwrap().items.iter().map(label).collect();
        assert_eq!(labels, ["Tamil/0", "!Tamil/test.csv:2:"]);
        let headerless = vec![data_file(
            "Tamil/test.csv",
            FileFormat::Csv,
            &[r#"["Q","a","b","c","d","option4"]"#],
        )];
        let labels: Vec<String> = load(&headerless, 0)
            .unwrap()
            .items
            .iter()
            .map(label)
            .collect();
        assert_eq!(labels, ["!Tamil/test.csv:0:"]);
        assert!(
            load(&[], 0)
                .unwrap_err()
                .message
                .contains("no MILU test split")
        );
    }
}
