//! Authorized requests per second through the emulator, with keep-alive raw-TCP clients.
//!
//! `cargo bench -p clarifai-emulator --bench throughput`
//!
//! Environment: `CONNECTIONS` (default 4), `SECONDS` (default 3), `WORKERS` (emulator runtime
//! threads, default one per core), `REQUEST_PATH` (default `/v2/inputs?per_page=1`).
//! Each client thread owns one connection and sends one pre-built authorized GET at a time,
//! reading the whole response before the next one (no pipelining).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clarifai_emulator::{Config, Emulator};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Read one response; returns its status code. Panics on protocol errors: this is a benchmark.
fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> u16 {
    buf.clear();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..header_end]).expect("utf-8 headers");
    let status: u16 = head[9..12].parse().expect("status");
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().expect("length")))
        .expect("content-length");
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
    status
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would too. Ignore arguments.
    let connections: usize = env_or("CONNECTIONS", 4);
    let seconds: u64 = env_or("SECONDS", 3);
    let path: String = env_or("REQUEST_PATH", "/v2/inputs?per_page=1".to_string());
    let config =
        Config { worker_threads: std::env::var("WORKERS").ok().and_then(|w| w.parse().ok()), ..Config::default() };
    let emu = Emulator::start(config).expect("start emulator");
    let addr = emu.local_addr();
    let request = Arc::new(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Key {}\r\n\r\n", emu.api_key()).into_bytes(),
    );

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let warmup = Duration::from_millis(500);
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (stop, done, request) = (Arc::clone(&stop), Arc::clone(&done), Arc::clone(&request));
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let mut buf = Vec::with_capacity(16 * 1024);
                let started = Instant::now();
                let mut counted = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    stream.write_all(&request).expect("write");
                    let status = read_response(&mut stream, &mut buf);
                    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&buf));
                    if started.elapsed() > warmup {
                        counted += 1;
                    }
                }
                done.fetch_add(counted, Ordering::Relaxed);
            })
        })
        .collect();
    std::thread::sleep(warmup);
    let measured = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let elapsed = measured.elapsed();
    for t in threads {
        t.join().expect("client thread");
    }
    let total = done.load(Ordering::Relaxed);
    println!(
        "throughput: {:.0} requests/s ({total} authorized GET {path} in {:.2} s, {connections} keep-alive connections, {} cores)",
        total as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
    );
}
