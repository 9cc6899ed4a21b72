//! Host bindings of the `scorebox:bench` WIT package, one module per
//! released version. `latest` is what the rest of the host uses; older
//! versions (none yet) convert into it.

/// Bindings of `scorebox:bench@0.1.0` (`wit/v0.1`).
pub mod v0_1 {
    #![allow(missing_docs)]
    wasmtime::component::bindgen!({
        path: "../wit/v0.1",
        world: "benchmark-plugin",
        additional_derives: [PartialEq],
    });
}

pub use v0_1 as latest;

/// The WIT package versions this host can run, newest last.
pub const SUPPORTED_VERSIONS: &[&str] = &["0.1.0"];

/// The WIT package name every plugin exports from.
pub const PACKAGE: &str = "scorebox:bench";

pub use latest::exports::scorebox::bench::loader::GuestIndices as LoaderIndices;
pub use latest::exports::scorebox::bench::scorer::GuestIndices as ScorerIndices;
pub use latest::scorebox::bench::types::{
    AggregateMetric, Answer, Capability, ChooseRequest, ContinuationScore, DataFile, DataSource,
    EpisodeConfig, Error as GuestError, FileFormat, GenerateRequest, GenerationParams, Level,
    Loaded, LoadedSet, Message, MetricInfo, MetricValue, OptionInfo, OptionValue, PluginInfo,
    Query, Report, RowError, Sample, SampleScore, ScoredSample, Step, TaskReport,
};
