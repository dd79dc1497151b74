//! Decoding the API's JSON answers: `{"status": {...}, ...}`.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::catalog::catalog;
pub(crate) use crate::error::find_header;
pub use crate::error::Status;
use crate::error::{code, ApiError, Error, Missing};
use crate::scope::Scope;

impl Status {
    fn from_json(v: &Value) -> Option<Status> {
        let obj = v.as_object()?;
        let code = match obj.get("code")? {
            Value::Number(n) => u32::try_from(n.as_u64()?).ok()?,
            // The JSON gateway may spell enum codes by name; numbers only here.
            Value::String(s) => s.parse().ok()?,
            _ => return None,
        };
        let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        Some(Status { code, description: text("description"), details: text("details"), req_id: text("req_id") })
    }
}

/// A successful response.
///
/// Only the `status` object is decoded when it arrives; the whole document is parsed into a
/// [`Value`] the first time [`Response::body`] asks for it. Front ends that hand the JSON text
/// on (the C ABI, and every binding through it) never pay for a tree they would not use.
#[derive(Clone, Debug)]
pub struct Response {
    pub http_status: u16,
    pub status: Status,
    /// The body exactly as received (UTF-8 JSON text, checked to be JSON).
    pub text: String,
    /// Response headers, lower-case names.
    pub headers: Vec<(String, String)>,
    body: OnceLock<Value>,
}

impl Response {
    /// The whole JSON document, `status` included: parsed from [`Response::text`] on first use.
    pub fn body(&self) -> &Value {
        // The text was checked to be JSON when it arrived, so this parse cannot fail.
        self.body.get_or_init(|| serde_json::from_str(&self.text).unwrap_or(Value::Null))
    }

    /// The document, without keeping the response.
    pub fn into_body(self) -> Value {
        match self.body.into_inner() {
            Some(v) => v,
            None => serde_json::from_str(&self.text).unwrap_or(Value::Null),
        }
    }

    /// For 10010 (MIXED_STATUS): each item's own status, in order, from the first array of
    /// objects with a `status` (inputs, outputs, …).
    pub fn item_statuses(&self) -> Vec<Status> {
        let Some(obj) = self.body().as_object() else { return Vec::new() };
        for (k, v) in obj {
            if k == "status" {
                continue;
            }
            if let Some(items) = v.as_array() {
                let st: Vec<Status> =
                    items.iter().filter_map(|i| i.get("status").and_then(Status::from_json)).collect();
                if !st.is_empty() {
                    return st;
                }
            }
        }
        Vec::new()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body as JSON text, as received.
    pub fn json(&self) -> &str {
        &self.text
    }

    /// The same answer with other text (the parsed document, if any, is dropped).
    pub(crate) fn with_text(self, text: String) -> Response {
        Response { text, body: OnceLock::new(), ..self }
    }
}

/// Decode an HTTP answer into a success or a typed error.
pub fn decode(http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<Response, Error> {
    decode_owned(http_status, retry_after, body.to_vec())
}

/// Visitor methods for the JSON values a visitor reads no further: each gives `$out`, after
/// checking a sequence's or a map's contents as [`Checked`] does.
macro_rules! other_values {
    ($out:expr; $($kind:ident)*) => { $( other_values!(@ $kind, $out); )* };
    (@ bool, $out:expr) => { fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> { Ok($out) } };
    (@ i64, $out:expr) => { fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> { Ok($out) } };
    (@ u64, $out:expr) => { fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> { Ok($out) } };
    (@ f64, $out:expr) => { fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> { Ok($out) } };
    (@ str, $out:expr) => { fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> { Ok($out) } };
    (@ unit, $out:expr) => { fn visit_unit<E>(self) -> Result<Self::Value, E> { Ok($out) } };
    (@ seq, $out:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<Checked>()?.is_some() {}
            Ok($out)
        }
    };
    (@ map, $out:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_key::<Checked>()?.is_some() {
                map.next_value::<Checked>()?;
            }
            Ok($out)
        }
    };
}

/// The top level of a response: its `status` object, decoded straight into a [`Status`]
/// (`None` when there is none or it is not one); every other member is checked as strictly as
/// a parse into a [`Value`] would check it, without building anything.
struct Envelope(Option<Status>);

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Envelope, D::Error> {
        struct Top;
        impl<'de> Visitor<'de> for Top {
            type Value = Envelope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
                let mut status = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "status" {
                        // The last one wins, as in a parsed Value.
                        status = map.next_value::<StatusMember>()?.0;
                    } else {
                        map.next_value::<Checked>()?;
                    }
                }
                Ok(Envelope(status))
            }
        }
        // Only a map: an array at the top level is not a response, whatever it holds.
        d.deserialize_map(Top)
    }
}

/// The value of `status`, read the way [`Status::from_json`] reads a parsed one: an object
/// with a numeric `code` (a number, or a string of digits), and string `description`,
/// `details` and `req_id` ("" when absent or not strings). Anything else is `None`; every part
/// is still checked like [`Checked`].
struct StatusMember(Option<Status>);

