//! SuperGLUE (Wang et al., 2019) as a scorebox plugin: loader and scorer.
//!
//! Eight tasks (BoolQ, CB, COPA, MultiRC, ReCoRD, RTE, WiC, WSC), scored on
//! their validation splits. `variant=loglikelihood` (default) reproduces
//! lm-evaluation-harness's `super-glue-lm-eval-v1` tasks, `variant=generative`
//! its `super-glue-t5-prompt` tasks; every task also reports its official
//! SuperGLUE metrics, and a top-level `superglue` task the SuperGLUE score.
//! `mode=corrected` fixes the reference bugs that move scores. See the README.
#![deny(missing_docs)]

pub mod episode;
pub mod load;
pub mod prompt;
pub mod report;
pub mod row;

use scorebox_sdk::{
    Benchmark, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options, PluginInfo,
    Report, Sample, ScoredSample,
};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One SuperGLUE task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Task {
    /// BoolQ: yes/no questions about a passage.
    Boolq,
    /// CommitmentBank: three-way entailment.
    Cb,
    /// Choice of Plausible Alternatives.
    Copa,
    /// Multi-sentence reading comprehension (one sample per answer option).
    Multirc,
    /// Reading comprehension with commonsense reasoning (cloze over entities).
    Record,
    /// Recognising textual entailment.
    Rte,
    /// Word in context.
    Wic,
    /// Winograd schema challenge (`wsc.fixed`).
    Wsc,
}

impl Task {
    /// All tasks, in the SuperGLUE order.
    pub const ALL: [Task; 8] = [
        Task::Boolq,
        Task::Cb,
        Task::Copa,
        Task::Multirc,
        Task::Record,
        Task::Rte,
        Task::Wic,
        Task::Wsc,
    ];

    /// The task's key: sample subtask, sample id prefix, `tasks=` value and
    /// the Hugging Face config name (`wsc.fixed` for WSC).
    pub fn key(self) -> &'static str {
        match self {
            Task::Boolq => "boolq",
            Task::Cb => "cb",
            Task::Copa => "copa",
            Task::Multirc => "multirc",
            Task::Record => "record",
            Task::Rte => "rte",
            Task::Wic => "wic",
            Task::Wsc => "wsc",
        }
    }

    /// The task for a key.
    pub fn from_key(key: &str) -> Option<Task> {
        Task::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The lm-evaluation-harness task name of this task in `variant`
    /// (the results key of its report).
    pub fn lm_eval_name(self, variant: Variant) -> String {
        match variant {
            Variant::Loglikelihood => match self {
                Task::Rte => "sglue_rte".into(),
                other => other.key().into(),
            },
            Variant::Generative => format!("super_glue-{}-t5-prompt", self.key()),
        }
    }
}

/// Which lm-evaluation-harness task family is reproduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `super-glue-lm-eval-v1`: log-likelihood multiple choice.
    Loglikelihood,
    /// `super-glue-t5-prompt`: T5-style prompts, generated answers.
    Generative,
}

/// Whether reference bugs are reproduced or fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Bit for bit what lm-evaluation-harness computes.
    Reference,
    /// The known bugs fixed (README, "reference vs corrected").
    Corrected,
}

impl Mode {
    /// The filter name every metric is reported under.
    pub fn filter(self) -> &'static str {
        match self {
            Mode::Reference => "none",
            Mode::Corrected => "corrected",
        }
    }
}

/// The options SuperGLUE understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "variant",
        default: "loglikelihood",
        allowed: &["loglikelihood", "generative"],
        description: "loglikelihood: lm-eval super-glue-lm-eval-v1 tasks (0-shot multiple choice); \
                      generative: lm-eval super-glue-t5-prompt tasks (T5 prompts, generated answers)",
    },
    OptionSpec {
        key: "mode",
        default: "reference",
        allowed: &["reference", "corrected"],
        description: "reference: reproduce lm-eval bit for bit (filter `none`); corrected: fix the \
                      reference bugs listed in the README (filter `corrected`)",
    },
    OptionSpec {
        key: "tasks",
        default: "all",
        allowed: &[],
        description: "`all` or a comma-separated list of boolq, cb, copa, multirc, record, rte, wic, wsc",
    },
];

/// The `variant` option.
///
/// # Errors
/// An unknown value (cannot happen after option validation).
pub fn variant(o: &Options) -> Result<Variant, Error> {
    o.get_with("variant", |v| match v {
        "loglikelihood" => Some(Variant::Loglikelihood),
        "generative" => Some(Variant::Generative),
        _ => None,
    })
}

