//! The C ABI driven by random call sequences, as a careless C program would drive it.
//!
//! The input is read as a program: each step picks a function of clarifai.h and its arguments
//! (NULL pointers, invalid UTF-8, strings with odd bytes, out-of-range indexes, handles made by
//! earlier steps) and checks the contract the header promises: a known result code and never
//! `CLARIFAI_RESULT_PANIC`; out-parameters written on success only, an error object on every
//! failure whose result matches; borrowed strings valid; no error ever showing the key. Handles
//! are freed in random order, but the harness itself never uses one after freeing it.
//!
//! Every client talks to a loopback port that refuses connections (a bound socket that never
//! listens, held for the whole run so no one else can take it), so calls fail fast and offline;
//! so do proxies. Calls, batches and started calls get handles that are cancelled, waited for
//! and freed at random moments (each callback must run exactly once, and never after its
//! handle's free returned); cancel tokens and call options are shared between calls; keys, key
//! lists and scopes are asked of the dead server (their accessors then see NULL handles).
#![no_main]

use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use clarifai::ffi::*;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const CANARY: &str = "canary-0123456789abcdef-CANARY";
/// Requests per input that may reach the (dead) network, so one input cannot take seconds.
const NETWORK_BUDGET: usize = 6;

/// Outstanding callbacks of `clarifai_client_call_async` / `_call_many_async`.
static PENDING: AtomicUsize = AtomicUsize::new(0);

/// The userdata of a call made with a handle: how often its callback ran.
struct Record {
    runs: AtomicUsize,
    /// The batch's size, for a batch.
    count: usize,
}

fn dead_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        // Bound, never listening: connects are refused at once, and the port stays ours.
        let port = unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
            assert!(fd >= 0);
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_addr.s_addr = u32::from_ne_bytes([127, 0, 0, 1]);
            let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            assert_eq!(libc::bind(fd, &addr as *const _ as *const libc::sockaddr, len), 0);
            let mut got: libc::sockaddr_in = std::mem::zeroed();
            let mut got_len = len;
            assert_eq!(libc::getsockname(fd, &mut got as *mut _ as *mut libc::sockaddr, &mut got_len), 0);
            u16::from_be(got.sin_port)
        };
        // Clients made with NULL options read the environment: point it at the dead port too,
        // and keep any proxy out of the way.
        for v in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "CLARIFAI_PAT"] {
            std::env::remove_var(v);
        }
        let url = format!("http://127.0.0.1:{port}");
        std::env::set_var("CLARIFAI_API_BASE", &url);
        std::env::set_var("CLARIFAI_API_KEY", CANARY);
        std::env::set_var("CLARIFAI_USER_ID", "me");
        std::env::set_var("CLARIFAI_APP_ID", "fuzz-app");
        url
    })
}

/// A C string argument: NULL, or bytes (without NUL) that may not be UTF-8.
struct Arg(Option<CString>);

impl Arg {
    fn ptr(&self) -> *const c_char {
        self.0.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
    }
    fn text(s: &str) -> Arg {
        Arg(Some(CString::new(s).expect("no NUL")))
    }
    fn bytes(mut b: Vec<u8>) -> Arg {
        b.retain(|c| *c != 0);
        Arg(Some(CString::new(b).expect("NULs removed")))
    }
}

/// What kind of string an argument is meant to be; each has plausible values to pick from,
/// besides NULL, raw fuzz bytes and invalid UTF-8.
#[derive(Clone, Copy)]
enum Kind {
    Endpoint,
    Params,
    Key,
    Id,
    Method,
    Path,
    Text,
    Scope,
}

fn arg(u: &mut Unstructured, kind: Kind) -> Result<Arg> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => Arg(None),
        1 => Arg::bytes(u.arbitrary::<Vec<u8>>()?),
        2 => {
            let mut b: Vec<u8> = u.arbitrary()?;
            b.push(0xFF);
            Arg::bytes(b)
        }
        _ => {
            let s: &str = match kind {
                Kind::Endpoint => {
                    let eps = clarifai::catalog().endpoints();
                    let i = u.choose_index(eps.len() + 3)?;
                    return Ok(match eps.get(i) {
                        Some(e) => Arg::text(&e.name),
                        None => Arg::text(["", "NoSuchRpc", "/clarifai.api.V2/ListInputs"][i - eps.len()]),
                    });
                }
                Kind::Params => u.choose(&[
                    "",
                    "{}",
                    "null",
                    "[1]",
                    "{\"per_page\":1}",
                    "{\"input_id\":\"..\"}",
                    "{\"model_id\":\"m\",\"inputs\":[{\"data\":{\"image\":{\"url\":\"https://x.test/a.jpg\"}}}]}",
                    "{\"user_app_id\":{\"user_id\":\"me\",\"app_id\":\"a\"}}",
                    "{not json",
                    "{\"a\":",
                ])?,
                Kind::Key => {
                    u.choose(&[CANARY, "", "a b", "k\u{e9}y", "tab\tkey", "0123456789abcdef0123456789abcdef"])?
                }
                Kind::Id => u.choose(&["me", "fuzz-app", "", ".", "..", "a/b", "u_1.x-y"])?,
                Kind::Method => u.choose(&["GET", "POST", "PATCH", "PUT", "DELETE", "get", "TRACE", ""])?,
                Kind::Path => u.choose(&[
                    "/v2/inputs",
                    "/v2/inputs?per_page=1",
                    "/v2/myscopes",
                    "no-slash",
                    "/",
                    "//x",
                    "/v2/../x",
                ])?,
                Kind::Text => u.choose(&["", "x", "a\u{1}b", "x-clarifai-emulator-route", "content-type"])?,
                Kind::Scope => u.choose(&[
                    "Predict",
                    "Inputs:Add",
                    "Inputs_Add",
                    "All",
                    "Nope",
                    "",
                    "/clarifai.api.V2/ListInputs",
                ])?,
            };
            Arg::text(s)
        }
    })
}

