//! JSON forms of the WIT values the host stores: in samples files, the
//! request cache and the run journal. Each `*_json` has its `*_from_json`
//! inverse; round trips are exact (floats included).

use serde_json::{Map, Value, json};

use crate::runtime::wit::{
    Answer, ChooseRequest, ContinuationScore, GenerateRequest, GenerationParams, Message,
    MetricValue, Query, SampleScore,
};

/// A query as JSON.
pub fn query_json(q: &Query) -> Value {
    match q {
        Query::Generate(g) | Query::Judge(g) => json!({
            "kind": if matches!(q, Query::Judge(_)) { "judge" } else { "generate" },
            "messages": g.messages.iter().map(|m| json!({"role": m.role, "content": m.content})).collect::<Vec<_>>(),
            "max_tokens": g.params.max_tokens,
            "stop": g.params.stop,
            "temperature": g.params.temperature,
            "reference": g.reference,
        }),
        Query::Choose(c) => json!({
            "kind": "choose",
            "context": c.context,
            "continuations": c.continuations,
            "reference": c.reference,
        }),
    }
}

/// A query from [`query_json`]'s form.
///
/// # Errors
/// A message naming what is missing.
pub fn query_from_json(v: &Value) -> Result<Query, String> {
    let text = |key: &str| {
        v[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("query lacks `{key}`"))
    };
    let strings = |key: &str| -> Result<Vec<String>, String> {
        v[key]
            .as_array()
            .and_then(|a| a.iter().map(|s| s.as_str().map(str::to_owned)).collect())
            .ok_or_else(|| format!("query lacks `{key}`"))
    };
    match v["kind"].as_str() {
        Some(kind @ ("generate" | "judge")) => {
            let messages = v["messages"]
                .as_array()
                .ok_or("query lacks `messages`")?
                .iter()
                .map(|m| {
                    Some(Message {
                        role: m["role"].as_str()?.to_owned(),
                        content: m["content"].as_str()?.to_owned(),
                    })
                })
                .collect::<Option<Vec<_>>>()
                .ok_or("a message lacks `role` or `content`")?;
            let request = GenerateRequest {
                messages,
                params: GenerationParams {
                    max_tokens: v["max_tokens"].as_u64().map(|n| n as u32),
                    stop: strings("stop")?,
                    temperature: v["temperature"].as_f64().map(|t| t as f32),
                },
                reference: v["reference"].as_str().map(str::to_owned),
            };
            Ok(if kind == "judge" {
                Query::Judge(request)
            } else {
                Query::Generate(request)
            })
        }
        Some("choose") => Ok(Query::Choose(ChooseRequest {
            context: text("context")?,
            continuations: strings("continuations")?,
            reference: v["reference"].as_u64().map(|n| n as u32),
        })),
        _ => Err("query has no known `kind`".into()),
    }
}

/// An answer as JSON.
pub fn answer_json(a: &Answer) -> Value {
    match a {
        Answer::Text(t) => json!({"text": t}),
        Answer::Scores(s) => {
            json!({"scores": s.iter().map(|c| json!([c.logprob, c.is_greedy])).collect::<Vec<_>>()})
        }
        Answer::Failed(reason) => json!({"failed": reason}),
    }
}

/// An answer from [`answer_json`]'s form.
///
/// # Errors
/// A message when the value is not such an answer.
pub fn answer_from_json(v: &Value) -> Result<Answer, String> {
    if let Some(t) = v["text"].as_str() {
        return Ok(Answer::Text(t.to_owned()));
    }
    if let Some(f) = v["failed"].as_str() {
        return Ok(Answer::Failed(f.to_owned()));
    }
    let scores = v["scores"]
        .as_array()
        .ok_or("answer has no `text`, `scores` or `failed`")?;
    scores
        .iter()
        .map(|pair| {
            Some(ContinuationScore {
                logprob: pair[0].as_f64()?,
                is_greedy: pair[1].as_bool()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .map(Answer::Scores)
        .ok_or_else(|| "an answer score is not [logprob, is_greedy]".into())
}

/// A sample score as JSON (metrics in their reported order).
pub fn score_json(s: &SampleScore) -> Value {
    json!({
        "metrics": s.metrics.iter().map(|m| json!([m.name, m.value])).collect::<Vec<_>>(),
        "extracted": s.extracted,
        "details": s.details,
    })
}

/// A sample score from [`score_json`]'s form.
///
/// # Errors
/// A message when the value is not such a score.
pub fn score_from_json(v: &Value) -> Result<SampleScore, String> {
    let metrics = v["metrics"]
        .as_array()
        .ok_or("score lacks `metrics`")?
        .iter()
        .map(|m| {
            Some(MetricValue {
                name: m[0].as_str()?.to_owned(),
                value: m[1].as_f64()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or("a metric is not [name, value]")?;
    Ok(SampleScore {
        metrics,
        extracted: v["extracted"].as_str().map(str::to_owned),
        details: v["details"]
            .as_str()
            .ok_or("score lacks `details`")?
            .to_owned(),
    })
}

/// The metrics of a score as a JSON object (for samples files).
pub fn metrics_object(s: &SampleScore) -> Value {
    let map: Map<String, Value> = s
        .metrics
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                serde_json::Number::from_f64(m.value)
                    .map(Value::Number)
                    .unwrap_or(Value::Null),
            )
        })
        .collect();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_exactly() {
        let queries = [
            Query::Choose(ChooseRequest {
                context: "Q: é?\nAnswer:".into(),
                continuations: vec![" A".into(), " B".into()],
                reference: Some(1),
            }),
            Query::Judge(GenerateRequest {
                messages: vec![Message {
                    role: "user".into(),
                    content: "rate this".into(),
                }],
                params: GenerationParams {
                    max_tokens: Some(5),
                    stop: vec!["\n".into()],
                    temperature: Some(0.5),
                },
                reference: None,
            }),
        ];
        for q in queries {
            assert_eq!(query_from_json(&query_json(&q)).unwrap(), q);
        }
        let answers = [
            Answer::Text("The answer is (B).".into()),
            Answer::Scores(vec![
                ContinuationScore {
                    logprob: -0.1 - 0.2,
                    is_greedy: true,
                },
                ContinuationScore {
                    logprob: -1e-300,
                    is_greedy: false,
                },
            ]),
            Answer::Failed("refused".into()),
        ];
        for a in answers {
            let text = answer_json(&a).to_string();
            assert_eq!(
                answer_from_json(&serde_json::from_str(&text).unwrap()).unwrap(),
                a
            );
        }
        let score = SampleScore {
            metrics: vec![MetricValue {
                name: "acc".into(),
                value: 1.0 / 3.0,
            }],
            extracted: None,
            details: "{\"a\":1}".into(),
        };
        let text = score_json(&score).to_string();
        assert_eq!(
            score_from_json(&serde_json::from_str(&text).unwrap()).unwrap(),
            score
        );
    }
}
