/* Arguments refused before any request: invalid UTF-8, empty and whitespace keys, oversized
 * values, malformed JSON, unknown endpoints. Also what oversized but valid input does. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

/* Not UTF-8: a stray continuation byte, an overlong '/', an encoded surrogate, a truncated
 * sequence, a code point above U+10FFFF. */
static const char *const bad_utf8[] = {"ab\x80", "\xc0\xaf", "\xed\xa0\x80", "key\xe2\x82", "\xf4\x90\x80\x80"};
#define N_BAD (sizeof bad_utf8 / sizeof bad_utf8[0])

static void expect_invalid(clarifai_result r, clarifai_error *err, const char *what, int line) {
    if (r != CLARIFAI_RESULT_INVALID_ARGUMENT) {
        h_fail(__FILE__, line, "%s gave %s, expected CLARIFAI_RESULT_INVALID_ARGUMENT: %s", what,
               clarifai_result_name(r), clarifai_error_message(err));
    } else if (!err || clarifai_error_result(err) != r || !*clarifai_error_message(err)) {
        h_fail(__FILE__, line, "%s: no error object with a message", what);
    } else if (clarifai_error_status_code(err) != 0 || clarifai_error_http_status(err) != 0) {
        h_fail(__FILE__, line, "%s: refused locally, yet the error has a server status", what);
    }
}

/* Out-parameters of the calls below, preset to SENTINEL. A call that wrongly succeeds is
 * reported, and what it returned is freed so it does not also show up as a leak. */
static clarifai_client *out = SENTINEL;
static clarifai_response *resp = SENTINEL;
static clarifai_key *key = SENTINEL;
static clarifai_call *call = SENTINEL;

static void release_outs(const char *what, int line) {
    if (out != SENTINEL || resp != SENTINEL || key != SENTINEL || call != SENTINEL) {
        h_fail(__FILE__, line, "%s: a refused call wrote an out-parameter", what);
        if (out != SENTINEL) clarifai_client_free(out);
        if (resp != SENTINEL) clarifai_response_free(resp);
        if (key != SENTINEL) clarifai_key_free(key);
        if (call != SENTINEL) clarifai_call_free(call);
    }
    out = SENTINEL;
    resp = SENTINEL;
    key = SENTINEL;
    call = SENTINEL;
}

#define INVALID(what, CALL)                                                                        \
    do {                                                                                           \
        clarifai_error *err = NULL;                                                                \
        clarifai_result r = (CALL);                                                                \
        expect_invalid(r, err, what, __LINE__);                                                    \
        release_outs(what, __LINE__);                                                              \
        clarifai_error_free(err);                                                                  \
    } while (0)

static void never_called(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    (void)userdata;
    (void)result;
    h_fail(__FILE__, __LINE__, "a callback ran for a call refused up front");
    clarifai_response_free(response);
    clarifai_error_free(error);
}

/* The batch callback of call_many_async: one bad call fails alone, the other succeeds. */
static int batch_runs;
static void utf8_batch_done(void *userdata, clarifai_result result, clarifai_batch *batch, clarifai_error *error) {
    (void)userdata;
    CHECK_RESULT(result, CLARIFAI_RESULT_OK, error);
    CHECK(clarifai_batch_len(batch) == 2);
    CHECK_RESULT(clarifai_batch_result(batch, 0), CLARIFAI_RESULT_OK, clarifai_batch_error(batch, 0));
    CHECK_RESULT(clarifai_batch_result(batch, 1), CLARIFAI_RESULT_INVALID_ARGUMENT, clarifai_batch_error(batch, 1));
    clarifai_batch_free(batch);
    clarifai_error_free(error);
    __atomic_add_fetch(&batch_runs, 1, __ATOMIC_SEQ_CST);
}

