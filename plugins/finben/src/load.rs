//! The loader: FinBen dataset files to samples.
//!
//! A file's dataset is the first path component, from the file's own name
//! outwards, that names a known dataset ([`tasks::by_component`]); failing
//! that, its rows' schema decides: `price` and `date` (FinTrade), `turn` and
//! `dialogue_id` (ConvFinQA), or `choices` and `gold` (a classification
//! dataset the plugin does not list, scored by the `Classification` rules
//! under the task name `finben_<folder>`). Only the test split is scored: a
//! file whose path says `train`, `valid`/`validation` or `dev` gives nothing;
//! one whose path names no split is scored.

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{
    FieldError, RowRef, Split, as_object, field, file_stem, parse_row, split_from_path, str_field,
    str_list_field,
};
use scorebox_sdk::{DataFile, Error, Loaded, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::tasks::{self, Dataset, Family, Rules};
use crate::trading::{self, Day};
use crate::{Config, pyformat};

/// Task-name prefix of classification datasets found by their schema.
pub const GENERIC_PREFIX: &str = "finben_";

/// One turn of a ConvFinQA dialogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The row's `id`.
    pub id: String,
    /// The query, with `{answerN}` placeholders for earlier answers.
    pub query: String,
    /// The gold answer.
    pub answer: String,
}

/// What a sample holds (`sample.data`), by family.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Item {
    /// Classification and stock movement.
    Classification {
        /// The prompt.
        query: String,
        /// The labels, as the data gives them.
        choices: Vec<String>,
        /// Index of the gold label.
        gold: usize,
    },
    /// Stock movement (and credit scoring).
    StockMovement {
        /// The prompt.
        query: String,
        /// The labels, as the data gives them.
        choices: Vec<String>,
        /// Index of the gold label.
        gold: usize,
    },
    /// NER.
    Ner {
        /// The prompt.
        query: String,
        /// The text whose words are tagged.
        text: String,
        /// Gold BIO tags, one per word.
        label: Vec<String>,
        /// The gold answer (`entity, TYPE` lines).
        answer: String,
    },
    /// Sequential labelling.
    SequentialLabeling {
        /// The prompt.
        query: String,
        /// The tokens.
        token: Vec<String>,
        /// Gold labels, one per token.
        label: Vec<String>,
    },
    /// Relation extraction.
    RelationExtraction {
        /// The prompt.
        query: String,
        /// Gold relation strings.
        label: Vec<String>,
    },
    /// Numeric QA.
    Qa {
        /// The prompt.
        query: String,
        /// The gold answer.
        answer: String,
    },
    /// A ConvFinQA dialogue, turns in order.
    Convfinqa {
        /// The dialogue's `dialogue_id`.
        dialogue_id: String,
        /// Its turns.
        turns: Vec<Turn>,
    },
    /// TSA.
    Tsa {
        /// The prompt.
        query: String,
        /// The gold sentiment score.
        answer: f64,
        /// The gold score as the data writes it.
        answer_text: String,
    },
    /// Abstractive summarisation.
    AbstractiveSummarization {
        /// The prompt.
        query: String,
        /// The reference summary.
        answer: String,
    },
    /// Extractive summarisation.
    ExtractiveSummarization {
        /// The prompt.
        query: String,
        /// The text, one sentence per line.
        text: String,
        /// Gold 0/1 label per line.
        label: Vec<i64>,
    },
    /// A FinTrade window: one ticker's days in date order.
    Trading {
        /// The ticker.
        ticker: String,
        /// The days.
        days: Vec<Day>,
    },
}

impl Item {
    /// The family whose rules score it.
    pub fn family(&self) -> Family {
        match self {
            Item::Classification { .. } => Family::Classification,
            Item::StockMovement { .. } => Family::StockMovement,
            Item::Ner { .. } => Family::Ner,
            Item::SequentialLabeling { .. } => Family::SequentialLabeling,
            Item::RelationExtraction { .. } => Family::RelationExtraction,
            Item::Qa { .. } => Family::Qa,
            Item::Convfinqa { .. } => Family::ConvFinQa,
            Item::Tsa { .. } => Family::Tsa,
            Item::AbstractiveSummarization { .. } => Family::AbstractiveSummarization,
            Item::ExtractiveSummarization { .. } => Family::ExtractiveSummarization,
            Item::Trading { .. } => Family::Trading,
        }
    }

