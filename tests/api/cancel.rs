//! Cancelling calls in flight: futures dropped, handles cancelled or released, tokens from
//! other threads. Each against a route the emulator delays by 5 s, so only cancellation can end
//! the call quickly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use clarifai::{CallOptions, CancelToken, Client, Credential, Error, RetryPolicy};
use clarifai_emulator::{Config, Emulator, FaultRule};
use serde_json::json;

const FAST: Duration = Duration::from_millis(50);

fn slow_emulator(tls: bool) -> Emulator {
    let faults = vec!["ListInputs=delay:5000".parse::<FaultRule>().unwrap()];
    Emulator::start(Config { tls, faults, ..Config::default() }).unwrap()
}

fn client(emu: &Emulator) -> Client {
    let mut b =
        Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).retry(RetryPolicy::none());
    if let Some(ca) = emu.ca_file() {
        b = b.ca_file(ca);
    }
    b.build().unwrap()
}

/// Wait until the emulator logged `n` aborted requests (the server saw the client go away).
fn wait_for_aborted(emu: &Emulator, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let aborted = emu.requests().iter().filter(|r| r.aborted).count();
        if aborted >= n {
            return;
        }
        assert!(Instant::now() < deadline, "the emulator saw {aborted} aborted requests, not {n}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn cancel_then_reuse(tls: bool) {
    let emu = slow_emulator(tls);
    let c = client(&emu);
    c.call("ListConcepts", &json!({})).unwrap(); // warm: the connection exists
    let warm_connection = emu.requests()[0].connection;

    // A handle cancelled from this thread: the callback gets CANCELLED at once.
    let (tx, rx) = mpsc::channel();
    let handle = c
        .spawn_call("ListInputs", &json!({}), &CallOptions::default(), move |r| tx.send((Instant::now(), r)).unwrap())
        .unwrap();
    std::thread::sleep(Duration::from_millis(100)); // the request is at the server
    let t = Instant::now();
    handle.cancel();
    let (at, r) = rx.recv_timeout(Duration::from_secs(2)).unwrap();
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    assert!(at - t < FAST, "cancelled after {:?}", at - t);
    wait_for_aborted(&emu, 1);

    // The next call on the same client works on a healthy connection: over HTTP/2 the same one
    // (only the stream was reset), over HTTP/1.1 a new one (the cut one was not pooled).
    let before = emu.connections_accepted();
    c.call("ListConcepts", &json!({})).unwrap();
    let last = emu.requests().last().unwrap().clone();
    assert!(!last.aborted);
    if tls {
        assert_eq!(last.http_version, "HTTP/2");
        assert_eq!(emu.connections_accepted(), before, "the HTTP/2 connection was closed by the cancel");
    } else {
        assert_eq!(last.http_version, "HTTP/1.1");
        assert_ne!(last.connection, warm_connection);
    }
}

#[test]
fn a_cancelled_call_stops_at_once_over_http2_and_the_connection_stays() {
    cancel_then_reuse(true);
}

#[test]
fn a_cancelled_call_stops_at_once_over_http1_and_its_connection_is_not_reused() {
    cancel_then_reuse(false);
}

#[test]
fn a_dropped_future_cancels_its_call() {
    let emu = slow_emulator(false);
    let c = client(&emu);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let t = Instant::now();
    let r = rt.block_on(async {
        tokio::time::timeout(Duration::from_millis(200), c.call_async("ListInputs", &json!({}))).await
    });
    assert!(r.is_err(), "the 5 s call finished within 200 ms?");
    assert!(t.elapsed() < Duration::from_secs(1));
    wait_for_aborted(&emu, 1);
    // Awaited to the end, a future gives the answer.
    let r = rt.block_on(c.call_async("ListConcepts", &json!({})));
    r.unwrap();
}

#[test]
fn a_token_cancels_blocking_calls_from_another_thread() {
    let emu = slow_emulator(false);
    let c = client(&emu);
    let token = CancelToken::new();
    let opts = CallOptions::default().cancel_token(&token);
    let mut threads = Vec::new();
    for _ in 0..3 {
        let (c, opts) = (c.clone(), opts.clone());
        threads.push(std::thread::spawn(move || {
            let r = c.call_with("ListInputs", &json!({}), &opts);
            (Instant::now(), r)
        }));
    }
    std::thread::sleep(Duration::from_millis(150));
    let t = Instant::now();
    token.cancel();
    for th in threads {
        let (at, r) = th.join().unwrap();
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        assert!(at - t < FAST, "returned {:?} after the cancel", at - t);
    }
    wait_for_aborted(&emu, 3);
    // A cancelled token cancels the next call at once; another token does not.
    assert!(matches!(c.call_with("ListConcepts", &json!({}), &opts), Err(Error::Cancelled)));
    c.call_with("ListConcepts", &json!({}), &CallOptions::default().cancel_token(&CancelToken::new())).unwrap();
    // A batch with a token: every call still running is cancelled.
    let token = CancelToken::new();
    let cancel = token.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        cancel.cancel();
    });
    let calls: Vec<_> = (0..10).map(|_| ("ListInputs".to_string(), json!({}))).collect();
    let t = Instant::now();
    let out = c.call_many_with(&calls, &CallOptions::default().cancel_token(&token));
    assert!(t.elapsed() < Duration::from_secs(1));
    assert!(out.iter().all(|r| matches!(r, Err(Error::Cancelled))));
}

