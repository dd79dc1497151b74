//! The V2 endpoint catalogue: every RPC with its HTTP bindings, depending scopes and auth type,
//! and the scope table with each scope's dependencies.
//!
//! The data is `catalog.json`, written by `scripts/gen-catalog` from a pinned clarifai-grpc
//! release and compiled in (build.rs turns it into the statics of `data`), so building needs
//! neither Python nor a network, and loading parses no JSON.

pub(crate) mod route;

use std::fmt;

use crate::scope::{Scope, ScopeInfo, ScopeSet};
use fnv::FnvHashMap;
use once_cell::sync::Lazy;

pub use route::{PathParams, RouteMatch};

/// The fully qualified service name RPC names are given under in endpoint grants.
pub const SERVICE: &str = "clarifai.api.V2";

/// The prefix every app-scoped binding of a PAT starts with.
pub(crate) const USER_APP_PREFIX: &str = "/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}";

static CATALOG: Lazy<Catalog> =
    Lazy::new(|| Catalog::from_raw(data::SOURCE, data::ENDPOINTS).expect("the embedded catalogue is valid (tested)"));

mod data {
    use super::{RawBinding, RawEndpoint};
    include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));
}

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
    Literal(&'static str),
    /// A request field, dotted (`user_app_id.user_id`, `model_id`).
    Field(&'static str),
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
            Segment::Field(f) => Some(*f),
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

/// The endpoint catalogue.
pub struct Catalog {
    source: String,
    endpoints: Vec<Endpoint>,
    by_name: FnvHashMap<&'static str, usize>,
    routes: route::Router,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("source", &self.source).field("endpoints", &self.endpoints.len()).finish()
    }
}

// One RPC as catalog.json writes it, compiled in by build.rs.
struct RawEndpoint {
    name: &'static str,
    auth_type: &'static str,
    depending_scopes: &'static [&'static str],
    streaming: bool,
    bindings: &'static [RawBinding],
}

struct RawBinding {
    method: &'static str,
    path: &'static str,
    body: bool,
}