/// A base URL that can only reach the dead port, or cannot be a URL at all.
fn url_arg(u: &mut Unstructured) -> Result<Arg> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => Arg(None),
        1 => {
            // No ':' means no scheme and no port: never a reachable URL.
            let mut b: Vec<u8> = u.arbitrary()?;
            b.retain(|c| *c != b':');
            Arg::bytes(b)
        }
        2 => {
            let mut b: Vec<u8> = dead_url().as_bytes().to_vec();
            b.push(0xFF);
            Arg::bytes(b)
        }
        3 => {
            // A path after the dead origin; nothing that could move the host ('@', ':', '\\').
            let tail: Vec<u8> = u.arbitrary()?;
            let tail: String = tail
                .iter()
                .map(|&c| if c.is_ascii_alphanumeric() || b"/._-%?=&".contains(&c) { c as char } else { '_' })
                .collect();
            Arg::text(&format!("{}/{tail}", dead_url()))
        }
        4 => Arg::text(u.choose(&["ftp://x", "https://", "http://[::1", "not a url", "", "http://"])?),
        _ => Arg::text(dead_url()),
    })
}

/// A distinct non-NULL address no handle can have: out-parameters must keep it on failure.
fn sentinel<T>() -> *mut T {
    8usize as *mut T
}

fn result_ok(r: clarifai_result) -> bool {
    assert_ne!(r, clarifai_result::Panic, "a panic was caught at the C boundary");
    assert!((r as u32) <= clarifai_result::Cancelled as u32);
    r == clarifai_result::Ok
}

unsafe fn c_str<'a>(p: *const c_char, what: &str) -> &'a str {
    assert!(!p.is_null(), "{what} is NULL");
    CStr::from_ptr(p).to_str().unwrap_or_else(|_| panic!("{what} is not UTF-8"))
}

unsafe fn opt_c_str<'a>(p: *const c_char, what: &str) -> Option<&'a str> {
    (!p.is_null()).then(|| c_str(p, what))
}

/// Read every accessor of an error (borrowed or owned) and check it names no key.
unsafe fn inspect_error(u: &mut Unstructured, err: *const clarifai_error) -> Result<()> {
    let msg = c_str(clarifai_error_message(err), "error message");
    assert!(!msg.contains(CANARY), "an error message shows the key: {msg}");
    let _ = c_str(clarifai_result_name(clarifai_error_result(err) as u32), "result name");
    let _ = clarifai_error_status_code(err);
    let _ = clarifai_error_http_status(err);
    for text in [clarifai_error_description(err), clarifai_error_details(err), clarifai_error_req_id(err)] {
        assert!(!c_str(text, "error text").contains(CANARY));
    }
    let n = clarifai_error_missing_scopes_count(err);
    for i in 0..n {
        c_str(clarifai_error_missing_scope(err, i), "missing scope");
    }
    for i in [n, n.wrapping_add(1), usize::MAX, u.arbitrary::<usize>()?] {
        if i >= n {
            assert!(clarifai_error_missing_scope(err, i).is_null());
        }
    }
    let _ = opt_c_str(clarifai_error_missing_endpoint(err), "missing endpoint");
    let _ = clarifai_error_retry_after_secs(err);
    let name = arg(u, Kind::Text)?;
    let _ = opt_c_str(clarifai_error_header(err, name.ptr()), "error header");
    if err.is_null() {
        assert_eq!(clarifai_error_result(err), clarifai_result::NullArgument);
        assert_eq!(clarifai_error_missing_scopes_count(err), 0);
    }
    Ok(())
}

unsafe fn inspect_response(u: &mut Unstructured, resp: *const clarifai_response) -> Result<()> {
    let _ = clarifai_response_http_status(resp);
    let _ = clarifai_response_status_code(resp);
    for p in [clarifai_response_description(resp), clarifai_response_details(resp), clarifai_response_req_id(resp)] {
        let _ = opt_c_str(p, "response text");
    }
    let _ = opt_c_str(clarifai_response_json(resp), "response json");
    let name = arg(u, Kind::Text)?;
    let _ = opt_c_str(clarifai_response_header(resp, name.ptr()), "response header");
    if resp.is_null() {
        assert_eq!(clarifai_response_status_code(resp), 0);
    }
    Ok(())
}

/// The callback's own check of what it was given. `userdata` is `&PENDING` for a call made
/// without a handle, else its `Record`.
unsafe fn count_run(userdata: *mut c_void) {
    if userdata as *const AtomicUsize != &PENDING as *const AtomicUsize {
        let record = &*(userdata as *const Record);
        assert_eq!(record.runs.fetch_add(1, Ordering::SeqCst), 0, "a callback ran twice");
    }
    let before = PENDING.fetch_sub(1, Ordering::SeqCst);
    assert!(before > 0, "more callbacks than calls");
}

unsafe extern "C" fn on_done(
    userdata: *mut c_void,
    result: clarifai_result,
    response: *mut clarifai_response,
    error: *mut clarifai_error,
) {
    assert_ne!(result, clarifai_result::Panic);
    if result == clarifai_result::Ok {
        assert!(!response.is_null() && error.is_null());
    } else {
        assert!(response.is_null() && !error.is_null());
        assert_eq!(clarifai_error_result(error), result);
        assert!(!c_str(clarifai_error_message(error), "async error").contains(CANARY));
    }
    clarifai_response_free(response);
    clarifai_error_free(error);
    count_run(userdata);
}

