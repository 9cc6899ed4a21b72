//! The 67 CMMLU subjects, their Chinese names, and the official categories.
//!
//! Facts from `haonan-li/CMMLU` `src/categories.py` (`name_en2zh`,
//! `subcategories`, `categories`) and `src/mp_utils.py` (`category2subject`).

/// One subject: its key (file stem, Hugging Face config, lm-eval task
/// suffix), its Chinese name (used in both prompts) and its official
/// subcategories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject {
    /// `agronomy`, `chinese_history`, ...
    pub name: &'static str,
    /// `农学`, `中国历史`, ...
    pub zh: &'static str,
    /// Official subcategories (`other`, `china specific`, ...).
    pub subcategories: &'static [&'static str],
}

const fn s(
    name: &'static str,
    zh: &'static str,
    subcategories: &'static [&'static str],
) -> Subject {
    Subject {
        name,
        zh,
        subcategories,
    }
}

/// The 67 subjects in `name_en2zh` order (alphabetical). The official
/// `get_results` reads result files in this order, so the reference random
/// stream is consumed in it; lm-eval's `_cmmlu.yaml` lists the subjects in
/// the same order.
pub const SUBJECTS: [Subject; 67] = [
    s("agronomy", "农学", &["other"]),
    s("anatomy", "解剖学", &["biology"]),
    s(
        "ancient_chinese",
        "古汉语",
        &["linguistics", "china specific"],
    ),
    s("arts", "艺术学", &["arts"]),
    s("astronomy", "天文学", &["physics"]),
    s("business_ethics", "商业伦理", &["business"]),
    s(
        "chinese_civil_service_exam",
        "中国公务员考试",
        &["politics", "china specific"],
    ),
    s(
        "chinese_driving_rule",
        "中国驾驶规则",
        &["other", "china specific"],
    ),
    s(
        "chinese_food_culture",
        "中国饮食文化",
        &["culture", "china specific"],
    ),
    s(
        "chinese_foreign_policy",
        "中国外交政策",
        &["politics", "china specific"],
    ),
    s(
        "chinese_history",
        "中国历史",
        &["history", "china specific"],
    ),
    s(
        "chinese_literature",
        "中国文学",
        &["literature", "china specific"],
    ),
    s(
        "chinese_teacher_qualification",
        "中国教师资格",
        &["education", "china specific"],
    ),
    s("clinical_knowledge", "临床知识", &["other"]),
    s("college_actuarial_science", "大学精算学", &["math"]),
    s("college_education", "大学教育学", &["education"]),
    s(
        "college_engineering_hydrology",
        "大学工程水文学",
        &["engineering"],
    ),
    s("college_law", "大学法律", &["law"]),
    s("college_mathematics", "大学数学", &["math"]),
    s(
        "college_medical_statistics",
        "大学医学统计",
        &["statistics"],
    ),
    s("college_medicine", "大学医学", &["other"]),
    s("computer_science", "计算机科学", &["computer science"]),
    s("computer_security", "计算机安全", &["other"]),
    s("conceptual_physics", "概念物理学", &["physics"]),
    s(
        "construction_project_management",
        "建设工程管理",
        &["other", "china specific"],
    ),
    s("economics", "经济学", &["economics"]),
    s("education", "教育学", &["education"]),
    s("electrical_engineering", "电气工程", &["engineering"]),
    s(
        "elementary_chinese",
        "小学语文",
        &["linguistics", "china specific"],
    ),
    s(
        "elementary_commonsense",
        "小学常识",
        &["other", "china specific"],
    ),
    s(
        "elementary_information_and_technology",
        "小学信息技术",
        &["other"],
    ),
    s("elementary_mathematics", "初等数学", &["math"]),
    s("ethnology", "民族学", &["culture", "china specific"]),
    s("food_science", "食品科学", &["other"]),
    s("genetics", "遗传学", &["biology"]),
    s("global_facts", "全球事实", &["global"]),
    s("high_school_biology", "高中生物", &["biology"]),
    s("high_school_chemistry", "高中化学", &["chemistry"]),
    s("high_school_geography", "高中地理", &["geography"]),
    s("high_school_mathematics", "高中数学", &["math"]),
    s("high_school_physics", "高中物理学", &["physics"]),
    s(
        "high_school_politics",
        "高中政治",
        &["politics", "china specific"],
    ),
    s("human_sexuality", "人类性行为", &["other"]),
    s("international_law", "国际法学", &["law"]),
    s("journalism", "新闻学", &["sociology"]),
    s("jurisprudence", "法理学", &["law"]),
    s("legal_and_moral_basis", "法律与道德基础", &["other"]),
    s("logical", "逻辑学", &["philosophy"]),
    s("machine_learning", "机器学习", &["computer science"]),
    s("management", "管理学", &["business"]),
    s("marketing", "市场营销", &["business"]),
    s("marxist_theory", "马克思主义理论", &["philosophy"]),
    s(
        "modern_chinese",
        "现代汉语",
        &["linguistics", "china specific"],
    ),
    s("nutrition", "营养学", &["other"]),
    s("philosophy", "哲学", &["philosophy"]),
    s("professional_accounting", "专业会计", &["business"]),
    s("professional_law", "专业法学", &["law"]),
    s("professional_medicine", "专业医学", &["other"]),
    s("professional_psychology", "专业心理学", &["psychology"]),
    s("public_relations", "公共关系", &["politics"]),
    s("security_study", "安全研究", &["politics"]),
    s("sociology", "社会学", &["culture"]),
    s("sports_science", "体育学", &["other"]),
    s(
        "traditional_chinese_medicine",
        "中医中药",
        &["other", "china specific"],
    ),
    s("virology", "病毒学", &["biology"]),
    s("world_history", "世界历史", &["history"]),
    s("world_religions", "世界宗教", &["global"]),
];

