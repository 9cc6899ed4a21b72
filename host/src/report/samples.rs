//! `samples_<benchmark>.jsonl`: one line per sample with its queries,
//! answers, extracted answer and metrics.

use std::io::Write;

use serde_json::{Map, Value, json};

use crate::codec::{answer_json, metrics_object, query_json};
use crate::run::{BenchmarkRun, SampleOutcome};

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
            line.insert("metrics".into(), metrics_object(&scored.score));
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
