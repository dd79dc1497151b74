//! Searches: PostInputsSearches and PostAnnotationsSearches (`searches[0].query` with `filters`
//! and `ranks`), the legacy PostSearches (`query.ands`, or the newer forms), PostConceptsSearches
//! and PostModelsSearches (names with `*` wildcards).
//!
//! As in the docs, a **filter** by concept matches what people annotated (an input's
//! `data.concepts` and its annotations), a **rank** by concept matches what the general model
//! predicts for the input (its PostModelOutputs answer with the default settings, the value
//! being the score), and a rank by image (URL or base64), text or input id orders every input by
//! a deterministic similarity: 1 for the same content, else a value in [0.05, 0.95) from a hash
//! of the two contents. Filters by metadata match when the input's metadata contains the given
//! one; filters by input id or by media type (`data.image: {}`) select those inputs.

use std::sync::Arc;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::concepts::{number, value_of, wildcard_match};
use super::predict::{general_prediction, input_key};
use super::Ctx;
use crate::data::AppData;
use crate::query::MAX_PER_PAGE;
use crate::reply::{item_status, Reply, ANNOTATION_SUCCESS};
use crate::seed::{PUBLIC_APP_ID, PUBLIC_USER_ID};
use crate::store::App;
use crate::token::random_token;

const MEDIA: [&str; 4] = ["image", "video", "audio", "text"];

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// A concept people annotated, positive (value > 0) or negative (value 0).
    Annotated {
        id: String,
        name: String,
        positive: bool,
    },
    /// A concept the general model predicts; the score is its value.
    Predicted {
        id: String,
        name: String,
        positive: bool,
    },
    /// The input's metadata contains this.
    Metadata(Value),
    InputId(String),
    /// The input has this kind of media (and this URL, when one is given).
    Media {
        kind: String,
        url: Option<String>,
    },
    /// Ranked by similarity to content (an input key, as predictions hash it).
    Similar(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Clause {
    test: Test,
    negate: bool,
}

/// How a part of the query reads concepts and media: as a filter or as a rank.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Filter,
    Rank,
}

struct Parser<'a> {
    data: &'a AppData,
    clauses: Vec<Clause>,
}

