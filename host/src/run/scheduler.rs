//! Scoring every sample: a few worker threads, each with one plugin
//! instance holding many live episodes, and the model requests of all of
//! them in flight at once.
//!
//! An episode is a pure function of its sample, its seed and the answers it
//! receives. That gives the two properties the scheduler relies on:
//! * a worker may keep many episodes alive in one instance and step each
//!   when its answer arrives, in any order, without changing any result;
//! * when one episode traps (which makes the instance unusable), the other
//!   live episodes are rebuilt in a fresh instance by feeding them the
//!   answers they already had: no model is asked twice.
//!
//! Built-in models answer in place; server models answer later, on the
//! tokio runtime, with at most `concurrency` requests in flight.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use crate::model::{Model, ModelError, ModelRequest, Reply};
use crate::runtime::wit::{
    Answer, Capability, EpisodeConfig, OptionValue, Query, Sample, SampleScore, Step,
};
use crate::runtime::{Episode, Fault, PluginError, PluginInstance};

use super::seed;

/// One query and the answer it got.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// What the scorer asked.
    pub query: Query,
    /// What it was told.
    pub answer: Answer,
}

/// A sample scored successfully.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The scorer's verdict.
    pub score: SampleScore,
    /// Every query of the episode with its answer, in order.
    pub exchanges: Vec<Exchange>,
}

/// Why a sample has no score: the message names plugin, sample and cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// The full explanation.
    pub message: String,
}

/// What a finished sample produced.
pub type Outcome = Result<Scored, Failure>;

/// Where answers come from besides the model: answers recorded by an
/// interrupted run, and the request cache. Both are keyed by
/// (sample id, step); implementations live in `journal` and `cache`.
pub trait AnswerStore: Send + Sync {
    /// A stored answer for this request, if any.
    fn lookup(&self, model: &dyn Model, request: &ModelRequest) -> Option<Answer>;
    /// Records an answer the model gave.
    fn record(&self, model: &dyn Model, request: &ModelRequest, answer: &Answer);
}

/// Receives each sample's outcome as soon as it is final (the journal).
pub trait OutcomeSink: Send + Sync {
    /// Sample `index` (in loader order) finished with `outcome`.
    fn finished(&self, index: usize, sample: &Sample, outcome: &Outcome);
}

/// Everything the workers share.
pub struct Plan<'a> {
    /// The benchmark name (for seeds and messages).
    pub benchmark: &'a str,
    /// The scorer.
    pub plugin: &'a crate::runtime::Plugin,
    /// The loader's shared data, handed to every instance.
    pub shared: &'a str,
    /// Scorer options.
    pub options: &'a [OptionValue],
    /// The scorer's declared capabilities.
    pub capabilities: &'a [Capability],
    /// Metric names the scorer declared.
    pub metrics: &'a [String],
    /// The run seed.
    pub run_seed: u64,
    /// The model under test.
    pub model: &'a Arc<dyn Model>,
    /// The judge, if any.
    pub judge: Option<&'a Arc<dyn Model>>,
    /// Most queries one episode may ask.
    pub max_steps: u32,
    /// Worker threads.
    pub workers: usize,
    /// Model requests in flight at once (over all workers).
    pub concurrency: usize,
    /// Stored answers consulted before asking a model.
    pub stores: &'a [Arc<dyn AnswerStore>],
    /// Where outcomes go as they finish.
    pub sink: Option<&'a dyn OutcomeSink>,
    /// Set to stop starting new samples (Ctrl-C).
    pub stop: &'a AtomicBool,
    /// Called after each finished sample with (done, failed).
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Scores `todo` (indices into `samples`) and returns their outcomes by
/// index. Samples not started because of `stop` are absent.
pub fn score(plan: &Plan<'_>, samples: &[Sample], todo: &[usize]) -> HashMap<usize, Outcome> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let results = Mutex::new(HashMap::new());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("scorebox-models")
        .build()
        .expect("a tokio runtime can be built");
    let permits = Arc::new(tokio::sync::Semaphore::new(plan.concurrency.max(1)));
    let workers = plan.workers.clamp(1, todo.len().max(1));
    let per_worker = plan.concurrency.max(1).div_ceil(workers);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut worker = Worker {
                    plan,
                    samples,
                    instance: None,
                    live: HashMap::new(),
                    next_id: 0,
                    channel: channel(),
                    runtime: runtime.handle(),
                    permits: &permits,
                };
                let finish = |index: usize, outcome: Outcome| {
                    if let Some(sink) = plan.sink {
                        sink.finished(index, &samples[index], &outcome);
                    }
                    if outcome.is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(index, outcome);
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    (plan.progress)(d, failed.load(Ordering::Relaxed));
                };
                worker.run(|| next_index(&next, todo, plan.stop), &finish, per_worker);
            });
        }
    });
    runtime.shutdown_background();
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn next_index(next: &AtomicUsize, todo: &[usize], stop: &AtomicBool) -> Option<usize> {
    if stop.load(Ordering::Relaxed) {
        return None;
    }
    todo.get(next.fetch_add(1, Ordering::Relaxed)).copied()
}

