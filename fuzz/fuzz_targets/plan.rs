//! Filling path templates from arbitrary JSON parameters, for every endpoint.
//!
//! Input: two bytes choosing the endpoint, one choosing the default `user_app_id`, then the
//! parameters as JSON. A plan must be a request the API can route: an absolute path that
//! matches a binding of its method, with no dot-segment (a value of `..` must not climb out
//! of its place) and nothing that would end the path early, and a JSON body when there is one.
#![no_main]

use clarifai::request::plan;
use clarifai::{catalog, Error, UserAppId};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let [a, b, who, json @ ..] = data else { return };
    let endpoints = catalog().endpoints();
    let endpoint = &endpoints[u16::from_le_bytes([*a, *b]) as usize % endpoints.len()];
    let uai = match who % 3 {
        0 => None,
        1 => Some(UserAppId::new("me", "my-app").unwrap()),
        _ => Some(UserAppId::new("u_1", "a.b-c").unwrap()),
    };
    let Ok(params) = serde_json::from_slice::<Value>(json) else { return };
    match plan(endpoint, &params, uai.as_ref()) {
        Ok(p) => {
            let path = p.path_and_query.split('?').next().unwrap_or_default();
            assert!(path.starts_with("/v2/"), "{}: {path:?}", endpoint.name);
            assert!(
                !p.path_and_query.contains(['#', ' ', '\n', '\r', '\0']),
                "{}: {:?}",
                endpoint.name,
                p.path_and_query
            );
            for seg in path.split('/').skip(1) {
                assert!(!seg.is_empty() && seg != "." && seg != "..", "{}: segment {seg:?} in {path:?}", endpoint.name);
            }
            assert!(
                catalog().route(p.method, path).is_some(),
                "{}: planned {} {path:?} routes nowhere",
                endpoint.name,
                p.method
            );
            if let Some(body) = &p.body {
                let v: Value = serde_json::from_slice(body).expect("the body is JSON");
                assert!(v.is_object());
            }
        }
        Err(Error::InvalidArgument(msg)) => assert!(msg.contains(&endpoint.name) || msg.contains("JSON"), "{msg}"),
        Err(e) => panic!("{}: unexpected error {e:?}", endpoint.name),
    }
});
