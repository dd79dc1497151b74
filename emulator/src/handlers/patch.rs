//! The three PATCH actions as the API's patching guide defines them, applied to the stored JSON.
//!
//! - `merge`: a value overwrites; objects merge key by key; a list of objects with ids merges
//!   item by item by `id` (new ids are appended); other lists are appended to; `null` changes
//!   nothing; `[]` (and `{}` inside a Struct such as `metadata`) replaces.
//! - `remove`: `true` deletes the key; objects recurse; a list of objects with ids deletes the
//!   stored items with those ids; other values overwrite; `null` and `{}` change nothing.
//! - `overwrite`: each top-level field sent replaces the stored one (see [`overwrite`]).

use serde_json::{Map, Value};

/// Fields a patch never changes: identity and history are the server's.
pub(crate) const SERVER_FIELDS: [&str; 5] = ["id", "created_at", "modified_at", "user_id", "app_id"];

/// A media field of an input's data: what the input *is*, which no patch replaces.
const MEDIA: [&str; 4] = ["image", "video", "audio", "text"];

fn id_of(v: &Value) -> Option<&Value> {
    v.as_object()?.get("id").filter(|id| !id.is_null())
}

pub(crate) fn merge(into: &mut Map<String, Value>, patch: &Map<String, Value>) {
    merge_in(into, patch, false);
}

/// `in_struct`: inside a `google.protobuf.Struct` (`metadata`), where `{}` is a value; in proto
/// messages an empty object (such as the `output_info: {}` the JS client always sends) is just
/// a message with nothing set.
fn merge_in(into: &mut Map<String, Value>, patch: &Map<String, Value>, in_struct: bool) {
    for (k, new) in patch {
        let in_struct = in_struct || k == "metadata";
        match new {
            Value::Null => {}
            Value::Object(o) if o.is_empty() => {
                if in_struct {
                    into.insert(k.clone(), Value::Object(Map::new()));
                }
            }
            Value::Object(o) => match into.get_mut(k) {
                Some(Value::Object(old)) => merge_in(old, o, in_struct),
                _ => {
                    into.insert(k.clone(), new.clone());
                }
            },
            Value::Array(items) if !items.is_empty() => match into.get_mut(k) {
                Some(Value::Array(old)) => merge_list(old, items, in_struct),
                _ => {
                    into.insert(k.clone(), new.clone());
                }
            },
            _ => {
                into.insert(k.clone(), new.clone());
            }
        }
    }
}

fn merge_list(old: &mut Vec<Value>, items: &[Value], in_struct: bool) {
    for item in items {
        let found = id_of(item).and_then(|id| old.iter().position(|o| id_of(o) == Some(id)));
        match (found, item) {
            (Some(i), Value::Object(patch)) => match &mut old[i] {
                Value::Object(existing) => merge_in(existing, patch, in_struct),
                other => *other = item.clone(),
            },
            _ => old.push(item.clone()),
        }
    }
}

pub(crate) fn remove(from: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, what) in patch {
        match what {
            Value::Null => {}
            Value::Bool(true) => {
                from.remove(k);
            }
            Value::Object(o) => {
                if let (false, Some(Value::Object(old))) = (o.is_empty(), from.get_mut(k)) {
                    remove(old, o);
                }
            }
            Value::Array(items) => {
                if let Some(Value::Array(old)) = from.get_mut(k) {
                    let ids: Vec<&Value> = items.iter().filter_map(id_of).collect();
                    if ids.len() == items.len() {
                        old.retain(|o| id_of(o).is_none_or(|id| !ids.contains(&id)));
                    } else {
                        // The guide: "for non-id lists, remove will append".
                        old.extend(items.iter().cloned());
                    }
                }
            }
            _ => {
                from.insert(k.clone(), what.clone());
            }
        }
    }
}

