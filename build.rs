// Generates the C header from src/ffi with cbindgen into OUT_DIR. The committed
// include/clarifai.h must equal it; tests/header.rs checks that and prints the command that
// regenerates it.
use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=Cargo.toml");

    let version = env::var("CARGO_PKG_VERSION").unwrap();
    let mut parts = version.split(['.', '-']);
    let major = parts.next().unwrap_or("0");
    let minor = parts.next().unwrap_or("0");
    let patch = parts.next().unwrap_or("0");

    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    config.after_includes = Some(format!(
        "\n#define CLARIFAI_VERSION_MAJOR {major}\n#define CLARIFAI_VERSION_MINOR {minor}\n#define CLARIFAI_VERSION_PATCH {patch}\n#define CLARIFAI_VERSION_STRING \"{version}\"\n"
    ));
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
