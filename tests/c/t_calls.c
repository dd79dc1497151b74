/* Authorized calls against the emulator: call, request, response accessors, API errors,
 * my_scopes and check, gRPC metadata, overrides, apps, keys, the environment. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

#define ROUTE_HEADER "X-Clarifai-Emulator-Route"

/* Call and expect success; returns the response (caller frees) or NULL. */
static clarifai_response *call_ok(const clarifai_client *c, const char *endpoint, const char *params, int line) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, endpoint, params, &resp, &err);
    if (r != CLARIFAI_RESULT_OK) {
        h_fail(__FILE__, line, "%s gave %s: %s", endpoint, clarifai_result_name(r), clarifai_error_message(err));
    }
    clarifai_error_free(err);
    return resp;
}

/* Call and expect failure `want`; returns the error (caller frees). */
static clarifai_error *call_fails(const clarifai_client *c, const char *endpoint, const char *params,
                                  clarifai_result want, int line) {
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, endpoint, params, &resp, &err);
    if (r != want) {
        h_fail(__FILE__, line, "%s gave %s, expected %s: %s", endpoint, clarifai_result_name(r),
               clarifai_result_name(want), clarifai_error_message(err));
    }
    if (resp != SENTINEL) {
        h_fail(__FILE__, line, "%s failed yet wrote out_response", endpoint);
        if (r == CLARIFAI_RESULT_OK) clarifai_response_free(resp);
    }
    if (!err) h_fail(__FILE__, line, "%s failed without an error object", endpoint);
    return err;
}

static void route_is(const char *got, const char *want, int line) {
    if (!got || strcmp(got, want) != 0) {
        h_fail(__FILE__, line, "route \"%s\", expected \"%s\"", got ? got : "(none)", want);
    }
}

static void test_call_api_key(void) {
    clarifai_client *c = api_key_client(E.api_key);
    clarifai_response *resp;
    json_error_t jerr;
    json_t *body;
    if (!c) return;
    resp = call_ok(c, "ListInputs", "{\"per_page\":1}", __LINE__);
    if (!resp) goto done;
    CHECK(clarifai_response_http_status(resp) == 200);
    CHECK(clarifai_response_status_code(resp) == 10000);
    CHECK_STR(clarifai_response_description(resp), "Ok");
    CHECK(clarifai_response_details(resp) != NULL);
    CHECK(clarifai_response_req_id(resp) != NULL);
    route_is(clarifai_response_header(resp, ROUTE_HEADER), "GET /v2/inputs", __LINE__);
    /* Header names are case-insensitive; absent ones are NULL. */
    route_is(clarifai_response_header(resp, "x-clarifai-emulator-route"), "GET /v2/inputs", __LINE__);
    CHECK(clarifai_response_header(resp, "X-No-Such-Header") == NULL);
    CHECK(clarifai_response_header(resp, NULL) == NULL);
    CHECK(clarifai_response_header(resp, "") == NULL);
    body = json_loads(clarifai_response_json(resp), 0, &jerr);
    CHECK_MSG(body != NULL, "response JSON: %s", jerr.text);
    CHECK(json_integer_value(json_object_get(json_object_get(body, "status"), "code")) == 10000);
    CHECK(json_object_get(body, "inputs") == NULL || json_is_array(json_object_get(body, "inputs")));
    json_decref(body);
    /* Borrowed strings stay valid until the response is freed, the same pointer each time. */
    CHECK(clarifai_response_json(resp) == clarifai_response_json(resp));
    CHECK(clarifai_response_description(resp) == clarifai_response_description(resp));
    {
        /* One stable copy per header: repeated lookups, in any case, give the same pointer. */
        const char *first = clarifai_response_header(resp, ROUTE_HEADER);
        const char *ct = clarifai_response_header(resp, "Content-Type");
        CHECK(first != NULL && ct != NULL && first != ct);
        for (int i = 0; i < 100; i++) {
            CHECK(clarifai_response_header(resp, ROUTE_HEADER) == first);
            CHECK(clarifai_response_header(resp, "X-CLARIFAI-EMULATOR-ROUTE") == first);
            CHECK(clarifai_response_header(resp, "content-type") == ct);
        }
        CHECK_STR(first, "GET /v2/inputs");
    }
    clarifai_response_free(resp);
done:
    clarifai_client_free(c);
}

static void test_call_pat(void) {
    clarifai_client *c = pat_client();
    clarifai_response *resp;
    char route[512];
    if (!c) return;
    resp = call_ok(c, "ListInputs", NULL, __LINE__);
    snprintf(route, sizeof route, "GET /v2/users/%s/apps/%s/inputs", E.user_id, E.app_id);
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), route, __LINE__);
    clarifai_response_free(resp);
    clarifai_client_free(c);
}

