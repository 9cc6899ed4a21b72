//! The engine every plugin runs in, and loading a component into it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, InstancePre, Linker};
use wasmtime::{Config, Engine};

use super::Limits;
use super::cache::{CacheOutcome, CompileCache};
use super::fault::{LoadError, PluginId};
use super::plugin::{Plugin, Roles};
use super::wasi::{SandboxState, is_allowed_import};
use super::wit::{self, LoaderIndices, ScorerIndices};

/// How often the epoch ticks; the wall-clock backstop counts these ticks.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// One wasmtime engine with the sandbox's configuration, a linker that
/// grants nothing but the allowed WASI, and the compile cache.
#[derive(Clone)]
pub struct Sandbox {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<SandboxState>,
    pub(crate) limits: Limits,
    cache: CompileCache,
}

impl Sandbox {
    /// Creates the engine. `cache_dir` holds compiled components (`None`
    /// disables the cache).
    ///
    /// # Errors
    /// [`LoadError::Invalid`] if wasmtime rejects the configuration.
    pub fn new(limits: Limits, cache_dir: Option<PathBuf>) -> Result<Self, LoadError> {
        let invalid = |e: wasmtime::Error| LoadError::Invalid {
            what: "sandbox".into(),
            message: format!("{e:#}"),
        };
        let mut config = Config::new();
        config
            .wasm_component_model(true)
            .consume_fuel(limits.fuel_metering())
            .epoch_interruption(true)
            .max_wasm_stack(limits.max_stack)
            .cranelift_opt_level(wasmtime::OptLevel::Speed);
        let engine = Engine::new(&config).map_err(invalid)?;
        let mut linker = Linker::new(&engine);
        super::wasi::add_to_linker(&mut linker).map_err(invalid)?;
        for version in wit::SUPPORTED_VERSIONS {
            // The type-only interface plugins import: an empty instance.
            linker
                .instance(&format!("{}/types@{version}", wit::PACKAGE))
                .map_err(invalid)?;
        }
        start_epoch_ticker(engine.weak()).map_err(|e| LoadError::Io {
            what: "starting the epoch thread".into(),
            source: e,
        })?;
        let cache = CompileCache::new(cache_dir, &engine);
        Ok(Sandbox {
            shared: Arc::new(Shared {
                engine,
                linker,
                limits,
                cache,
            }),
        })
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> &Limits {
        &self.shared.limits
    }

    /// Verifies `bytes` against `expected_sha256`, and only then compiles
    /// (or loads from the cache), checks imports and exports, and
    /// pre-instantiates the component. `what` names it in errors; `id` is
    /// its registry identity (`None`: ask the plugin's `info`).
    ///
    /// # Errors
    /// [`LoadError::HashMismatch`] before anything is compiled; then
    /// [`LoadError::ForbiddenImports`], [`LoadError::UnsupportedWit`],
    /// [`LoadError::NotAPlugin`] or [`LoadError::Invalid`].
    pub fn load(
        &self,
        what: &str,
        bytes: &[u8],
        expected_sha256: &str,
        id: PluginId,
    ) -> Result<Plugin, LoadError> {
        let actual = sha256_hex(bytes);
        if !actual.eq_ignore_ascii_case(expected_sha256) {
            return Err(LoadError::HashMismatch {
                what: what.into(),
                expected: expected_sha256.to_ascii_lowercase(),
                actual,
            });
        }
        let engine = &self.shared.engine;
        let (component, outcome) = self
            .shared
            .cache
            .load(engine, &actual, bytes)
            .map_err(|e| LoadError::Invalid {
                what: what.into(),
                message: format!("not a valid component: {e:#}"),
            })?;
        let (roles, wit_version) = check_interface(what, engine, &component)?;
        let pre: InstancePre<SandboxState> = self
            .shared
            .linker
            .instantiate_pre(&component)
            .map_err(|e| LoadError::Invalid {
                what: what.into(),
                message: format!("cannot be linked: {e:#}"),
            })?;
        let invalid = |e: wasmtime::Error| LoadError::Invalid {
            what: what.into(),
            message: format!("{e:#}"),
        };
        let loader = if roles.loader {
            Some(LoaderIndices::new(&pre).map_err(invalid)?)
        } else {
            None
        };
        let scorer = if roles.scorer {
            Some(ScorerIndices::new(&pre).map_err(invalid)?)
        } else {
            None
        };
        Ok(Plugin::new(
            id,
            actual,
            roles,
            wit_version,
            pre,
            loader,
            scorer,
            self.clone(),
            outcome,
        ))
    }
}

/// Checks the component's imports against the allowlist and finds which
/// `scorebox:bench` roles it exports, at which WIT version.
fn check_interface(
    what: &str,
    engine: &Engine,
    component: &Component,
) -> Result<(Roles, String), LoadError> {
    let ty = component.component_type();
    let unsupported = |name: &str| LoadError::UnsupportedWit {
        found: format!("{what} uses {name}"),
        supported: wit::SUPPORTED_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let mut forbidden = Vec::new();
    for (name, _) in ty.imports(engine) {
        if let Some((interface, version)) = scorebox_interface(name) {
            if !wit::SUPPORTED_VERSIONS.contains(&version) {
                return Err(unsupported(name));
            }
            // `types` holds only type definitions; it is the one
            // scorebox interface a plugin imports.
            if interface == "types" {
                continue;
            }
        } else if is_allowed_import(name) {
            continue;
        }
        forbidden.push(name.to_string());
    }
    if !forbidden.is_empty() {
        return Err(LoadError::ForbiddenImports {
            what: what.into(),
            names: forbidden,
        });
    }
    let mut roles = Roles::default();
    let mut wit_version = String::new();
    let mut exports = Vec::new();
    for (name, item) in ty.exports(engine) {
        exports.push(name.to_string());
        let Some((interface, version)) = scorebox_interface(name) else {
            continue;
        };
        if !wit::SUPPORTED_VERSIONS.contains(&version) {
            return Err(unsupported(name));
        }
        if !matches!(item.ty, ComponentItem::ComponentInstance(_)) {
            continue;
        }
        match interface {
            "loader" => roles.loader = true,
            "scorer" => roles.scorer = true,
            _ => continue,
        }
        wit_version = version.to_string();
    }
    if !roles.loader && !roles.scorer {
        return Err(LoadError::NotAPlugin {
            what: what.into(),
            exports,
        });
    }
    Ok((roles, wit_version))
}

/// Splits `scorebox:bench/<interface>@<version>` into its parts.
fn scorebox_interface(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix(wit::PACKAGE)?.strip_prefix('/')?;
    Some(rest.split_once('@').unwrap_or((rest, "")))
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until the engine is gone.
fn start_epoch_ticker(engine: wasmtime::EngineWeak) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("scorebox-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(EPOCH_TICK);
                match engine.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => return,
                }
            }
        })
        .map(drop)
}

impl CacheOutcome {
    /// `true` when the component came from the compile cache.
    pub fn is_hit(self) -> bool {
        self == CacheOutcome::Hit
    }
}
