//! Key management (PAT only): PostKeys, ListKeys, GetKey, DeleteKey, PatchKeys.
//!
//! As in the API, a key's `id` is its token, and an app key is bound to exactly one app.
//! Scopes are stored as their closure, so a key's listed scopes are everything it grants.

use clarifai::CredentialKind;
use serde_json::Value;

use super::{body_objects, str_field, strings_of, Ctx};
use crate::reply::Reply;
use crate::store::{parse_grant, AppRef, CredentialRecord, NewCredential, StoreError};

fn store_error(e: StoreError) -> Reply {
    match e {
        StoreError::UnknownUser(_) | StoreError::UnknownApp { .. } => Reply::not_found(e.to_string()),
        _ => Reply::bad_request(e.to_string()),
    }
}

fn strings(obj: &serde_json::Map<String, Value>, name: &str, context: &str) -> Result<Vec<String>, Reply> {
    strings_of(obj.get(name), &format!("{context}.{name}"))
}

pub(crate) fn post(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let items = body_objects(ctx.body, "keys")?;
    let me = &ctx.target.user_id;
    let mut news = Vec::with_capacity(items.len());
    for (i, key) in items.iter().enumerate() {
        let at = format!("keys[{i}]");
        let apps = match key.get("apps") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(_) => {
                return Err(Reply::bad_request(format!(
                    "{at}.apps must be an array of {{\"id\", \"user_id\"}} objects"
                )))
            }
        };
        let kind = match (str_field(key, "type", &at)?, apps.len()) {
            ("personal_access_token", 0) => CredentialKind::Pat,
            ("personal_access_token", _) => {
                return Err(Reply::bad_request(format!("{at}: a Personal Access Token is not bound to apps; leave apps empty")))
            }
            ("" | "app_specific_key", 1) => CredentialKind::ApiKey,
            ("" | "app_specific_key", 0) => {
                return Err(Reply::bad_request(format!(
                    "{at}: an app key must name its one app in apps: [{{\"id\": …, \"user_id\": …}}] (or set type to personal_access_token)"
                )))
            }
            ("" | "app_specific_key", n) => {
                return Err(Reply::bad_request(format!(
                    "{at}: an app key is bound to exactly one app, but apps names {n}; create one key per app"
                )))
            }
            (other, _) => {
                return Err(Reply::bad_request(format!(
                    "{at}.type {other:?} is unknown; use app_specific_key or personal_access_token"
                )))
            }
        };
        let app = match apps.first() {
            None => None,
            Some(Value::Object(a)) => {
                let app_id = str_field(a, "id", &format!("{at}.apps[0]"))?;
                if app_id.is_empty() {
                    return Err(Reply::bad_request(format!("{at}.apps[0].id is empty")));
                }
                let user_id = match str_field(a, "user_id", &format!("{at}.apps[0]"))? {
                    "" | "me" => me.clone(),
                    u => u.to_string(),
                };
                Some(AppRef { user_id, app_id: app_id.to_string() })
            }
            Some(_) => return Err(Reply::bad_request(format!("{at}.apps[0] must be an object"))),
        };
        let scopes = strings(key, "scopes", &at)?;
        if scopes.is_empty() {
            return Err(Reply::bad_request(format!(
                "{at} has no scopes; name at least one, e.g. [\"Predict\"] or [\"All\"]"
            )));
        }
        let endpoints = strings(key, "endpoints", &at)?;
        parse_grant(&scopes, &endpoints).map_err(|e| Reply::bad_request(format!("{at}: {e}")))?;
        if let Some(a) = &app {
            let found = ctx.store.app(&a.user_id, &a.app_id).ok_or_else(|| {
                Reply::not_found(format!("{at}: app {:?} of user {:?} does not exist", a.app_id, a.user_id))
            })?;
            if found.user_id != *me && !found.is_collaborator(me) {
                return Err(Reply::key_invalid(format!(
                    "{at}: user {me:?} may create keys only for its own apps and apps it collaborates on"
                )));
            }
        }
        news.push(NewCredential {
            kind,
            token: None,
            user_id: me.clone(),
            app,
            scopes,
            endpoints,
            description: str_field(key, "description", &at)?.to_string(),
            expires_in: None,
        });
    }
    // Everything was checked above, so either every key is created or (on a race) the first
    // failure is reported.
    let mut created = Vec::with_capacity(news.len());
    for new in news {
        created.push(ctx.store.insert_credential(new).map_err(store_error)?.key_json());
    }
    Ok(Reply::ok().with("keys", Value::Array(created)))
}

