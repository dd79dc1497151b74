//! The transport on reqwest: HTTP/2 and its connection counts, compression, timeouts that are
//! total, redirects, and the answers of servers that misbehave on purpose.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::common::*;
use clarifai::{Client, Credential, Error, RetryPolicy, TransportKind};
use clarifai_emulator::{Config, Emulator, FaultRule};
use serde_json::{json, Value};

fn emulator_with(config: Config) -> Emulator {
    Emulator::start(config).expect("emulator starts")
}

fn faults(specs: &[&str]) -> Vec<FaultRule> {
    specs.iter().map(|f| f.parse().expect("fault spec")).collect()
}

fn kind(e: &Error) -> Option<TransportKind> {
    match e {
        Error::Transport { kind, .. } => Some(*kind),
        _ => None,
    }
}

fn burst(c: &Client, n: usize) {
    let calls: Vec<(String, Value)> = (0..n).map(|_| ("ListInputs".to_string(), json!({}))).collect();
    for r in c.call_many(&calls) {
        r.unwrap();
    }
}

/// The connections and HTTP versions of the requests the emulator logged since `from`.
fn seen(emu: &Emulator, from: usize) -> (BTreeSet<u64>, BTreeSet<&'static str>) {
    let log = emu.requests();
    (log[from..].iter().map(|r| r.connection).collect(), log[from..].iter().map(|r| r.http_version).collect())
}

#[test]
fn http2_over_tls_a_cold_burst_opens_two_connections_a_warm_one_none() {
    let emu = emulator_with(Config { tls: true, faults: faults(&["ListInputs=delay:50"]), ..Config::default() });
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .ca_file(emu.ca_file().unwrap())
        .build()
        .unwrap();

    // Cold: the probe's connection finds out the emulator speaks h2, every other call waits
    // for it and then shares one HTTP/2 connection.
    burst(&c, 100);
    let (connections, versions) = seen(&emu, 0);
    assert!(emu.connections_accepted() <= 2, "a cold burst of 100 opened {} connections", emu.connections_accepted());
    assert!(connections.len() <= 2, "{connections:?}");
    assert_eq!(versions, BTreeSet::from(["HTTP/2"]));

    // Warm: no new connection, and the 100 calls share one.
    let before = emu.connections_accepted();
    let logged = emu.requests().len();
    let t = Instant::now();
    burst(&c, 100);
    let took = t.elapsed();
    assert_eq!(emu.connections_accepted(), before, "a warm burst opened a connection");
    let (connections, _) = seen(&emu, logged);
    assert_eq!(connections.len(), 1, "{connections:?}");
    // Concurrent, not one after another (100 × 50 ms would be 5 s).
    assert!(took < Duration::from_secs(2), "{took:?}");

    // A clone and a per-request credential view share that connection too.
    let other = c.with_credential(Credential::pat(emu.pat(), emu.user_id(), emu.app_id()).unwrap());
    let logged = emu.requests().len();
    burst(&other, 10);
    burst(&c.clone(), 10);
    assert_eq!(seen(&emu, logged).0, connections);
}

#[test]
fn h2c_with_prior_knowledge_shares_one_connection_from_the_first_call() {
    let emu = emulator_with_faults(&["ListInputs=delay:50"]);
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .http2_prior_knowledge(true)
        .build()
        .unwrap();
    burst(&c, 100);
    assert_eq!(emu.connections_accepted(), 1);
    assert_eq!(seen(&emu, 0).1, BTreeSet::from(["HTTP/2"]));

    // Without the option, plain http is HTTP/1.1, a connection per concurrent call.
    let c = app_key_client(&emu);
    let logged = emu.requests().len();
    burst(&c, 10);
    let (connections, versions) = seen(&emu, logged);
    assert_eq!(versions, BTreeSet::from(["HTTP/1.1"]));
    assert!(connections.len() > 1, "{connections:?}");
}

