//! The HTTP side: accept connections (plain or TLS), serve HTTP/1.1 with keep-alive through
//! hyper, and turn each [`Reply`] into a response with the emulator's own headers.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
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

/// The method and path the server saw, on every response, for conformance tests.
pub const ROUTE_HEADER: &str = "x-clarifai-emulator-route";
/// The RPC the path routed to, when it routed.
pub const ENDPOINT_HEADER: &str = "x-clarifai-emulator-endpoint";

/// Accept connections until `shutdown` turns true.
pub(crate) async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
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
        let shared = Arc::clone(&shared);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => serve_connection(TokioIo::new(stream), shared, peer).await,
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve_connection(TokioIo::new(stream), shared, peer).await;
                    }
                }
            }
        });
    }
}

async fn serve_connection<I>(io: I, shared: Arc<Shared>, peer: SocketAddr)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(respond(&shared, peer, req).await) }
    });
    // A client that goes away mid-request is its own business.
    let _ = http1::Builder::new().keep_alive(true).serve_connection(io, service).await;
}

async fn respond(shared: &Shared, peer: SocketAddr, req: Request<Incoming>) -> Response<Body> {
    // CORS (cors.rs): browsers' preflights are answered before anything else.
    if let Some(preflight) = crate::cors::preflight(&req) {
        return preflight;
    }
    let route = format!("{} {}", req.method(), req.uri().path());
    let req_id = shared.next_req_id();
    if admin::is_admin_path(req.uri().path()) {
        let reply = admin::handle(shared, peer, req).await;
        return build(&reply, &req_id, &route, None, None);
    }
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let outcome = api::handle(shared, req).await;
    shared.log.push(RequestRecord {
        method,
        path,
        endpoint: outcome.endpoint.map(str::to_string),
        query,
        credential: outcome.credential,
        http_status: outcome.reply.http,
        code: outcome.reply.code,
    });
    build(&outcome.reply, &req_id, &route, outcome.endpoint, outcome.after)
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

fn build(reply: &Reply, req_id: &str, route: &str, endpoint: Option<&str>, after: Option<Fault>) -> Response<Body> {
    let mut bytes = reply.render(req_id);
    if let Some(Fault::Oversize(n)) = after {
        pad(&mut bytes, n);
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
    headers.insert(ROUTE_HEADER, header(route));
    // CORS (cors.rs): every answer may be read by a browser page of any origin.
    crate::cors::add_headers(headers);
    if let Some(e) = endpoint {
        headers.insert(ENDPOINT_HEADER, header(e));
    }
    if let Some(secs) = reply.retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    if let Some(url) = &reply.location {
        headers.insert(LOCATION, header(url));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::pad;

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
