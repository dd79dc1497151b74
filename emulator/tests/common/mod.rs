//! A tiny HTTP/1.1 client over std::net, so tests control every byte they send (malformed
//! headers included) and see every byte that comes back (cut-off bodies included).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn code(&self) -> u64 {
        self.json()["status"]["code"].as_u64().expect("status.code")
    }

    pub fn details(&self) -> String {
        self.json()["status"]["details"].as_str().unwrap_or_default().to_string()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send raw bytes on a fresh connection and read until the server closes it. Returns what came
/// back and whether the connection ended in an error (reset) rather than a clean close.
pub fn exchange(addr: SocketAddr, request: &[u8]) -> (Vec<u8>, bool) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request).expect("write");
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (out, false),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (out, true),
        }
    }
}

/// Parse a whole response (status line, headers, Content-Length body).
pub fn parse(raw: &[u8]) -> Resp {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers") + 4;
    let head = std::str::from_utf8(&raw[..end]).expect("utf-8 headers");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect();
    Resp { status, headers, body: raw[end..].to_vec() }
}

/// One request; `headers` are sent exactly as given.
pub fn send(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    let (raw, _) = exchange(addr, req.as_bytes());
    parse(&raw)
}

/// The usual authorized call: `Authorization: Key <token>`.
pub fn call(addr: SocketAddr, method: &str, target: &str, token: &str, body: Option<&str>) -> Resp {
    let auth = format!("Key {token}");
    send(addr, method, target, &[("Authorization", &auth)], body)
}

pub fn get(addr: SocketAddr, target: &str, token: &str) -> Resp {
    call(addr, "GET", target, token, None)
}

pub fn post(addr: SocketAddr, target: &str, token: &str, body: &Value) -> Resp {
    call(addr, "POST", target, token, Some(&body.to_string()))
}

/// Assert HTTP status and Clarifai code together, showing the body when they differ.
#[track_caller]
pub fn expect(resp: &Resp, http: u16, code: u64) {
    assert_eq!((resp.status, resp.code()), (http, code), "{}", resp.text());
}
