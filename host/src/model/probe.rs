//! The echo log-probability probe: before a log-likelihood run, make sure
//! the server's prompt log-probabilities are there and aligned, so that a
//! broken server is refused instead of silently scoring chance.
//!
//! Two defects are common (both reproduced by the test server):
//! * **missing**: llama.cpp's server returns log-probabilities for generated
//!   tokens only (ggml-org/llama.cpp#27174), so every choice scores the same;
//! * **shifted**: llama-cpp-python 0.3.x reports for prompt token *i* the
//!   log-probability that belongs to token *i + 1* (abetlen/llama-cpp-python#1983).
//!
//! The probe asks for the echoed log-probabilities of `"1, 2, 3, 4, 5"`,
//! checks their shape (one entry per prompt token, offsets that spell the
//! text), then asks the server to generate one token after `"1, 2, 3, 4,"`
//! and compares the log-probability it reports for `" 5"` there with the
//! echoed one: the same model must give the same number both ways.

use serde_json::{Value, json};

use super::ModelError;
use super::openai::{EchoLogprobs, Inner};

const PREFIX: &str = "1, 2, 3, 4,";
const NEXT: &str = " 5";

/// Largest difference between the echoed and the generated log-probability
/// of the same token that is taken as agreement (numerical noise between
/// prefill and decode), in nats: absolute plus relative part.
const TOLERANCE_ABS: f64 = 0.1;
const TOLERANCE_REL: f64 = 0.05;

const WAY_OUT: &str = "Use the generative variant of the benchmark (e.g. -O variant=generative), \
or a server that implements echo log-probabilities (e.g. vLLM's OpenAI-compatible server).";

/// Runs the probe; returns what it saw (for the provenance) or the defect.
///
/// # Errors
/// A [`ModelError`] naming the defect and the way out.
pub(crate) async fn run(inner: &Inner) -> Result<Value, ModelError> {
    let prompt = format!("{PREFIX}{NEXT}");
    let defect =
        |what: String| inner.error(format!("log-likelihood probe failed: {what}. {WAY_OUT}"));
    let echo_reply = inner
        .post("completions", &json!({"model": inner.model, "prompt": prompt, "max_tokens": 1, "echo": true, "logprobs": 1, "temperature": 0.0}))
        .await?;
    let echo = EchoLogprobs::from_reply(&echo_reply).map_err(&defect)?;
    let prompt_chars = prompt.chars().count();
    let in_prompt: Vec<usize> = (0..echo.tokens.len())
        .filter(|&i| echo.offsets[i] < prompt_chars)
        .collect();
    // Shape: the prompt tokens spell the prompt, offsets follow the text.
    let mut spelled = String::new();
    for &i in &in_prompt {
        if echo.offsets[i] != spelled.chars().count() {
            return Err(defect(format!(
                "echoed token {i} ({:?}) has text_offset {} where the text before it is {} characters long (offsets do not match the text)",
                echo.tokens[i],
                echo.offsets[i],
                spelled.chars().count()
            )));
        }
        spelled.push_str(&echo.tokens[i]);
    }
    if !spelled.starts_with(&prompt) {
        return Err(defect(format!(
            "the echoed tokens spell {spelled:?}, not the prompt {prompt:?}"
        )));
    }
    let numbered = in_prompt
        .iter()
        .skip(1)
        .filter(|&&i| echo.logprobs[i].is_some_and(|x| x != 0.0))
        .count();
    if in_prompt.len() < 2 || numbered == 0 {
        return Err(defect(
            "the server returned no log-probabilities for the prompt tokens it echoed (it reports them for generated tokens only, as llama.cpp's server does: ggml-org/llama.cpp#27174); every choice would score the same".into(),
        ));
    }
    if numbered < in_prompt.len() - 1 {
        return Err(defect(format!(
            "only {numbered} of the {} echoed prompt tokens after the first have a log-probability",
            in_prompt.len() - 1
        )));
    }
    let prefix_chars = PREFIX.chars().count();
    let echoed = echo
        .score(prefix_chars, prompt_chars)
        .map_err(&defect)?
        .logprob;

    // The same token, generated after the same prefix.
    let generated = inner
        .post("completions", &json!({"model": inner.model, "prompt": PREFIX, "max_tokens": 1, "logprobs": 5, "temperature": 0.0}))
        .await?;
    let lp = &generated["choices"][0]["logprobs"];
    let first_token = lp["tokens"][0].as_str().unwrap_or_default().to_string();
    let from_generation = if first_token == NEXT {
        lp["token_logprobs"][0].as_f64()
    } else {
        lp["top_logprobs"][0][NEXT].as_f64()
    };
    let Some(from_generation) = from_generation else {
        return Err(defect(format!(
            "after {PREFIX:?} the server generated {first_token:?} and did not report the log-probability of {NEXT:?} among its top tokens, so its echo log-probabilities cannot be checked"
        )));
    };
    if (echoed - from_generation).abs() > TOLERANCE_ABS + TOLERANCE_REL * from_generation.abs() {
        return Err(defect(format!(
            "the echoed log-probability of {NEXT:?} after {PREFIX:?} is {echoed:.4}, but the same server gives {from_generation:.4} when it generates that token: \
             its echo log-probabilities are misaligned (llama-cpp-python 0.3.x shifts them by one position: abetlen/llama-cpp-python#1983)"
        )));
    }
    Ok(json!({
        "prompt": prompt,
        "echo_tokens": echo.tokens,
        "echo_logprob_of_next": echoed,
        "generated_token": first_token,
        "generated_logprob_of_next": from_generation,
        "verdict": "echo log-probabilities present and aligned",
    }))
}
