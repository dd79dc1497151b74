//! The HTTP side: accept connections (plain or TLS), serve HTTP/1.1 with keep-alive and HTTP/2
//! (by ALPN over TLS, or with prior knowledge on plain http: h2c) through hyper, and turn each
//! [`Reply`] into a response with the emulator's own headers, gzipped when it is over 1 KiB and
//! the request accepts gzip.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, VARY};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::admin;
use crate::api;
use crate::body::Body;
use crate::faults::Fault;
use crate::log::RequestRecord;
use crate::reply::Reply;
use crate::shared::Shared;

use crate::headers::{CONNECTION_HEADER, ENDPOINT_HEADER, ROUTE_HEADER};

/// Bodies at least this long are compressed when the request accepts gzip.
const COMPRESS_FROM: usize = 1024;

/// Accept connections until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        // Small request/response pairs on keep-alive connections: do not wait for Nagle.
        let _ = stream.set_nodelay(true);
        let connection = shared.connection_accepted();
        let shared = Arc::clone(&shared);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(TokioIo::new(stream), shared, peer, connection).await,
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve_connection(TokioIo::new(stream), shared, peer, connection).await;
                    }
                }
            }
        });
    }
}

async fn serve_connection<I>(io: I, shared: Arc<Shared>, peer: SocketAddr, connection: u64)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(respond(&shared, peer, connection, req).await) }
    });
    // HTTP/1.1, or HTTP/2 when the connection starts with its preface (h2c prior knowledge, or
    // after ALPN chose h2). A client that goes away mid-request is its own business.
    let _ = auto::Builder::new(TokioExecutor::new()).serve_connection(io, service).await;
}

/// What a response needs to know of its request.
struct Asked<'a> {
    req_id: String,
    route: String,
    connection: u64,
    gzip: bool,
    endpoint: Option<&'a str>,
}

async fn respond(shared: &Shared, peer: SocketAddr, connection: u64, req: Request<Incoming>) -> Response<Body> {
    // CORS (cors.rs): browsers' preflights are answered before anything else.
    if let Some(preflight) = crate::cors::preflight(&req) {
        return preflight;
    }
    let mut asked = Asked {
        req_id: shared.next_req_id(),
        route: format!("{} {}", req.method(), req.uri().path()),
        connection,
        gzip: accepts_gzip(req.headers()),
        endpoint: None,
    };
    if admin::is_admin_path(req.uri().path()) {
        let reply = admin::handle(shared, peer, req).await;
        return build(&reply, &asked, None).response;
    }
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let http_version = version_name(req.version());
    // A client that goes away (an HTTP/2 stream reset, a closed connection) makes hyper drop
    // this future mid-way: the guard logs that request as aborted.
    let mut unanswered = Unanswered {
        shared,
        record: Some(RequestRecord {
            method,
            path,
            endpoint: None,
            query,
            credential: None,
            http_status: 0,
            code: 0,
            connection,
            http_version,
            body_bytes: 0,
            gzipped: false,
            aborted: true,
        }),
    };
    let outcome = api::handle(shared, req).await;
    asked.endpoint = outcome.endpoint;
    let built = build(&outcome.reply, &asked, outcome.after);
    if let Some(mut record) = unanswered.record.take() {
        record.endpoint = outcome.endpoint.map(str::to_string);
        record.credential = outcome.credential;
        record.http_status = outcome.reply.http;
        record.code = outcome.reply.code;
        record.body_bytes = built.body_bytes;
        record.gzipped = built.gzipped;
        record.aborted = false;
        shared.log.push(record);
    }
    built.response
}

/// Logs its request as aborted when dropped before the answer was built.
struct Unanswered<'a> {
    shared: &'a Shared,
    record: Option<RequestRecord>,
}

impl Drop for Unanswered<'_> {
    fn drop(&mut self) {
        if let Some(record) = self.record.take() {
            self.shared.log.push(record);
        }
    }
}

fn version_name(v: Version) -> &'static str {
    match v {
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_10 => "HTTP/1.0",
        _ => "HTTP/1.1",
    }
}

/// `Accept-Encoding` names gzip with a non-zero weight.
fn accepts_gzip(headers: &hyper::HeaderMap) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let zero =
            parts.any(|p| matches!(p.trim().strip_prefix("q=").map(str::trim), Some("0" | "0.0" | "0.00" | "0.000")));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !zero
    })
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::fast());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// Grow a JSON object to exactly `target` bytes: a `"padding"` member when there is room for
/// one, else spaces before the closing brace (still valid JSON).
fn pad(body: &mut Vec<u8>, target: usize) {
    const MEMBER: &[u8] = b",\"padding\":\"\"";
    if body.len() >= target || body.last() != Some(&b'}') {
        return;
    }
    body.pop();
    let room = target - body.len() - 1;
    if room >= MEMBER.len() {
        body.extend_from_slice(&MEMBER[..MEMBER.len() - 1]);
        body.resize(target - 2, b'x');
        body.push(b'"');
    } else {
        body.resize(target - 1, b' ');
    }
    body.push(b'}');
}

fn header(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

struct Built {
    response: Response<Body>,
    /// The body's length as sent (compressed, when it is).
    body_bytes: usize,
    gzipped: bool,
}

fn build(reply: &Reply, asked: &Asked<'_>, after: Option<Fault>) -> Built {
    let mut bytes = reply.render(&asked.req_id);
    if let Some(Fault::Oversize(n)) = after {
        pad(&mut bytes, n);
    }
    let mut compressed = false;
    if asked.gzip && bytes.len() >= COMPRESS_FROM {
        if let Some(z) = gzip(&bytes) {
            bytes = z;
            compressed = true;
        }
    }
    let length = bytes.len();
    let body = match after {
        Some(Fault::Drop) => Body::truncated(Bytes::from(bytes).slice(..length / 2)),
        _ => Body::full(bytes),
    };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(reply.http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    if compressed {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(ROUTE_HEADER, header(&asked.route));
    headers.insert(CONNECTION_HEADER, HeaderValue::from(asked.connection));
    // CORS (cors.rs): every answer may be read by a browser page of any origin.
    crate::cors::add_headers(headers);
    if let Some(e) = asked.endpoint {
        headers.insert(ENDPOINT_HEADER, header(e));
    }
    if let Some(secs) = reply.retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    if let Some(extra) = &reply.header {
        headers.insert(extra.0, header(&extra.1));
    }
    Built { response, body_bytes: length, gzipped: compressed }
}

#[cfg(test)]
mod tests {
    use super::{accepts_gzip, pad};

    #[test]
    fn gzip_when_accepted_with_a_weight_above_zero() {
        let h = |v: &str| {
            let mut m = hyper::HeaderMap::new();
            m.insert(hyper::header::ACCEPT_ENCODING, v.parse().unwrap());
            accepts_gzip(&m)
        };
        assert!(h("gzip"));
        assert!(h("br, gzip;q=0.5, zstd"));
        assert!(h("*"));
        assert!(!h("br, deflate"));
        assert!(!h("gzip;q=0"));
        assert!(!accepts_gzip(&hyper::HeaderMap::new()));
    }

    #[test]
    fn pads_to_exact_sizes() {
        for target in [10usize, 20, 23, 24, 25, 100, 5000] {
            let mut body = br#"{"status":{}}"#.to_vec();
            pad(&mut body, target);
            assert_eq!(body.len(), target.max(13), "{target}");
            serde_json::from_slice::<serde_json::Value>(&body).unwrap();
        }
    }
}
