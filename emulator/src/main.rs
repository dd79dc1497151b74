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
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("clarifai-emulator: cannot wait for signals: {e}");
            return;
        }
    };
    if exit_on_stdin_eof {
        let handle = signals.handle();
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buf = [0u8; 4096];
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            // Wakes the iterator below, as a signal would.
            handle.close();
        });
    }
    // The first signal (or the close) ends the wait.
    let _ = signals.forever().next();
}
