//! Scoring one BBH sample under each variant.

use scorebox_sdk::lmeval::{ExactMatchOptions, choice_prediction, pattern};
use scorebox_sdk::normalize::ExactMatch;
use scorebox_sdk::step::{choose, done, generate, params, scores_answer, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::json;

use crate::Variant;
use crate::filters;
use crate::load::{SampleData, Shared};
use crate::prompts::prompt;
use crate::tasks::{Subtask, subtask};

/// `exact_match`'s `regexes_to_ignore` in `bbh_zeroshot` (order as in its YAML).
pub const ZEROSHOT_IGNORES: [&str; 5] = [r"\.$", ",", "\n", r"\\", "\""];
/// `exact_match`'s `regexes_to_ignore` in `bbh_cot_zeroshot`.
pub const COT_ZEROSHOT_IGNORES: [&str; 5] = [r"\.$", ",", r"\\", "\n", "\""];

/// The zero-shot `exact_match` options: `ignore_case` and the ignores.
pub fn zeroshot_exact_match(variant: Variant) -> ExactMatchOptions {
    let ignores = if variant == Variant::CotZeroshot {
        COT_ZEROSHOT_IGNORES
    } else {
        ZEROSHOT_IGNORES
    };
    ExactMatchOptions {
        regexes_to_ignore: ignores.iter().map(|r| pattern(r)).collect(),
        flags: ExactMatch {
            ignore_case: true,
            ..ExactMatch::default()
        },
    }
}

/// What a generative variant reports for one response: `(filter name,
/// filtered answer, exact_match)` for each of its filters.
pub fn score_response(
    variant: Variant,
    sub: &Subtask,
    input: &str,
    target: &str,
    response: &str,
) -> Vec<(&'static str, String, f64)> {
    match variant {
        Variant::CotFewshot => {
            let f = filters::get_answer(response);
            let em = ExactMatch::default().score(&f, target);
            vec![("get-answer", f, em)]
        }
        Variant::Fewshot => {
            let em = ExactMatch::default().score(response, target);
            vec![("none", response.to_string(), em)]
        }
        Variant::Zeroshot | Variant::CotZeroshot => {
            let em = zeroshot_exact_match(variant);
            let (strict, gs) = if variant == Variant::Zeroshot {
                (response.to_string(), 0)
            } else {
                (filters::strict_match(response), -1)
            };
            let flexible = filters::flexible(sub.flexible, gs, response, input);
            let (es, ef) = (em.score(&strict, target), em.score(&flexible, target));
            vec![
                ("strict-match", strict, es),
                ("flexible-extract", flexible, ef),
            ]
        }
        Variant::Leaderboard => Vec::new(),
    }
}

/// The `reference` a perfect model answers with: its filters give the target.
pub fn reference(variant: Variant, target: &str) -> String {
    match variant {
        Variant::CotFewshot => format!("So the answer is {target}."),
        Variant::CotZeroshot => format!("The answer is {target}."),
        _ => target.to_string(),
    }
}

/// Decoding parameters of a generative variant (lm-eval's `generation_kwargs`;
/// `max_gen_toks` 1024 for `cot_fewshot`, lm-eval's default 256 elsewhere).
pub fn generation(variant: Variant) -> (u32, &'static [&'static str]) {
    match variant {
        Variant::CotFewshot | Variant::Fewshot => (
            if variant == Variant::CotFewshot {
                1024
            } else {
                256
            },
            &["</s>", "Q", "\n\n"],
        ),
        _ => (256, &["</s>", "Q:", "<|im_end|>"]),
    }
}

/// One BBH episode: one query, then the score.
#[derive(Debug)]
pub struct BbhEpisode {
    data: SampleData,
    sub: &'static Subtask,
    variant: Variant,
    prompt: String,
    asked: bool,
}

impl BbhEpisode {
    /// Prepares the prompt of `sample`.
    ///
    /// # Errors
    /// When the data is not this loader's, the subtask is unknown (or not a
    /// leaderboard subtask in that variant), its prompt file is missing, or
    /// it has fewer exemplars than `num_fewshot`.
    pub fn new(
        sample: &Sample,
        shared: &Shared,
        variant: Variant,
        num_fewshot: usize,
    ) -> Result<BbhEpisode, Error> {
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not BBH loader output: {e}")))?;
        let sub = subtask(&data.subtask)
            .ok_or_else(|| Error::new(format!("unknown BBH subtask `{}`", data.subtask)))?;
        if variant == Variant::Leaderboard && sub.choices.is_none() {
            return Err(Error::new(format!(
                "`{}` is not one of leaderboard_bbh's 24 subtasks",
                sub.name
            )));
        }
        let file = shared.prompts.get(sub.name).ok_or_else(|| {
            Error::new(format!(
                "no prompt file for `{0}`: the description (and few-shot exemplars) come from \
                 cot-prompts/{0}.txt of BIG-Bench-Hard; put that file under --data",
                sub.name
            ))
        })?;
        let prompt = prompt(variant, file, num_fewshot, &data.input)
            .map_err(|e| Error::new(format!("cot-prompts/{}: {e}", sub.name)))?;
        Ok(BbhEpisode {
            data,
            sub,
            variant,
            prompt,
            asked: false,
        })
    }

    /// The prompt (a user message, or the `choose` context).
    pub fn prompt(&self) -> &str {
        &self.prompt
    }
}

impl Episode for BbhEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        let target = &self.data.target;
        if !self.asked {
            self.asked = true;
            if let (Variant::Leaderboard, Some(choices)) = (self.variant, self.sub.choices) {
                let gold = choices.iter().position(|c| c == target).map(|i| i as u32);
                return Ok(choose(
                    self.prompt.clone(),
                    choices.iter().map(|c| format!(" {c}")).collect(),
                    gold,
                ));
            }
            let (max, stop) = generation(self.variant);
            return Ok(generate(
                vec![user(self.prompt.clone())],
                params(Some(max), stop, Some(0.0)),
                Some(reference(self.variant, target)),
            ));
        }
        if let (Variant::Leaderboard, Some(choices)) = (self.variant, self.sub.choices) {
            let scores = scores_answer(answer, choices.len())?;
            let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
            let owned: Vec<String> = choices.iter().map(|c| c.to_string()).collect();
            let gold = choices.iter().position(|c| c == target);
            let p =
                choice_prediction(&lls, &owned).ok_or_else(|| Error::new("no choices to score"))?;
            let acc_norm = f64::from(u8::from(Some(p.pred_norm) == gold));
            let acc = f64::from(u8::from(Some(p.pred) == gold));
            return Ok(done(
                &[("acc_norm", acc_norm)],
                Some(choices[p.pred_norm].to_string()),
                &json!({
                    "gold": gold,
                    "pred": p.pred,
                    "pred_norm": p.pred_norm,
                    "acc": acc,
                    "logprobs": lls,
                }),
            ));
        }
        let response = text_answer(answer)?;
        let scored = score_response(self.variant, self.sub, &self.data.input, target, &response);
        let named: Vec<(&str, f64)> = scored
            .iter()
            .map(|(f, _, em)| (crate::report::sample_metric(f), *em))
            .collect();
        let filtered: serde_json::Map<String, serde_json::Value> = scored
            .iter()
            .map(|(f, text, _)| (f.to_string(), json!(text)))
            .collect();
        Ok(done(
            &named,
            scored.last().map(|(_, text, _)| text.clone()),
            &json!({ "filtered": filtered, "target": target }),
        ))
    }
}
