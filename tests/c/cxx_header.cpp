// clarifai.h from C++: it has no extern "C" guard of its own (PHP's FFI::cdef cannot parse one),
// so C++ users wrap the include. This TU must compile warning-free and link-compatible.
extern "C" {
#include "clarifai.h"
}

#include <cstring>
#include <memory>

namespace {

// The usual C++ ownership wrapper: proves the free functions have the signatures deleters need.
struct ErrorDeleter {
    void operator()(clarifai_error *e) const { clarifai_error_free(e); }
};
struct ClientDeleter {
    void operator()(clarifai_client *c) const { clarifai_client_free(c); }
};

// Takes the address of every function so a mismatch between declaration and use is an error;
// tests/c/run checks that this lists every function the header declares.
const void *const every_function[] = {
    reinterpret_cast<const void *>(&clarifai_version),
    reinterpret_cast<const void *>(&clarifai_result_name),
    reinterpret_cast<const void *>(&clarifai_string_free),
    reinterpret_cast<const void *>(&clarifai_client_call_many),
    reinterpret_cast<const void *>(&clarifai_batch_len),
    reinterpret_cast<const void *>(&clarifai_batch_result),
    reinterpret_cast<const void *>(&clarifai_batch_response),
    reinterpret_cast<const void *>(&clarifai_batch_error),
    reinterpret_cast<const void *>(&clarifai_batch_free),
    reinterpret_cast<const void *>(&clarifai_client_call_async),
    reinterpret_cast<const void *>(&clarifai_client_call_many_async),
    reinterpret_cast<const void *>(&clarifai_client_call_start),
    reinterpret_cast<const void *>(&clarifai_call_wait),
    reinterpret_cast<const void *>(&clarifai_call_cancel),
    reinterpret_cast<const void *>(&clarifai_call_is_done),
    reinterpret_cast<const void *>(&clarifai_call_free),
    reinterpret_cast<const void *>(&clarifai_cancel_token_new),
    reinterpret_cast<const void *>(&clarifai_cancel_token_cancel),
    reinterpret_cast<const void *>(&clarifai_cancel_token_is_cancelled),
    reinterpret_cast<const void *>(&clarifai_cancel_token_free),
    reinterpret_cast<const void *>(&clarifai_call_options_new),
    reinterpret_cast<const void *>(&clarifai_call_options_free),
    reinterpret_cast<const void *>(&clarifai_call_options_set_timeout_ms),
    reinterpret_cast<const void *>(&clarifai_call_options_set_cancel_token),
    reinterpret_cast<const void *>(&clarifai_client_call_with_options),
    reinterpret_cast<const void *>(&clarifai_client_call_many_with_options),
    reinterpret_cast<const void *>(&clarifai_client_new_api_key),
    reinterpret_cast<const void *>(&clarifai_client_new_pat),
    reinterpret_cast<const void *>(&clarifai_client_new_without_credential),
    reinterpret_cast<const void *>(&clarifai_client_new_from_env),
    reinterpret_cast<const void *>(&clarifai_client_new_deprecated_legacy_token),
    reinterpret_cast<const void *>(&clarifai_client_new_deprecated_client_credentials),
    reinterpret_cast<const void *>(&clarifai_client_with_api_key),
    reinterpret_cast<const void *>(&clarifai_client_with_pat),
    reinterpret_cast<const void *>(&clarifai_client_free),
    reinterpret_cast<const void *>(&clarifai_client_credential_kind),
    reinterpret_cast<const void *>(&clarifai_client_call),
    reinterpret_cast<const void *>(&clarifai_client_request),
    reinterpret_cast<const void *>(&clarifai_client_check),
    reinterpret_cast<const void *>(&clarifai_client_grpc_metadata),
    reinterpret_cast<const void *>(&clarifai_client_create_app),
    reinterpret_cast<const void *>(&clarifai_client_delete_key),
    reinterpret_cast<const void *>(&clarifai_error_result),
    reinterpret_cast<const void *>(&clarifai_error_message),
    reinterpret_cast<const void *>(&clarifai_error_status_code),
    reinterpret_cast<const void *>(&clarifai_error_http_status),
    reinterpret_cast<const void *>(&clarifai_error_description),
    reinterpret_cast<const void *>(&clarifai_error_details),
    reinterpret_cast<const void *>(&clarifai_error_req_id),
    reinterpret_cast<const void *>(&clarifai_error_missing_scopes_count),
    reinterpret_cast<const void *>(&clarifai_error_missing_scope),
    reinterpret_cast<const void *>(&clarifai_error_missing_endpoint),
    reinterpret_cast<const void *>(&clarifai_error_retry_after_secs),
    reinterpret_cast<const void *>(&clarifai_error_header),
    reinterpret_cast<const void *>(&clarifai_error_free),
    reinterpret_cast<const void *>(&clarifai_client_create_key),
    reinterpret_cast<const void *>(&clarifai_client_list_keys),
    reinterpret_cast<const void *>(&clarifai_client_rotate_key),
    reinterpret_cast<const void *>(&clarifai_client_my_scopes),
    reinterpret_cast<const void *>(&clarifai_key_id),
    reinterpret_cast<const void *>(&clarifai_key_description),
    reinterpret_cast<const void *>(&clarifai_key_scope_count),
    reinterpret_cast<const void *>(&clarifai_key_scope),
    reinterpret_cast<const void *>(&clarifai_key_endpoint_count),
    reinterpret_cast<const void *>(&clarifai_key_endpoint),
    reinterpret_cast<const void *>(&clarifai_key_app_count),
    reinterpret_cast<const void *>(&clarifai_key_app_user_id),
    reinterpret_cast<const void *>(&clarifai_key_app_id),
    reinterpret_cast<const void *>(&clarifai_key_free),
    reinterpret_cast<const void *>(&clarifai_key_list_len),
    reinterpret_cast<const void *>(&clarifai_key_list_get),
    reinterpret_cast<const void *>(&clarifai_key_list_free),
    reinterpret_cast<const void *>(&clarifai_scopes_count),
    reinterpret_cast<const void *>(&clarifai_scopes_get),
    reinterpret_cast<const void *>(&clarifai_scopes_granted_count),
    reinterpret_cast<const void *>(&clarifai_scopes_granted),
    reinterpret_cast<const void *>(&clarifai_scopes_endpoint_count),
    reinterpret_cast<const void *>(&clarifai_scopes_endpoint),
    reinterpret_cast<const void *>(&clarifai_scopes_endpoint_grant_count),
    reinterpret_cast<const void *>(&clarifai_scopes_endpoint_grant),
    reinterpret_cast<const void *>(&clarifai_scopes_unknown_count),
    reinterpret_cast<const void *>(&clarifai_scopes_unknown),
    reinterpret_cast<const void *>(&clarifai_scopes_app_user_id),
    reinterpret_cast<const void *>(&clarifai_scopes_app_id),
    reinterpret_cast<const void *>(&clarifai_scopes_contains),
    reinterpret_cast<const void *>(&clarifai_scopes_free),
    reinterpret_cast<const void *>(&clarifai_client_options_new),
    reinterpret_cast<const void *>(&clarifai_client_options_free),
    reinterpret_cast<const void *>(&clarifai_client_options_set_base_url),
    reinterpret_cast<const void *>(&clarifai_client_options_set_connect_timeout_ms),
    reinterpret_cast<const void *>(&clarifai_client_options_set_timeout_ms),
    reinterpret_cast<const void *>(&clarifai_client_options_set_ca_file),
    reinterpret_cast<const void *>(&clarifai_client_options_set_user_agent),
    reinterpret_cast<const void *>(&clarifai_client_options_set_max_concurrency),
    reinterpret_cast<const void *>(&clarifai_client_options_set_max_retries),
    reinterpret_cast<const void *>(&clarifai_client_options_set_max_response_bytes),
    reinterpret_cast<const void *>(&clarifai_client_options_set_danger_allow_insecure_http),
    reinterpret_cast<const void *>(&clarifai_client_options_set_proxy),
    reinterpret_cast<const void *>(&clarifai_client_options_set_proxy_from_env),
    reinterpret_cast<const void *>(&clarifai_client_options_set_http2_prior_knowledge),
    reinterpret_cast<const void *>(&clarifai_runtime_set_worker_threads),
    reinterpret_cast<const void *>(&clarifai_response_http_status),
    reinterpret_cast<const void *>(&clarifai_response_status_code),
    reinterpret_cast<const void *>(&clarifai_response_description),
    reinterpret_cast<const void *>(&clarifai_response_details),
    reinterpret_cast<const void *>(&clarifai_response_req_id),
    reinterpret_cast<const void *>(&clarifai_response_json),
    reinterpret_cast<const void *>(&clarifai_response_header),
    reinterpret_cast<const void *>(&clarifai_response_free),
};

}  // namespace

