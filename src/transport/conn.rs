//! Connections: TCP with a deadline per exchange, TLS over it, the keep-alive pool, and name
//! resolution.
//!
//! The hot path of a call on a pooled connection is three system calls: one non-blocking peek
//! that finds the connection still open and quiet, one `send` and one `recv`. Socket timeouts
//! are changed only when the one in place could outlast the exchange's deadline by more than a
//! small slack (see [`Socket`]), so a steady stream of calls sets none.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use super::http1::{self, ReadBuf};
use super::proxy::Proxy;
use super::{map_io, TransportConfig};
use crate::error::{Error, TransportKind};

/// A pooled connection idle longer than this is closed rather than reused.
const IDLE_MAX: Duration = Duration::from_secs(30);
/// How long a resolved host name is reused.
const DNS_TTL: Duration = Duration::from_secs(30);

/// A TCP stream whose reads and writes end at a deadline.
///
/// The kernel's `SO_RCVTIMEO`/`SO_SNDTIMEO` bound each blocking call. Re-arming them costs a
/// system call, so they are left alone while the armed value ends no more than `slack` after
/// the deadline; one that ends earlier only wakes the call early, and the loop re-arms it with
/// what is left. A timeout therefore fires at most `slack` late (1% of it, at least 1 ms).
pub(crate) struct Socket {
    tcp: TcpStream,
    deadline: Instant,
    slack: Duration,
    read_armed: Option<Duration>,
    write_armed: Option<Duration>,
}

impl Socket {
    fn new(tcp: TcpStream, deadline: Instant, timeout: Duration) -> Socket {
        let slack = (timeout / 100).max(Duration::from_millis(1));
        Socket { tcp, deadline, slack, read_armed: None, write_armed: None }
    }

    pub fn set_deadline(&mut self, deadline: Instant) {
        self.deadline = deadline;
    }

    fn remaining(&self) -> io::Result<Duration> {
        self.deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "the deadline passed"))
    }

    /// Open, and nothing unread: a server that closed an idle connection, or sent something
    /// unasked (a TLS alert, stray bytes), makes it unusable. One non-blocking peek.
    fn is_open_and_quiet(&self) -> bool {
        let mut byte = 0u8;
        // SAFETY: a one-byte buffer we own; MSG_PEEK consumes nothing.
        let n = unsafe {
            libc::recv(self.tcp.as_raw_fd(), (&mut byte as *mut u8).cast(), 1, libc::MSG_PEEK | libc::MSG_DONTWAIT)
        };
        n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
    }

    fn blocking<T>(&mut self, write: bool, mut op: impl FnMut(&TcpStream) -> io::Result<T>) -> io::Result<T> {
        loop {
            let remaining = self.remaining()?;
            let armed = if write { &mut self.write_armed } else { &mut self.read_armed };
            if !armed.is_some_and(|t| t <= remaining + self.slack) {
                if write {
                    self.tcp.set_write_timeout(Some(remaining))?;
                } else {
                    self.tcp.set_read_timeout(Some(remaining))?;
                }
                *armed = Some(remaining);
            }
            match op(&self.tcp) {
                // Woke before the deadline (armed shorter) or at it: re-check and re-arm.
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if write {
                        self.write_armed = None;
                    } else {
                        self.read_armed = None;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.blocking(false, |mut tcp| tcp.read(buf))
    }
}

impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.blocking(true, |mut tcp| tcp.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub(crate) enum Stream {
    Plain(Socket),
    Tls(Box<StreamOwned<ClientConnection, Socket>>),
}

impl Stream {
    pub fn socket(&self) -> &Socket {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(t) => &t.sock,
        }
    }

    pub fn socket_mut(&mut self) -> &mut Socket {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(t) => &mut t.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(t) => t.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(t) => t.flush(),
        }
    }
}

/// A connection with its buffers, which live as long as it does.
pub(crate) struct Conn {
    pub stream: Stream,
    pub rbuf: ReadBuf,
    pub wbuf: Vec<u8>,
    idle_since: Instant,
}

/// Which connections can serve a request: same scheme, host and port, same route.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub(crate) struct PoolKey {
    pub https: bool,
    pub host: String,
    pub port: u16,
    pub proxied: bool,
}

