//! Suites (`registry/suites.toml`): several benchmarks run together, each
//! with fixed options, and one headline score averaged over them (the Open
//! LLM Leaderboard's normalised average, for example).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::RegistryError;

/// One benchmark of a suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteMember {
    /// Benchmark, as `name` or `name@version`.
    pub benchmark: String,
    /// Options it runs with.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// A named group of benchmarks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// The name `scorebox run` accepts.
    pub name: String,
    /// One line for `scorebox list`.
    pub description: String,
    /// The metric (filter `none`) each member reports on its top task; the
    /// suite's score is their mean.
    pub score: String,
    /// The members, in display order.
    #[serde(rename = "member")]
    pub members: Vec<SuiteMember>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuitesFile {
    #[serde(default, rename = "suite")]
    suites: Vec<Suite>,
}

/// Reads `suites.toml` in a registry directory (none is no suites).
///
/// # Errors
/// [`RegistryError`] when it exists but cannot be read or parsed.
pub fn read_suites(dir: &Path) -> Result<Vec<Suite>, RegistryError> {
    let path = dir.join("suites.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(RegistryError::io(&path, e)),
    };
    let file: SuitesFile = toml::from_str(&text).map_err(|e| RegistryError::Parse {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(file.suites)
}
