//! PostModelOutputs: deterministic answers, so tests can assert on them, shaped as the API's.
//!
//! Every concept a model knows gets a value from a hash of the model id, the input's content and
//! the concept's id; the concepts are ranked by it. The request's (else the model's)
//! `output_config` then cuts the list: `select_concepts` (exact id or name) returns just those,
//! else the top `max_concepts` (20 when 0 or absent, as the API) with a value of at least
//! `min_value`.

use std::sync::Arc;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::concepts::number;
use super::{body_objects, Ctx};
use crate::data::has_data;
use crate::reply::{
    item_status, Reply, INPUT_INVALID_ARGUMENT, MIXED_STATUS, MODEL_DOES_NOT_EXIST, MODEL_INVALID_ARGUMENT, SUCCESS,
};
use crate::seed::{concept_id, GENERAL_CONCEPTS, GENERAL_MODEL_ALIAS, GENERAL_MODEL_ID, PUBLIC_APP_ID, PUBLIC_USER_ID};
use crate::store::App;
use crate::time::now_rfc3339;
use crate::token::random_token;

/// How many concepts a prediction returns when `max_concepts` is 0 or absent, as the API.
pub(crate) const DEFAULT_MAX_CONCEPTS: usize = 20;

/// The API's answer for a model id it does not know.
pub(crate) fn model_not_found(model_id: &str) -> Reply {
    Reply::new(
        404,
        MODEL_DOES_NOT_EXIST,
        format!("model {model_id:?} does not exist in this app (nor in {PUBLIC_USER_ID}/{PUBLIC_APP_ID})"),
    )
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
pub(crate) fn input_key(input: &Map<String, Value>) -> String {
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

/// A concept the model knows.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Known {
    pub id: String,
    pub name: String,
}

/// The concepts a model predicts: its `output_info.data.concepts`, else the general list.
pub(crate) fn vocabulary(model: &Value) -> Vec<Known> {
    let given: Vec<Known> = model
        .pointer("/output_info/data/concepts")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| {
                    let name = c.get("name").or_else(|| c.get("id"))?.as_str()?;
                    let id =
                        c.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| concept_id(name));
                    Some(Known { id, name: name.to_string() })
                })
                .collect()
        })
        .unwrap_or_default();
    if given.is_empty() {
        general_vocabulary()
    } else {
        given
    }
}

pub(crate) fn general_vocabulary() -> Vec<Known> {
    GENERAL_CONCEPTS.iter().map(|c| Known { id: concept_id(c), name: c.to_string() }).collect()
}

fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().into()
}

/// Every concept of the vocabulary with its value, highest first: the same for the same model
/// and input, every time. Values fall from about 0.95-0.99 by 2-10 % a rank, so they stay
/// distinct and above 0 however many concepts there are.
pub(crate) fn ranked(model_id: &str, key: &str, vocabulary: &[Known]) -> Vec<(Known, f64)> {
    let mut order: Vec<(u64, usize)> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let d = digest(&[model_id, key, &c.id]);
            (u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]), i)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let steps = digest(&[model_id, key]);
    let mut value = 0.95 + f64::from(steps[31] % 50) / 1000.0;
    order
        .into_iter()
        .enumerate()
        .map(|(rank, (_, i))| {
            if rank > 0 {
                value *= 0.90 + f64::from(steps[rank % 31] % 80) / 1000.0;
            }
            (vocabulary[i].clone(), (value * 10_000.0).round() / 10_000.0)
        })
        .collect()
}

/// `output_config` as predictions use it.
#[derive(Debug, Default)]
pub(crate) struct OutputConfig {
    pub max_concepts: usize,
    pub min_value: f64,
    /// (id, name) pairs; either may be empty.
    pub select: Vec<(String, String)>,
}

impl OutputConfig {
    /// The model's stored `output_info.output_config`, overridden field by field by the request's.
    pub(crate) fn of(model: &Value, request: Option<&Value>) -> Result<OutputConfig, Reply> {
        let mut cfg = OutputConfig::default();
        for source in [model.pointer("/output_info/output_config"), request] {
            let Some(Value::Object(c)) = source else {
                continue;
            };
            if let Some(v) = c.get("max_concepts").filter(|v| !v.is_null()) {
                let n = v
                    .as_u64()
                    .ok_or_else(|| Reply::bad_request("output_config.max_concepts must be a whole number"))?;
                if n > 0 {
                    cfg.max_concepts = n as usize;
                }
            }
            if let Some(v) = c.get("min_value").filter(|v| !v.is_null()) {
                cfg.min_value =
                    v.as_f64().ok_or_else(|| Reply::bad_request("output_config.min_value must be a number"))?;
            }
            if let Some(Value::Array(list)) = c.get("select_concepts") {
                if !list.is_empty() {
                    cfg.select = list
                        .iter()
                        .map(|s| {
                            let f = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                            (f("id"), f("name"))
                        })
                        .collect();
                }
            }
        }
        Ok(cfg)
    }

