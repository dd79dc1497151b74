//! Per-call latency on loopback, in one run against one minimal keep-alive HTTP server:
//! the raw TCP floor (the same request bytes, ping-pong), this crate's blocking call, and
//! reqwest::blocking; plus preflight from cached scopes.
//!
//!     cargo bench --bench transport            (N=20000 by default; BENCH_N to change)
//!
//! scripts/bench runs the built binary with `CLARIFAI_BENCH_URL` and `CLARIFAI_BENCH_KEY` to aim
//! the per-call part at its own server (the same one every other client uses), and then also
//! prints `@@`-prefixed tab-separated lines for it to read. `CLARIFAI_BENCH_MODE=cold` only
//! builds a client and makes one call (the script times fresh processes); `=many` times
//! `call_many` of 100 ListInputs (the script points it at an emulator serving TLS, with
//! `CLARIFAI_BENCH_CA_FILE`, that delays them 50 ms).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use clarifai::{Client, Credential, RetryPolicy};

const BODY: &str = r#"{"status":{"code":10000,"description":"Ok","req_id":"bench"},"inputs":[]}"#;

/// One thread per connection; answers every request with the same small JSON.
fn serve() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                conn.set_nodelay(true).ok();
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut out = conn;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                    BODY.len(),
                    BODY
                );
                let mut line = String::new();
                loop {
                    let mut content_length = 0usize;
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            content_length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; content_length];
                    if reader.read_exact(&mut body).is_err() || out.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

struct Stats {
    median: f64,
    p99: f64,
    per_sec: f64,
}

fn measure(n: usize, mut f: impl FnMut()) -> Stats {
    for _ in 0..n / 10 {
        f();
    }
    let mut samples = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    let total = start.elapsed();
    samples.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    Stats { median: us(samples[n / 2]), p99: us(samples[n * 99 / 100]), per_sec: n as f64 / total.as_secs_f64() }
}

/// The length of one whole response (head and body), read off the socket.
fn response_len(sock: &mut TcpStream) -> usize {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        sock.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let body: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
        .expect("content-length");
    let mut rest = vec![0u8; body];
    sock.read_exact(&mut rest).unwrap();
    head.len() + body
}

/// Fresh-process cost of the core: build a client, make one call (scripts/bench times it).
fn cold(base: &str, key: &str) {
    let client =
        Client::builder(Credential::api_key(key).unwrap()).base_url(base).retry(RetryPolicy::none()).build().unwrap();
    client.call("ListInputs", &serde_json::json!({"per_page": 1})).unwrap();
}

