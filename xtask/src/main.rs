//! Developer tasks: `cargo xtask plugins build`, `cargo xtask plugins check`
//! and `cargo xtask test`.
//!
//! `plugins build` compiles every plugin crate under `plugins/` for
//! wasm32-wasip2 reproducibly (the release profile of `plugins/Cargo.toml`
//! sets panic=abort, lto, codegen-units=1, strip; paths are remapped here),
//! reads each component's roles and info in the sandbox, copies it to
//! `registry/components/<name>-<version>.wasm` and its bundled sample to
//! `registry/samples/<name>-<version>/`, and rewrites `registry/index.toml`.
//! A version already published on `main` is never overwritten: change the
//! version instead. `plugins check` rebuilds and fails if anything differs
//! from what is committed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use scorebox::registry::{ComponentEntry, Index, dir_digest};
use scorebox::runtime::wit::Capability;
use scorebox::runtime::{Limits, PluginId, Sandbox, sha256_hex};

const USAGE: &str =
    "usage: cargo xtask plugins build | cargo xtask plugins check | cargo xtask test";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["plugins", "build"] => plugins(Mode::Build),
        ["plugins", "check"] => plugins(Mode::Check),
        ["test"] => test(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Build,
    Check,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repo")
        .to_path_buf()
}

/// A plugin crate: its directory, package name and version.
struct Crate {
    dir: PathBuf,
    name: String,
    version: String,
}

fn plugin_crates(root: &Path) -> Result<Vec<Crate>> {
    let mut crates = Vec::new();
    let plugins = root.join("plugins");
    for entry in
        std::fs::read_dir(&plugins).with_context(|| format!("reading {}", plugins.display()))?
    {
        let dir = entry?.path();
        let manifest = dir.join("Cargo.toml");
        if dir.file_name().is_some_and(|n| n == "sdk") || !manifest.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&manifest)?;
        let doc: toml::Table =
            toml::from_str(&text).with_context(|| format!("parsing {}", manifest.display()))?;
        let package = doc
            .get("package")
            .and_then(|p| p.as_table())
            .context("no [package]")?;
        let get = |k: &str| package.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        crates.push(Crate {
            dir: dir.clone(),
            name: get("name").context("package.name")?,
            version: get("version").with_context(|| {
                format!(
                    "{}: package.version must be set in the crate",
                    manifest.display()
                )
            })?,
        });
    }
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(crates)
}

/// Builds every plugin crate for wasm32-wasip2 with paths remapped, so the
/// bytes do not depend on where the checkout or the cargo home is.
fn build_wasm(root: &Path) -> Result<()> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let flags = [
        format!("--remap-path-prefix={}=/scorebox", root.display()),
        format!("--remap-path-prefix={}=/cargo", cargo_home.display()),
    ]
    .join("\x1f");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            "wasm32-wasip2",
            "--manifest-path",
        ])
        .arg(root.join("plugins/Cargo.toml"))
        .env("CARGO_ENCODED_RUSTFLAGS", flags)
        .env_remove("RUSTFLAGS")
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("building the plugins failed");
    }
    Ok(())
}

