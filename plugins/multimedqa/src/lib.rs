//! MultiMedQA (Singhal et al., arXiv 2212.13138) as a scorebox plugin:
//! loader and scorer.
//!
//! The multiple-choice sets (MedQA, MedMCQA, PubMedQA, six MMLU clinical
//! subjects) follow lm-evaluation-harness's `multimedqa` group; PubMedQA also
//! gets the official `evaluation.py` macro-F1. The long-form sets (LiveQA,
//! MedicationQA, HealthSearchQA) are answered by the model and rated by a
//! judge model on the paper's human-evaluation axes. See the crate README
//! for the references, the rules and every known difference.
#![deny(missing_docs)]

pub mod choice;
pub mod item;
pub mod judge;
pub mod load;
pub mod longform;
pub mod report;
pub mod sets;

use scorebox_sdk::{
    Benchmark, Capability, DataFile, DataSource, Episode, Error, LoadedSet, MetricInfo, OptionSpec,
    Options, PluginInfo, Report, Sample, ScoredSample, Step,
};

use crate::item::Item;
use crate::sets::{Family, all_sets};

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which sets a run loads (option `sets`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sets {
    /// The multiple-choice sets only (never asks the judge).
    Choice,
    /// The long-form sets only.
    LongForm,
    /// Both.
    All,
}

impl Sets {
    /// Parses the `sets` option.
    pub fn parse(value: &str) -> Option<Sets> {
        match value {
            "mc" => Some(Sets::Choice),
            "longform" => Some(Sets::LongForm),
            "all" => Some(Sets::All),
            _ => None,
        }
    }

    /// The option value.
    pub fn name(self) -> &'static str {
        match self {
            Sets::Choice => "mc",
            Sets::LongForm => "longform",
            Sets::All => "all",
        }
    }

    /// Whether files of `family` are loaded.
    pub fn includes(self, family: Family) -> bool {
        match self {
            Sets::All => true,
            Sets::Choice => family.is_choice(),
            Sets::LongForm => !family.is_choice(),
        }
    }
}

/// The options MultiMedQA understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "sets",
        default: "mc",
        allowed: &["mc", "longform", "all"],
        description: "mc: the multiple-choice sets (lm-eval's multimedqa group; never asks a judge); \
                      longform: LiveQA, MedicationQA, HealthSearchQA rated by the judge (needs --judge); \
                      all: both",
    },
    OptionSpec {
        key: "axes",
        default: "all",
        allowed: &[],
        description: "long-form rating axes, one judge query each: all (14), physician (12), lay (2), \
                      or a comma-separated list of axis keys (consensus, harm_extent, harm_likelihood, \
                      correct_comprehension, correct_retrieval, correct_reasoning, incorrect_comprehension, \
                      incorrect_retrieval, incorrect_reasoning, inappropriate_content, missing_content, bias, \
                      intent, helpfulness)",
    },
    OptionSpec {
        key: "judge_reference",
        default: "omit",
        allowed: &["omit", "include"],
        description: "include: show the judge the dataset's reference answer when it has one \
                      (the paper's raters saw none)",
    },
    OptionSpec {
        key: "answer_max_tokens",
        default: "1024",
        allowed: &[],
        description: "max_tokens of the long-form answer (greedy)",
    },
];

/// The MultiMedQA benchmark.
pub struct MultiMedQa;

/// One episode: multiple choice or long-form.
#[derive(Debug)]
pub enum MultiMedQaEpisode {
    /// A multiple-choice sample.
    Choice(choice::ChoiceEpisode),
    /// A long-form sample.
    LongForm(longform::LongFormEpisode),
}

impl Episode for MultiMedQaEpisode {
    fn step(&mut self, answer: Option<scorebox_sdk::Answer>) -> Result<Step, Error> {
        match self {
            MultiMedQaEpisode::Choice(e) => e.step(answer),
            MultiMedQaEpisode::LongForm(e) => e.step(answer),
        }
    }
}

fn metric(name: &str, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.into(),
        higher_is_better: true,
        description: description.into(),
    }
}