impl<'de> Deserialize<'de> for StatusMember {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StatusMember, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = StatusMember;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StatusMember, A::Error> {
                let mut code = None;
                let mut status = Status::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    // A later duplicate replaces an earlier one, as in a parsed Value.
                    match &*key {
                        "code" => code = map.next_value::<Scalar>()?.code(),
                        "description" => status.description = map.next_value::<Scalar>()?.text(),
                        "details" => status.details = map.next_value::<Scalar>()?.text(),
                        "req_id" => status.req_id = map.next_value::<Scalar>()?.text(),
                        _ => {
                            map.next_value::<Checked>()?;
                        }
                    }
                }
                Ok(StatusMember(code.map(|code| Status { code, ..status })))
            }
            other_values!(StatusMember(None); bool i64 u64 f64 str unit seq);
        }
        d.deserialize_any(Object)
    }
}

/// A member of `status` as far as a [`Status`] reads one: a string, a non-negative integer, or
/// anything else (checked like [`Checked`] and dropped).
enum Scalar {
    Str(String),
    Int(u64),
    Other,
}

impl Scalar {
    /// `code`: an integer that fits a u32, or a string that parses as one.
    fn code(self) -> Option<u32> {
        match self {
            Scalar::Int(n) => u32::try_from(n).ok(),
            // The JSON gateway may spell enum codes by name; numbers only here.
            Scalar::Str(s) => s.parse().ok(),
            Scalar::Other => None,
        }
    }

    /// `description`, `details`, `req_id`: the string, or "" for any other value.
    fn text(self) -> String {
        match self {
            Scalar::Str(s) => s,
            _ => String::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, s: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(s))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Scalar, E> {
                Ok(Scalar::Int(n))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Scalar, E> {
                Ok(u64::try_from(n).map_or(Scalar::Other, Scalar::Int))
            }
            other_values!(Scalar::Other; bool f64 unit seq map);
        }
        d.deserialize_any(V)
    }
}

/// Any JSON value, decoded and dropped: strings have their escapes decoded (a lone surrogate is
/// refused), numbers are read, nesting is bounded by the parser's depth limit. serde's
/// `IgnoredAny` would skip strings without decoding them, letting through what a later parse
/// into a [`Value`] (or a binding's JSON decoder) refuses.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Checked;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            other_values!(Checked; bool i64 u64 f64 str unit seq map);
        }
        d.deserialize_any(Any)
    }
}

/// [`decode`] keeping the body's buffer as the response's text, without a copy.
pub(crate) fn decode_owned(http_status: u16, retry_after: Option<&str>, body: Vec<u8>) -> Result<Response, Error> {
    let malformed = |message: String| Error::MalformedResponse { http_status, message };
    let text = match String::from_utf8(body) {
        Ok(t) => t,
        Err(e) => return Err(malformed(format!("not JSON (not UTF-8: {})", e.utf8_error()))),
    };
    let status: Option<Status> = match serde_json::from_str::<Envelope>(&text) {
        Ok(Envelope(status)) => status,
        // Valid JSON that is not an object: no status object.
        Err(e) if e.is_data() => None,
        Err(e) => {
            let what = if text.is_empty() { "empty body".to_string() } else { format!("not JSON ({e})") };
            return Err(malformed(what));
        }
    };
    let Some(status) = status else {
        return Err(malformed("no status object with a numeric code".into()));
    };
    if status.is_success() && (200..300).contains(&http_status) {
        return Ok(Response { http_status, status, text, headers: Vec::new(), body: OnceLock::new() });
    }
    let missing = if status.code == code::CONN_INSUFFICIENT_SCOPES {
        Missing::parse_details(&status.details)
    } else {
        Missing::default()
    };
    let retry_after = retry_after.and_then(parse_retry_after);
    if status.is_success() {
        // A success status under a failure HTTP code: trust neither; report it as malformed.
        return Err(malformed(format!("status {} with HTTP {}", status.code, http_status)));
    }
    Err(Error::Api(Box::new(ApiError { http_status, status, missing, retry_after, headers: Vec::new() })))
}

/// `Retry-After` in delta-seconds (the HTTP-date form is not used by the API).
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The status [`decode`] reads, from a document already parsed: the fuzz target checks the
/// two ways agree.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_status_of(doc: &Value) -> Option<Status> {
    doc.as_object()?.get("status").and_then(Status::from_json)
}

