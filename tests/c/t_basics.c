/* Version, result names, options, accessors of absent objects, _free(NULL). */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

static void test_version(void) {
    char macros[64];
    const char *expected = getenv("CLARIFAI_EXPECTED_VERSION"); /* from Cargo.toml, set by run */
    CHECK(clarifai_version() != NULL);
    CHECK_STR(clarifai_version(), CLARIFAI_VERSION_STRING);
    snprintf(macros, sizeof macros, "%d.%d.%d", CLARIFAI_VERSION_MAJOR, CLARIFAI_VERSION_MINOR,
             CLARIFAI_VERSION_PATCH);
    CHECK_STR(macros, CLARIFAI_VERSION_STRING);
    if (expected) CHECK_STR(clarifai_version(), expected);
    /* Static: the same pointer every time, never freed. */
    CHECK(clarifai_version() == clarifai_version());
}

#define RESULT_NAME(r) {r, #r}
static const struct {
    uint32_t value;
    const char *name;
} result_names[] = {
    RESULT_NAME(CLARIFAI_RESULT_OK),
    RESULT_NAME(CLARIFAI_RESULT_NULL_ARGUMENT),
    RESULT_NAME(CLARIFAI_RESULT_INVALID_ARGUMENT),
    RESULT_NAME(CLARIFAI_RESULT_UNKNOWN_ENDPOINT),
    RESULT_NAME(CLARIFAI_RESULT_MISSING_CONFIG),
    RESULT_NAME(CLARIFAI_RESULT_API_ERROR),
    RESULT_NAME(CLARIFAI_RESULT_INSUFFICIENT_SCOPES),
    RESULT_NAME(CLARIFAI_RESULT_KEY_NOT_FOUND),
    RESULT_NAME(CLARIFAI_RESULT_KEY_INVALID),
    RESULT_NAME(CLARIFAI_RESULT_INVALID_REQUEST),
    RESULT_NAME(CLARIFAI_RESULT_PAT_REQUIRED),
    RESULT_NAME(CLARIFAI_RESULT_THROTTLED),
    RESULT_NAME(CLARIFAI_RESULT_NOT_FOUND),
    RESULT_NAME(CLARIFAI_RESULT_METHOD_NOT_ALLOWED),
    RESULT_NAME(CLARIFAI_RESULT_CONNECT),
    RESULT_NAME(CLARIFAI_RESULT_DNS),
    RESULT_NAME(CLARIFAI_RESULT_TIMEOUT),
    RESULT_NAME(CLARIFAI_RESULT_TLS),
    RESULT_NAME(CLARIFAI_RESULT_BODY_TOO_LARGE),
    RESULT_NAME(CLARIFAI_RESULT_REDIRECT_REFUSED),
    RESULT_NAME(CLARIFAI_RESULT_IO),
    RESULT_NAME(CLARIFAI_RESULT_INSECURE_URL),
    RESULT_NAME(CLARIFAI_RESULT_MALFORMED_RESPONSE),
    RESULT_NAME(CLARIFAI_RESULT_ROTATION_INCOMPLETE),
    RESULT_NAME(CLARIFAI_RESULT_STATE),
    RESULT_NAME(CLARIFAI_RESULT_PANIC),
    RESULT_NAME(CLARIFAI_RESULT_CANCELLED),
};

static void test_result_names(void) {
    size_t n = sizeof result_names / sizeof result_names[0];
    for (size_t i = 0; i < n; i++) {
        /* Contiguous from 0: the library maps by value, so a gap would shift every name. */
        CHECK_MSG(result_names[i].value == i, "%s is %u, expected %zu", result_names[i].name,
                  result_names[i].value, i);
        CHECK_STR(clarifai_result_name(result_names[i].value), result_names[i].name);
    }
    CHECK_STR(clarifai_result_name((uint32_t)n), "CLARIFAI_RESULT_UNKNOWN");
    CHECK_STR(clarifai_result_name(1000), "CLARIFAI_RESULT_UNKNOWN");
    CHECK_STR(clarifai_result_name(UINT32_MAX), "CLARIFAI_RESULT_UNKNOWN");
    CHECK(sizeof(clarifai_result) == 4 && sizeof(clarifai_credential_kind) == 4);
}

