/* NULL for every required pointer argument of every function: CLARIFAI_RESULT_NULL_ARGUMENT,
 * an error naming the argument, out-parameters left as they were, and the same result when
 * out_error is NULL too. Optional pointers (documented "may be NULL") are exercised elsewhere. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "suite.h"

/* Out-parameters, preset to SENTINEL before each call and checked after. */
static clarifai_client *o_client;
static clarifai_response *o_resp;
static clarifai_batch *o_batch;
static char *o_str;
static clarifai_key *o_key;
static clarifai_key_list *o_list;
static clarifai_scopes *o_scopes;
static clarifai_call *o_call;

static void reset_outs(void) {
    o_client = SENTINEL;
    o_resp = SENTINEL;
    o_batch = SENTINEL;
    o_str = SENTINEL;
    o_key = SENTINEL;
    o_list = SENTINEL;
    o_scopes = SENTINEL;
    o_call = SENTINEL;
}

static void check_outs(const char *arg, int line) {
    if (o_client != SENTINEL || o_resp != SENTINEL || o_batch != SENTINEL || o_str != SENTINEL || o_key != SENTINEL ||
        o_list != SENTINEL || o_scopes != SENTINEL || o_call != SENTINEL) {
        h_fail(__FILE__, line, "NULL %s: an out-parameter was written", arg);
    }
}

static void check_null_error(clarifai_result r, clarifai_error *err, const char *arg, int line) {
    if (r != CLARIFAI_RESULT_NULL_ARGUMENT) {
        h_fail(__FILE__, line, "NULL %s gave %s: %s", arg, clarifai_result_name(r), clarifai_error_message(err));
    } else if (!err) {
        h_fail(__FILE__, line, "NULL %s: no error object", arg);
    } else if (clarifai_error_result(err) != CLARIFAI_RESULT_NULL_ARGUMENT ||
               !strstr(clarifai_error_message(err), arg)) {
        h_fail(__FILE__, line, "NULL %s: error says %s \"%s\"", arg, clarifai_result_name(clarifai_error_result(err)),
               clarifai_error_message(err));
    }
    check_outs(arg, line);
}

/* Run CALL (which uses `err_out` as its out_error) once with an error object, once without. */
#define NULL_ARG(arg, CALL)                                                                        \
    do {                                                                                           \
        clarifai_error *err = NULL;                                                                \
        clarifai_error **err_out = &err;                                                           \
        clarifai_result r;                                                                         \
        reset_outs();                                                                              \
        r = (CALL);                                                                                \
        check_null_error(r, err, arg, __LINE__);                                                   \
        clarifai_error_free(err);                                                                  \
        err_out = NULL;                                                                            \
        reset_outs();                                                                              \
        r = (CALL);                                                                                \
        if (r != CLARIFAI_RESULT_NULL_ARGUMENT)                                                    \
            h_fail(__FILE__, __LINE__, "NULL %s without out_error gave %s", arg, clarifai_result_name(r)); \
        check_outs(arg, __LINE__);                                                                 \
    } while (0)

static void test_constructors(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    NULL_ARG("api_key", clarifai_client_new_api_key(NULL, o, &o_client, err_out));
    NULL_ARG("out_client", clarifai_client_new_api_key(E.api_key, o, NULL, err_out));
    NULL_ARG("pat", clarifai_client_new_pat(NULL, E.user_id, E.app_id, o, &o_client, err_out));
    NULL_ARG("user_id", clarifai_client_new_pat(E.pat, NULL, E.app_id, o, &o_client, err_out));
    NULL_ARG("app_id", clarifai_client_new_pat(E.pat, E.user_id, NULL, o, &o_client, err_out));
    NULL_ARG("out_client", clarifai_client_new_pat(E.pat, E.user_id, E.app_id, o, NULL, err_out));
    NULL_ARG("out_client", clarifai_client_new_from_env(o, NULL, err_out));
    NULL_ARG("token", clarifai_client_new_deprecated_legacy_token(NULL, o, &o_client, err_out));
    NULL_ARG("out_client", clarifai_client_new_deprecated_legacy_token("t0k3n", o, NULL, err_out));
    NULL_ARG("client_id", clarifai_client_new_deprecated_client_credentials(NULL, "s", o, &o_client, err_out));
    NULL_ARG("client_secret", clarifai_client_new_deprecated_client_credentials("i", NULL, o, &o_client, err_out));
    NULL_ARG("out_client", clarifai_client_new_deprecated_client_credentials("i", "s", o, NULL, err_out));
    NULL_ARG("out_client", clarifai_client_new_without_credential(o, NULL, err_out));
    clarifai_client_options_free(o);
}

