//! IFEval (Zhou et al., 2023, *Instruction-Following Evaluation for Large
//! Language Models*) as a scorebox plugin: loader and scorer.
//!
//! Reproduces lm-evaluation-harness's `ifeval` and `leaderboard_ifeval`
//! tasks: one 0-shot generation per prompt, the 25 registered instruction
//! checkers in strict and loose mode, and the four metrics
//! (`prompt_level_{strict,loose}_acc`, `inst_level_{strict,loose}_acc`),
//! with per-category and per-instruction breakdowns. The checkers that need
//! language detection, sentence splitting and word tokenisation use ports
//! of `langdetect` ([`langdetect`]), NLTK's Punkt ([`punkt`]) and Treebank
//! word tokenizer ([`treebank`]). See the README for the reference commits
//! and the measured agreement.
#![deny(missing_docs)]

pub mod episode;
pub mod gold;
pub mod instructions;
pub mod langdetect;
pub mod load;
pub mod punkt;
pub mod pyjson;
pub mod pyre;
pub mod pytext;
pub mod report;
pub mod score;
pub mod treebank;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which lm-eval task is reproduced (the scoring is the same).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `ifeval` (HF `google/IFEval`).
    Ifeval,
    /// `leaderboard_ifeval` (HF `wis-k/instruction-following-eval`), with
    /// the Open LLM Leaderboard's `leaderboard_norm`.
    Leaderboard,
}

impl Variant {
    /// Reads the `variant` option.
    ///
    /// # Errors
    /// An undeclared value.
    pub fn from_options(options: &Options) -> Result<Variant, Error> {
        options.get_with("variant", |v| match v {
            "ifeval" => Some(Variant::Ifeval),
            "leaderboard" => Some(Variant::Leaderboard),
            _ => None,
        })
    }

    /// The results key of the task.
    pub fn task_name(self) -> &'static str {
        match self {
            Variant::Ifeval => "ifeval",
            Variant::Leaderboard => "leaderboard_ifeval",
        }
    }
}

/// The options IFEval understands.
pub const OPTIONS: &[OptionSpec] = &[OptionSpec {
    key: "variant",
    default: "ifeval",
    allowed: &["ifeval", "leaderboard"],
    description: "ifeval: lm-eval `ifeval` (google/IFEval); leaderboard: lm-eval `leaderboard_ifeval` \
                  (same scoring, task `leaderboard_ifeval`, plus `leaderboard_norm` = mean of the two strict accuracies)",
}];

/// The IFEval benchmark.
pub struct Ifeval;

fn metric_info(name: &str, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.into(),
        higher_is_better: true,
        description: description.into(),
    }
}

impl Benchmark for Ifeval {
    type Episode = episode::IfevalEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "ifeval".into(),
            version: VERSION.into(),
            description: "IFEval: 25 kinds of verifiable instructions (length, format, keywords, case, \
                          language, ...), strict and loose (lm-evaluation-harness ifeval)"
                .into(),
            subtasks: Vec::new(),
            options: Vec::new(),
            metrics: vec![
                metric_info("prompt_level_strict_acc", "the response follows every instruction of the prompt (strict)"),
                metric_info("inst_level_strict_acc", "instructions followed (strict), micro-averaged over all instructions"),
                metric_info(
                    "prompt_level_loose_acc",
                    "every instruction followed by some loose variant (first/last line removed, `*` removed)",
                ),
                metric_info("inst_level_loose_acc", "instructions followed (loose), micro-averaged over all instructions"),
                metric_info(
                    "leaderboard_norm",
                    "variant=leaderboard: Open LLM Leaderboard score, mean of the two strict accuracies",
                ),
            ],
            capabilities: Vec::new(),
            data: vec![DataSource {
                location: "https://huggingface.co/datasets/google/IFEval".into(),
                files: "ifeval_input_data.jsonl (train split; or its parquet)".into(),
                notes: "fields key, prompt, instruction_id_list, kwargs; null kwargs are dropped; \
                        apache-2.0. variant=leaderboard reads the same schema from wis-k/instruction-following-eval"
                    .into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, _options: &Options) -> Result<LoadedSet<()>, Error> {
        load::load(&files)
    }

    fn start(
        sample: Sample,
        seed: u64,
        _shared: &(),
        _options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::IfevalEpisode::new(&sample, seed)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, Variant::from_options(options)?)
    }
}

scorebox_sdk::export!(Ifeval);
