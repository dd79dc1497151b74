//! The V2 endpoint catalogue: every RPC with its HTTP bindings, depending scopes and auth type,
//! and the scope table with each scope's dependencies.
//!
//! The data is `catalog.json`, written by `scripts/gen-catalog` from a pinned clarifai-grpc
//! release and embedded here, so building needs neither Python nor a network.

pub(crate) mod route;

use std::collections::HashMap;
use std::fmt;

use once_cell::sync::Lazy;
use serde::Deserialize;

use crate::scope::{Scope, ScopeInfo, ScopeSet};

pub use route::{PathParams, RouteMatch};

/// The fully qualified service name RPC names are given under in endpoint grants.
pub const SERVICE: &str = "clarifai.api.V2";

/// The prefix every app-scoped binding of a PAT starts with.
pub(crate) const USER_APP_PREFIX: &str = "/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}";

static CATALOG: Lazy<Catalog> =
    Lazy::new(|| Catalog::from_json(include_str!("catalog.json")).expect("the embedded catalogue is valid (tested)"));

/// The catalogue embedded in this build.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// Which credentials an endpoint accepts (`cl_auth_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthType {
    /// No credential needed.
    NoAuth,
    /// An app key or a PAT.
    KeyAuth,
    /// A web session only: neither keys nor PATs.
    SessionTokenAuth,
    /// Clarifai staff only.
    AdminAuth,
    /// A Personal Access Token only.
    PatAuth,
    /// Not set in the descriptors.
    Undef,
}

impl AuthType {
    fn from_name(name: &str) -> Option<AuthType> {
        Some(match name {
            "NoAuth" => AuthType::NoAuth,
            "KeyAuth" => AuthType::KeyAuth,
            "SessionTokenAuth" => AuthType::SessionTokenAuth,
            "AdminAuth" => AuthType::AdminAuth,
            "PATAuth" => AuthType::PatAuth,
            "undef" => AuthType::Undef,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            AuthType::NoAuth => "NoAuth",
            AuthType::KeyAuth => "KeyAuth",
            AuthType::SessionTokenAuth => "SessionTokenAuth",
            AuthType::AdminAuth => "AdminAuth",
            AuthType::PatAuth => "PATAuth",
            AuthType::Undef => "undef",
        }
    }
}

impl fmt::Display for AuthType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// HTTP methods used by the bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PATCH" => Method::Patch,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Safe to send twice: retried on a throttle or a 5xx.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    /// A request field, dotted (`user_app_id.user_id`, `model_id`).
    Field(String),
}

/// One HTTP binding of an RPC.
#[derive(Clone, Debug)]
pub struct Binding {
    pub method: Method,
    /// The template as the descriptor writes it.
    pub path: String,
    /// `true` when the request message is the JSON body (`body: "*"`); otherwise fields not in
    /// the path go in the query string.
    pub body: bool,
    pub segments: Vec<Segment>,
    pub(crate) literal_count: usize,
}

impl Binding {
    /// Whether the template names the app through `user_app_id`.
    pub fn is_app_prefixed(&self) -> bool {
        self.path.starts_with(USER_APP_PREFIX)
    }

    /// Whether any segment is a `user_app_id` field.
    pub fn uses_user_app_id(&self) -> bool {
        self.fields().any(|f| f.starts_with("user_app_id."))
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Field(f) => Some(f.as_str()),
            Segment::Literal(_) => None,
        })
    }
}

/// One RPC of the V2 service.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The RPC name, e.g. `PostModelOutputs`.
    pub name: String,
    pub auth_type: AuthType,
    /// The scopes a credential needs (each with its closure granted by the key side).
    pub depending_scopes: ScopeSet,
    /// Streaming RPCs are listed for completeness; their HTTP bindings take a single message.
    pub streaming: bool,
    /// In the descriptor's order: the primary binding first.
    pub bindings: Vec<Binding>,
    pub(crate) index: usize,
}

impl Endpoint {
    /// `/clarifai.api.V2/<name>`, the form endpoint-level scopes use.
    pub fn full_name(&self) -> String {
        format!("/{SERVICE}/{}", self.name)
    }

