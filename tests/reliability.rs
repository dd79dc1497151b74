//! Hostile input, faults and load: what tests/api/client.rs does not already cover.
//!
//! - Retries: which failures are retried, how often, and that nothing that may have run is
//!   sent twice.
//! - Transport faults: DNS, https→http redirects, oversized and endless bodies with bounded
//!   memory, TLS and plain-http policy through the C ABI.
//! - Secret hygiene: no key in any `Debug`/`Display`/C error text on any error path, and key
//!   bytes wiped when a credential is dropped (checked by this binary's global allocator).
//! - Load: many threads and many queued asynchronous calls on one client through the C ABI,
//!   with flat memory and bounded sockets; and a client used across `fork()`.
//!
//! Sizes are small by default so the workspace test run stays quick on two cores;
//! `RELIABILITY_FULL=1` runs the full ones (64 threads × 10,000 calls).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{CStr, CString};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use clarifai::ffi::*;
use clarifai::{Client, Credential, Error, Key, RetryPolicy, TransportKind, UserAppId};
use clarifai_emulator::{Config, Emulator, FaultRule};
use common::*;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// The allocator: per-thread live bytes (for bounded-memory checks) and a scan of freed blocks
// for a marker (for wiping checks).

/// A token no other test uses, so any freed block holding it came from the code under test.
const WIPE_MARK: &str = "wipemark7f3e9a1c5b2d8e4f6a0c9b1d";

struct Watch;

static SCAN_FREED: AtomicBool = AtomicBool::new(false);
/// Freed (or moved by realloc) blocks that still held `WIPE_MARK`.
static UNWIPED: AtomicUsize = AtomicUsize::new(0);

/// Live bytes of the whole process, and the most seen since the last reset: requests run on
/// the library's runtime threads, not on the caller's.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn holds_mark(p: *const u8, len: usize) -> bool {
    let mark = WIPE_MARK.as_bytes();
    if len < mark.len() {
        return false;
    }
    // SAFETY: the block is allocated and `len` long; it is read before it is released.
    let block = unsafe { std::slice::from_raw_parts(p, len) };
    block.windows(mark.len()).any(|w| w == mark)
}

fn account(delta: isize) {
    let v = LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
    PEAK.fetch_max(v, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if SCAN_FREED.load(Ordering::Relaxed) && holds_mark(ptr, layout.size()) {
            UNWIPED.fetch_add(1, Ordering::SeqCst);
        }
        account(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A realloc may move the bytes and release the old block as it is.
        if SCAN_FREED.load(Ordering::Relaxed) && holds_mark(ptr, layout.size()) {
            UNWIPED.fetch_add(1, Ordering::SeqCst);
        }
        account(new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Watch = Watch;

/// Most bytes the process had allocated at once while running `f`, above what it had before.
/// Process-wide, so only meaningful under [`heavy`] (no other test running).
fn peak_allocated_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, (PEAK.load(Ordering::SeqCst) - base).max(0) as usize)
}

/// Unwiped blocks holding the mark freed while `f` ran. Scans are serialized: the count is
/// process-wide.
fn unwiped_during(f: impl FnOnce()) -> usize {
    static SCANS: Mutex<()> = Mutex::new(());
    let _one = SCANS.lock().unwrap_or_else(|p| p.into_inner());
    let before = UNWIPED.load(Ordering::SeqCst);
    SCAN_FREED.store(true, Ordering::SeqCst);
    f();
    SCAN_FREED.store(false, Ordering::SeqCst);
    UNWIPED.load(Ordering::SeqCst) - before
}

// ---------------------------------------------------------------------------------------------
// Helpers.

static EXCLUSIVE: RwLock<()> = RwLock::new(());

/// Tests that count process-wide resources (RSS, file descriptors, children) run alone.
fn heavy() -> RwLockWriteGuard<'static, ()> {
    EXCLUSIVE.write().unwrap_or_else(|p| p.into_inner())
}

/// Every other test runs beside the others, but never beside a heavy one.
fn light() -> RwLockReadGuard<'static, ()> {
    EXCLUSIVE.read().unwrap_or_else(|p| p.into_inner())
}

fn full() -> bool {
    std::env::var("RELIABILITY_FULL").is_ok_and(|v| v == "1")
}

fn requests_to(emu: &Emulator, endpoint: &str) -> usize {
    emu.requests().iter().filter(|r| r.endpoint.as_deref() == Some(endpoint)).count()
}

fn client_with(emu: &Emulator, retry: RetryPolicy) -> Client {
    Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).retry(retry).build().unwrap()
}

fn emulator_with(config: Config) -> Emulator {
    Emulator::start(config).expect("emulator starts")
}

fn faults(specs: &[&str]) -> Vec<FaultRule> {
    specs.iter().map(|s| s.parse().expect("fault spec")).collect()
}

/// A loopback port nothing listens on (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn transport_kind(e: &Error) -> Option<TransportKind> {
    match e {
        Error::Transport { kind, .. } => Some(*kind),
        _ => None,
    }
}

fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// Options for the C ABI pointing at `url`, with `retries` retries.
fn ffi_options(url: &str, retries: u32) -> *mut clarifai_client_options {
    let opts = clarifai_client_options_new();
    unsafe {
        assert_eq!(clarifai_client_options_set_base_url(opts, c(url).as_ptr(), null_mut()), clarifai_result::Ok);
        assert_eq!(clarifai_client_options_set_max_retries(opts, retries, null_mut()), clarifai_result::Ok);
    }
    opts
}

