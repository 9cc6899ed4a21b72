//! `scorebox plugin add`: pin and register a third-party component.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use scorebox::registry::{ComponentEntry, RegistryError, RegistryRoot};
use scorebox::runtime::wit::Capability;
use scorebox::runtime::{Limits, PluginId};

use super::Paths;

/// Verifies `file` against `sha256`, reads its roles and info in the
/// sandbox, and adds it to the user's registry.
pub fn add(paths: &Paths, file: &Path, sha256: &str, limits: Limits) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sandbox = paths.sandbox(limits)?;
    let provisional = PluginId {
        name: file.display().to_string(),
        version: "?".into(),
    };
    let plugin = sandbox.load(&file.display().to_string(), &bytes, sha256, provisional)?;
    let mut instance = plugin.instantiate()?;
    let info = instance.info()?;
    let capabilities = if plugin.roles().scorer {
        instance.scorer_info()?.capabilities
    } else {
        Vec::new()
    };
    if info.name.is_empty()
        || !info
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        bail!(
            "{}: its info gives the name `{}`; names must be non-empty ASCII letters, digits, `-`, `_` or `.`",
            file.display(),
            info.name
        );
    }
    if info.version.is_empty()
        || !info
            .version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-+.".contains(c))
    {
        bail!(
            "{}: its info gives the version `{}`, which is not a version",
            file.display(),
            info.version
        );
    }
    let registry = paths.open_registry()?;
    let key = format!("{}@{}", info.name, info.version);
    if let Some(existing) = registry
        .components()
        .find(|c| c.entry.name == info.name && c.entry.version == info.version)
    {
        if existing.entry.sha256 == plugin.sha256() {
            println!("{key} is already registered with this sha256; nothing to do");
            return Ok(ExitCode::SUCCESS);
        }
        return Err(RegistryError::Immutable {
            key,
            existing: existing.entry.sha256,
        }
        .into());
    }
    let mut root = RegistryRoot::open(&paths.user_registry)?;
    let rel = format!("components/{}-{}.wasm", info.name, info.version);
    let dest = paths.user_registry.join(&rel);
    std::fs::create_dir_all(dest.parent().expect("has a parent"))
        .with_context(|| format!("creating {}", paths.user_registry.display()))?;
    std::fs::write(&dest, &bytes).with_context(|| format!("writing {}", dest.display()))?;
    let roles: Vec<String> = plugin
        .roles()
        .names()
        .into_iter()
        .map(String::from)
        .collect();
    root.index.components.push(ComponentEntry {
        name: info.name.clone(),
        version: info.version.clone(),
        roles: roles.clone(),
        wit: plugin.wit_version().to_string(),
        description: info.description.clone(),
        file: rel,
        sha256: plugin.sha256().to_string(),
        size: bytes.len() as u64,
        capabilities: capabilities
            .iter()
            .map(|c| match c {
                Capability::Judge => "judge".to_string(),
            })
            .collect(),
        source: format!("added from {}", file.display()),
        sample: None,
        sample_sha256: None,
        dataset: None,
        dataset_sha256: None,
    });
    root.index.write(&root.index_path())?;
    println!(
        "added {key} ({}) to {}",
        roles.join("+"),
        paths.user_registry.display()
    );
    println!(
        "run it with: scorebox run {} --data PATH --model SPEC",
        info.name
    );
    Ok(ExitCode::SUCCESS)
}
