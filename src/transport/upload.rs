//! Request bodies, and the answer a server gives before it has read all of one.
//!
//! A server that refuses a large body (413, "the body exceeds the limit") answers as soon as it
//! has read the head and closes; the close resets the connection while the body is still going
//! out. hyper's HTTP/1.1 client reads an answer between writes, but while it flushes one large
//! buffer it only writes, and the reset turns into "broken pipe" with the answer unread in the
//! socket. So a large body goes out in chunks, and between chunks the connection's task yields
//! the way `tokio::task::yield_now` does: it runs again only after the runtime has polled its
//! I/O driver, so the connection learns that the answer arrived and its next turn, which begins
//! with a read, takes it. (A plain self-wake would not do: a task that is always ready keeps the
//! worker from polling the driver, so the read would find nothing.) HTTP/2 has no such problem:
//! the answer and the stream's end arrive as frames.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// Bodies up to this size go out whole; larger ones in chunks of this size.
const CHUNK: usize = 16 * 1024;

/// The request body for `bytes`: whole (and replayable for a redirect) when small, chunked
/// when large.
pub(crate) fn body(bytes: Bytes) -> reqwest::Body {
    if bytes.len() <= CHUNK {
        reqwest::Body::from(bytes)
    } else {
        reqwest::Body::wrap(Chunked { rest: bytes, turn: None })
    }
}

/// A known-length body handed out a chunk at a time, yielding to the connection between
/// chunks.
struct Chunked {
    rest: Bytes,
    /// The yield between two chunks, while it is under way.
    turn: Option<Pin<Box<dyn Future<Output = ()> + Send + Sync>>>,
}

impl http_body::Body for Chunked {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.rest.is_empty() {
            return Poll::Ready(None);
        }
        if let Some(turn) = this.turn.as_mut() {
            if turn.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.turn = None;
        }
        let n = this.rest.len().min(CHUNK);
        if n < this.rest.len() {
            this.turn = Some(Box::pin(tokio::task::yield_now()));
        }
        Poll::Ready(Some(Ok(Frame::data(this.rest.split_to(n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.rest.len() as u64)
    }
}
