//! The run journal (`journal.jsonl` in the run directory): every answer a
//! server model gave and every finished sample, appended and flushed as it
//! happens, so that a run killed at any moment — SIGKILL included — resumes
//! with `--resume DIR` without losing a sample or asking a model twice.
//!
//! Lines: `{"t":"start", "args": …}` first, then any number of
//! `{"t":"answer", "bench", "sample", "step", "answer"}` and
//! `{"t":"done", "bench", "sample", "ok"|"err"}`, and `{"t":"finished"}`
//! once the results are written. A torn last line (the kill came
//! mid-write) is ignored.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::codec::{
    answer_from_json, answer_json, query_from_json, query_json, score_from_json, score_json,
};
use crate::model::{Model, ModelRequest};
use crate::runtime::wit::{Answer, Sample};

use super::scheduler::{AnswerStore, Exchange, Failure, Outcome, OutcomeSink, Scored};

/// The journal's file name inside a run directory.
pub const FILE: &str = "journal.jsonl";

/// Failures reading or writing a journal.
#[derive(Debug, thiserror::Error)]
#[error("run journal {}: {message}", path.display())]
pub struct JournalError {
    /// The journal file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// What an earlier, interrupted run left.
#[derive(Debug, Default)]
pub struct Resumed {
    /// The arguments it was started with.
    pub args: Value,
    /// Answers by (benchmark, sample, step).
    pub answers: HashMap<(String, String, u32), Answer>,
    /// Finished samples by (benchmark, sample).
    pub done: HashMap<(String, String), Outcome>,
    /// Whether it finished (results written).
    pub finished: bool,
}

/// An open journal, appended to by the scheduler's threads.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    resumed: Resumed,
}

