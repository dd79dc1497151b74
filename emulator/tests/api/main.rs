//! The emulator over real HTTP, as one test binary (one link instead of one per file).

#[path = "../common/mod.rs"]
mod common;

mod answers;
mod auth;
mod binary;
mod faults;
mod keys;
mod resources;
