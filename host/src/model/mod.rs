//! Models that answer the scorer's queries. Built in: `gold` (the
//! reference answer, a standing self-check that every scorer reaches its
//! maximum), `random[:SEED]` (a chance baseline) and `replay:FILE` (saved
//! responses). With the `local` feature (default): `local:<path.gguf>` and
//! `smollm2`, a GGUF model in process.

mod builtin;
mod cache;
#[cfg(feature = "local")]
pub mod local;
mod openai;
mod probe;
mod replay;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use builtin::{Gold, RandomModel};
pub use cache::{CacheError, RequestCache};
#[cfg(feature = "local")]
pub use local::{Local, LocalSettings};
pub use openai::{OpenAi, ServerSettings};
pub use replay::Replay;

use crate::runtime::wit::{Answer, GenerationParams, Query};

/// Why a model could not answer; fails that sample only.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("model {model}: {message}")]
pub struct ModelError {
    /// The model spec.
    pub model: String,
    /// What went wrong.
    pub message: String,
}

/// One query as a model receives it.
#[derive(Debug, Clone)]
pub struct ModelRequest {
    /// The benchmark asking.
    pub benchmark: String,
    /// The sample being scored.
    pub sample: String,
    /// Zero-based index of this query within the sample's episode.
    pub step: u32,
    /// Zero-based index among the episode's queries of the same kind
    /// (generations, choices), for replaying multi-turn responses.
    pub kind_index: u32,
    /// Seed for this query, derived from the run seed, sample id and step.
    pub seed: u64,
    /// What is asked.
    pub query: Query,
}

/// A future result of a model call, owning everything it needs.
pub type AnswerFutureOf<T> = Pin<Box<dyn Future<Output = Result<T, ModelError>> + Send + 'static>>;

/// A model's future answer.
pub type AnswerFuture = AnswerFutureOf<Answer>;

/// How a model answers: at once (built-in models, no I/O), or later (a
/// server; the scheduler awaits it with other requests in flight).
pub enum Reply {
    /// The answer, computed in place.
    Now(Result<Answer, ModelError>),
    /// The answer, once the future completes.
    Later(AnswerFuture),
}

/// Something that answers queries.
pub trait Model: Send + Sync {
    /// The spec it was built from, recorded in provenance (never a secret).
    fn spec(&self) -> String;

    /// Answers one query.
    fn answer(&self, request: &ModelRequest) -> Reply;

    /// Whether answers may be cached across runs (true for real models;
    /// built-in ones are cheaper to recompute than to look up).
    fn cacheable(&self) -> bool {
        false
    }

    /// What identifies this model in the request cache (base URL and model
    /// name for a server; never a secret).
    fn identity(&self) -> String {
        self.spec()
    }

    /// Checks, before a run that asks `choose` queries, that the model's
    /// log-likelihoods can be trusted; the result is recorded in the
    /// provenance. `None`: nothing to check (built-in models).
    fn loglikelihood_probe(&self) -> Option<AnswerFutureOf<serde_json::Value>> {
        None
    }

    /// At most this many requests worth having in flight at once, whatever
    /// `--concurrency` says (`None`: no limit of its own). An in-process
    /// model serves one request at a time, so more in flight only queues
    /// work that Ctrl-C would then have to wait for.
    fn max_in_flight(&self) -> Option<usize> {
        None
    }

    /// The decoding parameters this model will really use for a request
    /// (the benchmark's, with the user's `--max-tokens` / `--temperature`
    /// overrides applied): the request cache keys on them, so an override
    /// never returns answers made without it.
    fn effective_params(&self, params: &GenerationParams) -> GenerationParams {
        params.clone()
    }

    /// What the model is beyond its spec (file hash, engine, ...), recorded
    /// in the provenance. `None`: the spec says it all.
    fn describe(&self) -> Option<serde_json::Value> {
        None
    }
}

