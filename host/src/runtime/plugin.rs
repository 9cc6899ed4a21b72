//! A loaded, verified component and its instances.

use wasmtime::component::{InstancePre, ResourceAny};
use wasmtime::{Store, Trap};

use super::cache::CacheOutcome;
use super::fault::{Fault, PluginError, PluginId};
use super::limiter::{LimitHit, Limiter};
use super::sandbox::{EPOCH_TICK, Sandbox};
use super::wasi::SandboxState;
use super::wit::{
    self, Answer, DataFile, EpisodeConfig, Loaded, LoadedSet, LoaderIndices, OptionValue,
    PluginInfo, Report, Sample, ScoredSample, ScorerIndices, Step,
};

/// Which roles a component plays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    /// Exports `scorebox:bench/loader`.
    pub loader: bool,
    /// Exports `scorebox:bench/scorer`.
    pub scorer: bool,
}

impl Roles {
    /// Role names, e.g. `["loader", "scorer"]`.
    pub fn names(self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.loader {
            names.push("loader");
        }
        if self.scorer {
            names.push("scorer");
        }
        names
    }
}

/// A verified, compiled and pre-instantiated component. Cheap to clone;
/// each worker thread makes its own [`PluginInstance`].
#[derive(Clone)]
pub struct Plugin {
    id: PluginId,
    sha256: String,
    roles: Roles,
    wit_version: String,
    pre: InstancePre<SandboxState>,
    loader: Option<LoaderIndices>,
    scorer: Option<ScorerIndices>,
    sandbox: Sandbox,
    cache: CacheOutcome,
}

impl Plugin {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        id: PluginId,
        sha256: String,
        roles: Roles,
        wit_version: String,
        pre: InstancePre<SandboxState>,
        loader: Option<LoaderIndices>,
        scorer: Option<ScorerIndices>,
        sandbox: Sandbox,
        cache: CacheOutcome,
    ) -> Self {
        Plugin {
            id,
            sha256,
            roles,
            wit_version,
            pre,
            loader,
            scorer,
            sandbox,
            cache,
        }
    }

    /// Its identity in errors and results.
    pub fn id(&self) -> &PluginId {
        &self.id
    }

    /// Replaces the identity (after reading a third-party plugin's `info`).
    pub fn set_id(&mut self, id: PluginId) {
        self.id = id;
    }

    /// The verified sha256 of its bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Which roles it plays.
    pub fn roles(&self) -> Roles {
        self.roles
    }

    /// The `scorebox:bench` version it exports, e.g. `0.1.0`.
    pub fn wit_version(&self) -> &str {
        &self.wit_version
    }

    /// Whether it came from the compile cache.
    pub fn cache_outcome(&self) -> CacheOutcome {
        self.cache
    }

    /// A fresh instance in its own store.
    ///
    /// # Errors
    /// A [`PluginError`] if instantiation traps (e.g. a start function that
    /// runs out of fuel) or exceeds a cap.
    pub fn instantiate(&self) -> Result<PluginInstance, PluginError> {
        let limits = &self.sandbox.shared.limits;
        let state = SandboxState::new(limits.max_stdio, Limiter::new(limits));
        let mut store = Store::new(&self.sandbox.shared.engine, state);
        store.limiter(|s| &mut s.limiter);
        let mut instance = PluginInstance {
            plugin: self.clone(),
            store,
            loader: None,
            scorer: None,
            poisoned: false,
        };
        let pre = self.pre.clone();
        let (loader_idx, scorer_idx) = (self.loader.clone(), self.scorer.clone());
        let guests = instance.call(
            "instantiate",
            None,
            limits.fuel_per_batch,
            0,
            move |store| {
                let inst = pre.instantiate(&mut *store)?;
                let loader = loader_idx.map(|i| i.load(&mut *store, &inst)).transpose()?;
                let scorer = scorer_idx.map(|i| i.load(&mut *store, &inst)).transpose()?;
                Ok((loader, scorer))
            },
        )?;
        instance.loader = guests.0;
        instance.scorer = guests.1;
        Ok(instance)
    }
}

