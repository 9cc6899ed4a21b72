//! The `gold` and `random` models.

use crate::runtime::wit::{Answer, ContinuationScore, Query};

use super::{Model, ModelError, ModelRequest, Reply};

/// Answers every query with the reference the scorer attached to it.
#[derive(Debug, Clone, Copy)]
pub struct Gold;

/// Log-probability gold gives the wrong continuations.
const GOLD_WRONG_LOGPROB: f64 = -1000.0;

impl Model for Gold {
    fn spec(&self) -> String {
        "gold".into()
    }

    fn answer(&self, request: &ModelRequest) -> Reply {
        Reply::Now(gold(request))
    }
}

fn gold(request: &ModelRequest) -> Result<Answer, ModelError> {
    let fail = |message: String| ModelError {
        model: "gold".into(),
        message,
    };
    let missing = || {
        fail(format!(
            "sample `{}`, query {}: the scorer attached no reference answer, so gold cannot answer",
            request.sample, request.step
        ))
    };
    match &request.query {
        Query::Generate(g) | Query::Judge(g) => {
            g.reference.clone().map(Answer::Text).ok_or_else(missing)
        }
        Query::Choose(c) => {
            let gold = c.reference.ok_or_else(missing)? as usize;
            if gold >= c.continuations.len() {
                return Err(fail(format!(
                    "sample `{}`: reference index {gold} is out of range for {} continuations",
                    request.sample,
                    c.continuations.len()
                )));
            }
            Ok(Answer::Scores(
                (0..c.continuations.len())
                    .map(|i| ContinuationScore {
                        logprob: if i == gold { 0.0 } else { GOLD_WRONG_LOGPROB },
                        is_greedy: i == gold,
                    })
                    .collect(),
            ))
        }
    }
}

/// A chance baseline: uniform random log-likelihoods, and generations of
/// random lower-case words (which contain no answer letter, so extraction
/// falls back to the scorer's own rule).
#[derive(Debug, Clone, Copy)]
pub struct RandomModel {
    seed: u64,
}

impl RandomModel {
    /// A random model whose answers depend only on `seed`, the sample and the step.
    pub fn new(seed: u64) -> Self {
        RandomModel { seed }
    }
}

const WORDS: &[&str] = &[
    "maybe", "perhaps", "the", "of", "river", "quietly", "seven", "blue", "and", "is", "because",
    "stone", "over", "under", "light", "when", "garden", "number", "thinking", "so",
];

impl Model for RandomModel {
    fn spec(&self) -> String {
        format!("random:{}", self.seed)
    }

    fn answer(&self, cx: &ModelRequest) -> Reply {
        let mut rng = SplitMix(self.seed ^ cx.seed.rotate_left(17));
        Reply::Now(Ok(match &cx.query {
            Query::Choose(c) => Answer::Scores(
                c.continuations
                    .iter()
                    .map(|_| ContinuationScore {
                        logprob: -10.0 * rng.unit(),
                        is_greedy: false,
                    })
                    .collect(),
            ),
            Query::Generate(_) | Query::Judge(_) => {
                let n = 4 + rng.below(12);
                let words: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
                Answer::Text(words.join(" "))
            }
        }))
    }
}

/// SplitMix64: small, fast, and the same everywhere.
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::answer_now;
    use crate::runtime::wit::{ChooseRequest, GenerateRequest, GenerationParams};

    fn request(query: Query, seed: u64) -> ModelRequest {
        ModelRequest {
            benchmark: "b".into(),
            sample: "s1".into(),
            step: 0,
            kind_index: 0,
            seed,
            query,
        }
    }

    fn choose(reference: Option<u32>) -> Query {
        Query::Choose(ChooseRequest {
            context: "Q".into(),
            continuations: vec![" A".into(), " B".into(), " C".into()],
            reference,
        })
    }

    fn generate(reference: Option<&str>) -> Query {
        Query::Generate(GenerateRequest {
            messages: vec![],
            params: GenerationParams {
                max_tokens: None,
                stop: vec![],
                temperature: None,
            },
            reference: reference.map(str::to_owned),
        })
    }

    #[test]
    fn gold_prefers_the_reference_and_refuses_without_one() {
        let ask = |q: Query| answer_now(&Gold, &request(q, 1));
        let Answer::Scores(scores) = ask(choose(Some(1))).unwrap() else {
            panic!()
        };
        let best = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.logprob.total_cmp(&b.1.logprob))
            .unwrap()
            .0;
        assert_eq!(best, 1);
        assert_eq!(
            ask(generate(Some("The answer is (B)"))).unwrap(),
            Answer::Text("The answer is (B)".into())
        );
        assert!(
            ask(generate(None))
                .unwrap_err()
                .message
                .contains("no reference")
        );
        assert!(
            ask(choose(Some(3)))
                .unwrap_err()
                .message
                .contains("out of range")
        );
    }

    #[test]
    fn random_is_deterministic_per_seed_and_near_uniform() {
        let model = RandomModel::new(1);
        let mut wins = [0usize; 3];
        for seed in 0..3000u64 {
            let a = answer_now(&model, &request(choose(None), seed)).unwrap();
            assert_eq!(a, answer_now(&model, &request(choose(None), seed)).unwrap());
            let Answer::Scores(scores) = a else { panic!() };
            let best = scores
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.logprob.total_cmp(&b.1.logprob))
                .unwrap()
                .0;
            wins[best] += 1;
        }
        for w in wins {
            assert!((850..1150).contains(&w), "{wins:?}");
        }
    }
}
