//! The MultiMedQA datasets: their subtask and result names, and which one a
//! data file belongs to.

use scorebox_sdk::data::{file_stem, name_before_split_suffix, parent_dirs};

/// The six MMLU subjects of MultiMedQA, in the order of lm-eval's
/// `multimedqa` group (`lm_eval/tasks/benchmarks/multimedqa/multimedqa.yaml`).
pub const MMLU_SUBJECTS: [&str; 6] = [
    "anatomy",
    "clinical_knowledge",
    "college_medicine",
    "medical_genetics",
    "professional_medicine",
    "college_biology",
];

/// One dataset of MultiMedQA (an MMLU subject counts as one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Set {
    /// PubMedQA PQA-L, the 500 test questions; yes/no/maybe.
    PubMedQa,
    /// MedMCQA, the validation split (test labels are not public).
    MedMcqa,
    /// MedQA USMLE, 4 options, the test split.
    MedQa,
    /// One MMLU clinical subject (index into [`MMLU_SUBJECTS`]), test split.
    Mmlu(usize),
    /// TREC 2017 LiveQA medical questions (long-form).
    LiveQa,
    /// MedicationQA consumer questions about medicines (long-form).
    MedicationQa,
    /// HealthSearchQA search-engine health questions (long-form).
    HealthSearchQa,
}

/// A dataset family as told by a file path (MMLU without its subject yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// PubMedQA files.
    PubMedQa,
    /// MedMCQA files.
    MedMcqa,
    /// MedQA files.
    MedQa,
    /// MMLU files (any subject; the rows say which).
    Mmlu,
    /// A long-form set.
    LongForm(Set),
}

impl Family {
    /// Whether the family is multiple choice (scored by log-likelihood).
    pub fn is_choice(self) -> bool {
        !matches!(self, Family::LongForm(_))
    }
}

/// The multiple-choice sets in lm-eval's `multimedqa` group order.
pub fn choice_sets() -> Vec<Set> {
    let mut out = vec![Set::PubMedQa, Set::MedMcqa, Set::MedQa];
    out.extend((0..MMLU_SUBJECTS.len()).map(Set::Mmlu));
    out
}

/// The long-form sets, in the order their group sums them.
pub const LONG_FORM_SETS: [Set; 3] = [Set::LiveQa, Set::MedicationQa, Set::HealthSearchQa];

/// Every set, multiple choice first.
pub fn all_sets() -> Vec<Set> {
    let mut out = choice_sets();
    out.extend(LONG_FORM_SETS);
    out
}

impl Set {
    /// The subtask name samples carry (`medqa`, `mmlu_anatomy`, `liveqa`, ...).
    pub fn subtask(self) -> String {
        match self {
            Set::PubMedQa => "pubmedqa".into(),
            Set::MedMcqa => "medmcqa".into(),
            Set::MedQa => "medqa".into(),
            Set::Mmlu(i) => format!("mmlu_{}", MMLU_SUBJECTS[i]),
            Set::LiveQa => "liveqa".into(),
            Set::MedicationQa => "medicationqa".into(),
            Set::HealthSearchQa => "healthsearchqa".into(),
        }
    }

    /// The results key: lm-eval's task name for the multiple-choice sets
    /// (`medqa_4options`, `mmlu_anatomy`, ...), the subtask name otherwise.
    pub fn report_name(self) -> String {
        match self {
            Set::MedQa => "medqa_4options".into(),
            other => other.subtask(),
        }
    }

    /// The set a subtask name stands for.
    pub fn from_subtask(name: &str) -> Option<Set> {
        all_sets().into_iter().find(|s| s.subtask() == name)
    }

    /// Whether the set is long-form (judged).
    pub fn is_long_form(self) -> bool {
        LONG_FORM_SETS.contains(&self)
    }

    /// Whether lm-eval's task reports `acc_norm` too (MedQA and MedMCQA list
    /// it in their `metric_list`; PubMedQA and MMLU do not).
    pub fn has_acc_norm(self) -> bool {
        matches!(self, Set::MedQa | Set::MedMcqa)
    }
}