/// An owned C client for `key` at `url`.
fn ffi_client(
    key: &str,
    opts: *const clarifai_client_options,
) -> Result<*mut clarifai_client, (clarifai_result, String)> {
    let mut client = null_mut();
    let mut err = null_mut();
    let r = unsafe { clarifai_client_new_api_key(c(key).as_ptr(), opts, &mut client, &mut err) };
    if r == clarifai_result::Ok {
        Ok(client)
    } else {
        Err((r, take_error(err)))
    }
}

/// The message of an owned C error, which is then freed.
fn take_error(err: *mut clarifai_error) -> String {
    assert!(!err.is_null());
    let msg = unsafe { CStr::from_ptr(clarifai_error_message(err)) }.to_string_lossy().into_owned();
    unsafe { clarifai_error_free(err) };
    msg
}

/// One blocking call through the C ABI: the result and, on failure, the error's message.
fn ffi_call(client: *const clarifai_client, endpoint: &str, params: &str) -> (clarifai_result, String) {
    let (ep, params) = (c(endpoint), c(params));
    let mut resp = null_mut();
    let mut err = null_mut();
    let r = unsafe { clarifai_client_call(client, ep.as_ptr(), params.as_ptr(), &mut resp, &mut err) };
    if r == clarifai_result::Ok {
        unsafe { clarifai_response_free(resp) };
        (r, String::new())
    } else {
        (r, take_error(err))
    }
}

// ---------------------------------------------------------------------------------------------
// Retries.

#[test]
fn a_503_is_retried_for_get_but_never_for_post() {
    let _light = light();
    let emu = emulator_with(Config {
        faults: faults(&["ListInputs=status:503,times=1", "PostInputs=status:503,times=1", "ListConcepts=status:503"]),
        ..Config::default()
    });
    let c = client_with(&emu, RetryPolicy::default());

    // GET: one 503, then the retry succeeds.
    c.call("ListInputs", &json!({})).expect("the retry succeeds");
    assert_eq!(requests_to(&emu, "ListInputs"), 2, "one attempt and one retry");

    // POST: the server may have acted on it; the 503 is returned as it is.
    let e = c.call("PostInputs", &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]})).unwrap_err();
    assert_eq!(e.api().map(|a| a.http_status), Some(503), "{e}");
    assert_eq!(requests_to(&emu, "PostInputs"), 1, "a POST is never sent twice");

    // A GET that keeps failing: 1 + max_retries attempts, then the last answer, without
    // waiting longer than the backoff allows (50 ms, then 100 ms, each with full jitter).
    let t = Instant::now();
    let e = c.call("ListConcepts", &json!({})).unwrap_err();
    assert_eq!(e.api().map(|a| a.http_status), Some(503), "{e}");
    assert_eq!(requests_to(&emu, "ListConcepts"), 3);
    assert!(t.elapsed() < Duration::from_secs(5), "three attempts took {:?}", t.elapsed());
}

#[test]
fn other_server_errors_are_not_retried() {
    let _light = light();
    let emu = emulator_with(Config {
        faults: faults(&["ListInputs=status:500", "ListModels=status:404"]),
        ..Config::default()
    });
    let c = client_with(&emu, RetryPolicy::default());
    assert_eq!(c.call("ListInputs", &json!({})).unwrap_err().api().map(|a| a.http_status), Some(500));
    assert_eq!(c.call("ListModels", &json!({})).unwrap_err().status_code(), Some(11101));
    assert_eq!(requests_to(&emu, "ListInputs"), 1, "a 500 may be a bug the request triggers: no retry");
    assert_eq!(requests_to(&emu, "ListModels"), 1);
}

#[test]
fn backoff_is_jittered() {
    let _light = light();
    // Full jitter: retry delays differ from call to call, so clients that failed together do
    // not come back together.
    let emu = emulator_with(Config { faults: faults(&["ListInputs=status:503"]), ..Config::default() });
    let policy =
        RetryPolicy { max_retries: 1, base_delay: Duration::from_millis(200), max_delay: Duration::from_secs(2) };
    let c = client_with(&emu, policy);
    let took: Vec<Duration> = (0..6)
        .map(|_| {
            let t = Instant::now();
            assert!(c.call("ListInputs", &json!({})).is_err());
            t.elapsed()
        })
        .collect();
    assert_eq!(requests_to(&emu, "ListInputs"), 12);
    for d in &took {
        assert!(*d < Duration::from_millis(200 + 1500), "a 0..200 ms backoff took {d:?}");
    }
    let (min, max) = (took.iter().min().unwrap(), took.iter().max().unwrap());
    assert!(*max - *min > Duration::from_millis(5), "six retries all waited the same: {took:?}");
}

#[test]
fn throttling_is_retried_a_bounded_number_of_times() {
    let _light = light();
    let emu = emulator_with(Config {
        faults: faults(&["ListInputs=throttle:1", "PostInputs=throttle:1,times=1", "ListConcepts=throttle:30"]),
        ..Config::default()
    });
    let policy = RetryPolicy { max_retries: 2, ..RetryPolicy::default() };
    let c = client_with(&emu, policy);

    // Always throttled: Retry-After is honoured twice, then the 11005 is returned.
    let t = Instant::now();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let api = e.api().expect("an API error");
    assert_eq!((api.status.code, api.http_status, api.retry_after), (11005, 429, Some(Duration::from_secs(1))));
    assert_eq!(requests_to(&emu, "ListInputs"), 3);
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(1900) && took < Duration::from_secs(10), "two 1 s waits took {took:?}");

    // A throttled request did not run: even a POST goes again.
    c.call("PostInputs", &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]})).expect("retried after throttling");
    assert_eq!(requests_to(&emu, "PostInputs"), 2);

    // Retry-After beyond max_delay: not waited for.
    let t = Instant::now();
    let e = c.call("ListConcepts", &json!({})).unwrap_err();
    assert_eq!(e.api().and_then(|a| a.retry_after), Some(Duration::from_secs(30)));
    assert_eq!(requests_to(&emu, "ListConcepts"), 1);
    assert!(t.elapsed() < Duration::from_secs(3), "waited {:?}", t.elapsed());
}

