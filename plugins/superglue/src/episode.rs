//! One sample's episode: one `choose` (log-likelihood) or `generate`
//! (t5-prompt) query, then the per-sample scores and the details the
//! corpus-level metrics need (predictions and gold labels, MultiRC question
//! keys, ReCoRD answer counts).

use scorebox_metrics::squad::{exact, f1_official, f1_transformers, max_over_golds};
use scorebox_sdk::metrics::{argmax, indicator};
use scorebox_sdk::normalize::ExactMatch;
use scorebox_sdk::{Answer, Episode, Error, Sample, Step, step};
use serde_json::{Value, json};

use crate::prompt::{self, ChooseQuery};
use crate::row::{Row, label_names};
use crate::{Mode, Variant};

/// lm-eval's default `max_gen_toks` (the t5-prompt tasks set none).
pub const MAX_TOKENS: u32 = 256;

/// The t5-prompt tasks' stop sequence.
pub const STOP: &str = "</s>";

enum State {
    Start,
    Choose(ChooseQuery),
    Generate {
        reference: String,
        note: Option<String>,
    },
    Finished,
}

/// The scoring of one SuperGLUE sample.
pub struct SuperGlueEpisode {
    row: Row,
    variant: Variant,
    mode: Mode,
    state: State,
}

impl SuperGlueEpisode {
    /// Starts scoring `sample`.
    ///
    /// # Errors
    /// When the sample data is not a row of this plugin's loader.
    pub fn new(sample: &Sample, variant: Variant, mode: Mode) -> Result<Self, Error> {
        let row: Row = serde_json::from_str(&sample.data).map_err(|e| {
            Error::new(format!(
                "sample `{}`: data is not a SuperGLUE row of this loader ({e})",
                sample.id
            ))
        })?;
        Ok(SuperGlueEpisode {
            row,
            variant,
            mode,
            state: State::Start,
        })
    }
}

impl Episode for SuperGlueEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Start => Ok(self.ask()?),
            State::Choose(query) => {
                let scores = step::scores_answer(answer, query.continuations.len())?;
                let lls: Vec<f64> = scores.iter().map(|s| s.logprob).collect();
                Ok(score_choice(&self.row, self.mode, &query, &lls))
            }
            State::Generate { reference, note } => {
                let text = step::text_answer(answer)?;
                Ok(score_generation(
                    &self.row, self.mode, &text, &reference, note,
                ))
            }
            State::Finished => Err(Error::new("the episode is already finished")),
        }
    }
}

impl SuperGlueEpisode {
    fn ask(&mut self) -> Result<Step, Error> {
        match self.variant {
            Variant::Loglikelihood => {
                let query = prompt::choose_query(&self.row, self.mode);
                let asked = step::choose(
                    query.context.clone(),
                    query.continuations.clone(),
                    Some(query.gold as u32),
                );
                self.state = State::Choose(query);
                Ok(asked)
            }
            Variant::Generative => {
                let (input, note) = prompt::t5_input(&self.row).map_err(Error::new)?;
                let reference = prompt::t5_reference(&self.row);
                let asked = step::generate(
                    vec![step::user(input)],
                    step::params(Some(MAX_TOKENS), &[STOP], None),
                    Some(reference.clone()),
                );
                self.state = State::Generate { reference, note };
                Ok(asked)
            }
        }
    }
}

fn with_note(mut details: Value, note: Option<String>) -> Value {
    if let Some(n) = note {
        details["note"] = Value::String(n);
    }
    details
}