/// One live instance of a plugin in its own store. After a trap it is
/// poisoned (wasmtime cannot re-enter it); make a new one.
pub struct PluginInstance {
    plugin: Plugin,
    store: Store<SandboxState>,
    loader: Option<wit::latest::exports::scorebox::bench::loader::Guest>,
    scorer: Option<wit::latest::exports::scorebox::bench::scorer::Guest>,
    poisoned: bool,
}

/// A live episode (one sample being scored) inside a [`PluginInstance`].
pub struct Episode {
    handle: ResourceAny,
    sample: String,
}

impl PluginInstance {
    /// Whether a trap left this instance unusable.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    /// The plugin it is an instance of.
    pub fn plugin(&self) -> &Plugin {
        &self.plugin
    }

    /// Calls the loader's (else the scorer's) `info`.
    ///
    /// # Errors
    /// Any fault of the call.
    pub fn info(&mut self) -> Result<PluginInfo, PluginError> {
        let fuel = self.plugin.sandbox.shared.limits.fuel_per_batch;
        if let Some(loader) = self.loader.clone() {
            self.call("info", None, fuel, 0, move |s| loader.call_info(s))
        } else {
            let scorer = self.scorer.clone().expect("a plugin has at least one role");
            self.call("info", None, fuel, 0, move |s| scorer.call_info(s))
        }
    }

    /// Calls the scorer's `info` (metrics, capabilities).
    ///
    /// # Errors
    /// A protocol fault if the component is not a scorer, or any fault of the call.
    pub fn scorer_info(&mut self) -> Result<PluginInfo, PluginError> {
        let scorer = self.require_scorer("info")?;
        let fuel = self.plugin.sandbox.shared.limits.fuel_per_batch;
        self.call("info", None, fuel, 0, move |s| scorer.call_info(s))
    }

    /// Calls `load` with the decoded files.
    ///
    /// # Errors
    /// A fault, the plugin's own error, or output over the batch cap.
    pub fn load(
        &mut self,
        files: &[DataFile],
        options: &[OptionValue],
        seed: u64,
    ) -> Result<LoadedSet, PluginError> {
        let Some(loader) = self.loader.clone() else {
            return Err(self.fault(
                "load",
                None,
                Fault::Protocol {
                    message: "not a loader".into(),
                },
            ));
        };
        let limits = &self.plugin.sandbox.shared.limits;
        let (fuel, cap) = (limits.fuel_per_batch, limits.max_batch_output());
        let result = self.call("load", None, fuel, seed, |s| {
            loader.call_load(s, files, options)
        })?;
        let loaded =
            result.map_err(|e| self.fault("load", None, Fault::Reported { message: e.message }))?;
        let size: usize = loaded.shared.len() + loaded.items.iter().map(loaded_size).sum::<usize>();
        if size > cap {
            return Err(self.fault("load", None, Fault::OutputTooLarge { size, limit: cap }));
        }
        Ok(loaded)
    }

    /// Hands the loader's shared data and the run's options to this
    /// instance (once, before any episode or aggregation).
    ///
    /// # Errors
    /// Any fault, or the plugin's own error.
    pub fn prepare(&mut self, shared: &str, options: &[OptionValue]) -> Result<(), PluginError> {
        let scorer = self.require_scorer("prepare")?;
        let fuel = self.plugin.sandbox.shared.limits.fuel_per_batch;
        let result = self.call("prepare", None, fuel, 0, |s| {
            scorer.call_prepare(s, shared, options)
        })?;
        result.map_err(|e| self.fault("prepare", None, Fault::Reported { message: e.message }))
    }

    /// Starts an episode for `sample`.
    ///
    /// # Errors
    /// Any fault of the constructor.
    pub fn start_episode(
        &mut self,
        sample: &Sample,
        config: &EpisodeConfig,
    ) -> Result<Episode, PluginError> {
        let scorer = self.require_scorer("episode constructor")?;
        let fuel = self.plugin.sandbox.shared.limits.fuel_per_step;
        let handle = self.call(
            "episode constructor",
            Some(&sample.id),
            fuel,
            config.seed,
            |s| scorer.episode().call_constructor(s, sample, config),
        )?;
        Ok(Episode {
            handle,
            sample: sample.id.clone(),
        })
    }

