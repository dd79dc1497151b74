//! One API request from start to finish: faults, routing through the catalogue, the
//! authorization checks in the API's order, then the RPC's behaviour.

use clarifai::catalog::Method;
use clarifai::{catalog, AuthType, CredentialKind};
use hyper::body::Incoming;
use hyper::header::AUTHORIZATION;
use hyper::Request;
use serde_json::Value;

use crate::auth;
use crate::body;
use crate::faults::Fault;
use crate::handlers::{self, Ctx};
use crate::legacy;
use crate::query::Query;
use crate::reply::{Reply, CONN_METHOD_NOT_ALLOWED, CONN_THROTTLED, MOVED};
use crate::shared::Shared;

/// What the server needs to write the response and the log.
pub(crate) struct Outcome {
    pub reply: Reply,
    pub endpoint: Option<&'static str>,
    /// `drop` or `oversize`: applied to the rendered response.
    pub after: Option<Fault>,
    pub credential: Option<CredentialKind>,
}

const METHODS: [Method; 5] = [Method::Get, Method::Post, Method::Patch, Method::Put, Method::Delete];

pub(crate) async fn handle(shared: &Shared, req: Request<Incoming>) -> Outcome {
    let path = req.uri().path();
    let route = Method::parse(req.method().as_str()).and_then(|m| catalog().route(m, path));
    let endpoint = route.as_ref().map(|r| r.endpoint.name.as_str());
    let mut outcome = Outcome { reply: Reply::ok(), endpoint, after: None, credential: None };

    match shared.faults.take(endpoint, path) {
        None => {}
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        Some(Fault::Throttle { retry_after_secs }) => {
            let mut reply = Reply::new(429, CONN_THROTTLED, "emulator fault: throttle");
            reply.retry_after = Some(retry_after_secs);
            outcome.reply = reply;
            return outcome;
        }
        Some(Fault::Status { http, code }) => {
            outcome.reply = Reply::new(http, Fault::status_code(http, code), format!("emulator fault: status {http}"));
            return outcome;
        }
        Some(Fault::Redirect(url)) => {
            let mut reply = Reply::new(307, MOVED, "emulator fault: redirect");
            reply.header = Some(Box::new(("location", url)));
            outcome.reply = reply;
            return outcome;
        }
        Some(f @ (Fault::Drop | Fault::Oversize(_))) => outcome.after = Some(f),
        Some(Fault::Echo(http)) => {
            let auth =
                req.headers().get(hyper::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let code = if http == 200 { crate::reply::SUCCESS } else { crate::reply::CONN_KEY_NOT_FOUND };
            let mut reply =
                Reply::new(http, code, format!("you sent {auth}")).with("echo", Value::String(auth.clone()));
            reply.description = std::borrow::Cow::Owned(format!("echo of {auth}"));
            reply.header = Some(Box::new(("x-echo", auth)));
            outcome.reply = reply;
            return outcome;
        }
    }

    if path == legacy::TOKEN_PATH {
        outcome.reply = if req.method() == hyper::Method::POST {
            legacy::issue(shared, req.headers())
        } else {
            Reply::new(405, CONN_METHOD_NOT_ALLOWED, format!("{path} accepts POST only"))
        };
        return outcome;
    }

    let Some(route) = route else {
        outcome.reply = unrouted(req.method().as_str(), path);
        return outcome;
    };
    if route.endpoint.auth_type == AuthType::NoAuth {
        return outcome;
    }

    let (parts, incoming) = req.into_parts();
    let values: Vec<&[u8]> = parts.headers.get_all(AUTHORIZATION).iter().map(|v| v.as_bytes()).collect();
    let caller = match auth::identify(&shared.store, &values) {
        Ok(c) => c,
        Err(reply) => {
            outcome.reply = reply;
            return outcome;
        }
    };
    outcome.credential = Some(caller.kind);
    if let Err(reply) = auth::check_kind(route.endpoint, caller.kind) {
        outcome.reply = reply;
        return outcome;
    }

    // GET bindings carry their fields in the query; everything else may have a JSON body.
    let body = if parts.method == hyper::Method::GET {
        Value::Null
    } else {
        match body::read(&parts.headers, incoming, shared.max_body_bytes).await {
            Ok(bytes) => match body::parse_json(&bytes) {
                Ok(v) => v,
                Err(reply) => {
                    outcome.reply = reply;
                    return outcome;
                }
            },
            Err(reply) => {
                outcome.reply = reply;
                return outcome;
            }
        }
    };
    let query = Query::parse(parts.uri.query().unwrap_or(""));

    let target = match auth::bind(&shared.store, &caller, &route, &body, &query) {
        Ok(t) => t,
        Err(reply) => {
            outcome.reply = reply;
            return outcome;
        }
    };
    if let Err(reply) = auth::check_scopes(route.endpoint, &caller, &target) {
        outcome.reply = reply;
        return outcome;
    }

    let ctx = Ctx {
        store: &shared.store,
        endpoint: route.endpoint,
        route: &route,
        query: &query,
        body: &body,
        caller: &caller,
        target: &target,
    };
    outcome.reply = handlers::dispatch(&ctx);
    outcome
}

/// 405 when another method of the path is in the catalogue, 404 otherwise.
fn unrouted(method: &str, path: &str) -> Reply {
    if catalog().route_any_method(path).is_none() {
        return Reply::not_found(format!("no endpoint of the V2 API has the path {path}"));
    }
    let allowed: Vec<&str> =
        METHODS.iter().filter(|m| catalog().route(**m, path).is_some()).map(|m| m.as_str()).collect();
    Reply::new(
        405,
        CONN_METHOD_NOT_ALLOWED,
        format!("{path} does not accept {method}; it accepts {}", allowed.join(", ")),
    )
}
