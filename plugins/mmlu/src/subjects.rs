//! The 57 MMLU subjects and lm-evaluation-harness's four categories.

/// An lm-evaluation-harness MMLU category (the subject YAML's `tag`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// `mmlu_stem` (19 subjects; includes `anatomy`).
    Stem,
    /// `mmlu_other` (13 subjects).
    Other,
    /// `mmlu_social_sciences` (12 subjects).
    SocialSciences,
    /// `mmlu_humanities` (13 subjects).
    Humanities,
}

impl Category {
    /// Categories in the order of lm-eval's `_mmlu.yaml` (the order the
    /// `mmlu` group sums its leaf tasks in).
    pub const ALL: [Category; 4] = [
        Category::Stem,
        Category::Other,
        Category::SocialSciences,
        Category::Humanities,
    ];

    /// The `mmlu_<category>` suffix (`stem`, `other`, `social_sciences`, `humanities`).
    pub fn key(self) -> &'static str {
        match self {
            Category::Stem => "stem",
            Category::Other => "other",
            Category::SocialSciences => "social_sciences",
            Category::Humanities => "humanities",
        }
    }

    /// The group name lm-eval's `mmlu_generative` uses (`stem`, `other`,
    /// `social sciences`, `humanities`).
    pub fn generative_group(self) -> &'static str {
        match self {
            Category::SocialSciences => "social sciences",
            other => other.key(),
        }
    }
}

/// `(subject, category)` for the 57 subjects, sorted by subject.
pub const SUBJECTS: [(&str, Category); 57] = {
    use Category::*;
    [
        ("abstract_algebra", Stem),
        ("anatomy", Stem),
        ("astronomy", Stem),
        ("business_ethics", Other),
        ("clinical_knowledge", Other),
        ("college_biology", Stem),
        ("college_chemistry", Stem),
        ("college_computer_science", Stem),
        ("college_mathematics", Stem),
        ("college_medicine", Other),
        ("college_physics", Stem),
        ("computer_security", Stem),
        ("conceptual_physics", Stem),
        ("econometrics", SocialSciences),
        ("electrical_engineering", Stem),
        ("elementary_mathematics", Stem),
        ("formal_logic", Humanities),
        ("global_facts", Other),
        ("high_school_biology", Stem),
        ("high_school_chemistry", Stem),
        ("high_school_computer_science", Stem),
        ("high_school_european_history", Humanities),
        ("high_school_geography", SocialSciences),
        ("high_school_government_and_politics", SocialSciences),
        ("high_school_macroeconomics", SocialSciences),
        ("high_school_mathematics", Stem),
        ("high_school_microeconomics", SocialSciences),
        ("high_school_physics", Stem),
        ("high_school_psychology", SocialSciences),
        ("high_school_statistics", Stem),
        ("high_school_us_history", Humanities),
        ("high_school_world_history", Humanities),
        ("human_aging", Other),
        ("human_sexuality", SocialSciences),
        ("international_law", Humanities),
        ("jurisprudence", Humanities),
        ("logical_fallacies", Humanities),
        ("machine_learning", Stem),
        ("management", Other),
        ("marketing", Other),
        ("medical_genetics", Other),
        ("miscellaneous", Other),
        ("moral_disputes", Humanities),
        ("moral_scenarios", Humanities),
        ("nutrition", Other),
        ("philosophy", Humanities),
        ("prehistory", Humanities),
        ("professional_accounting", Other),
        ("professional_law", Humanities),
        ("professional_medicine", Other),
        ("professional_psychology", SocialSciences),
        ("public_relations", SocialSciences),
        ("security_studies", SocialSciences),
        ("sociology", SocialSciences),
        ("us_foreign_policy", SocialSciences),
        ("virology", Other),
        ("world_religions", Humanities),
    ]
};

/// The category of a known subject.
pub fn category(subject: &str) -> Option<Category> {
    SUBJECTS
        .binary_search_by(|(s, _)| (*s).cmp(subject))
        .ok()
        .map(|i| SUBJECTS[i].1)
}

/// The subjects of `category`, sorted.
pub fn subjects_of(category: Category) -> impl Iterator<Item = &'static str> {
    SUBJECTS
        .iter()
        .filter(move |(_, c)| *c == category)
        .map(|(s, _)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_lm_eval() {
        let count = |c| subjects_of(c).count();
        assert_eq!(count(Category::Stem), 19);
        assert_eq!(count(Category::Humanities), 13);
        assert_eq!(count(Category::SocialSciences), 12);
        assert_eq!(count(Category::Other), 13);
        assert!(SUBJECTS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert_eq!(category("anatomy"), Some(Category::Stem));
        assert_eq!(category("astrology"), None);
    }
}
