//! HTTP: the only module that knows it. reqwest on the library's runtime does the protocol
//! (HTTP/1.1 and HTTP/2, TLS, pooling, proxies, redirects, decompression); this module decides
//! how it is configured and turns what comes back into the library's values and errors.
//!
//! - TLS is rustls, verified against the platform's roots or a given CA file ([`tls`]).
//! - HTTP/2 by ALPN over TLS, learned per configuration without a cold burst opening a
//!   connection per request ([`negotiate`]); over plain http (the emulator) only with
//!   [`TransportConfig::http2_prior_knowledge`].
//! - Redirects: the `Authorization` header is dropped when the host or port changes (reqwest),
//!   a redirect from https to http or to another scheme on the same host is refused, and so is
//!   one past `max_redirects`. No `Referer`: a path may hold a key id, which is a secret.
//! - Responses are decompressed (gzip, deflate) and read in chunks, and fail
//!   with [`TransportKind::BodyTooLarge`] once the decompressed size passes the limit.
//! - Errors are classified from reqwest's source chain, never from its `Display` (which names
//!   the URL, and a path may hold a key id).
//!
//! `fork()`: the reqwest clients (and their pooled connections, whose tasks live on the
//! parent's runtime) are rebuilt in a child, the inherited ones left alone ([`ForkCell`]).

mod negotiate;
mod proxy_env;
mod tls;
mod upload;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use crate::catalog::Method;
use crate::error::{Error, TransportKind};
use crate::fork::ForkCell;
use negotiate::{Learn, Negotiation, Protocol};
use proxy_env::ProxyPlan;
use tls::Roots;

/// Transport settings, fixed when a client is built.
#[derive(Clone, Debug)]
pub struct TransportConfig {
    pub connect_timeout: Duration,
    /// The whole call: every redirect hop, retry and backoff, body included.
    pub timeout: Duration,
    pub user_agent: String,
    /// PEM file of CA certificates to trust instead of the platform's roots.
    pub ca_file: Option<std::path::PathBuf>,
    /// Responses larger than this (after decompression) fail with
    /// [`TransportKind::BodyTooLarge`].
    pub max_response_bytes: u64,
    pub max_redirects: u32,
    /// Use `https_proxy`/`http_proxy`/`all_proxy`/`no_proxy` from the environment (loopback
    /// hosts always go direct).
    pub proxy_from_env: bool,
    /// An `http://[user:password@]host:port` proxy for every request (wins over the environment).
    pub proxy: Option<String>,
    /// Speak HTTP/2 from the first byte over plain `http://` (h2c, as the emulator serves it);
    /// over https, offer only `h2` by ALPN.
    pub http2_prior_knowledge: bool,
    /// Idle HTTP/1.1 connections kept per host: more than the calls that can be in flight at
    /// once would never be used.
    pub max_idle_per_host: usize,
}

impl Default for TransportConfig {
    fn default() -> Self {
        use crate::defaults as d;
        TransportConfig {
            connect_timeout: Duration::from_millis(d::DEFAULT_CONNECT_TIMEOUT_MS),
            timeout: Duration::from_millis(d::DEFAULT_TIMEOUT_MS),
            user_agent: format!("clarifai-core/{} (rust)", env!("CARGO_PKG_VERSION")),
            ca_file: None,
            max_response_bytes: d::DEFAULT_MAX_RESPONSE_BYTES,
            max_redirects: d::DEFAULT_MAX_REDIRECTS,
            proxy_from_env: d::DEFAULT_PROXY_FROM_ENV,
            proxy: None,
            http2_prior_knowledge: d::DEFAULT_HTTP2_PRIOR_KNOWLEDGE,
            max_idle_per_host: d::DEFAULT_MAX_CONCURRENCY as usize,
        }
    }
}

/// An `Authorization` header value: checked once, marked sensitive (HTTP/2 never indexes it),
/// shared by every request of a credential without a copy, and wiped when the last request
/// holding it is done.
#[derive(Clone)]
pub(crate) struct Authorization(HeaderValue);

