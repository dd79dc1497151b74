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
//! listens, held for the whole run so no one else can take it), so calls fail fast and offline.
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

/// Outstanding `clarifai_client_call_async` callbacks.
static PENDING: AtomicUsize = AtomicUsize::new(0);

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
                Kind::Key => u.choose(&[CANARY, "", "a b", "k\u{e9}y", "tab\tkey", "0123456789abcdef0123456789abcdef"])?,
                Kind::Id => u.choose(&["me", "fuzz-app", "", ".", "..", "a/b", "u_1.x-y"])?,
                Kind::Method => u.choose(&["GET", "POST", "PATCH", "PUT", "DELETE", "get", "TRACE", ""])?,
                Kind::Path => u.choose(&["/v2/inputs", "/v2/inputs?per_page=1", "/v2/myscopes", "no-slash", "/", "//x", "/v2/../x"])?,
                Kind::Text => u.choose(&["", "x", "a\u{1}b", "x-clarifai-emulator-route", "content-type"])?,
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
    assert!((r as u32) < clarifai_result::Panic as u32);
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

unsafe extern "C" fn on_done(userdata: *mut c_void, result: clarifai_result, response: *mut clarifai_response, error: *mut clarifai_error) {
    assert_eq!(userdata as *const AtomicUsize, &PENDING as *const AtomicUsize, "userdata passed through");
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
    PENDING.fetch_sub(1, Ordering::SeqCst);
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
    network: usize,
}

/// One of the handles, or NULL.
fn pick<T>(u: &mut Unstructured, v: &[*mut T]) -> Result<*mut T> {
    let i = u.choose_index(v.len() + 1)?;
    Ok(v.get(i).copied().unwrap_or(null_mut()))
}

/// Take one of the handles out to free it, or NULL.
fn take<T>(u: &mut Unstructured, v: &mut Vec<*mut T>) -> Result<*mut T> {
    let i = u.choose_index(v.len() + 1)?;
    Ok(if i < v.len() { v.swap_remove(i) } else { null_mut() })
}