static void test_free_null(void) {
    /* Each must return without touching anything; a crash fails the whole run. */
    clarifai_string_free(NULL);
    clarifai_batch_free(NULL);
    clarifai_client_free(NULL);
    clarifai_error_free(NULL);
    clarifai_client_options_free(NULL);
    clarifai_response_free(NULL);
    clarifai_key_free(NULL);
    clarifai_key_list_free(NULL);
    clarifai_scopes_free(NULL);
    clarifai_call_free(NULL);
    clarifai_cancel_token_free(NULL);
    clarifai_call_options_free(NULL);
    /* Cancelling nothing is nothing too. */
    clarifai_call_cancel(NULL);
    clarifai_cancel_token_cancel(NULL);
    CHECK(1);
}

static void test_accessors_of_null(void) {
    CHECK_RESULT(clarifai_error_result(NULL), CLARIFAI_RESULT_NULL_ARGUMENT, NULL);
    CHECK_STR(clarifai_error_message(NULL), "");
    CHECK(clarifai_error_status_code(NULL) == 0);
    CHECK(clarifai_error_http_status(NULL) == 0);
    CHECK_STR(clarifai_error_description(NULL), "");
    CHECK_STR(clarifai_error_details(NULL), "");
    CHECK_STR(clarifai_error_req_id(NULL), "");
    CHECK(clarifai_error_missing_scopes_count(NULL) == 0);
    CHECK(clarifai_error_missing_scope(NULL, 0) == NULL);
    CHECK(clarifai_error_missing_endpoint(NULL) == NULL);
    CHECK(clarifai_error_retry_after_secs(NULL) == -1);
    CHECK(clarifai_error_header(NULL, "Content-Type") == NULL);
    CHECK(clarifai_error_header(NULL, NULL) == NULL);

    CHECK(clarifai_response_http_status(NULL) == 0);
    CHECK(clarifai_response_status_code(NULL) == 0);
    CHECK_STR(clarifai_response_description(NULL), "");
    CHECK_STR(clarifai_response_details(NULL), "");
    CHECK_STR(clarifai_response_req_id(NULL), "");
    CHECK(clarifai_response_json(NULL) != NULL);
    CHECK(clarifai_response_header(NULL, "Content-Type") == NULL);
    CHECK(clarifai_response_header(NULL, NULL) == NULL);

    CHECK(clarifai_batch_len(NULL) == 0);
    CHECK_RESULT(clarifai_batch_result(NULL, 0), CLARIFAI_RESULT_NULL_ARGUMENT, NULL);
    CHECK(clarifai_batch_response(NULL, 0) == NULL);
    CHECK(clarifai_batch_error(NULL, 0) == NULL);

    CHECK(clarifai_client_credential_kind(NULL) == CLARIFAI_CREDENTIAL_KIND_NONE);

    CHECK(clarifai_key_id(NULL) == NULL);
    CHECK(clarifai_key_description(NULL) == NULL);
    CHECK(clarifai_key_scope_count(NULL) == 0 && clarifai_key_scope(NULL, 0) == NULL);
    CHECK(clarifai_key_endpoint_count(NULL) == 0 && clarifai_key_endpoint(NULL, 0) == NULL);
    CHECK(clarifai_key_app_count(NULL) == 0);
    CHECK(clarifai_key_app_user_id(NULL, 0) == NULL && clarifai_key_app_id(NULL, 0) == NULL);
    CHECK(clarifai_key_list_len(NULL) == 0 && clarifai_key_list_get(NULL, 0) == NULL);

    CHECK(clarifai_scopes_count(NULL) == 0 && clarifai_scopes_get(NULL, 0) == NULL);
    CHECK(clarifai_scopes_granted_count(NULL) == 0 && clarifai_scopes_granted(NULL, 0) == NULL);
    CHECK(clarifai_scopes_endpoint_count(NULL) == 0 && clarifai_scopes_endpoint(NULL, 0) == NULL);
    CHECK(clarifai_scopes_endpoint_grant_count(NULL) == 0 && clarifai_scopes_endpoint_grant(NULL, 0) == NULL);
    CHECK(clarifai_scopes_unknown_count(NULL) == 0 && clarifai_scopes_unknown(NULL, 0) == NULL);
    CHECK(clarifai_scopes_app_user_id(NULL) == NULL && clarifai_scopes_app_id(NULL) == NULL);
    CHECK(!clarifai_scopes_contains(NULL, "Predict"));
    CHECK(!clarifai_scopes_contains(NULL, NULL));

    CHECK(!clarifai_call_is_done(NULL));
    CHECK(!clarifai_cancel_token_is_cancelled(NULL));
}

