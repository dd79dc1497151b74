//! 10,000 calls cancelled at random moments, several times over: every callback runs exactly
//! once, and neither the heap, nor RSS, nor the open descriptors grow. A test binary of its
//! own, so that RSS and descriptors measure this test alone.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clarifai::{Client, Credential, Error};
use clarifai_emulator::{Config, Emulator};
use serde_json::json;

/// Live heap bytes of the process.
static LIVE: AtomicIsize = AtomicIsize::new(0);

struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// 10,000 calls from 4 threads, each cancelled, released or left alone at a random moment;
/// returns how many reported (each exactly once) and how many of those were cancellations.
fn cancel_storm(c: &Client) -> (usize, usize) {
    let reported = Arc::new(AtomicUsize::new(0));
    let cancelled = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let (c, reported, cancelled) = (c.clone(), reported.clone(), cancelled.clone());
            std::thread::spawn(move || {
                let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (t + 1);
                let mut pending = Vec::new();
                for i in 0..2500u64 {
                    let (r, k) = (reported.clone(), cancelled.clone());
                    let h = c
                        .spawn_call("ListInputs", &json!({}), &clarifai::CallOptions::default(), move |res| {
                            if matches!(res, Err(Error::Cancelled)) {
                                k.fetch_add(1, Ordering::SeqCst);
                            }
                            r.fetch_add(1, Ordering::SeqCst);
                        })
                        .unwrap();
                    pending.push(h);
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Cancel or release one at random (or leave them be); now and then, pause.
                    if seed % 3 == 0 {
                        let h = pending.swap_remove((seed as usize / 3) % pending.len());
                        if seed % 2 == 0 {
                            h.cancel();
                        } else {
                            h.release();
                        }
                    }
                    if i % 97 == 0 {
                        std::thread::sleep(Duration::from_micros(seed % 3000));
                    }
                }
                for h in pending {
                    h.release();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Released handles ran their callback before release returned; cancelled ones run it
    // promptly, on the runtime's blocking pool.
    let deadline = Instant::now() + Duration::from_secs(30);
    while reported.load(Ordering::SeqCst) < 10_000 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    (reported.load(Ordering::SeqCst), cancelled.load(Ordering::SeqCst))
}

#[test]
fn ten_thousand_calls_cancelled_at_random_moments_each_report_once() {
    // glibc gives each of the (up to 64) threads running callbacks an arena of its own, and
    // their high-water marks make RSS creep for a while though nothing leaks (the live-bytes
    // check below is the leak check). Two arenas, as a server would configure it, keep RSS a
    // meaningful measure too.
    // SAFETY: mallopt only changes a malloc tunable.
    unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) };
    // A short request log: the emulator runs in this process, and its log must not be what
    // grows.
    let emu = Emulator::start(Config {
        faults: vec!["ListInputs=delay:20".parse().unwrap()],
        request_log_capacity: 16,
        ..Config::default()
    })
    .unwrap();
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .max_concurrency(64)
        .build()
        .unwrap();
    c.call("ListInputs", &json!({})).unwrap();
    // The first storms fill the pool (the emulator runs in this process, so a connection is
    // two descriptors) and grow the allocator's per-thread arenas (callbacks run on up to 64
    // pool threads); after that, more storms must not grow descriptors or memory.
    for _ in 0..3 {
        let (reported, cancelled) = cancel_storm(&c);
        assert_eq!(reported, 10_000, "every callback exactly once");
        assert!(cancelled > 1000, "few calls were really cancelled: {cancelled}");
    }
    std::thread::sleep(Duration::from_millis(500));
    let (fds, rss, live) = (open_fds(), resident_bytes(), LIVE.load(Ordering::SeqCst));
    let (mut fds_after, mut rss_after, mut live_after) = (0, 0, 0);
    for _ in 0..2 {
        let (reported, _) = cancel_storm(&c);
        assert_eq!(reported, 10_000, "every callback exactly once");
        std::thread::sleep(Duration::from_millis(500));
        fds_after = fds_after.max(open_fds());
        rss_after = rss_after.max(resident_bytes());
        live_after = live_after.max(LIVE.load(Ordering::SeqCst));
        eprintln!(
            "after another storm: {} live heap bytes, RSS {} bytes, {} descriptors",
            live_after, rss_after, fds_after
        );
    }
    assert!(live_after < live + (1 << 20), "live heap {live} -> {live_after}: a cancelled call leaks");
    // The pool holds a varying number of the 64 connections a storm may open.
    assert!(fds_after <= fds + 32, "file descriptors {fds} -> {fds_after}");
    assert!(rss_after < rss + 8 * 1024 * 1024, "RSS {rss} -> {rss_after}");
}
