//! The loader: Hugging Face `TIGER-Lab/MMLU-Pro` rows.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, csv_cells, csv_record, field, int_field, parse_row,
    split_from_path, str_field, str_list_field,
};
use scorebox_sdk::prompt::letter_index;
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Config, LETTERS, Variant};

/// One MMLU-Pro question as the dataset gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// `question_id` as text (the sample id).
    pub question_id: String,
    /// `question`.
    pub question: String,
    /// `options`, `"N/A"` entries included.
    pub options: Vec<String>,
    /// `answer`: the correct letter.
    pub answer: String,
    /// `answer_index`: index of the correct option in `options`.
    pub answer_index: u32,
    /// `cot_content` (the worked answer of validation rows; empty on test rows).
    pub cot_content: String,
    /// `category`.
    pub category: String,
    /// `src`.
    pub src: String,
}

impl Question {
    /// The options after the reference's `preprocess`: `"N/A"` entries dropped.
    pub fn official_options(&self) -> Vec<String> {
        self.options
            .iter()
            .filter(|o| o.as_str() != "N/A")
            .cloned()
            .collect()
    }
}

/// Which few-shot examples were loaded (they follow `variant`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pool {
    /// The first N validation rows of the same category (official CoT, lm-eval `mmlu_pro`).
    #[default]
    Category,
    /// The first N rows of the validation split (lm-eval `leaderboard_mmlu_pro`).
    SplitHead,
}

impl Pool {
    /// The pool `variant` uses.
    pub fn of(variant: Variant) -> Pool {
        match variant {
            Variant::Generative => Pool::Category,
            Variant::Loglikelihood => Pool::SplitHead,
        }
    }
}

/// What the loader hands the scorer for one sample (`sample.data`): the
/// sample's own fields only (few-shot examples are in [`Shared`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleData {
    /// The test question.
    #[serde(flatten)]
    pub item: Question,
    /// Zero-based position among the test rows, in file order (the official
    /// script's order within a category; used to replay its random stream).
    pub order: u32,
}

/// What all episodes share (`loaded-set.shared`): the few-shot examples.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Which examples these are.
    pub pool: Pool,
    /// `pool = category`: per category with test samples, its first
    /// `num_fewshot` validation rows in file order.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_category: BTreeMap<String, Vec<Question>>,
    /// `pool = split-head`: the first `num_fewshot` validation rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<Question>,
}

impl Shared {
    /// The few-shot examples of a sample of `category`, in file order.
    pub fn examples(&self, category: &str) -> &[Question] {
        match self.pool {
            Pool::Category => self
                .by_category
                .get(category)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            Pool::SplitHead => &self.head,
        }
    }
}

type Parsed = Result<Question, FieldError>;

