//! The answers Clarifai's own clients rely on (issue #18): output info, training, searches,
//! PATCH actions, output settings, the shape of predictions, workflow results, app keys, stored
//! values, not-found codes, the classic general model id and CORS.

use crate::common::*;
use clarifai_emulator::{Emulator, GENERAL_MODEL_ALIAS};
use serde_json::{json, Value};

fn names(concepts: &Value) -> Vec<String> {
    concepts.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

fn hit_ids(r: &Resp) -> Vec<String> {
    r.json()["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("no hits: {}", r.text()))
        .iter()
        .map(|h| h["input"]["id"].as_str().unwrap().to_string())
        .collect()
}

fn patch(emu: &Emulator, path: &str, body: Value) -> Resp {
    call(emu.local_addr(), "PATCH", path, emu.api_key(), Some(&body.to_string()))
}

const METRO: &str = "https://samples.clarifai.com/metro-north.jpg";

#[test]
fn output_info_answers_the_model_with_its_concepts_and_output_config() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let r = get(addr, "/v2/models/general-image-recognition/output_info", key);
    expect(&r, 200, 10000);
    let model = &r.json()["model"];
    assert_eq!(model["id"], "general-image-recognition");
    assert_eq!(model["output_info"]["data"]["concepts"].as_array().unwrap().len(), 25);
    assert_eq!(model["output_info"]["data"]["concepts"][0]["value"], 1);
    assert_eq!(model["output_info"]["output_config"]["max_concepts"], 0);
    assert_eq!(model["model_version"]["status"]["code"], 21100);

    let body = json!({"model": {"id": "pets", "output_info": {"data": {"concepts": [{"id": "cat"}, {"id": "dog"}]}, "output_config": {"concepts_mutually_exclusive": true}}}});
    expect(&post(addr, "/v2/models", key, &body), 200, 10000);
    let r = get(addr, "/v2/models/pets/output_info", key);
    expect(&r, 200, 10000);
    let info = &r.json()["model"]["output_info"];
    assert_eq!(names(&info["data"]["concepts"]), vec!["cat", "dog"]);
    assert_eq!(info["output_config"]["concepts_mutually_exclusive"], true);
    expect(&get(addr, "/v2/models/nope/output_info", key), 404, 21200);
    expect(&get(addr, "/v2/models/pets/versions/nope/output_info", key), 404, 11101);
}

#[test]
fn training_answers_ok_with_a_queued_version_that_then_reads_trained() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    expect(
        &post(
            addr,
            "/v2/inputs",
            key,
            &json!({"inputs": [{"data": {"image": {"url": METRO}, "concepts": [{"id": "train"}]}}]}),
        ),
        200,
        10000,
    );
    expect(
        &post(
            addr,
            "/v2/models",
            key,
            &json!({"model": {"id": "m", "output_info": {"data": {"concepts": [{"id": "train"}]}}}}),
        ),
        200,
        10000,
    );
    let r = call(addr, "POST", "/v2/models/m/versions", key, None);
    expect(&r, 200, 10000);
    let version = r.json()["model"]["model_version"].clone();
    assert_eq!(version["status"]["code"], 21103);
    assert_eq!(version["active_concept_count"], 1);
    assert_eq!(version["total_input_count"], 1);
    let id = version["id"].as_str().unwrap();
    let model = get(addr, "/v2/models/m", key).json()["model"].clone();
    assert_eq!(
        (model["model_version"]["id"].as_str(), model["model_version"]["status"]["code"].as_u64()),
        (Some(id), Some(21100))
    );
    let r = get(addr, &format!("/v2/models/m/versions/{id}/output_info"), key);
    assert_eq!(r.json()["model"]["model_version"]["status"]["code"], 21100, "{}", r.text());
    expect(&call(addr, "POST", "/v2/models/none/versions", key, None), 404, 21200);
}