/// The subjects in the order of the official `subcategories` dict, which is
/// the order `category2subject` lists each category's members in (and so
/// the order the official category means are summed in).
pub const SUBCATEGORY_ORDER: [&str; 67] = [
    "agronomy",
    "anatomy",
    "ancient_chinese",
    "arts",
    "astronomy",
    "business_ethics",
    "chinese_civil_service_exam",
    "chinese_driving_rule",
    "chinese_food_culture",
    "chinese_foreign_policy",
    "chinese_history",
    "chinese_literature",
    "chinese_teacher_qualification",
    "college_actuarial_science",
    "college_education",
    "college_engineering_hydrology",
    "college_law",
    "college_mathematics",
    "college_medical_statistics",
    "clinical_knowledge",
    "college_medicine",
    "computer_science",
    "computer_security",
    "conceptual_physics",
    "construction_project_management",
    "economics",
    "education",
    "elementary_chinese",
    "elementary_commonsense",
    "elementary_information_and_technology",
    "electrical_engineering",
    "elementary_mathematics",
    "ethnology",
    "food_science",
    "genetics",
    "global_facts",
    "high_school_biology",
    "high_school_chemistry",
    "high_school_geography",
    "high_school_mathematics",
    "high_school_physics",
    "high_school_politics",
    "human_sexuality",
    "international_law",
    "journalism",
    "jurisprudence",
    "legal_and_moral_basis",
    "logical",
    "machine_learning",
    "management",
    "marketing",
    "marxist_theory",
    "modern_chinese",
    "nutrition",
    "philosophy",
    "professional_accounting",
    "professional_law",
    "professional_medicine",
    "professional_psychology",
    "public_relations",
    "security_study",
    "sociology",
    "sports_science",
    "traditional_chinese_medicine",
    "virology",
    "world_history",
    "world_religions",
];

/// An official CMMLU category (`categories.py`). A subject belongs to every
/// category one of its subcategories maps to, so each `china specific`
/// subject is also in one of the other four.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// `STEM`.
    Stem,
    /// `Humanities`.
    Humanities,
    /// `Social Science`.
    SocialScience,
    /// `Other`.
    Other,
    /// `China specific`.
    ChinaSpecific,
}

