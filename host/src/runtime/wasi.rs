//! The WASI a plugin gets: just enough for a Rust `wasm32-wasip2` guest to
//! run, granting nothing. No filesystem, sockets, environment, arguments or
//! real clocks; randomness is seeded by the host; stdout and stderr go to
//! small in-memory buffers shown in error messages.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use wasmtime::component::{HasData, Linker, ResourceTable};
use wasmtime_wasi::cli::{WasiCli, WasiCliView as _};
use wasmtime_wasi::clocks::{WasiClocks, WasiClocksView as _};
use wasmtime_wasi::p2::bindings::sync as wasi;
use wasmtime_wasi::random::WasiRandom;
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxView, WasiView};

/// WASI interfaces (without version) a plugin may import. Anything else is
/// refused at load time, before instantiation.
pub const ALLOWED_IMPORTS: &[&str] = &[
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:clocks/wall-clock",
    "wasi:clocks/monotonic-clock",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
];

/// Whether an import name such as `wasi:cli/stdout@0.2.6` is allowed.
pub fn is_allowed_import(name: &str) -> bool {
    let base = name.split('@').next().unwrap_or(name);
    ALLOWED_IMPORTS.contains(&base)
}

/// Per-store state: the granting-nothing WASI context and the buffers.
pub struct SandboxState {
    ctx: WasiCtx,
    table: ResourceTable,
    /// Captured stdout of the plugin.
    pub stdout: super::capture::Capture,
    /// Captured stderr of the plugin (where panic messages go).
    pub stderr: super::capture::Capture,
    /// The seed source of the plugin's WASI randomness; reset before each call.
    pub random: SeedSource,
    /// Memory and table caps.
    pub limiter: super::limiter::Limiter,
}

impl WasiView for SandboxState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

impl SandboxState {
    /// A fresh state with `max_stdio` bytes of stdout and stderr each.
    pub fn new(max_stdio: usize, limiter: super::limiter::Limiter) -> Self {
        let stdout = super::capture::Capture::new(max_stdio);
        let stderr = super::capture::Capture::new(max_stdio);
        let random = SeedSource::default();
        let ctx = WasiCtx::builder()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .wall_clock(FrozenClock)
            .monotonic_clock(FrozenClock)
            .secure_random(SeededRng::new(random.clone(), 0x5eed_0001))
            .insecure_random(SeededRng::new(random.clone(), 0x5eed_0002))
            .insecure_random_seed(0x5c0e_b0c5)
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        SandboxState {
            ctx,
            table: ResourceTable::new(),
            stdout,
            stderr,
            random,
            limiter,
        }
    }

    /// Empties the captured output (before each call).
    pub fn clear_output(&self) {
        self.stdout.clear();
        self.stderr.clear();
    }

    /// What the plugin wrote to stderr (then stdout), lossily decoded.
    pub fn captured_output(&self) -> String {
        let mut out = String::from_utf8_lossy(&self.stderr.contents()).into_owned();
        let stdout = self.stdout.contents();
        if !stdout.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&String::from_utf8_lossy(&stdout));
        }
        out
    }
}

/// Adds exactly the allowed WASI interfaces to `linker`; nothing else exists
/// for a plugin to import.
pub fn add_to_linker(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    use wasmtime_wasi::p2::bindings::{cli, clocks, random};
    type T = SandboxState;
    let l = linker;
    wasi::io::error::add_to_linker::<T, HasTable>(l, |t| &mut t.table)?;
    wasi::io::poll::add_to_linker::<T, HasTable>(l, |t| &mut t.table)?;
    wasi::io::streams::add_to_linker::<T, HasTable>(l, |t| &mut t.table)?;
    clocks::wall_clock::add_to_linker::<T, WasiClocks>(l, |t| t.clocks())?;
    clocks::monotonic_clock::add_to_linker::<T, WasiClocks>(l, |t| t.clocks())?;
    random::random::add_to_linker::<T, WasiRandom>(l, |t| t.ctx.random())?;
    random::insecure::add_to_linker::<T, WasiRandom>(l, |t| t.ctx.random())?;
    random::insecure_seed::add_to_linker::<T, WasiRandom>(l, |t| t.ctx.random())?;
    cli::exit::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::environment::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::stdin::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::stdout::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::stderr::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::terminal_input::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::terminal_output::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::terminal_stdin::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::terminal_stdout::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    cli::terminal_stderr::add_to_linker::<T, WasiCli>(l, |t| t.cli())?;
    Ok(())
}

struct HasTable;

impl HasData for HasTable {
    type Data<'a> = &'a mut ResourceTable;
}

/// A clock that never moves: wall time is 2000-01-01T00:00:00Z, monotonic
/// time is zero. Results cannot depend on when or how fast a run happens.
struct FrozenClock;

impl HostWallClock for FrozenClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        Duration::from_secs(946_684_800)
    }
}

impl HostMonotonicClock for FrozenClock {
    fn resolution(&self) -> u64 {
        1
    }
    fn now(&self) -> u64 {
        0
    }
}

/// The seed the host sets before each call, shared by the store's RNGs.
#[derive(Clone, Default)]
pub struct SeedSource(Arc<[AtomicU64; 2]>);

impl SeedSource {
    /// Restarts every RNG of the store from `seed`.
    pub fn reset(&self, seed: u64) {
        self.0[0].store(seed, Ordering::Relaxed);
        self.0[1].fetch_add(1, Ordering::Relaxed);
    }
}

/// SplitMix64 over a shared, host-resettable state: the plugin's WASI
/// randomness is a pure function of the per-call seed.
struct SeededRng {
    source: SeedSource,
    salt: u64,
    last_reset: u64,
    state: u64,
}

impl SeededRng {
    fn new(source: SeedSource, salt: u64) -> Self {
        SeededRng {
            source,
            salt,
            last_reset: u64::MAX,
            state: 0,
        }
    }

    fn next(&mut self) -> u64 {
        let generation = self.source.0[1].load(Ordering::Relaxed);
        if generation != self.last_reset {
            self.last_reset = generation;
            self.state = self.source.0[0].load(Ordering::Relaxed) ^ self.salt;
        }
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl rand_core::TryRng for SeededRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.next() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_takes_versions_and_refuses_the_rest() {
        assert!(is_allowed_import("wasi:cli/stdout@0.2.6"));
        assert!(is_allowed_import("wasi:io/streams@0.2.0"));
        assert!(!is_allowed_import("wasi:filesystem/types@0.2.6"));
        assert!(!is_allowed_import("wasi:filesystem/preopens@0.2.6"));
        assert!(!is_allowed_import("wasi:sockets/tcp@0.2.6"));
        assert!(!is_allowed_import("wasi:http/outgoing-handler@0.2.6"));
    }

    #[test]
    fn seeded_rng_restarts_on_reset() {
        use rand_core::TryRng;
        let source = SeedSource::default();
        let mut rng = SeededRng::new(source.clone(), 7);
        source.reset(42);
        let a = [rng.try_next_u64().unwrap(), rng.try_next_u64().unwrap()];
        source.reset(43);
        let b = rng.try_next_u64().unwrap();
        source.reset(42);
        let c = [rng.try_next_u64().unwrap(), rng.try_next_u64().unwrap()];
        assert_eq!(a, c);
        assert_ne!(a[0], b);
        assert_ne!(a[0], a[1]);
    }
}
