//! Rows as JSON objects, whatever the file format: JSON rows as they are,
//! CSV rows keyed by the header row; and field readers that accept the
//! spellings the published layouts use.

use scorebox_sdk::data::{FieldError, as_object, csv_cells, csv_record, parse_row};
use scorebox_sdk::{DataFile, FileFormat};
use serde_json::{Map, Value};

/// A row's index and its object (or why it has none).
pub(crate) type Record = (u32, Result<Map<String, Value>, FieldError>);

/// The rows of `file` as objects. A CSV file's first row is its header
/// (cells trimmed) and yields no record.
pub(crate) fn records(file: &DataFile) -> Vec<Record> {
    let mut out = Vec::with_capacity(file.rows.len());
    let mut header: Option<Vec<String>> = None;
    for (i, text) in file.rows.iter().enumerate() {
        let row = i as u32;
        let value = match parse_row(text) {
            Ok(v) => v,
            Err(e) => {
                out.push((row, Err(e)));
                continue;
            }
        };
        if file.format == FileFormat::Csv {
            let cells = match csv_cells(&value) {
                Ok(c) => c,
                Err(e) => {
                    out.push((row, Err(e)));
                    continue;
                }
            };
            match &header {
                None => header = Some(cells.iter().map(|c| c.trim().to_string()).collect()),
                Some(h) => out.push((row, csv_record(h, cells))),
            }
            continue;
        }
        out.push((row, as_object(&value).cloned()));
    }
    out
}

/// The first of `names` present (and not null) in `obj`, with its name.
pub(crate) fn first<'a>(
    obj: &'a Map<String, Value>,
    names: &[&'a str],
) -> Option<(&'a str, &'a Value)> {
    names
        .iter()
        .find_map(|n| obj.get(*n).filter(|v| !v.is_null()).map(|v| (*n, v)))
}

/// A string value of field `name`.
///
/// # Errors
/// Names the field when the value is not a string.
pub(crate) fn as_str<'a>(name: &str, v: &'a Value) -> Result<&'a str, FieldError> {
    v.as_str()
        .ok_or_else(|| FieldError::field(name, format!("`{name}` must be a string, found {v}")))
}

/// An id: a string, or a number written as JSON writes it.
pub(crate) fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An answer index in `0..n` from an integer (or a string of digits, as CSV
/// cells are) offset by `base` (0 or 1), or a letter `A`.. (any case).
///
/// # Errors
/// Names the field and the accepted range.
pub(crate) fn answer_index(name: &str, v: &Value, base: i64, n: u32) -> Result<u32, FieldError> {
    let bad = || {
        FieldError::field(
            name,
            format!(
                "`{name}` must be an answer index in {base}..{} or a letter A..{}, found {v}",
                i64::from(n) - 1 + base,
                scorebox_sdk::prompt::letter(n as usize - 1).unwrap_or('?')
            ),
        )
    };
    let as_int = match v {
        Value::Number(num) => num.as_i64().or_else(|| {
            num.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
                .map(|f| f as i64)
        }),
        Value::String(s) => {
            let t = s.trim();
            match t.parse::<i64>() {
                Ok(i) => Some(i),
                Err(_) => {
                    let mut chars = t.chars();
                    let (Some(c), None) = (chars.next(), chars.next()) else {
                        return Err(bad());
                    };
                    let i = scorebox_sdk::prompt::letter_index(c.to_ascii_uppercase())
                        .ok_or_else(bad)?;
                    return if (i as u32) < n {
                        Ok(i as u32)
                    } else {
                        Err(bad())
                    };
                }
            }
        }
        _ => None,
    };
    let i = as_int.ok_or_else(bad)? - base;
    if (0..i64::from(n)).contains(&i) {
        Ok(i as u32)
    } else {
        Err(bad())
    }
}

/// A list of strings (a JSON array, or a string holding a JSON or Python
/// list literal).
///
/// # Errors
/// Names the field.
pub(crate) fn str_list(name: &str, v: &Value) -> Result<Vec<String>, FieldError> {
    let mut obj = Map::new();
    obj.insert(name.to_string(), v.clone());
    scorebox_sdk::data::str_list_field(&obj, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answer_indices() {
        assert_eq!(answer_index("cop", &json!(0), 0, 4), Ok(0));
        assert_eq!(answer_index("cop", &json!(4), 1, 4), Ok(3));
        assert!(answer_index("cop", &json!(4), 0, 4).is_err());
        assert!(answer_index("cop", &json!(0), 1, 4).is_err());
        assert_eq!(answer_index("a", &json!("c"), 0, 4), Ok(2));
        assert_eq!(answer_index("a", &json!(" 2 "), 0, 4), Ok(2));
        assert!(answer_index("a", &json!("E"), 0, 4).is_err());
        assert!(answer_index("a", &json!("AB"), 0, 4).is_err());
        assert!(answer_index("a", &json!(null), 0, 4).is_err());
        assert_eq!(answer_index("a", &json!(2.0), 0, 4), Ok(2));
        let e = answer_index("label", &json!(7), 0, 4).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("label"));
        assert!(e.message.contains("0..3"), "{}", e.message);
    }

    #[test]
    fn csv_and_json_records() {
        let f = scorebox_sdk::DataFile {
            path: "x.csv".into(),
            sha256: String::new(),
            format: FileFormat::Csv,
            rows: vec![
                r#"[" id ","question"]"#.into(),
                r#"["1","q?"]"#.into(),
                r#"["2"]"#.into(),
            ],
        };
        let r = records(&f);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].1.as_ref().unwrap()["id"], json!("1"));
        assert!(r[1].1.is_err());
        assert_eq!(id_text(&json!(12)), Some("12".into()));
        assert_eq!(id_text(&json!(" ")), None);
        let obj = json!({"a": null, "b": 1}).as_object().unwrap().clone();
        assert_eq!(first(&obj, &["a", "b"]).map(|(n, _)| n), Some("b"));
    }
}
