//! BIG-Bench Hard (Suzgun et al., 2022) as a scorebox plugin: loader and scorer.
//!
//! Variants reproduce lm-evaluation-harness's `bbh_cot_fewshot` (default),
//! `bbh_cot_zeroshot`, `bbh_fewshot`, `bbh_zeroshot` and the Open LLM
//! Leaderboard's `leaderboard_bbh` (24 multiple-choice subtasks, `acc_norm`).
//! Descriptions and few-shot exemplars come from the official
//! `cot-prompts/<subtask>.txt` files in the user's data. See the README.
#![deny(missing_docs)]

pub mod episode;
pub mod filters;
pub mod load;
pub mod prompts;
pub mod report;
pub mod tasks;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which lm-eval task is reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `bbh_cot_fewshot`: 3 CoT exemplars, `get-answer`, `exact_match`.
    CotFewshot,
    /// `bbh_cot_zeroshot`: `strict-match` and `flexible-extract`.
    CotZeroshot,
    /// `bbh_fewshot`: 3 answer-only exemplars, raw `exact_match`.
    Fewshot,
    /// `bbh_zeroshot`: `strict-match` (raw) and `flexible-extract`.
    Zeroshot,
    /// `leaderboard_bbh`: 3-shot log-likelihood, `acc_norm`.
    Leaderboard,
}

impl Variant {
    /// All values of the `variant` option.
    pub const NAMES: [&'static str; 5] = [
        "cot_fewshot",
        "cot_zeroshot",
        "fewshot",
        "zeroshot",
        "leaderboard",
    ];

    /// Parses the `variant` option.
    pub fn parse(value: &str) -> Option<Variant> {
        Some(match value {
            "cot_fewshot" => Variant::CotFewshot,
            "cot_zeroshot" => Variant::CotZeroshot,
            "fewshot" => Variant::Fewshot,
            "zeroshot" => Variant::Zeroshot,
            "leaderboard" => Variant::Leaderboard,
            _ => return None,
        })
    }

    /// The variant of validated options.
    ///
    /// # Errors
    /// For a value outside the declared ones.
    pub fn from_options(options: &Options) -> Result<Variant, Error> {
        options.get_with("variant", Variant::parse)
    }

    /// The lm-eval group name (subtasks are `<group>_<subtask>`).
    pub fn group(self) -> &'static str {
        match self {
            Variant::CotFewshot => "bbh_cot_fewshot",
            Variant::CotZeroshot => "bbh_cot_zeroshot",
            Variant::Fewshot => "bbh_fewshot",
            Variant::Zeroshot => "bbh_zeroshot",
            Variant::Leaderboard => "leaderboard_bbh",
        }
    }
}

/// The options BBH understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "cot_fewshot",
        allowed: &Variant::NAMES,
        description: "cot_fewshot: lm-eval bbh_cot_fewshot (3 CoT exemplars, answer after \"the answer is\"); \
                      cot_zeroshot / zeroshot: lm-eval bbh_cot_zeroshot / bbh_zeroshot (strict-match and flexible-extract); \
                      fewshot: lm-eval bbh_fewshot; leaderboard: leaderboard_bbh (24 MC subtasks, 3-shot, acc_norm)",
    },
    OptionSpec {
        key: "num_fewshot",
        default: "3",
        allowed: &[],
        description: "exemplars taken (first N) from each cot-prompts file in the few-shot variants \
                      (cot_fewshot, fewshot, leaderboard); lm-eval uses 3",
    },
];

/// The BBH benchmark.
pub struct Bbh;

impl Benchmark for Bbh {
    type Episode = episode::BbhEpisode;
    type Shared = load::Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "bbh".into(),
            version: VERSION.into(),
            description: "BIG-Bench Hard: 27 hard BIG-Bench subtasks, chain-of-thought or \
                          log-likelihood (lm-evaluation-harness bbh_* and leaderboard_bbh rules)"
                .into(),
            subtasks: tasks::SUBTASKS.iter().map(|s| s.name.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                MetricInfo {
                    name: "exact_match".into(),
                    higher_is_better: true,
                    description: "generative variants: 1 when the filtered answer equals the target \
                                  (zero-shot: ignoring case, commas, backslashes, newlines, quotes and a final period)"
                        .into(),
                },
                MetricInfo {
                    name: "exact_match_strict".into(),
                    higher_is_better: true,
                    description: "zero-shot variants, per sample: exact_match under the strict-match filter \
                                  (aggregated as exact_match,strict-match)"
                        .into(),
                },
                MetricInfo {
                    name: "acc_norm".into(),
                    higher_is_better: true,
                    description: "variant=leaderboard: 1 when the highest log-likelihood per character \
                                  (first on ties) is the target"
                        .into(),
                },
                MetricInfo {
                    name: "leaderboard_norm".into(),
                    higher_is_better: true,
                    description: "variant=leaderboard: the HF leaderboard's normalised BBH score \
                                  (per subtask (acc_norm - 1/k)/(1 - 1/k) clamped at 0, averaged over subtasks)"
                        .into(),
                },
            ],
            capabilities: Vec::new(),
            data: vec![
                DataSource {
                    location: "https://github.com/suzgunmirac/BIG-Bench-Hard".into(),
                    files: "bbh/<subtask>.json and cot-prompts/<subtask>.txt"
                        .into(),
                    notes: "{\"examples\": [{input, target}]}; MIT license; the prompt files give the \
                            descriptions and few-shot exemplars of every variant"
                        .into(),
                },
                DataSource {
                    location: "https://huggingface.co/datasets/lukaemon/bbh".into(),
                    files: "<subtask>/test-*.parquet".into(),
                    notes: "rows {input, target}; prompt files as above".into(),
                },
            ],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<load::Shared>, Error> {
        load::load(&files, Variant::from_options(options)?)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        shared: &load::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        let variant = Variant::from_options(options)?;
        let k = options.get_u32("num_fewshot")? as usize;
        episode::BbhEpisode::new(&sample, shared, variant, k)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &load::Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, Variant::from_options(options)?)
    }
}

scorebox_sdk::export!(Bbh);
