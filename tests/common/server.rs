//! A fake OpenAI-compatible server on loopback for the end-to-end tests:
//! real HTTP/1.1 (keep-alive), real JSON, a deterministic "model", and
//! faults on demand — slow answers, 429 and 500, truncated JSON, dropped
//! connections, and the two echo log-probability defects of popular servers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// How the fake server treats echoed prompt log-probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// Correct: one log-probability per prompt token (the first is null).
    Correct,
    /// llama.cpp server: no log-probabilities for prompt tokens.
    Missing,
    /// llama-cpp-python 0.3.x: each prompt token gets the next one's value.
    Shifted,
}

/// A fault injected into one request (by its sequence number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer HTTP 429.
    TooMany,
    /// Answer HTTP 500.
    ServerError,
    /// Close the connection without answering.
    Drop,
}

/// What the server does; change it while it runs.
pub struct Behaviour {
    /// Echo log-probability mode.
    pub echo: Echo,
    /// Delay before each answer.
    pub delay: Duration,
    /// `(every, fault)`: request numbers divisible by `every` get `fault`,
    /// but each distinct request is faulted at most once (its retry succeeds).
    pub faults: Vec<(usize, Fault)>,
    /// Prompts containing this text get a truncated JSON reply, always.
    pub truncate_when: Option<String>,
    /// Once this many answers are given, further requests wait.
    pub answer_limit: Option<usize>,
}

/// The running server.
pub struct FakeServer {
    /// `http://127.0.0.1:<port>/v1`.
    pub base: String,
    /// Its behaviour.
    pub behaviour: Arc<Mutex<Behaviour>>,
    /// Answers given, by request body (model calls that completed).
    pub answered: Arc<Mutex<BTreeMap<String, usize>>>,
    /// Requests received (including failed attempts).
    pub requests: Arc<AtomicUsize>,
    /// While set, requests wait instead of being answered.
    pub hold: Arc<AtomicBool>,
}

impl FakeServer {
    /// Starts a server answering correctly at once.
    pub fn start() -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = FakeServer {
            base: format!("http://127.0.0.1:{port}/v1"),
            behaviour: Arc::new(Mutex::new(Behaviour {
                echo: Echo::Correct,
                delay: Duration::ZERO,
                faults: Vec::new(),
                truncate_when: None,
                answer_limit: None,
            })),
            answered: Arc::default(),
            requests: Arc::default(),
            hold: Arc::default(),
        };
        let shared = (
            server.behaviour.clone(),
            server.answered.clone(),
            server.requests.clone(),
            server.hold.clone(),
        );
        let seen_faults: Arc<Mutex<BTreeMap<String, bool>>> = Arc::default();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = shared.clone();
                let seen_faults = seen_faults.clone();
                std::thread::spawn(move || {
                    let _ = serve(
                        stream,
                        &shared.0,
                        &shared.1,
                        &shared.2,
                        &shared.3,
                        &seen_faults,
                    );
                });
            }
        });
        server
    }

    /// The `--model` spec for this server.
    pub fn spec(&self) -> String {
        format!("openai:{}#fake-model", self.base)
    }

    /// Total completed answers.
    pub fn answers(&self) -> usize {
        self.answered.lock().unwrap().values().sum()
    }

    /// Whether any request was answered more than once.
    pub fn repeated(&self) -> Vec<String> {
        self.answered
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(k, _)| k.chars().take(120).collect())
            .collect()
    }
}

fn serve(
    stream: TcpStream,
    behaviour: &Mutex<Behaviour>,
    answered: &Mutex<BTreeMap<String, usize>>,
    requests: &AtomicUsize,
    hold: &AtomicBool,
    seen_faults: &Mutex<BTreeMap<String, bool>>,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        // Request line and headers.
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
        loop {
            let limit = behaviour.lock().unwrap().answer_limit;
            let given: usize = answered.lock().unwrap().values().sum();
            if !hold.load(Ordering::SeqCst) && limit.is_none_or(|l| given < l) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        // A client that died while we waited (SIGKILL) gets no answer, and
        // none is counted.
        if peer_closed(&stream) {
            return Ok(());
        }
        let (delay, fault, echo, truncate) = {
            let b = behaviour.lock().unwrap();
            let fault = b
                .faults
                .iter()
                .find(|(every, _)| n.is_multiple_of(*every))
                .map(|(_, f)| f.clone());
            (b.delay, fault, b.echo, b.truncate_when.clone())
        };
        std::thread::sleep(delay);
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let key = canonical_key(&request);
        if let Some(fault) = fault {
            let first_time = seen_faults
                .lock()
                .unwrap()
                .insert(key.clone(), true)
                .is_none();
            if first_time {
                match fault {
                    Fault::TooMany => respond(&mut stream, 429, "{\"error\": \"slow down\"}")?,
                    Fault::ServerError => respond(&mut stream, 500, "{\"error\": \"boom\"}")?,
                    Fault::Drop => return Ok(()),
                }
                continue;
            }
        }
        if let Some(needle) = &truncate
            && body.windows(needle.len()).any(|w| w == needle.as_bytes())
        {
            respond(
                &mut stream,
                200,
                "{\"choices\": [{\"message\": {\"content\": \"The ans",
            )?;
            continue;
        }
        let reply = if path.ends_with("/chat/completions") {
            chat(&request)
        } else if path.ends_with("/completions") {
            completion(&request, echo)
        } else {
            respond(&mut stream, 404, "{\"error\": \"no such route\"}")?;
            continue;
        };
        // Counted before the reply leaves: once the client has it, the run
        // may finish and the test read the count before this thread resumes.
        *answered.lock().unwrap().entry(key).or_default() += 1;
        respond(&mut stream, 200, &reply.to_string())?;
    }
}

