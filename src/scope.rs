//! Scopes as the API defines them, and the one authorization rule shared by the client's
//! preflight and the emulator.
//!
//! Scope names are accepted in both spellings (`Inputs:Add` as the docs write it, `Inputs_Add` as
//! the proto enum does) and always emitted in the docs spelling. A [`ScopeSet`] is a fixed-size
//! bitset over the catalogue's scope table, so a preflight is a handful of word operations.

use std::fmt;

use crate::catalog::{catalog, AuthType, Endpoint};
use crate::credential::CredentialKind;

/// Words in a [`ScopeSet`]; the table is checked at load to fit (121 scopes in clarifai-grpc 12.6).
pub(crate) const WORDS: usize = 4;

/// Index of a scope in the catalogue's scope table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(pub(crate) u16);

impl Scope {
    /// Look a scope up by either spelling (`Inputs:Add` or `Inputs_Add`).
    pub fn parse(name: &str) -> Option<Scope> {
        catalog().scope_by_name(name)
    }

    /// The docs spelling, e.g. `Inputs:Add`.
    pub fn name(self) -> &'static str {
        &catalog().scope_info(self).name
    }

    /// The scopes this one grants along with itself (its direct dependencies).
    pub fn depends_on(self) -> &'static [Scope] {
        &catalog().scope_info(self).depends_on
    }

    pub fn is_deprecated(self) -> bool {
        catalog().scope_info(self).deprecated
    }

    /// The special scope that grants every other scope.
    pub fn all() -> Scope {
        catalog().all_scope()
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of scopes.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet(pub(crate) [u64; WORDS]);

impl ScopeSet {
    pub const fn empty() -> ScopeSet {
        ScopeSet([0; WORDS])
    }

    pub fn insert(&mut self, s: Scope) {
        self.0[s.0 as usize / 64] |= 1u64 << (s.0 % 64);
    }

    pub fn contains(&self, s: Scope) -> bool {
        self.0[s.0 as usize / 64] & (1u64 << (s.0 % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn union(&self, other: &ScopeSet) -> ScopeSet {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
        out
    }

    /// `true` when every scope of `self` is in `other`.
    pub fn is_subset(&self, other: &ScopeSet) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a & !b == 0)
    }

    /// Scopes of `self` that are not in `other`.
    pub fn difference(&self, other: &ScopeSet) -> ScopeSet {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a &= !*b;
        }
        out
    }

    /// Scopes in table order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        (0..WORDS * 64)
            .filter(move |i| self.0[i / 64] & (1u64 << (i % 64)) != 0)
            .map(|i| Scope(i as u16))
    }

    /// Names in docs spelling, in table order.
    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(Scope::name).collect()
    }

    /// Everything these scopes grant: each scope's dependencies, transitively; `All` grants all.
    pub fn closure(&self) -> ScopeSet {
        let cat = catalog();
        if self.contains(cat.all_scope()) {
            return cat.every_scope();
        }
        let mut out = ScopeSet::empty();
        for s in self.iter() {
            out = out.union(&cat.scope_info(s).closure);
        }
        out
    }

    /// Parse scope names (either spelling). An unknown name is returned as the error.
    pub fn parse<'a, I, S>(names: I) -> Result<ScopeSet, String>
    where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<str> + ?Sized + 'a,
    {
        let mut set = ScopeSet::empty();
        for n in names {
            let n = n.as_ref();
            match Scope::parse(n) {
                Some(s) => set.insert(s),
                None => return Err(n.to_string()),
            }
        }
        Ok(set)
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<T: IntoIterator<Item = Scope>>(iter: T) -> Self {
        let mut set = ScopeSet::empty();
        for s in iter {
            set.insert(s);
        }
        set
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Scope::name)).finish()
    }
}

/// What a credential may do, as MyScopes reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grant {
    /// The scopes as granted, before closure.
    pub scopes: ScopeSet,
    /// RPC names (e.g. `PostModelOutputs`) the key is limited to; empty means every endpoint.
    pub endpoints: Vec<String>,
}

