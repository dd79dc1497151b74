//! MyScopes, MyScopesUser, MyScopesRoot: what the calling credential may do.

use clarifai::authorize::authorize;
use clarifai::{catalog, Endpoint};
use serde_json::{json, Value};

use super::Ctx;
use crate::reply::Reply;
use crate::store::CredentialRecord;

/// The RPCs a credential may call, in full form: its endpoint list when it has one, else every
/// endpoint of the catalogue its kind and scopes allow.
fn callable_endpoints(cred: &CredentialRecord) -> Vec<String> {
    let allowed = |e: &&Endpoint| authorize(e, cred.kind, &cred.grant).is_ok();
    if cred.grant.endpoints.is_empty() {
        catalog().endpoints().iter().filter(allowed).map(Endpoint::full_name).collect()
    } else {
        cred.endpoint_names()
    }
}

pub(crate) fn my_scopes(ctx: &Ctx<'_>) -> Reply {
    let mut reply = Reply::ok()
        .with("scopes", json!(ctx.caller.scope_names()))
        .with("endpoints", json!(callable_endpoints(ctx.caller)));
    if ctx.endpoint.name == "MyScopes" {
        let app = match &ctx.target.app {
            Some(a) => json!({"id": a.id, "user_id": a.user_id}),
            None => Value::Null,
        };
        reply = reply.with("app", app);
    }
    reply
}
