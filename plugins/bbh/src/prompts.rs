//! Few-shot prompt files (`cot-prompts/<subtask>.txt` of
//! suzgunmirac/BIG-Bench-Hard) and the prompts of each variant.
//!
//! A prompt file is a canary line, a `-----` line, the subtask's
//! description, then the exemplars, each `Q: {input}\nA: Let's think step
//! by step.\n{chain of thought ending "So the answer is X."}`, separated by
//! blank lines. lm-eval's BBH configurations were generated from these
//! files; the parse below rebuilds them exactly (see the README).

use scorebox_sdk::pyre::Regex;
use serde::{Deserialize, Serialize};

use crate::Variant;

/// The marker that ends an exemplar's question.
pub const COT_MARKER: &str = "\nA: Let's think step by step.";

/// One exemplar of a prompt file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Shot {
    /// The question (after `Q: `).
    pub input: String,
    /// The chain of thought (after `A: Let's think step by step.` and one
    /// newline or space).
    pub cot: String,
    /// The answer the non-CoT prompts show: the first match of
    /// `(?<=answer is )(.*)(?=.)` in the exemplar; `None` when there is none.
    pub answer: Option<String>,
}

/// A parsed prompt file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PromptFile {
    /// The description (everything before the first exemplar).
    pub description: String,
    /// The exemplars, in file order.
    pub shots: Vec<Shot>,
}

/// Parses a prompt file's text: the part after the last `\n-----\n` (the
/// whole text when there is none), trailing newlines removed, split at each
/// `\n\nQ: `; the first part is the description, each other an exemplar.
///
/// # Errors
/// Returns a message when an exemplar lacks `A: Let's think step by step.`
/// followed by a newline or a space.
pub fn parse_prompt_file(text: &str) -> Result<PromptFile, String> {
    let text = text.replace("\r\n", "\n");
    let body = text.rsplit("\n-----\n").next().unwrap_or("");
    let body = body.trim_end_matches('\n');
    let mut parts = body.split("\n\nQ: ");
    let description = parts.next().unwrap_or("").to_string();
    let answer_re = scorebox_sdk::lmeval::pattern("(?<=answer is )(.*)(?=.)");
    let mut shots = Vec::new();
    for (i, part) in parts.enumerate() {
        let Some(at) = part.find(COT_MARKER) else {
            return Err(format!(
                "exemplar {} has no `A: Let's think step by step.` line",
                i + 1
            ));
        };
        let input = part[..at].to_string();
        let rest = &part[at + COT_MARKER.len()..];
        let cot = match rest.chars().next() {
            Some('\n' | ' ') => rest[1..].to_string(),
            _ => {
                return Err(format!(
                    "exemplar {}: `A: Let's think step by step.` must be followed by a newline or a space",
                    i + 1
                ));
            }
        };
        let full = format!("Q: {part}");
        let answer = first_match(&answer_re, &full);
        shots.push(Shot { input, cot, answer });
    }
    Ok(PromptFile { description, shots })
}

fn first_match(re: &Regex, text: &str) -> Option<String> {
    let m = re.search(text)?;
    Some(Regex::slice(text, (m.start, m.end)))
}

/// `Q: {input}\nA:`, lm-eval's non-CoT `doc_to_text`.
pub fn question(input: &str) -> String {
    format!("Q: {input}\nA:")
}

