//! `hostile`: a full benchmark (loader + scorer) whose samples each attack the
//! host in a different way when scored. The loader ignores its files and
//! returns one sample per behaviour, in `BEHAVIOURS` order; the sample id *is*
//! the behaviour. `ok-1`, `ok-2` and `ok-3` score normally (acc 1 when the
//! model says `yes`), so a host test can check that the run survives every
//! attack and still scores the good samples around them. See ../../README.md
//! for the error the host is expected to give for each.
//!
//! Every attack happens on the episode's first `step`, not in the
//! constructor, so that one call per sample is the thing the host must bound.

wit_bindgen::generate!({
    path: "../../../wit/v0.1",
    world: "benchmark-plugin",
});

#[path = "../../common/mod.rs"]
mod common;

use common::{OkEpisode, done, error};
use core::hint::black_box;
use exports::scorebox::bench::{loader, scorer};
use scorebox::bench::types::{
    Answer, DataFile, EpisodeConfig, Error, GenerateRequest, LoadedSet, OptionValue, PluginInfo,
    Query, Report, Sample, ScoredSample, Step,
};

/// The samples, in load order.
const BEHAVIOURS: [&str; 13] = [
    "ok-1", "ok-2", "loop", "bomb", "recurse", "panic", "spew", "huge", "error", "exit",
    "bad-json", "judge", "ok-3",
];

const MIB: usize = 1 << 20;

struct Hostile;

fn info() -> PluginInfo {
    common::info(
        "hostile",
        "Sandbox test fixture: samples that loop, exhaust memory or stack, panic, \
         spew output, return oversized or malformed results, exit, or overstep \
         their capabilities.",
    )
}

impl loader::Guest for Hostile {
    fn info() -> PluginInfo {
        info()
    }

    fn load(_files: Vec<DataFile>, _options: Vec<OptionValue>) -> Result<LoadedSet, Error> {
        Ok(common::loaded_set(
            BEHAVIOURS.iter().map(|b| common::sample(b)).collect(),
        ))
    }
}

impl scorer::Guest for Hostile {
    type Episode = Episode;

    fn info() -> PluginInfo {
        info()
    }

    fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
        common::prepare(shared, options)
    }

    fn aggregate(samples: Vec<ScoredSample>, _options: Vec<OptionValue>) -> Result<Report, Error> {
        Ok(common::mean_report("hostile", &samples))
    }
}

struct Episode {
    /// The sample id, i.e. the behaviour to act out.
    behaviour: String,
    /// Drives the `ok-*` samples (and any id not listed in `BEHAVIOURS`).
    ok: OkEpisode,
}

impl scorer::GuestEpisode for Episode {
    fn new(sample: Sample, _config: EpisodeConfig) -> Self {
        Self {
            behaviour: sample.id,
            ok: OkEpisode::new(),
        }
    }

    fn step(&self, answer: Option<Answer>) -> Result<Step, Error> {
        match self.behaviour.as_str() {
            "loop" => spin(),
            "bomb" => hoard_memory(),
            "recurse" => Ok(done(recurse(0) as f64, None, "{}".into())),
            "panic" => panic!("hostile panic: deliberately failing sample `panic`"),
            "spew" => spew(),
            "huge" => huge(),
            // A plain, deliberate failure: the one "attack" the WIT allows.
            "error" => Err(error("hostile error: refusing sample `error`")),
            // Attacks the host's wasi:cli/exit: the call must end as this
            // sample's error, not end the host process.
            "exit" => std::process::exit(3),
            // Attacks the host's parsing of `details` (documented as JSON text).
            "bad-json" => Ok(done(1.0, None, "not json {".into())),
            "judge" => judge(answer),
            _ => self.ok.step(answer),
        }
    }
}

/// `loop`: never returns and never calls the host. Attacks the fuel budget /
/// epoch deadline. `black_box` keeps the optimiser from deleting the loop (an
/// empty infinite loop could otherwise be folded into a trap or `unreachable`).
fn spin() -> ! {
    let mut i = 0u64;
    loop {
        i = black_box(i.wrapping_add(1));
    }
}

/// `bomb`: grows linear memory by 1 MiB chunks until the allocator fails.
/// Attacks the memory cap: the host's limiter should refuse `memory.grow`,
/// after which Rust aborts with "memory allocation of 1048576 bytes failed"
/// (a trap). Each chunk gets one byte written per 64 KiB wasm page, so the
/// host really commits the pages, but no more: wasmtime charges fuel per byte
/// of `memory.fill`, and filling whole chunks would make this a fuel test
/// (about 1 fuel unit per byte, 1e9 units for a 1 GiB cap).
fn hoard_memory() -> ! {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = Vec::with_capacity(MIB);
        for page in chunk.spare_capacity_mut().chunks_mut(64 << 10) {
            page[0].write(0xA5);
        }
        hoard.push(black_box(chunk));
        black_box(&hoard);
    }
}

/// The base case of `recurse`, read with a volatile load so the compiler
/// can't prove it unreachable and turn the recursion into a loop or a trap.
static DEPTH_LIMIT: u64 = u64::MAX;

/// `recurse`: unbounded, non-tail recursion (the result is rotated and mixed
/// after the call, which tail-call/accumulator elimination can't undo). Its
/// frame lives in wasm locals, not in Rust's shadow stack in linear memory,
/// so it attacks the host's wasm stack cap ("call stack exhausted").
#[inline(never)]
fn recurse(depth: u64) -> u64 {
    // SAFETY: a volatile read of an initialised, immutable static.
    if depth == unsafe { core::ptr::read_volatile(&raw const DEPTH_LIMIT) } {
        return depth;
    }
    recurse(depth + 1).rotate_left(7) ^ depth
}

/// `spew`: prints 8 MiB to stdout, then finishes normally (acc 1). Attacks the
/// stdout capture, which must stay bounded. If the host's stdout stream
/// reports an error once its buffer is full, `print!` panics and the sample
/// fails; if the host silently drops the excess, the sample scores 1.
fn spew() -> Result<Step, Error> {
    let mut line = "x".repeat(1023);
    line.push('\n');
    for _ in 0..8 * MIB / line.len() {
        print!("{line}");
    }
    Ok(done(1.0, None, "{}".into()))
}

/// `huge`: a finished score whose `details` is a valid 48 MiB JSON string.
/// Attacks the host's cap on data crossing the boundary (lifting it would
/// copy 48 MiB into the host). Built with `repeat` (a few `memory.copy`s,
/// ~50M fuel units) rather than char by char, which would run out of fuel
/// first. Needs ~48 MiB of guest memory.
fn huge() -> Result<Step, Error> {
    let mut details = "x".repeat(48 * MIB);
    details.replace_range(..1, "\"");
    details.replace_range(48 * MIB - 1.., "\"");
    Ok(done(1.0, None, details))
}

/// `judge`: asks a judge query although `info()` declares no `judge`
/// capability. Attacks capability enforcement: the host must refuse the
/// query. If the host answers it anyway, the sample fails with a message
/// naming that host bug.
fn judge(answer: Option<Answer>) -> Result<Step, Error> {
    match answer {
        None => Ok(Step::Ask(Query::Judge(GenerateRequest {
            reference: None,
            ..common::yes_request()
        }))),
        Some(Answer::Failed(why)) => Err(Error {
            message: format!("hostile judge: judge query refused: {why}"),
        }),
        Some(_) => Err(error(
            "hostile judge: the host ANSWERED a judge query although info() declares \
             no judge capability (host bug)",
        )),
    }
}

export!(Hostile);
