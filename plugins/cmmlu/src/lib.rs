//! CMMLU (Li et al., 2023) as a scorebox plugin: loader and scorer.
//!
//! Three ways to ask a question: lm-evaluation-harness's `cmmlu`
//! log-likelihood task (default), the official repository's next-token
//! letter comparison, and the official generative evaluation with its
//! Chinese answer-extraction chain. Every run reports both the micro
//! average lm-eval reports (`cmmlu`) and the official macro average over
//! subjects (`cmmlu_official_macro`), each also per official category. See
//! the crate README for the references, the rules and every known difference.
#![deny(missing_docs)]

pub mod episode;
pub mod extract;
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
    /// lm-eval `cmmlu`: its prompt, log-likelihood of `" A"`..`" D"`,
    /// metrics `acc` and `acc_norm`.
    Loglikelihood,
    /// The official `hf_causal_model.py`: the official prompt, the
    /// log-likelihood of the next token `A`..`D`, metric `acc`.
    OfficialLetter,
    /// The official generative runners (`chatgpt.py`, ...): the official
    /// prompt as a user message, `extract_choice` with its fallback.
    Generative,
}

impl Variant {
    /// The results-key suffix: `""`, `"_letter"`, `"_generative"`.
    pub fn suffix(self) -> &'static str {
        match self {
            Variant::Loglikelihood => "",
            Variant::OfficialLetter => "_letter",
            Variant::Generative => "_generative",
        }
    }

    /// The per-sample metrics of this variant.
    pub fn metrics(self) -> &'static [&'static str] {
        match self {
            Variant::Loglikelihood => &["acc", "acc_norm"],
            _ => &["acc"],
        }
    }
}

/// Whether the official pipeline's bugs are reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Reproduce the official `run_eval`/`get_results` pipeline bit for bit.
    Reference,
    /// Fix its bugs (see the README for each difference).
    Corrected,
}

impl Mode {
    /// `reference` or `corrected`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Reference => "reference",
            Mode::Corrected => "corrected",
        }
    }
}

/// What a generative miss (no letter extracted) scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// `random.Random(episode seed).randint(0, 3)`: per sample, replayable.
    Seeded,
    /// One `random.Random(stream_seed)` stream consumed in the official
    /// `get_results` order, replayed in `aggregate`.
    ReferenceStream,
    /// A miss scores 0.
    None,
}

impl Fallback {
    /// `seeded`, `stream` or `none` (as in the results filter).
    pub fn name(self) -> &'static str {
        match self {
            Fallback::Seeded => "seeded",
            Fallback::ReferenceStream => "stream",
            Fallback::None => "none",
        }
    }
}

/// The validated options of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `variant`.
    pub variant: Variant,
    /// `num_fewshot`.
    pub num_fewshot: u32,
    /// `cot` (generative only).
    pub cot: bool,
    /// `mode`.
    pub mode: Mode,
    /// `fallback` (generative only).
    pub fallback: Fallback,
    /// `stream_seed` (with `fallback=reference-stream`).
    pub stream_seed: u64,
}

impl Config {
    /// The configuration of validated options.
    ///
    /// # Errors
    /// Returns an error for a value outside the declared ones, or `cot=true`
    /// with a log-likelihood variant.
    pub fn from_options(options: &Options) -> Result<Config, Error> {
        let variant = options.get_with("variant", |v| match v {
            "loglikelihood" => Some(Variant::Loglikelihood),
            "official-letter" => Some(Variant::OfficialLetter),
            "generative" => Some(Variant::Generative),
            _ => None,
        })?;
        let cot = options.get_bool("cot")?;
        if cot && variant != Variant::Generative {
            return Err(Error::new(
                "cot=true needs variant=generative (the official CoT prompt is generative)",
            ));
        }
        Ok(Config {
            variant,
            num_fewshot: options.get_u32("num_fewshot")?,
            cot,
            mode: options.get_with("mode", |v| match v {
                "reference" => Some(Mode::Reference),
                "corrected" => Some(Mode::Corrected),
                _ => None,
            })?,
            fallback: options.get_with("fallback", |v| match v {
                "seeded" => Some(Fallback::Seeded),
                "reference-stream" => Some(Fallback::ReferenceStream),
                "none" => Some(Fallback::None),
                _ => None,
            })?,
            stream_seed: options.get_with("stream_seed", |v| v.trim().parse::<u64>().ok())?,
        })
    }

