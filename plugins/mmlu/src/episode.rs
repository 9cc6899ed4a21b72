//! Scoring one MMLU sample.

use scorebox_sdk::extract::first_line_stripped;
use scorebox_sdk::metrics::{argmax, indicator};
use scorebox_sdk::normalize::ExactMatch;
use scorebox_sdk::prompt::{letter, lm_eval_context, lm_eval_question};
use scorebox_sdk::pyunicode::strip;
use scorebox_sdk::step::{choose, done, generate, params, scores_answer, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Options, Sample, Step};
use serde_json::json;

use crate::Variant;
use crate::load::{Question, SampleData, Shared};

/// lm-eval `mmlu_generative` stop sequences (`until`).
pub const GENERATIVE_STOP: [&str; 2] = ["</s>", "\n"];
/// lm-eval's default `max_gen_toks`, which `mmlu_generative` keeps.
pub const GENERATIVE_MAX_TOKENS: u32 = 256;

/// The lm-eval MMLU description: `"The following are multiple choice
/// questions (with answers) about {subject with _ → space}.\n\n"`.
pub fn description(subject: &str) -> String {
    format!(
        "The following are multiple choice questions (with answers) about {}.\n\n",
        subject.replace('_', " ")
    )
}

/// lm-eval MMLU `doc_to_text`: the stripped question, the four choices, `Answer:`.
pub fn question_text(q: &Question) -> String {
    lm_eval_question(strip(&q.question), &q.choices)
}

/// The full prompt: description, the first `num_fewshot` of `fewshot` (the
/// subject's dev examples, `... Answer: X\n\n`), then the question. The same
/// text serves both variants.
pub fn prompt(data: &SampleData, fewshot: &[Question], num_fewshot: usize) -> String {
    let examples: Vec<(String, String)> = fewshot
        .iter()
        .take(num_fewshot)
        .map(|q| {
            let target = letter(q.answer as usize)
                .map(String::from)
                .unwrap_or_default();
            (question_text(q), target)
        })
        .collect();
    lm_eval_context(
        &description(&data.subject),
        &examples,
        &question_text(&data.item),
    )
}

/// The continuations scored by the log-likelihood variant.
pub const CONTINUATIONS: [&str; 4] = [" A", " B", " C", " D"];

/// One MMLU episode: ask once, then score.
#[derive(Debug)]
pub struct MmluEpisode {
    data: SampleData,
    variant: Variant,
    prompt: String,
    asked: bool,
}

impl MmluEpisode {
    /// Prepares the prompt of `sample` under `options`, with few-shot
    /// examples from the `shared` pools.
    ///
    /// # Errors
    /// Returns an error when the sample data is not the loader's, the answer
    /// index is out of range, or fewer dev rows than `num_fewshot` exist.
    pub fn new(sample: &Sample, shared: &Shared, options: &Options) -> Result<MmluEpisode, Error> {
        let variant = Variant::from_options(options)?;
        let num_fewshot = options.get_u32("num_fewshot")? as usize;
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not MMLU loader output: {e}")))?;
        if data.item.choices.len() != 4 || data.item.answer > 3 {
            return Err(Error::new(
                "an MMLU sample needs 4 choices and an answer in 0..3",
            ));
        }
        let fewshot = shared.examples(&data.subject);
        if fewshot.len() < num_fewshot {
            return Err(Error::new(format!(
                "num_fewshot={num_fewshot} but only {} dev example(s) of `{}` were loaded \
                 (give the dev split, e.g. data/dev/{}_dev.csv, and load with the same num_fewshot)",
                fewshot.len(),
                data.subject,
                data.subject
            )));
        }
        let prompt = prompt(&data, fewshot, num_fewshot);
        Ok(MmluEpisode {
            data,
            variant,
            prompt,
            asked: false,
        })
    }

    /// The prompt sent to the model.
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    fn gold_letter(&self) -> String {
        letter(self.data.item.answer as usize)
            .map(String::from)
            .unwrap_or_default()
    }
}

/// lm-eval `mmlu` `acc` from the four log-likelihoods: `argmax` (first
/// maximum) equals the answer. Returns `(acc, predicted index)`.
pub fn loglikelihood_acc(logprobs: &[f64], answer: u32) -> (f64, Option<usize>) {
    let pred = argmax(logprobs);
    (indicator(pred == Some(answer as usize)), pred)
}

/// lm-eval `mmlu_generative` scoring: the `get_response` filter's output and
/// `exact_match` (ignore case and ASCII punctuation) against the letter.
pub fn generative_exact_match(response: &str, gold_letter: &str) -> (f64, String) {
    let filtered = first_line_stripped(response);
    let em = ExactMatch::CASE_AND_PUNCTUATION.score(&filtered, gold_letter);
    (em, filtered)
}

