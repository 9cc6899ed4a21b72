//! Dataset files read the way the host reads them (`host/src/data`): which
//! files count, their order and relative paths, and the rows each format
//! decodes into.

use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::{DataFile, FileFormat};

/// Every dataset file under `dir`, as the host's `--data DIR` hands them to
/// the loader: the folder walked recursively, hidden entries (`.name`)
/// skipped, only `.jsonl`/`.ndjson`, `.json`, `.csv`, `.parquet` and `.txt`
/// files (any case), paths relative to `dir` joined with `/`, sorted by
/// path, each decoded by [`decode_rows`]. `sha256` is left empty (the host
/// fills it in; no loader reads it).
///
/// # Panics
/// When `dir` or a file cannot be read or decoded, and on a parquet file
/// (not supported here).
pub fn files_from_dir(dir: impl AsRef<Path>) -> Vec<DataFile> {
    let root = dir.as_ref();
    let mut found = Vec::new();
    walk(root, root, &mut found);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
        .into_iter()
        .map(|(path, format, full)| {
            let text = std::fs::read_to_string(&full)
                .unwrap_or_else(|e| panic!("{}: {e}", full.display()));
            DataFile {
                rows: decode_rows(format, &text)
                    .unwrap_or_else(|e| panic!("{}: {e}", full.display())),
                path,
                sha256: String::new(),
                format,
            }
        })
        .collect()
}

/// The rows the host decodes a file's text into, one JSON text per row:
///
/// * jsonl: each non-blank line as it is (a malformed line is the
///   loader's to report);
/// * json: each element of a top-level array, or the value itself,
///   re-serialised compactly with its object keys in document order;
/// * csv: each record (header included) as a JSON array of its cells, RFC
///   4180 quoting, records of any width, blank lines skipped;
/// * text: one row, the whole text as a JSON string.
///
/// # Errors
/// Invalid JSON in a json file, or a parquet file (its rows are not text).
pub fn decode_rows(format: FileFormat, text: &str) -> Result<Vec<String>, String> {
    Ok(match format {
        FileFormat::Jsonl => text
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        FileFormat::Json => {
            let value: Ordered =
                serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
            match value {
                Ordered::Array(items) => items.iter().map(Ordered::to_json).collect(),
                other => vec![other.to_json()],
            }
        }
        FileFormat::Csv => csv_records(text)
            .iter()
            .map(|cells| serde_json::to_string(cells).expect("strings serialize"))
            .collect(),
        FileFormat::Text => vec![serde_json::Value::String(text.to_owned()).to_string()],
        FileFormat::Parquet => {
            return Err("parquet files are not supported by `testing` (convert the \
                        fixture to jsonl, json or csv)"
                .into());
        }
    })
}

/// The format the host gives a file, by its extension.
fn format_of(path: &Path) -> Option<FileFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "jsonl" | "ndjson" => Some(FileFormat::Jsonl),
        "json" => Some(FileFormat::Json),
        "csv" => Some(FileFormat::Csv),
        "parquet" => Some(FileFormat::Parquet),
        "txt" => Some(FileFormat::Text),
        _ => None,
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, FileFormat, std::path::PathBuf)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if kind.is_dir() {
            walk(root, &path, out);
        } else if let Some(format) = format_of(&path) {
            let rel: Vec<String> = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((rel.join("/"), format, path));
        }
    }
}

/// CSV records as the host's reader (the `csv` crate: no header row,
/// flexible width, `"` quoting with `""` for a quote, `\r`, `\n` or `\r\n`
/// ending a record) returns them: blank lines are skipped, a quote inside an
/// unquoted cell and text after a closing quote are kept as they are, and
/// an unterminated quote runs to the end of the text.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        StartRecord,
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut state = State::StartRecord;
    for c in text.chars() {
        let end_of_record = c == '\r' || c == '\n';
        state = match (state, c) {
            (State::StartRecord, _) if end_of_record => State::StartRecord,
            (State::InQuoted, '"') => State::QuoteInQuoted,
            (State::InQuoted, c) => {
                cell.push(c);
                State::InQuoted
            }
            (State::QuoteInQuoted, '"') => {
                cell.push('"');
                State::InQuoted
            }
            (State::StartRecord | State::StartField, '"') => State::InQuoted,
            (_, ',') => {
                record.push(std::mem::take(&mut cell));
                State::StartField
            }
            _ if end_of_record => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
                State::StartRecord
            }
            (_, c) => {
                cell.push(c);
                State::InField
            }
        };
    }
    if state != State::StartRecord {
        record.push(cell);
        records.push(record);
    }
    records
}

