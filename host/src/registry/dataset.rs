//! Dataset manifests: the official files of a benchmark on the Hugging
//! Face Hub, pinned by revision and sha256, which `scorebox data fetch`
//! downloads and `scorebox run --data hub` uses.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::RegistryError;

/// One pinned file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetFile {
    /// Path inside the Hub repository, e.g. `data/test-00000-of-00001.parquet`.
    pub path: String,
    /// Lower-case hex sha256 of its bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// A benchmark's pinned dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetManifest {
    /// The Hub dataset repository, e.g. `TIGER-Lab/MMLU-Pro`.
    pub repo: String,
    /// The commit the files are pinned at (never a branch name).
    pub revision: String,
    /// Whether the dataset is gated (needs `HF_TOKEN` and accepted terms).
    #[serde(default)]
    pub gated: bool,
    /// The dataset's license, as its card states it.
    #[serde(default)]
    pub license: String,
    /// The files.
    #[serde(rename = "file")]
    pub files: Vec<DatasetFile>,
}

impl DatasetManifest {
    /// Reads a manifest.
    ///
    /// # Errors
    /// [`RegistryError`] when it cannot be read or parsed, or pins a
    /// revision that is not a commit hash.
    pub fn read(path: &Path) -> Result<Self, RegistryError> {
        let text = std::fs::read_to_string(path).map_err(|e| RegistryError::io(path, e))?;
        let manifest: DatasetManifest =
            toml::from_str(&text).map_err(|e| RegistryError::Parse {
                path: path.into(),
                message: e.to_string(),
            })?;
        if manifest.revision.len() != 40
            || !manifest.revision.chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(RegistryError::Parse {
                path: path.into(),
                message: format!(
                    "revision `{}` is not a 40-digit commit hash; pin a commit, not a branch",
                    manifest.revision
                ),
            });
        }
        Ok(manifest)
    }

    /// Where fetched files live: `<data root>/<benchmark>/<revision>/`.
    pub fn local_dir(&self, data_root: &Path, benchmark: &str) -> PathBuf {
        data_root.join(benchmark).join(&self.revision)
    }
}
