//! The client against the emulator over real HTTP: every row of the design's (../shared/DESIGN.md) credential, scope
//! and status tables, per-request override, environment loading and key rotation.

use std::time::Duration;

use crate::common::*;
use clarifai::{Client, Credential, Denial, Error, KeySpec, Method, RetryPolicy, TransportKind, UserAppId};
use clarifai_emulator::Emulator;
use serde_json::json;

fn api_code(r: &Result<clarifai::Response, Error>) -> Option<u32> {
    match r {
        Ok(resp) => Some(resp.status.code),
        Err(e) => e.status_code(),
    }
}

fn limited_key(pat: &Client, app_id: &str, scopes: &[&str], endpoints: &[&str]) -> String {
    let key = pat
        .create_key(&KeySpec {
            description: "test key".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            endpoints: endpoints.iter().map(|s| s.to_string()).collect(),
            app: UserAppId::new("me", app_id).unwrap(),
        })
        .expect("PAT creates a key");
    key.id.expose().to_string()
}

#[test]
fn app_key_uses_bare_paths_and_pat_the_prefixed_ones() {
    let emu = emulator();
    let r = app_key_client(&emu).call("ListInputs", &json!({"per_page": 1}));
    assert_eq!(route_of(&r).as_deref(), Some("GET /v2/inputs"));
    assert_eq!(r.unwrap().status.code, 10000);

    let r = pat_client(&emu).call("ListInputs", &json!({"per_page": 1}));
    let want = format!("GET /v2/users/{}/apps/{}/inputs", emu.user_id(), emu.app_id());
    assert_eq!(route_of(&r).as_deref(), Some(want.as_str()));
    assert!(r.is_ok());
}

