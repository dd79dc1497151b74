//! The `clarifai-emulator` binary: one JSON line, flags, `--seed`, `--tls`, exit on stdin EOF.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use serde_json::{json, Value};

struct Running {
    child: Child,
    details: Value,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clarifai-emulator"))
            .args(args)
            .args(["--exit-on-stdin-eof", "--workers", "1"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn clarifai-emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        let details: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        Running { child, details }
    }

    fn addr(&self) -> SocketAddr {
        let url = self.details["url"].as_str().unwrap();
        url.split("://").nth(1).unwrap().parse().unwrap()
    }

    fn field(&self, name: &str) -> &str {
        self.details[name].as_str().unwrap()
    }

    /// Close stdin and wait for a clean exit; returns what was left on stdout.
    fn stop(mut self) -> String {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                break;
            }
            assert!(Instant::now() < deadline, "the emulator did not exit on stdin EOF");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut rest = String::new();
        self.child.stdout.take().unwrap().read_to_string(&mut rest).unwrap();
        rest
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn prints_one_json_line_serves_and_exits_on_stdin_eof() {
    let emu = Running::start(&["--listen", "127.0.0.1:0", "--fault", "PostInputs=status:503"]);
    let keys: Vec<&str> = emu.details.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, ["admin_token", "api_key", "app_id", "pat", "url", "user_id"]);
    for token in ["pat", "api_key", "admin_token"] {
        let t = emu.field(token);
        assert!(t.len() == 32 && t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{token}");
    }
    assert!(emu.field("url").starts_with("http://127.0.0.1:") && !emu.field("url").ends_with('/'));
    let addr = emu.addr();
    expect(&get(addr, "/v2/inputs", emu.field("api_key")), 200, 10000);
    let path = format!("/v2/users/{}/apps/{}/inputs", emu.field("user_id"), emu.field("app_id"));
    expect(&get(addr, &path, emu.field("pat")), 200, 10000);
    expect(&post(addr, "/v2/inputs", emu.field("api_key"), &json!({})), 503, 10020);
    assert_eq!(emu.stop(), "", "nothing but the one line on stdout");
}

#[test]
fn bad_arguments_exit_with_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_clarifai-emulator")).args(["--fault", "nonsense"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid fault spec"));
}

#[test]
fn seed_file_defines_users_apps_and_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(
        &seed,
        json!({
            "demo": {"user_id": "alice", "app_id": "photos", "pat": "0000000000000000000000000000a11c"},
            "users": [
                {"id": "alice", "apps": [{"id": "photos", "collaborators": ["bob"]}]},
                {"id": "bob",
                 "pats": [{"token": "00000000000000000000000000000b0b", "scopes": ["Inputs:Get", "Apps:Get", "Annotations:Get", "Concepts:Get"]}],
                 "keys": [{"token": "0000000000000000000000000000ca7e", "app_user_id": "alice", "app_id": "photos",
                           "scopes": ["Predict"], "endpoints": ["PostModelOutputs"], "description": "bob's key"}]}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let emu = Running::start(&["--seed", seed.to_str().unwrap()]);
    assert_eq!(
        (emu.field("user_id"), emu.field("app_id"), emu.field("pat")),
        ("alice", "photos", "0000000000000000000000000000a11c")
    );
    let addr = emu.addr();
    expect(&get(addr, "/v2/users/alice/apps/photos/inputs", "0000000000000000000000000000a11c"), 200, 10000);
    expect(&get(addr, "/v2/inputs", emu.field("api_key")), 200, 10000);
    // Bob's PAT works on alice's app as a collaborator, within its scopes.
    expect(&get(addr, "/v2/users/alice/apps/photos/inputs", "00000000000000000000000000000b0b"), 200, 10000);
    expect(
        &post(addr, "/v2/users/alice/apps/photos/inputs", "00000000000000000000000000000b0b", &json!({"inputs": []})),
        403,
        11007,
    );
    let r = get(addr, "/v2/myscopes", "0000000000000000000000000000ca7e");
    expect(&r, 403, 11007);
    assert_eq!(r.details(), "Missing endpoint: /clarifai.api.V2/MyScopes");
    emu.stop();

    std::fs::write(&seed, r#"{"users": [{"id": "x", "keys": [{"app_id": "none"}]}]}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_clarifai-emulator"))
        .args(["--seed", seed.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("token"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn tls_serves_https_with_the_printed_ca() {
    let emu = Running::start(&["--tls"]);
    assert!(emu.field("url").starts_with("https://127.0.0.1:"));
    let ca_file = emu.field("ca_file").to_string();
    let pem = std::fs::read(&ca_file).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile(&pem) {
        roots.add(cert).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let config = Arc::new(config);
    for host in ["127.0.0.1", "localhost"] {
        let name = rustls::pki_types::ServerName::try_from(host.to_string()).unwrap();
        let conn = rustls::ClientConnection::new(Arc::clone(&config), name).unwrap();
        let sock = TcpStream::connect(emu.addr()).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, sock);
        let req = format!(
            "GET /v2/inputs HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAuthorization: Key {}\r\n\r\n",
            emu.field("api_key")
        );
        tls.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        // A peer that closes without close_notify shows up as an error after the data.
        let _ = tls.read_to_end(&mut raw);
        expect(&parse(&raw), 200, 10000);
    }
    // Without the CA the handshake fails: the certificate is really checked.
    let empty = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(empty), name).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, TcpStream::connect(emu.addr()).unwrap());
    assert!(
        tls.write_all(b"GET / HTTP/1.1\r\n\r\n").and_then(|_| tls.flush()).is_err()
            || tls.read(&mut [0u8; 16]).is_err()
    );
    emu.stop();
    assert!(!std::path::Path::new(&ca_file).exists(), "the CA file is removed on exit");
}

/// The certificates of a PEM file, without another dependency.
fn rustls_pemfile(pem: &[u8]) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use base64::Engine;
    let text = std::str::from_utf8(pem).unwrap();
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .map(|block| {
            let b64: String = block.split("-----END CERTIFICATE-----").next().unwrap().split_whitespace().collect();
            rustls::pki_types::CertificateDer::from(base64::engine::general_purpose::STANDARD.decode(b64).unwrap())
        })
        .collect()
}
