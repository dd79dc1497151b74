//! The client: resolves endpoints, places `user_app_id`, picks the credential, sends, decodes.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::catalog::{catalog, Endpoint, Method};
use crate::credential::{Credential, CredentialKind, UserAppId};
use crate::error::{Error, TransportKind};
use crate::executor::Executor;
use crate::fork::ForkLocal;
use crate::request::{plan, Planned};
use crate::response::{decode_owned, Response};
use crate::scope::{authorize_with_closure, Denial, Grant, ScopeSet};
use crate::secret::Secret;
use crate::transport::{check_base_url, HttpRequest, Transport, TransportConfig};

/// The API's public base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.clarifai.com";

/// How failed requests are retried. Only what cannot run twice by accident is retried: a
/// connection that was never made, a throttled request (the API did not run it), and a 502/503/504
/// answer to an idempotent method. Timeouts are never retried.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, with full jitter.
    pub base_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the 11005 error is returned.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 2, base_delay: Duration::from_millis(50), max_delay: Duration::from_secs(2) }
    }
}

impl RetryPolicy {
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }
}

/// What the credential may do, as MyScopes returned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyScopes {
    pub grant: Grant,
    /// Every scope granted (the closure), docs spelling.
    pub scope_names: Vec<String>,
    /// Scope names the catalogue does not know (newer than this build); kept, not checked.
    pub unknown_scopes: Vec<String>,
    /// The endpoints MyScopes says the credential may call, as it listed them.
    pub callable_endpoints: Vec<String>,
    /// The app an app key is bound to, when the API says.
    pub app: Option<UserAppId>,
    /// `grant.scopes.closure()`, computed once for preflights.
    closure: ScopeSet,
}

/// A key as the API describes it.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    /// The key's id, which for the API is also the secret token of a new key.
    pub id: Secret,
    pub description: String,
    pub scopes: Vec<String>,
    pub endpoints: Vec<String>,
    pub apps: Vec<UserAppId>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("id", &"[redacted]")
            .field("description", &self.description)
            .field("scopes", &self.scopes)
            .field("endpoints", &self.endpoints)
            .field("apps", &self.apps)
            .finish()
    }
}

/// What a new key may do.
#[derive(Clone, Debug, Default)]
pub struct KeySpec {
    pub description: String,
    /// Either spelling; unknown names are refused before any request.
    pub scopes: Vec<String>,
    /// RPC names; empty means every endpoint the scopes allow.
    pub endpoints: Vec<String>,
    /// The one app an app key is bound to (`user_id` may be `me`).
    pub app: UserAppId,
}

impl Default for UserAppId {
    fn default() -> Self {
        UserAppId { user_id: "me".into(), app_id: String::new() }
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    source: Source,
    base_url: Option<String>,
    transport: TransportConfig,
    allow_insecure_http: bool,
    max_concurrency: usize,
    retry: RetryPolicy,
}

/// Where the credential of a client comes from.
#[derive(Debug)]
enum Source {
    Fixed(Credential),
    ClientCredentials(LegacyExchange),
}

/// The deprecated client-id/secret exchange: `POST /v2/token` for a Bearer token, renewed
/// before it expires.
struct LegacyExchange {
    client_id: String,
    client_secret: Secret,
    token: Mutex<Option<(Credential, Instant)>>,
}

impl std::fmt::Debug for LegacyExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyExchange").field("client_id", &self.client_id).field("client_secret", &"[redacted]").finish()
    }
}

/// Renew a legacy token this long before it expires.
const LEGACY_REFRESH_MARGIN: Duration = Duration::from_secs(60);

impl ClientBuilder {
    fn new(source: Source) -> ClientBuilder {
        ClientBuilder {
            source,
            base_url: None,
            transport: TransportConfig::default(),
            allow_insecure_http: false,
            max_concurrency: 128,
            retry: RetryPolicy::default(),
        }
    }