impl Authorization {
    pub fn new(value: &str) -> Result<Authorization, Error> {
        if !is_valid_header_value(value) {
            return Err(Error::InvalidArgument("the credential holds a control character".into()));
        }
        let bytes = Bytes::from_owner(Wiped(value.as_bytes().to_vec()));
        let mut header = HeaderValue::from_maybe_shared(bytes)
            .map_err(|_| Error::InvalidArgument("the credential cannot be sent in a header".into()))?;
        header.set_sensitive(true);
        Ok(Authorization(header))
    }

    /// The header's text, for the gRPC metadata a caller asked for. Do not log it.
    pub fn expose(&self) -> &str {
        // Checked to be visible ASCII when built.
        self.0.to_str().unwrap_or_default()
    }

    /// The secret part: what follows the scheme (`Key`, `Bearer`, `Basic`).
    pub fn token(&self) -> &str {
        let v = self.expose();
        v.split_once(' ').map_or(v, |(_, token)| token.trim_start())
    }
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authorization([redacted])")
    }
}

/// Bytes zeroed when dropped.
struct Wiped(Vec<u8>);

impl AsRef<[u8]> for Wiped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Wiped {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// One request as the transport sends it.
pub(crate) struct HttpRequest<'a> {
    pub method: Method,
    pub url: &'a str,
    pub authorization: Option<&'a Authorization>,
    /// JSON; shared, not copied, when a retry sends it again.
    pub body: Option<Bytes>,
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

/// A pooled connection idle longer than this is closed rather than reused.
const IDLE_MAX: Duration = Duration::from_secs(30);
/// Bodies grow up to this much before the first chunk says more.
const INITIAL_BODY_CAPACITY: u64 = 64 * 1024;

pub(crate) struct Transport {
    config: TransportConfig,
    roots: Roots,
    proxies: ProxyPlan,
    /// The reqwest clients of this process (see the module docs on fork).
    live: ForkCell<Live>,
}

/// The reqwest clients of one configuration in one process.
struct Live {
    /// Offers `h2` and `http/1.1` by ALPN; plain http is HTTP/1.1 on it.
    alpn: reqwest::Client,
    /// HTTP/2 only (h2c over plain http, ALPN `h2` over TLS).
    h2: reqwest::Client,
    negotiation: Arc<Negotiation>,
}

impl Transport {
    /// A transport for settings already checked by the client builder.
    pub fn new(config: TransportConfig) -> Result<Transport, Error> {
        let roots = match &config.ca_file {
            Some(path) => Roots::from_ca_file(path)?,
            None => Roots::Platform,
        };
        let proxies = match &config.proxy {
            Some(url) => proxy_env::explicit(url)?,
            None if config.proxy_from_env => proxy_env::from_env(|name| std::env::var(name).ok()),
            None => ProxyPlan { proxies: Vec::new(), unusable: None },
        };
        let mut transport = Transport { config, roots, proxies, live: ForkCell::new() };
        // Built now so that a bad setting fails here; no thread starts.
        let live = transport.build_live()?;
        transport.live = ForkCell::with(live);
        Ok(transport)
    }

    fn build_live(&self) -> Result<Live, Error> {
        let negotiation = Arc::new(Negotiation::new());
        let alpn = self
            .builder(&[b"h2", b"http/1.1"])?
            .connector_layer(Learn(Arc::clone(&negotiation)))
            .build()
            .map_err(|e| setup_error(&e))?;
        let h2 = self.builder(&[b"h2"])?.http2_prior_knowledge().build().map_err(|e| setup_error(&e))?;
        Ok(Live { alpn, h2, negotiation })
    }

    fn builder(&self, alpn: &[&[u8]]) -> Result<reqwest::ClientBuilder, Error> {
        let max_redirects = self.config.max_redirects as usize;
        let mut b = reqwest::Client::builder()
            .use_preconfigured_tls(self.roots.config(alpn)?)
            .user_agent(self.config.user_agent.as_str())
            .connect_timeout(self.config.connect_timeout)
            .pool_idle_timeout(IDLE_MAX)
            .pool_max_idle_per_host(self.config.max_idle_per_host.max(1))
            .tcp_nodelay(true)
            .referer(false)
            .redirect(reqwest::redirect::Policy::custom(move |attempt| redirect(attempt, max_redirects)))
            .no_proxy();
        for p in &self.proxies.proxies {
            b = b.proxy(p.clone());
        }
        Ok(b)
    }

