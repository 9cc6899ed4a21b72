//! Scoring one IFEval prompt: one `generate` query, then strict and loose
//! verdicts for each instruction.

use scorebox_sdk::pyrandom::PyRandom;
use scorebox_sdk::step::{done, generate, params, text_answer, user};
use scorebox_sdk::{Answer, Episode, Error, Sample, Step};
use serde_json::json;

use crate::instructions::Instruction;
use crate::load::Prompt;
use crate::{gold, score};

/// lm-eval's `max_gen_toks`.
pub const MAX_GEN_TOKS: u32 = 1280;

/// One IFEval episode.
#[derive(Debug)]
pub struct IfevalEpisode {
    prompt: Prompt,
    instructions: Vec<Instruction>,
    asked: bool,
}

impl IfevalEpisode {
    /// Builds the instructions of `sample`, drawing the reference's random
    /// fallbacks (for falsy kwargs) from `random.Random(seed)`.
    ///
    /// # Errors
    /// Sample data that is not this loader's output, or an instruction the
    /// reference rejects.
    pub fn new(sample: &Sample, seed: u64) -> Result<IfevalEpisode, Error> {
        let prompt: Prompt = serde_json::from_str(&sample.data)
            .map_err(|e| Error::new(format!("sample data is not IFEval loader output: {e}")))?;
        let instructions = prompt
            .instructions(&mut PyRandom::from_seed(seed))
            .map_err(Error::new)?;
        Ok(IfevalEpisode {
            prompt,
            instructions,
            asked: false,
        })
    }

    /// The resolved instructions.
    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }

    /// The reference answer (see [`gold::reference`]).
    pub fn reference(&self) -> String {
        gold::reference(&self.instructions)
    }
}

/// The per-sample score of `response` under `instructions`.
pub fn score_response(instructions: &[Instruction], response: &str) -> Step {
    let verdicts = score::evaluate(instructions, response);
    let n = verdicts.len();
    let strict = verdicts.iter().filter(|v| v.strict).count();
    let loose = verdicts.iter().filter(|v| v.loose).count();
    let frac = |k: usize| if n == 0 { 1.0 } else { k as f64 / n as f64 };
    let all = |k: usize| if k == n { 1.0 } else { 0.0 };
    done(
        &[
            ("prompt_level_strict_acc", all(strict)),
            ("inst_level_strict_acc", frac(strict)),
            ("prompt_level_loose_acc", all(loose)),
            ("inst_level_loose_acc", frac(loose)),
        ],
        None,
        &json!({ "instructions": verdicts, "resolved": instructions }),
    )
}

impl Episode for IfevalEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if !self.asked {
            self.asked = true;
            return Ok(generate(
                vec![user(self.prompt.prompt.clone())],
                params(Some(MAX_GEN_TOKS), &[], None),
                Some(self.reference()),
            ));
        }
        let response = text_answer(answer)?;
        Ok(score_response(&self.instructions, &response))
    }
}
