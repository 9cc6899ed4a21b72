//! MuSR (Sprague et al., 2024) as a scorebox plugin: loader and scorer.
//!
//! `variant=leaderboard` (default) reproduces lm-evaluation-harness's
//! `leaderboard_musr` (0-shot log-likelihood, `acc_norm`);
//! `variant=official` the official `eval/eval.py` (`cot+` prompt, answer
//! parse, random fallback). See the README.
#![deny(missing_docs)]

pub mod episode;
pub mod load;
pub mod report;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which reference is reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// lm-eval `leaderboard_musr_*`.
    Leaderboard,
    /// The official `eval/eval.py` with the `cot+` prompt.
    Official,
}

/// What an unparseable official answer scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// A draw from `random.Random(episode seed)`.
    Seeded,
    /// The official script's global stream, replayed in `aggregate`.
    ReferenceStream,
    /// No draw: 0.
    None,
}

impl Fallback {
    /// The results filter name.
    pub fn filter(self) -> &'static str {
        match self {
            Fallback::Seeded => "official-seeded",
            Fallback::ReferenceStream => "official-stream",
            Fallback::None => "official-none",
        }
    }
}

/// The options MuSR understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "leaderboard",
        allowed: &["leaderboard", "official"],
        description: "leaderboard: lm-eval leaderboard_musr (0-shot log-likelihood of the choice texts, acc_norm); \
                      official: the MuSR eval script (cot+ prompt, ANSWER: parse)",
    },
    OptionSpec {
        key: "fallback",
        default: "seeded",
        allowed: &["seeded", "reference-stream", "none"],
        description: "official variant, answer without a choice number: seeded draw from the episode seed, \
                      the official script's random.seed(0) stream (replayed at aggregation), or 0",
    },
];

fn variant(o: &Options) -> Result<Variant, Error> {
    o.get_with("variant", |v| match v {
        "leaderboard" => Some(Variant::Leaderboard),
        "official" => Some(Variant::Official),
        _ => None,
    })
}

fn fallback(o: &Options) -> Result<Fallback, Error> {
    o.get_with("fallback", |v| match v {
        "seeded" => Some(Fallback::Seeded),
        "reference-stream" => Some(Fallback::ReferenceStream),
        "none" => Some(Fallback::None),
        _ => None,
    })
}

/// The MuSR benchmark.
pub struct Musr;

impl Benchmark for Musr {
    type Episode = episode::MusrEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "musr".into(),
            version: VERSION.into(),
            description: "MuSR: multistep soft reasoning over long narratives (murder mysteries, \
                          object placements, team allocation)"
                .into(),
            subtasks: load::DOMAINS.iter().map(|d| d.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                MetricInfo {
                    name: "acc_norm".into(),
                    higher_is_better: true,
                    description: "variant=leaderboard: 1 when the highest log-likelihood per character of \
                                  \" {choice}\" (first on ties) is the gold choice"
                        .into(),
                },
                MetricInfo {
                    name: "acc".into(),
                    higher_is_better: true,
                    description: "variant=official: 1 when the gold number is a substring of the parsed answer".into(),
                },
                MetricInfo {
                    name: "leaderboard_norm".into(),
                    higher_is_better: true,
                    description: "variant=leaderboard: per domain max(0, (acc_norm - 1/k)/(1 - 1/k)) with \
                                  k = 2, 5, 3, averaged"
                        .into(),
                },
            ],
            capabilities: Vec::new(),
            data: vec![
                DataSource {
                    location: "https://huggingface.co/datasets/TAUR-Lab/MuSR".into(),
                    files: "murder_mysteries, object_placements, team_allocation splits (csv/parquet/jsonl)".into(),
                    notes: "rows {narrative, question, choices (Python list literal), answer_index, answer_choice}; CC-BY-4.0".into(),
                },
                DataSource {
                    location: "https://github.com/Zayne-sprague/MuSR".into(),
                    files: "datasets/{murder_mystery,object_placements,team_allocation}.json".into(),
                    notes: "[{context, questions: [{question, choices, answer}]}]".into(),
                },
            ],
        }
    }

    fn load(files: Vec<DataFile>, _options: &Options) -> Result<LoadedSet, Error> {
        load::load(&files)
    }

    fn start(
        sample: Sample,
        seed: u64,
        _shared: &(),
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::MusrEpisode::new(&sample, variant(options)?, fallback(options)?, seed)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, variant(options)?, fallback(options)?)
    }
}

scorebox_sdk::export!(Musr);
