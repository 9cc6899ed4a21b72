//! LV-Eval (Yuan et al., 2024) as a scorebox plugin: loader and scorer.
//!
//! Eleven long-context QA datasets at five length levels (16k–256k words),
//! scored with the reference's keyword-recall-gated token F1 (English and
//! Chinese, Chinese words cut as Python jieba cuts them), plain F1 for the
//! fact-recall sets and ROUGE-L for DuReader, in `reference` mode (the
//! infinigence/LVEval code, bugs included) or `corrected` mode. See the
//! README for the reference commit, the rules and every known difference.
#![deny(missing_docs)]

pub mod episode;
pub mod load;
pub mod metric;
pub mod prompt;
pub mod report;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

use metric::Metric;

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The five length levels, in order (`config.py::DATASET_LENGTH_LEVEL`).
pub const LEVELS: [&str; 5] = ["16k", "32k", "64k", "128k", "256k"];

/// A language of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// English.
    En,
    /// Chinese.
    Zh,
}

/// One of the eleven datasets and its rules (`config.py`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// The dataset name as in file names, e.g. `loogle_SD_mixup`.
    pub name: &'static str,
    /// Its language.
    pub language: Language,
    /// `DATASET_METRIC`.
    pub metric: Metric,
    /// `DATASET_MAXGEN`: new tokens to generate.
    pub max_gen: u32,
    /// `DATASET_PROMPT`.
    pub prompt: &'static str,
}

const fn ds(
    name: &'static str,
    language: Language,
    metric: Metric,
    max_gen: u32,
    prompt: &'static str,
) -> Dataset {
    Dataset {
        name,
        language,
        metric,
        max_gen,
        prompt,
    }
}

/// The eleven datasets, in `config.py::DATASET_SELECTED` order.
pub const DATASETS: [Dataset; 11] = [
    ds(
        "hotpotwikiqa_mixup",
        Language::En,
        Metric::QaF1Gated,
        64,
        prompt::HOTPOTWIKIQA,
    ),
    ds(
        "loogle_SD_mixup",
        Language::En,
        Metric::QaF1Gated,
        64,
        prompt::EN_ONE_PASSAGE,
    ),
    ds(
        "loogle_CR_mixup",
        Language::En,
        Metric::QaF1Gated,
        64,
        prompt::EN_ONE_PASSAGE,
    ),
    ds(
        "loogle_MIR_mixup",
        Language::En,
        Metric::QaF1Gated,
        64,
        prompt::EN_ONE_PASSAGE,
    ),
    ds(
        "multifieldqa_en_mixup",
        Language::En,
        Metric::QaF1Gated,
        64,
        prompt::EN_ONE_PASSAGE,
    ),
    ds(
        "multifieldqa_zh_mixup",
        Language::Zh,
        Metric::QaF1ZhGated,
        64,
        prompt::MULTIFIELDQA_ZH,
    ),
    ds(
        "factrecall_en",
        Language::En,
        Metric::QaF1,
        16,
        prompt::FACTRECALL_EN,
    ),
    ds(
        "factrecall_zh",
        Language::Zh,
        Metric::QaF1Zh,
        16,
        prompt::FACTRECALL_ZH,
    ),
    ds(
        "cmrc_mixup",
        Language::Zh,
        Metric::QaF1ZhGated,
        64,
        prompt::CMRC_DUREADER,
    ),
    ds(
        "lic_mixup",
        Language::Zh,
        Metric::QaF1ZhGated,
        64,
        prompt::LIC,
    ),
    ds(
        "dureader_mixup",
        Language::Zh,
        Metric::RougeZhBlacklist,
        64,
        prompt::CMRC_DUREADER,
    ),
];

/// The dataset called `name` (ASCII case ignored).
pub fn dataset(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

/// Which rules score a sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// infinigence/LVEval's `metrics.py` and `evaluation.py` as they run.
    Reference,
    /// The reference with its score-moving bugs fixed (README).
    Corrected,
}

impl Mode {
    /// The results filter name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Reference => "reference",
            Mode::Corrected => "corrected",
        }
    }
}

/// The unit prompts are measured and truncated in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truncation {
    /// The dataset's own length unit: words for English, characters for Chinese.
    Auto,
    /// Unicode characters.
    Chars,
    /// Whitespace-separated words.
    Words,
    /// No truncation.
    None,
}

/// Validated options of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `mode`.
    pub mode: Mode,
    /// `truncation`.
    pub truncation: Truncation,
    /// `max_length`.
    pub max_length: usize,
}

