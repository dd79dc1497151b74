//! An in-memory store behind the CRUD RPCs of inputs, concepts, models (and their versions),
//! workflows and annotations: post, list (`page`/`per_page`), get, patch and delete, one by id
//! or many with `ids` in the body. PATCH actions are in [`super::patch`], concept normalisation
//! in [`super::concepts`].

use serde_json::{Map, Value};

use super::predict::find_model;
use super::{body_objects, body_strings, concepts, patch, Ctx};
use crate::data::has_data;
use crate::data::{AppData, Collection};
use crate::reply::{
    item_status, Reply, ANNOTATION_SUCCESS, INPUT_DOWNLOAD_SUCCESS, INPUT_INVALID_ARGUMENT, MODEL_DOES_NOT_EXIST,
    WORKFLOW_DOES_NOT_EXIST,
};
use crate::time::now_rfc3339;
use crate::token::random_token;

/// What a model made without a `model_type_id` is (an assumption; see README).
pub(crate) const DEFAULT_MODEL_TYPE_ID: &str = "embedding-classifier";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Inputs,
    Concepts,
    Models,
    Workflows,
    Annotations,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Post,
    List,
    Get,
    Patch,
    DeleteOne,
    DeleteMany,
}

impl Kind {
    fn plural(self) -> &'static str {
        match self {
            Kind::Inputs => "inputs",
            Kind::Concepts => "concepts",
            Kind::Models => "models",
            Kind::Workflows => "workflows",
            Kind::Annotations => "annotations",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Kind::Inputs => "input",
            Kind::Concepts => "concept",
            Kind::Models => "model",
            Kind::Workflows => "workflow",
            Kind::Annotations => "annotation",
        }
    }

    fn id_param(self) -> &'static str {
        match self {
            Kind::Inputs => "input_id",
            Kind::Concepts => "concept_id",
            Kind::Models => "model_id",
            Kind::Workflows => "workflow_id",
            Kind::Annotations => "annotation_id",
        }
    }

    fn collection(self, data: &mut AppData) -> &mut Collection {
        match self {
            Kind::Inputs => &mut data.inputs,
            Kind::Concepts => &mut data.concepts,
            Kind::Models => &mut data.models,
            Kind::Workflows => &mut data.workflows,
            Kind::Annotations => &mut data.annotations,
        }
    }

    /// Inputs and annotations carry a status per item, so a batch may partly fail (10010);
    /// for the others one bad item refuses the whole request.
    fn has_item_status(self) -> bool {
        matches!(self, Kind::Inputs | Kind::Annotations)
    }

    /// Models and workflows can be listed for a whole user (`/v2/users/{user_id}/models`).
    fn user_listable(self) -> bool {
        matches!(self, Kind::Models | Kind::Workflows)
    }
}

/// `PostInputs` → (Inputs, Post), `DeleteInput` → (Inputs, DeleteOne), `DeleteInputs` →
/// (Inputs, DeleteMany), ...
pub(crate) fn kind_op(name: &str) -> Option<(Kind, Op)> {
    for (verb, op) in
        [("Post", Op::Post), ("List", Op::List), ("Get", Op::Get), ("Patch", Op::Patch), ("Delete", Op::DeleteOne)]
    {
        let Some(noun) = name.strip_prefix(verb) else { continue };
        let (kind, plural) = match noun {
            "Inputs" => (Kind::Inputs, true),
            "Input" => (Kind::Inputs, false),
            "Concepts" => (Kind::Concepts, true),
            "Concept" => (Kind::Concepts, false),
            "Models" => (Kind::Models, true),
            "Model" => (Kind::Models, false),
            "Workflows" => (Kind::Workflows, true),
            "Workflow" => (Kind::Workflows, false),
            "Annotations" => (Kind::Annotations, true),
            "Annotation" => (Kind::Annotations, false),
            _ => return None,
        };
        return match (op, plural) {
            (Op::DeleteOne, true) => Some((kind, Op::DeleteMany)),
            (Op::Get | Op::DeleteOne, false) | (Op::Post | Op::List | Op::Patch, true) => Some((kind, op)),
            _ => None,
        };
    }
    None
}

pub(crate) fn handle(kind: Kind, op: Op, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    match op {
        Op::Post => post(kind, ctx),
        Op::List => list(kind, ctx),
        Op::Get => get(kind, ctx),
        Op::Patch => patch(kind, ctx),
        Op::DeleteOne => delete_one(kind, ctx),
        Op::DeleteMany => delete_many(kind, ctx),
    }
}