#[test]
fn a_refused_connection_is_retried_even_for_post() {
    let _light = light();
    // Nothing listens yet: the first attempts are refused. A server then starts on that port;
    // the POST, never sent before, goes through once.
    let port = free_port();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "the port is free");
    let policy =
        RetryPolicy { max_retries: 10, base_delay: Duration::from_millis(20), max_delay: Duration::from_secs(2) };
    let client = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url(&format!("http://127.0.0.1:{port}"))
        .retry(policy)
        .build()
        .unwrap();
    let server = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        emulator_with(Config { listen: ([127, 0, 0, 1], port).into(), ..Config::default() })
    });
    let t = Instant::now();
    let r = client.call("PostInputs", &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]}));
    let emu = server.join().unwrap();
    assert!(t.elapsed() >= Duration::from_millis(150), "answered before the server existed");
    // The canary key is unknown to the emulator: the answer proves the request arrived.
    assert_eq!(r.unwrap_err().status_code(), Some(11009));
    assert_eq!(requests_to(&emu, "PostInputs"), 1, "sent exactly once");

    // Without retries, a refused connection fails at once.
    let dead = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url(&format!("http://127.0.0.1:{}", free_port()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let t = Instant::now();
    let e = dead.call("PostInputs", &json!({})).unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::Connect), "{e}");
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_dropped_response_is_not_retried_for_post() {
    let _light = light();
    // The request arrived and may have run: half an answer is an error, not a reason to resend.
    let emu = emulator_with(Config { faults: faults(&["PostInputs=drop"]), ..Config::default() });
    let c = client_with(&emu, RetryPolicy::default());
    let e = c.call("PostInputs", &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]})).unwrap_err();
    assert!(matches!(e, Error::Transport { .. } | Error::MalformedResponse { .. }), "{e}");
    assert_eq!(requests_to(&emu, "PostInputs"), 1);
}

/// A keep-alive server whose first connection misbehaves after its first answer: with
/// `answer_then_close` it closes at once (as a server whose idle timeout passed), otherwise it
/// reads the next request and closes without answering (the close racing the request).
/// Returns its URL and the number of requests it has read.
fn closing_server(answer_then_close: bool) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let count = requests.clone();
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().enumerate() {
            let Ok(mut s) = stream else { return };
            let count = count.clone();
            std::thread::spawn(move || {
                let body = r#"{"status":{"code":10000,"description":"Ok"}}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let mut buf = [0u8; 8192];
                for n in 0.. {
                    // Small requests: one read holds a whole one.
                    if s.read(&mut buf).unwrap_or(0) == 0 {
                        return;
                    }
                    count.fetch_add(1, Ordering::SeqCst);
                    if i == 0 && n == 1 {
                        return; // closes without an answer
                    }
                    s.write_all(answer.as_bytes()).unwrap();
                    if i == 0 && answer_then_close {
                        return;
                    }
                }
            });
        }
    });
    (url, requests)
}

#[test]
fn a_pooled_connection_the_server_closed_is_replaced() {
    let _light = light();
    let client = |url: &str| {
        Client::builder(Credential::api_key(CANARY).unwrap()).base_url(url).retry(RetryPolicy::none()).build().unwrap()
    };
    let post = json!({"inputs": [{"data": {"text": {"raw": "x"}}}]});

    // Closed while idle: found closed before reuse, so even a POST goes out once, fresh.
    let (url, requests) = closing_server(true);
    let c = client(&url);
    c.call("PostInputs", &post).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    c.call("PostInputs", &post).unwrap();
    assert_eq!(requests.load(Ordering::SeqCst), 2);

    // Closed as the request arrived, with no answer: a GET is sent again on a fresh connection.
    let (url, requests) = closing_server(false);
    let c = client(&url);
    c.call("ListInputs", &json!({})).unwrap();
    c.call("ListInputs", &json!({})).unwrap();
    assert_eq!(requests.load(Ordering::SeqCst), 3);

    // …but a POST that may have run is not: the failure is reported.
    let (url, requests) = closing_server(false);
    let c = client(&url);
    c.call("PostInputs", &post).unwrap();
    let e = c.call("PostInputs", &post).unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::Io), "{e}");
    assert_eq!(requests.load(Ordering::SeqCst), 2, "not sent twice");
}

// ---------------------------------------------------------------------------------------------
// Transport faults and policy.

#[test]
fn an_unresolvable_host_is_a_dns_error() {
    let _light = light();
    let c = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url("http://nonexistent.invalid")
        .danger_allow_insecure_http(true)
        .proxy_from_env(false)
        .connect_timeout(Duration::from_secs(10))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::Dns), "{e}");
    assert!(!format!("{e} {e:?}").contains(CANARY));
}

#[test]
fn an_https_to_http_redirect_is_refused() {
    let _light = light();
    let plain = emulator();
    let tls = emulator_with(Config {
        tls: true,
        faults: faults(&[&format!("ListInputs=redirect:{}/v2/inputs", plain.url())]),
        ..Config::default()
    });
    let c = Client::builder(Credential::api_key(tls.api_key()).unwrap())
        .base_url(tls.url())
        .ca_file(tls.ca_file().unwrap())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::Redirect), "{e}");
    assert!(plain.requests().is_empty(), "nothing reached the http origin");

    // Through the C ABI: the same refusal, as its own result code.
    let opts = ffi_options(tls.url(), 0);
    let ca = c_path(tls.ca_file().unwrap());
    unsafe { assert_eq!(clarifai_client_options_set_ca_file(opts, ca.as_ptr(), null_mut()), clarifai_result::Ok) };
    let client = ffi_client(tls.api_key(), opts).unwrap();
    assert_eq!(ffi_call(client, "ListInputs", "{}").0, clarifai_result::RedirectRefused);
    unsafe {
        clarifai_client_free(client);
        clarifai_client_options_free(opts);
    }
    assert!(plain.requests().is_empty());
}