    /// The API's base URL. Default: `CLARIFAI_API_BASE` when set, as the official SDK reads
    /// it, else `https://api.clarifai.com`.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_string());
        self
    }

    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.transport.connect_timeout = t;
        self
    }

    /// The whole request, body included.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.transport.timeout = t;
        self
    }

    pub fn user_agent(mut self, ua: &str) -> Self {
        self.transport.user_agent = ua.to_string();
        self
    }

    /// Trust the CA certificates of this PEM file instead of the platform's.
    pub fn ca_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.transport.ca_file = Some(path.into());
        self
    }

    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.transport.max_response_bytes = n;
        self
    }

    /// Use the proxies the environment names, as curl reads them: `https_proxy`/`HTTPS_PROXY`
    /// for https, `http_proxy`/`HTTP_PROXY` for http, `all_proxy`/`ALL_PROXY` for both,
    /// `no_proxy`/`NO_PROXY` for hosts that go direct (default on; loopback hosts always go
    /// direct). Only `http://` proxies are supported; https is tunnelled with `CONNECT`.
    pub fn proxy_from_env(mut self, on: bool) -> Self {
        self.transport.proxy_from_env = on;
        self
    }

    /// Send every request through this `http://[user:password@]host:port` proxy, whatever the
    /// environment says (https is tunnelled with `CONNECT`, so TLS stays end to end).
    pub fn proxy(mut self, url: &str) -> Self {
        self.transport.proxy = Some(url.to_string());
        self
    }

    /// Allow plain `http://` to a host that is not loopback: credentials cross the network in
    /// clear text.
    pub fn danger_allow_insecure_http(mut self, on: bool) -> Self {
        self.allow_insecure_http = on;
        self
    }

    /// Most asynchronous or batched calls in flight at once (default 128): also the most
    /// sockets the client opens for them.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = n.max(1);
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base = match self.base_url {
            Some(b) => b,
            None => std::env::var("CLARIFAI_API_BASE").ok().filter(|s| !s.is_empty()).unwrap_or_else(|| DEFAULT_BASE_URL.into()),
        };
        let base = base.trim_end_matches('/').to_string();
        check_base_url(&base, self.allow_insecure_http)?;
        if self.transport.timeout.is_zero() || self.transport.connect_timeout.is_zero() {
            return Err(Error::InvalidArgument("timeouts must be greater than zero".into()));
        }
        // Build the catalogue now rather than on first call, off any other thread's path.
        let _ = catalog();
        let transport = Transport::new(self.transport)?;
        let max = self.max_concurrency;
        let shared = Arc::new(Shared {
            base_url: base,
            transport,
            executor: ForkLocal::new(Executor::new(max)),
            max_concurrency: max,
            retry: self.retry,
        });
        Ok(Client { shared, auth: Arc::new(AuthState::new(self.source)) })
    }
}

struct Shared {
    base_url: String,
    transport: Transport,
    executor: ForkLocal<Executor>,
    max_concurrency: usize,
    retry: RetryPolicy,
}

struct AuthState {
    source: Source,
    scopes: RwLock<Option<Arc<MyScopes>>>,
}

impl AuthState {
    fn new(source: Source) -> AuthState {
        AuthState { source, scopes: RwLock::new(None) }
    }
}