    /// The reference answer in readable form (`sample.target`).
    pub fn target(&self) -> String {
        match self {
            Item::Classification { choices, gold, .. }
            | Item::StockMovement { choices, gold, .. } => choices[*gold].clone(),
            Item::Ner { answer, .. }
            | Item::Qa { answer, .. }
            | Item::AbstractiveSummarization { answer, .. } => answer.clone(),
            Item::SequentialLabeling { token, label, .. } => gold_lines(token, label),
            Item::RelationExtraction { label, .. } => label.join("\n"),
            Item::Convfinqa { turns, .. } => turns
                .iter()
                .map(|t| t.answer.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            Item::Tsa { answer_text, .. } => answer_text.clone(),
            Item::ExtractiveSummarization { label, .. } => label
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            Item::Trading { days, .. } => {
                let prices: Vec<f64> = days.iter().map(|d| d.price).collect();
                let best: Vec<i32> = prices
                    .windows(2)
                    .map(|p| trading::oracle(p[0], p[1]).position())
                    .collect();
                let m = trading::metrics(&prices, &best, crate::Mode::Reference);
                format!(
                    "{} days; best cumulative return {:.6}",
                    days.len(),
                    m.cumulative_return
                )
            }
        }
    }
}

/// `token:label` lines, the sequential-labelling answer format.
pub fn gold_lines(token: &[String], label: &[String]) -> String {
    token
        .iter()
        .zip(label)
        .map(|(t, l)| format!("{t}:{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which dataset a file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    /// A listed dataset.
    Known(&'static Dataset),
    /// An unlisted classification dataset, under this task name.
    Generic(String),
    /// A listed dataset the plugin refuses, and why.
    Unsupported(&'static str),
}

fn components(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.split('/').map(str::to_string).collect();
    if let Some(last) = parts.pop() {
        parts.push(file_stem(&last).to_string());
    }
    parts.reverse();
    parts
}

fn generic_name(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    let dir = parts
        .iter()
        .rev()
        .find(|p| !p.is_empty() && *p != &"data" && split_from_path(&format!("{p}/x")).is_none());
    let base = dir.copied().unwrap_or("classification");
    let clean: String = base
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{GENERIC_PREFIX}{clean}")
}

/// The dataset a file holds, from its path, else from its first row.
pub fn detect(path: &str, first_row: Option<&Map<String, Value>>) -> Option<Detected> {
    for c in components(path) {
        if let Some(why) = tasks::unsupported(&c) {
            return Some(Detected::Unsupported(why));
        }
        if let Some(d) = tasks::by_component(&c) {
            return Some(Detected::Known(d));
        }
        if c.to_ascii_lowercase().contains("fintrade") {
            return tasks::by_task("fintrade").map(Detected::Known);
        }
    }
    let row = first_row?;
    let has = |k: &str| row.contains_key(k);
    if has("price") && has("date") {
        return tasks::by_task("fintrade").map(Detected::Known);
    }
    if has("turn") && has("dialogue_id") {
        return tasks::by_task("flare_convfinqa").map(Detected::Known);
    }
    if has("choices") && has("gold") {
        return Some(Detected::Generic(generic_name(path)));
    }
    None
}

/// Whether a file holds the test split (or names none).
pub fn is_scored_split(path: &str) -> bool {
    let split = split_from_path(path).or_else(|| {
        let stem = file_stem(path).to_ascii_lowercase();
        let head = stem.split(['-', '.']).next().unwrap_or("");
        match head.rsplit('_').next() {
            Some("test") => Some(Split::Test),
            Some("train") => Some(Split::Train),
            Some("valid" | "validation" | "val") => Some(Split::Validation),
            Some("dev") => Some(Split::Dev),
            _ => None,
        }
    });
    matches!(split, None | Some(Split::Test))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn index_field(obj: &Map<String, Value>, name: &str, len: usize) -> Result<usize, FieldError> {
    let v = field(obj, name)?;
    let i = v
        .as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        })
        .ok_or_else(|| {
            FieldError::field(
                name,
                format!("`{name}` must be a non-negative integer, found {v}"),
            )
        })?;
    if i as usize >= len {
        return Err(FieldError::field(
            name,
            format!("`{name}` = {i} is out of range for {len} choices"),
        ));
    }
    Ok(i as usize)
}

fn int_list(obj: &Map<String, Value>, name: &str) -> Result<Vec<i64>, FieldError> {
    let v = field(obj, name)?;
    let items = v.as_array().ok_or_else(|| {
        FieldError::field(
            name,
            format!("`{name}` must be a list of integers, found {}", kind(v)),
        )
    })?;
    items
        .iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_i64().ok_or_else(|| {
                FieldError::field(name, format!("`{name}[{i}]` must be an integer, found {x}"))
            })
        })
        .collect()
}

fn number(v: &Value, name: &str) -> Result<f64, FieldError> {
    let x = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    x.filter(|x| x.is_finite()).ok_or_else(|| {
        FieldError::field(name, format!("`{name}` must be a finite number, found {v}"))
    })
}

fn id_of(obj: &Map<String, Value>, task: &str, row: u32) -> Result<String, FieldError> {
    match obj.get("id") {
        None | Some(Value::Null) => Ok(format!("{task}/{row}")),
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(other) => Err(FieldError::field(
            "id",
            format!("`id` must be a non-empty string, found {other}"),
        )),
    }
}

fn words_count(text: &str) -> usize {
    text.split(scorebox_sdk::pyunicode::is_space)
        .filter(|w| !w.is_empty())
        .count()
}

/// One row of a single-row family, parsed.
fn parse_single(obj: &Map<String, Value>, ds: &Rules, family: Family) -> Result<Item, FieldError> {
    let query = || str_field(obj, "query").map(str::to_string);
    Ok(match family {
        Family::Classification | Family::StockMovement => {
            let choices = str_list_field(obj, "choices")?;
            if choices.is_empty() {
                return Err(FieldError::field("choices", "`choices` is empty"));
            }
            let gold = index_field(obj, "gold", choices.len())?;
            if let Rules::Stock(rule) = ds {
                for c in &choices {
                    let lower = scorebox_sdk::pyunicode::lower(c);
                    if rule.synonyms_of(&lower).is_none() {
                        return Err(FieldError::field(
                            "choices",
                            format!(
                                "choice `{c}` is not one of this task's labels ({}): the reference \
                                 would raise KeyError",
                                rule.synonyms
                                    .iter()
                                    .map(|(l, _)| *l)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
                Item::StockMovement {
                    query: query()?,
                    choices,
                    gold,
                }
            } else {
                Item::Classification {
                    query: query()?,
                    choices,
                    gold,
                }
            }
        }
        Family::Ner => {
            let text = str_field(obj, "text")?.to_string();
            let label = str_list_field(obj, "label")?;
            let n = words_count(&text);
            if label.len() != n {
                return Err(FieldError::field(
                    "label",
                    format!("`label` has {} tags but `text` has {n} words", label.len()),
                ));
            }
            if let Some(bad) = label.iter().find(|l| l.is_empty()) {
                return Err(FieldError::field(
                    "label",
                    format!("empty tag `{bad}` in `label`"),
                ));
            }
            Item::Ner {
                query: query()?,
                text,
                label,
                answer: str_field(obj, "answer")?.to_string(),
            }
        }
        Family::SequentialLabeling => {
            let token = str_list_field(obj, "token")?;
            let label = str_list_field(obj, "label")?;
            if token.len() != label.len() {
                return Err(FieldError::field(
                    "label",
                    format!(
                        "`label` has {} labels but `token` has {} tokens",
                        label.len(),
                        token.len()
                    ),
                ));
            }
            if let Rules::Labels(map) = ds
                && let Some(bad) = label.iter().find(|l| tasks::label_id(map, l).is_none())
            {
                return Err(FieldError::field(
                    "label",
                    format!(
                        "label `{bad}` is not in the task's label map (the reference would raise KeyError)"
                    ),
                ));
            }
            Item::SequentialLabeling {
                query: query()?,
                token,
                label,
            }
        }
        Family::RelationExtraction => Item::RelationExtraction {
            query: query()?,
            label: str_list_field(obj, "label")?,
        },
        Family::Qa => Item::Qa {
            query: query()?,
            answer: str_field(obj, "answer")?.to_string(),
        },
        Family::Tsa => {
            let v = field(obj, "answer")?;
            let answer = number(v, "answer")?;
            Item::Tsa {
                query: query()?,
                answer,
                answer_text: match v {
                    Value::String(s) => s.trim().to_string(),
                    _ => format!("{answer}"),
                },
            }
        }
        Family::AbstractiveSummarization => Item::AbstractiveSummarization {
            query: query()?,
            answer: str_field(obj, "answer")?.to_string(),
        },
        Family::ExtractiveSummarization => Item::ExtractiveSummarization {
            query: query()?,
            text: str_field(obj, "text")?.to_string(),
            label: int_list(obj, "label")?,
        },
        Family::ConvFinQa | Family::Trading => unreachable!("multi-row families are grouped"),
    })
}

/// A parsed row with its place.
struct Row<'a, T> {
    at: RowRef<'a>,
    value: T,
}

fn sample(id: String, task: &str, item: &Item) -> Result<Sample, Error> {
    Ok(Sample {
        data: serde_json::to_string(item)
            .map_err(|e| Error::new(format!("cannot encode sample {id}: {e}")))?,
        target: item.target(),
        subtask: task.to_string(),
        id,
    })
}

struct Out {
    items: Vec<Loaded>,
    ids: BTreeSet<String>,
}

impl Out {
    fn push_sample(
        &mut self,
        at: &RowRef<'_>,
        id: String,
        task: &str,
        item: &Item,
    ) -> Result<(), Error> {
        if !self.ids.insert(id.clone()) {
            self.items.push(Loaded::Invalid(at.error(
                Some("id"),
                format!("duplicate id {id} (sample ids must be unique)"),
            )));
            return Ok(());
        }
        self.items.push(Loaded::Sample(sample(id, task, item)?));
        Ok(())
    }

    fn invalid(&mut self, at: &RowRef<'_>, e: FieldError) {
        self.items.push(at.invalid(e));
    }
}

/// A ConvFinQA row.
struct ConvRow {
    id: String,
    dialogue: String,
    turn: usize,
    query: String,
    answer: String,
}

fn parse_conv(obj: &Map<String, Value>, task: &str, row: u32) -> Result<ConvRow, FieldError> {
    let turn = field(obj, "turn")?;
    let turn = turn.as_u64().ok_or_else(|| {
        FieldError::field(
            "turn",
            format!("`turn` must be a non-negative integer, found {turn}"),
        )
    })? as usize;
    let dialogue = match field(obj, "dialogue_id")? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => {
            return Err(FieldError::field(
                "dialogue_id",
                format!("`dialogue_id` must be an integer or string, found {other}"),
            ));
        }
    };
    let query = str_field(obj, "query")?.to_string();
    if turn > 0 {
        let fields = pyformat::fields(&query).map_err(|e| {
            FieldError::field(
                "query",
                format!("turn {turn}'s query is not a format string PIXIU can fill: {e}"),
            )
        })?;
        if let Some(bad) = fields.iter().find(|f| {
            f.strip_prefix("answer")
                .and_then(|n| n.parse::<usize>().ok())
                .is_none_or(|n| n >= turn || format!("answer{n}") != **f)
        }) {
            return Err(FieldError::field(
                "query",
                format!(
                    "turn {turn}'s query asks for `{{{bad}}}`, not an earlier answer (the reference would raise KeyError)"
                ),
            ));
        }
    }
    Ok(ConvRow {
        id: id_of(obj, task, row)?,
        dialogue,
        turn,
        query,
        answer: str_field(obj, "answer")?.to_string(),
    })
}

fn nullish(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t.eq_ignore_ascii_case("null") || t.eq_ignore_ascii_case("none")
}

fn text_of(v: Option<&Value>, name: &str) -> Result<Option<String>, FieldError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok((!nullish(s)).then(|| s.clone())),
        Some(Value::Object(m)) => {
            let mut parts = Vec::new();
            for v in m.values() {
                if let Some(t) = text_of(Some(v), name)? {
                    parts.push(t);
                }
            }
            Ok((!parts.is_empty()).then(|| parts.join("\n")))
        }
        Some(other) => Err(FieldError::field(
            name,
            format!("`{name}` must be text, found {}", kind(other)),
        )),
    }
}

fn news_of(v: Option<&Value>) -> Result<Vec<String>, FieldError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(if nullish(s) {
            Vec::new()
        } else {
            vec![s.clone()]
        }),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                match x {
                    Value::String(s) if !nullish(s) => out.push(s.clone()),
                    Value::String(_) | Value::Null => {}
                    other => {
                        return Err(FieldError::field(
                            "news",
                            format!("`news` item {i} must be a string, found {}", kind(other)),
                        ));
                    }
                }
            }
            Ok(out)
        }
        Some(Value::Object(m)) => {
            let mut out = Vec::new();
            for v in m.values() {
                out.extend(news_of(Some(v))?);
            }
            Ok(out)
        }
        Some(other) => Err(FieldError::field(
            "news",
            format!("`news` must be a list of strings, found {}", kind(other)),
        )),
    }
}