/* Fresh handles of the types that have a _new: usable, and independent of each other. */
static void test_new_handles(void) {
    clarifai_cancel_token *a = clarifai_cancel_token_new();
    clarifai_cancel_token *b = clarifai_cancel_token_new();
    clarifai_call_options *o = clarifai_call_options_new();
    CHECK(a != NULL && b != NULL && a != b && o != NULL);
    CHECK(!clarifai_cancel_token_is_cancelled(a) && !clarifai_cancel_token_is_cancelled(b));
    clarifai_cancel_token_cancel(a);
    CHECK(clarifai_cancel_token_is_cancelled(a) && !clarifai_cancel_token_is_cancelled(b));
    /* Idempotent. */
    clarifai_cancel_token_cancel(a);
    CHECK(clarifai_cancel_token_is_cancelled(a));
    /* The options keep their own reference: the token may go first. */
    CHECK_RESULT(clarifai_call_options_set_cancel_token(o, b, NULL), CLARIFAI_RESULT_OK, NULL);
    clarifai_cancel_token_free(b);
    CHECK_RESULT(clarifai_call_options_set_cancel_token(o, NULL, NULL), CLARIFAI_RESULT_OK, NULL);
    CHECK_RESULT(clarifai_call_options_set_timeout_ms(o, 1000, NULL), CLARIFAI_RESULT_OK, NULL);
    clarifai_call_options_free(o);
    clarifai_cancel_token_free(a);
}

/* The setters only store (pointers and UTF-8 checked): any value is taken. Values are checked
 * when a client is made, by every constructor alike, and a refused one names what is wrong. */
typedef struct {
    const char *what;
    /* A word the refusal's message must contain. */
    const char *named;
    void (*apply)(clarifai_client_options *o);
} bad_setting;

#define SETTER_OK(call)                                                                            \
    do {                                                                                           \
        clarifai_error *err_ = NULL;                                                               \
        CHECK_RESULT(call, CLARIFAI_RESULT_OK, err_);                                              \
        CHECK(err_ == NULL);                                                                       \
        clarifai_error_free(err_);                                                                 \
    } while (0)

static void bad_base_url_scheme(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_base_url(o, "ftp://example.com", &err_));
}
static void bad_base_url_empty(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_base_url(o, "", &err_));
}
static void bad_base_url_no_host(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_base_url(o, "https://", &err_));
}
static void bad_connect_timeout(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_connect_timeout_ms(o, 0, &err_));
}
static void bad_timeout(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_timeout_ms(o, 0, &err_));
}
static void bad_user_agent_crlf(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_user_agent(o, "bad\r\nX-Injected: 1", &err_));
}
static void bad_user_agent_empty(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_user_agent(o, "", &err_));
}
static void bad_max_concurrency(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_max_concurrency(o, 0, &err_));
}
static void bad_max_retries(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_max_retries(o, CLARIFAI_MAX_RETRIES_LIMIT + 1, &err_));
}
static void bad_max_response_bytes(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_max_response_bytes(o, 0, &err_));
}
static void bad_ca_file(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_ca_file(o, "/nonexistent/ca.pem", &err_));
}
static void bad_proxy_socks(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_proxy(o, "socks5://user:pass@127.0.0.1:1080", &err_));
}
static void bad_proxy_not_url(clarifai_client_options *o) {
    SETTER_OK(clarifai_client_options_set_proxy(o, "not a proxy", &err_));
}

static const bad_setting bad_settings[] = {
    {"base URL ftp://", "base URL", bad_base_url_scheme},
    {"empty base URL", "base URL", bad_base_url_empty},
    {"base URL without a host", "base URL", bad_base_url_no_host},
    {"connect timeout 0", "timeout", bad_connect_timeout},
    {"timeout 0", "timeout", bad_timeout},
    {"user agent with CRLF", "user agent", bad_user_agent_crlf},
    {"empty user agent", "user agent", bad_user_agent_empty},
    {"max concurrency 0", "concurrency", bad_max_concurrency},
    {"max retries over CLARIFAI_MAX_RETRIES_LIMIT", "retries", bad_max_retries},
    {"max response bytes 0", "response bytes", bad_max_response_bytes},
    {"missing CA file", "ca.pem", bad_ca_file},
    {"socks proxy", "proxy", bad_proxy_socks},
    {"proxy that is not a URL", "proxy", bad_proxy_not_url},
};