/// Resolved addresses by (host, port), with when they were looked up.
type DnsCache = HashMap<(String, u16), (Instant, Vec<SocketAddr>)>;

/// A client's connections, resolved names and TLS configuration: everything rebuilt after
/// `fork()` (it lives in a [`crate::fork::ForkLocal`]).
pub(crate) struct Pool {
    idle: Mutex<HashMap<PoolKey, Vec<Conn>>>,
    dns: Mutex<DnsCache>,
    tls: OnceLock<Arc<ClientConfig>>,
    max_idle_per_host: usize,
}

impl Pool {
    pub fn new(max_idle_per_host: usize) -> Pool {
        Pool { idle: Mutex::default(), dns: Mutex::default(), tls: OnceLock::new(), max_idle_per_host }
    }

    /// The most recently used idle connection for `key` that is still open.
    pub fn checkout(&self, key: &PoolKey) -> Option<Conn> {
        loop {
            let conn = lock(&self.idle).get_mut(key)?.pop()?;
            if conn.idle_since.elapsed() < IDLE_MAX && conn.stream.socket().is_open_and_quiet() {
                return Some(conn);
            }
            // Dropped here, outside the lock: closing is a system call.
        }
    }

    pub fn checkin(&self, key: PoolKey, mut conn: Conn) {
        conn.idle_since = Instant::now();
        let mut idle = lock(&self.idle);
        let list = idle.entry(key).or_default();
        if list.len() < self.max_idle_per_host {
            list.push(conn);
        }
    }

    /// Built on the first https connection (the platform verifier loads the system's roots).
    fn tls_config(&self, roots: Option<&[CertificateDer<'static>]>) -> Result<Arc<ClientConfig>, Error> {
        if let Some(c) = self.tls.get() {
            return Ok(c.clone());
        }
        let built = build_tls_config(roots)?;
        Ok(self.tls.get_or_init(|| built).clone())
    }

    /// Addresses for `host`: IP literals directly, names through the system resolver on a
    /// helper thread (so the wait is bounded by `deadline`), cached for [`DNS_TTL`].
    fn resolve(&self, host: &str, port: u16, deadline: Instant) -> Result<Vec<SocketAddr>, Error> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let key = (bare.to_ascii_lowercase(), port);
        if let Some((at, addrs)) = lock(&self.dns).get(&key) {
            if at.elapsed() < DNS_TTL {
                return Ok(addrs.clone());
            }
        }
        let name = key.0.clone();
        let lookup = move || (name.as_str(), port).to_socket_addrs().map(|a| a.collect::<Vec<_>>());
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("clarifai-dns".into()).spawn(move || {
            let _ = tx.send(lookup());
        });
        let result = match spawned {
            Ok(_) => match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(r) => r,
                Err(_) => {
                    return Err(Error::transport(TransportKind::Timeout, format!("could not resolve {bare} in time")));
                }
            },
            // No thread to be had: resolve here, unbounded, rather than not at all.
            Err(_) => (key.0.as_str(), port).to_socket_addrs().map(|a| a.collect()),
        };
        match result {
            Ok(addrs) if !addrs.is_empty() => {
                lock(&self.dns).insert(key, (Instant::now(), addrs.clone()));
                Ok(addrs)
            }
            Ok(_) => Err(Error::transport(TransportKind::Dns, format!("no address for {bare}"))),
            Err(e) => Err(Error::transport(TransportKind::Dns, format!("cannot resolve {bare}: {e}"))),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Where a new connection goes and what it must become.
pub(crate) struct Route<'a> {
    pub key: &'a PoolKey,
    pub proxy: Option<&'a Proxy>,
}

/// Opens a connection for `route`: TCP (to the proxy if any), a `CONNECT` tunnel for https
/// through a proxy, then the TLS handshake for https.
pub(crate) fn connect(
    pool: &Pool,
    config: &TransportConfig,
    roots: Option<&[CertificateDer<'static>]>,
    route: &Route<'_>,
    deadline: Instant,
) -> Result<Conn, Error> {
    let key = route.key;
    let (host, port) = match route.proxy {
        Some(p) => (p.host.as_str(), p.port),
        None => (key.host.as_str(), key.port),
    };
    let connect_deadline = deadline.min(Instant::now() + config.connect_timeout);
    let no_connection = || {
        Error::transport(TransportKind::Timeout, format!("no connection within {} ms", config.connect_timeout.as_millis()))
    };
    let addrs = pool.resolve(host, port, connect_deadline)?;
    let mut last = None;
    let mut tcp = None;
    for addr in addrs {
        let Some(left) = connect_deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) else {
            return Err(no_connection());
        };
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let tcp = match (tcp, last) {
        (Some(s), _) => s,
        (None, Some(e)) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => return Err(no_connection()),
        (None, Some(e)) if e.kind() == io::ErrorKind::ConnectionRefused => {
            return Err(Error::transport(TransportKind::Connect, format!("connection refused by {host}:{port}")))
        }
        (None, e) => {
            let why = e.map(|e| e.to_string()).unwrap_or_else(|| "no address".into());
            return Err(Error::transport(TransportKind::Connect, format!("could not connect to {host}:{port}: {why}")));
        }
    };
    tcp.set_nodelay(true).map_err(|e| map_io(e, config))?;
    let mut socket = Socket::new(tcp, deadline, config.timeout);
    let mut rbuf = ReadBuf::new();
    if let (Some(proxy), true) = (route.proxy, key.https) {
        tunnel(&mut socket, &mut rbuf, proxy, key, config)?;
    }
    let stream = if key.https {
        let tls = pool.tls_config(roots)?;
        let name = ServerName::try_from(key.host.trim_start_matches('[').trim_end_matches(']').to_string())
            .map_err(|_| Error::InvalidArgument(format!("{} is not a valid TLS server name", key.host)))?;
        let session = ClientConnection::new(tls, name).map_err(|e| Error::transport(TransportKind::Tls, e.to_string()))?;
        let mut stream = StreamOwned::new(session, socket);
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock).map_err(|e| map_io(e, config))?;
        }
        Stream::Tls(Box::new(stream))
    } else {
        Stream::Plain(socket)
    };
    Ok(Conn { stream, rbuf, wbuf: Vec::with_capacity(1024), idle_since: Instant::now() })
}

