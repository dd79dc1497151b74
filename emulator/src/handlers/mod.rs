//! What an authorized request does. Each RPC with behaviour has a function here; every other
//! RPC of the catalogue answers `{"status":{"code":10000,"description":"Ok"}}` once authorized.

pub(crate) mod apps;
pub(crate) mod concepts;
pub(crate) mod keys;
pub(crate) mod models;
pub(crate) mod patch;
pub(crate) mod predict;
pub(crate) mod resources;
pub(crate) mod scopes;
pub(crate) mod search;
pub(crate) mod workflows;

use std::sync::Arc;

use clarifai::catalog::RouteMatch;
use clarifai::Endpoint;
use serde_json::Value;

use crate::auth::{Access, Target};
use crate::query::Query;
use crate::reply::Reply;
use crate::store::{App, CredentialRecord, Store};

/// Everything a handler may look at.
pub(crate) struct Ctx<'a> {
    pub store: &'a Store,
    pub endpoint: &'static Endpoint,
    pub route: &'a RouteMatch<'static>,
    pub query: &'a Query,
    /// The JSON body; `Value::Null` for GET requests and empty bodies.
    pub body: &'a Value,
    pub caller: &'a CredentialRecord,
    pub target: &'a Target,
}

impl Ctx<'_> {
    /// The app of an app-scoped request (authorization made sure there is one).
    pub(crate) fn app(&self) -> Result<&Arc<App>, Reply> {
        self.target.app.as_ref().ok_or_else(|| Reply::key_invalid("Must provide app external ID in API authorizer"))
    }

    /// A path parameter, or the same field from the body or query.
    pub(crate) fn field(&self, name: &str) -> Option<String> {
        if let Some(v) = self.route.param(name) {
            return Some(v.to_string());
        }
        if let Some(Value::String(s)) = self.body.get(name) {
            if !s.is_empty() {
                return Some(s.clone());
            }
        }
        self.query.get(name).map(str::to_string)
    }

    /// Apps whose resources a user-level listing shows: the app of an app-scoped request, else
    /// the target user's apps the caller may see.
    pub(crate) fn visible_apps(&self) -> Vec<Arc<App>> {
        if let Some(app) = &self.target.app {
            return vec![Arc::clone(app)];
        }
        let apps = self.store.apps_of(&self.target.user_id);
        match self.target.access {
            Access::OtherUser => {
                apps.into_iter().filter(|a| a.public || a.is_collaborator(&self.caller.user_id)).collect()
            }
            _ => apps,
        }
    }
}

/// Run the RPC's behaviour.
pub(crate) fn dispatch(ctx: &Ctx<'_>) -> Reply {
    let result = match ctx.endpoint.name.as_str() {
        "MyScopes" | "MyScopesUser" | "MyScopesRoot" => Ok(scopes::my_scopes(ctx)),
        "PostKeys" => keys::post(ctx),
        "ListKeys" => keys::list(ctx),
        "GetKey" => keys::get(ctx),
        "DeleteKey" => keys::delete(ctx),
        "PatchKeys" => keys::patch(ctx),
        "PostApps" => apps::post(ctx),
        "ListApps" => apps::list(ctx),
        "GetApp" => apps::get(ctx),
        "ListAppKeys" => keys::list_app_keys(ctx),
        "PostModelOutputs" => predict::post_model_outputs(ctx),
        "PostSearches" => search::post_searches(ctx),
        "PostInputsSearches" => search::post_inputs_searches(ctx, false),
        "PostAnnotationsSearches" => search::post_inputs_searches(ctx, true),
        "PostConceptsSearches" => search::post_concepts_searches(ctx),
        "PostModelsSearches" => search::post_models_searches(ctx),
        "PostWorkflowResults" => workflows::post_workflow_results(ctx),
        "GetInputCount" => resources::input_count(ctx),
        "GetModelOutputInfo" => models::get_output_info(ctx),
        "PostModelVersions" => models::post_model_versions(ctx),
        "ListModelVersions" => models::list_model_versions(ctx),
        "GetModelVersion" => models::get_model_version(ctx),
        "DeleteModelVersion" => models::delete_model_version(ctx),
        name => match resources::kind_op(name) {
            Some((kind, op)) => resources::handle(kind, op, ctx),
            None => Ok(Reply::ok()),
        },
    };
    result.unwrap_or_else(|e| e)
}

/// `body[name]` as an array of objects; a clear 400 otherwise.
pub(crate) fn body_objects<'b>(body: &'b Value, name: &str) -> Result<Vec<&'b serde_json::Map<String, Value>>, Reply> {
    let items = match body.get(name) {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) | None | Some(Value::Null) => {
            return Err(Reply::bad_request(format!("the request has no {name}; send {{\"{name}\": [{{…}}]}}")))
        }
        Some(_) => return Err(Reply::bad_request(format!("{name} must be an array of objects"))),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| v.as_object().ok_or_else(|| Reply::bad_request(format!("{name}[{i}] must be an object"))))
        .collect()
}

/// `body[name]` as an array of strings (absent: empty).
pub(crate) fn body_strings(body: &Value, name: &str) -> Result<Vec<String>, Reply> {
    strings_of(body.get(name), name)
}

/// A JSON array of strings (absent or null: empty); `what` names it in the 400.
pub(crate) fn strings_of(value: Option<&Value>, what: &str) -> Result<Vec<String>, Reply> {
    let bad = || Reply::bad_request(format!("{what} must be an array of strings"));
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|v| v.as_str().map(str::to_string).ok_or_else(bad)).collect(),
        Some(_) => Err(bad()),
    }
}

/// A string member of an object ("" when absent); a 400 when it is not a string.
pub(crate) fn str_field<'v>(
    obj: &'v serde_json::Map<String, Value>,
    name: &str,
    context: &str,
) -> Result<&'v str, Reply> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Reply::bad_request(format!("{context}.{name} must be a string"))),
    }
}
