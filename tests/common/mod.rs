//! Shared helpers of the end-to-end tests: running the `scorebox` binary
//! in an isolated home, and building the hostile fixtures once.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A compile cache shared by all tests of this process (keyed by hash, so
/// sharing it is safe and saves compiling the same component twice).
pub fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<tempfile::TempDir> = OnceLock::new();
    CACHE.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

/// An isolated environment: its own home (user registry), the repo's
/// built-in registry, the shared compile cache.
pub struct Env {
    /// Temporary home.
    pub home: tempfile::TempDir,
    /// Built-in registry used.
    pub registry: PathBuf,
}

/// What a command printed and how it ended.
pub struct Ran {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Ran {
    fn from(out: Output) -> Ran {
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Ran {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Both streams together.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl Env {
    /// An environment using the repository's registry.
    pub fn new() -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
            registry: repo().join("registry"),
        }
    }

    /// An environment using `registry` as the built-in registry.
    pub fn with_registry(registry: PathBuf) -> Env {
        Env {
            home: tempfile::tempdir().unwrap(),
            registry,
        }
    }

    /// A `scorebox` command in this environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_scorebox"));
        cmd.args(args)
            .env("SCOREBOX_HOME", self.home.path().join("home"))
            .env("SCOREBOX_CACHE", shared_cache())
            .env(
                "SCOREBOX_REQUEST_CACHE",
                self.home.path().join("requests.sqlite"),
            )
            .env("SCOREBOX_REGISTRY", &self.registry)
            .env_remove("SCOREBOX_HOME_OVERRIDE")
            .current_dir(self.home.path());
        cmd
    }

    /// Runs `scorebox args...`.
    pub fn run(&self, args: &[&str]) -> Ran {
        Ran::from(self.cmd(args).output().unwrap())
    }

    /// A path inside the environment's temporary directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.home.path().join(rel)
    }

    /// Writes a file into the environment and returns its path.
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Adds a hostile fixture as a third-party plugin; returns the run.
    pub fn add_fixture(&self, crate_name: &str) -> Ran {
        let wasm = hostile_wasm(crate_name);
        let hash = sha256_file(&wasm);
        self.run(&["plugin", "add", wasm.to_str().unwrap(), "--sha256", &hash])
    }

    /// Reads a run's `samples_<bench>.jsonl`, one value per line.
    pub fn samples(&self, out: &str, bench: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.path(out).join(format!("samples_{bench}.jsonl")))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Reads a run's `results.json`.
    pub fn results(&self, out: &str) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.path(out).join("results.json")).unwrap())
            .unwrap()
    }
}

/// Lower-case hex sha256 of a file.
pub fn sha256_file(path: &Path) -> String {
    scorebox::runtime::sha256_hex(&std::fs::read(path).unwrap())
}

/// Builds the hostile fixtures (once per test process) and returns the
/// component of `crate_name`.
pub fn hostile_wasm(crate_name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let manifest = repo().join("tests/hostile/Cargo.toml");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--release",
                "--locked",
                "--target",
                "wasm32-wasip2",
                "--manifest-path",
            ])
            .arg(&manifest)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .status()
            .expect("running cargo to build the hostile fixtures");
        assert!(status.success(), "building the hostile fixtures failed");
        repo().join("tests/hostile/target/wasm32-wasip2/release")
    });
    dir.join(format!("{}.wasm", crate_name.replace('-', "_")))
}

/// Copies the repository's registry into `dest` (for tests that tamper with it).
pub fn copy_registry(dest: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    copy(&repo().join("registry"), dest);
}