/// A live episode.
struct Live {
    index: usize,
    episode: Episode,
    seed: u64,
    exchanges: Vec<Exchange>,
    /// The query waiting for an answer from the runtime.
    pending: Option<ModelRequest>,
    generations: u32,
    choices: u32,
}

type Delivery = (u64, Result<Answer, ModelError>);

struct Worker<'p, 's> {
    plan: &'p Plan<'p>,
    samples: &'s [Sample],
    instance: Option<PluginInstance>,
    live: HashMap<u64, Live>,
    next_id: u64,
    channel: (Sender<Delivery>, Receiver<Delivery>),
    runtime: &'p tokio::runtime::Handle,
    permits: &'p Arc<tokio::sync::Semaphore>,
}

/// What to do with an episode after a step.
enum Next {
    /// Step again with this answer now.
    Answer(Answer),
    /// Wait for the runtime to deliver its answer.
    Wait,
    /// It is finished.
    Finished(Outcome),
}

impl Worker<'_, '_> {
    fn run(
        &mut self,
        mut take: impl FnMut() -> Option<usize>,
        finish: &impl Fn(usize, Outcome),
        per_worker: usize,
    ) {
        loop {
            while self.live.len() < per_worker {
                let Some(index) = take() else { break };
                self.start(index, finish);
            }
            if self.live.is_empty() {
                return;
            }
            let (id, answer) = self.channel.1.recv().expect("the worker holds a sender");
            let Some(live) = self.live.get_mut(&id) else {
                continue;
            };
            let request = live.pending.take().expect("a delivered answer was pending");
            match answer {
                Ok(answer) => self.advance(id, request.query, answer, finish),
                Err(e) => {
                    let index = self.live[&id].index;
                    self.end(id, Err(model_failure(&self.samples[index], e)), finish);
                }
            }
        }
    }

    /// Starts sample `index` and drives it until it waits or finishes.
    fn start(&mut self, index: usize, finish: &impl Fn(usize, Outcome)) {
        let sample = &self.samples[index];
        let seed = seed::derive(self.plan.run_seed, &[self.plan.benchmark, &sample.id]);
        let config = EpisodeConfig {
            seed,
            options: self.plan.options.to_vec(),
        };
        let episode = match self
            .instance()
            .and_then(|i| i.start_episode(sample, &config))
        {
            Ok(episode) => episode,
            Err(e) => {
                let e = PluginError {
                    sample: Some(sample.id.clone()),
                    ..e
                };
                finish(
                    index,
                    Err(Failure {
                        message: e.to_string(),
                    }),
                );
                self.recover_with(finish);
                return;
            }
        };
        let id = self.next_id;
        self.next_id += 1;
        let live = Live {
            index,
            episode,
            seed,
            exchanges: Vec::new(),
            pending: None,
            generations: 0,
            choices: 0,
        };
        self.live.insert(id, live);
        self.drive(id, None, finish);
    }

    /// Records `answer` to `query` and steps on.
    fn advance(&mut self, id: u64, query: Query, answer: Answer, finish: &impl Fn(usize, Outcome)) {
        let live = self.live.get_mut(&id).expect("live");
        live.exchanges.push(Exchange {
            query,
            answer: answer.clone(),
        });
        self.drive(id, Some(answer), finish);
    }

