//! Dataset rows: splits and names from file paths, typed access to row
//! fields with errors that name the field, CSV cells, list literals.

use serde_json::{Map, Value};

use crate::{Loaded, RowError};

/// A dataset split, as told by a file path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Split {
    /// `train`, `auxiliary_train`.
    Train,
    /// `dev` (MMLU's few-shot split).
    Dev,
    /// `validation`, `val`, `valid`.
    Validation,
    /// `test`.
    Test,
}

impl Split {
    /// The canonical name (`train`, `dev`, `validation`, `test`).
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Validation => "validation",
            Split::Test => "test",
        }
    }

    fn from_token(token: &str) -> Option<Split> {
        match token {
            "test" => Some(Split::Test),
            "dev" => Some(Split::Dev),
            "val" | "valid" | "validation" => Some(Split::Validation),
            "train" | "auxiliary_train" => Some(Split::Train),
            _ => None,
        }
    }
}

/// The last component of a `/`-separated path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The file name without its last extension (`a/b_test.csv` → `b_test`).
pub fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

/// The directory components of a path, closest first.
pub fn parent_dirs(path: &str) -> impl Iterator<Item = &str> {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.into_iter().rev().filter(|p| !p.is_empty())
}

/// The split a file holds, from its path (case-insensitive), trying in order:
/// the file stem's first `-`/`.`-separated token (Hugging Face
/// `test-00000-of-00001.parquet`, `validation.jsonl`), the stem's last
/// `_`-separated token (Hendrycks `anatomy_test.csv`), then the directories,
/// closest first (`data/dev/...`).
pub fn split_from_path(path: &str) -> Option<Split> {
    let stem = file_stem(path).to_ascii_lowercase();
    let first = stem.split(['-', '.']).next().unwrap_or("");
    if let Some(s) = Split::from_token(first) {
        return Some(s);
    }
    if let Some(s) = stem.rsplit('_').next().and_then(Split::from_token) {
        return Some(s);
    }
    parent_dirs(path).find_map(|d| Split::from_token(&d.to_ascii_lowercase()))
}

/// For a Hendrycks-style file `<name>_<split>.csv`, the `<name>` part
/// (`test/high_school_us_history_test.csv` → `high_school_us_history`).
pub fn name_before_split_suffix(path: &str) -> Option<&str> {
    let stem = file_stem(path);
    let (name, suffix) = stem.rsplit_once('_')?;
    Split::from_token(&suffix.to_ascii_lowercase())?;
    (!name.is_empty()).then_some(name)
}

/// Where a row comes from, for error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowRef<'a> {
    /// `data-file.path`.
    pub path: &'a str,
    /// Zero-based row index in the file.
    pub row: u32,
}

impl RowRef<'_> {
    /// A [`RowError`] for this row.
    pub fn error(&self, field: Option<&str>, message: impl Into<String>) -> RowError {
        RowError {
            path: self.path.to_string(),
            row: self.row,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    /// `loaded::invalid` for this row, from a [`FieldError`].
    pub fn invalid(&self, e: FieldError) -> Loaded {
        Loaded::Invalid(self.error(e.field.as_deref(), e.message))
    }
}

/// What is wrong with a row, and which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// An error about `field`.
    pub fn field(field: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// An error about the row as a whole.
    pub fn row(message: impl Into<String>) -> FieldError {
        FieldError {
            field: None,
            message: message.into(),
        }
    }
}

/// Parses one row's JSON text.
///
/// # Errors
/// Returns a row-level [`FieldError`] when the text is not JSON.
pub fn parse_row(text: &str) -> Result<Value, FieldError> {
    serde_json::from_str(text).map_err(|e| FieldError::row(format!("row is not valid JSON: {e}")))
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

/// The row as a JSON object.
///
/// # Errors
/// Returns a row-level error naming what the row is instead.
pub fn as_object(v: &Value) -> Result<&Map<String, Value>, FieldError> {
    v.as_object()
        .ok_or_else(|| FieldError::row(format!("expected a JSON object, found {}", kind(v))))
}

/// Field `name`, which must be present.
///
/// # Errors
/// Returns an error naming the missing field.
pub fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a Value, FieldError> {
    obj.get(name)
        .ok_or_else(|| FieldError::field(name, format!("missing field `{name}`")))
}

/// String field `name`.
///
/// # Errors
/// Returns an error when it is missing or not a string.
pub fn str_field<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, FieldError> {
    let v = field(obj, name)?;
    v.as_str().ok_or_else(|| {
        FieldError::field(
            name,
            format!("`{name}` must be a string, found {}", kind(v)),
        )
    })
}

/// Integer field `name`; a string of digits (as CSV cells are) is accepted.
///
/// # Errors
/// Returns an error when it is missing or not an integer.
pub fn int_field(obj: &Map<String, Value>, name: &str) -> Result<i64, FieldError> {
    let v = field(obj, name)?;
    let parsed = match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| FieldError::field(name, format!("`{name}` must be an integer, found {v}")))
}

/// List-of-strings field `name`: a JSON array of strings, or a string holding
/// one (JSON or a Python list literal, as CSV exports write lists; see
/// [`parse_list_literal`]).
///
/// # Errors
/// Returns an error when it is missing, not a list, or holds a non-string.
pub fn str_list_field(obj: &Map<String, Value>, name: &str) -> Result<Vec<String>, FieldError> {
    let v = field(obj, name)?;
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str().map(str::to_string).ok_or_else(|| {
                    FieldError::field(
                        name,
                        format!("`{name}[{i}]` must be a string, found {}", kind(item)),
                    )
                })
            })
            .collect(),
        Value::String(s) => parse_list_literal(s).map_err(|e| {
            FieldError::field(name, format!("`{name}` is not a list of strings: {e}"))
        }),
        other => Err(FieldError::field(
            name,
            format!("`{name}` must be a list of strings, found {}", kind(other)),
        )),
    }
}