static void test_predict(void) {
    clarifai_client *c = api_key_client(E.api_key);
    clarifai_response *resp;
    if (!c) return;
    resp = call_ok(c, "PostModelOutputs",
                   "{\"model_id\":\"general-image-recognition\",\"inputs\":[{\"data\":{\"image\":{\"url\":"
                   "\"https://samples.clarifai.com/metro-north.jpg\"}}}]}",
                   __LINE__);
    if (resp) {
        json_t *body = json_loads(clarifai_response_json(resp), 0, NULL);
        const json_t *concepts =
            json_object_get(json_object_get(json_array_get(json_object_get(body, "outputs"), 0), "data"), "concepts");
        CHECK_MSG(json_array_size(concepts) > 0, "no concepts in the prediction");
        route_is(clarifai_response_header(resp, ROUTE_HEADER), "POST /v2/models/general-image-recognition/outputs", __LINE__);
        json_decref(body);
    }
    clarifai_response_free(resp);
    clarifai_client_free(c);
}

static void test_unknown_key(void) {
    clarifai_client *c = api_key_client(CANARY_KEY);
    clarifai_error *err;
    if (!c) return;
    err = call_fails(c, "ListInputs", NULL, CLARIFAI_RESULT_KEY_NOT_FOUND, __LINE__);
    CHECK(clarifai_error_result(err) == CLARIFAI_RESULT_KEY_NOT_FOUND);
    CHECK(clarifai_error_status_code(err) == 11009);
    CHECK(clarifai_error_http_status(err) == 401);
    CHECK_STR(clarifai_error_description(err), "API key not found");
    CHECK(clarifai_error_retry_after_secs(err) == -1);
    CHECK(clarifai_error_missing_scopes_count(err) == 0 && clarifai_error_missing_endpoint(err) == NULL);
    route_is(clarifai_error_header(err, ROUTE_HEADER), "GET /v2/inputs", __LINE__);
    CHECK(clarifai_error_header(err, ROUTE_HEADER) == clarifai_error_header(err, "x-clarifai-emulator-route"));
    CHECK(strstr(clarifai_error_message(err), "11009") != NULL);
    /* The key is a secret: no part of the error may carry it. */
    CHECK(!strstr(clarifai_error_message(err), CANARY_KEY) && !strstr(clarifai_error_details(err), CANARY_KEY) &&
          !strstr(clarifai_error_description(err), CANARY_KEY));
    CHECK(!strstr(clarifai_error_message(err), "0123456789abcdef"));
    clarifai_error_free(err);
    clarifai_client_free(c);
}

static void test_request(void) {
    clarifai_client *c = api_key_client(E.api_key);
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    if (!c) return;
    CHECK_RESULT(clarifai_client_request(c, "GET", "/v2/inputs?per_page=1", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), "GET /v2/inputs", __LINE__);
    clarifai_response_free(resp);
    resp = NULL;
    CHECK_RESULT(clarifai_client_request(c, "POST", "/v2/inputs",
                                         "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"hello\"}}}]}", &resp, &err),
                 CLARIFAI_RESULT_OK, err);
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), "POST /v2/inputs", __LINE__);
    clarifai_response_free(resp);
    resp = SENTINEL;
    CHECK_RESULT(clarifai_client_request(c, "GET", "/v2/no-such-resource", NULL, &resp, &err), CLARIFAI_RESULT_NOT_FOUND, err);
    CHECK(resp == SENTINEL);
    CHECK(clarifai_error_status_code(err) == 11101 && clarifai_error_http_status(err) == 404);
    clarifai_error_free(err);
    clarifai_client_free(c);
}

static clarifai_scopes *my_scopes(const clarifai_client *c) {
    clarifai_scopes *sc = SENTINEL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_my_scopes(c, &sc, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    return sc == SENTINEL ? NULL : sc;
}

/* True when one of the `n` strings got(i) is `want`; every one must be non-NULL. */
static int listed(const void *h, size_t n, const char *(*get)(const void *, size_t), const char *want) {
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = get(h, i);
        if (!v) {
            h_fail(__FILE__, __LINE__, "item %zu of %zu is NULL", i, n);
            return 0;
        }
        if (strcmp(v, want) == 0) found = 1;
    }
    /* One past the end is NULL. */
    if (get(h, n) != NULL) h_fail(__FILE__, __LINE__, "item %zu of %zu is not NULL", n, n);
    return found;
}
static const char *scope_at(const void *h, size_t i) { return clarifai_scopes_get(h, i); }
static const char *granted_at(const void *h, size_t i) { return clarifai_scopes_granted(h, i); }
static const char *endpoint_at(const void *h, size_t i) { return clarifai_scopes_endpoint(h, i); }
static const char *grant_at(const void *h, size_t i) { return clarifai_scopes_endpoint_grant(h, i); }
static const char *key_scope_at(const void *h, size_t i) { return clarifai_key_scope(h, i); }
static const char *key_endpoint_at(const void *h, size_t i) { return clarifai_key_endpoint(h, i); }

