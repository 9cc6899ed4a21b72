//! A whole evaluation: resolve and verify every component, read the data,
//! load samples, score them in parallel, aggregate.
//!
//! Everything that can be checked up front (hashes, imports, options, data
//! files) is checked for every benchmark before the first sample is scored.

pub mod journal;
mod options;
mod progress;
pub mod scheduler;
pub mod seed;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use progress::Progress;
pub use scheduler::{AnswerStore, Exchange, Failure, Outcome, OutcomeSink, Scored};

use crate::data::{self, DataError};
use crate::model::Model;
use crate::registry::{self, Located, Registry, RegistryError};
use crate::runtime::wit::{
    Loaded, OptionValue, PluginInfo, Report, RowError, Sample, ScoredSample,
};
use crate::runtime::{LoadError, Plugin, PluginError, PluginId, Sandbox};

/// What to run.
pub struct RunConfig {
    /// Benchmarks, as `name` or `name@version`.
    pub benchmarks: Vec<String>,
    /// The model under test.
    pub model: Arc<dyn Model>,
    /// The judge model, if any.
    pub judge: Option<Arc<dyn Model>>,
    /// Data per benchmark name; the key `None` applies to every benchmark.
    /// The path [`HUB`] selects the fetched dataset.
    pub data: BTreeMap<Option<String>, PathBuf>,
    /// Where `scorebox data fetch` stores datasets.
    pub data_root: PathBuf,
    /// Score at most this many samples per benchmark (the first ones).
    pub limit: Option<usize>,
    /// The run seed.
    pub seed: u64,
    /// `-O key=value` options, for every benchmark that declares them.
    pub options: BTreeMap<String, String>,
    /// `-O name.key=value` options, for one benchmark (they win over `options`).
    pub bench_options: BTreeMap<String, BTreeMap<String, String>>,
    /// Worker threads for scoring.
    pub workers: usize,
    /// Model requests in flight at once.
    pub concurrency: usize,
    /// Stored answers consulted before asking a model (resume journal,
    /// request cache), in that order.
    pub stores: Vec<Arc<dyn AnswerStore>>,
    /// Set (e.g. by Ctrl-C) to stop starting new samples.
    pub stop: Arc<AtomicBool>,
    /// The run journal: finished samples are recorded in it, and samples an
    /// earlier run finished are taken from it.
    pub journal: Option<Arc<journal::Journal>>,
    /// Most queries one episode may ask.
    pub max_steps: u32,
    /// Print progress lines to stderr.
    pub progress: bool,
}

impl RunConfig {
    /// A run of `benchmarks` against `model` with the defaults: bundled
    /// samples, seed 1234, no options, as many workers as cores, 32
    /// requests in flight, no stores or journal, at most 1000 queries an
    /// episode, no progress output.
    pub fn new(benchmarks: Vec<String>, model: Arc<dyn Model>) -> Self {
        RunConfig {
            benchmarks,
            model,
            judge: None,
            data: BTreeMap::new(),
            data_root: PathBuf::new(),
            limit: None,
            seed: 1234,
            options: BTreeMap::new(),
            bench_options: BTreeMap::new(),
            workers: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            concurrency: 32,
            stores: Vec::new(),
            stop: Arc::default(),
            journal: None,
            max_steps: 1000,
            progress: false,
        }
    }
}

/// Failures that stop a run before scoring.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// Resolving or reading the registry failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A component failed verification or could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A plugin failed outside a sample (info, load).
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// Reading the data failed.
    #[error("{benchmark}: {source}")]
    Data {
        /// The benchmark.
        benchmark: String,
        /// The error.
        #[source]
        source: DataError,
    },
    /// Anything else, with its explanation.
    #[error("{0}")]
    Invalid(String),
}

