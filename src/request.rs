//! Turning (endpoint, parameters) into a method, path, query and body, as the API's HTTP
//! bindings say.
//!
//! Binding choice follows the official JSON channel: every binding whose path fields can all be
//! filled from the parameters is a candidate, and the one filling the most fields wins (ties: the
//! catalogue's order). A PAT's default `user_app_id` counts as given, so a PAT gets the
//! `/v2/users/{user_id}/apps/{app_id}/...` form; an app key gets the bare form unless the
//! parameters name a `user_app_id` themselves.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::catalog::route::percent_encode_segment;
use crate::catalog::{Binding, Endpoint, Method, Segment};
use crate::credential::UserAppId;
use crate::error::Error;

/// A request ready for the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub method: Method,
    /// Path and query string, e.g. `/v2/inputs?per_page=1`.
    pub path_and_query: String,
    /// JSON body, when the binding takes one.
    pub body: Option<Vec<u8>>,
}

/// Plan a call of `endpoint` with `params` (a JSON object; `null` counts as `{}`).
pub fn plan(endpoint: &Endpoint, params: &Value, default_uai: Option<&UserAppId>) -> Result<Planned, Error> {
    let empty = Map::new();
    let obj = match params {
        Value::Object(m) => m,
        Value::Null => &empty,
        other => {
            return Err(Error::InvalidArgument(format!(
                "parameters for {} must be a JSON object, not {}",
                endpoint.name,
                json_type(other)
            )))
        }
    };
    let explicit_uai = obj.get("user_app_id").and_then(Value::as_object);

    let mut best: Option<(&Binding, String, usize)> = None;
    for b in &endpoint.bindings {
        if let Some((path, count)) = fill(b, obj, explicit_uai, default_uai) {
            if best.as_ref().is_none_or(|(_, _, c)| count > *c) {
                best = Some((b, path, count));
            }
        }
    }
    let Some((binding, mut path, _)) = best else {
        return Err(Error::InvalidArgument(missing_fields_message(endpoint, obj, default_uai)));
    };

    // Fields used in the path are not repeated in the body or query. Most calls fill no field
    // from the parameters (an app key's bare paths): those need no copy of them.
    let mut uai_in_path = false;
    let mut rest = Cow::Borrowed(obj);
    for f in binding.fields() {
        if f.starts_with("user_app_id.") {
            uai_in_path = true;
        } else if obj.contains_key(f.split('.').next().unwrap_or(f)) {
            remove_path(rest.to_mut(), f);
        }
    }
    if uai_in_path && obj.contains_key("user_app_id") {
        rest.to_mut().remove("user_app_id");
    }

    if binding.body {
        let body = serde_json::to_vec(&*rest).map_err(|e| Error::InvalidArgument(e.to_string()))?;
        Ok(Planned { method: binding.method, path_and_query: path, body: Some(body) })
    } else {
        let mut query = String::new();
        let mut key = String::new();
        for (k, v) in rest.iter() {
            key.clear();
            key.push_str(k);
            encode_query(&mut key, v, &mut query);
        }
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query);
        }
        Ok(Planned { method: binding.method, path_and_query: path, body: None })
    }
}

/// Fill every field of a binding: the path and how many fields it took, or `None` if one has
/// no value.
fn fill(
    b: &Binding,
    obj: &Map<String, Value>,
    explicit_uai: Option<&Map<String, Value>>,
    default_uai: Option<&UserAppId>,
) -> Option<(String, usize)> {
    let mut path = String::with_capacity(64);
    let mut count = 0;
    for s in &b.segments {
        path.push('/');
        match s {
            Segment::Literal(l) => path.push_str(l),
            Segment::Field(f) => {
                let value: Cow<'_, str> = match *f {
                    "user_app_id.user_id" => explicit_uai
                        .and_then(|u| u.get("user_id"))
                        .and_then(scalar)
                        .or_else(|| default_uai.map(|u| Cow::Borrowed(u.user_id.as_str())))
                        // `me` is the caller's own user, when only the app is named.
                        .or_else(|| explicit_uai.filter(|u| u.contains_key("app_id")).map(|_| Cow::Borrowed("me"))),
                    "user_app_id.app_id" => explicit_uai
                        .and_then(|u| u.get("app_id"))
                        .and_then(scalar)
                        .or_else(|| default_uai.map(|u| Cow::Borrowed(u.app_id.as_str()))),
                    other => lookup(obj, other).and_then(scalar),
                }?;
                if value.is_empty() {
                    return None;
                }
                if value == "." || value == ".." {
                    // A dot-segment would be resolved away by the server: escape it.
                    path.push_str(&value.replace('.', "%2E"));
                } else {
                    percent_encode_segment(&value, &mut path);
                }
                count += 1;
            }
        }
    }
    Some((path, count))
}

/// `a.b.c` in nested objects; for a dotted field also the last part at top level (as the
/// official client reads `model_id` for `{model_id}`).
fn lookup<'v>(obj: &'v Map<String, Value>, field: &str) -> Option<&'v Value> {
    let mut cur = obj;
    let mut parts = field.split('.').peekable();
    while let Some(p) = parts.next() {
        let v = cur.get(p)?;
        if parts.peek().is_none() {
            return Some(v);
        }
        cur = v.as_object()?;
    }
    None
}