    /// Steps episode `id` with `answer` and keeps going while answers come at once.
    fn drive(&mut self, id: u64, mut answer: Option<Answer>, finish: &impl Fn(usize, Outcome)) {
        loop {
            match self.step(id, answer.take()) {
                Next::Answer(a) => {
                    let live = self.live.get_mut(&id).expect("live");
                    let request = live.pending.take().expect("pending");
                    live.exchanges.push(Exchange {
                        query: request.query,
                        answer: a.clone(),
                    });
                    answer = Some(a);
                }
                Next::Wait => return,
                Next::Finished(outcome) => {
                    self.end(id, outcome, finish);
                    return;
                }
            }
        }
    }

    fn step(&mut self, id: u64, answer: Option<Answer>) -> Next {
        let plan = self.plan;
        let live = &self.live[&id];
        let sample = &self.samples[live.index];
        let step_no = live.exchanges.len() as u32;
        let step_seed = seed::step(live.seed, step_no);
        let instance = self
            .instance
            .as_mut()
            .expect("an instance while episodes are live");
        let step = match instance.step(&live.episode, answer.as_ref(), step_seed) {
            Ok(step) => step,
            Err(e) => {
                return Next::Finished(Err(Failure {
                    message: e.to_string(),
                }));
            }
        };
        let query = match step {
            Step::Done(score) => {
                return Next::Finished(match validate(instance, sample, &score, plan.metrics) {
                    Ok(()) => Ok(Scored {
                        score,
                        exchanges: self.live[&id].exchanges.clone(),
                    }),
                    Err(e) => Err(Failure {
                        message: e.to_string(),
                    }),
                });
            }
            Step::Ask(query) => query,
        };
        if step_no >= plan.max_steps {
            let e = protocol(
                instance,
                sample,
                format!("asked more than {} queries in one episode", plan.max_steps),
            );
            return Next::Finished(Err(Failure {
                message: e.to_string(),
            }));
        }
        let model = match &query {
            Query::Judge(_) => {
                if !plan.capabilities.contains(&Capability::Judge) {
                    let e = protocol(
                        instance,
                        sample,
                        "asked a judge query but does not declare the `judge` capability".into(),
                    );
                    return Next::Finished(Err(Failure {
                        message: e.to_string(),
                    }));
                }
                match plan.judge {
                    Some(judge) => judge,
                    None => {
                        return Next::Finished(Err(Failure {
                            message: format!(
                                "sample `{}`: {} asks a judge model; pass --judge MODEL",
                                sample.id,
                                instance.plugin().id()
                            ),
                        }));
                    }
                }
            }
            _ => plan.model,
        };
        let live = self.live.get_mut(&id).expect("live");
        let kind_index = match &query {
            Query::Choose(_) => &mut live.choices,
            Query::Generate(_) | Query::Judge(_) => &mut live.generations,
        };
        let request = ModelRequest {
            benchmark: plan.benchmark.to_string(),
            sample: sample.id.clone(),
            step: step_no,
            kind_index: *kind_index,
            seed: step_seed,
            query,
        };
        *kind_index += 1;
        for store in plan.stores {
            if let Some(answer) = store.lookup(model.as_ref(), &request) {
                live.pending = Some(request);
                return Next::Answer(answer);
            }
        }
        match model.answer(&request) {
            Reply::Now(Ok(answer)) => {
                live.pending = Some(request);
                Next::Answer(answer)
            }
            Reply::Now(Err(e)) => Next::Finished(Err(model_failure(sample, e))),
            Reply::Later(future) => {
                let tx = self.channel.0.clone();
                let permits = Arc::clone(self.permits);
                let stores = plan.stores.to_vec();
                let model = Arc::clone(model);
                let recorded = request.clone();
                self.runtime.spawn(async move {
                    let permit = permits.acquire_owned().await;
                    let answer = future.await;
                    drop(permit);
                    if let Ok(a) = &answer {
                        for store in &stores {
                            store.record(model.as_ref(), &recorded, a);
                        }
                    }
                    let _ = tx.send((id, answer));
                });
                live.pending = Some(request);
                Next::Wait
            }
        }
    }

    /// Ends episode `id` and, if its instance trapped, rebuilds the others.
    fn end(&mut self, id: u64, outcome: Outcome, finish: &impl Fn(usize, Outcome)) {
        let live = self.live.remove(&id).expect("live");
        if let Some(instance) = self.instance.as_mut() {
            instance.finish_episode(live.episode);
        }
        finish(live.index, outcome);
        self.recover_with(finish);
    }

