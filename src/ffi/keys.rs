//! Keys and scopes as handles with accessors: `clarifai_key`, `clarifai_key_list` and
//! `clarifai_scopes`. Strings they return are borrowed from them and valid until they are
//! freed. A key's id is the key itself: its bytes are wiped when the key is freed.

use std::ffi::{c_char, CString};
use std::ptr;

use super::client::client_ref;
use super::{
    c_string_lossy, clarifai_client, clarifai_error, clarifai_result, ffi_boundary, ffi_try, free_box, opt_str_arg,
    out_arg, str_arg, Failure,
};
use crate::client::{Key, KeySpec, MyScopes};
use crate::credential::UserAppId;

/// A key as the API describes it. Owned when a function hands it out (`clarifai_key_free`);
/// borrowed when it comes from a `clarifai_key_list`.
pub struct clarifai_key {
    id: CString,
    description: CString,
    scopes: Vec<CString>,
    endpoints: Vec<CString>,
    apps: Vec<(CString, CString)>,
}

impl clarifai_key {
    fn new(k: &Key) -> clarifai_key {
        clarifai_key {
            id: c_string_lossy(k.id.expose()),
            description: c_string_lossy(&k.description),
            scopes: k.scopes.iter().map(|s| c_string_lossy(s)).collect(),
            endpoints: k.endpoints.iter().map(|s| c_string_lossy(s)).collect(),
            apps: k.apps.iter().map(|a| (c_string_lossy(&a.user_id), c_string_lossy(&a.app_id))).collect(),
        }
    }
}

impl Drop for clarifai_key {
    fn drop(&mut self) {
        let id = std::mem::take(&mut self.id);
        zeroize::Zeroize::zeroize(&mut id.into_bytes());
    }
}

/// The keys of a user, in the order the API listed them. Owned by the caller; free with
/// `clarifai_key_list_free`. The keys it hands out are borrowed from it.
pub struct clarifai_key_list {
    keys: Vec<clarifai_key>,
}

/// What a credential may do, as MyScopes said. Owned by the caller; free with
/// `clarifai_scopes_free`.
pub struct clarifai_scopes {
    scopes: Vec<CString>,
    granted: Vec<CString>,
    endpoints: Vec<CString>,
    endpoint_grant: Vec<CString>,
    unknown: Vec<CString>,
    app: Option<(CString, CString)>,
    my: std::sync::Arc<MyScopes>,
}

fn c_list<S: AsRef<str>>(items: &[S]) -> Vec<CString> {
    items.iter().map(|s| c_string_lossy(s.as_ref())).collect()
}

fn nth(list: &[CString], i: usize) -> *const c_char {
    list.get(i).map_or(ptr::null(), |s| s.as_ptr())
}

unsafe fn string_array(p: *const *const c_char, n: usize, what: &str) -> Result<Vec<String>, Failure> {
    if n > 0 && p.is_null() {
        return Err(Failure::null(what));
    }
    (0..n).map(|i| str_arg(*p.add(i), what).map(str::to_string)).collect()
}

/// Create an app key (PostKeys; needs a PAT client) bound to app `app_id` of `user_id` (NULL
/// means "me"), with `scope_count` scope names in either spelling (unknown names are refused
/// before any request) and `endpoint_count` RPC names (none: every endpoint the scopes allow).
/// `description` may be NULL. Writes the new key; its id is the new secret key.
///
/// # Safety
/// `scopes` has `scope_count` entries and `endpoints` `endpoint_count` (either may be NULL when
/// its count is 0); other pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_create_key(
    client: *const clarifai_client,
    description: *const c_char,
    scopes: *const *const c_char,
    scope_count: usize,
    endpoints: *const *const c_char,
    endpoint_count: usize,
    user_id: *const c_char,
    app_id: *const c_char,
    out_key: *mut *mut clarifai_key,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_key, "out_key")?;
        let spec = KeySpec {
            description: opt_str_arg(description, "description")?.unwrap_or("").to_string(),
            scopes: string_array(scopes, scope_count, "scopes")?,
            endpoints: string_array(endpoints, endpoint_count, "endpoints")?,
            app: UserAppId::new(opt_str_arg(user_id, "user_id")?.unwrap_or("me"), str_arg(app_id, "app_id")?)?,
        };
        let k = c.create_key(&spec)?;
        *out_key = Box::into_raw(Box::new(clarifai_key::new(&k)));
        Ok(())
    })
}

