//! Errors as values. API failures keep the server's status; transport failures are separate.
//!
//! No message built here contains a credential: the types that hold secrets print
//! `[redacted]`, and argument errors describe a bad token by position and class only.

use std::fmt;
use std::time::Duration;

/// Clarifai status codes the library gives meaning to.
pub mod code {
    pub const SUCCESS: u32 = 10000;
    pub const MIXED_STATUS: u32 = 10010;
    pub const ACCEPTED: u32 = 10070;
    pub const CONN_THROTTLED: u32 = 11005;
    pub const CONN_INSUFFICIENT_SCOPES: u32 = 11007;
    pub const CONN_KEY_INVALID: u32 = 11008;
    pub const CONN_KEY_NOT_FOUND: u32 = 11009;
    pub const CONN_DOES_NOT_EXIST: u32 = 11101;
    pub const CONN_INVALID_REQUEST: u32 = 11102;
    pub const CONN_METHOD_NOT_ALLOWED: u32 = 11103;
    pub const CONN_AUTH_METHOD_DISABLED: u32 = 11200;

    /// 10000, 10010 (some items failed; per-item statuses kept) and 10070 are successes.
    pub fn is_success(code: u32) -> bool {
        matches!(code, SUCCESS | MIXED_STATUS | ACCEPTED)
    }
}

/// The `status` object every response carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub code: u32,
    pub description: String,
    pub details: String,
    pub req_id: String,
}

impl Status {
    pub fn is_success(&self) -> bool {
        code::is_success(self.code)
    }
}

/// The scopes and endpoint a credential lacks for one endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing {
    /// Docs spelling, e.g. `Inputs:Add`.
    pub scopes: Vec<String>,
    /// Full RPC name, e.g. `/clarifai.api.V2/PostInputs`, when the key's endpoint list lacks it.
    pub endpoint: Option<String>,
}

impl Missing {
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty() && self.endpoint.is_none()
    }

    /// The `details` text of a 11007 status; [`Missing::parse_details`] reads it back.
    pub fn to_details(&self) -> String {
        let mut parts = Vec::new();
        if !self.scopes.is_empty() {
            parts.push(format!("Missing scopes: {}", self.scopes.join(", ")));
        }
        if let Some(e) = &self.endpoint {
            parts.push(format!("Missing endpoint: {e}"));
        }
        parts.join(". ")
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_details())
    }
}

/// A header's value by case-insensitive name, from a list of (name, value) pairs.
pub(crate) fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// A status the API returned that is not a success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub http_status: u16,
    pub status: Status,
    /// For 11007: the scopes and endpoint the credential lacks, read from `details`.
    pub missing: Missing,
    /// For 11005 (and any response with `Retry-After`).
    pub retry_after: Option<Duration>,
    /// Response headers, lower-case names.
    pub headers: Vec<(String, String)>,
}

impl ApiError {
    pub fn code(&self) -> u32 {
        self.status.code
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clarifai status {}", self.status.code)?;
        if !self.status.description.is_empty() {
            write!(f, " ({})", self.status.description)?;
        }
        if !self.status.details.is_empty() {
            write!(f, ": {}", self.status.details)?;
        }
        write!(f, " [HTTP {}", self.http_status)?;
        if !self.status.req_id.is_empty() {
            write!(f, ", req_id {}", self.status.req_id)?;
        }
        f.write_str("]")?;
        if let Some(r) = self.retry_after {
            write!(f, "; retry after {} s", r.as_secs())?;
        }
        Ok(())
    }
}

/// What went wrong below HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// The server refused or could not be reached.
    Connect,
    /// The host name did not resolve.
    Dns,
    /// A connect or total timeout fired.
    Timeout,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The response exceeded the configured size limit.
    BodyTooLarge,
    /// A redirect that may not be followed (to `http://` from `https://`, or too many).
    Redirect,
    /// The connection broke mid-request or mid-response.
    Io,
    /// The base URL is unusable (plain `http://` to a non-loopback host without the opt-in).
    InsecureUrl,
}

impl TransportKind {
    pub fn name(self) -> &'static str {
        match self {
            TransportKind::Connect => "connection failed",
            TransportKind::Dns => "host name did not resolve",
            TransportKind::Timeout => "timed out",
            TransportKind::Tls => "TLS failure",
            TransportKind::BodyTooLarge => "response too large",
            TransportKind::Redirect => "redirect refused",
            TransportKind::Io => "connection broken",
            TransportKind::InsecureUrl => "insecure URL refused",
        }
    }
}

/// Every failure of the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad input, refused before any request.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The environment lacks what was asked of it (names the variables).
    #[error("missing configuration: {0}")]
    MissingConfig(String),
    /// No such RPC in the catalogue.
    #[error("unknown endpoint {0:?}; names are RPC names such as \"PostModelOutputs\"")]
    UnknownEndpoint(String),
    /// The API answered with a failure status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not complete.
    #[error("{}: {message}", kind.name())]
    Transport { kind: TransportKind, message: String },
    /// The server's answer is not a Clarifai JSON response.
    #[error("malformed response (HTTP {http_status}): {message}")]
    MalformedResponse { http_status: u16, message: String },
    /// Refused before sending: the operation needs another kind of credential (for example
    /// key management with an app key).
    #[error("{0}")]
    PatRequired(String),
    /// Key rotation stopped midway; both keys are usable.
    #[error("key rotation incomplete: new key {new_key_id} was created but old key {old_key_id} could not be deleted ({source}); both keys work")]
    RotationIncomplete { new_key_id: String, old_key_id: String, source: Box<Error> },
    /// The operation cannot run in this process (for example after `fork()` while a call was in flight).
    #[error("{0}")]
    State(String),
    /// The call was cancelled (a [`crate::CancelToken`], a dropped [`crate::Call`], or a
    /// cancelled call handle) before it completed.
    #[error("the call was cancelled")]
    Cancelled,
}

impl Error {
    /// The API error, when this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The Clarifai status code, when the server sent one.
    pub fn status_code(&self) -> Option<u32> {
        self.api().map(|e| e.status.code)
    }

    pub(crate) fn transport(kind: TransportKind, message: impl Into<String>) -> Error {
        Error::Transport { kind, message: message.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
