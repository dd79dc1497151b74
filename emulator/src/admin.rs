//! Admin routes under `/_emulator/`, for test suites in any language: set and clear faults,
//! read the request log, add keys at runtime. Only loopback clients that send
//! `X-Emulator-Admin-Token: <admin_token>` get in.

use std::net::SocketAddr;

use clarifai::CredentialKind;
use hyper::body::Incoming;
use hyper::{Method, Request};
use serde_json::{json, Value};

use crate::body;
use crate::faults::FaultRule;
use crate::reply::{Reply, CONN_INVALID_REQUEST, CONN_METHOD_NOT_ALLOWED};
use crate::seed::KeySpec;
use crate::shared::Shared;
use crate::token::TokenDigest;

pub(crate) const PREFIX: &str = "/_emulator";
pub(crate) const TOKEN_HEADER: &str = "x-emulator-admin-token";

pub(crate) fn is_admin_path(path: &str) -> bool {
    path == PREFIX || path.strip_prefix(PREFIX).is_some_and(|rest| rest.starts_with('/'))
}

pub(crate) async fn handle(shared: &Shared, peer: SocketAddr, req: Request<Incoming>) -> Reply {
    if !peer.ip().to_canonical().is_loopback() {
        return Reply::new(403, CONN_INVALID_REQUEST, "admin routes answer loopback clients only");
    }
    let token_ok = req.headers().get(TOKEN_HEADER).is_some_and(|v| TokenDigest::of(v.as_bytes()) == shared.admin_token);
    if !token_ok {
        return Reply::bad_header(
            "admin routes need the header X-Emulator-Admin-Token with the admin_token the emulator printed",
        );
    }
    let (parts, incoming) = req.into_parts();
    let route = parts.uri.path().strip_prefix(PREFIX).unwrap_or_default().to_string();
    let method = parts.method.clone();
    let body = if method == Method::POST {
        match body::read(&parts.headers, incoming, shared.max_body_bytes).await {
            Ok(b) => b,
            Err(reply) => return reply,
        }
    } else {
        Default::default()
    };
    match (method.clone(), route.as_str()) {
        (Method::GET, "/faults") => faults_reply(shared),
        (Method::POST, "/faults") => match parse_fault_specs(&body) {
            Ok(rules) => {
                for r in rules {
                    shared.faults.add(r);
                }
                faults_reply(shared)
            }
            Err(reply) => reply,
        },
        (Method::DELETE, "/faults") => {
            shared.faults.clear();
            faults_reply(shared)
        }
        (Method::GET, "/requests") => Reply::ok().with("requests", json!(shared.log.snapshot())),
        (Method::DELETE, "/requests") => {
            shared.log.clear();
            Reply::ok()
        }
        (Method::POST, "/keys") => add_key(shared, &body),
        (Method::GET, "/details") => Reply::ok().with("details", json!(shared.details)),
        (Method::GET, "/connections") => Reply::ok().with("connections", json!(shared.connections_accepted())),
        (_, "/faults" | "/requests" | "/keys" | "/details" | "/connections") => {
            Reply::new(405, CONN_METHOD_NOT_ALLOWED, format!("{PREFIX}{route} does not accept {method}"))
        }
        _ => Reply::not_found(format!(
            "no admin route {PREFIX}{route}; there are /faults (GET, POST, DELETE), /requests (GET, DELETE), /keys (POST), /details (GET), /connections (GET)"
        )),
    }
}

fn faults_reply(shared: &Shared) -> Reply {
    let specs: Vec<String> = shared.faults.list().iter().map(FaultRule::to_string).collect();
    Reply::ok().with("faults", json!(specs))
}

/// `{"spec": "…"}`, `{"specs": ["…", …]}`, or plain text with one spec per line.
fn parse_fault_specs(body: &[u8]) -> Result<Vec<FaultRule>, Reply> {
    let text = std::str::from_utf8(body).map_err(|_| Reply::bad_request("the body is not UTF-8"))?;
    let specs: Vec<String> = if text.trim_start().starts_with('{') {
        let v: Value =
            serde_json::from_str(text).map_err(|e| Reply::bad_request(format!("the body is not valid JSON: {e}")))?;
        match (v.get("spec"), v.get("specs")) {
            (Some(Value::String(s)), None) => vec![s.clone()],
            (None, Some(Value::Array(a))) => a
                .iter()
                .map(|s| s.as_str().map(str::to_string).ok_or_else(|| Reply::bad_request("specs must be strings")))
                .collect::<Result<_, _>>()?,
            _ => return Err(Reply::bad_request("send {\"spec\": \"TARGET=ACTION[,times=N]\"} or {\"specs\": [...]}")),
        }
    } else {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    };
    if specs.is_empty() {
        return Err(Reply::bad_request("no fault spec given"));
    }
    specs.iter().map(|s| s.parse::<FaultRule>().map_err(|e| Reply::bad_request(e.to_string()))).collect()
}

/// A [`KeySpec`] as JSON, plus `"type"`: `app_specific_key` (default) or `personal_access_token`.
fn add_key(shared: &Shared, body: &[u8]) -> Reply {
    let mut v: Value = match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return Reply::bad_request("the body must be a JSON object"),
        Err(e) => return Reply::bad_request(format!("the body is not valid JSON: {e}")),
    };
    let kind = match v.as_object_mut().and_then(|o| o.remove("type")) {
        None => CredentialKind::ApiKey,
        Some(Value::String(t)) if t == "app_specific_key" => CredentialKind::ApiKey,
        Some(Value::String(t)) if t == "personal_access_token" => CredentialKind::Pat,
        Some(other) => {
            return Reply::bad_request(format!(
                "type {other} is unknown; use app_specific_key or personal_access_token"
            ))
        }
    };
    let spec: KeySpec = match serde_json::from_value(v) {
        Ok(s) => s,
        Err(e) => return Reply::bad_request(format!("not a key spec: {e}")),
    };
    let new = spec.to_new(kind, &shared.details.user_id, &shared.details.app_id);
    match shared.store.insert_credential(new) {
        Ok(record) => Reply::ok().with("token", record.token.clone().into()).with("key", record.key_json()),
        Err(e) => Reply::bad_request(e.to_string()),
    }
}
