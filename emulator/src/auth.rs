//! Authorization, in the API's order: the `Authorization` header, the credential it names, the
//! credential's kind against the endpoint's auth type, the app the request acts on, then the
//! scopes through the core's [`clarifai::authorize::authorize`], the rule the client's preflight uses
//! too.

use std::sync::Arc;
use std::time::Instant;

use clarifai::authorize::{authorize, Denial};
use clarifai::catalog::{Binding, RouteMatch};
use clarifai::Missing;
use clarifai::{AuthType, CredentialKind, Endpoint, Scope};
use serde_json::Value;

use crate::query::Query;
use crate::reply::{
    Reply, CONN_AUTH_METHOD_DISABLED, CONN_INSUFFICIENT_SCOPES, CONN_KEY_NOT_FOUND, CONN_TOKEN_INVALID,
};
use crate::store::{App, CredentialRecord, Store};

/// What the header said, before any lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// `Key <token>`: an app key or a PAT.
    Key,
    /// `Bearer <token>`: a legacy access token.
    Bearer,
}

const HOW: &str = "send the header as 'Authorization: Key YOUR_API_KEY_OR_PAT'";

/// Split an `Authorization` header into scheme and token. Details never quote the token.
pub(crate) fn parse_authorization<'h>(values: &[&'h [u8]]) -> Result<(Scheme, &'h [u8]), Reply> {
    let value = match values {
        [] => return Err(Reply::bad_header(format!("no Authorization header; {HOW}"))),
        [one] => *one,
        _ => return Err(Reply::bad_header(format!("more than one Authorization header; {HOW}"))),
    };
    // HTTP parsers drop trailing whitespace, so `Key ` arrives as `Key`.
    if value == b"Key" || value == b"Bearer" {
        return Err(Reply::bad_header(format!("the token after 'Key ' is empty; {HOW}")));
    }
    let (scheme, token) = if let Some(t) = value.strip_prefix(b"Key ") {
        (Scheme::Key, t)
    } else if let Some(t) = value.strip_prefix(b"Bearer ") {
        (Scheme::Bearer, t)
    } else {
        let word = value.split(|b| *b == b' ').next().unwrap_or_default();
        let details = if word.eq_ignore_ascii_case(b"key") {
            format!("the scheme is spelled 'Key', with a capital K and one space before the token; {HOW}")
        } else if value.is_empty() {
            format!("the Authorization header is empty; {HOW}")
        } else {
            format!("the Authorization header must start with 'Key ' (or 'Bearer ' for a legacy access token); {HOW}")
        };
        return Err(Reply::bad_header(details));
    };
    if token.is_empty() {
        return Err(Reply::bad_header(format!("the token after 'Key ' is empty; {HOW}")));
    }
    if let Some(i) = token.iter().position(|b| !b.is_ascii_graphic()) {
        let what =
            if token[i] == b' ' || token[i] == b'\t' { "whitespace" } else { "a byte that is not visible ASCII" };
        return Err(Reply::bad_header(format!(
            "the token contains {what} at position {i}; exactly one space separates 'Key' from the token"
        )));
    }
    Ok((scheme, token))
}

/// The credential a request's header names.
pub(crate) fn identify(store: &Store, values: &[&[u8]]) -> Result<Arc<CredentialRecord>, Reply> {
    let (scheme, token) = parse_authorization(values)?;
    let record = store.credential(token);
    match (scheme, record) {
        (Scheme::Key, Some(r)) if r.kind != CredentialKind::LegacyToken => Ok(r),
        (Scheme::Bearer, Some(r)) if r.kind == CredentialKind::LegacyToken => {
            if r.is_expired(Instant::now()) {
                Err(Reply::new(
                    401,
                    CONN_TOKEN_INVALID,
                    "the access token expired; request a new one from POST /v2/token",
                ))
            } else {
                Ok(r)
            }
        }
        (Scheme::Key, _) => {
            Err(Reply::new(401, CONN_KEY_NOT_FOUND, "no app key or Personal Access Token has this value"))
        }
        (Scheme::Bearer, _) => Err(Reply::new(
            401,
            CONN_KEY_NOT_FOUND,
            "no access token has this value; Bearer tokens come from POST /v2/token (API keys and PATs use 'Key ')",
        )),
    }
}

/// Refuse a credential whose kind the endpoint does not accept (11200).
pub(crate) fn check_kind(endpoint: &Endpoint, kind: CredentialKind) -> Result<(), Reply> {
    if endpoint.auth_type.accepts(kind) {
        return Ok(());
    }
    Err(Reply::new(403, CONN_AUTH_METHOD_DISABLED, kind_details(endpoint, kind)))
}

