//! Fault injection (every kind, per route and global, `times`), and the admin routes other
//! languages' suites drive it with.

use std::time::{Duration, Instant};

use crate::common::*;
use clarifai_emulator::{Config, Emulator, Fault, FaultRule, FaultTarget};
use serde_json::{json, Value};

fn admin(emu: &Emulator, method: &str, path: &str, body: Option<&str>) -> Resp {
    send(emu.local_addr(), method, path, &[("X-Emulator-Admin-Token", emu.admin_token())], body)
}

#[test]
fn delay() {
    let emu = Emulator::start_default().unwrap();
    emu.set_fault("ListInputs=delay:150".parse().unwrap());
    let t = Instant::now();
    expect(&get(emu.local_addr(), "/v2/inputs", emu.api_key()), 200, 10000);
    assert!(t.elapsed() >= Duration::from_millis(150));
    let t = Instant::now();
    expect(&get(emu.local_addr(), "/v2/concepts", emu.api_key()), 200, 10000);
    assert!(t.elapsed() < Duration::from_millis(150));
}

#[test]
fn throttle_for_the_next_n_requests() {
    let emu =
        Emulator::start(Config { faults: vec!["*=throttle:2,times=2".parse().unwrap()], ..Config::default() }).unwrap();
    let addr = emu.local_addr();
    for _ in 0..2 {
        let r = get(addr, "/v2/inputs", emu.api_key());
        expect(&r, 429, 11005);
        assert_eq!(r.header("Retry-After"), Some("2"));
        assert_eq!(r.header("X-Clarifai-Emulator-Endpoint"), Some("ListInputs"));
    }
    expect(&get(addr, "/v2/inputs", emu.api_key()), 200, 10000);
    assert!(emu.faults().is_empty());
}

#[test]
fn status_codes() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    emu.set_fault("/v2/inputs=status:503,times=1".parse().unwrap());
    emu.set_fault("PostModelOutputs=status:500:98004,times=1".parse().unwrap());
    let r = get(addr, "/v2/inputs", emu.api_key());
    expect(&r, 503, 10020);
    assert_eq!(r.details(), "emulator fault: status 503");
    let r = post(addr, "/v2/models/general-image-recognition/outputs", emu.api_key(), &json!({}));
    expect(&r, 500, 98004);
}

#[test]
fn drop_cuts_the_body_and_closes_the_connection() {
    let emu = Emulator::start_default().unwrap();
    emu.set_fault(FaultRule::new(FaultTarget::Endpoint("ListInputs".into()), Fault::Drop).times(1));
    let req = format!("GET /v2/inputs HTTP/1.1\r\nHost: x\r\nAuthorization: Key {}\r\n\r\n", emu.api_key());
    let (raw, _) = exchange(emu.local_addr(), req.as_bytes());
    let text = String::from_utf8_lossy(&raw).into_owned();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let end = text.find("\r\n\r\n").unwrap() + 4;
    let promised: usize = parse(&raw).header("content-length").unwrap().parse().unwrap();
    let got = raw.len() - end;
    assert!(got > 0 && got < promised, "got {got} of {promised} bytes");
    // Keep-alive was not honoured: the exchange above returned because the server closed.
    expect(&get(emu.local_addr(), "/v2/inputs", emu.api_key()), 200, 10000);
}

#[test]
fn redirect() {
    let emu = Emulator::start_default().unwrap();
    emu.set_fault("*=redirect:http://127.0.0.1:9/elsewhere".parse().unwrap());
    let r = get(emu.local_addr(), "/v2/inputs", emu.api_key());
    expect(&r, 307, 10050);
    assert_eq!(r.header("Location"), Some("http://127.0.0.1:9/elsewhere"));
}

#[test]
fn oversize_pads_a_valid_response() {
    let emu = Emulator::start_default().unwrap();
    emu.set_fault("ListInputs=oversize:100000".parse().unwrap());
    let r = get(emu.local_addr(), "/v2/inputs", emu.api_key());
    expect(&r, 200, 10000);
    assert_eq!(r.body.len(), 100_000);
    assert_eq!(r.json()["inputs"], json!([]));
    emu.clear_faults();
    assert!(get(emu.local_addr(), "/v2/inputs", emu.api_key()).body.len() < 1000);
}

