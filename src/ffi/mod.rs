//! The C ABI. Only this module knows C.
#![allow(non_camel_case_types)]
//!
//! Conventions (model: rustls-ffi):
//! - Every symbol is prefixed `clarifai_`; handles are opaque; `_new`/`_free` pairs;
//!   `_free(NULL)` does nothing.
//! - Fallible functions return a `clarifai_result`; outputs are written only on success, and on
//!   failure an owned `clarifai_error` is written to `out_error` when that is not NULL.
//! - Strings in are NUL-terminated UTF-8 and are checked; strings out are either borrowed from a
//!   handle (valid until it is freed) or owned and freed with `clarifai_string_free`.
//! - Every body runs inside a panic boundary: nothing unwinds into C.

mod batch;
mod call;
mod client;
mod error;
mod keys;
mod options;
mod response;

use std::ffi::{c_char, CStr, CString};

pub use batch::*;
pub use call::*;
pub use client::*;
pub use error::*;
pub use keys::*;
pub use options::*;
pub use response::*;

use crate::error::{code, Error, TransportKind};

/// What a call did. `CLARIFAI_RESULT_OK` is 0; every other value is a failure whose details are
/// in the `clarifai_error` written to `out_error`.
// repr(C) gives `typedef enum clarifai_result {...} clarifai_result;`, valid C and C++ alike
// (repr(u32) would emit an enum tag and a typedef of the same name, which C++ rejects). The
// library only ever produces these values; functions taking a code from C take a uint32_t.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum clarifai_result {
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// An argument was refused before any request: invalid UTF-8, an empty or malformed key or
    /// id, parameters that are not a JSON object, a bad path or URL.
    InvalidArgument = 2,
    /// No RPC of that name in the endpoint catalogue.
    UnknownEndpoint = 3,
    /// The environment lacks a variable (the message names it).
    MissingConfig = 4,
    /// The API answered with a failure status not covered by a more specific result.
    ApiError = 5,
    /// 11007: the credential lacks scopes and/or an endpoint grant (see
    /// `clarifai_error_missing_scope` and `clarifai_error_missing_endpoint`).
    InsufficientScopes = 6,
    /// 11009: the API does not know this key.
    KeyNotFound = 7,
    /// 11008: the key does not belong to that app, or a PAT was used without an app.
    KeyInvalid = 8,
    /// 11102: no or a malformed `Authorization` header, or a malformed request.
    InvalidRequest = 9,
    /// 11200: this endpoint needs a Personal Access Token (or refuses this credential kind).
    PatRequired = 10,
    /// 11005: throttled; see `clarifai_error_retry_after_secs`.
    Throttled = 11,
    /// 11101, or another "does not exist" status with HTTP 404 (21200 for a model, ...):
    /// unknown resource, app or route.
    NotFound = 12,
    /// 11103: the path exists but not with that method.
    MethodNotAllowed = 13,
    /// The connection could not be made.
    Connect = 14,
    /// The host name did not resolve.
    Dns = 15,
    /// A connect or total timeout fired.
    Timeout = 16,
    /// TLS handshake or certificate failure.
    Tls = 17,
    /// The response exceeded the size limit.
    BodyTooLarge = 18,
    /// A redirect that may not be followed (https to http, or too many).
    RedirectRefused = 19,
    /// The connection broke mid-exchange.
    Io = 20,
    /// Plain http:// to a host that is not loopback, without the opt-in.
    InsecureUrl = 21,
    /// The answer was not a Clarifai JSON response.
    MalformedResponse = 22,
    /// Key rotation created the new key but could not delete the old one; both work.
    RotationIncomplete = 23,
    /// The operation cannot run now (for example the client is shutting down).
    State = 24,
    /// A bug in the library: a panic was caught at the boundary.
    Panic = 25,
    /// The call was cancelled (`clarifai_call_cancel`, `clarifai_call_free` before it was done,
    /// or a cancel token) before it completed.
    Cancelled = 26,
}

