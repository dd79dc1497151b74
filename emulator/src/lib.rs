//! A local emulator of the Clarifai V2 API's authentication and authorization layer.
//!
//! It routes every RPC of the core's endpoint catalogue ([`clarifai::catalog()`]), authorizes
//! each request with the same rule the client's preflight uses
//! ([`clarifai::authorize::authorize`]), answers with the API's status codes and HTTP statuses, and
//! keeps enough state (inputs, concepts, models, workflows, annotations, keys, apps) for real
//! programs and the official clients to run against it offline.
//!
//! ```no_run
//! use clarifai_emulator::{Emulator, KeySpec};
//! let emu = Emulator::start_default()?;
//! let predict_only = emu.add_key(KeySpec::new(&["Predict"]).endpoints(&["PostModelOutputs"]))?;
//! println!("{} {} {}", emu.url(), emu.api_key(), predict_only);
//! # Ok::<(), clarifai_emulator::Error>(())
//! ```
//!
//! Every response carries `X-Clarifai-Emulator-Route: <METHOD> <path>` and, when the path
//! routed, `X-Clarifai-Emulator-Endpoint: <RPC>`.

mod admin;
mod api;
mod auth;
mod body;
mod config;
mod cors;
mod data;
mod faults;
mod handlers;
mod headers;
mod legacy;
mod log;
mod query;
mod reply;
mod seed;
mod server;
mod shared;
mod store;
mod time;
mod tls;
mod token;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use clarifai::CredentialKind;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

pub use config::{Cli, Config, DEFAULT_LOG_CAPACITY, DEFAULT_MAX_BODY_BYTES, USAGE};
pub use faults::{Fault, FaultRule, FaultTarget};
pub use headers::{CONNECTION_HEADER, ENDPOINT_HEADER, ROUTE_HEADER};
pub use log::{credential_kind_name, RequestRecord};
pub use seed::{
    AppSeed, DemoSeed, KeySpec, LegacyClientSeed, ModelSeed, Seed, UserSeed, DEMO_APP_ID, DEMO_USER_ID,
    GENERAL_MODEL_ALIAS, GENERAL_MODEL_ID, GENERAL_MODEL_VERSION_ID, GENERAL_WORKFLOW_ID, PUBLIC_APP_ID,
    PUBLIC_USER_ID,
};

/// The header admin routes check.
pub const ADMIN_TOKEN_HEADER: &str = "X-Emulator-Admin-Token";

/// Why the emulator could not start or refused a runtime change. Never contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("seed: {0}")]
    Seed(String),
    #[error("invalid fault spec {spec:?}: {message}")]
    FaultSpec { spec: String, message: String },
    #[error("invalid key: {0}")]
    InvalidKey(String),
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a started emulator tells its clients: the binary prints exactly this as one JSON line.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    /// `http://127.0.0.1:PORT` (or `https://` with TLS); no trailing slash.
    pub url: String,
    /// The demo user.
    pub user_id: String,
    /// The demo user's app.
    pub app_id: String,
    /// A Personal Access Token of the demo user, scope `All`.
    pub pat: String,
    /// An app key of the demo app, scope `All`.
    pub api_key: String,
    /// For the admin routes' `X-Emulator-Admin-Token` header.
    pub admin_token: String,
    /// With TLS: the PEM file of the CA that signed the server's certificate.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ca_file: Option<PathBuf>,
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Details")
            .field("url", &self.url)
            .field("user_id", &self.user_id)
            .field("app_id", &self.app_id)
            .field("pat", &"[redacted]")
            .field("api_key", &"[redacted]")
            .field("admin_token", &"[redacted]")
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// A running emulator. Dropping it stops it.
pub struct Emulator {
    details: Details,
    addr: SocketAddr,
    shared: Arc<shared::Shared>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
    // Holds the CA file; removed when the emulator is dropped.
    _ca_dir: Option<tempfile::TempDir>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator").field("details", &self.details).finish_non_exhaustive()
    }
}