    /// The stored form with the API's defaults shown (`max_concepts` and `min_value` print even
    /// when 0).
    pub(crate) fn shown(stored: Option<&Value>) -> Value {
        let mut c = stored.and_then(Value::as_object).cloned().unwrap_or_default();
        c.entry("max_concepts").or_insert(json!(0));
        c.entry("min_value").or_insert(json!(0));
        Value::Object(c)
    }

    /// The selected concepts the model does not know (exact id or name, case-sensitive).
    pub(crate) fn unknown_selections(&self, vocabulary: &[Known]) -> Vec<String> {
        self.select
            .iter()
            .filter(|(id, name)| {
                !vocabulary.iter().any(|k| (!id.is_empty() && k.id == *id) || (!name.is_empty() && k.name == *name))
            })
            .map(|(id, name)| if id.is_empty() { name.clone() } else { id.clone() })
            .collect()
    }

    /// Cut a ranked list as the API does.
    pub(crate) fn apply(&self, ranked: Vec<(Known, f64)>) -> Vec<(Known, f64)> {
        if !self.select.is_empty() {
            return ranked
                .into_iter()
                .filter(|(k, _)| {
                    self.select
                        .iter()
                        .any(|(id, name)| (!id.is_empty() && k.id == *id) || (!name.is_empty() && k.name == *name))
                })
                .collect();
        }
        let max = if self.max_concepts == 0 { DEFAULT_MAX_CONCEPTS } else { self.max_concepts };
        ranked.into_iter().filter(|(_, v)| *v >= self.min_value).take(max).collect()
    }
}

/// The concepts the public general model predicts for an input's content, as PostModelOutputs
/// shows them with the default output settings (what searches by predicted concept match).
pub(crate) fn general_prediction(key: &str) -> Vec<(Known, f64)> {
    OutputConfig::default().apply(ranked(GENERAL_MODEL_ID, key, &general_vocabulary()))
}

/// A version of a model: the one asked for, else the model's current one.
pub(crate) fn version_of(app: &App, model_id: &str, model: &Value, version_id: Option<&str>) -> Result<Value, Reply> {
    match version_id {
        Some(v) => app
            .data()
            .versions
            .get(model_id)
            .and_then(|vs| vs.get(v).cloned())
            .ok_or_else(|| Reply::not_found(format!("model version {v:?} of model {model_id:?} does not exist"))),
        None => Ok(model.get("model_version").cloned().unwrap_or_else(|| json!({}))),
    }
}

/// `outputs[].model`: the model as the API shows it in predictions, its `output_info` without
/// the concept list (the API points to GetModelOutputInfo for that).
fn model_in_output(app: &App, model_id: &str, model: &Value, version: &Value) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), model_id.into());
    m.insert("name".into(), model.get("name").cloned().unwrap_or_else(|| model_id.into()));
    for k in ["created_at", "model_type_id"] {
        if let Some(v) = model.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    m.insert("app_id".into(), app.id.clone().into());
    m.insert("user_id".into(), app.user_id.clone().into());
    m.insert(
        "output_info".into(),
        json!({
            "output_config": OutputConfig::shown(model.pointer("/output_info/output_config")),
            "message": "Show output_info with: GET /models/{model_id}/output_info",
        }),
    );
    m.insert("model_version".into(), version.clone());
    Value::Object(m)
}

/// A model resolved for predicting.
pub(crate) struct Predictor {
    pub app: Arc<App>,
    pub model_id: String,
    pub vocabulary: Vec<Known>,
    pub config: OutputConfig,
    model_json: Value,
}

impl Predictor {
    pub(crate) fn new(
        app: Arc<App>,
        model_id: &str,
        model: &Value,
        version: &Value,
        request_config: Option<&Value>,
    ) -> Result<Predictor, Reply> {
        let config = OutputConfig::of(model, request_config)?;
        let vocabulary = vocabulary(model);
        let model_json = model_in_output(&app, model_id, model, version);
        // The old general model id is an alias: it predicts what the general model does.
        let public = app.user_id == PUBLIC_USER_ID && app.id == PUBLIC_APP_ID;
        let model_id = if public && model_id == GENERAL_MODEL_ALIAS { GENERAL_MODEL_ID } else { model_id };
        Ok(Predictor { app, model_id: model_id.to_string(), vocabulary, config, model_json })
    }