/// A model's answer computed in place; panics on a `Later` reply. For
/// built-in models and tests.
///
/// # Errors
/// The model's error.
pub fn answer_now(model: &dyn Model, request: &ModelRequest) -> Result<Answer, ModelError> {
    match model.answer(request) {
        Reply::Now(answer) => answer,
        Reply::Later(_) => panic!("answer_now on a model that answers later"),
    }
}

/// Failures parsing a `--model` spec.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The spec names no known backend.
    #[error(
        "unknown model `{0}`: expected gold, random[:SEED], replay:FILE, openai:<base_url>#<model>, smollm2 or local:<path.gguf>"
    )]
    Unknown(String),
    /// A malformed argument.
    #[error("model `{spec}`: {message}")]
    Invalid {
        /// The spec.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// A replay file could not be read.
    #[error(transparent)]
    Replay(#[from] replay::ReplayError),
}

/// Builds a model from its `--model` spec.
///
/// # Errors
/// [`SpecError`] for an unknown backend, a bad seed or URL, or an unreadable replay file.
pub fn from_spec(spec: &str, server: &ServerSettings) -> Result<Arc<dyn Model>, SpecError> {
    let (kind, arg) = match spec.split_once(':') {
        Some((k, a)) => (k, Some(a)),
        None => (spec, None),
    };
    match (kind, arg) {
        ("gold", None) => Ok(Arc::new(Gold)),
        ("random", arg) => {
            let seed = match arg {
                None => 0,
                Some(s) => s.parse().map_err(|_| SpecError::Invalid {
                    spec: spec.into(),
                    message: format!("seed `{s}` is not a non-negative integer"),
                })?,
            };
            Ok(Arc::new(RandomModel::new(seed)))
        }
        ("replay", Some(path)) => Ok(Arc::new(Replay::open(std::path::Path::new(path))?)),
        ("openai", Some(arg)) => OpenAi::new(arg, server)
            .map(|m| Arc::new(m) as Arc<dyn Model>)
            .map_err(|message| SpecError::Invalid {
                spec: spec.into(),
                message,
            }),
        #[cfg(feature = "local")]
        ("smollm2", None) => Local::open(None, &server.local.cache_root, server.local.clone())
            .map(|m| Arc::new(m) as Arc<dyn Model>)
            .map_err(|message| SpecError::Invalid {
                spec: spec.into(),
                message,
            }),
        #[cfg(feature = "local")]
        ("local", Some(path)) if !path.is_empty() => Local::open(
            Some(std::path::Path::new(path)),
            &server.local.cache_root,
            server.local.clone(),
        )
        .map(|m| Arc::new(m) as Arc<dyn Model>)
        .map_err(|message| SpecError::Invalid {
            spec: spec.into(),
            message,
        }),
        #[cfg(not(feature = "local"))]
        ("smollm2" | "local", _) => Err(SpecError::Invalid {
            spec: spec.into(),
            message: "this scorebox was built without the `local` feature (llama.cpp)".into(),
        }),
        ("replay", None) => Err(SpecError::Invalid {
            spec: spec.into(),
            message: "give the file: replay:FILE".into(),
        }),
        _ => Err(SpecError::Unknown(spec.into())),
    }
}

impl std::fmt::Debug for dyn Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model({})", self.spec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_spec_default(spec: &str) -> Result<Arc<dyn Model>, SpecError> {
        from_spec(spec, &ServerSettings::default())
    }

    #[test]
    fn specs_parse_or_explain() {
        assert_eq!(from_spec_default("gold").unwrap().spec(), "gold");
        assert_eq!(from_spec_default("random:7").unwrap().spec(), "random:7");
        assert_eq!(from_spec_default("random").unwrap().spec(), "random:0");
        assert!(
            from_spec_default("random:x")
                .unwrap_err()
                .to_string()
                .contains("not a non-negative integer")
        );
        assert!(
            from_spec_default("gpt")
                .unwrap_err()
                .to_string()
                .contains("unknown model `gpt`")
        );
        assert!(
            from_spec_default("replay")
                .unwrap_err()
                .to_string()
                .contains("replay:FILE")
        );
    }
}