/// The prompt of `variant` for `input`, with the first `num_fewshot`
/// exemplars of `file` (the few-shot variants only).
///
/// * `cot_fewshot`: `{description}\n\n` + each `Q: {in}\nA: Let's think step
///   by step.\n{cot}\n\n` + `Q: {input}\nA: Let's think step by step.\n`;
/// * `fewshot`: `{description}\n\n` + each `Q: {in}\nA: {answer}\n\n` + `Q: {input}\nA:`;
/// * `zeroshot`: `{description}\n\nQ: {input}\nA:`;
/// * `cot_zeroshot`: `{description}\n\nQ: {input}\nA: Let's think step by step.`;
/// * `leaderboard`: `{description}` (no separator, as lm-eval renders it) +
///   each `Q: {in}\nA: {answer}\n\n` + `Q: {input}\nA:`.
///
/// # Errors
/// Returns a message when fewer than `num_fewshot` exemplars exist, or an
/// exemplar a non-CoT prompt needs has no `answer is`.
pub fn prompt(
    variant: Variant,
    file: &PromptFile,
    num_fewshot: usize,
    input: &str,
) -> Result<String, String> {
    let shots = match variant {
        Variant::CotFewshot | Variant::Fewshot | Variant::Leaderboard => {
            if file.shots.len() < num_fewshot {
                return Err(format!(
                    "num_fewshot={num_fewshot} but the prompt file has {} exemplar(s)",
                    file.shots.len()
                ));
            }
            &file.shots[..num_fewshot]
        }
        Variant::Zeroshot | Variant::CotZeroshot => &[][..],
    };
    let mut out = file.description.clone();
    if variant != Variant::Leaderboard {
        out.push_str("\n\n");
    }
    for (i, s) in shots.iter().enumerate() {
        if variant == Variant::CotFewshot {
            out.push_str(&format!("Q: {}{COT_MARKER}\n{}\n\n", s.input, s.cot));
        } else {
            let Some(answer) = &s.answer else {
                return Err(format!("exemplar {} has no `answer is` to show", i + 1));
            };
            out.push_str(&format!("{} {answer}\n\n", question(&s.input)));
        }
    }
    match variant {
        Variant::CotFewshot => out.push_str(&format!("Q: {input}{COT_MARKER}\n")),
        Variant::CotZeroshot => out.push_str(&format!("Q: {input}{COT_MARKER}")),
        _ => out.push_str(&question(input)),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "canary line\n-----\nDo a thing.\n\nMore words.\n\nQ: one?\nOptions:\n(A) x\nA: Let's think step by step.\nStep.\nSo the answer is (A).\n\nQ: two?\nA: Let's think step by step. Inline. So the answer is no.";

    #[test]
    fn parses_description_and_exemplars() {
        let f = parse_prompt_file(FILE).unwrap();
        assert_eq!(f.description, "Do a thing.\n\nMore words.");
        assert_eq!(f.shots.len(), 2);
        assert_eq!(f.shots[0].input, "one?\nOptions:\n(A) x");
        assert_eq!(f.shots[0].cot, "Step.\nSo the answer is (A).");
        assert_eq!(f.shots[0].answer.as_deref(), Some("(A)"));
        assert_eq!(f.shots[1].cot, "Inline. So the answer is no.");
        assert_eq!(f.shots[1].answer.as_deref(), Some("no"));
        assert_eq!(parse_prompt_file(&format!("{FILE}\n")).unwrap(), f);
        assert!(parse_prompt_file("d\n\nQ: x\nA: y").is_err());
    }

    #[test]
    fn prompts_per_variant() {
        let f = parse_prompt_file(FILE).unwrap();
        let p = |v, k| prompt(v, &f, k, "in?").unwrap();
        assert_eq!(
            p(Variant::CotFewshot, 1),
            "Do a thing.\n\nMore words.\n\nQ: one?\nOptions:\n(A) x\nA: Let's think step by step.\nStep.\nSo the answer is (A).\n\nQ: in?\nA: Let's think step by step.\n"
        );
        assert_eq!(
            p(Variant::Fewshot, 2),
            "Do a thing.\n\nMore words.\n\nQ: one?\nOptions:\n(A) x\nA: (A)\n\nQ: two?\nA: no\n\nQ: in?\nA:"
        );
        assert_eq!(
            p(Variant::Leaderboard, 1),
            "Do a thing.\n\nMore words.Q: one?\nOptions:\n(A) x\nA: (A)\n\nQ: in?\nA:"
        );
        assert_eq!(
            p(Variant::Zeroshot, 3),
            "Do a thing.\n\nMore words.\n\nQ: in?\nA:"
        );
        assert_eq!(
            p(Variant::CotZeroshot, 0),
            "Do a thing.\n\nMore words.\n\nQ: in?\nA: Let's think step by step."
        );
        assert!(prompt(Variant::Fewshot, &f, 3, "x").is_err());
    }
}
