//! HTTP/1.1 on the wire: a request written in one piece, a response read with its framing.
//!
//! Only what a JSON API client needs: `Content-Length` and chunked bodies (and bodies that end
//! with the connection), keep-alive, interim `1xx` answers skipped. The head is parsed by
//! `httparse`; everything else is here and bounded: the head by [`MAX_HEAD`], a chunk-size line
//! by [`MAX_LINE`], the body by the caller's limit.

use std::io::{self, Read};

use crate::catalog::Method;

/// Largest response head accepted.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Largest chunk-size or trailer line accepted.
const MAX_LINE: usize = 4096;
const MAX_HEADERS: usize = 96;
const INITIAL_BUFFER: usize = 16 * 1024;
/// A body's buffer grows by at least this much (and at most doubles) per read.
const BODY_STEP: usize = 64 * 1024;

/// Bytes read from a connection and not yet consumed: `data[start..end]`.
pub(crate) struct ReadBuf {
    data: Vec<u8>,
    start: usize,
    end: usize,
}

impl ReadBuf {
    pub fn new() -> ReadBuf {
        ReadBuf { data: vec![0; INITIAL_BUFFER], start: 0, end: 0 }
    }

    fn available(&self) -> &[u8] {
        &self.data[self.start..self.end]
    }

    /// Whether bytes the server sent are still unread (a connection holding some cannot be
    /// reused: they would be taken for the next response).
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Reads once more from `r`, keeping what is unread; returns how many bytes came (0 at the
    /// end of the stream). Grows the buffer up to `max` when it is full of unread bytes.
    fn fill(&mut self, r: &mut impl Read, max: usize) -> Result<usize, ReadError> {
        if self.end == self.data.len() {
            if self.start > 0 {
                self.data.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else if self.data.len() < max {
                let grown = (self.data.len() * 2).min(max);
                self.data.resize(grown, 0);
            } else {
                return Err(ReadError::Malformed(format!("response head longer than {max} bytes")));
            }
        }
        let n = r.read(&mut self.data[self.end..]).map_err(ReadError::Io)?;
        self.end += n;
        Ok(n)
    }
}

/// Appends one request to `out`: the request line, the headers, and the body when it is small
/// (a large one is written after it, without a copy). Header values were checked by the caller.
pub(crate) struct RequestHead<'a> {
    pub method: Method,
    /// origin-form (`/v2/inputs?x=1`) or, through a proxy to a plain http origin, absolute-form.
    pub target: &'a str,
    pub host: &'a str,
    pub user_agent: &'a str,
    pub authorization: Option<&'a str>,
    pub proxy_authorization: Option<&'a str>,
    pub body_len: Option<usize>,
}

impl RequestHead<'_> {
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut put = |parts: &[&[u8]]| {
            for p in parts {
                out.extend_from_slice(p);
            }
        };
        put(&[self.method.as_str().as_bytes(), b" ", self.target.as_bytes(), b" HTTP/1.1\r\nhost: ", self.host.as_bytes()]);
        put(&[b"\r\nuser-agent: ", self.user_agent.as_bytes(), b"\r\naccept: application/json\r\n"]);
        if let Some(a) = self.authorization {
            put(&[b"authorization: ", a.as_bytes(), b"\r\n"]);
        }
        if let Some(a) = self.proxy_authorization {
            put(&[b"proxy-authorization: ", a.as_bytes(), b"\r\n"]);
        }
        match self.body_len {
            Some(n) => put(&[b"content-type: application/json\r\ncontent-length: ", n.to_string().as_bytes(), b"\r\n"]),
            // A body-carrying method without a body says so, or some servers wait for one.
            None if matches!(self.method, Method::Post | Method::Put | Method::Patch) => put(&[b"content-length: 0\r\n"]),
            None => {}
        }
        put(&[b"\r\n"]);
    }
}

/// Whether a header value can go on the wire as is (no line breaks or other control bytes that
/// would end the header early or smuggle another one in).
pub(crate) fn is_valid_header_value(v: &str) -> bool {
    v.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Length(u64),
    Chunked,
    UntilClose,
    Empty,
}

