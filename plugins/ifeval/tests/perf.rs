//! Scoring speed on the bundled sample (native; the lead measures wasm
//! separately): every prompt scored repeatedly, once with the gold
//! reference answer and once with a ~400-word ordinary response, episode
//! creation (instruction building and the reference answer) included.
//! Prints µs per response; the bound only catches pathological slowdowns.

use std::time::Instant;

use ifeval::Ifeval;
use scorebox_sdk::testing::{self, gold};
use scorebox_sdk::{Answer, Loaded};

const ROUNDS: usize = 20;

#[test]
fn scoring_speed() {
    let files = testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"));
    let options = testing::options(&[]);
    let (loaded, shared) = testing::load::<Ifeval>(files, &options).unwrap();
    testing::prepare::<Ifeval>(&shared, &options).unwrap();
    let samples: Vec<_> = loaded
        .into_iter()
        .filter_map(|l| match l {
            Loaded::Sample(s) => Some(s),
            Loaded::Invalid(_) => None,
        })
        .collect();
    let ordinary = "Sure! Here is a detailed answer to your question, written as plain prose.\n\n"
        .to_string()
        + &"The river runs through the old town, and people walk along it every morning. \
            Dr. Smith said the bridge was built in 1850; it is still strong. *Highlights* matter, \
            e.g. the market and the [square]. "
            .repeat(12)
        + "\nP.S. Thanks for reading. Any other questions?";
    // Warm-up: the langdetect profiles, punkt tables and the built-in
    // patterns are loaded or compiled once per instance (per process here).
    let start = Instant::now();
    for s in &samples {
        testing::score::<Ifeval>(s, 0, &options, gold).unwrap();
        testing::score::<Ifeval>(s, 0, &options, |_| Answer::Text(ordinary.clone())).unwrap();
    }
    println!(
        "first pass (one-time loading included): {:.1} ms for {} responses",
        start.elapsed().as_secs_f64() * 1e3,
        2 * samples.len()
    );
    for (label, gold_model) in [("gold answers", true), ("~400-word answers", false)] {
        let start = Instant::now();
        let mut n = 0;
        for round in 0..ROUNDS {
            for s in &samples {
                testing::score::<Ifeval>(s, round as u64, &options, |q| {
                    if gold_model {
                        gold(q)
                    } else {
                        Answer::Text(ordinary.clone())
                    }
                })
                .unwrap();
                n += 1;
            }
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "{label}: {per:.0} µs per response ({n} responses, reference answer built for each)"
        );
        assert!(per < 20_000.0, "{label}: {per} µs per response");
    }
}
