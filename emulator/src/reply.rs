//! What the emulator answers: an HTTP status plus a JSON document whose first member is the
//! Clarifai `status` object, `{"status":{"code","description","details","req_id"}, ...}`.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

pub(crate) use clarifai::error::code::*;

/// Codes the core does not name but the emulator answers with.
pub(crate) const FAILURE: u32 = 10020;
pub(crate) const MOVED: u32 = 10050;
pub(crate) const CONN_TOKEN_INVALID: u32 = 11001;
pub(crate) const CONN_CREDENTIALS_INVALID: u32 = 11002;
pub(crate) const MODEL_TRAINED: u32 = 21100;
pub(crate) const MODEL_QUEUED_FOR_TRAINING: u32 = 21103;
/// The API's own not-found codes for models and workflows (HTTP 404), not 11101.
pub(crate) const MODEL_DOES_NOT_EXIST: u32 = 21200;
pub(crate) const MODEL_INVALID_ARGUMENT: u32 = 21202;
pub(crate) const WORKFLOW_DOES_NOT_EXIST: u32 = 22102;
pub(crate) const ANNOTATION_SUCCESS: u32 = 24150;
pub(crate) const INPUT_DOWNLOAD_SUCCESS: u32 = 30000;
pub(crate) const INPUT_INVALID_ARGUMENT: u32 = 30104;

/// The API's description text for a code.
pub(crate) fn description(code: u32) -> &'static str {
    match code {
        SUCCESS => "Ok",
        MIXED_STATUS => "Mixed Success",
        ACCEPTED => "Accepted",
        FAILURE => "Failure",
        MOVED => "Moved",
        CONN_TOKEN_INVALID => "Invalid token",
        CONN_CREDENTIALS_INVALID => "Invalid credentials",
        CONN_THROTTLED => "Making too many requests",
        CONN_INSUFFICIENT_SCOPES => "API key has insufficient scopes",
        CONN_KEY_INVALID => "Invalid API key or Invalid API key/application pair",
        CONN_KEY_NOT_FOUND => "API key not found",
        CONN_DOES_NOT_EXIST => "Resource does not exist",
        CONN_INVALID_REQUEST => "Invalid request",
        CONN_METHOD_NOT_ALLOWED => "Method not allowed",
        CONN_AUTH_METHOD_DISABLED => "Authentication method not allowed for this endpoint",
        MODEL_TRAINED => "Model is trained and ready",
        MODEL_QUEUED_FOR_TRAINING => "Model is queued for training",
        MODEL_DOES_NOT_EXIST => "Model does not exist",
        MODEL_INVALID_ARGUMENT => "Invalid model argument",
        WORKFLOW_DOES_NOT_EXIST => "Workflow does not exist",
        ANNOTATION_SUCCESS => "Annotation success",
        INPUT_DOWNLOAD_SUCCESS => "Download complete",
        INPUT_INVALID_ARGUMENT => "Invalid input argument",
        _ => "Failure",
    }
}

/// A `status` object, as the API nests it in every response and in per-item results.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Status<'a> {
    pub code: u32,
    pub description: &'a str,
    pub details: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub req_id: &'a str,
}

/// A per-item status (inputs, outputs): no req_id of its own.
pub(crate) fn item_status(code: u32, details: &str) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("code".into(), code.into());
    m.insert("description".into(), description(code).into());
    if !details.is_empty() {
        m.insert("details".into(), details.into());
    }
    Value::Object(m)
}

/// One answer, before it is rendered.
#[derive(Debug)]
pub(crate) struct Reply {
    pub http: u16,
    pub code: u32,
    pub description: Cow<'static, str>,
    pub details: Cow<'static, str>,
    /// Members after `status`, in order.
    pub payload: Vec<(&'static str, Value)>,
    pub retry_after: Option<u64>,
    /// One more header: `location` for a redirect, `x-echo` for the `echo` fault. Boxed: most
    /// replies have none, and a Reply travels in many `Result`s.
    pub header: Option<Box<(&'static str, String)>>,
}

impl Reply {
    pub(crate) fn new(http: u16, code: u32, details: impl Into<Cow<'static, str>>) -> Reply {
        Reply {
            http,
            code,
            description: Cow::Borrowed(description(code)),
            details: details.into(),
            payload: Vec::new(),
            retry_after: None,
            header: None,
        }
    }

    pub(crate) fn ok() -> Reply {
        Reply::new(200, SUCCESS, "")
    }

    pub(crate) fn with(mut self, key: &'static str, value: Value) -> Reply {
        self.payload.push((key, value));
        self
    }

    /// The `Authorization` header is missing or malformed.
    pub(crate) fn bad_header(details: impl Into<Cow<'static, str>>) -> Reply {
        Reply::new(401, CONN_INVALID_REQUEST, details)
    }

    /// The request's parameters or body are unusable.
    pub(crate) fn bad_request(details: impl Into<Cow<'static, str>>) -> Reply {
        Reply::new(400, CONN_INVALID_REQUEST, details)
    }

    pub(crate) fn not_found(details: impl Into<Cow<'static, str>>) -> Reply {
        Reply::new(404, CONN_DOES_NOT_EXIST, details)
    }

    pub(crate) fn key_invalid(details: impl Into<Cow<'static, str>>) -> Reply {
        Reply::new(401, CONN_KEY_INVALID, details)
    }

    /// The overall status of a batch whose items each carry a status: all fine (10000), some
    /// failed (10010, still HTTP 200), or every one failed (10020, HTTP 400).
    pub(crate) fn batch(total: usize, failed: usize) -> Reply {
        if failed == 0 {
            Reply::ok()
        } else if failed < total {
            Reply::new(200, MIXED_STATUS, format!("{failed} of {total} items failed; each item's status says why"))
        } else {
            Reply::new(400, FAILURE, "every item failed; each item's status says why")
        }
    }

    /// The JSON document, `status` first.
    pub(crate) fn render(&self, req_id: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(160);
        out.extend_from_slice(b"{\"status\":");
        let status = Status { code: self.code, description: &self.description, details: &self.details, req_id };
        // Serializing plain strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &status);
        for (k, v) in &self.payload {
            out.push(b',');
            let _ = serde_json::to_writer(&mut out, k);
            out.push(b':');
            let _ = serde_json::to_writer(&mut out, v);
        }
        out.push(b'}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_comes_first() {
        let r = Reply::ok().with("inputs", serde_json::json!([]));
        let text = String::from_utf8(r.render("r1")).unwrap();
        assert_eq!(text, r#"{"status":{"code":10000,"description":"Ok","details":"","req_id":"r1"},"inputs":[]}"#);
    }
}