/// An item's id: given, or a fresh one.
fn item_id(item: &Map<String, Value>, at: &str) -> Result<String, Reply> {
    match item.get("id") {
        None | Some(Value::Null) => Ok(random_token()),
        Some(Value::String(s)) if s.is_empty() => Ok(random_token()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(Reply::bad_request(format!("{at}.id must be a string"))),
    }
}

fn post(kind: Kind, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    // PostModels also takes the older single `model`.
    let items: Vec<&Map<String, Value>> = match (kind, ctx.body.get("model").and_then(Value::as_object)) {
        (Kind::Models, Some(m)) if ctx.body.get("models").is_none() => vec![m],
        _ => body_objects(ctx.body, kind.plural())?,
    };
    let now = now_rfc3339();
    let mut data = app.data();
    // First pass: ids and problems, so a refused request changes nothing.
    let mut planned: Vec<(String, Option<String>)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("{}[{i}]", kind.plural());
        let id = item_id(item, &at)?;
        let problem = if kind.collection(&mut data).contains(&id) || planned.iter().any(|(p, _)| *p == id) {
            Some(format!("{} id {id:?} already exists", kind.singular()))
        } else if kind == Kind::Inputs && !has_data(item) {
            Some("the input has no data; give data.image.url, data.image.base64, data.text.raw, …".to_string())
        } else if kind == Kind::Annotations && item.get("input_id").and_then(Value::as_str).is_none_or(str::is_empty) {
            Some("an annotation needs the input_id of the input it annotates".to_string())
        } else {
            None
        };
        if let (Some(p), false) = (&problem, kind.has_item_status()) {
            return Err(Reply::bad_request(format!("{at}: {p}")));
        }
        planned.push((id, problem));
    }
    // Second pass: the stored form of each item (concepts normalised), still changing nothing
    // but the app's concept list, so a refused request stores no item.
    let mut prepared = Vec::with_capacity(items.len());
    for (i, (item, (id, problem))) in items.into_iter().zip(planned).enumerate() {
        let mut item = item.clone();
        item.insert("id".into(), id.clone().into());
        if let Some(p) = problem {
            item.insert("status".into(), item_status(INPUT_INVALID_ARGUMENT, &p));
            prepared.push((id, item, true));
            continue;
        }
        item.insert("created_at".into(), now.clone().into());
        item.insert("modified_at".into(), now.clone().into());
        match kind {
            Kind::Inputs => {
                item.insert("status".into(), item_status(INPUT_DOWNLOAD_SUCCESS, ""));
            }
            Kind::Annotations => {
                item.insert("status".into(), item_status(ANNOTATION_SUCCESS, ""));
            }
            Kind::Concepts => {
                let value = concepts::value_of(item.get("value"), &format!("concepts[{i}]"))?;
                item.insert("value".into(), concepts::number(value));
                item.entry("name").or_insert_with(|| id.clone().into());
                item.entry("language").or_insert_with(|| "en".into());
                item.insert("app_id".into(), app.id.clone().into());
                item.insert("user_id".into(), app.user_id.clone().into());
            }
            Kind::Models => {
                // The API fills a new model's name with its id; a model made without a type is the
                // transfer-learning classifier older clients create (an assumption; see README).
                if item.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
                    item.insert("name".into(), id.clone().into());
                }
                if item.get("model_type_id").and_then(Value::as_str).is_none_or(str::is_empty) {
                    item.insert("model_type_id".into(), DEFAULT_MODEL_TYPE_ID.into());
                }
                item.insert("app_id".into(), app.id.clone().into());
                item.insert("user_id".into(), app.user_id.clone().into());
            }
            Kind::Workflows => {
                item.insert("app_id".into(), app.id.clone().into());
                item.insert("user_id".into(), app.user_id.clone().into());
            }
        }
        concepts::normalize_item(&mut item, &format!("{}[{i}]", kind.plural()), app, &mut data, &now)?;
        prepared.push((id, item, false));
    }
    let mut results = Vec::with_capacity(prepared.len());
    let mut failed = 0;
    for (id, item, refused) in prepared {
        let item = Value::Object(item);
        if refused {
            failed += 1;
        } else if kind == Kind::Models {
            data.insert_model(&id, item.clone());
        } else {
            kind.collection(&mut data).insert(id, item.clone());
        }
        results.push(item);
    }
    let reply = Reply::batch(results.len(), failed);
    Ok(match kind {
        // PostModels answers a SingleModelResponse.
        Kind::Models => reply.with("model", results.into_iter().next().unwrap_or(Value::Null)),
        _ => reply.with(kind.plural(), Value::Array(results)),
    })
}