    fn live(&self) -> Result<&Live, Error> {
        self.live.get_or_try_init(|| self.build_live())
    }

    /// Send one request and read its whole answer. No timeout of its own: the caller bounds
    /// the whole call.
    pub async fn send(&self, req: HttpRequest<'_>) -> Result<HttpResponse, Error> {
        let live = self.live()?;
        let url =
            reqwest::Url::parse(req.url).map_err(|_| Error::InvalidArgument("the request URL is not a URL".into()))?;
        if let Some(why) = &self.proxies.unusable {
            if !url.host_str().is_some_and(is_loopback) {
                return Err(Error::transport(TransportKind::Connect, why.clone()));
            }
        }
        let https = url.scheme() == "https";
        let (client, _probe) = if self.config.http2_prior_knowledge {
            (&live.h2, None)
        } else if !https {
            (&live.alpn, None)
        } else {
            match live.negotiation.choose().await {
                (Protocol::Http2, probe) => (&live.h2, probe),
                (_, probe) => (&live.alpn, probe),
            }
        };
        let request = || {
            let mut builder = client.request(http_method(req.method), url.clone());
            if let Some(a) = req.authorization {
                builder = builder.header(AUTHORIZATION, a.0.clone());
            }
            if let Some(body) = &req.body {
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(upload::body(body.clone()));
            }
            builder.send()
        };
        let mut resp = match request().await {
            // A pooled connection the server closed as the request crossed it: nothing came
            // back, so a method safe to repeat goes once more (on a fresh connection: hyper
            // has dropped the broken one). Anything else may have run, and is reported.
            Err(e) if req.method.is_idempotent() && closed_before_answer(&e) => request().await,
            other => other,
        }
        .map_err(|e| classify(&e, &self.config))?;
        drop(_probe);
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let limit = self.config.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0).min(INITIAL_BODY_CAPACITY) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e, &self.config))? {
            if (body.len() + chunk.len()) as u64 > limit {
                // Dropping the response closes an HTTP/1.1 connection or resets an HTTP/2
                // stream: the rest is never read.
                return Err(too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, headers, body })
    }
}

fn too_large(limit: u64) -> Error {
    Error::transport(TransportKind::BodyTooLarge, format!("response body exceeds the {limit}-byte limit"))
}

fn http_method(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// Why a redirect was not followed; found again in the error's source chain.
#[derive(Debug)]
struct RedirectRefused(String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedirectRefused {}

fn redirect(attempt: reqwest::redirect::Attempt<'_>, max: usize) -> reqwest::redirect::Action {
    let previous = attempt.previous();
    let next = attempt.url();
    let (Some(first), Some(last)) = (previous.first(), previous.last()) else { return attempt.follow() };
    if first.scheme() == "https" && next.scheme() != "https" {
        let why = format!("refused a redirect from https to {}", origin(next));
        return attempt.error(RedirectRefused(why));
    }
    // reqwest drops Authorization when the host or port changes; a change of scheme alone
    // (http to https on the same port) would keep it, so it is not followed.
    if last.scheme() != next.scheme() && last.host_str() == next.host_str() && last.port() == next.port() {
        let why = format!("refused a redirect to another scheme on the same host ({})", origin(next));
        return attempt.error(RedirectRefused(why));
    }
    if previous.len() > max {
        return attempt.error(RedirectRefused(format!("more than {max} redirects")));
    }
    attempt.follow()
}

/// `scheme://host:port`, without path or user info (either may hold a secret).
fn origin(url: &reqwest::Url) -> String {
    format!("{}://{}:{}", url.scheme(), url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

fn setup_error(e: &reqwest::Error) -> Error {
    Error::InvalidArgument(format!("cannot set up HTTP: {}", chain(e)))
}

/// The messages of an error's sources, without reqwest's own text (which names the URL).
fn chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = std::error::Error::source(e);
    while let Some(s) = next {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = s.source();
    }
    if parts.is_empty() {
        parts.push(kind_of(e).to_string());
    }
    parts.join(": ")
}

fn kind_of(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the response body broke off"
    } else {
        "the request failed"
    }
}

/// The server closed the connection before any byte of an answer.
fn closed_before_answer(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_incomplete_message) {
            return true;
        }
        source = s.source();
    }
    false
}