impl clarifai_result {
    /// The result a C caller gets for this error.
    pub fn of(e: &Error) -> clarifai_result {
        use clarifai_result as R;
        match e {
            Error::InvalidArgument(_) => R::InvalidArgument,
            Error::MissingConfig(_) => R::MissingConfig,
            Error::PatRequired(_) => R::PatRequired,
            Error::UnknownEndpoint(_) => R::UnknownEndpoint,
            Error::Api(api) => match api.status.code {
                code::CONN_INSUFFICIENT_SCOPES => R::InsufficientScopes,
                code::CONN_KEY_NOT_FOUND => R::KeyNotFound,
                code::CONN_KEY_INVALID => R::KeyInvalid,
                code::CONN_INVALID_REQUEST => R::InvalidRequest,
                code::CONN_AUTH_METHOD_DISABLED => R::PatRequired,
                code::CONN_THROTTLED => R::Throttled,
                code::CONN_DOES_NOT_EXIST => R::NotFound,
                code::CONN_METHOD_NOT_ALLOWED => R::MethodNotAllowed,
                // Resource-specific "does not exist" codes (21200 for a model, 22102 for a
                // workflow, ...) come with HTTP 404.
                _ if api.http_status == 404 => R::NotFound,
                _ => R::ApiError,
            },
            Error::Transport { kind, .. } => match kind {
                TransportKind::Connect => R::Connect,
                TransportKind::Dns => R::Dns,
                TransportKind::Timeout => R::Timeout,
                TransportKind::Tls => R::Tls,
                TransportKind::BodyTooLarge => R::BodyTooLarge,
                TransportKind::Redirect => R::RedirectRefused,
                TransportKind::Io => R::Io,
                TransportKind::InsecureUrl => R::InsecureUrl,
            },
            Error::MalformedResponse { .. } => R::MalformedResponse,
            Error::RotationIncomplete { .. } => R::RotationIncomplete,
            Error::State(_) => R::State,
            Error::Cancelled => R::Cancelled,
        }
    }

    fn name(self) -> &'static CStr {
        use clarifai_result as R;
        match self {
            R::Ok => c"CLARIFAI_RESULT_OK",
            R::NullArgument => c"CLARIFAI_RESULT_NULL_ARGUMENT",
            R::InvalidArgument => c"CLARIFAI_RESULT_INVALID_ARGUMENT",
            R::UnknownEndpoint => c"CLARIFAI_RESULT_UNKNOWN_ENDPOINT",
            R::MissingConfig => c"CLARIFAI_RESULT_MISSING_CONFIG",
            R::ApiError => c"CLARIFAI_RESULT_API_ERROR",
            R::InsufficientScopes => c"CLARIFAI_RESULT_INSUFFICIENT_SCOPES",
            R::KeyNotFound => c"CLARIFAI_RESULT_KEY_NOT_FOUND",
            R::KeyInvalid => c"CLARIFAI_RESULT_KEY_INVALID",
            R::InvalidRequest => c"CLARIFAI_RESULT_INVALID_REQUEST",
            R::PatRequired => c"CLARIFAI_RESULT_PAT_REQUIRED",
            R::Throttled => c"CLARIFAI_RESULT_THROTTLED",
            R::NotFound => c"CLARIFAI_RESULT_NOT_FOUND",
            R::MethodNotAllowed => c"CLARIFAI_RESULT_METHOD_NOT_ALLOWED",
            R::Connect => c"CLARIFAI_RESULT_CONNECT",
            R::Dns => c"CLARIFAI_RESULT_DNS",
            R::Timeout => c"CLARIFAI_RESULT_TIMEOUT",
            R::Tls => c"CLARIFAI_RESULT_TLS",
            R::BodyTooLarge => c"CLARIFAI_RESULT_BODY_TOO_LARGE",
            R::RedirectRefused => c"CLARIFAI_RESULT_REDIRECT_REFUSED",
            R::Io => c"CLARIFAI_RESULT_IO",
            R::InsecureUrl => c"CLARIFAI_RESULT_INSECURE_URL",
            R::MalformedResponse => c"CLARIFAI_RESULT_MALFORMED_RESPONSE",
            R::RotationIncomplete => c"CLARIFAI_RESULT_ROTATION_INCOMPLETE",
            R::State => c"CLARIFAI_RESULT_STATE",
            R::Panic => c"CLARIFAI_RESULT_PANIC",
            R::Cancelled => c"CLARIFAI_RESULT_CANCELLED",
        }
    }
}

/// The kind of credential a client sends.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum clarifai_credential_kind {
    /// An app-specific API key.
    ApiKey = 0,
    /// A Personal Access Token.
    Pat = 1,
    /// A deprecated legacy access token (Bearer).
    LegacyToken = 2,
    /// No credential (`clarifai_client_new_without_credential`).
    None = 3,
}

/// Run `body`, turning a panic into `$on_panic`. Every exported function goes through this.
macro_rules! ffi_boundary {
    ($on_panic:expr, $body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(_) => $on_panic,
        }
    }};
}
pub(crate) use ffi_boundary;

/// Run a fallible body; on failure write an error object to `out_error` (when not NULL).
macro_rules! ffi_try {
    ($out_error:expr, $body:block) => {{
        let out_error: *mut *mut $crate::ffi::clarifai_error = $out_error;
        let r: ::std::result::Result<(), $crate::ffi::Failure> =
            match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
                Ok(r) => r,
                Err(_) => Err($crate::ffi::Failure::panic()),
            };
        match r {
            Ok(()) => $crate::ffi::clarifai_result::Ok,
            Err(f) => f.report(out_error),
        }
    }};
}
pub(crate) use ffi_try;

