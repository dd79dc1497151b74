//! Calls that can be stopped: per-call options (a deadline, a cancel token), asynchronous calls
//! as futures that cancel when dropped, and handles whose result goes to a callback exactly
//! once or waits to be collected.
//!
//! A call is one task on the runtime; cancelling it drops the task's future, and with it the
//! HTTP exchange: an HTTP/2 stream is reset (its connection stays in the pool for the others),
//! an HTTP/1.1 connection in mid-answer is closed rather than pooled.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;

use super::Client;
use crate::error::Error;
use crate::fork::Process;
use crate::request::Planned;
use crate::response::Response;
use crate::runtime;

/// Cancels every call it was given to, from any thread. Clones share the same cancellation.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(CancellationToken);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancel every call using this token, now and later.
    pub fn cancel(&self) {
        self.0.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    pub(crate) async fn cancelled(&self) {
        self.0.cancelled().await
    }
}

/// Settings of one call.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// The call's total timeout, instead of the client's.
    pub timeout: Option<Duration>,
    /// Cancels the call when cancelled.
    pub cancel: Option<CancelToken>,
}

impl CallOptions {
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }

    pub fn cancel_token(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }
}

impl Client {
    /// The whole call under `options`: bounded by its timeout, ended by its token.
    pub(crate) async fn run(
        &self,
        planned: Planned,
        options: &CallOptions,
        extra: Option<&CancellationToken>,
    ) -> Result<Response, Error> {
        if let Some(t) = options.timeout {
            if t.is_zero() {
                return Err(Error::InvalidArgument("a call's timeout must be greater than zero".into()));
            }
        }
        let exchange =
            self.exchange(planned.method, &planned.path_and_query, planned.body.map(Bytes::from), options.timeout);
        let token = options.cancel.as_ref().map(|t| &t.0);
        tokio::select! {
            biased;
            _ = cancelled(token) => Err(Error::Cancelled),
            _ = cancelled(extra) => Err(Error::Cancelled),
            r = exchange => r,
        }
    }

    /// [`Client::run`] once the client's concurrency limit lets the call start.
    async fn run_limited(
        &self,
        planned: Planned,
        options: &CallOptions,
        extra: Option<&CancellationToken>,
    ) -> Result<Response, Error> {
        let _permit = self
            .shared
            .in_flight()
            .acquire_owned()
            .await
            .map_err(|_| Error::State("the client's call limit is closed".into()))?;
        self.run(planned, options, extra).await
    }

    /// [`Client::call`] with per-call options: a timeout of its own, and a token another thread
    /// may cancel it with (the call then returns [`Error::Cancelled`] at once).
    pub fn call_with(&self, endpoint: &str, params: &Value, options: &CallOptions) -> Result<Response, Error> {
        let planned = self.plan(endpoint, params)?;
        let client = self.clone();
        let options = options.clone();
        runtime::block_on(async move { client.run(planned, &options, None).await })?
    }

    /// Start a call and return a future of its result. The call runs on the library's runtime
    /// whether or not the future is polled, so any executor may await it (or none: see
    /// [`Client::spawn_call`]); dropping the future before it is done cancels the call.
    pub fn call_async(&self, endpoint: &str, params: &Value) -> Call {
        self.call_async_with(endpoint, params, &CallOptions::default())
    }

    /// [`Client::call_async`] with per-call options.
    pub fn call_async_with(&self, endpoint: &str, params: &Value, options: &CallOptions) -> Call {
        let planned = match self.plan(endpoint, params) {
            Ok(p) => p,
            Err(e) => return Call { inner: CallInner::Failed(Some(e)) },
        };
        let client = self.clone();
        let options = options.clone();
        let task = runtime::spawn(async move { client.run_limited(planned, &options, None).await });
        match task {
            Ok(handle) => Call { inner: CallInner::Running(AbortOnDropHandle::new(handle)) },
            Err(e) => Call { inner: CallInner::Failed(Some(e)) },
        }
    }

    /// Start a call whose result goes to `done`, exactly once, on a thread of the runtime's
    /// blocking pool (so `done` may make blocking calls). The handle cancels it
    /// ([`CallHandle::cancel`]: `done` then gets [`Error::Cancelled`]); dropping the handle does
    /// not. Fails (and never calls `done`) only when the endpoint is unknown or the runtime
    /// cannot start; every other failure, bad parameters included, goes to `done`.
    pub fn spawn_call<F>(
        &self,
        endpoint: &str,
        params: &Value,
        options: &CallOptions,
        done: F,
    ) -> Result<CallHandle, Error>
    where
        F: FnOnce(Result<Response, Error>) + Send + 'static,
    {
        self.spawn_one(endpoint, params, options, Sink::Callback(Box::new(done)))
    }