/// A response head.
#[derive(Debug)]
pub(crate) struct Head {
    pub status: u16,
    /// Lower-case names, in the order received.
    pub headers: Vec<(String, String)>,
    /// The connection may carry another request once this body is read.
    pub keep_alive: bool,
    framing: Framing,
}

/// Why reading a response failed.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection failed or closed before a single byte of the response: on a reused
    /// connection that is usually the server having closed it while it was idle.
    NothingReceived(io::Error),
    Io(io::Error),
    Malformed(String),
    TooLarge(u64),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

fn closed(what: &str) -> ReadError {
    ReadError::Io(io::Error::new(io::ErrorKind::UnexpectedEof, format!("the server closed the connection {what}")))
}

/// Reads the head of the final response (skipping `100 Continue` and other interim answers).
pub(crate) fn read_head(r: &mut impl Read, buf: &mut ReadBuf) -> Result<Head, ReadError> {
    let mut received_any = !buf.is_empty();
    loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut parsed = httparse::Response::new(&mut headers);
            match parsed.parse(buf.available()) {
                Ok(httparse::Status::Complete(len)) => {
                    let head = make_head(&parsed)?;
                    buf.consume(len);
                    if (100..200).contains(&head.status) && head.status != 101 {
                        continue;
                    }
                    return Ok(head);
                }
                Ok(httparse::Status::Partial) => {}
                Err(e) => return Err(ReadError::Malformed(format!("malformed response head: {e}"))),
            }
        }
        match buf.fill(r, MAX_HEAD) {
            Ok(0) if received_any => return Err(closed("in the middle of the response head")),
            Ok(0) => {
                let e = io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection without a response");
                return Err(ReadError::NothingReceived(e));
            }
            Ok(_) => received_any = true,
            Err(ReadError::Io(e)) if !received_any && is_connection_loss(&e) => return Err(ReadError::NothingReceived(e)),
            Err(e) => return Err(e),
        }
    }
}

fn is_connection_loss(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::BrokenPipe | io::ErrorKind::UnexpectedEof
    )
}

fn make_head(parsed: &httparse::Response<'_, '_>) -> Result<Head, ReadError> {
    let status = parsed.code.unwrap_or(0);
    let http11 = parsed.version == Some(1);
    let mut headers = Vec::with_capacity(parsed.headers.len());
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut transfer_encoded = false;
    let mut close = !http11;
    for h in parsed.headers.iter() {
        let name = h.name.to_ascii_lowercase();
        let value = String::from_utf8_lossy(h.value).trim().to_string();
        match name.as_str() {
            "content-length" => {
                let n: u64 = value
                    .parse()
                    .map_err(|_| ReadError::Malformed(format!("invalid content-length {value:?}")))?;
                if length.is_some_and(|m| m != n) {
                    return Err(ReadError::Malformed("conflicting content-length headers".into()));
                }
                length = Some(n);
            }
            "transfer-encoding" => {
                transfer_encoded = true;
                chunked = value.rsplit(',').next().is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
            }
            "connection" => {
                for token in value.split(',').map(str::trim) {
                    if token.eq_ignore_ascii_case("close") {
                        close = true;
                    } else if token.eq_ignore_ascii_case("keep-alive") && !http11 {
                        close = false;
                    }
                }
            }
            _ => {}
        }
        headers.push((name, value));
    }
    // No method we send (there is no HEAD) makes a response body-less by itself.
    let framing = if (100..200).contains(&status) || status == 204 || status == 304 {
        Framing::Empty
    } else if transfer_encoded {
        // Chunked wins over any content-length (RFC 9112 6.3); another coding runs to the close.
        if chunked {
            Framing::Chunked
        } else {
            Framing::UntilClose
        }
    } else if let Some(n) = length {
        Framing::Length(n)
    } else {
        Framing::UntilClose
    };
    let keep_alive = !close && framing != Framing::UntilClose && status != 101;
    Ok(Head { status, headers, keep_alive, framing })
}

/// A whole response: the final head, then the body it announces, at most `limit` bytes.
pub(crate) fn read_response(r: &mut impl Read, buf: &mut ReadBuf, limit: u64) -> Result<(Head, Vec<u8>), ReadError> {
    let head = read_head(r, buf)?;
    let body = read_body(r, buf, &head, limit)?;
    Ok((head, body))
}

