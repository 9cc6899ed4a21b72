//! The reference's prompts: the system prompt asking for
//! `Explanation: / Answer: / Confidence:` (`hle_eval/run_model_predictions.py`)
//! and the judge prompt (`JUDGE_PROMPT`, `hle_eval/run_judge_results.py`),
//! plus the replies the `gold` model and judge give.

/// The reference's one system prompt (`SYSTEM_PROMPT`), sent with every
/// question; it is also the original release's `SYSTEM_MC`.
pub const SYSTEM_MC: &str = "Your response should be in the following format:\nExplanation: {your explanation for your answer choice}\nAnswer: {your chosen answer}\nConfidence: {your confidence score between 0% and 100% for your answer}";

/// The original release's `SYSTEM_EXACT_ANSWER`, meant for `exactMatch`
/// questions (option `system_prompt=by_answer_type`).
pub const SYSTEM_EXACT_ANSWER: &str = "Your response should be in the following format:\nExplanation: {your explanation for your final answer}\nExact Answer: {your succinct, final answer}\nConfidence: {your confidence score between 0% and 100% for your answer}";

/// `JUDGE_PROMPT` up to `{question}`.
const JUDGE_HEAD: &str = "Judge whether the following [response] to [question] is correct or not based on the precise and unambiguous [correct_answer] below.\n\n[question]: ";
/// `JUDGE_PROMPT` between `{question}` and `{response}`.
const JUDGE_AFTER_QUESTION: &str = "\n\n[response]: ";
/// `JUDGE_PROMPT` between `{response}` and `{correct_answer}`.
const JUDGE_AFTER_RESPONSE: &str = "\n\nYour judgement must be in the format and criteria specified below:\n\nextracted_final_answer: The final exact answer extracted from the [response]. Put the extracted answer as 'None' if there is no exact, final answer to extract from the response.\n\n[correct_answer]: ";
/// `JUDGE_PROMPT` after `{correct_answer}` (a raw string: `|\%|` is literal).
const JUDGE_TAIL: &str = "\n\nreasoning: Explain why the extracted_final_answer is correct or incorrect based on [correct_answer], focusing only on if there are meaningful differences between [correct_answer] and the extracted_final_answer. Do not comment on any background to the problem, do not attempt to solve the problem, do not argue for any answer different than [correct_answer], focus only on whether the answers match.\n\ncorrect: Answer 'yes' if extracted_final_answer matches the [correct_answer] given above, or is within a small margin of error for numerical problems. Answer 'no' otherwise, i.e. if there if there is any inconsistency, ambiguity, non-equivalency, or if the extracted answer is incorrect.\n\n\nconfidence: The extracted confidence score between 0|\\%| and 100|\\%| from [response]. Put 100 if there is no confidence score available.";

/// Which system prompt a question gets (option `system_prompt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemPrompt {
    /// The reference's `SYSTEM_PROMPT` for every question.
    Reference,
    /// `SYSTEM_EXACT_ANSWER` for `exactMatch`, `SYSTEM_MC` for `multipleChoice`.
    ByAnswerType,
}

impl SystemPrompt {
    /// Parses the option value.
    pub fn parse(value: &str) -> Option<SystemPrompt> {
        match value {
            "reference" => Some(SystemPrompt::Reference),
            "by_answer_type" => Some(SystemPrompt::ByAnswerType),
            _ => None,
        }
    }

    /// The system prompt for a question of `answer_type`.
    pub fn text(self, answer_type: &str) -> &'static str {
        match self {
            SystemPrompt::ByAnswerType if answer_type == "exactMatch" => SYSTEM_EXACT_ANSWER,
            _ => SYSTEM_MC,
        }
    }
}

/// `JUDGE_PROMPT.format(question=..., response=..., correct_answer=...)`:
/// the values are inserted verbatim (braces in them are not interpreted).
pub fn judge_prompt(question: &str, response: &str, correct_answer: &str) -> String {
    let mut s = String::with_capacity(
        JUDGE_HEAD.len()
            + JUDGE_AFTER_QUESTION.len()
            + JUDGE_AFTER_RESPONSE.len()
            + JUDGE_TAIL.len()
            + question.len()
            + response.len()
            + correct_answer.len(),
    );
    s.push_str(JUDGE_HEAD);
    s.push_str(question);
    s.push_str(JUDGE_AFTER_QUESTION);
    s.push_str(response);
    s.push_str(JUDGE_AFTER_RESPONSE);
    s.push_str(correct_answer);
    s.push_str(JUDGE_TAIL);
    s
}

/// What a perfect model answers (the `gold` model's reply): the requested
/// format with the reference answer and full confidence.
pub fn gold_response(answer: &str) -> String {
    format!("Explanation: This is the reference answer.\nAnswer: {answer}\nConfidence: 100%")
}

/// What a perfect judge answers (the `gold` judge's reply): the four fields,
/// `correct: yes`, `confidence: 100`.
pub fn gold_judgement(answer: &str) -> String {
    format!(
        "extracted_final_answer: {answer}\n\nreasoning: The extracted answer is the [correct_answer].\n\ncorrect: yes\n\nconfidence: 100"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_judge_prompt_keeps_braces_and_the_literal_percent_marks() {
        let p = judge_prompt("What is {x}?", "Answer: {y}", "42");
        assert!(p.starts_with("Judge whether the following [response] to [question]"));
        assert!(p.contains("[question]: What is {x}?\n\n[response]: Answer: {y}\n\n"));
        assert!(p.contains("\n\n[correct_answer]: 42\n\nreasoning: "));
        assert!(p.contains("incorrect.\n\n\nconfidence: "));
        assert!(p.ends_with("between 0|\\%| and 100|\\%| from [response]. Put 100 if there is no confidence score available."));
    }

    #[test]
    fn by_answer_type_picks_the_exact_answer_prompt_only_for_exact_match() {
        assert_eq!(SystemPrompt::Reference.text("exactMatch"), SYSTEM_MC);
        assert_eq!(
            SystemPrompt::ByAnswerType.text("exactMatch"),
            SYSTEM_EXACT_ANSWER
        );
        assert_eq!(SystemPrompt::ByAnswerType.text("multipleChoice"), SYSTEM_MC);
        assert_eq!(SystemPrompt::parse("x"), None);
    }
}