/// The PAT user's keys (ListKeys; needs a PAT client).
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_list_keys(
    client: *const clarifai_client,
    out_list: *mut *mut clarifai_key_list,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_list, "out_list")?;
        let keys = c.list_keys()?;
        *out_list = Box::into_raw(Box::new(clarifai_key_list { keys: keys.iter().map(clarifai_key::new).collect() }));
        Ok(())
    })
}

/// Rotate a key (needs a PAT client): create a new key with the same description, scopes,
/// endpoints and app, then delete the old one. If the deletion fails the result is
/// `CLARIFAI_RESULT_ROTATION_INCOMPLETE`: both keys work, and the message names both by their
/// last four characters. On success writes the new key.
///
/// # Safety
/// Pointers are NULL or valid; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_rotate_key(
    client: *const clarifai_client,
    key_id: *const c_char,
    out_key: *mut *mut clarifai_key,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_key, "out_key")?;
        let k = c.rotate_key(str_arg(key_id, "key_id")?)?;
        *out_key = Box::into_raw(Box::new(clarifai_key::new(&k)));
        Ok(())
    })
}

/// Ask the API what the credential may do (MyScopes) and cache it for `clarifai_client_check`.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_my_scopes(
    client: *const clarifai_client,
    out_scopes: *mut *mut clarifai_scopes,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_scopes, "out_scopes")?;
        let my = c.my_scopes()?;
        *out_scopes = Box::into_raw(Box::new(clarifai_scopes {
            scopes: c_list(&my.scope_names),
            granted: c_list(&my.grant.scopes.names()),
            endpoints: c_list(&my.callable_endpoints),
            endpoint_grant: c_list(&my.grant.endpoints),
            unknown: c_list(&my.unknown_scopes),
            app: my.app.as_ref().map(|a| (c_string_lossy(&a.user_id), c_string_lossy(&a.app_id))),
            my,
        }));
        Ok(())
    })
}

/// The key's id, which is the secret key itself (for a key just created or rotated, the one
/// to use). Wiped when the key is freed. NULL for NULL.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_id(key: *const clarifai_key) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { key.as_ref() }.map_or(ptr::null(), |k| k.id.as_ptr()) })
}
/// The key's description ("" when none). NULL for NULL.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_description(key: *const clarifai_key) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { key.as_ref() }.map_or(ptr::null(), |k| k.description.as_ptr()) })
}
/// The number of scopes the key was given (docs spelling). NULL gives 0.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_scope_count(key: *const clarifai_key) -> usize {
    ffi_boundary!(0, { unsafe { key.as_ref() }.map_or(0, |k| k.scopes.len()) })
}
/// Scope `i` of the key, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_scope(key: *const clarifai_key, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { key.as_ref() }.map_or(ptr::null(), |k| nth(&k.scopes, i)) })
}
/// The number of endpoints the key is limited to (0: every endpoint its scopes allow).
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_endpoint_count(key: *const clarifai_key) -> usize {
    ffi_boundary!(0, { unsafe { key.as_ref() }.map_or(0, |k| k.endpoints.len()) })
}
/// Endpoint `i` of the key, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_endpoint(key: *const clarifai_key, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { key.as_ref() }.map_or(ptr::null(), |k| nth(&k.endpoints, i)) })
}
/// The number of apps the key is bound to (an app key: one).
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_app_count(key: *const clarifai_key) -> usize {
    ffi_boundary!(0, { unsafe { key.as_ref() }.map_or(0, |k| k.apps.len()) })
}
/// The user id of app `i`, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_app_user_id(key: *const clarifai_key, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), {
        unsafe { key.as_ref() }.map_or(ptr::null(), |k| k.apps.get(i).map_or(ptr::null(), |a| a.0.as_ptr()))
    })
}
/// The app id of app `i`, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_app_id(key: *const clarifai_key, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), {
        unsafe { key.as_ref() }.map_or(ptr::null(), |k| k.apps.get(i).map_or(ptr::null(), |a| a.1.as_ptr()))
    })
}

/// Free a key handed out by `clarifai_client_create_key` or `clarifai_client_rotate_key`,
/// wiping its id. NULL does nothing. (Keys of a list belong to the list.)
///
/// # Safety
/// `key` is NULL or an owned key from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_free(key: *mut clarifai_key) {
    ffi_boundary!((), { free_box(key) })
}

/// The number of keys in the list. NULL gives 0.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_list_len(list: *const clarifai_key_list) -> usize {
    ffi_boundary!(0, { unsafe { list.as_ref() }.map_or(0, |l| l.keys.len()) })
}

