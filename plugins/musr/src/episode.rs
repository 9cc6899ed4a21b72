//! Scoring one MuSR sample: lm-eval's `leaderboard_musr` prompt and
//! `acc_norm`, or the official `eval/eval.py` prompt (`cot+`) and parse.

use scorebox_sdk::lmeval::choice_prediction;
use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::pyunicode::{lower, strip};
use scorebox_sdk::step::{choose, done, generate, params, scores_answer, text_answer};
use scorebox_sdk::{Answer, Episode, Error, Message, Sample, Step};
use serde_json::json;

use crate::load::SampleData;
use crate::{Fallback, Variant};

/// The official script's system prompt (every domain).
pub const SYSTEM_PROMPT: &str =
    "You are a helpful assistant that will answer the questions given by the user.";

/// The official `cot+` hint of each domain (`eval/eval.py`).
pub fn hint(domain: &str) -> &'static str {
    match domain {
        "murder_mysteries" => {
            "Before selecting a choice, explain your reasoning step by step. The murderer needs to have a means (access to weapon), motive (reason to kill the victim), and opportunity (access to crime scene) in order to have killed the victim. Innocent suspects may have two of these proven, but not all three. An innocent suspect may be suspicious for some other reason, but they will not have all of motive, means, and opportunity established.\n\nIf you believe that both suspects have motive, means, and opportunity, you should make an educated guess pick the one for whom these are best established. If you believe that neither suspect has all three established, then choose the suspect where these are most clearly established."
        }
        "object_placements" => {
            "Based on this story, we want to identify where someone believes that a certain object is at the end of the story. In order to do that, you need to read the story and keep track of where they think the object is at each point. When an object is moved, the person may observe its new location if they saw it move.\n\nTo see where an object ends up, they must be able to see the location that it moves to and not be too distracted by what they are doing. If they do not observe the object moving, then they will still believe it to be in the last location where they observed it."
        }
        _ => {
            "The story should allow you to determine how good each person is at a skill. Roughly, each person is either great, acceptable, or bad at a task. We want to find an optimal assignment of people to tasks that uses their skills as well as possible. In addition, one task will have to have two people assigned to it. The effectiveness of their teamwork (great team, acceptable team, or bad team) also impacts the overall quality of the assignment.\n\nWhen two people need to work on a task and one is bad at it, they don\u{2019}t necessarily benefit from the other person being good, unless they work well together.\n\nWith different strengths, weaknesses, and interpersonal dynamics at play, you should allocate your team to find the single assignment to ensure that the tasks overall are completed as effectively as possible.\n\n"
        }
    }
}

/// lm-eval `leaderboard_musr` `doc_to_text`:
/// `{narrative}\n\n{question}\n\n` + `{i} - {choice}\n` for each + `\nAnswer:`
/// (a blank line before `Answer:`).
pub fn leaderboard_prompt(d: &SampleData) -> String {
    let mut choices = String::new();
    for (i, c) in d.choices.iter().enumerate() {
        choices.push_str(&format!("{} - {c}\n", i + 1));
    }
    format!("{}\n\n{}\n\n{choices}\nAnswer:", d.narrative, d.question)
}

/// The official `cot+` user prompt (object placements put the hint before
/// the question).
pub fn official_prompt(d: &SampleData) -> String {
    let choices: Vec<String> = d
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} - {c}", i + 1))
        .collect();
    let choices = choices.join("\n");
    let h = hint(&d.domain);
    if d.domain == "object_placements" {
        format!(
            "{}\n\n{h}\n\n{}\n\nPick one of the following choices:\n{choices}\n\nYou must pick one option. Explain your reasoning step by step before you answer. Finally, the last thing you generate should be \"ANSWER: (your answer here, including the choice number)\"",
            d.narrative, d.question
        )
    } else {
        format!(
            "{}\n\n{}\n\nPick one of the following choices:\n{choices}\n\nYou must pick one option. {h} Explain your reasoning step by step before you answer. Finally, the last thing you generate should be \"ANSWER: (your answer here, including the choice number)\"",
            d.narrative, d.question
        )
    }
}

/// The official parse: lower-case the output, keep the lines (split on
/// `\n`) that contain `answer:` with something after its last occurrence,
/// and take what follows it on the last such line, stripped; `""` if none.
pub fn official_answer(output: &str) -> String {
    let lowered = lower(output);
    lowered
        .split('\n')
        .filter(|x| x.contains("answer:"))
        .filter_map(|x| {
            let tail = strip(x.rsplit("answer:").next().unwrap_or(""));
            (!tail.is_empty()).then(|| tail.to_string())
        })
        .next_back()
        .unwrap_or_default()
}

/// Whether the official script would fall back to a random choice: none of
/// `"1"`..`"n"` is a substring of the answer.
pub fn needs_fallback(answer: &str, n: usize) -> bool {
    !(1..=n).any(|k| answer.contains(&k.to_string()))
}

/// The official correctness test: `str(gold) in answer` (a substring).
pub fn official_correct(answer: &str, gold: usize) -> bool {
    answer.contains(&gold.to_string())
}

/// lm-eval's gold for `doc_to_target: "{{answer_choice}}"`: an all-digit
/// text is an index (out of range: none), a `[...]` text that parses as a
/// list gives none (lm-eval scores it 0), anything else is the first equal
/// choice (absent: none).
pub fn lm_eval_gold(answer_choice: &str, choices: &[String]) -> Option<usize> {
    let t = answer_choice;
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse::<usize>().ok().filter(|&i| i < choices.len());
    }
    if t.len() >= 2 && t.starts_with('[') && t.ends_with(']') {
        let ints = t[1..t.len() - 1]
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .all(|x| x.parse::<i64>().is_ok());
        if ints || scorebox_sdk::pyliteral::literal_eval_str_list(t).is_ok() {
            return None;
        }
    }
    choices.iter().position(|c| c == t)
}

