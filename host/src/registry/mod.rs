//! The registry: which components exist, where their bytes and bundled
//! samples are, and which exact ones a run used (`scorebox.lock`).
//!
//! Two roots are merged: the built-in registry (`registry/` of the source
//! tree, or `--registry`) and the user's registry of third-party components
//! added with `scorebox plugin add` (`$SCOREBOX_HOME/registry`).

mod dataset;
mod index;
mod lock;
mod suite;

use std::path::{Path, PathBuf};

pub use dataset::{DatasetFile, DatasetManifest};
pub use index::{ComponentEntry, Index, version_key};
pub use lock::{LockedComponent, LockedData, Lockfile};
pub use suite::{Suite, SuiteMember, read_suites};

/// Registry failures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Reading or writing a registry file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A registry or lock file does not parse.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// No component or suite has that name.
    #[error(
        "no benchmark named `{name}` in the registry (benchmarks: {}; suites: {})",
        known.join(", "),
        if suites.is_empty() { "none".to_string() } else { suites.join(", ") }
    )]
    UnknownBenchmark {
        /// The name asked for.
        name: String,
        /// The benchmark names that exist.
        known: Vec<String>,
        /// The suite names that exist.
        suites: Vec<String>,
    },
    /// The name exists but not at that version.
    #[error("`{name}` has no version {version} (available: {})", available.join(", "))]
    UnknownVersion {
        /// The name.
        name: String,
        /// The version asked for.
        version: String,
        /// Versions that exist.
        available: Vec<String>,
    },
    /// No component of that name plays the role.
    #[error("`{name}` has no {role} component{}", version.as_ref().map(|v| format!(" at version {v}")).unwrap_or_default())]
    MissingRole {
        /// The benchmark.
        name: String,
        /// `loader` or `scorer`.
        role: &'static str,
        /// The version asked for, if any.
        version: Option<String>,
    },
    /// A name@version is already published with different bytes.
    #[error(
        "{key} is already in the registry with sha256 {existing}; a published version never changes — give the new component a new version"
    )]
    Immutable {
        /// `name@version`.
        key: String,
        /// The published hash.
        existing: String,
    },
    /// `--locked` found a difference from the lockfile.
    #[error("the run differs from {}:\n  {}\n(run without --locked to update the lockfile)", path.display(), drift.join("\n  "))]
    LockDrift {
        /// The lockfile.
        path: PathBuf,
        /// One line per difference.
        drift: Vec<String>,
    },
}

impl RegistryError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        RegistryError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// One registry directory and its index.
#[derive(Debug, Clone)]
pub struct RegistryRoot {
    /// The directory holding `index.toml`.
    pub dir: PathBuf,
    /// Its parsed index.
    pub index: Index,
}

impl RegistryRoot {
    /// Opens `dir` (a missing index is empty).
    ///
    /// # Errors
    /// The index cannot be read or parsed.
    pub fn open(dir: &Path) -> Result<Self, RegistryError> {
        Ok(RegistryRoot {
            dir: dir.to_path_buf(),
            index: Index::read(&dir.join("index.toml"))?,
        })
    }

    /// Path of `index.toml`.
    pub fn index_path(&self) -> PathBuf {
        self.dir.join("index.toml")
    }
}

/// A component entry together with the directory it lives in.
#[derive(Debug, Clone)]
pub struct Located {
    /// The entry.
    pub entry: ComponentEntry,
    /// The registry root it came from.
    pub root: PathBuf,
}

impl Located {
    /// Path of the component file.
    pub fn path(&self) -> PathBuf {
        self.root.join(&self.entry.file)
    }

    /// Path of the bundled sample directory, if it has one.
    pub fn sample_dir(&self) -> Option<PathBuf> {
        self.entry.sample.as_ref().map(|s| self.root.join(s))
    }

    /// The dataset manifest, if the component pins one (verified against
    /// the index's sha256).
    ///
    /// # Errors
    /// [`RegistryError`] when it cannot be read, differs from its pin, or
    /// does not parse.
    pub fn dataset(&self) -> Result<Option<DatasetManifest>, RegistryError> {
        let Some(rel) = &self.entry.dataset else {
            return Ok(None);
        };
        let path = self.root.join(rel);
        let bytes = std::fs::read(&path).map_err(|e| RegistryError::io(&path, e))?;
        if let Some(expected) = &self.entry.dataset_sha256 {
            let actual = crate::runtime::sha256_hex(&bytes);
            if &actual != expected {
                return Err(RegistryError::Parse {
                    path,
                    message: format!("sha256 {actual} differs from the index's {expected}"),
                });
            }
        }
        DatasetManifest::read(&path).map(Some)
    }

