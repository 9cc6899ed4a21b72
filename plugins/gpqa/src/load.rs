//! Loading GPQA rows: the CSV files of `idavidrein/gpqa` (also Hugging Face
//! `Idavidrein/gpqa` in parquet, jsonl or json), and the reference shuffle.

use scorebox_sdk::data::{
    FieldError, RowRef, as_object, csv_cells, csv_record, file_stem, parent_dirs, parse_row,
};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::{DataFile, Error, FileFormat, Loaded, LoadedSet, Sample};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The configurations, in the order lm-eval builds `leaderboard_gpqa`'s
/// tasks (and so draws their shuffles).
pub const CONFIGS: [&str; 3] = ["gpqa_diamond", "gpqa_extended", "gpqa_main"];

/// pandas' default `na_values`: a CSV cell equal to one of these is read as
/// a missing value by `load_dataset("csv")`.
pub const PANDAS_NA: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// A sample's data: the raw fields (`None` for a missing value) and the
/// reference permutation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleData {
    /// `gpqa_main`, `gpqa_diamond` or `gpqa_extended`.
    pub config: String,
    /// `Question` (`None` is rendered `None`, as Jinja prints it).
    pub question: Option<String>,
    /// `Incorrect Answer 1`, `2`, `3`, `Correct Answer`, in that order.
    pub options: [Option<String>; 4],
    /// The order lm-eval's `random.shuffle` puts `options` in when its
    /// global stream is seeded with `shuffle_seed` and the configurations
    /// are processed in [`CONFIGS`] order, rows in file order.
    pub reference_order: [usize; 4],
    /// The seed of that stream.
    pub shuffle_seed: u64,
}

/// The configuration a path belongs to.
pub fn config_of(path: &str) -> Option<&'static str> {
    let stem = file_stem(path);
    CONFIGS
        .iter()
        .copied()
        .find(|c| *c == stem)
        .or_else(|| parent_dirs(path).find_map(|d| CONFIGS.iter().copied().find(|c| *c == d)))
}

const COLUMNS: [&str; 4] = [
    "Incorrect Answer 1",
    "Incorrect Answer 2",
    "Incorrect Answer 3",
    "Correct Answer",
];

fn cell(row: &Map<String, Value>, name: &str, csv: bool) -> Result<Option<String>, FieldError> {
    match row.get(name) {
        None => Err(FieldError::field(name, format!("missing field `{name}`"))),
        Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if csv && PANDAS_NA.contains(&s.as_str()) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(FieldError::field(
            name,
            format!("`{name}` must be text, found {other}"),
        )),
    }
}

/// The sample id of a row: `<config>/<Record ID>`, else `<config>/<row index>`.
fn record_id(row: &Map<String, Value>, csv: bool) -> Option<String> {
    cell(row, "Record ID", csv)
        .ok()
        .flatten()
        .filter(|s| !s.trim().is_empty())
}

