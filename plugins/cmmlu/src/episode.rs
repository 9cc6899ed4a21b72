//! Scoring one CMMLU sample: the prompts and the per-sample rules.

use scorebox_sdk::lmeval::choice_prediction;
use scorebox_sdk::metrics::{argmax, indicator};
use scorebox_sdk::prompt::{letter, lm_eval_context};
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::pyunicode::strip;
use scorebox_sdk::step::{choose, done, generate, params, scores_answer, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::{Value, json};

use crate::extract::{CHOICES, Found, extract_choice, reference_pipeline};
use crate::load::{Question, SampleData, Shared};
use crate::subjects;
use crate::{Config, Fallback, Mode, Variant};

/// The Chinese name of a subject (the key itself for an unknown one).
fn zh_name(subject: &str) -> &str {
    subjects::subject(subject).map_or(subject, |s| s.zh)
}

/// lm-eval's description (each `cmmlu_<subject>.yaml`), which is also the
/// official non-CoT header: `以下是关于{科目}的单项选择题，请直接给出正确答案的选项。\n\n`.
pub fn description(subject: &str) -> String {
    format!(
        "以下是关于{}的单项选择题，请直接给出正确答案的选项。\n\n",
        zh_name(subject)
    )
}

/// The official CoT header: `以下是关于{科目}的单项选择题，请分析并选出正确答案。\n\n`.
pub fn cot_description(subject: &str) -> String {
    format!(
        "以下是关于{}的单项选择题，请分析并选出正确答案。\n\n",
        zh_name(subject)
    )
}

/// lm-eval `doc_to_text`: `"{Question.strip()}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\n答案："`.
pub fn lm_eval_question(q: &Question) -> String {
    let mut out = strip(&q.question).to_string();
    for (i, c) in q.choices.iter().enumerate() {
        out.push('\n');
        out.push(letter(i).unwrap_or('?'));
        out.push_str(". ");
        out.push_str(c);
    }
    out.push_str("\n答案：");
    out
}

/// The lm-eval prompt: description, `num_fewshot` examples
/// (`text + " " + letter + "\n\n"`), then the question.
pub fn lm_eval_prompt(data: &SampleData, fewshot: &[Question], num_fewshot: usize) -> String {
    let examples: Vec<(String, String)> = fewshot
        .iter()
        .take(num_fewshot)
        .map(|q| {
            let target = letter(q.answer as usize)
                .map(String::from)
                .unwrap_or_default();
            (lm_eval_question(q), target)
        })
        .collect();
    lm_eval_context(
        &description(&data.subject),
        &examples,
        &lm_eval_question(&data.item),
    )
}

/// The official `format_example`: `"题目：{Q}\nA. {A}\n...D. {D}"`, then
/// `"\n答案是："` (plus `"{X}\n\n"` for an example), or for the CoT question
/// `"\n逐步分析并给出答案选项。"`. Nothing is stripped.
pub fn official_example(q: &Question, include_answer: bool, cot: bool) -> String {
    let mut out = String::from("题目：");
    out.push_str(&q.question);
    for (i, c) in q.choices.iter().enumerate() {
        out.push('\n');
        out.push(letter(i).unwrap_or('?'));
        out.push_str(". ");
        out.push_str(c);
    }
    out.push_str(if cot {
        "\n逐步分析并给出答案选项。"
    } else {
        "\n答案是："
    });
    if include_answer {
        out.push(letter(q.answer as usize).unwrap_or('?'));
        out.push_str("\n\n");
    }
    out
}

/// The official `gen_prompt` without a tokenizer: the header, the first
/// `num_fewshot` dev examples (always in the non-CoT form, as the official
/// code formats them), then the question.
pub fn official_prompt(
    data: &SampleData,
    fewshot: &[Question],
    num_fewshot: usize,
    cot: bool,
) -> String {
    let mut out = if cot {
        cot_description(&data.subject)
    } else {
        description(&data.subject)
    };
    for q in fewshot.iter().take(num_fewshot) {
        out.push_str(&official_example(q, true, false));
    }
    out.push_str(&official_example(&data.item, false, cot));
    out
}

/// lm-eval `cmmlu` continuations (target delimiter `" "`).
pub const LM_EVAL_CONTINUATIONS: [&str; 4] = [" A", " B", " C", " D"];
/// The official next-token letters (`tokenizer.convert_tokens_to_ids(choice)`).
pub const LETTER_CONTINUATIONS: [&str; 4] = ["A", "B", "C", "D"];

/// What a generative response scores, before any deferred fallback.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerativeOutcome {
    /// The text `extract_choice` saw (reference mode: after the pipeline).
    pub seen: String,
    /// The letter the chain found.
    pub found: Option<Found>,
    /// The letter counted: the found one, else the fallback's (none for
    /// `fallback=none` and for a deferred stream draw).
    pub pred: Option<char>,
    /// The seeded fallback draw (`randint(0, 3)`), when one was made.
    pub draw: Option<u32>,
    /// `acc` (0 for a deferred stream draw until `aggregate` replays it).
    pub acc: f64,
    /// Reference mode: extra rows the response creates in the results CSV.
    pub phantom_rows: u32,
    /// Reference mode: pandas' reader would raise on the results file.
    pub reader_error: bool,
}

