//! Proxies from the environment, in a test binary of their own: environment variables are
//! process-wide, so nothing else may run beside this one test.

mod common;

use clarifai::{Client, Credential, Error, RetryPolicy, TransportKind};
use clarifai_emulator::{Config, Emulator};
use common::*;
use serde_json::json;

#[test]
fn proxies_come_from_the_environment_as_curl_reads_them() {
    let tls = Emulator::start(Config { tls: true, ..Config::default() }).unwrap();
    let plain = emulator();
    let (proxy, seen) = test_proxy(None);
    let client = |emu: &Emulator| {
        let mut b =
            Client::builder(Credential::api_key(emu.api_key()).unwrap()).base_url(emu.url()).retry(RetryPolicy::none());
        if let Some(ca) = emu.ca_file() {
            b = b.ca_file(ca);
        }
        b
    };
    // The emulator is on loopback, which always goes direct; hosts under `.invalid` stand for
    // the rest of the world (the proxy answers 502 for them, as it cannot reach them).
    for var in
        ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]
    {
        std::env::remove_var(var);
    }

    // 1. Loopback hosts go direct whatever the environment says.
    std::env::set_var("https_proxy", &proxy);
    std::env::set_var("http_proxy", &proxy);
    client(&tls).build().unwrap().call("ListInputs", &json!({})).unwrap();
    client(&plain).build().unwrap().call("ListInputs", &json!({})).unwrap();
    assert!(seen.lock().unwrap().is_empty(), "loopback went through the proxy: {:?}", seen.lock().unwrap());

    // 2. A host that is not loopback goes through the variable of its scheme: the proxy sees a
    //    CONNECT for https and an absolute-form request for http (and answers 502 for a host
    //    it cannot reach, which is a failure of the call, not a direct connection).
    let unreachable_https = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url("https://api.invalid")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let _ = unreachable_https.call("ListInputs", &json!({}));
    let heads = seen.lock().unwrap().clone();
    assert!(heads.iter().any(|h| h.starts_with("CONNECT api.invalid:443 HTTP/1.1")), "{heads:?}");
    assert!(heads.iter().all(|h| !h.contains(CANARY)), "the key reached the proxy in clear");

    // 3. no_proxy names hosts that go direct (here: a DNS failure instead of the proxy).
    seen.lock().unwrap().clear();
    std::env::set_var("no_proxy", "example.test, .invalid");
    let e = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url("https://api.invalid")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .call("ListInputs", &json!({}))
        .unwrap_err();
    assert!(seen.lock().unwrap().is_empty(), "a no_proxy host went through the proxy");
    assert!(matches!(e, Error::Transport { kind: TransportKind::Dns | TransportKind::Connect, .. }), "{e}");
    std::env::remove_var("no_proxy");

    // 4. all_proxy serves both schemes when theirs are unset; proxy_from_env(false) ignores all.
    std::env::remove_var("https_proxy");
    std::env::remove_var("http_proxy");
    std::env::set_var("ALL_PROXY", &proxy);
    let _ = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url("https://api.invalid")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .call("ListInputs", &json!({}));
    assert_eq!(seen.lock().unwrap().len(), 1, "all_proxy was not used");
    seen.lock().unwrap().clear();
    let _ = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url("https://api.invalid")
        .proxy_from_env(false)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .call("ListInputs", &json!({}));
    assert!(seen.lock().unwrap().is_empty(), "proxy_from_env(false) still used the environment");

    // 5. A proxy the environment names but that cannot be used fails calls that would use it,
    //    naming the variable and not its password; loopback still works.
    std::env::set_var("ALL_PROXY", "socks5://user:hunter2@proxy.invalid:1080");
    let e = Client::builder(Credential::api_key(CANARY).unwrap())
        .base_url("https://api.invalid")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .call("ListInputs", &json!({}))
        .unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(text.contains("ALL_PROXY") && !text.contains("hunter2"), "{text}");
    client(&plain).build().unwrap().call("ListInputs", &json!({})).unwrap();
    std::env::remove_var("ALL_PROXY");
}