#[test]
fn proxies_tunnel_https_and_forward_http() {
    let _light = light();
    // https through a proxy that wants credentials: one CONNECT tunnel, reused, and the key
    // only ever inside TLS.
    let tls = emulator_with(Config { tls: true, ..Config::default() });
    let (proxy, seen) = test_proxy(Some("Basic dXNlcjpwQHNz")); // user:p@ss
    let via = |userinfo: &str| {
        Client::builder(Credential::api_key(tls.api_key()).unwrap())
            .base_url(tls.url())
            .ca_file(tls.ca_file().unwrap())
            .proxy(&proxy.replace("http://", &format!("http://{userinfo}@")))
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    };
    let c = via("user:p%40ss");
    for _ in 0..4 {
        c.call("ListInputs", &json!({})).unwrap();
    }
    let heads = seen.lock().unwrap().clone();
    let authority = tls.url().trim_start_matches("https://").trim_end_matches('/').to_string();
    // The first call's connection finds out the emulator speaks HTTP/2; the others share the
    // one HTTP/2 connection (src/transport/negotiate.rs): two tunnels, the second reused.
    assert_eq!(heads.len(), 2, "a tunnel per connection, reused: {heads:?}");
    for head in &heads {
        assert!(head.starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")), "{head}");
        assert!(!head.contains(tls.api_key()));
    }
    assert_eq!(requests_to(&tls, "ListInputs"), 4);

    // Wrong proxy credentials: the proxy's 407, as a connection failure that names it and not
    // the password.
    let e = via("user:wrong-password").call("ListInputs", &json!({})).unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::Connect), "{e}");
    let text = format!("{e} {e:?}");
    assert!(text.contains("407") && !text.contains("wrong-password") && !text.contains(tls.api_key()), "{text}");

    // Plain http through a proxy: the request names its origin in full.
    let plain = emulator();
    let (proxy, seen) = test_proxy(None);
    let c = Client::builder(Credential::api_key(plain.api_key()).unwrap())
        .base_url(plain.url())
        .proxy(&proxy)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    c.call("ListInputs", &json!({"per_page": 1})).unwrap();
    let heads = seen.lock().unwrap().clone();
    assert!(
        heads[0].starts_with(&format!("GET {}/v2/inputs?per_page=1 HTTP/1.1\r\n", plain.url().trim_end_matches('/'))),
        "{}",
        heads[0]
    );
    assert_eq!(requests_to(&plain, "ListInputs"), 1);

    // A proxy URL that cannot be used is refused when the client is built, without its password.
    let e = Client::builder(Credential::api_key(plain.api_key()).unwrap())
        .proxy("socks5://u:hunter2@h:1")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)) && !e.to_string().contains("hunter2"), "{e}");
}

fn c_path(p: &std::path::Path) -> CString {
    c(p.to_str().unwrap())
}

/// A server that answers every connection with a 200 whose body never ends (or claims
/// `declared` bytes), written from one small buffer so the test process's memory only shows
/// what the client keeps. Returns its URL.
fn endless_server(declared: Option<u64>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            std::thread::spawn(move || {
                let mut req = [0u8; 4096];
                let _ = s.read(&mut req);
                let head = match declared {
                    Some(n) => {
                        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {n}\r\n\r\n")
                    }
                    None => {
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_string()
                    }
                };
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(b"{\"status\":{\"code\":10000},\"padding\":\"");
                let chunk = [b'x'; 64 * 1024];
                // Until the client hangs up.
                while s.write_all(&chunk).is_ok() {}
            });
        }
    });
    url
}

#[test]
fn an_oversized_response_is_a_typed_error_in_bounded_memory() {
    let _heavy = heavy();
    for declared in [Some(4 << 30), None] {
        let url = endless_server(declared);
        let c = Client::builder(Credential::api_key(CANARY).unwrap())
            .base_url(&url)
            .max_response_bytes(1 << 20)
            .timeout(Duration::from_secs(30))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let (r, peak) = peak_allocated_during(|| c.call("ListInputs", &json!({})));
        let e = r.unwrap_err();
        assert_eq!(transport_kind(&e), Some(TransportKind::BodyTooLarge), "{e}");
        // The 1 MiB limit, a Vec's doubling, and the transport's buffers; never the 4 GiB.
        assert!(peak < 8 << 20, "reading a {declared:?}-byte body past a 1 MiB limit allocated {peak} bytes");
    }
}

/// A server answering every request with `body`, sent as it is with `content-encoding: gzip`.
fn gzip_server(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = Arc::new(body);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            let body = Arc::clone(&body);
            std::thread::spawn(move || {
                let mut req = [0u8; 4096];
                let _ = s.read(&mut req);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(&body);
            });
        }
    });
    url
}

