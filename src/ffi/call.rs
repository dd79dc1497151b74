//! Calls that can be stopped: `clarifai_call` handles for asynchronous calls and batches (with a
//! callback, or collected with `clarifai_call_wait`), `clarifai_cancel_token` for blocking
//! calls, and `clarifai_call_options` for a call's own timeout and token.

use std::ffi::{c_char, c_void};
use std::time::Duration;

use super::batch::batch_calls;
use super::client::client_ref;
use super::{
    clarifai_batch, clarifai_client, clarifai_error, clarifai_response, clarifai_result, ffi_boundary, ffi_try,
    free_box, out_arg, params_arg, str_arg, Failure,
};
use crate::client::{CallHandle, CallOptions, CancelToken};
use crate::error::Error;
use crate::response::Response;

/// Called exactly once when an asynchronous call completes, is cancelled, or is freed before it
/// completed; on a thread of the library's blocking pool (or, in a fork child freeing a call its
/// parent started, on the thread calling `clarifai_call_free`). The callback owns `response` (non-NULL
/// on success) and `error` (non-NULL on failure, `CLARIFAI_RESULT_CANCELLED` when cancelled)
/// and must free them. It may make blocking calls on the same client. It must not unwind (no
/// C++ exceptions, no longjmp) out of the call.
pub type clarifai_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        result: clarifai_result,
        response: *mut clarifai_response,
        error: *mut clarifai_error,
    ),
>;

/// Called exactly once when an asynchronous batch completes (as `clarifai_callback`). `batch`
/// (owned by the callback; free it with `clarifai_batch_free`) holds every call's result in
/// order: when the batch is cancelled, the calls still running have `CLARIFAI_RESULT_CANCELLED`.
/// `error` is NULL unless the batch as a whole failed.
pub type clarifai_batch_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        result: clarifai_result,
        batch: *mut clarifai_batch,
        error: *mut clarifai_error,
    ),
>;

/// A started call or batch. Cancel it from any thread with `clarifai_call_cancel`; free it with
/// `clarifai_call_free`, before or after it completes. Once `clarifai_call_free` has returned,
/// the callback has run exactly once and never runs again.
pub struct clarifai_call {
    handle: Handle,
}

enum Handle {
    One(CallHandle),
    Many(CallHandle<Vec<Result<Response, Error>>>),
}

/// Cancels every call it is given to (through `clarifai_call_options_set_cancel_token`), from
/// any thread. Free it with `clarifai_cancel_token_free` once no call uses it.
pub struct clarifai_cancel_token {
    token: CancelToken,
}

/// Settings of one call: its own total timeout and a cancel token. Not thread-safe: set it up
/// on one thread, then pass it (read-only) to any number of calls.
#[derive(Default)]
pub struct clarifai_call_options {
    options: CallOptions,
}

struct SendPtr(*mut c_void);
// SAFETY: the caller hands `userdata` to the callback on another thread by contract.
unsafe impl Send for SendPtr {}

fn failure_parts(e: Error) -> (clarifai_result, *mut clarifai_error) {
    let f = Failure::from(e);
    (f.result, Box::into_raw(Box::new(clarifai_error::new(f.result, f.message, f.error))))
}

unsafe fn call_options(opts: *const clarifai_call_options) -> CallOptions {
    opts.as_ref().map(|o| o.options.clone()).unwrap_or_default()
}

/// Start a call and return at once; `callback` runs exactly once with its result (see
/// `clarifai_callback`), unless this function itself fails (then it never runs). At most the
/// client's max concurrency run at once; the rest wait. The client may be freed while calls
/// are pending. `opts` may be NULL. When `out_call` is not NULL it receives a handle that can
/// cancel the call and must be freed with `clarifai_call_free`; when NULL the call cannot be
/// cancelled.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated; `userdata` is passed through untouched.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call_async(
    client: *const clarifai_client,
    endpoint: *const c_char,
    params_json: *const c_char,
    opts: *const clarifai_call_options,
    callback: clarifai_callback,
    userdata: *mut c_void,
    out_call: *mut *mut clarifai_call,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        let Some(cb) = callback else { return Err(Failure::null("callback")) };
        let ep = str_arg(endpoint, "endpoint")?;
        let params = params_arg(params_json, "params_json")?;
        let userdata = SendPtr(userdata);
        let handle = c.spawn_call(ep, &params, &call_options(opts), move |r| {
            let userdata = userdata;
            match r {
                Ok(resp) => cb(userdata.0, clarifai_result::Ok, clarifai_response::boxed(resp), std::ptr::null_mut()),
                Err(e) => {
                    let (result, err) = failure_parts(e);
                    cb(userdata.0, result, std::ptr::null_mut(), err)
                }
            }
        })?;
        if !out_call.is_null() {
            *out_call = Box::into_raw(Box::new(clarifai_call { handle: Handle::One(handle) }));
        }
        Ok(())
    })
}

