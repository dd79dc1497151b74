//! HTTP: the only module that knows it.
//!
//! A blocking HTTP/1.1 client (ureq) with one keep-alive pool per [`crate::Client`], used on the
//! caller's own thread: no runtime and no thread hop per call, so a blocking call costs about
//! one loopback round trip. Redirects are followed here, by hand, so that the `Authorization`
//! header never reaches another origin and `https` never downgrades to `http`.
//!
//! `fork()`: a child must not touch the parent's pooled sockets (a TLS session cannot be shared)
//! nor any lock another thread held at the time of the fork, so the agent is a
//! [`ForkLocal`]: rebuilt in the child, the parent's one left alone.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::http::{self, Uri};
use ureq::tls::{PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::Agent;

use crate::catalog::Method;
use crate::error::{Error, TransportKind};
use crate::fork::ForkLocal;

/// Transport settings, fixed when a client is built.
#[derive(Clone, Debug)]
pub struct TransportConfig {
    pub connect_timeout: Duration,
    /// The whole exchange, body included.
    pub timeout: Duration,
    pub user_agent: String,
    /// PEM file of CA certificates to trust instead of the platform's roots.
    pub ca_file: Option<std::path::PathBuf>,
    /// Responses larger than this fail with [`TransportKind::BodyTooLarge`].
    pub max_response_bytes: u64,
    pub max_redirects: u32,
    /// Use `HTTP(S)_PROXY`/`ALL_PROXY`/`NO_PROXY` from the environment.
    pub proxy_from_env: bool,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            user_agent: format!("clarifai-core/{} (rust)", env!("CARGO_PKG_VERSION")),
            ca_file: None,
            max_response_bytes: 64 * 1024 * 1024,
            max_redirects: 5,
            proxy_from_env: true,
        }
    }
}

/// One request as the transport sends it.
pub(crate) struct HttpRequest<'a> {
    pub method: Method,
    pub url: &'a str,
    pub authorization: Option<&'a str>,
    pub body: Option<&'a [u8]>,
}

/// An answer of any HTTP status.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::response::find_header(&self.headers, name)
    }
}

pub(crate) struct Transport {
    config: TransportConfig,
    tls: TlsConfig,
    agent: ForkLocal<Agent>,
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Transport, Error> {
        let roots = match &config.ca_file {
            Some(path) => RootCerts::new_with_certs(&load_ca_file(path)?),
            None => RootCerts::PlatformVerifier,
        };
        let tls = TlsConfig::builder().root_certs(roots).build();
        let agent = ForkLocal::new(build_agent(&config, &tls));
        Ok(Transport { config, tls, agent })
    }

    fn agent(&self) -> Agent {
        self.agent.get(|| build_agent(&self.config, &self.tls)).clone()
    }

    /// Send one request, following redirects as described in the module docs.
    pub fn send(&self, req: &HttpRequest<'_>) -> Result<HttpResponse, Error> {
        let agent = self.agent();
        let mut url: Uri = req.url.parse().map_err(|_| Error::InvalidArgument(format!("invalid URL {:?}", req.url)))?;
        let origin = Origin::of(&url)?;
        let mut method = req.method;
        let mut body = req.body;
        let mut authorization = req.authorization;
        for _ in 0..=self.config.max_redirects {
            let resp = self.send_once(&agent, method, &url, authorization, body)?;
            if !matches!(resp.status, 301 | 302 | 303 | 307 | 308) {
                return Ok(resp);
            }
            let Some(location) = resp.header("location") else { return Ok(resp) };
            let next = resolve_location(&url, location)?;
            let next_origin = Origin::of(&next)?;
            if origin.https && !next_origin.https {
                return Err(Error::transport(
                    TransportKind::Redirect,
                    format!("refused a redirect from https to http ({})", next_origin),
                ));
            }
            if next_origin != origin {
                // Credentials are for the API's origin only.
                authorization = None;
            }
            if (301..=303).contains(&resp.status) && method != Method::Get {
                method = Method::Get;
                body = None;
            }
            url = next;
        }
        Err(Error::transport(TransportKind::Redirect, format!("more than {} redirects", self.config.max_redirects)))
    }