#[test]
fn a_gzip_bomb_is_too_large_in_bounded_memory() {
    let _heavy = heavy();
    // 1 GiB of JSON whitespace inside a valid document, gzipped to about 1 MiB.
    let bomb = {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(br#"{"status":{"code":10000},"padding":""#).unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..1024 {
            z.write_all(&spaces).unwrap();
        }
        z.write_all(br#""}"#).unwrap();
        z.finish().unwrap()
    };
    assert!(bomb.len() < 2 << 20, "the bomb is {} bytes", bomb.len());
    let url = gzip_server(bomb);
    let c = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url(&url)
        .max_response_bytes(4 << 20)
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let (r, peak) = peak_allocated_during(|| c.call("ListInputs", &json!({})));
    let e = r.unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::BodyTooLarge), "{e}");
    // The 4 MiB limit, a Vec's doubling, the decoder's and transport's buffers, and the
    // compressed MiB: never the 1 GiB.
    assert!(peak < 24 << 20, "a gzip bomb allocated {peak} bytes");
    // A compressed answer under the limit is read whole.
    let small = {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(br#"{"status":{"code":10000,"description":"Ok"},"inputs":[]}"#).unwrap();
        z.finish().unwrap()
    };
    let c = Client::builder(Credential::api_key(CANARY).unwrap()).base_url(&gzip_server(small)).build().unwrap();
    assert_eq!(c.call("ListInputs", &json!({})).unwrap().body()["inputs"], json!([]));
}

#[test]
fn transport_policy_through_the_c_abi() {
    let _light = light();
    // Plain http to a host that is not loopback: refused when the client is made.
    let opts = ffi_options("http://example.com", 0);
    assert_eq!(ffi_client(CANARY, opts).map_err(|e| e.0), Err(clarifai_result::InsecureUrl));
    unsafe {
        assert_eq!(clarifai_client_options_set_danger_allow_insecure_http(opts, true, null_mut()), clarifai_result::Ok)
    };
    let client = ffi_client(CANARY, opts).expect("allowed with the opt-in");
    unsafe {
        clarifai_client_free(client);
        clarifai_client_options_free(opts);
    }

    // TLS: the emulator's CA works, another CA is a TLS failure, a file with no certificate
    // is refused when the client is made.
    let emu = emulator_with(Config { tls: true, ..Config::default() });
    let other = emulator_with(Config { tls: true, ..Config::default() });
    for (ca, want) in [(emu.ca_file().unwrap(), clarifai_result::Ok), (other.ca_file().unwrap(), clarifai_result::Tls)]
    {
        let opts = ffi_options(emu.url(), 0);
        unsafe {
            assert_eq!(clarifai_client_options_set_ca_file(opts, c_path(ca).as_ptr(), null_mut()), clarifai_result::Ok)
        };
        let client = ffi_client(emu.api_key(), opts).unwrap();
        let (r, msg) = ffi_call(client, "ListInputs", "{}");
        assert_eq!(r, want, "{msg}");
        assert!(!msg.contains(emu.api_key()));
        unsafe {
            clarifai_client_free(client);
            clarifai_client_options_free(opts);
        }
    }
    let opts = ffi_options(emu.url(), 0);
    unsafe {
        assert_eq!(clarifai_client_options_set_ca_file(opts, c"/dev/null".as_ptr(), null_mut()), clarifai_result::Ok)
    };
    assert_eq!(ffi_client(emu.api_key(), opts).map_err(|e| e.0), Err(clarifai_result::InvalidArgument));
    unsafe { clarifai_client_options_free(opts) };
}

// ---------------------------------------------------------------------------------------------
// Secret hygiene.

/// Every text a value shows: `Display` where it has one, and `Debug`.
fn shown(texts: &mut Vec<String>, e: &Error) {
    texts.push(e.to_string());
    texts.push(format!("{e:?}"));
    texts.push(format!("{e:#?}"));
}