/// One MuSR episode.
#[derive(Debug)]
pub struct MusrEpisode {
    data: SampleData,
    variant: Variant,
    fallback: Fallback,
    seed: u64,
    asked: bool,
}

impl MusrEpisode {
    /// Prepares `sample`.
    ///
    /// # Errors
    /// When the data is not this loader's.
    pub fn new(
        sample: &Sample,
        variant: Variant,
        fallback: Fallback,
        seed: u64,
    ) -> Result<MusrEpisode, Error> {
        let data: SampleData = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not MuSR loader output: {e}")))?;
        Ok(MusrEpisode {
            data,
            variant,
            fallback,
            seed,
            asked: false,
        })
    }

    /// The leaderboard gold index (from `answer_choice`, or `answer_index`
    /// for the official files, which have none).
    pub fn leaderboard_gold(&self) -> Option<usize> {
        match &self.data.answer_choice {
            Some(ac) => lm_eval_gold(ac, &self.data.choices),
            None => usize::try_from(self.data.answer_index).ok(),
        }
    }

    /// The prompt of the variant (the user message for `official`).
    pub fn prompt(&self) -> String {
        match self.variant {
            Variant::Leaderboard => leaderboard_prompt(&self.data),
            Variant::Official => official_prompt(&self.data),
        }
    }

    fn gold_number(&self) -> usize {
        self.data.answer_index as usize + 1
    }
}

impl Episode for MusrEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        let d = &self.data;
        if !self.asked {
            self.asked = true;
            return Ok(match self.variant {
                Variant::Leaderboard => choose(
                    self.prompt(),
                    d.choices.iter().map(|c| format!(" {c}")).collect(),
                    self.leaderboard_gold().map(|g| g as u32),
                ),
                Variant::Official => generate(
                    vec![
                        Message {
                            role: "system".into(),
                            content: SYSTEM_PROMPT.into(),
                        },
                        Message {
                            role: "user".into(),
                            content: self.prompt(),
                        },
                    ],
                    params(Some(2400), &[], Some(1.0)),
                    Some(format!("ANSWER: {}", self.gold_number())),
                ),
            });
        }
        if self.variant == Variant::Leaderboard {
            let scores = scores_answer(answer, d.choices.len())?;
            let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
            let p = choice_prediction(&lls, &d.choices).ok_or_else(|| Error::new("no choices"))?;
            let gold = self.leaderboard_gold();
            let acc_norm = f64::from(u8::from(Some(p.pred_norm) == gold));
            return Ok(done(
                &[("acc_norm", acc_norm)],
                Some(d.choices[p.pred_norm].clone()),
                &json!({ "gold": gold, "pred_norm": p.pred_norm, "pred": p.pred, "logprobs": lls }),
            ));
        }
        let output = text_answer(answer)?;
        let parsed = official_answer(&output);
        let n = d.choices.len();
        let gold = self.gold_number();
        let mut details = json!({
            "parsed": parsed,
            "gold": gold,
            "domain": d.domain,
            "story": d.story,
            "question_in_story": d.question_in_story,
            "stories": d.stories,
            "choices": n,
        });
        let (answer, acc) = if needs_fallback(&parsed, n) {
            match self.fallback {
                Fallback::Seeded => {
                    let pick = (PyRandom::from_seed(self.seed).randbelow(n as u64) + 1).to_string();
                    details["fallback"] =
                        json!({ "mode": "seeded", "seed": self.seed, "draw": pick });
                    let ok = official_correct(&pick, gold);
                    (pick, ok)
                }
                Fallback::ReferenceStream => {
                    details["fallback"] = json!({ "mode": "reference-stream", "deferred": true });
                    (parsed.clone(), false)
                }
                Fallback::None => {
                    details["fallback"] = json!({ "mode": "none" });
                    (parsed.clone(), false)
                }
            }
        } else {
            let ok = official_correct(&parsed, gold);
            (parsed.clone(), ok)
        };
        Ok(done(
            &[("acc", f64::from(u8::from(acc)))],
            Some(answer),
            &details,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_parse() {
        assert_eq!(official_answer("blah\nANSWER: 2"), "2");
        assert_eq!(official_answer("ANSWER: 2\nFinal Answer:"), "2");
        assert_eq!(official_answer("So my answer: 3, final."), "3, final.");
        assert_eq!(official_answer("answer: 1 answer: 2\r\n"), "2");
        assert_eq!(official_answer("ANSWER : 2"), "");
        assert_eq!(official_answer(""), "");
        assert!(needs_fallback("0", 3));
        assert!(!needs_fallback("choice 2 (room 11)", 2));
        assert!(official_correct("21", 1));
    }

    #[test]
    fn lm_eval_gold_rules() {
        let c: Vec<String> = ["1", "2", "3"].iter().map(|s| s.to_string()).collect();
        assert_eq!(lm_eval_gold("1", &c), Some(1));
        assert_eq!(lm_eval_gold("3", &c), None);
        let c: Vec<String> = ["Rhea", "Rhea", "Tova"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(lm_eval_gold("Rhea", &c), Some(0));
        assert_eq!(lm_eval_gold("Tova ", &c), None);
        assert_eq!(lm_eval_gold("[0]", &c), None);
        assert_eq!(lm_eval_gold("[x", &c), None);
    }
}
