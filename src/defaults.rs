// The settings a client has unless told otherwise: one place for Rust, and for C through the
// CLARIFAI_DEFAULT_* macros build.rs writes into include/clarifai.h from this file (so the
// bindings read them from the header, never from a copy). Plain constants only: build.rs
// includes this file as it is.

/// The API's public base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.clarifai.com";
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 10_000;
/// The whole call: every redirect, retry and backoff, and the body.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// The largest response body accepted, after decompression.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
pub const DEFAULT_MAX_REDIRECTS: u32 = 5;
/// Asynchronous and batched calls in flight at once, per client.
pub const DEFAULT_MAX_CONCURRENCY: u64 = 128;
/// Retries after a first attempt, and the most one may ask for.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const MAX_RETRIES_LIMIT: u32 = 10;
/// Proxies from the environment are used unless turned off.
pub const DEFAULT_PROXY_FROM_ENV: bool = true;
/// Plain http:// speaks HTTP/1.1 unless told to speak HTTP/2 from the first byte.
pub const DEFAULT_HTTP2_PRIOR_KNOWLEDGE: bool = false;
/// Plain http:// to a host that is not loopback is refused unless allowed.
pub const DEFAULT_DANGER_ALLOW_INSECURE_HTTP: bool = false;
/// The runtime's worker threads, and the most one may ask for.
pub const DEFAULT_RUNTIME_WORKER_THREADS: u64 = 1;
pub const MAX_RUNTIME_WORKER_THREADS: u64 = 64;
