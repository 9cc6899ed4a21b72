//! `scorebox data fetch` against a loopback server speaking the Hugging Face
//! Hub's resolve-URL scheme, and `scorebox run --data hub`.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::{Env, copy_registry, repo, sha256_file};
use scorebox::registry::Index;

const REPO: &str = "TestOrg/MMLU-Pro-mini";
const REVISION: &str = "0123456789abcdef0123456789abcdef01234567";
const TOKEN: &str = "hf_test_token";

/// Serves the bundled MMLU-Pro sample files at `/datasets/<repo>/resolve/<rev>/<path>`,
/// only to requests with the token; `tamper` corrupts what it serves.
fn hub(tamper: Arc<Mutex<bool>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut authorized = false;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if header.to_ascii_lowercase().starts_with("authorization:")
                    && header.contains(TOKEN)
                {
                    authorized = true;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            let prefix = format!("/datasets/{REPO}/resolve/{REVISION}/");
            let (status, body) = if !authorized {
                (
                    "401 Unauthorized",
                    b"Access to this dataset is restricted".to_vec(),
                )
            } else if let Some(file) = path.strip_prefix(&prefix) {
                match std::fs::read(repo().join("plugins/mmlu-pro/sample").join(file)) {
                    Ok(mut bytes) => {
                        if *tamper.lock().unwrap() {
                            bytes[0] ^= 1;
                        }
                        ("200 OK", bytes)
                    }
                    Err(_) => ("404 Not Found", b"Entry not found".to_vec()),
                }
            } else {
                ("404 Not Found", b"Repository not found".to_vec())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    base
}

/// A copy of the registry whose mmlu-pro pins the bundled sample files as
/// its Hub dataset.
fn registry_with_manifest(dir: &std::path::Path) {
    copy_registry(dir);
    let sample = repo().join("plugins/mmlu-pro/sample");
    let mut manifest =
        format!("repo = \"{REPO}\"\nrevision = \"{REVISION}\"\ngated = true\nlicense = \"mit\"\n");
    for f in ["test.jsonl", "validation.jsonl"] {
        let size = std::fs::metadata(sample.join(f)).unwrap().len();
        manifest.push_str(&format!(
            "\n[[file]]\npath = \"{f}\"\nsha256 = \"{}\"\nsize = {size}\n",
            sha256_file(&sample.join(f))
        ));
    }
    std::fs::create_dir_all(dir.join("datasets")).unwrap();
    std::fs::write(dir.join("datasets/mmlu-pro-0.1.0.toml"), &manifest).unwrap();
    let mut index = Index::read(&dir.join("index.toml")).unwrap();
    let entry = index
        .components
        .iter_mut()
        .find(|c| c.name == "mmlu-pro")
        .unwrap();
    entry.dataset = Some("datasets/mmlu-pro-0.1.0.toml".into());
    entry.dataset_sha256 = Some(scorebox::runtime::sha256_hex(manifest.as_bytes()));
    index.write(&dir.join("index.toml")).unwrap();
}

#[test]
fn fetch_verifies_pinned_files_and_run_uses_them() {
    let dir = tempfile::tempdir().unwrap();
    registry_with_manifest(dir.path());
    let env = Env::with_registry(dir.path().to_path_buf());
    let tamper = Arc::new(Mutex::new(false));
    let endpoint = hub(tamper.clone());

    // Not fetched yet.
    let ran = env
        .run(&["run", "mmlu-pro", "--data", "hub", "--model", "gold"])
        .expect_code(1);
    assert!(
        ran.stderr
            .contains("run `scorebox data fetch mmlu-pro` first"),
        "{}",
        ran.stderr
    );

    // Gated: no token, a clear refusal.
    let ran = env
        .cmd(&["data", "fetch", "mmlu-pro"])
        .env("HF_ENDPOINT", &endpoint)
        .env_remove("HF_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("401") && stderr.contains("is gated") && stderr.contains("HF_TOKEN"),
        "{stderr}"
    );

    // A server that serves other bytes: refused, nothing kept.
    *tamper.lock().unwrap() = true;
    let ran = env
        .cmd(&["data", "fetch", "mmlu-pro"])
        .env("HF_ENDPOINT", &endpoint)
        .env("HF_TOKEN", TOKEN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refusing the file"), "{stderr}");
    let local = env.path(&format!("home/data/mmlu-pro/{REVISION}"));
    assert!(!local.join("test.jsonl").exists() && !local.join("test.part").exists());

    // The real bytes: fetched and verified; a second fetch downloads nothing.
    *tamper.lock().unwrap() = false;
    let ran = env
        .cmd(&["data", "fetch", "mmlu-pro"])
        .env("HF_ENDPOINT", &endpoint)
        .env("HF_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(
        ran.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(String::from_utf8_lossy(&ran.stdout).contains("(2 fetched, all sha256-verified)"));
    let again = env
        .cmd(&["data", "fetch", "mmlu-pro"])
        .env("HF_ENDPOINT", &endpoint)
        .env("HF_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("(0 fetched"));

    env.run(&[
        "run", "mmlu-pro", "--data", "hub", "--model", "gold", "-q", "-o", "out",
    ])
    .expect_code(0);
    let results = env.results("out");
    assert_eq!(results["results"]["mmlu_pro"]["acc,official-seeded"], 1.0);
    let files = results["provenance"]["data_files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0]["sha256"],
        sha256_file(&repo().join("plugins/mmlu-pro/sample/test.jsonl"))
    );

    // A fetched file changed on disk: refused.
    let text = std::fs::read_to_string(local.join("test.jsonl")).unwrap();
    std::fs::write(local.join("test.jsonl"), text.replacen('?', "!", 1)).unwrap();
    let ran = env
        .run(&["run", "mmlu-pro", "--data", "hub", "--model", "gold"])
        .expect_code(1);
    assert!(
        ran.stderr.contains("the manifest pins") && ran.stderr.contains("fetch it again"),
        "{}",
        ran.stderr
    );
}

#[test]
fn benchmarks_without_a_manifest_say_so() {
    let env = Env::new();
    let ran = env.run(&["data", "fetch", "mmlu"]).expect_code(1);
    assert!(
        ran.stderr.contains("pins no dataset to fetch"),
        "{}",
        ran.stderr
    );
}
