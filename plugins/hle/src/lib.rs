//! Humanity's Last Exam (Phan et al., arXiv 2501.14249) as a scorebox
//! plugin: loader and scorer.
//!
//! Each text-only question is answered by the model under the reference's
//! format (`Explanation: / Answer: / Confidence: NN%`), a judge model reads
//! the response with the reference's `JUDGE_PROMPT`, and aggregation reports
//! the reference's accuracy, 95 % interval and RMS calibration error, over
//! all questions and per category. See the crate README for the reference,
//! the rules and every known difference.
#![deny(missing_docs)]

pub mod episode;
pub mod judge;
pub mod load;
pub mod metrics;
pub mod prompt;
pub mod report;

use scorebox_sdk::{
    Benchmark, Capability, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options,
    PluginInfo, Report, Sample, ScoredSample,
};

use crate::episode::{Ask, HleEpisode};
use crate::load::{Item, Skipped};
use crate::prompt::SystemPrompt;

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// HLE's eight categories (the `category` column); the subtasks are their
/// [`load::subtask_of`] names.
pub const CATEGORIES: [&str; 8] = [
    "Math",
    "Biology/Medicine",
    "Computer Science/AI",
    "Physics",
    "Humanities/Social Science",
    "Chemistry",
    "Engineering",
    "Other",
];

/// The options HLE understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "system_prompt",
        default: "reference",
        allowed: &["reference", "by_answer_type"],
        description: "reference: the reference's one format prompt (Explanation / Answer / Confidence) \
                      for every question; by_answer_type: the original release's intent, \
                      'Exact Answer:' for exactMatch questions",
    },
    OptionSpec {
        key: "system_role",
        default: "system",
        allowed: &["system", "user"],
        description: "role of the format message (the reference uses user for o1 models, system otherwise)",
    },
    OptionSpec {
        key: "max_tokens",
        default: "none",
        allowed: &[],
        description: "max_tokens of the model's response: none (the backend's default, as the reference) or an integer",
    },
    OptionSpec {
        key: "calib_beta",
        default: "100",
        allowed: &[],
        description: "calibration bin size in samples (the reference's beta=100); the error needs at least this many judged samples",
    },
];

/// The HLE benchmark.
pub struct Hle;

fn metric(name: &str, higher_is_better: bool, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.into(),
        higher_is_better,
        description: description.into(),
    }
}

fn max_tokens(options: &Options) -> Result<Option<u32>, Error> {
    match options.get("max_tokens")? {
        "none" => Ok(None),
        _ => options.get_u32("max_tokens").map(Some),
    }
}

fn beta(options: &Options) -> Result<usize, Error> {
    match options.get_u32("calib_beta")? {
        0 => Err(Error::new("calib_beta must be at least 1")),
        b => Ok(b as usize),
    }
}

impl Benchmark for Hle {
    type Episode = HleEpisode;
    type Shared = Skipped;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "hle".into(),
            version: VERSION.into(),
            description: "Humanity's Last Exam, text-only questions: judged accuracy with the \
                          reference's 95% interval and RMS calibration error of the stated confidence"
                .into(),
            subtasks: CATEGORIES.iter().map(|c| load::subtask_of(c)).collect(),
            options: Vec::new(),
            metrics: vec![
                metric(
                    "accuracy",
                    true,
                    "share of questions the judge marked correct: yes (unjudged ones count as wrong); \
                     stderr sqrt(p(1-p)/n)",
                ),
                metric(
                    "accuracy_ci95",
                    false,
                    "aggregate only: the reference's Wald 95% half-width 1.96*sqrt(p(1-p)/n), as a share",
                ),
                metric(
                    "calibration_error",
                    false,
                    "aggregate only: the reference's RMS calibration error (calib_err, p='2', bins of \
                     calib_beta samples, last bin left out), 0-100; needs calib_beta judged samples",
                ),
                metric(
                    "judged",
                    true,
                    "share of questions with a readable judge verdict (model and judge answered, \
                     reply had correct and confidence)",
                ),
                metric(
                    "skipped_multimodal",
                    false,
                    "aggregate only: questions with an image left out (no image input in WIT 0.1)",
                ),
            ],
            capabilities: vec![Capability::Judge],
            data: vec![DataSource {
                location: "https://huggingface.co/datasets/cais/hle".into(),
                files: "data/test-*.parquet (the test split), or the same rows as .jsonl / .json".into(),
                notes: "gated (accept the terms on Hugging Face); questions with an image are skipped \
                        and counted"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, _options: &Options) -> Result<LoadedSet<Skipped>, Error> {
        load::load(&files)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        _shared: &Skipped,
        options: &Options,
    ) -> Result<HleEpisode, Error> {
        let item: Item = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not HLE loader output: {e}")))?;
        let ask = Ask {
            system_prompt: options.get_with("system_prompt", SystemPrompt::parse)?,
            system_as_user: options.get("system_role")? == "user",
            max_tokens: max_tokens(options)?,
        };
        Ok(HleEpisode::new(item, ask))
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        shared: &Skipped,
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, shared, beta(options)?)
    }
}

scorebox_sdk::export!(Hle);
