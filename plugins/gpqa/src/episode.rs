//! Scoring one GPQA sample: option preprocessing, the shuffle, the prompt,
//! and the variant's metrics.

use scorebox_sdk::lmeval::{
    ExactMatchOptions, MultiChoiceRegexFilter, RegexFilter, choice_prediction, pattern,
};
use scorebox_sdk::normalize::ExactMatch;
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::pyunicode::strip;
use scorebox_sdk::step::{choose, done, generate, params, scores_answer, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::json;

use crate::load::SampleData;
use crate::{Shuffle, Variant};

/// The `(A)`..`(D)` choices every variant scores.
pub const LETTERS: [&str; 4] = ["(A)", "(B)", "(C)", "(D)"];

/// lm-eval's `preprocess` of one option. `None` (a missing value) becomes
/// `" "`; otherwise `strip()`, `" [title]"` → `". "`, then (leaderboard only)
/// `re.sub(r"\[.*?\]", "", …)`, then one `replace("  ", " ")`.
pub fn preprocess(text: Option<&str>, remove_brackets: bool) -> String {
    let Some(text) = text else {
        return " ".to_string();
    };
    let mut t = strip(text).replace(" [title]", ". ");
    if remove_brackets {
        t = pattern(r"\[.*?\]").sub("", &t);
    }
    t.replace("  ", " ")
}

/// The four options in prompt order and the gold index: `choices.index(preprocess(correct))`,
/// the first option equal to the preprocessed correct answer.
pub fn shuffled(
    data: &SampleData,
    order: [usize; 4],
    remove_brackets: bool,
) -> (Vec<String>, usize) {
    let pre: Vec<String> = data
        .options
        .iter()
        .map(|o| preprocess(o.as_deref(), remove_brackets))
        .collect();
    let choices: Vec<String> = order.iter().map(|&i| pre[i].clone()).collect();
    let gold = choices.iter().position(|c| *c == pre[3]).unwrap_or(0);
    (choices, gold)
}

/// The order of the options for `shuffle`: the reference stream's, or
/// `random.Random(seed).shuffle([0, 1, 2, 3])` with the episode seed.
pub fn order(data: &SampleData, shuffle: Shuffle, seed: u64) -> [usize; 4] {
    match shuffle {
        Shuffle::Reference => data.reference_order,
        Shuffle::Seeded => {
            let mut o = [0, 1, 2, 3];
            PyRandom::from_seed(seed).shuffle(&mut o);
            o
        }
    }
}

/// The prompt: `What is the correct answer to this question:{Question}\nChoices:\n(A) ..\n(B) ..\n(C) ..\n(D) ..\n`
/// then `Answer: ` (leaderboard), `Answer:` (zeroshot) or `Let's think step by step: ` (cot_zeroshot).
pub fn prompt(question: Option<&str>, choices: &[String], variant: Variant) -> String {
    let mut out = format!(
        "What is the correct answer to this question:{}\nChoices:\n",
        question.unwrap_or("None")
    );
    for (l, c) in LETTERS.iter().zip(choices) {
        out.push_str(&format!("{l} {c}\n"));
    }
    out.push_str(match variant {
        Variant::Leaderboard => "Answer: ",
        Variant::Zeroshot => "Answer:",
        Variant::CotZeroshot => "Let's think step by step: ",
    });
    out
}

/// `gpqa_*_cot_zeroshot` filters and `exact_match` (ignore case and ASCII
/// punctuation) against `(X)`: `(strict text, strict score, flexible text,
/// flexible score)`.
pub fn cot_scores(response: &str, choices: &[String], gold: usize) -> (String, f64, String, f64) {
    let strict = RegexFilter::new("(?<=The answer is )(.*)(?=.)", 0)
        .map(|f| f.apply(response))
        .unwrap_or_default();
    let flexible = MultiChoiceRegexFilter::new(r"(\([A-Z]\))", -1, true, true, &[])
        .map(|f| f.apply(response, choices))
        .unwrap_or_default();
    let em = ExactMatchOptions {
        regexes_to_ignore: Vec::new(),
        flags: ExactMatch::CASE_AND_PUNCTUATION,
    };
    let target = LETTERS[gold];
    let (s, f) = (em.score(&strict, target), em.score(&flexible, target));
    (strict, s, flexible, f)
}

/// One GPQA episode.
#[derive(Debug)]
pub struct GpqaEpisode {
    variant: Variant,
    choices: Vec<String>,
    gold: usize,
    prompt: String,
    details: serde_json::Value,
    asked: bool,
}

impl GpqaEpisode {
    /// Prepares `sample` under `variant` and `shuffle`.
    ///
    /// # Errors
    /// When the data is not this loader's.
    pub fn new(
        sample: &Sample,
        variant: Variant,
        shuffle: Shuffle,
        seed: u64,
    ) -> Result<GpqaEpisode, Error> {
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not GPQA loader output: {e}")))?;
        let order = order(&data, shuffle, seed);
        let (choices, gold) = shuffled(&data, order, variant == Variant::Leaderboard);
        let prompt = prompt(data.question.as_deref(), &choices, variant);
        let details = json!({
            "shuffle": match shuffle {
                Shuffle::Reference => json!({"mode": "reference", "seed": data.shuffle_seed}),
                Shuffle::Seeded => json!({"mode": "seeded", "seed": seed}),
            },
            "order": order,
            "gold": LETTERS[gold],
        });
        Ok(GpqaEpisode {
            variant,
            choices,
            gold,
            prompt,
            details,
            asked: false,
        })
    }

    /// The prompt.
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// The options in prompt order and the gold index.
    pub fn choices(&self) -> (&[String], usize) {
        (&self.choices, self.gold)
    }
}

impl Episode for GpqaEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(match self.variant {
                Variant::CotZeroshot => generate(
                    vec![user(self.prompt.clone())],
                    params(Some(256), &["</s>"], Some(0.0)),
                    Some(format!("The answer is {}.", LETTERS[self.gold])),
                ),
                _ => choose(
                    self.prompt.clone(),
                    LETTERS.iter().map(|l| format!(" {l}")).collect(),
                    Some(self.gold as u32),
                ),
            });
        }
        let mut details = self.details.clone();
        if self.variant == Variant::CotZeroshot {
            let response = text_answer(answer)?;
            let (strict, s, flexible, f) = cot_scores(&response, &self.choices, self.gold);
            details["filtered"] = json!({"strict-match": strict, "flexible-extract": flexible});
            return Ok(done(
                &[("exact_match_strict", s), ("exact_match", f)],
                Some(flexible),
                &details,
            ));
        }
        let scores = scores_answer(answer, 4)?;
        let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
        let letters: Vec<String> = LETTERS.iter().map(|l| l.to_string()).collect();
        let p = choice_prediction(&lls, &letters).ok_or_else(|| Error::new("no scores"))?;
        let acc = f64::from(u8::from(p.pred == self.gold));
        let acc_norm = f64::from(u8::from(p.pred_norm == self.gold));
        details["logprobs"] = json!(lls);
        details["pred"] = json!(LETTERS[p.pred]);
        let metrics: &[(&str, f64)] = if self.variant == Variant::Zeroshot {
            &[("acc", acc), ("acc_norm", acc_norm)]
        } else {
            &[("acc_norm", acc_norm)]
        };
        Ok(done(
            metrics,
            Some(LETTERS[p.pred_norm].to_string()),
            &details,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preprocessing_follows_the_reference() {
        let p = |s: &str| preprocess(Some(s), true);
        assert_eq!(p("Phase delta [title]"), "Phase delta. ");
        assert_eq!(p("[title] Reading 7"), " Reading 7");
        assert_eq!(p("a   b"), "a  b");
        assert_eq!(p("a    b"), "a  b");
        assert_eq!(p("Value [a [b] c] settles"), "Value c] settles");
        assert_eq!(p("[multi\nline]"), "[multi\nline]");
        assert_eq!(p("[only brackets]"), "");
        assert_eq!(preprocess(None, true), " ");
        assert_eq!(preprocess(Some(" x [y] "), false), "x [y]");
    }

    #[test]
    fn prompt_layout() {
        let c: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            prompt(Some("Q?"), &c, Variant::Leaderboard),
            "What is the correct answer to this question:Q?\nChoices:\n(A) a\n(B) b\n(C) c\n(D) d\nAnswer: "
        );
        assert!(
            prompt(None, &c, Variant::CotZeroshot).ends_with("(D) d\nLet's think step by step: ")
        );
    }

    #[test]
    fn cot_filters() {
        let c: Vec<String> = ["17", "170", "Glorbium", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            cot_scores("The answer is (B).", &c, 1),
            ("(B)".into(), 1.0, "(B)".into(), 1.0)
        );
        let (s, _, f, fe) = cot_scores("so the answer is 170", &c, 1);
        assert_eq!((s.as_str(), f.as_str(), fe), ("[invalid]", "(B)", 1.0));
    }
}