#[test]
fn concept_values_are_stored_as_the_api_normalises_them() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let body = json!({"inputs": [{"id": "i", "data": {"image": {"url": METRO}, "concepts": [{"id": "a", "value": true}, {"id": "b", "value": false}, {"id": "c"}]}}]});
    expect(&post(addr, "/v2/inputs", key, &body), 200, 10000);
    let r = get(addr, "/v2/inputs/i", key);
    let text = r.text();
    let concepts = r.json()["input"]["data"]["concepts"].clone();
    assert_eq!(
        concepts.as_array().unwrap().iter().map(|c| c["value"].clone()).collect::<Vec<_>>(),
        vec![json!(1), json!(0), json!(1)]
    );
    assert!(text.contains(r#""value":1"#) && !text.contains("true"), "{text}");
    assert_eq!(concepts[0]["name"], "a");
    assert_eq!(concepts[0]["app_id"], emu.app_id());
    // Concepts used on inputs become concepts of the app.
    assert_eq!(get(addr, "/v2/concepts/b", key).json()["concept"]["value"], 1);
    let bad = json!({"inputs": [{"data": {"image": {"url": METRO}, "concepts": [{"id": "x", "value": "yes"}]}}]});
    expect(&post(addr, "/v2/inputs", key, &bad), 400, 11102);
}

#[test]
fn patch_merges_removes_and_overwrites_concepts_as_the_api_does() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let body = json!({"inputs": [{"id": "i", "data": {"image": {"url": METRO}, "concepts": [{"id": "a"}, {"id": "b", "value": false}], "metadata": {"k": "v", "n": {"x": 1}}}}]});
    expect(&post(addr, "/v2/inputs", key, &body), 200, 10000);
    let concept_ids = |r: &Resp| {
        let input = &r.json()["inputs"][0];
        input["data"]["concepts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].as_str().unwrap().to_string(), c["value"].as_f64().unwrap()))
            .collect::<Vec<_>>()
    };
    // merge: b's value changes, c is added, a stays; metadata merges.
    let r = patch(
        &emu,
        "/v2/inputs",
        json!({"action": "merge", "inputs": [{"id": "i", "data": {"concepts": [{"id": "b", "value": true}, {"id": "c"}], "metadata": {"n": {"y": 2}}}}]}),
    );
    expect(&r, 200, 10000);
    assert_eq!(concept_ids(&r), vec![("a".into(), 1.0), ("b".into(), 1.0), ("c".into(), 1.0)]);
    assert_eq!(r.json()["inputs"][0]["data"]["metadata"], json!({"k": "v", "n": {"x": 1, "y": 2}}));
    assert_eq!(r.json()["inputs"][0]["data"]["image"]["url"], METRO);
    // remove: only the concepts named go.
    let r = patch(
        &emu,
        "/v2/inputs",
        json!({"action": "remove", "inputs": [{"id": "i", "data": {"concepts": [{"id": "a"}]}}]}),
    );
    assert_eq!(concept_ids(&r), vec![("b".into(), 1.0), ("c".into(), 1.0)]);
    // overwrite: the data is replaced, the image stays.
    let r = patch(
        &emu,
        "/v2/inputs",
        json!({"action": "overwrite", "inputs": [{"id": "i", "data": {"concepts": [{"id": "z", "value": 0}]}}]}),
    );
    assert_eq!(concept_ids(&r), vec![("z".into(), 0.0)]);
    assert_eq!(r.json()["inputs"][0]["data"]["metadata"], Value::Null);
    assert_eq!(get(addr, "/v2/inputs/i", key).json()["input"]["data"]["image"]["url"], METRO);

    // Models: the JS client's mergeConcepts / deleteConcepts / overwriteConcepts.
    expect(
        &post(
            addr,
            "/v2/models",
            key,
            &json!({"model": {"id": "m", "output_info": {"data": {"concepts": [{"id": "a"}]}, "output_config": {"closed_environment": true}}}}),
        ),
        200,
        10000,
    );
    let model_concepts = |r: &Resp| names(&r.json()["models"][0]["output_info"]["data"]["concepts"]);
    let r = patch(
        &emu,
        "/v2/models",
        json!({"action": "merge", "models": [{"id": "m", "output_info": {"data": {"concepts": [{"id": "b"}]}}}]}),
    );
    assert_eq!(model_concepts(&r), vec!["a", "b"]);
    let r = patch(
        &emu,
        "/v2/models",
        json!({"action": "remove", "models": [{"id": "m", "output_info": {"data": {"concepts": [{"id": "a"}]}}}]}),
    );
    assert_eq!(model_concepts(&r), vec!["b"]);
    let r = patch(
        &emu,
        "/v2/models",
        json!({"action": "overwrite", "models": [{"id": "m", "name": "new", "output_info": {"data": {"concepts": [{"id": "c"}, {"id": "d"}]}, "output_config": {"concepts_mutually_exclusive": true}}}]}),
    );
    assert_eq!(model_concepts(&r), vec!["c", "d"]);
    assert_eq!(r.json()["models"][0]["name"], "new");
    assert_eq!(
        r.json()["models"][0]["output_info"]["output_config"],
        json!({"closed_environment": true, "concepts_mutually_exclusive": true})
    );
    // The JS client always sends `output_info: {}`: a name change keeps the concepts.
    let r = patch(&emu, "/v2/models", json!({"models": [{"id": "m", "name": "renamed", "output_info": {}}]}));
    assert_eq!(model_concepts(&r), vec!["c", "d"]);
    expect(&patch(&emu, "/v2/models", json!({"models": [{"id": "nope"}]})), 404, 21200);

    // Concepts: the JS client's default overwrite renames.
    let r = patch(&emu, "/v2/concepts", json!({"action": "overwrite", "concepts": [{"id": "c", "name": "Sea"}]}));
    assert_eq!(r.json()["concepts"][0]["name"], "Sea");
    assert_eq!(get(addr, "/v2/concepts/c", key).json()["concept"]["name"], "Sea");
}

#[test]
fn predictions_honour_output_config() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let predict = |config: Value| {
        let body = json!({"inputs": [{"data": {"image": {"url": METRO}}}], "model": {"output_info": {"output_config": config}}});
        post(addr, "/v2/models/general-image-recognition/outputs", key, &body)
    };
    let all = predict(json!({"max_concepts": 25})).json()["outputs"][0]["data"]["concepts"].clone();
    assert_eq!(all.as_array().unwrap().len(), 25);
    let r = predict(json!({"max_concepts": 3}));
    assert_eq!(r.json()["outputs"][0]["data"]["concepts"], json!(all.as_array().unwrap()[..3]));
    let threshold = all[6]["value"].as_f64().unwrap();
    let r = predict(json!({"min_value": threshold}));
    assert_eq!(r.json()["outputs"][0]["data"]["concepts"].as_array().unwrap().len(), 7);
    let last = all[24].clone();
    let r = predict(json!({"select_concepts": [{"name": last["name"]}, {"id": all[0]["id"]}]}));
    expect(&r, 200, 10000);
    assert_eq!(r.json()["outputs"][0]["data"]["concepts"], json!([all[0], last]));
    let r = predict(json!({"select_concepts": [{"name": "train"}, {"name": "no-such-concept"}]}));
    expect(&r, 200, 10010);
    assert_eq!(names(&r.json()["outputs"][0]["data"]["concepts"]), vec!["train"]);
    expect(&predict(json!({"select_concepts": [{"id": "no-such-concept"}]})), 400, 21202);
}

