//! `clarifai_response`: a successful answer, owned by the caller.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use super::{c_string_lossy, ffi_boundary, free_box, str_arg};
use crate::response::Response;

/// A successful response (status 10000, 10010 MIXED_STATUS or 10070 ACCEPTED). Owned by the
/// caller; free with `clarifai_response_free`. Strings it returns are borrowed from it and valid
/// until it is freed. A response may be read from any thread.
pub struct clarifai_response {
    http_status: u16,
    status_code: u32,
    description: CString,
    details: CString,
    req_id: CString,
    json: CString,
    headers: Vec<(String, String)>,
    /// The C copy of each header value, made the first time it is asked for and kept until the
    /// response is freed: one stable pointer per header however often it is looked up. Built on
    /// demand: most callers never read a header, and copying them all cost a call ~1 µs.
    header_values: OnceLock<Box<[OnceLock<CString>]>>,
}

impl clarifai_response {
    pub(crate) fn new(r: Response) -> clarifai_response {
        let Response { http_status, status, text, headers, .. } = r;
        clarifai_response {
            http_status,
            status_code: status.code,
            description: c_string_lossy(&status.description),
            details: c_string_lossy(&status.details),
            req_id: c_string_lossy(&status.req_id),
            // The body as received, moved rather than re-serialized.
            json: CString::new(text).unwrap_or_else(|e| c_string_lossy(&String::from_utf8_lossy(&e.into_vec()))),
            headers,
            header_values: OnceLock::new(),
        }
    }

    pub(crate) fn boxed(r: Response) -> *mut clarifai_response {
        Box::into_raw(Box::new(clarifai_response::new(r)))
    }

    fn header(&self, name: &str) -> *const c_char {
        let Some(i) = self.headers.iter().position(|(k, _)| k.eq_ignore_ascii_case(name)) else {
            return ptr::null();
        };
        let values = self.header_values.get_or_init(|| self.headers.iter().map(|_| OnceLock::new()).collect());
        values[i].get_or_init(|| c_string_lossy(&self.headers[i].1)).as_ptr()
    }
}

macro_rules! with_response {
    ($r:expr, $default:expr, |$x:ident| $body:expr) => {{
        ffi_boundary!($default, {
            match unsafe { $r.as_ref() } {
                Some($x) => $body,
                None => $default,
            }
        })
    }};
}

/// The HTTP status (200, or 202 for ACCEPTED). NULL gives 0.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_http_status(resp: *const clarifai_response) -> u16 {
    with_response!(resp, 0, |r| r.http_status)
}

/// The Clarifai status code: 10000, 10010 (MIXED_STATUS: some items failed; their statuses are
/// in the body) or 10070 (ACCEPTED). NULL gives 0.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_status_code(resp: *const clarifai_response) -> u32 {
    with_response!(resp, 0, |r| r.status_code)
}

/// The status description, or "". Borrowed from `resp`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_description(resp: *const clarifai_response) -> *const c_char {
    with_response!(resp, c"".as_ptr(), |r| r.description.as_ptr())
}

/// The status details, or "". Borrowed from `resp`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_details(resp: *const clarifai_response) -> *const c_char {
    with_response!(resp, c"".as_ptr(), |r| r.details.as_ptr())
}

/// The request id, or "". Borrowed from `resp`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_req_id(resp: *const clarifai_response) -> *const c_char {
    with_response!(resp, c"".as_ptr(), |r| r.req_id.as_ptr())
}

/// The whole body as JSON text, `status` included. Borrowed from `resp`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_json(resp: *const clarifai_response) -> *const c_char {
    with_response!(resp, c"".as_ptr(), |r| r.json.as_ptr())
}

/// A response header (name case-insensitive; the first of that name), or NULL. Borrowed from
/// `resp`: the same pointer for every lookup of that header, valid until `resp` is freed.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_header(
    resp: *const clarifai_response,
    name: *const c_char,
) -> *const c_char {
    with_response!(resp, ptr::null(), |r| {
        match unsafe { str_arg(name, "name") } {
            Ok(n) => r.header(n),
            Err(_) => ptr::null(),
        }
    })
}

/// Free a response. NULL does nothing.
///
/// # Safety
/// `resp` is NULL or a response from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_response_free(resp: *mut clarifai_response) {
    ffi_boundary!((), { free_box(resp) })
}