/// Key `i` of the list, borrowed from it, or NULL when out of range.
///
/// # Safety
/// `list` is NULL or a live list from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_list_get(list: *const clarifai_key_list, i: usize) -> *const clarifai_key {
    ffi_boundary!(ptr::null(), {
        unsafe { list.as_ref() }.and_then(|l| l.keys.get(i)).map_or(ptr::null(), |k| k as *const clarifai_key)
    })
}

/// Free a list and its keys, wiping their ids. NULL does nothing.
///
/// # Safety
/// `list` is NULL or a list from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_key_list_free(list: *mut clarifai_key_list) {
    ffi_boundary!((), { free_box(list) })
}

/// The number of scopes the credential has: every scope granted with its dependencies
/// (docs spelling). NULL gives 0.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_count(scopes: *const clarifai_scopes) -> usize {
    ffi_boundary!(0, { unsafe { scopes.as_ref() }.map_or(0, |s| s.scopes.len()) })
}
/// Scope `i` of `clarifai_scopes_count`, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_get(scopes: *const clarifai_scopes, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| nth(&s.scopes, i)) })
}
/// The number of scopes as granted (without the dependencies they bring).
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_granted_count(scopes: *const clarifai_scopes) -> usize {
    ffi_boundary!(0, { unsafe { scopes.as_ref() }.map_or(0, |s| s.granted.len()) })
}
/// Granted scope `i`, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_granted(scopes: *const clarifai_scopes, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| nth(&s.granted, i)) })
}
/// The number of endpoints MyScopes says the credential may call.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_endpoint_count(scopes: *const clarifai_scopes) -> usize {
    ffi_boundary!(0, { unsafe { scopes.as_ref() }.map_or(0, |s| s.endpoints.len()) })
}
/// Callable endpoint `i` as MyScopes listed it (e.g. "/clarifai.api.V2/ListInputs"), or
/// NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_endpoint(scopes: *const clarifai_scopes, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| nth(&s.endpoints, i)) })
}
/// The number of endpoints the credential is limited to (0: no endpoint limit).
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_endpoint_grant_count(scopes: *const clarifai_scopes) -> usize {
    ffi_boundary!(0, { unsafe { scopes.as_ref() }.map_or(0, |s| s.endpoint_grant.len()) })
}
/// Endpoint `i` of the limit, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_endpoint_grant(scopes: *const clarifai_scopes, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| nth(&s.endpoint_grant, i)) })
}
/// The number of scope names MyScopes gave that this build does not know.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_unknown_count(scopes: *const clarifai_scopes) -> usize {
    ffi_boundary!(0, { unsafe { scopes.as_ref() }.map_or(0, |s| s.unknown.len()) })
}
/// Unknown scope name `i`, or NULL when out of range.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_unknown(scopes: *const clarifai_scopes, i: usize) -> *const c_char {
    ffi_boundary!(ptr::null(), { unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| nth(&s.unknown, i)) })
}
/// The user id of the app an app key is bound to, or NULL when the API did not say.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_app_user_id(scopes: *const clarifai_scopes) -> *const c_char {
    ffi_boundary!(ptr::null(), {
        unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| s.app.as_ref().map_or(ptr::null(), |a| a.0.as_ptr()))
    })
}
/// The app id of the app an app key is bound to, or NULL when the API did not say.
///
/// # Safety
/// Pointer arguments are NULL or live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_app_id(scopes: *const clarifai_scopes) -> *const c_char {
    ffi_boundary!(ptr::null(), {
        unsafe { scopes.as_ref() }.map_or(ptr::null(), |s| s.app.as_ref().map_or(ptr::null(), |a| a.1.as_ptr()))
    })
}

/// Whether the credential has `scope` (either spelling: "Inputs:Add" or "Inputs_Add"), with
/// its dependencies counted. Unknown names, NULL and invalid UTF-8 give false.
///
/// # Safety
/// `scopes` is NULL or live; `scope` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_contains(scopes: *const clarifai_scopes, scope: *const c_char) -> bool {
    ffi_boundary!(false, {
        let (Some(s), Ok(name)) = (unsafe { scopes.as_ref() }, unsafe { str_arg(scope, "scope") }) else {
            return false;
        };
        crate::scope::Scope::parse(name).is_some_and(|sc| s.my.has(sc))
    })
}

/// Free scopes. NULL does nothing.
///
/// # Safety
/// `scopes` is NULL or scopes from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_scopes_free(scopes: *mut clarifai_scopes) {
    ffi_boundary!((), { free_box(scopes) })
}