#[test]
fn predictions_carry_the_model_and_concept_fields_clients_read() {
    let emu = Emulator::start_default().unwrap();
    let r = post(
        emu.local_addr(),
        "/v2/models/general-image-recognition/outputs",
        emu.api_key(),
        &json!({"inputs": [{"data": {"image": {"url": METRO}}}]}),
    );
    let output = &r.json()["outputs"][0];
    assert!(output["data"]["concepts"].as_array().unwrap().iter().all(|c| c["app_id"] == "main"));
    let model = &output["model"];
    assert_eq!(model["name"], "general");
    assert_eq!(model["model_type_id"], "visual-classifier");
    assert_eq!(model["output_info"]["output_config"]["max_concepts"], 0);
    assert_eq!(model["model_version"]["status"]["code"], 21100);
}

#[test]
fn unknown_models_are_21200_and_the_classic_general_id_is_an_alias() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let body = json!({"inputs": [{"data": {"image": {"url": METRO}}}]});
    expect(&post(addr, "/v2/models/no-such-model/outputs", key, &body), 404, 21200);
    expect(&get(addr, "/v2/models/no-such-model", key), 404, 21200);
    let classic = post(addr, &format!("/v2/models/{GENERAL_MODEL_ALIAS}/outputs"), key, &body);
    expect(&classic, 200, 10000);
    let general = post(addr, "/v2/models/general-image-recognition/outputs", key, &body);
    assert_eq!(classic.json()["outputs"][0]["data"]["concepts"], general.json()["outputs"][0]["data"]["concepts"]);
    assert_eq!(classic.json()["outputs"][0]["model"]["id"], GENERAL_MODEL_ALIAS);
}

