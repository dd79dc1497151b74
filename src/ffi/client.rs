//! `clarifai_client`: credentials, calls, preflight, keys.

use std::ffi::c_char;

use serde_json::Value;

use super::{
    clarifai_client_options, clarifai_credential_kind, clarifai_error, clarifai_response, clarifai_result,
    ffi_boundary, ffi_try, free_box, opt_str_arg, out_arg, owned_c_string, params_arg, str_arg, Failure,
};
use crate::authorize::Denial;
use crate::catalog::Method;
use crate::client::{Client, ClientBuilder};
use crate::credential::{Credential, CredentialKind};

/// A Clarifai API client: a credential, settings and a keep-alive connection pool.
///
/// Thread-safe: one client may be used from any number of threads at once (calls take it as
/// `const`). Free it with `clarifai_client_free` once no call is using it. After `fork()`, a
/// child may keep using a client made by its parent: the child builds its own connections.
pub struct clarifai_client {
    inner: Client,
}

/// The client behind a handle, or the null-argument failure.
pub(crate) unsafe fn client_ref<'a>(c: *const clarifai_client) -> Result<&'a Client, Failure> {
    c.as_ref().map(|c| &c.inner).ok_or_else(|| Failure::null("client"))
}

unsafe fn finish_client(
    builder: ClientBuilder,
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
) -> Result<(), Failure> {
    let builder = match opts.as_ref() {
        Some(o) => o.apply(builder),
        None => builder,
    };
    let client = builder.build()?;
    *out_client = Box::into_raw(Box::new(clarifai_client { inner: client }));
    Ok(())
}

/// A client authorizing with an app-specific API key (`Authorization: Key …`). Requests use the
/// bare paths (`/v2/models/…`). `opts` may be NULL for defaults. The key is checked here: empty,
/// whitespace, control or non-ASCII characters fail with `CLARIFAI_RESULT_INVALID_ARGUMENT`
/// and nothing is sent.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_new_api_key(
    api_key: *const c_char,
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        out_arg(out_client, "out_client")?;
        let key = str_arg(api_key, "api_key")?;
        finish_client(Client::builder(Credential::api_key(key)?), opts, out_client)
    })
}

/// A client authorizing with a Personal Access Token, acting on `user_id` (or "me") and `app_id`
/// by default: calls use `/v2/users/{user_id}/apps/{app_id}/…` unless their parameters name
/// another `user_app_id`.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_new_pat(
    pat: *const c_char,
    user_id: *const c_char,
    app_id: *const c_char,
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        out_arg(out_client, "out_client")?;
        let pat = str_arg(pat, "pat")?;
        let user = str_arg(user_id, "user_id")?;
        let app = str_arg(app_id, "app_id")?;
        finish_client(Client::builder(Credential::pat(pat, user, app)?), opts, out_client)
    })
}

/// A client with no credential of its own: its calls carry no `Authorization` header (the API
/// answers them with `CLARIFAI_RESULT_INVALID_REQUEST`, 11102), while the views made from it
/// with `clarifai_client_with_api_key` / `clarifai_client_with_pat` carry theirs and share its
/// connections. For front ends whose calls each bring their own credential (the docs' gRPC form
/// passes it in metadata). `opts` may be NULL for defaults.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_new_without_credential(
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        out_arg(out_client, "out_client")?;
        finish_client(Client::builder_without_credential(), opts, out_client)
    })
}

/// A client from the environment, as the official SDK reads it: `CLARIFAI_PAT` with
/// `CLARIFAI_USER_ID` and `CLARIFAI_APP_ID`, else `CLARIFAI_API_KEY`; `CLARIFAI_API_BASE`;
/// `CLARIFAI_ROOT_CERTIFICATES_PATH`. Settings in `opts` (may be NULL) win over the environment.
/// Fails with `CLARIFAI_RESULT_MISSING_CONFIG` naming the missing variables.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_new_from_env(
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        out_arg(out_client, "out_client")?;
        finish_client(Client::builder_from_env()?, opts, out_client)
    })
}