impl Config {
    /// Reads the options.
    ///
    /// # Errors
    /// Returns an error for an undeclared value or a `max_length` below 2.
    pub fn from_options(options: &Options) -> Result<Config, Error> {
        let max_length = options.get_u32("max_length")? as usize;
        if max_length < 2 {
            return Err(Error::new(format!(
                "option `max_length` = {max_length}: the budget must be at least 2 \
                 (half of it is kept from each end)"
            )));
        }
        Ok(Config {
            mode: options.get_with("mode", |v| match v {
                "reference" => Some(Mode::Reference),
                "corrected" => Some(Mode::Corrected),
                _ => None,
            })?,
            truncation: options.get_with("truncation", |v| match v {
                "auto" => Some(Truncation::Auto),
                "chars" => Some(Truncation::Chars),
                "words" => Some(Truncation::Words),
                "none" => Some(Truncation::None),
                _ => None,
            })?,
            max_length,
        })
    }

    /// The truncation unit for a dataset of `language`.
    pub fn unit(&self, language: Language) -> Truncation {
        match (self.truncation, language) {
            (Truncation::Auto, Language::En) => Truncation::Words,
            (Truncation::Auto, Language::Zh) => Truncation::Chars,
            (t, _) => t,
        }
    }
}

/// The options LV-Eval understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "mode",
        default: "reference",
        allowed: &["reference", "corrected"],
        description: "reference: infinigence/LVEval's scoring as it runs (first answer only, \
                      its ROUGE and punctuation quirks); corrected: those bugs fixed (README)",
    },
    OptionSpec {
        key: "truncation",
        default: "auto",
        allowed: &["auto", "chars", "words", "none"],
        description: "unit of the middle truncation of over-long prompts (the reference counts model \
                      tokens): auto = words for English, characters for Chinese (LV-Eval's own length \
                      unit); chars; words; none",
    },
    OptionSpec {
        key: "max_length",
        default: "15500",
        allowed: &[],
        description: "prompt budget in truncation units (the reference's --model-max-length, 15500 \
                      tokens by default): longer prompts keep their first and last max_length/2 units",
    },
];

/// Shared data: whether any sample needs the Chinese segmenter (its
/// dictionary is then built once per scorer instance, in `prepare`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shared {
    /// Some sample is Chinese.
    pub chinese: bool,
}

/// The LV-Eval benchmark.
pub struct LvEval;

impl Benchmark for LvEval {
    type Episode = episode::LvEvalEpisode;
    type Shared = Shared;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "lveval".into(),
            version: VERSION.into(),
            description: "LV-Eval: 11 bilingual long-context QA datasets at 5 length levels \
                          (16k-256k), keyword-recall-gated F1 / ROUGE-L (infinigence/LVEval scoring)"
                .into(),
            subtasks: DATASETS
                .iter()
                .flat_map(|d| LEVELS.iter().map(move |l| format!("{}_{l}", d.name)))
                .collect(),
            options: Vec::new(),
            metrics: vec![
                MetricInfo {
                    name: "score".into(),
                    higher_is_better: true,
                    description: "the dataset's LV-Eval metric in [0, 1]: keyword-gated token F1, \
                                  token F1 (factrecall) or ROUGE-L F (dureader); aggregates are means, \
                                  groups macro-average their members"
                        .into(),
                },
                MetricInfo {
                    name: "score_pct".into(),
                    higher_is_better: true,
                    description: "aggregate only: round(100 * mean, 2) per dataset x length as \
                                  evaluation.py prints it; groups average their members' values"
                        .into(),
                },
            ],
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://huggingface.co/datasets/Infinigence/LVEval".into(),
                files: "<dataset>_<16k|32k|64k|128k|256k>.jsonl (one per dataset and length, \
                        e.g. from <dataset>.zip), or a folder of that name holding the split"
                    .into(),
                notes: "fields input, context, answers, length, dataset, language, \
                        answer_keywords, confusing_facts; may need a Hugging Face token; \
                        cmrc_mixup and lic_mixup CC-BY-SA-4.0, the others MIT"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, _options: &Options) -> Result<LoadedSet<Shared>, Error> {
        load::load(&files)
    }

    fn prepare(shared: Shared, options: &Options) -> Result<Shared, Error> {
        Config::from_options(options)?;
        if shared.chinese {
            // Build the dictionary under the batch budget, not a step's.
            scorebox_jieba::Jieba::global();
        }
        Ok(shared)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        _shared: &Shared,
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::LvEvalEpisode::new(&sample, &Config::from_options(options)?)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &Shared,
        options: &Options,
    ) -> Result<Report, Error> {
        Ok(report::aggregate(&samples, &Config::from_options(options)?))
    }
}

scorebox_sdk::export!(LvEval);
