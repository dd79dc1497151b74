//! Reading one HTTP/1.1 response from arbitrary bytes, as the transport reads it from a socket:
//! the head (interim 1xx answers skipped), then a Content-Length, chunked or until-close body.
//!
//! Input: one byte choosing how many bytes each read hands out (1 to 64, or all that fit), four
//! bytes of body-size limit, then the bytes the server sends. Besides not panicking: the answer
//! must not depend on how the bytes were split into reads (a streaming parser that works only
//! when a whole line or head arrives at once is the classic bug), a body is never over the
//! limit, a final response is never an interim 1xx, and failures are connection errors or "too
//! large". The same bytes are also sent as the body of a well-formed Content-Length response
//! and of a chunked one, which must read back exactly, or be refused as too large.
#![no_main]

use clarifai::{fuzz_read_response, Error, TransportKind};
use libfuzzer_sys::fuzz_target;

type Read = Result<(u16, Vec<(String, String)>, Vec<u8>, bool), Error>;
/// Status, headers and body, or the error's `Debug` text.
type Outcome<'a> = Result<(u16, &'a [(String, String)], &'a [u8]), String>;

/// Limits are taken modulo this. Inputs are far smaller (libFuzzer's default -max_len is 4096),
/// so larger limits reach nothing new; small ones exercise the "too large" paths often.
const LIMIT_MODULUS: u32 = 1 << 20;

/// What must not depend on the read sizes: everything except whether the connection is left
/// reusable, which also depends on whether bytes after the response were read along with it.
fn outcome(r: &Read) -> Outcome<'_> {
    match r {
        Ok((status, headers, body, _)) => Ok((*status, headers, body)),
        Err(e) => Err(format!("{e:?}")),
    }
}

fn reusable(r: &Read) -> bool {
    matches!(r, Ok((.., true)))
}

/// `wire` must read as a 200 with exactly `header` and `body`, leaving the connection
/// reusable, unless the body is over the limit.
fn expect(wire: &[u8], step: usize, limit: u64, header: (&str, &str), body: &[u8]) {
    match fuzz_read_response(wire, step, limit) {
        Ok((status, headers, got, reusable)) => {
            assert!(body.len() as u64 <= limit, "a {}-byte body read with a {limit}-byte limit", body.len());
            assert_eq!((status, got.as_slice(), reusable), (200, body, true), "{header:?} response");
            assert_eq!(headers, [(header.0.to_string(), header.1.to_string())]);
        }
        Err(Error::Transport { kind: TransportKind::BodyTooLarge, .. }) => {
            assert!(body.len() as u64 > limit, "a {}-byte body refused with a {limit}-byte limit", body.len());
        }
        Err(e) => panic!("a well-formed {header:?} response read as {e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let [s, l0, l1, l2, l3, wire @ ..] = data else { return };
    let step = if *s < 64 { *s as usize + 1 } else { usize::MAX };
    let limit = u64::from(u32::from_le_bytes([*l0, *l1, *l2, *l3]) % LIMIT_MODULUS);

    let read = fuzz_read_response(wire, step, limit);
    match &read {
        Ok((status, headers, body, _)) => {
            assert!(body.len() as u64 <= limit, "a {}-byte body read with a {limit}-byte limit", body.len());
            assert!(!(100..200).contains(status) || *status == 101, "interim {status} returned as the response");
            if matches!(status, 100..=199 | 204 | 304) {
                assert!(body.is_empty(), "a {status} with a body");
            }
            assert!(headers.iter().all(|(name, _)| !name.bytes().any(|b| b.is_ascii_uppercase())), "{headers:?}");
        }
        Err(Error::Transport { kind: TransportKind::Io | TransportKind::BodyTooLarge, .. }) => {}
        Err(e) => panic!("reading a response failed with {e:?}"),
    }

    // A byte per read and everything at once are the two extremes of how a socket can split
    // the same bytes. One byte at a time never reads past the end of the response, so the
    // connection is reusable then if it is with any other split.
    for other in [1, usize::MAX] {
        if other == step {
            continue;
        }
        let again = fuzz_read_response(wire, other, limit);
        assert_eq!(outcome(&again), outcome(&read), "{other} vs {step} bytes per read");
        if other == 1 {
            assert!(reusable(&again) || !reusable(&read), "reusable only when reading {step} bytes per read");
        }
    }

    // The bytes as a body, framed correctly both ways; chunks of `step` bytes, the first with an
    // extension, and a trailer.
    let length = wire.len().to_string();
    let mut framed = format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n").into_bytes();
    framed.extend_from_slice(wire);
    expect(&framed, step, limit, ("content-length", &length), wire);

    let mut chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for (i, chunk) in wire.chunks(step).enumerate() {
        let extension = if i == 0 { ";name=\"value\"" } else { "" };
        chunked.extend_from_slice(format!("{:x}{extension}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\nX-Trailer: t\r\n\r\n");
    expect(&chunked, step, limit, ("transfer-encoding", "chunked"), wire);
});