impl Parser<'_> {
    fn push(&mut self, test: Test, negate: bool) {
        self.clauses.push(Clause { test, negate });
    }

    /// The content key of a stored input, for ranking by input id.
    fn key_of_input(&self, id: &str) -> Result<String, Reply> {
        match self.data.inputs.get(id).and_then(Value::as_object) {
            Some(input) => Ok(input_key(input)),
            None => Err(Reply::not_found(format!("input {id:?} does not exist (it was named in the search)"))),
        }
    }

    /// An annotation, input or output part of a query: `{input_id?, id?, data?}`.
    fn part(&mut self, part: &Value, role: Role, negate: bool, at: &str) -> Result<(), Reply> {
        let Some(obj) = part.as_object() else {
            return Ok(());
        };
        for id_field in ["input_id", "id"] {
            if let Some(id) = obj.get(id_field).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                match role {
                    Role::Filter => self.push(Test::InputId(id.to_string()), negate),
                    Role::Rank => {
                        let key = self.key_of_input(id)?;
                        self.push(Test::Similar(key), negate);
                    }
                }
            }
        }
        let Some(data) = obj.get("data").and_then(Value::as_object) else {
            return Ok(());
        };
        if data.contains_key("geo") {
            return Err(Reply::bad_request(format!("{at}.data.geo: the emulator does not implement geo search")));
        }
        if let Some(Value::Array(concepts)) = data.get("concepts") {
            for (i, c) in concepts.iter().enumerate() {
                let f = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                let (id, name) = (f("id"), f("name"));
                if id.is_empty() && name.is_empty() {
                    return Err(Reply::bad_request(format!("{at}.data.concepts[{i}] needs an id or a name")));
                }
                let positive = value_of(c.get("value"), &format!("{at}.data.concepts[{i}]"))? > 0.0;
                let test = match role {
                    Role::Filter => Test::Annotated { id, name, positive },
                    Role::Rank => Test::Predicted { id, name, positive },
                };
                self.push(test, negate);
            }
        }
        if let Some(Value::Object(m)) = data.get("metadata") {
            if !m.is_empty() {
                self.push(Test::Metadata(Value::Object(m.clone())), negate);
            }
        }
        // The JS client sends {output: {input: {id, data: {image: {}}}}} for "like this input".
        let by_input_id = obj.get("id").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
        for kind in MEDIA {
            let Some(media) = data.get(kind).and_then(Value::as_object) else {
                continue;
            };
            let content = ["url", "base64", "raw"]
                .iter()
                .find_map(|f| media.get(*f).and_then(Value::as_str).filter(|s| !s.is_empty()).map(|s| (*f, s)));
            match (role, content) {
                (Role::Rank, Some((field, s))) => self.push(Test::Similar(format!("{kind}.{field}:{s}")), negate),
                (Role::Rank, None) => {}
                (Role::Filter, _) if by_input_id => {}
                (Role::Filter, c) => {
                    let url = c.filter(|(f, _)| *f == "url").map(|(_, s)| s.to_string());
                    self.push(Test::Media { kind: kind.to_string(), url }, negate);
                }
            }
        }
        Ok(())
    }

    /// `{filters: [...], ranks: [...]}` and the legacy `{ands: [...]}`.
    fn query(&mut self, query: &Value) -> Result<(), Reply> {
        let list = |name: &str| query.get(name).and_then(Value::as_array).cloned().unwrap_or_default();
        for (i, f) in list("filters").iter().enumerate() {
            let negate = f.get("negate").and_then(Value::as_bool).unwrap_or(false);
            self.part(
                f.get("annotation").unwrap_or(&Value::Null),
                Role::Filter,
                negate,
                &format!("filters[{i}].annotation"),
            )?;
            self.part(f.get("input").unwrap_or(&Value::Null), Role::Filter, negate, &format!("filters[{i}].input"))?;
        }
        for (i, r) in list("ranks").iter().enumerate() {
            let negate = r.get("negate").and_then(Value::as_bool).unwrap_or(false);
            self.part(
                r.get("annotation").unwrap_or(&Value::Null),
                Role::Rank,
                negate,
                &format!("ranks[{i}].annotation"),
            )?;
        }
        for (i, a) in list("ands").iter().enumerate() {
            let negate = a.get("negate").and_then(Value::as_bool).unwrap_or(false);
            let at = format!("ands[{i}]");
            self.part(a.get("input").unwrap_or(&Value::Null), Role::Filter, negate, &format!("{at}.input"))?;
            self.part(a.get("annotation").unwrap_or(&Value::Null), Role::Filter, negate, &format!("{at}.annotation"))?;
            if let Some(output) = a.get("output") {
                // `output.data.concepts`: predicted concepts; `output.input`: visual similarity.
                self.part(
                    &json!({"data": {"concepts": output.pointer("/data/concepts").cloned().unwrap_or(json!([]))}}),
                    Role::Rank,
                    negate,
                    &format!("{at}.output"),
                )?;
                self.part(
                    output.get("input").unwrap_or(&Value::Null),
                    Role::Rank,
                    negate,
                    &format!("{at}.output.input"),
                )?;
            }
        }
        Ok(())
    }
}

/// Whether `have` contains `want`: objects key by key, lists element by element, else equal.
fn contains(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::Object(h), Value::Object(w)) => w.iter().all(|(k, v)| h.get(k).is_some_and(|hv| contains(hv, v))),
        (Value::Array(h), Value::Array(w)) => w.iter().all(|wv| h.iter().any(|hv| contains(hv, wv))),
        (h, w) => h == w,
    }
}

/// A similarity in [0, 1]: 1 for the same content, else from a hash of the pair (symmetric).
fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let mut h = Sha256::new();
    h.update(lo.as_bytes());
    h.update([0]);
    h.update(hi.as_bytes());
    let d = h.finalize();
    let u = f64::from(u16::from_be_bytes([d[0], d[1]])) / 65536.0;
    ((0.05 + 0.9 * u) * 10_000.0).round() / 10_000.0
}

