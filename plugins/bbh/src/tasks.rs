//! The 27 BBH subtasks: which flexible-extract filter lm-eval's zero-shot
//! variants use for each, and the choices of the 24 `leaderboard_bbh_*`
//! multiple-choice subtasks.

/// How lm-eval's zero-shot `flexible-extract` filter reads a subtask's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flexible {
    /// `regex` filter `\b(True|False)\b`.
    TrueFalse,
    /// `regex` filter `\b(Yes|No|yes|no)\b`.
    YesNo,
    /// `regex` filter `\b(valid|invalid)\b`.
    Valid,
    /// `utils.MultiChoiceRegexFilter` with `(\([A-Z]\))`, options from the input.
    MultiChoice,
    /// `utils.NumberParseRegexFilter` with `([-0-9]+)`, then English number words.
    Number,
    /// `utils.MapRegexFilter`: `\b(no|not plausible)\b` → no, `\b(yes|plausible)\b` → yes.
    Plausible,
    /// `utils.MapRegexFilter` with the truth-telling phrases.
    Truth,
    /// `regex` filter on brackets and spaces.
    Dyck,
    /// `utils.WordSortFilter`.
    WordSort,
}

/// One subtask.
#[derive(Clone, Copy, Debug)]
pub struct Subtask {
    /// Its name (the data file and prompt file stem).
    pub name: &'static str,
    /// Zero-shot `flexible-extract` filter.
    pub flexible: Flexible,
    /// `leaderboard_bbh_<name>`'s `doc_to_choice`; `None` for the three
    /// subtasks the leaderboard leaves out.
    pub choices: Option<&'static [&'static str]>,
}

const LETTERS: [&str; 18] = [
    "(A)", "(B)", "(C)", "(D)", "(E)", "(F)", "(G)", "(H)", "(I)", "(J)", "(K)", "(L)", "(M)",
    "(N)", "(O)", "(P)", "(Q)", "(R)",
];
const COUNTS: [&str; 19] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    "17", "18",
];

const fn letters(n: usize) -> Option<&'static [&'static str]> {
    Some(LETTERS.split_at(n).0)
}

use Flexible::*;

/// All 27 subtasks, in lm-eval's group order (alphabetical).
pub const SUBTASKS: [Subtask; 27] = [
    Subtask {
        name: "boolean_expressions",
        flexible: TrueFalse,
        choices: Some(&["False", "True"]),
    },
    Subtask {
        name: "causal_judgement",
        flexible: YesNo,
        choices: Some(&["Yes", "No"]),
    },
    Subtask {
        name: "date_understanding",
        flexible: MultiChoice,
        choices: letters(6),
    },
    Subtask {
        name: "disambiguation_qa",
        flexible: MultiChoice,
        choices: letters(3),
    },
    Subtask {
        name: "dyck_languages",
        flexible: Dyck,
        choices: None,
    },
    Subtask {
        name: "formal_fallacies",
        flexible: Valid,
        choices: Some(&["valid", "invalid"]),
    },
    Subtask {
        name: "geometric_shapes",
        flexible: MultiChoice,
        choices: letters(11),
    },
    Subtask {
        name: "hyperbaton",
        flexible: MultiChoice,
        choices: letters(2),
    },
    Subtask {
        name: "logical_deduction_five_objects",
        flexible: MultiChoice,
        choices: letters(5),
    },
    Subtask {
        name: "logical_deduction_seven_objects",
        flexible: MultiChoice,
        choices: letters(7),
    },
    Subtask {
        name: "logical_deduction_three_objects",
        flexible: MultiChoice,
        choices: letters(3),
    },
    Subtask {
        name: "movie_recommendation",
        flexible: MultiChoice,
        choices: letters(6),
    },
    Subtask {
        name: "multistep_arithmetic_two",
        flexible: Number,
        choices: None,
    },
    Subtask {
        name: "navigate",
        flexible: YesNo,
        choices: Some(&["Yes", "No"]),
    },
    Subtask {
        name: "object_counting",
        flexible: Number,
        choices: Some(&COUNTS),
    },
    Subtask {
        name: "penguins_in_a_table",
        flexible: MultiChoice,
        choices: letters(5),
    },
    Subtask {
        name: "reasoning_about_colored_objects",
        flexible: MultiChoice,
        choices: letters(18),
    },
    Subtask {
        name: "ruin_names",
        flexible: MultiChoice,
        choices: letters(6),
    },
    Subtask {
        name: "salient_translation_error_detection",
        flexible: MultiChoice,
        choices: letters(6),
    },
    Subtask {
        name: "snarks",
        flexible: MultiChoice,
        choices: letters(2),
    },
    Subtask {
        name: "sports_understanding",
        flexible: Plausible,
        choices: Some(&["yes", "no"]),
    },
    Subtask {
        name: "temporal_sequences",
        flexible: MultiChoice,
        choices: letters(4),
    },
    Subtask {
        name: "tracking_shuffled_objects_five_objects",
        flexible: MultiChoice,
        choices: letters(5),
    },
    Subtask {
        name: "tracking_shuffled_objects_seven_objects",
        flexible: MultiChoice,
        choices: letters(7),
    },
    Subtask {
        name: "tracking_shuffled_objects_three_objects",
        flexible: MultiChoice,
        choices: letters(3),
    },
    Subtask {
        name: "web_of_lies",
        flexible: Truth,
        choices: Some(&["Yes", "No"]),
    },
    Subtask {
        name: "word_sorting",
        flexible: WordSort,
        choices: None,
    },
];

/// The subtask called `name`.
pub fn subtask(name: &str) -> Option<&'static Subtask> {
    SUBTASKS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(SUBTASKS.iter().filter(|s| s.choices.is_some()).count(), 24);
        let mut names: Vec<&str> = SUBTASKS.iter().map(|s| s.name).collect();
        names.sort();
        assert_eq!(names, SUBTASKS.iter().map(|s| s.name).collect::<Vec<_>>());
        assert_eq!(
            subtask("geometric_shapes").unwrap().choices.unwrap().len(),
            11
        );
        assert_eq!(
            subtask("reasoning_about_colored_objects")
                .unwrap()
                .choices
                .unwrap()[17],
            "(R)"
        );
        assert_eq!(
            subtask("object_counting").unwrap().choices.unwrap().len(),
            19
        );
        assert!(subtask("word_sorting").unwrap().choices.is_none());
    }
}
