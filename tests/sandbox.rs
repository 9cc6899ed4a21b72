//! The sandbox's promises, end to end: every hostile component is contained
//! with the error a user needs, the other samples are still scored, and
//! nothing unverified is ever compiled.

mod common;

use common::{Env, hostile_wasm, sha256_file};

/// Runs the `hostile` fixture with tight caps and returns the failures by sample.
fn hostile_run(env: &Env) -> (common::Ran, serde_json::Value) {
    env.add_fixture("hostile-scorer").expect_code(0);
    let data = env.write("data.jsonl", "{\"unused\": true}\n");
    let ran = env.run(&[
        "run",
        "hostile",
        "--model",
        "gold",
        "--data",
        data.to_str().unwrap(),
        "-o",
        "out",
        "--timeout",
        "20",
        "--max-memory",
        "256",
        "--max-output",
        "4",
    ]);
    let results = env.results("out");
    (ran, results)
}

fn failure<'a>(results: &'a serde_json::Value, sample: &str) -> &'a str {
    results["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["sample"] == sample)
        .unwrap_or_else(|| panic!("no failure recorded for `{sample}`: {results:#}"))["error"]
        .as_str()
        .unwrap()
}

#[test]
fn every_hostile_sample_is_contained_and_the_rest_are_scored() {
    let env = Env::new();
    let (ran, results) = hostile_run(&env);
    // Exit code 2: the run finished, some samples failed.
    let ran = ran.expect_code(2);
    assert!(
        ran.stdout.contains("10 of 13 samples failed"),
        "{}",
        ran.stdout
    );
    // The three well-behaved samples are scored, and only they are aggregated.
    assert_eq!(results["results"]["hostile"]["acc,none"], 1.0);
    assert_eq!(results["results"]["hostile"]["sample_len"], 3);
    assert_eq!(results["n-samples"]["hostile"]["failed"], 10);

    let expectations = [
        ("loop", "used up its fuel budget"),
        (
            "bomb",
            "tried to grow its memory past the cap of 268435456 bytes",
        ),
        ("recurse", "overflowed its wasm stack"),
        (
            "panic",
            "panicked: hostile panic: deliberately failing sample `panic`",
        ),
        ("spew", "capped at 65536 bytes per call"),
        ("huge", "over the limit of 4194304 bytes"),
        (
            "error",
            "reported an error: hostile error: refusing sample `error`",
        ),
        ("exit", "called exit("),
        ("bad-json", "returned details that are not JSON"),
        ("judge", "does not declare the `judge` capability"),
    ];
    for (sample, expected) in expectations {
        let error = failure(&results, sample);
        assert!(
            error.starts_with(&format!("plugin hostile@0.1.0, sample `{sample}`")),
            "error for `{sample}` must name plugin, version and sample: {error}"
        );
        assert!(
            error.contains(expected),
            "error for `{sample}`:\n  expected: {expected}\n  got:      {error}"
        );
    }
}

#[test]
fn a_panicking_aggregate_is_reported_and_the_samples_are_kept() {
    let env = Env::new();
    env.add_fixture("hostile-aggregate").expect_code(0);
    let data = env.write("data.jsonl", "{}\n");
    let ran = env.run(&[
        "run",
        "hostile-aggregate",
        "--model",
        "gold",
        "--data",
        data.to_str().unwrap(),
        "-o",
        "out",
    ]);
    let ran = ran.expect_code(2);
    assert!(ran.stdout.contains("aggregation failed"), "{}", ran.stdout);
    let results = env.results("out");
    let error = results["aggregate_errors"]["hostile-aggregate"]
        .as_str()
        .unwrap();
    assert!(
        error.contains("plugin hostile-aggregate@0.1.0, in aggregate: panicked"),
        "{error}"
    );
    let samples = std::fs::read_to_string(env.path("out/samples_hostile-aggregate.jsonl")).unwrap();
    assert_eq!(
        samples.lines().count(),
        3,
        "the scored samples are still written"
    );
}

#[test]
fn filesystem_and_socket_imports_are_refused_by_name() {
    let env = Env::new();
    let ran = env.add_fixture("hostile-fs").expect_code(1);
    assert!(
        ran.stderr.contains("imports wasi:filesystem/types@"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("which the sandbox does not grant"),
        "{}",
        ran.stderr
    );
    let ran = env.add_fixture("hostile-net").expect_code(1);
    assert!(ran.stderr.contains("wasi:sockets/tcp@"), "{}", ran.stderr);
    assert!(
        env.run(&["list"])
            .stdout
            .lines()
            .all(|l| !l.starts_with("hostile"))
    );
}

#[test]
fn an_unknown_wit_version_is_refused() {
    let env = Env::new();
    let ran = env.add_fixture("hostile-wit").expect_code(1);
    assert!(ran.stderr.contains("scorebox:bench/"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains(
            "@0.9.0: a WIT version this host does not support (supported: scorebox:bench@0.1.0)"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_wrong_pin_is_refused_before_anything_is_compiled() {
    let env = Env::new();
    let cache = env.path("cache");
    let wasm = hostile_wasm("hostile-scorer");
    let mut hash = sha256_file(&wasm);
    hash.replace_range(0..1, if hash.starts_with('0') { "1" } else { "0" });
    let ran = env
        .cmd(&["plugin", "add", wasm.to_str().unwrap(), "--sha256", &hash])
        .env("SCOREBOX_CACHE", &cache)
        .output()
        .unwrap();
    assert_eq!(ran.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(
        stderr.contains("sha256 mismatch") && stderr.contains("refusing to compile it"),
        "{stderr}"
    );
    assert!(
        !cache.exists(),
        "nothing may be compiled (or cached) for unverified bytes"
    );
}

#[test]
fn third_party_plugins_are_immutable_per_version() {
    let env = Env::new();
    env.add_fixture("hostile-scorer").expect_code(0);
    // The same bytes again: nothing to do.
    let ran = env.add_fixture("hostile-scorer").expect_code(0);
    assert!(ran.stdout.contains("already registered"), "{}", ran.stdout);
    // Different bytes claiming the same name@version: refused.
    let index = env.path("home/registry/index.toml");
    let text = std::fs::read_to_string(&index).unwrap();
    let pinned = sha256_file(&hostile_wasm("hostile-scorer"));
    std::fs::write(&index, text.replace(&pinned, &"0".repeat(64))).unwrap();
    let ran = env.add_fixture("hostile-scorer").expect_code(1);
    assert!(
        ran.stderr.contains("a published version never changes"),
        "{}",
        ran.stderr
    );
}

#[test]
fn the_wall_clock_backstop_stops_a_loop_when_fuel_is_off() {
    let env = Env::new();
    env.add_fixture("hostile-scorer").expect_code(0);
    let data = env.write("data.jsonl", "{}\n");
    env.run(&[
        "run",
        "hostile",
        "--model",
        "gold",
        "--data",
        data.to_str().unwrap(),
        "-o",
        "out",
        "--fuel",
        "0",
        "--timeout",
        "1",
        "--max-memory",
        "256",
        "--max-output",
        "4",
    ]);
    let results = env.results("out");
    let error = failure(&results, "loop");
    assert!(
        error.contains("ran past the wall-clock limit of 1 s"),
        "{error}"
    );
    assert_eq!(
        results["results"]["hostile"]["sample_len"], 3,
        "the other samples are still scored"
    );
}
