//! The client: resolves endpoints, places `user_app_id`, picks the credential, sends, decodes.
//!
//! Every call is one task on the library's runtime ([`crate::runtime`]): the blocking API runs
//! it and waits, the asynchronous ones run it and hand the result to a callback. The whole task
//! (credential exchange, every redirect, retry and backoff, the body) is bounded by the
//! client's total timeout.

mod batch;
mod builder;
mod call;
mod keys;
mod legacy;
mod retry;
mod scopes;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::catalog::{catalog, Endpoint, Method};
use crate::credential::{Credential, CredentialKind, UserAppId};
use crate::error::{Error, TransportKind};
use crate::fork::ForkCell;
use crate::request::{plan, Planned};
use crate::response::{decode_owned, Response};
use crate::runtime;
use crate::transport::{Authorization, HttpRequest, Transport};

use builder::Source;
pub use builder::{ClientBuilder, DEFAULT_BASE_URL};
pub use call::{Call, CallHandle, CallOptions, CancelToken};
pub use keys::{Key, KeySpec};
use legacy::LegacyExchange;
use retry::retry_delay;
pub use retry::RetryPolicy;
pub use scopes::MyScopes;

struct Shared {
    base_url: String,
    transport: Transport,
    timeout: Duration,
    max_concurrency: usize,
    /// Permits for asynchronous and batched calls; per process, as a fork child has none of
    /// its parent's calls in flight.
    in_flight: ForkCell<Arc<Semaphore>>,
    retry: RetryPolicy,
}

impl Shared {
    fn in_flight(&self) -> Arc<Semaphore> {
        let max = self.max_concurrency;
        match self.in_flight.get_or_try_init(|| Ok::<_, std::convert::Infallible>(Arc::new(Semaphore::new(max)))) {
            Ok(s) => Arc::clone(s),
            Err(never) => match never {},
        }
    }
}

struct AuthState {
    source: Source,
    /// The `Authorization` header of a fixed credential, built once.
    authorization: Option<Result<Authorization, String>>,
    scopes: RwLock<Option<Arc<MyScopes>>>,
}

impl AuthState {
    fn new(source: Source) -> AuthState {
        let authorization = match &source {
            Source::Fixed(c) => Some(Authorization::new(c.authorization_header().expose()).map_err(|e| e.to_string())),
            Source::ClientCredentials(_) | Source::None => None,
        };
        AuthState { source, authorization, scopes: RwLock::new(None) }
    }
}

/// A Clarifai API client. Cheap to clone; one per process is enough: it is `Send + Sync`, and
/// every clone and every [`Client::with_credential`] view shares its connections (one HTTP/2
/// connection serves them all when the server speaks it).
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    auth: Arc<AuthState>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("credential", &self.auth.source)
            .finish()
    }
}

impl Client {
    /// A builder for a client using `credential`.
    pub fn builder(credential: Credential) -> ClientBuilder {
        ClientBuilder::new(Source::Fixed(credential))
    }

    /// A client with default settings.
    pub fn new(credential: Credential) -> Result<Client, Error> {
        Client::builder(credential).build()
    }

    /// A builder for a client with no credential of its own: its requests carry no
    /// `Authorization` header (the API answers them with 11102, "Invalid request"), and its
    /// [`Client::with_credential`] views, which share its connections, carry theirs. For
    /// front ends whose calls each bring a credential, as the docs' gRPC form does in metadata.
    pub fn builder_without_credential() -> ClientBuilder {
        ClientBuilder::new(Source::None)
    }

