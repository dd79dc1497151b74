//! The one authorization rule, shared by the client's preflight and the emulator: whether a
//! credential of some kind, with some scopes and endpoint grant, may call an endpoint, and if
//! not, exactly what it lacks.

use crate::catalog::{AuthType, Endpoint};
use crate::credential::CredentialKind;
use crate::error::Missing;
use crate::scope::ScopeSet;

/// What a credential may do, as MyScopes reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grant {
    /// The scopes as granted, before closure.
    pub scopes: ScopeSet,
    /// RPC names (e.g. `PostModelOutputs`) the key is limited to; empty means every endpoint.
    pub endpoints: Vec<String>,
}

/// Why a credential may not call an endpoint. Several may hold at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// The endpoint does not accept this kind of credential (e.g. an app key on a PAT-only RPC).
    CredentialKind { kind: CredentialKind, accepted: AuthType },
    /// Scopes missing from the credential's closure, and/or an endpoint grant it lacks.
    Insufficient(Missing),
}

/// Whether a credential of `kind` holding `grant` may call `endpoint` (rules 1, 3 and 4 of the
/// API's authorization; rule 2, the app binding, needs the server's knowledge of apps).
pub fn authorize(endpoint: &Endpoint, kind: CredentialKind, grant: &Grant) -> Result<(), Denial> {
    authorize_with_closure(endpoint, kind, grant, &grant.scopes.closure())
}

/// [`authorize`] with the grant's closure computed once by the caller.
pub(crate) fn authorize_with_closure(
    endpoint: &Endpoint,
    kind: CredentialKind,
    grant: &Grant,
    have: &ScopeSet,
) -> Result<(), Denial> {
    if !endpoint.auth_type.accepts(kind) {
        return Err(Denial::CredentialKind { kind, accepted: endpoint.auth_type });
    }
    let mut missing = Missing::default();
    if !grant.endpoints.is_empty() && !grant.endpoints.iter().any(|e| endpoint_matches(e, &endpoint.name)) {
        missing.endpoint = Some(endpoint.full_name());
    }
    if !endpoint.depending_scopes.is_subset(have) {
        missing.scopes = endpoint.depending_scopes.difference(have).iter().map(|s| s.name().to_string()).collect();
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

impl AuthType {
    /// Whether a credential of `kind` may call an endpoint of this type. Legacy Bearer tokens
    /// stand for an app, as app keys do.
    pub fn accepts(self, kind: CredentialKind) -> bool {
        match self {
            AuthType::NoAuth => true,
            AuthType::KeyAuth | AuthType::Undef => true,
            AuthType::PatAuth => kind == CredentialKind::Pat,
            AuthType::SessionTokenAuth | AuthType::AdminAuth => false,
        }
    }
}
