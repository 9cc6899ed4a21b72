//! An in-process host for native tests: drives a [`Benchmark`] through the
//! same glue the component exports (option validation, the shared data
//! encoded as JSON text by `load` and decoded once by `prepare`, episodes,
//! `aggregate`), so a plugin's tests cover what the real host sees.
//!
//! ```ignore
//! use scorebox_sdk::testing;
//! let options = testing::options(&[("num_fewshot", "5")]);
//! let (items, shared) = testing::load::<MyBench>(files, &options)?;
//! testing::prepare::<MyBench>(&shared, &options)?;
//! let score = testing::score::<MyBench>(&sample, 7, &options, |query| answer)?;
//! let report = testing::aggregate::<MyBench>(scored, &options)?;
//! ```
//!
//! The shared data lives in the calling thread (as in a component instance),
//! so call `prepare` and the rest from the same thread.
//!
//! Inputs for those calls, written once for every plugin's tests:
//! [`files_from_dir`] (a folder read as the host reads `--data`, decoded by
//! [`decode_rows`]), [`gold`] (the host's `gold` model), [`scores`],
//! [`data_file`], [`samples`], [`label`], [`assert_declared`]; and for
//! fidelity tests against golden JSON files, [`read_json`], [`by_id`] and
//! [`json_f64`].
//! These helpers exist off `wasm32` only: no component reads files or plays
//! a model, and leaving them out keeps the components' bytes as they were.

#[cfg(not(target_arch = "wasm32"))]
mod files;
#[cfg(not(target_arch = "wasm32"))]
mod helpers;

#[cfg(not(target_arch = "wasm32"))]
pub use files::{decode_rows, files_from_dir};
#[cfg(not(target_arch = "wasm32"))]
pub use helpers::{
    GOLD_WRONG_LOGPROB, assert_declared, by_id, data_file, gold, json_f64, label, read_json,
    samples, scores,
};

use crate::__private::Component;
use crate::__private::bindings::exports::scorebox::bench::{loader, scorer};
use crate::{
    Answer, Benchmark, DataFile, EpisodeConfig, Error, Loaded, OptionValue, Query, Report, Sample,
    SampleScore, ScoredSample, Step,
};

/// The most queries [`score`] answers before it gives up on an episode.
pub const MAX_STEPS: usize = 1000;

/// `key=value` options as the host passes them.
pub fn options(pairs: &[(&str, &str)]) -> Vec<OptionValue> {
    pairs
        .iter()
        .map(|(k, v)| OptionValue {
            key: k.to_string(),
            value: v.to_string(),
        })
        .collect()
}

/// The loader's `load`: the items and the shared data as the JSON text the
/// host receives (empty when there is none).
///
/// # Errors
/// The loader's error, or an option or encoding error.
pub fn load<B: Benchmark>(
    files: Vec<DataFile>,
    options: &[OptionValue],
) -> Result<(Vec<Loaded>, String), Error> {
    let set = <Component<B> as loader::Guest>::load(files, options.to_vec())?;
    Ok((set.items, set.shared))
}

/// The scorer's `prepare`: decodes `shared` and keeps it in this thread for
/// [`score`] and [`aggregate`].
///
/// # Errors
/// An option error, shared data that does not decode, or the benchmark's
/// [`Benchmark::prepare`] error.
pub fn prepare<B: Benchmark>(shared: &str, options: &[OptionValue]) -> Result<(), Error> {
    <Component<B> as scorer::Guest>::prepare(shared.to_string(), options.to_vec())
}

/// One episode, as the host runs it: `step(None)`, then each query answered
/// by `model` until the episode is done.
///
/// # Errors
/// The episode's error (including `start`'s and a missing `prepare`), or
/// more than [`MAX_STEPS`] queries.
pub fn score<B: Benchmark>(
    sample: &Sample,
    seed: u64,
    options: &[OptionValue],
    mut model: impl FnMut(&Query) -> Answer,
) -> Result<SampleScore, Error> {
    use scorer::GuestEpisode;
    let episode = <Component<B> as scorer::Guest>::Episode::new(
        sample.clone(),
        EpisodeConfig {
            seed,
            options: options.to_vec(),
        },
    );
    let mut answer = None;
    for _ in 0..MAX_STEPS {
        match episode.step(answer.take())? {
            Step::Ask(query) => answer = Some(model(&query)),
            Step::Done(score) => return Ok(score),
        }
    }
    Err(Error::new(format!(
        "sample {}: no result after {MAX_STEPS} queries",
        sample.id
    )))
}

/// [`score`] wrapped as the [`ScoredSample`] `aggregate` receives.
///
/// # Errors
/// As [`score`].
pub fn scored<B: Benchmark>(
    sample: &Sample,
    seed: u64,
    options: &[OptionValue],
    model: impl FnMut(&Query) -> Answer,
) -> Result<ScoredSample, Error> {
    Ok(ScoredSample {
        id: sample.id.clone(),
        subtask: sample.subtask.clone(),
        score: score::<B>(sample, seed, options, model)?,
    })
}