/// A FinTrade row: its ticker and day.
fn parse_day(obj: &Map<String, Value>, row: u32) -> Result<(String, Day), FieldError> {
    let (ticker, price) = match field(obj, "price")? {
        Value::Object(m) => {
            let present: Vec<(&String, &Value)> = m.iter().filter(|(_, v)| !v.is_null()).collect();
            match present.as_slice() {
                [(t, v)] => ((*t).clone(), number(v, "price")?),
                _ => {
                    return Err(FieldError::field(
                        "price",
                        format!(
                            "`price` must hold exactly one ticker's price, found {} entries",
                            present.len()
                        ),
                    ));
                }
            }
        }
        v => {
            let ticker = str_field(obj, "ticker").map_err(|_| {
                FieldError::field("ticker", "a flat `price` needs a `ticker` field")
            })?;
            (ticker.to_string(), number(v, "price")?)
        }
    };
    if price <= 0.0 {
        return Err(FieldError::field(
            "price",
            format!("`price` must be positive, found {price}"),
        ));
    }
    let date = match field(obj, "date")? {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(FieldError::field(
                "date",
                format!("`date` must be a date, found {other}"),
            ));
        }
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => format!("{ticker}/{row}"),
    };
    Ok((
        ticker,
        Day {
            id,
            date,
            price,
            news: news_of(obj.get("news"))?,
            filing_k: text_of(obj.get("filing_k"), "filing_k")?,
            filing_q: text_of(obj.get("filing_q"), "filing_q")?,
        },
    ))
}

