//! Guest SDK for scorebox benchmark plugins.
//!
//! A benchmark is a crate with one type implementing [`Benchmark`] (its
//! loader, its episodes and its aggregation) and one [`export!`] line. The SDK
//! turns that into a WebAssembly component exporting the `loader` and
//! `scorer` interfaces of the WIT package `scorebox:bench@0.1.0`
//! ([`WIT_PACKAGE`]), and holds the rules every benchmark needs, written once:
//!
//! * [`options`]: declared options, validated with clear errors;
//! * [`data`]: dataset rows (JSON values, CSV cells), splits and subjects from
//!   file paths;
//! * [`prompt`]: multiple-choice prompt formats (lm-evaluation-harness, MMLU-Pro CoT);
//! * [`extract`]: answer-letter extraction chains, reproducing Python `re`
//!   semantics where the references rely on them;
//! * [`normalize`]: lm-evaluation-harness `exact_match` and Python string helpers;
//! * [`metrics`]: accuracy, exact match, F1, mean, `mean_stderr`, argmax;
//! * [`aggregate`]: per-subtask statistics and micro/macro groups in
//!   lm-evaluation-harness's order of operations;
//! * [`pyliteral`]: Python `ast.literal_eval` of a list of strings;
//! * [`pyre`]: a small backtracking engine with Python `re` semantics;
//! * [`lmeval`]: lm-evaluation-harness `regex`/`multi_choice_regex` filters,
//!   `exact_match` with `regexes_to_ignore`, `acc`/`acc_norm` predictions;
//! * [`pyrandom`]: a faithful port of CPython's `random` (MT19937) for
//!   references that draw from it, and the episode RNG;
//! * [`step`]: small constructors for queries, steps and scores;
//! * [`shared`]: the loader's data all episodes share ([`LoadedSet`]);
//! * [`testing`]: an in-process host driving a [`Benchmark`] through the
//!   same glue as the component, for native tests.
//!
//! ```ignore
//! struct MyBench;
//! impl scorebox_sdk::Benchmark for MyBench {
//!     type Episode = MyEpisode;
//!     type Shared = (); // or few-shot pools: see `Benchmark::Shared`
//!     /* info, load, start; optionally prepare, aggregate */
//! }
//! scorebox_sdk::export!(MyBench);
//! ```
//!
//! Plugins never reach anything themselves: no files, clock or OS randomness.
//! Every model call is a query returned to the host.
#![deny(missing_docs)]

pub mod aggregate;
pub mod data;
pub mod extract;
pub mod lmeval;
pub mod metrics;
pub mod normalize;
pub mod options;
pub mod prompt;
pub mod pyliteral;
pub mod pyrandom;
pub mod pyre;
pub mod pyunicode;
pub mod shared;
pub mod step;
pub mod testing;

mod pyunicode_digits;
mod pyunicode_punct;
mod pyunicode_table;

pub use __private::bindings::scorebox::bench::types::{
    AggregateMetric, Answer, Capability, ChooseRequest, ContinuationScore, DataFile, DataSource,
    EpisodeConfig, Error, FileFormat, GenerateRequest, GenerationParams, Level, Loaded, Message,
    MetricInfo, MetricValue, OptionInfo, OptionValue, PluginInfo, Query, Report, RowError, Sample,
    SampleScore, ScoredSample, Step, TaskReport,
};
pub use options::{OptionSpec, Options};
pub use shared::LoadedSet;

/// The WIT package and version this SDK implements.
pub const WIT_PACKAGE: &str = "scorebox:bench@0.1.0";

impl Error {
    /// An error with the given message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }
}

impl Report {
    /// A report of these tasks, revising no sample score.
    pub fn new(tasks: Vec<TaskReport>) -> Self {
        Report {
            tasks,
            revised: Vec::new(),
        }
    }

    /// The same report, with these revised per-sample scores: the host writes
    /// them into the samples file in place of the episodes' scores (e.g. a
    /// random fallback drawn at aggregation from one stream over all samples).
    pub fn with_revised(mut self, revised: Vec<ScoredSample>) -> Self {
        self.revised = revised;
        self
    }
}