impl Grant {
    pub fn all() -> Grant {
        let mut scopes = ScopeSet::empty();
        scopes.insert(Scope::all());
        Grant { scopes, endpoints: Vec::new() }
    }
}

/// Why a credential may not call an endpoint. Several may hold at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// The endpoint does not accept this kind of credential (e.g. an app key on a PAT-only RPC).
    CredentialKind { kind: CredentialKind, accepted: AuthType },
    /// Scopes missing from the credential's closure, and/or an endpoint grant it lacks.
    Insufficient(Missing),
}

/// The scopes and endpoint a credential lacks for one endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing {
    /// Docs spelling, e.g. `Inputs:Add`.
    pub scopes: Vec<String>,
    /// Full RPC name, e.g. `/clarifai.api.V2/PostInputs`, when the key's endpoint list lacks it.
    pub endpoint: Option<String>,
}

impl Missing {
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty() && self.endpoint.is_none()
    }

    /// The `details` text of a 11007 status; [`Missing::parse_details`] reads it back.
    pub fn to_details(&self) -> String {
        let mut parts = Vec::new();
        if !self.scopes.is_empty() {
            parts.push(format!("Missing scopes: {}", self.scopes.join(", ")));
        }
        if let Some(e) = &self.endpoint {
            parts.push(format!("Missing endpoint: {e}"));
        }
        parts.join(". ")
    }

    /// Read missing scopes and endpoints out of a 11007 `details` text. Scope names in either
    /// spelling are recognised wherever they appear, so this also reads details worded otherwise.
    pub fn parse_details(details: &str) -> Missing {
        let mut out = Missing::default();
        for word in details.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '/' | '.'))) {
            let word = word.trim_end_matches(['.', ':']);
            if word.is_empty() {
                continue;
            }
            if let Some(rpc) = word.strip_prefix("/clarifai.api.V2/") {
                if out.endpoint.is_none() && catalog().endpoint(rpc).is_some() {
                    out.endpoint = Some(word.to_string());
                }
                continue;
            }
            if let Some(s) = Scope::parse(word) {
                let name = s.name().to_string();
                if !out.scopes.contains(&name) {
                    out.scopes.push(name);
                }
            }
        }
        out
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_details())
    }
}

/// Whether a credential of `kind` holding `grant` may call `endpoint` (rules 1, 3 and 4 of the
/// API's authorization; rule 2, the app binding, needs the server's knowledge of apps).
pub fn authorize(endpoint: &Endpoint, kind: CredentialKind, grant: &Grant) -> Result<(), Denial> {
    authorize_with_closure(endpoint, kind, grant, &grant.scopes.closure())
}

/// [`authorize`] with the grant's closure computed once by the caller.
pub(crate) fn authorize_with_closure(endpoint: &Endpoint, kind: CredentialKind, grant: &Grant, have: &ScopeSet) -> Result<(), Denial> {
    if !endpoint.auth_type.accepts(kind) {
        return Err(Denial::CredentialKind { kind, accepted: endpoint.auth_type });
    }
    let mut missing = Missing::default();
    if !grant.endpoints.is_empty() && !grant.endpoints.iter().any(|e| endpoint_matches(e, &endpoint.name)) {
        missing.endpoint = Some(endpoint.full_name());
    }
    if !endpoint.depending_scopes.is_subset(have) {
        missing.scopes = endpoint
            .depending_scopes
            .difference(have)
            .iter()
            .map(|s| s.name().to_string())
            .collect();
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Denial::Insufficient(missing))
    }
}

/// Endpoint grants may be written `PostInputs` or `/clarifai.api.V2/PostInputs`.
pub(crate) fn endpoint_matches(grant: &str, rpc: &str) -> bool {
    grant.strip_prefix("/clarifai.api.V2/").unwrap_or(grant) == rpc
}
