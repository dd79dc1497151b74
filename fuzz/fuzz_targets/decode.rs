//! Decoding arbitrary HTTP answers: status, `Retry-After` and body bytes, and the 11007
//! details text.
//!
//! Input: two bytes of HTTP status, one byte giving the `Retry-After` length (0 = absent),
//! that many bytes of header value, then the body. Every answer must become a success only
//! when both the HTTP status and the Clarifai status say so, and otherwise a typed error that
//! keeps the HTTP status; the status must be the one a parsed document holds; missing scopes
//! read from details must survive a round trip.
#![no_main]

use clarifai::response::{decode, fuzz_status_of};
use clarifai::{Error, Missing};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [h0, h1, ra_len, rest @ ..] = data else { return };
    let http = u16::from_le_bytes([*h0, *h1]);
    let (retry_after, body) = match *ra_len as usize % 24 {
        0 => (None, rest),
        n => {
            let (ra, body) = rest.split_at(n.min(rest.len()));
            (Some(String::from_utf8_lossy(ra).into_owned()), body)
        }
    };
    let result = decode(http, retry_after.as_deref(), body);
    // The status is decoded straight from the text; it must be what a parsed document holds.
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(body) {
        let want = fuzz_status_of(&doc);
        match &result {
            Ok(r) => assert_eq!(Some(&r.status), want.as_ref()),
            Err(Error::Api(api)) => assert_eq!(Some(&api.status), want.as_ref()),
            _ if want.is_none() => {}
            Err(Error::MalformedResponse { .. }) => {
                let status = want.unwrap();
                assert!(status.is_success() && !(200..300).contains(&http), "{status:?} with {http}");
            }
            Err(e) => panic!("decode gave {e:?}"),
        }
    }
    match result {
        Ok(r) => {
            assert!(r.status.is_success() && (200..300).contains(&http));
            assert_eq!(r.http_status, http);
            let _ = r.item_statuses();
            let _ = serde_json::from_str::<serde_json::Value>(r.json()).expect("a response re-serializes as JSON");
        }
        Err(Error::Api(api)) => {
            assert!(!api.status.is_success());
            assert_eq!(api.http_status, http);
            if api.status.code == 11007 {
                assert_eq!(api.missing, Missing::parse_details(&api.status.details));
            } else {
                assert!(api.missing.is_empty());
            }
            if retry_after.is_none() {
                assert!(api.retry_after.is_none());
            }
            let _ = api.to_string();
        }
        Err(Error::MalformedResponse { http_status, .. }) => assert_eq!(http_status, http),
        Err(e) => panic!("decode gave {e:?}"),
    }

    // Any text as details: what is read back out of its own rendering is the same.
    let text = String::from_utf8_lossy(body);
    let missing = Missing::parse_details(&text);
    assert_eq!(Missing::parse_details(&missing.to_details()), missing, "{text:?}");
});