#[test]
fn no_key_shows_on_any_error_path() {
    let _light = light();
    let emu = emulator_with(Config { faults: faults(&["ListConcepts=delay:2000"]), ..Config::default() });
    // The canary is a real key of the emulator, with too few scopes, so the 11007 path runs.
    let spec = clarifai_emulator::KeySpec::new(&["Inputs:Get"]).token(CANARY);
    emu.add_key(spec).expect("the emulator takes the canary key");
    let mut texts = Vec::new();

    let cred = Credential::api_key(CANARY).unwrap();
    let pat = Credential::pat(CANARY, "me", "app").unwrap();
    let client = Client::builder(cred.clone()).base_url(emu.url()).retry(RetryPolicy::none()).build().unwrap();
    let key = Key {
        id: cred.secret().clone(),
        description: "d".into(),
        scopes: vec!["All".into()],
        endpoints: vec![],
        apps: vec![UserAppId::new("me", "app").unwrap()],
    };
    texts.extend([
        format!("{cred:?}"),
        format!("{cred:#?}"),
        format!("{pat:?}"),
        format!("{:?}", cred.secret()),
        format!("{}", cred.secret()),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{key:?}"),
        format!("{:?}", client.with_credential(pat.clone())),
    ]);

    // Refused before sending: the key itself malformed.
    for bad in [format!("{CANARY} "), format!("\n{CANARY}"), format!("{CANARY}\u{e9}")] {
        shown(&mut texts, &Credential::api_key(&bad).unwrap_err());
        shown(&mut texts, &Credential::pat(&bad, "me", "app").unwrap_err());
    }
    // Insufficient scopes (11007), from the server and from the preflight.
    let e = client.call("PostInputs", &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]})).unwrap_err();
    assert_eq!(e.status_code(), Some(11007), "{e}");
    shown(&mut texts, &e);
    texts.push(format!("{:?}", client.check("PostInputs").unwrap()));
    // Key management needs a PAT.
    shown(&mut texts, &client.list_keys().unwrap_err());
    // Unknown key (11009), and a key that does not belong to the app (11008).
    let unknown = client.with_credential(Credential::api_key(&format!("{CANARY}x")).unwrap());
    let e = unknown.call("ListInputs", &json!({})).unwrap_err();
    assert_eq!(e.status_code(), Some(11009));
    shown(&mut texts, &e);
    let e = client.call("ListInputs", &json!({"user_app_id": {"user_id": "me", "app_id": "another-app"}})).unwrap_err();
    shown(&mut texts, &e);
    // A timeout.
    let slow = Client::builder(cred.clone())
        .base_url(emu.url())
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = slow.call("ListConcepts", &json!({})).unwrap_err();
    assert_eq!(transport_kind(&e), Some(TransportKind::Timeout), "{e}");
    shown(&mut texts, &e);
    // A dead server.
    let dead = Client::builder(cred.clone())
        .base_url(&format!("http://127.0.0.1:{}", free_port()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    shown(&mut texts, &dead.call("ListInputs", &json!({})).unwrap_err());
    // TLS with the wrong CA.
    let tls = emulator_with(Config { tls: true, ..Config::default() });
    let other = emulator_with(Config { tls: true, ..Config::default() });
    let wrong_ca = Client::builder(cred.clone())
        .base_url(tls.url())
        .ca_file(other.ca_file().unwrap())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    shown(&mut texts, &wrong_ca.call("ListInputs", &json!({})).unwrap_err());
    // Insecure URL, bad base URL, bad parameters.
    shown(&mut texts, &Client::builder(cred.clone()).base_url("http://example.com").build().unwrap_err());
    shown(&mut texts, &Client::builder(cred.clone()).base_url("::").build().unwrap_err());
    shown(&mut texts, &client.call_json("ListInputs", "{nope").unwrap_err());
    shown(&mut texts, &client.call("GetInput", &json!({})).unwrap_err());

    // The same paths through the C ABI.
    let opts = ffi_options(emu.url(), 0);
    let cc = ffi_client(CANARY, opts).unwrap();
    for (endpoint, params) in
        [("PostInputs", "{\"inputs\":[]}"), ("NoSuchRpc", "{}"), ("ListInputs", "{bad"), ("ListKeys", "{}")]
    {
        texts.push(ffi_call(cc, endpoint, params).1);
    }
    let mut err = null_mut();
    unsafe {
        assert_eq!(clarifai_client_check(cc, c"PostInputs".as_ptr(), &mut err), clarifai_result::InsufficientScopes);
        texts.push(take_error(err));
        clarifai_client_free(cc);
    }
    for bad in [format!("{CANARY} "), format!("{CANARY}\t")] {
        texts.push(ffi_client(&bad, opts).unwrap_err().1);
    }
    unsafe { clarifai_client_options_free(opts) };

    assert!(texts.len() > 40);
    for t in &texts {
        assert!(!t.is_empty());
        // Assert without echoing the text: a failure must not print the key either.
        assert!(!t.contains(CANARY) && !t.contains("canary-0123"), "a text shows the key ({} bytes)", t.len());
    }
}

/// A server that echoes the request's `Authorization` value everywhere it can: the status's
/// description, details and req_id, a header, and the body. `ok` picks a 200 or a 401.
fn echoing_server(ok: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                    let auth = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().starts_with("authorization:").then(|| l[14..].trim().to_string())
                        })
                        .unwrap_or_default();
                    let (status, code) = if ok { ("200 OK", 10000) } else { ("401 Unauthorized", 11009) };
                    let body = format!(
                        r#"{{"status":{{"code":{code},"description":"you sent {auth}","details":"header was {auth}","req_id":"{auth}"}},"echo":"{auth}"}}"#
                    );
                    let answer = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\nx-echo: {auth}\r\ncontent-length: {}\r\n\r\n{body}", body.len());
                    if s.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

#[test]
fn a_server_echoing_the_key_gets_it_back_redacted() {
    let _light = light();
    for ok in [true, false] {
        let url = echoing_server(ok);
        // Rust.
        let rust = Client::builder(Credential::api_key(CANARY).unwrap())
            .base_url(&url)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let shown = match rust.call("ListInputs", &json!({})) {
            Ok(r) => format!("{r:?} {} {:?} {:?}", r.text, r.status, r.header("x-echo")),
            Err(e) => format!("{e} {e:?} {:?}", e.api().map(|a| a.header("x-echo"))),
        };
        assert!(!shown.contains(CANARY), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");

        // C: every accessor of the response or the error.
        let opts = ffi_options(&url, 0);
        let client = ffi_client(CANARY, opts).unwrap();
        let (ep, params) = (c("ListInputs"), c("{}"));
        let mut resp = null_mut();
        let mut err = null_mut();
        let r = unsafe { clarifai_client_call(client, ep.as_ptr(), params.as_ptr(), &mut resp, &mut err) };
        let text = |p: *const std::ffi::c_char| {
            if p.is_null() {
                String::new()
            } else {
                unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
            }
        };
        let name = c("x-echo");
        let seen = if r == clarifai_result::Ok {
            let t = unsafe {
                [
                    text(clarifai_response_json(resp)),
                    text(clarifai_response_description(resp)),
                    text(clarifai_response_details(resp)),
                    text(clarifai_response_req_id(resp)),
                    text(clarifai_response_header(resp, name.as_ptr())),
                ]
            };
            unsafe { clarifai_response_free(resp) };
            t.join(" | ")
        } else {
            let t = unsafe {
                [
                    text(clarifai_error_message(err)),
                    text(clarifai_error_description(err)),
                    text(clarifai_error_details(err)),
                    text(clarifai_error_req_id(err)),
                    text(clarifai_error_header(err, name.as_ptr())),
                ]
            };
            unsafe { clarifai_error_free(err) };
            t.join(" | ")
        };
        assert!(!seen.contains(CANARY) && seen.contains("[redacted]"), "{seen}");
        unsafe {
            clarifai_client_free(client);
            clarifai_client_options_free(opts);
        }
    }
}

#[test]
fn a_refused_raw_path_does_not_repeat_its_key_id() {
    let emu = emulator();
    let pat = Client::builder(Credential::pat(emu.pat(), emu.user_id(), emu.app_id()).unwrap())
        .base_url(emu.url())
        .build()
        .unwrap();
    let e = pat.request(clarifai::Method::Delete, &format!("v2/users/me/keys/{CANARY}"), None).unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)), "{e}");
    assert!(!format!("{e} {e:?}").contains(CANARY), "{e}");
}

