//! Key and app management (PAT only), and MyScopes on every path.

use crate::common::*;
use clarifai::catalog;
use clarifai_emulator::{Emulator, KeySpec};
use serde_json::{json, Value};

fn names(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

#[test]
fn only_a_pat_manages_keys() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let body = json!({"keys": [{"description": "ci", "scopes": ["Predict"], "apps": [{"id": emu.app_id(), "user_id": "me"}]}]});
    let r = post(addr, "/v2/users/me/keys", emu.api_key(), &body);
    expect(&r, 403, 11200);
    assert!(r.details().contains("Personal Access Token"));
    for (method, path) in
        [("GET", "/v2/users/me/keys"), ("DELETE", "/v2/users/me/keys/x"), ("PATCH", "/v2/users/me/keys")]
    {
        expect(&call(addr, method, path, emu.api_key(), Some("{}")), 403, 11200);
    }
}

#[test]
fn post_list_patch_delete_keys() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let body = json!({"keys": [{
        "description": "predict only",
        "scopes": ["Predict", "Inputs_Add"],
        "endpoints": ["PostModelOutputs"],
        "apps": [{"id": emu.app_id(), "user_id": emu.user_id()}]
    }]});
    let r = post(addr, "/v2/users/me/keys", emu.pat(), &body);
    expect(&r, 200, 10000);
    let key = r.json()["keys"][0].clone();
    let id = key["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(key["type"], "app_specific_key");
    // Stored as the closure, emitted in the docs' spelling.
    assert_eq!(names(&key["scopes"]), vec!["Predict", "Inputs:Add", "Inputs:Get"]);
    assert_eq!(names(&key["endpoints"]), vec!["/clarifai.api.V2/PostModelOutputs"]);
    assert_eq!(key["apps"], json!([{"id": emu.app_id(), "user_id": emu.user_id()}]));

    // The new key works where it may, and only there.
    let predict = json!({"inputs": [{"data": {"image": {"url": "https://x/y.jpg"}}}]});
    let r = post(addr, "/v2/models/general-image-recognition/outputs", &id, &predict);
    expect(&r, 403, 11007);
    assert!(r.details().contains("Models:Get"), "{}", r.details());

    let r = get(addr, "/v2/users/me/keys", emu.pat());
    expect(&r, 200, 10000);
    let listed: Vec<String> =
        r.json()["keys"].as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap().to_string()).collect();
    assert!(listed.contains(&id) && listed.contains(&emu.api_key().to_string()));
    assert!(!r.text().contains(emu.pat()), "ListKeys must not hand the caller its own PAT");

    let r = get(addr, &format!("/v2/users/me/keys/{id}"), emu.pat());
    expect(&r, 200, 10000);
    assert_eq!(r.json()["key"]["description"], "predict only");

    let patch = json!({"action": "overwrite", "keys": [{"id": id, "scopes": ["All"], "endpoints": [], "description": "now all"}]});
    let r = call(addr, "PATCH", "/v2/users/me/keys", emu.pat(), Some(&patch.to_string()));
    expect(&r, 200, 10000);
    assert_eq!(r.json()["keys"][0]["description"], "now all");
    expect(&post(addr, "/v2/models/general-image-recognition/outputs", &id, &predict), 200, 10000);

    expect(&call(addr, "DELETE", &format!("/v2/users/me/keys/{id}"), emu.pat(), None), 200, 10000);
    expect(&get(addr, "/v2/inputs", &id), 401, 11009);
    expect(&call(addr, "DELETE", &format!("/v2/users/me/keys/{id}"), emu.pat(), None), 404, 11101);
}

#[test]
fn post_keys_refuses_bad_requests_clearly() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    emu.add_user("other").unwrap();
    let app = |id: &str| json!({"id": id, "user_id": "me"});
    let cases = [
        (
            json!({"keys": [{"scopes": ["All"], "apps": [app(emu.app_id()), app("second")]}]}),
            400,
            11102,
            "exactly one app",
        ),
        (json!({"keys": [{"scopes": ["All"]}]}), 400, 11102, "must name its one app"),
        (
            json!({"keys": [{"scopes": ["Inputs:Add", "Inputs:Fly"], "apps": [app(emu.app_id())]}]}),
            400,
            11102,
            "\"Inputs:Fly\"",
        ),
        (
            json!({"keys": [{"scopes": ["All"], "endpoints": ["PostNothing"], "apps": [app(emu.app_id())]}]}),
            400,
            11102,
            "\"PostNothing\"",
        ),
        (json!({"keys": [{"scopes": [], "apps": [app(emu.app_id())]}]}), 400, 11102, "no scopes"),
        (json!({"keys": []}), 400, 11102, "no keys"),
        (json!({"keys": [{"scopes": ["All"], "apps": [app("missing")]}]}), 404, 11101, "does not exist"),
    ];
    for (body, http, code, says) in cases {
        let r = post(addr, "/v2/users/me/keys", emu.pat(), &body);
        expect(&r, http, code);
        assert!(r.details().contains(says), "{body}: {}", r.details());
    }
    // Nothing was created by the refused requests.
    let r = get(addr, "/v2/users/me/keys", emu.pat());
    assert_eq!(r.json()["keys"].as_array().unwrap().len(), 1);
    // A PAT of one user cannot manage another user's keys.
    expect(&get(addr, "/v2/users/other/keys", emu.pat()), 401, 11008);
    // Malformed JSON is an invalid request, not a crash.
    let r = call(addr, "POST", "/v2/users/me/keys", emu.pat(), Some("{\"keys\": [}"));
    expect(&r, 400, 11102);
    assert!(r.details().contains("not valid JSON"));
}

