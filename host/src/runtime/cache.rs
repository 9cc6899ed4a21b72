//! On-disk cache of compiled components, keyed by the component's sha256
//! and the engine's compatibility hash, so each component is compiled once
//! per host build and configuration.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Where compiled components live.
#[derive(Debug, Clone)]
pub struct CompileCache {
    dir: Option<PathBuf>,
    engine_key: String,
}

/// How a component was obtained, for the benchmark harness and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Loaded precompiled code from the cache.
    Hit,
    /// Compiled now (and stored, when the cache is on).
    Compiled,
}

impl CompileCache {
    /// A cache in `dir`, or none at all (`None` compiles every time).
    pub fn new(dir: Option<PathBuf>, engine: &Engine) -> Self {
        let mut hasher = Sha256Hasher(Sha256::new());
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let engine_key = hex::encode(&hasher.0.finalize()[..8]);
        CompileCache { dir, engine_key }
    }

    /// The cache file for a component with this sha256.
    pub fn path_for(&self, sha256: &str) -> Option<PathBuf> {
        self.dir
            .as_ref()
            .map(|d| d.join(format!("{sha256}-{}.cwasm", self.engine_key)))
    }

    /// Returns the compiled component for `bytes`, whose sha256 the caller
    /// has already verified to be `sha256`.
    ///
    /// # Errors
    /// wasmtime's compile error; cache read/write problems are not errors
    /// (the component is compiled instead, and a warning-free retry happens
    /// next time).
    pub fn load(
        &self,
        engine: &Engine,
        sha256: &str,
        bytes: &[u8],
    ) -> wasmtime::Result<(Component, CacheOutcome)> {
        if let Some(path) = self.path_for(sha256)
            && path.exists()
        {
            // SAFETY: files in the cache directory are written only by this
            // function, from `Component::serialize` of the same engine
            // configuration (the file name carries the engine's compatibility
            // hash); the cache directory is the user's own.
            if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
                return Ok((component, CacheOutcome::Hit));
            }
        }
        let component = Component::new(engine, bytes)?;
        if let Some(path) = self.path_for(sha256)
            && let Ok(serialized) = component.serialize()
        {
            let _ = write_atomically(&path, &serialized);
        }
        Ok((component, CacheOutcome::Compiled))
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Feeds `Hash` output into sha256 so the key is stable across processes
/// (std's `DefaultHasher` is not promised to be).
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

use std::hash::Hash;