impl Catalog {
    fn from_raw(source: &str, raw: &'static [RawEndpoint]) -> Result<Catalog, String> {
        let lookup = |n: &str| Scope::parse(n).ok_or_else(|| format!("unknown scope {n}"));
        let mut endpoints = Vec::with_capacity(raw.len());
        let mut by_name = FnvHashMap::default();
        by_name.reserve(raw.len());
        for (index, e) in raw.iter().enumerate() {
            let auth_type = AuthType::from_name(e.auth_type).ok_or_else(|| format!("auth type {}", e.auth_type))?;
            let mut depending_scopes = ScopeSet::empty();
            for s in e.depending_scopes {
                depending_scopes.insert(lookup(s)?);
            }
            let bindings = e
                .bindings
                .iter()
                .map(|b| {
                    let method = Method::parse(b.method).ok_or_else(|| format!("method {}", b.method))?;
                    let segments = route::parse_template(b.path)?;
                    let literal_count = segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
                    Ok(Binding { method, path: b.path.to_string(), body: b.body, segments, literal_count })
                })
                .collect::<Result<Vec<_>, String>>()?;
            if by_name.insert(e.name, index).is_some() {
                return Err(format!("RPC {} listed twice", e.name));
            }
            endpoints.push(Endpoint {
                name: e.name.to_string(),
                auth_type,
                depending_scopes,
                streaming: e.streaming,
                bindings,
                index,
            });
        }
        let routes = route::Router::new(&endpoints);
        Ok(Catalog { source: source.to_string(), endpoints, by_name, routes })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled-in statics against the JSON they were generated from, read here with
    /// serde_json: every RPC, binding and scope reference survives build.rs.
    #[test]
    fn compiled_catalogue_matches_its_json() {
        let json: serde_json::Value = serde_json::from_str(include_str!("catalog.json")).unwrap();
        let c = catalog();
        assert_eq!(c.source(), json["source"].as_str().unwrap());
        assert_eq!(c.endpoints().len() as u64, json["rpc_count"].as_u64().unwrap());
        assert_eq!(c.binding_count() as u64, json["binding_count"].as_u64().unwrap());
        for (e, j) in c.endpoints().iter().zip(json["endpoints"].as_array().unwrap()) {
            assert_eq!(e.name, j["name"].as_str().unwrap());
            assert_eq!(e.auth_type.name(), j["auth_type"].as_str().unwrap());
            assert_eq!(e.streaming, j["streaming"].as_bool().unwrap());
            let mut scopes: Vec<&str> =
                j["depending_scopes"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
            scopes.sort_unstable();
            scopes.dedup();
            let mut ours = e.depending_scopes.names();
            ours.sort_unstable();
            assert_eq!(ours, scopes, "{}", e.name);
            let bindings = j["bindings"].as_array().unwrap();
            assert_eq!(e.bindings.len(), bindings.len(), "{}", e.name);
            for (b, jb) in e.bindings.iter().zip(bindings) {
                assert_eq!(b.method.as_str(), jb["method"].as_str().unwrap());
                assert_eq!(b.path, jb["path"].as_str().unwrap());
                assert_eq!(b.body, jb["body"].as_bool().unwrap());
            }
            assert!(std::ptr::eq(c.endpoint(&e.name).unwrap(), e));
            assert!(std::ptr::eq(c.endpoint(&e.full_name()).unwrap(), e));
        }
        assert!(c.endpoint("NoSuchRpc").is_none());
    }

    #[test]
    fn templates_split_into_literals_and_fields() {
        let list = catalog().endpoint("GetInput").unwrap();
        let b = &list.bindings[0];
        assert_eq!(
            b.segments,
            [
                Segment::Literal("v2"),
                Segment::Literal("users"),
                Segment::Field("user_app_id.user_id"),
                Segment::Literal("apps"),
                Segment::Field("user_app_id.app_id"),
                Segment::Literal("inputs"),
                Segment::Field("input_id"),
            ]
        );
        assert_eq!(b.literal_count, 4);
        assert!(b.is_app_prefixed() && b.uses_user_app_id());
        for bad in ["v2/inputs", "/v2/{a=b}", "/v2/{*}", "/v2/{}", "/v2/x{y}", "/v2/{a}}"] {
            assert!(route::parse_template(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn segments_are_percent_encoded_and_decoded() {
        let mut out = String::new();
        route::percent_encode_segment("a b/c-d_e.f~g%ü", &mut out);
        assert_eq!(out, "a%20b%2Fc-d_e.f~g%25%C3%BC");
        assert_eq!(route::percent_decode(&out), "a b/c-d_e.f~g%ü");
        // Malformed escapes stay as they are; invalid UTF-8 is replaced.
        assert_eq!(route::percent_decode("a%2x%41%4"), "a%2xA%4");
        assert_eq!(route::percent_decode("%ff"), "\u{fffd}");
    }

    #[test]
    fn routes_prefer_literal_segments() {
        let c = catalog();
        let m = c.route(Method::Get, "/v2/users/me/apps/a/inputs/status").unwrap();
        assert_eq!(m.endpoint.name, "GetInputCount");
        let m = c.route(Method::Get, "/v2/users/me/apps/a/inputs/in%201").unwrap();
        assert_eq!(m.endpoint.name, "GetInput");
        assert_eq!(m.param("input_id"), Some("in 1"));
        assert_eq!(m.param("user_app_id.user_id"), Some("me"));
        assert!(c.route(Method::Patch, "/v2/users/me/apps/a/inputs/in1").is_none());
        assert!(c.route_any_method("/v2/users/me/apps/a/inputs/in1").is_some());
        assert!(c.route_any_method("/v2/no/such/path").is_none());
    }
}
