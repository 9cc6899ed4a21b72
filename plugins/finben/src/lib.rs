//! FinBen (Xie et al., *The FinBen: An Holistic Financial Benchmark for
//! Large Language Models*, 2024; the FLARE tasks of The-FinAI/PIXIU) as a
//! scorebox plugin: loader and scorer in one component.
//!
//! Each dataset file is recognised by its Hugging Face dataset name in the
//! path (`flare-fpb/…`, `TheFinAI/flare-convfinqa/…`; see [`tasks`]) and
//! scored by its family's rules as PIXIU's `src/tasks/flare.py` writes them:
//! classification, stock movement, NER, sequential labelling, relation
//! extraction, numeric QA (ConvFinQA as a multi-turn episode), TSA,
//! summarisation, and FinTrade as a multi-step trading episode. `mode`
//! chooses between the reference's rules, bugs included, and corrected
//! ones. See the README for the reference commit, every rule and difference.
#![deny(missing_docs)]

pub mod classify;
pub mod episode;
pub mod fnxl;
pub mod load;
pub mod ner;
pub mod pyformat;
pub mod relation;
pub mod report;
pub mod seqlabel;
pub mod summarize;
pub mod tasks;
pub mod trading;
pub mod tsa;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which rules score the answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// PIXIU's rules as they run, bugs included (results filter `reference`).
    Reference,
    /// The rules with the reference's bugs fixed (results filter `corrected`).
    Corrected,
}

impl Mode {
    /// The results filter name.
    pub fn filter(self) -> &'static str {
        match self {
            Mode::Reference => "reference",
            Mode::Corrected => "corrected",
        }
    }
}

/// PIXIU's `--model_prompt`: how the query is wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelPrompt {
    /// `no_prompt`: the query as it is.
    None,
    /// `finma_prompt`: `"Human: \n{query}\n\nAssistant: \n"`.
    Finma,
}

impl ModelPrompt {
    /// The user message for a query.
    pub fn wrap(self, query: &str) -> String {
        match self {
            ModelPrompt::None => query.to_string(),
            ModelPrompt::Finma => format!("Human: \n{query}\n\nAssistant: \n"),
        }
    }
}

/// Validated options of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `mode`.
    pub mode: Mode,
    /// `model_prompt`.
    pub model_prompt: ModelPrompt,
    /// `tasks`: the task names to load (empty: every dataset found).
    pub tasks: Vec<String>,
}

impl Config {
    /// Reads the options.
    ///
    /// # Errors
    /// Returns an error for an undeclared value or an unknown task name.
    pub fn from_options(options: &Options) -> Result<Config, Error> {
        let tasks: Vec<String> = options
            .get("tasks")?
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        for t in &tasks {
            if tasks::by_task(t).is_none() && !t.starts_with(load::GENERIC_PREFIX) {
                let known: Vec<&str> = tasks::DATASETS.iter().map(|d| d.task).collect();
                return Err(Error::new(format!(
                    "option `tasks`: unknown task `{t}` (known: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(Config {
            mode: options.get_with("mode", |v| match v {
                "reference" => Some(Mode::Reference),
                "corrected" => Some(Mode::Corrected),
                _ => None,
            })?,
            model_prompt: options.get_with("model_prompt", |v| match v {
                "none" => Some(ModelPrompt::None),
                "finma" => Some(ModelPrompt::Finma),
                _ => None,
            })?,
            tasks,
        })
    }
}

/// The options FinBen understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "mode",
        default: "reference",
        allowed: &["reference", "corrected"],
        description: "reference: PIXIU's scoring rules, bugs included (filter `reference`); \
                      corrected: the same rules with the reference bugs listed in the README fixed \
                      (filter `corrected`)",
    },
    OptionSpec {
        key: "model_prompt",
        default: "none",
        allowed: &["none", "finma"],
        description: "PIXIU's --model_prompt: none sends the dataset's query as it is; \
                      finma wraps it as \"Human: \\n{query}\\n\\nAssistant: \\n\"",
    },
    OptionSpec {
        key: "tasks",
        default: "",
        allowed: &[],
        description: "comma-separated task names to load (e.g. flare_fpb,flare_ner); \
                      empty loads every FinBen dataset found in the data",
    },
];

fn metric(name: &str, higher_is_better: bool, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.into(),
        higher_is_better,
        description: description.into(),
    }
}

