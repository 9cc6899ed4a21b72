//! Multiple-choice prompt formats.

/// Answer letters, `A` to `Z`.
pub const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The letter of option `index` (`0` → `A`), `None` past `Z`.
pub fn letter(index: usize) -> Option<char> {
    LETTERS.chars().nth(index)
}

/// The index of an upper-case option letter (`A` → `0`).
pub fn letter_index(letter: char) -> Option<usize> {
    LETTERS.find(letter).filter(|_| letter.is_ascii_uppercase())
}

/// The first `n` letters, e.g. `"ABCD"` for `n = 4` (at most 26).
pub fn letters(n: usize) -> &'static str {
    &LETTERS[..n.min(LETTERS.len())]
}

/// lm-evaluation-harness's multiple-choice question text (MMLU's
/// `doc_to_text`, `leaderboard_mmlu_pro`'s `doc_to_text`):
/// `"{question}\nA. {o0}\nB. {o1}\n...Answer:"`. The question and options
/// are used as given (MMLU strips the question first; see
/// [`crate::pyunicode::strip`]). Options past `Z` are not printed.
pub fn lm_eval_question(question: &str, options: &[String]) -> String {
    let mut out = String::with_capacity(question.len() + 16 * options.len() + 8);
    out.push_str(question);
    out.push('\n');
    for (i, opt) in options.iter().enumerate() {
        let Some(l) = letter(i) else { break };
        out.push(l);
        out.push_str(". ");
        out.push_str(opt);
        out.push('\n');
    }
    out.push_str("Answer:");
    out
}

/// lm-evaluation-harness's plain-text few-shot context: the description,
/// then for each example `text + target_delimiter + target + fewshot_delimiter`
/// (`" "` and `"\n\n"`, its defaults), then the query text.
pub fn lm_eval_context(description: &str, examples: &[(String, String)], query: &str) -> String {
    let mut out = String::from(description);
    for (text, target) in examples {
        out.push_str(text);
        out.push(' ');
        out.push_str(target);
        out.push_str("\n\n");
    }
    out.push_str(query);
    out
}

/// The MMLU-Pro CoT header of TIGER-AI-Lab/MMLU-Pro
/// (`cot_prompt_lib/initial_prompt.txt` with `{$}` replaced by the category,
/// plus the `"\n"` that `generate_cot_prompt` appends).
pub fn mmlu_pro_cot_header(category: &str) -> String {
    format!(
        "The following are multiple choice questions (with answers) about {category}. \
         Think step by step and then finish your answer with \"the answer is (X)\" \
         where X is the correct letter choice.\n\n\n\n"
    )
}

/// One MMLU-Pro CoT question (TIGER `format_cot_example`):
/// `"Question:\n{q}\nOptions:\nA. {o0}\n...` then, for an example,
/// its `cot_content` with `"A: Let's think step by step."` replaced by
/// `"Answer: Let's think step by step."` and `"\n\n"`, or, for the question
/// asked, `"Answer: Let's think step by step."`. Options are printed as given
/// (the reference drops `"N/A"` options before).
pub fn mmlu_pro_cot_question(
    question: &str,
    options: &[String],
    cot_content: Option<&str>,
) -> String {
    let mut out = String::from("Question:\n");
    out.push_str(question);
    out.push_str("\nOptions:\n");
    for (i, opt) in options.iter().enumerate() {
        let Some(l) = letter(i) else { break };
        out.push(l);
        out.push_str(". ");
        out.push_str(opt);
        out.push('\n');
    }
    match cot_content {
        Some(cot) => {
            out.push_str(&cot.replace(
                "A: Let's think step by step.",
                "Answer: Let's think step by step.",
            ));
            out.push_str("\n\n");
        }
        None => out.push_str("Answer: Let's think step by step."),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn letters_and_indices() {
        assert_eq!(letter(0), Some('A'));
        assert_eq!(letter(9), Some('J'));
        assert_eq!(letter(26), None);
        assert_eq!(letter_index('J'), Some(9));
        assert_eq!(letter_index('a'), None);
        assert_eq!(letters(4), "ABCD");
    }

    #[test]
    fn lm_eval_format() {
        let q = lm_eval_question("What is 2+2?", &s(&["3", "4", "", " 5"]));
        assert_eq!(q, "What is 2+2?\nA. 3\nB. 4\nC. \nD.  5\nAnswer:");
        let ctx = lm_eval_context(
            "About math.\n\n",
            &[("Q1\nAnswer:".into(), "B".into())],
            "Q2\nAnswer:",
        );
        assert_eq!(ctx, "About math.\n\nQ1\nAnswer: B\n\nQ2\nAnswer:");
    }

    #[test]
    fn mmlu_pro_format() {
        let h = mmlu_pro_cot_header("computer science");
        assert!(h.starts_with("The following are multiple choice questions (with answers) about computer science. Think"));
        assert!(h.ends_with("letter choice.\n\n\n\n"));
        let ex = mmlu_pro_cot_question(
            "Q?",
            &s(&["x", "y"]),
            Some("A: Let's think step by step. Because. The answer is (B)."),
        );
        assert_eq!(
            ex,
            "Question:\nQ?\nOptions:\nA. x\nB. y\nAnswer: Let's think step by step. Because. The answer is (B).\n\n"
        );
        let q = mmlu_pro_cot_question("Q?", &s(&["x"]), None);
        assert_eq!(
            q,
            "Question:\nQ?\nOptions:\nA. x\nAnswer: Let's think step by step."
        );
    }
}
