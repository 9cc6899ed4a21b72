//! Small constructors for queries, steps and sample scores, and readers for
//! the host's answers.

use crate::{
    Answer, ChooseRequest, ContinuationScore, Error, GenerateRequest, GenerationParams, Message,
    MetricValue, Query, SampleScore, Step,
};

/// A chat message with role `user`.
pub fn user(content: impl Into<String>) -> Message {
    Message {
        role: "user".into(),
        content: content.into(),
    }
}

/// Decoding parameters; `temperature: None` means greedy.
pub fn params(
    max_tokens: Option<u32>,
    stop: &[&str],
    temperature: Option<f32>,
) -> GenerationParams {
    GenerationParams {
        max_tokens,
        stop: stop.iter().map(|s| s.to_string()).collect(),
        temperature,
    }
}

/// Ask the model under test to generate. `reference` is what a perfect model
/// would answer (the host's `gold` model answers with it).
pub fn generate(
    messages: Vec<Message>,
    params: GenerationParams,
    reference: Option<String>,
) -> Step {
    Step::Ask(Query::Generate(GenerateRequest {
        messages,
        params,
        reference,
    }))
}

/// Ask the model under test for the log-likelihood of each continuation
/// after `context`. `reference` is the index of the correct continuation.
pub fn choose(context: String, continuations: Vec<String>, reference: Option<u32>) -> Step {
    Step::Ask(Query::Choose(ChooseRequest {
        context,
        continuations,
        reference,
    }))
}

/// The sample is finished, with these metric values, extracted answer and
/// details (serialised as JSON text).
pub fn done(
    metrics: &[(&str, f64)],
    extracted: Option<String>,
    details: &serde_json::Value,
) -> Step {
    Step::Done(SampleScore {
        metrics: metrics
            .iter()
            .map(|(name, value)| MetricValue {
                name: name.to_string(),
                value: *value,
            })
            .collect(),
        extracted,
        details: details.to_string(),
    })
}

fn describe(answer: &Option<Answer>) -> &'static str {
    match answer {
        None => "no answer",
        Some(Answer::Text(_)) => "a text answer",
        Some(Answer::Scores(_)) => "log-likelihood scores",
        Some(Answer::Failed(_)) => "a failure",
    }
}

/// The text of a `generate` answer.
///
/// # Errors
/// Returns an error when the model failed (the sample then fails rather than
/// scoring 0, so a broken backend is visible) or the answer is not text.
pub fn text_answer(answer: Option<Answer>) -> Result<String, Error> {
    match answer {
        Some(Answer::Text(t)) => Ok(t),
        Some(Answer::Failed(why)) => Err(Error::new(format!("the model could not answer: {why}"))),
        other => Err(Error::new(format!(
            "expected a text answer, got {}",
            describe(&other)
        ))),
    }
}

/// The log-likelihoods of a `choose` answer, checked to hold `expected` scores.
///
/// # Errors
/// Returns an error when the model failed, the answer is not scores, or the
/// count differs.
pub fn scores_answer(
    answer: Option<Answer>,
    expected: usize,
) -> Result<Vec<ContinuationScore>, Error> {
    match answer {
        Some(Answer::Scores(s)) if s.len() == expected => Ok(s),
        Some(Answer::Scores(s)) => Err(Error::new(format!(
            "expected {expected} continuation scores, got {}",
            s.len()
        ))),
        Some(Answer::Failed(why)) => Err(Error::new(format!("the model could not answer: {why}"))),
        other => Err(Error::new(format!(
            "expected log-likelihood scores, got {}",
            describe(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(text_answer(Some(Answer::Text("x".into()))).unwrap(), "x");
        assert!(
            text_answer(Some(Answer::Failed("503".into())))
                .unwrap_err()
                .message
                .contains("503")
        );
        assert!(text_answer(None).is_err());
        let s = vec![ContinuationScore {
            logprob: 0.0,
            is_greedy: true,
        }];
        assert_eq!(
            scores_answer(Some(Answer::Scores(s.clone())), 1).unwrap(),
            s
        );
        assert!(scores_answer(Some(Answer::Scores(s)), 2).is_err());
    }

    #[test]
    fn steps() {
        let d = done(
            &[("acc", 1.0)],
            Some("B".into()),
            &serde_json::json!({"k": 1}),
        );
        let Step::Done(score) = d else { panic!() };
        assert_eq!(score.metrics[0].name, "acc");
        assert_eq!(score.details, r#"{"k":1}"#);
        let Step::Ask(Query::Choose(c)) = choose("ctx".into(), vec![" A".into()], Some(0)) else {
            panic!()
        };
        assert_eq!(c.reference, Some(0));
    }
}
