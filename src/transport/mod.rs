//! HTTP: the only module that knows it.
//!
//! A blocking HTTP/1.1 client of its own ([`http1`] for the wire, [`conn`] for sockets, TLS
//! and the keep-alive pool, [`proxy`] for proxies), used on the caller's own thread: no runtime
//! and no thread hop per call. A call on a pooled connection costs three system calls (a peek
//! that the connection is still open, a `send`, a `recv`) and one loopback round trip. TLS is
//! rustls, verified against the platform's roots or a given CA file.
//!
//! Redirects are followed here, by hand, so that the `Authorization` header never reaches
//! another origin and `https` never downgrades to `http`.
//!
//! `fork()`: a child must not touch the parent's pooled sockets (a TLS session cannot be shared)
//! nor any lock another thread held at the time of the fork, so the pool is a [`ForkLocal`]:
//! rebuilt in the child, the parent's one left alone.

mod conn;
mod http1;
mod proxy;

use std::io::Write;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use http::Uri;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::catalog::Method;
use crate::error::{Error, TransportKind};
use crate::fork::ForkLocal;
use conn::{Conn, Pool, PoolKey, Route};
use http1::{ReadError, RequestHead};
use proxy::{EnvProxies, Proxies};

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
    /// Use `https_proxy`/`http_proxy`/`all_proxy`/`no_proxy` from the environment (loopback
    /// hosts always go direct).
    pub proxy_from_env: bool,
    /// An `http://[user:password@]host:port` proxy for every request (wins over the environment).
    pub proxy: Option<String>,
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
            proxy: None,
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

/// Bodies up to this size go out in the same write as the head (one copy, one system call).
const COALESCE_BODY: usize = 64 * 1024;
const MAX_IDLE_PER_HOST: usize = 256;

pub(crate) struct Transport {
    config: TransportConfig,
    /// From the CA file, when one is given.
    roots: Option<Vec<CertificateDer<'static>>>,
    proxies: Proxies,
    pool: ForkLocal<Pool>,
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Transport, Error> {
        if !http1::is_valid_header_value(&config.user_agent) {
            return Err(Error::InvalidArgument("the user agent holds a control character".into()));
        }
        let roots = match &config.ca_file {
            Some(path) => {
                let certs = load_ca_file(path)?;
                // Fails now, not at the first call, when none of them is usable.
                conn::build_tls_config(Some(&certs))
                    .map_err(|_| Error::InvalidArgument(format!("CA file {} holds no usable certificate", path.display())))?;
                Some(certs)
            }
            None => None,
        };
        let proxies = match &config.proxy {
            Some(url) => Proxies::Always(
                proxy::parse(url).map_err(|why| Error::InvalidArgument(format!("the proxy URL is not usable: {why}")))?,
            ),
            None if config.proxy_from_env => Proxies::FromEnv(EnvProxies::read(|name| std::env::var(name).ok())),
            None => Proxies::Direct,
        };
        Ok(Transport { config, roots, proxies, pool: ForkLocal::new(Pool::new(MAX_IDLE_PER_HOST)) })
    }

    fn pool(&self) -> &Pool {
        self.pool.get(|| Pool::new(MAX_IDLE_PER_HOST))
    }

    /// Send one request, following redirects as described in the module docs.
    pub fn send(&self, req: &HttpRequest<'_>) -> Result<HttpResponse, Error> {
        if let Some(a) = req.authorization {
            if !http1::is_valid_header_value(a) {
                return Err(Error::InvalidArgument("the credential holds a control character".into()));
            }
        }
        let mut url: Uri = req.url.parse().map_err(|_| Error::InvalidArgument(format!("invalid URL {:?}", req.url)))?;
        let origin = Origin::of(&url)?;
        // The origin of the URL being sent, which a redirect may change.
        let mut current = origin.clone();
        let mut method = req.method;
        let mut body = req.body;
        let mut authorization = req.authorization;
        for _ in 0..=self.config.max_redirects {
            let resp = self.send_once(method, &url, &current, authorization, body)?;
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
            current = next_origin;
        }
        Err(Error::transport(TransportKind::Redirect, format!("more than {} redirects", self.config.max_redirects)))
    }