/// Loads `files`. Configurations are processed in [`CONFIGS`] order (the
/// files of one in the host's order), and one shuffle is drawn from
/// `random.Random(shuffle_seed)` per data row, usable or not, as lm-eval's
/// `process_docs` does for every document.
///
/// # Errors
/// When no file belongs to a configuration.
pub fn load(files: &[DataFile], shuffle_seed: u64) -> Result<LoadedSet, Error> {
    let mut items = Vec::new();
    let mut rng = PyRandom::from_seed(shuffle_seed);
    let mut any = false;
    for file in files.iter().filter(|f| config_of(&f.path).is_none()) {
        items.push(Loaded::Invalid(RowRef { path: &file.path, row: 0 }.error(
            None,
            "cannot tell the GPQA configuration from the path (expected gpqa_main, gpqa_diamond or gpqa_extended)",
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for config in CONFIGS {
        for file in files.iter().filter(|f| config_of(&f.path) == Some(config)) {
            any = true;
            let csv = file.format == FileFormat::Csv;
            let mut header: Option<Vec<String>> = None;
            let mut index = 0usize;
            for (r, text) in file.rows.iter().enumerate() {
                let at = RowRef {
                    path: &file.path,
                    row: r as u32,
                };
                let row = match parse_one(file.format, text, &mut header) {
                    Ok(None) => continue,
                    Ok(Some(row)) => Ok(row),
                    Err(e) => Err(e),
                };
                let n = index;
                index += 1;
                let mut order = [0, 1, 2, 3];
                rng.shuffle(&mut order);
                let row = match row {
                    Ok(r) => r,
                    Err(e) => {
                        items.push(at.invalid(e));
                        continue;
                    }
                };
                match sample(&row, config, csv, order, shuffle_seed, n) {
                    Ok(s) if !seen.insert(s.id.clone()) => items.push(Loaded::Invalid(
                        at.error(Some("Record ID"), format!("duplicate sample id `{}`", s.id)),
                    )),
                    Ok(s) => items.push(Loaded::Sample(s)),
                    Err(e) => items.push(at.invalid(e)),
                }
            }
        }
    }
    if !any {
        return Err(Error::new(
            "no GPQA file found (give gpqa_main.csv, gpqa_diamond.csv or gpqa_extended.csv)",
        ));
    }
    Ok(items.into())
}

fn parse_one(
    format: FileFormat,
    text: &str,
    header: &mut Option<Vec<String>>,
) -> Result<Option<Map<String, Value>>, FieldError> {
    let value = parse_row(text)?;
    if format == FileFormat::Csv {
        let cells = csv_cells(&value)?;
        let Some(h) = header else {
            *header = Some(cells);
            return Ok(None);
        };
        return csv_record(h, cells).map(Some);
    }
    Ok(Some(as_object(&value)?.clone()))
}

fn sample(
    row: &Map<String, Value>,
    config: &str,
    csv: bool,
    order: [usize; 4],
    shuffle_seed: u64,
    index: usize,
) -> Result<Sample, FieldError> {
    let question = cell(row, "Question", csv)?;
    let mut options: [Option<String>; 4] = Default::default();
    for (slot, name) in options.iter_mut().zip(COLUMNS) {
        *slot = cell(row, name, csv)?;
    }
    let id = match record_id(row, csv) {
        Some(rid) => format!("{config}/{rid}"),
        None => format!("{config}/{index}"),
    };
    let target = options[3].clone().unwrap_or_default();
    let data = SampleData {
        config: config.to_string(),
        question,
        options,
        reference_order: order,
        shuffle_seed,
    };
    Ok(Sample {
        id,
        subtask: config.to_string(),
        data: serde_json::to_string(&data).map_err(|e| FieldError::row(e.to_string()))?,
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(path: &str, rows: &[&[&str]]) -> DataFile {
        DataFile {
            path: path.into(),
            sha256: String::new(),
            format: FileFormat::Csv,
            rows: rows
                .iter()
                .map(|r| serde_json::to_string(r).unwrap())
                .collect(),
        }
    }

    const HEADER: &[&str] = &[
        "Question",
        "Correct Answer",
        "Incorrect Answer 1",
        "Incorrect Answer 2",
        "Incorrect Answer 3",
        "Record ID",
    ];

    #[test]
    fn configs_ids_na_and_stream_order() {
        let files = vec![
            csv(
                "gpqa_main.csv",
                &[
                    HEADER,
                    &["q1", "a", "b", "c", "d", "recA"],
                    &["q2", "a", "N/A", "c", "d", ""],
                    &["short"],
                ],
            ),
            csv(
                "data/gpqa_diamond.csv",
                &[HEADER, &["q3", "a", "b", "c", "d", "recA"]],
            ),
            csv("notes.csv", &[HEADER]),
        ];
        let set = load(&files, 0).unwrap();
        let got: Vec<String> = set
            .items
            .iter()
            .map(|i| match i {
                Loaded::Sample(s) => s.id.clone(),
                Loaded::Invalid(e) => format!("!{}:{}", e.path, e.row),
            })
            .collect();
        assert_eq!(
            got,
            [
                "!notes.csv:0",
                "gpqa_diamond/recA",
                "gpqa_main/recA",
                "gpqa_main/1",
                "!gpqa_main.csv:3"
            ]
        );
        // random.seed(0); for 4 documents: random.shuffle([0,1,2,3]) (CPython 3.11).
        let orders: Vec<[usize; 4]> = set
            .items
            .iter()
            .filter_map(|i| match i {
                Loaded::Sample(s) => Some(
                    serde_json::from_str::<SampleData>(&s.data)
                        .unwrap()
                        .reference_order,
                ),
                Loaded::Invalid(_) => None,
            })
            .collect();
        assert_eq!(orders, [[2, 0, 1, 3], [0, 1, 3, 2], [0, 2, 1, 3]]);
        let Loaded::Sample(s) = &set.items[3] else {
            panic!()
        };
        let d: SampleData = serde_json::from_str(&s.data).unwrap();
        assert_eq!(d.options[0], None);
        assert_eq!(d.options[3].as_deref(), Some("a"));
        assert!(load(&files[2..], 0).is_err());
    }
}
