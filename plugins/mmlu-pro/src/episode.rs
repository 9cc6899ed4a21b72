//! Scoring one MMLU-Pro sample.

use scorebox_sdk::extract::{LM_EVAL_INVALID, Stage, lm_eval_answer_is, tiger_chain};
use scorebox_sdk::metrics::{argmax, indicator};
use scorebox_sdk::normalize::ExactMatch;
use scorebox_sdk::prompt::{
    letter, lm_eval_context, lm_eval_question, mmlu_pro_cot_header, mmlu_pro_cot_question,
};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::step::{choose, done, generate, params, scores_answer, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::json;

use crate::load::{Pool, Question, SampleData, Shared};
use crate::{Config, Extraction, Fallback, LETTERS, Variant};

/// The official generation limit (`max_new_tokens`).
pub const MAX_NEW_TOKENS: u32 = 2048;
/// The official stop sequence.
pub const STOP: [&str; 1] = ["Question:"];

/// The official CoT prompt (`generate_cot_prompt`): header for the sample's
/// category, the first `num_fewshot` of `fewshot` with their `cot_content`,
/// then the question ending `Answer: Let's think step by step.`; `"N/A"`
/// options are dropped everywhere.
pub fn official_prompt(data: &SampleData, fewshot: &[Question], num_fewshot: usize) -> String {
    let mut prompt = mmlu_pro_cot_header(&data.item.category);
    for ex in fewshot.iter().take(num_fewshot) {
        prompt.push_str(&mmlu_pro_cot_question(
            &ex.question,
            &ex.official_options(),
            Some(&ex.cot_content),
        ));
    }
    prompt.push_str(&mmlu_pro_cot_question(
        &data.item.question,
        &data.item.official_options(),
        None,
    ));
    prompt
}

/// lm-eval `leaderboard_mmlu_pro`'s context: no description, each of the
/// first `num_fewshot` of `fewshot` as `"{question}\nA. ..\n...Answer:" + " " +
/// answer letter + "\n\n"`, then the question; all options kept (`"N/A"`
/// included).
pub fn leaderboard_prompt(data: &SampleData, fewshot: &[Question], num_fewshot: usize) -> String {
    let examples: Vec<(String, String)> = fewshot
        .iter()
        .take(num_fewshot)
        .map(|ex| {
            (
                lm_eval_question(&ex.question, &ex.options),
                ex.answer.clone(),
            )
        })
        .collect();
    lm_eval_context(
        "",
        &examples,
        &lm_eval_question(&data.item.question, &data.item.options),
    )
}

/// What the official chain made of one response.
#[derive(Clone, Debug, PartialEq)]
pub struct OfficialScore {
    /// The extracted letter, `None` when all three stages failed.
    pub pred: Option<char>,
    /// The stage that found it.
    pub stage: Option<Stage>,
    /// The random draw (option index) when the fallback applied per sample.
    pub draw: Option<u32>,
    /// Whether the fallback is left to the aggregation (reference stream).
    pub deferred: bool,
    /// 1.0 when correct.
    pub acc: f64,
}

/// Scores a response with TIGER's chain: the letter must equal `answer`;
/// without a letter, `fallback` decides (`Seeded` draws
/// `random.Random(seed).randint(0, n_options - 1)` and compares it with
/// `answer_index`, where `n_options` counts options after `"N/A"` removal).
pub fn score_official(
    response: &str,
    answer: &str,
    answer_index: u32,
    n_options: usize,
    fallback: Fallback,
    seed: u64,
) -> OfficialScore {
    match tiger_chain(response, LETTERS) {
        Some((c, stage)) => OfficialScore {
            pred: Some(c),
            stage: Some(stage),
            draw: None,
            deferred: false,
            acc: indicator(answer.chars().eq(std::iter::once(c))),
        },
        None => {
            let (draw, deferred, acc) = match fallback {
                Fallback::Seeded if n_options > 0 => {
                    let x = PyRandom::from_seed(seed).randint(0, n_options as i64 - 1) as u32;
                    (Some(x), false, indicator(x == answer_index))
                }
                Fallback::ReferenceStream => (None, true, 0.0),
                _ => (None, false, 0.0),
            };
            OfficialScore {
                pred: None,
                stage: None,
                draw,
                deferred,
                acc,
            }
        }
    }
}

/// lm-eval `mmlu_pro` `custom-extract` scoring: the filtered response (the
/// first `answer is (X)` letter or `[invalid]`) and `exact_match` against
/// the `answer` letter (ignore case and ASCII punctuation).
pub fn score_lm_eval(response: &str, answer: &str) -> (String, f64) {
    let filtered = lm_eval_answer_is(response, LETTERS);
    let em = ExactMatch::CASE_AND_PUNCTUATION.score(&filtered, answer);
    (filtered, em)
}

/// One MMLU-Pro episode: ask once, then score.
#[derive(Debug)]
pub struct MmluProEpisode {
    data: SampleData,
    /// The sample's few-shot examples (at most `num_fewshot`).
    fewshot: Vec<Question>,
    config: Config,
    seed: u64,
    asked: bool,
}

impl MmluProEpisode {
    /// Checks `sample` and the `shared` few-shot examples against `config`.
    ///
    /// # Errors
    /// Returns an error when the sample data is not the loader's or the
    /// examples were loaded for another variant or fewer few-shot examples.
    pub fn new(
        sample: &Sample,
        seed: u64,
        shared: &Shared,
        config: &Config,
    ) -> Result<MmluProEpisode, Error> {
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not MMLU-Pro loader output: {e}")))?;
        let want_pool = Pool::of(config.variant);
        if shared.pool != want_pool {
            return Err(Error::new(
                "the sample was loaded for the other variant (its few-shot examples differ); \
                 load and score with the same options",
            ));
        }
        let examples = shared.examples(&data.item.category);
        if examples.len() < config.num_fewshot && want_pool == Pool::SplitHead {
            return Err(Error::new(format!(
                "num_fewshot={} but only {} validation example(s) were loaded",
                config.num_fewshot,
                examples.len()
            )));
        }
        let fewshot = examples.iter().take(config.num_fewshot).cloned().collect();
        Ok(MmluProEpisode {
            data,
            fewshot,
            config: *config,
            seed,
            asked: false,
        })
    }

    /// The prompt (official CoT or leaderboard, per the variant).
    pub fn prompt(&self) -> String {
        match self.config.variant {
            Variant::Generative => {
                official_prompt(&self.data, &self.fewshot, self.config.num_fewshot)
            }
            Variant::Loglikelihood => {
                leaderboard_prompt(&self.data, &self.fewshot, self.config.num_fewshot)
            }
        }
    }

    /// The text a perfect model answers: `The answer is (X).`, which every
    /// extraction reads as `X`.
    pub fn reference_answer(&self) -> String {
        format!("The answer is ({}).", self.data.item.answer)
    }

    fn common_details(&self) -> serde_json::Value {
        json!({
            "answer": self.data.item.answer,
            "answer_index": self.data.item.answer_index,
            "n_options": self.data.item.official_options().len(),
            "category": self.data.item.category,
            "order": self.data.order,
            "fewshot": self.fewshot.len().min(self.config.num_fewshot),
        })
    }
}

impl Episode for MmluProEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(match self.config.variant {
                Variant::Generative => generate(
                    vec![user(self.prompt())],
                    params(Some(MAX_NEW_TOKENS), &STOP, Some(0.0)),
                    Some(self.reference_answer()),
                ),
                Variant::Loglikelihood => {
                    let n = self.data.item.options.len();
                    let continuations =
                        (0..n).filter_map(letter).map(|l| format!(" {l}")).collect();
                    choose(
                        self.prompt(),
                        continuations,
                        Some(self.data.item.answer_index),
                    )
                }
            });
        }
        let mut details = self.common_details();
        let item = &self.data.item;
        match (self.config.variant, self.config.extraction) {
            (Variant::Loglikelihood, _) => {
                let scores = scores_answer(answer, item.options.len())?;
                let logprobs: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
                let pred = argmax(&logprobs);
                let acc = indicator(pred == Some(item.answer_index as usize));
                let pred_letter = pred.and_then(letter).map(String::from);
                details["pred"] = json!(pred_letter);
                details["logprobs"] = json!(logprobs);
                Ok(done(&[("acc", acc)], pred_letter, &details))
            }
            (Variant::Generative, Extraction::Official) => {
                let response = text_answer(answer)?;
                let n_options = item.official_options().len();
                let s = score_official(
                    &response,
                    &item.answer,
                    item.answer_index,
                    n_options,
                    self.config.fallback,
                    self.seed,
                );
                details["pred"] = json!(s.pred.map(String::from));
                details["stage"] = json!(s.stage.map(Stage::name));
                details["fallback"] = match (s.pred, self.config.fallback) {
                    (Some(_), _) => json!(null),
                    (None, Fallback::Seeded) => json!({ "mode": "seeded", "draw": s.draw }),
                    (None, Fallback::ReferenceStream) => {
                        json!({ "mode": "reference-stream", "deferred": true })
                    }
                    (None, Fallback::None) => json!({ "mode": "none" }),
                };
                Ok(done(&[("acc", s.acc)], s.pred.map(String::from), &details))
            }
            (Variant::Generative, Extraction::LmEval) => {
                let response = text_answer(answer)?;
                let (filtered, em) = score_lm_eval(&response, &item.answer);
                details["filtered"] = json!(filtered);
                let extracted = (filtered != LM_EVAL_INVALID).then_some(filtered);
                Ok(done(&[("exact_match", em)], extracted, &details))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Question;
    use crate::{Config, OPTIONS};
    use scorebox_sdk::{ContinuationScore, Options, Query};

    fn q(
        id: &str,
        category: &str,
        options: &[&str],
        answer: &str,
        index: u32,
        cot: &str,
    ) -> Question {
        Question {
            question_id: id.into(),
            question: format!("Question {id}?"),
            options: options.iter().map(|s| s.to_string()).collect(),
            answer: answer.into(),
            answer_index: index,
            cot_content: cot.into(),
            category: category.into(),
            src: "invented".into(),
        }
    }

    fn sample() -> Sample {
        let data = SampleData {
            item: q("7", "computer science", &["p", "N/A", "r", "s"], "C", 2, ""),
            order: 3,
        };
        Sample {
            id: "7".into(),
            subtask: "computer science".into(),
            data: serde_json::to_string(&data).unwrap(),
            target: "C".into(),
        }
    }

    /// Two few-shot examples of the sample's category, loaded for `pool`.
    fn shared(pool: Pool) -> Shared {
        let examples = vec![
            q(
                "1",
                "computer science",
                &["x", "y"],
                "B",
                1,
                "A: Let's think step by step. Y. The answer is (B).",
            ),
            q(
                "2",
                "computer science",
                &["u", "N/A", "w"],
                "A",
                0,
                "A: Let's think step by step. U. The answer is (A).",
            ),
        ];
        match pool {
            Pool::Category => Shared {
                pool,
                by_category: [("computer science".to_string(), examples)].into(),
                head: Vec::new(),
            },
            Pool::SplitHead => Shared {
                pool,
                by_category: Default::default(),
                head: examples,
            },
        }
    }

    /// The episode of `sample()` with the examples loaded for `pool`.
    fn episode(pool: Pool, seed: u64, config: &Config) -> Result<MmluProEpisode, Error> {
        MmluProEpisode::new(&sample(), seed, &shared(pool), config)
    }

    fn config(pairs: &[(&str, &str)]) -> Config {
        Config::from_options(&Options::from_pairs(OPTIONS, pairs).unwrap()).unwrap()
    }

    #[test]
    fn official_prompt_matches_the_reference_layout() {
        let ep = episode(Pool::Category, 0, &config(&[])).unwrap();
        assert_eq!(
            ep.prompt(),
            "The following are multiple choice questions (with answers) about computer science. \
             Think step by step and then finish your answer with \"the answer is (X)\" where X is the \
             correct letter choice.\n\n\n\n\
             Question:\nQuestion 1?\nOptions:\nA. x\nB. y\n\
             Answer: Let's think step by step. Y. The answer is (B).\n\n\
             Question:\nQuestion 2?\nOptions:\nA. u\nB. w\n\
             Answer: Let's think step by step. U. The answer is (A).\n\n\
             Question:\nQuestion 7?\nOptions:\nA. p\nB. r\nC. s\nAnswer: Let's think step by step."
        );
    }

    #[test]
    fn leaderboard_prompt_keeps_na_options() {
        let ep = episode(
            Pool::SplitHead,
            0,
            &config(&[("variant", "loglikelihood"), ("num_fewshot", "1")]),
        )
        .unwrap();
        assert_eq!(
            ep.prompt(),
            "Question 1?\nA. x\nB. y\nAnswer: B\n\n\
             Question 7?\nA. p\nB. N/A\nC. r\nD. s\nAnswer:"
        );
        assert!(episode(Pool::Category, 0, &config(&[("variant", "loglikelihood")])).is_err());
        assert!(
            episode(Pool::SplitHead, 0, &config(&[("variant", "loglikelihood")])).is_err(),
            "5-shot needs 5 loaded examples"
        );
    }

    #[test]
    fn official_scoring_and_fallbacks() {
        let s = score_official("The answer is (C).", "C", 2, 10, Fallback::Seeded, 1);
        assert_eq!((s.pred, s.acc), (Some('C'), 1.0));
        let s = score_official("I think B", "C", 2, 10, Fallback::Seeded, 1);
        assert_eq!(
            (s.pred, s.stage, s.acc),
            (Some('B'), Some(Stage::LastLetter), 0.0)
        );
        // No letter: random.Random(12345).randint(0, 9) == 6 (CPython).
        let s = score_official("no idea", "G", 6, 10, Fallback::Seeded, 12345);
        assert_eq!((s.pred, s.draw, s.acc), (None, Some(6), 1.0));
        let s = score_official("no idea", "G", 6, 10, Fallback::None, 12345);
        assert_eq!((s.draw, s.acc), (None, 0.0));
        let s = score_official("no idea", "G", 6, 10, Fallback::ReferenceStream, 12345);
        assert!(s.deferred);
        assert_eq!(s.acc, 0.0);
    }

    #[test]
    fn lm_eval_scoring() {
        assert_eq!(
            score_lm_eval("so the answer is (c)... no, the answer is (D)", "D"),
            ("D".to_string(), 1.0)
        );
        assert_eq!(
            score_lm_eval("Answer: D", "D"),
            ("[invalid]".to_string(), 0.0)
        );
    }

    #[test]
    fn gold_scores_the_maximum_under_every_option() {
        for pairs in [
            vec![],
            vec![("extraction", "lm-eval")],
            vec![("fallback", "none")],
            vec![("fallback", "reference-stream")],
        ] {
            let mut ep = episode(Pool::Category, 9, &config(&pairs)).unwrap();
            let Step::Ask(Query::Generate(req)) = ep.step(None).unwrap() else {
                panic!()
            };
            assert_eq!(req.params.stop, ["Question:"]);
            assert_eq!(req.params.max_tokens, Some(2048));
            let Step::Done(score) = ep.step(Some(Answer::Text(req.reference.unwrap()))).unwrap()
            else {
                panic!()
            };
            assert_eq!(score.metrics[0].value, 1.0, "{pairs:?}");
            assert_eq!(score.extracted.as_deref(), Some("C"));
        }
        let mut one = shared(Pool::SplitHead);
        one.head.truncate(1);
        let mut ep = MmluProEpisode::new(
            &sample(),
            9,
            &one,
            &config(&[("variant", "loglikelihood"), ("num_fewshot", "1")]),
        )
        .unwrap();
        let Step::Ask(Query::Choose(req)) = ep.step(None).unwrap() else {
            panic!()
        };
        assert_eq!(req.continuations, [" A", " B", " C", " D"]);
        let scores = (0..4u32)
            .map(|i| ContinuationScore {
                logprob: if Some(i) == req.reference { 0.0 } else { -1e9 },
                is_greedy: false,
            })
            .collect();
        let Step::Done(score) = ep.step(Some(Answer::Scores(scores))).unwrap() else {
            panic!()
        };
        assert_eq!(score.metrics[0].value, 1.0);
    }
}
