//! The `scorebox` binary: parses the command line and hands over to one
//! module per subcommand.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = cli::Cli::parse();
    match commands::dispatch(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// Dies quietly of SIGPIPE, as command-line tools do, when the reader of
/// stdout goes away (`scorebox run ... | head`); Rust ignores the signal and
/// `print!` would panic on the broken pipe instead. A run in progress keeps
/// its journal, so nothing already scored is lost.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: at the start of main, before any thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
