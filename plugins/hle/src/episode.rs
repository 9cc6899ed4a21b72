//! One question: the model's response (reference format), then the judge's
//! verdict.

use scorebox_sdk::step::{done, generate, params, user};
use scorebox_sdk::{Answer, Episode, Error, GenerateRequest, Message, Query, Step};
use serde_json::json;

use crate::judge::{self, JUDGE_PARSER_VERSION};
use crate::load::Item;
use crate::prompt::{self, SystemPrompt};

/// `max_completion_tokens` of the reference's judge call.
pub const JUDGE_MAX_TOKENS: u32 = 4096;

/// How the model is asked (from the options).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ask {
    /// Which system prompt.
    pub system_prompt: SystemPrompt,
    /// `true`: the format instructions go in a `user` message (the
    /// reference's o1 path) instead of a `system` message.
    pub system_as_user: bool,
    /// `max_tokens` of the response; `None`: the backend's default.
    pub max_tokens: Option<u32>,
}

#[derive(Debug)]
enum State {
    Start,
    AwaitResponse,
    AwaitJudgement(String),
    Over,
}

/// The episode of one HLE question.
#[derive(Debug)]
pub struct HleEpisode {
    item: Item,
    ask: Ask,
    state: State,
}

impl HleEpisode {
    /// Starts scoring `item`.
    pub fn new(item: Item, ask: Ask) -> HleEpisode {
        HleEpisode {
            item,
            ask,
            state: State::Start,
        }
    }

    /// The messages of the model query: format instructions, then the question.
    pub fn messages(&self) -> Vec<Message> {
        let role = if self.ask.system_as_user {
            "user"
        } else {
            "system"
        };
        vec![
            Message {
                role: role.into(),
                content: self.ask.system_prompt.text(&self.item.answer_type).into(),
            },
            user(self.item.question.clone()),
        ]
    }

    /// The sample is over without a verdict: wrong, not judged.
    fn unjudged(&self, response: Option<&str>, reply: Option<&str>, why: &str) -> Step {
        done(
            &[("accuracy", 0.0), ("judged", 0.0)],
            None,
            &json!({
                "judged": false,
                "why": why,
                "response": response,
                "judge_reply": reply,
                "answer_type": self.item.answer_type,
                "judge_parser": JUDGE_PARSER_VERSION,
            }),
        )
    }
}

impl Episode for HleEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        match (std::mem::replace(&mut self.state, State::Over), answer) {
            (State::Start, None) => {
                self.state = State::AwaitResponse;
                Ok(generate(
                    self.messages(),
                    // The reference sends temperature 0, except to o1-style
                    // models (system prompt as a user message), which get none.
                    params(
                        self.ask.max_tokens,
                        &[],
                        (!self.ask.system_as_user).then_some(0.0),
                    ),
                    Some(prompt::gold_response(&self.item.answer)),
                ))
            }
            (State::AwaitResponse, Some(Answer::Text(response))) => {
                let step = Step::Ask(Query::Judge(GenerateRequest {
                    messages: vec![user(prompt::judge_prompt(
                        &self.item.question,
                        &response,
                        &self.item.answer,
                    ))],
                    params: params(Some(JUDGE_MAX_TOKENS), &[], None),
                    reference: Some(prompt::gold_judgement(&self.item.answer)),
                }));
                self.state = State::AwaitJudgement(response);
                Ok(step)
            }
            (State::AwaitResponse, Some(Answer::Failed(why))) => {
                Ok(self.unjudged(None, None, &format!("the model could not answer: {why}")))
            }
            (State::AwaitJudgement(response), Some(Answer::Text(reply))) => {
                match judge::parse(&reply) {
                    Ok(v) => Ok(done(
                        &[
                            ("accuracy", f64::from(u8::from(v.correct))),
                            ("judged", 1.0),
                        ],
                        v.extracted_final_answer.clone(),
                        &json!({
                            "judged": true,
                            "correct": if v.correct { "yes" } else { "no" },
                            "confidence": v.confidence,
                            "reasoning": v.reasoning,
                            "response": response,
                            "answer_type": self.item.answer_type,
                            "judge_parser": JUDGE_PARSER_VERSION,
                        }),
                    )),
                    Err(why) => Ok(self.unjudged(Some(&response), Some(&reply), &why)),
                }
            }
            (State::AwaitJudgement(response), Some(Answer::Failed(why))) => Ok(self.unjudged(
                Some(&response),
                None,
                &format!("the judge could not answer: {why}"),
            )),
            (State::Over, _) => Err(Error::new("the episode is over")),
            (_, other) => Err(Error::new(format!(
                "unexpected answer at this step: {}",
                match other {
                    None => "none",
                    Some(Answer::Scores(_)) => "log-likelihood scores",
                    Some(_) => "an answer before any query",
                }
            ))),
        }
    }
}