// Callbacks written in C++ must match clarifai_callback and clarifai_batch_callback exactly.
extern "C" void cxx_callback(void *, clarifai_result, clarifai_response *response, clarifai_error *error) {
    clarifai_response_free(response);
    clarifai_error_free(error);
}
extern "C" void cxx_batch_callback(void *, clarifai_result, clarifai_batch *batch, clarifai_error *error) {
    clarifai_batch_free(batch);
    clarifai_error_free(error);
}

int cxx_header_check() {
    clarifai_callback cb = &cxx_callback;
    clarifai_batch_callback bcb = &cxx_batch_callback;
    std::unique_ptr<clarifai_error, ErrorDeleter> err;
    std::unique_ptr<clarifai_client, ClientDeleter> client;
    clarifai_error *raw = nullptr;
    clarifai_client *c = nullptr;
    clarifai_result r = clarifai_client_new_api_key("key", nullptr, &c, &raw);
    client.reset(c);
    err.reset(raw);
    // Enumerators are usable as clarifai_result values (a uint32_t typedef) without casts.
    bool ok = r == CLARIFAI_RESULT_OK && std::strcmp(clarifai_version(), CLARIFAI_VERSION_STRING) == 0;
    return ok && cb != nullptr && bcb != nullptr && sizeof every_function > 0 ? 0 : 1;
}
