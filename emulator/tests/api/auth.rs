//! Authorization through real HTTP: every status of the design's table, app binding (`me`,
//! collaborators, public apps, `user_app_id` in body and query), scope closure and endpoint
//! limits.

use crate::common::*;
use clarifai::authorize::{authorize, Denial};
use clarifai::{catalog, CredentialKind};
use clarifai_emulator::{Config, Emulator, KeySpec, Seed};
use serde_json::json;

const ALICE_PAT: &str = "a11ce0000000000000000000000000aa";
const BOB_PAT: &str = "b0b00000000000000000000000000bbb";
const CAROL_PAT: &str = "ca201000000000000000000000000ccc";

fn emulator() -> Emulator {
    let seed = Seed::from_json(
        &json!({
            "users": [
                {"id": "alice",
                 "apps": [{"id": "photos", "collaborators": ["bob"]}, {"id": "gallery", "public": true}],
                 "pats": [{"token": ALICE_PAT}]},
                {"id": "bob", "apps": [{"id": "bobapp"}], "pats": [{"token": BOB_PAT}]},
                {"id": "carol", "pats": [{"token": CAROL_PAT}]}
            ]
        })
        .to_string(),
    )
    .unwrap();
    Emulator::start(Config { seed: Some(seed), ..Config::default() }).unwrap()
}