    /// Position in the catalogue.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// FNV-1a: endpoint names are short and trusted-length, and a preflight is a name lookup;
/// SipHash's DoS resistance buys nothing for a fixed table.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The endpoint catalogue.
pub struct Catalog {
    source: String,
    endpoints: Vec<Endpoint>,
    by_name: FnvMap<String, usize>,
    routes: route::Router,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("source", &self.source).field("endpoints", &self.endpoints.len()).finish()
    }
}

#[derive(Deserialize)]
struct RawCatalog {
    source: String,
    rpc_count: usize,
    binding_count: usize,
    endpoints: Vec<RawEndpoint>,
}

#[derive(Deserialize)]
struct RawEndpoint {
    name: String,
    auth_type: String,
    depending_scopes: Vec<String>,
    streaming: bool,
    bindings: Vec<RawBinding>,
}

#[derive(Deserialize)]
struct RawBinding {
    method: String,
    path: String,
    body: bool,
}

impl Catalog {
    fn from_json(text: &str) -> Result<Catalog, String> {
        let raw: RawCatalog = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let lookup = |n: &str| Scope::parse(n).ok_or_else(|| format!("unknown scope {n}"));
        let mut endpoints = Vec::with_capacity(raw.endpoints.len());
        let mut by_name = FnvMap::default();
        for (index, e) in raw.endpoints.into_iter().enumerate() {
            let auth_type = AuthType::from_name(&e.auth_type).ok_or_else(|| format!("auth type {}", e.auth_type))?;
            let mut depending_scopes = ScopeSet::empty();
            for s in &e.depending_scopes {
                depending_scopes.insert(lookup(s)?);
            }
            let bindings = e
                .bindings
                .into_iter()
                .map(|b| {
                    let method = Method::parse(&b.method).ok_or_else(|| format!("method {}", b.method))?;
                    let segments = route::parse_template(&b.path)?;
                    let literal_count = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
                    Ok(Binding { method, path: b.path, body: b.body, segments, literal_count })
                })
                .collect::<Result<Vec<_>, String>>()?;
            by_name.insert(e.name.clone(), index);
            endpoints.push(Endpoint {
                name: e.name,
                auth_type,
                depending_scopes,
                streaming: e.streaming,
                bindings,
                index,
            });
        }
        let bindings: usize = endpoints.iter().map(|e| e.bindings.len()).sum();
        if endpoints.len() != raw.rpc_count || bindings != raw.binding_count {
            return Err("counts disagree with the generator's".into());
        }
        let routes = route::Router::new(&endpoints);
        Ok(Catalog { source: raw.source, endpoints, by_name, routes })
    }

    /// Where the data came from, e.g. `clarifai-grpc 12.6.0 (PyPI), service clarifai.api.V2`.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// An endpoint by RPC name (`PostInputs`) or full name (`/clarifai.api.V2/PostInputs`).
    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        let name = name.strip_prefix("/clarifai.api.V2/").unwrap_or(name);
        self.by_name.get(name).map(|i| &self.endpoints[*i])
    }

    pub fn binding_count(&self) -> usize {
        self.endpoints.iter().map(|e| e.bindings.len()).sum()
    }

    /// The endpoint and binding a request path resolves to, with the path's field values.
    /// Literal segments win over fields (`/inputs/status` before `/inputs/{input_id}`); among
    /// equally specific templates the catalogue's order decides.
    pub fn route(&self, method: Method, path: &str) -> Option<RouteMatch<'_>> {
        self.routes.find(&self.endpoints, Some(method), path)
    }

    /// Whether any binding of any method matches the path (to tell 405 from 404).
    pub fn route_any_method(&self, path: &str) -> Option<RouteMatch<'_>> {
        self.routes.find(&self.endpoints, None, path)
    }

    /// The scope table the endpoints refer to (see [`crate::scope`]).
    pub fn scopes(&self) -> &'static [ScopeInfo] {
        crate::scope::scopes()
    }

    pub fn scope_by_name(&self, name: &str) -> Option<Scope> {
        Scope::parse(name)
    }

    pub fn scope_info(&self, s: Scope) -> &'static ScopeInfo {
        s.info()
    }
}
