//! The FinBen datasets this plugin knows: the Hugging Face dataset names
//! that identify them in a data path, the task name PIXIU registers them
//! under (`src/tasks/__init__.py`), and the family of rules that scores them
//! (`src/tasks/flare.py`).

/// A family of scoring rules (one `flare.py` base class each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `Classification`: the first choice contained in the lower-cased answer.
    Classification,
    /// `StockMovement` (and German/Australian credit): choices or their
    /// synonyms, with a default label.
    StockMovement,
    /// `NER`: `entity, TYPE` lines turned into BIO tags over the text.
    Ner,
    /// `SequentialLabeling`: `token:label` lines aligned with the tokens.
    SequentialLabeling,
    /// `RelationExtraction`: output lines against gold relation strings.
    RelationExtraction,
    /// `QA`: exact string match after stripping the answer.
    Qa,
    /// `ConvFinQA`: `QA` over a dialogue whose later turns quote the model's
    /// earlier answers.
    ConvFinQa,
    /// `TSA`: the first number of the first line, RMSE against the score.
    Tsa,
    /// `AbstractiveSummarization`: ROUGE against the reference summary.
    AbstractiveSummarization,
    /// `ExtractiveSummarization`: per-sentence 0/1 labels select sentences.
    ExtractiveSummarization,
    /// FinTrade: one buy/sell/hold decision per day over a price series.
    Trading,
}

impl Family {
    /// The name written in per-sample details.
    pub fn name(self) -> &'static str {
        match self {
            Family::Classification => "classification",
            Family::StockMovement => "stock_movement",
            Family::Ner => "ner",
            Family::SequentialLabeling => "sequential_labeling",
            Family::RelationExtraction => "relation_extraction",
            Family::Qa => "qa",
            Family::ConvFinQa => "convfinqa",
            Family::Tsa => "tsa",
            Family::AbstractiveSummarization => "abstractive_summarization",
            Family::ExtractiveSummarization => "extractive_summarization",
            Family::Trading => "trading",
        }
    }

    /// The family named `name` (see [`Family::name`]).
    pub fn from_name(name: &str) -> Option<Family> {
        ALL_FAMILIES.iter().copied().find(|f| f.name() == name)
    }
}

const ALL_FAMILIES: [Family; 11] = [
    Family::Classification,
    Family::StockMovement,
    Family::Ner,
    Family::SequentialLabeling,
    Family::RelationExtraction,
    Family::Qa,
    Family::ConvFinQa,
    Family::Tsa,
    Family::AbstractiveSummarization,
    Family::ExtractiveSummarization,
    Family::Trading,
];

/// `StockMovement.CHOICE_DICT` and `DEFAULT` of one dataset.
#[derive(Debug, PartialEq, Eq)]
pub struct StockRule {
    /// Each label (lower-case) and the words that also select it.
    pub synonyms: &'static [(&'static str, &'static [&'static str])],
    /// The label when nothing matches.
    pub default: &'static str,
}

/// Stock movement (`flare_sm_*`): rise/fall, default fall.
pub const RISE_FALL: StockRule = StockRule {
    synonyms: &[
        ("rise", &["yes", "positive"]),
        ("fall", &["no", "negative", "neutral"]),
    ],
    default: "fall",
};

/// Credit scoring (`flare_german`, `flare_australian`): good/bad, default good.
pub const GOOD_BAD: StockRule = StockRule {
    synonyms: &[
        ("good", &["yes", "positive"]),
        ("bad", &["no", "negative", "neutral"]),
    ],
    default: "good",
};

impl StockRule {
    /// The synonyms of `label` (lower-case), if it is one of the rule's labels.
    pub fn synonyms_of(&self, label: &str) -> Option<&'static [&'static str]> {
        self.synonyms
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, s)| *s)
    }
}

/// Family-specific settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// Nothing beyond the family's rules.
    Plain,
    /// `flare_cfa`: its second `class CFA` (which wins) lower-cases like the
    /// others; the first one set `LOWER_CASE = False` (used in corrected mode).
    Cfa,
    /// A stock-movement synonym table.
    Stock(&'static StockRule),
    /// A sequential-labelling label map (`LMAP`): label and id.
    Labels(&'static [(&'static str, i64)]),
}

/// One dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// Hugging Face dataset names (lower-case, without the owner) that
    /// identify it as a path component, e.g. `flare-fpb`.
    pub names: &'static [&'static str],
    /// PIXIU's task name (the results key), e.g. `flare_fpb`.
    pub task: &'static str,
    /// The rules that score it.
    pub family: Family,
    /// Family-specific settings.
    pub rules: Rules,
}