/// Scores a generative response: the pipeline of `mode`, `extract_choice`,
/// then the fallback. `seed` is the episode seed.
pub fn score_generative(
    response: &str,
    answer: u32,
    mode: Mode,
    fallback: Fallback,
    seed: u64,
) -> GenerativeOutcome {
    let (seen, phantom_rows, reader_error) = match mode {
        Mode::Reference => {
            let p = reference_pipeline(response);
            (p.text, p.phantom_rows, p.reader_error)
        }
        Mode::Corrected => (response.to_string(), 0, false),
    };
    let found = extract_choice(&seen);
    let gold = CHOICES[answer as usize];
    let (pred, draw) = match (found, fallback) {
        (Some(f), _) => (Some(f.letter), None),
        (None, Fallback::Seeded) => {
            let d = PyRandom::from_seed(seed).randint(0, 3) as u32;
            (Some(CHOICES[d as usize]), Some(d))
        }
        (None, Fallback::ReferenceStream | Fallback::None) => (None, None),
    };
    GenerativeOutcome {
        seen,
        found,
        pred,
        draw,
        acc: indicator(pred == Some(gold)),
        phantom_rows,
        reader_error,
    }
}

/// One CMMLU episode: ask once, then score.
#[derive(Debug)]
pub struct CmmluEpisode {
    data: SampleData,
    config: Config,
    seed: u64,
    prompt: String,
    asked: bool,
}

impl CmmluEpisode {
    /// Prepares the prompt of `sample` under `config`, with few-shot
    /// examples from the `shared` pools.
    ///
    /// # Errors
    /// Returns an error when the sample data is not the loader's, or fewer
    /// dev rows than `num_fewshot` were loaded.
    pub fn new(
        sample: &Sample,
        seed: u64,
        shared: &Shared,
        config: &Config,
    ) -> Result<CmmluEpisode, Error> {
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not CMMLU loader output: {e}")))?;
        if data.item.choices.len() != 4 || data.item.answer > 3 {
            return Err(Error::new(
                "a CMMLU sample needs 4 choices and an answer in 0..3",
            ));
        }
        let k = config.num_fewshot as usize;
        let fewshot = shared.examples(&data.subject);
        if fewshot.len() < k {
            return Err(Error::new(format!(
                "num_fewshot={k} but only {} dev example(s) of `{}` were loaded (give the dev \
                 split, e.g. data/dev/{}.csv, and load with the same num_fewshot)",
                fewshot.len(),
                data.subject,
                data.subject
            )));
        }
        let prompt = match config.variant {
            Variant::Loglikelihood => lm_eval_prompt(&data, fewshot, k),
            Variant::OfficialLetter | Variant::Generative => {
                official_prompt(&data, fewshot, k, config.cot)
            }
        };
        Ok(CmmluEpisode {
            data,
            config: *config,
            seed,
            prompt,
            asked: false,
        })
    }

    /// The prompt sent to the model.
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// The official `get_results` drops a subject's first row when its
    /// question is the string `1` (reference mode only).
    fn dropped(&self) -> bool {
        self.config.mode == Mode::Reference && self.data.row == 0 && self.data.item.question == "1"
    }

    fn base_details(&self) -> Value {
        json!({
            "row": self.data.row,
            "answer_index": self.data.item.answer,
            "gold": CHOICES[self.data.item.answer as usize].to_string(),
            "dropped": self.dropped(),
        })
    }

    fn loglikelihood(&self, answer: Option<Answer>) -> Result<Step, Error> {
        let scores = scores_answer(answer, 4)?;
        let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
        let gold = self.data.item.answer as usize;
        let mut details = self.base_details();
        details["logprobs"] = json!(lls);
        if self.config.variant == Variant::Loglikelihood {
            let choices: Vec<String> = LETTER_CONTINUATIONS.iter().map(|c| c.to_string()).collect();
            let p = choice_prediction(&lls, &choices)
                .ok_or_else(|| Error::new("no log-likelihoods to compare"))?;
            let pred = letter(p.pred).map(String::from);
            details["pred"] = json!(pred);
            return Ok(done(
                &[
                    ("acc", indicator(p.pred == gold)),
                    ("acc_norm", indicator(p.pred_norm == gold)),
                ],
                pred,
                &details,
            ));
        }
        let pred = argmax(&lls);
        let pred_letter = pred.and_then(letter).map(String::from);
        details["pred"] = json!(pred_letter);
        Ok(done(
            &[("acc", indicator(pred == Some(gold)))],
            pred_letter,
            &details,
        ))
    }

