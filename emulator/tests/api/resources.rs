//! The in-memory store behind CRUD, predictions and searches, and how bad bodies are refused.

use crate::common::*;
use clarifai_emulator::{AppSeed, Config, Emulator, KeySpec, ModelSeed};
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn inputs_post_list_get_patch_delete() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let body = json!({"inputs": [
        {"id": "a", "data": {"image": {"url": "https://x/a.jpg"}}},
        {"id": "b", "data": {"text": {"raw": "hello"}}},
        {"id": "c", "data": {"image": {"base64": "aGVsbG8="}}}
    ]});
    expect(&post(addr, "/v2/inputs", key, &body), 200, 10000);
    let r = get(addr, "/v2/inputs?page=1&per_page=2", key);
    assert_eq!(ids(&r.json()["inputs"]), vec!["c", "b"]);
    let r = get(addr, "/v2/inputs?page=2&per_page=2", key);
    assert_eq!(ids(&r.json()["inputs"]), vec!["a"]);
    let r = get(addr, "/v2/inputs?ids=a&ids=c", key);
    assert_eq!(ids(&r.json()["inputs"]), vec!["c", "a"]);
    expect(&get(addr, "/v2/inputs?per_page=x", key), 400, 11102);

    let r = get(addr, "/v2/inputs/b", key);
    expect(&r, 200, 10000);
    assert_eq!(r.json()["input"]["data"]["text"]["raw"], "hello");
    expect(&get(addr, "/v2/inputs/zzz", key), 404, 11101);
    assert_eq!(get(addr, "/v2/inputs/status", key).json()["counts"]["processed"], 3);

    let patch = json!({"action": "merge", "inputs": [{"id": "b", "data": {"metadata": {"k": "v"}}}]});
    let r = call(addr, "PATCH", "/v2/inputs", key, Some(&patch.to_string()));
    expect(&r, 200, 10000);
    assert_eq!(r.json()["inputs"][0]["data"], json!({"text": {"raw": "hello"}, "metadata": {"k": "v"}}));
    let patch = json!({"inputs": [{"id": "nope"}]});
    expect(&call(addr, "PATCH", "/v2/inputs", key, Some(&patch.to_string())), 404, 11101);

    expect(&call(addr, "DELETE", "/v2/inputs/a", key, None), 200, 10000);
    expect(&call(addr, "DELETE", "/v2/inputs/a", key, None), 404, 11101);
    expect(&call(addr, "DELETE", "/v2/inputs", key, Some(r#"{"ids": ["b", "c", "unknown"]}"#)), 200, 10000);
    expect(&call(addr, "DELETE", "/v2/inputs", key, Some("{}")), 400, 11102);
    assert!(get(addr, "/v2/inputs", key).json()["inputs"].as_array().unwrap().is_empty());
}

#[test]
fn concepts_models_workflows_annotations() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    expect(
        &post(addr, "/v2/concepts", key, &json!({"concepts": [{"id": "cat"}, {"id": "dog", "name": "Dog"}]})),
        200,
        10000,
    );
    expect(&post(addr, "/v2/concepts", key, &json!({"concepts": [{"id": "cat"}]})), 400, 11102);
    assert_eq!(get(addr, "/v2/concepts/cat", key).json()["concept"]["name"], "cat");
    assert_eq!(ids(&get(addr, "/v2/concepts", key).json()["concepts"]), vec!["dog", "cat"]);

    let r = post(
        addr,
        "/v2/models",
        key,
        &json!({"models": [{"id": "pets", "output_info": {"data": {"concepts": [{"id": "cat"}, {"id": "dog"}]}}}]}),
    );
    expect(&r, 200, 10000);
    assert_eq!(r.json()["model"]["id"], "pets");
    assert_eq!(get(addr, "/v2/models/pets", key).json()["model"]["app_id"], emu.app_id());
    assert_eq!(ids(&get(addr, "/v2/models", key).json()["models"]), vec!["pets"]);
    expect(&post(addr, "/v2/models/pets/versions", key, &json!({"model_versions": [{"id": "v1"}]})), 200, 10000);
    let r = get(addr, "/v2/models/pets/versions/v1", key);
    assert_eq!(r.json()["model_version"]["status"]["code"], 21100);
    assert_eq!(ids(&get(addr, "/v2/models/pets/versions", key).json()["model_versions"]), vec!["v1"]);
    // Predictions use the model's own concepts.
    let r = post(
        addr,
        "/v2/models/pets/versions/v1/outputs",
        key,
        &json!({"inputs": [{"data": {"image": {"url": "https://x/1.jpg"}}}]}),
    );
    expect(&r, 200, 10000);
    let mut sorted: Vec<String> = r.json()["outputs"][0]["data"]["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    sorted.sort();
    // The model's concept "dog" takes the name the app gave it.
    assert_eq!(sorted, vec!["Dog", "cat"]);
    expect(
        &post(addr, "/v2/models/pets/versions/v9/outputs", key, &json!({"inputs": [{"data": {"text": {"raw": "x"}}}]})),
        404,
        11101,
    );
    expect(&call(addr, "DELETE", "/v2/models/pets/versions/v1", key, None), 200, 10000);
    expect(&call(addr, "DELETE", "/v2/models/pets", key, None), 200, 10000);
    expect(&get(addr, "/v2/models/pets", key), 404, 21200);

    expect(&post(addr, "/v2/workflows", key, &json!({"workflows": [{"id": "wf", "nodes": []}]})), 200, 10000);
    assert_eq!(get(addr, "/v2/workflows/wf", key).json()["workflow"]["id"], "wf");
    expect(&call(addr, "DELETE", "/v2/workflows", key, Some(r#"{"delete_all": true}"#)), 200, 10000);
    expect(&get(addr, "/v2/workflows/wf", key), 404, 22102);

    expect(
        &post(addr, "/v2/inputs", key, &json!({"inputs": [{"id": "in1", "data": {"text": {"raw": "t"}}}]})),
        200,
        10000,
    );
    let r = post(
        addr,
        "/v2/annotations",
        key,
        &json!({"annotations": [{"id": "an1", "input_id": "in1", "data": {}}, {"id": "an2"}]}),
    );
    expect(&r, 200, 10010);
    let r = get(addr, "/v2/inputs/in1/annotations/an1", key);
    expect(&r, 200, 10000);
    assert_eq!(r.json()["annotation"]["status"]["code"], 24150);
    // Deleting the input takes its annotations with it.
    expect(&call(addr, "DELETE", "/v2/inputs/in1", key, None), 200, 10000);
    expect(&get(addr, "/v2/inputs/in1/annotations/an1", key), 404, 11101);
}

#[test]
fn predictions_are_deterministic_and_fall_back_to_clarifai_main() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    // A key of another app: bare-path model ids resolve in the key's app, then clarifai/main.
    emu.add_user("someone").unwrap();
    emu.add_app(
        "someone",
        &AppSeed {
            id: "elsewhere".into(),
            description: String::new(),
            public: false,
            collaborators: vec![],
            models: vec![],
        },
    )
    .unwrap();
    let key = emu.add_key(KeySpec::all().user("someone").app("elsewhere")).unwrap();
    let body = json!({"inputs": [
        {"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}},
        {"data": {"image": {"url": "https://samples.clarifai.com/dog.jpg"}}}
    ]});
    let first = post(addr, "/v2/models/general-image-recognition/outputs", &key, &body);
    expect(&first, 200, 10000);
    let second = post(addr, "/v2/models/general-image-recognition/outputs", &key, &body);
    let concepts = |r: &Resp, i: usize| r.json()["outputs"][i]["data"]["concepts"].clone();
    assert_eq!(concepts(&first, 0), concepts(&second, 0));
    assert_ne!(concepts(&first, 0), concepts(&first, 1));
    // The API's default max_concepts: 20.
    assert_eq!(concepts(&first, 0).as_array().unwrap().len(), 20);
    let output = &first.json()["outputs"][0];
    assert_eq!(output["model"]["user_id"], "clarifai");
    assert_eq!(output["model"]["app_id"], "main");
    assert_eq!(output["status"]["code"], 10000);

    // A model of the key's own app shadows clarifai/main's of the same id.
    emu.add_app(
        "someone",
        &AppSeed {
            id: "withmodel".into(),
            description: String::new(),
            public: false,
            collaborators: vec![],
            models: vec![ModelSeed {
                id: "general-image-recognition".into(),
                name: None,
                concepts: vec!["only".into()],
            }],
        },
    )
    .unwrap();
    let own = emu.add_key(KeySpec::all().user("someone").app("withmodel")).unwrap();
    let r = post(addr, "/v2/models/general-image-recognition/outputs", &own, &body);
    assert_eq!(r.json()["outputs"][0]["data"]["concepts"][0]["name"], "only");

    expect(&post(addr, "/v2/models/nope/outputs", &key, &body), 404, 21200);
    expect(&post(addr, "/v2/models/general-image-recognition/outputs", &key, &json!({"inputs": []})), 400, 11102);
}

#[test]
fn searches_return_stored_inputs() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let body = json!({"inputs": [{"id": "one", "data": {"text": {"raw": "1"}}}, {"id": "two", "data": {"text": {"raw": "2"}}}]});
    expect(&post(addr, "/v2/inputs", key, &body), 200, 10000);
    let r = post(addr, "/v2/searches", key, &json!({"query": {"ands": []}, "pagination": {"page": 1, "per_page": 10}}));
    expect(&r, 200, 10000);
    let hits = r.json()["hits"].clone();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    assert_eq!(hits[0]["input"]["id"], "two");
    assert_eq!(hits[0]["score"], 1.0);
}

#[test]
fn bad_bodies_are_invalid_requests_never_crashes() {
    let emu = Emulator::start(Config { max_body_bytes: 1024, ..Config::default() }).unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    for (body, says) in [
        ("{", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ("\"text\"", "must be a JSON object"),
        (r#"{"inputs": "nope"}"#, "inputs must be an array"),
        (r#"{"inputs": [1]}"#, "inputs[0] must be an object"),
        (r#"{"inputs": [{"id": 5, "data": {}}]}"#, "inputs[0].id must be a string"),
    ] {
        let r = call(addr, "POST", "/v2/inputs", key, Some(body));
        expect(&r, 400, 11102);
        assert!(r.details().contains(says), "{body}: {}", r.details());
    }
    let big = format!("{{\"inputs\": [{{\"data\": {{\"text\": {{\"raw\": \"{}\"}}}}}}]}}", "x".repeat(2000));
    let r = call(addr, "POST", "/v2/inputs", key, Some(&big));
    expect(&r, 413, 11102);
    assert!(r.details().contains("1024 bytes"));
    // Invalid UTF-8 and binary garbage in a body.
    let mut raw = format!("POST /v2/inputs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Key {key}\r\nContent-Length: 4\r\n\r\n").into_bytes();
    raw.extend_from_slice(&[0xff, 0xfe, 0x00, 0x7b]);
    let (resp, _) = exchange(addr, &raw);
    expect(&parse(&resp), 400, 11102);
    // The server is still fine.
    expect(&get(addr, "/v2/inputs", key), 200, 10000);
}