    /// Advances `episode` with the answer to its previous query. `step_seed`
    /// seeds the WASI randomness of this call.
    ///
    /// # Errors
    /// Any fault, the plugin's own error, or output over the cap.
    pub fn step(
        &mut self,
        episode: &Episode,
        answer: Option<&Answer>,
        step_seed: u64,
    ) -> Result<Step, PluginError> {
        let scorer = self.require_scorer("step")?;
        let limits = &self.plugin.sandbox.shared.limits;
        let (fuel, cap) = (limits.fuel_per_step, limits.max_output);
        let handle = episode.handle;
        let sample = episode.sample.as_str();
        let result = self.call("step", Some(sample), fuel, step_seed, |s| {
            scorer.episode().call_step(s, handle, answer)
        })?;
        let step = result.map_err(|e| {
            self.fault("step", Some(sample), Fault::Reported { message: e.message })
        })?;
        let size = step_size(&step);
        if size > cap {
            return Err(self.fault(
                "step",
                Some(sample),
                Fault::OutputTooLarge { size, limit: cap },
            ));
        }
        Ok(step)
    }

    /// Drops an episode's resource (a no-op on a poisoned instance).
    pub fn finish_episode(&mut self, episode: Episode) {
        if !self.poisoned {
            let fuel = self.plugin.sandbox.shared.limits.fuel_per_step;
            let sample = episode.sample.clone();
            let _ = self.call("episode drop", Some(&sample), fuel, 0, |s| {
                episode.handle.resource_drop(s)
            });
        }
    }

    /// Calls `aggregate` over the successfully scored samples.
    ///
    /// # Errors
    /// Any fault, or the plugin's own error.
    pub fn aggregate(
        &mut self,
        samples: &[ScoredSample],
        options: &[OptionValue],
        seed: u64,
    ) -> Result<Report, PluginError> {
        let scorer = self.require_scorer("aggregate")?;
        let fuel = self.plugin.sandbox.shared.limits.fuel_per_batch;
        let result = self.call("aggregate", None, fuel, seed, |s| {
            scorer.call_aggregate(s, samples, options)
        })?;
        result.map_err(|e| self.fault("aggregate", None, Fault::Reported { message: e.message }))
    }

    fn require_scorer(
        &self,
        call: &'static str,
    ) -> Result<wit::latest::exports::scorebox::bench::scorer::Guest, PluginError> {
        self.scorer.clone().ok_or_else(|| {
            self.fault(
                call,
                None,
                Fault::Protocol {
                    message: "not a scorer".into(),
                },
            )
        })
    }

    fn fault(&self, call: &'static str, sample: Option<&str>, fault: Fault) -> PluginError {
        PluginError {
            plugin: self.plugin.id.clone(),
            sample: sample.map(str::to_owned),
            call,
            fault,
        }
    }

    /// Runs `f` under a fresh fuel budget, epoch deadline and WASI seed, with
    /// empty output buffers, and turns any trap into a typed fault.
    fn call<R>(
        &mut self,
        call: &'static str,
        sample: Option<&str>,
        fuel: u64,
        seed: u64,
        f: impl FnOnce(&mut Store<SandboxState>) -> wasmtime::Result<R>,
    ) -> Result<R, PluginError> {
        if self.poisoned {
            return Err(self.fault(
                call,
                sample,
                Fault::Trap {
                    message: "instance is unusable after an earlier trap".into(),
                },
            ));
        }
        let limits = &self.plugin.sandbox.shared.limits;
        let ticks = (limits.timeout_secs * 1000)
            .div_ceil(EPOCH_TICK.as_millis() as u64)
            .max(1);
        let data = self.store.data_mut();
        data.clear_output();
        data.random.reset(seed);
        data.limiter.hit = None;
        // Setting fuel only fails on an engine without fuel metering, which
        // is what `--fuel 0` asks for.
        if limits.fuel_metering() {
            let _ = self.store.set_fuel(fuel);
        }
        self.store.set_epoch_deadline(ticks);
        match f(&mut self.store) {
            Ok(value) => Ok(value),
            Err(error) => {
                self.poisoned = true;
                let fault = self.classify(&error, fuel);
                Err(self.fault(call, sample, fault))
            }
        }
    }

