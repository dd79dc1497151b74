//! The deprecated (2017) OAuth flow: `POST /v2/token` with HTTP Basic `client_id:client_secret`
//! issues a Bearer token that stands for the client's app, with the client's scopes, and expires.

use base64::Engine;
use clarifai::{CredentialKind, Scope};
use hyper::header::AUTHORIZATION;
use hyper::HeaderMap;

use crate::reply::{Reply, CONN_CREDENTIALS_INVALID};
use crate::shared::Shared;
use crate::store::NewCredential;
use crate::token::TokenDigest;

pub(crate) const TOKEN_PATH: &str = "/v2/token";

const HOW: &str = "send 'Authorization: Basic base64(client_id:client_secret)'";

/// `client_id` and `client_secret` from a Basic header.
fn basic_credentials(headers: &HeaderMap) -> Result<(String, String), Reply> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(Reply::bad_header(format!("POST /v2/token needs exactly one Authorization header; {HOW}")));
    };
    let encoded = value
        .as_bytes()
        .strip_prefix(b"Basic ")
        .ok_or_else(|| Reply::bad_header(format!("POST /v2/token takes client credentials; {HOW}")))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .and_then(|d| String::from_utf8(d).ok())
        .ok_or_else(|| Reply::bad_header(format!("the Basic credentials are not valid base64 of UTF-8 text; {HOW}")))?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(|| Reply::bad_header(format!("the Basic credentials lack the ':' between id and secret; {HOW}")))?;
    Ok((id.to_string(), secret.to_string()))
}

pub(crate) fn issue(shared: &Shared, headers: &HeaderMap) -> Reply {
    let (client_id, secret) = match basic_credentials(headers) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let refused = || Reply::new(401, CONN_CREDENTIALS_INVALID, "unknown client_id or wrong client_secret");
    let Some(client) = shared.store.legacy_client(&client_id) else { return refused() };
    // Digests compare in constant time.
    if client.secret != TokenDigest::of(secret.as_bytes()) {
        return refused();
    }
    let new = NewCredential {
        kind: CredentialKind::LegacyToken,
        token: None,
        user_id: client.app.user_id.clone(),
        app: Some(client.app.clone()),
        scopes: client.scopes.clone(),
        endpoints: Vec::new(),
        description: format!("legacy access token of client {client_id}"),
        expires_in: Some(client.token_ttl),
    };
    match shared.store.insert_credential(new) {
        Ok(record) => Reply::ok()
            .with("access_token", record.token.clone().into())
            .with("expires_in", client.token_ttl.as_secs().into())
            .with("scope", scope_text(&client.scopes).into())
            .with("token_type", "Bearer".into()),
        Err(e) => Reply::bad_request(format!("cannot issue a token for client {client_id}: {e}")),
    }
}

/// The granted scopes in docs spelling, space-separated as OAuth writes them.
fn scope_text(scopes: &[String]) -> String {
    scopes.iter().filter_map(|s| Scope::parse(s)).map(Scope::name).collect::<Vec<_>>().join(" ")
}