const fn ds(
    names: &'static [&'static str],
    task: &'static str,
    family: Family,
    rules: Rules,
) -> Dataset {
    Dataset {
        names,
        task,
        family,
        rules,
    }
}

use Family::*;

/// Every dataset the plugin scores, in PIXIU's registry order.
pub const DATASETS: &[Dataset] = &[
    ds(
        &["flare-es-financees"],
        "flare_es_financees",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-es-multifin"],
        "flare_es_multifin",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-es-efp"],
        "flare_es_efp",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-es-efpa"],
        "flare_es_efpa",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-es-fns"],
        "flare_es_fns",
        AbstractiveSummarization,
        Rules::Plain,
    ),
    ds(
        &["flare-es-tsa"],
        "flare_es_tsa",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-fpb", "en-fpb"],
        "flare_fpb",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-fiqasa"],
        "flare_fiqasa",
        Classification,
        Rules::Plain,
    ),
    ds(&["flare-ner"], "flare_ner", Ner, Rules::Plain),
    ds(&["flare-finqa"], "flare_finqa", Qa, Rules::Plain),
    ds(
        &["flare-convfinqa"],
        "flare_convfinqa",
        ConvFinQa,
        Rules::Plain,
    ),
    ds(
        &["finben-finer-ord", "flare-finer-ord"],
        "flare_finer_ord",
        SequentialLabeling,
        Rules::Labels(FINER_ORD),
    ),
    ds(
        &["finben-fomc", "flare-fomc"],
        "flare_fomc",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-german"],
        "flare_german",
        StockMovement,
        Rules::Stock(&GOOD_BAD),
    ),
    ds(
        &["flare-australian"],
        "flare_australian",
        StockMovement,
        Rules::Stock(&GOOD_BAD),
    ),
    ds(
        &["flare-ectsum"],
        "flare_ectsum",
        ExtractiveSummarization,
        Rules::Plain,
    ),
    ds(
        &["flare-edtsum"],
        "flare_edtsum",
        AbstractiveSummarization,
        Rules::Plain,
    ),
    ds(
        &["flare-finarg-ecc-auc"],
        "flare_finarg_ecc_auc",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-finarg-ecc-arc"],
        "flare_finarg_ecc_arc",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-cd"],
        "flare_cd",
        SequentialLabeling,
        Rules::Labels(CD),
    ),
    ds(
        &["flare-multifin-en"],
        "flare_multifin_en",
        Classification,
        Rules::Plain,
    ),
    ds(&["flare-tsa"], "flare_tsa", Tsa, Rules::Plain),
    ds(&["flare-cfa"], "flare_cfa", Classification, Rules::Cfa),
    ds(&["flare-ma"], "flare_ma", Classification, Rules::Plain),
    ds(
        &["flare-causal20-sc"],
        "flare_causal20_sc",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-mlesg"],
        "flare_mlesg",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-fnxl"],
        "flare_fnxl",
        SequentialLabeling,
        Rules::Labels(crate::fnxl::FNXL),
    ),
    ds(
        &["flare-fsrl"],
        "flare_fsrl",
        SequentialLabeling,
        Rules::Labels(FSRL),
    ),
    ds(&["flare-tatqa"], "flare_tatqa", Qa, Rules::Plain),
    ds(
        &["flare-finred"],
        "flare_finred",
        RelationExtraction,
        Rules::Plain,
    ),
    ds(
        &["cra-lendingclub"],
        "flare_cra_lendingclub",
        Classification,
        Rules::Plain,
    ),
    ds(&["cra-ccf"], "flare_cra_ccf", Classification, Rules::Plain),
    ds(
        &["cra-ccfraud"],
        "flare_cra_ccfraud",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["cra-polish"],
        "flare_cra_polish",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["cra-taiwan"],
        "flare_cra_taiwan",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["cra-portoseguro"],
        "flare_cra_portoseguro",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["cra-travelinsurace"],
        "flare_cra_travelinsurace",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-sm-bigdata"],
        "flare_sm_bigdata",
        StockMovement,
        Rules::Stock(&RISE_FALL),
    ),
    ds(
        &["flare-sm-acl"],
        "flare_sm_acl",
        StockMovement,
        Rules::Stock(&RISE_FALL),
    ),
    ds(
        &["flare-sm-cikm"],
        "flare_sm_cikm",
        StockMovement,
        Rules::Stock(&RISE_FALL),
    ),
    ds(&["en-acronym"], "flare_en_acronym", Qa, Rules::Plain),
    ds(
        &["flare-finarg-ecc-auc_test"],
        "flare_finarg_ecc_auc_test",
        Classification,
        Rules::Plain,
    ),
    ds(
        &["flare-edtsum_test"],
        "flare_edtsum_test",
        AbstractiveSummarization,
        Rules::Plain,
    ),
    ds(
        &["fintrade", "fintrade_ijcai-challenge", "en-fintrade-train"],
        "fintrade",
        Trading,
        Rules::Plain,
    ),
];

