//! PostWorkflowResults: each input goes through the workflow's model nodes, giving one
//! `results[]` entry per input with one `outputs[]` entry per node, each as PostModelOutputs
//! would answer for that node's model.

use std::sync::Arc;

use serde_json::{json, Value};

use super::predict::{find_model, model_not_found, version_of, Predictor};
use super::resources::{missing, Kind};
use super::{body_objects, Ctx};
use crate::data::has_data;
use crate::reply::{item_status, Reply, INPUT_INVALID_ARGUMENT, SUCCESS};
use crate::seed::{PUBLIC_APP_ID, PUBLIC_USER_ID};
use crate::store::App;
use crate::time::now_rfc3339;
use crate::token::random_token;

/// A workflow by id: in the request's app, or for a bare path in the key's app and then in
/// the public `clarifai/main`, as models are found.
fn find_workflow(ctx: &Ctx<'_>, id: &str) -> Option<(Arc<App>, Value)> {
    let app = ctx.app().ok()?;
    if let Some(w) = app.data().workflows.get(id) {
        return Some((Arc::clone(app), w.clone()));
    }
    if ctx.route.param("user_app_id.app_id").is_some() {
        return None;
    }
    let main = ctx.store.app(PUBLIC_USER_ID, PUBLIC_APP_ID)?;
    let w = main.data().workflows.get(id).cloned()?;
    Some((main, w))
}

pub(crate) fn post_workflow_results(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let workflow_id = ctx.field("workflow_id").ok_or_else(|| Reply::bad_request("workflow_id is required"))?;
    let (_, workflow) = find_workflow(ctx, &workflow_id).ok_or_else(|| missing(Kind::Workflows, &workflow_id))?;
    let inputs = body_objects(ctx.body, "inputs")?;
    let request_config = ctx.body.get("output_config");
    let nodes = workflow.get("nodes").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut predictors = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let Some(model_id) = node.pointer("/model/id").and_then(Value::as_str) else {
            return Err(Reply::bad_request(format!("workflow {workflow_id:?}: nodes[{i}] has no model.id")));
        };
        // Node models resolve as a bare-path predict would: the app, then clarifai/main.
        let (app, model) = find_model(ctx, model_id)
            .or_else(|| {
                let main = ctx.store.app(PUBLIC_USER_ID, PUBLIC_APP_ID)?;
                let m = main.data().models.get(model_id).cloned()?;
                Some((main, m))
            })
            .ok_or_else(|| model_not_found(model_id))?;
        let wanted = node.pointer("/model/model_version/id").and_then(Value::as_str).filter(|v| !v.is_empty());
        let version = version_of(&app, model_id, &model, wanted)?;
        let config = node.pointer("/output_info_override/output_config").or(request_config);
        let suppress = node.get("suppress_output").and_then(Value::as_bool).unwrap_or(false);
        predictors.push((Predictor::new(app, model_id, &model, &version, config)?, suppress));
    }
    let now = now_rfc3339();
    let mut failed = 0;
    let results: Vec<Value> = inputs
        .iter()
        .map(|input| {
            let input_ref = json!({
                "id": input.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string).unwrap_or_else(random_token),
                "data": input.get("data").cloned().unwrap_or_else(|| json!({})),
            });
            if !has_data(input) {
                failed += 1;
                return json!({
                    "id": random_token(),
                    "status": item_status(INPUT_INVALID_ARGUMENT, "the input has no data to run the workflow on"),
                    "created_at": now,
                    "input": input_ref,
                    "outputs": [],
                });
            }
            let outputs: Vec<Value> =
                predictors.iter().filter(|(_, suppress)| !suppress).map(|(p, _)| p.output(input, &now).0).collect();
            json!({
                "id": random_token(),
                "status": item_status(SUCCESS, ""),
                "created_at": now,
                "input": input_ref,
                "outputs": outputs,
            })
        })
        .collect();
    Ok(Reply::batch(results.len(), failed).with("workflow", workflow).with("results", Value::Array(results)))
}