    fn send_once(
        &self,
        agent: &Agent,
        method: Method,
        url: &Uri,
        authorization: Option<&str>,
        body: Option<&[u8]>,
    ) -> Result<HttpResponse, Error> {
        let mut builder = http::Request::builder()
            .method(method.as_str())
            .uri(url.clone())
            .header("accept", "application/json");
        if let Some(a) = authorization {
            builder = builder.header("authorization", a);
        }
        let result = match body {
            Some(b) => {
                let request = builder
                    .header("content-type", "application/json")
                    .body(b)
                    .map_err(|e| Error::InvalidArgument(format!("cannot build request: {e}")))?;
                agent.run(request)
            }
            None => {
                let request = builder.body(()).map_err(|e| Error::InvalidArgument(format!("cannot build request: {e}")))?;
                agent.run(request)
            }
        };
        let mut response = result.map_err(|e| map_error(e, &self.config))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let limit = self.config.max_response_bytes;
        let mut body = Vec::new();
        // Read through a Take one byte past the limit, so an oversized body is detected without
        // buffering more than the limit.
        let reader = response.body_mut().with_config().limit(u64::MAX).reader();
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|e| map_io_error(e, &self.config))?;
        if body.len() as u64 > limit {
            return Err(Error::transport(
                TransportKind::BodyTooLarge,
                format!("response body exceeds the {limit}-byte limit"),
            ));
        }
        Ok(HttpResponse { status, headers, body })
    }
}

/// Resolves without a thread per request: IP literals directly, host names once per
/// [`DNS_TTL`] (ureq's default resolver spawns a thread for every lookup that has a timeout,
/// and looks up even when a pooled connection is reused: a thread per call).
#[derive(Debug, Default)]
struct CachingResolver {
    fallback: DefaultResolver,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

const DNS_TTL: Duration = Duration::from_secs(30);

impl Resolver for CachingResolver {
    fn resolve(&self, uri: &Uri, config: &ureq::config::Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            let mut out = self.fallback.empty();
            out.push(SocketAddr::new(ip, port));
            return Ok(out);
        }
        let key = format!("{host}:{port}");
        if let Some((at, addrs)) = self.cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            if at.elapsed() < DNS_TTL {
                return Ok(addrs.clone());
            }
        }
        let addrs = self.fallback.resolve(uri, config, timeout)?;
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).insert(key, (Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}

fn build_agent(config: &TransportConfig, tls: &TlsConfig) -> Agent {
    let mut b = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(config.timeout))
        .timeout_connect(Some(config.connect_timeout))
        .user_agent(config.user_agent.as_str())
        .tls_config(tls.clone())
        .max_idle_connections(256)
        .max_idle_connections_per_host(256)
        .no_delay(true);
    if !config.proxy_from_env {
        b = b.proxy(None);
    }
    Agent::with_parts(b.build(), DefaultConnector::default(), CachingResolver::default())
}

fn load_ca_file(path: &std::path::Path) -> Result<Vec<ureq::tls::Certificate<'static>>, Error> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::InvalidArgument(format!("cannot read CA file {}: {e}", path.display())))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => return Err(Error::InvalidArgument(format!("CA file {} is not valid PEM: {e}", path.display()))),
        }
    }
    if certs.is_empty() {
        return Err(Error::InvalidArgument(format!("CA file {} holds no certificate", path.display())));
    }
    Ok(certs)
}

/// rustls reports handshake failures through io::Error; its source is a `rustls::Error`.
fn is_tls_failure(io: &std::io::Error) -> bool {
    let text = io.to_string();
    io.get_ref().is_some_and(|inner| inner.is::<ureq::Error>() && text.contains("certificate"))
        || text.contains("invalid peer certificate")
        || text.contains("received fatal alert")
        || text.contains("peer is incompatible")
        || text.contains("HandshakeFailure")
}

fn map_io_error(e: std::io::Error, config: &TransportConfig) -> Error {
    // ureq surfaces its own errors through io::Error when reading a body.
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
        let text = inner.to_string();
        return match inner {
            ureq::Error::Timeout(_) => Error::transport(TransportKind::Timeout, timeout_message(config)),
            _ => Error::transport(TransportKind::Io, text),
        };
    }
    if is_tls_failure(&e) {
        return Error::transport(TransportKind::Tls, e.to_string());
    }
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            Error::transport(TransportKind::Timeout, timeout_message(config))
        }
        _ => Error::transport(TransportKind::Io, format!("reading the response: {e}")),
    }
}

fn timeout_message(config: &TransportConfig) -> String {
    format!("no complete response within {} ms", config.timeout.as_millis())
}