fn task_name(detected: &Detected) -> String {
    match detected {
        Detected::Known(d) => d.task.to_string(),
        Detected::Generic(t) => t.clone(),
        Detected::Unsupported(_) => String::new(),
    }
}

/// Loads every test-split file of a FinBen dataset.
///
/// # Errors
/// Returns an error when no file holds a FinBen dataset's test split.
pub fn load(files: &[DataFile], config: &Config) -> Result<Vec<Loaded>, Error> {
    let mut out = Out {
        items: Vec::new(),
        ids: BTreeSet::new(),
    };
    let mut scored_any = false;
    for file in files {
        if !is_scored_split(&file.path) {
            continue;
        }
        let parsed: Parsed<'_> = file
            .rows
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let at = RowRef {
                    path: &file.path,
                    row: i as u32,
                };
                let obj = parse_row(text).and_then(|v| as_object(&v).cloned());
                (at, obj)
            })
            .collect();
        let first = parsed.iter().find_map(|(_, r)| r.as_ref().ok());
        let Some(detected) = detect(&file.path, first) else {
            let at = RowRef {
                path: &file.path,
                row: 0,
            };
            out.invalid(
                &at,
                FieldError::row(
                    "cannot tell which FinBen dataset this file holds: put it in a folder named \
                     after the dataset (e.g. `flare-fpb/test.jsonl`)",
                ),
            );
            continue;
        };
        if let Detected::Unsupported(why) = detected {
            let at = RowRef {
                path: &file.path,
                row: 0,
            };
            out.invalid(
                &at,
                FieldError::row(format!("dataset not supported: {why}")),
            );
            continue;
        }
        let task = task_name(&detected);
        if !config.tasks.is_empty() && !config.tasks.contains(&task) {
            continue;
        }
        scored_any = true;
        let (family, rules) = match detected {
            Detected::Known(d) => (d.family, d.rules),
            _ => (Family::Classification, Rules::Plain),
        };
        match family {
            Family::ConvFinQa => load_dialogues(parsed, &task, &mut out)?,
            Family::Trading => load_windows(parsed, &task, &mut out)?,
            _ => {
                for (at, obj) in parsed {
                    let result = obj.and_then(|obj| {
                        let item = parse_single(&obj, &rules, family)?;
                        Ok((id_of(&obj, &task, at.row)?, item))
                    });
                    match result {
                        Ok((id, item)) => out.push_sample(&at, id, &task, &item)?,
                        Err(e) => out.invalid(&at, e),
                    }
                }
            }
        }
    }
    if !scored_any && out.items.is_empty() {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        return Err(Error::new(format!(
            "no FinBen test split among the data files ({}); expected e.g. \
             `flare-fpb/data/test-00000-of-00001.parquet`",
            if paths.is_empty() {
                "none given".to_string()
            } else {
                paths.join(", ")
            }
        )));
    }
    Ok(out.items)
}