/// A Clarifai API client. Cheap to clone; one per process is enough: it is `Send + Sync`, and
/// every clone and every [`Client::with_credential`] view shares one connection pool.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    auth: Arc<AuthState>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.shared.base_url).field("credential", &self.auth.source).finish()
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
            Credential::pat(&pat, &var("CLARIFAI_USER_ID").unwrap_or_default(), &var("CLARIFAI_APP_ID").unwrap_or_default())
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
        Ok(ClientBuilder::new(Source::ClientCredentials(LegacyExchange {
            client_id: client_id.to_string(),
            client_secret: Secret::new(client_secret.to_string()),
            token: Mutex::new(None),
        })))
    }

    /// A client for the next calls with another credential, sharing this one's connection pool
    /// and settings (a per-request override).
    pub fn with_credential(&self, credential: Credential) -> Client {
        Client { shared: Arc::clone(&self.shared), auth: Arc::new(AuthState::new(Source::Fixed(credential))) }
    }

    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The kind of credential requests carry.
    pub fn credential_kind(&self) -> CredentialKind {
        match &self.auth.source {
            Source::Fixed(c) => c.kind(),
            Source::ClientCredentials(_) => CredentialKind::LegacyToken,
        }
    }

    /// The PAT's default user and app.
    pub fn user_app_id(&self) -> Option<&UserAppId> {
        match &self.auth.source {
            Source::Fixed(c) => c.user_app_id(),
            Source::ClientCredentials(_) => None,
        }
    }

    /// The gRPC metadata pair for the official gRPC clients: `("authorization", "Key …")`.
    pub fn grpc_metadata(&self) -> Result<(&'static str, String), Error> {
        Ok(self.current_credential()?.grpc_metadata())
    }

    /// Method, path and body a call would use, without sending it.
    pub fn plan(&self, endpoint: &str, params: &Value) -> Result<Planned, Error> {
        let ep = lookup(endpoint)?;
        plan(ep, params, self.user_app_id())
    }

    /// Call an RPC by name with its request fields as JSON, e.g.
    /// `call("GetInput", &json!({"input_id": "x"}))`.
    pub fn call(&self, endpoint: &str, params: &Value) -> Result<Response, Error> {
        let planned = self.plan(endpoint, params)?;
        self.send(planned.method, &planned.path_and_query, planned.body.as_deref())
    }

    /// [`Client::call`] with the parameters as JSON text (empty text means `{}`).
    pub fn call_json(&self, endpoint: &str, params_json: &str) -> Result<Response, Error> {
        let params = parse_params(params_json)?;
        self.call(endpoint, &params)
    }

    /// A raw request: `path` starts with `/` and may carry a query string.
    pub fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Response, Error> {
        if !path.starts_with('/') || path.starts_with("//") {
            return Err(Error::InvalidArgument(format!("path {path:?} must start with a single '/'")));
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidArgument("path contains whitespace or control characters".into()));
        }
        let bytes = body.map(serde_json::to_vec).transpose().map_err(|e| Error::InvalidArgument(e.to_string()))?;
        self.send(method, path, bytes.as_deref())
    }

    fn current_credential(&self) -> Result<Credential, Error> {
        match &self.auth.source {
            Source::Fixed(c) => Ok(c.clone()),
            Source::ClientCredentials(x) => self.legacy_token(x),
        }
    }

    fn legacy_token(&self, x: &LegacyExchange) -> Result<Credential, Error> {
        let mut slot = x.token.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((cred, expires)) = slot.as_ref() {
            if Instant::now() + LEGACY_REFRESH_MARGIN < *expires {
                return Ok(cred.clone());
            }
        }
        let basic = base64_encode(format!("{}:{}", x.client_id, x.client_secret.expose()).as_bytes());
        let authorization = format!("Basic {basic}");
        let body = br#"{"grant_type":"client_credentials"}"#;
        let resp = self.send_with(Method::Post, "/v2/token", Some(body), Some(&authorization))?;
        let token = resp.body().get("access_token").and_then(Value::as_str).ok_or_else(|| Error::MalformedResponse {
            http_status: resp.http_status,
            message: "token response without access_token".into(),
        })?;
        let ttl = resp.body().get("expires_in").and_then(Value::as_u64).unwrap_or(3600);
        crate::credential::validate_token("access token", token)?;
        let cred = Credential::legacy_token_unchecked_kind(Secret::new(token.to_string()));
        *slot = Some((cred.clone(), Instant::now() + Duration::from_secs(ttl)));
        Ok(cred)
    }

    fn send(&self, method: Method, path: &str, body: Option<&[u8]>) -> Result<Response, Error> {
        // A fixed credential's header is built straight from it, without cloning the secret.
        let authorization = match &self.auth.source {
            Source::Fixed(c) => c.authorization(),
            Source::ClientCredentials(x) => self.legacy_token(x)?.authorization(),
        };
        let out = self.send_with(method, path, body, Some(&authorization));
        zeroize::Zeroize::zeroize(&mut { authorization });
        out
    }

    fn send_with(&self, method: Method, path: &str, body: Option<&[u8]>, authorization: Option<&str>) -> Result<Response, Error> {
        let url = format!("{}{}", self.shared.base_url, path);
        let req = HttpRequest { method, url: &url, authorization, body };
        let policy = &self.shared.retry;
        let mut attempt = 0;
        loop {
            let result = self.shared.transport.send(&req).and_then(|r| {
                let retry_after = r.header("retry-after").map(str::to_owned);
                match decode_owned(r.status, retry_after.as_deref(), r.body) {
                    Ok(mut resp) => {
                        resp.headers = r.headers;
                        Ok(resp)
                    }
                    Err(e) => Err(attach_headers(e, &r.headers)),
                }
            });
            let delay = match &result {
                Err(e) if attempt < policy.max_retries => retry_delay(e, method, attempt, policy),
                _ => None,
            };
            match delay {
                Some(d) => {
                    std::thread::sleep(d);
                    attempt += 1;
                }
                None => return result,
            }
        }
    }

    /// Ask the API what this credential may do (MyScopes) and cache the answer for
    /// [`Client::check`].
    pub fn my_scopes(&self) -> Result<Arc<MyScopes>, Error> {
        let resp = match self.user_app_id() {
            Some(_) => self.call("MyScopes", &Value::Null)?,
            None => self.send(Method::Get, "/v2/myscopes", None)?,
        };
        let names: Vec<String> = string_list(resp.body().get("scopes"));
        let mut scopes = ScopeSet::empty();
        let mut unknown = Vec::new();
        for n in &names {
            match crate::scope::Scope::parse(n) {
                Some(s) => scopes.insert(s),
                None => unknown.push(n.clone()),
            }
        }
        let callable_endpoints = string_list(resp.body().get("endpoints"));
        let endpoints = endpoint_grant(callable_endpoints.clone(), self.credential_kind(), &scopes);
        let app = resp
            .body()
            .get("app")
            .or_else(|| resp.body().get("apps").and_then(|a| a.get(0)))
            .and_then(|a| Some(UserAppId { user_id: a.get("user_id")?.as_str()?.into(), app_id: a.get("id")?.as_str()?.into() }));
        let closure = scopes.closure();
        let my = Arc::new(MyScopes {
            closure,
            scope_names: closure.names().into_iter().map(String::from).collect(),
            grant: Grant { scopes, endpoints },
            unknown_scopes: unknown,
            callable_endpoints,
            app,
        });
        *self.auth.scopes.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&my));
        Ok(my)
    }

    /// The scopes cached by the last [`Client::my_scopes`], if any.
    pub fn cached_scopes(&self) -> Option<Arc<MyScopes>> {
        self.auth.scopes.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Preflight: may this credential call `endpoint`? `Ok(Ok(()))` when it may, `Ok(Err(d))`
    /// naming exactly what is missing when it may not. Uses the scopes cached by
    /// [`Client::my_scopes`], fetching them once if there are none; no network call after that.
    pub fn check(&self, endpoint: &str) -> Result<Result<(), Denial>, Error> {
        let ep = lookup(endpoint)?;
        let kind = self.credential_kind();
        if !ep.auth_type.accepts(kind) {
            return Ok(Err(Denial::CredentialKind { kind, accepted: ep.auth_type }));
        }
        let cached = self.cached_scopes();
        let my = match cached {
            Some(m) => m,
            None => self.my_scopes()?,
        };
        Ok(authorize_with_closure(ep, kind, &my.grant, &my.closure))
    }

    /// [`Client::check`] from the cache only: `None` when no scopes are cached yet.
    pub fn check_cached(&self, endpoint: &str) -> Result<Option<Result<(), Denial>>, Error> {
        let ep = lookup(endpoint)?;
        let guard = self.auth.scopes.read().unwrap_or_else(|p| p.into_inner());
        Ok(guard.as_ref().map(|my| authorize_with_closure(ep, self.credential_kind(), &my.grant, &my.closure)))
    }

    /// Run many calls concurrently (at most the client's `max_concurrency` at once) and return
    /// their results in order.
    pub fn call_many(&self, calls: &[(String, Value)]) -> Vec<Result<Response, Error>> {
        let n = calls.len();
        if n == 0 {
            return Vec::new();
        }
        let workers = n.min(self.shared.max_concurrency);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let slots: Vec<Mutex<Option<Result<Response, Error>>>> = (0..n).map(|_| Mutex::new(None)).collect();
        let work = || loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                break;
            }
            let (endpoint, params) = &calls[i];
            let r = self.call(endpoint, params);
            *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
        };
        std::thread::scope(|s| {
            for _ in 1..workers {
                // A thread that cannot start leaves its share to the others.
                let _ = std::thread::Builder::new().name("clarifai-batch".into()).spawn_scoped(s, work);
            }
            // The calling thread works too, so a batch always makes progress.
            work();
        });
        slots
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .unwrap_or_else(|| Err(Error::State("call did not run".into())))
            })
            .collect()
    }

    /// Start a call on the client's worker pool; `done` runs on a worker thread with the result.
    /// Returns an error (and does not call `done`) only if the call could not be queued.
    pub fn call_async<F>(&self, endpoint: &str, params: Value, done: F) -> Result<(), Error>
    where
        F: FnOnce(Result<Response, Error>) + Send + 'static,
    {
        lookup(endpoint)?;
        let client = self.clone();
        let endpoint = endpoint.to_string();
        let max = self.shared.max_concurrency;
        let executor = self.shared.executor.get(|| Executor::new(max));
        executor
            .submit(Box::new(move || {
                let r = client.call(&endpoint, &params);
                done(r);
            }))
            .map_err(Error::State)
    }

    // ---- Apps and keys (a PAT only) ----

    fn pat_user(&self, what: &str) -> Result<String, Error> {
        if self.credential_kind() != CredentialKind::Pat {
            return Err(Error::PatRequired(format!(
                "{what} needs a Personal Access Token; this client uses an {}",
                self.credential_kind()
            )));
        }
        Ok(self.user_app_id().map(|u| u.user_id.clone()).unwrap_or_else(|| "me".into()))
    }

    /// Create an app owned by the PAT's user.
    pub fn create_app(&self, app_id: &str, description: &str) -> Result<Response, Error> {
        crate::credential::validate_id("app_id", app_id)?;
        let user = self.pat_user("creating an app")?;
        self.call(
            "PostApps",
            &json!({"user_app_id": {"user_id": user}, "apps": [{"id": app_id, "description": description}]}),
        )
    }

    /// Create an app key; its `id` is the new key's secret.
    pub fn create_key(&self, spec: &KeySpec) -> Result<Key, Error> {
        let user = self.pat_user("creating a key")?;
        ScopeSet::parse(spec.scopes.iter()).map_err(|n| Error::InvalidArgument(format!("unknown scope {n:?}")))?;
        for e in &spec.endpoints {
            if catalog().endpoint(e).is_none() {
                return Err(Error::UnknownEndpoint(e.clone()));
            }
        }
        crate::credential::validate_id("app_id", &spec.app.app_id)?;
        crate::credential::validate_id("user_id", &spec.app.user_id)?;
        let scopes: Vec<String> =
            spec.scopes.iter().filter_map(|s| crate::scope::Scope::parse(s)).map(|s| s.name().to_string()).collect();
        let resp = self.call(
            "PostKeys",
            &json!({
                "user_app_id": {"user_id": user},
                "keys": [{
                    "description": spec.description,
                    "scopes": scopes,
                    "endpoints": spec.endpoints,
                    "apps": [{"id": spec.app.app_id, "user_id": spec.app.user_id}],
                }]
            }),
        )?;
        let key = resp.body().get("keys").and_then(|k| k.get(0)).ok_or_else(|| Error::MalformedResponse {
            http_status: resp.http_status,
            message: "PostKeys response without keys".into(),
        })?;
        parse_key(key).ok_or_else(|| Error::MalformedResponse { http_status: resp.http_status, message: "malformed key".into() })
    }

    /// Every key of the PAT's user.
    pub fn list_keys(&self) -> Result<Vec<Key>, Error> {
        let user = self.pat_user("listing keys")?;
        let resp = self.call("ListKeys", &json!({"user_app_id": {"user_id": user}, "per_page": 1000}))?;
        Ok(resp.body().get("keys").and_then(Value::as_array).map(|a| a.iter().filter_map(parse_key).collect()).unwrap_or_default())
    }

    pub fn delete_key(&self, key_id: &str) -> Result<(), Error> {
        crate::credential::validate_token("key id", key_id)?;
        let user = self.pat_user("deleting a key")?;
        self.call("DeleteKey", &json!({"user_app_id": {"user_id": user}, "key_id": key_id}))?;
        Ok(())
    }

    /// Replace a key by a new one with the same description, scopes, endpoints and app. The old
    /// key is deleted only once the new one exists; if that deletion fails, both keys work and
    /// the error is [`Error::RotationIncomplete`] naming both.
    pub fn rotate_key(&self, key_id: &str) -> Result<Key, Error> {
        crate::credential::validate_token("key id", key_id)?;
        let old = self
            .list_keys()?
            .into_iter()
            .find(|k| k.id.expose() == key_id)
            .ok_or_else(|| Error::InvalidArgument("no key with that id belongs to this user".into()))?;
        let app = old.apps.first().cloned().ok_or_else(|| Error::MalformedResponse {
            http_status: 200,
            message: "the key to rotate is bound to no app".into(),
        })?;
        let new = self.create_key(&KeySpec {
            description: old.description.clone(),
            scopes: old.scopes.clone(),
            endpoints: old.endpoints.clone(),
            app,
        })?;
        if let Err(e) = self.delete_key(key_id) {
            return Err(Error::RotationIncomplete {
                new_key_id: redacted_id(new.id.expose()),
                old_key_id: redacted_id(key_id),
                source: Box::new(e),
            });
        }
        Ok(new)
    }
}

