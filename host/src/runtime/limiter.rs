//! Memory and table caps that remember which cap was hit, so a failed
//! growth is reported as exactly that.

use wasmtime::ResourceLimiter;

/// A [`ResourceLimiter`] that refuses growth past fixed caps and turns the
/// refusal into a trap (a guest allocator would otherwise abort with a less
/// helpful message).
pub struct Limiter {
    max_memory: usize,
    max_table_elements: usize,
    max_instances: usize,
    /// Set when a growth was refused; read when classifying a trap.
    pub hit: Option<LimitHit>,
}

/// Which cap a plugin ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitHit {
    /// Linear memory.
    Memory,
    /// A table.
    Table,
}

impl Limiter {
    /// Caps from [`super::Limits`].
    pub fn new(limits: &super::Limits) -> Self {
        Limiter {
            max_memory: limits.max_memory,
            max_table_elements: limits.max_table_elements,
            max_instances: limits.max_instances,
            hit: None,
        }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_memory {
            self.hit = Some(LimitHit::Memory);
            return Err(wasmtime::format_err!(
                "memory cap of {} bytes reached",
                self.max_memory
            ));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_table_elements {
            self.hit = Some(LimitHit::Table);
            return Err(wasmtime::format_err!(
                "table cap of {} elements reached",
                self.max_table_elements
            ));
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        self.max_instances
    }

    fn tables(&self) -> usize {
        self.max_instances
    }

    fn memories(&self) -> usize {
        self.max_instances
    }
}
