//! The sandbox: loads verified components into wasmtime and calls them
//! under fuel, time, memory, stack and output limits, with a WASI that
//! grants nothing.
//!
//! Order of trust: [`Sandbox::load`] hashes the bytes and compares with the
//! pin before anything is compiled; then imports are checked against
//! [`wasi::ALLOWED_IMPORTS`] and exports against the supported WIT
//! versions; only then is the component instantiated.

mod cache;
mod capture;
mod fault;
mod limiter;
mod limits;
mod plugin;
mod sandbox;
pub mod wasi;
pub mod wit;

pub use cache::CacheOutcome;
pub use fault::{Fault, LoadError, PluginError, PluginId};
pub use limits::Limits;
pub use plugin::{Episode, Plugin, PluginInstance, Roles};
pub use sandbox::{Sandbox, sha256_hex};
