//! The shared conformance vectors (tests/vectors/cases.json) through the Rust API.

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

/// The C result name's tail (after CLARIFAI_RESULT_) for an error.
fn name_of(e: &Error) -> String {
    let code = clarifai::ffi::clarifai_result_name(clarifai::ffi::clarifai_result::of(e) as u32);
    let full = unsafe { std::ffi::CStr::from_ptr(code) }.to_string_lossy().into_owned();
    full.trim_start_matches("CLARIFAI_RESULT_").to_string()
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
    let doc: Value = serde_json::from_str(include_str!("../vectors/cases.json")).unwrap();
    // The vectors' emulator arguments are --fault pairs.
    let args: Vec<&str> = doc["emulator_args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    let faults = args.chunks(2).filter(|p| p[0] == "--fault").map(|p| p[1].parse::<FaultRule>().unwrap()).collect();
    let emu = Emulator::start(Config { faults, ..Config::default() }).unwrap();
    let build =
        |cred: Credential| Client::builder(cred).base_url(emu.url()).retry(RetryPolicy::none()).build().unwrap();
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
                let strings =
                    |v: &Value| v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
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
            let got = crate::common::route_of(&r);
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
    let option_cases = doc["option_cases"].as_array().unwrap();
    for case in option_cases {
        let name = case["name"].as_str().unwrap();
        let mut b =
            Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).retry(RetryPolicy::none());
        for (k, v) in case["options"].as_object().unwrap() {
            let ms = || std::time::Duration::from_millis(v.as_u64().unwrap());
            b = match k.as_str() {
                "base_url" => b.base_url(v.as_str().unwrap()),
                "timeout_ms" => b.timeout(ms()),
                "connect_timeout_ms" => b.connect_timeout(ms()),
                "user_agent" => b.user_agent(v.as_str().unwrap()),
                "max_concurrency" => b.max_concurrency(v.as_u64().unwrap() as usize),
                "max_retries" => {
                    b.retry(RetryPolicy { max_retries: v.as_u64().unwrap() as u32, ..RetryPolicy::none() })
                }
                "max_response_bytes" => b.max_response_bytes(v.as_u64().unwrap()),
                "proxy" => b.proxy(v.as_str().unwrap()),
                other => panic!("unknown option {other}"),
            };
        }
        let built = b.build();
        let got = match &built {
            Ok(_) => "CLARIFAI_RESULT_OK".to_string(),
            Err(e) => format!("CLARIFAI_RESULT_{}", name_of(e)),
        };
        let want = case["expect"]["result"].as_str().unwrap();
        if got != want {
            failures.push(format!("{name}: result {got}, want {want}"));
        } else if let (Ok(c), false) = (&built, case["expect"]["no_call"].as_bool().unwrap_or(false)) {
            if let Err(e) = c.call("ListInputs", &serde_json::json!({})) {
                failures.push(format!("{name}: the client was made but its call failed: {e}"));
            }
        }
    }
    let total = cases.len() + option_cases.len();
    println!("{} passed, {} failed", total - failures.len(), failures.len());
    assert!(cases.len() >= 40 && option_cases.len() >= 10);
    assert!(failures.is_empty(), "failing vectors:\n{}", failures.join("\n"));
}