impl Missing {
    /// Read missing scopes and endpoints out of a 11007 `details` text. Scope names in either
    /// spelling are recognised wherever they appear, so this also reads details worded otherwise.
    pub fn parse_details(details: &str) -> Missing {
        let mut out = Missing::default();
        for word in details.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '/' | '.'))) {
            let word = word.trim_end_matches(['.', ':']);
            if word.is_empty() {
                continue;
            }
            if let Some(rpc) = word.strip_prefix("/clarifai.api.V2/") {
                if out.endpoint.is_none() && catalog().endpoint(rpc).is_some() {
                    out.endpoint = Some(word.to_string());
                }
                continue;
            }
            if let Some(s) = Scope::parse(word) {
                let name = s.name().to_string();
                if !out.scopes.contains(&name) {
                    out.scopes.push(name);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The envelope decodes `status` exactly as [`Status::from_json`] reads it from a parsed
    /// document: types, absent members, duplicates, nesting.
    #[test]
    fn the_envelope_reads_status_as_a_parsed_document_does() {
        let docs = [
            r#"{"status":{"code":10000,"description":"Ok","details":"d","req_id":"r"}}"#,
            r#"{"status":{"code":"10000","description":"Ok"}}"#,
            r#"{"status":{"code":" 10000"}}"#,
            r#"{"status":{"code":-1}}"#,
            r#"{"status":{"code":4294967296}}"#,
            r#"{"status":{"code":4294967295}}"#,
            r#"{"status":{"code":1e4}}"#,
            r#"{"status":{"code":10000.0}}"#,
            r#"{"status":{"code":99999999999999999999999}}"#,
            r#"{"status":{"code":true}}"#,
            r#"{"status":{"code":null}}"#,
            r#"{"status":{"code":[10000]}}"#,
            r#"{"status":{"code":{"v":10000}}}"#,
            r#"{"status":{"description":"no code"}}"#,
            r#"{"status":{"code":10000,"description":5,"details":[1],"req_id":{"a":"b"}}}"#,
            r#"{"status":{"code":10000,"description":null}}"#,
            r#"{"status":{"code":1,"code":10000,"description":"a","description":"b"}}"#,
            r#"{"status":{"code":10000,"code":"x"}}"#,
            r#"{"status":{"code":10000,"stack_trace":["a",{"b":[1,2.5,null]}],"percent":1.5}}"#,
            r#"{"status":{"code":10000},"status":{"code":21200}}"#,
            r#"{"status":{"code":10000},"status":7}"#,
            r#"{"status":7,"status":{"code":10000}}"#,
            r#"{"status":"10000"}"#,
            r#"{"status":[{"code":10000}]}"#,
            r#"{"status":null}"#,
            r#"{"outputs":[],"status":{"req_id":"\u00e9\ud83d\ude00","code":10000}}"#,
            r#"{}"#,
        ];
        for doc in docs {
            let value: Value = serde_json::from_str(doc).unwrap();
            let want = value.get("status").and_then(Status::from_json);
            let got = serde_json::from_str::<Envelope>(doc).unwrap().0;
            assert_eq!(got, want, "{doc}");
        }
    }

    fn malformed(r: Result<Response, Error>) -> String {
        match r {
            Err(Error::MalformedResponse { message, .. }) => message,
            other => panic!("expected a malformed response, got {other:?}"),
        }
    }

    #[test]
    fn only_the_status_is_decoded_up_front_and_the_body_on_demand() {
        let text = r#"{"outputs":[{"id":"o","status":{"code":10000}}],"status":{"code":10000,"description":"Ok","req_id":"r"}}"#;
        let r = decode(200, None, text.as_bytes()).unwrap();
        assert_eq!((r.status.code, r.status.req_id.as_str(), r.json()), (10000, "r", text));
        assert!(r.body.get().is_none(), "no tree built before it is asked for");
        assert_eq!(r.body()["outputs"][0]["id"], "o");
        assert_eq!(r.item_statuses().len(), 1);
        assert_eq!(r.clone().into_body()["status"]["description"], "Ok");
        // A later `status` member wins, as it would in a parsed document.
        let r = decode(200, None, br#"{"status":{"code":1},"status":{"code":10000}}"#).unwrap();
        assert_eq!(r.status.code, 10000);
    }

    #[test]
    fn what_is_not_a_json_object_with_a_status_is_malformed() {
        assert_eq!(malformed(decode(200, None, b"")), "empty body");
        assert!(malformed(decode(200, None, b"{\"status\":{\"code\":10000}")).starts_with("not JSON"));
        assert!(malformed(decode(200, None, b"{\"status\":{\"code\":10000}} x")).starts_with("not JSON"));
        // Checked as strictly as a full parse, in members that are otherwise skipped (found by
        // fuzz/decode): bytes that are not UTF-8, a lone surrogate, a number out of range.
        for bad in [
            &b"{\"a\":\"\xff\",\"status\":{\"code\":10000}}"[..],
            br#"{"a":"\ud800","status":{"code":10000}}"#,
            br#"{"a":[1e999],"status":{"code":10000}}"#,
        ] {
            assert!(malformed(decode(200, None, bad)).starts_with("not JSON"), "{}", String::from_utf8_lossy(bad));
        }
        for body in [&b"[{\"code\":10000}]"[..], b"42", b"{\"status\":7}", b"{\"status\":{\"code\":-1}}", b"{}"] {
            assert_eq!(malformed(decode(200, None, body)), "no status object with a numeric code");
        }
        let e =
            decode(403, Some("3"), br#"{"status":{"code":11007,"details":"Missing scopes: Inputs:Add"}}"#).unwrap_err();
        assert!(matches!(e, Error::Api(ref a) if a.missing.scopes.len() == 1), "{e:?}");
    }
}