#[test]
fn responses_are_gzipped_on_the_wire_and_read_back_whole() {
    let emu = emulator();
    let c = app_key_client(&emu);
    let inputs: Vec<Value> =
        (0..100).map(|i| json!({"id": format!("in-{i}"), "data": {"text": {"raw": "same words again"}}})).collect();
    c.call("PostInputs", &json!({"inputs": inputs})).unwrap();
    let before = emu.requests().len();
    let resp = c.call("ListInputs", &json!({"per_page": 100})).unwrap();
    assert_eq!(resp.body()["inputs"].as_array().map(Vec::len), Some(100));
    let record = emu.requests()[before].clone();
    assert!(record.gzipped, "the client did not accept gzip");
    assert!(
        record.body_bytes * 4 < resp.text.len(),
        "{} bytes on the wire for {} of JSON",
        record.body_bytes,
        resp.text.len()
    );
}

/// A server that answers every request the same way, after `pause`; `respond` gets the
/// request head and returns the whole answer.
fn raw_server(pause: Duration, respond: impl Fn(&str, &str) -> Vec<u8> + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let respond = std::sync::Arc::new(respond);
    let base = url.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            let respond = respond.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    std::thread::sleep(pause);
                    let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                    if s.write_all(&respond(&base, &head)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn client_for(url: &str, timeout: Duration, retry: RetryPolicy) -> Client {
    Client::builder(Credential::api_key(CANARY).unwrap()).base_url(url).timeout(timeout).retry(retry).build().unwrap()
}

#[test]
fn the_total_timeout_covers_every_redirect_hop() {
    // Each hop takes 0.4 s and redirects to the next: with a 1 s timeout, the call must end at
    // about 1 s, not after the five hops it may follow (2.4 s).
    let url = raw_server(Duration::from_millis(400), |base, _| {
        format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {base}/v2/inputs\r\ncontent-length: 0\r\n\r\n")
            .into_bytes()
    });
    let c = client_for(&url, Duration::from_secs(1), RetryPolicy::none());
    let t = Instant::now();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let took = t.elapsed();
    assert_eq!(kind(&e), Some(TransportKind::Timeout), "{e}");
    assert!(took >= Duration::from_millis(950) && took < Duration::from_millis(1400), "{took:?}");
}

#[test]
fn the_total_timeout_covers_retries_and_their_backoff() {
    let url = raw_server(Duration::from_millis(150), |_, _| {
        let body = r#"{"status":{"code":10020,"description":"Failure"}}"#;
        format!("HTTP/1.1 503 Service Unavailable\r\ncontent-length: {}\r\n\r\n{body}", body.len()).into_bytes()
    });
    let retry =
        RetryPolicy { max_retries: 10, base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(300) };
    let c = client_for(&url, Duration::from_secs(1), retry);
    let t = Instant::now();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let took = t.elapsed();
    assert_eq!(kind(&e), Some(TransportKind::Timeout), "{e}");
    assert!(took < Duration::from_millis(1400), "{took:?}");
}

#[test]
fn a_server_trickling_one_byte_at_a_time_hits_the_total_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n{");
                // One byte every 100 ms: every read makes progress, none ends the body.
                while s.write_all(b" ").is_ok() {
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
        }
    });
    let c = client_for(&url, Duration::from_millis(800), RetryPolicy::none());
    let t = Instant::now();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let took = t.elapsed();
    assert_eq!(kind(&e), Some(TransportKind::Timeout), "{e}");
    assert!(took >= Duration::from_millis(750) && took < Duration::from_millis(1200), "{took:?}");
}