#[test]
fn predict_with_an_app_key_returns_concepts() {
    let emu = emulator();
    let out = app_key_client(&emu)
        .call(
            "PostModelOutputs",
            &json!({"model_id": "general-image-recognition",
                    "inputs": [{"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}}]}),
        )
        .unwrap();
    assert!(out.body()["outputs"][0]["data"]["concepts"].as_array().is_some_and(|c| !c.is_empty()), "{}", out.text);
}

#[test]
fn unknown_key_is_key_not_found_and_the_key_never_shows() {
    let emu = emulator();
    let c = app_key_client(&emu).with_credential(Credential::api_key(CANARY).unwrap());
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let api = e.api().expect("an API error");
    assert_eq!((api.status.code, api.http_status), (11009, 401));
    assert_eq!(api.status.description, "API key not found");
    for text in [e.to_string(), format!("{e:?}"), format!("{c:?}")] {
        assert!(!text.contains(CANARY), "secret leaked: {text}");
    }
}

#[test]
fn missing_scopes_are_named_by_the_server_and_by_preflight() {
    let emu = emulator();
    let pat = pat_client(&emu);
    let key = limited_key(&pat, emu.app_id(), &["Inputs:Get"], &[]);
    let c = pat.with_credential(Credential::api_key(&key).unwrap());

    // Preflight fetches MyScopes once, then answers from the cache.
    let denial = c.check("PostInputs").unwrap().unwrap_err();
    let Denial::Insufficient(m) = denial else { panic!("{denial:?}") };
    assert!(m.scopes.contains(&"Inputs:Add".to_string()) && m.scopes.contains(&"Predict".to_string()), "{m:?}");
    assert!(!m.scopes.contains(&"Inputs:Get".to_string()));
    let before = emu.requests().len();
    for _ in 0..100 {
        assert!(c.check_cached("PostInputs").unwrap().unwrap().is_err());
        assert!(c.check("GetInputCount").unwrap().is_err());
    }
    assert_eq!(emu.requests().len(), before, "preflight from the cache sends nothing");

    let e =
        c.call("PostInputs", &json!({"inputs": [{"data": {"image": {"url": "https://x.test/a.jpg"}}}]})).unwrap_err();
    let api = e.api().unwrap();
    assert_eq!((api.status.code, api.http_status), (11007, 403));
    assert_eq!(api.status.description, "API key has insufficient scopes");
    assert_eq!(api.missing.scopes, m.scopes, "the server and the preflight name the same scopes");
    assert_eq!(api.missing.endpoint, m.endpoint, "and the same (absent) endpoint");
}

#[test]
fn scope_closure_and_endpoint_lists() {
    let emu = emulator();
    let pat = pat_client(&emu);
    // Inputs:Add grants Inputs:Get by closure.
    let reader = limited_key(&pat, emu.app_id(), &["Inputs_Add", "Apps:Get", "Annotations:Get", "Concepts:Get"], &[]);
    assert!(pat.with_credential(Credential::api_key(&reader).unwrap()).call("ListInputs", &json!({})).is_ok());

    let only_predict = limited_key(&pat, emu.app_id(), &["All"], &["PostModelOutputs", "MyScopes"]);
    let c = pat.with_credential(Credential::api_key(&only_predict).unwrap());
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let api = e.api().unwrap();
    assert_eq!(api.status.code, 11007);
    assert_eq!(api.missing.endpoint.as_deref(), Some("/clarifai.api.V2/ListInputs"));
    assert!(api.missing.scopes.is_empty());
    assert!(matches!(c.check("ListInputs").unwrap(), Err(Denial::Insufficient(m)) if m.endpoint.is_some()));
}

#[test]
fn pat_only_endpoints_refuse_app_keys() {
    let emu = emulator();
    let c = app_key_client(&emu);
    let r = c.call("ListKeys", &json!({"user_app_id": {"user_id": "me"}}));
    assert_eq!(api_code(&r), Some(11200));
    assert_eq!(r.unwrap_err().api().unwrap().http_status, 403);
    // Preflight knows without asking.
    assert!(matches!(c.check("PostKeys").unwrap(), Err(Denial::CredentialKind { .. })));
    // And the Rust API refuses before sending.
    assert!(matches!(c.list_keys(), Err(Error::PatRequired(_))));
}

#[test]
fn app_binding_key_invalid() {
    let emu = emulator();
    let pat = pat_client(&emu);
    pat.create_app("second-app", "").unwrap();
    let r = app_key_client(&emu)
        .call("ListInputs", &json!({"user_app_id": {"user_id": emu.user_id(), "app_id": "second-app"}}));
    assert_eq!(api_code(&r), Some(11008));
    // A PAT with no app on an app-scoped route.
    let r = pat.request(Method::Get, "/v2/inputs", None);
    let e = r.unwrap_err();
    let api = e.api().unwrap();
    assert_eq!((api.status.code, api.http_status), (11008, 401));
    let text = format!("{} {}", api.status.description, api.status.details);
    assert!(text.contains("Must provide app external ID in API authorizer"), "{text}");
    // `me` and the user's other apps work for the PAT.
    assert!(pat.call("ListInputs", &json!({"user_app_id": {"user_id": "me", "app_id": "second-app"}})).is_ok());
}

#[test]
fn not_found_method_not_allowed_and_invalid_request() {
    let emu = emulator();
    let c = app_key_client(&emu);
    let r = c.call("GetInput", &json!({"input_id": "nope"}));
    assert_eq!(api_code(&r), Some(11101));
    let r = c.request(Method::Get, "/v2/not/a/route", None);
    assert_eq!(api_code(&r), Some(11101));
    assert_eq!(r.unwrap_err().api().unwrap().http_status, 404);
    let r = c.request(Method::Put, "/v2/inputs/status", None);
    assert_eq!(api_code(&r), Some(11103));
    assert_eq!(r.unwrap_err().api().unwrap().http_status, 405);
    let r = pat_client(&emu).request(
        Method::Post,
        &format!("/v2/users/{}/keys", emu.user_id()),
        Some(&json!({"keys": [{"scopes": ["Inputs:Frobnicate"], "apps": [{"id": emu.app_id()}]}]})),
    );
    assert_eq!(api_code(&r), Some(11102));
    let details = r.unwrap_err().api().unwrap().status.details.clone();
    assert!(details.contains("Inputs:Frobnicate"), "names the bad scope: {details}");
}

#[test]
fn mixed_status_is_a_success_with_item_statuses() {
    let emu = emulator();
    let out = pat_client(&emu)
        .call(
            "PostInputs",
            &json!({"inputs": [{"data": {"image": {"url": "https://x.test/a.jpg"}}}, {"id": "no-data"}]}),
        )
        .unwrap();
    assert_eq!(out.status.code, 10010);
    let items = out.item_statuses();
    assert_eq!(items.len(), 2);
    assert!(items.iter().any(|s| s.code != 10000));
}

#[test]
fn throttling_carries_retry_after_and_is_retried_when_short() {
    let emu = emulator_with_faults(&["ListConcepts=throttle:7", "ListModels=throttle:1,times=1"]);
    let e = app_key_client(&emu).call("ListConcepts", &json!({})).unwrap_err();
    let api = e.api().unwrap();
    assert_eq!((api.status.code, api.http_status), (11005, 429));
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));

    // The default policy waits out a short Retry-After once, then succeeds.
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).build().unwrap();
    let t = std::time::Instant::now();
    assert!(c.call("ListModels", &json!({})).is_ok());
    assert!(t.elapsed() >= Duration::from_millis(900));
}

#[test]
fn per_request_override_shares_the_client() {
    let emu = emulator();
    let app = app_key_client(&emu);
    let as_pat = app.with_credential(Credential::pat(emu.pat(), emu.user_id(), emu.app_id()).unwrap());
    assert!(as_pat.list_keys().is_ok());
    assert!(app.list_keys().is_err());
    assert_eq!(as_pat.base_url(), app.base_url());
}

#[test]
fn key_management_and_rotation() {
    let emu = emulator();
    let pat = pat_client(&emu);
    let old = limited_key(
        &pat,
        emu.app_id(),
        &["Inputs:Get", "Apps:Get", "Annotations:Get", "Concepts:Get"],
        &["ListInputs"],
    );
    assert!(pat.list_keys().unwrap().iter().any(|k| k.id.expose() == old));
    let new = pat.rotate_key(&old).unwrap();
    assert_ne!(new.id.expose(), old);
    assert_eq!(new.endpoints.len(), 1);
    assert!(new.endpoints[0].ends_with("ListInputs"), "{:?}", new.endpoints);
    let r = pat.with_credential(Credential::api_key(&old).unwrap()).call("ListInputs", &json!({}));
    assert_eq!(api_code(&r), Some(11009), "the old key is gone");
    assert!(pat.with_credential(Credential::api_key(new.id.expose()).unwrap()).call("ListInputs", &json!({})).is_ok());
    pat.delete_key(new.id.expose()).unwrap();
    assert!(!format!("{new:?}").contains(new.id.expose()), "Key's Debug is redacted");
}

#[test]
fn rotation_that_cannot_delete_leaves_both_keys_working() {
    let emu = emulator_with_faults(&["DeleteKey=status:503"]);
    let pat = pat_client(&emu);
    let old = limited_key(&pat, emu.app_id(), &["All"], &[]);
    let e = pat.rotate_key(&old).unwrap_err();
    let Error::RotationIncomplete { new_key_id, .. } = &e else { panic!("{e}") };
    assert!(e.to_string().contains("both keys work"));
    assert!(!e.to_string().contains(&old), "{e}");
    let keys = pat.list_keys().unwrap();
    assert!(keys.iter().any(|k| k.id.expose() == old));
    let new = keys
        .iter()
        .find(|k| k.id.expose() != old && k.id.expose().ends_with(new_key_id.trim_start_matches('…')))
        .unwrap();
    for k in [old.as_str(), new.id.expose()] {
        assert!(pat.with_credential(Credential::api_key(k).unwrap()).call("ListInputs", &json!({})).is_ok());
    }
}

#[test]
fn my_scopes_reports_the_grant() {
    let emu = emulator();
    let pat = pat_client(&emu);
    let key = limited_key(&pat, emu.app_id(), &["Concepts:Add"], &[]);
    let my = pat.with_credential(Credential::api_key(&key).unwrap()).my_scopes().unwrap();
    assert!(
        my.scope_names.contains(&"Concepts:Add".to_string()) && my.scope_names.contains(&"Concepts:Get".to_string())
    );
    assert!(!my.scope_names.contains(&"Inputs:Get".to_string()));
}

#[test]
fn call_many_and_call_async() {
    let emu = emulator_with_faults(&["ListInputs=delay:50"]);
    let c = app_key_client(&emu);
    let calls: Vec<(String, serde_json::Value)> = (0..100).map(|_| ("ListInputs".to_string(), json!({}))).collect();
    let t = std::time::Instant::now();
    let out = c.call_many(&calls);
    assert!(out.iter().all(|r| r.is_ok()));
    assert!(t.elapsed() < Duration::from_secs(2), "100 concurrent 50 ms calls took {:?}", t.elapsed());

    let (tx, rx) = std::sync::mpsc::channel();
    for _ in 0..20 {
        let tx = tx.clone();
        c.spawn_call("ListInputs", &json!({}), &clarifai::CallOptions::default(), move |r| tx.send(r.is_ok()).unwrap())
            .unwrap();
    }
    drop(tx);
    let results: Vec<bool> = rx.iter().collect();
    assert_eq!(results, vec![true; 20]);
    assert!(matches!(
        c.spawn_call("NoSuchRpc", &json!({}), &clarifai::CallOptions::default(), |_| {}),
        Err(Error::UnknownEndpoint(_))
    ));
}

#[test]
fn one_client_from_many_threads() {
    let emu = emulator();
    let c = app_key_client(&emu);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..50 {
                    c.call("ListInputs", &json!({"per_page": 1})).unwrap();
                }
            });
        }
    });
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let emu = emulator();
    let c = app_key_client(&emu);
    let before = emu.requests().len();
    for bad in ["", " key", "key\n", "k\u{e9}y", "a b"] {
        assert!(matches!(Credential::api_key(bad), Err(Error::InvalidArgument(_))), "{bad:?}");
    }
    assert!(matches!(Credential::pat("p", "", "a"), Err(Error::InvalidArgument(_))));
    assert!(matches!(Credential::pat("p", "u/x", "a"), Err(Error::InvalidArgument(_))));
    assert!(matches!(c.call("NoSuchRpc", &json!({})), Err(Error::UnknownEndpoint(_))));
    assert!(matches!(c.call_json("ListInputs", "{not json"), Err(Error::InvalidArgument(_))));
    assert!(matches!(c.call("GetInput", &json!({})), Err(Error::InvalidArgument(_))));
    assert!(matches!(c.request(Method::Get, "no-slash", None), Err(Error::InvalidArgument(_))));
    assert_eq!(emu.requests().len(), before, "nothing was sent");
    let e = Credential::api_key(&format!("{CANARY} tail")).unwrap_err();
    assert!(!e.to_string().contains(CANARY));
}