fn list(kind: Kind, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let (page, per_page) = ctx.query.pagination()?;
    let ids = ctx.query.all("ids");
    let input_ids = if kind == Kind::Annotations { ctx.query.all("input_ids") } else { Vec::new() };
    let apps = if kind.user_listable() { ctx.visible_apps() } else { vec![ctx.app()?.clone()] };
    // The hot path (one app, no filter) pages without copying the whole collection.
    if let ([app], true, true) = (apps.as_slice(), ids.is_empty(), input_ids.is_empty()) {
        let items = kind.collection(&mut app.data()).page(page, per_page);
        return Ok(Reply::ok().with(kind.plural(), Value::Array(items)));
    }
    let keep = |v: &Value| {
        let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        (ids.is_empty() || ids.contains(&field("id")))
            && (input_ids.is_empty() || input_ids.contains(&field("input_id")))
    };
    let mut items = Vec::new();
    for app in &apps {
        let mut data = app.data();
        items.extend(kind.collection(&mut data).iter_newest_first().filter(|v| keep(v)).cloned());
    }
    let items: Vec<Value> = items.into_iter().skip((page - 1).saturating_mul(per_page)).take(per_page).collect();
    Ok(Reply::ok().with(kind.plural(), Value::Array(items)))
}

fn id_from_path(kind: Kind, ctx: &Ctx<'_>) -> Result<String, Reply> {
    ctx.field(kind.id_param()).ok_or_else(|| Reply::bad_request(format!("{} is required", kind.id_param())))
}

/// Not found, with the API's own codes for models (21200) and workflows (22102).
pub(crate) fn missing(kind: Kind, id: &str) -> Reply {
    let details = format!("{} {id:?} does not exist", kind.singular());
    match kind {
        Kind::Models => Reply::new(404, MODEL_DOES_NOT_EXIST, details),
        Kind::Workflows => Reply::new(404, WORKFLOW_DOES_NOT_EXIST, details),
        _ => Reply::not_found(details),
    }
}

fn get(kind: Kind, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let id = id_from_path(kind, ctx)?;
    if kind == Kind::Models {
        let (_, model) = find_model(ctx, &id).ok_or_else(|| missing(kind, &id))?;
        return Ok(Reply::ok().with("model", model));
    }
    let app = ctx.app()?;
    let mut data = app.data();
    let item = kind.collection(&mut data).get(&id).cloned().ok_or_else(|| missing(kind, &id))?;
    if let (Kind::Annotations, Some(input_id)) = (kind, ctx.route.param("input_id")) {
        if item.get("input_id").and_then(Value::as_str) != Some(input_id) {
            return Err(missing(kind, &id));
        }
    }
    Ok(Reply::ok().with(kind.singular(), item))
}

fn patch(kind: Kind, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let items = body_objects(ctx.body, kind.plural())?;
    let action = match ctx.body.get("action").and_then(Value::as_str).filter(|a| !a.is_empty()).unwrap_or("merge") {
        a @ ("merge" | "overwrite" | "remove") => a,
        other => {
            return Err(Reply::bad_request(format!("action {other:?} is unknown; use merge, overwrite or remove")))
        }
    };
    let now = now_rfc3339();
    let mut data = app.data();
    let mut ids = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.get("id").and_then(Value::as_str) {
            Some(id) if kind.collection(&mut data).contains(id) => ids.push(id.to_string()),
            Some(id) => return Err(missing(kind, id)),
            None => return Err(Reply::bad_request(format!("{}[{i}].id is required", kind.plural()))),
        }
    }
    // Patch copies first, so a refused item leaves every stored one as it was.
    let mut updated = Vec::with_capacity(items.len());
    for (i, (item, id)) in items.into_iter().zip(ids).enumerate() {
        let Some(Value::Object(mut stored)) = kind.collection(&mut data).get(&id).cloned() else { continue };
        let mut given = item.clone();
        for k in patch::SERVER_FIELDS {
            given.remove(k);
        }
        match action {
            "overwrite" => patch::overwrite(&mut stored, &given, kind == Kind::Inputs, kind == Kind::Models),
            "remove" => patch::remove(&mut stored, &given),
            _ => patch::merge(&mut stored, &given),
        }
        if kind == Kind::Concepts {
            let value = concepts::value_of(stored.get("value"), &format!("concepts[{i}]"))?;
            stored.insert("value".into(), concepts::number(value));
        }
        concepts::normalize_item(&mut stored, &format!("{}[{i}]", kind.plural()), app, &mut data, &now)?;
        stored.insert("modified_at".into(), now.clone().into());
        updated.push((id, Value::Object(stored)));
    }
    let collection = kind.collection(&mut data);
    let mut answer = Vec::with_capacity(updated.len());
    for (id, item) in updated {
        if let Some(slot) = collection.get_mut(&id) {
            *slot = item.clone();
        }
        answer.push(item);
    }
    Ok(Reply::ok().with(kind.plural(), Value::Array(answer)))
}