/// The scorer's `aggregate`, with the shared data `prepare` kept.
///
/// # Errors
/// The benchmark's error, an option error, or a missing `prepare`.
pub fn aggregate<B: Benchmark>(
    samples: Vec<ScoredSample>,
    options: &[OptionValue],
) -> Result<Report, Error> {
    <Component<B> as scorer::Guest>::aggregate(samples, options.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Episode, OptionSpec, Options, PluginInfo, step};
    use serde::{Deserialize, Serialize};

    /// Shared data: the answer every sample expects.
    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Expect {
        word: String,
    }

    struct Echo;
    struct EchoEpisode {
        word: String,
        asked: bool,
    }

    impl Episode for EchoEpisode {
        fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
            if !self.asked {
                self.asked = true;
                return Ok(step::generate(
                    vec![step::user("say it")],
                    step::params(None, &[], None),
                    Some(self.word.clone()),
                ));
            }
            let text = step::text_answer(answer)?;
            let acc = if text == self.word { 1.0 } else { 0.0 };
            Ok(step::done(
                &[("acc", acc)],
                Some(text),
                &serde_json::json!({}),
            ))
        }
    }

    impl Benchmark for Echo {
        type Episode = EchoEpisode;
        type Shared = Expect;
        const OPTIONS: &'static [OptionSpec] = &[OptionSpec {
            key: "word",
            default: "",
            allowed: &[],
            description: "the word to expect",
        }];

        fn info() -> PluginInfo {
            PluginInfo {
                name: "echo".into(),
                version: "0.0.0".into(),
                description: String::new(),
                subtasks: Vec::new(),
                options: Vec::new(),
                metrics: Vec::new(),
                capabilities: Vec::new(),
                data: Vec::new(),
            }
        }

        fn load(
            files: Vec<DataFile>,
            options: &Options,
        ) -> Result<crate::LoadedSet<Expect>, Error> {
            let items = files
                .iter()
                .map(|f| {
                    Loaded::Sample(Sample {
                        id: f.path.clone(),
                        subtask: String::new(),
                        data: String::new(),
                        target: String::new(),
                    })
                })
                .collect();
            let word = options.get("word")?.to_string();
            Ok(crate::LoadedSet::with_shared(items, Expect { word }))
        }

        fn prepare(shared: Expect, _options: &Options) -> Result<Expect, Error> {
            if shared.word == "forbidden" {
                return Err(Error::new("forbidden word"));
            }
            Ok(shared)
        }

        fn start(
            _sample: Sample,
            _seed: u64,
            shared: &Expect,
            _options: &Options,
        ) -> Result<EchoEpisode, Error> {
            Ok(EchoEpisode {
                word: shared.word.clone(),
                asked: false,
            })
        }

        fn aggregate(
            samples: Vec<ScoredSample>,
            shared: &Expect,
            _options: &Options,
        ) -> Result<Report, Error> {
            // Revise every sample: record the expected word in its details.
            let revised = samples
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    s.score.details = serde_json::json!({ "word": shared.word }).to_string();
                    s
                })
                .collect();
            Ok(crate::aggregate::default_report("echo", &samples).with_revised(revised))
        }
    }

    fn files() -> Vec<DataFile> {
        ["a", "b"]
            .iter()
            .map(|p| DataFile {
                path: p.to_string(),
                sha256: String::new(),
                format: crate::FileFormat::Jsonl,
                rows: Vec::new(),
            })
            .collect()
    }

    fn run(word: &str, model_says: &str) -> Result<Report, Error> {
        let opts = options(&[("word", word)]);
        let (items, shared) = load::<Echo>(files(), &opts)?;
        prepare::<Echo>(&shared, &opts)?;
        let mut scored_samples = Vec::new();
        for item in items {
            let Loaded::Sample(s) = item else { panic!() };
            scored_samples.push(scored::<Echo>(&s, 0, &opts, |_| {
                Answer::Text(model_says.into())
            })?);
        }
        aggregate::<Echo>(scored_samples, &opts)
    }

    #[test]
    fn shared_data_reaches_episodes_and_aggregate() {
        let opts = options(&[("word", "yes")]);
        let (_, shared) = load::<Echo>(files(), &opts).unwrap();
        assert_eq!(shared, r#"{"word":"yes"}"#);
        let report = run("yes", "yes").unwrap();
        assert_eq!(report.tasks[0].metrics[0].value, 1.0);
        assert_eq!(report.revised.len(), 2);
        assert_eq!(report.revised[1].id, "b");
        assert_eq!(report.revised[0].score.details, r#"{"word":"yes"}"#);
        assert_eq!(run("yes", "no").unwrap().tasks[0].metrics[0].value, 0.0);
    }

    #[test]
    fn default_shared_data_travels_as_the_empty_string() {
        let opts = options(&[]);
        let (_, shared) = load::<Echo>(files(), &opts).unwrap();
        assert_eq!(shared, "");
        assert_eq!(run("", "").unwrap().tasks[0].metrics[0].value, 1.0);
    }

    #[test]
    fn prepare_errors_and_missing_prepare_fail_every_sample() {
        let opts = options(&[]);
        let sample = Sample {
            id: "a".into(),
            subtask: String::new(),
            data: String::new(),
            target: String::new(),
        };
        // A fresh thread: `prepare` never ran there.
        let e = std::thread::spawn(move || {
            let e = aggregate::<Echo>(Vec::new(), &opts).unwrap_err();
            assert!(e.message.contains("`prepare` did not succeed"), "{e:?}");
            score::<Echo>(&sample, 0, &opts, |_| Answer::Text(String::new())).unwrap_err()
        })
        .join()
        .unwrap();
        assert!(e.message.contains("`prepare` did not succeed"), "{e:?}");
        let opts = options(&[]);
        let e = prepare::<Echo>("[1, 2]", &opts).unwrap_err();
        assert!(
            e.message.contains("not this plugin's loader output"),
            "{e:?}"
        );
        let e = run("forbidden", "x").unwrap_err();
        assert_eq!(e.message, "forbidden word");
        // A failed `prepare` leaves no shared data behind.
        let e = aggregate::<Echo>(Vec::new(), &opts).unwrap_err();
        assert!(e.message.contains("`prepare` did not succeed"), "{e:?}");
    }
}