/// A JSON value whose objects keep their keys in document order, as the
/// host's `serde_json` (built with `preserve_order`) keeps them; a repeated
/// key keeps its first place and its last value.
enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    fn to_json(&self) -> String {
        serde_json::to_string(self).expect("JSON values serialize")
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => serializer.serialize_unit(),
            Ordered::Bool(b) => serializer.serialize_bool(*b),
            Ordered::Number(n) => n.serialize(serializer),
            Ordered::String(s) => serializer.serialize_str(s),
            Ordered::Array(items) => serializer.collect_seq(items),
            Ordered::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

/// Builds an [`Ordered`] the way `serde_json::Value`'s visitor builds a value.
struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
        Ok(Ordered::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
        Ok(Ordered::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
        Ok(Ordered::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Ordered::Null, Ordered::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
        Ok(Ordered::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Ordered, E> {
        Ok(Ordered::String(v))
    }

    fn visit_none<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Ordered, D::Error> {
        Ordered::deserialize(d)
    }

    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries: Vec<(String, Ordered)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Ordered>()? {
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(Ordered::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(format: FileFormat, text: &str) -> Vec<String> {
        decode_rows(format, text).unwrap()
    }

    // The host's own cases (host/src/data/decode.rs).
    #[test]
    fn the_host_decoder_cases() {
        assert_eq!(
            rows(FileFormat::Jsonl, "{\"a\":1}\n\n{broken\r\n"),
            ["{\"a\":1}", "{broken"]
        );
        assert_eq!(
            rows(FileFormat::Csv, "q,A\n\"a, b\",\"say \"\"hi\"\"\"\n"),
            [r#"["q","A"]"#, r#"["a, b","say \"hi\""]"#]
        );
        assert_eq!(
            rows(FileFormat::Text, "Q: \"hi\"\nA: yes\n"),
            [r#""Q: \"hi\"\nA: yes\n""#]
        );
        assert_eq!(
            rows(FileFormat::Json, r#"[{"a":1},{"a":2}]"#),
            [r#"{"a":1}"#, r#"{"a":2}"#]
        );
        let e = decode_rows(FileFormat::Json, "[1,").unwrap_err();
        assert!(e.starts_with("invalid JSON"), "{e}");
        assert!(decode_rows(FileFormat::Parquet, "").is_err());
    }

    #[test]
    fn json_keeps_key_order_and_serde_json_scalars() {
        let text = "{ \"z\": 1, \"a\": [1.50, -2, 1e2, 18446744073709551616, \"\\u00e9\\/\"],\n \
                    \"m\": {\"y\": null, \"b\": true}, \"z\": 3 }";
        assert_eq!(
            rows(FileFormat::Json, text),
            [r#"{"z":3,"a":[1.5,-2,100.0,1.8446744073709552e+19,"é/"],"m":{"y":null,"b":true}}"#]
        );
        // Scalars and arrays as serde_json writes them.
        let text = "[\"x\", 0.1, -0.0, 12345678901234567890, -7e-8, null, false, {}, []]";
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let want: Vec<String> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(rows(FileFormat::Json, text), want);
        assert_eq!(rows(FileFormat::Json, "\"s\""), ["\"s\""]);
    }

    #[test]
    fn csv_records_as_the_csv_crate_reads_them() {
        let cases: &[(&str, &[&[&str]])] = &[
            ("", &[]),
            ("a", &[&["a"]]),
            (
                "a,b\r\nc\r\n\r\n\nd,,\n",
                &[&["a", "b"], &["c"], &["d", "", ""]],
            ),
            ("a\rb\r", &[&["a"], &["b"]]),
            ("\"x\ny\r\nz\",\"\"\n", &[&["x\ny\r\nz", ""]]),
            ("a\"b,\"c\"d,\"e", &[&["a\"b", "cd", "e"]]),
            (" a ,\"b\" x, \"c\"\n", &[&[" a ", "b x", " \"c\""]]),
            (",\n", &[&["", ""]]),
        ];
        for (text, want) in cases {
            let got = csv_records(text);
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn a_folder_as_the_host_walks_it() {
        let dir = std::env::temp_dir().join(format!("scorebox-sdk-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(dir.join(".hidden")).unwrap();
        let write = |p: &str, text: &str| std::fs::write(dir.join(p), text).unwrap();
        write("b.JSONL", "{\"k\":1}\n\n");
        write("a.csv", "h1,h2\r\n1,2\r\n");
        write("sub/deeper/c.txt", "text");
        write("sub/d.json", "{\"b\":1,\"a\":2}");
        write("sub/notes.md", "not data");
        write(".e.jsonl", "{}");
        write(".hidden/f.jsonl", "{}");
        let files = files_from_dir(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let got: Vec<(&str, FileFormat, Vec<&str>)> = files
            .iter()
            .map(|f| {
                assert!(f.sha256.is_empty());
                (
                    f.path.as_str(),
                    f.format,
                    f.rows.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "a.csv",
                    FileFormat::Csv,
                    vec![r#"["h1","h2"]"#, r#"["1","2"]"#]
                ),
                ("b.JSONL", FileFormat::Jsonl, vec![r#"{"k":1}"#]),
                ("sub/d.json", FileFormat::Json, vec![r#"{"b":1,"a":2}"#]),
                ("sub/deeper/c.txt", FileFormat::Text, vec![r#""text""#]),
            ]
        );
    }
}