#[test]
fn admin_routes_need_the_admin_token() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let r = send(addr, "GET", "/_emulator/requests", &[], None);
    expect(&r, 401, 11102);
    let r =
        send(addr, "POST", "/_emulator/faults", &[("X-Emulator-Admin-Token", "wrong")], Some(r#"{"spec": "*=drop"}"#));
    expect(&r, 401, 11102);
    assert!(emu.faults().is_empty());
    // The API's own keys do not open admin routes either.
    let r = send(addr, "GET", "/_emulator/requests", &[("X-Emulator-Admin-Token", emu.api_key())], None);
    expect(&r, 401, 11102);
    expect(&admin(&emu, "GET", "/_emulator/nothing", None), 404, 11101);
    expect(&admin(&emu, "PUT", "/_emulator/faults", None), 405, 11103);
}

#[test]
fn admin_routes_drive_faults_keys_and_the_request_log() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let r = admin(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(r#"{"specs": ["PostInputs=throttle:7,times=1", "/v2/concepts=status:502"]}"#),
    );
    expect(&r, 200, 10000);
    assert_eq!(r.json()["faults"], json!(["PostInputs=throttle:7,times=1", "/v2/concepts=status:502"]));
    expect(&admin(&emu, "POST", "/_emulator/faults", Some("*=explode")), 400, 11102);
    let r = post(addr, "/v2/inputs", emu.api_key(), &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]}));
    assert_eq!((r.status, r.header("Retry-After")), (429, Some("7")));
    expect(&get(addr, "/v2/concepts", emu.api_key()), 502, 10020);
    let r = admin(&emu, "DELETE", "/_emulator/faults", None);
    assert_eq!(r.json()["faults"], json!([]));
    expect(&get(addr, "/v2/concepts", emu.api_key()), 200, 10000);

    let r = admin(
        &emu,
        "POST",
        "/_emulator/keys",
        Some(r#"{"scopes": ["Predict", "Models:Get", "Concepts:Get", "Apps:Get"]}"#),
    );
    expect(&r, 200, 10000);
    let token = r.json()["token"].as_str().unwrap().to_string();
    let predict = json!({"inputs": [{"data": {"image": {"url": "https://x"}}}]});
    expect(&post(addr, "/v2/models/general-image-recognition/outputs", &token, &predict), 200, 10000);
    expect(&get(addr, "/v2/inputs", &token), 403, 11007);
    let r = admin(
        &emu,
        "POST",
        "/_emulator/keys",
        Some(&json!({"type": "personal_access_token", "user_id": emu.user_id()}).to_string()),
    );
    let pat = r.json()["token"].as_str().unwrap().to_string();
    expect(&get(addr, "/v2/users/me/keys", &pat), 200, 10000);
    expect(&admin(&emu, "POST", "/_emulator/keys", Some(r#"{"scopes": ["Nope"]}"#)), 400, 11102);

    let r = admin(&emu, "GET", "/_emulator/requests?x=1", None);
    let log: Vec<Value> = r.json()["requests"].as_array().unwrap().clone();
    let last = log.last().unwrap();
    assert_eq!(last["method"], "GET");
    assert_eq!(last["path"], "/v2/users/me/keys");
    assert_eq!(last["endpoint"], "ListKeys");
    assert_eq!(last["credential"], "pat");
    assert_eq!(last["http_status"], 200);
    assert!(log.iter().all(|e| !e["path"].as_str().unwrap().starts_with("/_emulator")));
    assert!(!r.text().contains(emu.api_key()));
    admin(&emu, "DELETE", "/_emulator/requests", None);
    assert!(emu.requests().is_empty());
    let details = admin(&emu, "GET", "/_emulator/details", None).json();
    assert_eq!(details["details"]["url"], emu.url());
}
