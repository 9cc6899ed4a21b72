//! `hostile-fs`: a benchmark whose loader reads `/etc/passwd` with `std::fs`,
//! so the component imports `wasi:filesystem/*`. Attacks the host's import
//! allowlist: the host must refuse to instantiate the component (before any
//! plugin code runs) with an error naming the `wasi:filesystem` import. The
//! scorer is the ordinary `ok` episode, so nothing else about it is wrong.

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

struct HostileFs;

fn info() -> PluginInfo {
    common::info(
        "hostile-fs",
        "Sandbox test fixture: a loader that tries to read /etc/passwd.",
    )
}

impl loader::Guest for HostileFs {
    fn info() -> PluginInfo {
        info()
    }

    fn load(_files: Vec<DataFile>, _options: Vec<OptionValue>) -> Result<LoadedSet, Error> {
        // The attack. Were it ever linked, the first sample's id would carry
        // the file's first line out.
        let passwd = std::fs::read_to_string("/etc/passwd").map_err(|e| Error {
            message: format!("hostile-fs: reading /etc/passwd failed: {e}"),
        })?;
        let first = passwd.lines().next().unwrap_or("");
        let mut samples = common::ok_samples(3);
        samples.push(common::sample(&format!("leaked:{first}")));
        Ok(common::loaded_set(samples))
    }
}

impl scorer::Guest for HostileFs {
    type Episode = OkEpisode;

    fn info() -> PluginInfo {
        info()
    }

    fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
        common::prepare(shared, options)
    }

    fn aggregate(samples: Vec<ScoredSample>, _options: Vec<OptionValue>) -> Result<Report, Error> {
        Ok(common::mean_report("hostile-fs", &samples))
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

export!(HostileFs);