fn kind_details(endpoint: &Endpoint, kind: CredentialKind) -> String {
    match endpoint.auth_type {
        AuthType::PatAuth => format!(
            "{} requires a Personal Access Token; {} cannot call it",
            endpoint.name,
            match kind {
                CredentialKind::ApiKey => "an app API key",
                CredentialKind::LegacyToken => "a legacy access token",
                CredentialKind::Pat => "this Personal Access Token",
            }
        ),
        other => format!(
            "{} accepts {} only; neither app API keys nor Personal Access Tokens can call it",
            endpoint.name,
            if other == AuthType::AdminAuth { "Clarifai staff credentials" } else { "a web session" }
        ),
    }
}

/// How the caller may use the app or user the request acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// An app key or legacy token on its own app.
    AppKey,
    /// A PAT on its user's own app, or on its own user.
    Own,
    /// A PAT on an app its user collaborates on.
    Collaborator,
    /// A PAT on another user's public app: read-only endpoints only.
    PublicRead,
    /// A PAT reading another user's public listings (ListApps, ListModels, ListWorkflows).
    OtherUser,
}

/// The user and app a request acts on, once the caller may act there.
pub(crate) struct Target {
    /// `me` resolved.
    pub user_id: String,
    /// For app-scoped requests (and always for app keys): the app.
    pub app: Option<Arc<App>>,
    pub access: Access,
}

/// RPCs a PAT may call on another user's user-level path: listings that show only what the
/// caller may see (public apps and models, or apps it collaborates on).
const OTHER_USER_READS: &[&str] = &["ListApps", "ListModels", "ListWorkflows", "GetUser"];

/// The user and app named by the request: path parameters, else the body's `user_app_id`,
/// else the query's `user_app_id.user_id` / `user_app_id.app_id`.
fn requested(route: &RouteMatch<'_>, body: &Value, query: &Query) -> Result<(Option<String>, Option<String>), Reply> {
    let pu = route.param("user_app_id.user_id");
    let pa = route.param("user_app_id.app_id");
    if pu.is_some() || pa.is_some() {
        return Ok((pu.map(str::to_string), pa.map(str::to_string)));
    }
    match body.get("user_app_id") {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => {
            let field = |k: &str| -> Result<Option<String>, Reply> {
                match o.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) if s.is_empty() => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(Reply::bad_request(format!("user_app_id.{k} must be a string"))),
                }
            };
            let (u, a) = (field("user_id")?, field("app_id")?);
            if u.is_some() || a.is_some() {
                return Ok((u, a));
            }
        }
        Some(_) => return Err(Reply::bad_request("user_app_id must be an object: {\"user_id\": …, \"app_id\": …}")),
    }
    Ok((query.get("user_app_id.user_id").map(str::to_string), query.get("user_app_id.app_id").map(str::to_string)))
}

fn has_field(binding: &Binding, field: &str) -> bool {
    binding.fields().any(|f| f == field)
}

/// Whether the request must name an app: its path does, or it is a bare path of an RPC that
/// has app-prefixed bindings (a user-level path such as `/v2/users/{user_id}/models` does not).
fn needs_app(endpoint: &Endpoint, binding: &Binding) -> bool {
    has_field(binding, "user_app_id.app_id")
        || (!has_field(binding, "user_app_id.user_id")
            && endpoint.bindings.iter().any(|b| has_field(b, "user_app_id.app_id")))
}