#[test]
fn secret_bytes_are_wiped_when_dropped() {
    let _light = light();
    // Control: a plain String holding the mark is caught when freed, so the check can fail.
    let caught = unwiped_during(|| {
        let s = String::from(WIPE_MARK);
        drop(std::hint::black_box(s));
    });
    assert_eq!(caught, 1, "the allocator check sees an unwiped block");

    // Credentials, their clones, a client holding one, and per-request views of it.
    let n = unwiped_during(|| {
        let key = Credential::api_key(WIPE_MARK).unwrap();
        let pat = Credential::pat(WIPE_MARK, "me", "app").unwrap();
        let copy = key.clone();
        let secret = key.secret().clone();
        let client = Client::builder(copy).base_url("http://127.0.0.1:9").build().unwrap();
        let view = client.with_credential(pat.clone());
        drop((key, pat, secret, client, view));
    });
    assert_eq!(n, 0, "{n} freed blocks still held the key");
}

#[test]
fn secret_strings_the_c_abi_hands_out_are_wiped() {
    let _light = light();
    // The gRPC metadata is the key itself, owned by the caller and wiped by
    // clarifai_string_free; no other copy may be left behind on the way out.
    let n = unwiped_during(|| {
        let opts = ffi_options("http://127.0.0.1:9", 0);
        // The test's own copy of the key, wiped by hand so that only the library's count.
        let key = c(WIPE_MARK);
        let mut client = null_mut();
        unsafe {
            assert_eq!(clarifai_client_new_api_key(key.as_ptr(), opts, &mut client, null_mut()), clarifai_result::Ok)
        };
        wipe(key.into_bytes());
        let mut value = null_mut();
        unsafe {
            assert_eq!(clarifai_client_grpc_metadata(client, &mut value, null_mut()), clarifai_result::Ok);
            assert!(CStr::from_ptr(value).to_str().unwrap().ends_with(WIPE_MARK));
            clarifai_string_free(value);
            clarifai_client_free(client);
            clarifai_client_options_free(opts);
        }
    });
    assert_eq!(n, 0, "{n} freed blocks still held the key");
}

/// A server that answers every request on every connection, reading into a stack buffer so
/// that only the client's heap blocks count.
fn steady_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let count = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            let count = count.clone();
            std::thread::spawn(move || {
                let body = r#"{"status":{"code":10000,"description":"Ok"}}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let mut buf = [0u8; 8192];
                while s.read(&mut buf).unwrap_or(0) > 0 {
                    count.fetch_add(1, Ordering::SeqCst);
                    s.write_all(answer.as_bytes()).unwrap();
                }
            });
        }
    });
    (url, requests)
}

#[test]
fn the_key_is_copied_once_per_connection_not_per_call() {
    let _heavy = heavy();
    // The library's own copies (the credential, its one shared header value) are wiped. hyper
    // encodes the header into each connection's write buffer, which it frees unwiped when the
    // connection closes (docs/reliability.md): so a client that made 40 calls on one
    // connection leaves as few copies as one that made a single call.
    let (url, requests) = steady_server();
    let n = unwiped_during(|| {
        let key = Credential::api_key(WIPE_MARK).unwrap();
        let c = Client::builder(key).base_url(&url).retry(RetryPolicy::none()).build().unwrap();
        for _ in 0..40 {
            c.call("ListInputs", &json!({})).unwrap();
        }
        drop(c);
        // The connection's task ends on the runtime, after the client is gone.
        std::thread::sleep(Duration::from_millis(200));
    });
    assert_eq!(requests.load(Ordering::SeqCst), 40);
    assert!(n <= 2, "{n} freed blocks still held the key after 40 calls on one connection");
}

