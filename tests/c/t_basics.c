/* Version, result names, options, accessors of absent objects, _free(NULL), the JSON reader. */
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

    CHECK(clarifai_client_credential_kind(NULL) == CLARIFAI_CREDENTIAL_KIND_API_KEY);
}

/* Each setter: a good value is taken, a bad one refused with an error naming the problem, and
 * out_error may be NULL. */
static void test_option_setters(void) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_error *err = NULL;
    CHECK(o != NULL);
    if (!o) return;

#define OPT_OK(call)                                                                               \
    do {                                                                                           \
        err = NULL;                                                                                \
        CHECK_RESULT(call, CLARIFAI_RESULT_OK, err);                                               \
        CHECK(err == NULL);                                                                        \
    } while (0)
#define OPT_BAD(call)                                                                              \
    do {                                                                                           \
        err = NULL;                                                                                \
        CHECK_RESULT(call, CLARIFAI_RESULT_INVALID_ARGUMENT, err);                                 \
        CHECK(err != NULL && clarifai_error_result(err) == CLARIFAI_RESULT_INVALID_ARGUMENT);      \
        CHECK(err != NULL && strlen(clarifai_error_message(err)) > 0);                             \
        clarifai_error_free(err);                                                                  \
    } while (0)

    OPT_OK(clarifai_client_options_set_base_url(o, "https://api.clarifai.com", &err));
    OPT_OK(clarifai_client_options_set_base_url(o, E.url, &err));
    OPT_BAD(clarifai_client_options_set_base_url(o, "ftp://example.com", &err));
    OPT_BAD(clarifai_client_options_set_base_url(o, "", &err));
    OPT_OK(clarifai_client_options_set_connect_timeout_ms(o, 5000, &err));
    OPT_BAD(clarifai_client_options_set_connect_timeout_ms(o, 0, &err));
    OPT_OK(clarifai_client_options_set_timeout_ms(o, 30000, &err));
    OPT_BAD(clarifai_client_options_set_timeout_ms(o, 0, &err));
    OPT_OK(clarifai_client_options_set_user_agent(o, "c-suite/1.0", &err));
    OPT_BAD(clarifai_client_options_set_user_agent(o, "bad\r\nX-Injected: 1", &err));
    OPT_BAD(clarifai_client_options_set_user_agent(o, "", &err));
    OPT_OK(clarifai_client_options_set_max_concurrency(o, 4, &err));
    OPT_BAD(clarifai_client_options_set_max_concurrency(o, 0, &err));
    OPT_OK(clarifai_client_options_set_max_retries(o, 0, &err));
    OPT_OK(clarifai_client_options_set_max_retries(o, 3, &err));
    OPT_OK(clarifai_client_options_set_max_response_bytes(o, 1 << 20, &err));
    OPT_BAD(clarifai_client_options_set_max_response_bytes(o, 0, &err));
    OPT_OK(clarifai_client_options_set_danger_allow_insecure_http(o, false, &err));
    OPT_OK(clarifai_client_options_set_ca_file(o, "/nonexistent/ca.pem", &err));

    /* out_error NULL: the result alone, nothing written anywhere. */
    CHECK_RESULT(clarifai_client_options_set_timeout_ms(o, 0, NULL), CLARIFAI_RESULT_INVALID_ARGUMENT, NULL);

    /* The CA file is read when a client is made: a missing one fails there, not earlier. */
    {
        clarifai_client *c = SENTINEL;
        err = NULL;
        CHECK(clarifai_client_new_api_key(E.api_key, o, &c, &err) != CLARIFAI_RESULT_OK);
        CHECK(c == SENTINEL);
        CHECK(err != NULL && strstr(clarifai_error_message(err), "ca.pem") != NULL);
        clarifai_error_free(err);
    }
    clarifai_client_options_free(o);

    /* Options are copied into the client: freeing them first leaves the client intact. */
    {
        clarifai_client *c = NULL;
        clarifai_response *resp = NULL;
        o = test_options(NULL, 0);
        err = NULL;
        CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
        clarifai_error_free(err);
        clarifai_client_options_free(o);
        err = NULL;
        CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
        clarifai_error_free(err);
        clarifai_response_free(resp);
        clarifai_client_free(c);
    }
#undef OPT_OK
#undef OPT_BAD
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
    r = clarifai_client_new_api_key(E.api_key, o, &c, &err);
    if (r == CLARIFAI_RESULT_OK) {
        r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        CHECK(resp == SENTINEL);
    }
    CHECK_RESULT(r, CLARIFAI_RESULT_INSECURE_URL, err);
    clarifai_error_free(err);
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
    clarifai_error_free(err);
    clarifai_client_options_free(o);
}

/* The suite's JSON reader is itself under test: the vectors are only as good as it is. */
static void test_json_reader(void) {
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "\"a", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00x\"", "nul", "[1] 2", "{\"a\" 1}", "\"tab\there\"", "{1:2}",
    };
    char err[128];
    json_value *v;
    const char *doc = "{\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\",\"n\":-12.5e1,\"t\":true,"
                      "\"f\":false,\"z\":null,\"a\":[1,[2],{}],\"o\":{\"k\":\"v\"}, \"e\":\"\"}";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = json_parse(bad[i], strlen(bad[i]), err, sizeof err);
        CHECK_MSG(v == NULL, "accepted invalid JSON: %s", bad[i]);
        json_free(v);
    }
    v = json_parse(doc, strlen(doc), err, sizeof err);
    CHECK_MSG(v != NULL, "%s", err);
    if (!v) return;
    CHECK_STR(json_get_str(v, "s"), "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
    CHECK(json_num(json_get(v, "n"), 0) == -125.0);
    CHECK(json_get(v, "t")->type == JSON_BOOL && json_get(v, "t")->boolean == 1);
    CHECK(json_get(v, "f")->type == JSON_BOOL && json_get(v, "f")->boolean == 0);
    CHECK(json_get(v, "z")->type == JSON_NULL);
    CHECK(json_get(v, "a")->count == 3 && json_at(json_at(json_get(v, "a"), 1), 0)->number == 2);
    CHECK_STR(json_get_str(json_get(v, "o"), "k"), "v");
    CHECK(json_get(v, "o")->source_len == strlen("{\"k\":\"v\"}"));
    CHECK_STR(json_get_str(v, "e"), "");
    CHECK(json_get(v, "missing") == NULL && json_at(v, 0) == NULL);
    json_free(v);
}

void suite_basics(void) {
    h_run("version matches the header macros and Cargo.toml", test_version);
    h_run("result names cover every result code", test_result_names);
    h_run("every _free accepts NULL", test_free_null);
    h_run("accessors of NULL objects give documented defaults", test_accessors_of_null);
    h_run("options: each setter takes good values and refuses bad ones", test_option_setters);
    h_run("plain http to a non-loopback host is refused", test_insecure_url);
    h_run("credential kind of each constructor", test_credential_kinds);
    h_run("the suite's JSON reader", test_json_reader);
}