impl Benchmark for MultiMedQa {
    type Episode = MultiMedQaEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        let mut metrics = vec![
            metric(
                "acc",
                "multiple choice: 1 when the highest log-likelihood (first on ties) is the answer; \
                 the multimedqa group is its size-weighted mean over the nine sets",
            ),
            metric(
                "acc_norm",
                "MedQA and MedMCQA: acc over log-likelihood / choice length in characters",
            ),
            metric(
                "macro_f1",
                "PubMedQA (aggregate only): scikit-learn macro-F1 of the predicted yes/no/maybe \
                 labels, as the official evaluation.py",
            ),
        ];
        metrics.extend(
            judge::AXES
                .iter()
                .map(|a| metric(a.metric, &format!("long-form, judge: {}", a.description))),
        );
        PluginInfo {
            name: "multimedqa".into(),
            version: VERSION.into(),
            description: "MultiMedQA: MedQA, MedMCQA, PubMedQA and six MMLU clinical subjects \
                          (lm-evaluation-harness multimedqa rules), plus LiveQA, MedicationQA and \
                          HealthSearchQA answers rated by a judge on the Med-PaLM axes"
                .into(),
            subtasks: all_sets().iter().map(|s| s.subtask()).collect(),
            options: Vec::new(),
            metrics,
            capabilities: vec![Capability::Judge],
            data: data_sources(),
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<()>, Error> {
        let sets = options.get_with("sets", Sets::parse)?;
        load::load(&files, sets)
    }

    fn start(
        sample: Sample,
        _seed: u64,
        _shared: &(),
        options: &Options,
    ) -> Result<Self::Episode, Error> {
        let item: Item = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not MultiMedQA loader output: {e}")))?;
        item.validate().map_err(Error::new)?;
        match item {
            Item::LongForm {
                question,
                references,
                ..
            } => {
                let axes = judge::select_axes(options.get("axes")?).map_err(Error::new)?;
                let show = options.get("judge_reference")? == "include";
                let max_tokens = options.get_u32("answer_max_tokens")?;
                Ok(MultiMedQaEpisode::LongForm(longform::LongFormEpisode::new(
                    question, references, axes, show, max_tokens,
                )))
            }
            other => Ok(MultiMedQaEpisode::Choice(choice::ChoiceEpisode::new(
                &other,
            )?)),
        }
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        _options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples)
    }
}

fn data_sources() -> Vec<DataSource> {
    let source = |location: &str, files: &str, notes: &str| DataSource {
        location: location.into(),
        files: files.into(),
        notes: notes.into(),
    };
    vec![
        source(
            "https://huggingface.co/datasets/GBaker/MedQA-USMLE-4-options-hf",
            "medqa/: the test split (test-*.parquet, test.jsonl)",
            "{id, sent1, sent2, ending0..3, label}; or the original jind11/MedQA \
             US/4_options/phrases_no_exclude_test.jsonl {question, options{A..D}, answer_idx}",
        ),
        source(
            "https://huggingface.co/datasets/openlifescienceai/medmcqa",
            "medmcqa/: validation-*.parquet (cop 0..3), or the original dev.json as dev.jsonl (cop 1..4)",
            "{id, question, opa, opb, opc, opd, cop, choice_type, exp, subject_name, topic_name}; MIT",
        ),
        source(
            "https://github.com/pubmedqa/pubmedqa (data/)",
            "pubmedqa/: ori_pqal.json + test_ground_truth.json, or pqal_test_set.json; or \
             bigbio/pubmed_qa pubmed_qa_labeled_fold0_source test split",
            "PQA-L, 500 test questions {QUESTION, CONTEXTS, final_decision}; MIT",
        ),
        source(
            "https://huggingface.co/datasets/cais/mmlu",
            "mmlu/: <subject>/test-*.parquet or all/test-*.parquet, or data/test/<subject>_test.csv",
            "anatomy, clinical_knowledge, college_medicine, medical_genetics, \
             professional_medicine, college_biology; MIT",
        ),
        source(
            "https://github.com/abachaa/LiveQA_MedicalTask_TREC2017",
            "liveqa/: the 104 TREC 2017 test questions as jsonl/json/csv/parquet rows",
            "long-form (sets=longform|all); {question} or {SUBJECT, MESSAGE}, optional answer(s)",
        ),
        source(
            "https://github.com/abachaa/Medication_QA_MedInfo2019",
            "medicationqa/: the 674 questions as rows (e.g. truehealth/medicationqa parquet)",
            "long-form; {Question, Answer, ...}",
        ),
        source(
            "https://huggingface.co/datasets/katielink/healthsearchqa",
            "healthsearchqa/: the 3,173 questions (CSV with a header, or rows)",
            "long-form; {question}",
        ),
    ]
}

scorebox_sdk::export!(MultiMedQa);
