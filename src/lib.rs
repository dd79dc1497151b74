//! clarifai-core: Clarifai API credentials, the V2 endpoint catalogue, scopes and authorized
//! requests, for Rust and (through [`ffi`]) for C, Objective-C, PHP and C#.
//!
//! ```no_run
//! use clarifai::{Client, Credential};
//! let client = Client::builder(Credential::api_key("YOUR_API_KEY")?).build()?;
//! let out = client.call("PostModelOutputs", &serde_json::json!({
//!     "model_id": "general-image-recognition",
//!     "inputs": [{"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}}]
//! }))?;
//! println!("{}", out.body);
//! # Ok::<(), clarifai::Error>(())
//! ```

pub mod catalog;
pub mod credential;
pub mod error;
pub mod response;
pub mod scope;
pub mod secret;

pub use catalog::{catalog, AuthType, Catalog, Endpoint, Method};
pub use credential::{Credential, CredentialKind, UserAppId};
pub use error::{ApiError, Error, Result, TransportKind};
pub use response::{Response, Status};
pub use scope::{Denial, Grant, Missing, Scope, ScopeSet};
pub use secret::Secret;