static void test_my_scopes_and_check(void) {
    /* Predict needs reading the model, its concepts and its app as well. Either spelling in. */
    static const char *const scopes[] = {"Predict", "Models_Get", "Concepts:Get", "Apps:Get", "Inputs:Add"};
    char *key = create_demo_key(scopes, 4, NULL, 0);
    clarifai_client *c = key ? api_key_client(key) : NULL;
    clarifai_client *full = api_key_client(E.api_key);
    clarifai_client *adder = NULL;
    clarifai_error *err = NULL;
    clarifai_scopes *sc;
    if (!c || !full) goto done;

    sc = my_scopes(c);
    if (sc) {
        size_t n = clarifai_scopes_count(sc), g = clarifai_scopes_granted_count(sc);
        CHECK(listed(sc, n, scope_at, "Predict"));
        CHECK(listed(sc, n, scope_at, "Models:Get"));
        CHECK(!listed(sc, n, scope_at, "Inputs:Add"));
        CHECK(!listed(sc, n, scope_at, "Models_Get"));
        CHECK(listed(sc, g, granted_at, "Predict") && listed(sc, g, granted_at, "Models:Get"));
        CHECK_MSG(n >= g && g == 4, "%zu scopes, %zu granted", n, g);
        /* Callable endpoints as MyScopes listed them; no endpoint limit on this key. */
        CHECK(listed(sc, clarifai_scopes_endpoint_count(sc), endpoint_at, "/clarifai.api.V2/PostModelOutputs"));
        CHECK(!listed(sc, clarifai_scopes_endpoint_count(sc), endpoint_at, "/clarifai.api.V2/PostInputs"));
        CHECK(clarifai_scopes_endpoint_grant_count(sc) == 0 && clarifai_scopes_endpoint_grant(sc, 0) == NULL);
        CHECK(clarifai_scopes_unknown_count(sc) == 0 && clarifai_scopes_unknown(sc, 0) == NULL);
        CHECK_STR(clarifai_scopes_app_id(sc), E.app_id);
        CHECK_STR(clarifai_scopes_app_user_id(sc), E.user_id);
        /* contains: both spellings, dependencies counted; unknown names and "" are false. */
        CHECK(clarifai_scopes_contains(sc, "Predict"));
        CHECK(clarifai_scopes_contains(sc, "Models:Get") && clarifai_scopes_contains(sc, "Models_Get"));
        CHECK(clarifai_scopes_contains(sc, "Concepts_Get") && clarifai_scopes_contains(sc, "Apps:Get"));
        CHECK(!clarifai_scopes_contains(sc, "Inputs:Add") && !clarifai_scopes_contains(sc, "Inputs_Add"));
        CHECK(!clarifai_scopes_contains(sc, "Bogus:Scope") && !clarifai_scopes_contains(sc, ""));
        CHECK(!clarifai_scopes_contains(sc, NULL));
        /* Borrowed strings: the same pointer while the handle lives. */
        CHECK(clarifai_scopes_get(sc, 0) == clarifai_scopes_get(sc, 0));
        clarifai_scopes_free(sc);
    }
    /* Granting a scope grants its dependencies: a key with Inputs:Add has Inputs:Get. (The
     * emulator stores a key's scopes as their closure, so granted and closure agree there.) */
    {
        char *k2 = create_demo_key(scopes + 4, 1, NULL, 0);
        adder = k2 ? api_key_client(k2) : NULL;
        sc = adder ? my_scopes(adder) : NULL;
        if (sc) {
            CHECK(clarifai_scopes_contains(sc, "Inputs:Add") && clarifai_scopes_contains(sc, "Inputs_Get"));
            CHECK(listed(sc, clarifai_scopes_count(sc), scope_at, "Inputs:Get"));
            CHECK(listed(sc, clarifai_scopes_granted_count(sc), granted_at, "Inputs:Add"));
            CHECK(clarifai_scopes_count(sc) >= clarifai_scopes_granted_count(sc));
            clarifai_scopes_free(sc);
        }
        free(k2);
    }
    /* A PAT's MyScopes: no app of its own. */
    {
        clarifai_client *pat = pat_client();
        sc = pat ? my_scopes(pat) : NULL;
        if (sc) {
            CHECK(clarifai_scopes_count(sc) > 0 && clarifai_scopes_contains(sc, "Inputs:Add"));
            clarifai_scopes_free(sc);
        }
        clarifai_client_free(pat);
    }

    CHECK_RESULT(clarifai_client_check(c, "PostModelOutputs", &err), CLARIFAI_RESULT_OK, err);
    CHECK(err == NULL);
    CHECK_RESULT(clarifai_client_check(c, "PostInputs", &err), CLARIFAI_RESULT_INSUFFICIENT_SCOPES, err);
    if (err) {
        size_t n = clarifai_error_missing_scopes_count(err);
        int has_add = 0;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(clarifai_error_missing_scope(err, i), "Inputs:Add") == 0) has_add = 1;
        }
        CHECK_MSG(has_add, "missing scopes do not name Inputs:Add (%zu named)", n);
        CHECK(clarifai_error_missing_scope(err, n) == NULL);
        /* A preflight denial: the server was not asked. */
        CHECK(clarifai_error_status_code(err) == 0 && clarifai_error_http_status(err) == 0);
        CHECK(strstr(clarifai_error_message(err), "Inputs:Add") != NULL);
        clarifai_error_free(err);
        err = NULL;
    }
    /* The server agrees with the preflight. */
    err = call_fails(c, "PostInputs", "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"x\"}}}]}",
                     CLARIFAI_RESULT_INSUFFICIENT_SCOPES, __LINE__);
    if (err) {
        int has_add = 0;
        for (size_t i = 0; i < clarifai_error_missing_scopes_count(err); i++) {
            if (strcmp(clarifai_error_missing_scope(err, i), "Inputs:Add") == 0) has_add = 1;
        }
        CHECK(has_add);
        CHECK(clarifai_error_status_code(err) == 11007 && clarifai_error_http_status(err) == 403);
        clarifai_error_free(err);
        err = NULL;
    }
    /* An app key on a PAT-only endpoint. */
    CHECK_RESULT(clarifai_client_check(full, "PostKeys", &err), CLARIFAI_RESULT_PAT_REQUIRED, err);
    clarifai_error_free(err);
    err = NULL;
    /* out_error NULL: the verdict alone. */
    CHECK_RESULT(clarifai_client_check(c, "PostInputs", NULL), CLARIFAI_RESULT_INSUFFICIENT_SCOPES, NULL);
    CHECK_RESULT(clarifai_client_check(full, "PostInputs", NULL), CLARIFAI_RESULT_OK, NULL);
