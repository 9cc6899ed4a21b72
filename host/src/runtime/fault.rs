//! What can go wrong inside a plugin, and what can go wrong loading one.

use std::fmt;

/// A plugin's identity as shown in every error: `name@version`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PluginId {
    /// Component name from the registry (e.g. `mmlu`).
    pub name: String,
    /// Component version (e.g. `0.1.0`).
    pub version: String,
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.version)
    }
}

/// How a single call into a plugin failed. Every variant is the plugin's
/// fault (or the user's input) and never takes the host down.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Fault {
    /// The deterministic fuel budget of one call was used up.
    #[error(
        "used up its fuel budget of {budget} units for one call (an endless loop, or raise --fuel)"
    )]
    OutOfFuel {
        /// The budget that was exhausted.
        budget: u64,
    },
    /// The wall-clock backstop fired.
    #[error("ran past the wall-clock limit of {seconds} s for one call (raise --timeout)")]
    Timeout {
        /// The limit in seconds.
        seconds: u64,
    },
    /// Linear memory (or a table) tried to grow past its cap.
    #[error("tried to grow its memory past the cap of {limit} bytes (raise --max-memory)")]
    MemoryLimit {
        /// The cap in bytes.
        limit: usize,
    },
    /// The wasm stack overflowed.
    #[error("overflowed its wasm stack of {limit} bytes (unbounded recursion?)")]
    StackOverflow {
        /// The stack size in bytes.
        limit: usize,
    },
    /// The plugin's Rust (or other) code panicked; `message` is what it printed.
    #[error("panicked: {message}")]
    Panic {
        /// The panic message the plugin printed to stderr.
        message: String,
    },
    /// The plugin called `exit`.
    #[error("called exit({code})")]
    Exit {
        /// The exit code it passed.
        code: i32,
    },
    /// Any other trap.
    #[error("trapped: {message}")]
    Trap {
        /// wasmtime's description, plus any stderr the plugin wrote.
        message: String,
    },
    /// The plugin returned an error on purpose.
    #[error("reported an error: {message}")]
    Reported {
        /// The plugin's message.
        message: String,
    },
    /// The plugin handed back more data in one call than allowed.
    #[error(
        "returned {size} bytes from one call, over the limit of {limit} bytes (raise --max-output)"
    )]
    OutputTooLarge {
        /// Bytes returned.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The plugin broke the protocol (invalid JSON, an undeclared capability, ...).
    #[error("broke the protocol: {message}")]
    Protocol {
        /// What it did wrong.
        message: String,
    },
}

/// A failed call into a plugin, with everything a user needs to find it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("plugin {plugin}{}, in {call}: {fault}", sample.as_ref().map(|s| format!(", sample `{s}`")).unwrap_or_default())]
pub struct PluginError {
    /// Which plugin.
    pub plugin: PluginId,
    /// Which sample, for per-sample calls.
    pub sample: Option<String>,
    /// Which export was being called (`load`, `step`, `aggregate`, ...).
    pub call: &'static str,
    /// What went wrong.
    pub fault: Fault,
}

/// Why a component could not be loaded. Nothing of it has run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The bytes do not hash to the pinned sha256; nothing was compiled.
    #[error(
        "{what}: sha256 mismatch: expected {expected}, found {actual}; refusing to compile it (the file was changed, or the pin is wrong)"
    )]
    HashMismatch {
        /// The component (path or name@version).
        what: String,
        /// The pinned hash.
        expected: String,
        /// The hash of the bytes found.
        actual: String,
    },
    /// The component imports something the sandbox never grants.
    #[error(
        "{what}: imports {} which the sandbox does not grant (plugins get no filesystem, network, or other host access)",
        names.join(", ")
    )]
    ForbiddenImports {
        /// The component.
        what: String,
        /// The refused import names.
        names: Vec<String>,
    },
    /// The component exports no `scorebox:bench` interface at all.
    #[error("{what}: exports no scorebox:bench loader or scorer; not a scorebox plugin (exports: {})", exports.join(", "))]
    NotAPlugin {
        /// The component.
        what: String,
        /// What it does export.
        exports: Vec<String>,
    },
    /// The component was built against a WIT version this host does not run.
    #[error(
        "{found}: a WIT version this host does not support (supported: scorebox:bench@{}); use a scorebox release that supports it or rebuild the plugin",
        supported.join(", @")
    )]
    UnsupportedWit {
        /// The component and the interface found, e.g. `x.wasm uses scorebox:bench/scorer@0.9.0`.
        found: String,
        /// Versions this host supports.
        supported: Vec<String>,
    },
    /// wasmtime could not compile or link the component.
    #[error("{what}: {message}")]
    Invalid {
        /// The component.
        what: String,
        /// wasmtime's reason.
        message: String,
    },
    /// Reading the component or the compile cache failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being read or written.
        what: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
