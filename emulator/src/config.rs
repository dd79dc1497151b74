//! How an emulator is configured: by a [`Config`] in Rust, or by the command line, which maps
//! onto the same [`Config`].

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::faults::FaultRule;
use crate::seed::Seed;
use crate::Error;

/// Largest request body accepted unless configured otherwise: 32 MiB, room for base64 images.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Requests the log keeps (the most recent ones).
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

/// Everything an emulator starts from.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen; port 0 picks a free one. Default `127.0.0.1:0`.
    pub listen: SocketAddr,
    /// Serve HTTPS with a fresh certificate authority (see [`crate::Emulator::ca_file`]).
    pub tls: bool,
    /// Users, apps and credentials to start with.
    pub seed: Option<Seed>,
    /// Faults in force from the start.
    pub faults: Vec<FaultRule>,
    /// Larger request bodies are refused with HTTP 413 and status 11102.
    pub max_body_bytes: usize,
    /// Runtime worker threads; `None` for one per core.
    pub worker_threads: Option<usize>,
    /// How many recent requests [`crate::Emulator::requests`] keeps.
    pub request_log_capacity: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            seed: None,
            faults: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            worker_threads: None,
            request_log_capacity: DEFAULT_LOG_CAPACITY,
        }
    }
}

pub const USAGE: &str = "\
usage: clarifai-emulator [OPTIONS]

A local emulator of the Clarifai V2 API's authentication and authorization layer.
Prints one JSON line with url, user_id, app_id, pat, api_key and admin_token once it
listens, then serves until SIGINT/SIGTERM.

options:
  --listen ADDR          address to listen on (default 127.0.0.1:0: a free port)
  --tls                  serve HTTPS; the CA certificate's path is printed as ca_file
  --seed FILE            users, apps, keys, PATs and legacy clients to start with (JSON)
  --fault SPEC           inject a fault, e.g. 'PostModelOutputs=delay:50' or
                         '*=throttle:2,times=3' (repeatable; see the README)
  --max-body-bytes N     refuse larger request bodies (default 33554432)
  --workers N            runtime worker threads (default: one per core)
  --exit-on-stdin-eof    also stop when standard input closes
  --help                 this text
  --version              the version";

/// What the command line asks for.
#[derive(Debug)]
pub struct Cli {
    pub config: Config,
    pub exit_on_stdin_eof: bool,
    pub help: bool,
    pub version: bool,
}

impl Cli {
    /// Parse arguments (without the program name). `--flag value` and `--flag=value` both work.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Cli, Error> {
        let mut cli = Cli { config: Config::default(), exit_on_stdin_eof: false, help: false, version: false };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, Error> {
                inline.clone().or_else(|| args.next()).ok_or_else(|| Error::Usage(format!("{name} needs a value")))
            };
            match flag.as_str() {
                "--listen" => {
                    let v = value("--listen")?;
                    cli.config.listen = v
                        .parse()
                        .map_err(|_| Error::Usage(format!("--listen {v:?} is not an address such as 127.0.0.1:0")))?;
                }
                "--tls" => cli.config.tls = true,
                "--seed" => cli.config.seed = Some(Seed::from_file(&PathBuf::from(value("--seed")?))?),
                "--fault" => cli.config.faults.push(value("--fault")?.parse()?),
                "--max-body-bytes" => {
                    let v = value("--max-body-bytes")?;
                    cli.config.max_body_bytes =
                        v.parse().map_err(|_| Error::Usage(format!("--max-body-bytes {v:?} is not a number")))?;
                }
                "--workers" => {
                    let v = value("--workers")?;
                    let n: usize = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| Error::Usage(format!("--workers {v:?} is not a positive number")))?;
                    cli.config.worker_threads = Some(n);
                }
                "--exit-on-stdin-eof" => cli.exit_on_stdin_eof = true,
                "--help" | "-h" => cli.help = true,
                "--version" | "-V" => cli.version = true,
                other => return Err(Error::Usage(format!("unknown argument {other:?}"))),
            }
        }
        Ok(cli)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, Error> {
        Cli::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_map_onto_config() {
        let cli = parse(&[
            "--listen",
            "127.0.0.1:8080",
            "--fault",
            "*=drop",
            "--fault=ListInputs=delay:5",
            "--tls",
            "--exit-on-stdin-eof",
        ])
        .unwrap();
        assert_eq!(cli.config.listen.port(), 8080);
        assert_eq!(cli.config.faults.len(), 2);
        assert!(cli.config.tls && cli.exit_on_stdin_eof);
        assert!(parse(&["--listen"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--fault", "nope"]).is_err());
        assert!(parse(&["--seed", "/nonexistent/seed.json"]).is_err());
    }
}
