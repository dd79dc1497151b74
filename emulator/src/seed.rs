//! The seed file: the users, apps, collaborators, public apps, PATs, app keys and legacy clients
//! the emulator starts with. The format is documented in the crate's README; in short:
//!
//! ```json
//! {
//!   "demo": {"user_id": "demo-user", "app_id": "demo-app", "pat": "…", "api_key": "…"},
//!   "users": [{
//!     "id": "alice",
//!     "apps": [{"id": "photos", "public": false, "collaborators": ["bob"],
//!               "models": [{"id": "pets", "concepts": ["cat", "dog"]}]}],
//!     "pats": [{"token": "…", "scopes": ["All"]}],
//!     "keys": [{"token": "…", "app_id": "photos", "scopes": ["Predict"], "endpoints": ["PostModelOutputs"]}],
//!     "legacy_clients": [{"client_id": "…", "client_secret": "…", "app_id": "photos", "scopes": ["All"]}]
//!   }]
//! }
//! ```

use std::fmt;
use std::path::Path;
use std::time::Duration;

use clarifai::CredentialKind;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::store::{AppRef, LegacyClient, NewCredential, Store};
use crate::token::{hex, random_token, TokenDigest};
use crate::Error;

/// The demo identity's ids when the seed names none.
pub const DEMO_USER_ID: &str = "demo-user";
pub const DEMO_APP_ID: &str = "demo-app";

/// The public app whose models bare-path predictions fall back to, as on the real API.
pub const PUBLIC_USER_ID: &str = "clarifai";
pub const PUBLIC_APP_ID: &str = "main";
pub const GENERAL_MODEL_ID: &str = "general-image-recognition";
pub const GENERAL_MODEL_VERSION_ID: &str = "aa7f35c01e0642fda5cf400f543e7c40";
/// The general model's id in older tutorials and clients (the JS client's `Clarifai.GENERAL_MODEL`):
/// the same model, answering the same predictions.
pub const GENERAL_MODEL_ALIAS: &str = "aaa03c23b3724a16a56b629203edc62c";
/// A public workflow of `clarifai/main` running the general model.
pub const GENERAL_WORKFLOW_ID: &str = "General";

/// What `general-image-recognition` predicts from.
pub(crate) const GENERAL_CONCEPTS: &[&str] = &[
    "people",
    "outdoors",
    "train",
    "railway",
    "transportation system",
    "travel",
    "city",
    "architecture",
    "street",
    "vehicle",
    "no person",
    "nature",
    "sky",
    "water",
    "building",
    "light",
    "urban",
    "road",
    "business",
    "adult",
    "dog",
    "cat",
    "portrait",
    "food",
    "tree",
];

/// A seed file's contents.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Fix the demo identity's ids and tokens (each field optional).
    #[serde(default)]
    pub demo: DemoSeed,
    #[serde(default)]
    pub users: Vec<UserSeed>,
}

/// The demo user, app, PAT and app key that always exist.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSeed {
    pub user_id: Option<String>,
    pub app_id: Option<String>,
    pub pat: Option<String>,
    pub api_key: Option<String>,
}

impl fmt::Debug for DemoSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoSeed")
            .field("user_id", &self.user_id)
            .field("app_id", &self.app_id)
            .field("pat", &self.pat.as_ref().map(|_| "[redacted]"))
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    pub id: String,
    #[serde(default)]
    pub apps: Vec<AppSeed>,
    /// Personal Access Tokens of this user.
    #[serde(default)]
    pub pats: Vec<KeySpec>,
    /// App keys this user created (for its own apps, or apps it collaborates on).
    #[serde(default)]
    pub keys: Vec<KeySpec>,
    #[serde(default)]
    pub legacy_clients: Vec<LegacyClientSeed>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSeed {
    pub id: String,
    #[serde(default)]
    pub description: String,
    /// Every user's PAT may read a public app (read-only: see the README).
    #[serde(default)]
    pub public: bool,
    /// Users whose PATs may use this app as their own.
    #[serde(default)]
    pub collaborators: Vec<String>,
    #[serde(default)]
    pub models: Vec<ModelSeed>,
}

/// A model PostModelOutputs can predict with.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSeed {
    pub id: String,
    pub name: Option<String>,
    /// The concepts it predicts; `general-image-recognition`'s list when empty.
    #[serde(default)]
    pub concepts: Vec<String>,
}

