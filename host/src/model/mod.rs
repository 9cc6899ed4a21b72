//! Models that answer the scorer's queries. Built in: `gold` (the
//! reference answer, a standing self-check that every scorer reaches its
//! maximum), `random[:SEED]` (a chance baseline) and `replay:FILE` (saved
//! responses).

mod builtin;
mod replay;

use std::sync::Arc;

pub use builtin::{Gold, RandomModel};
pub use replay::Replay;

use crate::runtime::wit::{Answer, Query, Sample};

/// Why a model could not answer; fails that sample only.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("model {model}: {message}")]
pub struct ModelError {
    /// The model spec.
    pub model: String,
    /// What went wrong.
    pub message: String,
}

/// What a model knows about the query it is answering.
#[derive(Debug, Clone, Copy)]
pub struct QueryContext<'a> {
    /// The sample being scored.
    pub sample: &'a Sample,
    /// Zero-based index of this query within the sample's episode.
    pub step: u32,
    /// Zero-based index among the episode's queries of the same kind
    /// (generations, choices), for replaying multi-turn responses.
    pub kind_index: u32,
    /// Seed for this query, derived from the run seed, sample id and step.
    pub seed: u64,
}

/// Something that answers queries.
pub trait Model: Send + Sync {
    /// The spec it was built from, recorded in provenance (never a secret).
    fn spec(&self) -> String;

    /// Answers one query.
    ///
    /// # Errors
    /// [`ModelError`] when no answer can be given; the sample fails.
    fn answer(&self, context: &QueryContext<'_>, query: &Query) -> Result<Answer, ModelError>;
}

/// Failures parsing a `--model` spec.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The spec names no known backend.
    #[error("unknown model `{0}`: expected gold, random[:SEED] or replay:FILE")]
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
/// [`SpecError`] for an unknown backend, a bad seed, or an unreadable replay file.
pub fn from_spec(spec: &str) -> Result<Arc<dyn Model>, SpecError> {
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

    #[test]
    fn specs_parse_or_explain() {
        assert_eq!(from_spec("gold").unwrap().spec(), "gold");
        assert_eq!(from_spec("random:7").unwrap().spec(), "random:7");
        assert_eq!(from_spec("random").unwrap().spec(), "random:0");
        assert!(
            from_spec("random:x")
                .unwrap_err()
                .to_string()
                .contains("not a non-negative integer")
        );
        assert!(
            from_spec("gpt")
                .unwrap_err()
                .to_string()
                .contains("unknown model `gpt`")
        );
        assert!(
            from_spec("replay")
                .unwrap_err()
                .to_string()
                .contains("replay:FILE")
        );
    }
}