/* A batch of two, the second bad: through call_many, call_many_with_options and call_many_async. */
static void bad_second_call(const clarifai_client *c, const char *const *eps, const char *const *params) {
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    clarifai_call *bc = NULL;
    for (int way = 0; way < 2; way++) {
        batch = NULL;
        CHECK_RESULT(way ? clarifai_client_call_many_with_options(c, eps, params, 2, NULL, &batch, &err)
                         : clarifai_client_call_many(c, eps, params, 2, &batch, &err),
                     CLARIFAI_RESULT_OK, err);
        CHECK_RESULT(clarifai_batch_result(batch, 0), CLARIFAI_RESULT_OK, clarifai_batch_error(batch, 0));
        CHECK_RESULT(clarifai_batch_result(batch, 1), CLARIFAI_RESULT_INVALID_ARGUMENT, clarifai_batch_error(batch, 1));
        clarifai_batch_free(batch);
    }
    __atomic_store_n(&batch_runs, 0, __ATOMIC_SEQ_CST);
    CHECK_RESULT(clarifai_client_call_many_async(c, eps, params, 2, NULL, utf8_batch_done, NULL, &bc, &err), CLARIFAI_RESULT_OK, err);
    for (int i = 0; i < 1000 && !clarifai_call_is_done(bc); i++) h_sleep_ms(5);
    CHECK(clarifai_call_is_done(bc) && __atomic_load_n(&batch_runs, __ATOMIC_SEQ_CST) == 1);
    clarifai_call_free(bc);
    clarifai_error_free(err);
}

static void test_invalid_utf8(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = pat_client();
    if (!c) return;
    for (size_t i = 0; i < N_BAD; i++) {
        const char *b = bad_utf8[i];
        INVALID("api_key", clarifai_client_new_api_key(b, o, &out, &err));
        INVALID("pat", clarifai_client_new_pat(b, E.user_id, E.app_id, o, &out, &err));
        INVALID("user_id", clarifai_client_new_pat(E.pat, b, E.app_id, o, &out, &err));
        INVALID("app_id", clarifai_client_new_pat(E.pat, E.user_id, b, o, &out, &err));
        INVALID("token", clarifai_client_new_deprecated_legacy_token(b, o, &out, &err));
        INVALID("client_id", clarifai_client_new_deprecated_client_credentials(b, "s", o, &out, &err));
        INVALID("client_secret", clarifai_client_new_deprecated_client_credentials("i", b, o, &out, &err));
        INVALID("with api_key", clarifai_client_with_api_key(c, b, &out, &err));
        INVALID("with pat", clarifai_client_with_pat(c, b, E.user_id, E.app_id, &out, &err));
        INVALID("with user_id", clarifai_client_with_pat(c, E.pat, b, E.app_id, &out, &err));
        INVALID("with app_id", clarifai_client_with_pat(c, E.pat, E.user_id, b, &out, &err));
        INVALID("call endpoint", clarifai_client_call(c, b, NULL, &resp, &err));
        INVALID("call params", clarifai_client_call(c, "ListInputs", b, &resp, &err));
        INVALID("request method", clarifai_client_request(c, b, "/v2/inputs", NULL, &resp, &err));
        INVALID("request path", clarifai_client_request(c, "GET", b, NULL, &resp, &err));
        INVALID("request body", clarifai_client_request(c, "POST", "/v2/inputs", b, &resp, &err));
        INVALID("check endpoint", clarifai_client_check(c, b, &err));
        INVALID("create_app app_id", clarifai_client_create_app(c, b, NULL, &resp, &err));
        INVALID("create_app description", clarifai_client_create_app(c, "utf8-app", b, &resp, &err));
        {
            const char *bad_list[] = {"Predict", b};
            const char *good_scopes[] = {"Predict"};
            const char *good_eps[] = {"PostModelOutputs"};
            INVALID("create_key description", clarifai_client_create_key(c, b, good_scopes, 1, NULL, 0, NULL, E.app_id, &key, &err));
            INVALID("create_key scope", clarifai_client_create_key(c, "d", bad_list, 2, NULL, 0, NULL, E.app_id, &key, &err));
            INVALID("create_key endpoint", clarifai_client_create_key(c, "d", good_scopes, 1, bad_list + 1, 1, NULL, E.app_id, &key, &err));
            INVALID("create_key user_id", clarifai_client_create_key(c, "d", good_scopes, 1, good_eps, 1, b, E.app_id, &key, &err));
            INVALID("create_key app_id", clarifai_client_create_key(c, "d", good_scopes, 1, NULL, 0, NULL, b, &key, &err));
        }
        INVALID("delete_key key_id", clarifai_client_delete_key(c, b, &err));
        INVALID("rotate_key key_id", clarifai_client_rotate_key(c, b, &key, &err));
        INVALID("call_async endpoint", clarifai_client_call_async(c, b, NULL, NULL, never_called, NULL, &call, &err));
        INVALID("call_async params", clarifai_client_call_async(c, "ListInputs", b, NULL, never_called, NULL, &call, &err));
        INVALID("call_start endpoint", clarifai_client_call_start(c, b, NULL, NULL, &call, &err));
        INVALID("call_start params", clarifai_client_call_start(c, "ListInputs", b, NULL, &call, &err));
        INVALID("call_with_options endpoint", clarifai_client_call_with_options(c, b, NULL, NULL, &resp, &err));
        INVALID("call_with_options params", clarifai_client_call_with_options(c, "ListInputs", b, NULL, &resp, &err));
        INVALID("set_base_url", clarifai_client_options_set_base_url(o, b, &err));
        INVALID("set_ca_file", clarifai_client_options_set_ca_file(o, b, &err));
        INVALID("set_user_agent", clarifai_client_options_set_user_agent(o, b, &err));
        INVALID("set_proxy", clarifai_client_options_set_proxy(o, b, &err));
        CHECK(clarifai_response_header(NULL, b) == NULL);
        {
            /* One bad call in a batch fails alone; the function itself succeeds. */
            const char *eps[] = {"ListInputs", b};
            const char *params[] = {NULL, NULL};
            const char *eps2[] = {"ListInputs", "ListInputs"};
            const char *params2[] = {NULL, b};
            bad_second_call(c, eps, params);
            bad_second_call(c, eps2, params2);
        }
    }
    /* Lookups by a name that is not UTF-8 find nothing, and say so without failing. */
    {
        clarifai_scopes *sc = NULL;
        clarifai_response *ok = NULL;
        clarifai_error *err = NULL;
        CHECK_RESULT(clarifai_client_my_scopes(c, &sc, &err), CLARIFAI_RESULT_OK, err);
        CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &ok, &err), CLARIFAI_RESULT_OK, err);
        for (size_t i = 0; i < N_BAD; i++) {
            CHECK(!clarifai_scopes_contains(sc, bad_utf8[i]));
            CHECK(clarifai_response_header(ok, bad_utf8[i]) == NULL);
        }
        clarifai_scopes_free(sc);
        clarifai_response_free(ok);
        clarifai_error_free(err);
    }
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