/// Each top-level field sent replaces the stored one, with two exceptions the patching guide
/// shows: an input keeps its media (`data.image`, …) unless the patch sends media, and a
/// model's `output_info.output_config` is merged rather than replaced.
pub(crate) fn overwrite(stored: &mut Map<String, Value>, patch: &Map<String, Value>, is_input: bool, is_model: bool) {
    for (k, new) in patch {
        if new.is_null() {
            continue;
        }
        match (k.as_str(), new) {
            ("data", Value::Object(d)) if is_input => {
                let mut data = Map::new();
                if let Some(Value::Object(old)) = stored.get("data") {
                    for m in MEDIA {
                        if let Some(v) = old.get(m) {
                            data.insert(m.to_string(), v.clone());
                        }
                    }
                }
                data.extend(d.iter().map(|(k, v)| (k.clone(), v.clone())));
                stored.insert("data".into(), Value::Object(data));
            }
            ("output_info", Value::Object(info)) if is_model => {
                let old_config = stored.get("output_info").and_then(|i| i.get("output_config")).cloned();
                let mut info = info.clone();
                if let Some(Value::Object(mut config)) = old_config {
                    if let Some(Value::Object(given)) = info.get("output_config") {
                        merge(&mut config, given);
                    }
                    info.insert("output_config".into(), Value::Object(config));
                }
                stored.insert("output_info".into(), Value::Object(info));
            }
            _ => {
                stored.insert(k.clone(), new.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn merged(a: Value, b: Value) -> Value {
        let mut b = obj(b);
        merge(&mut b, &obj(a));
        Value::Object(b)
    }

    fn removed(a: Value, b: Value) -> Value {
        let mut b = obj(b);
        remove(&mut b, &obj(a));
        Value::Object(b)
    }

    // The patching guide's examples: A is patched into B.
    #[test]
    fn merge_as_the_guide_shows() {
        assert_eq!(merged(json!({"a": [1, 2, 3]}), json!({"blah": true})), json!({"blah": true, "a": [1, 2, 3]}));
        assert_eq!(merged(json!({"a": [{"id": 1}]}), json!({"a": [{"id": 2}]})), json!({"a": [{"id": 2}, {"id": 1}]}));
        assert_eq!(
            merged(
                json!({"a": [{"id": "1", "hey": true}], "blah": 1}),
                json!({"a": [{"id": "1", "foo": "bar", "hey": false}, {"id": "2"}], "blah": "string"})
            ),
            json!({"a": [{"hey": true, "id": "1", "foo": "bar"}, {"id": "2"}], "blah": 1})
        );
        assert_eq!(
            merged(json!({"a": [{"blah": "1"}]}), json!({"a": [{"blah": "2"}]})),
            json!({"a": [{"blah": "2"}, {"blah": "1"}]})
        );
        assert_eq!(merged(json!({"key1": true}), json!({"key1": {"key2": "value2"}})), json!({"key1": true}));
        assert_eq!(
            merged(
                json!({"key1": {"key2": {"key4": "value4"}}}),
                json!({"key1": {"key2": "value2", "key3": "value3"}})
            ),
            json!({"key1": {"key2": {"key4": "value4"}, "key3": "value3"}})
        );
        assert_eq!(
            merged(json!({"key1": {"key2": null}}), json!({"key1": {"key2": "value2", "key3": "value3"}})),
            json!({"key1": {"key2": "value2", "key3": "value3"}})
        );
        assert_eq!(merged(json!({"key1": []}), json!({"key1": {"key2": "value2"}})), json!({"key1": []}));
        // `{}` replaces inside a Struct, and is nothing in a message.
        assert_eq!(
            merged(json!({"metadata": {"k": {}}}), json!({"metadata": {"k": {"a": 1}}})),
            json!({"metadata": {"k": {}}})
        );
        assert_eq!(
            merged(json!({"output_info": {}}), json!({"output_info": {"data": 1}})),
            json!({"output_info": {"data": 1}})
        );
    }

    #[test]
    fn remove_as_the_guide_shows() {
        assert_eq!(
            removed(
                json!({"a": [{"id": "1"}], "blah": 1}),
                json!({"a": [{"id": "2"}, {"id": "3"}, {"id": "1"}], "blah": "string"})
            ),
            json!({"a": [{"id": "2"}, {"id": "3"}], "blah": 1})
        );
        assert_eq!(removed(json!({"key1": {"key2": true}}), json!({"key1": {"key2": "value2"}})), json!({"key1": {}}));
        assert_eq!(
            removed(json!({"key1": true}), json!({"key1": {"key2": "v"}, "key4": ["a"]})),
            json!({"key4": ["a"]})
        );
        assert_eq!(
            removed(
                json!({"key1": {"key2": {"key3": true}, "key4": true}}),
                json!({"key1": {"key2": {"key3": {"key5": "v"}}, "key4": {"k": 1}}})
            ),
            json!({"key1": {"key2": {}}})
        );
        assert_eq!(
            removed(
                json!({"key1": {"key2": false, "key3": true}, "key4": false}),
                json!({"key1": {"key2": "v2", "key3": "v3"}, "key4": [1]})
            ),
            json!({"key1": {"key2": false}, "key4": false})
        );
        assert_eq!(removed(json!({"key1": {}}), json!({"key1": {"key2": "v"}})), json!({"key1": {"key2": "v"}}));
        assert_eq!(
            removed(json!({"key1": {"key2": null}}), json!({"key1": {"key2": "v"}})),
            json!({"key1": {"key2": "v"}})
        );
    }

    #[test]
    fn overwrite_keeps_an_inputs_media_and_merges_a_models_output_config() {
        let mut input =
            obj(json!({"id": "i", "data": {"image": {"url": "u"}, "concepts": [{"id": "car"}], "geo": {"g": 1}}}));
        overwrite(
            &mut input,
            &obj(json!({"data": {"concepts": [{"id": "ferrari"}], "metadata": {"foo": "bar"}}})),
            true,
            false,
        );
        assert_eq!(
            Value::Object(input),
            json!({"id": "i", "data": {"image": {"url": "u"}, "concepts": [{"id": "ferrari"}], "metadata": {"foo": "bar"}}})
        );
        let mut model = obj(
            json!({"name": "m", "output_info": {"data": {"concepts": [{"id": "car"}]}, "output_config": {"a": false, "b": 10}}}),
        );
        overwrite(
            &mut model,
            &obj(
                json!({"name": "new", "output_info": {"data": {"concepts": [{"id": "dog"}]}, "output_config": {"a": true}}}),
            ),
            false,
            true,
        );
        assert_eq!(
            Value::Object(model),
            json!({"name": "new", "output_info": {"data": {"concepts": [{"id": "dog"}]}, "output_config": {"a": true, "b": 10}}})
        );
    }
}