static void test_client_functions(void) {
    clarifai_client *c = pat_client();
    static const char *const eps[] = {"ListInputs"};
    if (!c) return;
    NULL_ARG("client", clarifai_client_with_api_key(NULL, E.api_key, &o_client, err_out));
    NULL_ARG("api_key", clarifai_client_with_api_key(c, NULL, &o_client, err_out));
    NULL_ARG("out_client", clarifai_client_with_api_key(c, E.api_key, NULL, err_out));
    NULL_ARG("client", clarifai_client_with_pat(NULL, E.pat, E.user_id, E.app_id, &o_client, err_out));
    NULL_ARG("pat", clarifai_client_with_pat(c, NULL, E.user_id, E.app_id, &o_client, err_out));
    NULL_ARG("user_id", clarifai_client_with_pat(c, E.pat, NULL, E.app_id, &o_client, err_out));
    NULL_ARG("app_id", clarifai_client_with_pat(c, E.pat, E.user_id, NULL, &o_client, err_out));
    NULL_ARG("out_client", clarifai_client_with_pat(c, E.pat, E.user_id, E.app_id, NULL, err_out));

    NULL_ARG("client", clarifai_client_call(NULL, "ListInputs", NULL, &o_resp, err_out));
    NULL_ARG("endpoint", clarifai_client_call(c, NULL, NULL, &o_resp, err_out));
    NULL_ARG("out_response", clarifai_client_call(c, "ListInputs", NULL, NULL, err_out));

    NULL_ARG("client", clarifai_client_request(NULL, "GET", "/v2/inputs", NULL, &o_resp, err_out));
    NULL_ARG("method", clarifai_client_request(c, NULL, "/v2/inputs", NULL, &o_resp, err_out));
    NULL_ARG("path", clarifai_client_request(c, "GET", NULL, NULL, &o_resp, err_out));
    NULL_ARG("out_response", clarifai_client_request(c, "GET", "/v2/inputs", NULL, NULL, err_out));

    NULL_ARG("client", clarifai_client_call_many(NULL, eps, NULL, 1, &o_batch, err_out));
    NULL_ARG("endpoints", clarifai_client_call_many(c, NULL, NULL, 1, &o_batch, err_out));
    NULL_ARG("out_batch", clarifai_client_call_many(c, eps, NULL, 1, NULL, err_out));

    NULL_ARG("client", clarifai_client_my_scopes(NULL, &o_scopes, err_out));
    NULL_ARG("out_scopes", clarifai_client_my_scopes(c, NULL, err_out));
    NULL_ARG("client", clarifai_client_check(NULL, "ListInputs", err_out));
    NULL_ARG("endpoint", clarifai_client_check(c, NULL, err_out));
    NULL_ARG("client", clarifai_client_grpc_metadata(NULL, &o_str, err_out));
    NULL_ARG("out_value", clarifai_client_grpc_metadata(c, NULL, err_out));

    NULL_ARG("client", clarifai_client_create_app(NULL, "nulls-app", NULL, &o_resp, err_out));
    NULL_ARG("app_id", clarifai_client_create_app(c, NULL, NULL, &o_resp, err_out));
    NULL_ARG("out_response", clarifai_client_create_app(c, "nulls-app", NULL, NULL, err_out));
    clarifai_client_free(c);
}