/// What people annotated on an input: its own concepts and its annotations' concepts.
fn annotated<'v>(input: &'v Value, annotations: &[&'v Value]) -> Vec<&'v Value> {
    let mut out: Vec<&Value> =
        input.pointer("/data/concepts").and_then(Value::as_array).map(|c| c.iter().collect()).unwrap_or_default();
    for a in annotations {
        if let Some(cs) = a.pointer("/data/concepts").and_then(Value::as_array) {
            out.extend(cs.iter());
        }
    }
    out
}

fn concept_is(c: &Value, id: &str, name: &str) -> bool {
    let field = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
    if id.is_empty() {
        field("name") == name
    } else {
        field("id") == id
    }
}

/// The score of an input under every clause, or None when it does not match.
fn score(clauses: &[Clause], input: &Value, annotations: &[&Value]) -> Option<f64> {
    let key = input.as_object().map(input_key).unwrap_or_default();
    let mut prediction: Option<Vec<(super::predict::Known, f64)>> = None;
    let mut total = 1.0;
    for clause in clauses {
        let (matched, s) = match &clause.test {
            Test::Annotated { id, name, positive } => {
                let hit = annotated(input, annotations).into_iter().any(|c| {
                    concept_is(c, id, name)
                        && (c.get("value").and_then(Value::as_f64).unwrap_or(1.0) > 0.0) == *positive
                });
                (hit, 1.0)
            }
            Test::Predicted { id, name, positive } => {
                let predicted = prediction.get_or_insert_with(|| general_prediction(&key));
                let found = predicted.iter().find(|(k, _)| if id.is_empty() { k.name == *name } else { k.id == *id });
                match (found, positive) {
                    (Some((_, v)), true) => (true, *v),
                    (None, false) => (true, 1.0),
                    _ => (false, 0.0),
                }
            }
            Test::Metadata(want) => (input.pointer("/data/metadata").is_some_and(|m| contains(m, want)), 1.0),
            Test::InputId(id) => (input.get("id").and_then(Value::as_str) == Some(id), 1.0),
            Test::Media { kind, url } => {
                let media = input.pointer(&format!("/data/{kind}"));
                let ok = media.is_some()
                    && url.as_ref().is_none_or(|u| media.and_then(|m| m.get("url")).and_then(Value::as_str) == Some(u));
                (ok, 1.0)
            }
            Test::Similar(target) => {
                let s = similarity(target, &key);
                (true, if clause.negate { 1.0 - s } else { s })
            }
        };
        // A negated similarity ranks the other way; every other negation excludes.
        let matched = if matches!(clause.test, Test::Similar(_)) { matched } else { matched != clause.negate };
        if !matched {
            return None;
        }
        total *= s;
    }
    Some((total * 10_000.0).round() / 10_000.0)
}

/// `pagination` in the body, else `page`/`per_page` in the query.
fn pagination(ctx: &Ctx<'_>) -> Result<(usize, usize), Reply> {
    let (mut page, mut per_page) = ctx.query.pagination()?;
    if let Some(p) = ctx.body.get("pagination") {
        let n = |k: &str| p.get(k).and_then(Value::as_u64).map(|n| n as usize);
        page = n("page").unwrap_or(page).max(1);
        per_page = n("per_page").filter(|n| *n > 0).unwrap_or(per_page).min(MAX_PER_PAGE);
    }
    Ok((page, per_page))
}

/// The annotation a hit of an annotation search shows: the input's first stored annotation,
/// else its input-level labels (`data.concepts`, `data.metadata`) as one (id = the input's id).
fn annotation_of(input: &Value, annotations: &[&Value]) -> Value {
    if let Some(a) = annotations.first() {
        return (*a).clone();
    }
    let mut data = Map::new();
    for k in ["concepts", "metadata"] {
        if let Some(v) = input.pointer(&format!("/data/{k}")) {
            data.insert(k.to_string(), v.clone());
        }
    }
    json!({
        "id": input.get("id").cloned().unwrap_or(Value::Null),
        "input_id": input.get("id").cloned().unwrap_or(Value::Null),
        "data": data,
        "input_level": true,
        "status": item_status(ANNOTATION_SUCCESS, ""),
        "created_at": input.get("created_at").cloned().unwrap_or(Value::Null),
    })
}

fn run(ctx: &Ctx<'_>, query: &Value, with_annotations: bool) -> Result<Vec<Value>, Reply> {
    let app = ctx.app()?;
    let (page, per_page) = pagination(ctx)?;
    let data = app.data();
    let mut parser = Parser { data: &data, clauses: Vec::new() };
    parser.query(query)?;
    let clauses = parser.clauses;
    let mut scored: Vec<(f64, usize, &Value)> = Vec::new();
    for (n, input) in data.inputs.iter_newest_first().enumerate() {
        let id = input.get("id").and_then(Value::as_str).unwrap_or_default();
        let annotations: Vec<&Value> = data
            .annotations
            .iter_newest_first()
            .filter(|a| a.get("input_id").and_then(Value::as_str) == Some(id))
            .collect();
        if let Some(s) = score(&clauses, input, &annotations) {
            scored.push((s, n, input));
        }
    }
    // Best first; equal scores newest first.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let hits = scored
        .into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|(s, _, input)| {
            let mut hit = json!({"score": number(s), "input": input, "user_id": app.user_id, "app_id": app.id});
            if with_annotations {
                let id = input.get("id").and_then(Value::as_str).unwrap_or_default();
                let annotations: Vec<&Value> = data
                    .annotations
                    .iter_newest_first()
                    .filter(|a| a.get("input_id").and_then(Value::as_str) == Some(id))
                    .collect();
                hit["annotation"] = annotation_of(input, &annotations);
            }
            hit
        })
        .collect();
    Ok(hits)
}

