//! The log of requests the emulator saw, for tests to check what a client really sent.
//!
//! It holds what was routed and how, never a header value: no token reaches it. It is a ring
//! of the most recent requests, so a benchmark cannot grow it without bound.

use std::collections::VecDeque;
use std::sync::Mutex;

use clarifai::CredentialKind;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// One API request as the emulator saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as received, without the query string.
    pub path: String,
    /// The RPC the path routed to, e.g. `ListInputs`; `None` for unknown routes.
    pub endpoint: Option<String>,
    /// The raw query string (may be empty).
    pub query: String,
    /// The kind of the credential that was recognised, if any.
    pub credential: Option<CredentialKind>,
    /// The HTTP status answered.
    pub http_status: u16,
    /// The Clarifai status code answered.
    pub code: u32,
    /// The number of the connection that carried it (from 1, in the order accepted).
    pub connection: u64,
    /// `HTTP/1.1` or `HTTP/2`.
    pub http_version: &'static str,
    /// The response body's length as sent: compressed, when it was.
    pub body_bytes: usize,
    /// Whether the body was sent gzipped (the request accepted it and it was over 1 KiB).
    pub gzipped: bool,
    /// The client went away (reset its HTTP/2 stream, closed its connection) before the answer:
    /// a cancelled call. Endpoint, credential and statuses are then unknown.
    pub aborted: bool,
}

/// How credential kinds are spelled in the admin route's JSON.
pub fn credential_kind_name(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::ApiKey => "api_key",
        CredentialKind::Pat => "pat",
        CredentialKind::LegacyToken => "legacy_token",
    }
}

impl Serialize for RequestRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RequestRecord", 12)?;
        st.serialize_field("method", &self.method)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("endpoint", &self.endpoint)?;
        st.serialize_field("query", &self.query)?;
        st.serialize_field("credential", &self.credential.map(credential_kind_name))?;
        st.serialize_field("http_status", &self.http_status)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("connection", &self.connection)?;
        st.serialize_field("http_version", &self.http_version)?;
        st.serialize_field("body_bytes", &self.body_bytes)?;
        st.serialize_field("gzipped", &self.gzipped)?;
        st.serialize_field("aborted", &self.aborted)?;
        st.end()
    }
}

pub(crate) struct RequestLog {
    capacity: usize,
    entries: Mutex<VecDeque<RequestRecord>>,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> RequestLog {
        RequestLog { capacity, entries: Mutex::new(VecDeque::new()) }
    }

    pub(crate) fn push(&self, record: RequestRecord) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(record);
    }

    pub(crate) fn snapshot(&self) -> Vec<RequestRecord> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