#[test]
fn redirects_are_followed_to_a_limit_keeping_the_key_on_the_same_origin() {
    // Same origin: followed, with the credential.
    let emu = emulator_with_faults(&["ListInputs=redirect:/v2/concepts,times=1"]);
    let c = app_key_client(&emu);
    let r = c.call("ListInputs", &json!({}));
    assert_eq!(route_of(&r).as_deref(), Some("GET /v2/concepts"));
    r.unwrap();

    // A loop: refused after max_redirects (5), as a redirect error.
    let url = raw_server(Duration::ZERO, |base, _| {
        format!("HTTP/1.1 302 Found\r\nlocation: {base}/v2/inputs\r\ncontent-length: 0\r\n\r\n").into_bytes()
    });
    let e = client_for(&url, Duration::from_secs(5), RetryPolicy::none()).call("ListInputs", &json!({})).unwrap_err();
    assert_eq!(kind(&e), Some(TransportKind::Redirect), "{e}");
    assert!(e.to_string().contains("more than 5 redirects"), "{e}");
}

#[test]
fn blocking_calls_from_a_callback_do_not_deadlock() {
    let emu = emulator();
    let c = app_key_client(&emu);
    let (tx, rx) = std::sync::mpsc::channel();
    let inner = c.clone();
    c.spawn_call("ListInputs", &json!({}), &clarifai::CallOptions::default(), move |first| {
        // On the runtime's blocking pool: a blocking call on the same client works.
        let second = inner.call("ListConcepts", &json!({}));
        tx.send((first.is_ok(), second.is_ok())).unwrap();
    })
    .unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), (true, true));
}

#[test]
fn a_blocking_call_from_another_programs_runtime_works() {
    // A Rust program of its own on tokio may call the blocking API from its own tasks (it
    // blocks that program's thread, not ours); what must never happen is a hang.
    let emu = emulator();
    let c = app_key_client(&emu);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let r = rt.block_on(async { c.call("ListInputs", &json!({})) });
    assert!(r.is_ok(), "{r:?}");
}

/// A server that reads only a request's head, answers 413 at once and closes, while the
/// client is still writing its body.
fn refusing_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let body = r#"{"status":{"code":11102,"description":"Invalid request","details":"the request body exceeds the limit"}}"#;
                let answer = format!("HTTP/1.1 413 Payload Too Large\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                let _ = s.write_all(answer.as_bytes());
                let _ = s.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    url
}

fn post_8mb(c: &Client) -> Result<clarifai::Response, Error> {
    let big = "A".repeat(8 << 20);
    c.call("PostInputs", &json!({"inputs": [{"data": {"image": {"base64": big}}}]}))
}

#[test]
fn an_early_answer_over_http2_is_read_not_lost_in_a_reset() {
    // The emulator refuses bodies over its limit (1 MiB here) as soon as it has the head.
    let emu = emulator_with(Config { max_body_bytes: 1 << 20, ..Config::default() });
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .http2_prior_knowledge(true)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    for _ in 0..5 {
        let e = post_8mb(&c).unwrap_err();
        let api = e.api().unwrap_or_else(|| panic!("a transport error instead of the emulator's answer: {e}"));
        assert_eq!((api.http_status, api.code()), (413, 11102), "{e}");
    }
    // The shared connection is still good for the next call.
    c.call("ListInputs", &json!({})).unwrap();
    assert_eq!(emu.connections_accepted(), 1);
}

#[test]
fn an_early_answer_over_http1_is_read_or_named_for_what_it_is() {
    // Over HTTP/1.1 the answer is read when it arrives between two chunks of the body; hyper's
    // client does not read after a failed write, so a reset that overtakes the answer loses it
    // (docs/reliability.md). Either way the caller learns what happened: the API's 413, or an
    // I/O error that says the server closed the connection during the upload.
    let url = refusing_server();
    let c = client_for(&url, Duration::from_secs(10), RetryPolicy::none());
    let mut answered = 0;
    for _ in 0..10 {
        match post_8mb(&c) {
            Err(Error::Api(api)) => {
                assert_eq!((api.http_status, api.code()), (413, 11102));
                answered += 1;
            }
            Err(e @ Error::Transport { kind: TransportKind::Io, .. }) => {
                assert!(e.to_string().contains("while the request body was being sent"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
    eprintln!("HTTP/1.1 early answers read: {answered} of 10");
}