#[test]
fn a_calls_own_timeout_wins_over_the_clients() {
    let emu = slow_emulator(false);
    let c = client(&emu);
    let t = Instant::now();
    let e =
        c.call_with("ListInputs", &json!({}), &CallOptions::default().timeout(Duration::from_millis(300))).unwrap_err();
    assert!(matches!(e, Error::Transport { kind: clarifai::TransportKind::Timeout, .. }), "{e}");
    assert!(t.elapsed() < Duration::from_millis(800));
}

#[test]
fn released_handles_run_their_callback_exactly_once_and_never_after() {
    let emu = slow_emulator(false);
    let c = client(&emu);
    let ran = Arc::new(AtomicUsize::new(0));
    let r2 = ran.clone();
    let (tx, rx) = mpsc::channel();
    let h = c
        .spawn_call("ListInputs", &json!({}), &CallOptions::default(), move |r| {
            r2.fetch_add(1, Ordering::SeqCst);
            tx.send(matches!(r, Err(Error::Cancelled))).unwrap();
        })
        .unwrap();
    h.release();
    // Ran on this thread, before release returned.
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    assert!(rx.try_recv().unwrap());
    assert!(h.is_done());
    h.cancel();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(ran.load(Ordering::SeqCst), 1, "the callback ran again");

    // A callback may release its own call; after completion, release changes nothing.
    let ran = Arc::new(AtomicUsize::new(0));
    let r3 = ran.clone();
    let slot: Arc<std::sync::Mutex<Option<clarifai::CallHandle>>> = Arc::default();
    let s2 = slot.clone();
    let (tx, rx) = mpsc::channel();
    let h = c
        .spawn_call("ListConcepts", &json!({}), &CallOptions::default(), move |r| {
            r3.fetch_add(1, Ordering::SeqCst);
            if let Some(me) = s2.lock().unwrap().take() {
                me.release();
            }
            tx.send(r.is_ok()).unwrap();
        })
        .unwrap();
    *slot.lock().unwrap() = Some(h.clone());
    assert!(rx.recv_timeout(Duration::from_secs(5)).unwrap());
    h.release();
    assert_eq!(ran.load(Ordering::SeqCst), 1);
}

#[test]
fn started_calls_are_collected_or_cancelled() {
    let emu = slow_emulator(false);
    let c = client(&emu);
    let quick = c.start_call("ListConcepts", &json!({}), &CallOptions::default()).unwrap();
    let slow = c.start_call("ListInputs", &json!({}), &CallOptions::default()).unwrap();
    quick.wait().unwrap().unwrap();
    assert!(quick.wait().is_none(), "a result is taken once");
    let t = Instant::now();
    slow.cancel();
    assert!(matches!(slow.wait(), Some(Err(Error::Cancelled))));
    assert!(t.elapsed() < FAST);
    // Parameters that cannot be planned fail the call, not the start.
    let bad = c.start_call("GetInput", &json!({}), &CallOptions::default()).unwrap();
    assert!(matches!(bad.wait(), Some(Err(Error::InvalidArgument(_)))));
    assert!(matches!(c.start_call("NoSuchRpc", &json!({}), &CallOptions::default()), Err(Error::UnknownEndpoint(_))));
}