/// One benchmark: how it describes itself, loads rows, scores a sample and
/// aggregates. Every hook but [`Benchmark::info`] and [`Benchmark::start`]
/// has a default.
///
/// Options arrive validated against [`Benchmark::OPTIONS`] (unknown keys and
/// values outside `allowed` are rejected before a hook runs; missing keys get
/// their default).
///
/// Data every episode needs (few-shot pools, a common document) is not copied
/// into each sample: [`Benchmark::load`] returns it once as
/// [`LoadedSet::shared`], of type [`Benchmark::Shared`]. The SDK sends it to
/// the host as JSON text; the host hands it to each scorer instance once
/// (`scorer.prepare`), where the SDK decodes it, passes it through
/// [`Benchmark::prepare`] and keeps it for [`Benchmark::start`] and
/// [`Benchmark::aggregate`] of that instance. A benchmark without shared
/// data writes `type Shared = ();` (see the [`shared`] module for the encoding).
pub trait Benchmark: 'static {
    /// The episode type: the state of one sample being scored.
    type Episode: Episode;

    /// Data all episodes share, produced by [`Benchmark::load`]; `()` when
    /// there is none. A value equal to `Default::default()` travels as "no
    /// shared data" (the empty string), so the default must mean "nothing
    /// loaded".
    type Shared: serde::Serialize + serde::de::DeserializeOwned + Default + 'static;

    /// Options the plugin understands. They are also reported by `info`
    /// when [`Benchmark::info`] leaves `options` empty.
    const OPTIONS: &'static [OptionSpec] = &[];

    /// Describes the plugin (name, version, subtasks, metrics, data sources).
    fn info() -> PluginInfo;

    /// Turns dataset files into samples, one [`Loaded`] per usable or
    /// unusable row, plus the data all episodes share. Without shared data,
    /// return `Ok(items.into())` (or [`LoadedSet::new`]).
    ///
    /// # Errors
    /// Returns an error only when nothing can be loaded at all. The default
    /// says that this plugin has no loader.
    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<Self::Shared>, Error> {
        let _ = (files, options);
        Err(Error::new("this plugin has no loader"))
    }

    /// Checks or reshapes the decoded shared data once per scorer instance,
    /// before any episode starts (e.g. build an index). The default keeps it
    /// as it is.
    ///
    /// # Errors
    /// An error here fails every sample of the run.
    fn prepare(shared: Self::Shared, options: &Options) -> Result<Self::Shared, Error> {
        let _ = options;
        Ok(shared)
    }

    /// Starts scoring one sample. `seed` is the host's per-sample seed
    /// (derived from the run seed and the sample id); use it, through
    /// [`pyrandom::PyRandom::from_seed`], for any randomness. `shared` is the
    /// loader's shared data (after [`Benchmark::prepare`]).
    ///
    /// # Errors
    /// Returns an error when the sample cannot be scored (bad sample data,
    /// inconsistent options); the host fails that sample only.
    fn start(
        sample: Sample,
        seed: u64,
        shared: &Self::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error>;

    /// Turns all sample scores into task, subtask and group metrics, and
    /// optionally revised per-sample scores ([`Report::with_revised`]).
    ///
    /// The default reports, for every metric name found, the mean and
    /// `mean_stderr` per subtask and over all samples, with filter `none`,
    /// and revises nothing.
    ///
    /// # Errors
    /// Returns an error when the scores cannot be aggregated.
    fn aggregate(
        samples: Vec<ScoredSample>,
        shared: &Self::Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        let _ = (shared, options);
        Ok(aggregate::default_report(&Self::info().name, &samples))
    }
}

/// The scoring of one sample, driven by the host: `step(None)` first, then
/// `step(Some(answer))` after each [`Step::Ask`], until [`Step::Done`].
pub trait Episode: 'static {
    /// Advances the episode with the answer to the previous query.
    ///
    /// # Errors
    /// An error fails this sample only.
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error>;
}

/// Registers a [`Benchmark`] type as the component's loader and scorer.
///
/// ```ignore
/// scorebox_sdk::export!(Mmlu);
/// ```
///
/// On targets other than `wasm32` it expands to nothing, so a plugin crate
/// also builds (and runs its tests) natively.
#[macro_export]
macro_rules! export {
    ($bench:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            type __ScoreboxComponent = $crate::__private::Component<$bench>;
            $crate::__private::bindings::export_benchmark!(
                __ScoreboxComponent with_types_in $crate::__private::bindings
            );
            /// The WIT version the SDK was built against, readable before
            /// the component is compiled.
            #[unsafe(link_section = "scorebox-sdk")]
            #[used]
            static __SCOREBOX_SDK_WIT: [u8; $crate::WIT_PACKAGE.len()] =
                $crate::__private::wit_package_bytes();
        };
    };
}

/// Glue between the generated bindings and [`Benchmark`]; used by [`export!`].
#[doc(hidden)]
pub mod __private {
    use std::cell::RefCell;
    use std::marker::PhantomData;

