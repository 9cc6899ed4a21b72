//! `replay:FILE`: answers from saved responses, for re-scoring.
//!
//! Each JSONL line is either ours —
//! `{"id": ..., "response": "..."}`, `{"id": ..., "responses": ["turn 1", ...]}`
//! or `{"id": ..., "scores": [logprob, ...]}` — or an lm-evaluation-harness
//! samples line (`doc_id`, `doc`, `resps`): its raw `resps` are replayed
//! (the scorer does its own extraction), keyed by the doc's `question_id`,
//! `id` or `key` field when it has one, else by `doc_id`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::runtime::wit::{Answer, ContinuationScore, Query};

use super::{Model, ModelError, ModelRequest, Reply};

/// Why a replay file cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("replay file {}{}: {message}", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
pub struct ReplayError {
    /// The file.
    pub path: PathBuf,
    /// One-based line number, if the problem is on one line.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Saved {
    Texts(Vec<String>),
    Scores(Vec<ContinuationScore>),
}

/// Saved responses keyed by sample id.
#[derive(Debug)]
pub struct Replay {
    path: PathBuf,
    entries: HashMap<String, Saved>,
}

impl Replay {
    /// Reads a replay file.
    ///
    /// # Errors
    /// [`ReplayError`] naming the line that cannot be understood, or a
    /// sample id given twice.
    pub fn open(path: &Path) -> Result<Self, ReplayError> {
        let fail = |line: Option<usize>, message: String| ReplayError {
            path: path.into(),
            line,
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(None, e.to_string()))?;
        let mut entries = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line)
                .map_err(|e| fail(Some(i + 1), format!("invalid JSON: {e}")))?;
            let (id, saved) = parse_line(&value).map_err(|m| fail(Some(i + 1), m))?;
            if entries.insert(id.clone(), saved).is_some() {
                return Err(fail(Some(i + 1), format!("sample id `{id}` appears twice")));
            }
        }
        Ok(Replay {
            path: path.into(),
            entries,
        })
    }

    /// Number of saved samples.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the file held no responses.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_line(value: &Value) -> Result<(String, Saved), String> {
    let obj = value.as_object().ok_or("expected a JSON object")?;
    if let Some(id) = obj.get("id") {
        let id = id_text(id).ok_or("`id` must be a string or a number")?;
        if let Some(r) = obj.get("response") {
            let text = r.as_str().ok_or("`response` must be a string")?;
            return Ok((id, Saved::Texts(vec![text.to_owned()])));
        }
        if let Some(r) = obj.get("responses") {
            let texts = r
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|t| t.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or("`responses` must be a list of strings")?;
            return Ok((id, Saved::Texts(texts)));
        }
        if let Some(s) = obj.get("scores") {
            let scores = s
                .as_array()
                .and_then(|a| a.iter().map(Value::as_f64).collect::<Option<Vec<_>>>())
                .ok_or("`scores` must be a list of numbers")?;
            let scores = scores
                .into_iter()
                .map(|logprob| ContinuationScore {
                    logprob,
                    is_greedy: false,
                })
                .collect();
            return Ok((id, Saved::Scores(scores)));
        }
        return Err("a line with `id` needs `response`, `responses` or `scores`".into());
    }
    if let (Some(doc_id), Some(resps)) = (obj.get("doc_id"), obj.get("resps")) {
        let doc = obj.get("doc").and_then(Value::as_object);
        let id = doc
            .and_then(|d| {
                ["question_id", "id", "key"]
                    .iter()
                    .find_map(|k| d.get(*k).and_then(id_text))
            })
            .or_else(|| id_text(doc_id))
            .ok_or("`doc_id` must be a number or a string")?;
        return Ok((id, lm_eval_resps(resps)?));
    }
    Err("expected our `{\"id\", \"response\"}` form or an lm-evaluation-harness samples line (`doc_id`, `resps`)".into())
}

