//! MMLU (Hendrycks et al., 2021) as a scorebox plugin: loader and scorer.
//!
//! Scoring follows lm-evaluation-harness's `mmlu` (log-likelihood, default)
//! and `mmlu_generative` tasks; see the crate README for the reference
//! commit, the rules and every known difference.
#![deny(missing_docs)]

pub mod episode;
pub mod load;
pub mod report;
pub mod subjects;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How a sample is asked and scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// lm-eval `mmlu`: log-likelihood of `" A"`..`" D"`, metric `acc`.
    Loglikelihood,
    /// lm-eval `mmlu_generative`: greedy generation, filter `get_response`,
    /// metric `exact_match`.
    Generative,
}

impl Variant {
    /// Parses the `variant` option.
    pub fn parse(value: &str) -> Option<Variant> {
        match value {
            "loglikelihood" => Some(Variant::Loglikelihood),
            "generative" => Some(Variant::Generative),
            _ => None,
        }
    }

    /// The variant of validated options.
    ///
    /// # Errors
    /// Returns an error for a value outside the declared ones.
    pub fn from_options(options: &Options) -> Result<Variant, Error> {
        options.get_with("variant", Variant::parse)
    }

    /// Metric name and lm-eval filter name of this variant.
    pub fn metric(self) -> (&'static str, &'static str) {
        match self {
            Variant::Loglikelihood => ("acc", "none"),
            Variant::Generative => ("exact_match", "get_response"),
        }
    }
}

/// The options MMLU understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "loglikelihood",
        allowed: &["loglikelihood", "generative"],
        description: "loglikelihood: lm-eval `mmlu` (argmax over \" A\"..\" D\", acc); \
                      generative: lm-eval `mmlu_generative` (first line of a greedy answer, exact_match)",
    },
    OptionSpec {
        key: "num_fewshot",
        default: "0",
        allowed: &[],
        description: "number of few-shot examples: the first N dev rows of the same subject (lm-eval first_n); \
                      0 as in lm-eval's default",
    },
];

/// The MMLU benchmark.
pub struct Mmlu;

impl Benchmark for Mmlu {
    type Episode = episode::MmluEpisode;
    type Shared = load::Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "mmlu".into(),
            version: VERSION.into(),
            description: "MMLU: 57-subject, 4-option multiple-choice knowledge test \
                          (lm-evaluation-harness mmlu / mmlu_generative rules)"
                .into(),
            subtasks: subjects::SUBJECTS
                .iter()
                .map(|(s, _)| s.to_string())
                .collect(),
            options: Vec::new(),
            metrics: vec![
                MetricInfo {
                    name: "acc".into(),
                    higher_is_better: true,
                    description: "variant=loglikelihood: 1 when the highest log-likelihood among \
                                  \" A\"..\" D\" (first on ties) is the answer"
                        .into(),
                },
                MetricInfo {
                    name: "exact_match".into(),
                    higher_is_better: true,
                    description: "variant=generative: 1 when the answer's first line, stripped, \
                                  equals the answer letter ignoring case and ASCII punctuation"
                        .into(),
                },
            ],
            capabilities: Vec::new(),
            data: vec![
                DataSource {
                    location: "https://huggingface.co/datasets/cais/mmlu".into(),
                    files: "all/test-*.parquet and all/dev-*.parquet (or one subject's folder)"
                        .into(),
                    notes:
                        "parquet, jsonl or json rows {question, subject, choices[4], answer int}; \
                            test rows are scored, dev rows are the few-shot pool; MIT license"
                            .into(),
                },
                DataSource {
                    location: "https://people.eecs.berkeley.edu/~hendrycks/data.tar".into(),
                    files: "data/test/<subject>_test.csv and data/dev/<subject>_dev.csv".into(),
                    notes:
                        "original CSV layout without header: question, A, B, C, D, answer letter; \
                            subject and split come from the file name"
                            .into(),
                },
            ],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<load::Shared>, Error> {
        let num_fewshot = options.get_u32("num_fewshot")?;
        load::load(&files, num_fewshot as usize)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        shared: &load::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::MmluEpisode::new(&sample, shared, options)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &load::Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, Variant::from_options(options)?)
    }
}

scorebox_sdk::export!(Mmlu);
