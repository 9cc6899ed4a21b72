//! What the loader hands the scorer for one sample (`sample.data`): the
//! dataset's own fields, normalised across the layouts each set comes in.

use serde::{Deserialize, Serialize};

use crate::sets::{MMLU_SUBJECTS, Set};

/// PubMedQA's three answers, in lm-eval's `doc_to_choice` order.
pub const PUBMEDQA_LABELS: [&str; 3] = ["yes", "no", "maybe"];

/// One sample's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "set", rename_all = "snake_case")]
pub enum Item {
    /// A MedQA (USMLE, 4 options) question.
    Medqa {
        /// `sent1` (or `question` in the original layout).
        question: String,
        /// `ending0..3` (or `options.A..D`).
        options: Vec<String>,
        /// Index of the answer (`label`, or `answer_idx` as a letter).
        answer: u32,
    },
    /// A MedMCQA question.
    Medmcqa {
        /// `question`.
        question: String,
        /// `opa`, `opb`, `opc`, `opd`.
        options: Vec<String>,
        /// Index of the answer (`cop`, made 0-based).
        answer: u32,
    },
    /// A PubMedQA PQA-L question.
    Pubmedqa {
        /// `QUESTION`.
        question: String,
        /// `CONTEXTS`: the abstract's sections without its conclusion.
        contexts: Vec<String>,
        /// `final_decision`: `yes`, `no` or `maybe`.
        answer: String,
    },
    /// An MMLU question of a clinical subject.
    Mmlu {
        /// Index into [`MMLU_SUBJECTS`].
        subject: usize,
        /// `question`.
        question: String,
        /// The four `choices`.
        choices: Vec<String>,
        /// Index of the answer.
        answer: u32,
    },
    /// A long-form consumer question.
    LongForm {
        /// Which long-form set.
        dataset: LongFormSet,
        /// The question as asked.
        question: String,
        /// Reference answers the dataset gives, if any (shown to the judge
        /// only with `judge_reference=include`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        references: Vec<String>,
    },
}

/// The long-form sets, as sample data names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LongFormSet {
    /// LiveQA.
    Liveqa,
    /// MedicationQA.
    Medicationqa,
    /// HealthSearchQA.
    Healthsearchqa,
}

impl LongFormSet {
    /// The matching [`Set`].
    pub fn set(self) -> Set {
        match self {
            LongFormSet::Liveqa => Set::LiveQa,
            LongFormSet::Medicationqa => Set::MedicationQa,
            LongFormSet::Healthsearchqa => Set::HealthSearchQa,
        }
    }

    /// The long-form set of a [`Set`], if it is one.
    pub fn of(set: Set) -> Option<LongFormSet> {
        match set {
            Set::LiveQa => Some(LongFormSet::Liveqa),
            Set::MedicationQa => Some(LongFormSet::Medicationqa),
            Set::HealthSearchQa => Some(LongFormSet::Healthsearchqa),
            _ => None,
        }
    }
}

impl Item {
    /// The set the item belongs to.
    pub fn set(&self) -> Set {
        match self {
            Item::Medqa { .. } => Set::MedQa,
            Item::Medmcqa { .. } => Set::MedMcqa,
            Item::Pubmedqa { .. } => Set::PubMedQa,
            Item::Mmlu { subject, .. } => Set::Mmlu(*subject),
            Item::LongForm { dataset, .. } => dataset.set(),
        }
    }

    /// The reference answer in human-readable form (`sample.target`): the
    /// answer letter, PubMedQA's label, or the first reference answer of a
    /// long-form question (empty when there is none).
    pub fn target(&self) -> String {
        let letter = |i: &u32| {
            scorebox_sdk::prompt::letter(*i as usize)
                .map(String::from)
                .unwrap_or_default()
        };
        match self {
            Item::Medqa { answer, .. }
            | Item::Medmcqa { answer, .. }
            | Item::Mmlu { answer, .. } => letter(answer),
            Item::Pubmedqa { answer, .. } => answer.clone(),
            Item::LongForm { references, .. } => references.first().cloned().unwrap_or_default(),
        }
    }

    /// Checks what serde cannot: four options, an answer in range, a known
    /// subject and PubMedQA label.
    ///
    /// # Errors
    /// A message naming what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let four = |options: &[String], answer: u32| {
            if options.len() != 4 {
                Err(format!("expected 4 options, found {}", options.len()))
            } else if answer > 3 {
                Err(format!("answer index {answer} is outside 0..3"))
            } else {
                Ok(())
            }
        };
        match self {
            Item::Medqa {
                options, answer, ..
            }
            | Item::Medmcqa {
                options, answer, ..
            } => four(options, *answer),
            Item::Mmlu {
                subject,
                choices,
                answer,
                ..
            } => {
                if *subject >= MMLU_SUBJECTS.len() {
                    return Err(format!("unknown MMLU subject index {subject}"));
                }
                four(choices, *answer)
            }
            Item::Pubmedqa { answer, .. } => {
                if PUBMEDQA_LABELS.contains(&answer.as_str()) {
                    Ok(())
                } else {
                    Err(format!(
                        "PubMedQA answer `{answer}` is not yes, no or maybe"
                    ))
                }
            }
            Item::LongForm { question, .. } => {
                if question.trim().is_empty() {
                    Err("the question is empty".into())
                } else {
                    Ok(())
                }
            }
        }
    }
}
