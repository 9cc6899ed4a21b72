//! One MT-Bench episode: the model answers turn 1, then turn 2 with its
//! turn-1 answer in the conversation (FastChat `gen_model_answer.py`); the
//! judge then rates turn 1 and turn 2 (FastChat `gen_judgment.py --mode
//! single`), one `judge` query each.

use scorebox_sdk::pyunicode::strip;
use scorebox_sdk::step::{done, params, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, GenerateRequest, Message, Query, Step};
use serde_json::json;

use crate::load::Item;
use crate::prompts::{
    GOLD_JUDGMENT, JUDGE_MAX_TOKENS, JUDGE_PROMPT_VERSION, prompt_for, user_prompt,
};
use crate::rating::{NO_RATING, Rating, parse};

/// What the `gold` model answers a turn without a reference answer.
pub const GOLD_NO_REFERENCE: &str = "(no reference answer)";

/// FastChat's `temperature_config`: the sampling temperature of a category
/// (0.7 for a category it does not list).
pub fn temperature(category: &str) -> f32 {
    match category {
        "writing" | "roleplay" => 0.7,
        "extraction" | "math" | "coding" | "reasoning" | "arena-hard-200" => 0.0,
        "stem" | "humanities" => 0.1,
        _ => 0.7,
    }
}

/// How the episode chooses the answer's temperature (option `temperature`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemperatureRule {
    /// FastChat's per-category temperature.
    Category,
    /// 0 everywhere.
    Greedy,
}

/// The state of one question.
#[derive(Debug)]
pub struct MtBenchEpisode {
    item: Item,
    max_tokens: u32,
    temperature: f32,
    started: bool,
    answers: Vec<String>,
    judgments: Vec<(String, Option<String>)>,
}

/// A chat message with role `assistant`.
fn assistant(content: &str) -> Message {
    Message {
        role: "assistant".into(),
        content: content.into(),
    }
}

impl MtBenchEpisode {
    /// The episode of `item`; answers get at most `max_tokens` new tokens.
    pub fn new(item: Item, max_tokens: u32, rule: TemperatureRule) -> Self {
        let temperature = match rule {
            TemperatureRule::Category => temperature(&item.category),
            TemperatureRule::Greedy => 0.0,
        };
        MtBenchEpisode {
            item,
            max_tokens,
            temperature,
            started: false,
            answers: Vec::new(),
            judgments: Vec::new(),
        }
    }

    /// The conversation the model answers at `turn` (0 or 1): the earlier
    /// user turns with the model's (stripped) answers, then this turn.
    pub fn conversation(&self, turn: usize) -> Vec<Message> {
        let mut messages = Vec::new();
        for k in 0..turn {
            messages.push(user(self.item.turns[k].clone()));
            messages.push(assistant(&self.answers[k]));
        }
        messages.push(user(self.item.turns[turn].clone()));
        messages
    }

    fn generate(&self, turn: usize) -> Step {
        let reference = match &self.item.references {
            Some(r) => r[turn].clone(),
            None => GOLD_NO_REFERENCE.to_string(),
        };
        Step::Ask(Query::Generate(GenerateRequest {
            messages: self.conversation(turn),
            params: params(Some(self.max_tokens), &[], Some(self.temperature)),
            reference: Some(reference),
        }))
    }

    /// The judge query rating `turn` (0 or 1).
    ///
    /// # Errors
    /// Returns an error when the prompt cannot be filled (a reference-based
    /// category without references).
    pub fn judge_query(&self, turn: usize) -> Result<Step, Error> {
        let prompt = prompt_for(&self.item.category, turn + 1);
        let answers: Vec<&str> = self.answers.iter().map(String::as_str).collect();
        let text = user_prompt(
            &prompt,
            turn + 1,
            &self.item.turns,
            &answers,
            self.item.references.as_ref(),
        )
        .map_err(|e| Error::new(format!("judge prompt `{}`: {e}", prompt.name)))?;
        Ok(Step::Ask(Query::Judge(GenerateRequest {
            messages: vec![
                Message {
                    role: "system".into(),
                    content: prompt.system_prompt.into(),
                },
                user(text),
            ],
            params: params(Some(JUDGE_MAX_TOKENS), &[], Some(0.0)),
            reference: Some(GOLD_JUDGMENT.into()),
        })))
    }

    fn finish(&self) -> Step {
        let mut metrics: Vec<(&str, f64)> = Vec::new();
        let mut invalid = 0.0;
        let mut turns = Vec::new();
        for (k, (judgment, failure)) in self.judgments.iter().enumerate() {
            let rating = match failure {
                Some(_) => Rating::Missing,
                None => parse(judgment),
            };
            match rating.value() {
                Some(v) => metrics.push((if k == 0 { "score_turn1" } else { "score_turn2" }, v)),
                None => invalid += 1.0,
            }
            turns.push(json!({
                "turn": k + 1,
                "judge_prompt": prompt_for(&self.item.category, k + 1).name,
                "score": rating.value().unwrap_or(NO_RATING),
                "not_a_literal": match &rating { Rating::NotALiteral(m) => Some(m), _ => None },
                "judge_failed": failure,
                "judgment": judgment,
            }));
        }
        metrics.push(("invalid_ratings", invalid));
        let extracted = self
            .judgments
            .iter()
            .map(|(j, _)| match parse(j).value() {
                Some(v) => v.to_string(),
                None => "-1".to_string(),
            })
            .collect::<Vec<_>>()
            .join(",");
        done(
            &metrics,
            Some(extracted),
            &json!({
                "question_id": self.item.question_id,
                "category": self.item.category,
                "judge_prompt_version": JUDGE_PROMPT_VERSION,
                "reference_source": self.item.reference_source,
                "temperature": self.temperature,
                "answers": self.answers,
                "turns": turns,
            }),
        )
    }
}

impl Episode for MtBenchEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.started {
            if answer.is_some() {
                return Err(Error::new("the first step takes no answer"));
            }
            self.started = true;
            return Ok(self.generate(0));
        }
        if self.answers.len() < 2 {
            let text = text_answer(answer).map_err(|e| {
                Error::new(format!("turn {}: {}", self.answers.len() + 1, e.message))
            })?;
            // FastChat strips each answer before it enters the conversation.
            self.answers.push(strip(&text).to_string());
            return if self.answers.len() < 2 {
                Ok(self.generate(1))
            } else {
                self.judge_query(0)
            };
        }
        if self.judgments.len() < 2 {
            // FastChat's API call gives up with "$ERROR$", which rates -1.
            let judged = match answer {
                Some(Answer::Text(t)) => (t, None),
                Some(Answer::Failed(why)) => ("$ERROR$".to_string(), Some(why)),
                _ => return Err(Error::new("expected the judge's text answer")),
            };
            self.judgments.push(judged);
            return if self.judgments.len() < 2 {
                self.judge_query(1)
            } else {
                Ok(self.finish())
            };
        }
        Err(Error::new("the episode is already finished"))
    }
}
