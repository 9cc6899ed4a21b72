//! The multiple-choice sets, scored as lm-evaluation-harness 0.4.13 scores
//! them (`output_type: multiple_choice`, zero-shot): one log-likelihood
//! query over the choices, each preceded by the target delimiter `" "`;
//! `acc` = `numpy.argmax` of the log-likelihoods is the answer, `acc_norm`
//! the same over log-likelihood / length of the choice in characters.

use scorebox_sdk::lmeval::choice_prediction;
use scorebox_sdk::metrics::indicator;
use scorebox_sdk::prompt::{LETTERS, lm_eval_question};
use scorebox_sdk::pyunicode::strip;
use scorebox_sdk::step::{choose, done, scores_answer};
use scorebox_sdk::{Answer, Episode, Error, Step};
use serde_json::json;

use crate::item::{Item, PUBMEDQA_LABELS};
use crate::sets::{MMLU_SUBJECTS, Set};

/// lm-eval's `target_delimiter`, put before each choice.
pub const TARGET_DELIMITER: &str = " ";

/// The prompt lm-eval builds for a multiple-choice item (`doc_to_text`;
/// zero-shot, so no few-shot examples), or `None` for a long-form item.
///
/// * MedQA (`preprocess_medqa.doc_to_text`): `Question: {sent1}\nA. {ending0}\n...D. {ending3}\nAnswer:`
/// * MedMCQA (`utils_medmcqa.doc_to_text`): `Question: {question}\nChoices:\nA. {opa}\n...D. {opd}\nAnswer:`
/// * PubMedQA (`preprocess_pubmedqa.doc_to_text`): `Abstract: {CONTEXTS joined by \n}\nQuestion: {QUESTION}\nAnswer:`
/// * MMLU (`_default_template_yaml` and the subject's `description`):
///   `The following are multiple choice questions (with answers) about {subject, _ → space}.\n\n{question.strip()}\nA. ..\nD. ..\nAnswer:`
pub fn prompt(item: &Item) -> Option<String> {
    Some(match item {
        Item::Medqa {
            question, options, ..
        } => lm_eval_question(&format!("Question: {question}"), options),
        Item::Medmcqa {
            question, options, ..
        } => lm_eval_question(&format!("Question: {question}\nChoices:"), options),
        Item::Pubmedqa {
            question, contexts, ..
        } => format!(
            "Abstract: {}\nQuestion: {question}\nAnswer:",
            contexts.join("\n")
        ),
        Item::Mmlu {
            subject,
            question,
            choices,
            ..
        } => format!(
            "The following are multiple choice questions (with answers) about {}.\n\n{}",
            MMLU_SUBJECTS[*subject].replace('_', " "),
            lm_eval_question(strip(question), choices)
        ),
        Item::LongForm { .. } => return None,
    })
}

/// lm-eval's `doc_to_choice`: `A`..`D`, or PubMedQA's `yes`, `no`, `maybe`.
pub fn choices(item: &Item) -> Vec<String> {
    match item {
        Item::Pubmedqa { .. } => PUBMEDQA_LABELS.iter().map(|s| s.to_string()).collect(),
        _ => LETTERS[..4].chars().map(String::from).collect(),
    }
}

/// The index of the answer among [`choices`].
pub fn gold(item: &Item) -> Option<usize> {
    match item {
        Item::Medqa { answer, .. } | Item::Medmcqa { answer, .. } | Item::Mmlu { answer, .. } => {
            Some(*answer as usize)
        }
        Item::Pubmedqa { answer, .. } => PUBMEDQA_LABELS.iter().position(|l| l == answer),
        Item::LongForm { .. } => None,
    }
}

