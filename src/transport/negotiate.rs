//! Learning whether an https origin speaks HTTP/2, without a cold burst opening a connection
//! per request.
//!
//! hyper's pool shares one connection among concurrent requests only once it knows the
//! connection is HTTP/2, and over TLS it learns that from ALPN, after the handshake: a burst of
//! 100 requests on a cold client starts 100 handshakes and keeps one. So the transport holds two
//! reqwest clients per configuration: one offering `h2` and `http/1.1` by ALPN (for an origin
//! whose protocol is unknown or HTTP/1.1), and one that speaks HTTP/2 only (whose pool knows in
//! advance that one connection serves everybody, and lets one request connect while the others
//! wait for it).
//!
//! While the protocol is unknown, one request (the probe) goes out on the first client and the
//! others wait until its connection is made; the [`Learn`] connector layer reads the
//! connection's ALPN and settles the protocol. Then everybody goes to the right client: a cold
//! burst over HTTP/2 opens two connections (the probe's and the shared one), a warm one none.
//! When the probe cannot connect, the waiting requests go out on their own, each with its own
//! error, and the next request probes again.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::Connection;
use tokio::sync::Notify;

/// What an origin speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    Unknown = 0,
    Http1 = 1,
    Http2 = 2,
}

pub(crate) struct Negotiation {
    protocol: AtomicU8,
    probing: AtomicBool,
    settled: Notify,
}

/// Held by the probe's request until its answer (or failure); dropping it lets the waiting
/// requests go whatever happened.
pub(crate) struct Probe<'a>(&'a Negotiation);

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        self.0.probing.store(false, Ordering::SeqCst);
        self.0.settled.notify_waiters();
    }
}

impl Negotiation {
    pub fn new() -> Negotiation {
        Negotiation {
            protocol: AtomicU8::new(Protocol::Unknown as u8),
            probing: AtomicBool::new(false),
            settled: Notify::new(),
        }
    }

    pub fn protocol(&self) -> Protocol {
        match self.protocol.load(Ordering::Acquire) {
            1 => Protocol::Http1,
            2 => Protocol::Http2,
            _ => Protocol::Unknown,
        }
    }

    /// The protocol to send with. `Unknown` comes with the probe guard (this request finds
    /// out), or without it when the probe failed to connect (send on the ALPN client anyway).
    pub async fn choose(&self) -> (Protocol, Option<Probe<'_>>) {
        let known = self.protocol();
        if known != Protocol::Unknown {
            return (known, None);
        }
        let settled = self.settled.notified();
        tokio::pin!(settled);
        // Registered before looking again, so a notification in between is not lost.
        settled.as_mut().enable();
        let known = self.protocol();
        if known != Protocol::Unknown {
            return (known, None);
        }
        if !self.probing.swap(true, Ordering::SeqCst) {
            return (Protocol::Unknown, Some(Probe(self)));
        }
        settled.await;
        (self.protocol(), None)
    }

    fn connected(&self, h2: bool) {
        let p = if h2 { Protocol::Http2 } else { Protocol::Http1 };
        if self.protocol.swap(p as u8, Ordering::AcqRel) != p as u8 {
            self.settled.notify_waiters();
        }
    }
}

/// The connector layer of the ALPN client: reports each new connection's protocol.
#[derive(Clone)]
pub(crate) struct Learn(pub Arc<Negotiation>);

impl<S> tower_layer::Layer<S> for Learn {
    type Service = LearnService<S>;

    fn layer(&self, inner: S) -> LearnService<S> {
        LearnService { inner, negotiation: Arc::clone(&self.0) }
    }
}

#[derive(Clone)]
pub(crate) struct LearnService<S> {
    inner: S,
    negotiation: Arc<Negotiation>,
}

impl<S, R> tower_service::Service<R> for LearnService<S>
where
    S: tower_service::Service<R>,
    S::Response: Connection,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> Self::Future {
        let connecting = self.inner.call(req);
        let negotiation = Arc::clone(&self.negotiation);
        Box::pin(async move {
            let conn = connecting.await?;
            negotiation.connected(conn.connected().is_negotiated_h2());
            Ok(conn)
        })
    }
}