#[test]
fn transport_failures_are_typed() {
    // A dead server: bind a port, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url(&format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    assert!(matches!(e, Error::Transport { kind: TransportKind::Connect, .. }), "{e}");
    assert!(!format!("{e} {e:?}").contains(CANARY));

    // A slow server: the timeout fires within 10% of its value.
    let emu = emulator_with_faults(&["ListInputs=delay:3000"]);
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .timeout(Duration::from_millis(500))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let t = std::time::Instant::now();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    let took = t.elapsed();
    assert!(matches!(e, Error::Transport { kind: TransportKind::Timeout, .. }), "{e}");
    assert!(took >= Duration::from_millis(450) && took <= Duration::from_millis(550), "timeout after {took:?}");

    // Plain http to a non-loopback host is refused unless opted into.
    let e = Client::builder(Credential::api_key("k").unwrap()).base_url("http://example.com").build().unwrap_err();
    assert!(matches!(e, Error::Transport { kind: TransportKind::InsecureUrl, .. }));
}

#[test]
fn faults_oversize_drop_and_redirects() {
    let other = emulator();
    let emu = emulator_with_faults(&[
        "ListModels=oversize:2000000",
        "ListConcepts=drop",
        &format!("ListWorkflows=redirect:{}/v2/workflows", other.url()),
    ]);
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .max_response_bytes(1_000_000)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.call("ListModels", &json!({})).unwrap_err();
    assert!(matches!(e, Error::Transport { kind: TransportKind::BodyTooLarge, .. }), "{e}");
    let e = c.call("ListConcepts", &json!({})).unwrap_err();
    assert!(matches!(e, Error::Transport { .. } | Error::MalformedResponse { .. }), "{e}");
    // Redirected to another origin: the Authorization header stays behind.
    let r = c.call("ListWorkflows", &json!({}));
    assert_eq!(api_code(&r), Some(11102), "the other origin saw no credential");
    let seen = other.requests();
    assert_eq!(seen.len(), 1);
}

