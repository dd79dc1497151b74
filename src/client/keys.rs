//! Apps and keys: what only a Personal Access Token may do.

use serde_json::{json, Value};

use super::{string_list, Client};
use crate::catalog::catalog;
use crate::credential::{CredentialKind, UserAppId};
use crate::error::Error;
use crate::response::Response;
use crate::scope::ScopeSet;
use crate::secret::Secret;

/// A key as the API describes it.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    /// The key's id, which for the API is also the secret token of a new key.
    pub id: Secret,
    pub description: String,
    pub scopes: Vec<String>,
    pub endpoints: Vec<String>,
    pub apps: Vec<UserAppId>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("id", &"[redacted]")
            .field("description", &self.description)
            .field("scopes", &self.scopes)
            .field("endpoints", &self.endpoints)
            .field("apps", &self.apps)
            .finish()
    }
}

/// What a new key may do.
#[derive(Clone, Debug, Default)]
pub struct KeySpec {
    pub description: String,
    /// Either spelling; unknown names are refused before any request.
    pub scopes: Vec<String>,
    /// RPC names; empty means every endpoint the scopes allow.
    pub endpoints: Vec<String>,
    /// The one app an app key is bound to (`user_id` may be `me`).
    pub app: UserAppId,
}

impl Client {
    fn pat_user(&self, what: &str) -> Result<String, Error> {
        let kind = self.required_kind()?;
        if kind != CredentialKind::Pat {
            return Err(Error::PatRequired(format!(
                "{what} needs a Personal Access Token; this client uses an {kind}"
            )));
        }
        Ok(self.user_app_id().map(|u| u.user_id.clone()).unwrap_or_else(|| "me".into()))
    }

    /// Create an app owned by the PAT's user.
    pub fn create_app(&self, app_id: &str, description: &str) -> Result<Response, Error> {
        crate::credential::validate_id("app_id", app_id)?;
        let user = self.pat_user("creating an app")?;
        self.call(
            "PostApps",
            &json!({"user_app_id": {"user_id": user}, "apps": [{"id": app_id, "description": description}]}),
        )
    }

    /// Create an app key; its `id` is the new key's secret.
    pub fn create_key(&self, spec: &KeySpec) -> Result<Key, Error> {
        let user = self.pat_user("creating a key")?;
        ScopeSet::parse(spec.scopes.iter()).map_err(|n| Error::InvalidArgument(format!("unknown scope {n:?}")))?;
        for e in &spec.endpoints {
            if catalog().endpoint(e).is_none() {
                return Err(Error::UnknownEndpoint(e.clone()));
            }
        }
        crate::credential::validate_id("app_id", &spec.app.app_id)?;
        crate::credential::validate_id("user_id", &spec.app.user_id)?;
        let scopes: Vec<String> =
            spec.scopes.iter().filter_map(|s| crate::scope::Scope::parse(s)).map(|s| s.name().to_string()).collect();
        let resp = self.call(
            "PostKeys",
            &json!({
                "user_app_id": {"user_id": user},
                "keys": [{
                    "description": spec.description,
                    "scopes": scopes,
                    "endpoints": spec.endpoints,
                    "apps": [{"id": spec.app.app_id, "user_id": spec.app.user_id}],
                }]
            }),
        )?;
        let key = resp.body().get("keys").and_then(|k| k.get(0)).ok_or_else(|| Error::MalformedResponse {
            http_status: resp.http_status,
            message: "PostKeys response without keys".into(),
        })?;
        parse_key(key)
            .ok_or_else(|| Error::MalformedResponse { http_status: resp.http_status, message: "malformed key".into() })
    }

    /// Every key of the PAT's user.
    pub fn list_keys(&self) -> Result<Vec<Key>, Error> {
        let user = self.pat_user("listing keys")?;
        let resp = self.call("ListKeys", &json!({"user_app_id": {"user_id": user}, "per_page": 1000}))?;
        Ok(resp
            .body()
            .get("keys")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(parse_key).collect())
            .unwrap_or_default())
    }

    pub fn delete_key(&self, key_id: &str) -> Result<(), Error> {
        crate::credential::validate_token("key id", key_id)?;
        let user = self.pat_user("deleting a key")?;
        let r = self.call("DeleteKey", &json!({"user_app_id": {"user_id": user}, "key_id": key_id}));
        // The key id is in the request's path, and so in whatever echoes the path back (a
        // server's details, a proxy's or the emulator's route header): it is a secret.
        crate::redact::answer(r, key_id)?;
        Ok(())
    }

    /// Replace a key by a new one with the same description, scopes, endpoints and app. The old
    /// key is deleted only once the new one exists; if that deletion fails, both keys work and
    /// the error is [`Error::RotationIncomplete`] naming both.
    pub fn rotate_key(&self, key_id: &str) -> Result<Key, Error> {
        crate::credential::validate_token("key id", key_id)?;
        let old = self
            .list_keys()?
            .into_iter()
            .find(|k| k.id.expose() == key_id)
            .ok_or_else(|| Error::InvalidArgument("no key with that id belongs to this user".into()))?;
        let app = old.apps.first().cloned().ok_or_else(|| Error::MalformedResponse {
            http_status: 200,
            message: "the key to rotate is bound to no app".into(),
        })?;
        let new = self.create_key(&KeySpec {
            description: old.description.clone(),
            scopes: old.scopes.clone(),
            endpoints: old.endpoints.clone(),
            app,
        })?;
        if let Err(e) = self.delete_key(key_id) {
            return Err(Error::RotationIncomplete {
                new_key_id: redacted_id(new.id.expose()),
                old_key_id: redacted_id(key_id),
                source: Box::new(e),
            });
        }
        Ok(new)
    }
}

/// Key ids are secrets: name them by their last four characters only.
fn redacted_id(id: &str) -> String {
    let tail: String = id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("…{tail}")
}

fn parse_key(v: &Value) -> Option<Key> {
    Some(Key {
        id: Secret::new(v.get("id")?.as_str()?.to_string()),
        description: v.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
        scopes: string_list(v.get("scopes")),
        endpoints: string_list(v.get("endpoints")),
        apps: v
            .get("apps")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|app| {
                        Some(UserAppId {
                            user_id: app.get("user_id").and_then(Value::as_str).unwrap_or("me").to_string(),
                            app_id: app.get("id")?.as_str()?.to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

impl Default for UserAppId {
    fn default() -> Self {
        UserAppId { user_id: "me".into(), app_id: String::new() }
    }
}
