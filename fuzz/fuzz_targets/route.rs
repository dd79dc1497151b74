//! Route matching on arbitrary request paths, as the emulator routes what any client sends.
//!
//! Input: one byte choosing the method, then the path (lossy UTF-8). Besides not panicking, a
//! match must be self-consistent: the method asked for, a catalogue endpoint, non-empty fields,
//! and a path that matches some binding with a method also matches without one (404 vs 405).
#![no_main]

use clarifai::{catalog, Method};
use libfuzzer_sys::fuzz_target;

const METHODS: [Method; 5] = [Method::Get, Method::Post, Method::Patch, Method::Put, Method::Delete];

fuzz_target!(|data: &[u8]| {
    let Some((&m, rest)) = data.split_first() else { return };
    let path = String::from_utf8_lossy(rest);
    let cat = catalog();
    let any = cat.route_any_method(&path);
    let method = METHODS[m as usize % METHODS.len()];
    if let Some(hit) = cat.route(method, &path) {
        assert_eq!(hit.binding.method, method, "{path:?}");
        assert!(any.is_some(), "{path:?} routes for {method} but not for any method");
        let named = cat.endpoint(&hit.endpoint.name).expect("a routed endpoint is in the catalogue");
        assert!(std::ptr::eq(named, hit.endpoint));
        assert!(hit.endpoint.bindings.iter().any(|b| std::ptr::eq(b, hit.binding)));
        assert_eq!(hit.params.len(), hit.binding.fields().count());
        for (field, value) in &hit.params {
            assert!(!value.is_empty(), "{path:?}: empty {field}");
            assert_eq!(hit.param(field), Some(value.as_str()));
        }
    }
    if let Some(hit) = any {
        assert!(cat.route(hit.binding.method, &path).is_some(), "{path:?} routes without a method only");
    }
});