/// Start `count` calls at once (as `clarifai_client_call_many`, without waiting); `callback`
/// runs exactly once with a batch of their results in order (see `clarifai_batch_callback`).
/// `out_call` (may be NULL) receives a handle that cancels every call still running.
///
/// # Safety
/// `endpoints` has `count` entries; `params_json` is NULL or has `count` entries; other pointers
/// are NULL or valid; `userdata` is passed through untouched.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call_many_async(
    client: *const clarifai_client,
    endpoints: *const *const c_char,
    params_json: *const *const c_char,
    count: usize,
    opts: *const clarifai_call_options,
    callback: clarifai_batch_callback,
    userdata: *mut c_void,
    out_call: *mut *mut clarifai_call,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        let Some(cb) = callback else { return Err(Failure::null("callback")) };
        let (runnable, early) = batch_calls(endpoints, params_json, count)?;
        let userdata = SendPtr(userdata);
        let handle = c.spawn_many(&runnable, &call_options(opts), move |results| {
            let userdata = userdata;
            let batch = Box::into_raw(Box::new(clarifai_batch::assemble(early, results)));
            cb(userdata.0, clarifai_result::Ok, batch, std::ptr::null_mut())
        })?;
        if !out_call.is_null() {
            *out_call = Box::into_raw(Box::new(clarifai_call { handle: Handle::Many(handle) }));
        }
        Ok(())
    })
}

/// Start a call whose result is collected with `clarifai_call_wait` (for callers that cannot
/// take a callback on another thread, such as PHP). `opts` may be NULL. Free the handle with
/// `clarifai_call_free` (which cancels the call if it is still running).
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call_start(
    client: *const clarifai_client,
    endpoint: *const c_char,
    params_json: *const c_char,
    opts: *const clarifai_call_options,
    out_call: *mut *mut clarifai_call,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_call, "out_call")?;
        let ep = str_arg(endpoint, "endpoint")?;
        let params = params_arg(params_json, "params_json")?;
        let handle = c.start_call(ep, &params, &call_options(opts))?;
        *out_call = Box::into_raw(Box::new(clarifai_call { handle: Handle::One(handle) }));
        Ok(())
    })
}

/// Block until a call from `clarifai_client_call_start` is done and take its result: the
/// response on success, as `clarifai_client_call` gives it (`CLARIFAI_RESULT_CANCELLED` when it
/// was cancelled). A result is taken once: waiting again, or on a call with a callback, fails
/// with `CLARIFAI_RESULT_STATE`.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_wait(
    call: *const clarifai_call,
    out_response: *mut *mut clarifai_response,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let call = call.as_ref().ok_or_else(|| Failure::null("call"))?;
        out_arg(out_response, "out_response")?;
        let Handle::One(h) = &call.handle else {
            return Err(Failure::from(Error::State("a batch's results go to its callback".into())));
        };
        match h.wait() {
            Some(Ok(resp)) => {
                *out_response = clarifai_response::boxed(resp);
                Ok(())
            }
            Some(Err(e)) => Err(Failure::from(e)),
            None => {
                Err(Failure::from(Error::State("the call's result was already taken, or went to its callback".into())))
            }
        }
    })
}

/// Cancel a call or batch. Its callback then runs (once) with `CLARIFAI_RESULT_CANCELLED`, and a
/// waiter gets it, unless the answer was already being delivered. Idempotent; any thread;
/// NULL does nothing.
///
/// # Safety
/// `call` is NULL or a live handle from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_cancel(call: *const clarifai_call) {
    ffi_boundary!((), {
        match unsafe { call.as_ref() }.map(|c| &c.handle) {
            Some(Handle::One(h)) => h.cancel(),
            Some(Handle::Many(h)) => h.cancel(),
            None => {}
        }
    })
}

/// Whether the call is done: its callback has returned, or its result waits for
/// `clarifai_call_wait`. NULL gives false.
///
/// # Safety
/// `call` is NULL or a live handle from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_is_done(call: *const clarifai_call) -> bool {
    ffi_boundary!(false, {
        match unsafe { call.as_ref() }.map(|c| &c.handle) {
            Some(Handle::One(h)) => h.is_done(),
            Some(Handle::Many(h)) => h.is_done(),
            None => false,
        }
    })
}