unsafe extern "C" fn on_batch_done(
    userdata: *mut c_void,
    result: clarifai_result,
    batch: *mut clarifai_batch,
    error: *mut clarifai_error,
) {
    // A batch as a whole succeeds: its calls fail alone.
    assert_eq!(result, clarifai_result::Ok);
    assert!(!batch.is_null() && error.is_null());
    if userdata as *const AtomicUsize != &PENDING as *const AtomicUsize {
        assert_eq!(clarifai_batch_len(batch), (*(userdata as *const Record)).count);
    }
    for i in 0..clarifai_batch_len(batch) {
        let r = clarifai_batch_result(batch, i);
        assert_ne!(r, clarifai_result::Panic);
        if r != clarifai_result::Ok {
            let e = clarifai_batch_error(batch, i);
            assert_eq!(clarifai_error_result(e), r);
            assert!(!c_str(clarifai_error_message(e), "batch error").contains(CANARY));
        }
    }
    clarifai_batch_free(batch);
    clarifai_error_free(error);
    count_run(userdata);
}

/// A call handle and what it was made by.
struct Call {
    call: *mut clarifai_call,
    /// The callback's record; `None` for a call from `clarifai_client_call_start`.
    record: Option<*mut Record>,
}

/// Every accessor of a key, which names no canary (ids aside: a key's id is the key).
unsafe fn inspect_key(u: &mut Unstructured, k: *const clarifai_key) -> Result<()> {
    let _ = opt_c_str(clarifai_key_id(k), "key id");
    let _ = opt_c_str(clarifai_key_description(k), "key description");
    for (n, get) in [
        (
            clarifai_key_scope_count(k),
            clarifai_key_scope as unsafe extern "C" fn(*const clarifai_key, usize) -> *const c_char,
        ),
        (clarifai_key_endpoint_count(k), clarifai_key_endpoint),
        (clarifai_key_app_count(k), clarifai_key_app_user_id),
        (clarifai_key_app_count(k), clarifai_key_app_id),
    ] {
        for i in 0..n {
            c_str(get(k, i), "key item");
        }
        assert!(get(k, n).is_null() && get(k, usize::MAX).is_null());
        let _ = opt_c_str(get(k, u.arbitrary()?), "key item");
    }
    if k.is_null() {
        assert!(clarifai_key_id(k).is_null() && clarifai_key_scope_count(k) == 0);
    }
    Ok(())
}

unsafe fn inspect_scopes(u: &mut Unstructured, s: *const clarifai_scopes) -> Result<()> {
    for (n, get) in [
        (
            clarifai_scopes_count(s),
            clarifai_scopes_get as unsafe extern "C" fn(*const clarifai_scopes, usize) -> *const c_char,
        ),
        (clarifai_scopes_granted_count(s), clarifai_scopes_granted),
        (clarifai_scopes_endpoint_count(s), clarifai_scopes_endpoint),
        (clarifai_scopes_endpoint_grant_count(s), clarifai_scopes_endpoint_grant),
        (clarifai_scopes_unknown_count(s), clarifai_scopes_unknown),
    ] {
        for i in 0..n {
            c_str(get(s, i), "scopes item");
        }
        assert!(get(s, n).is_null());
        let _ = opt_c_str(get(s, u.arbitrary()?), "scopes item");
    }
    let _ = opt_c_str(clarifai_scopes_app_user_id(s), "scopes app user");
    let _ = opt_c_str(clarifai_scopes_app_id(s), "scopes app");
    let name = arg(u, Kind::Scope)?;
    let has = clarifai_scopes_contains(s, name.ptr());
    if s.is_null() || name.0.is_none() {
        assert!(!has);
    }
    Ok(())
}

/// Handles alive in this run; each is freed exactly once, by a Free step or at the end.
#[derive(Default)]
struct World {
    opts: Vec<*mut clarifai_client_options>,
    clients: Vec<*mut clarifai_client>,
    responses: Vec<*mut clarifai_response>,
    errors: Vec<*mut clarifai_error>,
    batches: Vec<*mut clarifai_batch>,
    strings: Vec<*mut c_char>,
    keys: Vec<*mut clarifai_key>,
    key_lists: Vec<*mut clarifai_key_list>,
    scopes: Vec<*mut clarifai_scopes>,
    calls: Vec<Call>,
    tokens: Vec<*mut clarifai_cancel_token>,
    call_opts: Vec<*mut clarifai_call_options>,
    network: usize,
}

/// One of the handles, or NULL.
fn pick<T>(u: &mut Unstructured, v: &[*mut T]) -> Result<*mut T> {
    let i = u.choose_index(v.len() + 1)?;
    Ok(v.get(i).copied().unwrap_or(null_mut()))
}

/// Free a call handle: its callback has then run exactly once (now, or before).
unsafe fn free_call(c: Call) {
    clarifai_call_free(c.call);
    if let Some(rec) = c.record {
        let rec = Box::from_raw(rec);
        assert_eq!(
            rec.runs.load(Ordering::SeqCst),
            1,
            "after clarifai_call_free the callback ran {} times",
            rec.runs.load(Ordering::SeqCst)
        );
    }
}

/// Take one of the handles out to free it, or NULL.
fn take<T>(u: &mut Unstructured, v: &mut Vec<*mut T>) -> Result<*mut T> {
    let i = u.choose_index(v.len() + 1)?;
    Ok(if i < v.len() { v.swap_remove(i) } else { null_mut() })
}