#[test]
fn tls_with_the_emulators_ca_and_a_wrong_one() {
    let emu =
        clarifai_emulator::Emulator::start(clarifai_emulator::Config { tls: true, ..Default::default() }).unwrap();
    assert!(emu.url().starts_with("https://"));
    let ca = emu.ca_file().unwrap().to_path_buf();
    let c =
        Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).ca_file(&ca).build().unwrap();
    assert!(c.call("ListInputs", &json!({})).is_ok());

    let other =
        clarifai_emulator::Emulator::start(clarifai_emulator::Config { tls: true, ..Default::default() }).unwrap();
    let wrong = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .ca_file(other.ca_file().unwrap())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = wrong.call("ListInputs", &json!({})).unwrap_err();
    assert!(matches!(e, Error::Transport { kind: TransportKind::Tls, .. }), "{e}");
}

#[test]
fn environment_loading_names_what_is_missing() {
    // The only test that touches the environment.
    let keys = ["CLARIFAI_PAT", "CLARIFAI_USER_ID", "CLARIFAI_APP_ID", "CLARIFAI_API_KEY", "CLARIFAI_API_BASE"];
    let saved: Vec<_> = keys.iter().map(|k| (k, std::env::var(k).ok())).collect();
    for k in keys {
        std::env::remove_var(k);
    }
    let e = Client::from_env().unwrap_err().to_string();
    assert!(e.contains("CLARIFAI_PAT") && e.contains("CLARIFAI_API_KEY"), "{e}");
    std::env::set_var("CLARIFAI_PAT", CANARY);
    let e = Client::from_env().unwrap_err().to_string();
    assert!(e.contains("CLARIFAI_USER_ID and CLARIFAI_APP_ID"), "{e}");
    assert!(!e.contains(CANARY));

    let emu = emulator();
    std::env::set_var("CLARIFAI_PAT", emu.pat());
    std::env::set_var("CLARIFAI_USER_ID", emu.user_id());
    std::env::set_var("CLARIFAI_APP_ID", emu.app_id());
    std::env::set_var("CLARIFAI_API_BASE", emu.url());
    let c = Client::from_env().unwrap();
    assert_eq!(c.base_url(), emu.url().trim_end_matches('/'));
    assert!(c.call("ListInputs", &json!({})).is_ok());
    std::env::remove_var("CLARIFAI_PAT");
    std::env::set_var("CLARIFAI_API_KEY", emu.api_key());
    assert!(Client::from_env().unwrap().call("ListInputs", &json!({})).is_ok());

    for (k, v) in saved {
        match v {
            Some(v) => std::env::set_var(k, v),
            None => std::env::remove_var(k),
        }
    }
}

