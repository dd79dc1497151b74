//! Building a [`Client`]: the base URL, the transport settings, retries and concurrency.

use std::sync::Arc;
use std::time::Duration;

use super::legacy::LegacyExchange;
use super::{AuthState, Client, RetryPolicy, Shared};
use crate::catalog::catalog;
use crate::credential::Credential;
pub use crate::defaults::DEFAULT_BASE_URL;
use crate::defaults::{DEFAULT_MAX_CONCURRENCY, MAX_RETRIES_LIMIT};
use crate::error::Error;
use crate::fork::ForkCell;
use crate::transport::{check_base_url, Transport, TransportConfig};

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
pub(crate) enum Source {
    Fixed(Credential),
    ClientCredentials(LegacyExchange),
    /// No credential: requests carry no `Authorization` header (the API answers 11102), unless
    /// a view made with [`Client::with_credential`] gives one. For front ends whose calls
    /// bring their own credential, as the docs' gRPC form passes it in metadata.
    None,
}

impl ClientBuilder {
    pub(crate) fn new(source: Source) -> ClientBuilder {
        ClientBuilder {
            source,
            base_url: None,
            transport: TransportConfig::default(),
            allow_insecure_http: crate::defaults::DEFAULT_DANGER_ALLOW_INSECURE_HTTP,
            max_concurrency: DEFAULT_MAX_CONCURRENCY as usize,
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

    /// The whole call: every redirect, retry and backoff, and the body. A call that is not
    /// done by then fails with a timeout error.
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

    /// The largest response body accepted, after decompression.
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.transport.max_response_bytes = n;
        self
    }

    /// Use the proxies the environment names, as curl reads them: `https_proxy`/`HTTPS_PROXY`
    /// for https, `http_proxy`/`HTTP_PROXY` for http, `all_proxy`/`ALL_PROXY` for both,
    /// `no_proxy`/`NO_PROXY` for hosts that go direct (default on; loopback hosts always go
    /// direct). https is tunnelled with `CONNECT`, so TLS stays end to end.
    pub fn proxy_from_env(mut self, on: bool) -> Self {
        self.transport.proxy_from_env = on;
        self
    }

    /// Send every request through this `http://[user:password@]host:port` (or `https://`)
    /// proxy, whatever the environment says (https is tunnelled with `CONNECT`, so TLS stays end
    /// to end).
    pub fn proxy(mut self, url: &str) -> Self {
        self.transport.proxy = Some(url.to_string());
        self
    }

    /// Speak HTTP/2 from the first byte over plain `http://` (h2c, as the emulator serves it),
    /// instead of HTTP/1.1. Over https, HTTP/2 is negotiated by ALPN without this; with it,
    /// only `h2` is offered.
    pub fn http2_prior_knowledge(mut self, on: bool) -> Self {
        self.transport.http2_prior_knowledge = on;
        self
    }

    /// Allow plain `http://` to a host that is not loopback: credentials cross the network in
    /// clear text.
    pub fn danger_allow_insecure_http(mut self, on: bool) -> Self {
        self.allow_insecure_http = on;
        self
    }

    /// Most asynchronous or batched calls in flight at once (default 128; at least 1).
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = n;
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Check every setting (the C options and every binding come through here, so all front
    /// ends accept and refuse the same values) and build the client.
    pub fn build(self) -> Result<Client, Error> {
        let base = match self.base_url {
            Some(b) => b,
            None => std::env::var("CLARIFAI_API_BASE")
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.into()),
        };
        let base = base.trim_end_matches('/').to_string();
        check_base_url(&base, self.allow_insecure_http)?;
        let invalid = |m: &str| Err(Error::InvalidArgument(m.to_string()));
        if self.transport.timeout.is_zero() || self.transport.connect_timeout.is_zero() {
            return invalid("timeouts must be greater than zero");
        }
        let ua = &self.transport.user_agent;
        if ua.is_empty() || !ua.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return invalid("the user agent must be non-empty printable ASCII");
        }
        if self.max_concurrency == 0 {
            return invalid("max concurrency must be at least 1");
        }
        if self.transport.max_response_bytes == 0 {
            return invalid("max response bytes must be at least 1");
        }
        if self.retry.max_retries > MAX_RETRIES_LIMIT {
            return Err(Error::InvalidArgument(format!("max retries must be at most {MAX_RETRIES_LIMIT}")));
        }
        // Build the catalogue now rather than on first call, off any other thread's path.
        let _ = catalog();
        let timeout = self.transport.timeout;
        let mut transport_config = self.transport;
        transport_config.max_idle_per_host = self.max_concurrency;
        let transport = Transport::new(transport_config)?;
        let shared = Arc::new(Shared {
            base_url: base,
            transport,
            timeout,
            max_concurrency: self.max_concurrency,
            in_flight: ForkCell::new(),
            retry: self.retry,
        });
        Ok(Client { shared, auth: Arc::new(AuthState::new(self.source)) })
    }
}
