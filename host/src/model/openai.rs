//! `openai:<base_url>[,<base_url>...]#<model>`: any OpenAI-compatible
//! server (vLLM, SGLang, llama.cpp server, Ollama, TGI, OpenAI itself).
//!
//! * `generate` and `judge` queries go to `POST /chat/completions`; the
//!   server applies the model's chat template.
//! * `choose` queries go to `POST /completions` with `echo` and `logprobs`:
//!   the log-likelihood of a continuation is the sum of the echoed
//!   log-probabilities of the tokens that overlap it. Many servers get echo
//!   log-probabilities wrong, so [`OpenAi::probe`] checks them before a
//!   log-likelihood run (see [`super::probe`]).
//!
//! The API key comes from an environment variable (`OPENAI_API_KEY` unless
//! `--api-key-env` names another); it is never printed or recorded.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::runtime::wit::{
    Answer, ChooseRequest, ContinuationScore, GenerateRequest, GenerationParams, Query,
};

use super::{AnswerFuture, AnswerFutureOf, Model, ModelError, ModelRequest, Reply};

/// Settings of the model backends (servers, and the in-process `local` one), from the command line.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Environment variable holding the API key.
    pub api_key_env: String,
    /// Attempts after the first one, for 429, 5xx, timeouts and dropped connections.
    pub retries: u32,
    /// Timeout of one HTTP request.
    pub timeout: Duration,
    /// At most this many requests per second (over all endpoints), if set.
    pub rps: Option<f64>,
    /// Overrides the benchmark's `max_tokens`.
    pub max_tokens: Option<u32>,
    /// Overrides the benchmark's temperature.
    pub temperature: Option<f32>,
    /// First delay between attempts; doubles each time (with jitter), capped at 30 s.
    pub backoff: Duration,
    /// Settings of the in-process `local` backend.
    #[cfg(feature = "local")]
    pub local: super::LocalSettings,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            api_key_env: "OPENAI_API_KEY".into(),
            retries: 5,
            timeout: Duration::from_secs(300),
            rps: None,
            max_tokens: None,
            temperature: None,
            backoff: Duration::from_millis(500),
            #[cfg(feature = "local")]
            local: super::LocalSettings::default(),
        }
    }
}

/// A client of one or more OpenAI-compatible endpoints serving one model.
#[derive(Clone)]
pub struct OpenAi {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    endpoints: Vec<String>,
    pub(crate) model: String,
    api_key: Option<String>,
    client: reqwest::Client,
    next: AtomicUsize,
    settings: ServerSettings,
    pace: tokio::sync::Mutex<Instant>,
}

/// Why one HTTP exchange failed, and whether trying again may help.
struct Attempt {
    retry: bool,
    message: String,
}

impl OpenAi {
    /// Parses `<base_url>[,<base_url>...]#<model>` (the part after `openai:`).
    ///
    /// # Errors
    /// A message when the spec lacks a model name or a URL, or the HTTP
    /// client cannot be built.
    pub fn new(arg: &str, settings: &ServerSettings) -> Result<Self, String> {
        let (urls, model) = arg
            .rsplit_once('#')
            .ok_or("give the model name after `#`: openai:http://host:port/v1#MODEL")?;
        let endpoints: Vec<String> = urls
            .split(',')
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
            .collect();
        if endpoints.is_empty() || model.is_empty() {
            return Err("expected openai:<base_url>[,<base_url>...]#<model>".into());
        }
        for url in &endpoints {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!("`{url}` is not an http:// or https:// URL"));
            }
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .pool_max_idle_per_host(1024)
            .build()
            .map_err(|e| format!("building the HTTP client: {e}"))?;
        let api_key = std::env::var(&settings.api_key_env)
            .ok()
            .filter(|k| !k.is_empty());
        Ok(OpenAi {
            inner: Arc::new(Inner {
                endpoints,
                model: model.to_string(),
                api_key,
                client,
                next: AtomicUsize::new(0),
                settings: settings.clone(),
                pace: tokio::sync::Mutex::new(Instant::now()),
            }),
        })
    }

    /// Runs the echo log-probability probe (see [`super::probe`]).
    pub fn probe(&self) -> AnswerFutureOf<Value> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move { super::probe::run(&inner).await })
    }
}