/* Make a client from `o` with constructor `k`; NULL *out on failure. */
static clarifai_result construct(int k, const clarifai_client_options *o, clarifai_client **out, clarifai_error **err) {
    switch (k) {
    case 0: return clarifai_client_new_api_key(E.api_key, o, out, err);
    case 1: return clarifai_client_new_pat(E.pat, E.user_id, E.app_id, o, out, err);
    case 2: return clarifai_client_new_without_credential(o, out, err);
    case 3: return clarifai_client_new_from_env(o, out, err);
    case 4: return clarifai_client_new_deprecated_legacy_token("legacy-token-123", o, out, err);
    default: return clarifai_client_new_deprecated_client_credentials("client-id", "client-secret", o, out, err);
    }
}
static const char *const constructor_names[] = {"new_api_key", "new_pat", "new_without_credential", "new_from_env",
                                                "new_deprecated_legacy_token", "new_deprecated_client_credentials"};

static void test_bad_settings_refused_by_every_constructor(void) {
    /* new_from_env needs a credential in the environment. */
    const char *had_key = getenv("CLARIFAI_API_KEY");
    char *saved = had_key ? strdup(had_key) : NULL;
    setenv("CLARIFAI_API_KEY", E.api_key, 1);
    for (size_t i = 0; i < COUNT_OF(bad_settings); i++) {
        clarifai_client_options *o = test_options(NULL, 0);
        if (!o) break;
        bad_settings[i].apply(o);
        for (int k = 0; k < (int)COUNT_OF(constructor_names); k++) {
            clarifai_client *c = SENTINEL;
            clarifai_error *err = NULL;
            clarifai_result r = construct(k, o, &c, &err);
            CHECK_MSG(r == CLARIFAI_RESULT_INVALID_ARGUMENT, "%s with %s gave %s: %s", constructor_names[k], bad_settings[i].what,
                      clarifai_result_name(r), clarifai_error_message(err));
            CHECK_MSG(c == SENTINEL, "%s with %s wrote out_client", constructor_names[k], bad_settings[i].what);
            CHECK_MSG(err && strstr(clarifai_error_message(err), bad_settings[i].named), "%s with %s: the message \"%s\" does not name %s",
                      constructor_names[k], bad_settings[i].what, clarifai_error_message(err), bad_settings[i].named);
            CHECK(err && clarifai_error_status_code(err) == 0 && clarifai_error_http_status(err) == 0);
            if (r == CLARIFAI_RESULT_OK && c != SENTINEL) clarifai_client_free(c);
            clarifai_error_free(err);
            /* out_error NULL: the result alone. */
            c = SENTINEL;
            r = construct(k, o, &c, NULL);
            CHECK_MSG(r == CLARIFAI_RESULT_INVALID_ARGUMENT && c == SENTINEL, "%s with %s and no out_error gave %s",
                      constructor_names[k], bad_settings[i].what, clarifai_result_name(r));
            if (r == CLARIFAI_RESULT_OK && c != SENTINEL) clarifai_client_free(c);
        }
        clarifai_client_options_free(o);
    }
    if (saved) setenv("CLARIFAI_API_KEY", saved, 1);
    else unsetenv("CLARIFAI_API_KEY");
    free(saved);
}