/// The index of an MMLU clinical subject.
pub fn mmlu_subject(name: &str) -> Option<usize> {
    MMLU_SUBJECTS.iter().position(|s| *s == name)
}

/// Keywords of a path component (lower-cased, ASCII letters and digits
/// only), most specific first: `pubmedqa` before `medqa`, which it contains.
const KEYWORDS: [(&str, Family); 7] = [
    ("medmcqa", Family::MedMcqa),
    ("pubmedqa", Family::PubMedQa),
    ("medicationqa", Family::LongForm(Set::MedicationQa)),
    ("healthsearchqa", Family::LongForm(Set::HealthSearchQa)),
    ("liveqa", Family::LongForm(Set::LiveQa)),
    ("medqa", Family::MedQa),
    ("mmlu", Family::Mmlu),
];

fn squash(component: &str) -> String {
    component
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The family a data file belongs to, from its path: the first path
/// component, closest first (file stem, then folders), whose letters and
/// digits contain a dataset keyword (`MedQA-USMLE-4-options-hf/`,
/// `pubmed_qa_labeled_fold0_source/`, `medmcqa/`, `cais/mmlu`, ...; a
/// component containing `multimedqa` is ignored); else MMLU when the file is
/// named or filed after a clinical subject (`anatomy_test.csv`,
/// `clinical_knowledge/`).
pub fn family_from_path(path: &str) -> Option<Family> {
    let components = std::iter::once(file_stem(path)).chain(parent_dirs(path));
    for c in components {
        let c = squash(c);
        if c.contains("multimedqa") {
            continue;
        }
        if let Some((_, f)) = KEYWORDS.iter().find(|(k, _)| c.contains(k)) {
            return Some(*f);
        }
    }
    let named = name_before_split_suffix(path).is_some_and(|n| mmlu_subject(n).is_some());
    (named || parent_dirs(path).any(|d| mmlu_subject(d).is_some())).then_some(Family::Mmlu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_from_paths() {
        let cases = [
            ("medqa/test.jsonl", Some(Family::MedQa)),
            (
                "GBaker/MedQA-USMLE-4-options-hf/data/test-00000-of-00001.parquet",
                Some(Family::MedQa),
            ),
            (
                "data_clean/questions/US/4_options/phrases_no_exclude_test.jsonl",
                None,
            ),
            (
                "medqa/US/4_options/phrases_no_exclude_test.jsonl",
                Some(Family::MedQa),
            ),
            (
                "openlifescienceai/medmcqa/data/validation-0.parquet",
                Some(Family::MedMcqa),
            ),
            ("pubmedqa/data/ori_pqal.json", Some(Family::PubMedQa)),
            (
                "bigbio/pubmed_qa_labeled_fold0_source/test.parquet",
                Some(Family::PubMedQa),
            ),
            ("multimedqa/mmlu/anatomy/test.parquet", Some(Family::Mmlu)),
            ("multimedqa/data/test/anatomy_test.csv", Some(Family::Mmlu)),
            ("data/test/virology_test.csv", None),
            ("hf/clinical_knowledge/test.parquet", Some(Family::Mmlu)),
            (
                "LiveQA_MedicalTask_TREC2017/test.jsonl",
                Some(Family::LongForm(Set::LiveQa)),
            ),
            (
                "truehealth/medicationqa/data/train.parquet",
                Some(Family::LongForm(Set::MedicationQa)),
            ),
            (
                "healthsearchqa/all_data.csv",
                Some(Family::LongForm(Set::HealthSearchQa)),
            ),
            ("notes.json", None),
        ];
        for (path, want) in cases {
            assert_eq!(family_from_path(path), want, "{path}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(Set::MedQa.report_name(), "medqa_4options");
        assert_eq!(Set::Mmlu(1).subtask(), "mmlu_clinical_knowledge");
        assert_eq!(
            Set::from_subtask("mmlu_college_biology"),
            Some(Set::Mmlu(5))
        );
        assert_eq!(
            Set::from_subtask("healthsearchqa"),
            Some(Set::HealthSearchQa)
        );
        assert_eq!(choice_sets().len(), 9);
        assert!(Set::LiveQa.is_long_form() && !Set::PubMedQa.is_long_form());
    }
}
