//! `clarifai_error`: what went wrong, owned by the caller.

use std::ffi::{c_char, CString};
use std::ptr;

use super::{c_string_lossy, clarifai_result, ffi_boundary, free_box, str_arg};
use crate::error::Error;

/// The details of a failure: result code, message, and for API failures the Clarifai status,
/// missing scopes and endpoint. Owned by the caller; free with `clarifai_error_free`. Strings it
/// returns are borrowed from it and valid until it is freed. Never holds a secret.
pub struct clarifai_error {
    result: clarifai_result,
    message: CString,
    status_code: u32,
    http_status: u16,
    description: CString,
    details: CString,
    req_id: CString,
    missing_scopes: Vec<CString>,
    missing_endpoint: Option<CString>,
    retry_after: i64,
    headers: Vec<(String, CString)>,
}

impl clarifai_error {
    pub(crate) fn new(result: clarifai_result, message: String, error: Option<Error>) -> clarifai_error {
        let mut e = clarifai_error {
            result,
            message: c_string_lossy(&message),
            status_code: 0,
            http_status: 0,
            description: CString::default(),
            details: CString::default(),
            req_id: CString::default(),
            missing_scopes: Vec::new(),
            missing_endpoint: None,
            retry_after: -1,
            headers: Vec::new(),
        };
        let api = match &error {
            Some(Error::Api(api)) => Some(api.as_ref()),
            Some(Error::RotationIncomplete { source, .. }) => source.api(),
            _ => None,
        };
        if let Some(api) = api {
            e.status_code = api.status.code;
            e.http_status = api.http_status;
            e.description = c_string_lossy(&api.status.description);
            e.details = c_string_lossy(&api.status.details);
            e.req_id = c_string_lossy(&api.status.req_id);
            e.missing_scopes = api.missing.scopes.iter().map(|s| c_string_lossy(s)).collect();
            e.missing_endpoint = api.missing.endpoint.as_deref().map(c_string_lossy);
            e.retry_after = api.retry_after.map(|d| d.as_secs().min(i64::MAX as u64) as i64).unwrap_or(-1);
            e.headers = api.headers.iter().map(|(k, v)| (k.clone(), c_string_lossy(v))).collect();
        }
        if let Some(Error::MalformedResponse { http_status, .. }) = &error {
            e.http_status = *http_status;
        }
        e
    }

    /// A preflight denial: no server status, but the missing parts named.
    pub(crate) fn denial(
        result: clarifai_result,
        message: String,
        scopes: &[String],
        endpoint: Option<&str>,
    ) -> clarifai_error {
        let mut e = clarifai_error::new(result, message, None);
        e.missing_scopes = scopes.iter().map(|s| c_string_lossy(s)).collect();
        e.missing_endpoint = endpoint.map(c_string_lossy);
        e
    }
}

macro_rules! with_error {
    ($err:expr, $default:expr, |$e:ident| $body:expr) => {{
        ffi_boundary!($default, {
            match unsafe { $err.as_ref() } {
                Some($e) => $body,
                None => $default,
            }
        })
    }};
}

/// The result code of the failure. NULL gives `CLARIFAI_RESULT_NULL_ARGUMENT`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_result(err: *const clarifai_error) -> clarifai_result {
    with_error!(err, clarifai_result::NullArgument, |e| e.result)
}

/// A message for people: what failed and, for API failures, the status code, description,
/// details and req_id. Borrowed from `err`. NULL gives "".
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_message(err: *const clarifai_error) -> *const c_char {
    with_error!(err, c"".as_ptr(), |e| e.message.as_ptr())
}

/// The Clarifai status code (e.g. 11007), or 0 when the server sent none.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_status_code(err: *const clarifai_error) -> u32 {
    with_error!(err, 0, |e| e.status_code)
}

/// The HTTP status, or 0 when there was no answer.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_http_status(err: *const clarifai_error) -> u16 {
    with_error!(err, 0, |e| e.http_status)
}

/// The status description (e.g. "API key not found"), or "". Borrowed from `err`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_description(err: *const clarifai_error) -> *const c_char {
    with_error!(err, c"".as_ptr(), |e| e.description.as_ptr())
}

/// The status details, or "". Borrowed from `err`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_details(err: *const clarifai_error) -> *const c_char {
    with_error!(err, c"".as_ptr(), |e| e.details.as_ptr())
}

/// The request id the server gave, or "". Borrowed from `err`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_req_id(err: *const clarifai_error) -> *const c_char {
    with_error!(err, c"".as_ptr(), |e| e.req_id.as_ptr())
}

/// How many scopes the credential lacks (11007 or a preflight denial); 0 otherwise.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_missing_scopes_count(err: *const clarifai_error) -> usize {
    with_error!(err, 0, |e| e.missing_scopes.len())
}

/// The missing scope at `index`, docs spelling (e.g. "Inputs:Add"); NULL when out of range.
/// Borrowed from `err`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_missing_scope(err: *const clarifai_error, index: usize) -> *const c_char {
    with_error!(err, ptr::null(), |e| e.missing_scopes.get(index).map_or(ptr::null(), |s| s.as_ptr()))
}

/// The endpoint grant the key lacks (e.g. "/clarifai.api.V2/PostInputs"), or NULL.
/// Borrowed from `err`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_missing_endpoint(err: *const clarifai_error) -> *const c_char {
    with_error!(err, ptr::null(), |e| e.missing_endpoint.as_ref().map_or(ptr::null(), |s| s.as_ptr()))
}

/// Seconds the server asked to wait (`Retry-After`), or -1 when it did not say.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_retry_after_secs(err: *const clarifai_error) -> i64 {
    with_error!(err, -1, |e| e.retry_after)
}

/// A response header of the failed request (name case-insensitive), or NULL. Borrowed from `err`.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_header(err: *const clarifai_error, name: *const c_char) -> *const c_char {
    with_error!(err, ptr::null(), |e| {
        match unsafe { str_arg(name, "name") } {
            Ok(n) => e.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map_or(ptr::null(), |(_, v)| v.as_ptr()),
            Err(_) => ptr::null(),
        }
    })
}

/// Free an error. NULL does nothing.
///
/// # Safety
/// `err` is NULL or an error from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_error_free(err: *mut clarifai_error) {
    ffi_boundary!((), { free_box(err) })
}