    fn generative(&self, answer: Option<Answer>) -> Result<Step, Error> {
        let response = text_answer(answer)?;
        let o = score_generative(
            &response,
            self.data.item.answer,
            self.config.mode,
            self.config.fallback,
            self.seed,
        );
        let mut details = self.base_details();
        details["pred"] = json!(o.pred.map(String::from));
        details["rule"] = json!(o.found.map(|f| f.rule));
        if o.seen != response {
            details["seen"] = json!(o.seen);
        }
        if self.config.mode == Mode::Reference {
            details["phantom_rows"] = json!(o.phantom_rows);
            // pandas raises on such a line, except in the file's first row.
            if o.reader_error && self.data.row > 0 {
                details["reader_error"] = json!(true);
            }
        }
        if o.found.is_none() {
            details["fallback"] = match self.config.fallback {
                Fallback::Seeded => json!({"mode": "seeded", "draw": o.draw}),
                Fallback::ReferenceStream => json!({"mode": "reference-stream", "deferred": true}),
                Fallback::None => json!({"mode": "none"}),
            };
        }
        Ok(done(
            &[("acc", o.acc)],
            o.found.map(|f| f.letter.to_string()),
            &details,
        ))
    }
}

impl Episode for CmmluEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            let gold = self.data.item.answer;
            return Ok(match self.config.variant {
                Variant::Loglikelihood => choose(
                    self.prompt.clone(),
                    LM_EVAL_CONTINUATIONS
                        .iter()
                        .map(|c| c.to_string())
                        .collect(),
                    Some(gold),
                ),
                Variant::OfficialLetter => choose(
                    self.prompt.clone(),
                    LETTER_CONTINUATIONS.iter().map(|c| c.to_string()).collect(),
                    Some(gold),
                ),
                Variant::Generative => generate(
                    vec![user(self.prompt.clone())],
                    params(None, &[], Some(0.0)),
                    Some(CHOICES[gold as usize].to_string()),
                ),
            });
        }
        match self.config.variant {
            Variant::Generative => self.generative(answer),
            _ => self.loglikelihood(answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(question: &str, answer: u32) -> Question {
        Question {
            question: question.into(),
            choices: vec!["甲".into(), "乙".into(), " 丙".into(), "丁 ".into()],
            answer,
        }
    }

    fn data() -> SampleData {
        SampleData {
            subject: "arts".into(),
            row: 0,
            item: q(" 哪一个？\n", 1),
        }
    }

    #[test]
    fn lm_eval_prompt_text() {
        let p = lm_eval_prompt(&data(), &[q("例题", 2)], 1);
        assert_eq!(
            p,
            "以下是关于艺术学的单项选择题，请直接给出正确答案的选项。\n\n\
             例题\nA. 甲\nB. 乙\nC.  丙\nD. 丁 \n答案： C\n\n\
             哪一个？\nA. 甲\nB. 乙\nC.  丙\nD. 丁 \n答案："
        );
    }

    #[test]
    fn official_prompt_text() {
        let p = official_prompt(&data(), &[q("例题", 2)], 1, false);
        assert_eq!(
            p,
            "以下是关于艺术学的单项选择题，请直接给出正确答案的选项。\n\n\
             题目：例题\nA. 甲\nB. 乙\nC.  丙\nD. 丁 \n答案是：C\n\n\
             题目： 哪一个？\n\nA. 甲\nB. 乙\nC.  丙\nD. 丁 \n答案是："
        );
        let p = official_prompt(&data(), &[q("例题", 2)], 1, true);
        assert!(
            p.starts_with("以下是关于艺术学的单项选择题，请分析并选出正确答案。\n\n题目：例题")
        );
        assert!(p.contains("答案是：C\n\n"));
        assert!(p.ends_with("D. 丁 \n逐步分析并给出答案选项。"));
    }

    #[test]
    fn generative_outcomes() {
        let o = score_generative("答案是B", 1, Mode::Reference, Fallback::Seeded, 7);
        assert_eq!((o.pred, o.acc, o.draw), (Some('B'), 1.0, None));
        // A miss draws random.Random(seed).randint(0, 3): python3 gives 2 for seed 7.
        let o = score_generative("我不知道", 1, Mode::Reference, Fallback::Seeded, 7);
        assert_eq!(o.draw, Some(2));
        assert_eq!(o.pred, Some('C'));
        let o = score_generative("我不知道", 1, Mode::Corrected, Fallback::None, 7);
        assert_eq!((o.pred, o.acc), (None, 0.0));
        // Reference mode removes newlines before extracting.
        let o = score_generative("\nB", 1, Mode::Reference, Fallback::None, 7);
        assert_eq!(
            o.found.map(|f| f.rule),
            Some(crate::extract::Rule::FirstCharacter)
        );
        let o = score_generative("N/A", 0, Mode::Reference, Fallback::None, 7);
        assert_eq!((o.seen.as_str(), o.pred), ("nan", None));
        let o = score_generative("N/A", 0, Mode::Corrected, Fallback::None, 7);
        assert_eq!(o.pred, Some('A'));
    }
}