    /// Start many calls at once (see [`Client::call_many`]); `done` gets their results in order,
    /// exactly once, on a thread of the runtime's blocking pool. Cancelling the handle cancels
    /// every call still running (each gives [`Error::Cancelled`]).
    pub fn spawn_many<F>(
        &self,
        calls: &[(String, Value)],
        options: &CallOptions,
        done: F,
    ) -> Result<CallHandle<Vec<Result<Response, Error>>>, Error>
    where
        F: FnOnce(Vec<Result<Response, Error>>) + Send + 'static,
    {
        let planned: Vec<Result<Planned, Error>> = calls.iter().map(|(e, p)| self.plan(e, p)).collect();
        let shared = Arc::new(Shared::new(Sink::Callback(Box::new(done)), planned.len(), cancelled_batch));
        let client = self.clone();
        let mut options = options.clone();
        let task_shared = Arc::clone(&shared);
        runtime::spawn(async move {
            // One token for the batch: the handle's, and the caller's when there is one.
            let batch = CancelToken(task_shared.cancel.clone());
            if let Some(outer) = options.cancel.replace(batch.clone()) {
                let batch = batch.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = outer.cancelled() => batch.cancel(),
                        _ = batch.cancelled() => {}
                    }
                });
            }
            let results = client.run_many(planned, &options).await;
            tokio::task::spawn_blocking(move || task_shared.finish(results));
        })?;
        Ok(CallHandle { shared })
    }

    /// Start a call whose result waits to be collected with [`CallHandle::wait`] (for front ends
    /// that cannot take a callback on another thread).
    pub fn start_call(&self, endpoint: &str, params: &Value, options: &CallOptions) -> Result<CallHandle, Error> {
        self.spawn_one(endpoint, params, options, Sink::Slot)
    }

    /// One call as a task whose result goes to `sink`: a callback runs off the runtime's
    /// worker (it may block), a slot is filled where the task ends.
    fn spawn_one(
        &self,
        endpoint: &str,
        params: &Value,
        options: &CallOptions,
        sink: Sink<Result<Response, Error>>,
    ) -> Result<CallHandle, Error> {
        super::lookup(endpoint)?;
        let planned = self.plan(endpoint, params);
        let off_worker = matches!(sink, Sink::Callback(_));
        let shared = Arc::new(Shared::new(sink, 1, cancelled_call));
        let client = self.clone();
        let options = options.clone();
        let task_shared = Arc::clone(&shared);
        runtime::spawn(async move {
            let result = match planned {
                Err(e) => Err(e),
                Ok(p) => tokio::select! {
                    biased;
                    _ = task_shared.cancel.cancelled() => Err(Error::Cancelled),
                    r = client.run_limited(p, &options, Some(&task_shared.cancel)) => r,
                },
            };
            if off_worker {
                tokio::task::spawn_blocking(move || task_shared.finish(result));
            } else {
                task_shared.finish(result);
            }
        })?;
        Ok(CallHandle { shared })
    }
}

/// Resolves when `token` is cancelled; never when there is none.
async fn cancelled(token: Option<&CancellationToken>) {
    match token {
        Some(t) => t.cancelled().await,
        None => std::future::pending().await,
    }
}

/// An asynchronous call: a future of its result. Dropping it before it is done cancels the
/// call.
#[must_use = "a Call does nothing useful unless awaited, and dropping it cancels the call"]
pub struct Call {
    inner: CallInner,
}

enum CallInner {
    Running(AbortOnDropHandle<Result<Response, Error>>),
    Failed(Option<Error>),
}

impl Future for Call {
    type Output = Result<Response, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.inner {
            CallInner::Failed(e) => {
                Poll::Ready(Err(e.take().unwrap_or(Error::State("the call's result was already taken".into()))))
            }
            CallInner::Running(handle) => Pin::new(handle).poll(cx).map(|joined| match joined {
                Ok(r) => r,
                Err(e) if e.is_cancelled() => Err(Error::Cancelled),
                Err(_) => Err(Error::State("the call's task ended without an answer (it panicked)".into())),
            }),
        }
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

/// A started call (or batch): cancel it, wait for it, or let it report to its callback.
pub struct CallHandle<T = Result<Response, Error>> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for CallHandle<T> {
    fn clone(&self) -> Self {
        CallHandle { shared: Arc::clone(&self.shared) }
    }
}

impl<T> std::fmt::Debug for CallHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallHandle").field("done", &self.is_done()).finish()
    }
}

type Callback<T> = Box<dyn FnOnce(T) + Send>;

