//! Dataset files: finding them under `--data`, hashing them, and decoding
//! jsonl, json, csv, parquet and text into rows of JSON text for the loader.
//!
//! The host does not interpret rows: a malformed JSON line is passed on as
//! it is, so the loader can report it (file, row, field) and go on.

mod decode;

use std::path::{Path, PathBuf};

use crate::runtime::wit::{DataFile, FileFormat};

/// Failures reading dataset files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be decoded at all.
    #[error("{}: {message}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where in the file.
        message: String,
    },
    /// Nothing to read.
    #[error("{}: no .jsonl, .json, .csv, .parquet or .txt files found", path.display())]
    NoFiles {
        /// The path given.
        path: PathBuf,
    },
}

/// The format a file name implies, if it is a dataset file.
pub fn format_of(path: &Path) -> Option<FileFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "jsonl" | "ndjson" => Some(FileFormat::Jsonl),
        "json" => Some(FileFormat::Json),
        "csv" => Some(FileFormat::Csv),
        "parquet" => Some(FileFormat::Parquet),
        "txt" => Some(FileFormat::Text),
        _ => None,
    }
}

/// Reads every dataset file at `path` (a file, or a directory walked
/// recursively, skipping hidden entries), sorted by relative path.
///
/// # Errors
/// [`DataError`] naming the file that could not be read or decoded.
pub fn read_dataset(path: &Path) -> Result<Vec<DataFile>, DataError> {
    let meta = std::fs::metadata(path).map_err(|e| DataError::Io {
        path: path.into(),
        source: e,
    })?;
    let mut found = Vec::new();
    if meta.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        found.push((name, path.to_path_buf()));
    } else {
        walk(path, path, &mut found)?;
        found.sort();
    }
    let mut files = Vec::new();
    for (rel, full) in found {
        let Some(format) = format_of(&full) else {
            continue;
        };
        let bytes = std::fs::read(&full).map_err(|e| DataError::Io {
            path: full.clone(),
            source: e,
        })?;
        let rows = decode::rows(&full, format, &bytes)?;
        files.push(DataFile {
            path: rel,
            sha256: crate::runtime::sha256_hex(&bytes),
            format,
            rows,
        });
    }
    if files.is_empty() {
        return Err(DataError::NoFiles { path: path.into() });
    }
    Ok(files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), DataError> {
    let io = |e| DataError::Io {
        path: dir.into(),
        source: e,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| DataError::Io {
            path: path.clone(),
            source: e,
        })?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if format_of(&path).is_some() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((rel.join("/"), path));
        }
    }
    Ok(())
}
