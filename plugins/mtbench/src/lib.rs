//! MT-Bench (Zheng et al., "Judging LLM-as-a-Judge with MT-Bench and Chatbot
//! Arena", NeurIPS 2023; lm-sys FastChat `fastchat/llm_judge`) as a scorebox
//! plugin: loader and scorer.
//!
//! Each of the 80 questions has two user turns. The model answers turn 1,
//! then turn 2 with its own turn-1 answer in the conversation; a judge model
//! rates each turn from 1 to 10 with FastChat's single-answer grading prompts
//! (embedded, [`prompts`]), and the rating is parsed with FastChat's regular
//! expressions ([`rating`]). See the crate README for the reference and every
//! known difference.
#![deny(missing_docs)]

pub mod episode;
pub mod load;
pub mod prompts;
pub mod rating;
pub mod report;

use scorebox_sdk::{
    Benchmark, Capability, DataFile, DataSource, Error, LoadedSet, MetricInfo, OptionSpec, Options,
    PluginInfo, Report, Sample, ScoredSample,
};

use crate::episode::{MtBenchEpisode, TemperatureRule};
use crate::load::Item;

/// The plugin version (a change that can move a score bumps it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The options MT-Bench understands.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "max_tokens",
        default: "1024",
        allowed: &[],
        description: "max_tokens of each answer (FastChat gen_model_answer.py --max-new-token 1024)",
    },
    OptionSpec {
        key: "temperature",
        default: "category",
        allowed: &["category", "greedy"],
        description: "category: FastChat's temperature_config (writing/roleplay 0.7, \
                      extraction/math/coding/reasoning 0.0, stem/humanities 0.1, other 0.7); \
                      greedy: 0 for every answer",
    },
    OptionSpec {
        key: "reference_model",
        default: "gpt-4",
        allowed: &[],
        description: "reference answers for math/reasoning/coding come from \
                      reference_answer/<this>.jsonl when the data holds it (FastChat: the judge \
                      model's, gpt-4), else from the question's own `reference` field",
    },
];

/// The MT-Bench benchmark.
pub struct MtBench;

fn metric(name: &str, higher_is_better: bool, description: &str) -> MetricInfo {
    MetricInfo {
        name: name.into(),
        higher_is_better,
        description: description.into(),
    }
}

impl Benchmark for MtBench {
    type Episode = MtBenchEpisode;
    type Shared = ();
    const OPTIONS: &'static [OptionSpec] = OPTIONS;

    fn info() -> PluginInfo {
        PluginInfo {
            name: report::TASK.into(),
            version: VERSION.into(),
            description:
                "MT-Bench: 80 two-turn questions in 8 categories, each turn rated 1-10 by \
                          a judge model with FastChat's single-answer grading prompts"
                    .into(),
            subtasks: report::CATEGORIES.iter().map(|c| c.to_string()).collect(),
            options: Vec::new(),
            metrics: vec![
                metric(
                    "score",
                    true,
                    "mean judge rating (1-10) over both turns' valid ratings (ratings of -1 dropped)",
                ),
                metric(
                    "score_turn1",
                    true,
                    "judge rating (1-10) of the first turn; mean over valid ratings",
                ),
                metric(
                    "score_turn2",
                    true,
                    "judge rating (1-10) of the second turn (multi-turn prompt); mean over valid ratings",
                ),
                metric(
                    "invalid_ratings",
                    false,
                    "judgments without a parsable rating (FastChat's -1, or a failed judge call); \
                     per sample 0-2, aggregated as a count",
                ),
            ],
            capabilities: vec![Capability::Judge],
            data: vec![DataSource {
                location: "https://github.com/lm-sys/FastChat (fastchat/llm_judge/data/mt_bench)"
                    .into(),
                files: "question.jsonl, and reference_answer/gpt-4.jsonl for the reference-based \
                        categories (model_answer/ and model_judgment/ are ignored)"
                    .into(),
                notes: "{question_id, category, turns[2], reference[2]?}; Apache-2.0".into(),
            }],
        }
    }

    fn load(files: Vec<DataFile>, options: &Options) -> Result<LoadedSet<()>, Error> {
        Ok(load::load(&files, options.get("reference_model")?)?.into())
    }

    fn start(
        sample: Sample,
        _seed: u64,
        _shared: &(),
        options: &Options,
    ) -> Result<MtBenchEpisode, Error> {
        let item: Item = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not MT-Bench loader output: {e}")))?;
        let rule = match options.get("temperature")? {
            "greedy" => TemperatureRule::Greedy,
            _ => TemperatureRule::Category,
        };
        Ok(MtBenchEpisode::new(
            item,
            options.get_u32("max_tokens")?,
            rule,
        ))
    }

    fn aggregate(
        samples: Vec<ScoredSample>,
        _shared: &(),
        _options: &Options,
    ) -> Result<Report, Error> {
        report::aggregate(&samples)
    }
}

scorebox_sdk::export!(MtBench);
