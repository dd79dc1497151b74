//! The process's one tokio runtime: every request runs on it.
//!
//! Built on the first call (no thread exists before), never dropped (not at exit, not when a
//! client is freed: a PHP request or a C program may free its last client while another thread
//! of the same process still calls), and rebuilt in a `fork()` child, whose inherited runtime
//! has lost its threads (see [`crate::fork`]).
//!
//! Multi-thread with one worker by default: the work per call is small and a second worker
//! only adds wake-ups; [`set_worker_threads`] or `CLARIFAI_RUNTIME_THREADS` raise it for
//! programs that run many calls at once. The blocking pool runs DNS lookups and the callbacks
//! of asynchronous calls (so a callback may itself make a blocking call).
//!
//! A blocking call runs its whole exchange as one task and waits for the answer on a oneshot
//! channel. It refuses to run on the runtime's own worker: waiting there would stop the very
//! thread the answer needs.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::runtime::{Handle, Runtime};

use crate::error::Error;
use crate::fork::ForkCell;

/// The worker count when nothing else is asked for.
pub const DEFAULT_WORKER_THREADS: usize = crate::defaults::DEFAULT_RUNTIME_WORKER_THREADS as usize;
/// The most worker threads one may ask for.
pub const MAX_WORKER_THREADS: usize = crate::defaults::MAX_RUNTIME_WORKER_THREADS as usize;
/// Threads for DNS lookups and callbacks; idle ones exit after [`BLOCKING_KEEP_ALIVE`].
const MAX_BLOCKING_THREADS: usize = 64;
const BLOCKING_KEEP_ALIVE: Duration = Duration::from_secs(10);
/// The environment variable that sets the worker count (1 to 64).
pub const WORKER_THREADS_ENV: &str = "CLARIFAI_RUNTIME_THREADS";

/// 0 means "not set by the program": the environment or the default decides.
static REQUESTED_WORKERS: AtomicUsize = AtomicUsize::new(0);
static RUNTIME: ForkCell<Built> = ForkCell::new();

struct Built {
    /// Always `Some`; taken only by Drop.
    runtime: Option<Runtime>,
    workers: usize,
}

impl Drop for Built {
    /// Only a runtime that lost the race to be the process's one is ever dropped (the
    /// winner lives in a static). Dropping a runtime waits for its blocking pool, which panics
    /// inside another runtime's context: let it go in the background instead.
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

thread_local! {
    /// True while this thread polls one of the library's tasks.
    static IN_TASK: Cell<bool> = const { Cell::new(false) };
}

/// Ask for `n` worker threads (1 to 64). Takes effect when the runtime is built, at the first
/// call of the process (and again in each fork child); once it runs with another count, this
/// fails with [`Error::State`].
pub fn set_worker_threads(n: usize) -> Result<(), Error> {
    if !(1..=MAX_WORKER_THREADS).contains(&n) {
        return Err(Error::InvalidArgument(format!(
            "the runtime's worker threads must be 1 to {MAX_WORKER_THREADS}, not {n}"
        )));
    }
    match running_workers() {
        // Refused, and not remembered: a fork child builds its runtime with what was accepted.
        Some(running) if running != n => Err(Error::State(format!(
            "the runtime already runs with {running} worker thread(s); set the count before the first call"
        ))),
        _ => {
            REQUESTED_WORKERS.store(n, Ordering::SeqCst);
            Ok(())
        }
    }
}

/// The worker count of the running runtime, if it runs in this process.
fn running_workers() -> Option<usize> {
    // Never builds: a probe that fails on purpose.
    RUNTIME.get_or_try_init(|| Err(())).ok().map(|b| b.workers)
}

fn worker_threads() -> Result<usize, Error> {
    match REQUESTED_WORKERS.load(Ordering::SeqCst) {
        0 => match std::env::var(WORKER_THREADS_ENV) {
            Ok(v) if !v.trim().is_empty() => match v.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_WORKER_THREADS).contains(&n) => Ok(n),
                _ => Err(Error::MissingConfig(format!(
                    "{WORKER_THREADS_ENV} must be a number from 1 to {MAX_WORKER_THREADS}, not {v:?}"
                ))),
            },
            _ => Ok(DEFAULT_WORKER_THREADS),
        },
        n => Ok(n),
    }
}

/// The runtime of this process, built on first use.
pub(crate) fn handle() -> Result<&'static Handle, Error> {
    RUNTIME
        .get_or_try_init(|| {
            let workers = worker_threads()?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .max_blocking_threads(MAX_BLOCKING_THREADS)
                .thread_keep_alive(BLOCKING_KEEP_ALIVE)
                .thread_name("clarifai-runtime")
                .enable_io()
                .enable_time()
                .build()
                .map_err(|e| Error::State(format!("cannot start the library's runtime: {e}")))?;
            Ok(Built { runtime: Some(runtime), workers })
        })
        .and_then(|b| b.runtime.as_ref().map(Runtime::handle).ok_or_else(|| Error::State("the runtime is gone".into())))
}

/// Run `future` as a task of the runtime and wait for its output on this thread.
pub(crate) fn block_on<F>(future: F) -> Result<F::Output, Error>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if IN_TASK.with(Cell::get) {
        return Err(Error::State(
            "a blocking call cannot run inside the library's own asynchronous task; use the asynchronous API there"
                .into(),
        ));
    }
    // A plain channel, not tokio's: its blocking receive would panic on a thread that runs
    // another program's own tokio runtime, where waiting is merely slow.
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn(async move {
        let _ = tx.send(future.await);
    })?;
    rx.recv().map_err(|_| Error::State("the call's task ended without an answer (it panicked)".into()))
}

/// Start `future` as a task of the runtime; it runs to its end whether or not anyone waits.
pub(crate) fn spawn<F>(future: F) -> Result<tokio::task::JoinHandle<F::Output>, Error>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Ok(handle()?.spawn(Tracked(future)))
}

/// A task of ours: marks the thread while it is polled, so that a blocking call made from
/// inside it fails instead of stopping the worker.
struct Tracked<F>(F);

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        struct Reset(bool);
        impl Drop for Reset {
            fn drop(&mut self) {
                IN_TASK.with(|f| f.set(self.0));
            }
        }
        let _reset = Reset(IN_TASK.with(|f| f.replace(true)));
        // SAFETY: structural pinning of the only field; it is never moved out.
        unsafe { self.map_unchecked_mut(|t| &mut t.0) }.poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_inside_a_task_is_refused_not_a_deadlock() {
        let nested = block_on(async { block_on(async { 1 }) }).unwrap();
        assert!(matches!(nested, Err(Error::State(_))), "{nested:?}");
        assert_eq!(block_on(async { 2 }).unwrap(), 2);
    }

    #[test]
    fn a_callback_on_the_blocking_pool_may_block() {
        let (tx, rx) = std::sync::mpsc::channel();
        handle().unwrap().spawn_blocking(move || {
            let _ = tx.send(block_on(async { 3 }));
        });
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap().unwrap(), 3);
    }

    #[test]
    fn worker_counts_are_checked() {
        assert!(matches!(set_worker_threads(0), Err(Error::InvalidArgument(_))));
        assert!(matches!(set_worker_threads(65), Err(Error::InvalidArgument(_))));
    }
}