/// `searches[0].query` of PostInputsSearches / PostAnnotationsSearches (and PostSearches' new form).
fn first_search_query(ctx: &Ctx<'_>) -> Result<Option<Value>, Reply> {
    match ctx.body.get("searches") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(s)) if s.is_empty() => Ok(None),
        Some(Value::Array(s)) => Ok(Some(s[0].get("query").cloned().unwrap_or(json!({})))),
        Some(_) => Err(Reply::bad_request("searches must be an array of {\"query\": {…}} objects")),
    }
}

pub(crate) fn post_inputs_searches(ctx: &Ctx<'_>, annotations: bool) -> Result<Reply, Reply> {
    let query = first_search_query(ctx)?.unwrap_or(json!({}));
    let hits = run(ctx, &query, annotations)?;
    let searches = ctx.body.get("searches").cloned().unwrap_or(json!([]));
    Ok(Reply::ok().with("id", random_token().into()).with("hits", Value::Array(hits)).with("searches", searches))
}

/// The legacy call: `query` (with `ands`, or `filters`/`ranks`), or `searches` as above.
pub(crate) fn post_searches(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let query = match (ctx.body.get("query"), first_search_query(ctx)?) {
        (Some(q), _) if q.is_object() => q.clone(),
        (_, Some(q)) => q,
        _ => json!({}),
    };
    let hits = run(ctx, &query, false)?;
    let mut reply = Reply::ok().with("id", random_token().into()).with("hits", Value::Array(hits));
    if let Some(q) = ctx.body.get("query") {
        reply = reply.with("query", q.clone());
    }
    Ok(reply)
}

fn clarifai_main(ctx: &Ctx<'_>) -> Option<Arc<App>> {
    ctx.store.app(PUBLIC_USER_ID, PUBLIC_APP_ID)
}

fn name_query<'b>(ctx: &'b Ctx<'_>, object: &str) -> Result<&'b str, Reply> {
    let name = ctx.body.get(object).and_then(|q| q.get("name")).and_then(Value::as_str).unwrap_or_default();
    if name.is_empty() {
        return Err(Reply::bad_request(format!("{object}.name is required (a name; `*` matches any characters)")));
    }
    Ok(name)
}