/// The per-sample metrics of lm-eval's `process_results` for `set`: `acc`,
/// and `acc_norm` where the task lists it; with the predicted index.
pub fn score(
    set: Set,
    lls: &[f64],
    choices: &[String],
    gold: usize,
) -> (Vec<(&'static str, f64)>, usize) {
    let p = choice_prediction(lls, choices).expect("one log-likelihood per choice");
    let mut metrics = vec![("acc", indicator(p.pred == gold))];
    if set.has_acc_norm() {
        metrics.push(("acc_norm", indicator(p.pred_norm == gold)));
    }
    (metrics, p.pred)
}

/// One multiple-choice episode: ask the log-likelihoods, then score.
#[derive(Debug)]
pub struct ChoiceEpisode {
    set: Set,
    prompt: String,
    choices: Vec<String>,
    gold: usize,
    asked: bool,
}

impl ChoiceEpisode {
    /// The episode of a multiple-choice item.
    ///
    /// # Errors
    /// When the item is long-form or its answer is not among the choices.
    pub fn new(item: &Item) -> Result<ChoiceEpisode, Error> {
        let prompt = prompt(item).ok_or_else(|| Error::new("not a multiple-choice item"))?;
        let choices = choices(item);
        let gold = gold(item)
            .filter(|g| *g < choices.len())
            .ok_or_else(|| Error::new("the answer is not one of the choices"))?;
        Ok(ChoiceEpisode {
            set: item.set(),
            prompt,
            choices,
            gold,
            asked: false,
        })
    }

    /// The prompt (the `choose` query's context).
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// The continuations asked: each choice after the target delimiter.
    pub fn continuations(&self) -> Vec<String> {
        self.choices
            .iter()
            .map(|c| format!("{TARGET_DELIMITER}{c}"))
            .collect()
    }
}

impl Episode for ChoiceEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(choose(
                self.prompt.clone(),
                self.continuations(),
                Some(self.gold as u32),
            ));
        }
        let scores = scores_answer(answer, self.choices.len())?;
        let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
        let (metrics, pred) = score(self.set, &lls, &self.choices, self.gold);
        let pred_label = self.choices[pred].clone();
        Ok(done(
            &metrics,
            Some(pred_label.clone()),
            &json!({
                "pred": pred_label,
                "gold": self.choices[self.gold],
                "logprobs": lls,
                "is_greedy": scores.iter().map(|s| s.is_greedy).collect::<Vec<_>>(),
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn prompts_are_lm_evals() {
        let medqa = Item::Medqa {
            question: "A 3-year-old?".into(),
            options: s(&["a", "b", " c", ""]),
            answer: 1,
        };
        assert_eq!(
            prompt(&medqa).unwrap(),
            "Question: A 3-year-old?\nA. a\nB. b\nC.  c\nD. \nAnswer:"
        );
        let medmcqa = Item::Medmcqa {
            question: "Q ".into(),
            options: s(&["w", "x", "y", "z"]),
            answer: 0,
        };
        assert_eq!(
            prompt(&medmcqa).unwrap(),
            "Question: Q \nChoices:\nA. w\nB. x\nC. y\nD. z\nAnswer:"
        );
        let pubmed = Item::Pubmedqa {
            question: "Does it?".into(),
            contexts: s(&["One.", "Two."]),
            answer: "maybe".into(),
        };
        assert_eq!(
            prompt(&pubmed).unwrap(),
            "Abstract: One.\nTwo.\nQuestion: Does it?\nAnswer:"
        );
        assert_eq!(gold(&pubmed), Some(2));
        let mmlu = Item::Mmlu {
            subject: 1,
            question: "\n What? \n".into(),
            choices: s(&["1", "2", "3", "4"]),
            answer: 3,
        };
        assert_eq!(
            prompt(&mmlu).unwrap(),
            "The following are multiple choice questions (with answers) about clinical knowledge.\n\n\
             What?\nA. 1\nB. 2\nC. 3\nD. 4\nAnswer:"
        );
        let ep = ChoiceEpisode::new(&pubmed).unwrap();
        assert_eq!(ep.continuations(), [" yes", " no", " maybe"]);
    }

    #[test]
    fn acc_norm_only_where_lm_eval_lists_it() {
        let c = s(&["A", "B", "C", "D"]);
        let (m, pred) = score(Set::MedQa, &[-2.0, -1.0, -1.0, -3.0], &c, 1);
        assert_eq!((m, pred), (vec![("acc", 1.0), ("acc_norm", 1.0)], 1));
        let (m, _) = score(Set::Mmlu(0), &[-2.0, -1.0, -1.0, -3.0], &c, 2);
        assert_eq!(m, vec![("acc", 0.0)]);
        let y = s(&["yes", "no", "maybe"]);
        // acc_norm would divide by 3, 2, 5 characters; PubMedQA reports acc only.
        let (m, pred) = score(Set::PubMedQa, &[-3.0, -2.5, -4.0], &y, 1);
        assert_eq!((m, pred), (vec![("acc", 1.0)], 1));
    }
}