/// A benchmark ready to score.
pub struct Prepared {
    /// Benchmark name.
    pub name: String,
    /// The loader's registry entry.
    pub loader: Located,
    /// The scorer's registry entry.
    pub scorer: Located,
    loader_plugin: Plugin,
    scorer_plugin: Plugin,
    /// The scorer's info.
    pub scorer_info: PluginInfo,
    /// Options passed to the loader.
    pub loader_options: Vec<OptionValue>,
    /// Options passed to the scorer.
    pub scorer_options: Vec<OptionValue>,
    /// Where the data came from (a path, or the bundled sample).
    pub data_source: String,
    /// The data files read.
    pub files: Vec<crate::runtime::wit::DataFile>,
    /// The samples to score (after `--limit`).
    pub samples: Vec<Sample>,
    /// The loader's shared data.
    pub shared: String,
    /// Rows the loader could not use.
    pub invalid_rows: Vec<RowError>,
    /// Samples loaded before `--limit`.
    pub samples_loaded: usize,
    /// What the model's log-likelihood probe saw, when this benchmark asks
    /// `choose` queries of a model that needs checking.
    pub probe: Option<serde_json::Value>,
}

/// One sample's result.
#[derive(Debug, Clone)]
pub struct SampleOutcome {
    /// The sample.
    pub sample: Sample,
    /// Its score, or why it has none.
    pub result: Outcome,
}

/// A scored benchmark.
pub struct BenchmarkRun {
    /// What was run.
    pub prepared: Prepared,
    /// Rows the loader could not use.
    pub invalid_rows: Vec<RowError>,
    /// Samples loaded before `--limit`.
    pub samples_loaded: usize,
    /// Samples to score (after `--limit`).
    pub samples: usize,
    /// One outcome per scored sample, in loader order.
    pub outcomes: Vec<SampleOutcome>,
    /// The aggregate, or the aggregation failure.
    pub report: Result<Report, PluginError>,
    /// Wall time of loading and scoring.
    pub elapsed: Duration,
}

impl BenchmarkRun {
    /// Whether every sample has an outcome (false after an interruption).
    pub fn is_complete(&self) -> bool {
        self.outcomes.len() == self.samples
    }

    /// Number of samples that failed.
    pub fn failures(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
    }
}

