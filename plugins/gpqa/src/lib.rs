//! GPQA (Rein et al., 2023) as a scorebox plugin: loader and scorer.
//!
//! Variants reproduce lm-evaluation-harness's `leaderboard_gpqa` (default:
//! 0-shot log-likelihood, `acc_norm`), `gpqa_*_zeroshot` and
//! `gpqa_*_cot_zeroshot`, including the options' preprocessing and the
//! reference's `random.shuffle` from a seeded global stream. See the README.
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

/// Which lm-eval task is reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `leaderboard_gpqa_*`: brackets removed from options, `acc_norm`.
    Leaderboard,
    /// `gpqa_*_zeroshot`: brackets kept, `acc` and `acc_norm`.
    Zeroshot,
    /// `gpqa_*_cot_zeroshot`: generation, `strict-match` and `flexible-extract`.
    CotZeroshot,
}

impl Variant {
    /// All values of the `variant` option.
    pub const NAMES: [&'static str; 3] = ["leaderboard", "zeroshot", "cot_zeroshot"];

    /// Parses the `variant` option.
    pub fn parse(value: &str) -> Option<Variant> {
        Some(match value {
            "leaderboard" => Variant::Leaderboard,
            "zeroshot" => Variant::Zeroshot,
            "cot_zeroshot" => Variant::CotZeroshot,
            _ => return None,
        })
    }

    /// The whole benchmark's result key.
    pub fn group(self) -> &'static str {
        match self {
            Variant::Leaderboard => "leaderboard_gpqa",
            Variant::Zeroshot => "gpqa_zeroshot",
            Variant::CotZeroshot => "gpqa_cot_zeroshot",
        }
    }

    /// A configuration's result key (lm-eval's task name).
    pub fn subtask_name(self, config: &str) -> String {
        let short = config.trim_start_matches("gpqa_");
        match self {
            Variant::Leaderboard => format!("leaderboard_gpqa_{short}"),
            Variant::Zeroshot => format!("gpqa_{short}_zeroshot"),
            Variant::CotZeroshot => format!("gpqa_{short}_cot_zeroshot"),
        }
    }
}

/// Where the order of the four options comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shuffle {
    /// lm-eval's global `random` stream seeded with `shuffle_seed`, one
    /// shuffle per row in file order, configurations diamond, extended, main.
    Reference,
    /// `random.Random(episode seed).shuffle`: independent of other rows.
    Seeded,
}

/// The options GPQA understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "leaderboard",
        allowed: &Variant::NAMES,
        description: "leaderboard: lm-eval leaderboard_gpqa (0-shot log-likelihood, acc_norm); \
                      zeroshot: gpqa_*_zeroshot (acc, acc_norm); cot_zeroshot: gpqa_*_cot_zeroshot \
                      (generation, strict-match and flexible-extract)",
    },
    OptionSpec {
        key: "shuffle",
        default: "reference",
        allowed: &["reference", "seeded"],
        description: "reference: the option order lm-eval draws from random.seed(shuffle_seed) over \
                      the rows in order; seeded: random.Random(episode seed) per sample",
    },
    OptionSpec {
        key: "shuffle_seed",
        default: "0",
        allowed: &[],
        description: "the seed of the reference stream (lm-eval's --seed for Python's random, default 0)",
    },
];

/// The GPQA benchmark.
pub struct Gpqa;

fn shuffle(options: &Options) -> Result<Shuffle, Error> {
    options.get_with("shuffle", |v| match v {
        "reference" => Some(Shuffle::Reference),
        "seeded" => Some(Shuffle::Seeded),
        _ => None,
    })
}

fn variant(options: &Options) -> Result<Variant, Error> {
    options.get_with("variant", Variant::parse)
}

impl Benchmark for Gpqa {
    type Episode = episode::GpqaEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "gpqa".into(),
            version: VERSION.into(),
            description: "GPQA: graduate-level, Google-proof 4-option science questions \
                          (lm-evaluation-harness leaderboard_gpqa / gpqa_* rules)"
                .into(),
            subtasks: load::CONFIGS.iter().map(|c| c.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                MetricInfo {
                    name: "acc_norm".into(),
                    higher_is_better: true,
                    description: "1 when the highest log-likelihood per character of \" (A)\"..\" (D)\" \
                                  (first on ties) is the gold letter"
                        .into(),
                },
                MetricInfo {
                    name: "acc".into(),
                    higher_is_better: true,
                    description: "variant=zeroshot: 1 when the highest log-likelihood is the gold letter".into(),
                },
                MetricInfo {
                    name: "exact_match".into(),
                    higher_is_better: true,
                    description: "variant=cot_zeroshot: the filtered answer equals (X), ignoring case and ASCII punctuation"
                        .into(),
                },
                MetricInfo {
                    name: "exact_match_strict".into(),
                    higher_is_better: true,
                    description: "variant=cot_zeroshot, per sample: exact_match under the strict-match filter \
                                  (aggregated as exact_match,strict-match)"
                        .into(),
                },
                MetricInfo {
                    name: "leaderboard_norm".into(),
                    higher_is_better: true,
                    description: "variant=leaderboard: max(0, (acc_norm - 0.25) / 0.75) of leaderboard_gpqa".into(),
                },
            ],
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://huggingface.co/datasets/Idavidrein/gpqa (gated)".into(),
                files: "gpqa_main.csv, gpqa_diamond.csv, gpqa_extended.csv".into(),
                notes: "CSV with header (Question, Correct Answer, Incorrect Answer 1..3, Record ID, ...); \
                        gated, CC-BY-4.0: do not reveal examples in plain text"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet, Error> {
        let seed = options.get("shuffle_seed")?;
        let seed: u64 = seed
            .trim()
            .parse::<i64>()
            .map(i64::unsigned_abs)
            .map_err(|_| {
                Error::new(format!(
                    "option `shuffle_seed` = `{seed}` is not an integer"
                ))
            })?;
        load::load(&files, seed)
    }

    fn start(
        sample: Sample,
        seed: u64,
        _shared: &(),
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::GpqaEpisode::new(&sample, variant(options)?, shuffle(options)?, seed)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, variant(options)?)
    }
}

scorebox_sdk::export!(Gpqa);
