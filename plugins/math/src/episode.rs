//! Scoring one MATH sample: the prompt, the query, and the three scorers.

use scorebox_sdk::metrics::indicator;
use scorebox_sdk::pyunicode::strip;
use scorebox_sdk::step::{done, generate, params, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::json;

use crate::boxed::{INVALID_ANSWER, reference_gold};
use crate::equiv::sympy_simplify_equal;
use crate::latex::{Dialect, parse};
use crate::load::{Exemplar, Problem, Shared, final_answer_line};
use crate::mathverify::{self, Parsed, Targets};
use crate::minerva::{get_unnormalized_answer, normalize_final_answer, normalize_final_answer_v1};
use crate::{Config, Variant, hendrycks};

/// The stop sequence of every MATH task.
pub const STOP: [&str; 1] = ["Problem:"];

/// `hendrycks_math`'s `doc_to_text`: `Problem: {problem}\nAnswer:`, after
/// `num_fewshot` exemplars `… Answer: {answer}\n\n`.
pub fn original_prompt(problem: &str, fewshot: &[Exemplar]) -> String {
    let mut out = String::new();
    for ex in fewshot {
        out.push_str(&format!(
            "Problem: {}\nAnswer: {}\n\n",
            ex.problem, ex.answer
        ));
    }
    out.push_str(&format!("Problem: {problem}\nAnswer:"));
    out
}

/// The Minerva prompt of `minerva_math` and `leaderboard_math_hard`:
/// each exemplar `Problem:\n{problem}\n\nSolution: {solution}\n\n` (the
/// target after lm-eval's `" "` delimiter), then `Problem:\n{problem}\n\nSolution:`.
pub fn minerva_prompt(problem: &str, fewshot: &[Exemplar]) -> String {
    let mut out = String::new();
    for ex in fewshot {
        out.push_str(&format!(
            "Problem:\n{}\n\nSolution: {}\n\n",
            ex.problem, ex.solution
        ));
    }
    out.push_str(&format!("Problem:\n{problem}\n\nSolution:"));
    out
}

/// `hendrycks_math` scoring: the `$…$` span of the response against the
/// boxed gold with `is_equiv`. Returns the candidate and the verdict.
pub fn score_original(response: &str, gold: &str) -> (String, bool) {
    let candidate = hendrycks::dollar_slice(response);
    (candidate.to_string(), hendrycks::is_equiv(candidate, gold))
}

/// Minerva's `is_equiv(x1, x2)` on normalised strings: identical non-empty
/// strings, else both parsed (sympy's LaTeX grammar) and `simplify(x1 - x2) == 0`.
pub fn minerva_is_equiv(a: &str, b: &str) -> bool {
    if !a.is_empty() && a == b {
        return true;
    }
    sympy_equal(a, b)
}

fn sympy_equal(a: &str, b: &str) -> bool {
    match (parse(a, Dialect::Sympy), parse(b, Dialect::Sympy)) {
        (Ok(x), Ok(y)) => sympy_simplify_equal(&x, &y),
        _ => false,
    }
}

/// `minerva_math` `exact_match`: the normalised `Final Answer` against the
/// normalised gold. Returns the normalised answer and the verdict.
pub fn score_minerva(response: &str, gold: &str) -> (String, bool) {
    let answer = normalize_final_answer(&get_unnormalized_answer(response));
    let doc_answer = normalize_final_answer(gold);
    let ok = minerva_is_equiv(&answer, &doc_answer);
    (answer, ok)
}

/// `leaderboard_math_hard` `exact_match_original` (`process_result_v1`):
/// the original normalisation on both sides; `[invalidanswer]` scores 0;
/// stripped strings equal, else sympy equivalence. `gold` is the doc's
/// `answer`: `[invalidanswer]` where the reference's `remove_boxed` fails.
pub fn score_leaderboard_original(response: &str, gold: &str) -> (String, bool) {
    let answer = normalize_final_answer_v1(&get_unnormalized_answer(response));
    let normalized_gold = normalize_final_answer_v1(gold);
    if answer == INVALID_ANSWER {
        return (answer, false);
    }
    let ok = strip(&answer) == strip(&normalized_gold) || sympy_equal(&answer, &normalized_gold);
    (answer, ok)
}

/// math-verify `verify(parse(solution, gold_targets), parse(response))`.
pub fn score_math_verify(
    response: &str,
    solution: &str,
    gold_targets: Targets,
) -> (Vec<Parsed>, bool) {
    let gold = mathverify::parse(solution, gold_targets);
    let pred = mathverify::parse(response, Targets::LatexAndExpr);
    let ok = mathverify::verify(&gold, &pred);
    (pred, ok)
}

fn describe(parsed: &[Parsed]) -> Option<String> {
    parsed.iter().find_map(|p| match p {
        Parsed::Str(s) => Some(s.clone()),
        Parsed::Expr(_) => None,
    })
}

/// One MATH episode: ask once, then score.
#[derive(Debug)]
pub struct MathEpisode {
    problem: Problem,
    prompt: String,
    config: Config,
    asked: bool,
}

impl MathEpisode {
    /// Builds the prompt for `sample` with the shared exemplars.
    ///
    /// # Errors
    /// Returns an error when the sample data is not this loader's.
    pub fn new(sample: &Sample, shared: &Shared, config: &Config) -> Result<MathEpisode, Error> {
        let problem: Problem = serde_json::from_str(&sample.data).map_err(|e| {
            Error::new(format!(
                "sample data is not a MATH problem from this loader: {e}"
            ))
        })?;
        let fewshot: Vec<Exemplar> = shared
            .fewshot
            .iter()
            .take(config.num_fewshot)
            .cloned()
            .collect();
        let prompt = match config.variant {
            Variant::Original => original_prompt(&problem.problem, &fewshot),
            _ => minerva_prompt(&problem.problem, &fewshot),
        };
        Ok(MathEpisode {
            problem,
            prompt,
            config: *config,
            asked: false,
        })
    }

    /// The prompt sent to the model.
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// What a perfect model answers.
    pub fn reference(&self) -> String {
        let answer = self.problem.answer.replace('\n', " ");
        match self.config.variant {
            Variant::Original => format!("${answer}$"),
            _ => format!(
                "The answer is $\\boxed{{{answer}}}$.\n{}",
                final_answer_line(&answer)
            ),
        }
    }

    /// Scores a response.
    pub fn score(&self, response: &str) -> Step {
        let p = &self.problem;
        match self.config.variant {
            Variant::Original => {
                let (candidate, ok) = score_original(response, &p.answer);
                done(
                    &[("exact_match", indicator(ok))],
                    Some(candidate.clone()),
                    &json!({"gold": p.answer, "candidate": candidate}),
                )
            }
            Variant::Minerva => {
                let (answer, em) = score_minerva(response, &p.answer);
                let (parsed, mv) = score_math_verify(response, &p.solution, Targets::LatexAndExpr);
                done(
                    &[
                        ("exact_match", indicator(em)),
                        ("math_verify", indicator(mv)),
                    ],
                    Some(answer.clone()),
                    &json!({
                        "gold": normalize_final_answer(&p.answer),
                        "normalized_answer": answer,
                        "math_verify_extracted": describe(&parsed),
                    }),
                )
            }
            Variant::Leaderboard => {
                let (parsed, em) = score_math_verify(response, &p.solution, Targets::LatexOnly);
                let doc_answer = reference_gold(&p.solution).unwrap_or(INVALID_ANSWER);
                let (answer, orig) = score_leaderboard_original(response, doc_answer);
                done(
                    &[
                        ("exact_match", indicator(em)),
                        ("exact_match_original", indicator(orig)),
                    ],
                    describe(&parsed),
                    &json!({
                        "gold": p.answer,
                        "math_verify_extracted": describe(&parsed),
                        "original_normalized_answer": answer,
                    }),
                )
            }
        }
    }
}

impl Episode for MathEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(generate(
                vec![user(self.prompt.clone())],
                params(Some(self.config.max_tokens), &STOP, None),
                Some(self.reference()),
            ));
        }
        let text = text_answer(answer)?;
        Ok(self.score(&text))
    }
}
