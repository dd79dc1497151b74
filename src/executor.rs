//! A bounded pool of worker threads for asynchronous calls.
//!
//! Calls are blocking I/O on the pool's threads; at most `max_workers` run at once (so at most
//! that many sockets are open), the rest wait in a queue. Workers start on demand and stop after
//! being idle for a while; dropping the pool finishes the queue and joins them.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send + 'static>;

const IDLE_EXIT: Duration = Duration::from_secs(2);

pub(crate) struct Executor {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    work: Condvar,
    max_workers: usize,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    workers: usize,
    idle: usize,
    shutdown: bool,
    handles: Vec<JoinHandle<()>>,
}

impl Executor {
    pub fn new(max_workers: usize) -> Executor {
        Executor {
            inner: Arc::new(Inner { state: Mutex::new(State::default()), work: Condvar::new(), max_workers: max_workers.max(1) }),
        }
    }

    /// Queue a job; it runs on a worker thread. Panics inside jobs are caught there.
    pub fn submit(&self, job: Job) -> Result<(), String> {
        let mut st = self.inner.state.lock().unwrap_or_else(|p| p.into_inner());
        if st.shutdown {
            return Err("the client is shutting down".into());
        }
        st.queue.push_back(job);
        if st.idle == 0 && st.workers < self.inner.max_workers {
            st.handles.retain(|h| !h.is_finished());
            let inner = Arc::clone(&self.inner);
            match thread::Builder::new().name("clarifai-worker".into()).spawn(move || worker(inner)) {
                Ok(h) => {
                    st.workers += 1;
                    st.handles.push(h);
                }
                Err(e) if st.workers == 0 => {
                    st.queue.pop_back();
                    return Err(format!("cannot start a worker thread: {e}"));
                }
                // Some workers exist; the job waits for one of them.
                Err(_) => {}
            }
        }
        drop(st);
        self.inner.work.notify_one();
        Ok(())
    }
}

fn worker(inner: Arc<Inner>) {
    let mut st = inner.state.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        if let Some(job) = st.queue.pop_front() {
            drop(st);
            // A panicking job must not take the worker (or the process) down.
            let _ = catch_unwind(AssertUnwindSafe(job));
            st = inner.state.lock().unwrap_or_else(|p| p.into_inner());
            continue;
        }
        if st.shutdown {
            break;
        }
        st.idle += 1;
        let (next, timeout) = inner.work.wait_timeout(st, IDLE_EXIT).unwrap_or_else(|p| p.into_inner());
        st = next;
        st.idle -= 1;
        if timeout.timed_out() && st.queue.is_empty() && !st.shutdown {
            break;
        }
    }
    st.workers -= 1;
}

impl Drop for Executor {
    fn drop(&mut self) {
        let handles = {
            let mut st = self.inner.state.lock().unwrap_or_else(|p| p.into_inner());
            st.shutdown = true;
            std::mem::take(&mut st.handles)
        };
        self.inner.work.notify_all();
        let me = thread::current().id();
        for h in handles {
            // The last reference may be dropped by a job on a worker: never join oneself.
            if h.thread().id() != me {
                let _ = h.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn runs_every_job_with_bounded_workers_and_joins_on_drop() {
        let done = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let running = Arc::new(AtomicUsize::new(0));
        let ex = Executor::new(4);
        for _ in 0..40 {
            let (done, peak, running) = (done.clone(), peak.clone(), running.clone());
            ex.submit(Box::new(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(2));
                running.fetch_sub(1, Ordering::SeqCst);
                done.fetch_add(1, Ordering::SeqCst);
            }))
            .unwrap();
        }
        drop(ex);
        assert_eq!(done.load(Ordering::SeqCst), 40);
        assert!(peak.load(Ordering::SeqCst) <= 4);
    }

    #[test]
    fn a_panicking_job_does_not_stop_the_pool() {
        let done = Arc::new(AtomicUsize::new(0));
        let ex = Executor::new(1);
        ex.submit(Box::new(|| panic!("job panics"))).unwrap();
        let d = done.clone();
        ex.submit(Box::new(move || {
            d.fetch_add(1, Ordering::SeqCst);
        }))
        .unwrap();
        drop(ex);
        assert_eq!(done.load(Ordering::SeqCst), 1);
    }
}