/// A key or PAT to create: in a seed file, through [`crate::Emulator::add_key`] /
/// [`crate::Emulator::add_pat`], or through `POST /_emulator/keys`.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    /// The owning user; the demo user when `None` (in a seed file: the enclosing user).
    #[serde(default)]
    pub user_id: Option<String>,
    /// App keys: the app (the demo app when `None`). Ignored for PATs.
    #[serde(default)]
    pub app_id: Option<String>,
    /// App keys: the app's owner when it is not `user_id` (a collaborator's key).
    #[serde(default)]
    pub app_user_id: Option<String>,
    /// Scope names in either spelling; `["All"]` when the field is left out of a file.
    #[serde(default = "all_scopes")]
    pub scopes: Vec<String>,
    /// RPC names the key is limited to; empty means every endpoint.
    #[serde(default)]
    pub endpoints: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// The token; a fresh random one when `None`. Seed files must give one.
    #[serde(default)]
    pub token: Option<String>,
}

fn all_scopes() -> Vec<String> {
    vec!["All".to_string()]
}

impl KeySpec {
    /// A key with these scopes (either spelling), for the demo user's demo app.
    pub fn new<S: AsRef<str>>(scopes: &[S]) -> KeySpec {
        KeySpec {
            user_id: None,
            app_id: None,
            app_user_id: None,
            scopes: scopes.iter().map(|s| s.as_ref().to_string()).collect(),
            endpoints: Vec::new(),
            description: String::new(),
            token: None,
        }
    }

    /// A key with scope `All`.
    pub fn all() -> KeySpec {
        KeySpec::new(&["All"])
    }

    /// Owned by this user (and, for an app key, for this user's app unless [`KeySpec::app`] says).
    pub fn user(mut self, user_id: &str) -> KeySpec {
        self.user_id = Some(user_id.to_string());
        self
    }

    /// For this app (owned by the key's user).
    pub fn app(mut self, app_id: &str) -> KeySpec {
        self.app_id = Some(app_id.to_string());
        self
    }

    /// For another user's app the key's user collaborates on.
    pub fn app_of(mut self, app_user_id: &str, app_id: &str) -> KeySpec {
        self.app_user_id = Some(app_user_id.to_string());
        self.app_id = Some(app_id.to_string());
        self
    }

    /// Limited to these RPCs (`PostModelOutputs` or `/clarifai.api.V2/PostModelOutputs`).
    pub fn endpoints<S: AsRef<str>>(mut self, endpoints: &[S]) -> KeySpec {
        self.endpoints = endpoints.iter().map(|s| s.as_ref().to_string()).collect();
        self
    }

    pub fn description(mut self, description: &str) -> KeySpec {
        self.description = description.to_string();
        self
    }

    /// Use this token instead of a random one.
    pub fn token(mut self, token: &str) -> KeySpec {
        self.token = Some(token.to_string());
        self
    }

    /// What the store needs, with the demo identity filling what the spec leaves out.
    pub(crate) fn to_new(&self, kind: CredentialKind, demo_user: &str, demo_app: &str) -> NewCredential {
        let user_id = self.user_id.clone().unwrap_or_else(|| demo_user.to_string());
        let app = (kind != CredentialKind::Pat).then(|| AppRef {
            user_id: self.app_user_id.clone().unwrap_or_else(|| user_id.clone()),
            app_id: self.app_id.clone().unwrap_or_else(|| demo_app.to_string()),
        });
        NewCredential {
            kind,
            token: self.token.clone(),
            user_id,
            app,
            scopes: self.scopes.clone(),
            endpoints: self.endpoints.clone(),
            description: self.description.clone(),
            expires_in: None,
        }
    }
}

impl fmt::Debug for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySpec")
            .field("user_id", &self.user_id)
            .field("app_id", &self.app_id)
            .field("app_user_id", &self.app_user_id)
            .field("scopes", &self.scopes)
            .field("endpoints", &self.endpoints)
            .field("description", &self.description)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A client of the deprecated `POST /v2/token` flow.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyClientSeed {
    pub client_id: String,
    pub client_secret: String,
    /// One of the enclosing user's apps.
    pub app_id: String,
    #[serde(default = "all_scopes")]
    pub scopes: Vec<String>,
    /// How long issued tokens live (the old API's 176400 s, 49 hours, by default).
    #[serde(default = "default_token_ttl")]
    pub token_ttl_secs: u64,
}

