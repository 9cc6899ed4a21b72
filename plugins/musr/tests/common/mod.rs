//! Helpers shared by the integration tests: reading CSV files the way the
//! host hands them over, and a gold model.

#![allow(dead_code)]

use scorebox_sdk::{Answer, ContinuationScore, DataFile, FileFormat, Query};

/// A small RFC 4180 reader (quotes, doubled quotes, newlines in quotes): one
/// JSON array of cell strings per record, header included.
pub fn csv_rows(text: &str) -> Vec<String> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(serde_json::to_string(&std::mem::take(&mut row)).unwrap());
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(serde_json::to_string(&row).unwrap());
    }
    rows
}

/// The CSV files of a folder of the crate, sorted by name.
pub fn csv_files(dir: &str) -> Vec<DataFile> {
    let root = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| DataFile {
            rows: csv_rows(&std::fs::read_to_string(format!("{root}/{n}")).unwrap()),
            path: n,
            sha256: String::new(),
            format: FileFormat::Csv,
        })
        .collect()
}

/// The host's `gold` model.
pub fn gold(q: &Query) -> Answer {
    match q {
        Query::Generate(g) | Query::Judge(g) => Answer::Text(g.reference.clone().unwrap()),
        Query::Choose(c) => Answer::Scores(
            (0..c.continuations.len() as u32)
                .map(|i| ContinuationScore {
                    logprob: if Some(i) == c.reference { 0.0 } else { -1000.0 },
                    is_greedy: Some(i) == c.reference,
                })
                .collect(),
        ),
    }
}
