//! The judge prompts: FastChat's single-answer grading prompts, embedded
//! verbatim from `fastchat/llm_judge/data/judge_prompts.jsonl` (lm-sys/FastChat
//! commit 0e6d3e4beaab66f4d3f93db72541a4abab8af28d, file sha256
//! fd283293406d024f44c174b094ef48031d0687a4682fd3a56b29b138f80281b6;
//! Apache-2.0), and `str.format` of their templates.
//!
//! They are the scoring rule: any change to their text, to the choice of
//! prompt or to the rating parser is a new [`JUDGE_PROMPT_VERSION`] and a new
//! plugin version.

/// The version of the judge prompts and rating parser; recorded in every
/// sample's details.
pub const JUDGE_PROMPT_VERSION: &str = "fastchat-judge-prompts@0e6d3e4b/single-v1";

/// Categories whose questions are judged against a reference answer
/// (FastChat `NEED_REF_CATS`).
pub const NEED_REF_CATS: [&str; 4] = ["math", "reasoning", "coding", "arena-hard-200"];

/// The judge's `max_tokens` (FastChat asks OpenAI judges for 2048, at temperature 0).
pub const JUDGE_MAX_TOKENS: u32 = 2048;

/// What the `gold` judge answers: the highest rating in the official format.
pub const GOLD_JUDGMENT: &str = "[[10]]";

/// One single-answer grading prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JudgePrompt {
    /// Its name in `judge_prompts.jsonl`.
    pub name: &'static str,
    /// The system message.
    pub system_prompt: &'static str,
    /// The user message, a Python `str.format` template.
    pub prompt_template: &'static str,
}

/// FastChat's `single-v1` judge prompt (`judge_prompts.jsonl`, verbatim).
pub const SINGLE_V1: JudgePrompt = JudgePrompt {
    name: "single-v1",
    system_prompt: "You are a helpful assistant.",
    prompt_template: "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n[Question]\n{question}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]",
};

/// FastChat's `single-math-v1` judge prompt (`judge_prompts.jsonl`, verbatim).
pub const SINGLE_MATH_V1: JudgePrompt = JudgePrompt {
    name: "single-math-v1",
    system_prompt: "You are a helpful assistant.",
    prompt_template: "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n[Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]",
};

/// FastChat's `single-v1-multi-turn` judge prompt (`judge_prompts.jsonl`, verbatim).
pub const SINGLE_V1_MULTI_TURN: JudgePrompt = JudgePrompt {
    name: "single-v1-multi-turn",
    system_prompt: "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. You evaluation should focus on the assistant's answer to the second user question. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n",
    prompt_template: "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>",
};

/// FastChat's `single-math-v1-multi-turn` judge prompt (`judge_prompts.jsonl`, verbatim).
pub const SINGLE_MATH_V1_MULTI_TURN: JudgePrompt = JudgePrompt {
    name: "single-math-v1-multi-turn",
    system_prompt: "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. You evaluation should focus on the assistant's answer to the second question. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n",
    prompt_template: "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n<|The End of Reference Answer|>\n\n\n<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>",
};
/// The prompt FastChat's `make_judge_single` uses for a question of
/// `category` at `turn` (1 or 2): the `math` prompts (with reference answers)
/// for [`NEED_REF_CATS`], the general ones otherwise; turn 2 uses the
/// multi-turn variant.
pub fn prompt_for(category: &str, turn: usize) -> JudgePrompt {
    match (needs_reference(category), turn >= 2) {
        (false, false) => SINGLE_V1,
        (true, false) => SINGLE_MATH_V1,
        (false, true) => SINGLE_V1_MULTI_TURN,
        (true, true) => SINGLE_MATH_V1_MULTI_TURN,
    }
}

/// Whether FastChat judges `category` against a reference answer.
pub fn needs_reference(category: &str) -> bool {
    NEED_REF_CATS.contains(&category)
}

/// Python `template.format(**values)` for templates whose only braces are
/// `{name}` fields (true of every embedded prompt): one pass, so a value
/// containing `{question}` is inserted as it is.
///
/// # Errors
/// Returns the name of a field without a value, or reports a stray brace.
pub fn format(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        if rest[open..].starts_with('}') {
            return Err("single `}` in the template".into());
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| "single `{` in the template".to_string())?;
        let name = &after[..close];
        let value = values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("no value for template field `{name}`"))?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The judge's user message for `turn` (1 or 2) as FastChat's
/// `run_judge_single` builds it: turn 1 fills `question`, `answer` (and
/// `ref_answer_1`); turn 2 fills `question_1`, `question_2`, `answer_1`,
/// `answer_2` (and `ref_answer_1`, `ref_answer_2`).
///
/// # Errors
/// Returns an error when the prompt needs reference answers and none are given.
pub fn user_prompt(
    prompt: &JudgePrompt,
    turn: usize,
    questions: &[String; 2],
    answers: &[&str],
    references: Option<&[String; 2]>,
) -> Result<String, String> {
    let mut values: Vec<(&str, &str)> = Vec::new();
    if let Some(r) = references {
        values.push(("ref_answer_1", &r[0]));
        if turn >= 2 {
            values.push(("ref_answer_2", &r[1]));
        }
    }
    if turn >= 2 {
        values.push(("question_1", &questions[0]));
        values.push(("question_2", &questions[1]));
        values.push(("answer_1", answers[0]));
        values.push(("answer_2", answers[1]));
    } else {
        values.push(("question", &questions[0]));
        values.push(("answer", answers[0]));
    }
    format(prompt.prompt_template, &values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_is_one_pass_and_reports_missing_fields() {
        assert_eq!(
            format("a {x} b {y}", &[("x", "{y}"), ("y", "2")]).unwrap(),
            "a {y} b 2"
        );
        assert!(format("{z}", &[]).unwrap_err().contains("`z`"));
        assert!(format("a } b", &[]).is_err());
    }

    #[test]
    fn prompts_are_chosen_by_category_and_turn() {
        assert_eq!(prompt_for("writing", 1).name, "single-v1");
        assert_eq!(prompt_for("math", 1).name, "single-math-v1");
        assert_eq!(prompt_for("stem", 2).name, "single-v1-multi-turn");
        assert_eq!(prompt_for("coding", 2).name, "single-math-v1-multi-turn");
        // A reference-based prompt without references cannot be filled.
        let q = ["q1".to_string(), "q2".to_string()];
        assert!(user_prompt(&SINGLE_MATH_V1, 1, &q, &["a"], None).is_err());
        let p = user_prompt(&SINGLE_V1, 1, &q, &["a"], None).unwrap();
        assert!(p.ends_with("[Question]\nq1\n\n[The Start of Assistant's Answer]\na\n[The End of Assistant's Answer]"));
    }
}
