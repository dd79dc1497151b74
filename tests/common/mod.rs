//! Shared by the integration tests: an emulator and clients pointed at it.
#![allow(dead_code)]

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
