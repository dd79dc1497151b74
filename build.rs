// Generates the C header from src/ffi with cbindgen into OUT_DIR. The committed
// include/clarifai.h must equal it; tests/api/header.rs checks that and prints the command that
// regenerates it.
use std::env;
use std::path::PathBuf;

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

    // The shared library: soname with the major version, and -z nodelete so that dlclose
    // (PHP unloads FFI libraries at shutdown) never unmaps code a thread may still run.
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libclarifai.so.{major}");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
}
