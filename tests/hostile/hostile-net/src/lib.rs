//! `hostile-net`: a benchmark whose loader opens a TCP connection to
//! `127.0.0.1:9` (discard) with `std::net`, so the component imports
//! `wasi:sockets/*`. Attacks the host's import allowlist: the host must
//! refuse to instantiate the component (before any plugin code runs) with an error naming the `wasi:sockets` import. The
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

struct HostileNet;

fn info() -> PluginInfo {
    common::info(
        "hostile-net",
        "Sandbox test fixture: a loader that tries to open a TCP connection.",
    )
}

impl loader::Guest for HostileNet {
    fn info() -> PluginInfo {
        info()
    }

    fn load(_files: Vec<DataFile>, _options: Vec<OptionValue>) -> Result<LoadedSet, Error> {
        // The attack. Were it ever linked, this would reach the host's
        // network (port 9 is "discard": nothing listens on it, or it drops
        // what it gets).
        let stream = std::net::TcpStream::connect("127.0.0.1:9").map_err(|e| Error {
            message: format!("hostile-net: connecting to 127.0.0.1:9 failed: {e}"),
        })?;
        drop(stream);
        let mut samples = common::ok_samples(3);
        samples.push(common::sample("connected"));
        Ok(common::loaded_set(samples))
    }
}

impl scorer::Guest for HostileNet {
    type Episode = OkEpisode;

    fn info() -> PluginInfo {
        info()
    }

    fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
        common::prepare(shared, options)
    }

    fn aggregate(samples: Vec<ScoredSample>, _options: Vec<OptionValue>) -> Result<Report, Error> {
        Ok(common::mean_report("hostile-net", &samples))
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

export!(HostileNet);
