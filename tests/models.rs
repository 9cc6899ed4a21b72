//! Server models end to end, against a fake OpenAI-compatible server on
//! loopback: results, concurrency, faults, the log-likelihood probe.

mod common;

use common::Env;
use common::server::{Echo, FakeServer, Fault};
use serde_json::Value;

/// A replay file made of the answers a run received.
fn replay_of(env: &Env, out: &str, bench: &str) -> std::path::PathBuf {
    let mut file = String::new();
    for line in env.samples(out, bench) {
        let responses: Vec<&str> = line["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["answer"]["text"].as_str().unwrap())
            .collect();
        file.push_str(&serde_json::json!({"id": line["id"], "responses": responses}).to_string());
        file.push('\n');
    }
    env.write(&format!("{out}-replay.jsonl"), &file)
}

#[test]
fn a_server_model_scores_like_a_replay_of_its_own_answers() {
    let env = Env::new();
    let server = FakeServer::start();
    let ran = env
        .run(&[
            "run",
            "mmlu-pro",
            "--model",
            &server.spec(),
            "--concurrency",
            "8",
            "-o",
            "live",
        ])
        .expect_code(0);
    assert!(ran.stdout.contains("mmlu_pro"), "{}", ran.stdout);
    assert_eq!(server.answers(), 30, "one chat completion per sample");
    let replay = replay_of(&env, "live", "mmlu-pro");
    env.run(&[
        "score",
        "mmlu-pro",
        "--responses",
        replay.to_str().unwrap(),
        "-q",
        "-o",
        "replayed",
    ])
    .expect_code(0);
    let metrics = |out: &str| {
        env.samples(out, "mmlu-pro")
            .iter()
            .map(|l| {
                (
                    l["id"].clone(),
                    l["metrics"].clone(),
                    l["extracted"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(metrics("live"), metrics("replayed"));
    assert_eq!(
        env.results("live")["results"],
        env.results("replayed")["results"]
    );
}

#[test]
fn server_faults_are_retried_and_malformed_replies_fail_only_their_sample() {
    let env = Env::new();
    let server = FakeServer::start();
    {
        let mut b = server.behaviour.lock().unwrap();
        b.faults = vec![
            (3, Fault::TooMany),
            (5, Fault::ServerError),
            (7, Fault::Drop),
        ];
        // One sample's prompt gets a truncated reply, every time.
        b.truncate_when = Some("Example question about law".into());
    }
    let test =
        std::fs::read_to_string(common::repo().join("plugins/mmlu-pro/sample/test.jsonl")).unwrap();
    let target = test.lines().find(|l| l.contains("\"law\"")).unwrap();
    let doc: Value = serde_json::from_str(target).unwrap();
    let data = env.path("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut rows = test.clone();
    rows = rows.replacen(
        doc["question"].as_str().unwrap(),
        "Example question about law",
        1,
    );
    std::fs::write(data.join("test.jsonl"), rows).unwrap();
    std::fs::copy(
        common::repo().join("plugins/mmlu-pro/sample/validation.jsonl"),
        data.join("validation.jsonl"),
    )
    .unwrap();
    let ran = env
        .cmd(&[
            "run",
            "mmlu-pro",
            "--model",
            &server.spec(),
            "--data",
            data.to_str().unwrap(),
            "--concurrency",
            "4",
            "--backoff",
            "0.001",
            "-o",
            "out",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(2), "{stderr}");
    let results = env.results("out");
    let failures = results["failures"].as_array().unwrap();
    assert_eq!(
        failures.len(),
        1,
        "only the truncated reply fails: {failures:#?}"
    );
    let error = failures[0]["error"].as_str().unwrap();
    assert!(
        error.contains("not valid JSON") && error.contains("The ans"),
        "{error}"
    );
    assert_eq!(results["n-samples"]["mmlu_pro"]["effective"], 29);
}

#[test]
fn the_loglikelihood_probe_accepts_correct_echo_and_records_it() {
    let env = Env::new();
    let server = FakeServer::start();
    env.run(&["run", "mmlu", "--model", &server.spec(), "-q", "-o", "out"])
        .expect_code(0);
    let results = env.results("out");
    let probe = &results["provenance"]["loglikelihood_probe"]["mmlu"];
    assert_eq!(
        probe["verdict"], "echo log-probabilities present and aligned",
        "{results:#}"
    );
    assert_eq!(probe["echo_logprob_of_next"], -0.26);
    // Scores come from the echoed log-probabilities: not all choices tie.
    let lines = env.samples("out", "mmlu");
    let distinct = lines.iter().filter(|l| {
        let scores = l["exchanges"][0]["answer"]["scores"].as_array().unwrap();
        scores.windows(2).any(|w| w[0][0] != w[1][0])
    });
    assert_eq!(distinct.count(), lines.len());
}

#[test]
fn servers_with_missing_or_shifted_echo_logprobs_are_refused_before_the_run() {
    for (echo, diagnosis) in [
        (
            Echo::Missing,
            "returned no log-probabilities for the prompt tokens",
        ),
        (Echo::Shifted, "misaligned"),
    ] {
        let env = Env::new();
        let server = FakeServer::start();
        server.behaviour.lock().unwrap().echo = echo;
        let ran = env
            .run(&["run", "mmlu", "--model", &server.spec(), "-o", "out"])
            .expect_code(1);
        assert!(
            ran.stderr.contains("refusing to run") && ran.stderr.contains(diagnosis),
            "{echo:?}: {}",
            ran.stderr
        );
        assert!(
            ran.stderr.contains("-O variant=generative"),
            "the way out is named: {}",
            ran.stderr
        );
        assert!(!env.path("out").exists(), "nothing is scored");
        // Only the probe's questions reached the server; no sample was sent.
        assert!(server.requests.load(std::sync::atomic::Ordering::SeqCst) <= 2);
        // The generative variant needs no echo and runs.
        env.run(&[
            "run",
            "mmlu",
            "--model",
            &server.spec(),
            "-O",
            "variant=generative",
            "-q",
            "-o",
            "gen",
        ])
        .expect_code(0);
    }
}

#[test]
fn rerunning_a_finished_run_asks_the_model_nothing() {
    let env = Env::new();
    let server = FakeServer::start();
    env.run(&[
        "run",
        "mmlu-pro",
        "--model",
        &server.spec(),
        "-q",
        "-o",
        "first",
    ])
    .expect_code(0);
    let asked = server.answers();
    assert_eq!(asked, 30);
    env.run(&[
        "run",
        "mmlu-pro",
        "--model",
        &server.spec(),
        "-q",
        "-o",
        "second",
    ])
    .expect_code(0);
    assert_eq!(
        server.answers(),
        asked,
        "the second run must come from the request cache"
    );
    assert_eq!(
        env.results("first")["results"],
        env.results("second")["results"]
    );
    // Without the cache, the model is asked again.
    env.run(&[
        "run",
        "mmlu-pro",
        "--model",
        &server.spec(),
        "-q",
        "-o",
        "third",
        "--no-cache",
    ])
    .expect_code(0);
    assert_eq!(server.answers(), 2 * asked);
}

#[test]
fn a_run_killed_halfway_resumes_without_asking_twice() {
    let env = Env::new();
    let server = FakeServer::start();
    server.behaviour.lock().unwrap().answer_limit = Some(12);
    let args = [
        "run",
        "mmlu-pro",
        "--model",
        &server.spec(),
        "--concurrency",
        "4",
        "-q",
        "-o",
        "out",
    ];
    // --no-cache: the journal alone must carry the answers across the kill.
    let mut child = env.cmd(&args).arg("--no-cache").spawn().unwrap();
    let journal = env.path("out/journal.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let answers = std::fs::read_to_string(&journal)
            .map(|t| t.matches("\"t\":\"answer\"").count())
            .unwrap_or(0);
        if answers >= 12 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run never got 12 answers"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!env.path("out/results.json").exists());
    // Without --resume the directory is protected.
    let ran = env.cmd(&args).arg("--no-cache").output().unwrap();
    assert!(
        String::from_utf8_lossy(&ran.stderr).contains("did not finish; continue it with --resume")
    );
    server.behaviour.lock().unwrap().answer_limit = None;
    let resumed = env
        .cmd(&args)
        .args(["--no-cache", "--resume", env.path("out").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(
        server.repeated(),
        Vec::<String>::new(),
        "no request may be answered twice"
    );
    assert_eq!(server.answers(), 30);

    // The same run, uninterrupted, on another server, gives the same results.
    let other = FakeServer::start();
    env.run(&[
        "run",
        "mmlu-pro",
        "--model",
        &other.spec(),
        "-q",
        "-o",
        "whole",
        "--no-cache",
    ])
    .expect_code(0);
    assert_eq!(
        env.results("out")["results"],
        env.results("whole")["results"]
    );
    let read =
        |out: &str| std::fs::read_to_string(env.path(out).join("samples_mmlu-pro.jsonl")).unwrap();
    assert_eq!(read("out"), read("whole"));
}

#[test]
fn judge_queries_go_to_the_judge_and_need_one() {
    let env = Env::new();
    env.add_fixture("judged").expect_code(0);
    let data = env.write("data.jsonl", "{}\n");
    let data = data.to_str().unwrap();
    // No --judge: each sample is refused with the way out.
    let ran = env
        .run(&[
            "run", "judged", "--model", "gold", "--data", data, "-o", "none",
        ])
        .expect_code(2);
    assert!(
        ran.stderr
            .contains("asks a judge model; pass --judge MODEL"),
        "{}",
        ran.stderr
    );
    // A server judge: the judge queries go to it, the model's to gold.
    let server = FakeServer::start();
    env.run(&[
        "run",
        "judged",
        "--model",
        "gold",
        "--judge",
        &server.spec(),
        "--data",
        data,
        "-q",
        "-o",
        "served",
    ])
    .expect_code(0);
    assert_eq!(server.answers(), 2, "one judge call per sample");
    let results = env.results("served");
    assert_eq!(results["provenance"]["judge"], server.spec());
    assert_eq!(results["config"]["judge"], server.spec());
    let lines = env.samples("served", "judged");
    assert_eq!(lines[0]["exchanges"][1]["query"]["kind"], "judge");
    // gold as the judge grades with the reference.
    env.run(&[
        "run", "judged", "--model", "gold", "--judge", "gold", "--data", data, "-q", "-o", "gold",
    ])
    .expect_code(0);
    assert_eq!(env.results("gold")["results"]["judged"]["acc,none"], 1.0);
}

#[test]
fn ctrl_c_stops_cleanly_and_says_how_to_resume() {
    let env = Env::new();
    let server = FakeServer::start();
    server.behaviour.lock().unwrap().answer_limit = Some(8);
    let args = [
        "run",
        "mmlu-pro",
        "--model",
        &server.spec(),
        "--concurrency",
        "2",
        "-j",
        "1",
        "-o",
        "out",
        "--no-cache",
    ];
    let child = env
        .cmd(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let journal = env.path("out/journal.jsonl");
    while std::fs::read_to_string(&journal)
        .map(|t| t.matches("\"t\":\"answer\"").count())
        .unwrap_or(0)
        < 8
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The requests in flight may now finish; no new sample starts.
    server.behaviour.lock().unwrap().answer_limit = None;
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("Continue with:") && stderr.contains("--resume"),
        "{stderr}"
    );
    let asked = server.answers();
    assert!(asked < 30, "the run stopped early ({asked} answers)");
    let resumed = env
        .cmd(&args)
        .args(["--resume", env.path("out").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(server.answers(), 30);
    assert!(server.repeated().is_empty());
}