impl World {
    /// Check a fallible call's out-parameters and keep what it made.
    unsafe fn settle<T>(
        &mut self,
        u: &mut Unstructured,
        r: clarifai_result,
        out: Option<*mut T>,
        err: Option<*mut clarifai_error>,
    ) -> Result<Option<*mut T>> {
        let ok = result_ok(r);
        if let Some(e) = err {
            if ok {
                assert_eq!(e, sentinel(), "out_error written on success");
            } else {
                assert!(!e.is_null() && e != sentinel(), "no error object on failure");
                assert_eq!(clarifai_error_result(e), r);
                inspect_error(u, e)?;
                if u.arbitrary()? {
                    self.errors.push(e);
                } else {
                    clarifai_error_free(e);
                }
            }
        }
        Ok(match out {
            Some(p) if ok => {
                assert!(!p.is_null() && p != sentinel(), "no output on success");
                Some(p)
            }
            Some(p) => {
                assert_eq!(p, sentinel(), "out-parameter written on failure");
                None
            }
            None => None,
        })
    }

    /// Where a call writes its error: a slot holding the sentinel, or NULL.
    fn err_slot(u: &mut Unstructured) -> Result<Option<*mut clarifai_error>> {
        Ok(if u.int_in_range(0..=5u8)? == 0 { None } else { Some(sentinel()) })
    }

    fn spend_network(&mut self) -> bool {
        self.network += 1;
        self.network <= NETWORK_BUDGET
    }

