//! Many calls at once: tasks on the runtime, at most `max_concurrency` of a client's in flight.

use serde_json::Value;

use super::{CallOptions, Client};
use crate::error::Error;
use crate::request::Planned;
use crate::response::Response;
use crate::runtime;

impl Client {
    /// Run many calls concurrently (at most the client's `max_concurrency` at once) and return
    /// their results in order. One call's failure does not stop the others.
    pub fn call_many(&self, calls: &[(String, Value)]) -> Vec<Result<Response, Error>> {
        self.call_many_with(calls, &CallOptions::default())
    }

    /// [`Client::call_many`] with per-call options: each call's timeout, and a token that
    /// cancels every call of the batch still running (they return [`Error::Cancelled`]).
    pub fn call_many_with(&self, calls: &[(String, Value)], options: &CallOptions) -> Vec<Result<Response, Error>> {
        let planned: Vec<Result<Planned, Error>> = calls.iter().map(|(e, p)| self.plan(e, p)).collect();
        let n = planned.len();
        if n == 0 {
            return Vec::new();
        }
        let client = self.clone();
        let options = options.clone();
        match runtime::block_on(async move { client.run_many(planned, &options).await }) {
            Ok(results) => results,
            Err(e) => {
                let why = e.to_string();
                (0..n).map(|_| Err(Error::State(why.clone()))).collect()
            }
        }
    }

    /// Every call as its own task, at most `max_concurrency` at once, results in order.
    pub(crate) async fn run_many(
        &self,
        planned: Vec<Result<Planned, Error>>,
        options: &CallOptions,
    ) -> Vec<Result<Response, Error>> {
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
            let permit = tokio::select! {
                biased;
                _ = cancelled(options) => {
                    slots.push(Slot::Done(Err(Error::Cancelled)));
                    continue;
                }
                p = limit.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => {
                        slots.push(Slot::Done(Err(Error::State("the client's call limit is closed".into()))));
                        continue;
                    }
                },
            };
            let client = self.clone();
            let options = options.clone();
            let task = runtime::spawn(async move {
                let r = client.run(p, &options, None).await;
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
                Slot::Running(handle) => handle.await.unwrap_or_else(|_| {
                    Err(Error::State("the call's task ended without an answer (it panicked)".into()))
                }),
            });
        }
        results
    }
}

async fn cancelled(options: &CallOptions) {
    match &options.cancel {
        Some(t) => t.cancelled().await,
        None => std::future::pending().await,
    }
}