impl Episode for MmluEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            let gold = self.data.item.answer;
            return Ok(match self.variant {
                Variant::Loglikelihood => choose(
                    self.prompt.clone(),
                    CONTINUATIONS.iter().map(|c| c.to_string()).collect(),
                    Some(gold),
                ),
                Variant::Generative => generate(
                    vec![user(self.prompt.clone())],
                    params(Some(GENERATIVE_MAX_TOKENS), &GENERATIVE_STOP, Some(0.0)),
                    Some(self.gold_letter()),
                ),
            });
        }
        let gold = self.gold_letter();
        match self.variant {
            Variant::Loglikelihood => {
                let scores = scores_answer(answer, CONTINUATIONS.len())?;
                let logprobs: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
                let (acc, pred) = loglikelihood_acc(&logprobs, self.data.item.answer);
                let pred_letter = pred.and_then(letter).map(String::from);
                Ok(done(
                    &[("acc", acc)],
                    pred_letter.clone(),
                    &json!({
                        "pred": pred_letter,
                        "gold": gold,
                        "logprobs": logprobs,
                        "is_greedy": scores.iter().map(|s| s.is_greedy).collect::<Vec<_>>(),
                    }),
                ))
            }
            Variant::Generative => {
                let response = text_answer(answer)?;
                let (em, filtered) = generative_exact_match(&response, &gold);
                Ok(done(
                    &[("exact_match", em)],
                    Some(filtered.clone()),
                    &json!({ "filtered": filtered, "gold": gold }),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OPTIONS;
    use scorebox_sdk::{ContinuationScore, Query};

    fn sample() -> Sample {
        let data = SampleData {
            subject: "high_school_us_history".into(),
            item: Question {
                question: "  Which came first?\n".into(),
                choices: vec!["One".into(), "Two".into(), "".into(), " Four".into()],
                answer: 1,
            },
        };
        Sample {
            id: "high_school_us_history/0".into(),
            subtask: "high_school_us_history".into(),
            data: serde_json::to_string(&data).unwrap(),
            target: "B".into(),
        }
    }

    /// The shared pools: two dev questions of the sample's subject.
    fn shared() -> Shared {
        Shared {
            dev: [(
                "high_school_us_history".to_string(),
                vec![
                    Question {
                        question: "Dev A".into(),
                        choices: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                        answer: 2,
                    },
                    Question {
                        question: "Dev B".into(),
                        choices: vec!["e".into(), "f".into(), "g".into(), "h".into()],
                        answer: 0,
                    },
                ],
            )]
            .into(),
        }
    }

    fn new(sample: &Sample, options: &Options) -> Result<MmluEpisode, Error> {
        MmluEpisode::new(sample, &shared(), options)
    }

    fn opts(pairs: &[(&str, &str)]) -> Options {
        Options::from_pairs(OPTIONS, pairs).unwrap()
    }

    #[test]
    fn zero_shot_prompt_is_lm_eval_mmlu() {
        let ep = new(&sample(), &opts(&[])).unwrap();
        assert_eq!(
            ep.prompt(),
            "The following are multiple choice questions (with answers) about high school us history.\n\n\
             Which came first?\nA. One\nB. Two\nC. \nD.  Four\nAnswer:"
        );
    }

    #[test]
    fn few_shot_prompt() {
        let ep = new(&sample(), &opts(&[("num_fewshot", "2")])).unwrap();
        assert_eq!(
            ep.prompt(),
            "The following are multiple choice questions (with answers) about high school us history.\n\n\
             Dev A\nA. a\nB. b\nC. c\nD. d\nAnswer: C\n\n\
             Dev B\nA. e\nB. f\nC. g\nD. h\nAnswer: A\n\n\
             Which came first?\nA. One\nB. Two\nC. \nD.  Four\nAnswer:"
        );
        let e = new(&sample(), &opts(&[("num_fewshot", "3")])).unwrap_err();
        assert!(e.message.contains("only 2 dev example"), "{}", e.message);
    }

    #[test]
    fn argmax_ties_go_to_the_first() {
        assert_eq!(loglikelihood_acc(&[-1.0, -1.0, -1.0, -1.0], 0).0, 1.0);
        assert_eq!(
            loglikelihood_acc(&[-2.0, -1.0, -3.0, -1.0], 1),
            (1.0, Some(1))
        );
        assert_eq!(loglikelihood_acc(&[-2.0, -1.0, -3.0, -1.0], 3).0, 0.0);
        assert_eq!(loglikelihood_acc(&[0.0, -0.0, -1.0, -1.0], 0).0, 1.0);
    }

    #[test]
    fn generative_filter_and_match() {
        for (resp, want) in [
            ("B", 1.0),
            (" b.", 1.0),
            ("(B)", 1.0),
            ("B\nbecause", 1.0),
            ("**B**", 1.0),
            ("B. Two", 0.0),
            ("\nB", 0.0),
            ("The answer is B", 0.0),
            ("", 0.0),
        ] {
            assert_eq!(generative_exact_match(resp, "B").0, want, "{resp:?}");
        }
    }

    #[test]
    fn gold_gets_the_maximum_in_both_variants() {
        let mut ep = new(&sample(), &opts(&[])).unwrap();
        let Step::Ask(Query::Choose(req)) = ep.step(None).unwrap() else {
            panic!()
        };
        assert_eq!(req.continuations, [" A", " B", " C", " D"]);
        let scores = (0..4)
            .map(|i| ContinuationScore {
                logprob: if Some(i) == req.reference { 0.0 } else { -1e9 },
                is_greedy: Some(i) == req.reference,
            })
            .collect();
        let Step::Done(score) = ep.step(Some(Answer::Scores(scores))).unwrap() else {
            panic!()
        };
        assert_eq!(score.metrics[0].value, 1.0);
        assert_eq!(score.extracted.as_deref(), Some("B"));

        let mut ep = new(&sample(), &opts(&[("variant", "generative")])).unwrap();
        let Step::Ask(Query::Generate(req)) = ep.step(None).unwrap() else {
            panic!()
        };
        assert_eq!(req.params.stop, ["</s>", "\n"]);
        let Step::Done(score) = ep.step(Some(Answer::Text(req.reference.unwrap()))).unwrap() else {
            panic!()
        };
        assert_eq!(score.metrics[0].name, "exact_match");
        assert_eq!(score.metrics[0].value, 1.0);
    }

    #[test]
    fn failures_fail_the_sample() {
        let mut ep = new(&sample(), &opts(&[])).unwrap();
        ep.step(None).unwrap();
        assert!(ep.step(Some(Answer::Failed("timeout".into()))).is_err());
        let bad = Sample {
            data: "{}".into(),
            ..sample()
        };
        assert!(new(&bad, &opts(&[])).is_err());
    }
}
