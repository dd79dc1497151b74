//! PostApps, ListApps, GetApp.

use serde_json::Value;

use super::{body_objects, str_field, Ctx};
use crate::auth::Access;
use crate::reply::Reply;
use crate::store::{check_id, StoreError};

pub(crate) fn post(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let items = body_objects(ctx.body, "apps")?;
    let mut specs = Vec::with_capacity(items.len());
    for (i, app) in items.iter().enumerate() {
        let id = str_field(app, "id", &format!("apps[{i}]"))?;
        check_id("app", id).map_err(|e| Reply::bad_request(e.to_string()))?;
        if ctx.store.app(&ctx.target.user_id, id).is_some() || specs.iter().any(|(s, _)| *s == id) {
            return Err(Reply::bad_request(format!("app {id:?} already exists")));
        }
        specs.push((id, str_field(app, "description", &format!("apps[{i}]"))?));
    }
    let mut created = Vec::with_capacity(specs.len());
    for (id, description) in specs {
        let app =
            ctx.store.create_app(&ctx.target.user_id, id, description, false, Vec::new()).map_err(|e| match e {
                StoreError::UnknownUser(_) => Reply::not_found(e.to_string()),
                _ => Reply::bad_request(e.to_string()),
            })?;
        created.push(app.json());
    }
    Ok(Reply::ok().with("apps", Value::Array(created)))
}

pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let (page, per_page) = ctx.query.pagination()?;
    let caller = &ctx.caller.user_id;
    let apps: Vec<Value> = ctx
        .store
        .apps_of(&ctx.target.user_id)
        .into_iter()
        .filter(|a| ctx.target.access != Access::OtherUser || a.public || a.is_collaborator(caller))
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|a| a.json())
        .collect();
    Ok(Reply::ok().with("apps", Value::Array(apps)))
}

pub(crate) fn get(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    Ok(Reply::ok().with("app", ctx.app()?.json()))
}
