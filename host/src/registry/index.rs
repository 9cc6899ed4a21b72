//! `index.toml`: the list of components a registry holds.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::RegistryError;

/// One published component: `name@version`, immutable once published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentEntry {
    /// Benchmark name (what `scorebox run <name>` selects).
    pub name: String,
    /// Semver of the component.
    pub version: String,
    /// Roles it plays: `loader`, `scorer` or both.
    pub roles: Vec<String>,
    /// The `scorebox:bench` WIT version it was built against.
    pub wit: String,
    /// One-line description, shown by `scorebox list`.
    pub description: String,
    /// Component file, relative to the registry root.
    pub file: String,
    /// Lower-case hex sha256 of the component file.
    pub sha256: String,
    /// Size of the component file in bytes.
    pub size: u64,
    /// Capabilities the plugin declares (e.g. `judge`).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Where it was built from (a crate path) or added from.
    pub source: String,
    /// Directory of the bundled sample data, relative to the registry root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// Digest of the bundled sample directory (see [`super::dir_digest`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_sha256: Option<String>,
    /// The dataset manifest (`datasets/<name>-<version>.toml`), pinning the
    /// official files `scorebox data fetch` downloads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// sha256 of the dataset manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_sha256: Option<String>,
}

impl ComponentEntry {
    /// `name@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// Whether it plays `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// The first 12 hex digits of its sha256.
    pub fn short_hash(&self) -> &str {
        &self.sha256[..self.sha256.len().min(12)]
    }
}

/// The parsed `index.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Components, sorted by name then version.
    #[serde(default, rename = "component")]
    pub components: Vec<ComponentEntry>,
}

const HEADER: &str = "# scorebox registry index. Each component name@version is immutable once\n\
# published: a change is a new version. Built-in entries are written by\n\
# `cargo xtask plugins build`; third-party ones by `scorebox plugin add`.\n\n";

impl Index {
    /// Reads `path`; a missing file is an empty index.
    ///
    /// # Errors
    /// [`RegistryError::Io`] or [`RegistryError::Parse`].
    pub fn read(path: &Path) -> Result<Index, RegistryError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Index::default()),
            Err(e) => return Err(RegistryError::io(path, e)),
        };
        toml::from_str(&text).map_err(|e| RegistryError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Writes the index, sorted, with its header comment.
    ///
    /// # Errors
    /// [`RegistryError::Io`].
    pub fn write(&self, path: &Path) -> Result<(), RegistryError> {
        let mut sorted = self.clone();
        sorted.sort();
        let body = toml::to_string_pretty(&sorted).map_err(|e| RegistryError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        std::fs::write(path, format!("{HEADER}{body}")).map_err(|e| RegistryError::io(path, e))
    }

    /// Sorts by name, then by semver (numeric components), then version text.
    pub fn sort(&mut self) {
        self.components.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then_with(|| version_key(&a.version).cmp(&version_key(&b.version)))
        });
    }

    /// The entry for `name@version`, if present.
    pub fn get(&self, name: &str, version: &str) -> Option<&ComponentEntry> {
        self.components
            .iter()
            .find(|c| c.name == name && c.version == version)
    }
}

/// A sort key for a version string: numeric parts compared as numbers.
pub fn version_key(version: &str) -> Vec<(u64, String)> {
    version
        .split(['.', '-', '+'])
        .map(|part| match part.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, part.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_numerically() {
        assert!(version_key("0.10.0") > version_key("0.9.3"));
        assert!(version_key("1.0.0") > version_key("0.99.99"));
    }

    #[test]
    fn index_round_trips() {
        let entry = ComponentEntry {
            name: "mmlu".into(),
            version: "0.1.0".into(),
            roles: vec!["loader".into(), "scorer".into()],
            wit: "0.1.0".into(),
            description: "d".into(),
            file: "components/mmlu-0.1.0.wasm".into(),
            sha256: "ab".repeat(32),
            size: 3,
            capabilities: vec![],
            source: "plugins/mmlu".into(),
            sample: Some("samples/mmlu-0.1.0".into()),
            sample_sha256: Some("cd".repeat(32)),
            dataset: None,
            dataset_sha256: None,
        };
        let index = Index {
            components: vec![entry],
        };
        let dir = std::env::temp_dir().join(format!("scorebox-index-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("index.toml");
        index.write(&path).unwrap();
        assert_eq!(Index::read(&path).unwrap(), index);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
