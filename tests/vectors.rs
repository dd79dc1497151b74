//! The shared conformance vectors (tests/vectors/cases.json) through the Rust API.

mod common;

use std::collections::HashMap;

use clarifai::{Client, Credential, Error, KeySpec, Method, RetryPolicy, UserAppId};
use clarifai_emulator::{Config, Emulator, FaultRule};
use serde_json::Value;

/// The C result name a front end reports for this outcome (see src/ffi).
fn result_name(r: &Result<clarifai::Response, Error>) -> String {
    match r {
        Ok(_) => "CLARIFAI_RESULT_OK".into(),
        Err(e) => {
            let code = clarifai::ffi::clarifai_result_name(clarifai::ffi::clarifai_result::of(e) as u32);
            unsafe { std::ffi::CStr::from_ptr(code) }.to_string_lossy().into_owned()
        }
    }
}

fn substitute(v: &Value, emu: &Emulator) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("{user_id}", emu.user_id()).replace("{app_id}", emu.app_id())),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, emu)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), substitute(x, emu))).collect()),
        other => other.clone(),
    }
}

#[test]
fn conformance_vectors() {
    let doc: Value = serde_json::from_str(include_str!("vectors/cases.json")).unwrap();
    // The vectors' emulator arguments are --fault pairs.
    let args: Vec<&str> = doc["emulator_args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let faults = args.chunks(2).filter(|p| p[0] == "--fault").map(|p| p[1].parse::<FaultRule>().unwrap()).collect();
    let emu = Emulator::start(Config { faults, ..Config::default() }).unwrap();
    let build = |cred: Credential| Client::builder(cred).base_url(emu.url()).retry(RetryPolicy::none()).build().unwrap();
    let pat = build(Credential::pat(emu.pat(), emu.user_id(), emu.app_id()).unwrap());
    for app in doc["setup"]["apps"].as_array().unwrap() {
        let _ = pat.create_app(app.as_str().unwrap(), "");
    }

    let mut clients: HashMap<String, Client> = HashMap::new();
    for (name, spec) in doc["credentials"].as_object().unwrap() {
        let client = match (spec["kind"].as_str().unwrap(), spec.get("from"), spec.get("token"), spec.get("create")) {
            ("api_key", Some(_), _, _) => build(Credential::api_key(emu.api_key()).unwrap()),
            ("pat", Some(_), _, _) => pat.clone(),
            ("api_key", _, Some(t), _) => build(Credential::api_key(t.as_str().unwrap()).unwrap()),
            ("api_key", _, _, Some(c)) => {
                let app = match c["app"].as_str().unwrap() {
                    "demo" => emu.app_id().to_string(),
                    other => other.to_string(),
                };
                let strings = |v: &Value| v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
                let key = pat
                    .create_key(&KeySpec {
                        description: format!("vectors: {name}"),
                        scopes: strings(&c["scopes"]),
                        endpoints: strings(&c["endpoints"]),
                        app: UserAppId::new("me", &app).unwrap(),
                    })
                    .unwrap();
                build(Credential::api_key(key.id.expose()).unwrap())
            }
            other => panic!("unknown credential spec {other:?}"),
        };
        clients.insert(name.clone(), client);
    }

    let mut failures = Vec::new();
    let cases = doc["cases"].as_array().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let client = &clients[case["credential"].as_str().unwrap()];
        let r = if let Some(call) = case.get("call") {
            client.call(call["endpoint"].as_str().unwrap(), &substitute(&call["params"], &emu))
        } else {
            let req = &case["request"];
            let body = substitute(&req["body"], &emu);
            client.request(
                Method::parse(req["method"].as_str().unwrap()).unwrap(),
                substitute(&req["path"], &emu).as_str().unwrap(),
                if body.is_null() { None } else { Some(&body) },
            )
        };
        let expect = substitute(&case["expect"], &emu);
        let mut problems = Vec::new();
        let got_result = result_name(&r);
        if let Some(want) = expect.get("result").and_then(Value::as_str) {
            if got_result != want {
                problems.push(format!("result {got_result}, want {want}"));
            }
        }
        let (code, http) = match &r {
            Ok(resp) => (resp.status.code, resp.http_status),
            Err(Error::Api(a)) => (a.status.code, a.http_status),
            Err(_) => (0, 0),
        };
        if let Some(want) = expect.get("code").and_then(Value::as_u64) {
            if u64::from(code) != want {
                problems.push(format!("code {code}, want {want}"));
            }
        }
        if let Some(want) = expect.get("http").and_then(Value::as_u64) {
            if u64::from(http) != want {
                problems.push(format!("http {http}, want {want}"));
            }
        }
        if let Some(want) = expect.get("route").and_then(Value::as_str) {
            let got = common::route_of(&r);
            if got.as_deref() != Some(want) {
                problems.push(format!("route {got:?}, want {want:?}"));
            }
        }
        let missing = match &r {
            Err(Error::Api(a)) => a.missing.clone(),
            _ => Default::default(),
        };
        if let Some(want) = expect.get("missing_scopes") {
            let want: Vec<String> = want.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
            if missing.scopes != want {
                problems.push(format!("missing scopes {:?}, want {want:?}", missing.scopes));
            }
        }
        if let Some(want) = expect.get("missing_endpoint") {
            if missing.endpoint.as_deref() != want.as_str() {
                problems.push(format!("missing endpoint {:?}, want {want}", missing.endpoint));
            }
        }
        if let Some(want) = expect.get("retry_after").and_then(Value::as_u64) {
            let got = match &r {
                Err(Error::Api(a)) => a.retry_after.map(|d| d.as_secs()),
                _ => None,
            };
            if got != Some(want) {
                problems.push(format!("retry_after {got:?}, want {want}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    println!("{} passed, {} failed", cases.len() - failures.len(), failures.len());
    assert!(cases.len() >= 40);
    assert!(failures.is_empty(), "failing vectors:\n{}", failures.join("\n"));
}
