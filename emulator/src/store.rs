//! The emulated account state: users, their apps, the credentials that act for them, and the
//! legacy OAuth clients. Each app's resources live in its own [`AppData`] behind its own lock,
//! so requests to different apps never wait on each other.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use clarifai::{catalog, CredentialKind, Grant, ScopeSet};
use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::data::AppData;
use crate::time::now_rfc3339;
use crate::token::{is_well_formed, random_token, TokenDigest};

/// Why the store refused a change. Messages name ids and scope names, never tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum StoreError {
    #[error("user {0:?} does not exist")]
    UnknownUser(String),
    #[error("app {app_id:?} of user {user_id:?} does not exist")]
    UnknownApp { user_id: String, app_id: String },
    #[error("user {user_id:?} may not create keys for app {app_id:?} of user {owner:?}")]
    NotYourApp { user_id: String, owner: String, app_id: String },
    #[error("unknown scope {0:?}; scopes are spelled like Inputs:Add (or Inputs_Add), Predict, All")]
    UnknownScope(String),
    #[error(
        "unknown endpoint {0:?}; endpoints are RPC names such as PostModelOutputs or /clarifai.api.V2/PostModelOutputs"
    )]
    UnknownEndpoint(String),
    #[error("a token must be 1 to 1024 visible ASCII characters")]
    MalformedToken,
    #[error("that token is already in use")]
    DuplicateToken,
    #[error("{what} {id:?} already exists")]
    Duplicate { what: &'static str, id: String },
    #[error("{what} id {id:?} is not valid; ids are 1 to 255 letters, digits, '_', '-' or '.'")]
    BadId { what: &'static str, id: String },
}

/// An app's owner and id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct AppRef {
    pub user_id: String,
    pub app_id: String,
}

#[derive(Default)]
pub(crate) struct User {
    pub apps: IndexMap<String, Arc<App>>,
}

pub(crate) struct App {
    pub id: String,
    pub user_id: String,
    pub description: String,
    /// Anyone's PAT may read a public app.
    pub public: bool,
    /// Users whose PATs may use this app as their own.
    pub collaborators: Vec<String>,
    pub created_at: String,
    data: Mutex<AppData>,
}

impl App {
    pub(crate) fn data(&self) -> MutexGuard<'_, AppData> {
        // A handler that panicked mid-update leaves data a test can still inspect.
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The App message as the API returns it.
    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "user_id": self.user_id,
            "description": self.description,
            "created_at": self.created_at,
            "visibility": {"gettable": if self.public { 50 } else { 10 }},
        })
    }

    pub(crate) fn is_collaborator(&self, user_id: &str) -> bool {
        self.collaborators.iter().any(|c| c == user_id)
    }
}

/// A credential the emulator accepts: an app key, a PAT or an issued legacy token.
pub(crate) struct CredentialRecord {
    pub kind: CredentialKind,
    /// The token. In the API a key's id *is* its token, so key management returns it.
    pub token: String,
    /// The user who owns the credential.
    pub user_id: String,
    /// The one app of an app key or legacy token.
    pub app: Option<AppRef>,
    /// Scopes already expanded to their closure; endpoints as RPC names.
    pub grant: Grant,
    pub description: String,
    pub created_at: String,
    pub expires_at: Option<Instant>,
    /// Creation order, for stable listings.
    pub seq: u64,
}

impl fmt::Debug for CredentialRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialRecord")
            .field("kind", &self.kind)
            .field("token", &"[redacted]")
            .field("user_id", &self.user_id)
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

impl CredentialRecord {
    pub(crate) fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// The docs spelling of the granted scopes' closure.
    pub(crate) fn scope_names(&self) -> Vec<&'static str> {
        self.grant.scopes.closure().names()
    }

    /// Endpoint grants in their full form, `/clarifai.api.V2/Name`.
    pub(crate) fn endpoint_names(&self) -> Vec<String> {
        self.grant.endpoints.iter().map(|e| format!("/{}/{e}", clarifai::catalog::SERVICE)).collect()
    }

    /// The Key message as key management returns it.
    pub(crate) fn key_json(&self) -> Value {
        let mut key = json!({
            "id": self.token,
            "type": match self.kind {
                CredentialKind::Pat => "personal_access_token",
                _ => "app_specific_key",
            },
            "description": self.description,
            "scopes": self.scope_names(),
            "endpoints": self.endpoint_names(),
            "apps": self.app.iter().map(|a| json!({"id": a.app_id, "user_id": a.user_id})).collect::<Vec<_>>(),
            "created_at": self.created_at,
        });
        if self.kind == CredentialKind::LegacyToken {
            key["type"] = "legacy_access_token".into();
        }
        key
    }
}

