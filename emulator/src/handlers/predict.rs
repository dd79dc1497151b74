//! PostModelOutputs and PostSearches: deterministic answers, so tests can assert on them.

use std::sync::Arc;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::resources::has_data;
use super::{body_objects, Ctx};
use crate::reply::{item_status, Reply, INPUT_INVALID_ARGUMENT, SUCCESS};
use crate::seed::{GENERAL_CONCEPTS, PUBLIC_APP_ID, PUBLIC_USER_ID};
use crate::store::App;
use crate::time::now_rfc3339;
use crate::token::{hex, random_token};

/// How many concepts a prediction returns (fewer when the model knows fewer).
const CONCEPTS_PER_OUTPUT: usize = 5;

/// A stable concept id for a concept name, shaped like the API's `ai_…` ids.
pub(crate) fn concept_id(name: &str) -> String {
    format!("ai_{}", &hex(&Sha256::digest(name.as_bytes()))[..8])
}

/// A model by id: in the request's app, or for a bare path (no app in the URL) in the key's app
/// first and then in the public `clarifai/main`, as the API resolves them.
pub(crate) fn find_model(ctx: &Ctx<'_>, model_id: &str) -> Option<(Arc<App>, Value)> {
    for app in ctx.visible_apps() {
        if let Some(m) = app.data().models.get(model_id) {
            return Some((Arc::clone(&app), m.clone()));
        }
    }
    if ctx.route.param("user_app_id.app_id").is_some() {
        return None;
    }
    let main = ctx.store.app(PUBLIC_USER_ID, PUBLIC_APP_ID)?;
    let model = main.data().models.get(model_id).cloned()?;
    Some((main, model))
}

/// What makes an input what it is, for hashing: its data's url, base64, raw text, else its id.
fn input_key(input: &Map<String, Value>) -> String {
    let data = input.get("data");
    for kind in ["image", "video", "audio", "text"] {
        for field in ["url", "base64", "raw"] {
            if let Some(s) = data.and_then(|d| d.get(kind)).and_then(|k| k.get(field)).and_then(Value::as_str) {
                return format!("{kind}.{field}:{s}");
            }
        }
    }
    match input.get("id").and_then(Value::as_str) {
        Some(id) => format!("id:{id}"),
        None => data.map(Value::to_string).unwrap_or_default(),
    }
}

