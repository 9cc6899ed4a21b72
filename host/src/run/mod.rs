//! A whole evaluation: resolve and verify every component, read the data,
//! load samples, score them in parallel, aggregate.
//!
//! Everything that can be checked up front (hashes, imports, options, data
//! files) is checked for every benchmark before the first sample is scored.

mod episode;
mod options;
pub mod seed;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use episode::{Answerers, EpisodeError, Exchange, Scored};

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
    pub data: BTreeMap<Option<String>, PathBuf>,
    /// Score at most this many samples per benchmark (the first ones).
    pub limit: Option<usize>,
    /// The run seed.
    pub seed: u64,
    /// `-O key=value` options.
    pub options: BTreeMap<String, String>,
    /// Worker threads for scoring.
    pub workers: usize,
    /// Most queries one episode may ask.
    pub max_steps: u32,
    /// Print progress lines to stderr.
    pub progress: bool,
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
}

/// One sample's result.
#[derive(Debug, Clone)]
pub struct SampleOutcome {
    /// The sample.
    pub sample: Sample,
    /// Its score, or why it has none.
    pub result: Result<Scored, EpisodeError>,
}

/// A scored benchmark.
pub struct BenchmarkRun {
    /// What was run.
    pub prepared: Prepared,
    /// Rows the loader could not use.
    pub invalid_rows: Vec<RowError>,
    /// Samples loaded before `--limit`.
    pub samples_loaded: usize,
    /// One outcome per scored sample, in loader order.
    pub outcomes: Vec<SampleOutcome>,
    /// The aggregate, or the aggregation failure.
    pub report: Result<Report, PluginError>,
    /// Wall time of loading and scoring.
    pub elapsed: Duration,
}

impl BenchmarkRun {
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
        let (loader_options, unknown_l) = options::resolve(
            &bench.loader.entry.key(),
            &loader_info.options,
            &config.options,
        )
        .map_err(RunError::Invalid)?;
        let (scorer_options, unknown_s) = options::resolve(
            &bench.scorer.entry.key(),
            &scorer_info.options,
            &config.options,
        )
        .map_err(RunError::Invalid)?;
        let unknown: Vec<&String> = unknown_l.iter().filter(|k| unknown_s.contains(k)).collect();
        if config.benchmarks.len() == 1 && !unknown.is_empty() {
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
        prepared.push(Prepared {
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
        });
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
pub fn execute(prepared: Prepared, config: &RunConfig) -> Result<BenchmarkRun, RunError> {
    let started = Instant::now();
    let load_seed = seed::derive(config.seed, &[&prepared.name, "load"]);
    let loaded = prepared.loader_plugin.instantiate()?.load(
        &prepared.files,
        &prepared.loader_options,
        load_seed,
    )?;
    let mut samples = Vec::new();
    let mut invalid_rows = Vec::new();
    let shared = loaded.shared;
    for item in loaded.items {
        match item {
            Loaded::Sample(s) => samples.push(s),
            Loaded::Invalid(e) => invalid_rows.push(e),
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
    let samples_loaded = samples.len();
    if let Some(limit) = config.limit {
        samples.truncate(limit);
    }
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
    let mut outcomes = score_all(&prepared, &shared, &samples, config);
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
        outcomes,
        report,
        elapsed: started.elapsed(),
    })
}

/// Scores every sample on `config.workers` threads, each with its own
/// instance; returns outcomes in sample order.
fn score_all(
    prepared: &Prepared,
    shared: &str,
    samples: &[Sample],
    config: &RunConfig,
) -> Vec<SampleOutcome> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Scored, EpisodeError>>>> =
        Mutex::new(vec![None; samples.len()]);
    let metrics: Vec<String> = prepared
        .scorer_info
        .metrics
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let answerers = Answerers {
        model: config.model.as_ref(),
        judge: config.judge.as_deref(),
        capabilities: &prepared.scorer_info.capabilities,
        metrics: &metrics,
        max_steps: config.max_steps,
    };
    let last_report = Mutex::new(Instant::now());
    let workers = config.workers.clamp(1, samples.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut instance = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(sample) = samples.get(i) else { break };
                    let episode_seed = seed::derive(config.seed, &[&prepared.name, &sample.id]);
                    let result = match fresh_instance(&mut instance, prepared, shared) {
                        Ok(inst) => episode::score_sample(
                            inst,
                            sample,
                            episode_seed,
                            &prepared.scorer_options,
                            &answerers,
                        ),
                        Err(e) => Err(EpisodeError::Plugin(PluginError {
                            sample: Some(sample.id.clone()),
                            ..e
                        })),
                    };
                    if result.is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if config.progress {
                        let mut last = last_report.lock().unwrap_or_else(|e| e.into_inner());
                        if last.elapsed() >= Duration::from_secs(2) {
                            *last = Instant::now();
                            eprintln!(
                                "{}: {finished}/{} scored, {} failed",
                                prepared.name,
                                samples.len(),
                                failed.load(Ordering::Relaxed)
                            );
                            let _ = std::io::stderr().flush();
                        }
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    samples
        .iter()
        .zip(results)
        .map(|(sample, result)| SampleOutcome {
            sample: sample.clone(),
            result: result.expect("every sample index is taken exactly once"),
        })
        .collect()
}

/// Returns the worker's instance, making a new one if it has none or the
/// last one trapped.
fn fresh_instance<'a>(
    slot: &'a mut Option<crate::runtime::PluginInstance>,
    prepared: &Prepared,
    shared: &str,
) -> Result<&'a mut crate::runtime::PluginInstance, PluginError> {
    if slot.as_ref().is_none_or(|i| i.is_poisoned()) {
        let mut instance = prepared.scorer_plugin.instantiate()?;
        instance.prepare(shared, &prepared.scorer_options)?;
        *slot = Some(instance);
    }
    Ok(slot.as_mut().expect("just filled"))
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
