//! One evaluation row of a task, in the Hugging Face `super_glue` schema
//! (labels as class indices), as it travels in `sample.data`.

use serde::{Deserialize, Serialize};

use crate::Task;

/// A validation row (for MultiRC one answer option, for ReCoRD one query).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "lowercase")]
pub enum Row {
    /// BoolQ; label 0 = False, 1 = True.
    Boolq {
        /// The question (no question mark).
        question: String,
        /// The passage.
        passage: String,
        /// 0 or 1.
        label: u8,
    },
    /// CB; label 0 = entailment, 1 = contradiction, 2 = neutral.
    Cb {
        /// The premise.
        premise: String,
        /// The hypothesis.
        hypothesis: String,
        /// 0, 1 or 2.
        label: u8,
    },
    /// COPA; label 0 = choice1, 1 = choice2.
    Copa {
        /// The premise.
        premise: String,
        /// The first alternative.
        choice1: String,
        /// The second alternative.
        choice2: String,
        /// `cause` or `effect`.
        question: String,
        /// 0 or 1.
        label: u8,
    },
    /// MultiRC: one answer option; label 1 = the option is correct.
    Multirc {
        /// The paragraph.
        paragraph: String,
        /// The question.
        question: String,
        /// The answer option.
        answer: String,
        /// 0 or 1.
        label: u8,
        /// `idx.paragraph`.
        paragraph_idx: i64,
        /// `idx.question`.
        question_idx: i64,
        /// `idx.answer`.
        answer_idx: i64,
    },
    /// ReCoRD: one cloze query.
    Record {
        /// The passage (with `\n@highlight\n` separators).
        passage: String,
        /// The query, with `@placeholder`.
        query: String,
        /// Candidate entities, as the dataset lists them.
        entities: Vec<String>,
        /// Gold answers, as the dataset lists them (at least one).
        answers: Vec<String>,
        /// `idx.passage`.
        passage_idx: i64,
        /// `idx.query`.
        query_idx: i64,
    },
    /// RTE; label 0 = entailment, 1 = not_entailment.
    Rte {
        /// The premise.
        premise: String,
        /// The hypothesis.
        hypothesis: String,
        /// 0 or 1.
        label: u8,
    },
    /// WiC; label 1 = same sense.
    Wic {
        /// The target word (lemma).
        word: String,
        /// First sentence.
        sentence1: String,
        /// Second sentence.
        sentence2: String,
        /// Character span of the word in `sentence1`.
        start1: i64,
        /// End of that span (exclusive).
        end1: i64,
        /// Character span of the word in `sentence2`.
        start2: i64,
        /// End of that span (exclusive).
        end2: i64,
        /// 0 or 1.
        label: u8,
    },
    /// WSC (`wsc.fixed`); label 1 = the pronoun refers to the noun phrase.
    Wsc {
        /// The text.
        text: String,
        /// Word index of the noun phrase.
        span1_index: i64,
        /// Word index of the pronoun.
        span2_index: i64,
        /// The noun phrase.
        span1_text: String,
        /// The pronoun.
        span2_text: String,
        /// 0 or 1.
        label: u8,
    },
}

impl Row {
    /// The task of this row.
    pub fn task(&self) -> Task {
        match self {
            Row::Boolq { .. } => Task::Boolq,
            Row::Cb { .. } => Task::Cb,
            Row::Copa { .. } => Task::Copa,
            Row::Multirc { .. } => Task::Multirc,
            Row::Record { .. } => Task::Record,
            Row::Rte { .. } => Task::Rte,
            Row::Wic { .. } => Task::Wic,
            Row::Wsc { .. } => Task::Wsc,
        }
    }

    /// The class label, for every task but ReCoRD.
    pub fn label(&self) -> Option<u8> {
        match self {
            Row::Boolq { label, .. }
            | Row::Cb { label, .. }
            | Row::Copa { label, .. }
            | Row::Multirc { label, .. }
            | Row::Rte { label, .. }
            | Row::Wic { label, .. }
            | Row::Wsc { label, .. } => Some(*label),
            Row::Record { .. } => None,
        }
    }
}

/// The Hugging Face class names of a task's labels, by index.
pub fn label_names(task: Task) -> &'static [&'static str] {
    match task {
        Task::Cb => &["entailment", "contradiction", "neutral"],
        Task::Copa => &["choice1", "choice2"],
        Task::Rte => &["entailment", "not_entailment"],
        Task::Record => &[],
        Task::Boolq | Task::Multirc | Task::Wic | Task::Wsc => &["False", "True"],
    }
}