/// Wall time of `call_many` with 100 ListInputs from a fresh client: its first (cold) burst,
/// then the median of `CLARIFAI_BENCH_RUNS` (5) warm ones. `CLARIFAI_BENCH_CA_FILE` is the CA
/// of an https server.
fn many(base: &str, key: &str) {
    let runs: usize = std::env::var("CLARIFAI_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let mut builder = Client::builder(Credential::api_key(key).unwrap()).base_url(base).retry(RetryPolicy::none());
    if let Some(ca) = std::env::var_os("CLARIFAI_BENCH_CA_FILE").filter(|v| !v.is_empty()) {
        builder = builder.ca_file(ca);
    }
    let client = builder.build().unwrap();
    let calls: Vec<(String, serde_json::Value)> =
        (0..100).map(|_| ("ListInputs".to_string(), serde_json::json!({"per_page": 1}))).collect();
    let mut walls: Vec<f64> = (0..=runs)
        .map(|_| {
            let t = Instant::now();
            for r in client.call_many(&calls) {
                r.unwrap();
            }
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    let cold = walls.remove(0);
    walls.sort_by(f64::total_cmp);
    let median = walls[runs / 2];
    println!("call_many, 100 ListInputs: cold {cold:.1} ms, warm median {median:.1} ms of {runs}");
    println!("@@\twall\trust-call_many\t{median:.1}\t{cold:.1}");
}

fn main() {
    let n: usize = std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let external = std::env::var("CLARIFAI_BENCH_URL").ok();
    let key = std::env::var("CLARIFAI_BENCH_KEY").unwrap_or_else(|_| "0123456789abcdef0123456789abcdef".into());
    let key = key.as_str();
    let base = match &external {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("http://127.0.0.1:{}", serve()),
    };
    match std::env::var("CLARIFAI_BENCH_MODE").as_deref() {
        Ok("cold") => return cold(&base, key),
        Ok("many") => return many(&base, key),
        _ => {}
    }
    let authority = base.strip_prefix("http://").expect("a plain http:// URL");

    // The floor: exactly the bytes our client sends (as reqwest writes them), over one
    // kept-alive socket.
    let request = format!(
        "GET /v2/inputs?per_page=1 HTTP/1.1\r\nauthorization: Key {key}\r\naccept: */*\r\nuser-agent: clarifai-core/{} (rust)\r\naccept-encoding: zstd,gzip,deflate,br\r\nhost: {authority}\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let mut sock = TcpStream::connect(authority).unwrap();
    sock.set_nodelay(true).unwrap();
    sock.write_all(request.as_bytes()).unwrap();
    let mut buf = vec![0u8; response_len(&mut sock)];
    let floor = measure(n, || {
        sock.write_all(request.as_bytes()).unwrap();
        sock.read_exact(&mut buf).unwrap();
    });

    let client =
        Client::builder(Credential::api_key(key).unwrap()).base_url(&base).retry(RetryPolicy::none()).build().unwrap();
    let params = serde_json::json!({"per_page": 1});
    let core = measure(n, || {
        client.call("ListInputs", &params).unwrap();
    });

    let reqwest = reqwest::blocking::Client::new();
    let url = format!("{base}/v2/inputs?per_page=1");
    let peer = measure(n, || {
        let r = reqwest.get(&url).header("authorization", format!("Key {key}")).send().unwrap();
        let _: serde_json::Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
    });

    // Preflight from cached scopes: the grant is set once, then every check is local.
    let emu = clarifai_emulator::Emulator::start_default().unwrap();
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).build().unwrap();
    c.my_scopes().unwrap();
    let iters = 1_000_000u32;
    let t = Instant::now();
    let mut allowed = 0u32;
    for i in 0..iters {
        let ep = if i % 2 == 0 { "PostModelOutputs" } else { "ListInputs" };
        if std::hint::black_box(c.check_cached(std::hint::black_box(ep))).unwrap().unwrap().is_ok() {
            allowed += 1;
        }
    }
    let preflight_ns = t.elapsed().as_nanos() as f64 / iters as f64;
    assert_eq!(allowed, iters);

    println!("per call, loopback keep-alive, N={n}");
    println!("| client | median µs | p99 µs | calls/s | × floor (median) |");
    println!("|---|---:|---:|---:|---:|");
    for (name, s) in [("raw TCP floor", &floor), ("clarifai-core (blocking call)", &core), ("reqwest::blocking", &peer)]
    {
        println!("| {name} | {:.1} | {:.1} | {:.0} | {:.2} |", s.median, s.p99, s.per_sec, s.median / floor.median);
    }
    println!();
    println!(
        "clarifai-core vs reqwest::blocking: {:.2}× faster (median), {:.2}× the throughput",
        peer.median / core.median,
        core.per_sec / peer.per_sec
    );
    println!("preflight from cached scopes: {preflight_ns:.0} ns/op");
    if external.is_some() {
        for (id, s) in [("floor", &floor), ("rust-core", &core), ("rust-reqwest", &peer)] {
            println!("@@\tlatency\t{id}\t{:.2}\t{:.2}\t{:.0}\t{n}", s.median, s.p99, s.per_sec);
        }
        println!("@@\tpreflight\t{preflight_ns:.1}");
    }
}
