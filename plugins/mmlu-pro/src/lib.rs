//! MMLU-Pro (Wang et al., 2024) as a scorebox plugin: loader and scorer.
//!
//! The default reproduces TIGER-AI-Lab/MMLU-Pro `evaluate_from_local.py`
//! (5-shot CoT, its three-stage answer extraction and random fallback); the
//! options select lm-evaluation-harness's `mmlu_pro` extraction or its
//! `leaderboard_mmlu_pro` log-likelihood task instead. See the README for the
//! reference commits, the rules and every known difference.
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

/// The 14 MMLU-Pro categories, as the dataset spells them.
pub const CATEGORIES: [&str; 14] = [
    "biology",
    "business",
    "chemistry",
    "computer science",
    "economics",
    "engineering",
    "health",
    "history",
    "law",
    "math",
    "other",
    "philosophy",
    "physics",
    "psychology",
];

/// The answer letters the reference patterns accept (`[A-J]`).
pub const LETTERS: &str = "ABCDEFGHIJ";

/// How a sample is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Chain-of-thought generation with TIGER's 5-shot prompt.
    Generative,
    /// lm-eval `leaderboard_mmlu_pro`: log-likelihood of the option letters.
    Loglikelihood,
}

/// How the letter is taken from a generated answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extraction {
    /// TIGER's chain: `answer is (X)`, then `Answer: X`, then the last lone letter.
    Official,
    /// lm-eval `mmlu_pro` `custom-extract`: the first `answer is (X)` only.
    LmEval,
}

/// What the official chain does when it finds no letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// A random option drawn per sample from the episode seed (run seed +
    /// sample id): `random.Random(seed).randint(0, n_options - 1)`.
    Seeded,
    /// The official script's global stream (seed 12345, categories sorted,
    /// two passes per category), replayed in `aggregate`.
    ReferenceStream,
    /// No fallback: a miss scores 0.
    None,
}

/// Validated options of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `variant`.
    pub variant: Variant,
    /// `extraction`.
    pub extraction: Extraction,
    /// `fallback`.
    pub fallback: Fallback,
    /// `num_fewshot`.
    pub num_fewshot: usize,
}

impl Config {
    /// Reads the options.
    ///
    /// # Errors
    /// Returns an error for an undeclared value or a non-integer `num_fewshot`.
    pub fn from_options(options: &Options) -> Result<Config, Error> {
        Ok(Config {
            variant: options.get_with("variant", |v| match v {
                "generative" => Some(Variant::Generative),
                "loglikelihood" => Some(Variant::Loglikelihood),
                _ => None,
            })?,
            extraction: options.get_with("extraction", |v| match v {
                "official" => Some(Extraction::Official),
                "lm-eval" => Some(Extraction::LmEval),
                _ => None,
            })?,
            fallback: options.get_with("fallback", |v| match v {
                "seeded" => Some(Fallback::Seeded),
                "reference-stream" => Some(Fallback::ReferenceStream),
                "none" => Some(Fallback::None),
                _ => None,
            })?,
            num_fewshot: options.get_u32("num_fewshot")? as usize,
        })
    }

    /// The metric name and filter name this configuration reports under.
    pub fn metric(&self) -> (&'static str, &'static str) {
        match (self.variant, self.extraction, self.fallback) {
            (Variant::Loglikelihood, _, _) => ("acc", "none"),
            (Variant::Generative, Extraction::LmEval, _) => ("exact_match", "custom-extract"),
            (Variant::Generative, Extraction::Official, Fallback::Seeded) => {
                ("acc", "official-seeded")
            }
            (Variant::Generative, Extraction::Official, Fallback::ReferenceStream) => {
                ("acc", "official-stream")
            }
            (Variant::Generative, Extraction::Official, Fallback::None) => ("acc", "official-none"),
        }
    }
}

/// The options MMLU-Pro understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "generative",
        allowed: &["generative", "loglikelihood"],
        description: "generative: TIGER-AI-Lab 5-shot CoT (official); \
                      loglikelihood: lm-eval leaderboard_mmlu_pro (5-shot, letters A..J, acc)",
    },
    OptionSpec {
        key: "extraction",
        default: "official",
        allowed: &["official", "lm-eval"],
        description: "generative only. official: TIGER's 3-stage chain + fallback (metric acc); \
                      lm-eval: first `answer is (X)` only, no fallback (metric exact_match, filter custom-extract)",
    },
    OptionSpec {
        key: "fallback",
        default: "seeded",
        allowed: &["seeded", "reference-stream", "none"],
        description: "official extraction, no letter found. seeded: random option from the run seed and sample id; \
                      reference-stream: the official script's global random stream (seed 12345), replayed at aggregation; \
                      none: scores 0",
    },
    OptionSpec {
        key: "num_fewshot",
        default: "5",
        allowed: &[],
        description: "few-shot examples: the first N validation rows of the same category (generative) \
                      or of the validation split (loglikelihood)",
    },
];

/// The MMLU-Pro benchmark.
pub struct MmluPro;

impl Benchmark for MmluPro {
    type Episode = episode::MmluProEpisode;
    type Shared = load::Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "mmlu-pro".into(),
            version: VERSION.into(),
            description: "MMLU-Pro: 14-category, up-to-10-option multiple-choice reasoning test \
                          (TIGER-AI-Lab official CoT scoring; lm-eval variants)"
                .into(),
            subtasks: CATEGORIES.iter().map(|c| c.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                MetricInfo {
                    name: "acc".into(),
                    higher_is_better: true,
                    description: "generative+official: extracted letter equals `answer` (a miss draws a \
                                  random option per `fallback`); loglikelihood: argmax letter is the answer"
                        .into(),
                },
                MetricInfo {
                    name: "leaderboard_norm".into(),
                    higher_is_better: true,
                    description: "variant=loglikelihood, top task only: the Open LLM Leaderboard's \
                                  normalised score, (acc - 0.1) / 0.9 clamped at 0"
                        .into(),
                },
                MetricInfo {
                    name: "exact_match".into(),
                    higher_is_better: true,
                    description: "generative+lm-eval: first `answer is (X)` letter equals `answer`, \
                                  ignoring case and ASCII punctuation"
                        .into(),
                },
            ],
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://huggingface.co/datasets/TIGER-Lab/MMLU-Pro".into(),
                files: "data/test-*.parquet (scored) and data/validation-*.parquet (few-shot)".into(),
                notes: "parquet, jsonl, json, or csv with a header row; fields question_id, question, \
                        options, answer, answer_index, cot_content, category, src; MIT license"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<load::Shared>, Error> {
        load::load(&files, &Config::from_options(options)?)
    }

    fn start(
        sample: Sample,
        seed: u64,
        shared: &load::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::MmluProEpisode::new(&sample, seed, shared, &Config::from_options(options)?)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &load::Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, &Config::from_options(options)?)
    }
}

scorebox_sdk::export!(MmluPro);
