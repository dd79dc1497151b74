//! The Rust API against the emulator over real HTTP, as one test binary (one link instead of
//! one per file: each links reqwest, tokio and the emulator). Tests that measure the whole
//! process or change its environment have binaries of their own: reliability, cancel_storm,
//! proxy_env.

#[path = "../common/mod.rs"]
mod common;

mod cancel;
mod client;
mod header;
mod transport;
mod vectors;