#[test]
#[allow(deprecated)]
fn deprecated_client_credentials_exchange_for_bearer_tokens() {
    let seed = clarifai_emulator::Seed::from_json(
        r#"{"users": [{"id": "old-user", "apps": [{"id": "old-app"}],
            "legacy_clients": [{"client_id": "v1-client", "client_secret": "v1-secret", "app_id": "old-app",
                                "scopes": ["All"], "token_ttl_secs": 3600}]}]}"#,
    )
    .unwrap();
    let emu = Emulator::start(clarifai_emulator::Config { seed: Some(seed), ..Default::default() }).unwrap();
    let c =
        Client::deprecated_client_credentials("v1-client", "v1-secret").unwrap().base_url(emu.url()).build().unwrap();
    assert_eq!(c.credential_kind(), Some(clarifai::CredentialKind::LegacyToken));
    for _ in 0..3 {
        assert!(c.call("ListInputs", &json!({})).is_ok());
    }
    // One exchange, then the cached token: the token route was hit once.
    let exchanges = emu.requests().iter().filter(|r| r.path == "/v2/token").count();
    assert_eq!(exchanges, 1);
    assert!(emu.requests().iter().any(|r| r.credential == Some(clarifai::CredentialKind::LegacyToken)));

    let wrong = Client::deprecated_client_credentials("v1-client", "wrong-secret")
        .unwrap()
        .base_url(emu.url())
        .build()
        .unwrap();
    let e = wrong.call("ListInputs", &json!({})).unwrap_err();
    assert!(e.status_code().is_some(), "{e}");
    assert!(!format!("{e} {e:?} {wrong:?}").contains("wrong-secret"));
}