    fn classify(&self, error: &wasmtime::Error, fuel: u64) -> Fault {
        let limits = &self.plugin.sandbox.shared.limits;
        let state = self.store.data();
        if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
            return Fault::Exit { code: exit.0 };
        }
        match state.limiter.hit {
            Some(LimitHit::Memory) => {
                return Fault::MemoryLimit {
                    limit: limits.max_memory,
                };
            }
            Some(LimitHit::Table) => {
                return Fault::Trap {
                    message: format!("table grew past {} elements", limits.max_table_elements),
                };
            }
            None => {}
        }
        let output = state.captured_output();
        if let Some(trap) = error.downcast_ref::<Trap>() {
            match trap {
                Trap::OutOfFuel => return Fault::OutOfFuel { budget: fuel },
                Trap::Interrupt => {
                    return Fault::Timeout {
                        seconds: limits.timeout_secs,
                    };
                }
                Trap::StackOverflow => {
                    return Fault::StackOverflow {
                        limit: limits.max_stack,
                    };
                }
                _ => {}
            }
        }
        if let Some(message) = panic_message(&output) {
            let hint = if state.stdout.is_full() || state.stderr.is_full() {
                format!(
                    " (stdout and stderr are capped at {} bytes per call)",
                    state.stdout.capacity()
                )
            } else {
                String::new()
            };
            return Fault::Panic {
                message: format!("{message}{hint}"),
            };
        }
        let mut message = format!("{error:#}");
        if !output.trim().is_empty() {
            message.push_str(&format!("; plugin output: {}", tail(&output, 2000)));
        }
        Fault::Trap { message }
    }
}

/// Extracts a Rust panic message ("panicked at file:line:col:\nmessage") from
/// captured stderr.
fn panic_message(output: &str) -> Option<String> {
    let start = output.find("panicked at ")?;
    let text = &output[start + "panicked at ".len()..];
    let (location, rest) = text.split_once(":\n").unwrap_or((text, ""));
    let message: Vec<&str> = rest
        .lines()
        .take_while(|l| !l.starts_with("note: "))
        .collect();
    let message = message.join("\n");
    Some(if message.is_empty() {
        location.trim().to_string()
    } else {
        format!("{} (at {})", tail(message.trim(), 2000), location.trim())
    })
}

fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn loaded_size(loaded: &Loaded) -> usize {
    match loaded {
        Loaded::Sample(s) => s.id.len() + s.subtask.len() + s.data.len() + s.target.len(),
        Loaded::Invalid(e) => {
            e.path.len() + e.message.len() + e.field.as_ref().map_or(0, |f| f.len())
        }
    }
}

fn step_size(step: &Step) -> usize {
    use wit::Query;
    match step {
        Step::Done(score) => {
            score.details.len()
                + score.extracted.as_ref().map_or(0, |e| e.len())
                + score
                    .metrics
                    .iter()
                    .map(|m| m.name.len() + 8)
                    .sum::<usize>()
        }
        Step::Ask(Query::Choose(c)) => {
            c.context.len() + c.continuations.iter().map(|s| s.len()).sum::<usize>()
        }
        Step::Ask(Query::Generate(g) | Query::Judge(g)) => {
            g.messages
                .iter()
                .map(|m| m.content.len() + m.role.len())
                .sum::<usize>()
                + g.params.stop.iter().map(|s| s.len()).sum::<usize>()
                + g.reference.as_ref().map_or(0, |r| r.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_message_is_extracted_with_location() {
        let out = "thread '<unnamed>' panicked at src/lib.rs:10:5:\nindex out of bounds: the len is 10 but the index is 13\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(out).unwrap(),
            "index out of bounds: the len is 10 but the index is 13 (at src/lib.rs:10:5)"
        );
        assert_eq!(panic_message("nothing here"), None);
    }

    #[test]
    fn tail_respects_char_boundaries() {
        assert_eq!(tail("héllo", 4), "llo");
        assert_eq!(tail("abc", 10), "abc");
    }
}
