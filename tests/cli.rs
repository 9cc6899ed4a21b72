//! The `scorebox` command line end to end: listing, verifying, running the
//! bundled benchmarks, re-scoring, lockfiles and determinism.

mod common;

use common::Env;

#[test]
fn unknown_benchmarks_are_named_with_the_known_ones() {
    let env = Env::new();
    let ran = env
        .run(&["run", "no-such-bench", "--model", "gold"])
        .expect_code(1);
    assert!(
        ran.stderr.contains("no benchmark named `no-such-bench`"),
        "{}",
        ran.stderr
    );
}