impl Emulator {
    /// Start serving on `config.listen`, on a runtime of its own (callers need none).
    pub fn start(config: Config) -> Result<Emulator, Error> {
        let store = store::Store::default();
        let demo = seed::populate(&store, config.seed.as_ref().unwrap_or(&Seed::default()))?;
        let tls = if config.tls { Some(tls::generate()?) } else { None };
        let ca_dir = match &tls {
            Some(t) => {
                let dir = tempfile::Builder::new().prefix("clarifai-emulator-").tempdir()?;
                std::fs::write(dir.path().join("ca.pem"), &t.ca_pem)?;
                Some(dir)
            }
            None => None,
        };

        let listener = std::net::TcpListener::bind(config.listen)
            .map_err(|source| Error::Listen { addr: config.listen, source })?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let details = Details {
            url: format!("{}://{addr}", if tls.is_some() { "https" } else { "http" }),
            user_id: demo.user_id,
            app_id: demo.app_id,
            pat: demo.pat,
            api_key: demo.api_key,
            admin_token: token::random_token(),
            ca_file: ca_dir.as_ref().map(|d| d.path().join("ca.pem")),
        };
        let shared =
            Arc::new(shared::Shared::new(store, details.clone(), config.max_body_bytes, config.request_log_capacity));
        for rule in config.faults {
            shared.faults.add(rule);
        }

        let workers =
            config.worker_threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .thread_name("clarifai-emulator-worker")
            .enable_all()
            .build()?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let (stop, stopped) = watch::channel(false);
        let serving = Arc::clone(&shared);
        let acceptor = tls.map(|t| t.acceptor);
        let thread = std::thread::Builder::new().name("clarifai-emulator".into()).spawn(move || {
            runtime.block_on(server::serve(listener, acceptor, serving, stopped));
            // Open keep-alive connections end with the runtime.
            runtime.shutdown_timeout(Duration::from_millis(200));
        })?;
        Ok(Emulator { details, addr, shared, stop, thread: Some(thread), _ca_dir: ca_dir })
    }

    /// [`Emulator::start`] with [`Config::default`]: plain HTTP on a free loopback port.
    pub fn start_default() -> Result<Emulator, Error> {
        Emulator::start(Config::default())
    }

    /// `http://127.0.0.1:PORT` (or `https://…`), without a trailing slash.
    pub fn url(&self) -> &str {
        &self.details.url
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn user_id(&self) -> &str {
        &self.details.user_id
    }

    pub fn app_id(&self) -> &str {
        &self.details.app_id
    }

    /// The demo user's PAT (scope `All`).
    pub fn pat(&self) -> &str {
        &self.details.pat
    }

    /// The demo app's key (scope `All`).
    pub fn api_key(&self) -> &str {
        &self.details.api_key
    }

    pub fn admin_token(&self) -> &str {
        &self.details.admin_token
    }

    /// With TLS: the CA certificate (PEM) to trust.
    pub fn ca_file(&self) -> Option<&Path> {
        self.details.ca_file.as_deref()
    }

    /// Everything above, as the binary prints it.
    pub fn details(&self) -> &Details {
        &self.details
    }

    /// Create an app key; returns its token. Defaults: the demo user and its demo app.
    pub fn add_key(&self, spec: KeySpec) -> Result<String, Error> {
        self.add_credential(CredentialKind::ApiKey, spec)
    }

    /// Create a Personal Access Token; returns it. Default user: the demo user.
    pub fn add_pat(&self, spec: KeySpec) -> Result<String, Error> {
        self.add_credential(CredentialKind::Pat, spec)
    }

    fn add_credential(&self, kind: CredentialKind, spec: KeySpec) -> Result<String, Error> {
        let new = spec.to_new(kind, &self.details.user_id, &self.details.app_id);
        let record = self.shared.store.insert_credential(new).map_err(|e| Error::InvalidKey(e.to_string()))?;
        Ok(record.token.clone())
    }

    /// Create a user (no-op when it exists).
    pub fn add_user(&self, user_id: &str) -> Result<(), Error> {
        self.shared.store.create_user(user_id).map_err(|e| Error::Seed(e.to_string()))
    }

    /// Create an app of an existing user, with its collaborators, visibility and models.
    pub fn add_app(&self, user_id: &str, app: &AppSeed) -> Result<(), Error> {
        seed::create_app(&self.shared.store, user_id, app)
    }

    /// Add a fault rule (after those already in force).
    pub fn set_fault(&self, rule: FaultRule) {
        self.shared.faults.add(rule);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// The rules in force (rules with `times` disappear once used up).
    pub fn faults(&self) -> Vec<FaultRule> {
        self.shared.faults.list()
    }

    /// API requests seen so far, oldest first (the most recent `request_log_capacity`).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.log.snapshot()
    }

    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// Connections accepted since the emulator started (also `GET /_emulator/connections`).
    pub fn connections_accepted(&self) -> u64 {
        self.shared.connections_accepted()
    }

    /// Stop serving and wait until the server thread is gone.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
