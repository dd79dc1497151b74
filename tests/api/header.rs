//! The committed C header must be what cbindgen makes of src/ffi now, and agree with Cargo.toml.

#[test]
fn committed_header_matches_the_generated_one() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/clarifai.h"));
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/clarifai.h"))
        .expect("include/clarifai.h exists");
    assert!(
        generated == committed,
        "include/clarifai.h is out of date with src/ffi.\nRegenerate it with: scripts/gen-header\n"
    );
}

#[test]
fn version_macros_and_function_agree_with_cargo_toml() {
    let header = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/include/clarifai.h"));
    let version = env!("CARGO_PKG_VERSION");
    let mut parts = version.split(['.', '-']);
    for (name, want) in ["MAJOR", "MINOR", "PATCH"].iter().zip([parts.next(), parts.next(), parts.next()]) {
        let line = format!("#define CLARIFAI_VERSION_{name} {}", want.unwrap());
        assert!(header.contains(&line), "header lacks {line:?}");
    }
    assert!(header.contains(&format!("#define CLARIFAI_VERSION_STRING \"{version}\"")));
    let v = unsafe { std::ffi::CStr::from_ptr(clarifai::ffi::clarifai_version()) };
    assert_eq!(v.to_str().unwrap(), version);
}

#[test]
fn header_has_no_extern_c_block_php_ffi_cannot_parse() {
    let header = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/include/clarifai.h"));
    assert!(!header.contains("extern \"C\""), "PHP's FFI::cdef skips # lines and would then meet extern \"C\"");
}
