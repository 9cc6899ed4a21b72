//! Developer tasks: `cargo xtask plugins build`, `cargo xtask plugins check`,
//! `cargo xtask deps` and `cargo xtask test`.
//!
//! `deps` makes sure the native build dependencies of the `local` model
//! backend (llama.cpp: cmake, a C++ compiler and libclang) are there, installing them with
//! apt-get when it runs as root on Debian, else saying what to install.
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

const USAGE: &str = "usage: cargo xtask plugins build | cargo xtask plugins check | cargo xtask deps | cargo xtask test";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["plugins", "build"] => plugins(Mode::Build),
        ["plugins", "check"] => plugins(Mode::Check),
        ["deps"] => native_deps(),
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
///
/// All crates are built in one workspace build, whose dependency features
/// cargo unifies over every plugin: a new plugin that enables more of a
/// shared dependency (say `regex`) changes the bytes of the others, and
/// `plugins check` catches it. Building each crate on its own (`-p`) would
/// isolate them, but changes the bytes of the published components built
/// together; switch when every plugin next bumps its version.
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
    let crates = plugin_crates(&root)?;
    build_wasm(&root)?;
    let sandbox = Sandbox::new(Limits::default(), None)?;
    let index_path = registry.join("index.toml");
    let mut index = Index::read(&index_path)?;
    let mut problems = Vec::new();
    for krate in crates {
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
    native_deps()?;
    let root = repo_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |what: &str, args: &[&str]| -> Result<()> {
        eprintln!("== {what}");
        let status = Command::new(&cargo)
            .current_dir(&root)
            .args(args)
            // The local backend's tests fail, rather than skip, without the model.
            .env("SCOREBOX_REQUIRE_MODEL", "1")
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
    // The local backend's tests run against the real default model: fetch
    // it (pip, sha256-verified; a no-op when cached) and require it.
    run(
        "the default model",
        &["run", "--release", "--locked", "-q", "--", "model", "fetch"],
    )?;
    run(
        "host tests",
        &["test", "--release", "--locked", "--workspace"],
    )?;
    Ok(())
}

/// Debian packages the `local` backend's build needs (llama.cpp's CMake
/// build with a C++ compiler, and bindgen's libclang).
const NATIVE_PACKAGES: &[&str] = &["cmake", "g++", "libclang-dev"];

/// Makes sure cmake, a C++ compiler and libclang are there for building llama.cpp; installs
/// them with apt-get when running as root on Debian, else says what to do.
fn native_deps() -> Result<()> {
    let missing = missing_native_deps();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let has_apt = Command::new("apt-get").arg("--version").output().is_ok();
    if !(is_root && has_apt) {
        bail!(
            "the local model backend (llama.cpp) needs {} to build: install {} \
             (Debian/Ubuntu: `sudo apt-get install -y {}`), or build without it \
             with `--no-default-features`",
            missing.join(" and "),
            NATIVE_PACKAGES.join(" "),
            NATIVE_PACKAGES.join(" ")
        );
    }
    eprintln!(
        "== installing what llama.cpp's build needs ({}): apt-get install {}",
        missing.join(", "),
        NATIVE_PACKAGES.join(" ")
    );
    let apt = |args: &[&str]| -> Result<()> {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("running apt-get")?;
        if !status.success() {
            bail!("apt-get {} failed", args.join(" "));
        }
        Ok(())
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(NATIVE_PACKAGES);
    apt(&install)?;
    let still = missing_native_deps();
    if !still.is_empty() {
        bail!("still missing after apt-get: {}", still.join(", "));
    }
    Ok(())
}

/// Which of cmake, a C++ compiler and libclang cannot be found.
fn missing_native_deps() -> Vec<&'static str> {
    let mut missing = Vec::new();
    if Command::new("cmake").arg("--version").output().is_err() {
        missing.push("cmake");
    }
    if Command::new("c++").arg("--version").output().is_err() {
        missing.push("a C++ compiler");
    }
    if !has_libclang() {
        missing.push("libclang");
    }
    missing
}

/// Whether bindgen will find a libclang: `$LIBCLANG_PATH`, or where Debian's
/// libclang-dev puts it.
fn has_libclang() -> bool {
    // libclang.so, libclang.so.1, libclang-14.so.1; not libclang-cpp.so.
    let is_libclang = |name: &str| {
        name.strip_prefix("libclang").is_some_and(|rest| {
            rest.starts_with(".so")
                || rest.strip_prefix('-').is_some_and(|v| {
                    v.starts_with(|c: char| c.is_ascii_digit()) && v.contains(".so")
                })
        })
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("LIBCLANG_PATH") {
        dirs.push(PathBuf::from(p));
    }
    dirs.push(PathBuf::from("/usr/lib/x86_64-linux-gnu"));
    dirs.push(PathBuf::from("/usr/lib/aarch64-linux-gnu"));
    dirs.push(PathBuf::from("/usr/lib"));
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with("llvm-") {
                dirs.push(e.path().join("lib"));
            }
        }
    }
    dirs.iter().any(|d| {
        std::fs::read_dir(d).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| is_libclang(&e.file_name().to_string_lossy()))
        })
    })
}
