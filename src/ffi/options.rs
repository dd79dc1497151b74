//! `clarifai_client_options`: settings for a new client.
//!
//! The setters only store what they are given (checking pointers and UTF-8); every value is
//! checked when a client is made, by the same builder the Rust API uses, so C, Rust and every
//! binding accept and refuse exactly the same settings.

use std::ffi::c_char;
use std::time::Duration;

use super::{clarifai_error, clarifai_result, ffi_boundary, ffi_try, free_box, str_arg, Failure};
use crate::client::{ClientBuilder, RetryPolicy};

/// Settings for a new client. Every setting is optional; unset ones keep the defaults (the
/// `CLARIFAI_DEFAULT_*` macros; the base URL from `CLARIFAI_API_BASE` when set). Values are
/// checked when a client is made from the options: a bad one fails `clarifai_client_new_*` with
/// `CLARIFAI_RESULT_INVALID_ARGUMENT` (or `CLARIFAI_RESULT_INSECURE_URL`) naming it. Not
/// thread-safe: set it up on one thread, then pass it (read-only) to any number of
/// `clarifai_client_new_*` calls.
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
    proxy: Option<String>,
    proxy_from_env: Option<bool>,
    http2_prior_knowledge: bool,
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
        if let Some(p) = &self.proxy {
            b = b.proxy(p);
        }
        if let Some(on) = self.proxy_from_env {
            b = b.proxy_from_env(on);
        }
        b.http2_prior_knowledge(self.http2_prior_knowledge).danger_allow_insecure_http(self.allow_insecure_http)
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
    ffi_boundary!((), { free_box(opts) })
}

unsafe fn opts_mut<'a>(opts: *mut clarifai_client_options) -> Result<&'a mut clarifai_client_options, Failure> {
    opts.as_mut().ok_or_else(|| Failure::null("opts"))
}

/// The API base URL, e.g. "https://api.clarifai.com" or the emulator's "http://127.0.0.1:PORT".
/// Checked when the client is made: it must be an http:// or https:// URL with a host, and
/// plain http:// is accepted for loopback hosts only, unless
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
        o.base_url = Some(str_arg(url, "url")?.to_string());
        Ok(())
    })
}

/// Connect timeout in milliseconds (default `CLARIFAI_DEFAULT_CONNECT_TIMEOUT_MS`). Zero is
/// refused when the client is made.
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
        opts_mut(opts)?.connect_timeout_ms = Some(ms);
        Ok(())
    })
}

/// Total timeout of a call in milliseconds (default `CLARIFAI_DEFAULT_TIMEOUT_MS`): every
/// redirect, retry and backoff and the body; the call fails with `CLARIFAI_RESULT_TIMEOUT` when
/// it is not done by then. Zero is refused when the client is made.
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
        opts_mut(opts)?.timeout_ms = Some(ms);
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

/// The User-Agent header (default "clarifai-core/VERSION (rust)"). Empty text, control and
/// non-ASCII characters are refused when the client is made.
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
        o.user_agent = Some(str_arg(user_agent, "user_agent")?.to_string());
        Ok(())
    })
}

/// Most asynchronous or batched calls in flight at once (default
/// `CLARIFAI_DEFAULT_MAX_CONCURRENCY`). Zero is refused when the client is made.
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
        opts_mut(opts)?.max_concurrency = Some(n);
        Ok(())
    })
}

/// Retries after a first attempt (default `CLARIFAI_DEFAULT_MAX_RETRIES`; 0 disables; more
/// than `CLARIFAI_MAX_RETRIES_LIMIT` is refused when the client is made). Only safe retries happen: a
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
        opts_mut(opts)?.max_retries = Some(n);
        Ok(())
    })
}

/// Largest response body accepted, in bytes after decompression (default
/// `CLARIFAI_DEFAULT_MAX_RESPONSE_BYTES`); larger ones fail with
/// `CLARIFAI_RESULT_BODY_TOO_LARGE` without being buffered whole. Zero is refused when the
/// client is made.
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
        opts_mut(opts)?.max_response_bytes = Some(n);
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

/// Send every request through this proxy: `http://[user:password@]host:port` (or `https://…`).
/// https is tunnelled with CONNECT, so TLS stays end to end; the password never appears in an
/// error. Wins over the environment. Checked when the client is made.
///
/// # Safety
/// `opts` is NULL or valid; `url` is NULL or a NUL-terminated string; `out_error` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_proxy(
    opts: *mut clarifai_client_options,
    url: *const c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts_mut(opts)?;
        o.proxy = Some(str_arg(url, "url")?.to_string());
        Ok(())
    })
}

/// Whether to use the proxies the environment names, as curl reads them (`https_proxy`,
/// `http_proxy`, `all_proxy`, `no_proxy`; loopback hosts always go direct). Default: yes.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_proxy_from_env(
    opts: *mut clarifai_client_options,
    on: bool,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        opts_mut(opts)?.proxy_from_env = Some(on);
        Ok(())
    })
}

/// Speak HTTP/2 from the first byte over plain http:// (h2c, as the emulator serves it). Over
/// https, HTTP/2 is negotiated by ALPN without this; with it only h2 is offered. Default: no.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_options_set_http2_prior_knowledge(
    opts: *mut clarifai_client_options,
    on: bool,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        opts_mut(opts)?.http2_prior_knowledge = on;
        Ok(())
    })
}

/// The number of worker threads of the library's runtime (the one per process that runs every
/// request): 1 to `CLARIFAI_MAX_RUNTIME_WORKER_THREADS`, default
/// `CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS` or the `CLARIFAI_RUNTIME_THREADS` environment
/// variable. Takes effect when the runtime starts, at the process's first call (and in each
/// fork child); once it runs with another count this fails with `CLARIFAI_RESULT_STATE`.
///
/// # Safety
/// `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_runtime_set_worker_threads(
    n: usize,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        crate::runtime::set_worker_threads(n)?;
        Ok(())
    })
}