done:
    clarifai_client_free(c);
    clarifai_client_free(full);
    clarifai_client_free(adder);
    free(key);
}

/* A key limited to endpoints: the preflight names the endpoint grant it lacks. MyScopes is in
 * the list, since the preflight asks it what the key may do. */
static void test_check_endpoint_grant(void) {
    static const char *const all[] = {"All"};
    static const char *const eps[] = {"PostModelOutputs", "/clarifai.api.V2/MyScopes"};
    char *key = create_demo_key(all, 1, eps, 2);
    clarifai_client *c = key ? api_key_client(key) : NULL;
    clarifai_error *err = NULL;
    clarifai_scopes *sc;
    if (!c) goto done;
    sc = my_scopes(c);
    if (sc) {
        size_t n = clarifai_scopes_endpoint_grant_count(sc);
        CHECK_MSG(n == 2, "%zu endpoint grants", n);
        CHECK(listed(sc, n, grant_at, "/clarifai.api.V2/PostModelOutputs"));
        CHECK(listed(sc, n, grant_at, "/clarifai.api.V2/MyScopes"));
        CHECK(clarifai_scopes_contains(sc, "All") && clarifai_scopes_contains(sc, "Inputs:Add"));
        CHECK(clarifai_scopes_unknown_count(sc) == 0 && clarifai_scopes_unknown(sc, 0) == NULL);
        clarifai_scopes_free(sc);
    }
    CHECK_RESULT(clarifai_client_check(c, "PostModelOutputs", &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_check(c, "PostInputs", &err), CLARIFAI_RESULT_INSUFFICIENT_SCOPES, err);
    CHECK(err && clarifai_error_missing_scopes_count(err) == 0);
    CHECK_STR(clarifai_error_missing_endpoint(err), "/clarifai.api.V2/PostInputs");
    clarifai_error_free(err);
    err = call_fails(c, "PostInputs", "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"x\"}}}]}",
                     CLARIFAI_RESULT_INSUFFICIENT_SCOPES, __LINE__);
    CHECK_STR(clarifai_error_missing_endpoint(err), "/clarifai.api.V2/PostInputs");
    clarifai_error_free(err);
done:
    clarifai_client_free(c);
    free(key);
}

static void test_grpc_metadata(void) {
    clarifai_client *k = api_key_client(E.api_key);
    clarifai_client *p = pat_client();
    char *value = NULL;
    char want[512];
    clarifai_error *err = NULL;
    if (!k || !p) goto done;
    CHECK_RESULT(clarifai_client_grpc_metadata(k, &value, &err), CLARIFAI_RESULT_OK, err);
    snprintf(want, sizeof want, "Key %s", E.api_key);
    CHECK_MSG(value && strcmp(value, want) == 0, "app key metadata is not \"Key <api_key>\"");
    clarifai_string_free(value);
    value = NULL;
    CHECK_RESULT(clarifai_client_grpc_metadata(p, &value, &err), CLARIFAI_RESULT_OK, err);
    snprintf(want, sizeof want, "Key %s", E.pat);
    CHECK_MSG(value && strcmp(value, want) == 0, "PAT metadata is not \"Key <pat>\"");
    clarifai_string_free(value);
done:
    clarifai_error_free(err);
    clarifai_client_free(k);
    clarifai_client_free(p);
}

static void test_overrides(void) {
    clarifai_client *base = pat_client();
    clarifai_client *as_key = NULL, *as_canary = NULL, *as_pat = NULL;
    clarifai_error *err = NULL;
    clarifai_response *resp;
    char route[512];
    if (!base) return;
    CHECK_RESULT(clarifai_client_with_api_key(base, E.api_key, &as_key, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_with_api_key(base, CANARY_KEY, &as_canary, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_with_pat(base, E.pat, E.user_id, E.app_id, &as_pat, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    CHECK(clarifai_client_credential_kind(as_key) == CLARIFAI_CREDENTIAL_KIND_API_KEY);
    CHECK(clarifai_client_credential_kind(as_pat) == CLARIFAI_CREDENTIAL_KIND_PAT);
    CHECK(clarifai_client_credential_kind(base) == CLARIFAI_CREDENTIAL_KIND_PAT);
    /* Freed independently: the derived clients outlive the one they came from. */
    clarifai_client_free(base);

    resp = as_key ? call_ok(as_key, "ListInputs", NULL, __LINE__) : NULL;
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), "GET /v2/inputs", __LINE__);
    clarifai_response_free(resp);
    resp = as_pat ? call_ok(as_pat, "ListInputs", NULL, __LINE__) : NULL;
    snprintf(route, sizeof route, "GET /v2/users/%s/apps/%s/inputs", E.user_id, E.app_id);
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), route, __LINE__);
    clarifai_response_free(resp);
    if (as_canary) clarifai_error_free(call_fails(as_canary, "ListInputs", NULL, CLARIFAI_RESULT_KEY_NOT_FOUND, __LINE__));
    clarifai_client_free(as_key);
    clarifai_client_free(as_canary);
    clarifai_client_free(as_pat);
}

static void test_create_app(void) {
    clarifai_client *p = pat_client();
    clarifai_client *k = api_key_client(E.api_key);
    clarifai_client *in_app = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    if (!p || !k) goto done;
    CHECK_RESULT(clarifai_client_create_app(p, "c-suite-app", "made by tests/c", &resp, &err), CLARIFAI_RESULT_OK, err);
    CHECK(resp && clarifai_response_status_code(resp) == 10000);
    clarifai_response_free(resp);
    resp = SENTINEL;
    /* A second time it exists. */
    CHECK(clarifai_client_create_app(p, "c-suite-app", NULL, &resp, &err) != CLARIFAI_RESULT_OK);
    CHECK(resp == SENTINEL && err != NULL);
    clarifai_error_free(err);
    err = NULL;
    /* Only a PAT creates apps. */
    CHECK_RESULT(clarifai_client_create_app(k, "c-suite-app-2", NULL, &resp, &err), CLARIFAI_RESULT_PAT_REQUIRED, err);
    clarifai_error_free(err);
    err = NULL;
    CHECK_RESULT(clarifai_client_with_pat(p, E.pat, E.user_id, "c-suite-app", &in_app, &err), CLARIFAI_RESULT_OK, err);
    if (in_app) clarifai_response_free(call_ok(in_app, "ListInputs", NULL, __LINE__));
done:
    clarifai_error_free(err);
    clarifai_client_free(in_app);
    clarifai_client_free(p);
    clarifai_client_free(k);
}

/* 1 when the PAT user's keys include `id` (checking every key's accessors on the way). */
static int key_listed(const clarifai_client *pat, const char *id) {
    clarifai_key_list *list = SENTINEL;
    clarifai_error *err = NULL;
    int found = 0;
    size_t n;
    CHECK_RESULT(clarifai_client_list_keys(pat, &list, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    if (list == SENTINEL) return -1;
    n = clarifai_key_list_len(list);
    for (size_t i = 0; i < n; i++) {
        const clarifai_key *k = clarifai_key_list_get(list, i);
        CHECK(k != NULL && clarifai_key_id(k) != NULL && clarifai_key_description(k) != NULL);
        if (!k || !clarifai_key_id(k)) continue;
        h_secret(clarifai_key_id(k));
        if (strcmp(clarifai_key_id(k), id) == 0) found = 1;
        /* Borrowed from the list: the same key each time. */
        CHECK(clarifai_key_list_get(list, i) == k);
    }
    CHECK(clarifai_key_list_get(list, n) == NULL && clarifai_key_list_get(list, SIZE_MAX) == NULL);
    clarifai_key_list_free(list);
    return found;
}

/* A key made or rotated by the lifecycle test: its accessors, as the API described it. */
static void check_lifecycle_key(const clarifai_key *k, int line) {
    size_t ns = clarifai_key_scope_count(k);
    if (!k) return;
    if (strcmp(clarifai_key_description(k), "c suite lifecycle") != 0) h_fail(__FILE__, line, "description \"%s\"", clarifai_key_description(k));
    /* Either spelling in, the docs spelling out; as granted, without dependencies. */
    if (ns != 5) h_fail(__FILE__, line, "%zu scopes, expected 5", ns);
    if (!listed(k, ns, key_scope_at, "Inputs:Get") || !listed(k, ns, key_scope_at, "Predict") ||
        listed(k, ns, key_scope_at, "Inputs_Get")) {
        h_fail(__FILE__, line, "the scopes are not Inputs:Get, ..., Predict in the docs spelling");
    }
    if (clarifai_key_endpoint_count(k) != 2 || !listed(k, 2, key_endpoint_at, "/clarifai.api.V2/ListInputs") ||
        !listed(k, 2, key_endpoint_at, "/clarifai.api.V2/PostModelOutputs")) {
        h_fail(__FILE__, line, "endpoints (%zu) are not ListInputs and PostModelOutputs", clarifai_key_endpoint_count(k));
    }
    if (clarifai_key_app_count(k) != 1 || !clarifai_key_app_id(k, 0) || strcmp(clarifai_key_app_id(k, 0), E.app_id) != 0 ||
        !clarifai_key_app_user_id(k, 0) || strcmp(clarifai_key_app_user_id(k, 0), E.user_id) != 0) {
        h_fail(__FILE__, line, "the key's app is not %s/%s", E.user_id, E.app_id);
    }
    if (clarifai_key_app_id(k, 1) != NULL || clarifai_key_app_user_id(k, 1) != NULL) h_fail(__FILE__, line, "a second app");
}

static void test_keys_lifecycle(void) {
    static const char *const scopes[] = {"Inputs_Get", "Concepts:Get", "Annotations:Get", "Apps:Get", "Predict"};
    static const char *const eps[] = {"ListInputs", "/clarifai.api.V2/PostModelOutputs"};
    clarifai_client *pat = pat_client();
    clarifai_client *app_key = api_key_client(E.api_key);
    clarifai_client *old_c = NULL, *new_c = NULL;
    clarifai_error *err = NULL;
    clarifai_key *k1 = NULL, *k2 = NULL;
    clarifai_key_list *l = SENTINEL;
    char *id1 = NULL, *id2 = NULL;
    clarifai_key *s = SENTINEL;
    if (!pat || !app_key) goto done;

    CHECK_RESULT(clarifai_client_create_key(pat, "c suite lifecycle", scopes, COUNT_OF(scopes), eps, COUNT_OF(eps), "me",
                                            E.app_id, &k1, &err),
                 CLARIFAI_RESULT_OK, err);
    if (!k1 || !clarifai_key_id(k1)) goto done;
    id1 = strdup(clarifai_key_id(k1));
    h_secret(id1);
    CHECK(clarifai_key_id(k1) == clarifai_key_id(k1));
    check_lifecycle_key(k1, __LINE__);
    CHECK(key_listed(pat, id1) == 1);

    old_c = api_key_client(id1);
    if (old_c) clarifai_response_free(call_ok(old_c, "ListInputs", NULL, __LINE__));
    /* Limited to its endpoints. */
    if (old_c) clarifai_error_free(call_fails(old_c, "ListConcepts", NULL, CLARIFAI_RESULT_INSUFFICIENT_SCOPES, __LINE__));

    /* Keys are a PAT's business. */
    CHECK_RESULT(clarifai_client_create_key(app_key, "x", scopes + 4, 1, NULL, 0, NULL, E.app_id, &s, &err),
                 CLARIFAI_RESULT_PAT_REQUIRED, err);
    clarifai_error_free(err);
    err = NULL;
    CHECK_RESULT(clarifai_client_list_keys(app_key, &l, &err), CLARIFAI_RESULT_PAT_REQUIRED, err);
    clarifai_error_free(err);
    err = NULL;
    CHECK(s == SENTINEL && l == SENTINEL);

    CHECK_RESULT(clarifai_client_rotate_key(pat, id1, &k2, &err), CLARIFAI_RESULT_OK, err);
    if (!k2 || !clarifai_key_id(k2)) goto done;
    id2 = strdup(clarifai_key_id(k2));
    h_secret(id2);
    CHECK(strcmp(id1, id2) != 0);
    /* Same description, scopes, endpoints and app. */
    check_lifecycle_key(k2, __LINE__);
    CHECK(key_listed(pat, id1) == 0);
    CHECK(key_listed(pat, id2) == 1);
    /* The old key is gone, the new one works. */
    if (old_c) clarifai_error_free(call_fails(old_c, "ListInputs", NULL, CLARIFAI_RESULT_KEY_NOT_FOUND, __LINE__));
    new_c = api_key_client(id2);
    if (new_c) clarifai_response_free(call_ok(new_c, "ListInputs", NULL, __LINE__));

    CHECK_RESULT(clarifai_client_delete_key(pat, id2, &err), CLARIFAI_RESULT_OK, err);
    CHECK(key_listed(pat, id2) == 0);
    if (new_c) clarifai_error_free(call_fails(new_c, "ListInputs", NULL, CLARIFAI_RESULT_KEY_NOT_FOUND, __LINE__));
    /* Deleting or rotating what is gone fails and says so. */
    CHECK(clarifai_client_delete_key(pat, id2, &err) != CLARIFAI_RESULT_OK);
    CHECK(err != NULL && !h_leaks_secret(clarifai_error_message(err)));
    clarifai_error_free(err);
    err = NULL;
    CHECK(clarifai_client_rotate_key(pat, id2, &s, &err) != CLARIFAI_RESULT_OK && s == SENTINEL);
    CHECK(err != NULL && !h_leaks_secret(clarifai_error_message(err)));
done:
    clarifai_error_free(err);
    clarifai_key_free(k1);
    clarifai_key_free(k2);
    free(id1);
    free(id2);
    clarifai_client_free(old_c);
    clarifai_client_free(new_c);
    clarifai_client_free(pat);
    clarifai_client_free(app_key);
}

/* A client without a credential: its calls carry no Authorization (11102); views made from it
 * carry theirs, and share its connections. */
static void test_without_credential(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *none = NULL, *as_key = NULL, *as_pat = NULL;
    clarifai_error *err = NULL;
    clarifai_response *resp;
    char route[512];
    CHECK_RESULT(clarifai_client_new_without_credential(o, &none, &err), CLARIFAI_RESULT_OK, err);
    clarifai_client_options_free(o);
    clarifai_error_free(err);
    err = NULL;
    if (!none) return;
    CHECK(clarifai_client_credential_kind(none) == CLARIFAI_CREDENTIAL_KIND_NONE);
    err = call_fails(none, "ListInputs", NULL, CLARIFAI_RESULT_INVALID_REQUEST, __LINE__);
    CHECK(err && clarifai_error_status_code(err) == 11102 && clarifai_error_http_status(err) == 401);
    clarifai_error_free(err);
    err = NULL;
    /* The other call forms too. */
    {
        clarifai_response *r = SENTINEL;
        CHECK_RESULT(clarifai_client_request(none, "GET", "/v2/inputs", NULL, &r, &err), CLARIFAI_RESULT_INVALID_REQUEST, err);
        CHECK(r == SENTINEL && clarifai_error_status_code(err) == 11102);
        clarifai_error_free(err);
        err = NULL;
        CHECK_RESULT(clarifai_client_call_with_options(none, "ListInputs", NULL, NULL, &r, &err), CLARIFAI_RESULT_INVALID_REQUEST, err);
        clarifai_error_free(err);
        err = NULL;
    }
    /* Without a credential there is no metadata to give. */
    {
        char *md = SENTINEL;
        CHECK(clarifai_client_grpc_metadata(none, &md, &err) != CLARIFAI_RESULT_OK && md == SENTINEL);
        clarifai_error_free(err);
        err = NULL;
    }
    CHECK_RESULT(clarifai_client_with_api_key(none, E.api_key, &as_key, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_with_pat(none, E.pat, E.user_id, E.app_id, &as_pat, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    CHECK(clarifai_client_credential_kind(as_key) == CLARIFAI_CREDENTIAL_KIND_API_KEY);
    CHECK(clarifai_client_credential_kind(as_pat) == CLARIFAI_CREDENTIAL_KIND_PAT);
    /* The base client is unchanged by its views, and may go first. */
    CHECK(clarifai_client_credential_kind(none) == CLARIFAI_CREDENTIAL_KIND_NONE);
    clarifai_error_free(call_fails(none, "ListInputs", NULL, CLARIFAI_RESULT_INVALID_REQUEST, __LINE__));
    clarifai_client_free(none);
    resp = as_key ? call_ok(as_key, "ListInputs", NULL, __LINE__) : NULL;
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), "GET /v2/inputs", __LINE__);
    clarifai_response_free(resp);
    resp = as_pat ? call_ok(as_pat, "ListInputs", NULL, __LINE__) : NULL;
    snprintf(route, sizeof route, "GET /v2/users/%s/apps/%s/inputs", E.user_id, E.app_id);
    if (resp) route_is(clarifai_response_header(resp, ROUTE_HEADER), route, __LINE__);
    clarifai_response_free(resp);
    clarifai_client_free(as_key);
    clarifai_client_free(as_pat);
}

static void test_legacy_credentials(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    h_secret("c-suite-client-secret");
    CHECK_RESULT(clarifai_client_new_deprecated_client_credentials("c-suite-client", "c-suite-client-secret", o, &c, &err),
                 CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    err = NULL;
    if (c) {
        clarifai_response *resp = SENTINEL;
        /* The emulator knows no such client: the token exchange fails, and says so cleanly. */
        clarifai_result r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        CHECK(r != CLARIFAI_RESULT_OK && r != CLARIFAI_RESULT_PANIC && resp == SENTINEL);
        CHECK(err && !h_leaks_secret(clarifai_error_message(err)));
        clarifai_error_free(err);
        clarifai_client_free(c);
    }
    clarifai_client_options_free(o);
}

static void set_env(const char *name, const char *value) {
    if (value) setenv(name, value, 1);
    else unsetenv(name);
}

static void test_from_env(void) {
    static const char *const vars[] = {"CLARIFAI_PAT", "CLARIFAI_USER_ID", "CLARIFAI_APP_ID", "CLARIFAI_API_KEY",
                                       "CLARIFAI_API_BASE", "CLARIFAI_ROOT_CERTIFICATES_PATH"};
    char *saved[6];
    clarifai_client *c = SENTINEL;
    clarifai_error *err = NULL;
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client_options_set_max_retries(o, 0, NULL);
    for (size_t i = 0; i < 6; i++) {
        const char *v = getenv(vars[i]);
        saved[i] = v ? strdup(v) : NULL;
        unsetenv(vars[i]);
    }
    /* Nothing set: the error names what to set. */
    CHECK_RESULT(clarifai_client_new_from_env(o, &c, &err), CLARIFAI_RESULT_MISSING_CONFIG, err);
    CHECK(c == SENTINEL);
    CHECK(err && strstr(clarifai_error_message(err), "CLARIFAI_PAT") && strstr(clarifai_error_message(err), "CLARIFAI_API_KEY"));
    clarifai_error_free(err);
    err = NULL;

    set_env("CLARIFAI_API_BASE", E.url);
    set_env("CLARIFAI_API_KEY", E.api_key);
    CHECK_RESULT(clarifai_client_new_from_env(o, &c, &err), CLARIFAI_RESULT_OK, err);
    if (c != SENTINEL) {
        CHECK(clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_API_KEY);
        clarifai_response_free(call_ok(c, "ListInputs", NULL, __LINE__));
        clarifai_client_free(c);
    }
    /* A PAT wins over an app key when both are set. */
    c = SENTINEL;
    set_env("CLARIFAI_PAT", E.pat);
    set_env("CLARIFAI_USER_ID", E.user_id);
    set_env("CLARIFAI_APP_ID", E.app_id);
    CHECK_RESULT(clarifai_client_new_from_env(NULL, &c, &err), CLARIFAI_RESULT_OK, err);
    if (c != SENTINEL) {
        CHECK(clarifai_client_credential_kind(c) == CLARIFAI_CREDENTIAL_KIND_PAT);
        clarifai_response_free(call_ok(c, "ListInputs", NULL, __LINE__));
        clarifai_client_free(c);
    }
    /* A PAT without its app: named. */
    c = SENTINEL;
    unsetenv("CLARIFAI_API_KEY");
    unsetenv("CLARIFAI_APP_ID");
    CHECK_RESULT(clarifai_client_new_from_env(NULL, &c, &err), CLARIFAI_RESULT_MISSING_CONFIG, err);
    CHECK(err && strstr(clarifai_error_message(err), "CLARIFAI_APP_ID"));
    clarifai_error_free(err);
    err = NULL;
    /* Options win over the environment: an unreachable base URL from the environment is unused. */
    set_env("CLARIFAI_APP_ID", E.app_id);
    set_env("CLARIFAI_API_BASE", "http://127.0.0.1:1");
    clarifai_client_options_set_base_url(o, E.url, NULL);
    CHECK_RESULT(clarifai_client_new_from_env(o, &c, &err), CLARIFAI_RESULT_OK, err);
    if (c != SENTINEL) {
        clarifai_response_free(call_ok(c, "ListInputs", NULL, __LINE__));
        clarifai_client_free(c);
    }
    for (size_t i = 0; i < 6; i++) {
        set_env(vars[i], saved[i]);
        free(saved[i]);
    }
    clarifai_error_free(err);
    clarifai_client_options_free(o);
}

void suite_calls(void) {
    h_run("call with an app key; response accessors", test_call_api_key);
    h_run("call with a PAT uses the user/app path", test_call_pat);
    h_run("authorized predict", test_predict);
    h_run("unknown key: KEY_NOT_FOUND, secret never in the error", test_unknown_key);
    h_run("raw requests", test_request);
    h_run("my_scopes accessors (closure, granted, endpoints, app, contains in both spellings); check names the missing scopes", test_my_scopes_and_check);
    h_run("my_scopes endpoint grants; check names a missing endpoint grant", test_check_endpoint_grant);
    h_run("grpc metadata", test_grpc_metadata);
    h_run("per-request override with_api_key / with_pat", test_overrides);
    h_run("create_app with a PAT", test_create_app);
    h_run("keys: create, list, rotate, delete with the PAT; every key accessor", test_keys_lifecycle);
    h_run("a client without a credential: 11102; its with_api_key / with_pat views work", test_without_credential);
    h_run("deprecated client credentials fail cleanly", test_legacy_credentials);
    h_run("client from the environment", test_from_env);
}