    /// The results filter of the per-subject and micro entries: `none` for
    /// the log-likelihood variants, `<mode>-<fallback>` for the generative one.
    pub fn filter(&self) -> String {
        match self.variant {
            Variant::Generative => format!("{}-{}", self.mode.name(), self.fallback.name()),
            _ => "none".to_string(),
        }
    }

    /// The results filter of the official macro entries: the mode, plus the
    /// fallback for the generative variant.
    pub fn macro_filter(&self) -> String {
        match self.variant {
            Variant::Generative => self.filter(),
            _ => self.mode.name().to_string(),
        }
    }
}

/// The options CMMLU understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "loglikelihood",
        allowed: &["loglikelihood", "official-letter", "generative"],
        description: "loglikelihood: lm-eval `cmmlu` (argmax over \" A\"..\" D\"; acc, acc_norm); \
                      official-letter: the official prompt, argmax over the next token A..D (acc); \
                      generative: the official prompt generated, official extract_choice (acc)",
    },
    OptionSpec {
        key: "num_fewshot",
        default: "0",
        allowed: &[],
        description: "few-shot examples: the first N dev rows of the same subject (0 as lm-eval's default; \
                      the official results use 0 and 5)",
    },
    OptionSpec {
        key: "cot",
        default: "false",
        allowed: &["false", "true"],
        description: "generative only: the official chain-of-thought prompt (`--cot`)",
    },
    OptionSpec {
        key: "mode",
        default: "reference",
        allowed: &["reference", "corrected"],
        description: "reference: reproduce the official pipeline's bugs (newline removal, pandas NA strings, \
                      \\r rows, missing subjects averaged as 0, ...); corrected: fix them",
    },
    OptionSpec {
        key: "fallback",
        default: "seeded",
        allowed: &["seeded", "reference-stream", "none"],
        description: "generative only, when no letter is extracted: seeded: a random letter from the episode \
                      seed; reference-stream: one Python random stream in the official order (stream_seed); \
                      none: score 0",
    },
    OptionSpec {
        key: "stream_seed",
        default: "0",
        allowed: &[],
        description: "fallback=reference-stream: the seed of the global stream (the official script never \
                      seeds it)",
    },
];

/// The CMMLU benchmark.
pub struct Cmmlu;

impl Benchmark for Cmmlu {
    type Episode = episode::CmmluEpisode;
    type Shared = load::Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        let metric = |name: &str, description: &str| MetricInfo {
            name: name.into(),
            higher_is_better: true,
            description: description.into(),
        };
        PluginInfo {
            name: "cmmlu".into(),
            version: VERSION.into(),
            description: "CMMLU: 67-subject, 4-option Chinese multiple-choice knowledge test \
                          (lm-eval cmmlu, official next-token and generative rules; micro and \
                          official macro averages)"
                .into(),
            subtasks: subjects::SUBJECTS.iter().map(|s| s.name.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                metric(
                    "acc",
                    "1 when the predicted letter is the answer (highest log-likelihood, or the \
                     letter extract_choice finds, or its fallback)",
                ),
                metric(
                    "acc_norm",
                    "variant=loglikelihood: as acc with log-likelihoods divided by the choice's \
                     length in characters (always 1 for a letter, so equal to acc)",
                ),
            ],
            capabilities: Vec::new(),
            data: vec![
                DataSource {
                    location: "https://github.com/haonan-li/CMMLU (data/)".into(),
                    files: "data/test/<subject>.csv and data/dev/<subject>.csv".into(),
                    notes: "CSV with header `,Question,A,B,C,D,Answer` (first column an index); \
                            test rows are scored, dev rows (5 per subject) are the few-shot pool; \
                            CC BY-NC-SA 4.0"
                        .into(),
                },
                DataSource {
                    location: "https://huggingface.co/datasets/haonan-li/cmmlu".into(),
                    files: "<subject>/test-*.parquet and <subject>/dev-*.parquet (one config per subject)"
                        .into(),
                    notes: "rows {Question, A, B, C, D, Answer}; the subject comes from the folder; \
                            parquet, jsonl or json"
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
        seed: u64,
        shared: &load::Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::CmmluEpisode::new(&sample, seed, shared, &Config::from_options(options)?)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &load::Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, &Config::from_options(options)?)
    }
}

scorebox_sdk::export!(Cmmlu);