    /// One exchange. On a pooled connection the server may have closed in the meantime: when
    /// the request could not be written, or (for a method safe to repeat) nothing at all came
    /// back, it is sent once more on a fresh connection.
    fn send_once(
        &self,
        method: Method,
        url: &Uri,
        origin: &Origin,
        authorization: Option<&str>,
        body: Option<&[u8]>,
    ) -> Result<HttpResponse, Error> {
        let deadline = Instant::now() + self.config.timeout;
        let proxy = self.proxies.for_origin(origin.https, &origin.host)?;
        let key = PoolKey { https: origin.https, host: origin.host.clone(), port: origin.port, proxied: proxy.is_some() };
        let authority = url.authority().map(|a| a.as_str()).unwrap_or_default();
        let authority = authority.rsplit_once('@').map_or(authority, |(_, hostport)| hostport);
        let path = url.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        // Through a proxy, a plain http request names its origin in full (absolute-form).
        let absolute;
        let target = if proxy.is_some() && !key.https {
            absolute = format!("http://{authority}{path}");
            absolute.as_str()
        } else {
            path
        };
        let head = RequestHead {
            method,
            target,
            host: authority,
            user_agent: &self.config.user_agent,
            authorization,
            proxy_authorization: proxy.filter(|_| !key.https).and_then(|p| p.authorization.as_ref()).map(|s| s.expose()),
            body_len: body.map(<[u8]>::len),
        };
        let pool = self.pool();
        let mut fresh_only = false;
        loop {
            let pooled = if fresh_only { None } else { pool.checkout(&key) };
            let reused = pooled.is_some();
            let mut conn = match pooled {
                Some(c) => c,
                None => conn::connect(pool, &self.config, self.roots.as_deref(), &Route { key: &key, proxy }, deadline)?,
            };
            conn.set_deadline(deadline);
            if let Err(e) = write_request(&mut conn, &head, body) {
                if reused {
                    fresh_only = true;
                    continue;
                }
                return Err(map_io(e, &self.config));
            }
            let (head, body) = match http1::read_response(&mut conn.stream, &mut conn.rbuf, self.config.max_response_bytes) {
                Ok(r) => r,
                Err(ReadError::NothingReceived(_)) if reused && method.is_idempotent() => {
                    fresh_only = true;
                    continue;
                }
                Err(e) => return Err(map_read_error(e, &self.config)),
            };
            if head.keep_alive && conn.rbuf.is_empty() {
                pool.checkin(key, conn);
            }
            return Ok(HttpResponse { status: head.status, headers: head.headers, body });
        }
    }
}

/// The head (and a small body) in one write; a large body after it, without a copy. The buffer
/// held the `Authorization` header, so it is wiped afterwards, whatever the outcome.
fn write_request(conn: &mut Conn, head: &RequestHead<'_>, body: Option<&[u8]>) -> std::io::Result<()> {
    conn.wbuf.clear();
    head.encode(&mut conn.wbuf);
    let body = body.unwrap_or_default();
    let coalesce = body.len() <= COALESCE_BODY;
    if coalesce {
        conn.wbuf.extend_from_slice(body);
    }
    let written = conn.stream.write_all(&conn.wbuf).and_then(|()| {
        if !coalesce {
            conn.stream.write_all(body)?;
        }
        conn.stream.flush()
    });
    zeroize::Zeroize::zeroize(&mut conn.wbuf[..]);
    conn.wbuf.clear();
    written
}

fn load_ca_file(path: &std::path::Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::InvalidArgument(format!("cannot read CA file {}: {e}", path.display())))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::InvalidArgument(format!("CA file {} is not valid PEM: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(Error::InvalidArgument(format!("CA file {} holds no certificate", path.display())));
    }
    Ok(certs)
}

/// rustls reports its failures through io::Error, with a `rustls::Error` inside.
fn tls_failure(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

pub(crate) fn map_io(e: std::io::Error, config: &TransportConfig) -> Error {
    use std::io::ErrorKind as K;
    if let Some(tls) = tls_failure(&e) {
        return Error::transport(TransportKind::Tls, format!("TLS: {tls}"));
    }
    match e.kind() {
        K::TimedOut | K::WouldBlock => Error::transport(TransportKind::Timeout, timeout_message(config)),
        K::ConnectionRefused => Error::transport(TransportKind::Connect, "connection refused"),
        _ => Error::transport(TransportKind::Io, e.to_string()),
    }
}

pub(crate) fn map_read_error(e: ReadError, config: &TransportConfig) -> Error {
    match e {
        ReadError::NothingReceived(io) | ReadError::Io(io) => map_io(io, config),
        ReadError::Malformed(m) => Error::transport(TransportKind::Io, m),
        ReadError::TooLarge(limit) => {
            Error::transport(TransportKind::BodyTooLarge, format!("response body exceeds the {limit}-byte limit"))
        }
    }
}

fn timeout_message(config: &TransportConfig) -> String {
    format!("no complete response within {} ms", config.timeout.as_millis())
}

/// scheme, host and port: what a credential is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// For the fuzz targets (built with `--cfg fuzzing`): reads one response from `wire`, handed out
/// `step` bytes per read, as the transport reads it from a socket. `Ok` holds the status, the
/// headers, the body and whether the connection could be reused; `Err` a typed error's text.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_read_response(wire: &[u8], step: usize, limit: u64) -> Result<(u16, Vec<(String, String)>, Vec<u8>, bool), Error> {
    let mut buf = http1::ReadBuf::new();
    let (head, body) = http1::read_response(&mut http1::Trickle(wire, step), &mut buf, limit)
        .map_err(|e| map_read_error(e, &TransportConfig::default()))?;
    Ok((head.status, head.headers, body, head.keep_alive && buf.is_empty()))
}