/* Keys go straight into a header: empty, whitespace, control and non-ASCII characters are
 * refused when the client is made, and the message never echoes the key. */
static const char *const bad_keys[] = {
    "", " ", "   ", "\t", "\n", "key with space", " leading", "trailing ", "tab\tkey", "new\nline",
    "cr\rlf", "del\x7f", "nbsp\xc2\xa0key", "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87", "Key abc",
};

static void check_no_echo(clarifai_error *err, const char *key, const char *what, int line) {
    /* Long enough to be a meaningful echo (a single space would match any message). */
    if (err && strlen(key) >= 6 && strstr(clarifai_error_message(err), key)) {
        h_fail(__FILE__, line, "%s: the message repeats the refused key", what);
    }
}

#define INVALID_KEY(what, key, CALL)                                                               \
    do {                                                                                           \
        clarifai_error *err = NULL;                                                                \
        clarifai_result r = (CALL);                                                                \
        expect_invalid(r, err, what, __LINE__);                                                    \
        release_outs(what, __LINE__);                                                              \
        check_no_echo(err, key, what, __LINE__);                                                   \
        clarifai_error_free(err);                                                                  \
    } while (0)

static void test_bad_keys(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = api_key_client(E.api_key);
    if (!c) return;
    for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        const char *k = bad_keys[i];
        INVALID_KEY("api key", k, clarifai_client_new_api_key(k, o, &out, &err));
        INVALID_KEY("pat", k, clarifai_client_new_pat(k, E.user_id, E.app_id, o, &out, &err));
        INVALID_KEY("legacy token", k, clarifai_client_new_deprecated_legacy_token(k, o, &out, &err));
        INVALID_KEY("with_api_key", k, clarifai_client_with_api_key(c, k, &out, &err));
        INVALID_KEY("with_pat", k, clarifai_client_with_pat(c, k, E.user_id, E.app_id, &out, &err));
    }
    /* Ids in paths: empty, a slash (path traversal), a space, a query. */
    {
        static const char *const bad_ids[] = {"", "a/b", "..", "a b", "app?x=1", "app#frag"};
        for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
            const char *id = bad_ids[i];
            char what[64];
            snprintf(what, sizeof what, "user_id \"%s\"", id);
            INVALID(what, clarifai_client_new_pat(E.pat, id, E.app_id, o, &out, &err));
            snprintf(what, sizeof what, "app_id \"%s\"", id);
            INVALID(what, clarifai_client_new_pat(E.pat, E.user_id, id, o, &out, &err));
        }
    }
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