/* Setters store: the last value wins, so a bad value set over by a good one is no error. */
static void test_last_setting_wins(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    clarifai_response *resp = NULL;
    if (!o) return;
    SETTER_OK(clarifai_client_options_set_timeout_ms(o, 0, &err_));
    SETTER_OK(clarifai_client_options_set_timeout_ms(o, 30000, &err_));
    SETTER_OK(clarifai_client_options_set_connect_timeout_ms(o, 0, &err_));
    SETTER_OK(clarifai_client_options_set_connect_timeout_ms(o, 5000, &err_));
    SETTER_OK(clarifai_client_options_set_user_agent(o, "", &err_));
    SETTER_OK(clarifai_client_options_set_user_agent(o, "c-suite/1.0", &err_));
    SETTER_OK(clarifai_client_options_set_max_concurrency(o, 0, &err_));
    SETTER_OK(clarifai_client_options_set_max_concurrency(o, 4, &err_));
    SETTER_OK(clarifai_client_options_set_max_retries(o, 1000, &err_));
    SETTER_OK(clarifai_client_options_set_max_retries(o, CLARIFAI_MAX_RETRIES_LIMIT, &err_));
    SETTER_OK(clarifai_client_options_set_max_retries(o, 0, &err_));
    SETTER_OK(clarifai_client_options_set_max_response_bytes(o, 0, &err_));
    SETTER_OK(clarifai_client_options_set_max_response_bytes(o, 1 << 20, &err_));
    SETTER_OK(clarifai_client_options_set_base_url(o, "ftp://example.com", &err_));
    SETTER_OK(clarifai_client_options_set_base_url(o, E.url, &err_));
    SETTER_OK(clarifai_client_options_set_danger_allow_insecure_http(o, false, &err_));
    SETTER_OK(clarifai_client_options_set_proxy_from_env(o, false, &err_));
    SETTER_OK(clarifai_client_options_set_http2_prior_knowledge(o, false, &err_));
    /* out_error NULL on success: nothing to write anyway. */
    CHECK_RESULT(clarifai_client_options_set_timeout_ms(o, 20000, NULL), CLARIFAI_RESULT_OK, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    err = NULL;
    /* Options are copied into the client: freeing them first leaves the client intact. */
    clarifai_client_options_free(o);
    if (!c) return;
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    clarifai_response_free(resp);
    clarifai_client_free(c);
}

static void test_insecure_url(void) {
    /* Plain http to a host that is not loopback is refused unless opted in by name. */
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    clarifai_result r;
    clarifai_client_options_set_base_url(o, "http://192.0.2.1:9", NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    clarifai_client_options_set_connect_timeout_ms(o, 300, NULL);
    /* Refused when the client is made, before anything is sent. */
    r = clarifai_client_new_api_key(E.api_key, o, &c, &err);
    CHECK_RESULT(r, CLARIFAI_RESULT_INSECURE_URL, err);
    CHECK(c == NULL);
    clarifai_error_free(err);
    err = NULL;
    /* Opted in by name, it is made (and the call fails to connect, not as insecure). */
    clarifai_client_options_set_danger_allow_insecure_http(o, true, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    err = NULL;
    if (c) {
        r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        CHECK(r != CLARIFAI_RESULT_OK && r != CLARIFAI_RESULT_INSECURE_URL && resp == SENTINEL);
        clarifai_error_free(err);
    }
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

static void test_credential_kinds(void) {
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    clarifai_client_options *o = test_options(NULL, 0);

    CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    CHECK(clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_API_KEY);
    clarifai_client_free(c);
    c = NULL;
    CHECK_RESULT(clarifai_client_new_pat(E.pat, E.user_id, E.app_id, o, &c, &err), CLARIFAI_RESULT_OK, err);
    CHECK(clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_PAT);
    clarifai_client_free(c);
    c = NULL;
    CHECK_RESULT(clarifai_client_new_deprecated_legacy_token("legacy-token-123", o, &c, &err), CLARIFAI_RESULT_OK, err);
    CHECK(clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_LEGACY_TOKEN);
    clarifai_client_free(c);
    c = NULL;
    /* No request until the first call; the tokens it gets are Bearer tokens. */
    CHECK_RESULT(clarifai_client_new_deprecated_client_credentials("client-id", "client-secret", o, &c, &err),
                 CLARIFAI_RESULT_OK, err);
    CHECK(clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_LEGACY_TOKEN);
    clarifai_client_free(c);
    c = NULL;
    CHECK_RESULT(clarifai_client_new_without_credential(o, &c, &err), CLARIFAI_RESULT_OK, err);
    CHECK(c != NULL && clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_NONE);
    clarifai_client_free(c);
    clarifai_error_free(err);
    clarifai_client_options_free(o);
}

void suite_basics(void) {
    h_run("version matches the header macros and Cargo.toml", test_version);
    h_run("result names cover every result code", test_result_names);
    h_run("every _free accepts NULL", test_free_null);
    h_run("accessors of NULL objects give documented defaults", test_accessors_of_null);
    h_run("call options and cancel tokens: new, set, cancel, free", test_new_handles);
    h_run("options: every bad value is refused by every constructor, naming it", test_bad_settings_refused_by_every_constructor);
    h_run("options: setters only store, the last value wins", test_last_setting_wins);
    h_run("plain http to a non-loopback host is refused", test_insecure_url);
    h_run("credential kind of each constructor", test_credential_kinds);
}