    /// One `outputs[]` entry for an input; `false` when the input could not be predicted on.
    pub(crate) fn output(&self, input: &Map<String, Value>, now: &str) -> (Value, bool) {
        let input_ref = json!({
            "id": input.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string).unwrap_or_else(random_token),
            "data": input.get("data").cloned().unwrap_or_else(|| json!({})),
        });
        let (status, concepts, ok) = if has_data(input) {
            let picked = self.config.apply(ranked(&self.model_id, &input_key(input), &self.vocabulary));
            let concepts: Vec<Value> = picked
                .into_iter()
                .map(|(k, v)| json!({"id": k.id, "name": k.name, "value": number(v), "app_id": self.app.id}))
                .collect();
            (item_status(SUCCESS, ""), concepts, true)
        } else {
            (item_status(INPUT_INVALID_ARGUMENT, "the input has no data to predict on"), Vec::new(), false)
        };
        let output = json!({
            "id": random_token(),
            "status": status,
            "created_at": now,
            "model": self.model_json,
            "input": input_ref,
            "data": {"concepts": concepts},
        });
        (output, ok)
    }
}

pub(crate) fn post_model_outputs(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let model_id = ctx
        .field("model_id")
        .or_else(|| ctx.body.pointer("/model/id").and_then(Value::as_str).map(str::to_string))
        .ok_or_else(|| Reply::bad_request("model_id is required"))?;
    let (app, model) = find_model(ctx, &model_id).ok_or_else(|| model_not_found(&model_id))?;
    let version = version_of(&app, &model_id, &model, ctx.field("version_id").as_deref())?;
    let inputs = body_objects(ctx.body, "inputs")?;
    let predictor =
        Predictor::new(app, &model_id, &model, &version, ctx.body.pointer("/model/output_info/output_config"))?;
    let unknown = predictor.config.unknown_selections(&predictor.vocabulary);
    if !unknown.is_empty() && unknown.len() == predictor.config.select.len() {
        return Err(Reply::new(
            400,
            MODEL_INVALID_ARGUMENT,
            format!("select_concepts: model {model_id:?} has no concept with the id or name {}", unknown.join(", ")),
        ));
    }
    let now = now_rfc3339();
    let mut failed = 0;
    let outputs: Vec<Value> = inputs
        .iter()
        .map(|input| {
            let (output, ok) = predictor.output(input, &now);
            failed += usize::from(!ok);
            output
        })
        .collect();
    let mut reply = Reply::batch(outputs.len(), failed);
    // Some selected concepts matched and some did not: the API's Mixed Success.
    if !unknown.is_empty() && reply.code == SUCCESS {
        reply = Reply::new(
            200,
            MIXED_STATUS,
            format!("select_concepts: model {model_id:?} has no concept {}", unknown.join(", ")),
        );
    }
    Ok(reply.with("outputs", Value::Array(outputs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_are_deterministic_and_ordered() {
        let vocab = general_vocabulary();
        let a = ranked("m", "image.url:https://x/1.jpg", &vocab);
        assert_eq!(a, ranked("m", "image.url:https://x/1.jpg", &vocab));
        assert_ne!(a, ranked("m", "image.url:https://x/2.jpg", &vocab));
        assert_eq!(a.len(), vocab.len());
        let values: Vec<f64> = a.iter().map(|c| c.1).collect();
        assert!(
            values.windows(2).all(|w| w[0] > w[1]) && values[0] < 1.0 && *values.last().unwrap() > 0.0,
            "{values:?}"
        );
        let names: std::collections::HashSet<_> = a.iter().map(|c| c.0.name.as_str()).collect();
        assert_eq!(names.len(), vocab.len());
    }

    #[test]
    fn output_config_cuts_the_ranking() {
        let vocab = general_vocabulary();
        let all = ranked("m", "k", &vocab);
        assert_eq!(OutputConfig::default().apply(all.clone()).len(), DEFAULT_MAX_CONCEPTS);
        let three = OutputConfig { max_concepts: 3, ..OutputConfig::default() };
        assert_eq!(three.apply(all.clone()), all[..3].to_vec());
        let threshold = all[4].1;
        let min = OutputConfig { min_value: threshold, ..OutputConfig::default() };
        assert_eq!(min.apply(all.clone()), all[..5].to_vec());
        // Selected concepts come back whatever their rank, ordered by value.
        let last = all.last().unwrap().0.clone();
        let select = OutputConfig {
            select: vec![(String::new(), last.name.clone()), (all[1].0.id.clone(), String::new())],
            max_concepts: 1,
            ..OutputConfig::default()
        };
        assert_eq!(
            select.apply(all.clone()).iter().map(|c| c.0.clone()).collect::<Vec<_>>(),
            vec![all[1].0.clone(), last]
        );
        let unknown = OutputConfig {
            select: vec![("nope".into(), String::new()), (String::new(), "dog".into())],
            ..OutputConfig::default()
        };
        assert_eq!(unknown.unknown_selections(&vocab), vec!["nope".to_string()]);
    }
}
