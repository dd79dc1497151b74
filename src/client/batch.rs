//! Many calls at once, and calls that report to a callback: tasks on the runtime, at most
//! `max_concurrency` of a client's in flight.

use bytes::Bytes;
use serde_json::Value;

use super::{lookup, Client};
use crate::error::Error;
use crate::request::Planned;
use crate::response::Response;
use crate::runtime;

impl Client {
    /// Run many calls concurrently (at most the client's `max_concurrency` at once) and return
    /// their results in order. One call's failure does not stop the others.
    pub fn call_many(&self, calls: &[(String, Value)]) -> Vec<Result<Response, Error>> {
        let planned: Vec<Result<Planned, Error>> = calls.iter().map(|(e, p)| self.plan(e, p)).collect();
        let n = planned.len();
        if n == 0 {
            return Vec::new();
        }
        let client = self.clone();
        match runtime::block_on(async move { client.run_many(planned).await }) {
            Ok(results) => results,
            Err(e) => {
                let why = e.to_string();
                (0..n).map(|_| Err(Error::State(why.clone()))).collect()
            }
        }
    }

    async fn run_many(&self, planned: Vec<Result<Planned, Error>>) -> Vec<Result<Response, Error>> {
        enum Slot {
            Done(Result<Response, Error>),
            Running(tokio::task::JoinHandle<Result<Response, Error>>),
        }
        let limit = self.shared.in_flight();
        let mut slots = Vec::with_capacity(planned.len());
        for p in planned {
            let p = match p {
                Ok(p) => p,
                Err(e) => {
                    slots.push(Slot::Done(Err(e)));
                    continue;
                }
            };
            // Waiting for a permit before starting the task keeps at most `max_concurrency`
            // tasks (and their sockets) alive, however long the batch.
            let permit = match limit.clone().acquire_owned().await {
                Ok(p) => p,
                Err(_) => {
                    slots.push(Slot::Done(Err(Error::State("the client's call limit is closed".into()))));
                    continue;
                }
            };
            let client = self.clone();
            let task = runtime::spawn(async move {
                let r = client.exchange(p.method, &p.path_and_query, p.body.map(Bytes::from)).await;
                drop(permit);
                r
            });
            slots.push(match task {
                Ok(handle) => Slot::Running(handle),
                Err(e) => Slot::Done(Err(e)),
            });
        }
        let mut results = Vec::with_capacity(slots.len());
        for slot in slots {
            results.push(match slot {
                Slot::Done(r) => r,
                Slot::Running(handle) => {
                    handle.await.unwrap_or_else(|_| Err(Error::State("the call's task ended without an answer (it panicked)".into())))
                }
            });
        }
        results
    }

    /// Start a call and return at once; `done` runs exactly once with the result, on a thread
    /// of the runtime's blocking pool (so it may itself make blocking calls on this client).
    /// At most the client's `max_concurrency` asynchronous calls run at once; the rest wait.
    /// Returns an error (and does not call `done`) only if the endpoint is unknown or the
    /// runtime cannot start.
    pub fn call_async<F>(&self, endpoint: &str, params: Value, done: F) -> Result<(), Error>
    where
        F: FnOnce(Result<Response, Error>) + Send + 'static,
    {
        lookup(endpoint)?;
        let planned = self.plan(endpoint, &params);
        let client = self.clone();
        let limit = self.shared.in_flight();
        runtime::spawn(async move {
            let result = match planned {
                Err(e) => Err(e),
                Ok(p) => match limit.acquire_owned().await {
                    Ok(_permit) => client.exchange(p.method, &p.path_and_query, p.body.map(Bytes::from)).await,
                    Err(_) => Err(Error::State("the client's call limit is closed".into())),
                },
            };
            // On this runtime's blocking pool, off the worker.
            tokio::task::spawn_blocking(move || done(result));
        })?;
        Ok(())
    }
}