    unsafe fn step(&mut self, u: &mut Unstructured) -> Result<()> {
        let mut err = World::err_slot(u)?;
        macro_rules! err_ptr {
            () => {
                err.as_mut().map_or(null_mut(), |e| e as *mut *mut clarifai_error)
            };
        }
        match u.int_in_range(0..=47u8)? {
            0 => {
                let o = clarifai_client_options_new();
                assert!(!o.is_null());
                self.opts.push(o);
            }
            1..=3 => {
                let o = pick(u, &self.opts)?;
                // Setters only store (NULL and UTF-8 checked): every value is judged when a
                // client is made from the options.
                let r = match u.int_in_range(0..=11u8)? {
                    0 => clarifai_client_options_set_base_url(o, url_arg(u)?.ptr(), err_ptr!()),
                    1 => clarifai_client_options_set_connect_timeout_ms(o, u.arbitrary()?, err_ptr!()),
                    2 => clarifai_client_options_set_timeout_ms(o, u.arbitrary()?, err_ptr!()),
                    3 => {
                        // Files that exist but hold no certificate, or none; never a device.
                        let path = match u.int_in_range(0..=3u8)? {
                            0 => Arg(None),
                            1 => Arg::text("/dev/null"),
                            2 => Arg::text("/nonexistent/ca.pem"),
                            _ => Arg::text("/etc/passwd"),
                        };
                        clarifai_client_options_set_ca_file(o, path.ptr(), err_ptr!())
                    }
                    4 => clarifai_client_options_set_user_agent(o, arg(u, Kind::Text)?.ptr(), err_ptr!()),
                    5 => clarifai_client_options_set_max_concurrency(o, u.arbitrary()?, err_ptr!()),
                    // Retries back off exponentially: more than two against a dead port only
                    // makes the run slow (and more than CLARIFAI_MAX_RETRIES_LIMIT is refused).
                    6 => {
                        let n = if u.arbitrary()? { u.int_in_range(0..=2)? } else { u.int_in_range(11..=u32::MAX)? };
                        clarifai_client_options_set_max_retries(o, n, err_ptr!())
                    }
                    7 => clarifai_client_options_set_max_response_bytes(o, u.arbitrary()?, err_ptr!()),
                    8 => clarifai_client_options_set_danger_allow_insecure_http(o, u.arbitrary()?, err_ptr!()),
                    // A proxy is the dead port too (or no URL, or not http).
                    9 => {
                        let url = match u.int_in_range(0..=3u8)? {
                            0 => Arg::text(&dead_url().replace("http://", "http://user:pw@")),
                            1 => Arg::text(&dead_url().replace("http://", "socks5://")),
                            _ => url_arg(u)?,
                        };
                        clarifai_client_options_set_proxy(o, url.ptr(), err_ptr!())
                    }
                    10 => clarifai_client_options_set_proxy_from_env(o, u.arbitrary()?, err_ptr!()),
                    _ => clarifai_client_options_set_http2_prior_knowledge(o, u.arbitrary()?, err_ptr!()),
                };
                if o.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                } else {
                    assert!(
                        matches!(
                            r,
                            clarifai_result::Ok | clarifai_result::NullArgument | clarifai_result::InvalidArgument
                        ),
                        "a setter judged a value: {r:?}"
                    );
                }
                self.settle::<()>(u, r, None, err)?;
            }
            4..=7 => {
                let o = pick(u, &self.opts)?;
                let mut out: *mut clarifai_client = sentinel();
                let out_ptr = if u.int_in_range(0..=9u8)? == 0 { null_mut() } else { &mut out as *mut _ };
                let r = match u.int_in_range(0..=6u8)? {
                    0 | 1 => clarifai_client_new_api_key(arg(u, Kind::Key)?.ptr(), o, out_ptr, err_ptr!()),
                    2 => {
                        let (p, user, app) = (arg(u, Kind::Key)?, arg(u, Kind::Id)?, arg(u, Kind::Id)?);
                        clarifai_client_new_pat(p.ptr(), user.ptr(), app.ptr(), o, out_ptr, err_ptr!())
                    }
                    3 => {
                        if u.arbitrary()? {
                            clarifai_client_new_from_env(o, out_ptr, err_ptr!())
                        } else {
                            clarifai_client_new_without_credential(o, out_ptr, err_ptr!())
                        }
                    }
                    4 => clarifai_client_new_deprecated_legacy_token(arg(u, Kind::Key)?.ptr(), o, out_ptr, err_ptr!()),
                    5 => {
                        let (id, secret) = (arg(u, Kind::Id)?, arg(u, Kind::Key)?);
                        clarifai_client_new_deprecated_client_credentials(
                            id.ptr(),
                            secret.ptr(),
                            o,
                            out_ptr,
                            err_ptr!(),
                        )
                    }
                    _ => {
                        let c = pick(u, &self.clients)?;
                        if u.arbitrary()? {
                            clarifai_client_with_api_key(c, arg(u, Kind::Key)?.ptr(), out_ptr, err_ptr!())
                        } else {
                            let (p, user, app) = (arg(u, Kind::Key)?, arg(u, Kind::Id)?, arg(u, Kind::Id)?);
                            clarifai_client_with_pat(c, p.ptr(), user.ptr(), app.ptr(), out_ptr, err_ptr!())
                        }
                    }
                };
                if out_ptr.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                }
                if let Some(c) = self.settle(u, r, (!out_ptr.is_null()).then_some(out), err)? {
                    self.clients.push(c);
                }
            }
            8..=10 => {
                let c = pick(u, &self.clients)?;
                let (ep, params) = (arg(u, Kind::Endpoint)?, arg(u, Kind::Params)?);
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let mut out: *mut clarifai_response = sentinel();
                let r = clarifai_client_call(c, ep.ptr(), params.ptr(), &mut out, err_ptr!());
                if let Some(resp) = self.settle(u, r, Some(out), err)? {
                    self.responses.push(resp);
                }
            }
            11 => {
                let c = pick(u, &self.clients)?;
                let (m, path, body) = (arg(u, Kind::Method)?, arg(u, Kind::Path)?, arg(u, Kind::Params)?);
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let mut out: *mut clarifai_response = sentinel();
                let r = clarifai_client_request(c, m.ptr(), path.ptr(), body.ptr(), &mut out, err_ptr!());
                if let Some(resp) = self.settle(u, r, Some(out), err)? {
                    self.responses.push(resp);
                }
            }
            12 | 13 => {
                let c = pick(u, &self.clients)?;
                let ep = arg(u, Kind::Endpoint)?;
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let r = clarifai_client_check(c, ep.ptr(), err_ptr!());
                self.settle::<()>(u, r, None, err)?;
            }
            14 => {
                let c = pick(u, &self.clients)?;
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let mut out: *mut clarifai_scopes = sentinel();
                let r = clarifai_client_my_scopes(c, &mut out, err_ptr!());
                if let Some(s) = self.settle(u, r, Some(out), err)? {
                    inspect_scopes(u, s)?;
                    self.scopes.push(s);
                }
            }
            15 => {
                let c = pick(u, &self.clients)?;
                let mut out: *mut c_char = sentinel();
                let r = clarifai_client_grpc_metadata(c, &mut out, err_ptr!());
                if let Some(s) = self.settle(u, r, Some(out), err)? {
                    // The one string that is the key, by design; wiped by clarifai_string_free.
                    assert!(
                        c_str(s, "grpc metadata").starts_with("Key ")
                            || c_str(s, "grpc metadata").starts_with("Bearer ")
                    );
                    self.strings.push(s);
                }
            }
            16 => {
                let c = pick(u, &self.clients)?;
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let mut key: *mut clarifai_key = sentinel();
                let mut resp: *mut clarifai_response = sentinel();
                match u.int_in_range(0..=4u8)? {
                    0 => {
                        let (app, desc) = (arg(u, Kind::Id)?, arg(u, Kind::Text)?);
                        let r = clarifai_client_create_app(c, app.ptr(), desc.ptr(), &mut resp, err_ptr!());
                        if let Some(resp) = self.settle(u, r, Some(resp), err)? {
                            self.responses.push(resp);
                        }
                    }
                    1 => {
                        // Arrays of 0-3 names (any of which may be NULL or not UTF-8), passed
                        // as NULL now and then: refused when the count is not 0.
                        let scopes: Vec<Arg> =
                            (0..u.int_in_range(0..=3)?).map(|_| arg(u, Kind::Scope)).collect::<Result<_>>()?;
                        let endpoints: Vec<Arg> =
                            (0..u.int_in_range(0..=2)?).map(|_| arg(u, Kind::Endpoint)).collect::<Result<_>>()?;
                        let sp: Vec<*const c_char> = scopes.iter().map(Arg::ptr).collect();
                        let ep: Vec<*const c_char> = endpoints.iter().map(Arg::ptr).collect();
                        let sp_ptr = if u.int_in_range(0..=7u8)? == 0 { std::ptr::null() } else { sp.as_ptr() };
                        let ep_ptr = if u.int_in_range(0..=3u8)? == 0 { std::ptr::null() } else { ep.as_ptr() };
                        let (desc, user, app) = (arg(u, Kind::Text)?, arg(u, Kind::Id)?, arg(u, Kind::Id)?);
                        let r = clarifai_client_create_key(
                            c,
                            desc.ptr(),
                            sp_ptr,
                            sp.len(),
                            ep_ptr,
                            ep.len(),
                            user.ptr(),
                            app.ptr(),
                            &mut key,
                            err_ptr!(),
                        );
                        if c.is_null() {
                            assert_eq!(r, clarifai_result::NullArgument);
                        }
                        if (sp_ptr.is_null() && !sp.is_empty()) || (ep_ptr.is_null() && !ep.is_empty()) {
                            assert_ne!(r, clarifai_result::Ok, "a NULL array with a count was taken");
                        }
                        if let Some(k) = self.settle(u, r, Some(key), err)? {
                            inspect_key(u, k)?;
                            self.keys.push(k);
                        }
                    }
                    2 => {
                        let mut list: *mut clarifai_key_list = sentinel();
                        let r = clarifai_client_list_keys(c, &mut list, err_ptr!());
                        if let Some(l) = self.settle(u, r, Some(list), err)? {
                            self.key_lists.push(l);
                        }
                    }
                    3 => {
                        let r = clarifai_client_delete_key(c, arg(u, Kind::Key)?.ptr(), err_ptr!());
                        self.settle::<()>(u, r, None, err)?;
                    }
                    _ => {
                        let r = clarifai_client_rotate_key(c, arg(u, Kind::Key)?.ptr(), &mut key, err_ptr!());
                        if let Some(k) = self.settle(u, r, Some(key), err)? {
                            self.keys.push(k);
                        }
                    }
                }
            }
            17 | 18 => {
                let c = pick(u, &self.clients)?;
                let (ep, params) = (arg(u, Kind::Endpoint)?, arg(u, Kind::Params)?);
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let opts = pick(u, &self.call_opts)?;
                let callback: clarifai_callback = if u.int_in_range(0..=7u8)? == 0 { None } else { Some(on_done) };
                let with_handle: bool = u.arbitrary()?;
                let record =
                    with_handle.then(|| Box::into_raw(Box::new(Record { runs: AtomicUsize::new(0), count: 1 })));
                let userdata = record.map_or(&PENDING as *const AtomicUsize as *mut c_void, |r| r as *mut c_void);
                let mut call: *mut clarifai_call = sentinel();
                let out_call = if with_handle { &mut call as *mut _ } else { null_mut() };
                PENDING.fetch_add(1, Ordering::SeqCst);
                let r = clarifai_client_call_async(
                    c,
                    ep.ptr(),
                    params.ptr(),
                    opts,
                    callback,
                    userdata,
                    out_call,
                    err_ptr!(),
                );
                if !result_ok(r) {
                    // The callback never runs for a call that was not queued.
                    PENDING.fetch_sub(1, Ordering::SeqCst);
                }
                if callback.is_none() || c.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                }
                match (self.settle(u, r, record.map(|_| call), err)?, record) {
                    (Some(call), Some(rec)) => self.calls.push(Call { call, record: Some(rec) }),
                    (_, Some(rec)) => drop(Box::from_raw(rec)),
                    _ => {}
                }
            }
            19 | 20 => {
                let c = pick(u, &self.clients)?;
                let n = u.int_in_range(0..=4usize)?;
                let mut endpoints = Vec::with_capacity(n);
                let mut params = Vec::with_capacity(n);
                for _ in 0..n {
                    endpoints.push(arg(u, Kind::Endpoint)?);
                    params.push(arg(u, Kind::Params)?);
                }
                if !c.is_null() && n > 0 && !self.spend_network() {
                    return Ok(());
                }
                let ep_ptrs: Vec<*const c_char> = endpoints.iter().map(Arg::ptr).collect();
                let param_ptrs: Vec<*const c_char> = params.iter().map(Arg::ptr).collect();
                let ep_array = if u.int_in_range(0..=9u8)? == 0 { std::ptr::null() } else { ep_ptrs.as_ptr() };
                let param_array = if u.arbitrary()? { std::ptr::null() } else { param_ptrs.as_ptr() };
                let mut out: *mut clarifai_batch = sentinel();
                match u.int_in_range(0..=2u8)? {
                    0 => {
                        let r = clarifai_client_call_many(c, ep_array, param_array, n, &mut out, err_ptr!());
                        if let Some(b) = self.settle(u, r, Some(out), err)? {
                            assert_eq!(clarifai_batch_len(b), n);
                            self.batches.push(b);
                        }
                    }
                    1 => {
                        let opts = pick(u, &self.call_opts)?;
                        let r = clarifai_client_call_many_with_options(
                            c,
                            ep_array,
                            param_array,
                            n,
                            opts,
                            &mut out,
                            err_ptr!(),
                        );
                        if let Some(b) = self.settle(u, r, Some(out), err)? {
                            assert_eq!(clarifai_batch_len(b), n);
                            self.batches.push(b);
                        }
                    }
                    _ => {
                        let opts = pick(u, &self.call_opts)?;
                        let callback: clarifai_batch_callback =
                            if u.int_in_range(0..=7u8)? == 0 { None } else { Some(on_batch_done) };
                        let with_handle: bool = u.arbitrary()?;
                        let record = with_handle
                            .then(|| Box::into_raw(Box::new(Record { runs: AtomicUsize::new(0), count: n })));
                        let userdata =
                            record.map_or(&PENDING as *const AtomicUsize as *mut c_void, |r| r as *mut c_void);
                        let mut call: *mut clarifai_call = sentinel();
                        let out_call = if with_handle { &mut call as *mut _ } else { null_mut() };
                        PENDING.fetch_add(1, Ordering::SeqCst);
                        let r = clarifai_client_call_many_async(
                            c,
                            ep_array,
                            param_array,
                            n,
                            opts,
                            callback,
                            userdata,
                            out_call,
                            err_ptr!(),
                        );
                        if !result_ok(r) {
                            PENDING.fetch_sub(1, Ordering::SeqCst);
                        }
                        if callback.is_none() || c.is_null() || (ep_array.is_null() && n > 0) {
                            assert_eq!(r, clarifai_result::NullArgument);
                        }
                        match (self.settle(u, r, record.map(|_| call), err)?, record) {
                            (Some(call), Some(rec)) => self.calls.push(Call { call, record: Some(rec) }),
                            (_, Some(rec)) => drop(Box::from_raw(rec)),
                            _ => {}
                        }
                    }
                }
            }
            21 | 22 => {
                let b = pick(u, &self.batches)?;
                let len = clarifai_batch_len(b);
                let i = match u.int_in_range(0..=3u8)? {
                    0 => len,
                    1 => usize::MAX,
                    2 => u.arbitrary()?,
                    _ => len.saturating_sub(1),
                };
                let r = clarifai_batch_result(b, i);
                let (resp, e) = (clarifai_batch_response(b, i), clarifai_batch_error(b, i));
                assert_ne!(r, clarifai_result::Panic);
                if b.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                }
                if b.is_null() || i >= len {
                    assert!(resp.is_null() && e.is_null());
                } else if r == clarifai_result::Ok {
                    assert!(!resp.is_null() && e.is_null());
                    inspect_response(u, resp)?;
                } else {
                    assert!(resp.is_null() && !e.is_null());
                    assert_eq!(clarifai_error_result(e), r);
                    inspect_error(u, e)?;
                }
            }
            23 => {
                let e = pick(u, &self.errors)?;
                inspect_error(u, e)?;
            }
            24 => {
                let r = pick(u, &self.responses)?;
                inspect_response(u, r)?;
            }
            25 => {
                let c = pick(u, &self.clients)?;
                let _ = clarifai_client_credential_kind(c);
            }
            26 => {
                let code: u32 = u.arbitrary()?;
                let name = c_str(clarifai_result_name(code), "result name");
                assert!(name.starts_with("CLARIFAI_RESULT_"));
                assert!(c_str(clarifai_version(), "version").split('.').count() >= 3);
            }
            // Started calls, waited for (a call with a callback, or waited for twice: STATE).
            27 | 28 => {
                let c = pick(u, &self.clients)?;
                let (ep, params) = (arg(u, Kind::Endpoint)?, arg(u, Kind::Params)?);
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let opts = pick(u, &self.call_opts)?;
                let mut call: *mut clarifai_call = sentinel();
                let out_call = if u.int_in_range(0..=9u8)? == 0 { null_mut() } else { &mut call as *mut _ };
                let r = if u.arbitrary()? {
                    clarifai_client_call_start(c, ep.ptr(), params.ptr(), opts, out_call, err_ptr!())
                } else {
                    // The blocking form with options, in the same place.
                    let mut resp: *mut clarifai_response = sentinel();
                    let r = clarifai_client_call_with_options(c, ep.ptr(), params.ptr(), opts, &mut resp, err_ptr!());
                    if let Some(resp) = self.settle(u, r, Some(resp), err)? {
                        self.responses.push(resp);
                    }
                    return Ok(());
                };
                if out_call.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                }
                if let Some(call) = self.settle(u, r, (!out_call.is_null()).then_some(call), err)? {
                    self.calls.push(Call { call, record: None });
                }
            }
            29 => {
                let i = u.choose_index(self.calls.len() + 1)?;
                let call = self.calls.get(i).map_or(null_mut(), |c| c.call);
                let mut resp: *mut clarifai_response = sentinel();
                let out = if u.int_in_range(0..=9u8)? == 0 { null_mut() } else { &mut resp as *mut _ };
                let r = clarifai_call_wait(call, out, err_ptr!());
                if call.is_null() || out.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                } else if self.calls[i].record.is_some() {
                    assert_eq!(r, clarifai_result::State, "a call with a callback was waited for");
                } else {
                    assert!(clarifai_call_is_done(call), "a wait returned before its call was done");
                }
                if let Some(resp) = self.settle(u, r, (!out.is_null()).then_some(resp), err)? {
                    self.responses.push(resp);
                }
            }
            30 => {
                let i = u.choose_index(self.calls.len() + 1)?;
                let call = self.calls.get(i).map_or(null_mut(), |c| c.call);
                if u.arbitrary()? {
                    clarifai_call_cancel(call);
                } else {
                    let done = clarifai_call_is_done(call);
                    if call.is_null() {
                        assert!(!done);
                    }
                }
            }
            // Cancel tokens and call options.
            31 => match u.int_in_range(0..=3u8)? {
                0 => {
                    let t = clarifai_cancel_token_new();
                    assert!(!t.is_null() && !clarifai_cancel_token_is_cancelled(t));
                    self.tokens.push(t);
                }
                1 => {
                    let t = pick(u, &self.tokens)?;
                    clarifai_cancel_token_cancel(t);
                    assert_eq!(clarifai_cancel_token_is_cancelled(t), !t.is_null());
                }
                2 => {
                    let o = clarifai_call_options_new();
                    assert!(!o.is_null());
                    self.call_opts.push(o);
                }
                _ => {
                    let o = pick(u, &self.call_opts)?;
                    let r = if u.arbitrary()? {
                        // Zero is refused by the calls made with it, not here.
                        let ms = if u.arbitrary()? { u.int_in_range(0..=50u64)? } else { u.arbitrary()? };
                        clarifai_call_options_set_timeout_ms(o, ms, err_ptr!())
                    } else {
                        clarifai_call_options_set_cancel_token(o, pick(u, &self.tokens)?, err_ptr!())
                    };
                    assert_eq!(r, if o.is_null() { clarifai_result::NullArgument } else { clarifai_result::Ok });
                    self.settle::<()>(u, r, None, err)?;
                }
            },
            32 => {
                // Keys, lists and scopes (NULL ones: the dead server never gives any).
                match u.int_in_range(0..=2u8)? {
                    0 => {
                        let k = pick(u, &self.keys)?;
                        inspect_key(u, k)?
                    }
                    1 => {
                        let l = pick(u, &self.key_lists)?;
                        let n = clarifai_key_list_len(l);
                        let i = if u.arbitrary()? { n } else { u.arbitrary()? };
                        let k = clarifai_key_list_get(l, i);
                        if i >= n {
                            assert!(k.is_null());
                        }
                        inspect_key(u, k)?;
                    }
                    _ => {
                        let s = pick(u, &self.scopes)?;
                        inspect_scopes(u, s)?
                    }
                }
            }
            33 => {
                // Out of range is refused whatever the state; a count that differs from the
                // running runtime's is STATE; otherwise fine. Kept small: it sizes the runtime
                // of this very process when it comes before the first call.
                let n = match u.int_in_range(0..=3u8)? {
                    0 => 0,
                    1 => u.int_in_range(65..=usize::MAX)?,
                    _ => u.int_in_range(1..=2)?,
                };
                let r = clarifai_runtime_set_worker_threads(n, err_ptr!());
                if n == 0 || n > 64 {
                    assert_eq!(r, clarifai_result::InvalidArgument);
                } else {
                    assert!(matches!(r, clarifai_result::Ok | clarifai_result::State), "{r:?}");
                }
                self.settle::<()>(u, r, None, err)?;
            }
            // Frees, in whatever order the input says; NULL is always allowed.
            34 | 35 => clarifai_client_free(take(u, &mut self.clients)?),
            36 => clarifai_client_options_free(take(u, &mut self.opts)?),
            37 | 38 => match u.int_in_range(0..=2u8)? {
                0 => clarifai_response_free(take(u, &mut self.responses)?),
                1 => clarifai_error_free(take(u, &mut self.errors)?),
                _ => clarifai_batch_free(take(u, &mut self.batches)?),
            },
            39 => clarifai_string_free(take(u, &mut self.strings)?),
            40 | 41 => {
                // A call freed at any moment: running (cancelled, its callback run here),
                // done, or waited for.
                let i = u.choose_index(self.calls.len() + 1)?;
                if i < self.calls.len() {
                    free_call(self.calls.swap_remove(i));
                } else {
                    clarifai_call_free(null_mut());
                }
            }
            42 => match u.int_in_range(0..=4u8)? {
                0 => clarifai_key_free(take(u, &mut self.keys)?),
                1 => clarifai_key_list_free(take(u, &mut self.key_lists)?),
                2 => clarifai_scopes_free(take(u, &mut self.scopes)?),
                3 => clarifai_cancel_token_free(take(u, &mut self.tokens)?),
                _ => clarifai_call_options_free(take(u, &mut self.call_opts)?),
            },
            _ => {
                // Calls with every pointer NULL.
                let mut e = sentinel();
                assert_eq!(
                    clarifai_client_call(std::ptr::null(), std::ptr::null(), std::ptr::null(), null_mut(), &mut e),
                    clarifai_result::NullArgument
                );
                assert_ne!(e, sentinel());
                clarifai_error_free(e);
                assert_eq!(
                    clarifai_client_new_api_key(std::ptr::null(), std::ptr::null(), null_mut(), null_mut()),
                    clarifai_result::NullArgument
                );
                assert_eq!(
                    clarifai_client_check(std::ptr::null(), std::ptr::null(), null_mut()),
                    clarifai_result::NullArgument
                );
                assert_eq!(clarifai_batch_len(std::ptr::null()), 0);
                assert_eq!(clarifai_call_wait(std::ptr::null(), null_mut(), null_mut()), clarifai_result::NullArgument);
                assert_eq!(
                    clarifai_client_call_start(
                        std::ptr::null(),
                        std::ptr::null(),
                        std::ptr::null(),
                        std::ptr::null(),
                        null_mut(),
                        null_mut()
                    ),
                    clarifai_result::NullArgument
                );
                assert_eq!(clarifai_client_credential_kind(std::ptr::null()), clarifai_credential_kind::None);
                assert!(
                    !clarifai_call_is_done(std::ptr::null()) && !clarifai_cancel_token_is_cancelled(std::ptr::null())
                );
            }
        }
        Ok(())
    }

    /// Free what is left, in the order the input leaves it.
    unsafe fn free_all(&mut self) {
        for c in self.clients.drain(..) {
            clarifai_client_free(c);
        }
        for o in self.opts.drain(..) {
            clarifai_client_options_free(o);
        }
        for r in self.responses.drain(..) {
            clarifai_response_free(r);
        }
        for e in self.errors.drain(..) {
            clarifai_error_free(e);
        }
        for b in self.batches.drain(..) {
            clarifai_batch_free(b);
        }
        for s in self.strings.drain(..) {
            clarifai_string_free(s);
        }
        // Calls last but one: freeing a running one cancels it and runs its callback here.
        for c in self.calls.drain(..) {
            free_call(c);
        }
        for k in self.keys.drain(..) {
            clarifai_key_free(k);
        }
        for l in self.key_lists.drain(..) {
            clarifai_key_list_free(l);
        }
        for s in self.scopes.drain(..) {
            clarifai_scopes_free(s);
        }
        for t in self.tokens.drain(..) {
            clarifai_cancel_token_free(t);
        }
        for o in self.call_opts.drain(..) {
            clarifai_call_options_free(o);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    dead_url();
    let mut u = Unstructured::new(data);
    let mut world = World::default();
    unsafe {
        while !u.is_empty() {
            if world.step(&mut u).is_err() {
                break;
            }
        }
        world.free_all();
    }
    // Every queued callback runs exactly once, even with its client freed (the ones with a
    // handle ran by the time their handle was freed).
    let deadline = Instant::now() + Duration::from_secs(30);
    while PENDING.load(Ordering::SeqCst) != 0 {
        assert!(Instant::now() < deadline, "{} async callbacks never ran", PENDING.load(Ordering::SeqCst));
        std::thread::sleep(Duration::from_millis(1));
    }
});
