//! `samples_<benchmark>.jsonl`: one line per sample with its queries,
//! answers, extracted answer and metrics.

use std::io::Write;

use serde_json::{Map, Value, json};

use crate::run::{BenchmarkRun, SampleOutcome};
use crate::runtime::wit::{Answer, Query};

/// Writes one line per sample of `run` to `out`, in sample order.
///
/// # Errors
/// The writer's I/O error.
pub fn write_samples(run: &BenchmarkRun, out: &mut impl Write) -> std::io::Result<()> {
    for outcome in &run.outcomes {
        serde_json::to_writer(&mut *out, &sample_line(outcome))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn sample_line(o: &SampleOutcome) -> Value {
    let mut line = Map::new();
    line.insert("id".into(), Value::String(o.sample.id.clone()));
    line.insert("subtask".into(), Value::String(o.sample.subtask.clone()));
    line.insert("target".into(), Value::String(o.sample.target.clone()));
    match &o.result {
        Ok(scored) => {
            let exchanges: Vec<Value> = scored
                .exchanges
                .iter()
                .map(|e| json!({"query": query_json(&e.query), "answer": answer_json(&e.answer)}))
                .collect();
            line.insert("exchanges".into(), Value::Array(exchanges));
            line.insert("extracted".into(), json!(scored.score.extracted));
            let metrics: Map<String, Value> = scored
                .score
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
            line.insert("metrics".into(), Value::Object(metrics));
            let details = serde_json::from_str(&scored.score.details).unwrap_or(Value::Null);
            line.insert("details".into(), details);
            line.insert("error".into(), Value::Null);
        }
        Err(e) => {
            line.insert("error".into(), Value::String(e.to_string()));
        }
    }
    Value::Object(line)
}

/// A query as JSON (for samples files and caches).
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