static void test_key_functions(void) {
    clarifai_client *c = pat_client();
    static const char *const scopes[] = {"Predict"};
    static const char *const with_null[] = {"Predict", NULL};
    static const char *const eps[] = {"PostModelOutputs"};
    if (!c) return;
    NULL_ARG("client", clarifai_client_create_key(NULL, "d", scopes, 1, NULL, 0, NULL, E.app_id, &o_key, err_out));
    /* An array may be NULL only when its count is 0. */
    NULL_ARG("scopes", clarifai_client_create_key(c, "d", NULL, 1, NULL, 0, NULL, E.app_id, &o_key, err_out));
    NULL_ARG("endpoints", clarifai_client_create_key(c, "d", scopes, 1, NULL, 1, NULL, E.app_id, &o_key, err_out));
    NULL_ARG("scopes", clarifai_client_create_key(c, "d", with_null, 2, eps, 1, NULL, E.app_id, &o_key, err_out));
    NULL_ARG("endpoints", clarifai_client_create_key(c, "d", scopes, 1, with_null + 1, 1, NULL, E.app_id, &o_key, err_out));
    NULL_ARG("app_id", clarifai_client_create_key(c, "d", scopes, 1, NULL, 0, NULL, NULL, &o_key, err_out));
    NULL_ARG("out_key", clarifai_client_create_key(c, "d", scopes, 1, NULL, 0, NULL, E.app_id, NULL, err_out));
    NULL_ARG("client", clarifai_client_list_keys(NULL, &o_list, err_out));
    NULL_ARG("out_list", clarifai_client_list_keys(c, NULL, err_out));
    NULL_ARG("client", clarifai_client_delete_key(NULL, "k", err_out));
    NULL_ARG("key_id", clarifai_client_delete_key(c, NULL, err_out));
    NULL_ARG("client", clarifai_client_rotate_key(NULL, "k", &o_key, err_out));
    NULL_ARG("key_id", clarifai_client_rotate_key(c, NULL, &o_key, err_out));
    NULL_ARG("out_key", clarifai_client_rotate_key(c, "k", NULL, err_out));
    clarifai_client_free(c);
}

/* A NULL callback aside, call_async must also refuse a NULL client or endpoint before queuing:
 * the callback then never runs. */
static int async_ran;
static void count_callback(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    (void)userdata;
    (void)result;
    __atomic_add_fetch(&async_ran, 1, __ATOMIC_SEQ_CST);
    clarifai_response_free(response);
    clarifai_error_free(error);
}
static void batch_count_callback(void *userdata, clarifai_result result, clarifai_batch *batch, clarifai_error *error) {
    (void)userdata;
    (void)result;
    __atomic_add_fetch(&async_ran, 1, __ATOMIC_SEQ_CST);
    clarifai_batch_free(batch);
    clarifai_error_free(error);
}

static void test_async_refusals(void) {
    clarifai_client *c = api_key_client(E.api_key);
    static const char *const eps[] = {"ListInputs"};
    clarifai_call_options *opts = clarifai_call_options_new();
    int userdata = 0;
    if (!c) return;
    async_ran = 0;
    NULL_ARG("client", clarifai_client_call_async(NULL, "ListInputs", NULL, opts, count_callback, NULL, &o_call, err_out));
    NULL_ARG("endpoint", clarifai_client_call_async(c, NULL, NULL, opts, count_callback, NULL, &o_call, err_out));
    NULL_ARG("callback", clarifai_client_call_async(c, "ListInputs", NULL, opts, NULL, &userdata, &o_call, err_out));
    NULL_ARG("client", clarifai_client_call_many_async(NULL, eps, NULL, 1, opts, batch_count_callback, NULL, &o_call, err_out));
    NULL_ARG("endpoints", clarifai_client_call_many_async(c, NULL, NULL, 1, opts, batch_count_callback, NULL, &o_call, err_out));
    NULL_ARG("callback", clarifai_client_call_many_async(c, eps, NULL, 1, opts, NULL, &userdata, &o_call, err_out));
    clarifai_client_free(c);
    clarifai_call_options_free(opts);
    CHECK(async_ran == 0);
}