/// Free a call handle, before or after the call completes. A call still running is cancelled
/// and this waits (briefly: a cancelled call answers at once) until its callback has run, with
/// `CLARIFAI_RESULT_CANCELLED` for a single call, or for a batch with the results that had
/// arrived and CANCELLED for the calls still running. After this returns the callback never
/// runs. A callback may free its own call (then nothing waits). In a fork child, a call its
/// parent started gets its callback here, on this thread, with CANCELLED. NULL does nothing.
///
/// # Safety
/// `call` is NULL or a handle from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_free(call: *mut clarifai_call) {
    ffi_boundary!((), {
        if !call.is_null() {
            let call = Box::from_raw(call);
            match &call.handle {
                Handle::One(h) => h.release(),
                Handle::Many(h) => h.release(),
            }
        }
    })
}

/// A new cancel token. Free it with `clarifai_cancel_token_free`.
#[no_mangle]
pub extern "C" fn clarifai_cancel_token_new() -> *mut clarifai_cancel_token {
    ffi_boundary!(std::ptr::null_mut(), {
        Box::into_raw(Box::new(clarifai_cancel_token { token: CancelToken::new() }))
    })
}

/// Cancel every call given this token, running or to come: they fail with
/// `CLARIFAI_RESULT_CANCELLED` at once. Any thread; NULL does nothing.
///
/// # Safety
/// `token` is NULL or a live token from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_cancel_token_cancel(token: *const clarifai_cancel_token) {
    ffi_boundary!((), {
        if let Some(t) = unsafe { token.as_ref() } {
            t.token.cancel();
        }
    })
}

/// Whether the token was cancelled. NULL gives false.
///
/// # Safety
/// `token` is NULL or a live token from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_cancel_token_is_cancelled(token: *const clarifai_cancel_token) -> bool {
    ffi_boundary!(false, { unsafe { token.as_ref() }.is_some_and(|t| t.token.is_cancelled()) })
}

/// Free a token. Calls it was given to keep their own reference. NULL does nothing.
///
/// # Safety
/// `token` is NULL or a token from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_cancel_token_free(token: *mut clarifai_cancel_token) {
    ffi_boundary!((), { free_box(token) })
}

/// New call options with nothing set. Free with `clarifai_call_options_free`.
#[no_mangle]
pub extern "C" fn clarifai_call_options_new() -> *mut clarifai_call_options {
    ffi_boundary!(std::ptr::null_mut(), { Box::into_raw(Box::default()) })
}

/// Free call options. Calls made with them are not affected. NULL does nothing.
///
/// # Safety
/// `opts` is NULL or options from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_options_free(opts: *mut clarifai_call_options) {
    ffi_boundary!((), { free_box(opts) })
}

/// The call's total timeout in milliseconds, instead of the client's (every redirect, retry
/// and backoff included). Zero is refused when a call is made with the options.
///
/// # Safety
/// `opts` is NULL or valid; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_options_set_timeout_ms(
    opts: *mut clarifai_call_options,
    ms: u64,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        opts.as_mut().ok_or_else(|| Failure::null("opts"))?.options.timeout = Some(Duration::from_millis(ms));
        Ok(())
    })
}

/// Cancel calls made with these options when `token` is cancelled. The options keep their own
/// reference: the token may be freed before them. NULL clears it.
///
/// # Safety
/// `opts` is NULL or valid; `token` is NULL or a live token; `out_error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn clarifai_call_options_set_cancel_token(
    opts: *mut clarifai_call_options,
    token: *const clarifai_cancel_token,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let o = opts.as_mut().ok_or_else(|| Failure::null("opts"))?;
        o.options.cancel = token.as_ref().map(|t| t.token.clone());
        Ok(())
    })
}

/// `clarifai_client_call` with call options (NULL for none): a cancelled token makes it return
/// `CLARIFAI_RESULT_CANCELLED` at once, from whatever thread cancels it.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call_with_options(
    client: *const clarifai_client,
    endpoint: *const c_char,
    params_json: *const c_char,
    opts: *const clarifai_call_options,
    out_response: *mut *mut clarifai_response,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_response, "out_response")?;
        let ep = str_arg(endpoint, "endpoint")?;
        let params = params_arg(params_json, "params_json")?;
        let r = c.call_with(ep, &params, &call_options(opts))?;
        *out_response = clarifai_response::boxed(r);
        Ok(())
    })
}

/// `clarifai_client_call_many` with call options (NULL for none) applying to every call: each
/// call's timeout, and a token that cancels every call still running.
///
/// # Safety
/// As `clarifai_client_call_many`.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call_many_with_options(
    client: *const clarifai_client,
    endpoints: *const *const c_char,
    params_json: *const *const c_char,
    count: usize,
    opts: *const clarifai_call_options,
    out_batch: *mut *mut clarifai_batch,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_batch, "out_batch")?;
        let (runnable, early) = batch_calls(endpoints, params_json, count)?;
        let results = c.call_many_with(&runnable, &call_options(opts));
        *out_batch = Box::into_raw(Box::new(clarifai_batch::assemble(early, results)));
        Ok(())
    })
}
