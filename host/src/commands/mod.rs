//! One module per subcommand, plus what they share: where the registry,
//! the user's plugins and the compile cache live.

mod data;
mod info;
mod list;
mod model;
mod plugin;
mod run;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use scorebox::registry::Registry;
use scorebox::runtime::{Limits, Sandbox};

use crate::cli::{Cli, Command, DataCommand, ModelCommand, PluginCommand};

/// Exit code when the run finished but some samples, rows or aggregations failed.
pub const EXIT_PARTIAL: u8 = 2;

/// Runs the chosen subcommand.
pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    let paths = Paths::from_cli(&cli);
    match cli.command {
        Command::List => list::run(&paths),
        Command::Info { benchmark, limits } => info::run(&paths, &benchmark, limits.limits()),
        Command::Verify => verify::run(&paths),
        Command::Data(DataCommand::Fetch { benchmark }) => data::fetch(&paths, &benchmark),
        Command::Model(ModelCommand::Fetch) => model::fetch(&paths),
        Command::Model(ModelCommand::Path) => model::path(&paths),
        Command::Run(args) => run::run(&paths, args.benchmarks, &args.model, None, args.common),
        Command::Score(args) => {
            let model = format!("replay:{}", args.responses.display());
            run::run(
                &paths,
                vec![args.benchmark],
                &model,
                Some(&args.responses),
                args.common,
            )
        }
        Command::Plugin(PluginCommand::Add {
            file,
            sha256,
            limits,
        }) => plugin::add(&paths, &file, &sha256, limits.limits()),
    }
}

/// Where things live.
pub struct Paths {
    /// The built-in registry.
    pub registry: PathBuf,
    /// The user's registry of third-party plugins.
    pub user_registry: PathBuf,
    /// The compile cache, if enabled.
    pub cache: Option<PathBuf>,
    /// The cache directory (compiled components, request cache).
    pub cache_root: PathBuf,
    /// Where fetched datasets live (`<home>/data`).
    pub data_root: PathBuf,
}

impl Paths {
    fn from_cli(cli: &Cli) -> Self {
        let home_dir = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let xdg = |var: &str, fallback: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .unwrap_or_else(|| home_dir.join(fallback))
                .join("scorebox")
        };
        let registry = cli.registry.clone().unwrap_or_else(|| {
            let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../registry"));
            dir.canonicalize().unwrap_or(dir)
        });
        let home = cli
            .home
            .clone()
            .unwrap_or_else(|| xdg("XDG_DATA_HOME", ".local/share"));
        let cache_root = cli
            .cache_dir
            .clone()
            .unwrap_or_else(|| xdg("XDG_CACHE_HOME", ".cache"));
        let cache = (!cli.no_compile_cache).then(|| cache_root.clone());
        Paths {
            registry,
            user_registry: home.join("registry"),
            cache,
            cache_root,
            data_root: home.join("data"),
        }
    }

    /// Opens the merged registry.
    pub fn open_registry(&self) -> Result<Registry> {
        if !self.registry.join("index.toml").exists() {
            anyhow::bail!(
                "no registry at {} (index.toml missing); pass --registry DIR or set SCOREBOX_REGISTRY",
                self.registry.display()
            );
        }
        Registry::open(&self.registry, Some(&self.user_registry)).context("opening the registry")
    }

    /// Creates the sandbox with `limits`.
    pub fn sandbox(&self, limits: Limits) -> Result<Sandbox> {
        Sandbox::new(limits, self.cache.as_ref().map(|c| c.join("components")))
            .context("creating the sandbox")
    }
}