fn wipe(mut bytes: Vec<u8>) {
    for b in bytes.iter_mut() {
        // SAFETY: a valid &mut u8; volatile so the wipe of a buffer about to be freed stays.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
}

// ---------------------------------------------------------------------------------------------
// Load.

struct SendClient(*mut clarifai_client);
// SAFETY: a clarifai_client is thread-safe by contract (clarifai.h); the pointer is shared
// read-only and freed after every thread has joined.
unsafe impl Send for SendClient {}
unsafe impl Sync for SendClient {}

#[test]
fn many_threads_share_one_c_client_with_flat_memory() {
    let _heavy = heavy();
    let per_thread = if full() { 10_000 } else { 300 };
    let threads = 64;
    // A short request log: the emulator shares this process, and its log must not grow.
    let emu = emulator_with(Config { request_log_capacity: 16, ..Config::default() });
    let opts = ffi_options(emu.url(), 0);
    let client = Arc::new(SendClient(ffi_client(emu.api_key(), opts).unwrap()));
    unsafe { clarifai_client_options_free(opts) };

    let run = |calls: usize| {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let client = Arc::clone(&client);
                    s.spawn(move || {
                        let mut failures = 0;
                        for _ in 0..calls {
                            let (r, _) = ffi_call(client.0, "ListInputs", "{\"per_page\":1}");
                            failures += usize::from(r != clarifai_result::Ok);
                        }
                        failures
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum::<usize>()
        })
    };
    // Warm up (at full size by default): the pool fills, the allocator's arenas settle, lazy
    // state is built. The measured run must then need no more memory.
    assert_eq!(run(per_thread.min(1000)), 0);
    let before = resident_bytes();
    let t = Instant::now();
    let failures = run(per_thread);
    let took = t.elapsed();
    let after = resident_bytes();
    unsafe { clarifai_client_free(client.0) };
    assert_eq!(failures, 0, "{failures} of {} calls failed", threads * per_thread);
    let growth = after.saturating_sub(before);
    println!(
        "{threads} threads x {per_thread} calls: {:.0} calls/s, RSS {} -> {} KiB",
        (threads * per_thread) as f64 / took.as_secs_f64(),
        before / 1024,
        after / 1024
    );
    assert!(growth < 24 << 20, "RSS grew by {} KiB over {} calls", growth / 1024, threads * per_thread);
}

#[test]
fn ten_thousand_async_calls_keep_sockets_bounded() {
    let _heavy = heavy();
    let total = 10_000;
    let emu = emulator_with(Config {
        faults: faults(&["ListInputs=delay:10"]),
        request_log_capacity: 16,
        ..Config::default()
    });
    let client = client_with(&emu, RetryPolicy::none());
    let baseline = open_fds();

    struct Tally {
        ok: AtomicUsize,
        failed: AtomicUsize,
    }
    let tally = Arc::new(Tally { ok: AtomicUsize::new(0), failed: AtomicUsize::new(0) });
    let t = Instant::now();
    for _ in 0..total {
        let tally = Arc::clone(&tally);
        client
            .spawn_call("ListInputs", &json!({"per_page": 1}), &clarifai::CallOptions::default(), move |r| {
                let n = if r.is_ok() { &tally.ok } else { &tally.failed };
                n.fetch_add(1, Ordering::SeqCst);
            })
            .expect("queued");
    }
    let queued_in = t.elapsed();
    let mut peak = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while tally.ok.load(Ordering::SeqCst) + tally.failed.load(Ordering::SeqCst) < total {
        peak = peak.max(open_fds());
        assert!(Instant::now() < deadline, "{} of {total} callbacks ran", tally.ok.load(Ordering::SeqCst));
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = t.elapsed();
    assert_eq!(tally.failed.load(Ordering::SeqCst), 0);
    println!("{total} async calls: queued in {queued_in:?}, done in {took:?}, fds {baseline} -> peak {peak}");
    // At most 128 client sockets in flight, and as many accepted by the in-process emulator.
    assert!(peak <= baseline + 2 * 128 + 96, "open descriptors peaked at {peak} from {baseline}");
    // 10,000 × 10 ms through 128 workers is about 0.8 s; serially it would be 100 s.
    assert!(took < Duration::from_secs(60), "{took:?}");
}

#[test]
fn a_client_made_before_fork_works_in_the_child() {
    let _heavy = heavy();
    let emu = emulator();
    let client = client_with(&emu, RetryPolicy::none());
    // Used before the fork: pooled connections, cached scopes and a running worker pool.
    client.call("ListInputs", &json!({})).unwrap();
    client.check("ListInputs").unwrap().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    client
        .spawn_call("ListInputs", &json!({}), &clarifai::CallOptions::default(), move |r| tx.send(r.is_ok()).unwrap())
        .unwrap();
    assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap());
    let before = requests_to(&emu, "ListModels");

    // SAFETY: the child only runs the client and then _exit()s; it never returns into the
    // test harness, whose other threads it does not have.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let blocking = client.call("ListModels", &json!({})).is_ok();
            let (tx, rx) = std::sync::mpsc::channel();
            let queued = client.spawn_call("ListModels", &json!({}), &clarifai::CallOptions::default(), move |r| {
                let _ = tx.send(r.is_ok());
            });
            let asynchronous = queued.is_ok() && rx.recv_timeout(Duration::from_secs(10)) == Ok(true);
            blocking && asynchronous && client.check_cached("ListModels").is_ok_and(|c| c.is_some())
        }));
        unsafe { libc::_exit(if matches!(ok, Ok(true)) { 0 } else { 1 }) };
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    let mut status = 0;
    loop {
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if Instant::now() > deadline {
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            panic!("the child hung using the client");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "the child failed (status {status:#x})");
    assert_eq!(requests_to(&emu, "ListModels"), before + 2, "both calls of the child arrived");
    // And the parent's client still works.
    client.call("ListInputs", &json!({})).unwrap();
}

#[test]
fn a_response_header_is_copied_once_however_often_it_is_read() {
    let _light = light();
    let emu = emulator();
    let opts = ffi_options(emu.url(), 0);
    let client = ffi_client(emu.api_key(), opts).unwrap();
    let (ep, params, name, other) = (c("ListInputs"), c("{}"), c("Content-Type"), c("x-clarifai-emulator-route"));
    let mut resp = null_mut();
    let mut err = null_mut();
    assert_eq!(
        unsafe { clarifai_client_call(client, ep.as_ptr(), params.as_ptr(), &mut resp, &mut err) },
        clarifai_result::Ok
    );
    let first = unsafe { clarifai_response_header(resp, name.as_ptr()) };
    assert!(!first.is_null());
    for _ in 0..10_000 {
        assert_eq!(unsafe { clarifai_response_header(resp, name.as_ptr()) }, first);
    }
    let route = unsafe { clarifai_response_header(resp, other.as_ptr()) };
    assert_ne!(route, first);
    assert_eq!(unsafe { CStr::from_ptr(first) }.to_str().unwrap(), "application/json");
    assert_eq!(unsafe { CStr::from_ptr(route) }.to_str().unwrap(), "GET /v2/inputs");
    unsafe {
        clarifai_response_free(resp);
        clarifai_client_free(client);
        clarifai_client_options_free(opts);
    }
}
