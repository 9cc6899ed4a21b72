//! MILU (Verma et al., 2024), the Multi-task Indic Language Understanding
//! benchmark, as a scorebox plugin: loader and scorer.
//!
//! Scoring follows the official evaluation, AI4Bharat/MILU's lm-evaluation-
//! harness task `milu` (log-likelihood of the four option texts, `acc`,
//! few-shot from the validation split); results per language (lm-eval's
//! tasks), per domain and overall. See the crate README for the reference
//! commit, the rules and every known difference.
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

/// The 11 languages (Hugging Face configs, lm-eval tasks `milu_<Language>`),
/// in the order of the official `_milu.yaml` group (the order its
/// size-weighted mean sums them in).
pub const LANGUAGES: [&str; 11] = [
    "English",
    "Bengali",
    "Hindi",
    "Tamil",
    "Telugu",
    "Malayalam",
    "Kannada",
    "Marathi",
    "Gujarati",
    "Punjabi",
    "Odia",
];

/// The canonical name of a language, matched case-insensitively.
pub fn language(name: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(name.trim()))
}

/// The options MILU understands.
pub const OPTIONS: &[OptionSpec] = &[OptionSpec {
    key: "num_fewshot",
    default: "0",
    allowed: &[],
    description: "few-shot examples: the first N validation rows of the same language (lm-eval first_n); \
                  0 as lm-eval's default, the MILU README runs 5",
}];

/// The MILU benchmark.
pub struct Milu;

impl Benchmark for Milu {
    type Episode = episode::MiluEpisode;
    type Shared = load::Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "milu".into(),
            version: VERSION.into(),
            description: "MILU: multiple-choice questions in 11 Indic languages (incl. English), \
                          8 domains (AI4Bharat's lm-eval task: log-likelihood of the option texts, acc)"
                .into(),
            subtasks: LANGUAGES.iter().map(|l| l.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![MetricInfo {
                name: "acc".into(),
                higher_is_better: true,
                description: "1 when the option text with the highest log-likelihood (first on ties) \
                              is the target"
                    .into(),
            }],
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://huggingface.co/datasets/ai4bharat/MILU".into(),
                files: "<Language>/test-*.parquet and <Language>/validation-*.parquet".into(),
                notes: "gated (accept the conditions on the Hub, then download); CC-BY-4.0; rows \
                        {question, option1..option4, target: \"optionN\", language, domain, subject}; \
                        test rows are scored, validation rows are the few-shot pool; parquet, jsonl, \
                        json or CSV with a header"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<load::Shared>, Error> {
        load::load(&files, options.get_u32("num_fewshot")? as usize)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        shared: &load::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::MiluEpisode::new(&sample, shared, options.get_u32("num_fewshot")? as usize)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &load::Shared,
        _options: &Options,
    ) -> Result<Report, Error> {
        Ok(report::aggregate(&samples))
    }
}

scorebox_sdk::export!(Milu);
