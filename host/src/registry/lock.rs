//! `scorebox.lock`: the exact components and data files a run used.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::RegistryError;

/// A pinned component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LockedComponent {
    /// Component name.
    pub name: String,
    /// Component version.
    pub version: String,
    /// Roles it played in the run.
    pub roles: Vec<String>,
    /// sha256 of its bytes.
    pub sha256: String,
}

/// A pinned data file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LockedData {
    /// The benchmark that read it.
    pub benchmark: String,
    /// Its path relative to the data root.
    pub path: String,
    /// sha256 of its bytes.
    pub sha256: String,
}

/// The lockfile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockfile {
    /// Components used.
    #[serde(default, rename = "component")]
    pub components: Vec<LockedComponent>,
    /// Data files used.
    #[serde(default, rename = "data")]
    pub data: Vec<LockedData>,
}

const HEADER: &str = "# scorebox.lock: the exact components and data files a run used.\n\
# `scorebox run --locked` refuses to run if anything differs.\n\n";

impl Lockfile {
    /// Reads a lockfile.
    ///
    /// # Errors
    /// Missing, unreadable or malformed file.
    pub fn read(path: &Path) -> Result<Self, RegistryError> {
        let text = std::fs::read_to_string(path).map_err(|e| RegistryError::io(path, e))?;
        toml::from_str(&text).map_err(|e| RegistryError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Writes the lockfile (sorted).
    ///
    /// # Errors
    /// [`RegistryError::Io`].
    pub fn write(&self, path: &Path) -> Result<(), RegistryError> {
        let mut sorted = self.clone();
        sorted.components.sort();
        sorted.components.dedup();
        sorted.data.sort();
        sorted.data.dedup();
        let body = toml::to_string_pretty(&sorted).map_err(|e| RegistryError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        std::fs::write(path, format!("{HEADER}{body}")).map_err(|e| RegistryError::io(path, e))
    }

    /// The differences between `self` (what this run would use) and `pinned`,
    /// one line each; empty when they agree.
    pub fn drift_from(&self, pinned: &Lockfile) -> Vec<String> {
        let mut drift = Vec::new();
        for c in &self.components {
            match pinned
                .components
                .iter()
                .find(|p| p.name == c.name && p.roles == c.roles)
            {
                None => drift.push(format!(
                    "component {}@{} ({}) is not in the lockfile",
                    c.name,
                    c.version,
                    c.roles.join("+")
                )),
                Some(p) if p.version != c.version || p.sha256 != c.sha256 => drift.push(format!(
                    "component {}: locked {}@{} sha256 {}, now {}@{} sha256 {}",
                    c.name, p.name, p.version, p.sha256, c.name, c.version, c.sha256
                )),
                Some(_) => {}
            }
        }
        for d in &self.data {
            match pinned
                .data
                .iter()
                .find(|p| p.benchmark == d.benchmark && p.path == d.path)
            {
                None => drift.push(format!(
                    "data file {} of {} is not in the lockfile",
                    d.path, d.benchmark
                )),
                Some(p) if p.sha256 != d.sha256 => drift.push(format!(
                    "data file {} of {}: locked sha256 {}, now {}",
                    d.path, d.benchmark, p.sha256, d.sha256
                )),
                Some(_) => {}
            }
        }
        for p in &pinned.data {
            if !self
                .data
                .iter()
                .any(|d| d.benchmark == p.benchmark && d.path == p.path)
            {
                drift.push(format!(
                    "data file {} of {} is locked but missing now",
                    p.path, p.benchmark
                ));
            }
        }
        drift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(sha: &str, data_sha: &str) -> Lockfile {
        Lockfile {
            components: vec![LockedComponent {
                name: "mmlu".into(),
                version: "0.1.0".into(),
                roles: vec!["loader".into(), "scorer".into()],
                sha256: sha.into(),
            }],
            data: vec![LockedData {
                benchmark: "mmlu".into(),
                path: "test/a.csv".into(),
                sha256: data_sha.into(),
            }],
        }
    }

    #[test]
    fn no_drift_when_equal_and_named_drift_otherwise() {
        assert!(lock("aa", "bb").drift_from(&lock("aa", "bb")).is_empty());
        let drift = lock("ac", "bb").drift_from(&lock("aa", "bb"));
        assert_eq!(drift.len(), 1);
        assert!(drift[0].contains("sha256 aa"), "{drift:?}");
        let drift = lock("aa", "bc").drift_from(&lock("aa", "bb"));
        assert!(drift[0].contains("test/a.csv"), "{drift:?}");
    }
}