fn peer_closed(stream: &TcpStream) -> bool {
    let _ = stream.set_nonblocking(true);
    let mut buf = [0u8; 1];
    let closed = matches!(stream.peek(&mut buf), Ok(0));
    let _ = stream.set_nonblocking(false);
    closed
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Internal Server Error",
    };
    // One write: headers and body in separate writes would meet Nagle's
    // algorithm and the client's delayed ACK.
    let reply = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes())?;
    stream.flush()
}

/// The request without fields that do not change the answer.
fn canonical_key(request: &Value) -> String {
    let mut r = request.clone();
    if let Some(o) = r.as_object_mut() {
        o.remove("seed");
    }
    r.to_string()
}

fn hash(text: &str) -> u64 {
    // FNV-1a: deterministic across runs and platforms.
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The fake model's chat answer: an MMLU-Pro-style answer letter chosen by
/// the prompt's hash, sometimes phrased so extraction needs its later stages.
fn chat(request: &Value) -> Value {
    let prompt = request["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_str())
        .unwrap_or("");
    let h = hash(prompt);
    let letter = (b'A' + (h % 4) as u8) as char;
    let text = match h % 3 {
        0 => format!("Let me think. The answer is ({letter})."),
        1 => format!("Working it through.\nAnswer: {letter}"),
        _ => "I am not certain about this one.".to_string(),
    };
    json!({"id": "fake", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]})
}

/// Splits text into tokens: an optional leading space plus a run of
/// non-space characters (so "1, 2, 3, 4, 5" is "1," " 2," " 3," " 4," " 5").
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for ch in text.chars() {
        let start_new =
            ch == ' ' || ch == '\n' || tokens.last().is_none_or(|t: &String| t.ends_with('\n'));
        if start_new {
            tokens.push(ch.to_string());
        } else {
            tokens.last_mut().unwrap().push(ch);
        }
    }
    tokens
}

/// The fake model's log-probability of `token` after `prefix`.
pub fn logprob(prefix: &str, token: &str) -> f64 {
    if prefix.ends_with("4,") && token == " 5" {
        return -0.26;
    }
    -0.1 - (hash(&format!(
        "{}|{token}",
        &prefix[prefix.len().saturating_sub(24)..]
    )) % 500) as f64
        / 100.0
}

fn next_token(prefix: &str) -> String {
    if prefix.ends_with("4,") {
        " 5".into()
    } else {
        " the".into()
    }
}

fn completion(request: &Value, echo_mode: Echo) -> Value {
    let prompt = request["prompt"].as_str().unwrap_or("");
    let echo = request["echo"].as_bool().unwrap_or(false);
    let generated = next_token(prompt);
    let mut tokens = Vec::new();
    let mut offsets = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut top: Vec<Value> = Vec::new();
    let mut text = String::new();
    if echo {
        let prompt_tokens = tokenize(prompt);
        let mut prefix = String::new();
        let mut true_values = Vec::new();
        for (i, t) in prompt_tokens.iter().enumerate() {
            true_values.push(if i == 0 {
                None
            } else {
                Some(logprob(&prefix, t))
            });
            prefix.push_str(t);
        }
        true_values.push(Some(logprob(prompt, &generated)));
        let mut prefix = String::new();
        for (i, t) in prompt_tokens.iter().enumerate() {
            tokens.push(t.clone());
            offsets.push(prefix.chars().count());
            let value = match echo_mode {
                Echo::Correct => true_values[i],
                Echo::Missing => None,
                Echo::Shifted => true_values[i + 1],
            };
            values.push(value.map_or(Value::Null, |v| json!(v)));
            top.push(match value {
                Some(v) => json!({ t.clone(): v }),
                None => Value::Null,
            });
            prefix.push_str(t);
        }
        text.push_str(prompt);
    }
    let lp = logprob(prompt, &generated);
    offsets.push(text.chars().count());
    tokens.push(generated.clone());
    values.push(json!(lp));
    top.push(json!({ generated.clone(): lp, " and": lp - 2.0 }));
    text.push_str(&generated);
    json!({"id": "fake", "object": "text_completion", "choices": [{"index": 0, "text": text, "finish_reason": "length",
        "logprobs": {"tokens": tokens, "token_logprobs": values, "text_offset": offsets, "top_logprobs": top}}]})
}