enum Sink<T> {
    /// Runs once with the result.
    Callback(Callback<T>),
    /// Holds the result until it is taken.
    Slot,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Phase {
    Running,
    /// The result is being handed over (a callback is running) on this thread.
    Delivering(std::thread::ThreadId),
    Done,
}

struct State<T> {
    phase: Phase,
    sink: Option<Sink<T>>,
    result: Option<T>,
}

struct Shared<T> {
    cancel: CancellationToken,
    /// What a cancelled call delivers when its task cannot (see [`CallHandle::release`]).
    cancelled: fn(&Shared<T>) -> T,
    size: usize,
    /// The process whose runtime runs the task: a fork child has no such task.
    process: Process,
    state: Mutex<State<T>>,
    changed: Condvar,
}

/// How long a release waits for a cancelled task to hand over its result before giving the
/// callback a cancellation itself. The task needs microseconds; this only bounds a stuck one.
const RELEASE_WAIT: Duration = Duration::from_secs(2);

impl<T> Shared<T> {
    fn new(sink: Sink<T>, size: usize, cancelled: fn(&Shared<T>) -> T) -> Shared<T> {
        Shared {
            cancel: CancellationToken::new(),
            cancelled,
            size,
            process: Process::current(),
            state: Mutex::new(State { phase: Phase::Running, sink: Some(sink), result: None }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The task's result: to the callback (unless it was already delivered) or into the slot.
    fn finish(&self, result: T) {
        let mut st = self.lock();
        if st.phase != Phase::Running {
            return; // delivered already: the handle was released before the answer
        }
        match st.sink.take() {
            Some(Sink::Callback(cb)) => {
                st.phase = Phase::Delivering(std::thread::current().id());
                drop(st);
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cb(result)));
                self.lock().phase = Phase::Done;
            }
            Some(Sink::Slot) | None => {
                st.result = Some(result);
                st.phase = Phase::Done;
            }
        }
        self.changed.notify_all();
    }
}

fn cancelled_call(_: &Shared<Result<Response, Error>>) -> Result<Response, Error> {
    Err(Error::Cancelled)
}

fn cancelled_batch(s: &Shared<Vec<Result<Response, Error>>>) -> Vec<Result<Response, Error>> {
    (0..s.size).map(|_| Err(Error::Cancelled)).collect()
}

impl<T> CallHandle<T> {
    /// Cancel the call. A callback then runs with [`Error::Cancelled`] unless the answer was
    /// already being delivered; a waiter gets [`Error::Cancelled`]. Idempotent, any thread.
    pub fn cancel(&self) {
        self.shared.cancel.cancel();
    }

    /// Whether the result has been delivered (the callback returned, or the result waits to be
    /// collected).
    pub fn is_done(&self) -> bool {
        self.shared.lock().phase == Phase::Done
    }

    /// Block until the result is there and take it (a handle from [`Client::start_call`]).
    /// `None` once taken, and for a call whose result went to a callback.
    pub fn wait(&self) -> Option<T> {
        let mut st = self.shared.lock();
        while st.phase != Phase::Done {
            st = self.shared.changed.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        st.result.take()
    }

    /// Cancel the call if it is not done, and make sure its callback has run and will not run
    /// again. The cancelled task hands its result to the callback at once (a batch keeps the
    /// results that had arrived; what was still running is [`Error::Cancelled`]), and this
    /// waits until the callback has returned, unless it is called from that callback (a
    /// callback may release its own call). In a fork child, where the task is the parent's,
    /// or if the task does not answer within a bound, the callback runs here, on this thread,
    /// with a cancellation. A call collected with [`CallHandle::wait`] is only cancelled.
    pub fn release(&self) {
        self.shared.cancel.cancel();
        let deadline = Instant::now() + RELEASE_WAIT;
        let ours = self.shared.process == Process::current();
        let mut st = self.shared.lock();
        loop {
            match st.phase {
                Phase::Done => return,
                Phase::Delivering(t) if t == std::thread::current().id() => return,
                Phase::Delivering(_) => {
                    st = self.shared.changed.wait(st).unwrap_or_else(|p| p.into_inner());
                }
                Phase::Running if ours && matches!(st.sink, Some(Sink::Callback(_))) && Instant::now() < deadline => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    st = self.shared.changed.wait_timeout(st, left).unwrap_or_else(|p| p.into_inner()).0;
                }
                Phase::Running => {
                    match st.sink.take() {
                        Some(Sink::Callback(cb)) => {
                            st.phase = Phase::Delivering(std::thread::current().id());
                            drop(st);
                            let value = (self.shared.cancelled)(&self.shared);
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cb(value)));
                            self.shared.lock().phase = Phase::Done;
                        }
                        _ => {
                            st.phase = Phase::Done;
                            drop(st);
                        }
                    }
                    self.shared.changed.notify_all();
                    return;
                }
            }
        }
    }
}