/// Datasets PIXIU registers that this plugin refuses, and why.
pub const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "flare-headlines",
        "flare_headlines scores `int(answer.strip() != \"Yes\")` against `gold` per \
         `label_type` (avg_f1); not provided (see the plugin README)",
    ),
    (
        "en-finterm",
        "flare_en_finterm needs FActScore (retrieval plus a ChatGPT judge); not provided",
    ),
];

/// `FinerOrd.LMAP`.
pub const FINER_ORD: &[(&str, i64)] = &[
    ("O", 0),
    ("B-PER", 1),
    ("I-PER", 2),
    ("B-LOC", 3),
    ("I-LOC", 4),
    ("B-ORG", 5),
    ("I-ORG", 6),
];

/// `FSRL.LMAP`.
pub const FSRL: &[(&str, i64)] = &[
    ("O", 0),
    ("I-QUANT", 1),
    ("B-QUANT", 2),
    ("I-TIME", 3),
    ("B-TIME", 4),
    ("I-MANNER", 5),
    ("B-MANNER", 6),
    ("I-THEME", 7),
    ("B-THEME", 8),
    ("I-VALUE", 9),
    ("B-VALUE", 10),
    ("I-WHOLE", 11),
    ("B-WHOLE", 12),
    ("I-LOCATION", 13),
    ("B-LOCATION", 14),
    ("I-AGENT", 15),
    ("B-AGENT", 16),
    ("I-CAUSE", 17),
    ("B-CAUSE", 18),
    ("I-SOURCE", 19),
    ("B-SOURCE", 20),
    ("I-REF_TIME", 21),
    ("B-REF_TIME", 22),
    ("I-CONDITION", 23),
    ("B-CONDITION", 24),
];

/// `CD.LMAP`.
pub const CD: &[(&str, i64)] = &[
    ("O", 0),
    ("I-CAUSE", 1),
    ("B-CAUSE", 2),
    ("I-EFFECT", 3),
    ("B-EFFECT", 4),
];

/// The id of `label` in a label map.
pub fn label_id(map: &[(&str, i64)], label: &str) -> Option<i64> {
    map.iter().find(|(l, _)| *l == label).map(|(_, id)| *id)
}

/// The dataset a path component names (case-insensitive; a Hugging Face
/// name such as `flare-fpb`, or the task name `flare_fpb`).
pub fn by_component(component: &str) -> Option<&'static Dataset> {
    let c = component.to_ascii_lowercase();
    DATASETS
        .iter()
        .find(|d| d.names.contains(&c.as_str()) || d.task == c)
}

/// The dataset registered under `task`.
pub fn by_task(task: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.task == task)
}

/// Why a path component names an unsupported dataset, if it does.
pub fn unsupported(component: &str) -> Option<&'static str> {
    let c = component.to_ascii_lowercase();
    UNSUPPORTED
        .iter()
        .find(|(name, _)| c == *name || c == name.replace('-', "_"))
        .map(|(_, why)| *why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        let mut tasks: Vec<&str> = DATASETS.iter().map(|d| d.task).collect();
        tasks.sort_unstable();
        let n = tasks.len();
        tasks.dedup();
        assert_eq!(tasks.len(), n);
        assert_eq!(by_component("Flare-FPB").unwrap().task, "flare_fpb");
        assert_eq!(by_component("flare_sm_acl").unwrap().family, StockMovement);
        assert_eq!(
            by_component("flare-finarg-ecc-auc_test").unwrap().task,
            "flare_finarg_ecc_auc_test"
        );
        assert!(by_component("data").is_none());
        assert!(unsupported("flare-headlines").is_some());
        assert_eq!(label_id(crate::fnxl::FNXL, "O"), Some(0));
        assert_eq!(crate::fnxl::FNXL.len(), 101);
        for f in ALL_FAMILIES {
            assert_eq!(Family::from_name(f.name()), Some(f));
        }
    }
}
