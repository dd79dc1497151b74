//! Shared by the integration tests: an emulator and clients pointed at it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use clarifai::{Client, Credential, RetryPolicy};
use clarifai_emulator::{Config, Emulator, FaultRule};

/// Never a real key; every test output is checked not to contain it (scripts/test greps too).
pub const CANARY: &str = "canary-0123456789abcdef-CANARY";

pub fn emulator() -> Emulator {
    Emulator::start_default().expect("emulator starts")
}

pub fn emulator_with_faults(faults: &[&str]) -> Emulator {
    let config = Config {
        faults: faults.iter().map(|f| f.parse::<FaultRule>().expect("fault spec")).collect(),
        ..Config::default()
    };
    Emulator::start(config).expect("emulator starts")
}

pub fn app_key_client(emu: &Emulator) -> Client {
    Client::builder(Credential::api_key(emu.api_key()).unwrap())
        .base_url(emu.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

pub fn pat_client(emu: &Emulator) -> Client {
    Client::builder(Credential::pat(emu.pat(), emu.user_id(), emu.app_id()).unwrap())
        .base_url(emu.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// `METHOD /path` as the emulator saw it, from a response or an error.
pub fn route_of(r: &Result<clarifai::Response, clarifai::Error>) -> Option<String> {
    match r {
        Ok(resp) => resp.header("x-clarifai-emulator-route").map(String::from),
        Err(clarifai::Error::Api(e)) => e.header("x-clarifai-emulator-route").map(String::from),
        Err(_) => None,
    }
}

/// A small HTTP proxy: `CONNECT` tunnels and absolute-form requests, each spliced to its
/// origin. It keeps every request head it was sent, and answers 407 to one without the
/// `Proxy-Authorization` it requires.
pub fn test_proxy(require: Option<&'static str>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { return };
            let log = log.clone();
            std::thread::spawn(move || {
                // Byte by byte, so nothing after the head is taken from the connection.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                log.lock().unwrap().push(text.clone());
                if let Some(want) = require {
                    if !text
                        .to_ascii_lowercase()
                        .contains(&format!("proxy-authorization: {}", want.to_ascii_lowercase()))
                    {
                        let _ = client
                            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n");
                        return;
                    }
                }
                let mut words = text.split(' ');
                let (method, target) = (words.next().unwrap().to_string(), words.next().unwrap().to_string());
                let (upstream, forward) = if method == "CONNECT" {
                    (target.clone(), None)
                } else {
                    let rest = target.strip_prefix("http://").expect("absolute-form");
                    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                    (authority.to_string(), Some(text.replacen(&target, path, 1)))
                };
                let Ok(mut up) = TcpStream::connect(&upstream) else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
                    return;
                };
                match forward {
                    None => client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").unwrap(),
                    Some(head) => up.write_all(head.as_bytes()).unwrap(),
                }
                let (mut back, mut from_up) = (client.try_clone().unwrap(), up.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from_up, &mut back);
                    let _ = back.shutdown(Shutdown::Write);
                });
                let _ = std::io::copy(&mut client, &mut up);
                let _ = up.shutdown(Shutdown::Write);
            });
        }
    });
    (url, seen)
}