/// DEPRECATED (Clarifai retired access tokens in 2017): a client sending
/// `Authorization: Bearer <token>`.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
#[allow(deprecated)]
pub unsafe extern "C" fn clarifai_client_new_deprecated_legacy_token(
    token: *const c_char,
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        out_arg(out_client, "out_client")?;
        let t = str_arg(token, "token")?;
        finish_client(Client::builder(Credential::deprecated_legacy_access_token(t)?), opts, out_client)
    })
}

/// DEPRECATED: a client exchanging a client id and secret for Bearer tokens at `POST /v2/token`,
/// renewed before they expire. No request is made until the first call.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
#[allow(deprecated)]
pub unsafe extern "C" fn clarifai_client_new_deprecated_client_credentials(
    client_id: *const c_char,
    client_secret: *const c_char,
    opts: *const clarifai_client_options,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        out_arg(out_client, "out_client")?;
        let id = str_arg(client_id, "client_id")?;
        let secret = str_arg(client_secret, "client_secret")?;
        finish_client(Client::deprecated_client_credentials(id, secret)?, opts, out_client)
    })
}

/// A new client using `api_key` for its calls, sharing `client`'s connection pool and settings:
/// the per-request credential override. Free both independently.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_with_api_key(
    client: *const clarifai_client,
    api_key: *const c_char,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_client, "out_client")?;
        let cred = Credential::api_key(str_arg(api_key, "api_key")?)?;
        *out_client = Box::into_raw(Box::new(clarifai_client { inner: c.with_credential(cred) }));
        Ok(())
    })
}

/// A new client using a PAT (with its user and app) for its calls, sharing `client`'s
/// connection pool and settings.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_with_pat(
    client: *const clarifai_client,
    pat: *const c_char,
    user_id: *const c_char,
    app_id: *const c_char,
    out_client: *mut *mut clarifai_client,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_client, "out_client")?;
        let cred = Credential::pat(str_arg(pat, "pat")?, str_arg(user_id, "user_id")?, str_arg(app_id, "app_id")?)?;
        *out_client = Box::into_raw(Box::new(clarifai_client { inner: c.with_credential(cred) }));
        Ok(())
    })
}

/// Free a client. NULL does nothing. Calls still running on other threads must finish first;
/// asynchronous calls already queued keep the shared state alive until their callbacks ran.
///
/// # Safety
/// `client` is NULL or a client from this library, not yet freed, not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_free(client: *mut clarifai_client) {
    ffi_boundary!((), { free_box(client) })
}

/// The kind of credential the client sends: `CLARIFAI_CREDENTIAL_KIND_NONE` for a client made
/// with `clarifai_client_new_without_credential`, and for NULL.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_credential_kind(client: *const clarifai_client) -> clarifai_credential_kind {
    ffi_boundary!(clarifai_credential_kind::None, {
        match unsafe { client.as_ref() }.and_then(|c| c.inner.credential_kind()) {
            Some(CredentialKind::ApiKey) => clarifai_credential_kind::ApiKey,
            Some(CredentialKind::Pat) => clarifai_credential_kind::Pat,
            Some(CredentialKind::LegacyToken) => clarifai_credential_kind::LegacyToken,
            None => clarifai_credential_kind::None,
        }
    })
}

/// Call an RPC by name (e.g. "PostModelOutputs") with its request fields as a JSON object
/// (`params_json` may be NULL or "" for none). Path fields (model_id, input_id, …) are taken
/// from the parameters; `user_app_id` from the parameters or, for a PAT, from the client.
/// On success `*out_response` is a new response; API failures give the matching result with
/// the Clarifai status in the error. Blocks the calling thread for one HTTP exchange.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call(
    client: *const clarifai_client,
    endpoint: *const c_char,
    params_json: *const c_char,
    out_response: *mut *mut clarifai_response,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_response, "out_response")?;
        let ep = str_arg(endpoint, "endpoint")?;
        let params = params_arg(params_json, "params_json")?;
        // Planned, then dropped: the parsed parameters are not kept through the exchange (an
        // 8 MB image would otherwise be held three times at once).
        let planned = c.plan(ep, &params)?;
        drop(params);
        let r = c.call_planned(planned)?;
        *out_response = clarifai_response::boxed(r);
        Ok(())
    })
}