fn remove_path(obj: &mut Map<String, Value>, field: &str) {
    match field.split_once('.') {
        None => {
            obj.remove(field);
        }
        Some((head, tail)) => {
            if let Some(Value::Object(inner)) = obj.get_mut(head) {
                remove_path(inner, tail);
                if inner.is_empty() {
                    obj.remove(head);
                }
            }
        }
    }
}

fn scalar(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Nested objects become dotted keys and arrays repeat the key, as the gateway reads them.
/// `key` is the dotted key so far; it is extended in place and restored before returning.
fn encode_query(key: &mut String, v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let len = key.len();
            for (k, v) in m {
                key.push('.');
                key.push_str(k);
                encode_query(key, v, out);
                key.truncate(len);
            }
        }
        Value::Array(items) => {
            for item in items {
                encode_query(key, item, out);
            }
        }
        Value::Null => {}
        other => {
            if !out.is_empty() {
                out.push('&');
            }
            percent_encode_segment(key, out);
            out.push('=');
            match other {
                Value::String(s) => percent_encode_segment(s, out),
                v => percent_encode_segment(&v.to_string(), out),
            }
        }
    }
}

fn missing_fields_message(endpoint: &Endpoint, obj: &Map<String, Value>, default_uai: Option<&UserAppId>) -> String {
    // Name the fields of the binding closest to being fillable.
    let mut best: Option<Vec<&str>> = None;
    for b in &endpoint.bindings {
        let missing: Vec<&str> = b
            .fields()
            .filter(|f| match *f {
                "user_app_id.user_id" | "user_app_id.app_id" => {
                    default_uai.is_none()
                        && lookup(obj, f).and_then(scalar).is_none()
                        && !(*f == "user_app_id.user_id" && lookup(obj, "user_app_id.app_id").is_some())
                }
                other => lookup(obj, other).and_then(scalar).is_none_or(|s| s.is_empty()),
            })
            .collect();
        if best.as_ref().is_none_or(|m| missing.len() < m.len()) {
            best = Some(missing);
        }
    }
    let fields = best.unwrap_or_default();
    let needs_app = fields.iter().any(|f| f.starts_with("user_app_id."));
    let mut msg = format!("{} needs {}", endpoint.name, fields.join(", "));
    if needs_app {
        msg.push_str(" (give user_app_id in the parameters, or use a PAT client with a user id and app id)");
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;
    use serde_json::json;

    fn ep(n: &str) -> &'static Endpoint {
        catalog().endpoint(n).unwrap()
    }

    #[test]
    fn app_key_gets_the_bare_path_and_pat_the_prefixed_one() {
        let p = plan(ep("PostModelOutputs"), &json!({"model_id": "m1", "inputs": []}), None).unwrap();
        assert_eq!(p.method, Method::Post);
        assert_eq!(p.path_and_query, "/v2/models/m1/outputs");
        assert_eq!(p.body.as_deref(), Some(&b"{\"inputs\":[]}"[..]));

        let uai = UserAppId::new("me", "app1").unwrap();
        let p = plan(ep("PostModelOutputs"), &json!({"model_id": "m1", "version_id": "v2"}), Some(&uai)).unwrap();
        assert_eq!(p.path_and_query, "/v2/users/me/apps/app1/models/m1/versions/v2/outputs");
    }

    #[test]
    fn explicit_user_app_id_wins_and_leaves_the_body() {
        let uai = UserAppId::new("alice", "a").unwrap();
        let p = plan(
            ep("ListInputs"),
            &json!({"user_app_id": {"user_id": "bob", "app_id": "b"}, "per_page": 2}),
            Some(&uai),
        )
        .unwrap();
        assert_eq!(p.path_and_query, "/v2/users/bob/apps/b/inputs?per_page=2");
        assert!(p.body.is_none());
    }

    #[test]
    fn query_strings_nest_and_escape() {
        let p =
            plan(ep("ListInputs"), &json!({"page": 1, "status": {"code": 30000}, "ids": ["a b", "c"]}), None).unwrap();
        assert_eq!(p.path_and_query, "/v2/inputs?ids=a%20b&ids=c&page=1&status.code=30000");
    }

    #[test]
    fn path_values_are_escaped() {
        let p = plan(ep("GetInput"), &json!({"input_id": "a/b?c"}), None).unwrap();
        assert_eq!(p.path_and_query, "/v2/inputs/a%2Fb%3Fc");
    }

    #[test]
    fn dot_segments_are_escaped() {
        let p = plan(ep("GetInput"), &json!({"input_id": ".."}), None).unwrap();
        assert_eq!(p.path_and_query, "/v2/inputs/%2E%2E");
        assert!(UserAppId::new("..", "a").is_err());
        assert!(UserAppId::new("u", ".").is_err());
    }

    #[test]
    fn a_missing_field_is_named() {
        let e = plan(ep("GetInput"), &json!({}), None).unwrap_err().to_string();
        assert!(e.contains("GetInput needs input_id"), "{e}");
        let e = plan(ep("ListKeys"), &json!({}), None).unwrap_err().to_string();
        assert!(e.contains("user_app_id.user_id"), "{e}");
        let e = plan(ep("GetInput"), &json!([1]), None).unwrap_err().to_string();
        assert!(e.contains("must be a JSON object"), "{e}");
    }
}
