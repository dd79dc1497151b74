//! `clarifai_batch`: many calls at once.

use std::ffi::c_char;
use std::ptr;

use serde_json::Value;

use super::client::client_ref;
use super::{
    clarifai_client, clarifai_error, clarifai_response, clarifai_result, ffi_boundary, ffi_try, free_box, out_arg,
    params_arg, str_arg, Failure,
};

/// The results of `clarifai_client_call_many`, in the order of the calls. Owned by the caller;
/// free with `clarifai_batch_free`. Responses and errors it returns are borrowed from it.
pub struct clarifai_batch {
    items: Vec<Item>,
}

enum Item {
    Ok(clarifai_response),
    Err(clarifai_error),
}

impl clarifai_batch {
    /// Results in call order: the calls refused before running (`early[i]` is their failure)
    /// interleaved with the results of the others, in order.
    pub(crate) fn assemble(
        early: Vec<Option<Failure>>,
        results: Vec<Result<crate::Response, crate::Error>>,
    ) -> clarifai_batch {
        let mut results = results.into_iter();
        let items = early
            .into_iter()
            .map(|e| match e {
                Some(f) => Item::Err(clarifai_error::new(f.result, f.message, f.error)),
                None => match results.next() {
                    Some(Ok(r)) => Item::Ok(clarifai_response::new(r)),
                    Some(Err(e)) => {
                        let f = Failure::from(e);
                        Item::Err(clarifai_error::new(f.result, f.message, f.error))
                    }
                    None => Item::Err(clarifai_error::new(clarifai_result::State, "call did not run".into(), None)),
                },
            })
            .collect();
        clarifai_batch { items }
    }
}

/// The calls that can run, and each call's refusal (`None` for those that run), in order.
pub(crate) type BatchCalls = (Vec<(String, Value)>, Vec<Option<Failure>>);

/// The calls of a batch, from C arrays. A call whose arguments are bad is not run: its
/// failure is in `early` at its index, and it fails alone.
pub(crate) unsafe fn batch_calls(
    endpoints: *const *const c_char,
    params_json: *const *const c_char,
    count: usize,
) -> Result<BatchCalls, Failure> {
    if count > 0 && endpoints.is_null() {
        return Err(Failure::null("endpoints"));
    }
    let mut runnable = Vec::with_capacity(count);
    let mut early = Vec::with_capacity(count);
    for i in 0..count {
        let ep = str_arg(*endpoints.add(i), "endpoint");
        let params =
            if params_json.is_null() { Ok(Value::Null) } else { params_arg(*params_json.add(i), "params_json") };
        let checked = match (ep, params) {
            (Ok(ep), Ok(v)) => Ok((ep.to_string(), v)),
            (Err(f), _) | (_, Err(f)) => Err(f),
        };
        match checked {
            Ok(call) => {
                runnable.push(call);
                early.push(None);
            }
            Err(f) => early.push(Some(f)),
        }
    }
    Ok((runnable, early))
}

/// Run `count` calls concurrently (at most the client's max concurrency at once) and wait for
/// all. `endpoints[i]` and `params_json[i]` (`params_json` may be NULL, as may any of its
/// entries) describe call i. A call that fails (even on a bad argument) fails alone: its error is
/// in the batch; the function itself fails only on a NULL client, array or out-pointer.
///
/// # Safety
/// `endpoints` has `count` entries; `params_json` is NULL or has `count` entries.
#[no_mangle]
pub unsafe extern "C" fn clarifai_client_call_many(
    client: *const clarifai_client,
    endpoints: *const *const c_char,
    params_json: *const *const c_char,
    count: usize,
    out_batch: *mut *mut clarifai_batch,
    out_error: *mut *mut clarifai_error,
) -> clarifai_result {
    ffi_try!(out_error, {
        let c = client_ref(client)?;
        out_arg(out_batch, "out_batch")?;
        let (runnable, early) = batch_calls(endpoints, params_json, count)?;
        let results = c.call_many(&runnable);
        *out_batch = Box::into_raw(Box::new(clarifai_batch::assemble(early, results)));
        Ok(())
    })
}

/// Number of results. NULL gives 0.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_batch_len(batch: *const clarifai_batch) -> usize {
    ffi_boundary!(0, { unsafe { batch.as_ref() }.map_or(0, |b| b.items.len()) })
}

/// The result of call `index`; `CLARIFAI_RESULT_NULL_ARGUMENT` for NULL, and
/// `CLARIFAI_RESULT_INVALID_ARGUMENT` when out of range.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_batch_result(batch: *const clarifai_batch, index: usize) -> clarifai_result {
    ffi_boundary!(clarifai_result::Panic, {
        match unsafe { batch.as_ref() } {
            None => clarifai_result::NullArgument,
            Some(b) => match b.items.get(index) {
                Some(Item::Ok(_)) => clarifai_result::Ok,
                Some(Item::Err(e)) => super::clarifai_error_result(e),
                None => clarifai_result::InvalidArgument,
            },
        }
    })
}

/// The response of call `index`, or NULL if it failed or is out of range. Borrowed from `batch`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_batch_response(
    batch: *const clarifai_batch,
    index: usize,
) -> *const clarifai_response {
    ffi_boundary!(ptr::null(), {
        match unsafe { batch.as_ref() }.and_then(|b| b.items.get(index)) {
            Some(Item::Ok(r)) => r as *const clarifai_response,
            _ => ptr::null(),
        }
    })
}

/// The error of call `index`, or NULL if it succeeded or is out of range. Borrowed from `batch`.
///
/// # Safety
/// Pointer arguments are NULL or valid, live handles from this library.
#[no_mangle]
pub unsafe extern "C" fn clarifai_batch_error(batch: *const clarifai_batch, index: usize) -> *const clarifai_error {
    ffi_boundary!(ptr::null(), {
        match unsafe { batch.as_ref() }.and_then(|b| b.items.get(index)) {
            Some(Item::Err(e)) => e as *const clarifai_error,
            _ => ptr::null(),
        }
    })
}

/// Free a batch and everything borrowed from it. NULL does nothing.
///
/// # Safety
/// `batch` is NULL or a batch from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn clarifai_batch_free(batch: *mut clarifai_batch) {
    ffi_boundary!((), { free_box(batch) })
}