/// A failure on its way to C: a result code and the error object's contents.
pub(crate) struct Failure {
    pub result: clarifai_result,
    pub error: Option<Error>,
    pub message: String,
}

impl Failure {
    pub fn null(what: &str) -> Failure {
        Failure { result: clarifai_result::NullArgument, error: None, message: format!("{what} is NULL") }
    }

    pub fn invalid(message: String) -> Failure {
        Failure { result: clarifai_result::InvalidArgument, error: None, message }
    }

    pub fn panic() -> Failure {
        Failure {
            result: clarifai_result::Panic,
            error: None,
            message: "internal error: a panic was caught at the C boundary (please report it)".into(),
        }
    }

    fn report(self, out_error: *mut *mut clarifai_error) -> clarifai_result {
        let result = self.result;
        if !out_error.is_null() {
            let err = clarifai_error::new(result, self.message, self.error);
            unsafe { *out_error = Box::into_raw(Box::new(err)) };
        }
        result
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure { result: clarifai_result::of(&e), message: e.to_string(), error: Some(e) }
    }
}

/// Borrow a required C string as UTF-8.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::null(what));
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|e| Failure::invalid(format!("{what} is not valid UTF-8 (byte {})", e.valid_up_to())))
}

/// Borrow an optional C string (NULL means absent).
pub(crate) unsafe fn opt_str_arg<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        str_arg(p, what).map(Some)
    }
}

/// The parameters of a call: NULL or blank text is no parameters, anything else must be a JSON
/// document (the API's own payload; checked here, before anything is sent).
pub(crate) unsafe fn params_arg(p: *const c_char, what: &str) -> Result<serde_json::Value, Failure> {
    Ok(crate::client::parse_params(opt_str_arg(p, what)?.unwrap_or(""))?)
}

/// Free a handle this library boxed for C; NULL does nothing (every `clarifai_*_free`).
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        drop(Box::from_raw(p));
    }
}

/// Check an out-pointer.
pub(crate) fn out_arg<T>(p: *mut *mut T, what: &str) -> Result<(), Failure> {
    if p.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(())
    }
}

/// An owned string for C, or an error if it holds a NUL byte.
/// Owned strings may hold a key, so the source is wiped: `CString::new(String)` would
/// reallocate to add the NUL and free the old block with the key still in it.
pub(crate) fn owned_c_string(mut s: String) -> Result<*mut c_char, Failure> {
    let mut bytes = Vec::with_capacity(s.len() + 1);
    bytes.extend_from_slice(s.as_bytes());
    zeroize::Zeroize::zeroize(&mut s);
    CString::new(bytes).map(CString::into_raw).map_err(|e| {
        zeroize::Zeroize::zeroize(&mut e.into_vec());
        Failure { result: clarifai_result::MalformedResponse, error: None, message: "string holds a NUL byte".into() }
    })
}

/// A borrowed string kept inside a handle: NUL bytes (impossible in JSON text) become U+FFFD.
pub(crate) fn c_string_lossy(s: &str) -> CString {
    CString::new(s).unwrap_or_else(|_| CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default())
}

/// The library version, e.g. "0.1.0"; equal to `CLARIFAI_VERSION_STRING`. Static: never free it.
#[no_mangle]
pub extern "C" fn clarifai_version() -> *const c_char {
    static VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };
    VERSION.as_ptr()
}

/// The name of a result code, e.g. "CLARIFAI_RESULT_KEY_NOT_FOUND". Static: never free it.
/// Unknown values give "CLARIFAI_RESULT_UNKNOWN".
#[no_mangle]
pub extern "C" fn clarifai_result_name(result: u32) -> *const c_char {
    ffi_boundary!(c"CLARIFAI_RESULT_UNKNOWN".as_ptr(), {
        if result > clarifai_result::Cancelled as u32 {
            return c"CLARIFAI_RESULT_UNKNOWN".as_ptr();
        }
        // SAFETY: checked to be in range of the contiguous discriminants above.
        let r: clarifai_result = unsafe { std::mem::transmute::<u32, clarifai_result>(result) };
        r.name().as_ptr()
    })
}

/// Free a string this library returned as owned (`char **out_…`). Its bytes are wiped first,
/// since such strings may hold a key. NULL does nothing.
///
/// # Safety
/// `s` is NULL or a string returned as owned by this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_string_free(s: *mut c_char) {
    ffi_boundary!((), {
        if !s.is_null() {
            let c = CString::from_raw(s);
            let mut bytes = c.into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
        }
    })
}