/// The same concepts and values for the same model and input, every time.
fn predict(model_id: &str, key: &str, vocabulary: &[(String, String)]) -> Vec<Value> {
    if vocabulary.is_empty() {
        return Vec::new();
    }
    let mut hasher = Sha256::new();
    hasher.update(model_id.as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let want = CONCEPTS_PER_OUTPUT.min(vocabulary.len());
    let mut picked: Vec<usize> = Vec::with_capacity(want);
    let mut i = 0usize;
    while picked.len() < want {
        let b = u16::from_be_bytes([digest[(2 * i) % 32], digest[(2 * i + 1) % 32]]) as usize;
        let mut idx = (b + i / 16) % vocabulary.len();
        while picked.contains(&idx) {
            idx = (idx + 1) % vocabulary.len();
        }
        picked.push(idx);
        i += 1;
    }
    let mut value = 0.95 + f64::from(digest[31] % 50) / 1000.0;
    picked
        .into_iter()
        .enumerate()
        .map(|(n, idx)| {
            if n > 0 {
                value -= 0.04 + f64::from(digest[n] % 60) / 1000.0;
            }
            let (id, name) = &vocabulary[idx];
            json!({"id": id, "name": name, "value": (value * 10_000.0).round() / 10_000.0})
        })
        .collect()
}

/// The concepts a model predicts: its `output_info.data.concepts`, else the general list.
fn vocabulary(model: &Value) -> Vec<(String, String)> {
    let given: Vec<(String, String)> = model
        .pointer("/output_info/data/concepts")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| {
                    let name = c.get("name").or_else(|| c.get("id"))?.as_str()?;
                    let id = c.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| concept_id(name));
                    Some((id, name.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    if given.is_empty() {
        GENERAL_CONCEPTS.iter().map(|c| (concept_id(c), c.to_string())).collect()
    } else {
        given
    }
}

pub(crate) fn post_model_outputs(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let model_id = ctx
        .field("model_id")
        .or_else(|| ctx.body.pointer("/model/id").and_then(Value::as_str).map(str::to_string))
        .ok_or_else(|| Reply::bad_request("model_id is required"))?;
    let (app, model) = find_model(ctx, &model_id).ok_or_else(|| {
        Reply::not_found(format!("model {model_id:?} does not exist in this app (nor in {PUBLIC_USER_ID}/{PUBLIC_APP_ID})"))
    })?;
    let version_id = match ctx.field("version_id") {
        Some(v) => {
            let known = app.data().versions.get(&model_id).is_some_and(|vs| vs.contains(&v));
            if !known {
                return Err(Reply::not_found(format!("model version {v:?} of model {model_id:?} does not exist")));
            }
            v
        }
        None => model.pointer("/model_version/id").and_then(Value::as_str).unwrap_or_default().to_string(),
    };
    let inputs = body_objects(ctx.body, "inputs")?;
    let vocabulary = vocabulary(&model);
    let model_ref = json!({
        "id": model_id,
        "name": model.get("name").cloned().unwrap_or_else(|| model_id.clone().into()),
        "app_id": app.id,
        "user_id": app.user_id,
        "model_version": {"id": version_id},
    });
    let now = now_rfc3339();
    let mut failed = 0;
    let outputs: Vec<Value> = inputs
        .iter()
        .map(|input| {
            let input_ref = json!({
                "id": input.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or_else(random_token),
                "data": input.get("data").cloned().unwrap_or_else(|| json!({})),
            });
            let (status, concepts) = if has_data(input) {
                (item_status(SUCCESS, ""), predict(&model_id, &input_key(input), &vocabulary))
            } else {
                failed += 1;
                (item_status(INPUT_INVALID_ARGUMENT, "the input has no data to predict on"), Vec::new())
            };
            json!({
                "id": random_token(),
                "status": status,
                "created_at": now,
                "model": model_ref,
                "input": input_ref,
                "data": {"concepts": concepts},
            })
        })
        .collect();
    Ok(Reply::batch(outputs.len(), failed).with("outputs", Value::Array(outputs)))
}

/// Every input of the app is a hit, newest first, scored 1.0, 0.99, ... (`pagination` in the
/// body or `page`/`per_page` in the query).
pub(crate) fn post_searches(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let (mut page, mut per_page) = ctx.query.pagination()?;
    if let Some(p) = ctx.body.get("pagination") {
        let n = |k: &str| p.get(k).and_then(Value::as_u64).map(|n| n as usize);
        page = n("page").unwrap_or(page).max(1);
        per_page = n("per_page").filter(|n| *n > 0).unwrap_or(per_page).min(crate::query::MAX_PER_PAGE);
    }
    let skip = (page - 1).saturating_mul(per_page);
    let hits: Vec<Value> = app
        .data()
        .inputs
        .iter_newest_first()
        .enumerate()
        .skip(skip)
        .take(per_page)
        .map(|(i, input)| {
            let score = (1.0 - 0.01 * i as f64).max(0.01);
            json!({"score": (score * 10_000.0).round() / 10_000.0, "input": input, "user_id": app.user_id, "app_id": app.id})
        })
        .collect();
    Ok(Reply::ok().with("id", random_token().into()).with("hits", Value::Array(hits)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_are_deterministic_and_ordered() {
        let vocab: Vec<_> = GENERAL_CONCEPTS.iter().map(|c| (concept_id(c), c.to_string())).collect();
        let a = predict("m", "image.url:https://x/1.jpg", &vocab);
        assert_eq!(a, predict("m", "image.url:https://x/1.jpg", &vocab));
        assert_ne!(a, predict("m", "image.url:https://x/2.jpg", &vocab));
        assert_eq!(a.len(), CONCEPTS_PER_OUTPUT);
        let values: Vec<f64> = a.iter().map(|c| c["value"].as_f64().unwrap()).collect();
        assert!(values.windows(2).all(|w| w[0] > w[1]) && values[0] < 1.0 && values[4] > 0.0);
        let names: std::collections::HashSet<_> = a.iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), CONCEPTS_PER_OUTPUT);
        assert_eq!(predict("m", "k", &vocab[..2]).len(), 2);
    }
}