    /// The generated bindings (kept out of the public API).
    #[allow(missing_docs, clippy::all)]
    pub mod bindings {
        wit_bindgen::generate!({
            path: "../../wit/v0.1",
            world: "benchmark-plugin",
            pub_export_macro: true,
            export_macro_name: "export_benchmark",
            default_bindings_module: "scorebox_sdk::__private::bindings",
            additional_derives: [PartialEq],
        });
    }

    use std::any::Any;
    use std::rc::Rc;

    use crate::{
        Answer, Benchmark, DataFile, Episode, EpisodeConfig, Error, OptionValue, Options,
        PluginInfo, Report, Sample, ScoredSample, Step,
    };
    use bindings::exports::scorebox::bench::{loader, scorer};
    use bindings::scorebox::bench::types::LoadedSet as WitLoadedSet;

    thread_local! {
        /// The instance's shared data (a `B::Shared`), set by `prepare`.
        /// A component instance runs one benchmark on one thread.
        static SHARED: RefCell<Option<Rc<dyn Any>>> = const { RefCell::new(None) };
    }

    /// Runs `f` with the shared data `prepare` kept.
    fn with_shared<B: Benchmark, T>(
        f: impl FnOnce(&B::Shared) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let kept = SHARED.with(|s| s.borrow().clone()).ok_or_else(|| {
            Error::new(format!(
                "`prepare` did not succeed on this scorer instance (it was not called, or \
                 it failed); {} requires it before any episode or `aggregate`",
                crate::WIT_PACKAGE
            ))
        })?;
        let shared = kept.downcast::<B::Shared>().map_err(|_| {
            Error::new("the instance's shared data is of another benchmark's type (SDK bug)")
        })?;
        f(&shared)
    }

    /// [`crate::WIT_PACKAGE`] as a byte array, for the `scorebox-sdk` custom section.
    pub const fn wit_package_bytes<const N: usize>() -> [u8; N] {
        let src = crate::WIT_PACKAGE.as_bytes();
        let mut out = [0u8; N];
        let mut i = 0;
        while i < N {
            out[i] = src[i];
            i += 1;
        }
        out
    }

    /// The component type exported for a benchmark `B`.
    pub struct Component<B>(PhantomData<B>);

    /// The exported `episode` resource for a benchmark `B`.
    pub struct EpisodeResource<B: Benchmark> {
        state: RefCell<Result<B::Episode, Error>>,
    }

    fn info<B: Benchmark>() -> PluginInfo {
        let mut info = B::info();
        if info.options.is_empty() {
            info.options = crate::options::option_infos(B::OPTIONS);
        }
        info
    }

    impl<B: Benchmark> loader::Guest for Component<B> {
        fn info() -> PluginInfo {
            info::<B>()
        }

        fn load(files: Vec<DataFile>, options: Vec<OptionValue>) -> Result<WitLoadedSet, Error> {
            let options = Options::parse(B::OPTIONS, &options)?;
            let set = B::load(files, &options)?;
            Ok(WitLoadedSet {
                shared: crate::shared::encode(&set.shared)?,
                items: set.items,
            })
        }
    }

    impl<B: Benchmark> scorer::Guest for Component<B> {
        type Episode = EpisodeResource<B>;

        fn info() -> PluginInfo {
            info::<B>()
        }

        fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
            // A failed `prepare` leaves nothing behind: every episode then fails.
            SHARED.with(|s| s.borrow_mut().take());
            let options = Options::parse(B::OPTIONS, &options)?;
            let shared = crate::shared::decode::<B::Shared>(&shared)?;
            let shared: Rc<dyn Any> = Rc::new(B::prepare(shared, &options)?);
            SHARED.with(|s| *s.borrow_mut() = Some(shared));
            Ok(())
        }

        fn aggregate(
            samples: Vec<ScoredSample>,
            options: Vec<OptionValue>,
        ) -> Result<Report, Error> {
            let options = Options::parse(B::OPTIONS, &options)?;
            with_shared::<B, _>(|shared| B::aggregate(samples, shared, &options))
        }
    }

    impl<B: Benchmark> scorer::GuestEpisode for EpisodeResource<B> {
        fn new(sample: Sample, config: EpisodeConfig) -> Self {
            // The constructor cannot fail in WIT: keep the error and return it
            // from the first `step`.
            let state = Options::parse(B::OPTIONS, &config.options).and_then(|options| {
                with_shared::<B, _>(|shared| B::start(sample, config.seed, shared, &options))
            });
            EpisodeResource {
                state: RefCell::new(state),
            }
        }

        fn step(&self, answer: Option<Answer>) -> Result<Step, Error> {
            match &mut *self.state.borrow_mut() {
                Ok(episode) => episode.step(answer),
                Err(error) => Err(error.clone()),
            }
        }
    }
}