    /// After a trap: a fresh instance, and every live episode replayed into
    /// it from the answers it already had. An episode that cannot be
    /// replayed fails; if its replay trapped, the others are replayed again.
    fn recover_with(&mut self, finish: &impl Fn(usize, Outcome)) {
        while self.instance.as_ref().is_some_and(|i| i.is_poisoned()) {
            self.instance = None;
            let ids: Vec<u64> = self.live.keys().copied().collect();
            for id in ids {
                let Err(message) = self.rebuild(id) else {
                    continue;
                };
                let live = self.live.remove(&id).expect("live");
                let sample = &self.samples[live.index];
                finish(
                    live.index,
                    Err(Failure {
                        message: format!(
                            "plugin {}, sample `{}`: could not be restored after another sample trapped the shared instance: {message}",
                            self.plan.plugin.id(),
                            sample.id
                        ),
                    }),
                );
                if self.instance.as_ref().is_some_and(|i| i.is_poisoned()) {
                    break;
                }
            }
        }
    }

    /// Replays live episode `id` into the current (fresh) instance.
    fn rebuild(&mut self, id: u64) -> Result<(), String> {
        let (sample, seed, exchanges, pending) = {
            let live = &self.live[&id];
            let pending = live.pending.as_ref().map(|r| r.query.clone());
            (
                &self.samples[live.index],
                live.seed,
                live.exchanges.clone(),
                pending,
            )
        };
        let options = self.plan.options.to_vec();
        let instance = self.instance().map_err(|e| e.to_string())?;
        let episode = instance
            .start_episode(sample, &EpisodeConfig { seed, options })
            .map_err(|e| e.to_string())?;
        let mut answer = None;
        for (n, exchange) in exchanges.iter().enumerate() {
            match instance
                .step(&episode, answer.as_ref(), seed::step(seed, n as u32))
                .map_err(|e| e.to_string())?
            {
                Step::Ask(q) if q == exchange.query => answer = Some(exchange.answer.clone()),
                _ => return Err("its replay diverged from the first run".into()),
            }
        }
        match instance
            .step(
                &episode,
                answer.as_ref(),
                seed::step(seed, exchanges.len() as u32),
            )
            .map_err(|e| e.to_string())?
        {
            Step::Ask(q) if Some(&q) == pending.as_ref() => {}
            _ => return Err("its replay diverged from the first run".into()),
        }
        self.live.get_mut(&id).expect("live").episode = episode;
        Ok(())
    }

    /// The worker's instance, made (and prepared) if it has none.
    fn instance(&mut self) -> Result<&mut PluginInstance, PluginError> {
        if self.instance.as_ref().is_none_or(|i| i.is_poisoned()) {
            let mut instance = self.plan.plugin.instantiate()?;
            instance.prepare(self.plan.shared, self.plan.options)?;
            self.instance = Some(instance);
        }
        Ok(self.instance.as_mut().expect("just made"))
    }
}

fn model_failure(sample: &Sample, e: ModelError) -> Failure {
    Failure {
        message: format!("sample `{}`: {e}", sample.id),
    }
}

fn validate(
    instance: &PluginInstance,
    sample: &Sample,
    score: &SampleScore,
    metrics: &[String],
) -> Result<(), PluginError> {
    for metric in &score.metrics {
        if !metrics.iter().any(|m| m == &metric.name) {
            return Err(protocol(
                instance,
                sample,
                format!(
                    "reported metric `{}` which its info does not declare",
                    metric.name
                ),
            ));
        }
        if !metric.value.is_finite() {
            return Err(protocol(
                instance,
                sample,
                format!("reported a non-finite value for `{}`", metric.name),
            ));
        }
    }
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&score.details) {
        let start: String = score.details.chars().take(60).collect();
        return Err(protocol(
            instance,
            sample,
            format!("returned details that are not JSON ({e}): `{start}`"),
        ));
    }
    Ok(())
}

fn protocol(instance: &PluginInstance, sample: &Sample, message: String) -> PluginError {
    PluginError {
        plugin: instance.plugin().id().clone(),
        sample: Some(sample.id.clone()),
        call: "step",
        fault: Fault::Protocol { message },
    }
}