#[test]
fn a_client_without_credential_sends_none_and_its_views_send_theirs() {
    let emu = emulator();
    let bare = Client::builder_without_credential().base_url(emu.url()).retry(RetryPolicy::none()).build().unwrap();
    assert_eq!(bare.credential_kind(), None);
    // The API's own answer to a request without Authorization.
    assert_eq!(api_code(&bare.call("ListInputs", &json!({}))), Some(11102));
    assert!(matches!(bare.my_scopes(), Err(Error::MissingConfig(_))));
    assert!(matches!(bare.list_keys(), Err(Error::MissingConfig(_))));
    // Views made from it carry their credential, over its connections.
    let key = bare.with_credential(Credential::api_key(emu.api_key()).unwrap());
    key.call("ListInputs", &json!({})).unwrap();
    let pat = bare.with_credential(Credential::pat(emu.pat(), emu.user_id(), emu.app_id()).unwrap());
    pat.call("ListInputs", &json!({})).unwrap();
}

#[test]
fn settings_are_checked_when_the_client_is_built() {
    let b = || Client::builder(Credential::api_key(CANARY).unwrap()).base_url("http://127.0.0.1:9");
    for (what, built) in [
        ("max concurrency 0", b().max_concurrency(0).build()),
        ("timeout 0", b().timeout(Duration::ZERO).build()),
        ("connect timeout 0", b().connect_timeout(Duration::ZERO).build()),
        ("empty user agent", b().user_agent("").build()),
        ("user agent with a newline", b().user_agent("a\nb").build()),
        ("user agent not ASCII", b().user_agent("é").build()),
        ("max response bytes 0", b().max_response_bytes(0).build()),
        ("11 retries", b().retry(RetryPolicy { max_retries: 11, ..RetryPolicy::default() }).build()),
        ("a base URL that is not http", b().base_url("ftp://x").build()),
        ("a proxy that is not http", b().proxy("socks5://p:1").build()),
    ] {
        assert!(matches!(built, Err(Error::InvalidArgument(_))), "{what}: {built:?}");
    }
}

#[test]
fn the_emulators_echo_fault_comes_back_redacted() {
    let emu = emulator_with_faults(&["ListInputs=echo", "ListConcepts=echo:401"]);
    let c = app_key_client(&emu);
    let r = c.call("ListInputs", &json!({})).unwrap();
    let shown = format!("{r:?} {} {:?}", r.text, r.header("x-echo"));
    assert!(!shown.contains(emu.api_key()) && shown.contains("[redacted]"), "{shown}");
    let e = c.call("ListConcepts", &json!({})).unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(emu.api_key()) && shown.contains("[redacted]"), "{shown}");
}

#[test]
fn the_platform_roots_do_not_trust_the_emulators_ca() {
    // The platform verifier is made on the first handshake that needs it; it must refuse a
    // certificate of a CA the system does not know.
    let emu =
        clarifai_emulator::Emulator::start(clarifai_emulator::Config { tls: true, ..Default::default() }).unwrap();
    let c = Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.call("ListInputs", &json!({})).unwrap_err();
    assert!(matches!(e, Error::Transport { kind: TransportKind::Tls, .. }), "{e}");
}

#[test]
fn a_deleted_key_id_never_comes_back_in_an_error() {
    // The emulator's route header echoes the path, which holds the key id (the key itself).
    let emu = emulator();
    let pat = pat_client(&emu);
    let e = pat.delete_key(CANARY).unwrap_err();
    let shown = format!("{e} {e:?} {:?}", e.api().map(|a| a.headers.clone()));
    assert!(!shown.contains(CANARY), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}