/// What to create a credential from.
#[derive(Clone)]
pub(crate) struct NewCredential {
    pub kind: CredentialKind,
    /// `None`: a fresh random token.
    pub token: Option<String>,
    pub user_id: String,
    pub app: Option<AppRef>,
    pub scopes: Vec<String>,
    pub endpoints: Vec<String>,
    pub description: String,
    pub expires_in: Option<Duration>,
}

/// An OAuth client of the deprecated `POST /v2/token` flow.
#[derive(Clone)]
pub(crate) struct LegacyClient {
    pub secret: TokenDigest,
    pub app: AppRef,
    pub scopes: Vec<String>,
    pub token_ttl: Duration,
}

#[derive(Default)]
struct Directory {
    users: IndexMap<String, User>,
    credentials: HashMap<TokenDigest, Arc<CredentialRecord>>,
    legacy_clients: HashMap<String, LegacyClient>,
}

#[derive(Default)]
pub(crate) struct Store {
    dir: RwLock<Directory>,
    seq: AtomicU64,
}

/// Parse scope names (either spelling) and endpoint names into a grant whose scopes are closed.
pub(crate) fn parse_grant<S: AsRef<str>>(scopes: &[S], endpoints: &[S]) -> Result<Grant, StoreError> {
    let scopes = ScopeSet::parse(scopes.iter().map(AsRef::as_ref)).map_err(StoreError::UnknownScope)?;
    let endpoints = endpoints
        .iter()
        .map(|e| {
            let e = e.as_ref();
            catalog().endpoint(e).map(|ep| ep.name.clone()).ok_or_else(|| StoreError::UnknownEndpoint(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Grant { scopes: scopes.closure(), endpoints })
}

/// The API's id rule: letters, digits, `_`, `-`, `.`; 1 to 255 of them.
pub(crate) fn check_id(what: &'static str, id: &str) -> Result<(), StoreError> {
    let ok = !id.is_empty()
        && id.len() <= 255
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    // `me` names the caller in paths, so no user may be called that.
    if ok && !(what == "user" && id == "me") {
        Ok(())
    } else {
        Err(StoreError::BadId { what, id: id.to_string() })
    }
}

impl Store {
    fn read(&self) -> RwLockReadGuard<'_, Directory> {
        self.dir.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Directory> {
        self.dir.write().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn create_user(&self, id: &str) -> Result<(), StoreError> {
        check_id("user", id)?;
        let mut dir = self.write();
        if !dir.users.contains_key(id) {
            dir.users.insert(id.to_string(), User::default());
        }
        Ok(())
    }

    pub(crate) fn user_exists(&self, id: &str) -> bool {
        self.read().users.contains_key(id)
    }

    /// Create an app; an existing app of that id is an error.
    pub(crate) fn create_app(
        &self,
        user_id: &str,
        app_id: &str,
        description: &str,
        public: bool,
        collaborators: Vec<String>,
    ) -> Result<Arc<App>, StoreError> {
        check_id("app", app_id)?;
        let mut dir = self.write();
        let user = dir.users.get_mut(user_id).ok_or_else(|| StoreError::UnknownUser(user_id.to_string()))?;
        if user.apps.contains_key(app_id) {
            return Err(StoreError::Duplicate { what: "app", id: app_id.to_string() });
        }
        let app = Arc::new(App {
            id: app_id.to_string(),
            user_id: user_id.to_string(),
            description: description.to_string(),
            public,
            collaborators,
            created_at: now_rfc3339(),
            data: Mutex::new(AppData::default()),
        });
        user.apps.insert(app_id.to_string(), Arc::clone(&app));
        Ok(app)
    }

    pub(crate) fn app(&self, user_id: &str, app_id: &str) -> Option<Arc<App>> {
        self.read().users.get(user_id)?.apps.get(app_id).cloned()
    }

    /// Every app of a user, in creation order.
    pub(crate) fn apps_of(&self, user_id: &str) -> Vec<Arc<App>> {
        self.read().users.get(user_id).map(|u| u.apps.values().cloned().collect()).unwrap_or_default()
    }

    /// The credential a token stands for.
    pub(crate) fn credential(&self, token: &[u8]) -> Option<Arc<CredentialRecord>> {
        let digest = TokenDigest::of(token);
        self.read().credentials.get(&digest).cloned()
    }

    /// Validate and store a new credential.
    pub(crate) fn insert_credential(&self, new: NewCredential) -> Result<Arc<CredentialRecord>, StoreError> {
        let grant = parse_grant(&new.scopes, &new.endpoints)?;
        let token = match new.token {
            Some(t) if is_well_formed(&t) => t,
            Some(_) => return Err(StoreError::MalformedToken),
            None => random_token(),
        };
        let mut dir = self.write();
        if !dir.users.contains_key(&new.user_id) {
            return Err(StoreError::UnknownUser(new.user_id));
        }
        if let Some(app) = &new.app {
            let found = dir.users.get(&app.user_id).and_then(|u| u.apps.get(&app.app_id));
            let found = found
                .ok_or_else(|| StoreError::UnknownApp { user_id: app.user_id.clone(), app_id: app.app_id.clone() })?;
            if found.user_id != new.user_id && !found.is_collaborator(&new.user_id) {
                return Err(StoreError::NotYourApp {
                    user_id: new.user_id,
                    owner: app.user_id.clone(),
                    app_id: app.app_id.clone(),
                });
            }
        }
        let digest = TokenDigest::of(token.as_bytes());
        if dir.credentials.contains_key(&digest) {
            return Err(StoreError::DuplicateToken);
        }
        let now = Instant::now();
        if new.kind == CredentialKind::LegacyToken {
            // Issued tokens expire; forget the expired ones as new ones are issued.
            dir.credentials.retain(|_, c| !c.is_expired(now));
        }
        let record = Arc::new(CredentialRecord {
            kind: new.kind,
            token,
            user_id: new.user_id,
            app: new.app,
            grant,
            description: new.description,
            created_at: now_rfc3339(),
            expires_at: new.expires_in.map(|d| now + d),
            seq: self.seq.fetch_add(1, Ordering::Relaxed),
        });
        dir.credentials.insert(digest, Arc::clone(&record));
        Ok(record)
    }

    /// Put an edited credential in place of the one with the same token.
    pub(crate) fn replace_credential(&self, record: CredentialRecord) {
        let digest = TokenDigest::of(record.token.as_bytes());
        self.write().credentials.insert(digest, Arc::new(record));
    }

    pub(crate) fn remove_credential(&self, token: &str) -> Option<Arc<CredentialRecord>> {
        self.write().credentials.remove(&TokenDigest::of(token.as_bytes()))
    }

    /// A user's credentials of one kind, oldest first.
    pub(crate) fn credentials_of(&self, user_id: &str, kind: CredentialKind) -> Vec<Arc<CredentialRecord>> {
        let mut out: Vec<_> =
            self.read().credentials.values().filter(|c| c.user_id == user_id && c.kind == kind).cloned().collect();
        out.sort_by_key(|c| c.seq);
        out
    }

    /// The app keys of one app (whoever created them: the owner or a collaborator), oldest first.
    pub(crate) fn app_keys(&self, app: &AppRef) -> Vec<Arc<CredentialRecord>> {
        let mut out: Vec<_> = self
            .read()
            .credentials
            .values()
            .filter(|c| c.kind == CredentialKind::ApiKey && c.app.as_ref() == Some(app))
            .cloned()
            .collect();
        out.sort_by_key(|c| c.seq);
        out
    }

    pub(crate) fn add_legacy_client(&self, client_id: &str, client: LegacyClient) {
        self.write().legacy_clients.insert(client_id.to_string(), client);
    }

    pub(crate) fn legacy_client(&self, client_id: &str) -> Option<LegacyClient> {
        self.read().legacy_clients.get(client_id).cloned()
    }
}
