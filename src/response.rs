//! Decoding the API's JSON answers: `{"status": {...}, ...}`.

use std::time::Duration;

use serde_json::Value;

use crate::error::{code, ApiError, Error};
use crate::scope::Missing;

/// The `status` object every response carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub code: u32,
    pub description: String,
    pub details: String,
    pub req_id: String,
}

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

    pub fn is_success(&self) -> bool {
        code::is_success(self.code)
    }
}

/// A successful response.
#[derive(Clone, Debug)]
pub struct Response {
    pub http_status: u16,
    pub status: Status,
    /// The whole JSON document, `status` included.
    pub body: Value,
    /// The body exactly as received (UTF-8 JSON text).
    pub text: String,
    /// Response headers, lower-case names.
    pub headers: Vec<(String, String)>,
}

impl Response {
    /// For 10010 (MIXED_STATUS): each item's own status, in order, from the first array of
    /// objects with a `status` (inputs, outputs, …).
    pub fn item_statuses(&self) -> Vec<Status> {
        let Some(obj) = self.body.as_object() else { return Vec::new() };
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
}

/// A header's value by case-insensitive name, from a list of (name, value) pairs.
pub(crate) fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Decode an HTTP answer into a success or a typed error.
pub fn decode(http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<Response, Error> {
    decode_owned(http_status, retry_after, body.to_vec())
}

/// [`decode`] keeping the body's buffer as the response's text, without a copy.
pub(crate) fn decode_owned(http_status: u16, retry_after: Option<&str>, body: Vec<u8>) -> Result<Response, Error> {
    let malformed = |message: String| Error::MalformedResponse { http_status, message };
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            let what = if body.is_empty() { "empty body".to_string() } else { format!("not JSON ({e})") };
            return Err(malformed(what));
        }
    };
    let Some(status) = value.get("status").and_then(Status::from_json) else {
        return Err(malformed("no status object with a numeric code".into()));
    };
    if status.is_success() && (200..300).contains(&http_status) {
        // serde_json accepted it, so it is UTF-8.
        let text = String::from_utf8(body).unwrap_or_default();
        return Ok(Response { http_status, status, body: value, text, headers: Vec::new() });
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