/// Resolves, verifies and loads every benchmark of `config`, and reads its
/// data, before anything is scored.
///
/// # Errors
/// The first benchmark that cannot be prepared, with the reason.
pub fn prepare(
    registry: &Registry,
    sandbox: &Sandbox,
    config: &RunConfig,
) -> Result<Vec<Prepared>, RunError> {
    let mut seen = BTreeSet::new();
    let mut prepared = Vec::new();
    let mut loaded: BTreeMap<String, Plugin> = BTreeMap::new();
    for spec in &config.benchmarks {
        let bench = registry.resolve(spec)?;
        if !seen.insert(bench.name.clone()) {
            return Err(RunError::Invalid(format!(
                "benchmark `{}` is listed twice",
                bench.name
            )));
        }
        let mut load = |located: &Located| -> Result<Plugin, RunError> {
            let key = located.entry.key();
            if let Some(plugin) = loaded.get(&key) {
                return Ok(plugin.clone());
            }
            let bytes = located.read()?;
            let id = PluginId {
                name: located.entry.name.clone(),
                version: located.entry.version.clone(),
            };
            let plugin = sandbox.load(
                &format!("{key} ({})", located.path().display()),
                &bytes,
                &located.entry.sha256,
                id,
            )?;
            loaded.insert(key, plugin.clone());
            Ok(plugin)
        };
        let loader_plugin = load(&bench.loader)?;
        let scorer_plugin = load(&bench.scorer)?;
        let loader_info = loader_plugin.instantiate()?.info()?;
        let scorer_info = scorer_plugin.instantiate()?.scorer_info()?;
        let own = config.bench_options.get(&bench.name);
        let mut given = config.options.clone();
        given.extend(
            own.into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let (loader_options, unknown_l) =
            options::resolve(&bench.loader.entry.key(), &loader_info.options, &given)
                .map_err(RunError::Invalid)?;
        let (scorer_options, unknown_s) =
            options::resolve(&bench.scorer.entry.key(), &scorer_info.options, &given)
                .map_err(RunError::Invalid)?;
        let unknown: Vec<&String> = unknown_l
            .iter()
            .filter(|k| unknown_s.contains(k))
            .filter(|k| config.benchmarks.len() == 1 || own.is_some_and(|o| o.contains_key(*k)))
            .collect();
        if !unknown.is_empty() {
            let mut known: Vec<String> = loader_info
                .options
                .iter()
                .chain(&scorer_info.options)
                .map(|o| o.key.clone())
                .collect();
            known.sort();
            known.dedup();
            return Err(RunError::Invalid(format!(
                "{}: unknown option{} {} (it understands: {})",
                bench.name,
                if unknown.len() > 1 { "s" } else { "" },
                unknown
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )));
        }
        let (data_source, files) = read_data(&bench.name, &bench.loader, config)?;
        let mut one = Prepared {
            name: bench.name.clone(),
            loader: bench.loader,
            scorer: bench.scorer,
            loader_plugin,
            scorer_plugin,
            scorer_info,
            loader_options,
            scorer_options,
            data_source,
            files,
            samples: Vec::new(),
            shared: String::new(),
            invalid_rows: Vec::new(),
            samples_loaded: 0,
            probe: None,
        };
        load_samples(&mut one, config)?;
        prepared.push(one);
    }
    let mut probes: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for one in &mut prepared {
        if !asks_choose(one)? {
            continue;
        }
        let spec = config.model.spec();
        if let Some(seen) = probes.get(&spec) {
            one.probe = Some(seen.clone());
            continue;
        }
        let Some(probe) = config.model.loglikelihood_probe() else {
            continue;
        };
        if config.progress {
            eprintln!("{}: asks log-likelihoods; probing {spec}", one.name);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| RunError::Invalid(format!("starting the async runtime: {e}")))?;
        let seen = runtime
            .block_on(probe)
            .map_err(|e| RunError::Invalid(format!("{}: refusing to run: {e}", one.name)))?;
        probes.insert(spec, seen.clone());
        one.probe = Some(seen);
    }
    if config.benchmarks.len() > 1 {
        let known: BTreeSet<&String> = prepared
            .iter()
            .flat_map(|p| {
                p.loader_options
                    .iter()
                    .chain(&p.scorer_options)
                    .map(|o| &o.key)
            })
            .collect();
        let unknown: Vec<&String> = config
            .options
            .keys()
            .filter(|k| !known.contains(k))
            .collect();
        if !unknown.is_empty() {
            return Err(RunError::Invalid(format!(
                "no benchmark of this run understands option {}",
                unknown
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(prepared)
}

/// Runs the loader over the data files and keeps its samples.
fn load_samples(prepared: &mut Prepared, config: &RunConfig) -> Result<(), RunError> {
    let load_seed = seed::derive(config.seed, &[&prepared.name, "load"]);
    let loaded = prepared.loader_plugin.instantiate()?.load(
        &prepared.files,
        &prepared.loader_options,
        load_seed,
    )?;
    let mut samples = Vec::new();
    for item in loaded.items {
        match item {
            Loaded::Sample(s) => samples.push(s),
            Loaded::Invalid(e) => prepared.invalid_rows.push(e),
        }
    }
    let mut ids = BTreeSet::new();
    for s in &samples {
        if !ids.insert(s.id.as_str()) {
            return Err(RunError::Invalid(format!(
                "{}: the loader {} produced sample id `{}` twice; ids must be unique",
                prepared.name,
                prepared.loader.entry.key(),
                s.id
            )));
        }
    }
    prepared.samples_loaded = samples.len();
    if let Some(limit) = config.limit {
        samples.truncate(limit);
    }
    prepared.samples = samples;
    prepared.shared = loaded.shared;
    Ok(())
}

/// Whether the benchmark's first query (of its first sample) is a
/// log-likelihood `choose`, found by stepping that episode once.
fn asks_choose(prepared: &Prepared) -> Result<bool, RunError> {
    let Some(sample) = prepared.samples.first() else {
        return Ok(false);
    };
    let mut instance = prepared.scorer_plugin.instantiate()?;
    instance.prepare(&prepared.shared, &prepared.scorer_options)?;
    let config = crate::runtime::wit::EpisodeConfig {
        seed: 0,
        options: prepared.scorer_options.clone(),
    };
    // A sample that fails here fails again, with its error, during the run.
    let Ok(episode) = instance.start_episode(sample, &config) else {
        return Ok(false);
    };
    let first = instance.step(&episode, None, 0);
    instance.finish_episode(episode);
    Ok(matches!(
        first,
        Ok(crate::runtime::wit::Step::Ask(
            crate::runtime::wit::Query::Choose(_)
        ))
    ))
}

/// The `--data` value that selects the files `scorebox data fetch` stored.
pub const HUB: &str = "hub";

/// Reads the fetched files of the loader's dataset manifest, each checked
/// against its pinned sha256.
fn read_fetched(
    name: &str,
    loader: &Located,
    config: &RunConfig,
) -> Result<(String, Vec<crate::runtime::wit::DataFile>), RunError> {
    let manifest = loader.dataset()?.ok_or_else(|| {
        RunError::Invalid(format!(
            "{name}: --data hub, but {} pins no dataset; give the files with --data PATH",
            loader.entry.key()
        ))
    })?;
    let dir = manifest.local_dir(&config.data_root, name);
    let not_fetched = || {
        RunError::Invalid(format!(
            "{name}: the dataset is not fetched yet; run `scorebox data fetch {name}` first"
        ))
    };
    if !dir.exists() {
        return Err(not_fetched());
    }
    let files = data::read_dataset(&dir).map_err(|source| RunError::Data {
        benchmark: name.into(),
        source,
    })?;
    for pinned in &manifest.files {
        match files.iter().find(|f| f.path == pinned.path) {
            None => return Err(not_fetched()),
            Some(f) if f.sha256 != pinned.sha256 => {
                return Err(RunError::Invalid(format!(
                    "{name}: {} has sha256 {}, the manifest pins {}; fetch it again with `scorebox data fetch {name}`",
                    dir.join(&f.path).display(),
                    f.sha256,
                    pinned.sha256
                )));
            }
            Some(_) => {}
        }
    }
    let files = files
        .into_iter()
        .filter(|f| manifest.files.iter().any(|p| p.path == f.path))
        .collect();
    Ok((
        format!(
            "{}@{} ({})",
            manifest.repo,
            &manifest.revision[..12],
            dir.display()
        ),
        files,
    ))
}

fn read_data(
    name: &str,
    loader: &Located,
    config: &RunConfig,
) -> Result<(String, Vec<crate::runtime::wit::DataFile>), RunError> {
    let data_err = |source| RunError::Data {
        benchmark: name.into(),
        source,
    };
    if let Some(path) = config
        .data
        .get(&Some(name.to_string()))
        .or_else(|| config.data.get(&None))
    {
        if path.as_os_str() == HUB {
            return read_fetched(name, loader, config);
        }
        let files = data::read_dataset(path).map_err(data_err)?;
        return Ok((path.display().to_string(), files));
    }
    let dir = loader.sample_dir().ok_or_else(|| {
        RunError::Invalid(format!(
            "{name}: no bundled sample; give the dataset with --data PATH"
        ))
    })?;
    if let Some(expected) = &loader.entry.sample_sha256 {
        let actual = registry::dir_digest(&dir)?;
        if &actual != expected {
            return Err(RunError::Invalid(format!(
                "{name}: the bundled sample at {} does not match the registry (digest {actual}, expected {expected}); refusing to use it",
                dir.display()
            )));
        }
    }
    let files = data::read_dataset(&dir).map_err(data_err)?;
    Ok((format!("bundled sample ({})", dir.display()), files))
}

/// Loads, scores and aggregates one prepared benchmark. Sample failures are
/// recorded, never fatal.
///
/// # Errors
/// Only a failure of the loader as a whole (its `load` trapped or returned
/// an error, or it produced duplicate sample ids).
pub fn execute(mut prepared: Prepared, config: &RunConfig) -> Result<BenchmarkRun, RunError> {
    let started = Instant::now();
    let samples = std::mem::take(&mut prepared.samples);
    let shared = std::mem::take(&mut prepared.shared);
    let invalid_rows = std::mem::take(&mut prepared.invalid_rows);
    let samples_loaded = prepared.samples_loaded;
    if config.progress {
        eprintln!(
            "{}: {} samples from {}{}",
            prepared.name,
            samples.len(),
            prepared.data_source,
            if invalid_rows.is_empty() {
                String::new()
            } else {
                format!(" ({} invalid rows skipped)", invalid_rows.len())
            }
        );
    }
    let mut outcomes = score_samples(&prepared, &shared, &samples, config);
    let scored: Vec<ScoredSample> = outcomes
        .iter()
        .filter_map(|o| {
            o.result.as_ref().ok().map(|s| ScoredSample {
                id: o.sample.id.clone(),
                subtask: o.sample.subtask.clone(),
                score: s.score.clone(),
            })
        })
        .collect();
    let aggregate_seed = seed::derive(config.seed, &[&prepared.name, "aggregate"]);
    let report = prepared.scorer_plugin.instantiate().and_then(|mut i| {
        i.prepare(&shared, &prepared.scorer_options)?;
        i.aggregate(&scored, &prepared.scorer_options, aggregate_seed)
    });
    if let Ok(report) = &report {
        revise(&mut outcomes, &report.revised);
    }
    Ok(BenchmarkRun {
        prepared,
        invalid_rows,
        samples_loaded,
        samples: samples.len(),
        outcomes,
        report,
        elapsed: started.elapsed(),
    })
}

/// Scores every sample and returns outcomes in sample order.
fn score_samples(
    prepared: &Prepared,
    shared: &str,
    samples: &[Sample],
    config: &RunConfig,
) -> Vec<SampleOutcome> {
    let metrics: Vec<String> = prepared
        .scorer_info
        .metrics
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let mut earlier: HashMap<usize, Outcome> = HashMap::new();
    if let Some(journal) = &config.journal {
        for (i, sample) in samples.iter().enumerate() {
            if let Some(outcome) = journal
                .resumed()
                .done
                .get(&(prepared.name.clone(), sample.id.clone()))
            {
                earlier.insert(i, outcome.clone());
            }
        }
    }
    let todo: Vec<usize> = (0..samples.len())
        .filter(|i| !earlier.contains_key(i))
        .collect();
    let progress = Progress::new(
        config.progress,
        &prepared.name,
        samples.len(),
        earlier.len(),
    );
    let report = |done: usize, failed: usize| progress.update(earlier.len() + done, failed);
    let sink = config.journal.as_ref().map(|j| j.sink(&prepared.name));
    let plan = scheduler::Plan {
        benchmark: &prepared.name,
        plugin: &prepared.scorer_plugin,
        shared,
        options: &prepared.scorer_options,
        capabilities: &prepared.scorer_info.capabilities,
        metrics: &metrics,
        run_seed: config.seed,
        model: &config.model,
        judge: config.judge.as_ref(),
        max_steps: config.max_steps,
        workers: config.workers,
        concurrency: config.concurrency,
        stores: &config.stores,
        sink: sink.as_ref().map(|s| s as &dyn OutcomeSink),
        stop: &config.stop,
        progress: &report,
    };
    let mut results = scheduler::score(&plan, samples, &todo);
    progress.finish();
    results.extend(earlier);
    samples
        .iter()
        .enumerate()
        .filter_map(|(i, sample)| {
            results.remove(&i).map(|result| SampleOutcome {
                sample: sample.clone(),
                result,
            })
        })
        .collect()
}

/// Replaces the scores of samples that aggregation revised.
fn revise(outcomes: &mut [SampleOutcome], revised: &[ScoredSample]) {
    if revised.is_empty() {
        return;
    }
    let by_id: BTreeMap<&str, &ScoredSample> = revised.iter().map(|r| (r.id.as_str(), r)).collect();
    for outcome in outcomes {
        if let (Some(r), Ok(scored)) = (
            by_id.get(outcome.sample.id.as_str()),
            outcome.result.as_mut(),
        ) {
            scored.score = r.score.clone();
        }
    }
}