/// The metrics the scorer reports.
pub fn metrics() -> Vec<MetricInfo> {
    vec![
        metric(
            "acc",
            true,
            "classification, stock movement, QA, ConvFinQA: predicted label or stripped answer equals the gold one",
        ),
        metric(
            "missing",
            false,
            "classification: no choice found in the answer; TSA: no number in the first line",
        ),
        metric(
            "f1",
            true,
            "classification: weighted F1 over the gold labels (task level); sequential labelling: weighted label F1 (task level); relation extraction: F1 of relation sets",
        ),
        metric(
            "macro_f1",
            true,
            "classification: macro F1 over the gold labels (task level)",
        ),
        metric(
            "mcc",
            true,
            "classification: Matthews correlation coefficient (task level)",
        ),
        metric(
            "entity_f1",
            true,
            "NER, sequential labelling: seqeval entity-level micro F1 (per sample: the document's own)",
        ),
        metric(
            "precision",
            true,
            "relation extraction: found relations over predicted lines (task level)",
        ),
        metric(
            "recall",
            true,
            "relation extraction: found relations over gold relations (task level)",
        ),
        metric(
            "rmse",
            false,
            "TSA: root mean squared error of the clipped scores read (task level)",
        ),
        metric(
            "squared_error",
            false,
            "TSA, per sample: squared error of the clipped score read",
        ),
        metric(
            "rouge1",
            true,
            "summarisation: ROUGE-1 F (rouge-score, no stemmer)",
        ),
        metric("rouge2", true, "summarisation: ROUGE-2 F"),
        metric("rougeL", true, "summarisation: sentence-level ROUGE-L F"),
        metric(
            "cumulative_return",
            true,
            "FinTrade: sum of the daily log returns of the positions",
        ),
        metric(
            "sharpe_ratio",
            true,
            "FinTrade: annualised return over annualised volatility (risk-free 0)",
        ),
        metric(
            "daily_volatility",
            false,
            "FinTrade: sample standard deviation of daily returns",
        ),
        metric(
            "annualized_volatility",
            false,
            "FinTrade: daily volatility times sqrt(252)",
        ),
        metric(
            "max_drawdown",
            false,
            "FinTrade: largest peak-to-trough fall of the wealth curve",
        ),
        metric(
            "invalid_decisions",
            false,
            "FinTrade: share of days whose answer gave no buy/sell/hold decision (held)",
        ),
    ]
}

/// The FinBen benchmark.
pub struct FinBen;

impl Benchmark for FinBen {
    type Episode = episode::FinBenEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "finben".into(),
            version: VERSION.into(),
            description: "FinBen / FLARE (The-FinAI/PIXIU): financial classification, NER, \
                          relation extraction, numeric QA, summarisation and trading tasks"
                .into(),
            subtasks: tasks::DATASETS.iter().map(|d| d.task.to_string()).collect(),
            options: Vec::new(),
            metrics: metrics(),
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://huggingface.co/TheFinAI (datasets flare-*, finben-*, cra-*, \
                           en-acronym; FinTrade: Me1oy/FinTrade_ijcai-challenge, \
                           TheFinAI/en-fintrade-train)"
                    .into(),
                files:
                    "one folder per dataset named after it (e.g. flare-fpb/data/test-*.parquet); \
                        the test split is scored"
                        .into(),
                notes:
                    "parquet, jsonl or json rows in each dataset's Hugging Face schema; licences \
                        vary by dataset and several are non-commercial (see the README)"
                        .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet, Error> {
        load::load(&files, &Config::from_options(options)?).map(LoadedSet::new)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        _shared: &(),
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::FinBenEpisode::new(&sample, &Config::from_options(options)?)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, &Config::from_options(options)?)
    }
}

scorebox_sdk::export!(FinBen);