impl Inner {
    pub(crate) fn spec(&self) -> String {
        format!("openai:{}#{}", self.endpoints.join(","), self.model)
    }

    pub(crate) fn error(&self, message: String) -> ModelError {
        ModelError {
            model: self.spec(),
            message,
        }
    }

    /// Waits for the requests-per-second limit, if any.
    async fn pace(&self) {
        let Some(rps) = self.settings.rps.filter(|r| *r > 0.0) else {
            return;
        };
        let slot = {
            let mut next = self.pace.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + Duration::from_secs_f64(1.0 / rps);
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }

    /// POSTs `body` to `<endpoint>/<path>`, retrying what can be retried on
    /// the next endpoint after a backoff.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> Result<Value, ModelError> {
        let attempts = self.settings.retries + 1;
        let mut last = String::new();
        for attempt in 0..attempts {
            if attempt > 0 {
                tokio::time::sleep(self.backoff(attempt)).await;
            }
            self.pace().await;
            let endpoint =
                &self.endpoints[self.next.fetch_add(1, Ordering::Relaxed) % self.endpoints.len()];
            match self.post_once(endpoint, path, body).await {
                Ok(value) => return Ok(value),
                Err(Attempt {
                    retry: false,
                    message,
                }) => return Err(self.error(message)),
                Err(Attempt {
                    retry: true,
                    message,
                }) => last = message,
            }
        }
        Err(self.error(format!("gave up after {attempts} attempts; last: {last}")))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.backoff.as_secs_f64() * 2f64.powi(attempt as i32 - 1);
        // Jitter in [0.5, 1.5) so that many clients do not retry in step.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let jitter = 0.5 + f64::from(nanos % 1000) / 1000.0;
        Duration::from_secs_f64((base * jitter).min(30.0))
    }

    async fn post_once(&self, endpoint: &str, path: &str, body: &Value) -> Result<Value, Attempt> {
        let url = format!("{endpoint}/{path}");
        let mut request = self.client.post(&url).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|e| Attempt {
            retry: true,
            message: format!("{url}: {}", describe(&e)),
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| Attempt {
            retry: true,
            message: format!("{url}: reading the reply: {}", describe(&e)),
        })?;
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(Attempt {
                retry: true,
                message: format!("{url}: HTTP {status}: {}", first_bytes(&bytes)),
            });
        }
        if !status.is_success() {
            return Err(Attempt {
                retry: false,
                message: format!("{url}: HTTP {status}: {}", first_bytes(&bytes)),
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| Attempt {
            retry: false,
            message: format!(
                "{url}: the reply is not valid JSON ({e}); it starts: {}",
                first_bytes(&bytes)
            ),
        })
    }

    async fn generate(&self, request: &GenerateRequest) -> Result<Answer, ModelError> {
        let messages: Vec<Value> = request
            .messages
            .iter()
            .map(|m| json!({"role": m.role, "content": m.content}))
            .collect();
        let mut body = json!({"model": self.model, "messages": messages});
        let max_tokens = self.settings.max_tokens.or(request.params.max_tokens);
        if let Some(n) = max_tokens {
            body["max_tokens"] = json!(n);
        }
        body["temperature"] = json!(
            self.settings
                .temperature
                .or(request.params.temperature)
                .unwrap_or(0.0)
        );
        if !request.params.stop.is_empty() {
            body["stop"] = json!(request.params.stop);
        }
        let reply = self.post("chat/completions", &body).await?;
        let text = reply["choices"][0]["message"]["content"]
            .as_str()
            .ok_or_else(|| {
                self.error(format!(
                    "the chat reply has no choices[0].message.content: {}",
                    first_bytes(reply.to_string().as_bytes())
                ))
            })?;
        Ok(Answer::Text(
            cut_at_stop(text, &request.params.stop).to_string(),
        ))
    }

    async fn choose(&self, request: &ChooseRequest) -> Result<Answer, ModelError> {
        let context_chars = request.context.chars().count();
        let mut scores = Vec::with_capacity(request.continuations.len());
        for continuation in &request.continuations {
            let prompt = format!("{}{continuation}", request.context);
            let end = context_chars + continuation.chars().count();
            let body = json!({
                "model": self.model, "prompt": prompt, "max_tokens": 1, "echo": true,
                "logprobs": 1, "temperature": 0.0,
            });
            let reply = self.post("completions", &body).await?;
            let echo = EchoLogprobs::from_reply(&reply).map_err(|m| self.error(m))?;
            scores.push(echo.score(context_chars, end).map_err(|m| self.error(m))?);
        }
        Ok(Answer::Scores(scores))
    }
}

/// The echoed tokens of a completions reply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EchoLogprobs {
    pub(crate) tokens: Vec<String>,
    pub(crate) logprobs: Vec<Option<f64>>,
    pub(crate) offsets: Vec<usize>,
    pub(crate) top: Vec<Option<Vec<(String, f64)>>>,
}

