//! clarifai-core: Clarifai API credentials, the V2 endpoint catalogue, scopes and authorized
//! requests, for Rust and (through [`ffi`]) for C, Objective-C, PHP and C#.
//!
//! ```no_run
//! use clarifai::{Client, Credential};
//! let client = Client::new(Credential::api_key("YOUR_API_KEY")?)?;
//! let out = client.call("PostModelOutputs", &serde_json::json!({
//!     "model_id": "general-image-recognition",
//!     "inputs": [{"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}}]
//! }))?;
//! println!("{}", out.text);
//! # Ok::<(), clarifai::Error>(())
//! ```

pub mod authorize;
pub mod catalog;
mod client;
pub mod credential;
pub mod defaults;
pub mod error;
pub mod ffi;
mod fork;
mod redact;
pub mod request;
pub mod response;
pub mod runtime;
pub mod scope;
pub mod secret;
mod transport;

pub use authorize::{Denial, Grant};
pub use catalog::{catalog, AuthType, Catalog, Endpoint, Method};
pub use client::{
    Call, CallHandle, CallOptions, CancelToken, Client, ClientBuilder, Key, KeySpec, MyScopes, RetryPolicy,
    DEFAULT_BASE_URL,
};
pub use credential::{Credential, CredentialKind, UserAppId};
pub use error::Missing;
pub use error::{ApiError, Error, Result, TransportKind};
pub use response::{Response, Status};
pub use scope::{Scope, ScopeSet};
pub use secret::Secret;
pub use transport::TransportConfig;