/// Loads test rows as samples; the few-shot examples `variant` and
/// `num_fewshot` call for become the shared data.
///
/// # Errors
/// Returns an error when no file holds the test split.
pub fn load(files: &[DataFile], config: &Config) -> Result<LoadedSet<Shared>, Error> {
    let mut out = Vec::new();
    let mut validation: Vec<Question> = Vec::new();
    let mut tests: Vec<(RowRef<'_>, Parsed)> = Vec::new();
    let mut saw_test = false;
    for file in files {
        let split = split_from_path(&file.path);
        match split {
            Some(Split::Test) => saw_test = true,
            Some(Split::Validation) => {}
            Some(_) => continue,
            None => {
                let at = RowRef {
                    path: &file.path,
                    row: 0,
                };
                out.push(Loaded::Invalid(at.error(
                    None,
                    "cannot tell the split from the path: name it `test-*.parquet`/`test.jsonl` \
                     or `validation-*.parquet`/`validation.jsonl`",
                )));
                continue;
            }
        }
        for (row, parsed) in parse_file(file) {
            let at = RowRef {
                path: &file.path,
                row,
            };
            if split == Some(Split::Validation) {
                match parsed {
                    Ok(q) => validation.push(q),
                    Err(e) => out.push(at.invalid(e)),
                }
            } else {
                tests.push((at, parsed));
            }
        }
    }
    if !saw_test {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        return Err(Error::new(format!(
            "no MMLU-Pro test split among the data files ({}); expected e.g. \
             `data/test-00000-of-00001.parquet` or `test.jsonl`",
            if paths.is_empty() {
                "none given".to_string()
            } else {
                paths.join(", ")
            }
        )));
    }
    let pool = Pool::of(config.variant);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut categories: BTreeSet<String> = BTreeSet::new();
    for (order, (at, parsed)) in tests.into_iter().enumerate() {
        let item = match parsed {
            Ok(q) => q,
            Err(e) => {
                out.push(at.invalid(e));
                continue;
            }
        };
        if !seen.insert(item.question_id.clone()) {
            out.push(Loaded::Invalid(at.error(
                Some("question_id"),
                format!(
                    "duplicate question_id {} (sample ids must be unique)",
                    item.question_id
                ),
            )));
            continue;
        }
        categories.insert(item.category.clone());
        let sample = Sample {
            id: item.question_id.clone(),
            subtask: item.category.clone(),
            target: item.answer.clone(),
            data: String::new(),
        };
        let data = SampleData {
            item,
            order: order as u32,
        };
        let data = serde_json::to_string(&data)
            .map_err(|e| Error::new(format!("cannot encode sample {}: {e}", sample.id)))?;
        out.push(Loaded::Sample(Sample { data, ..sample }));
    }
    let mut shared = Shared {
        pool,
        ..Shared::default()
    };
    match pool {
        Pool::SplitHead => shared.head = validation.into_iter().take(config.num_fewshot).collect(),
        Pool::Category => {
            for q in validation {
                if !categories.contains(&q.category) {
                    continue;
                }
                let examples = shared.by_category.entry(q.category.clone()).or_default();
                if examples.len() < config.num_fewshot {
                    examples.push(q);
                }
            }
            shared
                .by_category
                .retain(|_, examples| !examples.is_empty());
        }
    }
    Ok(LoadedSet::with_shared(out, shared))
}

fn parse_file(file: &DataFile) -> Vec<(u32, Parsed)> {
    const NEED_HEADER: &str =
        "a CSV file needs a header row naming the columns (question_id, question, options, ...)";
    let mut out = Vec::with_capacity(file.rows.len());
    let mut header: Option<Vec<String>> = None;
    for (i, text) in file.rows.iter().enumerate() {
        let row = i as u32;
        let parsed = parse_row(text).and_then(|value| {
            if file.format != FileFormat::Csv {
                return as_object(&value).and_then(row_to_question);
            }
            let cells = csv_cells(&value)?;
            if i == 0 && cells.iter().any(|h| h.trim() == "question") {
                header = Some(cells.iter().map(|h| h.trim().to_string()).collect());
                return Err(FieldError::row(""));
            }
            match &header {
                Some(h) => csv_record(h, cells).and_then(|rec| row_to_question(&rec)),
                None => Err(FieldError::row(NEED_HEADER)),
            }
        });
        if i == 0 && header.is_some() {
            continue; // the header row itself
        }
        out.push((row, parsed));
    }
    out
}

fn row_to_question(obj: &Map<String, Value>) -> Parsed {
    let question_id = match field(obj, "question_id")? {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        Value::Number(_) => int_field(obj, "question_id")?.to_string(),
        other => {
            return Err(FieldError::field(
                "question_id",
                format!("`question_id` must be an integer or a non-empty string, found {other}"),
            ));
        }
    };
    let question = str_field(obj, "question")?.to_string();
    let options = str_list_field(obj, "options")?;
    if options.is_empty() || options.len() > LETTERS.len() {
        return Err(FieldError::field(
            "options",
            format!("expected 1 to 10 options, found {}", options.len()),
        ));
    }
    let answer = str_field(obj, "answer")?.trim().to_string();
    let answer_index = int_field(obj, "answer_index")?;
    let letter_idx = answer
        .chars()
        .next()
        .filter(|_| answer.chars().count() == 1)
        .and_then(letter_index);
    let Some(letter_idx) = letter_idx.filter(|i| *i < options.len()) else {
        return Err(FieldError::field(
            "answer",
            format!(
                "`answer` must be a letter among the {} options, found `{answer}`",
                options.len()
            ),
        ));
    };
    if answer_index != letter_idx as i64 {
        return Err(FieldError::field(
            "answer_index",
            format!("`answer_index` {answer_index} disagrees with `answer` {answer}"),
        ));
    }
    let optional_str = |name: &str| -> Result<String, FieldError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(_) => str_field(obj, name).map(str::to_string),
        }
    };
    let category = str_field(obj, "category")?.to_string();
    Ok(Question {
        question_id,
        question,
        options,
        answer,
        answer_index: answer_index as u32,
        cot_content: optional_str("cot_content")?,
        category,
        src: optional_str("src")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Extraction, Fallback};

    pub(crate) fn row(
        id: u32,
        category: &str,
        options: &[&str],
        answer: &str,
        index: u32,
    ) -> String {
        serde_json::json!({
            "question_id": id,
            "question": format!("Question {id}?"),
            "options": options,
            "answer": answer,
            "answer_index": index,
            "cot_content": format!("A: Let's think step by step. Work {id}. The answer is ({answer})."),
            "category": category,
            "src": "invented",
        })
        .to_string()
    }

    fn file(path: &str, format: FileFormat, rows: Vec<String>) -> DataFile {
        DataFile {
            path: path.into(),
            sha256: String::new(),
            format,
            rows,
        }
    }

    fn config(variant: Variant, k: usize) -> Config {
        Config {
            variant,
            extraction: Extraction::Official,
            fallback: Fallback::Seeded,
            num_fewshot: k,
        }
    }

    fn parts(loaded: &[Loaded]) -> (Vec<&Sample>, Vec<&scorebox_sdk::RowError>) {
        let mut s = Vec::new();
        let mut e = Vec::new();
        for l in loaded {
            match l {
                Loaded::Sample(x) => s.push(x),
                Loaded::Invalid(x) => e.push(x),
            }
        }
        (s, e)
    }

    #[test]
    fn loads_test_rows_with_category_fewshot() {
        let files = vec![
            file(
                "data/validation-00000-of-00001.parquet",
                FileFormat::Parquet,
                vec![
                    row(1, "law", &["a", "b"], "A", 0),
                    row(2, "math", &["a", "b"], "B", 1),
                    row(3, "math", &["a", "b"], "A", 0),
                ],
            ),
            file(
                "data/test-00000-of-00001.parquet",
                FileFormat::Parquet,
                vec![
                    row(70, "math", &["a", "b", "N/A"], "B", 1),
                    row(71, "math", &["a", "b"], "C", 2),
                    row(72, "law", &["a", "b"], "B", 0),
                    row(70, "math", &["a", "b"], "A", 0),
                    row(73, "law", &["x", "y"], "B", 1),
                ],
            ),
        ];
        let set = load(&files, &config(Variant::Generative, 5)).unwrap();
        let loaded = &set.items;
        let (s, e) = parts(loaded);
        assert_eq!(
            s.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["70", "73"]
        );
        assert_eq!(s[0].subtask, "math");
        assert_eq!(s[0].target, "B");
        let d: SampleData = serde_json::from_str(&s[0].data).unwrap();
        assert_eq!(d.order, 0);
        assert_eq!(set.shared.pool, Pool::Category);
        assert_eq!(
            set.shared
                .examples(&d.item.category)
                .iter()
                .map(|q| q.question_id.as_str())
                .collect::<Vec<_>>(),
            ["2", "3"]
        );
        assert_eq!(d.item.official_options(), ["a", "b"]);
        let d: SampleData = serde_json::from_str(&s[1].data).unwrap();
        assert_eq!(d.order, 4);
        assert_eq!(set.shared.examples(&d.item.category).len(), 1);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].field.as_deref(), Some("answer"));
        assert_eq!(e[1].field.as_deref(), Some("answer_index"));
        assert_eq!(e[2].field.as_deref(), Some("question_id"));
        assert_eq!(e[2].row, 3);
    }

    #[test]
    fn loglikelihood_takes_the_head_of_validation() {
        let files = vec![
            file(
                "validation.jsonl",
                FileFormat::Jsonl,
                vec![
                    row(1, "law", &["a", "b"], "A", 0),
                    row(2, "math", &["a", "b"], "B", 1),
                ],
            ),
            file(
                "test.jsonl",
                FileFormat::Jsonl,
                vec![row(9, "math", &["a", "b"], "B", 1)],
            ),
        ];
        let set = load(&files, &config(Variant::Loglikelihood, 1)).unwrap();
        let (s, _) = parts(&set.items);
        let d: SampleData = serde_json::from_str(&s[0].data).unwrap();
        let fewshot = set.shared.examples(&d.item.category);
        assert_eq!(set.shared.pool, Pool::SplitHead);
        assert_eq!(fewshot.len(), 1);
        assert_eq!(fewshot[0].category, "law");
    }

    #[test]
    fn csv_with_header() {
        let header = r#"["question_id","question","options","answer","answer_index","cot_content","category","src"]"#;
        let r1 = r#"["5","Q?","['a', 'b', 'c']","C","2","","math","x"]"#;
        let files = vec![file(
            "test.csv",
            FileFormat::Csv,
            vec![header.into(), r1.into()],
        )];
        let loaded = load(&files, &config(Variant::Generative, 0)).unwrap().items;
        let (s, e) = parts(&loaded);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(s[0].id, "5");
        let files = vec![file("test.csv", FileFormat::Csv, vec![r1.into()])];
        let loaded = load(&files, &config(Variant::Generative, 0)).unwrap().items;
        let (_, e) = parts(&loaded);
        assert!(e[0].message.contains("header row"));
    }

    #[test]
    fn malformed_rows_and_missing_split() {
        let files = vec![file(
            "test.jsonl",
            FileFormat::Jsonl,
            vec![
                "{".into(),
                r#"{"question_id":1,"question":"q","options":[],"answer":"A","answer_index":0,"category":"x"}"#.into(),
                r#"{"question_id":2,"question":"q","options":["a"],"answer":"A","answer_index":0}"#.into(),
                r#"{"question_id":3,"question":"q","options":["a"],"answer":"A","answer_index":0,"category":"x"}"#.into(),
            ],
        )];
        let loaded = load(&files, &config(Variant::Generative, 0)).unwrap().items;
        let (s, e) = parts(&loaded);
        assert_eq!(s.len(), 1, "cot_content and src are optional");
        assert_eq!(e.len(), 3);
        assert_eq!(e[1].field.as_deref(), Some("options"));
        assert_eq!(e[2].field.as_deref(), Some("category"));
        let files = vec![file("validation.jsonl", FileFormat::Jsonl, vec![])];
        assert!(load(&files, &config(Variant::Generative, 0)).is_err());
    }

    #[test]
    fn samples_hold_only_themselves_and_examples_are_shared() {
        let validation: Vec<String> = (0..7)
            .flat_map(|i| {
                [
                    row(100 + i, "math", &["a", "b"], "A", 0),
                    row(200 + i, "law", &["a", "b"], "B", 1),
                    row(300 + i, "history", &["a", "b"], "A", 0),
                ]
            })
            .collect();
        let files = vec![
            file("validation.jsonl", FileFormat::Jsonl, validation),
            file(
                "test.jsonl",
                FileFormat::Jsonl,
                vec![
                    row(1, "math", &["a", "b"], "B", 1),
                    row(2, "law", &["a", "b"], "A", 0),
                ],
            ),
        ];
        let set = load(&files, &config(Variant::Generative, 5)).unwrap();
        // Only the categories with test rows, cut to num_fewshot.
        assert_eq!(
            set.shared.by_category.keys().collect::<Vec<_>>(),
            ["law", "math"]
        );
        let ids = |qs: &[Question]| qs.iter().map(|q| q.question_id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(set.shared.examples("math")),
            ["100", "101", "102", "103", "104"]
        );
        assert!(set.shared.head.is_empty());
        let (s, _) = parts(&set.items);
        for sample in &s {
            let data: Value = serde_json::from_str(&sample.data).unwrap();
            assert!(data.get("fewshot").is_none() && data.get("pool").is_none());
            assert_eq!(data.as_object().unwrap().len(), 9, "{}", sample.data);
        }
        let text = scorebox_sdk::shared::encode(&set.shared).unwrap();
        assert!(
            text.starts_with(r#"{"pool":"category","by_category":{"law":["#),
            "{text}"
        );
        assert_eq!(
            scorebox_sdk::shared::decode::<Shared>(&text).unwrap(),
            set.shared
        );

        let set = load(&files, &config(Variant::Loglikelihood, 5)).unwrap();
        assert_eq!(set.shared.pool, Pool::SplitHead);
        assert!(set.shared.by_category.is_empty());
        assert_eq!(
            ids(set.shared.examples("math")),
            ["100", "200", "300", "101", "201"]
        );
        let text = scorebox_sdk::shared::encode(&set.shared).unwrap();
        assert!(
            text.starts_with(r#"{"pool":"split-head","head":["#),
            "{text}"
        );
        assert_eq!(
            scorebox_sdk::shared::decode::<Shared>(&text).unwrap(),
            set.shared
        );
        // Zero shots: the generative pools are empty and nothing is shared;
        // the log-likelihood ones still name their pool.
        let set = load(&files, &config(Variant::Generative, 0)).unwrap();
        assert_eq!(scorebox_sdk::shared::encode(&set.shared).unwrap(), "");
        let set = load(&files, &config(Variant::Loglikelihood, 0)).unwrap();
        assert_eq!(
            scorebox_sdk::shared::encode(&set.shared).unwrap(),
            r#"{"pool":"split-head"}"#
        );
    }
}