/// Three inputs: a dog labelled with metadata, a cat, and the metro image unlabelled.
fn searchable() -> Emulator {
    let emu = Emulator::start_default().unwrap();
    let body = json!({"inputs": [
        {"id": "dog", "data": {"image": {"url": "https://x/dog.jpg"}, "concepts": [{"id": "pet", "name": "Pet"}, {"id": "indoor", "value": false}], "metadata": {"kind": "dog", "tags": ["a", "b"]}}},
        {"id": "cat", "data": {"image": {"url": "https://x/cat.jpg"}, "concepts": [{"id": "pet", "value": 1}, {"id": "indoor"}], "metadata": {"kind": "cat"}}},
        {"id": "metro", "data": {"image": {"url": METRO}}}
    ]});
    expect(&post(emu.local_addr(), "/v2/inputs", emu.api_key(), &body), 200, 10000);
    emu
}

fn search(emu: &Emulator, path: &str, query: Value) -> Resp {
    let r = post(emu.local_addr(), path, emu.api_key(), &json!({"searches": [{"query": query}]}));
    expect(&r, 200, 10000);
    r
}

#[test]
fn input_searches_filter_by_concept_metadata_and_id_and_rank_by_image() {
    let emu = searchable();
    let s = |q: Value| hit_ids(&search(&emu, "/v2/inputs/searches", q));
    let concept = |c: Value| json!({"filters": [{"annotation": {"data": {"concepts": [c]}}}]});
    assert_eq!(s(concept(json!({"id": "pet"}))), vec!["cat", "dog"]);
    assert_eq!(s(concept(json!({"name": "Pet", "value": 1}))), vec!["cat", "dog"]);
    assert_eq!(s(concept(json!({"id": "indoor", "value": true}))), vec!["cat"]);
    assert_eq!(s(concept(json!({"id": "indoor", "value": false}))), vec!["dog"]);
    assert_eq!(s(json!({"filters": [{"annotation": {"data": {"metadata": {"kind": "dog"}}}}]})), vec!["dog"]);
    assert_eq!(s(json!({"filters": [{"input": {"data": {"metadata": {"tags": ["b"]}}}}]})), vec!["dog"]);
    assert_eq!(s(json!({"filters": [{"annotation": {"input_id": "metro"}}]})), vec!["metro"]);
    assert_eq!(
        s(json!({"filters": [{"negate": true, "annotation": {"data": {"concepts": [{"id": "pet"}]}}}]})),
        vec!["metro"]
    );
    // By image: every input, the same image first with score 1, then by a stable similarity.
    let r =
        search(&emu, "/v2/inputs/searches", json!({"ranks": [{"annotation": {"data": {"image": {"url": METRO}}}}]}));
    let hits = r.json()["hits"].clone();
    assert_eq!(hits.as_array().unwrap().len(), 3);
    assert_eq!((hits[0]["input"]["id"].as_str(), hits[0]["score"].as_f64()), (Some("metro"), Some(1.0)));
    assert!(
        hits[1]["score"].as_f64().unwrap() >= hits[2]["score"].as_f64().unwrap()
            && hits[1]["score"].as_f64().unwrap() < 1.0
    );
    assert_eq!(
        hit_ids(&r),
        hit_ids(&search(&emu, "/v2/inputs/searches", json!({"ranks": [{"annotation": {"input_id": "metro"}}]})))
    );
    // Paging.
    let body = json!({"searches": [{"query": {"ranks": [{"annotation": {"data": {"image": {"url": METRO}}}}]}}], "pagination": {"page": 2, "per_page": 2}});
    let page2 = post(emu.local_addr(), "/v2/inputs/searches", emu.api_key(), &body);
    assert_eq!(hit_ids(&page2), hit_ids(&r)[2..].to_vec());
    // By predicted concept (a rank): what the general model predicts for each input.
    let predicted = post(
        emu.local_addr(),
        "/v2/models/general-image-recognition/outputs",
        emu.api_key(),
        &json!({"inputs": [{"data": {"image": {"url": METRO}}}]}),
    );
    let top = predicted.json()["outputs"][0]["data"]["concepts"][0].clone();
    let r = search(
        &emu,
        "/v2/inputs/searches",
        json!({"ranks": [{"annotation": {"data": {"concepts": [{"name": top["name"]}]}}}]}),
    );
    let hit = r.json()["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["input"]["id"] == "metro")
        .cloned()
        .expect("metro is a hit");
    assert_eq!(hit["score"], top["value"]);
    expect(
        &post(
            emu.local_addr(),
            "/v2/inputs/searches",
            emu.api_key(),
            &json!({"searches": [{"query": {"filters": [{"annotation": {"data": {"geo": {}}}}]}}]}),
        ),
        400,
        11102,
    );
}

#[test]
fn annotation_searches_and_legacy_searches_use_the_query() {
    let emu = searchable();
    let r = search(
        &emu,
        "/v2/annotations/searches",
        json!({"filters": [{"annotation": {"data": {"concepts": [{"id": "pet"}]}}}]}),
    );
    assert_eq!(hit_ids(&r), vec!["cat", "dog"]);
    assert_eq!(r.json()["hits"][0]["annotation"]["input_id"], "cat");
    assert_eq!(r.json()["hits"][0]["score"], 1);

    let legacy = |ands: Value| {
        let r = post(
            emu.local_addr(),
            "/v2/searches",
            emu.api_key(),
            &json!({"query": {"ands": ands}, "pagination": {"page": 1, "per_page": 20}}),
        );
        expect(&r, 200, 10000);
        hit_ids(&r)
    };
    assert_eq!(legacy(json!([{"input": {"data": {"concepts": [{"id": "pet", "value": true}]}}}])), vec!["cat", "dog"]);
    assert_eq!(legacy(json!([{"input": {"data": {"metadata": {"kind": "cat"}}}}])), vec!["cat"]);
    assert_eq!(legacy(json!([{"output": {"input": {"data": {"image": {"url": "https://x/dog.jpg"}}}}}]))[0], "dog");
    assert_eq!(legacy(json!([{"output": {"input": {"id": "cat", "data": {"image": {}}}}}]))[0], "cat");
    assert_eq!(legacy(json!([])), vec!["metro", "cat", "dog"]);
}

#[test]
fn concept_and_model_searches_match_names_with_wildcards() {
    let emu = searchable();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let concepts = |name: &str| {
        let r = post(addr, "/v2/concepts/searches", key, &json!({"concept_query": {"name": name}}));
        expect(&r, 200, 10000);
        names(&r.json()["concepts"])
    };
    assert_eq!(concepts("pe*"), vec!["Pet", "people"]);
    assert_eq!(concepts("TRAIN"), vec!["train"]);
    assert!(concepts("zzz*").is_empty());
    expect(&post(addr, "/v2/concepts/searches", key, &json!({"concept_query": {}})), 400, 11102);

    expect(&post(addr, "/v2/models", key, &json!({"model": {"id": "my-general", "name": "general-copy"}})), 200, 10000);
    let models = |query: Value| {
        let r = post(addr, "/v2/models/searches", key, &json!({"model_query": query}));
        expect(&r, 200, 10000);
        r.json()["models"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(
        models(json!({"name": "general*"})),
        vec!["my-general", GENERAL_MODEL_ALIAS, "general-image-recognition"]
    );
    assert_eq!(models(json!({"name": "general"})), vec![GENERAL_MODEL_ALIAS, "general-image-recognition"]);
    assert_eq!(models(json!({"name": "*", "model_type_id": "embedding-classifier"})), vec!["my-general"]);
}

#[test]
fn workflow_results_run_the_workflows_models() {
    let emu = Emulator::start_default().unwrap();
    let (addr, key) = (emu.local_addr(), emu.api_key());
    let body =
        json!({"workflows": [{"id": "wf", "nodes": [{"id": "n", "model": {"id": "general-image-recognition"}}]}]});
    expect(&post(addr, "/v2/workflows", key, &body), 200, 10000);
    let inputs = json!({"inputs": [{"data": {"image": {"url": METRO}}}], "output_config": {"max_concepts": 2}});
    let r = post(addr, "/v2/workflows/wf/results", key, &inputs);
    expect(&r, 200, 10000);
    let result = &r.json()["results"][0];
    assert_eq!(result["status"]["code"], 10000);
    assert_eq!(result["input"]["data"]["image"]["url"], METRO);
    let predicted = post(
        addr,
        "/v2/models/general-image-recognition/outputs",
        key,
        &json!({"inputs": [{"data": {"image": {"url": METRO}}}]}),
    );
    let top2 = json!(predicted.json()["outputs"][0]["data"]["concepts"].as_array().unwrap()[..2]);
    assert_eq!(result["outputs"][0]["data"]["concepts"], top2);
    assert_eq!(r.json()["workflow"]["id"], "wf");
    // Clarifai's public General workflow, on a bare path.
    expect(&post(addr, "/v2/workflows/General/results", key, &inputs), 200, 10000);
    expect(&post(addr, "/v2/workflows/missing/results", key, &inputs), 404, 22102);
}

#[test]
fn list_app_keys_answers_the_apps_keys() {
    let emu = Emulator::start_default().unwrap();
    let path = format!("/v2/users/{}/apps/{}/keys", emu.user_id(), emu.app_id());
    let r = get(emu.local_addr(), &path, emu.pat());
    expect(&r, 200, 10000);
    let keys: Vec<String> =
        r.json()["keys"].as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(keys, vec![emu.api_key().to_string()]);
    assert_eq!(r.json()["keys"][0]["apps"][0]["id"], emu.app_id());
    expect(&get(emu.local_addr(), &path, emu.api_key()), 403, 11200);
}

#[test]
fn cors_preflights_and_headers() {
    let emu = Emulator::start_default().unwrap();
    let addr = emu.local_addr();
    let r = send(
        addr,
        "OPTIONS",
        "/v2/models/general-image-recognition/outputs",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "authorization,content-type,x-clarifai-client"),
        ],
        None,
    );
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-methods"), Some("POST, OPTIONS"));
    assert_eq!(r.header("access-control-allow-headers"), Some("authorization,content-type,x-clarifai-client"));
    // Preflights carry no credential and are not API requests.
    assert!(emu.requests().is_empty());
    let r = send(
        addr,
        "GET",
        "/v2/inputs",
        &[("Origin", "http://localhost:8080"), ("Authorization", &format!("Key {}", emu.api_key()))],
        None,
    );
    expect(&r, 200, 10000);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // Errors are readable by the page too.
    let r = send(addr, "GET", "/v2/inputs", &[("Origin", "http://localhost:8080")], None);
    expect(&r, 401, 11102);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}