impl Category {
    /// The categories in the official `categories` dict order (the order
    /// `get_results` prints them in).
    pub const ALL: [Category; 5] = [
        Category::Stem,
        Category::Humanities,
        Category::SocialScience,
        Category::Other,
        Category::ChinaSpecific,
    ];

    /// The results-key suffix: `stem`, `humanities`, `social_science`,
    /// `other`, `china_specific`.
    pub fn key(self) -> &'static str {
        match self {
            Category::Stem => "stem",
            Category::Humanities => "humanities",
            Category::SocialScience => "social_science",
            Category::Other => "other",
            Category::ChinaSpecific => "china_specific",
        }
    }

    /// The official name, as `get_results` prints it.
    pub fn label(self) -> &'static str {
        match self {
            Category::Stem => "STEM",
            Category::Humanities => "Humanities",
            Category::SocialScience => "Social Science",
            Category::Other => "Other",
            Category::ChinaSpecific => "China specific",
        }
    }

    /// The subcategories the category holds, in the official order.
    pub fn subcategories(self) -> &'static [&'static str] {
        match self {
            Category::Stem => &[
                "physics",
                "chemistry",
                "biology",
                "computer science",
                "math",
                "engineering",
                "statistics",
            ],
            Category::Humanities => &[
                "history",
                "philosophy",
                "law",
                "arts",
                "literature",
                "global",
            ],
            Category::SocialScience => &[
                "linguistics",
                "business",
                "politics",
                "culture",
                "economics",
                "geography",
                "psychology",
                "education",
                "sociology",
            ],
            Category::Other => &["other"],
            Category::ChinaSpecific => &["china specific"],
        }
    }

    /// The members as `category2subject` lists them: subjects in
    /// [`SUBCATEGORY_ORDER`], a subject once per subcategory of its that
    /// the category holds (never twice in practice).
    pub fn members(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for name in SUBCATEGORY_ORDER {
            if let Some(subject) = subject(name) {
                for sc in subject.subcategories {
                    if self.subcategories().contains(sc) {
                        out.push(name);
                    }
                }
            }
        }
        out
    }
}

/// The subject named `name`, if it is one of the 67.
pub fn subject(name: &str) -> Option<&'static Subject> {
    SUBJECTS.iter().find(|s| s.name == name)
}

/// The categories `name` belongs to, in [`Category::ALL`] order.
pub fn categories_of(name: &str) -> Vec<Category> {
    let Some(subject) = subject(name) else {
        return Vec::new();
    };
    Category::ALL
        .into_iter()
        .filter(|c| {
            subject
                .subcategories
                .iter()
                .any(|sc| c.subcategories().contains(sc))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        let mut names: Vec<&str> = SUBJECTS.iter().map(|s| s.name).collect();
        let sorted = {
            let mut v = names.clone();
            v.sort_unstable();
            v
        };
        assert_eq!(names, sorted, "name_en2zh is alphabetical");
        let mut order = SUBCATEGORY_ORDER.to_vec();
        order.sort_unstable();
        names.dedup();
        assert_eq!(order, names);
        // Every subject is in at least one category; the category sizes.
        for s in SUBJECTS {
            assert!(!categories_of(s.name).is_empty(), "{}", s.name);
        }
        let sizes: Vec<usize> = Category::ALL.iter().map(|c| c.members().len()).collect();
        assert_eq!(sizes, [17, 13, 22, 15, 15]);
        assert_eq!(
            categories_of("ancient_chinese"),
            [Category::SocialScience, Category::ChinaSpecific]
        );
        assert_eq!(subject("chinese_history").unwrap().zh, "中国历史");
        // category2subject lists clinical_knowledge after college_medical_statistics.
        let other = Category::Other.members();
        assert_eq!(
            &other[..3],
            ["agronomy", "chinese_driving_rule", "clinical_knowledge"]
        );
    }
}