/// A reqwest error as the library's typed transport error.
fn classify(e: &reqwest::Error, config: &TransportConfig) -> Error {
    let mut source = std::error::Error::source(e);
    let mut io_kind = None;
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<RedirectRefused>() {
            return Error::transport(TransportKind::Redirect, r.0.clone());
        }
        if let Some(t) = s.downcast_ref::<rustls::Error>() {
            return Error::transport(TransportKind::Tls, format!("TLS: {t}"));
        }
        // io::Error's own source() skips what it wraps, and connectors wrap io errors in io
        // errors: look inside each.
        let mut inner: Option<&(dyn std::error::Error + 'static)> = Some(s);
        while let Some(io) = inner.and_then(|i| i.downcast_ref::<std::io::Error>()) {
            io_kind.get_or_insert(io.kind());
            inner = io.get_ref().map(|i| i as &(dyn std::error::Error + 'static));
            if let Some(t) = inner.and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return Error::transport(TransportKind::Tls, format!("TLS: {t}"));
            }
        }
        if e.is_connect() && s.to_string().starts_with("dns error") {
            return Error::transport(TransportKind::Dns, chain(e));
        }
        source = s.source();
    }
    if chain(e).contains("error writing a body") {
        return Error::transport(
            TransportKind::Io,
            "the server closed the connection while the request body was being sent (it may have refused the body; over HTTP/1.1 an answer it sent first cannot always be read)",
        );
    }
    if e.is_timeout() {
        let what = if e.is_connect() {
            format!("could not connect within {} ms", config.connect_timeout.as_millis())
        } else {
            "timed out".to_string()
        };
        return Error::transport(TransportKind::Timeout, what);
    }
    if e.is_connect() || io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
        let text = chain(e);
        let lower = text.to_ascii_lowercase();
        if text.contains("407") || lower.contains("proxy authentication") || lower.contains("proxy authorization") {
            return Error::transport(
                TransportKind::Connect,
                "the proxy refused the request: 407 Proxy Authentication Required",
            );
        }
        return Error::transport(TransportKind::Connect, text);
    }
    Error::transport(TransportKind::Io, chain(e))
}

/// Header values the library sends: visible ASCII and spaces, nothing else.
fn is_valid_header_value(v: &str) -> bool {
    v.bytes().all(|b| b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))
}

/// Whether a base URL may use plain `http://`: loopback only, unless the caller opted in.
pub(crate) fn check_base_url(base: &str, allow_insecure_http: bool) -> Result<(), Error> {
    let url =
        reqwest::Url::parse(base).map_err(|_| Error::InvalidArgument(format!("base URL {base:?} is not a URL")))?;
    let host = match url.scheme() {
        "http" | "https" => url.host_str().filter(|h| !h.is_empty()),
        _ => return Err(Error::InvalidArgument(format!("base URL {base:?} is not http or https"))),
    }
    .ok_or_else(|| Error::InvalidArgument(format!("base URL {base:?} has no host")))?;
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(host) {
        return Err(Error::transport(
            TransportKind::InsecureUrl,
            format!(
                "refusing plain http to {host}: credentials would cross the network unencrypted; use https, or opt in with danger_allow_insecure_http"
            ),
        ));
    }
    Ok(())
}

pub(crate) fn is_loopback(host: &str) -> bool {
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
    fn authorization_values_are_checked_and_never_shown() {
        assert!(Authorization::new("Key abc\r\nX: y").is_err());
        let a = Authorization::new("Key secret-token").unwrap();
        assert!(a.0.is_sensitive());
        assert!(!format!("{a:?}").contains("secret-token"));
    }
}
