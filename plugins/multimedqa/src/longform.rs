//! The long-form sets: the model answers the question (one `generate`
//! query), then the judge rates the answer on each selected axis (one
//! `judge` query per axis); each axis's metric is 1 when the answer got the
//! axis's best grade.

use scorebox_sdk::metrics::indicator;
use scorebox_sdk::step::{done, generate, params, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, GenerateRequest, Message, Query, Step};
use serde_json::{Map, Value, json};

use crate::judge::{
    Axis, JUDGE_PROMPT_VERSION, best_reply, option_letter, parse_rating, system_prompt, user_prompt,
};

/// Tokens the judge may use for its short justification and rating.
pub const JUDGE_MAX_TOKENS: u32 = 512;

/// What the `gold` model answers when the dataset gives no reference answer.
pub const NO_REFERENCE: &str = "(The dataset gives no reference answer for this question.)";

/// How much of an unparseable judge reply an error message quotes.
const QUOTE_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Answering,
    Judging(usize),
    Finished,
}

/// One long-form episode.
#[derive(Debug)]
pub struct LongFormEpisode {
    question: String,
    references: Vec<String>,
    show_references: bool,
    axes: Vec<&'static Axis>,
    max_tokens: u32,
    state: State,
    answer: String,
    grades: Vec<usize>,
}

impl LongFormEpisode {
    /// The episode of `question`, judged on `axes`; `show_references` puts
    /// the dataset's reference answers into the judge prompt.
    pub fn new(
        question: String,
        references: Vec<String>,
        axes: Vec<&'static Axis>,
        show_references: bool,
        max_tokens: u32,
    ) -> LongFormEpisode {
        LongFormEpisode {
            question,
            references,
            show_references,
            axes,
            max_tokens,
            state: State::Start,
            answer: String::new(),
            grades: Vec::new(),
        }
    }

    /// The judge query for axis `i`.
    pub fn judge_query(&self, i: usize) -> Step {
        let axis = self.axes[i];
        let refs: &[String] = if self.show_references {
            &self.references
        } else {
            &[]
        };
        Step::Ask(Query::Judge(GenerateRequest {
            messages: vec![
                Message {
                    role: "system".into(),
                    content: system_prompt(axis).into(),
                },
                user(user_prompt(axis, &self.question, &self.answer, refs)),
            ],
            params: params(Some(JUDGE_MAX_TOKENS), &[], Some(0.0)),
            reference: Some(best_reply()),
        }))
    }

    fn finish(&mut self) -> Step {
        self.state = State::Finished;
        let metrics: Vec<(&str, f64)> = self
            .axes
            .iter()
            .zip(&self.grades)
            .map(|(a, g)| (a.metric, indicator(*g == 0)))
            .collect();
        let mut ratings = Map::new();
        for (a, g) in self.axes.iter().zip(&self.grades) {
            ratings.insert(
                a.key.to_string(),
                json!({
                    "grade": option_letter(*g).to_string(),
                    "option": a.options[*g],
                    "favourable": *g == 0,
                }),
            );
        }
        done(
            &metrics,
            None,
            &json!({
                "judge_prompt_version": JUDGE_PROMPT_VERSION,
                "answer": self.answer,
                "references_shown": self.show_references && !self.references.is_empty(),
                "ratings": Value::Object(ratings),
            }),
        )
    }
}

fn quote(s: &str) -> String {
    let mut out: String = s.chars().take(QUOTE_CHARS).collect();
    if s.chars().count() > QUOTE_CHARS {
        out.push('…');
    }
    out
}

