//! scorebox: runs LLM benchmarks whose dataset loaders and scorers are
//! sandboxed WebAssembly components.
//!
//! The pipeline follows the modules: [`registry`] finds and verifies
//! components, [`data`] decodes dataset files, [`runtime`] runs plugins in
//! the sandbox, [`model`] answers their queries, [`run`] drives a whole
//! evaluation, and [`report`] writes the results.
#![deny(missing_docs)]

pub mod codec;
pub mod data;
pub mod model;
pub mod registry;
pub mod report;
pub mod run;
pub mod runtime;