    /// Reads the component's bytes (unverified: the sandbox checks them).
    ///
    /// # Errors
    /// [`RegistryError::Io`].
    pub fn read(&self) -> Result<Vec<u8>, RegistryError> {
        let path = self.path();
        std::fs::read(&path).map_err(|e| RegistryError::io(&path, e))
    }
}

/// The components one benchmark run needs.
#[derive(Debug, Clone)]
pub struct Benchmark {
    /// Benchmark name.
    pub name: String,
    /// Its loader.
    pub loader: Located,
    /// Its scorer (the same entry when one component plays both roles).
    pub scorer: Located,
}

/// The merged registry.
#[derive(Debug, Clone)]
pub struct Registry {
    /// Built-in first, then the user's.
    pub roots: Vec<RegistryRoot>,
    /// Suites of the built-in registry.
    pub suites: Vec<Suite>,
}

impl Registry {
    /// Opens the built-in registry and, if given, the user's.
    ///
    /// # Errors
    /// An index cannot be read or parsed.
    pub fn open(builtin: &Path, user: Option<&Path>) -> Result<Self, RegistryError> {
        let mut roots = vec![RegistryRoot::open(builtin)?];
        if let Some(user) = user {
            roots.push(RegistryRoot::open(user)?);
        }
        Ok(Registry {
            roots,
            suites: read_suites(builtin)?,
        })
    }

    /// Every component, with its root.
    pub fn components(&self) -> impl Iterator<Item = Located> + '_ {
        self.roots.iter().flat_map(|root| {
            root.index.components.iter().map(|entry| Located {
                entry: entry.clone(),
                root: root.dir.clone(),
            })
        })
    }

    /// The suite called `name`, if there is one.
    pub fn suite(&self, name: &str) -> Option<&Suite> {
        self.suites.iter().find(|s| s.name == name)
    }

    /// Resolves `name` or `name@version` to a loader and a scorer: the newest
    /// version that has the role, or exactly the version asked for.
    ///
    /// # Errors
    /// Unknown name or version, or a missing role.
    pub fn resolve(&self, spec: &str) -> Result<Benchmark, RegistryError> {
        let (name, version) = match spec.split_once('@') {
            Some((n, v)) => (n, Some(v)),
            None => (spec, None),
        };
        let mut candidates: Vec<Located> =
            self.components().filter(|c| c.entry.name == name).collect();
        if candidates.is_empty() {
            let mut known: Vec<String> = self.components().map(|c| c.entry.name).collect();
            known.sort();
            known.dedup();
            let suites = self.suites.iter().map(|s| s.name.clone()).collect();
            return Err(RegistryError::UnknownBenchmark {
                name: name.into(),
                known,
                suites,
            });
        }
        if let Some(version) = version {
            let available: Vec<String> =
                candidates.iter().map(|c| c.entry.version.clone()).collect();
            candidates.retain(|c| c.entry.version == version);
            if candidates.is_empty() {
                return Err(RegistryError::UnknownVersion {
                    name: name.into(),
                    version: version.into(),
                    available,
                });
            }
        }
        candidates.sort_by_key(|c| std::cmp::Reverse(version_key(&c.entry.version)));
        let pick = |role: &'static str| {
            candidates
                .iter()
                .find(|c| c.entry.has_role(role))
                .cloned()
                .ok_or_else(|| RegistryError::MissingRole {
                    name: name.into(),
                    role,
                    version: version.map(str::to_owned),
                })
        };
        Ok(Benchmark {
            name: name.into(),
            loader: pick("loader")?,
            scorer: pick("scorer")?,
        })
    }
}

/// Digest of a directory's files: sha256 over the sorted lines
/// `<relative path>\0<sha256 of file>\n`. Stable across machines.
///
/// # Errors
/// [`RegistryError::Io`] while walking or reading.
pub fn dir_digest(dir: &Path) -> Result<String, RegistryError> {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for (rel, path) in files {
        let bytes = std::fs::read(&path).map_err(|e| RegistryError::io(&path, e))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update(hex::encode(Sha256::digest(&bytes)).as_bytes());
        hasher.update(b"\n");
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Lists the regular files under `dir` as (relative `/`-path, full path).
///
/// # Errors
/// [`RegistryError::Io`].
pub fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), RegistryError> {
    let entries = std::fs::read_dir(dir).map_err(|e| RegistryError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| RegistryError::io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| RegistryError::io(&path, e))?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
    Ok(())
}
