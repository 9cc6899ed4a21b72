//! MATH (Hendrycks et al., 2021) as a scorebox plugin: loader and scorer.
//!
//! Three scorers from one generation family, chosen by `variant`:
//! * `original`: lm-evaluation-harness `hendrycks_math` (hendrycks/math
//!   `is_equiv` string normalisation);
//! * `minerva` (default): lm-eval `minerva_math` (4-shot Minerva prompt,
//!   `Final Answer:` extraction, `normalize_final_answer`, sympy-style
//!   equivalence; plus math-verify);
//! * `leaderboard`: lm-eval `leaderboard_math_hard` (Level 5, math-verify
//!   `exact_match`, the frozen original as `exact_match_original`).
//!
//! See the README for the reference commits, the rules and every known
//! difference.
#![deny(missing_docs)]

pub mod boxed;
pub mod episode;
pub mod equiv;
pub mod expr;
pub mod hendrycks;
pub mod latex;
pub mod load;
pub mod mathverify;
pub mod minerva;
pub mod mvnorm;
pub mod py;
pub mod report;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The seven MATH subjects (subtask names), as the Hendrycks folders spell them.
pub const SUBJECTS: [&str; 7] = [
    "algebra",
    "counting_and_probability",
    "geometry",
    "intermediate_algebra",
    "number_theory",
    "prealgebra",
    "precalculus",
];

/// Which reference task is reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// lm-eval `hendrycks_math`.
    Original,
    /// lm-eval `minerva_math`.
    Minerva,
    /// lm-eval `leaderboard_math_hard`.
    Leaderboard,
}

/// Validated options of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `variant`.
    pub variant: Variant,
    /// Only `Level 5` problems (`subset`).
    pub hard_only: bool,
    /// `num_fewshot`.
    pub num_fewshot: usize,
    /// `max_tokens`.
    pub max_tokens: u32,
}

impl Config {
    /// Reads the options (`auto` values resolved from `variant`).
    ///
    /// # Errors
    /// Returns an error for a value outside the accepted ones.
    pub fn from_options(options: &Options) -> Result<Config, Error> {
        let variant = options.get_with("variant", |v| match v {
            "original" => Some(Variant::Original),
            "minerva" => Some(Variant::Minerva),
            "leaderboard" => Some(Variant::Leaderboard),
            _ => None,
        })?;
        let hard_only = options.get_with("subset", |v| match v {
            "auto" => Some(variant == Variant::Leaderboard),
            "all" => Some(false),
            "hard" => Some(true),
            _ => None,
        })?;
        let num_fewshot = match options.get("num_fewshot")? {
            "auto" => match variant {
                Variant::Original => 0,
                _ => 4,
            },
            _ => options.get_u32("num_fewshot")? as usize,
        };
        let max_tokens = match options.get("max_tokens")? {
            // lm-eval's default `max_gen_toks` (256) unless the task sets one.
            "auto" => match variant {
                Variant::Leaderboard => 1024,
                _ => 256,
            },
            _ => options.get_u32("max_tokens")?,
        };
        Ok(Config {
            variant,
            hard_only,
            num_fewshot,
            max_tokens,
        })
    }

    /// The metric names this configuration reports per sample.
    pub fn metrics(&self) -> &'static [&'static str] {
        match self.variant {
            Variant::Original => &["exact_match"],
            Variant::Minerva => &["exact_match", "math_verify"],
            Variant::Leaderboard => &["exact_match", "exact_match_original"],
        }
    }
}

/// The options MATH understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "minerva",
        allowed: &["minerva", "original", "leaderboard"],
        description: "minerva: lm-eval minerva_math (4-shot, exact_match + math_verify); \
                      original: lm-eval hendrycks_math (is_equiv strings, exact_match); \
                      leaderboard: lm-eval leaderboard_math_hard (Level 5, exact_match via \
                      math-verify, exact_match_original, leaderboard_norm)",
    },
    OptionSpec {
        key: "subset",
        default: "auto",
        allowed: &["auto", "all", "hard"],
        description: "hard: only `Level 5` problems (math-hard); all: every level; \
                      auto: hard for variant=leaderboard, else all",
    },
    OptionSpec {
        key: "num_fewshot",
        default: "auto",
        allowed: &[],
        description: "few-shot examples (auto: 0 for original, 4 for minerva and leaderboard), taken \
                      from a `fewshot*` file, else the first rows of the train split",
    },
    OptionSpec {
        key: "max_tokens",
        default: "auto",
        allowed: &[],
        description: "generation limit (auto: 1024 for leaderboard, else lm-eval's default 256)",
    },
];

/// The MATH benchmark.
pub struct Math;

impl Benchmark for Math {
    type Episode = episode::MathEpisode;
    type Shared = load::Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        let metric = |name: &str, description: &str| MetricInfo {
            name: name.into(),
            higher_is_better: true,
            description: description.into(),
        };
        PluginInfo {
            name: "math".into(),
            version: VERSION.into(),
            description: "MATH: 12,500 competition problems in 7 subjects, free-form answers \
                          (Hendrycks is_equiv, Minerva, math-verify scoring)"
                .into(),
            subtasks: SUBJECTS.iter().map(|s| s.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                metric(
                    "exact_match",
                    "original: is_equiv of the $…$ span and the boxed gold; minerva: Minerva \
                     `Final Answer` normalised and sympy-equivalent; leaderboard: math-verify",
                ),
                metric(
                    "math_verify",
                    "minerva: math-verify parse + verify against the solution",
                ),
                metric(
                    "exact_match_original",
                    "leaderboard: the frozen original Minerva normalisation and sympy equivalence",
                ),
                metric(
                    "leaderboard_norm",
                    "leaderboard: the Open LLM Leaderboard's MATH Lvl 5 score (exact_match, size-weighted, not shifted)",
                ),
            ],
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://github.com/hendrycks/math (MATH.tar) or Hugging Face \
                           EleutherAI/hendrycks_math, DigitalLearningGmbH/MATH-lighteval, \
                           lighteval/MATH-Hard, HuggingFaceH4/MATH-500"
                    .into(),
                files: "MATH/{train,test}/<subject>/<n>.json, or <split>*.{jsonl,json,parquet} \
                        (optionally under <subject>/), plus an optional fewshot*.jsonl"
                    .into(),
                notes: "fields problem, level, type (or subject), solution, optional answer and \
                        unique_id; MIT license"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<load::Shared>, Error> {
        load::load(&files, &Config::from_options(options)?)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        shared: &load::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::MathEpisode::new(&sample, shared, &Config::from_options(options)?)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &load::Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, &Config::from_options(options)?)
    }
}

scorebox_sdk::export!(Math);