impl World {
    /// Check a fallible call's out-parameters and keep what it made.
    unsafe fn settle<T>(&mut self, u: &mut Unstructured, r: clarifai_result, out: Option<*mut T>, err: Option<*mut clarifai_error>) -> Result<Option<*mut T>> {
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
        match u.int_in_range(0..=31u8)? {
            0 => {
                let o = clarifai_client_options_new();
                assert!(!o.is_null());
                self.opts.push(o);
            }
            1..=3 => {
                let o = pick(u, &self.opts)?;
                let r = match u.int_in_range(0..=8u8)? {
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
                    // makes the run slow.
                    6 => clarifai_client_options_set_max_retries(o, u.int_in_range(0..=2)?, err_ptr!()),
                    7 => clarifai_client_options_set_max_response_bytes(o, u.arbitrary()?, err_ptr!()),
                    _ => clarifai_client_options_set_danger_allow_insecure_http(o, u.arbitrary()?, err_ptr!()),
                };
                if o.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
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
                    3 => clarifai_client_new_from_env(o, out_ptr, err_ptr!()),
                    4 => clarifai_client_new_deprecated_legacy_token(arg(u, Kind::Key)?.ptr(), o, out_ptr, err_ptr!()),
                    5 => {
                        let (id, secret) = (arg(u, Kind::Id)?, arg(u, Kind::Key)?);
                        clarifai_client_new_deprecated_client_credentials(id.ptr(), secret.ptr(), o, out_ptr, err_ptr!())
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
                let mut out: *mut c_char = sentinel();
                let r = clarifai_client_my_scopes(c, &mut out, err_ptr!());
                if let Some(s) = self.settle(u, r, Some(out), err)? {
                    self.strings.push(s);
                }
            }
            15 => {
                let c = pick(u, &self.clients)?;
                let mut out: *mut c_char = sentinel();
                let r = clarifai_client_grpc_metadata(c, &mut out, err_ptr!());
                if let Some(s) = self.settle(u, r, Some(out), err)? {
                    // The one string that is the key, by design; wiped by clarifai_string_free.
                    assert!(c_str(s, "grpc metadata").starts_with("Key ") || c_str(s, "grpc metadata").starts_with("Bearer "));
                    self.strings.push(s);
                }
            }
            16 => {
                let c = pick(u, &self.clients)?;
                if !c.is_null() && !self.spend_network() {
                    return Ok(());
                }
                let mut out: *mut c_char = sentinel();
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
                        let scopes = Arg::text(u.choose(&["[\"Inputs:Get\"]", "[]", "[\"Nope\"]", "{}", "[1]"])?);
                        let endpoints = match u.int_in_range(0..=2u8)? {
                            0 => Arg(None),
                            1 => Arg::text("[\"ListInputs\"]"),
                            _ => arg(u, Kind::Params)?,
                        };
                        let (desc, user, app) = (arg(u, Kind::Text)?, arg(u, Kind::Id)?, arg(u, Kind::Id)?);
                        let r = clarifai_client_create_key(c, desc.ptr(), scopes.ptr(), endpoints.ptr(), user.ptr(), app.ptr(), &mut out, err_ptr!());
                        if let Some(s) = self.settle(u, r, Some(out), err)? {
                            self.strings.push(s);
                        }
                    }
                    2 => {
                        let r = clarifai_client_list_keys(c, &mut out, err_ptr!());
                        if let Some(s) = self.settle(u, r, Some(out), err)? {
                            self.strings.push(s);
                        }
                    }
                    3 => {
                        let r = clarifai_client_delete_key(c, arg(u, Kind::Key)?.ptr(), err_ptr!());
                        self.settle::<()>(u, r, None, err)?;
                    }
                    _ => {
                        let r = clarifai_client_rotate_key(c, arg(u, Kind::Key)?.ptr(), &mut out, err_ptr!());
                        if let Some(s) = self.settle(u, r, Some(out), err)? {
                            self.strings.push(s);
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
                let callback: clarifai_callback = if u.int_in_range(0..=7u8)? == 0 { None } else { Some(on_done) };
                PENDING.fetch_add(1, Ordering::SeqCst);
                let userdata = &PENDING as *const AtomicUsize as *mut c_void;
                let r = clarifai_client_call_async(c, ep.ptr(), params.ptr(), callback, userdata, err_ptr!());
                if !result_ok(r) {
                    // The callback never runs for a call that was not queued.
                    PENDING.fetch_sub(1, Ordering::SeqCst);
                }
                if callback.is_none() || c.is_null() {
                    assert_eq!(r, clarifai_result::NullArgument);
                }
                self.settle::<()>(u, r, None, err)?;
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
                let r = clarifai_client_call_many(c, ep_array, param_array, n, &mut out, err_ptr!());
                if let Some(b) = self.settle(u, r, Some(out), err)? {
                    assert_eq!(clarifai_batch_len(b), n);
                    self.batches.push(b);
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
            // Frees, in whatever order the input says; NULL is always allowed.
            27 => clarifai_client_free(take(u, &mut self.clients)?),
            28 => clarifai_client_options_free(take(u, &mut self.opts)?),
            29 => match u.int_in_range(0..=2u8)? {
                0 => clarifai_response_free(take(u, &mut self.responses)?),
                1 => clarifai_error_free(take(u, &mut self.errors)?),
                _ => clarifai_batch_free(take(u, &mut self.batches)?),
            },
            30 => clarifai_string_free(take(u, &mut self.strings)?),
            _ => {
                // Calls with every pointer NULL.
                let mut e = sentinel();
                assert_eq!(clarifai_client_call(std::ptr::null(), std::ptr::null(), std::ptr::null(), null_mut(), &mut e), clarifai_result::NullArgument);
                assert_ne!(e, sentinel());
                clarifai_error_free(e);
                assert_eq!(clarifai_client_new_api_key(std::ptr::null(), std::ptr::null(), null_mut(), null_mut()), clarifai_result::NullArgument);
                assert_eq!(clarifai_client_check(std::ptr::null(), std::ptr::null(), null_mut()), clarifai_result::NullArgument);
                assert_eq!(clarifai_batch_len(std::ptr::null()), 0);
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
    // Every queued callback runs exactly once, even with its client freed.
    let deadline = Instant::now() + Duration::from_secs(30);
    while PENDING.load(Ordering::SeqCst) != 0 {
        assert!(Instant::now() < deadline, "{} async callbacks never ran", PENDING.load(Ordering::SeqCst));
        std::thread::sleep(Duration::from_millis(1));
    }
});