impl Episode for LongFormEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        match self.state {
            State::Start => {
                self.state = State::Answering;
                let reference = self
                    .references
                    .first()
                    .cloned()
                    .unwrap_or_else(|| NO_REFERENCE.to_string());
                Ok(generate(
                    vec![user(self.question.clone())],
                    params(Some(self.max_tokens), &[], Some(0.0)),
                    Some(reference),
                ))
            }
            State::Answering => {
                self.answer = text_answer(answer)?;
                if self.axes.is_empty() {
                    return Ok(self.finish());
                }
                self.state = State::Judging(0);
                Ok(self.judge_query(0))
            }
            State::Judging(i) => {
                let axis = self.axes[i];
                let reply = text_answer(answer).map_err(|e| {
                    Error::new(format!("judge, axis `{}`: {}", axis.key, e.message))
                })?;
                let Some(grade) = parse_rating(&reply, axis) else {
                    let letters: Vec<String> = (0..axis.options.len())
                        .map(|k| option_letter(k).to_string())
                        .collect();
                    return Err(Error::new(format!(
                        "the judge's reply for axis `{}` gives no rating (expected a line \
                         `Rating: <{}>`; {JUDGE_PROMPT_VERSION}); the sample is not scored. \
                         Reply: {:?}",
                        axis.key,
                        letters.join("|"),
                        quote(&reply)
                    )));
                };
                self.grades.push(grade);
                if i + 1 < self.axes.len() {
                    self.state = State::Judging(i + 1);
                    Ok(self.judge_query(i + 1))
                } else {
                    Ok(self.finish())
                }
            }
            State::Finished => Err(Error::new("the episode is already finished")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::select_axes;
    use scorebox_sdk::testing::gold;

    fn episode(axes: &str, refs: Vec<String>, show: bool) -> LongFormEpisode {
        LongFormEpisode::new(
            "Why do knees click?".into(),
            refs,
            select_axes(axes).unwrap(),
            show,
            1024,
        )
    }

    #[test]
    fn gold_answers_get_every_favourable_grade() {
        let mut ep = episode("all", vec!["Gas bubbles.".into()], true);
        let mut answer = None;
        let mut judge_queries = 0;
        let score = loop {
            match ep.step(answer.take()).unwrap() {
                Step::Ask(q) => {
                    if let Query::Judge(j) = &q {
                        judge_queries += 1;
                        assert_eq!(j.messages[0].role, "system");
                        assert!(
                            j.messages[1]
                                .content
                                .contains("<answer>\nGas bubbles.\n</answer>")
                        );
                        assert!(j.messages[1].content.contains("<reference>"));
                    }
                    answer = Some(gold(&q));
                }
                Step::Done(s) => break s,
            }
        };
        assert_eq!(judge_queries, 14);
        assert_eq!(score.metrics.len(), 14);
        assert!(score.metrics.iter().all(|m| m.value == 1.0));
        let details: Value = serde_json::from_str(&score.details).unwrap();
        assert_eq!(details["judge_prompt_version"], JUDGE_PROMPT_VERSION);
        assert_eq!(details["ratings"]["harm_extent"]["option"], "No harm");
    }

    #[test]
    fn an_unparseable_or_failed_judge_reply_fails_the_sample() {
        let mut ep = episode("bias,intent", Vec::new(), true);
        let Step::Ask(Query::Generate(g)) = ep.step(None).unwrap() else {
            panic!()
        };
        assert_eq!(g.reference.as_deref(), Some(NO_REFERENCE));
        let Step::Ask(Query::Judge(j)) = ep.step(Some(Answer::Text("Rest.".into()))).unwrap()
        else {
            panic!()
        };
        assert!(!j.messages[1].content.contains("<reference>"));
        ep.step(Some(Answer::Text("Rating: B".into()))).unwrap();
        let e = ep
            .step(Some(Answer::Text("the river is blue".into())))
            .unwrap_err();
        assert!(
            e.message.contains("axis `intent` gives no rating"),
            "{}",
            e.message
        );
        assert!(e.message.contains("the river is blue"), "{}", e.message);

        let mut ep = episode("bias", Vec::new(), false);
        ep.step(None).unwrap();
        ep.step(Some(Answer::Text("x".into()))).unwrap();
        let e = ep.step(Some(Answer::Failed("503".into()))).unwrap_err();
        assert!(e.message.contains("judge, axis `bias`"), "{}", e.message);
    }

    #[test]
    fn grades_become_metrics() {
        let mut ep = episode("consensus,bias", vec!["r".into()], false);
        ep.step(None).unwrap();
        let Step::Ask(Query::Judge(j)) = ep.step(Some(Answer::Text("x".into()))).unwrap() else {
            panic!()
        };
        assert!(
            !j.messages[1].content.contains("<reference>"),
            "references hidden by default"
        );
        ep.step(Some(Answer::Text("Rating: C".into()))).unwrap();
        let Step::Done(s) = ep.step(Some(Answer::Text("Rating: A".into()))).unwrap() else {
            panic!()
        };
        let got: Vec<(&str, f64)> = s
            .metrics
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect();
        assert_eq!(got, [("aligned_with_consensus", 0.0), ("no_bias", 1.0)]);
    }
}
