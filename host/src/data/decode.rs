//! Decoding one file into rows of JSON text.

use std::path::Path;

use crate::runtime::wit::FileFormat;

use super::DataError;

/// Decodes `bytes` (the contents of `path`) into one JSON text per row.
///
/// * jsonl: each non-blank line as it is (not validated: the loader
///   reports a malformed line as an invalid row);
/// * json: each element of a top-level array, or the object itself;
/// * csv: each record as a JSON array of its cells (header included);
/// * parquet: each row as a JSON object keyed by column;
/// * text: one row, the whole file as a JSON string.
///
/// # Errors
/// [`DataError::Decode`] when the file as a whole cannot be decoded.
pub fn rows(path: &Path, format: FileFormat, bytes: &[u8]) -> Result<Vec<String>, DataError> {
    let fail = |message: String| DataError::Decode {
        path: path.into(),
        message,
    };
    match format {
        FileFormat::Jsonl => {
            let text = std::str::from_utf8(bytes).map_err(|e| fail(format!("not UTF-8: {e}")))?;
            Ok(text
                .lines()
                .map(|l| l.trim_end_matches('\r'))
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect())
        }
        FileFormat::Json => {
            let value: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|e| fail(format!("invalid JSON: {e}")))?;
            Ok(match value {
                serde_json::Value::Array(items) => items.iter().map(|v| v.to_string()).collect(),
                other => vec![other.to_string()],
            })
        }
        FileFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|e| fail(format!("CSV record {i}: {e}")))?;
                let cells: Vec<&str> = record.iter().collect();
                rows.push(serde_json::to_string(&cells).expect("strings serialize"));
            }
            Ok(rows)
        }
        FileFormat::Parquet => parquet_rows(bytes).map_err(|e| fail(format!("parquet: {e}"))),
        FileFormat::Text => {
            let text = std::str::from_utf8(bytes).map_err(|e| fail(format!("not UTF-8: {e}")))?;
            Ok(vec![serde_json::Value::String(text.to_owned()).to_string()])
        }
    }
}

fn parquet_rows(bytes: &[u8]) -> parquet::errors::Result<Vec<String>> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(bytes::Bytes::copy_from_slice(bytes))?;
    let mut rows = Vec::new();
    for row in reader.get_row_iter(None)? {
        rows.push(row?.to_json_value().to_string());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_keeps_malformed_lines_for_the_loader() {
        let rows = rows(
            Path::new("x.jsonl"),
            FileFormat::Jsonl,
            b"{\"a\":1}\n\n{broken\r\n",
        )
        .unwrap();
        assert_eq!(rows, vec!["{\"a\":1}", "{broken"]);
    }

    #[test]
    fn csv_rows_are_arrays_of_cells() {
        let rows = rows(
            Path::new("x.csv"),
            FileFormat::Csv,
            b"q,A\n\"a, b\",\"say \"\"hi\"\"\"\n",
        )
        .unwrap();
        assert_eq!(rows, vec![r#"["q","A"]"#, r#"["a, b","say \"hi\""]"#]);
    }

    #[test]
    fn text_files_are_one_string_row() {
        let rows = rows(
            Path::new("cot-prompts/x.txt"),
            FileFormat::Text,
            "Q: \"hi\"\nA: yes\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(rows, vec![r#""Q: \"hi\"\nA: yes\n""#]);
    }

    #[test]
    fn json_array_elements_become_rows() {
        let rows = rows(
            Path::new("x.json"),
            FileFormat::Json,
            br#"[{"a":1},{"a":2}]"#,
        )
        .unwrap();
        assert_eq!(rows, vec![r#"{"a":1}"#, r#"{"a":2}"#]);
        let err = super::rows(Path::new("x.json"), FileFormat::Json, b"[1,").unwrap_err();
        assert!(err.to_string().starts_with("x.json: invalid JSON"), "{err}");
    }

    #[test]
    fn parquet_rows_are_objects_with_lists() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/mmlu-parquet/all/test-00000-of-00001.parquet");
        let bytes = std::fs::read(&path).unwrap();
        let rows = rows(&path, FileFormat::Parquet, &bytes).unwrap();
        assert_eq!(rows.len(), 8);
        let first: serde_json::Value = serde_json::from_str(&rows[0]).unwrap();
        assert_eq!(first["subject"], "nutrition");
        assert_eq!(first["answer"], 2);
        assert_eq!(first["choices"].as_array().unwrap().len(), 4);
        assert_eq!(first["choices"][2], "Vitamin D");
        let err = super::rows(&path, FileFormat::Parquet, b"PAR1 not really").unwrap_err();
        assert!(err.to_string().contains("parquet"), "{err}");
    }
}
