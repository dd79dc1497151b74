//! Request bodies in (bounded), response bodies out (whole, or cut off on purpose).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::CONTENT_LENGTH;
use hyper::HeaderMap;
use serde_json::Value;
use tokio::time::Sleep;

use crate::reply::{Reply, CONN_INVALID_REQUEST};

/// Read a request body of at most `limit` bytes.
pub(crate) async fn read(headers: &HeaderMap, body: Incoming, limit: usize) -> Result<Bytes, Reply> {
    let too_large = || {
        Reply::new(413, CONN_INVALID_REQUEST, format!("the request body exceeds the emulator's limit of {limit} bytes"))
    };
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(Reply::bad_request("the request body could not be read")),
    }
}

/// Parse a JSON body: empty means no fields; anything but an object is refused.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value, Reply> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Reply::bad_request("the request body must be a JSON object")),
        Err(e) => Err(Reply::bad_request(format!("the request body is not valid JSON: {e}"))),
    }
}

/// A response body: whole, or (fault `drop`) part of it followed by a broken connection.
pub(crate) enum Body {
    Full(Option<Bytes>),
    Truncated { part: Option<Bytes>, pause: Option<Pin<Box<Sleep>>> },
}

impl Body {
    pub(crate) fn full(bytes: Vec<u8>) -> Body {
        Body::Full(Some(Bytes::from(bytes)))
    }

    /// Send `part`, give the connection a moment to flush it, then fail so it is closed
    /// before the promised `Content-Length` is reached.
    pub(crate) fn truncated(part: Bytes) -> Body {
        Body::Truncated { part: Some(part), pause: None }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Truncated { part, pause } => {
                if let Some(p) = part.take() {
                    *pause = Some(Box::pin(tokio::time::sleep(Duration::from_millis(20))));
                    return Poll::Ready(Some(Ok(Frame::data(p))));
                }
                if let Some(sleep) = pause.as_mut() {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                }
                Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::ConnectionAborted, "emulator fault: drop"))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            Body::Full(None) => SizeHint::with_exact(0),
            Body::Truncated { .. } => SizeHint::default(),
        }
    }
}