fn page_of(items: Vec<Value>, page: usize, per_page: usize) -> Value {
    Value::Array(items.into_iter().skip((page - 1).saturating_mul(per_page)).take(per_page).collect())
}

/// Concepts by name: the app's concepts, then the concepts of Clarifai's general model (the
/// API also searches `clarifai/main`), or only a given model's concepts.
pub(crate) fn post_concepts_searches(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let app = ctx.app()?;
    let pattern = name_query(ctx, "concept_query")?;
    let (page, per_page) = pagination(ctx)?;
    let q = &ctx.body["concept_query"];
    let mut found: Vec<Value> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut consider = |c: &Value, app_id: &str| {
        let id = c.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        let name = c.get("name").and_then(Value::as_str).unwrap_or(&id).to_string();
        if !seen.contains(&id) && wildcard_match(pattern, &name) {
            seen.push(id.clone());
            found.push(json!({"id": id, "name": name, "value": 1, "language": "en", "app_id": app_id}));
        }
    };
    if let Some(model_id) = q.pointer("/model/id").and_then(Value::as_str) {
        let (model_app, model) =
            super::predict::find_model(ctx, model_id).ok_or_else(|| super::predict::model_not_found(model_id))?;
        for k in super::predict::vocabulary(&model) {
            consider(&json!({"id": k.id, "name": k.name}), &model_app.id);
        }
    } else {
        if !q.get("ignore_app_concepts").and_then(Value::as_bool).unwrap_or(false) {
            for c in app.data().concepts.iter_newest_first() {
                consider(c, &app.id);
            }
        }
        for k in super::predict::general_vocabulary() {
            consider(&json!({"id": k.id, "name": k.name}), PUBLIC_APP_ID);
        }
    }
    Ok(Reply::ok().with("concepts", page_of(found, page, per_page)))
}

/// Models by name (`*` wildcards, any case) and `model_type_id`: the request's app (or the
/// user's visible apps) first, then Clarifai's public `clarifai/main`.
pub(crate) fn post_models_searches(ctx: &Ctx<'_>) -> Result<Reply, Reply> {
    let pattern = name_query(ctx, "model_query")?;
    let (page, per_page) = pagination(ctx)?;
    let type_id = ctx.body.pointer("/model_query/model_type_id").and_then(Value::as_str).unwrap_or_default();
    let mut apps = ctx.visible_apps();
    if let Some(main) = clarifai_main(ctx) {
        if !apps.iter().any(|a| Arc::ptr_eq(a, &main)) {
            apps.push(main);
        }
    }
    let mut found = Vec::new();
    for app in apps {
        for m in app.data().models.iter_newest_first() {
            let name = m
                .get("name")
                .and_then(Value::as_str)
                .or_else(|| m.get("id").and_then(Value::as_str))
                .unwrap_or_default();
            let type_ok = type_id.is_empty() || m.get("model_type_id").and_then(Value::as_str) == Some(type_id);
            if type_ok && wildcard_match(pattern, name) {
                found.push(m.clone());
            }
        }
    }
    Ok(Reply::ok().with("models", page_of(found, page, per_page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_containment() {
        let have = json!({"type": "dog", "tags": ["a", "b"], "owner": {"name": "x", "age": 3}});
        assert!(contains(&have, &json!({"type": "dog"})));
        assert!(contains(&have, &json!({"owner": {"name": "x"}, "tags": ["b"]})));
        assert!(!contains(&have, &json!({"type": "cat"})));
        assert!(!contains(&have, &json!({"missing": 1})));
    }

    #[test]
    fn similarity_is_symmetric_and_one_for_the_same_content() {
        assert_eq!(similarity("a", "a"), 1.0);
        assert_eq!(similarity("a", "b"), similarity("b", "a"));
        let s = similarity("image.url:x", "image.url:y");
        assert!((0.05..0.95).contains(&s), "{s}");
    }
}
