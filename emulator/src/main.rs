//! `clarifai-emulator`: start the emulator, print its details as one JSON line, serve until
//! SIGINT/SIGTERM (or standard input closes, with `--exit-on-stdin-eof`).

use std::io::{Read, Write};
use std::process::ExitCode;

use clarifai_emulator::{Cli, Emulator, USAGE};

fn main() -> ExitCode {
    let cli = match Cli::parse(std::env::args().skip(1)) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("clarifai-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if cli.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if cli.version {
        println!("clarifai-emulator {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let emulator = match Emulator::start(cli.config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("clarifai-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let line = match serde_json::to_string(emulator.details()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("clarifai-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Exactly one line on stdout; whoever started us reads it and may then stop reading.
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}").and_then(|_| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    eprintln!("clarifai-emulator: listening on {}", emulator.url());

    wait_for_stop(cli.exit_on_stdin_eof);
    emulator.shutdown();
    ExitCode::SUCCESS
}

/// Block until SIGINT, SIGTERM, or (when asked) the end of standard input.
fn wait_for_stop(exit_on_stdin_eof: bool) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("clarifai-emulator: cannot wait for signals: {e}");
            return;
        }
    };
    let (eof_tx, eof_rx) = tokio::sync::oneshot::channel::<()>();
    if exit_on_stdin_eof {
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buf = [0u8; 4096];
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            let _ = eof_tx.send(());
        });
    } else {
        // Keep the sender alive so the receiver never fires.
        std::mem::forget(eof_tx);
    }
    runtime.block_on(async move {
        let eof = async {
            if eof_rx.await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let mut term = match signal(SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    tokio::select! { _ = tokio::signal::ctrl_c() => {}, _ = eof => {} }
                    return;
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
                _ = eof => {},
            }
        }
        #[cfg(not(unix))]
        tokio::select! { _ = tokio::signal::ctrl_c() => {}, _ = eof => {} }
    });
}
