//! Concepts as the API keeps them. Wherever a client sends concepts (an input's or an
//! annotation's `data.concepts`, a model's `output_info.data.concepts`, a region's concepts),
//! the API stores them normalised: `value` is a float (`true` → 1, `false` → 0, and absent → 1,
//! the `cl_default_float` of `Concept.value`), `name` defaults to the app's name for the id
//! (else the id), `app_id` is the app's. A concept an app has not seen yet is created in it, so
//! ListConcepts and concept searches find it.

use serde_json::{json, Map, Value};

use crate::data::AppData;
use crate::reply::Reply;
use crate::store::App;

/// A float as the API's JSON prints it: whole values without a fraction (`1`, not `1.0`).
pub(crate) fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// A concept value as stored: booleans become 1 / 0, absent is 1.
pub(crate) fn value_of(v: Option<&Value>, at: &str) -> Result<f64, Reply> {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(true)) => Ok(1.0),
        Some(Value::Bool(false)) => Ok(0.0),
        Some(Value::Number(n)) => n.as_f64().ok_or_else(|| Reply::bad_request(format!("{at}.value is not a number"))),
        Some(_) => Err(Reply::bad_request(format!("{at}.value must be a number or true/false"))),
    }
}

/// A concept resource of an app, as PostConcepts stores it and ListConcepts returns it.
pub(crate) fn resource(id: &str, name: &str, app: &App, now: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "value": 1,
        "created_at": now,
        "language": "en",
        "app_id": app.id,
        "user_id": app.user_id,
    })
}

/// Normalise one list of concepts in place and create the app's missing concepts.
fn normalize_list(list: &mut [Value], at: &str, app: &App, data: &mut AppData, now: &str) -> Result<(), Reply> {
    for (i, concept) in list.iter_mut().enumerate() {
        let at = format!("{at}[{i}]");
        let Value::Object(c) = concept else {
            return Err(Reply::bad_request(format!("{at} must be an object")));
        };
        let value = value_of(c.get("value"), &at)?;
        c.insert("value".into(), number(value));
        let id = c.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        let name = c.get("name").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        // A concept named but not identified is the app's concept of that name, if there is one.
        let id = match (id, &name) {
            (Some(id), _) => id,
            (None, Some(n)) => match find_by_name(data, n) {
                Some(id) => id,
                None => {
                    return Err(Reply::bad_request(format!("{at} needs an id (no concept of the app is named {n:?})")))
                }
            },
            (None, None) => return Err(Reply::bad_request(format!("{at} needs an id"))),
        };
        let known = data.concepts.get(&id).and_then(|k| k.get("name")).and_then(Value::as_str).map(str::to_string);
        let name = name.or(known).unwrap_or_else(|| id.clone());
        c.insert("id".into(), id.clone().into());
        c.insert("name".into(), name.clone().into());
        c.insert("app_id".into(), app.id.clone().into());
        if !data.concepts.contains(&id) {
            data.concepts.insert(id.clone(), resource(&id, &name, app, now));
        }
    }
    Ok(())
}

fn find_by_name(data: &AppData, name: &str) -> Option<String> {
    data.concepts
        .iter_newest_first()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|c| c.get("id").and_then(Value::as_str))
        .map(str::to_string)
}

fn normalize_data(
    data_obj: Option<&mut Value>,
    at: &str,
    app: &App,
    data: &mut AppData,
    now: &str,
) -> Result<(), Reply> {
    let Some(Value::Object(d)) = data_obj else {
        return Ok(());
    };
    if let Some(Value::Array(list)) = d.get_mut("concepts") {
        normalize_list(list, &format!("{at}.concepts"), app, data, now)?;
    }
    if let Some(Value::Array(regions)) = d.get_mut("regions") {
        for (i, region) in regions.iter_mut().enumerate() {
            normalize_data(region.get_mut("data"), &format!("{at}.regions[{i}].data"), app, data, now)?;
        }
    }
    Ok(())
}

/// Normalise the concepts an input, annotation or model carries (`at` names it in errors).
pub(crate) fn normalize_item(
    item: &mut Map<String, Value>,
    at: &str,
    app: &App,
    data: &mut AppData,
    now: &str,
) -> Result<(), Reply> {
    normalize_data(item.get_mut("data"), &format!("{at}.data"), app, data, now)?;
    if let Some(Value::Object(info)) = item.get_mut("output_info") {
        normalize_data(info.get_mut("data"), &format!("{at}.output_info.data"), app, data, now)?;
    }
    Ok(())
}

/// `*` matches any run of characters; otherwise the whole name must match, ignoring case.
pub(crate) fn wildcard_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let name: Vec<char> = name.to_lowercase().chars().collect();
    // Classic two-pointer glob match with backtracking to the last `*`.
    let (mut p, mut n, mut star, mut mark) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && pattern[p] != '*' && pattern[p] == name[n] {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            n = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_floats_with_the_api_default() {
        assert_eq!(value_of(Some(&json!(true)), "c").unwrap(), 1.0);
        assert_eq!(value_of(Some(&json!(false)), "c").unwrap(), 0.0);
        assert_eq!(value_of(None, "c").unwrap(), 1.0);
        assert_eq!(value_of(Some(&json!(0.25)), "c").unwrap(), 0.25);
        assert!(value_of(Some(&json!("yes")), "c").is_err());
        assert_eq!(number(1.0).to_string(), "1");
        assert_eq!(number(0.0).to_string(), "0");
        assert_eq!(number(0.5).to_string(), "0.5");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("bo*", "boat"));
        assert!(wildcard_match("BO*", "bow"));
        assert!(!wildcard_match("bo*", "elbow"));
        assert!(wildcard_match("*bo*", "elbow"));
        assert!(wildcard_match("d*g", "dog"));
        assert!(!wildcard_match("d*g", "dogs"));
        assert!(wildcard_match("dog", "Dog"));
        assert!(!wildcard_match("dog", "dogs"));
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
    }
}
