//! `judged`: a well-behaved benchmark that declares the `judge` capability.
//! Each sample asks the model under test, then asks the judge to grade the
//! answer. Not hostile: it checks the host's judge routing (a run without
//! `--judge` is refused per sample; with one, judge queries go to it).

wit_bindgen::generate!({
    path: "../../../wit/v0.1",
    world: "benchmark-plugin",
});

#[path = "../../common/mod.rs"]
mod common;

use core::cell::Cell;
use exports::scorebox::bench::{loader, scorer};
use scorebox::bench::types::{
    Answer, Capability, DataFile, EpisodeConfig, Error, GenerateRequest, GenerationParams,
    LoadedSet, Message, OptionValue, PluginInfo, Query, Report, Sample, ScoredSample, Step,
};

struct Judged;

fn info() -> PluginInfo {
    let mut info = common::info(
        "judged",
        "Test fixture: answers graded by a judge model (declares the judge capability).",
    );
    info.capabilities = vec![Capability::Judge];
    info
}

impl loader::Guest for Judged {
    fn info() -> PluginInfo {
        info()
    }

    fn load(_files: Vec<DataFile>, _options: Vec<OptionValue>) -> Result<LoadedSet, Error> {
        Ok(common::loaded_set(common::ok_samples(2)))
    }
}

impl scorer::Guest for Judged {
    type Episode = JudgedEpisode;

    fn info() -> PluginInfo {
        info()
    }

    fn prepare(shared: String, options: Vec<OptionValue>) -> Result<(), Error> {
        common::prepare(shared, options)
    }

    fn aggregate(samples: Vec<ScoredSample>, _options: Vec<OptionValue>) -> Result<Report, Error> {
        Ok(common::mean_report("judged", &samples))
    }
}

/// Step 0 asks the model; step 1 asks the judge about the model's answer;
/// step 2 scores acc = 1 when the judge said `GRADE: 1`.
pub struct JudgedEpisode {
    step: Cell<u8>,
}

impl scorer::GuestEpisode for JudgedEpisode {
    fn new(_sample: Sample, _config: EpisodeConfig) -> Self {
        JudgedEpisode { step: Cell::new(0) }
    }

    fn step(&self, answer: Option<Answer>) -> Result<Step, Error> {
        let step = self.step.get();
        self.step.set(step + 1);
        match (step, answer) {
            (0, None) => Ok(Step::Ask(Query::Generate(common::yes_request()))),
            (1, Some(Answer::Text(text))) => Ok(Step::Ask(Query::Judge(GenerateRequest {
                messages: vec![Message {
                    role: "user".into(),
                    content: format!(
                        "Grade this answer to `Answer with the single word yes.`: {text}\nReply GRADE: 1 or GRADE: 0."
                    ),
                }],
                params: GenerationParams {
                    max_tokens: Some(8),
                    stop: Vec::new(),
                    temperature: Some(0.0),
                },
                reference: Some("GRADE: 1".into()),
            }))),
            (2, Some(Answer::Text(grade))) => {
                let acc = if grade.contains("GRADE: 1") { 1.0 } else { 0.0 };
                Ok(common::done(acc, Some(grade), "{}".into()))
            }
            _ => Err(common::error("judged: unexpected step")),
        }
    }
}

export!(Judged);