/// Reads the body `head` announces, at most `limit` bytes.
pub(crate) fn read_body(r: &mut impl Read, buf: &mut ReadBuf, head: &Head, limit: u64) -> Result<Vec<u8>, ReadError> {
    match head.framing {
        Framing::Empty => Ok(Vec::new()),
        Framing::Length(n) => {
            if n > limit {
                return Err(ReadError::TooLarge(limit));
            }
            // The buffer grows as bytes arrive: a large Content-Length alone reserves nothing.
            let n = n as usize;
            let mut body = Vec::with_capacity(n.min(BODY_STEP));
            let have = buf.available().len().min(n);
            body.extend_from_slice(&buf.available()[..have]);
            buf.consume(have);
            while body.len() < n {
                let start = body.len();
                body.resize(start + (n - start).min(BODY_STEP.max(start)), 0);
                let k = r.read(&mut body[start..])?;
                body.truncate(start + k);
                if k == 0 {
                    return Err(closed(&format!("after {start} of {n} body bytes")));
                }
            }
            Ok(body)
        }
        Framing::UntilClose => {
            let mut body = Vec::new();
            loop {
                take(buf, &mut body, usize::MAX, limit)?;
                if buf.fill(r, MAX_HEAD)? == 0 {
                    return Ok(body);
                }
            }
        }
        Framing::Chunked => read_chunked(r, buf, limit),
    }
}

/// Moves up to `max` available bytes into `body`, failing once it would pass `limit`.
fn take(buf: &mut ReadBuf, body: &mut Vec<u8>, max: usize, limit: u64) -> Result<usize, ReadError> {
    let k = buf.available().len().min(max);
    if (body.len() + k) as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    body.extend_from_slice(&buf.available()[..k]);
    buf.consume(k);
    Ok(k)
}

/// One line of a chunked body, without its line break. The limit holds however the bytes
/// arrive: only the first [`MAX_LINE`] bytes are searched for the break.
fn read_line(r: &mut impl Read, buf: &mut ReadBuf) -> Result<String, ReadError> {
    loop {
        let window = &buf.available()[..buf.available().len().min(MAX_LINE)];
        if let Some(i) = window.iter().position(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(&window[..i]).trim_end_matches('\r').to_string();
            buf.consume(i + 1);
            return Ok(line);
        }
        if window.len() >= MAX_LINE {
            return Err(ReadError::Malformed("chunked body: line too long".into()));
        }
        if buf.fill(r, MAX_HEAD)? == 0 {
            return Err(closed("in the middle of a chunked body"));
        }
    }
}

fn read_chunked(r: &mut impl Read, buf: &mut ReadBuf, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(r, buf)?;
        let digits = line.split(';').next().unwrap_or("").trim();
        let size = Some(digits)
            .filter(|d| !d.is_empty() && d.len() <= 15 && d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u64::from_str_radix(d, 16).ok())
            .ok_or_else(|| ReadError::Malformed(format!("chunked body: invalid chunk size {digits:?}")))?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !read_line(r, buf)?.is_empty() {}
            return Ok(body);
        }
        if body.len() as u64 + size > limit {
            return Err(ReadError::TooLarge(limit));
        }
        let mut left = size as usize;
        while left > 0 {
            if buf.is_empty() && buf.fill(r, MAX_HEAD)? == 0 {
                return Err(closed("in the middle of a chunk"));
            }
            left -= take(buf, &mut body, left, limit)?;
        }
        if !read_line(r, buf)?.is_empty() {
            return Err(ReadError::Malformed("chunked body: no line break after a chunk".into()));
        }
    }
}

/// A reader handing out its bytes `step` at a time, as a socket might: for the tests and the
/// fuzz target, to reach every partial-read path.
#[cfg(any(test, fuzzing))]
pub(crate) struct Trickle<'a>(pub &'a [u8], pub usize);

