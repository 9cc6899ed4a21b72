//! `hostile-aggregate`: a benchmark with three ordinary `ok-*` samples whose
//! `aggregate` panics. Attacks the last call of a run: the host must report
//! an aggregation failure naming the plugin (and keep the per-sample scores
//! it already has) instead of crashing or dropping the run's results.

wit_bindgen::generate!({
    path: "../../../wit/v0.1",
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

struct HostileAggregate;

fn info() -> PluginInfo {
    common::info(
        "hostile-aggregate",
        "Sandbox test fixture: samples score normally, aggregation panics.",
    )
}

impl loader::Guest for HostileAggregate {
    fn info() -> PluginInfo {
        info()
    }

    fn load(_files: Vec<DataFile>, _options: Vec<OptionValue>) -> Result<LoadedSet, Error> {
        Ok(common::loaded_set(common::ok_samples(3)))
    }
}

impl scorer::Guest for HostileAggregate {
    type Episode = OkEpisode;

    fn info() -> PluginInfo {
        info()
    }

    fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
        common::prepare(shared, options)
    }

    fn aggregate(samples: Vec<ScoredSample>, _options: Vec<OptionValue>) -> Result<Report, Error> {
        // The attack.
        panic!(
            "hostile-aggregate panic: deliberately failing aggregate over {} samples",
            samples.len()
        )
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

export!(HostileAggregate);