fn delete_one(kind: Kind, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let id = id_from_path(kind, ctx)?;
    let mut data = app.data();
    if kind.collection(&mut data).remove(&id).is_none() {
        return Err(missing(kind, &id));
    }
    cascade(kind, &mut data, &[id]);
    Ok(Reply::ok())
}

/// What goes with a deleted object: an input's annotations, a model's versions.
fn cascade(kind: Kind, data: &mut AppData, ids: &[String]) {
    match kind {
        Kind::Inputs => {
            data.annotations.retain(|_, a| !ids.iter().any(|i| a.get("input_id").and_then(Value::as_str) == Some(i)))
        }
        Kind::Models => {
            for id in ids {
                data.versions.remove(id);
            }
        }
        _ => {}
    }
}

/// `ids` (and for annotations `input_ids`) in the body, or `delete_all: true`. Ids that do not
/// exist are skipped, as the API's asynchronous deletes do.
fn delete_many(kind: Kind, ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let mut ids = body_strings(ctx.body, "ids")?;
    ids.extend(ctx.query.all("ids"));
    let input_ids = if kind == Kind::Annotations { body_strings(ctx.body, "input_ids")? } else { Vec::new() };
    let delete_all = ctx.body.get("delete_all").and_then(Value::as_bool).unwrap_or(false);
    if ids.is_empty() && input_ids.is_empty() && !delete_all {
        return Err(Reply::bad_request(format!("give the {} to delete in ids (or delete_all: true)", kind.plural())));
    }
    let mut data = app.data();
    let collection = kind.collection(&mut data);
    let removed: Vec<String> = if delete_all {
        let all: Vec<String> =
            collection.iter_newest_first().filter_map(|v| v.get("id")?.as_str().map(str::to_string)).collect();
        collection.clear();
        all
    } else if !input_ids.is_empty() {
        let mut gone = Vec::new();
        collection.retain(|id, a| {
            let on_input = input_ids.iter().any(|i| a.get("input_id").and_then(Value::as_str) == Some(i));
            let drop = on_input && (ids.is_empty() || ids.contains(id));
            if drop {
                gone.push(id.clone());
            }
            !drop
        });
        gone
    } else {
        ids.into_iter().filter(|id| collection.remove(id).is_some()).collect()
    };
    cascade(kind, &mut data, &removed);
    Ok(Reply::ok())
}

pub(crate) fn input_count(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let n = ctx.app()?.data().inputs.len();
    Ok(Reply::ok().with("counts", serde_json::json!({"processed": n, "to_process": 0, "errors": 0, "processing": 0})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_operations() {
        assert_eq!(kind_op("PostInputs"), Some((Kind::Inputs, Op::Post)));
        assert_eq!(kind_op("DeleteInput"), Some((Kind::Inputs, Op::DeleteOne)));
        assert_eq!(kind_op("DeleteInputs"), Some((Kind::Inputs, Op::DeleteMany)));
        assert_eq!(kind_op("GetModel"), Some((Kind::Models, Op::Get)));
        assert_eq!(kind_op("ListAnnotations"), Some((Kind::Annotations, Op::List)));
        assert_eq!(kind_op("GetInputs"), None);
        assert_eq!(kind_op("PostInput"), None);
        assert_eq!(kind_op("GetInputCount"), None);
        assert_eq!(kind_op("PostModelOutputs"), None);
    }
}
