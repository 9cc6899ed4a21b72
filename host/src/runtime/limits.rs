//! The resource caps every plugin call runs under.

/// Caps applied to every plugin instance and call. The defaults suit the
/// bundled benchmarks with a wide margin; the CLI exposes each as a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Fuel (roughly: wasm instructions) for one `step` or episode constructor.
    /// 0 turns fuel metering off altogether (faster; only the wall-clock
    /// backstop then bounds a call, and a runaway plugin's failure is no
    /// longer deterministic).
    pub fuel_per_step: u64,
    /// Fuel for one `load`, `aggregate` or `info` call (they see every row).
    pub fuel_per_batch: u64,
    /// Wall-clock backstop per call, in seconds (epoch interruption).
    pub timeout_secs: u64,
    /// Cap on one instance's linear memory, in bytes.
    pub max_memory: usize,
    /// Cap on elements in any one table.
    pub max_table_elements: usize,
    /// Cap on core instances, tables and memories per store.
    pub max_instances: usize,
    /// Wasm stack size, in bytes.
    pub max_stack: usize,
    /// Cap on the data one call may hand back to the host, in bytes.
    pub max_output: usize,
    /// Cap on what a plugin may write to stdout and stderr (each), in bytes;
    /// what it writes is shown in error messages.
    pub max_stdio: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel_per_step: 2_000_000_000,
            fuel_per_batch: 200_000_000_000,
            timeout_secs: 60,
            max_memory: 1 << 30,
            max_table_elements: 100_000,
            max_instances: 32,
            max_stack: 1 << 20,
            max_output: 16 << 20,
            max_stdio: 64 << 10,
        }
    }
}

impl Limits {
    /// Whether calls are metered with fuel (`fuel_per_step` > 0).
    pub fn fuel_metering(&self) -> bool {
        self.fuel_per_step > 0
    }

    /// Data cap for batch calls (`load`), which legitimately return a whole
    /// dataset: 64 times the per-call cap.
    pub fn max_batch_output(&self) -> usize {
        self.max_output.saturating_mul(64)
    }
}
