//! The bundled sample end to end: gold scores the maximum under every
//! option combination; the reference-stream replay revises every miss;
//! malformed rows become `loaded::invalid`.

use musr::Musr;
use scorebox_sdk::testing::{self, assert_declared, gold};
use scorebox_sdk::{Answer, DataFile, Loaded, Query, Report};

fn sample_files() -> Vec<DataFile> {
    testing::files_from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sample"))
}

fn run(pairs: &[(&str, &str)], model: &dyn Fn(&Query) -> Answer) -> Report {
    let options = testing::options(pairs);
    let (loaded, shared) = testing::load::<Musr>(sample_files(), &options).unwrap();
    testing::prepare::<Musr>(&shared, &options).unwrap();
    let mut scored = Vec::new();
    for l in loaded {
        let Loaded::Sample(s) = l else {
            panic!("{l:?}")
        };
        let s = testing::scored::<Musr>(&s, 3, &options, model).unwrap();
        assert_declared::<Musr>(&s);
        scored.push(s);
    }
    assert_eq!(scored.len(), 10);
    testing::aggregate::<Musr>(scored, &options).unwrap()
}

#[test]
fn gold_scores_the_maximum_under_every_option() {
    for variant in ["leaderboard", "official"] {
        for fallback in ["seeded", "reference-stream", "none"] {
            let r = run(&[("variant", variant), ("fallback", fallback)], &gold);
            assert!(r.revised.is_empty());
            assert_eq!(r.tasks.len(), 4);
            for t in r.tasks {
                for m in t.metrics {
                    assert_eq!(m.value, 1.0, "{variant} {fallback} {} {}", t.name, m.name);
                }
            }
        }
    }
}

#[test]
fn leaderboard_prompt_and_norm() {
    let r = run(&[], &|q| match q {
        Query::Choose(c) => {
            testing::scores((0..c.continuations.len()).map(|i| if i == 0 { -1.0 } else { -50.0 }))
        }
        _ => panic!(),
    });
    // Always the first choice: murder mysteries 2/3, object placements 0/4,
    // team allocation 1/3 (python3 for the values).
    let top = &r.tasks[0];
    assert_eq!(top.name, "leaderboard_musr");
    assert_eq!(top.metrics[0].value, 0.3);
    assert_eq!(top.metrics[1].name, "leaderboard_norm");
    assert_eq!(top.metrics[1].value, 0.11111111111111109);
    assert_eq!(r.tasks[1].name, "leaderboard_musr_murder_mysteries");
}

#[test]
fn reference_stream_revises_every_miss() {
    let silent = |_: &Query| Answer::Text("I cannot tell.".into());
    let r = run(
        &[("variant", "official"), ("fallback", "reference-stream")],
        &silent,
    );
    assert_eq!(r.revised.len(), 10);
    // The official stream (python3): random.seed(0); per domain
    // random.shuffle(stories) then random.sample(["1".."n"], 1) per question:
    // murder mysteries 3 stories, object placements 2 (2 + 2 questions),
    // team allocation 3.
    let draws: Vec<String> = r
        .revised
        .iter()
        .map(|s| {
            serde_json::from_str::<serde_json::Value>(&s.score.details).unwrap()["fallback"]["draw"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(draws, include!("stream_draws.txt"));
    let seeded = run(&[("variant", "official"), ("fallback", "seeded")], &silent);
    assert!(seeded.revised.is_empty());
    let none = run(&[("variant", "official"), ("fallback", "none")], &silent);
    assert_eq!(none.tasks[0].metrics[0].value, 0.0);
    assert_eq!(none.tasks[0].metrics[0].filter, "official-none");
}