fn map_error(e: ureq::Error, config: &TransportConfig) -> Error {
    use ureq::Error as U;
    match e {
        U::Timeout(t) => {
            let which = format!("{t:?}");
            if which == "Connect" {
                Error::transport(TransportKind::Timeout, format!("no connection within {} ms", config.connect_timeout.as_millis()))
            } else {
                Error::transport(TransportKind::Timeout, timeout_message(config))
            }
        }
        U::HostNotFound => Error::transport(TransportKind::Dns, "host not found"),
        U::ConnectionFailed => Error::transport(TransportKind::Connect, "could not connect"),
        U::Io(io) if is_tls_failure(&io) => Error::transport(TransportKind::Tls, io.to_string()),
        U::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => Error::transport(TransportKind::Connect, "connection refused"),
            std::io::ErrorKind::TimedOut => Error::transport(TransportKind::Timeout, timeout_message(config)),
            std::io::ErrorKind::NotFound if io.to_string().contains("resolve") => {
                Error::transport(TransportKind::Dns, io.to_string())
            }
            _ => {
                let text = io.to_string();
                if text.contains("failed to lookup address") || text.contains("Name or service not known") {
                    Error::transport(TransportKind::Dns, text)
                } else {
                    Error::transport(TransportKind::Io, text)
                }
            }
        },
        U::Tls(m) => Error::transport(TransportKind::Tls, m),
        U::Rustls(r) => Error::transport(TransportKind::Tls, r.to_string()),
        U::Pem(p) => Error::transport(TransportKind::Tls, p.to_string()),
        U::BodyExceedsLimit(n) => Error::transport(TransportKind::BodyTooLarge, format!("response body exceeds {n} bytes")),
        U::TooManyRedirects | U::RedirectFailed => Error::transport(TransportKind::Redirect, e.to_string()),
        U::BadUri(u) => Error::InvalidArgument(format!("invalid URL: {u}")),
        other => Error::transport(TransportKind::Io, other.to_string()),
    }
}

/// scheme, host and port: what a credential is bound to.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &Uri) -> Result<Origin, Error> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(Error::InvalidArgument(format!("URL {uri} is not http or https"))),
        };
        let host = uri.host().ok_or_else(|| Error::InvalidArgument(format!("URL {uri} has no host")))?;
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(Origin { https, host: host.to_ascii_lowercase(), port })
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", if self.https { "https" } else { "http" }, self.host, self.port)
    }
}

fn resolve_location(base: &Uri, location: &str) -> Result<Uri, Error> {
    let bad = || Error::transport(TransportKind::Redirect, "redirect with an unusable Location");
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.parse().map_err(|_| bad());
    }
    if location.starts_with('/') && !location.starts_with("//") {
        let scheme = base.scheme_str().ok_or_else(bad)?;
        let authority = base.authority().ok_or_else(bad)?;
        return format!("{scheme}://{authority}{location}").parse().map_err(|_| bad());
    }
    Err(bad())
}

/// Whether a base URL may use plain `http://`: loopback only, unless the caller opted in.
pub(crate) fn check_base_url(base: &str, allow_insecure_http: bool) -> Result<(), Error> {
    let uri: Uri = base.parse().map_err(|_| Error::InvalidArgument(format!("base URL {base:?} is not a URL")))?;
    let origin = Origin::of(&uri)?;
    if !origin.https && !allow_insecure_http && !is_loopback(&origin.host) {
        return Err(Error::transport(
            TransportKind::InsecureUrl,
            format!(
                "refusing plain http to {}: credentials would cross the network unencrypted; use https, or opt in with danger_allow_insecure_http",
                origin.host
            ),
        ));
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") || h.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    h.parse::<IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback_unless_opted_in() {
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://127.9.0.1", false).is_ok());
        assert!(check_base_url("http://[::1]:9", false).is_ok());
        assert!(check_base_url("http://localhost:9", false).is_ok());
        let e = check_base_url("http://api.clarifai.com", false).unwrap_err();
        assert!(matches!(e, Error::Transport { kind: TransportKind::InsecureUrl, .. }), "{e}");
        assert!(check_base_url("http://api.clarifai.com", true).is_ok());
        assert!(check_base_url("https://api.clarifai.com", false).is_ok());
        assert!(check_base_url("ftp://x", false).is_err());
    }

    #[test]
    fn relative_locations_resolve_against_the_origin() {
        let base: Uri = "http://127.0.0.1:5/v2/inputs".parse().unwrap();
        assert_eq!(resolve_location(&base, "/v2/x").unwrap().to_string(), "http://127.0.0.1:5/v2/x");
        assert_eq!(resolve_location(&base, "https://e.test/y").unwrap().to_string(), "https://e.test/y");
        assert!(resolve_location(&base, "//evil.test/y").is_err());
    }
}
