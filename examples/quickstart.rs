//! The quickstart: authorized calls, and the errors that say exactly what is missing.
//!
//!     cargo run --release --example quickstart
//!
//! With no configuration it starts the local emulator in-process and talks to it. With
//! `CLARIFAI_PAT`, `CLARIFAI_USER_ID` and `CLARIFAI_APP_ID` set (and optionally
//! `CLARIFAI_API_KEY`), it makes the same calls against the real API instead.

use clarifai::{Client, Credential, Denial, Error, KeySpec, UserAppId};
use serde_json::json;

fn main() {
    if let Err(e) = run() {
        eprintln!("quickstart failed: {e}");
        std::process::exit(1);
    }
}

struct Target {
    base: String,
    pat: String,
    user_id: String,
    app_id: String,
    api_key: Option<String>,
    // Keeps the emulator running until the end; None against the real API.
    _emulator: Option<clarifai_emulator::Emulator>,
}

fn target() -> Result<Target, Error> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    if let (Some(pat), Some(user_id), Some(app_id)) =
        (var("CLARIFAI_PAT"), var("CLARIFAI_USER_ID"), var("CLARIFAI_APP_ID"))
    {
        let base = var("CLARIFAI_API_BASE").unwrap_or_else(|| clarifai::DEFAULT_BASE_URL.to_string());
        println!("Talking to {base} as user {user_id}, app {app_id}.\n");
        return Ok(Target { base, pat, user_id, app_id, api_key: var("CLARIFAI_API_KEY"), _emulator: None });
    }
    let emu = clarifai_emulator::Emulator::start_default()
        .map_err(|e| Error::State(format!("cannot start the emulator: {e}")))?;
    println!("Started the local Clarifai emulator at {} (set CLARIFAI_PAT, CLARIFAI_USER_ID and CLARIFAI_APP_ID to use the real API).\n", emu.url());
    Ok(Target {
        base: emu.url().to_string(),
        pat: emu.pat().to_string(),
        user_id: emu.user_id().to_string(),
        app_id: emu.app_id().to_string(),
        api_key: Some(emu.api_key().to_string()),
        _emulator: Some(emu),
    })
}

fn run() -> Result<(), Error> {
    let t = target()?;
    let image = json!([{"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}}]);

    // 1. An app key: bare paths, the app is the key's own.
    println!("1. Predict with an app API key");
    match &t.api_key {
        Some(key) => {
            let client = Client::builder(Credential::api_key(key)?).base_url(&t.base).build()?;
            let out =
                client.call("PostModelOutputs", &json!({"model_id": "general-image-recognition", "inputs": image}))?;
            let concepts = &out.body()["outputs"][0]["data"]["concepts"];
            let names: Vec<String> = concepts
                .as_array()
                .map(|a| {
                    a.iter()
                        .take(3)
                        .map(|c| {
                            format!("{} {:.2}", c["name"].as_str().unwrap_or("?"), c["value"].as_f64().unwrap_or(0.0))
                        })
                        .collect()
                })
                .unwrap_or_default();
            println!(
                "   status {} ({}); top concepts: {}\n",
                out.status.code,
                out.status.description,
                names.join(", ")
            );
        }
        None => println!("   skipped: set CLARIFAI_API_KEY to run it against the real API\n"),
    }

    // 2. A PAT: every call names the user and app it acts on.
    println!("2. List inputs with a Personal Access Token");
    let pat = Client::builder(Credential::pat(&t.pat, &t.user_id, &t.app_id)?).base_url(&t.base).build()?;
    let plan = pat.plan("ListInputs", &json!({"per_page": 5}))?;
    let out = pat.call("ListInputs", &json!({"per_page": 5}))?;
    let n = out.body()["inputs"].as_array().map_or(0, |a| a.len());
    println!("   {} {} -> status {}, {} inputs\n", plan.method, plan.path_and_query, out.status.code, n);

    // 3 and 4 need a key that lacks scopes: the emulator lets the PAT make one.
    let limited = if t._emulator.is_some() {
        let key = pat.create_key(&KeySpec {
            description: "quickstart: read inputs only".into(),
            scopes: vec!["Inputs:Get".into()],
            endpoints: vec![],
            app: UserAppId::new("me", &t.app_id)?,
        })?;
        Some(pat.with_credential(Credential::api_key(key.id.expose())?))
    } else {
        None
    };

    println!("3. Preflight: may a key with only Inputs:Get post inputs?");
    match &limited {
        Some(c) => match c.check("PostInputs")? {
            Ok(()) => println!("   allowed\n"),
            Err(Denial::Insufficient(m)) => println!("   no: {m}\n"),
            Err(d) => println!("   no: {d:?}\n"),
        },
        None => println!("   skipped against the real API (it would create a key)\n"),
    }

    println!("4. The same call, sent: the server's answer");
    if let Some(c) = &limited {
        match c.call("PostInputs", &json!({"inputs": image})) {
            Err(Error::Api(e)) => {
                println!("   {} {}: missing scopes {:?}\n", e.status.code, e.status.description, e.missing.scopes)
            }
            other => println!("   unexpected: {other:?}\n"),
        }
    } else {
        println!("   skipped against the real API\n");
    }

    println!("5. A key the API does not know");
    let unknown = pat.with_credential(Credential::api_key("0123456789abcdef0123456789abcdef")?);
    match unknown.call("ListInputs", &json!({})) {
        Err(Error::Api(e)) => println!("   {} {}\n", e.status.code, e.status.description),
        other => println!("   unexpected: {other:?}\n"),
    }

    println!("6. A malformed Authorization header (this library never sends one; shown with a raw request)");
    let http = reqwest::blocking::Client::new();
    match http.get(format!("{}/v2/inputs", t.base)).header("Authorization", "key lowercase-is-malformed").send() {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let body: serde_json::Value = serde_json::from_str(&resp.text().unwrap_or_default()).unwrap_or_default();
            println!("   HTTP {status}: {} {}", body["status"]["code"], body["status"]["description"]);
        }
        Err(e) => println!("   request failed: {e}"),
    }
    Ok(())
}