impl EchoLogprobs {
    /// Reads `choices[0].logprobs` of a completions reply.
    pub(crate) fn from_reply(reply: &Value) -> Result<Self, String> {
        let lp = &reply["choices"][0]["logprobs"];
        let tokens = lp["tokens"].as_array().ok_or_else(|| {
            format!("the completions reply has no logprobs.tokens (the server may not support echo logprobs): {}", first_bytes(reply.to_string().as_bytes()))
        })?;
        let tokens: Vec<String> = tokens
            .iter()
            .map(|t| t.as_str().unwrap_or_default().to_string())
            .collect();
        let logprobs: Vec<Option<f64>> = lp["token_logprobs"]
            .as_array()
            .map(|a| a.iter().map(Value::as_f64).collect())
            .unwrap_or_default();
        let offsets: Vec<usize> = lp["text_offset"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_u64().map(|n| n as usize))
                    .collect()
            })
            .unwrap_or_default();
        let top: Vec<Option<Vec<(String, f64)>>> = lp["top_logprobs"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|entry| {
                        entry.as_object().map(|o| {
                            o.iter()
                                .filter_map(|(k, v)| v.as_f64().map(|x| (k.clone(), x)))
                                .collect()
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if logprobs.len() != tokens.len() || offsets.len() != tokens.len() {
            return Err(format!(
                "the completions reply's logprobs are inconsistent: {} tokens, {} token_logprobs, {} text_offset",
                tokens.len(),
                logprobs.len(),
                offsets.len()
            ));
        }
        Ok(EchoLogprobs {
            tokens,
            logprobs,
            offsets,
            top,
        })
    }

    /// The summed log-probability of the tokens overlapping characters
    /// `[start, end)` of the prompt, and whether each was the greedy choice.
    pub(crate) fn score(&self, start: usize, end: usize) -> Result<ContinuationScore, String> {
        let mut logprob = 0.0;
        let mut is_greedy = true;
        let mut any = false;
        for i in 0..self.tokens.len() {
            let token_start = self.offsets[i];
            let token_end = token_start + self.tokens[i].chars().count();
            if token_end <= start || token_start >= end {
                continue;
            }
            any = true;
            let lp = self.logprobs[i].ok_or_else(|| {
                format!("no log-probability for echoed token {i} ({:?}); the server does not return prompt log-probabilities", self.tokens[i])
            })?;
            logprob += lp;
            if let Some(Some(top)) = self.top.get(i)
                && top
                    .iter()
                    .any(|(t, x)| *x > lp + 1e-9 && t != &self.tokens[i])
            {
                is_greedy = false;
            }
        }
        if !any {
            return Err(format!(
                "no echoed token covers characters {start}..{end} of the prompt"
            ));
        }
        Ok(ContinuationScore { logprob, is_greedy })
    }
}

/// `text` up to the first stop sequence (servers differ on whether they
/// apply every stop sequence; we always do).
fn cut_at_stop<'a>(text: &'a str, stop: &[String]) -> &'a str {
    let cut = stop
        .iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| text.find(s.as_str()))
        .min();
    cut.map_or(text, |i| &text[..i])
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        format!("could not connect ({e})")
    } else {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(&format!(": {s}"));
            source = s.source();
        }
        message
    }
}