type Parsed<'a> = Vec<(RowRef<'a>, Result<Map<String, Value>, FieldError>)>;

fn load_dialogues(parsed: Parsed<'_>, task: &str, out: &mut Out) -> Result<(), Error> {
    let mut dialogues: BTreeMap<String, Vec<Row<'_, ConvRow>>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    // Dialogues with a malformed turn, and that turn's row.
    let mut broken: BTreeMap<String, u32> = BTreeMap::new();
    for (at, obj) in parsed {
        let key = obj
            .as_ref()
            .ok()
            .and_then(|o| o.get("dialogue_id"))
            .and_then(|v| match v {
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) => Some(s.clone()),
                _ => None,
            });
        match obj.and_then(|o| parse_conv(&o, task, at.row)) {
            Ok(r) => {
                if !dialogues.contains_key(&r.dialogue) {
                    order.push(r.dialogue.clone());
                }
                dialogues
                    .entry(r.dialogue.clone())
                    .or_default()
                    .push(Row { at, value: r });
            }
            Err(e) => {
                if let Some(key) = key {
                    broken.entry(key).or_insert(at.row);
                }
                out.invalid(&at, e);
            }
        }
    }
    for key in order {
        let mut rows = dialogues.remove(&key).unwrap_or_default();
        if let Some(bad) = broken.get(&key) {
            for r in &rows {
                out.invalid(
                    &r.at,
                    FieldError::row(format!(
                        "dialogue {key} cannot be played: its turn in row {bad} is malformed"
                    )),
                );
            }
            continue;
        }
        rows.sort_by_key(|r| r.value.turn);
        let complete = rows.iter().enumerate().all(|(i, r)| r.value.turn == i);
        if !complete {
            let turns: Vec<String> = rows.iter().map(|r| r.value.turn.to_string()).collect();
            for r in &rows {
                out.invalid(
                    &r.at,
                    FieldError::field(
                        "turn",
                        format!(
                            "dialogue {key} has turns [{}], not 0..{} once each (or a turn was \
                             malformed): it cannot be played",
                            turns.join(", "),
                            rows.len()
                        ),
                    ),
                );
            }
            continue;
        }
        let first = &rows[0];
        let item = Item::Convfinqa {
            dialogue_id: key.clone(),
            turns: rows
                .iter()
                .map(|r| Turn {
                    id: r.value.id.clone(),
                    query: r.value.query.clone(),
                    answer: r.value.answer.clone(),
                })
                .collect(),
        };
        out.push_sample(&first.at, first.value.id.clone(), task, &item)?;
    }
    Ok(())
}