/// The cells of a CSV row (the host sends each CSV row as a JSON array of
/// raw cell strings).
///
/// # Errors
/// Returns a row-level error when the row is not an array of strings.
pub fn csv_cells(v: &Value) -> Result<Vec<String>, FieldError> {
    let items = v.as_array().ok_or_else(|| {
        FieldError::row(format!(
            "expected a CSV row (array of cells), found {}",
            kind(v)
        ))
    })?;
    items
        .iter()
        .map(|c| match c {
            Value::String(s) => Ok(s.clone()),
            Value::Null => Ok(String::new()),
            other => Err(FieldError::row(format!(
                "CSV cell is {}, not a string",
                kind(other)
            ))),
        })
        .collect()
}

/// A CSV row (with a header row) as a JSON object keyed by the header.
///
/// # Errors
/// Returns a row-level error when the cell count differs from the header's.
pub fn csv_record(header: &[String], cells: Vec<String>) -> Result<Map<String, Value>, FieldError> {
    if cells.len() != header.len() {
        return Err(FieldError::row(format!(
            "row has {} cells, the header has {}",
            cells.len(),
            header.len()
        )));
    }
    Ok(header
        .iter()
        .cloned()
        .zip(cells.into_iter().map(Value::String))
        .collect())
}

/// Parses a list of strings written as a JSON array (`["a", "b"]`) or a
/// Python list literal (`['a', "b's"]`, with Python string escapes; a
/// trailing comma is allowed). NumPy's repr without commas (`['a' 'b']`) is
/// also accepted.
///
/// # Errors
/// Returns a message saying where the literal stops making sense.
pub fn parse_list_literal(s: &str) -> Result<Vec<String>, String> {
    let t = s.trim();
    if let Ok(v) = serde_json::from_str::<Vec<String>>(t) {
        return Ok(v);
    }
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    if chars.first() != Some(&'[') {
        return Err("expected `[`".into());
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        skip_ws(&mut i);
        match chars.get(i) {
            Some(']') => {
                i += 1;
                break;
            }
            Some(&q) if q == '\'' || q == '"' => {
                i += 1;
                let mut item = String::new();
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err("unterminated string".into());
                    };
                    i += 1;
                    if c == q {
                        break;
                    }
                    if c != '\\' {
                        item.push(c);
                        continue;
                    }
                    let Some(&e) = chars.get(i) else {
                        return Err("unterminated escape".into());
                    };
                    i += 1;
                    match e {
                        'n' => item.push('\n'),
                        't' => item.push('\t'),
                        'r' => item.push('\r'),
                        '0' => item.push('\0'),
                        '\\' | '\'' | '"' => item.push(e),
                        'x' | 'u' | 'U' => {
                            let len = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let hex: String = chars.iter().skip(i).take(len).collect();
                            let cp = u32::from_str_radix(&hex, 16)
                                .ok()
                                .filter(|_| hex.len() == len)
                                .and_then(char::from_u32)
                                .ok_or_else(|| format!("bad escape \\{e}{hex}"))?;
                            item.push(cp);
                            i += len;
                        }
                        '\n' => {}
                        other => {
                            item.push('\\');
                            item.push(other);
                        }
                    }
                }
                out.push(item);
                skip_ws(&mut i);
                if chars.get(i) == Some(&',') {
                    i += 1;
                }
            }
            Some(c) => return Err(format!("unexpected `{c}` at character {i}")),
            None => return Err("missing `]`".into()),
        }
    }
    skip_ws(&mut i);
    if i != chars.len() {
        return Err("text after `]`".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_from_paths() {
        let cases = [
            ("data/test/anatomy_test.csv", Some(Split::Test)),
            ("data/dev/anatomy_dev.csv", Some(Split::Dev)),
            ("data/val/anatomy_val.csv", Some(Split::Validation)),
            ("all/test-00000-of-00001.parquet", Some(Split::Test)),
            (
                "all/validation-00000-of-00001.parquet",
                Some(Split::Validation),
            ),
            ("all/dev-00000-of-00001.parquet", Some(Split::Dev)),
            (
                "all/auxiliary_train-00000-of-00001.parquet",
                Some(Split::Train),
            ),
            ("data/validation.jsonl", Some(Split::Validation)),
            ("Test.JSONL", Some(Split::Test)),
            ("test/rows.jsonl", Some(Split::Test)),
            ("rows.jsonl", None),
        ];
        for (path, want) in cases {
            assert_eq!(split_from_path(path), want, "{path}");
        }
    }

    #[test]
    fn names_and_stems() {
        assert_eq!(file_name("a/b/c.csv"), "c.csv");
        assert_eq!(file_stem("a/b/c.d.csv"), "c.d");
        assert_eq!(file_stem(".hidden"), ".hidden");
        assert_eq!(
            name_before_split_suffix("test/high_school_us_history_test.csv"),
            Some("high_school_us_history")
        );
        assert_eq!(name_before_split_suffix("x/test.csv"), None);
        assert_eq!(parent_dirs("a/b/c.csv").collect::<Vec<_>>(), ["b", "a"]);
    }

    #[test]
    fn typed_fields() {
        let v = parse_row(r#"{"q":"x","n":3,"f":2.0,"s":"4","l":["a","b"],"bad":[1]}"#).unwrap();
        let o = as_object(&v).unwrap();
        assert_eq!(str_field(o, "q").unwrap(), "x");
        assert_eq!(int_field(o, "n").unwrap(), 3);
        assert_eq!(int_field(o, "f").unwrap(), 2);
        assert_eq!(int_field(o, "s").unwrap(), 4);
        assert_eq!(str_list_field(o, "l").unwrap(), ["a", "b"]);
        let e = str_list_field(o, "bad").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("bad"));
        assert!(
            e.message.contains("`bad[0]` must be a string"),
            "{}",
            e.message
        );
        assert!(
            str_field(o, "missing")
                .unwrap_err()
                .message
                .contains("missing field")
        );
        assert!(int_field(o, "q").is_err());
        assert!(parse_row("{").is_err());
        assert!(as_object(&Value::Array(vec![])).is_err());
    }

    #[test]
    fn csv_rows() {
        let v: Value = serde_json::from_str(r#"["a","b",null]"#).unwrap();
        assert_eq!(csv_cells(&v).unwrap(), ["a", "b", ""]);
        assert!(csv_cells(&Value::Null).is_err());
        let header = vec!["x".to_string(), "y".to_string()];
        let rec = csv_record(&header, vec!["1".into(), "2".into()]).unwrap();
        assert_eq!(rec["y"], "2");
        assert!(csv_record(&header, vec!["1".into()]).is_err());
    }

    #[test]
    fn list_literals() {
        assert_eq!(parse_list_literal(r#"["a", "b"]"#).unwrap(), ["a", "b"]);
        assert_eq!(
            parse_list_literal(r#"['a', "b's", 'c\'d',]"#).unwrap(),
            ["a", "b's", "c'd"]
        );
        assert_eq!(
            parse_list_literal(r"['x\n\u00e9' 'y']").unwrap(),
            ["x\né", "y"]
        );
        assert_eq!(parse_list_literal("[]").unwrap(), Vec::<String>::new());
        assert!(parse_list_literal("['a'").is_err());
        assert!(parse_list_literal("a, b").is_err());
        assert!(parse_list_literal("[1, 2]").is_err());
    }
}
