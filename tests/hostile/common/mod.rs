//! The well-behaved parts shared by the fixtures (included into each crate
//! with `#[path]`, so it sees that crate's generated bindings): plugin info,
//! the `ok-*` samples and episode, and a mean-`acc` report. Only the hostile
//! parts live in each fixture's own `lib.rs`.

// Each fixture uses a different subset of these helpers.
#![allow(dead_code)]

use crate::scorebox::bench::types::{
    AggregateMetric, Answer, Error, GenerateRequest, GenerationParams, Level, Loaded, LoadedSet,
    Message, MetricInfo, MetricValue, OptionValue, PluginInfo, Query, Report, Sample, SampleScore,
    ScoredSample, Step, TaskReport,
};
use core::cell::Cell;

/// `info()` of every fixture: version 0.1.0, one metric `acc`, no
/// capabilities, no options.
pub fn info(name: &str, description: &str) -> PluginInfo {
    PluginInfo {
        name: name.into(),
        version: "0.1.0".into(),
        description: description.into(),
        subtasks: Vec::new(),
        options: Vec::new(),
        metrics: vec![MetricInfo {
            name: "acc".into(),
            higher_is_better: true,
            description: "1 when the model answered `yes`, else 0.".into(),
        }],
        capabilities: Vec::new(),
        data: Vec::new(),
    }
}

/// A sample whose id is `id` (the behaviour it triggers), subtask "".
pub fn sample(id: &str) -> Loaded {
    Loaded::Sample(Sample {
        id: id.into(),
        subtask: String::new(),
        data: format!("{{\"behaviour\":\"{id}\"}}"),
        target: "yes".into(),
    })
}

/// What `load` returns: `items`, with no shared data (`shared` empty).
pub fn loaded_set(items: Vec<Loaded>) -> LoadedSet {
    LoadedSet {
        items,
        shared: String::new(),
    }
}

/// `prepare` of every fixture: accepts whatever it is given.
pub fn prepare(_shared: String, _options: Vec<OptionValue>) -> Result<(), Error> {
    Ok(())
}

/// `ok-1`, `ok-2`, ... `ok-n`.
pub fn ok_samples(n: usize) -> Vec<Loaded> {
    (1..=n).map(|i| sample(&format!("ok-{i}"))).collect()
}

/// A one-query episode: asks the model for `yes` (the `gold` model's
/// reference), then scores acc = 1 if it said so.
pub struct OkEpisode {
    asked: Cell<bool>,
}

impl OkEpisode {
    pub fn new() -> Self {
        Self {
            asked: Cell::new(false),
        }
    }

    pub fn step(&self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked.replace(true) {
            return Ok(Step::Ask(Query::Generate(yes_request())));
        }
        match answer {
            Some(Answer::Text(text)) => {
                let acc = if text.trim() == "yes" { 1.0 } else { 0.0 };
                Ok(done(acc, Some(text), "{}".into()))
            }
            // The model could not answer: an ordinary wrong answer.
            Some(Answer::Failed(_)) => Ok(done(0.0, None, "{}".into())),
            Some(Answer::Scores(_)) => Err(error("ok episode: got scores to a generate query")),
            None => Err(error("ok episode: step(none) after the first step")),
        }
    }
}

/// The generate request of an `ok-*` sample.
pub fn yes_request() -> GenerateRequest {
    GenerateRequest {
        messages: vec![Message {
            role: "user".into(),
            content: "Answer with the single word yes.".into(),
        }],
        params: GenerationParams {
            max_tokens: Some(8),
            stop: Vec::new(),
            temperature: None,
        },
        reference: Some("yes".into()),
    }
}

/// A finished sample scoring `acc`.
pub fn done(acc: f64, extracted: Option<String>, details: String) -> Step {
    Step::Done(SampleScore {
        metrics: vec![MetricValue {
            name: "acc".into(),
            value: acc,
        }],
        extracted,
        details,
    })
}

pub fn error(message: &str) -> Error {
    Error {
        message: message.into(),
    }
}

/// One task `name`: `acc` = mean of the samples' `acc` (0 when there are
/// none), `samples` = how many were handed over; no revised sample scores.
pub fn mean_report(name: &str, samples: &[ScoredSample]) -> Report {
    let total: f64 = samples
        .iter()
        .flat_map(|s| &s.score.metrics)
        .filter(|m| m.name == "acc")
        .map(|m| m.value)
        .sum();
    let mean = if samples.is_empty() {
        0.0
    } else {
        total / samples.len() as f64
    };
    Report {
        tasks: vec![TaskReport {
            name: name.into(),
            level: Level::Task,
            samples: samples.len() as u32,
            metrics: vec![AggregateMetric {
                name: "acc".into(),
                filter: "none".into(),
                value: mean,
                stderr: None,
            }],
        }],
        revised: Vec::new(),
    }
}