fn load_windows(parsed: Parsed<'_>, task: &str, out: &mut Out) -> Result<(), Error> {
    let mut windows: BTreeMap<String, Vec<Row<'_, Day>>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (at, obj) in parsed {
        match obj.and_then(|o| parse_day(&o, at.row)) {
            Ok((ticker, day)) => {
                if !windows.contains_key(&ticker) {
                    order.push(ticker.clone());
                }
                windows
                    .entry(ticker)
                    .or_default()
                    .push(Row { at, value: day });
            }
            Err(e) => out.invalid(&at, e),
        }
    }
    for ticker in order {
        let mut rows = windows.remove(&ticker).unwrap_or_default();
        // By date (numerically when the dates are day numbers); stable, so
        // rows of the same date keep file order.
        rows.sort_by(
            |a, b| match (a.value.date.parse::<i64>(), b.value.date.parse::<i64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.value.date.cmp(&b.value.date),
            },
        );
        if rows.len() < 2 {
            for r in &rows {
                out.invalid(
                    &r.at,
                    FieldError::field(
                        "price",
                        format!("ticker {ticker} has one trading day; a window needs two"),
                    ),
                );
            }
            continue;
        }
        let first = &rows[0];
        let item = Item::Trading {
            ticker: ticker.clone(),
            days: rows.iter().map(|r| r.value.clone()).collect(),
        };
        out.push_sample(&first.at, first.value.id.clone(), task, &item)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datasets_from_paths() {
        let d = |p: &str| detect(p, None).map(|d| task_name(&d));
        assert_eq!(
            d("TheFinAI/flare-fpb/data/test-00000-of-00001.parquet").as_deref(),
            Some("flare_fpb")
        );
        assert_eq!(d("flare-sm-acl.jsonl").as_deref(), Some("flare_sm_acl"));
        assert_eq!(
            d("FinTrade_ijcai-challenge/data/form_test-00000.parquet").as_deref(),
            Some("fintrade")
        );
        assert_eq!(d("x/test.jsonl"), None);
        assert!(matches!(
            detect("flare-headlines/test.jsonl", None),
            Some(Detected::Unsupported(_))
        ));
        let row: Map<String, Value> =
            serde_json::from_str(r#"{"choices":["a"],"gold":0}"#).unwrap();
        assert_eq!(
            detect("my-set/data/test.jsonl", Some(&row))
                .map(|d| task_name(&d))
                .as_deref(),
            Some("finben_my_set")
        );
        assert!(is_scored_split("flare-fpb/data/test-0.parquet"));
        assert!(is_scored_split("flare-fpb/rows.jsonl"));
        assert!(!is_scored_split("flare-convfinqa/data/valid-0.parquet"));
        assert!(!is_scored_split(
            "FinTrade/data/jnj_train-00000-of-00001.parquet"
        ));
        assert!(is_scored_split(
            "FinTrade/data/form_test-00000-of-00001.parquet"
        ));
    }
}
