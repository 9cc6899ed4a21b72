//! Scoring one MILU sample: the official prompt and `acc`.

use scorebox_sdk::metrics::{argmax, indicator};
use scorebox_sdk::prompt::lm_eval_context;
use scorebox_sdk::step::{choose, done, scores_answer};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::json;

use crate::load::{Question, SampleData, Shared};

/// The official `doc_to_text` (`utils_milu.py`):
/// `"Question: {question}\nChoices:\nA. {option1}\nB. {option2}\nC. {option3}\nD. {option4}\nAnswer:"`.
/// Nothing is stripped.
pub fn question_text(q: &Question) -> String {
    let mut out = String::from("Question: ");
    out.push_str(&q.question);
    out.push_str("\nChoices:\n");
    for (letter, option) in ["A", "B", "C", "D"].iter().zip(&q.options) {
        out.push_str(letter);
        out.push_str(". ");
        out.push_str(option);
        out.push('\n');
    }
    out.push_str("Answer:");
    out
}

/// The log-likelihood context: the first `num_fewshot` validation examples
/// (`text + " " + target option text + "\n\n"`, lm-eval's defaults, no
/// description), then the question.
pub fn prompt(data: &SampleData, fewshot: &[Question], num_fewshot: usize) -> String {
    let examples: Vec<(String, String)> = fewshot
        .iter()
        .take(num_fewshot)
        .map(|q| {
            let target = q
                .options
                .get(q.target as usize)
                .cloned()
                .unwrap_or_default();
            (question_text(q), target)
        })
        .collect();
    lm_eval_context("", &examples, &question_text(&data.item))
}

/// The continuations: `" " + option` for the four options (`doc_to_choice`
/// is the option texts; lm-eval's target delimiter is `" "`).
pub fn continuations(q: &Question) -> Vec<String> {
    q.options.iter().map(|o| format!(" {o}")).collect()
}

/// `acc` and the predicted index: `numpy.argmax` (first maximum, a NaN
/// wins) against the target.
pub fn accuracy(logprobs: &[f64], target: u32) -> (f64, Option<usize>) {
    let pred = argmax(logprobs);
    (indicator(pred == Some(target as usize)), pred)
}

/// One MILU episode: one `choose` query, then the score.
#[derive(Debug)]
pub struct MiluEpisode {
    data: SampleData,
    prompt: String,
    asked: bool,
}

impl MiluEpisode {
    /// Prepares the prompt of `sample` with `num_fewshot` examples from the
    /// `shared` pools.
    ///
    /// # Errors
    /// Returns an error when the sample data is not the loader's, or fewer
    /// validation rows than `num_fewshot` were loaded.
    pub fn new(sample: &Sample, shared: &Shared, num_fewshot: usize) -> Result<MiluEpisode, Error> {
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not MILU loader output: {e}")))?;
        if data.item.options.len() != 4 || data.item.target > 3 {
            return Err(Error::new(
                "a MILU sample needs 4 options and a target in 0..3",
            ));
        }
        let fewshot = shared.examples(&data.language);
        if fewshot.len() < num_fewshot {
            return Err(Error::new(format!(
                "num_fewshot={num_fewshot} but only {} validation example(s) of `{}` were loaded \
                 (give the validation split, e.g. {}/validation-*.parquet, and load with the same \
                 num_fewshot)",
                fewshot.len(),
                data.language,
                data.language
            )));
        }
        let prompt = prompt(&data, fewshot, num_fewshot);
        Ok(MiluEpisode {
            data,
            prompt,
            asked: false,
        })
    }

    /// The context sent to the model.
    pub fn prompt(&self) -> &str {
        &self.prompt
    }
}

impl Episode for MiluEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(choose(
                self.prompt.clone(),
                continuations(&self.data.item),
                Some(self.data.item.target),
            ));
        }
        let scores = scores_answer(answer, 4)?;
        let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
        let (acc, pred) = accuracy(&lls, self.data.item.target);
        let pred_option = pred.map(|i| format!("option{}", i + 1));
        Ok(done(
            &[("acc", acc)],
            pred_option.clone(),
            &json!({
                "pred": pred_option,
                "target": format!("option{}", self.data.item.target + 1),
                "domain": self.data.domain,
                "subject": self.data.subject,
                "logprobs": lls,
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str, target: u32) -> Question {
        Question {
            question: text.into(),
            options: vec!["a".into(), " b".into(), "c ".into(), "".into()],
            target,
        }
    }

    #[test]
    fn prompt_and_continuations() {
        let data = SampleData {
            language: "English".into(),
            domain: "Social Sciences".into(),
            subject: "Sociology".into(),
            item: q(" Why?\n", 2),
        };
        assert_eq!(
            prompt(&data, &[q("Ex", 1)], 1),
            "Question: Ex\nChoices:\nA. a\nB.  b\nC. c \nD. \nAnswer:  b\n\n\
             Question:  Why?\n\nChoices:\nA. a\nB.  b\nC. c \nD. \nAnswer:"
        );
        assert_eq!(continuations(&data.item), [" a", "  b", " c ", " "]);
        assert_eq!(accuracy(&[-1.0, -1.0, -2.0, -3.0], 0), (1.0, Some(0)));
        assert_eq!(accuracy(&[-1.0, f64::NAN, 0.0, -3.0], 1), (1.0, Some(1)));
    }
}
