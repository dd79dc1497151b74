//! MyScopes, cached per credential, and preflight checks against it.

use std::sync::Arc;

use serde_json::Value;

use super::{lookup, string_list, Client};
use crate::authorize::{authorize_with_closure, Denial, Grant};
use crate::catalog::{catalog, Method};
use crate::credential::{CredentialKind, UserAppId};
use crate::error::Error;
use crate::scope::ScopeSet;

/// What the credential may do, as MyScopes returned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyScopes {
    pub grant: Grant,
    /// Every scope granted (the closure), docs spelling.
    pub scope_names: Vec<String>,
    /// Scope names the catalogue does not know (newer than this build); kept, not checked.
    pub unknown_scopes: Vec<String>,
    /// The endpoints MyScopes says the credential may call, as it listed them.
    pub callable_endpoints: Vec<String>,
    /// The app an app key is bound to, when the API says.
    pub app: Option<UserAppId>,
    /// `grant.scopes.closure()`, computed once for preflights.
    closure: ScopeSet,
}

impl MyScopes {
    /// Whether the credential has `scope`, its dependencies counted.
    pub fn has(&self, scope: crate::scope::Scope) -> bool {
        self.closure.contains(scope)
    }
}

impl Client {
    /// Ask the API what this credential may do (MyScopes) and cache the answer for
    /// [`Client::check`].
    pub fn my_scopes(&self) -> Result<Arc<MyScopes>, Error> {
        let kind = self.required_kind()?;
        let resp = match self.user_app_id() {
            Some(_) => self.call("MyScopes", &Value::Null)?,
            None => self.send(Method::Get, "/v2/myscopes", None)?,
        };
        let names: Vec<String> = string_list(resp.body().get("scopes"));
        let mut scopes = ScopeSet::empty();
        let mut unknown = Vec::new();
        for n in &names {
            match crate::scope::Scope::parse(n) {
                Some(s) => scopes.insert(s),
                None => unknown.push(n.clone()),
            }
        }
        let callable_endpoints = string_list(resp.body().get("endpoints"));
        let endpoints = endpoint_grant(callable_endpoints.clone(), kind, &scopes);
        let app = resp.body().get("app").or_else(|| resp.body().get("apps").and_then(|a| a.get(0))).and_then(|a| {
            Some(UserAppId { user_id: a.get("user_id")?.as_str()?.into(), app_id: a.get("id")?.as_str()?.into() })
        });
        let closure = scopes.closure();
        let my = Arc::new(MyScopes {
            closure,
            scope_names: closure.names().into_iter().map(String::from).collect(),
            grant: Grant { scopes, endpoints },
            unknown_scopes: unknown,
            callable_endpoints,
            app,
        });
        *self.auth.scopes.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&my));
        Ok(my)
    }

    /// The scopes cached by the last [`Client::my_scopes`], if any.
    pub fn cached_scopes(&self) -> Option<Arc<MyScopes>> {
        self.auth.scopes.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Preflight: may this credential call `endpoint`? `Ok(Ok(()))` when it may, `Ok(Err(d))`
    /// naming exactly what is missing when it may not. Uses the scopes cached by
    /// [`Client::my_scopes`], fetching them once if there are none; no network call after that.
    pub fn check(&self, endpoint: &str) -> Result<Result<(), Denial>, Error> {
        let ep = lookup(endpoint)?;
        let kind = self.required_kind()?;
        if !ep.auth_type.accepts(kind) {
            return Ok(Err(Denial::CredentialKind { kind, accepted: ep.auth_type }));
        }
        let cached = self.cached_scopes();
        let my = match cached {
            Some(m) => m,
            None => self.my_scopes()?,
        };
        Ok(authorize_with_closure(ep, kind, &my.grant, &my.closure))
    }

    /// [`Client::check`] from the cache only: `None` when no scopes are cached yet.
    pub fn check_cached(&self, endpoint: &str) -> Result<Option<Result<(), Denial>>, Error> {
        let ep = lookup(endpoint)?;
        let kind = self.required_kind()?;
        let guard = self.auth.scopes.read().unwrap_or_else(|p| p.into_inner());
        Ok(guard.as_ref().map(|my| authorize_with_closure(ep, kind, &my.grant, &my.closure)))
    }
}

/// MyScopes lists the endpoints a credential may call: its endpoint grant when it has one, and
/// (as the API and the emulator answer) every endpoint its scopes allow when it has none. A list
/// equal to what the scopes allow restricts nothing, so it is not kept as a grant; otherwise a
/// preflight would name endpoints "missing" that only lack scopes.
fn endpoint_grant(listed: Vec<String>, kind: CredentialKind, scopes: &ScopeSet) -> Vec<String> {
    if listed.is_empty() {
        return listed;
    }
    let unrestricted = Grant { scopes: *scopes, endpoints: Vec::new() };
    let closure = scopes.closure();
    let allowed: std::collections::HashSet<&str> = catalog()
        .endpoints()
        .iter()
        .filter(|e| authorize_with_closure(e, kind, &unrestricted, &closure).is_ok())
        .map(|e| e.name.as_str())
        .collect();
    let named: std::collections::HashSet<&str> =
        listed.iter().map(|e| e.strip_prefix("/clarifai.api.V2/").unwrap_or(e)).collect();
    if named == allowed {
        Vec::new()
    } else {
        listed
    }
}
