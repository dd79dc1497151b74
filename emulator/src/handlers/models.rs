//! A model's output info and versions: GetModelOutputInfo, PostModelVersions (training),
//! ListModelVersions, GetModelVersion, DeleteModelVersion.

use serde_json::{json, Map, Value};

use super::predict::{find_model, model_not_found, version_of, OutputConfig};
use super::Ctx;
use crate::reply::{item_status, Reply, MODEL_QUEUED_FOR_TRAINING, MODEL_TRAINED};
use crate::time::now_rfc3339;
use crate::token::random_token;

fn model_id(ctx: &Ctx<'_>) -> Result<String, Reply> {
    ctx.field("model_id").ok_or_else(|| Reply::bad_request("model_id is required"))
}

/// The model with its `output_info` in full: the concepts it predicts and its `output_config`
/// (with `max_concepts` and `min_value` shown even when 0), and the version asked for (else
/// its current one), whose status says whether it is trained.
pub(crate) fn get_output_info(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let model_id = model_id(ctx)?;
    let (app, mut model) = find_model(ctx, &model_id).ok_or_else(|| model_not_found(&model_id))?;
    let version = version_of(&app, &model_id, &model, ctx.field("version_id").as_deref())?;
    let Value::Object(m) = &mut model else {
        return Err(model_not_found(&model_id));
    };
    let mut info = m.get("output_info").and_then(Value::as_object).cloned().unwrap_or_default();
    let concepts = info.get("data").and_then(|d| d.get("concepts")).cloned().unwrap_or_else(|| json!([]));
    let mut data = info.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
    data.insert("concepts".into(), concepts);
    info.insert("data".into(), Value::Object(data));
    info.insert("output_config".into(), OutputConfig::shown(info.get("output_config")));
    m.insert("output_info".into(), Value::Object(info));
    if !version.as_object().is_none_or(Map::is_empty) {
        m.insert("model_version".into(), version);
    }
    Ok(Reply::ok().with("model", model))
}

/// Training is instant here, but answered as the API answers it: 200 / 10000 with the model
/// and its new `model_version`, whose status is 21103 (queued). The stored version is already
/// trained (21100), so a client that polls (GetModel, GetModelOutputInfo, GetModelVersion)
/// sees it trained, and it becomes the model's current version.
pub(crate) fn post_model_versions(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let model_id = model_id(ctx)?;
    let given = match ctx.body.get("model_versions") {
        Some(Value::Array(v)) => v.first().and_then(Value::as_object).cloned().unwrap_or_default(),
        Some(Value::Null) | None => Map::new(),
        Some(_) => return Err(Reply::bad_request("model_versions must be an array of objects")),
    };
    let version_id = match given.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        None | Some(Value::Null) | Some(Value::String(_)) => random_token(),
        Some(_) => return Err(Reply::bad_request("model_versions[0].id must be a string")),
    };
    let now = now_rfc3339();
    let mut data = app.data();
    let Some(Value::Object(mut model)) = data.models.get(&model_id).cloned() else {
        return Err(model_not_found(&model_id));
    };
    if data.versions.get(&model_id).is_some_and(|v| v.contains(&version_id)) {
        return Err(Reply::bad_request(format!("model version {version_id:?} already exists")));
    }
    // What the version was trained on: the model's concepts, and the inputs labelled with them.
    let concept_ids: Vec<String> = model
        .get("output_info")
        .and_then(|i| i.pointer("/data/concepts"))
        .and_then(Value::as_array)
        .map(|cs| cs.iter().filter_map(|c| c.get("id")?.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let labelled = data
        .inputs
        .iter_newest_first()
        .filter(|i| {
            i.pointer("/data/concepts").and_then(Value::as_array).is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.get("id").and_then(Value::as_str).is_some_and(|id| concept_ids.iter().any(|k| k == id)))
            })
        })
        .count();
    let mut version = given;
    version.insert("id".into(), version_id.clone().into());
    version.insert("created_at".into(), now.clone().into());
    version.insert("completed_at".into(), now.into());
    version.insert("status".into(), item_status(MODEL_TRAINED, ""));
    version.insert("active_concept_count".into(), concept_ids.len().into());
    version.insert("total_input_count".into(), labelled.into());
    version.insert("app_id".into(), app.id.clone().into());
    version.insert("user_id".into(), app.user_id.clone().into());
    if let Some(info) = model.get("output_info") {
        version.insert("output_info".into(), info.clone());
    }
    data.versions.entry(model_id.clone()).or_default().insert(version_id, Value::Object(version.clone()));
    model.insert("model_version".into(), Value::Object(version.clone()));
    if let Some(stored) = data.models.get_mut(&model_id) {
        *stored = Value::Object(model.clone());
    }
    version.insert("status".into(), item_status(MODEL_QUEUED_FOR_TRAINING, ""));
    model.insert("model_version".into(), Value::Object(version));
    Ok(Reply::ok().with("model", Value::Object(model)))
}

pub(crate) fn list_model_versions(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let (page, per_page) = ctx.query.pagination()?;
    let model_id = model_id(ctx)?;
    let (app, _) = find_model(ctx, &model_id).ok_or_else(|| model_not_found(&model_id))?;
    let versions = app.data().versions.get(&model_id).map(|v| v.page(page, per_page)).unwrap_or_default();
    Ok(Reply::ok().with("model_versions", Value::Array(versions)))
}

pub(crate) fn get_model_version(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let model_id = model_id(ctx)?;
    let version_id = ctx.field("version_id").ok_or_else(|| Reply::bad_request("version_id is required"))?;
    let (app, model) = find_model(ctx, &model_id).ok_or_else(|| model_not_found(&model_id))?;
    Ok(Reply::ok().with("model_version", version_of(&app, &model_id, &model, Some(&version_id))?))
}

pub(crate) fn delete_model_version(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let model_id = model_id(ctx)?;
    let version_id = ctx.field("version_id").ok_or_else(|| Reply::bad_request("version_id is required"))?;
    let mut data = app.data();
    if !data.models.contains(&model_id) {
        return Err(model_not_found(&model_id));
    }
    let removed = data.versions.get_mut(&model_id).and_then(|v| v.remove(&version_id));
    removed.map(|_| Reply::ok()).ok_or_else(|| Reply::not_found(format!("model version {version_id:?} does not exist")))
}
