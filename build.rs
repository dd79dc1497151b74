// Generates the C header from src/ffi with cbindgen into OUT_DIR. The committed
// include/clarifai.h must equal it; tests/api/header.rs checks that and prints the command that
// regenerates it.
//
// Also turns the endpoint catalogue and the scope table (src/catalog/catalog.json and
// src/scope/scopes.json, written by scripts/gen-catalog) into Rust statics, so a process does not
// parse 120 KB of JSON before its first call: that parse was most of the library's cold start.
use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

#[allow(dead_code)]
mod defaults {
    include!("src/defaults.rs");
}

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=src/defaults.rs");

    let version = env::var("CARGO_PKG_VERSION").unwrap();
    let mut parts = version.split(['.', '-']);
    let major = parts.next().unwrap_or("0");
    let minor = parts.next().unwrap_or("0");
    let patch = parts.next().unwrap_or("0");

    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut after = format!(
        "\n#define CLARIFAI_VERSION_MAJOR {major}\n#define CLARIFAI_VERSION_MINOR {minor}\n#define CLARIFAI_VERSION_PATCH {patch}\n#define CLARIFAI_VERSION_STRING \"{version}\"\n"
    );
    // The defaults of src/defaults.rs, for C and for the bindings that read the header.
    after.push_str("\n/* Defaults of a client's settings (src/defaults.rs). */\n");
    after.push_str(&format!("#define CLARIFAI_DEFAULT_BASE_URL \"{}\"\n", defaults::DEFAULT_BASE_URL));
    for (name, value) in [
        ("CONNECT_TIMEOUT_MS", defaults::DEFAULT_CONNECT_TIMEOUT_MS),
        ("TIMEOUT_MS", defaults::DEFAULT_TIMEOUT_MS),
        ("MAX_RESPONSE_BYTES", defaults::DEFAULT_MAX_RESPONSE_BYTES),
        ("MAX_REDIRECTS", u64::from(defaults::DEFAULT_MAX_REDIRECTS)),
        ("MAX_CONCURRENCY", defaults::DEFAULT_MAX_CONCURRENCY),
        ("MAX_RETRIES", u64::from(defaults::DEFAULT_MAX_RETRIES)),
        ("RUNTIME_WORKER_THREADS", defaults::DEFAULT_RUNTIME_WORKER_THREADS),
    ] {
        after.push_str(&format!("#define CLARIFAI_DEFAULT_{name} {value}\n"));
    }
    for (name, on) in [
        ("PROXY_FROM_ENV", defaults::DEFAULT_PROXY_FROM_ENV),
        ("HTTP2_PRIOR_KNOWLEDGE", defaults::DEFAULT_HTTP2_PRIOR_KNOWLEDGE),
        ("DANGER_ALLOW_INSECURE_HTTP", defaults::DEFAULT_DANGER_ALLOW_INSECURE_HTTP),
    ] {
        after.push_str(&format!("#define CLARIFAI_DEFAULT_{name} {}\n", u8::from(on)));
    }
    after.push_str(&format!("#define CLARIFAI_MAX_RETRIES_LIMIT {}\n", defaults::MAX_RETRIES_LIMIT));
    after.push_str(&format!("#define CLARIFAI_MAX_RUNTIME_WORKER_THREADS {}\n", defaults::MAX_RUNTIME_WORKER_THREADS));
    config.after_includes = Some(after);
    match cbindgen::Builder::new().with_crate(&crate_dir).with_config(config).generate() {
        Ok(bindings) => {
            bindings.write_to_file(out_dir.join("clarifai.h"));
        }
        Err(e) => panic!("cbindgen failed: {e}"),
    }

    write_catalog(&crate_dir, &out_dir);

    // The shared library: soname with the major version, and -z nodelete so that dlclose
    // (PHP unloads FFI libraries at shutdown) never unmaps code a thread may still run.
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libclarifai.so.{major}");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}

fn read_json(path: &Path) -> Value {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

fn bool_field(v: &Value, key: &str) -> bool {
    v[key].as_bool().unwrap_or_else(|| panic!("{key} is not a boolean in {v}"))
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().unwrap_or_else(|| panic!("{key} is not a list in {v}"))
}

/// `["a", "b"]` as a Rust slice literal of string literals.
fn str_slice(v: &Value, key: &str) -> String {
    let items: Vec<String> = list(v, key)
        .iter()
        .map(|s| format!("{:?}", s.as_str().unwrap_or_else(|| panic!("{key} holds a non-string in {v}"))))
        .collect();
    format!("&[{}]", items.join(", "))
}

fn write_catalog(crate_dir: &Path, out_dir: &Path) {
    // The catalogue: checked against the generator's counts here; names, auth types, methods,
    // templates and scope references are checked when the library builds its tables (and by
    // the catalogue's unit tests).
    let catalog = read_json(&crate_dir.join("src/catalog/catalog.json"));
    let endpoints = list(&catalog, "endpoints");
    let bindings: usize = endpoints.iter().map(|e| list(e, "bindings").len()).sum();
    assert_eq!(catalog["rpc_count"].as_u64(), Some(endpoints.len() as u64), "catalog.json: rpc_count");
    assert_eq!(catalog["binding_count"].as_u64(), Some(bindings as u64), "catalog.json: binding_count");
    let mut out = String::from("// Generated by build.rs from src/catalog/catalog.json.\n");
    writeln!(out, "pub(super) const SOURCE: &str = {:?};", str_field(&catalog, "source")).unwrap();
    out.push_str("pub(super) static ENDPOINTS: &[RawEndpoint] = &[\n");
    for e in endpoints {
        write!(
            out,
            "    RawEndpoint {{ name: {:?}, auth_type: {:?}, depending_scopes: {}, streaming: {}, bindings: &[",
            str_field(e, "name"),
            str_field(e, "auth_type"),
            str_slice(e, "depending_scopes"),
            bool_field(e, "streaming"),
        )
        .unwrap();
        for b in list(e, "bindings") {
            write!(
                out,
                "RawBinding {{ method: {:?}, path: {:?}, body: {} }}, ",
                str_field(b, "method"),
                str_field(b, "path"),
                bool_field(b, "body")
            )
            .unwrap();
        }
        out.push_str("] },\n");
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("catalog_data.rs"), out).expect("write catalog_data.rs");

    let table = read_json(&crate_dir.join("src/scope/scopes.json"));
    let mut out = String::from("// Generated by build.rs from src/scope/scopes.json.\n");
    out.push_str("pub(super) static SCOPES: &[RawScope] = &[\n");
    for s in list(&table, "scopes") {
        writeln!(
            out,
            "    RawScope {{ name: {:?}, proto_name: {:?}, number: {}, depends_on: {}, deprecated: {}, exposed: {} }},",
            str_field(s, "name"),
            str_field(s, "proto_name"),
            s["number"].as_u64().unwrap_or_else(|| panic!("number is not an integer in {s}")),
            str_slice(s, "depends_on"),
            bool_field(s, "deprecated"),
            bool_field(s, "exposed"),
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("scope_data.rs"), out).expect("write scope_data.rs");
}
