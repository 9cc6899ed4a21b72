//! Driving one sample's episode: step, answer the query, step again, until
//! the scorer is done.

use crate::model::{Model, QueryContext};
use crate::runtime::wit::{Answer, Capability, EpisodeConfig, Query, Sample, SampleScore, Step};
use crate::runtime::{Fault, PluginError, PluginInstance};

use super::seed;

/// The models an episode may ask, and what the scorer is allowed to ask.
pub struct Answerers<'a> {
    /// The model under test.
    pub model: &'a dyn Model,
    /// The judge, if the user gave one.
    pub judge: Option<&'a dyn Model>,
    /// The scorer's declared capabilities.
    pub capabilities: &'a [Capability],
    /// Metric names the scorer declared.
    pub metrics: &'a [String],
    /// Most queries one episode may ask.
    pub max_steps: u32,
}

/// One query and the answer it got.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// What the scorer asked.
    pub query: Query,
    /// What it was told.
    pub answer: Answer,
}

/// A sample scored successfully.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The scorer's verdict.
    pub score: SampleScore,
    /// Every query of the episode with its answer, in order.
    pub exchanges: Vec<Exchange>,
}

/// Why a sample could not be scored.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EpisodeError {
    /// The plugin failed.
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// The model could not answer.
    #[error("sample `{sample}`: {source}")]
    Model {
        /// The sample.
        sample: String,
        /// The model's error.
        #[source]
        source: crate::model::ModelError,
    },
    /// The run's configuration does not allow what the plugin asked.
    #[error("sample `{sample}`: {message}")]
    Refused {
        /// The sample.
        sample: String,
        /// Why.
        message: String,
    },
}

/// Scores `sample` in `instance`. On a plugin fault the instance may be
/// poisoned; the caller replaces it.
///
/// # Errors
/// [`EpisodeError`] naming the plugin, sample and cause.
pub fn score_sample(
    instance: &mut PluginInstance,
    sample: &Sample,
    episode_seed: u64,
    options: &[crate::runtime::wit::OptionValue],
    answerers: &Answerers<'_>,
) -> Result<Scored, EpisodeError> {
    let config = EpisodeConfig {
        seed: episode_seed,
        options: options.to_vec(),
    };
    let episode = instance.start_episode(sample, &config)?;
    let result = drive(instance, &episode, sample, episode_seed, answerers);
    instance.finish_episode(episode);
    result
}

fn drive(
    instance: &mut PluginInstance,
    episode: &crate::runtime::Episode,
    sample: &Sample,
    episode_seed: u64,
    answerers: &Answerers<'_>,
) -> Result<Scored, EpisodeError> {
    let mut exchanges: Vec<Exchange> = Vec::new();
    let (mut generations, mut choices) = (0u32, 0u32);
    let mut answer: Option<Answer> = None;
    for step in 0.. {
        let step_seed = seed::step(episode_seed, step);
        let query = match instance.step(episode, answer.as_ref(), step_seed)? {
            Step::Done(score) => {
                validate(instance, sample, &score, answerers)?;
                return Ok(Scored { score, exchanges });
            }
            Step::Ask(query) => query,
        };
        if step >= answerers.max_steps {
            return Err(protocol(
                instance,
                sample,
                format!(
                    "asked more than {} queries in one episode",
                    answerers.max_steps
                ),
            ));
        }
        let kind_index = match &query {
            Query::Choose(_) => &mut choices,
            Query::Generate(_) | Query::Judge(_) => &mut generations,
        };
        let cx = QueryContext {
            sample,
            step,
            kind_index: *kind_index,
            seed: step_seed,
        };
        *kind_index += 1;
        let model = match &query {
            Query::Judge(_) => {
                if !answerers.capabilities.contains(&Capability::Judge) {
                    return Err(protocol(
                        instance,
                        sample,
                        "asked a judge query but does not declare the `judge` capability".into(),
                    ));
                }
                answerers.judge.ok_or_else(|| EpisodeError::Refused {
                    sample: sample.id.clone(),
                    message: format!(
                        "{} asks a judge model; pass --judge MODEL",
                        instance.plugin().id()
                    ),
                })?
            }
            _ => answerers.model,
        };
        let reply = model
            .answer(&cx, &query)
            .map_err(|source| EpisodeError::Model {
                sample: sample.id.clone(),
                source,
            })?;
        exchanges.push(Exchange {
            query,
            answer: reply.clone(),
        });
        answer = Some(reply);
    }
    unreachable!("the loop returns")
}

fn validate(
    instance: &PluginInstance,
    sample: &Sample,
    score: &SampleScore,
    answerers: &Answerers<'_>,
) -> Result<(), EpisodeError> {
    for metric in &score.metrics {
        if !answerers.metrics.iter().any(|m| m == &metric.name) {
            return Err(protocol(
                instance,
                sample,
                format!(
                    "reported metric `{}` which its info does not declare",
                    metric.name
                ),
            ));
        }
        if !metric.value.is_finite() {
            return Err(protocol(
                instance,
                sample,
                format!("reported a non-finite value for `{}`", metric.name),
            ));
        }
    }
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&score.details) {
        let start: String = score.details.chars().take(60).collect();
        return Err(protocol(
            instance,
            sample,
            format!("returned details that are not JSON ({e}): `{start}`"),
        ));
    }
    Ok(())
}

fn protocol(instance: &PluginInstance, sample: &Sample, message: String) -> EpisodeError {
    EpisodeError::Plugin(PluginError {
        plugin: instance.plugin().id().clone(),
        sample: Some(sample.id.clone()),
        call: "step",
        fault: Fault::Protocol { message },
    })
}
