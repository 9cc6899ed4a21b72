//! `scorebox data fetch <bench>`: download a benchmark's official files
//! from the Hugging Face Hub at the revision its manifest pins, verify each
//! file's sha256, and store them where `scorebox run --data hub` finds them.
//!
//! `HF_TOKEN` is sent for gated datasets; `HF_ENDPOINT` points at a mirror
//! (default `https://huggingface.co`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use scorebox::registry::{DatasetFile, DatasetManifest};
use sha2::{Digest, Sha256};

use super::Paths;

/// Fetches every file of `spec`'s manifest that is not already present and verified.
pub fn fetch(paths: &Paths, spec: &str) -> Result<ExitCode> {
    let registry = paths.open_registry()?;
    let bench = registry.resolve(spec)?;
    let manifest = bench.loader.dataset()?.with_context(|| {
        format!(
            "{} pins no dataset to fetch (no dataset manifest in the registry); download the files named by `scorebox info {}` yourself and pass them with --data PATH",
            bench.loader.entry.key(),
            bench.name
        )
    })?;
    let dir = manifest.local_dir(&paths.data_root, &bench.name);
    let endpoint = std::env::var("HF_ENDPOINT").unwrap_or_else(|_| "https://huggingface.co".into());
    let endpoint = endpoint.trim_end_matches('/');
    let token = std::env::var("HF_TOKEN").ok().filter(|t| !t.is_empty());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .build()
        .context("building the HTTP client")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut fetched = 0;
    for file in &manifest.files {
        let dest = dir.join(&file.path);
        if dest.exists() && verify(&dest, file).is_ok() {
            continue;
        }
        let url = format!(
            "{endpoint}/datasets/{}/resolve/{}/{}",
            manifest.repo, manifest.revision, file.path
        );
        eprintln!("fetching {url}");
        runtime.block_on(download(
            &client,
            &url,
            token.as_deref(),
            &dest,
            file,
            &manifest,
        ))?;
        fetched += 1;
    }
    println!(
        "{}: {} files of {}@{} in {} ({fetched} fetched, all sha256-verified)",
        bench.name,
        manifest.files.len(),
        manifest.repo,
        &manifest.revision[..12],
        dir.display()
    );
    println!(
        "run it with: scorebox run {} --data hub --model SPEC",
        bench.name
    );
    Ok(ExitCode::SUCCESS)
}

async fn download(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    dest: &Path,
    file: &DatasetFile,
    manifest: &DatasetManifest,
) -> Result<()> {
    use std::io::Write;
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let mut response = request
        .send()
        .await
        .with_context(|| format!("fetching {url}"))?;
    let status = response.status();
    if status.as_u16() == 401 || status.as_u16() == 403 {
        bail!(
            "{url}: HTTP {status}: {} is {}; accept its terms on the Hub and set HF_TOKEN to a token of that account",
            manifest.repo,
            if manifest.gated {
                "gated"
            } else {
                "not accessible with the given credentials"
            }
        );
    }
    if !status.is_success() {
        bail!("{url}: HTTP {status}");
    }
    std::fs::create_dir_all(dest.parent().expect("a file has a parent"))?;
    let part = dest.with_extension("part");
    let mut out =
        std::fs::File::create(&part).with_context(|| format!("writing {}", part.display()))?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("reading {url}"))?
    {
        hasher.update(&chunk);
        size += chunk.len() as u64;
        out.write_all(&chunk)?;
    }
    drop(out);
    let actual = hex::encode(hasher.finalize());
    if actual != file.sha256 || size != file.size {
        let _ = std::fs::remove_file(&part);
        bail!(
            "{url}: got {size} bytes with sha256 {actual}, the manifest pins {} bytes with sha256 {}; refusing the file",
            file.size,
            file.sha256
        );
    }
    std::fs::rename(&part, dest)?;
    Ok(())
}

/// Checks a stored file against its pin.
pub fn verify(path: &Path, file: &DatasetFile) -> Result<()> {
    let bytes = std::fs::read(path)?;
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != file.sha256 {
        bail!(
            "{} has sha256 {actual}, the manifest pins {}",
            path.display(),
            file.sha256
        );
    }
    Ok(())
}