/// Rule 2 of the design: the app (or user) in the request is one the credential may use.
pub(crate) fn bind(
    store: &Store,
    cred: &CredentialRecord,
    route: &RouteMatch<'_>,
    body: &Value,
    query: &Query,
) -> Result<Target, Reply> {
    let endpoint = route.endpoint;
    let (req_user, req_app) = requested(route, body, query)?;
    match cred.kind {
        CredentialKind::ApiKey | CredentialKind::LegacyToken => {
            let Some(own) = &cred.app else {
                return Err(Reply::key_invalid("this key is not bound to an app"));
            };
            let user = req_user.map(|u| if u == "me" { own.user_id.clone() } else { u });
            let same_user = user.as_ref().is_none_or(|u| *u == own.user_id);
            let same_app = req_app.as_ref().is_none_or(|a| *a == own.app_id);
            if !(same_user && same_app) {
                return Err(Reply::key_invalid(
                    "an app API key works only with the one app it was created for; use a Personal Access Token to reach other apps",
                ));
            }
            let app = store
                .app(&own.user_id, &own.app_id)
                .ok_or_else(|| Reply::key_invalid("the app this key was created for no longer exists"))?;
            Ok(Target { user_id: own.user_id.clone(), app: Some(app), access: Access::AppKey })
        }
        CredentialKind::Pat => {
            let user_id = match req_user {
                Some(u) if u != "me" => u,
                _ => cred.user_id.clone(),
            };
            if needs_app(endpoint, route.binding) {
                let Some(app_id) = req_app else {
                    return Err(Reply::key_invalid("Must provide app external ID in API authorizer"));
                };
                if !store.user_exists(&user_id) {
                    return Err(Reply::not_found(format!("user {user_id:?} does not exist")));
                }
                let app = store
                    .app(&user_id, &app_id)
                    .ok_or_else(|| Reply::not_found(format!("app {app_id:?} of user {user_id:?} does not exist")))?;
                let access = if app.user_id == cred.user_id {
                    Access::Own
                } else if app.is_collaborator(&cred.user_id) {
                    Access::Collaborator
                } else if app.public {
                    Access::PublicRead
                } else {
                    return Err(Reply::key_invalid(format!(
                        "user {:?} is neither the owner nor a collaborator of app {app_id:?} of user {user_id:?}, and it is not public",
                        cred.user_id
                    )));
                };
                Ok(Target { user_id, app: Some(app), access })
            } else {
                if !store.user_exists(&user_id) {
                    return Err(Reply::not_found(format!("user {user_id:?} does not exist")));
                }
                if user_id == cred.user_id {
                    Ok(Target { user_id, app: None, access: Access::Own })
                } else if OTHER_USER_READS.contains(&endpoint.name.as_str()) {
                    Ok(Target { user_id, app: None, access: Access::OtherUser })
                } else {
                    Err(Reply::key_invalid(format!(
                        "a Personal Access Token of user {:?} cannot call {} for another user ({user_id:?})",
                        cred.user_id, endpoint.name
                    )))
                }
            }
        }
    }
}

/// Whether a scope only reads: `*:Get`, `Predict`, `Search`. Public apps grant these alone.
pub(crate) fn is_read_scope(s: Scope) -> bool {
    let n = s.name();
    n.ends_with(":Get") || n == "Predict" || n == "Search"
}

/// Rules 1, 3 and 4 through the core, plus the read-only limit of public apps.
pub(crate) fn check_scopes(endpoint: &Endpoint, cred: &CredentialRecord, target: &Target) -> Result<(), Reply> {
    let mut missing = match authorize(endpoint, cred.kind, &cred.grant) {
        Ok(()) => Missing::default(),
        Err(Denial::Insufficient(m)) => m,
        Err(Denial::CredentialKind { kind, .. }) => {
            return Err(Reply::new(403, CONN_AUTH_METHOD_DISABLED, kind_details(endpoint, kind)))
        }
    };
    if target.access == Access::PublicRead {
        for s in endpoint.depending_scopes.iter().filter(|s| !is_read_scope(*s)) {
            let name = s.name().to_string();
            if !missing.scopes.contains(&name) {
                missing.scopes.push(name);
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        let mut details = missing.to_details();
        if target.access == Access::PublicRead {
            details.push_str(". Another user's public app is read-only");
        }
        Err(Reply::new(403, CONN_INSUFFICIENT_SCOPES, details))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(values: &[&[u8]]) -> String {
        parse_authorization(values).unwrap_err().details.into_owned()
    }

    #[test]
    fn header_forms() {
        assert_eq!(parse_authorization(&[b"Key abc"]).unwrap(), (Scheme::Key, &b"abc"[..]));
        assert_eq!(parse_authorization(&[b"Bearer abc"]).unwrap(), (Scheme::Bearer, &b"abc"[..]));
        assert!(err(&[]).contains("no Authorization header"));
        assert!(err(&[b"key abc"]).contains("capital K"));
        assert!(err(&[b"Key  abc"]).contains("whitespace at position 0"));
        assert!(err(&[b"Key "]).contains("empty"));
        assert!(err(&[b"Key"]).contains("empty"));
        assert!(err(&[b"Token abc"]).contains("must start with"));
        assert!(err(&[b"Key a", b"Key b"]).contains("more than one"));
        // The token never shows up in the details.
        assert!(!err(&[b"key secret123"]).contains("secret123"));
    }
}