static void test_call_functions(void) {
    clarifai_client *c = api_key_client(E.api_key);
    static const char *const eps[] = {"ListInputs"};
    clarifai_call_options *opts = clarifai_call_options_new();
    clarifai_call *call = NULL;
    clarifai_error *err = NULL;
    clarifai_response *resp = NULL;
    if (!c || !opts) goto done;
    NULL_ARG("client", clarifai_client_call_start(NULL, "ListInputs", NULL, opts, &o_call, err_out));
    NULL_ARG("endpoint", clarifai_client_call_start(c, NULL, NULL, opts, &o_call, err_out));
    NULL_ARG("out_call", clarifai_client_call_start(c, "ListInputs", NULL, opts, NULL, err_out));
    NULL_ARG("call", clarifai_call_wait(NULL, &o_resp, err_out));
    NULL_ARG("client", clarifai_client_call_with_options(NULL, "ListInputs", NULL, opts, &o_resp, err_out));
    NULL_ARG("endpoint", clarifai_client_call_with_options(c, NULL, NULL, opts, &o_resp, err_out));
    NULL_ARG("out_response", clarifai_client_call_with_options(c, "ListInputs", NULL, opts, NULL, err_out));
    NULL_ARG("client", clarifai_client_call_many_with_options(NULL, eps, NULL, 1, opts, &o_batch, err_out));
    NULL_ARG("endpoints", clarifai_client_call_many_with_options(c, NULL, NULL, 1, opts, &o_batch, err_out));
    NULL_ARG("out_batch", clarifai_client_call_many_with_options(c, eps, NULL, 1, opts, NULL, err_out));
    NULL_ARG("opts", clarifai_call_options_set_timeout_ms(NULL, 1000, err_out));
    NULL_ARG("opts", clarifai_call_options_set_cancel_token(NULL, NULL, err_out));

    /* A NULL out_response refuses the wait without taking the result: a real wait still gets it. */
    CHECK_RESULT(clarifai_client_call_start(c, "ListInputs", NULL, NULL, &call, &err), CLARIFAI_RESULT_OK, err);
    if (call) {
        NULL_ARG("out_response", clarifai_call_wait(call, NULL, err_out));
        CHECK_RESULT(clarifai_call_wait(call, &resp, &err), CLARIFAI_RESULT_OK, err);
        CHECK(resp != NULL);
        clarifai_response_free(resp);
        clarifai_call_free(call);
    }
done:
    clarifai_error_free(err);
    clarifai_call_options_free(opts);
    clarifai_client_free(c);
}

static void test_options_setters(void) {
    clarifai_client_options *o = clarifai_client_options_new();
    NULL_ARG("opts", clarifai_client_options_set_base_url(NULL, "https://api.clarifai.com", err_out));
    NULL_ARG("url", clarifai_client_options_set_base_url(o, NULL, err_out));
    NULL_ARG("opts", clarifai_client_options_set_connect_timeout_ms(NULL, 1000, err_out));
    NULL_ARG("opts", clarifai_client_options_set_timeout_ms(NULL, 1000, err_out));
    NULL_ARG("opts", clarifai_client_options_set_ca_file(NULL, "/etc/ssl/certs/ca-certificates.crt", err_out));
    NULL_ARG("path", clarifai_client_options_set_ca_file(o, NULL, err_out));
    NULL_ARG("opts", clarifai_client_options_set_user_agent(NULL, "ua", err_out));
    NULL_ARG("user_agent", clarifai_client_options_set_user_agent(o, NULL, err_out));
    NULL_ARG("opts", clarifai_client_options_set_max_concurrency(NULL, 4, err_out));
    NULL_ARG("opts", clarifai_client_options_set_max_retries(NULL, 1, err_out));
    NULL_ARG("opts", clarifai_client_options_set_max_response_bytes(NULL, 1024, err_out));
    NULL_ARG("opts", clarifai_client_options_set_danger_allow_insecure_http(NULL, true, err_out));
    NULL_ARG("opts", clarifai_client_options_set_proxy(NULL, "http://127.0.0.1:3128", err_out));
    NULL_ARG("url", clarifai_client_options_set_proxy(o, NULL, err_out));
    NULL_ARG("opts", clarifai_client_options_set_proxy_from_env(NULL, false, err_out));
    NULL_ARG("opts", clarifai_client_options_set_http2_prior_knowledge(NULL, true, err_out));
    clarifai_client_options_free(o);
}