fn inputs_body() -> serde_json::Value {
    json!({"inputs": [{"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}}]})
}

#[test]
fn app_key_and_pat_succeed_and_every_response_names_its_route() {
    let emu = emulator();
    let addr = emu.local_addr();
    let r = get(addr, "/v2/inputs?per_page=1", emu.api_key());
    expect(&r, 200, 10000);
    assert_eq!(r.header("X-Clarifai-Emulator-Route"), Some("GET /v2/inputs"));
    assert_eq!(r.header("X-Clarifai-Emulator-Endpoint"), Some("ListInputs"));
    assert!(r.json()["status"]["req_id"].as_str().unwrap().starts_with("emu-"));

    let path = format!("/v2/users/{}/apps/{}/inputs", emu.user_id(), emu.app_id());
    expect(&get(addr, &path, emu.pat()), 200, 10000);
    // Errors carry the headers too.
    let r = send(addr, "GET", "/v2/inputs?per_page=1", &[], None);
    assert_eq!(r.header("X-Clarifai-Emulator-Route"), Some("GET /v2/inputs"));
    assert_eq!(r.header("X-Clarifai-Emulator-Endpoint"), Some("ListInputs"));
}

#[test]
fn missing_or_malformed_authorization_is_11102() {
    let emu = emulator();
    let addr = emu.local_addr();
    let key = emu.api_key();
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (vec![], "no Authorization header"),
        (vec![("Authorization", format!("key {key}"))], "capital K"),
        (vec![("Authorization", format!("KEY {key}"))], "capital K"),
        (vec![("Authorization", format!("Key  {key}"))], "whitespace"),
        (vec![("Authorization", format!("Key {key} extra"))], "whitespace"),
        (vec![("Authorization", "Key ".to_string())], "empty"),
        (vec![("Authorization", key.to_string())], "must start with"),
        (vec![("Authorization", format!("Key {key}")), ("Authorization", format!("Key {key}"))], "more than one"),
    ];
    for (headers, says) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = send(addr, "GET", "/v2/inputs", &headers, None);
        expect(&r, 401, 11102);
        assert_eq!(r.json()["status"]["description"], "Invalid request");
        assert!(r.details().contains(says), "{headers:?}: {}", r.details());
        assert!(!r.text().contains(key), "the token was echoed: {}", r.text());
    }
}

#[test]
fn unknown_key_is_11009() {
    let emu = emulator();
    let r = get(emu.local_addr(), "/v2/inputs", "0123456789abcdef0123456789abcdef");
    expect(&r, 401, 11009);
    assert_eq!(r.json()["status"]["description"], "API key not found");
    assert!(!r.text().contains("0123456789abcdef0123456789abcdef"));
    let r = send(emu.local_addr(), "GET", "/v2/inputs", &[("Authorization", "Bearer nosuchtoken")], None);
    expect(&r, 401, 11009);
}

#[test]
fn app_key_on_another_app_and_pat_without_app_are_11008() {
    let emu = emulator();
    let addr = emu.local_addr();
    let r = get(addr, "/v2/users/alice/apps/photos/inputs", emu.api_key());
    expect(&r, 401, 11008);
    assert_eq!(r.json()["status"]["description"], "Invalid API key or Invalid API key/application pair");
    // The app named in the body counts as much as the path.
    let r = post(
        addr,
        "/v2/inputs",
        emu.api_key(),
        &json!({"user_app_id": {"user_id": "alice", "app_id": "photos"}, "inputs": []}),
    );
    expect(&r, 401, 11008);

    let r = get(addr, "/v2/inputs", emu.pat());
    expect(&r, 401, 11008);
    assert_eq!(r.details(), "Must provide app external ID in API authorizer");
}

#[test]
fn insufficient_scopes_name_every_missing_scope_and_the_endpoint() {
    let emu = emulator();
    let addr = emu.local_addr();
    let key = emu.add_key(KeySpec::new(&["Inputs_Get"]).endpoints(&["ListInputs"])).unwrap();
    let r = post(addr, "/v2/inputs", &key, &inputs_body());
    expect(&r, 403, 11007);
    assert_eq!(r.json()["status"]["description"], "API key has insufficient scopes");

    // Exactly what the core's rule says is missing, in its wording.
    let endpoint = catalog().endpoint("PostInputs").unwrap();
    let grant = clarifai::Grant {
        scopes: clarifai::ScopeSet::parse(["Inputs:Get"]).unwrap(),
        endpoints: vec!["ListInputs".into()],
    };
    let Err(Denial::Insufficient(missing)) = authorize(endpoint, CredentialKind::ApiKey, &grant) else { panic!() };
    assert_eq!(r.details(), missing.to_details());
    assert!(r.details().contains("Inputs:Add") && r.details().contains("Predict"), "{}", r.details());
    assert!(!r.details().contains("Inputs:Get"), "{}", r.details());
    assert!(r.details().contains("Missing endpoint: /clarifai.api.V2/PostInputs"), "{}", r.details());
    let parsed = clarifai::Missing::parse_details(&r.details());
    assert_eq!(parsed, missing);
}

#[test]
fn scopes_grant_their_closure() {
    let emu = emulator();
    let addr = emu.local_addr();
    // Inputs:Add depends on Inputs:Get, which ListInputs needs.
    let with_add = emu.add_key(KeySpec::new(&["Inputs:Add", "Apps:Get", "Annotations:Get", "Concepts:Get"])).unwrap();
    expect(&get(addr, "/v2/inputs", &with_add), 200, 10000);
    let without = emu.add_key(KeySpec::new(&["Apps:Get", "Annotations:Get", "Concepts:Get"])).unwrap();
    let r = get(addr, "/v2/inputs", &without);
    expect(&r, 403, 11007);
    assert_eq!(r.details(), "Missing scopes: Inputs:Get");
}

#[test]
fn endpoint_limited_keys_call_only_their_endpoints() {
    let emu = emulator();
    let addr = emu.local_addr();
    let key = emu.add_key(KeySpec::all().endpoints(&["/clarifai.api.V2/PostModelOutputs"])).unwrap();
    expect(&post(addr, "/v2/models/general-image-recognition/outputs", &key, &inputs_body()), 200, 10000);
    let r = get(addr, "/v2/inputs", &key);
    expect(&r, 403, 11007);
    assert_eq!(r.details(), "Missing endpoint: /clarifai.api.V2/ListInputs");
}

#[test]
fn credential_kinds_an_endpoint_refuses_are_11200() {
    let emu = emulator();
    let addr = emu.local_addr();
    for path in ["/v2/users/me/keys", "/v2/users/me/apps", "/v2/myscopesroot"] {
        let r = get(addr, path, emu.api_key());
        expect(&r, 403, 11200);
        assert!(r.details().contains("requires a Personal Access Token"), "{}", r.details());
    }
    // SessionTokenAuth: neither keys nor PATs.
    let r = get(addr, "/v2/users/me/scopes", emu.pat());
    expect(&r, 403, 11200);
    assert!(r.details().contains("ListScopes"), "{}", r.details());
}

#[test]
fn unknown_routes_apps_and_methods() {
    let emu = emulator();
    let addr = emu.local_addr();
    let r = get(addr, "/v2/no/such/thing", emu.api_key());
    expect(&r, 404, 11101);
    assert_eq!(r.header("X-Clarifai-Emulator-Route"), Some("GET /v2/no/such/thing"));
    assert_eq!(r.header("X-Clarifai-Emulator-Endpoint"), None);
    let r = call(addr, "PUT", "/v2/inputs", emu.api_key(), None);
    expect(&r, 405, 11103);
    assert!(r.details().contains("GET, POST, PATCH, DELETE"), "{}", r.details());
    expect(&get(addr, "/v2/users/nobody/apps/x/inputs", emu.pat()), 404, 11101);
    expect(&get(addr, "/v2/users/alice/apps/nope/inputs", ALICE_PAT), 404, 11101);
    // Literal segments win: /inputs/status is GetInputCount, not GetInput("status").
    let r = get(addr, "/v2/inputs/status", emu.api_key());
    expect(&r, 200, 10000);
    assert_eq!(r.header("X-Clarifai-Emulator-Endpoint"), Some("GetInputCount"));
}

#[test]
fn me_is_the_callers_own_user() {
    let emu = emulator();
    let addr = emu.local_addr();
    expect(&get(addr, "/v2/users/me/apps/photos/inputs", ALICE_PAT), 200, 10000);
    expect(&get(addr, "/v2/users/me/apps/photos/inputs", BOB_PAT), 404, 11101);
    expect(&get(addr, &format!("/v2/users/me/apps/{}/inputs", emu.app_id()), emu.api_key()), 200, 10000);
}

#[test]
fn collaborators_use_the_app_and_public_apps_are_read_only() {
    let emu = emulator();
    let addr = emu.local_addr();
    // Bob collaborates on alice/photos.
    expect(&post(addr, "/v2/users/alice/apps/photos/inputs", BOB_PAT, &inputs_body()), 200, 10000);
    // Carol does not, and it is private.
    let r = get(addr, "/v2/users/alice/apps/photos/inputs", CAROL_PAT);
    expect(&r, 401, 11008);
    // alice/gallery is public: reads yes, writes no.
    expect(&get(addr, "/v2/users/alice/apps/gallery/inputs", CAROL_PAT), 200, 10000);
    let r = post(addr, "/v2/users/alice/apps/gallery/inputs", CAROL_PAT, &inputs_body());
    expect(&r, 403, 11007);
    assert!(r.details().contains("Inputs:Add") && r.details().contains("read-only"), "{}", r.details());
    // The docs' predict example: clarifai/main with a PAT.
    let r =
        post(addr, "/v2/users/clarifai/apps/main/models/general-image-recognition/outputs", CAROL_PAT, &inputs_body());
    expect(&r, 200, 10000);
}

#[test]
fn user_app_id_comes_from_path_then_body_then_query() {
    let emu = emulator();
    let addr = emu.local_addr();
    let body =
        json!({"user_app_id": {"user_id": "alice", "app_id": "photos"}, "inputs": [{"data": {"text": {"raw": "hi"}}}]});
    expect(&post(addr, "/v2/inputs", ALICE_PAT, &body), 200, 10000);
    let r = get(addr, "/v2/inputs?user_app_id.user_id=alice&user_app_id.app_id=photos&per_page=5", ALICE_PAT);
    expect(&r, 200, 10000);
    assert_eq!(r.json()["inputs"].as_array().unwrap().len(), 1);
    // The path wins over the query.
    let r = get(addr, "/v2/users/alice/apps/gallery/inputs?user_app_id.app_id=photos", ALICE_PAT);
    assert_eq!(r.json()["inputs"].as_array().unwrap().len(), 0);
    let r = post(addr, "/v2/inputs", ALICE_PAT, &json!({"user_app_id": "alice/photos"}));
    expect(&r, 400, 11102);
}

#[test]
fn no_auth_endpoints_need_no_credential() {
    let emu = emulator();
    expect(&send(emu.local_addr(), "GET", "/v2/status_codes", &[], None), 200, 10000);
}

#[test]
fn batches_report_mixed_status_and_training_answers_like_the_api() {
    let emu = emulator();
    let addr = emu.local_addr();
    let body = json!({"inputs": [{"data": {"image": {"url": "https://x/1.jpg"}}}, {"id": "empty"}]});
    let r = post(addr, "/v2/inputs", emu.api_key(), &body);
    expect(&r, 200, 10010);
    let items = r.json()["inputs"].as_array().unwrap().clone();
    assert_eq!(items[0]["status"]["code"], 30000);
    assert_eq!(items[1]["status"]["code"], 30104);
    assert_eq!(items[1]["id"], "empty");
    let r = post(addr, "/v2/inputs", emu.api_key(), &json!({"inputs": [{"id": "only-bad"}]}));
    expect(&r, 400, 10020);

    let r = post(addr, "/v2/models", emu.api_key(), &json!({"model": {"id": "mine"}}));
    expect(&r, 200, 10000);
    // Training answers 200 / 10000 (not 202 / 10070) with the new version queued.
    let r = post(addr, "/v2/models/mine/versions", emu.api_key(), &json!({}));
    expect(&r, 200, 10000);
    assert_eq!(r.json()["model"]["model_version"]["status"]["code"], 21103);
}

#[test]
fn tokens_never_reach_the_log_or_error_responses() {
    let emu = emulator();
    let addr = emu.local_addr();
    for token in [emu.api_key(), emu.pat(), "ffffffffffffffffffffffffffffffff"] {
        for r in [get(addr, "/v2/users/alice/apps/photos/inputs", token), get(addr, "/v2/users/me/keys", token)] {
            assert!(!r.text().contains(token) && !format!("{:?}", r.headers).contains(token));
        }
    }
    let log = emu.requests();
    assert_eq!(log.len(), 6);
    assert_eq!(log[0].credential, Some(CredentialKind::ApiKey));
    assert_eq!(log[0].endpoint.as_deref(), Some("ListInputs"));
    assert_eq!(log[5].credential, None);
    let dump = format!("{log:?}");
    assert!(!dump.contains(emu.api_key()) && !dump.contains(emu.pat()));
}

#[test]
fn legacy_tokens_authorize_as_their_clients_app_and_expire() {
    let seed = Seed::from_json(
        &json!({"users": [{"id": "old", "apps": [{"id": "v1app"}], "legacy_clients": [
            {"client_id": "cid", "client_secret": "secret", "app_id": "v1app", "scopes": ["Inputs_Get", "Apps:Get", "Annotations:Get", "Concepts:Get"]},
            {"client_id": "short", "client_secret": "s", "app_id": "v1app", "token_ttl_secs": 0}
        ]}]})
        .to_string(),
    )
    .unwrap();
    let emu = Emulator::start(Config { seed: Some(seed), ..Config::default() }).unwrap();
    let addr = emu.local_addr();
    let basic = |id: &str, secret: &str| {
        use base64::Engine;
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
    };
    let r = send(addr, "POST", "/v2/token", &[("Authorization", &basic("cid", "wrong"))], Some(""));
    expect(&r, 401, 11002);
    let r = send(addr, "POST", "/v2/token", &[("Authorization", &basic("cid", "secret"))], Some(""));
    expect(&r, 200, 10000);
    let body = r.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 176400);
    assert_eq!(body["scope"], "Inputs:Get Apps:Get Annotations:Get Concepts:Get");
    let token = body["access_token"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {token}");
    expect(&send(addr, "GET", "/v2/inputs", &[("Authorization", &bearer)], None), 200, 10000);
    let r = send(addr, "POST", "/v2/inputs", &[("Authorization", &bearer)], Some(&inputs_body().to_string()));
    expect(&r, 403, 11007);
    expect(&send(addr, "GET", "/v2/users/old/apps/other/inputs", &[("Authorization", &bearer)], None), 401, 11008);
    // A Bearer token is not a key.
    expect(&get(addr, "/v2/inputs", &token), 401, 11009);

    let r = send(addr, "POST", "/v2/token", &[("Authorization", &basic("short", "s"))], Some(""));
    let expired = format!("Bearer {}", r.json()["access_token"].as_str().unwrap());
    let r = send(addr, "GET", "/v2/inputs", &[("Authorization", &expired)], None);
    expect(&r, 401, 11001);
    assert!(r.details().contains("expired"));
}