/// The first 200 bytes of a reply, for error messages.
pub(crate) fn first_bytes(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(200)];
    let text = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > 200 {
        format!("{text}…")
    } else {
        text
    }
}

impl std::fmt::Debug for OpenAi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the API key.
        write!(f, "OpenAi({})", self.inner.spec())
    }
}

impl Model for OpenAi {
    fn spec(&self) -> String {
        self.inner.spec()
    }

    fn answer(&self, request: &ModelRequest) -> Reply {
        let inner = Arc::clone(&self.inner);
        let query = request.query.clone();
        let future: AnswerFuture = Box::pin(async move {
            match &query {
                Query::Generate(g) | Query::Judge(g) => inner.generate(g).await,
                Query::Choose(c) => inner.choose(c).await,
            }
        });
        Reply::Later(future)
    }

    fn cacheable(&self) -> bool {
        true
    }

    fn identity(&self) -> String {
        // Endpoints are interchangeable replicas; the model name identifies the answers.
        format!("openai#{}", self.inner.model)
    }

    fn loglikelihood_probe(&self) -> Option<AnswerFutureOf<Value>> {
        Some(self.probe())
    }

    fn effective_params(&self, params: &GenerationParams) -> GenerationParams {
        let settings = &self.inner.settings;
        GenerationParams {
            max_tokens: settings.max_tokens.or(params.max_tokens),
            stop: params.stop.clone(),
            temperature: settings.temperature.or(params.temperature),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_need_urls_and_a_model() {
        let s = ServerSettings::default();
        assert!(OpenAi::new("http://127.0.0.1:8000/v1#qwen", &s).is_ok());
        let two = OpenAi::new("http://a:1/v1/, http://b:2/v1#m", &s).unwrap();
        assert_eq!(two.spec(), "openai:http://a:1/v1,http://b:2/v1#m");
        assert!(
            OpenAi::new("http://127.0.0.1:8000/v1", &s)
                .unwrap_err()
                .contains("after `#`")
        );
        assert!(
            OpenAi::new("ftp://x#m", &s)
                .unwrap_err()
                .contains("not an http")
        );
    }

    #[test]
    fn echo_scores_sum_the_overlapping_tokens() {
        let reply = json!({"choices": [{"logprobs": {
            "tokens": ["Answer", ":", " B", "\n"],
            "token_logprobs": [null, -0.5, -1.25, -3.0],
            "text_offset": [0, 6, 7, 9],
            "top_logprobs": [null, {":": -0.5}, {" A": -0.75, " B": -1.25}, {"\n": -3.0}],
        }}]});
        let echo = EchoLogprobs::from_reply(&reply).unwrap();
        let score = echo.score(7, 9).unwrap();
        assert_eq!(score.logprob, -1.25);
        assert!(!score.is_greedy, "` A` was likelier");
        let missing = json!({"choices": [{"logprobs": {"tokens": ["a"], "token_logprobs": [null], "text_offset": [0]}}]});
        let err = EchoLogprobs::from_reply(&missing)
            .unwrap()
            .score(0, 1)
            .unwrap_err();
        assert!(
            err.contains("does not return prompt log-probabilities"),
            "{err}"
        );
    }

    #[test]
    fn stop_sequences_cut_the_text() {
        assert_eq!(
            cut_at_stop("The answer is (B).\nQuestion: next", &["Question:".into()]),
            "The answer is (B).\n"
        );
        assert_eq!(cut_at_stop("abc", &[]), "abc");
    }
}