impl Journal {
    /// Starts a new journal in `dir` with the run's arguments.
    ///
    /// # Errors
    /// [`JournalError`] when the file cannot be written.
    pub fn create(dir: &Path, args: Value) -> Result<Journal, JournalError> {
        let path = dir.join(FILE);
        let fail = |e: std::io::Error| JournalError {
            path: path.clone(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(fail)?;
        let file = File::create(&path).map_err(fail)?;
        let journal = Journal {
            path: path.clone(),
            file: Mutex::new(file),
            resumed: Resumed {
                args: args.clone(),
                ..Default::default()
            },
        };
        journal.write(&json!({"t": "start", "version": 1, "args": args}))?;
        Ok(journal)
    }

    /// Reads the journal in `dir` and reopens it for appending.
    ///
    /// # Errors
    /// [`JournalError`] when there is no journal or it does not parse.
    pub fn resume(dir: &Path) -> Result<Journal, JournalError> {
        let path = dir.join(FILE);
        let resumed = read(&path)?;
        let fail = |e: std::io::Error| JournalError {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut file = OpenOptions::new().append(true).open(&path).map_err(fail)?;
        // End a torn last line so that new lines start clean.
        let bytes = std::fs::read(&path).map_err(fail)?;
        if bytes.last().is_some_and(|b| *b != b'\n') {
            file.write_all(b"\n").map_err(fail)?;
        }
        Ok(Journal {
            path,
            file: Mutex::new(file),
            resumed,
        })
    }

    /// What the earlier run left (empty for a new journal).
    pub fn resumed(&self) -> &Resumed {
        &self.resumed
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Marks the run finished.
    ///
    /// # Errors
    /// [`JournalError`] when the line cannot be written.
    pub fn finish(&self) -> Result<(), JournalError> {
        self.write(&json!({"t": "finished"}))
    }

    /// Appends one line and hands it to the operating system at once (a
    /// killed process loses nothing the kernel has).
    fn write(&self, line: &Value) -> Result<(), JournalError> {
        let mut text = line.to_string();
        text.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(text.as_bytes()).map_err(|e| JournalError {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    /// A sink recording the finished samples of `benchmark`.
    pub fn sink<'a>(&'a self, benchmark: &'a str) -> BenchmarkSink<'a> {
        BenchmarkSink {
            journal: self,
            benchmark,
        }
    }
}

/// Whether `dir` holds a journal of a run that did not finish.
pub fn unfinished(dir: &Path) -> bool {
    let path = dir.join(FILE);
    path.exists() && read(&path).map(|r| !r.finished).unwrap_or(true)
}

fn read(path: &Path) -> Result<Resumed, JournalError> {
    let fail = |message: String| JournalError {
        path: path.into(),
        message,
    };
    let file =
        File::open(path).map_err(|e| fail(format!("{e} (is this a scorebox run directory?)")))?;
    let mut resumed = Resumed::default();
    let mut first = true;
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| fail(e.to_string()))?;
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            // A torn write at the moment of a kill: only ever the last line.
            continue;
        };
        let text = |k: &str| {
            v[k].as_str()
                .map(str::to_owned)
                .ok_or_else(|| fail(format!("line {}: no `{k}`", n + 1)))
        };
        match v["t"].as_str() {
            Some("start") if first => resumed.args = v["args"].clone(),
            _ if first => return Err(fail("does not start with a start record".into())),
            Some("answer") => {
                let step = v["step"]
                    .as_u64()
                    .ok_or_else(|| fail(format!("line {}: no `step`", n + 1)))?
                    as u32;
                let answer = answer_from_json(&v["answer"])
                    .map_err(|m| fail(format!("line {}: {m}", n + 1)))?;
                resumed
                    .answers
                    .insert((text("bench")?, text("sample")?, step), answer);
            }
            Some("done") => {
                let outcome =
                    outcome_from_json(&v).map_err(|m| fail(format!("line {}: {m}", n + 1)))?;
                resumed
                    .done
                    .insert((text("bench")?, text("sample")?), outcome);
            }
            Some("finished") => resumed.finished = true,
            _ => return Err(fail(format!("line {}: unknown record", n + 1))),
        }
        first = false;
    }
    if first {
        return Err(fail("is empty".into()));
    }
    Ok(resumed)
}

fn outcome_json(outcome: &Outcome) -> Value {
    match outcome {
        Ok(scored) => json!({"ok": {
            "score": score_json(&scored.score),
            "exchanges": scored.exchanges.iter().map(|e| json!({"query": query_json(&e.query), "answer": answer_json(&e.answer)})).collect::<Vec<_>>(),
        }}),
        Err(failure) => json!({"err": failure.message}),
    }
}

fn outcome_from_json(v: &Value) -> Result<Outcome, String> {
    if let Some(message) = v["err"].as_str() {
        return Ok(Err(Failure {
            message: message.to_owned(),
        }));
    }
    let ok = &v["ok"];
    let score = score_from_json(&ok["score"])?;
    let exchanges = ok["exchanges"]
        .as_array()
        .ok_or("`ok` lacks `exchanges`")?
        .iter()
        .map(|e| {
            Ok(Exchange {
                query: query_from_json(&e["query"])?,
                answer: answer_from_json(&e["answer"])?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Ok(Scored { score, exchanges }))
}

impl AnswerStore for Journal {
    fn lookup(&self, _model: &dyn Model, request: &ModelRequest) -> Option<Answer> {
        self.resumed
            .answers
            .get(&(
                request.benchmark.clone(),
                request.sample.clone(),
                request.step,
            ))
            .cloned()
    }

    fn record(&self, _model: &dyn Model, request: &ModelRequest, answer: &Answer) {
        // A journal that cannot be written only costs a repeated call on resume.
        let _ = self.write(&json!({
            "t": "answer", "bench": request.benchmark, "sample": request.sample, "step": request.step,
            "answer": answer_json(answer),
        }));
    }
}

/// Records one benchmark's finished samples.
pub struct BenchmarkSink<'a> {
    journal: &'a Journal,
    benchmark: &'a str,
}

impl OutcomeSink for BenchmarkSink<'_> {
    fn finished(&self, _index: usize, sample: &Sample, outcome: &Outcome) {
        let mut line = outcome_json(outcome);
        line["t"] = json!("done");
        line["bench"] = json!(self.benchmark);
        line["sample"] = json!(sample.id);
        let _ = self.journal.write(&line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::wit::{MetricValue, Query, SampleScore};

    #[test]
    fn a_journal_resumes_what_it_recorded_and_ignores_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::create(dir.path(), json!({"benchmarks": ["mmlu"]})).unwrap();
        let request = ModelRequest {
            benchmark: "mmlu".into(),
            sample: "anatomy/0".into(),
            step: 0,
            kind_index: 0,
            seed: 0,
            query: Query::Choose(crate::runtime::wit::ChooseRequest {
                context: "c".into(),
                continuations: vec![" A".into()],
                reference: None,
            }),
        };
        let answer = Answer::Text("B".into());
        journal.record(&crate::model::Gold, &request, &answer);
        let sample = Sample {
            id: "anatomy/0".into(),
            subtask: String::new(),
            data: "{}".into(),
            target: "B".into(),
        };
        let scored = Scored {
            score: SampleScore {
                metrics: vec![MetricValue {
                    name: "acc".into(),
                    value: 1.0,
                }],
                extracted: Some("B".into()),
                details: "{}".into(),
            },
            exchanges: vec![Exchange {
                query: request.query.clone(),
                answer: answer.clone(),
            }],
        };
        journal
            .sink("mmlu")
            .finished(0, &sample, &Ok(scored.clone()));
        journal.sink("mmlu").finished(
            1,
            &Sample {
                id: "x".into(),
                ..sample.clone()
            },
            &Err(Failure {
                message: "boom".into(),
            }),
        );
        drop(journal);
        // A kill in the middle of a write.
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .unwrap();
        file.write_all(b"{\"t\":\"answer\",\"ben").unwrap();
        assert!(unfinished(dir.path()));
        let resumed = Journal::resume(dir.path()).unwrap();
        let r = resumed.resumed();
        assert_eq!(r.args["benchmarks"][0], "mmlu");
        assert_eq!(r.answers[&("mmlu".into(), "anatomy/0".into(), 0)], answer);
        assert_eq!(r.done[&("mmlu".into(), "anatomy/0".into())], Ok(scored));
        assert_eq!(
            r.done[&("mmlu".into(), "x".into())],
            Err(Failure {
                message: "boom".into()
            })
        );
        resumed.finish().unwrap();
        assert!(!unfinished(dir.path()));
    }
}