fn default_token_ttl() -> u64 {
    176_400
}

impl fmt::Debug for LegacyClientSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyClientSeed")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("app_id", &self.app_id)
            .field("scopes", &self.scopes)
            .field("token_ttl_secs", &self.token_ttl_secs)
            .finish()
    }
}

impl Seed {
    /// Read and parse a seed file.
    pub fn from_file(path: &Path) -> Result<Seed, Error> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::Seed(format!("cannot read {}: {e}", path.display())))?;
        Seed::from_json(&text).map_err(|e| match e {
            Error::Seed(m) => Error::Seed(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    pub fn from_json(text: &str) -> Result<Seed, Error> {
        serde_json::from_str(text).map_err(|e| Error::Seed(e.to_string()))
    }
}

/// The demo identity, as created.
pub(crate) struct Demo {
    pub user_id: String,
    pub app_id: String,
    pub pat: String,
    pub api_key: String,
}

/// Fill a new store: the public `clarifai/main` app, the seed, then the demo identity.
pub(crate) fn populate(store: &Store, seed: &Seed) -> Result<Demo, Error> {
    let fail = |what: String| Error::Seed(what);
    store.create_user(PUBLIC_USER_ID).map_err(|e| fail(e.to_string()))?;
    // Users and apps first: keys may name apps of users listed later (collaborations).
    for user in &seed.users {
        store.create_user(&user.id).map_err(|e| fail(e.to_string()))?;
    }
    for user in &seed.users {
        for app in &user.apps {
            create_app(store, &user.id, app)?;
        }
    }
    if store.app(PUBLIC_USER_ID, PUBLIC_APP_ID).is_none() {
        store
            .create_app(PUBLIC_USER_ID, PUBLIC_APP_ID, "Clarifai's public models", true, Vec::new())
            .map_err(|e| fail(e.to_string()))?;
    }
    if let Some(main) = store.app(PUBLIC_USER_ID, PUBLIC_APP_ID) {
        let mut data = main.data();
        if !data.models.contains(GENERAL_MODEL_ID) {
            let model = model_json(
                GENERAL_MODEL_ID,
                "general",
                PUBLIC_USER_ID,
                PUBLIC_APP_ID,
                GENERAL_MODEL_VERSION_ID,
                GENERAL_CONCEPTS,
            );
            data.insert_model(GENERAL_MODEL_ID, model.clone());
            let mut alias = model;
            alias["id"] = GENERAL_MODEL_ALIAS.into();
            data.insert_model(GENERAL_MODEL_ALIAS, alias);
        }
        if !data.workflows.contains(GENERAL_WORKFLOW_ID) {
            let now = crate::time::now_rfc3339();
            data.workflows.insert(
                GENERAL_WORKFLOW_ID.to_string(),
                json!({
                    "id": GENERAL_WORKFLOW_ID,
                    "app_id": PUBLIC_APP_ID,
                    "user_id": PUBLIC_USER_ID,
                    "created_at": now,
                    "modified_at": now,
                    "nodes": [{
                        "id": "general-concept",
                        "model": {"id": GENERAL_MODEL_ID, "model_version": {"id": GENERAL_MODEL_VERSION_ID}},
                    }],
                }),
            );
        }
    }
    for user in &seed.users {
        let owned = |spec: &KeySpec, what: &str| -> Result<(), Error> {
            if spec.user_id.as_deref().is_some_and(|u| u != user.id) {
                return Err(fail(format!("a {what} listed under user {:?} names another user_id", user.id)));
            }
            if spec.token.is_none() {
                return Err(fail(format!(
                    "every {what} of user {:?} needs a \"token\" (e.g. 32 hex characters)",
                    user.id
                )));
            }
            Ok(())
        };
        for spec in &user.pats {
            owned(spec, "PAT")?;
            let new = spec.to_new(CredentialKind::Pat, &user.id, "");
            store.insert_credential(new).map_err(|e| fail(format!("PAT of user {:?}: {e}", user.id)))?;
        }
        for spec in &user.keys {
            owned(spec, "key")?;
            if spec.app_id.is_none() {
                return Err(fail(format!("a key of user {:?} needs an \"app_id\"", user.id)));
            }
            let new = spec.to_new(CredentialKind::ApiKey, &user.id, "");
            store.insert_credential(new).map_err(|e| fail(format!("key of user {:?}: {e}", user.id)))?;
        }
        for c in &user.legacy_clients {
            if store.app(&user.id, &c.app_id).is_none() {
                return Err(fail(format!(
                    "legacy client {:?}: user {:?} has no app {:?}",
                    c.client_id, user.id, c.app_id
                )));
            }
            crate::store::parse_grant(&c.scopes, &[])
                .map_err(|e| fail(format!("legacy client {:?}: {e}", c.client_id)))?;
            store.add_legacy_client(
                &c.client_id,
                LegacyClient {
                    secret: TokenDigest::of(c.client_secret.as_bytes()),
                    app: AppRef { user_id: user.id.clone(), app_id: c.app_id.clone() },
                    scopes: c.scopes.clone(),
                    token_ttl: Duration::from_secs(c.token_ttl_secs),
                },
            );
        }
    }
    demo(store, &seed.demo)
}

/// Create one app of an existing user, with its models.
pub(crate) fn create_app(store: &Store, user_id: &str, app: &AppSeed) -> Result<(), Error> {
    if let Some(c) = app.collaborators.iter().find(|c| !store.user_exists(c)) {
        return Err(Error::Seed(format!("collaborator {c:?} of app {:?} is not a user", app.id)));
    }
    let created = store
        .create_app(user_id, &app.id, &app.description, app.public, app.collaborators.clone())
        .map_err(|e| Error::Seed(format!("user {user_id:?}: {e}")))?;
    let mut data = created.data();
    for m in &app.models {
        let concepts: Vec<&str> = if m.concepts.is_empty() {
            GENERAL_CONCEPTS.to_vec()
        } else {
            m.concepts.iter().map(String::as_str).collect()
        };
        let model = model_json(&m.id, m.name.as_deref().unwrap_or(&m.id), user_id, &app.id, &random_token(), &concepts);
        if !data.insert_model(&m.id, model) {
            return Err(Error::Seed(format!("app {:?} lists model {:?} twice", app.id, m.id)));
        }
    }
    Ok(())
}

/// The demo user, app, PAT (scope All) and app key (All on the demo app). Tokens the seed
/// names are reused when the seed already created them.
fn demo(store: &Store, seed: &DemoSeed) -> Result<Demo, Error> {
    let fail = |what: String| Error::Seed(format!("demo: {what}"));
    let user_id = seed.user_id.clone().unwrap_or_else(|| DEMO_USER_ID.to_string());
    let app_id = seed.app_id.clone().unwrap_or_else(|| DEMO_APP_ID.to_string());
    store.create_user(&user_id).map_err(|e| fail(e.to_string()))?;
    if store.app(&user_id, &app_id).is_none() {
        store
            .create_app(&user_id, &app_id, "The emulator's demo app", false, Vec::new())
            .map_err(|e| fail(e.to_string()))?;
    }
    let token = |given: &Option<String>, kind: CredentialKind| -> Result<String, Error> {
        if let Some(t) = given {
            if let Some(existing) = store.credential(t.as_bytes()) {
                let fits = existing.kind == kind
                    && existing.user_id == user_id
                    && (kind == CredentialKind::Pat
                        || existing.app.as_ref().is_some_and(|a| a.user_id == user_id && a.app_id == app_id));
                return if fits {
                    Ok(t.clone())
                } else {
                    Err(fail(format!("the demo {} token is seeded as another user's or app's credential", kind.name())))
                };
            }
        }
        let spec = KeySpec { token: given.clone(), ..KeySpec::all().user(&user_id).app(&app_id) }
            .description(&format!("demo {}", kind.name()));
        let record = store.insert_credential(spec.to_new(kind, &user_id, &app_id)).map_err(|e| fail(e.to_string()))?;
        Ok(record.token.clone())
    };
    let pat = token(&seed.pat, CredentialKind::Pat)?;
    let api_key = token(&seed.api_key, CredentialKind::ApiKey)?;
    Ok(Demo { user_id, app_id, pat, api_key })
}

/// A Model message with one trained version whose output concepts are `concepts`.
pub(crate) fn model_json(
    id: &str,
    name: &str,
    user_id: &str,
    app_id: &str,
    version_id: &str,
    concepts: &[&str],
) -> serde_json::Value {
    let concepts: Vec<_> =
        concepts.iter().map(|c| json!({"id": concept_id(c), "name": c, "value": 1, "app_id": app_id})).collect();
    let now = crate::time::now_rfc3339();
    json!({
        "id": id,
        "name": name,
        "user_id": user_id,
        "app_id": app_id,
        "created_at": now,
        "model_type_id": "visual-classifier",
        "output_info": {"data": {"concepts": concepts}},
        "model_version": {
            "id": version_id,
            "created_at": now,
            "status": crate::reply::item_status(crate::reply::MODEL_TRAINED, ""),
        },
    })
}

/// A stable concept id for a concept name, shaped like the API's `ai_…` ids.
pub(crate) fn concept_id(name: &str) -> String {
    format!("ai_{}", &hex(&Sha256::digest(name.as_bytes()))[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn populate_json(text: &str) -> Result<(Store, Demo), Error> {
        let store = Store::default();
        let demo = populate(&store, &Seed::from_json(text)?)?;
        Ok((store, demo))
    }

    #[test]
    fn empty_seed_has_the_demo_identity_and_clarifai_main() {
        let (store, demo) = populate_json("{}").unwrap();
        assert_eq!((demo.user_id.as_str(), demo.app_id.as_str()), (DEMO_USER_ID, DEMO_APP_ID));
        assert_ne!(demo.pat, demo.api_key);
        let key = store.credential(demo.api_key.as_bytes()).unwrap();
        assert_eq!(key.kind, CredentialKind::ApiKey);
        assert!(store.credential(demo.pat.as_bytes()).is_some_and(|p| p.kind == CredentialKind::Pat));
        let main = store.app(PUBLIC_USER_ID, PUBLIC_APP_ID).unwrap();
        assert!(main.public && main.data().models.contains(GENERAL_MODEL_ID));
        assert!(main.data().versions[GENERAL_MODEL_ID].contains(GENERAL_MODEL_VERSION_ID));
    }

    #[test]
    fn demo_tokens_may_reuse_seeded_credentials_of_the_demo_user_only() {
        let ok = r#"{"demo": {"user_id": "a", "app_id": "x", "api_key": "k1"},
                     "users": [{"id": "a", "apps": [{"id": "x"}], "keys": [{"token": "k1", "app_id": "x", "scopes": ["Predict"]}]}]}"#;
        let (store, demo) = populate_json(ok).unwrap();
        assert_eq!(demo.api_key, "k1");
        assert_eq!(store.credential(b"k1").unwrap().scope_names(), vec!["Predict"]);
        let clash = r#"{"demo": {"pat": "k1"},
                        "users": [{"id": "a", "apps": [{"id": "x"}], "keys": [{"token": "k1", "app_id": "x"}]}]}"#;
        assert!(populate_json(clash).is_err());
    }

    #[test]
    fn seed_mistakes_are_reported() {
        for (text, says) in [
            (r#"{"users": [{"id": "a", "pats": [{"scopes": ["All"]}]}]}"#, "token"),
            (r#"{"users": [{"id": "a", "keys": [{"token": "t"}]}]}"#, "app_id"),
            (r#"{"users": [{"id": "a", "apps": [{"id": "x", "collaborators": ["nobody"]}]}]}"#, "nobody"),
            (r#"{"users": [{"id": "a", "pats": [{"token": "t", "scopes": ["Nope"]}]}]}"#, "Nope"),
            (r#"{"users": [{"id": "a", "apps": [{"id": "x"}, {"id": "x"}]}]}"#, "already exists"),
            (r#"{"users": [{"id": "me"}]}"#, "not valid"),
            (r#"{"users": [{"id": "a", "colour": "red"}]}"#, "colour"),
            (
                r#"{"users": [{"id": "a", "legacy_clients": [{"client_id": "c", "client_secret": "s", "app_id": "none"}]}]}"#,
                "no app",
            ),
        ] {
            let err = populate_json(text).err().unwrap_or_else(|| panic!("accepted {text}")).to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