/// The `mode` option.
///
/// # Errors
/// An unknown value (cannot happen after option validation).
pub fn mode(o: &Options) -> Result<Mode, Error> {
    o.get_with("mode", |v| match v {
        "reference" => Some(Mode::Reference),
        "corrected" => Some(Mode::Corrected),
        _ => None,
    })
}

/// The `tasks` option: the selected tasks in SuperGLUE order.
///
/// # Errors
/// An empty list or an unknown task name.
pub fn tasks(o: &Options) -> Result<Vec<Task>, Error> {
    let value = o.get("tasks")?.trim();
    if value == "all" {
        return Ok(Task::ALL.to_vec());
    }
    let mut chosen = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let task = Task::from_key(&name.to_ascii_lowercase()).ok_or_else(|| {
            Error::new(format!(
                "option `tasks`: unknown task `{name}` (use `all` or names from: {})",
                Task::ALL.map(Task::key).join(", ")
            ))
        })?;
        chosen.push(task);
    }
    if chosen.is_empty() {
        return Err(Error::new(
            "option `tasks` names no task (use `all` or e.g. `boolq,cb`)",
        ));
    }
    chosen.sort();
    chosen.dedup();
    Ok(chosen)
}

fn metric(name: &str, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.into(),
        higher_is_better: true,
        description: description.into(),
    }
}

/// The SuperGLUE benchmark.
pub struct SuperGlue;

impl Benchmark for SuperGlue {
    type Episode = episode::SuperGlueEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: "superglue".into(),
            version: VERSION.into(),
            description: "SuperGLUE: BoolQ, CB, COPA, MultiRC, ReCoRD, RTE, WiC, WSC (validation), \
                          lm-evaluation-harness log-likelihood or t5-prompt tasks, official metrics \
                          and the SuperGLUE score"
                .into(),
            subtasks: Task::ALL.iter().map(|t| t.key().to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                metric("acc", "log-likelihood: 1 when the highest-likelihood choice is the gold one"),
                metric(
                    "f1",
                    "CB (log-likelihood): mean of the three one-vs-rest F1s; ReCoRD: max-over-gold \
                     token F1; MultiRC (generative): F1a, binary F1 over all answer options",
                ),
                metric(
                    "em",
                    "ReCoRD: max-over-gold exact match (SQuAD normalisation); MultiRC (generative): \
                     share of questions with every answer option right",
                ),
                metric(
                    "f1a",
                    "MultiRC (log-likelihood): binary F1 over all answer options (official F1a)",
                ),
                metric(
                    "exact_match",
                    "generative: the answer equals the label word, ignoring case and ASCII punctuation",
                ),
                metric(
                    "mean_3class_f1",
                    "CB (generative): unweighted mean of the three per-class F1s",
                ),
                metric("accuracy", "WSC (generative): the answer names the referent iff it corefers"),
                metric(
                    "score",
                    "superglue: the SuperGLUE score, the unweighted mean over tasks of each task's \
                     metrics averaged",
                ),
            ],
            capabilities: Vec::new(),
            data: vec![
                DataSource {
                    location: "https://huggingface.co/datasets/aps/super_glue".into(),
                    files: "<config>/validation-*.parquet for boolq, cb, copa, multirc, record, rte, \
                            wic, wsc.fixed (parquet, jsonl or json; also `super_glue`)"
                        .into(),
                    notes: "validation split only (test labels are hidden); per-task licenses"
                        .into(),
                },
                DataSource {
                    location: "https://super.gluebenchmark.com/tasks (SuperGLUE v2 zips)".into(),
                    files: "BoolQ/val.jsonl, CB/val.jsonl, COPA/val.jsonl, MultiRC/val.jsonl, \
                            ReCoRD/val.jsonl, RTE/val.jsonl, WiC/val.jsonl, WSC/val.jsonl"
                        .into(),
                    notes: "original schema, converted as the Hugging Face builder does (WSC spans \
                            fixed as in `wsc.fixed`)"
                        .into(),
                },
            ],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet, Error> {
        load::load(&files, &tasks(options)?)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        _shared: &(),
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        episode::SuperGlueEpisode::new(&sample, variant(options)?, mode(options)?)
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples, variant(options)?, mode(options)?)
    }
}

scorebox_sdk::export!(SuperGlue);