/// The MultiRC question keys: lm-eval's t5 task groups by `idx.question`,
/// the official metric by `paragraph-question`.
fn multirc_keys(row: &Row) -> Value {
    match row {
        Row::Multirc {
            paragraph_idx,
            question_idx,
            ..
        } => json!({
            "question_key": question_idx.to_string(),
            "paragraph_question_key": format!("{paragraph_idx}-{question_idx}"),
        }),
        _ => json!({}),
    }
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// Scores a log-likelihood answer.
pub fn score_choice(row: &Row, mode: Mode, query: &ChooseQuery, lls: &[f64]) -> Step {
    let pred = argmax(lls).unwrap_or(0);
    match row {
        Row::Record { answers, .. } => {
            let golds = prompt::sorted_unique(answers);
            let entity = match row {
                Row::Record { entities, .. } => prompt::sorted_unique(entities)[pred].clone(),
                _ => unreachable!(),
            };
            let f1_fn = match mode {
                Mode::Reference => f1_transformers,
                Mode::Corrected => f1_official,
            };
            let f1 = max_over_golds(f1_fn, &entity, &golds).unwrap_or(0.0);
            let em = max_over_golds(|p, g| indicator(exact(p, g)), &entity, &golds).unwrap_or(0.0);
            step::done(
                &[("f1", f1), ("em", em)],
                Some(entity),
                &with_note(json!({"pred": pred}), query.note.clone()),
            )
        }
        Row::Multirc { label, .. } => {
            let acc = indicator(pred == query.gold);
            // The answer-option label the model predicts: lm-eval compares the
            // chosen index with the label, so index 1 (`no`) means "correct".
            let pred_label = match mode {
                Mode::Reference => pred as u8,
                Mode::Corrected => 1 - pred as u8,
            };
            let details = merge(
                json!({"pred": pred_label, "label": label}),
                multirc_keys(row),
            );
            step::done(
                &[("acc", acc)],
                Some(label_names(row.task())[pred_label as usize].to_string()),
                &with_note(details, query.note.clone()),
            )
        }
        _ => {
            let acc = indicator(pred == query.gold);
            let extracted = query.continuations[pred].trim_start().to_string();
            step::done(
                &[("acc", acc)],
                Some(extracted),
                &with_note(
                    json!({"pred": pred, "gold": query.gold}),
                    query.note.clone(),
                ),
            )
        }
    }
}

/// Scores a generated answer (t5-prompt rules).
pub fn score_generation(
    row: &Row,
    mode: Mode,
    text: &str,
    reference: &str,
    note: Option<String>,
) -> Step {
    let em_rule = ExactMatch::CASE_AND_PUNCTUATION;
    match row {
        Row::Record { answers, .. } => {
            let f1 = max_over_golds(f1_official, text, answers).unwrap_or(0.0);
            let em = max_over_golds(|p, g| indicator(exact(p, g)), text, answers).unwrap_or(0.0);
            step::done(
                &[("em", em), ("f1", f1)],
                Some(text.to_string()),
                &with_note(json!({"answers": answers.len()}), note),
            )
        }
        Row::Multirc { label, .. } => {
            // `string_label.index(prediction)` for an exact `False`/`True`,
            // otherwise `not bool(reference)`: always wrong.
            let pred = match text {
                "False" => 0,
                "True" => 1,
                _ => 1 - *label,
            };
            let details = merge(json!({"pred": pred, "label": label}), multirc_keys(row));
            step::done(&[], Some(text.to_string()), &with_note(details, note))
        }
        Row::Wsc {
            span1_text, label, ..
        } => {
            let referent = prompt::wsc_predicts_referent(text, span1_text);
            let accuracy = indicator(referent == (*label == 1));
            step::done(
                &[("accuracy", accuracy)],
                Some(text.to_string()),
                &with_note(json!({"predicted_referent": referent}), note),
            )
        }
        Row::Cb { label, .. } => {
            let names = label_names(row.task());
            let em = em_rule.score(text, reference);
            // t5 `mean_3class_f1`: the class named exactly, else class 0;
            // corrected: the class exact_match accepts, else no class (-1).
            let pred: i64 = match mode {
                Mode::Reference => names.iter().position(|n| *n == text).unwrap_or(0) as i64,
                Mode::Corrected => names
                    .iter()
                    .position(|n| em_rule.matches(text, n))
                    .map_or(-1, |i| i as i64),
            };
            step::done(
                &[("exact_match", em)],
                Some(text.to_string()),
                &with_note(json!({"pred": pred, "gold": label}), note),
            )
        }
        _ => {
            let em = em_rule.score(text, reference);
            step::done(
                &[("exact_match", em)],
                Some(text.to_string()),
                &with_note(json!({"gold": reference}), note),
            )
        }
    }
}