/* Optional pointers: NULL means "absent", and the call succeeds. */
static void test_optional_nulls(void) {
    clarifai_client *c = NULL;
    clarifai_response *resp = NULL;
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    clarifai_client_options *o = test_options(NULL, 0);
    CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, NULL), CLARIFAI_RESULT_OK, NULL);
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, NULL), CLARIFAI_RESULT_OK, NULL);
    clarifai_response_free(resp);
    resp = NULL;
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", "", &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    resp = NULL;
    CHECK_RESULT(clarifai_client_request(c, "GET", "/v2/inputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    /* count 0 with no arrays at all: an empty batch. */
    CHECK_RESULT(clarifai_client_call_many(c, NULL, NULL, 0, &batch, &err), CLARIFAI_RESULT_OK, err);
    CHECK(batch != NULL && clarifai_batch_len(batch) == 0);
    CHECK(clarifai_batch_response(batch, 0) == NULL && clarifai_batch_error(batch, 0) == NULL);
    CHECK_RESULT(clarifai_batch_result(batch, 0), CLARIFAI_RESULT_INVALID_ARGUMENT, NULL);
    clarifai_batch_free(batch);
    batch = NULL;
    CHECK_RESULT(clarifai_client_call_many_with_options(c, NULL, NULL, 0, NULL, &batch, &err), CLARIFAI_RESULT_OK, err);
    CHECK(batch != NULL && clarifai_batch_len(batch) == 0);
    clarifai_batch_free(batch);
    /* No call options: the client's settings. */
    resp = NULL;
    CHECK_RESULT(clarifai_client_call_with_options(c, "ListInputs", NULL, NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    /* create_key: NULL description and user_id ("me"), NULL endpoints with count 0. */
    {
        clarifai_client *pat = pat_client();
        static const char *const scopes[] = {"Predict"};
        clarifai_key *key = NULL;
        if (pat) {
            CHECK_RESULT(clarifai_client_create_key(pat, NULL, scopes, 1, NULL, 0, NULL, E.app_id, &key, &err), CLARIFAI_RESULT_OK, err);
            if (key) {
                h_secret(clarifai_key_id(key));
                CHECK_STR(clarifai_key_description(key), "");
                CHECK(clarifai_key_endpoint_count(key) == 0);
                CHECK_RESULT(clarifai_client_delete_key(pat, clarifai_key_id(key), &err), CLARIFAI_RESULT_OK, err);
            }
            clarifai_key_free(key);
            clarifai_client_free(pat);
        }
    }
    /* Cancel tokens: the options' token may be NULL (cleared). */
    {
        clarifai_call_options *co = clarifai_call_options_new();
        CHECK_RESULT(clarifai_call_options_set_cancel_token(co, NULL, &err), CLARIFAI_RESULT_OK, err);
        clarifai_call_options_free(co);
    }
    clarifai_error_free(err);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

void suite_nulls(void) {
    h_run("NULL arguments of the constructors", test_constructors);
    h_run("NULL arguments of the client functions", test_client_functions);
    h_run("NULL arguments of the key functions", test_key_functions);
    h_run("NULL client, endpoint(s) or callback to call_async / call_many_async never runs a callback", test_async_refusals);
    h_run("NULL arguments of call_start, call_wait, call_with_options, call options", test_call_functions);
    h_run("NULL arguments of the option setters", test_options_setters);
    h_run("optional pointers may be NULL", test_optional_nulls);
}