/// MyScopes lists the endpoints a credential may call: its endpoint grant when it has one, and
/// (as the API and the emulator answer) every endpoint its scopes allow when it has none. A list
/// equal to what the scopes allow restricts nothing, so it is not kept as a grant; otherwise a
/// preflight would name endpoints "missing" that only lack scopes.
fn endpoint_grant(listed: Vec<String>, kind: CredentialKind, scopes: &ScopeSet) -> Vec<String> {
    if listed.is_empty() {
        return listed;
    }
    let unrestricted = Grant { scopes: *scopes, endpoints: Vec::new() };
    let closure = scopes.closure();
    let allowed: std::collections::HashSet<&str> = catalog()
        .endpoints()
        .iter()
        .filter(|e| authorize_with_closure(e, kind, &unrestricted, &closure).is_ok())
        .map(|e| e.name.as_str())
        .collect();
    let named: std::collections::HashSet<&str> =
        listed.iter().map(|e| e.strip_prefix("/clarifai.api.V2/").unwrap_or(e)).collect();
    if named == allowed {
        Vec::new()
    } else {
        listed
    }
}

/// Key ids are secrets: name them by their last four characters only.
fn redacted_id(id: &str) -> String {
    let tail: String = id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("…{tail}")
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

fn parse_key(v: &Value) -> Option<Key> {
    Some(Key {
        id: Secret::new(v.get("id")?.as_str()?.to_string()),
        description: v.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
        scopes: string_list(v.get("scopes")),
        endpoints: string_list(v.get("endpoints")),
        apps: v
            .get("apps")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|app| {
                        Some(UserAppId {
                            user_id: app.get("user_id").and_then(Value::as_str).unwrap_or("me").to_string(),
                            app_id: app.get("id")?.as_str()?.to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
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

/// How long to wait before retrying, or `None` to give up now.
fn retry_delay(e: &Error, method: Method, attempt: u32, policy: &RetryPolicy) -> Option<Duration> {
    let backoff = || {
        // Doubling, but never past max_delay: many retries must not mean minutes of waiting.
        let cap = policy.base_delay.saturating_mul(1u32 << attempt.min(16)).min(policy.max_delay);
        let nanos = cap.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(if nanos == 0 { 0 } else { jitter() % nanos })
    };
    match e {
        // Never connected: nothing was sent, any method may go again.
        Error::Transport { kind: TransportKind::Connect, .. } => Some(backoff()),
        Error::Api(api) if api.status.code == crate::error::code::CONN_THROTTLED || api.http_status == 429 => {
            // The API did not run a throttled request. Wait as told, if not too long.
            let wait = api.retry_after.unwrap_or_else(backoff);
            (wait <= policy.max_delay).then_some(wait)
        }
        Error::Api(api) if matches!(api.http_status, 502..=504) && method.is_idempotent() => Some(backoff()),
        Error::MalformedResponse { http_status, .. } if matches!(http_status, 502..=504) && method.is_idempotent() => {
            Some(backoff())
        }
        _ => None,
    }
}

fn jitter() -> u64 {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1);
            let addr = &t as *const u64 as u64;
            (t ^ addr.rotate_left(32)) | 1
        });
    }
    STATE.with(|s| {
        // xorshift64*: plenty for spreading retries.
        let mut x = s.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

pub(crate) fn base64_encode(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 { T[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if chunk.len() > 2 { T[n as usize & 63] as char } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn retries_only_what_is_safe() {
        let p = RetryPolicy::default();
        let api = |http: u16, code: u32, ra: Option<u64>| {
            Error::Api(Box::new(crate::error::ApiError {
                http_status: http,
                status: crate::response::Status { code, ..Default::default() },
                missing: Default::default(),
                retry_after: ra.map(Duration::from_secs),
                headers: vec![],
            }))
        };
        assert!(retry_delay(&api(503, 10020, None), Method::Get, 0, &p).is_some());
        assert!(retry_delay(&api(503, 10020, None), Method::Post, 0, &p).is_none());
        assert_eq!(retry_delay(&api(429, 11005, Some(1)), Method::Post, 0, &p), Some(Duration::from_secs(1)));
        assert!(retry_delay(&api(429, 11005, Some(30)), Method::Get, 0, &p).is_none());
        assert!(retry_delay(&Error::transport(TransportKind::Timeout, "t"), Method::Get, 0, &p).is_none());
        assert!(retry_delay(&Error::transport(TransportKind::Connect, "c"), Method::Post, 0, &p).is_some());
        assert!(retry_delay(&api(401, 11009, None), Method::Get, 0, &p).is_none());
    }
}