static char *repeated(char ch, size_t n) {
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memset(s, ch, n);
    s[n] = '\0';
    return s;
}

static void test_oversized(void) {
    const size_t mb = 1024 * 1024;
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = api_key_client(E.api_key);
    char *big = repeated('k', mb);
    char *params = malloc(10 * mb + 64);
    if (!c || !big || !params) {
        CHECK(!"setup");
        goto done;
    }
    INVALID("1 MB api key", clarifai_client_new_api_key(big, o, &out, &err));
    INVALID("1 MB pat", clarifai_client_new_pat(big, E.user_id, E.app_id, o, &out, &err));
    INVALID("1 MB user_id", clarifai_client_new_pat(E.pat, big, E.app_id, o, &out, &err));
    INVALID("1 MB legacy token", clarifai_client_new_deprecated_legacy_token(big, o, &out, &err));
    INVALID("1 MB with_api_key", clarifai_client_with_api_key(c, big, &out, &err));
    {
        clarifai_error *err = NULL;
        /* The message names the endpoint, but only a bounded part of it. */
        CHECK_RESULT(clarifai_client_call(c, big, NULL, &resp, &err), CLARIFAI_RESULT_UNKNOWN_ENDPOINT, err);
        CHECK(err && strlen(clarifai_error_message(err)) < 4096);
        clarifai_error_free(err);
    }

    /* 10 MB of parameters: malformed is refused locally; well-formed is sent, and whatever the
     * server makes of it comes back as a result, not a crash or a hang. */
    memset(params, ' ', 10 * mb);
    params[0] = '{';
    params[10 * mb] = '\0';
    INVALID("10 MB malformed params", clarifai_client_call(c, "PostModelOutputs", params, &resp, &err));
    {
        const char *head = "{\"model_id\":\"general-image-recognition\",\"inputs\":[{\"data\":{\"text\":{\"raw\":\"";
        size_t h = strlen(head);
        clarifai_error *err = NULL;
        clarifai_response *ok = NULL;
        clarifai_result r;
        memcpy(params, head, h);
        memset(params + h, 'x', 10 * mb - h);
        strcpy(params + 10 * mb, "\"}}}]}");
        r = clarifai_client_call(c, "PostModelOutputs", params, &ok, &err);
        h_diag("10 MB params: %s (http %u)", clarifai_result_name(r), r ? clarifai_error_http_status(err) : clarifai_response_http_status(ok));
        CHECK(r != CLARIFAI_RESULT_PANIC && r != CLARIFAI_RESULT_INVALID_ARGUMENT && r != CLARIFAI_RESULT_TIMEOUT);
        CHECK((r == CLARIFAI_RESULT_OK) == (ok != NULL) && (r == CLARIFAI_RESULT_OK) == (err == NULL));
        clarifai_response_free(ok);
        clarifai_error_free(err);
    }
    /* The client still works afterwards: no poisoned connection left in the pool. */
    {
        clarifai_error *err = NULL;
        clarifai_response *ok = NULL;
        CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &ok, &err), CLARIFAI_RESULT_OK, err);
        clarifai_response_free(ok);
        clarifai_error_free(err);
    }
done:
    free(big);
    free(params);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

