//! `clarifai_client_options`: settings for a new client.

use std::ffi::c_char;
use std::time::Duration;

use super::{clarifai_error, clarifai_result, ffi_boundary, ffi_try, str_arg, Failure};
use crate::client::{ClientBuilder, RetryPolicy};

/// Settings for a new client. Every setting is optional; unset ones keep the defaults (base URL
/// from `CLARIFAI_API_BASE` or https://api.clarifai.com, 10 s connect and 60 s total timeouts,
/// platform CA roots, 128 concurrent calls, 2 retries). Not thread-safe: set it up on one
/// thread, then pass it (read-only) to any number of `clarifai_client_new_*` calls.
#[derive(Default, Clone)]
pub struct clarifai_client_options {
    base_url: Option<String>,
    connect_timeout_ms: Option<u64>,
    timeout_ms: Option<u64>,
    ca_file: Option<String>,
    user_agent: Option<String>,
    max_concurrency: Option<usize>,
    max_retries: Option<u32>,
    max_response_bytes: Option<u64>,
    allow_insecure_http: bool,
}

impl clarifai_client_options {
    pub(crate) fn apply(&self, mut b: ClientBuilder) -> ClientBuilder {
        if let Some(u) = &self.base_url {
            b = b.base_url(u);
        }
        if let Some(t) = self.connect_timeout_ms {
            b = b.connect_timeout(Duration::from_millis(t));
        }
        if let Some(t) = self.timeout_ms {
            b = b.timeout(Duration::from_millis(t));
        }
        if let Some(c) = &self.ca_file {
            b = b.ca_file(c);
        }
        if let Some(u) = &self.user_agent {
            b = b.user_agent(u);
        }
        if let Some(n) = self.max_concurrency {
            b = b.max_concurrency(n);
        }
        if let Some(n) = self.max_retries {
            b = b.retry(RetryPolicy { max_retries: n, ..RetryPolicy::default() });
        }
        if let Some(n) = self.max_response_bytes {
            b = b.max_response_bytes(n);
        }
        b.danger_allow_insecure_http(self.allow_insecure_http)
    }
}

/// New options with every setting unset. Free with `clarifai_client_options_free`.
#[no_mangle]
pub extern "C" fn clarifai_client_options_new() -> *mut clarifai_client_options {
    ffi_boundary!(std::ptr::null_mut(), { Box::into_raw(Box::default()) })
}

/// Free options. NULL does nothing. Clients made from them are not affected.
///
/// # Safety
/// `opts` is NULL or options from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_free(opts: *mut clarifai_client_options) {
    ffi_boundary!((), {
        if !opts.is_null() {
            drop(Box::from_raw(opts));
        }
    })
}

unsafe fn opts_mut<'a>(opts: *mut clarifai_client_options) -> Result<&'a mut clarifai_client_options, Failure> {
    opts.as_mut().ok_or_else(|| Failure::null("opts"))
}

/// The API base URL, e.g. "https://api.clarifai.com" or the emulator's "http://127.0.0.1:PORT".
/// Plain http:// is accepted for loopback hosts only, unless
/// `clarifai_client_options_set_danger_allow_insecure_http` is set.
///
/// # Safety
/// `opts` is NULL or valid; `url` is NULL or a NUL-terminated string; `out_error` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_base_url(
    opts: *mut clarifai_client_options,
    url: *const c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        let u = str_arg(url, "url")?;
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            return Err(Failure::invalid(format!("base URL {u:?} must start with https:// or http://")));
        }
        o.base_url = Some(u.to_string());
        Ok(())
    })
}

/// Connect timeout in milliseconds (default 10000). Zero is refused.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_connect_timeout_ms(
    opts: *mut clarifai_client_options,
    ms: u64,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        if ms == 0 {
            return Err(Failure::invalid("connect timeout must be greater than zero".into()));
        }
        o.connect_timeout_ms = Some(ms);
        Ok(())
    })
}

/// Total timeout of one request in milliseconds, body included (default 60000). Zero is refused.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_timeout_ms(
    opts: *mut clarifai_client_options,
    ms: u64,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        if ms == 0 {
            return Err(Failure::invalid("timeout must be greater than zero".into()));
        }
        o.timeout_ms = Some(ms);
        Ok(())
    })
}

/// A PEM file of CA certificates to trust instead of the platform's roots. Read when the client
/// is created; a missing or empty file fails there.
///
/// # Safety
/// `opts` is NULL or valid; `path` is NULL or a NUL-terminated string; `out_error` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_ca_file(
    opts: *mut clarifai_client_options,
    path: *const c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        o.ca_file = Some(str_arg(path, "path")?.to_string());
        Ok(())
    })
}

/// The User-Agent header (default "clarifai-core/VERSION (rust)"). Control characters are refused.
///
/// # Safety
/// `opts` is NULL or valid; `user_agent` is NULL or a NUL-terminated string; `out_error` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_user_agent(
    opts: *mut clarifai_client_options,
    user_agent: *const c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        let ua = str_arg(user_agent, "user_agent")?;
        if ua.is_empty() || ua.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Failure::invalid("user agent must be non-empty printable ASCII".into()));
        }
        o.user_agent = Some(ua.to_string());
        Ok(())
    })
}

/// Most asynchronous or batched calls in flight at once, and so the most sockets they open
/// (default 128). Zero is refused.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_max_concurrency(
    opts: *mut clarifai_client_options,
    n: usize,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        if n == 0 {
            return Err(Failure::invalid("max concurrency must be at least 1".into()));
        }
        o.max_concurrency = Some(n);
        Ok(())
    })
}

/// Retries after a first attempt (default 2; 0 disables). Only safe retries happen: a
/// connection never made, a throttled request (honouring `Retry-After` up to 2 s), a 502/503/504
/// to GET, PUT or DELETE.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_max_retries(
    opts: *mut clarifai_client_options,
    n: u32,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        opts_mut(opts)?.max_retries = Some(n.min(10));
        Ok(())
    })
}

/// Largest response body accepted, in bytes (default 64 MiB); larger ones fail with
/// `CLARIFAI_RESULT_BODY_TOO_LARGE` without being buffered whole.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_max_response_bytes(
    opts: *mut clarifai_client_options,
    n: u64,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        if n == 0 {
            return Err(Failure::invalid("max response bytes must be at least 1".into()));
        }
        o.max_response_bytes = Some(n);
        Ok(())
    })
}

/// Allow plain http:// to hosts that are not loopback. Credentials then cross the network in
/// clear text: for test rigs only.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_danger_allow_insecure_http(
    opts: *mut clarifai_client_options,
    allow: bool,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        opts_mut(opts)?.allow_insecure_http = allow;
        Ok(())
    })
}