/// The user's app keys, or with `type=personal_access_token` its PATs other than the caller.
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let (page, per_page) = ctx.query.pagination()?;
    let kind = match ctx.query.get("type") {
        None | Some("app_specific_key") => CredentialKind::ApiKey,
        Some("personal_access_token") => CredentialKind::Pat,
        Some(other) => {
            return Err(Reply::bad_request(format!(
                "type {other:?} is unknown; use app_specific_key or personal_access_token"
            )))
        }
    };
    let keys: Vec<Value> = ctx
        .store
        .credentials_of(&ctx.target.user_id, kind)
        .into_iter()
        // Never hand the caller's own token back to it.
        .filter(|k| k.token != ctx.caller.token)
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|k| k.key_json())
        .collect();
    Ok(Reply::ok().with("keys", Value::Array(keys)))
}

/// ListAppKeys: the app keys of the app in the path, oldest first.
pub(crate) fn list_app_keys(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let (page, per_page) = ctx.query.pagination()?;
    let app = ctx.app()?;
    let app_ref = AppRef { user_id: app.user_id.clone(), app_id: app.id.clone() };
    let keys: Vec<Value> = ctx
        .store
        .app_keys(&app_ref)
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|k| k.key_json())
        .collect();
    Ok(Reply::ok().with("keys", Value::Array(keys)))
}

/// The user's key or PAT named by the path's `key_id`.
fn owned_key(ctx: &Ctx<'_>) -> Result<std::sync::Arc<CredentialRecord>, Reply> {
    let id = ctx.route.param("key_id").unwrap_or_default();
    match ctx.store.credential(id.as_bytes()) {
        Some(k) if k.user_id == ctx.target.user_id && k.kind != CredentialKind::LegacyToken => Ok(k),
        _ => Err(Reply::not_found("no key with this id belongs to this user")),
    }
}

pub(crate) fn get(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    Ok(Reply::ok().with("key", owned_key(ctx)?.key_json()))
}

pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let key = owned_key(ctx)?;
    ctx.store.remove_credential(&key.token);
    Ok(Reply::ok())
}

/// `action`: `overwrite` (default) replaces the fields given; `merge` adds scopes and
/// endpoints; `remove` takes them away.
pub(crate) fn patch(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let items = body_objects(ctx.body, "keys")?;
    let action = match ctx.body.get("action").and_then(Value::as_str).unwrap_or("overwrite") {
        a @ ("overwrite" | "merge" | "remove") => a,
        other => {
            return Err(Reply::bad_request(format!("action {other:?} is unknown; use overwrite, merge or remove")))
        }
    };
    let mut updated = Vec::with_capacity(items.len());
    for (i, key) in items.iter().enumerate() {
        let at = format!("keys[{i}]");
        let id = str_field(key, "id", &at)?;
        let current = match ctx.store.credential(id.as_bytes()) {
            Some(k) if k.user_id == ctx.target.user_id && k.kind != CredentialKind::LegacyToken => k,
            _ => return Err(Reply::not_found(format!("{at}: no key with this id belongs to this user"))),
        };
        let scopes_given = key.contains_key("scopes");
        let endpoints_given = key.contains_key("endpoints");
        let scopes = strings(key, "scopes", &at)?;
        let endpoints = strings(key, "endpoints", &at)?;
        let given = parse_grant(&scopes, &endpoints).map_err(|e| Reply::bad_request(format!("{at}: {e}")))?;
        let mut grant = current.grant.clone();
        match action {
            "overwrite" => {
                if scopes_given {
                    grant.scopes = given.scopes;
                }
                if endpoints_given {
                    grant.endpoints = given.endpoints;
                }
            }
            "merge" => {
                grant.scopes = grant.scopes.union(&given.scopes);
                for e in given.endpoints {
                    if !grant.endpoints.contains(&e) {
                        grant.endpoints.push(e);
                    }
                }
            }
            _ => {
                grant.scopes = grant.scopes.difference(&given.scopes);
                grant.endpoints.retain(|e| !given.endpoints.contains(e));
            }
        }
        let description = match key.get("description") {
            Some(Value::String(d)) if action != "remove" => d.clone(),
            _ => current.description.clone(),
        };
        updated.push(CredentialRecord {
            kind: current.kind,
            token: current.token.clone(),
            user_id: current.user_id.clone(),
            app: current.app.clone(),
            grant,
            description,
            created_at: current.created_at.clone(),
            expires_at: current.expires_at,
            seq: current.seq,
        });
    }
    let keys = updated.iter().map(CredentialRecord::key_json).collect();
    for record in updated {
        ctx.store.replace_credential(record);
    }
    Ok(Reply::ok().with("keys", Value::Array(keys)))
}
