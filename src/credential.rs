//! Credentials: app API keys, Personal Access Tokens, and the deprecated legacy tokens.
//!
//! Every constructor validates its input, so a credential that exists can be put in an
//! `Authorization` header: no empty tokens, no whitespace, control or non-ASCII bytes.

use std::fmt;

use crate::error::Error;
use crate::secret::Secret;

/// Longest token we accept; real keys and PATs are 32 hex characters.
const MAX_TOKEN_LEN: usize = 1024;
/// Longest user or app id we accept.
const MAX_ID_LEN: usize = 255;

/// What kind of credential a request carries; endpoints accept some kinds and not others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// An app-specific API key: exactly one app.
    ApiKey,
    /// A Personal Access Token: every app the user may use; needs user_id and app_id.
    Pat,
    /// A deprecated (2017) Bearer access token standing for one app.
    LegacyToken,
}

impl CredentialKind {
    pub fn name(self) -> &'static str {
        match self {
            CredentialKind::ApiKey => "app API key",
            CredentialKind::Pat => "Personal Access Token",
            CredentialKind::LegacyToken => "legacy access token",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The user and app a request acts on (`user_app_id` in the API).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserAppId {
    /// A user id, or `me` for the caller's own.
    pub user_id: String,
    pub app_id: String,
}

impl UserAppId {
    /// Both ids validated: non-empty, at most 255 characters of letters, digits, `_`, `-`, `.`.
    pub fn new(user_id: &str, app_id: &str) -> Result<UserAppId, Error> {
        validate_id("user_id", user_id)?;
        validate_id("app_id", app_id)?;
        Ok(UserAppId { user_id: user_id.to_string(), app_id: app_id.to_string() })
    }
}

/// A credential to authorize requests with. Cloning shares nothing mutable.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    inner: Inner,
}

#[derive(Clone, PartialEq, Eq)]
enum Inner {
    ApiKey(Secret),
    Pat { pat: Secret, user_app_id: Option<UserAppId> },
    LegacyToken(Secret),
}

impl Credential {
    /// An app-specific API key. Requests use the bare paths (`/v2/inputs`).
    pub fn api_key(key: &str) -> Result<Credential, Error> {
        validate_token("API key", key)?;
        Ok(Credential { inner: Inner::ApiKey(Secret::new(key.to_string())) })
    }

    /// A Personal Access Token with the user and app its requests act on by default.
    /// `user_id` may be `me`.
    pub fn pat(pat: &str, user_id: &str, app_id: &str) -> Result<Credential, Error> {
        validate_token("Personal Access Token", pat)?;
        let uai = UserAppId::new(user_id, app_id)?;
        Ok(Credential { inner: Inner::Pat { pat: Secret::new(pat.to_string()), user_app_id: Some(uai) } })
    }

    /// A PAT without a default app: every app-scoped call must then give `user_app_id` in its
    /// parameters. User-level calls (ListApps, PostApps, key management) work as they are.
    pub fn pat_without_app(pat: &str) -> Result<Credential, Error> {
        validate_token("Personal Access Token", pat)?;
        Ok(Credential { inner: Inner::Pat { pat: Secret::new(pat.to_string()), user_app_id: None } })
    }

    /// A legacy access token (`Authorization: Bearer`), as `POST /v2/token` returned them.
    #[deprecated(note = "Clarifai deprecated access tokens in 2017; use an API key or a PAT")]
    pub fn deprecated_legacy_access_token(token: &str) -> Result<Credential, Error> {
        validate_token("access token", token)?;
        Ok(Credential { inner: Inner::LegacyToken(Secret::new(token.to_string())) })
    }

    pub(crate) fn legacy_token_unchecked_kind(token: Secret) -> Credential {
        Credential { inner: Inner::LegacyToken(token) }
    }

    pub fn kind(&self) -> CredentialKind {
        match &self.inner {
            Inner::ApiKey(_) => CredentialKind::ApiKey,
            Inner::Pat { .. } => CredentialKind::Pat,
            Inner::LegacyToken(_) => CredentialKind::LegacyToken,
        }
    }

    /// The PAT's default user and app, if any.
    pub fn user_app_id(&self) -> Option<&UserAppId> {
        match &self.inner {
            Inner::Pat { user_app_id, .. } => user_app_id.as_ref(),
            _ => None,
        }
    }

    /// The secret token itself.
    pub fn secret(&self) -> &Secret {
        match &self.inner {
            Inner::ApiKey(s) | Inner::LegacyToken(s) => s,
            Inner::Pat { pat, .. } => pat,
        }
    }

    /// The `Authorization` header value: `Key <token>`, or `Bearer <token>` for legacy tokens.
    pub fn authorization(&self) -> String {
        match &self.inner {
            Inner::ApiKey(s) | Inner::Pat { pat: s, .. } => format!("Key {}", s.expose()),
            Inner::LegacyToken(s) => format!("Bearer {}", s.expose()),
        }
    }

    /// [`Credential::authorization`], wiped when dropped.
    pub(crate) fn authorization_header(&self) -> Secret {
        Secret::new(self.authorization())
    }

    /// The gRPC metadata pair the docs show: `("authorization", "Key <token>")`.
    pub fn grpc_metadata(&self) -> (&'static str, String) {
        ("authorization", self.authorization())
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credential");
        d.field("kind", &self.kind()).field("secret", &"[redacted]");
        if let Some(u) = self.user_app_id() {
            d.field("user_id", &u.user_id).field("app_id", &u.app_id);
        }
        d.finish()
    }
}

/// Tokens go straight into a header: refuse anything that is not visible ASCII.
pub(crate) fn validate_token(what: &str, token: &str) -> Result<(), Error> {
    if token.is_empty() {
        return Err(Error::InvalidArgument(format!("{what} is empty")));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::InvalidArgument(format!("{what} is longer than {MAX_TOKEN_LEN} bytes")));
    }
    // Describe the offending character by class and position only: never echo the token.
    for (i, c) in token.chars().enumerate() {
        let problem = if c.is_whitespace() {
            "whitespace"
        } else if c.is_control() {
            "a control character"
        } else if !c.is_ascii() {
            "a non-ASCII character"
        } else {
            continue;
        };
        return Err(Error::InvalidArgument(format!("{what} contains {problem} at position {i}")));
    }
    Ok(())
}

pub(crate) fn validate_id(what: &str, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::InvalidArgument(format!("{what} is empty")));
    }
    if id.len() > MAX_ID_LEN {
        return Err(Error::InvalidArgument(format!("{what} is longer than {MAX_ID_LEN} characters")));
    }
    if id == "." || id == ".." {
        return Err(Error::InvalidArgument(format!("{what} {id:?} is a path dot-segment, not an id")));
    }
    if let Some(c) = id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))) {
        return Err(Error::InvalidArgument(format!(
            "{what} {:?} contains {:?}; ids are letters, digits, '_', '-' and '.'",
            id.escape_debug().to_string(),
            c
        )));
    }
    Ok(())
}