fn plugins(mode: Mode) -> Result<()> {
    let root = repo_root();
    let registry = root.join("registry");
    build_wasm(&root)?;
    let sandbox = Sandbox::new(Limits::default(), None)?;
    let index_path = registry.join("index.toml");
    let mut index = Index::read(&index_path)?;
    let mut problems = Vec::new();
    for krate in plugin_crates(&root)? {
        let built = root
            .join("plugins/target/wasm32-wasip2/release")
            .join(format!("{}.wasm", krate.name.replace('-', "_")));
        let bytes =
            std::fs::read(&built).with_context(|| format!("reading {}", built.display()))?;
        let sha256 = sha256_hex(&bytes);
        let id = PluginId {
            name: krate.name.clone(),
            version: krate.version.clone(),
        };
        let plugin = sandbox.load(&built.display().to_string(), &bytes, &sha256, id)?;
        let mut instance = plugin.instantiate()?;
        let info = instance.info()?;
        let capabilities = if plugin.roles().scorer {
            instance.scorer_info()?.capabilities
        } else {
            Vec::new()
        };
        if info.name != krate.name || info.version != krate.version {
            bail!(
                "{}: the plugin calls itself {}@{} but its crate is {}@{}; make them agree",
                krate.dir.display(),
                info.name,
                info.version,
                krate.name,
                krate.version
            );
        }
        let key = format!("{}@{}", krate.name, krate.version);
        let file = format!("components/{}-{}.wasm", krate.name, krate.version);
        let sample_src = krate.dir.join("sample");
        let sample_rel = format!("samples/{}-{}", krate.name, krate.version);
        let sample_digest = if sample_src.exists() {
            Some(dir_digest(&sample_src)?)
        } else {
            None
        };
        let dataset_src = krate.dir.join("dataset.toml");
        let dataset_rel = format!("datasets/{}-{}.toml", krate.name, krate.version);
        let dataset_bytes = std::fs::read(&dataset_src).ok();
        if dataset_bytes.is_some() {
            scorebox::registry::DatasetManifest::read(&dataset_src)?;
        }
        let entry = ComponentEntry {
            name: krate.name.clone(),
            version: krate.version.clone(),
            roles: plugin
                .roles()
                .names()
                .into_iter()
                .map(String::from)
                .collect(),
            wit: plugin.wit_version().to_string(),
            description: info.description.clone(),
            file: file.clone(),
            sha256: sha256.clone(),
            size: bytes.len() as u64,
            capabilities: capabilities
                .iter()
                .map(|c| match c {
                    Capability::Judge => "judge".to_string(),
                })
                .collect(),
            source: format!(
                "plugins/{}",
                krate.dir.file_name().unwrap_or_default().to_string_lossy()
            ),
            sample: sample_digest.as_ref().map(|_| sample_rel.clone()),
            sample_sha256: sample_digest.clone(),
            dataset: dataset_bytes.as_ref().map(|_| dataset_rel.clone()),
            dataset_sha256: dataset_bytes.as_ref().map(|b| sha256_hex(b)),
        };
        match mode {
            Mode::Check => {
                let committed = std::fs::read(registry.join(&file))
                    .ok()
                    .map(|b| sha256_hex(&b));
                if committed.as_deref() != Some(sha256.as_str()) {
                    problems.push(format!(
                        "{key}: the rebuilt component has sha256 {sha256}, the committed {file} has {}",
                        committed.unwrap_or_else(|| "nothing (missing)".into())
                    ));
                }
                if let Some(digest) = &sample_digest {
                    let committed = dir_digest(&registry.join(&sample_rel)).ok();
                    if committed.as_ref() != Some(digest) {
                        problems.push(format!(
                            "{key}: plugins/…/sample differs from the committed {sample_rel}"
                        ));
                    }
                }
                if let Some(bytes) = &dataset_bytes
                    && std::fs::read(registry.join(&dataset_rel)).ok().as_ref() != Some(bytes)
                {
                    problems.push(format!(
                        "{key}: dataset.toml differs from the committed {dataset_rel}"
                    ));
                }
                match index.get(&krate.name, &krate.version) {
                    Some(e) if *e == entry => {}
                    Some(_) => problems.push(format!(
                        "{key}: registry/index.toml's entry differs from the rebuilt one"
                    )),
                    None => problems.push(format!("{key}: missing from registry/index.toml")),
                }
                println!("checked {key}  {sha256}");
            }
            Mode::Build => {
                let dest = registry.join(&file);
                if let Ok(existing) = std::fs::read(&dest)
                    && sha256_hex(&existing) != sha256
                    && published_on_main(&root, &format!("registry/{file}"))
                {
                    bail!(
                        "{key} is published (registry/{file} is committed) and the rebuilt component differs; \
                         published versions are immutable: bump the version in {}/Cargo.toml and the plugin's info",
                        krate.dir.display()
                    );
                }
                std::fs::create_dir_all(dest.parent().expect("has a parent"))?;
                std::fs::write(&dest, &bytes)?;
                let sample_dest = registry.join(&sample_rel);
                if sample_dest.exists() {
                    std::fs::remove_dir_all(&sample_dest)?;
                }
                if sample_src.exists() {
                    copy_dir(&sample_src, &sample_dest)?;
                }
                if let Some(bytes) = &dataset_bytes {
                    let dest = registry.join(&dataset_rel);
                    std::fs::create_dir_all(dest.parent().expect("has a parent"))?;
                    std::fs::write(dest, bytes)?;
                }
                index
                    .components
                    .retain(|c| !(c.name == krate.name && c.version == krate.version));
                index.components.push(entry);
                println!("built {key}  {sha256}  ({} bytes)", bytes.len());
            }
        }
    }
    for entry in &index.components {
        let path = registry.join(&entry.file);
        match std::fs::read(&path) {
            Ok(b) if sha256_hex(&b) == entry.sha256 => {}
            Ok(_) => problems.push(format!(
                "{}: {} does not match its index entry",
                entry.key(),
                entry.file
            )),
            Err(_) => problems.push(format!(
                "{}: {} is listed in the index but missing",
                entry.key(),
                entry.file
            )),
        }
    }
    if mode == Mode::Build {
        index.write(&index_path)?;
        if !problems.is_empty() {
            bail!("the registry is inconsistent:\n  {}", problems.join("\n  "));
        }
        println!("wrote {}", index_path.display());
    } else if !problems.is_empty() {
        bail!(
            "the committed registry differs from a fresh build:\n  {}\nRun `cargo xtask plugins build` and commit the result (bump the version of a published plugin).",
            problems.join("\n  ")
        );
    } else {
        println!("the committed registry matches a fresh build");
    }
    Ok(())
}

/// Whether `rel` exists in the commit `main` points to.
fn published_on_main(root: &Path, rel: &str) -> bool {
    Command::new("git")
        .current_dir(root)
        .args(["cat-file", "-e", &format!("main:{rel}")])
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(true)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The whole test suite: the plugins' native tests, then the host's unit
/// and end-to-end tests (which build the hostile fixtures).
fn test() -> Result<()> {
    let root = repo_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |what: &str, args: &[&str]| -> Result<()> {
        eprintln!("== {what}");
        let status = Command::new(&cargo)
            .current_dir(&root)
            .args(args)
            .status()
            .context("running cargo")?;
        if !status.success() {
            bail!("{what} failed");
        }
        Ok(())
    };
    run(
        "plugin tests (native)",
        &[
            "test",
            "--release",
            "--locked",
            "--manifest-path",
            "plugins/Cargo.toml",
        ],
    )?;
    run(
        "host tests",
        &["test", "--release", "--locked", "--workspace"],
    )?;
    Ok(())
}