#[test]
fn personal_access_tokens_through_post_keys() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let r = post(
        addr,
        "/v2/users/me/keys",
        emu.pat(),
        &json!({"keys": [{"type": "personal_access_token", "scopes": ["Apps:Get"]}]}),
    );
    expect(&r, 200, 10000);
    let pat = r.json()["keys"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(r.json()["keys"][0]["type"], "personal_access_token");
    let r = get(addr, "/v2/users/me/keys?type=personal_access_token", &pat);
    expect(&r, 403, 11007);
    assert_eq!(r.details(), "Missing scopes: Keys:Get");
    let r = get(addr, "/v2/users/me/keys?type=personal_access_token", emu.pat());
    let ids: Vec<&str> = r.json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| if k["id"].as_str() == Some(pat.as_str()) { "new" } else { "other" })
        .collect();
    assert_eq!(ids, vec!["new"]);
}

#[test]
fn apps_are_created_and_listed_with_a_pat() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let r = post(addr, "/v2/users/me/apps", emu.pat(), &json!({"apps": [{"id": "second", "description": "d"}]}));
    expect(&r, 200, 10000);
    assert_eq!(r.json()["apps"][0]["user_id"], emu.user_id());
    expect(&post(addr, "/v2/users/me/apps", emu.pat(), &json!({"apps": [{"id": "second"}]})), 400, 11102);
    expect(&post(addr, "/v2/users/me/apps", emu.pat(), &json!({"apps": [{"id": "bad id!"}]})), 400, 11102);
    let r = get(addr, "/v2/users/me/apps", emu.pat());
    let ids: Vec<String> =
        r.json()["apps"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec![emu.app_id(), "second"]);
    // Another user's listing shows only its public apps.
    let r = get(addr, "/v2/users/clarifai/apps", emu.pat());
    expect(&r, 200, 10000);
    assert_eq!(r.json()["apps"][0]["id"], "main");
    // The new app is usable with the PAT, and a key for it works only there.
    expect(&get(addr, "/v2/users/me/apps/second/inputs", emu.pat()), 200, 10000);
    let key = emu.add_key(KeySpec::all().app("second")).unwrap();
    expect(&get(addr, "/v2/inputs", &key), 200, 10000);
    expect(&get(addr, &format!("/v2/users/me/apps/{}/inputs", emu.app_id()), &key), 401, 11008);
}

#[test]
fn my_scopes_on_all_three_paths() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let limited = emu.add_key(KeySpec::new(&["Inputs:Add"]).endpoints(&["PostInputs", "MyScopes"])).unwrap();
    let app_path = format!("/v2/users/{}/apps/{}/myscopes", emu.user_id(), emu.app_id());
    for (path, token) in
        [("/v2/myscopes", limited.as_str()), ("/v2/my_scopes", limited.as_str()), (app_path.as_str(), emu.pat())]
    {
        let r = get(addr, path, token);
        expect(&r, 200, 10000);
        assert_eq!(r.header("X-Clarifai-Emulator-Endpoint"), Some("MyScopes"), "{path}");
        let body = r.json();
        assert_eq!(body["app"], json!({"id": emu.app_id(), "user_id": emu.user_id()}), "{path}");
        if token == limited {
            assert_eq!(names(&body["scopes"]), vec!["Inputs:Add", "Inputs:Get"]);
            assert_eq!(names(&body["endpoints"]), vec!["/clarifai.api.V2/PostInputs", "/clarifai.api.V2/MyScopes"]);
        } else {
            let scopes = names(&body["scopes"]);
            assert_eq!(scopes.len(), catalog().scopes().len());
            assert!(scopes.contains(&"All".to_string()) && scopes.contains(&"Inputs:Add".to_string()));
            let endpoints = names(&body["endpoints"]);
            assert!(endpoints.contains(&"/clarifai.api.V2/PostKeys".to_string()));
            assert!(!endpoints.contains(&"/clarifai.api.V2/ListScopes".to_string()));
        }
    }
    // The app key's view: every key-callable endpoint, none that needs a PAT.
    let r = get(addr, "/v2/myscopes", emu.api_key());
    let endpoints = names(&r.json()["endpoints"]);
    assert!(endpoints.contains(&"/clarifai.api.V2/PostModelOutputs".to_string()));
    assert!(!endpoints.contains(&"/clarifai.api.V2/PostKeys".to_string()));
    // The user-level and root variants answer a PAT without an app.
    for path in ["/v2/users/me/myscopes", "/v2/myscopesroot"] {
        let r = get(addr, path, emu.pat());
        expect(&r, 200, 10000);
        assert!(r.json().get("app").is_none(), "{path}");
    }
}
