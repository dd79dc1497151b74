//! The deprecated client-id/secret exchange: `POST /v2/token` for a Bearer token, renewed
//! before it expires.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;
use tokio::sync::Mutex;

use super::Client;
use crate::catalog::Method;
use crate::credential::Credential;
use crate::error::Error;
use crate::secret::Secret;
use crate::transport::Authorization;

pub(crate) struct LegacyExchange {
    pub client_id: String,
    pub client_secret: Secret,
    /// Held across an exchange, so that concurrent calls wait for one new token.
    pub token: Mutex<Option<(Authorization, Instant)>>,
}

impl std::fmt::Debug for LegacyExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyExchange")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// Renew a legacy token this long before it expires.
const LEGACY_REFRESH_MARGIN: Duration = Duration::from_secs(60);

impl LegacyExchange {
    pub fn new(client_id: &str, client_secret: &str) -> LegacyExchange {
        LegacyExchange {
            client_id: client_id.to_string(),
            client_secret: Secret::new(client_secret.to_string()),
            token: Mutex::new(None),
        }
    }
}

impl Client {
    /// The current Bearer token's header, exchanging the client credentials when there is none
    /// or it is about to expire.
    pub(crate) async fn legacy_authorization(&self, x: &LegacyExchange) -> Result<Authorization, Error> {
        let mut slot = x.token.lock().await;
        if let Some((auth, expires)) = slot.as_ref() {
            if Instant::now() + LEGACY_REFRESH_MARGIN < *expires {
                return Ok(auth.clone());
            }
        }
        let plain = Secret::new(format!("{}:{}", x.client_id, x.client_secret.expose()));
        let basic = Secret::new(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(plain.expose())));
        let basic = Authorization::new(basic.expose())?;
        let body = bytes::Bytes::from_static(br#"{"grant_type":"client_credentials"}"#);
        let resp = self.send_with_retries(Method::Post, "/v2/token", Some(body), Some(&basic)).await?;
        let token =
            resp.body().get("access_token").and_then(Value::as_str).ok_or_else(|| Error::MalformedResponse {
                http_status: resp.http_status,
                message: "token response without access_token".into(),
            })?;
        let ttl = resp.body().get("expires_in").and_then(Value::as_u64).unwrap_or(3600);
        crate::credential::validate_token("access token", token)?;
        let cred = Credential::legacy_token_unchecked_kind(Secret::new(token.to_string()));
        let auth = Authorization::new(cred.authorization_header().expose())?;
        *slot = Some((auth.clone(), Instant::now() + Duration::from_secs(ttl)));
        Ok(auth)
    }
}