static void test_malformed_json(void) {
    static const char *const bad_params[] = {
        "{", "}", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "nul", "{\"a\":1}}", "{\"a\":1} x", "[1,2]", "\"text\"",
        "42", "true", "{\"a\":\"\\x\"}", "{\"a\":01}",
    };
    clarifai_client *c = pat_client();
    if (!c) return;
    for (size_t i = 0; i < sizeof bad_params / sizeof bad_params[0]; i++) {
        const char *p = bad_params[i];
        INVALID(p, clarifai_client_call(c, "ListInputs", p, &resp, &err));
        INVALID(p, clarifai_client_call(c, "PostInputs", p, &resp, &err));
    }
    /* JSON null is "no parameters", like NULL and "": accepted. */
    {
        static const char *const none[] = {"null", " \t\n", " null "};
        for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
            clarifai_response *ok = NULL;
            clarifai_error *err = NULL;
            CHECK_RESULT(clarifai_client_call(c, "ListInputs", none[i], &ok, &err), CLARIFAI_RESULT_OK, err);
            clarifai_error_free(err);
            clarifai_response_free(ok);
        }
    }
    INVALID("request body", clarifai_client_request(c, "POST", "/v2/inputs", "{\"inputs\":[", &resp, &err));
    INVALID("request method", clarifai_client_request(c, "FETCH", "/v2/inputs", NULL, &resp, &err));
    INVALID("request method case", clarifai_client_request(c, "get ", "/v2/inputs", NULL, &resp, &err));
    INVALID("request path", clarifai_client_request(c, "GET", "v2/inputs", NULL, &resp, &err));
    INVALID("request absolute url", clarifai_client_request(c, "GET", "http://evil.example/v2/inputs", NULL, &resp, &err));
    INVALID("request path with CRLF", clarifai_client_request(c, "GET", "/v2/inputs\r\nX-Evil: 1", NULL, &resp, &err));
    {
        /* Scope names in either spelling are checked before any request; unknown ones refused. */
        static const char *const unknown[] = {"Predict", "Bogus:Scope"};
        static const char *const empty[] = {""};
        static const char *const eps[] = {"PostModelOutputs", "NoSuchRpc"};
        static const char *const ok[] = {"Predict"};
        INVALID("unknown scope", clarifai_client_create_key(c, "d", unknown, 2, NULL, 0, NULL, E.app_id, &key, &err));
        INVALID("empty scope", clarifai_client_create_key(c, "d", empty, 1, NULL, 0, NULL, E.app_id, &key, &err));
        {
            /* An unknown endpoint name: refused locally, or by the server; never a key. */
            clarifai_error *err = NULL;
            clarifai_result r = clarifai_client_create_key(c, "d", ok, 1, eps, 2, NULL, E.app_id, &key, &err);
            CHECK_MSG(r != CLARIFAI_RESULT_OK, "a key was made for the endpoint NoSuchRpc");
            CHECK(err != NULL);
            release_outs("unknown endpoint", __LINE__);
            clarifai_error_free(err);
        }
    }
    clarifai_client_free(c);
}

static int unknown_async_runs;
static clarifai_result unknown_async_result;
static void record_unknown(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    (void)userdata;
    __atomic_store_n(&unknown_async_result, result, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&unknown_async_runs, 1, __ATOMIC_SEQ_CST);
    clarifai_response_free(response);
    clarifai_error_free(error);
}

static void test_unknown_endpoint(void) {
    static const char *const unknown[] = {"NoSuchRpc", "postmodeloutputs", "PostModelOutputs ", "/clarifai.api.V2/NoSuchRpc", ""};
    clarifai_client *c = api_key_client(E.api_key);
    if (!c) return;
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        clarifai_error *err = NULL;
        CHECK_RESULT(clarifai_client_call(c, unknown[i], NULL, &resp, &err), CLARIFAI_RESULT_UNKNOWN_ENDPOINT, err);
        release_outs(unknown[i], __LINE__);
        CHECK(err && clarifai_error_result(err) == CLARIFAI_RESULT_UNKNOWN_ENDPOINT);
        clarifai_error_free(err);
        err = NULL;
        CHECK_RESULT(clarifai_client_check(c, unknown[i], &err), CLARIFAI_RESULT_UNKNOWN_ENDPOINT, err);
        clarifai_error_free(err);
    }
    /* Asynchronously: refused up front (no callback) or reported once through the callback. */
    {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_call_async(c, "NoSuchRpc", NULL, NULL, record_unknown, NULL, NULL, &err);
        if (r == CLARIFAI_RESULT_OK) {
            for (int i = 0; i < 500 && __atomic_load_n(&unknown_async_runs, __ATOMIC_SEQ_CST) == 0; i++) h_sleep_ms(10);
            CHECK(__atomic_load_n(&unknown_async_runs, __ATOMIC_SEQ_CST) == 1);
            CHECK_RESULT(__atomic_load_n(&unknown_async_result, __ATOMIC_SEQ_CST), CLARIFAI_RESULT_UNKNOWN_ENDPOINT, NULL);
        } else {
            CHECK_RESULT(r, CLARIFAI_RESULT_UNKNOWN_ENDPOINT, err);
            CHECK(unknown_async_runs == 0);
        }
        clarifai_error_free(err);
    }
    clarifai_client_free(c);
}

void suite_args(void) {
    h_run("invalid UTF-8 in every string argument", test_invalid_utf8);
    h_run("empty, whitespace, control and non-ASCII keys; bad ids", test_bad_keys);
    h_run("oversized arguments: 1 MB key, 10 MB params", test_oversized);
    h_run("malformed JSON, methods and paths", test_malformed_json);
    h_run("unknown endpoints", test_unknown_endpoint);
}