    /// A builder from the environment, as the official SDK reads it: `CLARIFAI_PAT` with
    /// `CLARIFAI_USER_ID` and `CLARIFAI_APP_ID`, else `CLARIFAI_API_KEY`; `CLARIFAI_API_BASE`;
    /// `CLARIFAI_ROOT_CERTIFICATES_PATH`. The error names what is missing.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        let credential = if let Some(pat) = var("CLARIFAI_PAT") {
            let missing: Vec<&str> =
                ["CLARIFAI_USER_ID", "CLARIFAI_APP_ID"].into_iter().filter(|n| var(n).is_none()).collect();
            if !missing.is_empty() {
                return Err(Error::MissingConfig(format!(
                    "CLARIFAI_PAT is set but {} {} not: a PAT needs the user and app it acts on",
                    missing.join(" and "),
                    if missing.len() == 1 { "is" } else { "are" }
                )));
            }
            Credential::pat(
                &pat,
                &var("CLARIFAI_USER_ID").unwrap_or_default(),
                &var("CLARIFAI_APP_ID").unwrap_or_default(),
            )
            .map_err(|e| Error::MissingConfig(format!("CLARIFAI_PAT, CLARIFAI_USER_ID or CLARIFAI_APP_ID: {e}")))?
        } else if let Some(key) = var("CLARIFAI_API_KEY") {
            Credential::api_key(&key).map_err(|e| Error::MissingConfig(format!("CLARIFAI_API_KEY: {e}")))?
        } else {
            return Err(Error::MissingConfig(
                "set CLARIFAI_PAT (with CLARIFAI_USER_ID and CLARIFAI_APP_ID) or CLARIFAI_API_KEY".into(),
            ));
        };
        let mut b = Client::builder(credential);
        if let Some(ca) = var("CLARIFAI_ROOT_CERTIFICATES_PATH") {
            b = b.ca_file(ca);
        }
        Ok(b)
    }

    /// A client from the environment (see [`Client::builder_from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        Client::builder_from_env()?.build()
    }

    /// A builder for the deprecated client-id/secret flow: the client exchanges them for a
    /// Bearer token at `POST /v2/token` and renews it before it expires.
    #[deprecated(note = "Clarifai deprecated client credentials in 2017; use an API key or a PAT")]
    pub fn deprecated_client_credentials(client_id: &str, client_secret: &str) -> Result<ClientBuilder, Error> {
        crate::credential::validate_token("client id", client_id)?;
        crate::credential::validate_token("client secret", client_secret)?;
        Ok(ClientBuilder::new(Source::ClientCredentials(LegacyExchange::new(client_id, client_secret))))
    }

    /// A client for the next calls with another credential, sharing this one's connections
    /// and settings (a per-request override).
    pub fn with_credential(&self, credential: Credential) -> Client {
        Client { shared: Arc::clone(&self.shared), auth: Arc::new(AuthState::new(Source::Fixed(credential))) }
    }

    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The kind of credential requests carry; `None` for a client without one.
    pub fn credential_kind(&self) -> Option<CredentialKind> {
        match &self.auth.source {
            Source::Fixed(c) => Some(c.kind()),
            Source::ClientCredentials(_) => Some(CredentialKind::LegacyToken),
            Source::None => None,
        }
    }

    /// The kind of credential, or the error a call needing one gets from a client without.
    pub(crate) fn required_kind(&self) -> Result<CredentialKind, Error> {
        self.credential_kind().ok_or_else(no_credential)
    }

    /// The PAT's default user and app.
    pub fn user_app_id(&self) -> Option<&UserAppId> {
        match &self.auth.source {
            Source::Fixed(c) => c.user_app_id(),
            Source::ClientCredentials(_) | Source::None => None,
        }
    }

    /// The gRPC metadata pair for the official gRPC clients: `("authorization", "Key …")`.
    pub fn grpc_metadata(&self) -> Result<(&'static str, String), Error> {
        match &self.auth.source {
            Source::Fixed(c) => Ok(c.grpc_metadata()),
            Source::None => Err(no_credential()),
            Source::ClientCredentials(_) => {
                let client = self.clone();
                let auth = runtime::block_on(async move { client.authorization().await })??;
                Ok(("authorization", auth.as_ref().map(|a| a.expose().to_string()).unwrap_or_default()))
            }
        }
    }

    /// Method, path and body a call would use, without sending it.
    pub fn plan(&self, endpoint: &str, params: &Value) -> Result<Planned, Error> {
        let ep = lookup(endpoint)?;
        plan(ep, params, self.user_app_id())
    }

    /// Call an RPC by name with its request fields as JSON, e.g.
    /// `call("GetInput", &json!({"input_id": "x"}))`. Blocks until the answer (or the total
    /// timeout); must not be called from inside one of the library's own tasks.
    pub fn call(&self, endpoint: &str, params: &Value) -> Result<Response, Error> {
        let planned = self.plan(endpoint, params)?;
        self.call_planned(planned)
    }

    /// Send a call planned with [`Client::plan`].
    pub fn call_planned(&self, planned: Planned) -> Result<Response, Error> {
        self.send(planned.method, &planned.path_and_query, planned.body)
    }

    /// [`Client::call`] with the parameters as JSON text (empty text means `{}`).
    pub fn call_json(&self, endpoint: &str, params_json: &str) -> Result<Response, Error> {
        let params = parse_params(params_json)?;
        let planned = self.plan(endpoint, &params)?;
        drop(params);
        self.call_planned(planned)
    }

    /// A raw request: `path` starts with `/` and may carry a query string.
    pub fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Response, Error> {
        // Never repeat the path: it may hold a key id, which is a secret.
        if !path.starts_with('/') || path.starts_with("//") {
            return Err(Error::InvalidArgument("the path must start with a single '/' (e.g. \"/v2/inputs\")".into()));
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidArgument("path contains whitespace or control characters".into()));
        }
        let bytes = body.map(serde_json::to_vec).transpose().map_err(|e| Error::InvalidArgument(e.to_string()))?;
        self.send(method, path, bytes)
    }

    /// One exchange on the runtime, waited for on this thread.
    fn send(&self, method: Method, path: &str, body: Option<Vec<u8>>) -> Result<Response, Error> {
        let client = self.clone();
        let path = path.to_string();
        runtime::block_on(async move { client.exchange(method, &path, body.map(Bytes::from), None).await })?
    }

    /// A whole call: the credential, the request with its retries, bounded by the total
    /// timeout (the client's, or `timeout` for this call).
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        timeout: Option<Duration>,
    ) -> Result<Response, Error> {
        let timeout = timeout.unwrap_or(self.shared.timeout);
        let call = async {
            let authorization = self.authorization().await?;
            self.send_with_retries(method, path, body, authorization.as_ref()).await
        };
        match tokio::time::timeout(timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(Error::transport(
                TransportKind::Timeout,
                format!("no complete answer within the {} ms total timeout", timeout.as_millis()),
            )),
        }
    }

    /// The `Authorization` header requests carry; none for a client without a credential.
    async fn authorization(&self) -> Result<Option<Authorization>, Error> {
        match (&self.auth.source, &self.auth.authorization) {
            (Source::Fixed(_), Some(Ok(a))) => Ok(Some(a.clone())),
            (Source::Fixed(_), Some(Err(why))) => Err(Error::InvalidArgument(why.clone())),
            (Source::Fixed(_), None) => Err(Error::State("the credential has no header".into())),
            (Source::ClientCredentials(x), _) => self.legacy_authorization(x).await.map(Some),
            (Source::None, _) => Ok(None),
        }
    }

    async fn send_with_retries(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        authorization: Option<&Authorization>,
    ) -> Result<Response, Error> {
        let url = format!("{}{}", self.shared.base_url, path);
        let policy = &self.shared.retry;
        let mut attempt = 0;
        loop {
            let req = HttpRequest { method, url: &url, authorization, body: body.clone() };
            let result = self.shared.transport.send(req).await.and_then(|r| {
                let retry_after = r.header("retry-after").map(str::to_owned);
                let decoded = match decode_owned(r.status, retry_after.as_deref(), r.body) {
                    Ok(mut resp) => {
                        resp.headers = r.headers;
                        Ok(resp)
                    }
                    Err(e) => Err(attach_headers(e, &r.headers)),
                };
                // A server or proxy that echoes the credential must not make the library
                // hand it back: not in a status, a header or the body.
                match authorization {
                    Some(a) => crate::redact::answer(decoded, a.token()),
                    None => decoded,
                }
            });
            let delay = match &result {
                Err(e) if attempt < policy.max_retries => retry_delay(e, method, attempt, policy),
                _ => None,
            };
            match delay {
                Some(d) => {
                    tokio::time::sleep(d).await;
                    attempt += 1;
                }
                None => return result,
            }
        }
    }
}

fn no_credential() -> Error {
    Error::MissingConfig("this client has no credential of its own: make a view of it with a credential".into())
}

fn lookup(endpoint: &str) -> Result<&'static Endpoint, Error> {
    catalog().endpoint(endpoint).ok_or_else(|| Error::UnknownEndpoint(endpoint.chars().take(200).collect()))
}

pub(crate) fn parse_params(text: &str) -> Result<Value, Error> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| Error::InvalidArgument(format!("parameters are not valid JSON: {e}")))
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn attach_headers(e: Error, headers: &[(String, String)]) -> Error {
    match e {
        Error::Api(mut api) => {
            api.headers = headers.to_vec();
            Error::Api(api)
        }
        other => other,
    }
}
