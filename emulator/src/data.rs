//! An app's resources: inputs, concepts, models (with their versions), workflows and
//! annotations, each kept as the JSON objects clients sent, keyed by id.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Objects of one kind, in creation order.
#[derive(Default)]
pub(crate) struct Collection {
    items: IndexMap<String, Value>,
}

impl Collection {
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.items.contains_key(id)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Value> {
        self.items.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Value> {
        self.items.get_mut(id)
    }

    /// `false` when the id is taken.
    pub(crate) fn insert(&mut self, id: String, item: Value) -> bool {
        if self.items.contains_key(&id) {
            return false;
        }
        self.items.insert(id, item);
        true
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<Value> {
        self.items.shift_remove(id)
    }

    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&String, &mut Value) -> bool) {
        self.items.retain(keep);
    }

    /// Newest first, as the API lists; `page` counts from 1.
    pub(crate) fn page(&self, page: usize, per_page: usize) -> Vec<Value> {
        self.iter_newest_first().skip(page.saturating_sub(1).saturating_mul(per_page)).take(per_page).cloned().collect()
    }

    pub(crate) fn iter_newest_first(&self) -> impl Iterator<Item = &Value> {
        self.items.values().rev()
    }
}

#[derive(Default)]
pub(crate) struct AppData {
    pub inputs: Collection,
    pub concepts: Collection,
    pub models: Collection,
    pub workflows: Collection,
    pub annotations: Collection,
    /// Model versions by model id.
    pub versions: HashMap<String, Collection>,
}

impl AppData {
    /// Store a model, and its `model_version` (when it has one) among its versions.
    pub(crate) fn insert_model(&mut self, id: &str, model: Value) -> bool {
        let version = model.get("model_version").cloned();
        if !self.models.insert(id.to_string(), model) {
            return false;
        }
        if let Some(v) = version {
            if let Some(vid) = v.get("id").and_then(Value::as_str) {
                self.versions.entry(id.to_string()).or_default().insert(vid.to_string(), v.clone());
            }
        }
        true
    }
}

/// Whether an input carries something to process.
pub(crate) fn has_data(input: &Map<String, Value>) -> bool {
    input.get("data").and_then(Value::as_object).is_some_and(|d| !d.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_newest_first() {
        let mut c = Collection::default();
        for i in 0..5 {
            assert!(c.insert(i.to_string(), Value::from(i)));
        }
        assert!(!c.insert("1".into(), Value::Null));
        assert_eq!(c.page(1, 2), vec![Value::from(4), Value::from(3)]);
        assert_eq!(c.page(3, 2), vec![Value::from(0)]);
        assert!(c.page(4, 2).is_empty());
        c.remove("4");
        assert_eq!(c.page(1, 1), vec![Value::from(3)]);
    }
}
