//! One sample: the official prompt (middle-truncated), one greedy
//! generation, the dataset's metric.

use scorebox_sdk::{Answer, Episode, Error, Sample, Step, step};
use serde_json::json;

use crate::load::Row;
use crate::metric::{self, Outcome};
use crate::prompt::{self, Truncated};
use crate::{Config, Dataset, Mode, dataset};

/// The state of one LV-Eval sample.
pub struct LvEvalEpisode {
    row: Row,
    dataset: &'static Dataset,
    mode: Mode,
    prompt: String,
    truncated: Truncated,
    asked: bool,
}

impl LvEvalEpisode {
    /// Builds the prompt of `sample` under `config`.
    ///
    /// # Errors
    /// When the sample's data is not this loader's.
    pub fn new(sample: &Sample, config: &Config) -> Result<LvEvalEpisode, Error> {
        let row: Row = serde_json::from_str(&sample.data).map_err(|e| {
            Error::new(format!(
                "sample data is not this plugin's loader output: {e}"
            ))
        })?;
        let dataset = dataset(&row.dataset)
            .ok_or_else(|| Error::new(format!("unknown dataset `{}`", row.dataset)))?;
        let full = prompt::format(dataset.prompt, &row.context, &row.input);
        let (prompt, truncated) =
            prompt::truncate(&full, config.unit(dataset.language), config.max_length);
        Ok(LvEvalEpisode {
            row,
            dataset,
            mode: config.mode,
            prompt,
            truncated,
            asked: false,
        })
    }

    /// The prompt sent to the model (after truncation).
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// Scores `prediction` as the mode says: the first answer only
    /// (`reference`, as `evaluation.py`'s loop `break`s), or the best answer
    /// (`corrected`). Returns the score, the answer's index and its outcome.
    ///
    /// # Errors
    /// Where the reference raises (`reference` mode).
    pub fn score(&self, prediction: &str) -> Result<(f64, usize, Outcome), Error> {
        let keywords = self.row.answer_keywords.as_deref();
        let answers = match self.mode {
            Mode::Reference => &self.row.answers[..1],
            Mode::Corrected => &self.row.answers[..],
        };
        let mut best: Option<(f64, usize, Outcome)> = None;
        for (i, truth) in answers.iter().enumerate() {
            let outcome =
                metric::score(self.dataset.metric, self.mode, prediction, truth, keywords)
                    .map_err(|e| {
                        Error::new(format!(
                            "the reference cannot score this sample ({}; its evaluation.py stops \
                         here); mode=corrected scores it",
                            e.0
                        ))
                    })?;
            // `score = max(score, metric(...))`, starting from 0.0.
            let value = outcome.score.max(0.0);
            if best.as_ref().is_none_or(|b| value > b.0) {
                best = Some((value, i, outcome));
            }
        }
        best.ok_or_else(|| Error::new("the sample has no answer"))
    }
}

impl Episode for LvEvalEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(step::generate(
                vec![step::user(self.prompt.clone())],
                step::params(Some(self.dataset.max_gen), &[], None),
                Some(self.row.answers[0].clone()),
            ));
        }
        let prediction = step::text_answer(answer)?;
        let (value, index, outcome) = self.score(&prediction)?;
        let mut details = json!({
            "dataset": self.dataset.name,
            "level": self.row.level,
            "metric": self.dataset.metric.name(),
            "mode": self.mode.name(),
            "answer_index": index,
            "prompt_length": self.truncated.length,
            "truncated": self.truncated.cut,
        });
        if let (Some(d), Some(o)) = (details.as_object_mut(), outcome.details.as_object()) {
            d.extend(o.clone());
        }
        Ok(step::done(&[("score", value)], Some(prediction), &details))
    }
}