/// `CONNECT host:port` through an HTTP proxy; the TLS session then runs inside the tunnel.
fn tunnel(socket: &mut Socket, rbuf: &mut ReadBuf, proxy: &Proxy, key: &PoolKey, config: &TransportConfig) -> Result<(), Error> {
    let authority = format!("{}:{}", key.host, key.port);
    let mut out = format!("CONNECT {authority} HTTP/1.1\r\nhost: {authority}\r\nuser-agent: {}\r\n", config.user_agent).into_bytes();
    if let Some(a) = &proxy.authorization {
        out.extend_from_slice(b"proxy-authorization: ");
        out.extend_from_slice(a.expose().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    let sent = socket.write_all(&out);
    zeroize::Zeroize::zeroize(&mut out);
    sent.map_err(|e| map_io(e, config))?;
    let head = http1::read_head(socket, rbuf).map_err(|e| super::map_read_error(e, config))?;
    if !(200..300).contains(&head.status) {
        return Err(Error::transport(
            TransportKind::Connect,
            format!("the proxy {proxy} answered CONNECT {authority} with HTTP {}", head.status),
        ));
    }
    if !rbuf.is_empty() {
        return Err(Error::transport(TransportKind::Connect, format!("the proxy {proxy} sent bytes before the tunnel opened")));
    }
    Ok(())
}

pub(crate) fn build_tls_config(roots: Option<&[CertificateDer<'static>]>) -> Result<Arc<ClientConfig>, Error> {
    let tls_error = |e: rustls::Error| Error::transport(TransportKind::Tls, format!("TLS setup: {e}"));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().map_err(tls_error)?;
    let mut config = match roots {
        Some(certs) => {
            let mut store = RootCertStore::empty();
            let (added, _) = store.add_parsable_certificates(certs.iter().cloned());
            if added == 0 {
                return Err(Error::InvalidArgument("the CA file holds no usable certificate".into()));
            }
            builder.with_root_certificates(store).with_no_client_auth()
        }
        None => {
            let verifier = rustls_platform_verifier::Verifier::new(provider).map_err(tls_error)?;
            builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier)).with_no_client_auth()
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

impl Conn {
    pub fn set_deadline(&mut self, deadline: Instant) {
        self.stream.socket_mut().set_deadline(deadline);
    }
}