/// lm-eval `resps`: `[["text"]]` for generation; `[[[ll, is_greedy]], ...]`
/// for multiple choice (numbers or their string forms).
fn lm_eval_resps(resps: &Value) -> Result<Saved, String> {
    let outer = resps.as_array().ok_or("`resps` must be a list")?;
    let first = outer
        .first()
        .and_then(|r| r.as_array())
        .and_then(|r| r.first());
    match first {
        Some(Value::String(_)) => {
            let texts = outer
                .iter()
                .map(|r| {
                    r.as_array()
                        .and_then(|r| r.first())
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .collect::<Option<Vec<_>>>()
                .ok_or("generation `resps` must look like [[\"text\"], ...]")?;
            Ok(Saved::Texts(texts))
        }
        Some(Value::Array(_)) => {
            let number = |v: &Value| {
                v.as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            };
            let flag = |v: &Value| {
                v.as_bool()
                    .or_else(|| v.as_str().map(|s| s == "True" || s == "true"))
            };
            let scores = outer
                .iter()
                .map(|r| {
                    let pair = r.as_array()?.first()?.as_array()?;
                    Some(ContinuationScore {
                        logprob: number(pair.first()?)?,
                        is_greedy: flag(pair.get(1)?)?,
                    })
                })
                .collect::<Option<Vec<_>>>()
                .ok_or(
                    "multiple-choice `resps` must look like [[[loglikelihood, is_greedy]], ...]",
                )?;
            Ok(Saved::Scores(scores))
        }
        _ => Err("`resps` is empty or of an unknown shape".into()),
    }
}

impl Model for Replay {
    fn spec(&self) -> String {
        format!("replay:{}", self.path.display())
    }

    fn answer(&self, request: &ModelRequest) -> Reply {
        Reply::Now(self.replay(request))
    }
}

impl Replay {
    fn replay(&self, cx: &ModelRequest) -> Result<Answer, ModelError> {
        let query = &cx.query;
        let fail = |message: String| ModelError {
            model: self.spec(),
            message,
        };
        let saved = self
            .entries
            .get(&cx.sample)
            .ok_or_else(|| fail(format!("no saved response for sample `{}`", cx.sample)))?;
        match (query, saved) {
            (Query::Generate(_) | Query::Judge(_), Saved::Texts(texts)) => texts
                .get(cx.kind_index as usize)
                .map(|t| Answer::Text(t.clone()))
                .ok_or_else(|| {
                    fail(format!(
                        "sample `{}` has {} saved responses; the scorer asked for response {}",
                        cx.sample,
                        texts.len(),
                        cx.kind_index + 1
                    ))
                }),
            (Query::Choose(c), Saved::Scores(scores)) if scores.len() == c.continuations.len() => {
                Ok(Answer::Scores(scores.clone()))
            }
            (Query::Choose(c), Saved::Scores(scores)) => Err(fail(format!(
                "sample `{}`: {} saved scores but the scorer asked about {} continuations",
                cx.sample,
                scores.len(),
                c.continuations.len()
            ))),
            (Query::Choose(_), Saved::Texts(_)) => Err(fail(format!(
                "sample `{}`: the file has generated text but this variant asks for log-likelihoods; re-score with the generative variant",
                cx.sample
            ))),
            (_, Saved::Scores(_)) => Err(fail(format!(
                "sample `{}`: the file has log-likelihoods but this variant asks for generated text; re-score with the log-likelihood variant",
                cx.sample
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<(String, Saved), String> {
        parse_line(&serde_json::from_str(line).unwrap())
    }

    #[test]
    fn reads_our_lines() {
        assert_eq!(
            parse(r#"{"id": 70, "response": "The answer is (C)"}"#).unwrap(),
            ("70".into(), Saved::Texts(vec!["The answer is (C)".into()]))
        );
        assert!(
            matches!(parse(r#"{"id": "a", "scores": [-1.5, -0.5]}"#).unwrap().1, Saved::Scores(s) if s.len() == 2)
        );
        assert!(
            parse(r#"{"id": "a"}"#)
                .unwrap_err()
                .contains("needs `response`")
        );
    }

    #[test]
    fn reads_lm_eval_lines() {
        let generation = r#"{"doc_id": 3, "doc": {"question_id": 1234, "question": "q"}, "resps": [["The answer is (B)."]], "filtered_resps": ["B"]}"#;
        assert_eq!(
            parse(generation).unwrap(),
            (
                "1234".into(),
                Saved::Texts(vec!["The answer is (B).".into()])
            )
        );
        let choice = r#"{"doc_id": 5, "doc": {"question": "q"}, "resps": [[["-1.5", "False"]], [[-0.25, true]]]}"#;
        let (id, saved) = parse(choice).unwrap();
        assert_eq!(id, "5");
        assert_eq!(
            saved,
            Saved::Scores(vec![
                ContinuationScore {
                    logprob: -1.5,
                    is_greedy: false
                },
                ContinuationScore {
                    logprob: -0.25,
                    is_greedy: true
                },
            ])
        );
    }
}