#[cfg(any(test, fuzzing))]
impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(out.len()).min(self.1.max(1));
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(wire: &[u8], step: usize, limit: u64) -> Result<(Head, Vec<u8>, bool), ReadError> {
        let mut r = Trickle(wire, step);
        let mut buf = ReadBuf::new();
        let (head, body) = read_response(&mut r, &mut buf, limit)?;
        Ok((head, body, buf.is_empty() && r.0.is_empty()))
    }

    #[test]
    fn content_length_chunked_and_close_delimited_bodies() {
        for step in [1, 3, 7, 1 << 20] {
            let (h, b, drained) =
                response(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b \r\n\r\nhello", step, 100).unwrap();
            assert_eq!((h.status, b.as_slice(), h.keep_alive, drained), (200, &b"hello"[..], true, true));
            assert_eq!(h.headers[1], ("x-a".to_string(), "b".to_string()));

            let wire = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: x\r\n\r\n";
            let (h, b, drained) = response(wire, step, 100).unwrap();
            assert_eq!((b.as_slice(), h.keep_alive, drained), (&b"abc0123456789abcdef"[..], true, true));

            let (h, b, _) = response(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", step, 100).unwrap();
            assert_eq!((b.as_slice(), h.keep_alive), (&b"until the end"[..], false));

            let (h, b, _) = response(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", step, 100).unwrap();
            assert_eq!((h.status, b.len(), h.keep_alive), (204, 0, true));

            let (h, _, _) = response(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", step, 100).unwrap();
            assert!(!h.keep_alive, "HTTP/1.0 closes unless it says keep-alive");
        }
    }

    #[test]
    fn truncated_malformed_and_oversized_responses_are_errors() {
        let e = response(b"", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::NothingReceived(_)), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nContent-Le", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::Io(_)), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 4, 100).unwrap_err();
        assert!(matches!(&e, ReadError::Io(io) if io.to_string().contains("after 5 of 10")), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge(100)), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge(100)), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::Malformed(_)), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::Malformed(_)), "{e:?}");
        let e = response(b"NOT HTTP AT ALL\r\n\r\n", 4, 100).unwrap_err();
        assert!(matches!(e, ReadError::Malformed(_)), "{e:?}");
        // A chunk-size line over the limit fails however it arrives (found by fuzz/http1).
        let mut long = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE));
        long.extend_from_slice(b"\r\na\r\n0\r\n\r\n");
        for step in [1, 1 << 20] {
            let e = response(&long, step, 100).unwrap_err();
            assert!(matches!(&e, ReadError::Malformed(m) if m.contains("too long")), "step {step}: {e:?}");
        }
        // A huge Content-Length reserves nothing before the bytes come (this would abort).
        let e = response(b"HTTP/1.1 200 OK\r\nContent-Length: 1099511627776\r\n\r\nshort", 4, u64::MAX).unwrap_err();
        assert!(matches!(&e, ReadError::Io(io) if io.to_string().contains("after 5 of 1099511627776")), "{e:?}");
        // A body spanning many reads and buffer growths.
        let big = vec![b'y'; 300_000];
        let mut wire = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", big.len()).into_bytes();
        wire.extend_from_slice(&big);
        assert_eq!(response(&wire, 70_000, u64::MAX).unwrap().1, big);
        let mut huge = b"HTTP/1.1 200 OK\r\n".to_vec();
        huge.extend(std::iter::repeat_n(b'x', MAX_HEAD + 10));
        let e = response(&huge, 1 << 20, 100).unwrap_err();
        assert!(matches!(e, ReadError::Malformed(_)), "{e:?}");
        let e = response(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", 4, 0).map(|r| r.1.len()).unwrap();
        assert_eq!(e, 0);
    }

    #[test]
    fn requests_are_encoded_with_their_framing() {
        let mut out = Vec::new();
        RequestHead {
            method: Method::Post,
            target: "/v2/x?y=1",
            host: "h:1",
            user_agent: "ua",
            authorization: Some("Key k"),
            proxy_authorization: None,
            body_len: Some(2),
        }
        .encode(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "POST /v2/x?y=1 HTTP/1.1\r\nhost: h:1\r\nuser-agent: ua\r\naccept: application/json\r\nauthorization: Key k\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n"
        );
        let mut out = Vec::new();
        let head = RequestHead { method: Method::Delete, target: "/", host: "h", user_agent: "u", authorization: None, proxy_authorization: None, body_len: None };
        head.encode(&mut out);
        assert!(!String::from_utf8(out).unwrap().contains("content-length"));
        assert!(is_valid_header_value("Key abc\t1") && !is_valid_header_value("a\r\nb") && !is_valid_header_value("\u{7f}"));
    }
}