/// A raw request: `method` is GET, POST, PATCH, PUT or DELETE; `path` starts with "/" (query
/// string allowed), relative to the base URL; `body_json` is NULL for no body.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_request(
    client: *const clarifai_client,
    method: *const c_char,
    path: *const c_char,
    body_json: *const c_char,
    out_response: *mut *mut clarifai_response,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_response, "out_response")?;
        let m = str_arg(method, "method")?;
        let m = Method::parse(m)
            .ok_or_else(|| Failure::invalid(format!("method {m:?} is not GET, POST, PATCH, PUT or DELETE")))?;
        let p = str_arg(path, "path")?;
        let body = match opt_str_arg(body_json, "body_json")? {
            Some(t) => Some(
                serde_json::from_str::<Value>(t)
                    .map_err(|e| Failure::invalid(format!("body is not valid JSON: {e}")))?,
            ),
            None => None,
        };
        let r = c.request(m, p, body.as_ref())?;
        *out_response = clarifai_response::boxed(r);
        Ok(())
    })
}

/// Preflight, without a request once scopes are cached (the first check of a client fetches
/// them with MyScopes): `CLARIFAI_RESULT_OK` when the credential may call `endpoint`;
/// `CLARIFAI_RESULT_INSUFFICIENT_SCOPES` with the error naming every missing scope and the
/// missing endpoint grant; `CLARIFAI_RESULT_PAT_REQUIRED` when the endpoint refuses this kind of
/// credential. A denial's error has status code 0: the server was not asked. A missing endpoint
/// grant is named when the scopes suffice. A key whose endpoint list lacks MyScopes cannot read
/// its own scopes: the check then fails with the server's 11007 (a non-zero status code) naming
/// `/clarifai.api.V2/MyScopes`.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_check(
    client: *const clarifai_client,
    endpoint: *const c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    let mut denial: Option<(clarifai_result, String, Vec<String>, Option<String>)> = None;
    let r = ffi_try!(out_error, {
        let c = client_ref(client)?;
        let ep = str_arg(endpoint, "endpoint")?;
        match c.check(ep)? {
            Ok(()) => {}
            Err(Denial::CredentialKind { kind, accepted }) => {
                denial = Some((
                    clarifai_result::PatRequired,
                    format!("{ep} does not accept an {kind} (it takes {accepted})"),
                    Vec::new(),
                    None,
                ));
            }
            Err(Denial::Insufficient(m)) => {
                denial = Some((
                    clarifai_result::InsufficientScopes,
                    format!("{ep} needs what this credential lacks: {}", m.to_details()),
                    m.scopes.clone(),
                    m.endpoint.clone(),
                ));
            }
        }
        Ok(())
    });
    if r != clarifai_result::Ok {
        return r;
    }
    ffi_boundary!(clarifai_result::Panic, {
        match denial {
            None => clarifai_result::Ok,
            Some((result, message, scopes, endpoint)) => {
                if !out_error.is_null() {
                    let e = clarifai_error::denial(result, message, &scopes, endpoint.as_deref());
                    *out_error = Box::into_raw(Box::new(e));
                }
                result
            }
        }
    })
}

/// The value of the gRPC `authorization` metadata for the official gRPC clients: "Key <token>".
/// Owned and secret: free it with `clarifai_string_free`, which wipes it.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_grpc_metadata(
    client: *const clarifai_client,
    out_value: *mut *mut c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_value, "out_value")?;
        let (_, value) = c.grpc_metadata()?;
        *out_value = owned_c_string(value)?;
        Ok(())
    })
}

/// Create an app owned by the PAT's user (PostApps). Needs a PAT client.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated; `description` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_create_app(
    client: *const clarifai_client,
    app_id: *const c_char,
    description: *const c_char,
    out_response: *mut *mut clarifai_response,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_response, "out_response")?;
        let app = str_arg(app_id, "app_id")?;
        let d = opt_str_arg(description, "description")?.unwrap_or("");
        let r = c.create_app(app, d)?;
        *out_response = clarifai_response::boxed(r);
        Ok(())
    })
}

/// Delete a key (DeleteKey; needs a PAT client).
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_delete_key(
    client: *const clarifai_client,
    key_id: *const c_char,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        c.delete_key(str_arg(key_id, "key_id")?)?;
        Ok(())
    })
}
