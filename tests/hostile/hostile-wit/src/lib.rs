//! `hostile-wit`: a well-behaved benchmark built against the WIT package
//! `scorebox:bench@0.9.0` instead of 0.1.0, so it exports
//! `scorebox:bench/loader@0.9.0` and `scorebox:bench/scorer@0.9.0`. Attacks the
//! host's contract-version check: the host must refuse it at load time with
//! an error naming the version it found and the one it supports, rather than
//! fail later with a missing-export or type error.
//!
//! `wit/bench.wit` is a FIXTURE: a copy of `wit/v0.1/bench.wit` with only the
//! `package` line changed. Only the version matters to the host; the rest is
//! re-copied when `wit/v0.1/bench.wit` changes, so that `common/mod.rs` (shared
//! with the 0.1.0 fixtures) compiles against the same types.

wit_bindgen::generate!({
    path: "wit",
    world: "benchmark-plugin",
});

#[path = "../../common/mod.rs"]
mod common;

use common::OkEpisode;
use exports::scorebox::bench::{loader, scorer};
use scorebox::bench::types::{
    Answer, DataFile, EpisodeConfig, Error, LoadedSet, OptionValue, PluginInfo, Report, Sample,
    ScoredSample, Step,
};

struct HostileWit;

fn info() -> PluginInfo {
    common::info(
        "hostile-wit",
        "Sandbox test fixture: built against an unsupported WIT version (0.9.0).",
    )
}

impl loader::Guest for HostileWit {
    fn info() -> PluginInfo {
        info()
    }

    fn load(_files: Vec<DataFile>, _options: Vec<OptionValue>) -> Result<LoadedSet, Error> {
        Ok(common::loaded_set(common::ok_samples(3)))
    }
}

impl scorer::Guest for HostileWit {
    type Episode = OkEpisode;

    fn info() -> PluginInfo {
        info()
    }

    fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
        common::prepare(shared, options)
    }

    fn aggregate(samples: Vec<ScoredSample>, _options: Vec<OptionValue>) -> Result<Report, Error> {
        Ok(common::mean_report("hostile-wit", &samples))
    }
}

impl scorer::GuestEpisode for OkEpisode {
    fn new(_sample: Sample, _config: EpisodeConfig) -> Self {
        OkEpisode::new()
    }

    fn step(&self, answer: Option<Answer>) -> Result<Step, Error> {
        OkEpisode::step(self, answer)
    }
}

export!(HostileWit);
