/* Transport failures: a dead server, a slow one, throttling, a cut connection, a body over the
 * limit. Faults come from a second emulator started with --fault rules. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "suite.h"

/* A loopback port nobody listens on: bound, read, closed. */
static int closed_port(void) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port = -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0) {
        port = ntohs(a.sin_port);
    }
    if (fd >= 0) close(fd);
    return port;
}

static void test_dead_server(void) {
    char url[64];
    clarifai_client_options *o;
    clarifai_client *c = NULL;
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    int64_t t0;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
    /* Default retries: a connection never made is retried, and still fails fast. */
    o = clarifai_client_options_new();
    clarifai_client_options_set_base_url(o, url, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    t0 = h_now_us();
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_CONNECT, err);
    CHECK(resp == SENTINEL);
    CHECK(err && clarifai_error_http_status(err) == 0 && clarifai_error_status_code(err) == 0);
    CHECK(err && *clarifai_error_message(err));
    CHECK_MSG(h_now_us() - t0 < 5000000, "a refused connection took %.1f s", (double)(h_now_us() - t0) / 1e6);
    clarifai_error_free(err);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

/* The emulator with faults, shared by the tests below. */
static emulator F;
static int fault_emulator_up;

static clarifai_client *fault_client(unsigned retries, uint64_t timeout_ms, uint64_t max_bytes) {
    clarifai_client_options *o = test_options(F.url, retries);
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    if (timeout_ms) clarifai_client_options_set_timeout_ms(o, timeout_ms, NULL);
    if (max_bytes) clarifai_client_options_set_max_response_bytes(o, max_bytes, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(F.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    clarifai_client_options_free(o);
    return c;
}

static void test_slow_server(void) {
    /* Timing slack in percent: 10 natively; the run script widens it under Valgrind. */
    const long slack = h_env_long("CLARIFAI_C_TIMING_SLACK", 10);
    const uint64_t timeout_ms = 600;
    /* Default retries (2): a timeout must not be retried, or this would take three times as long. */
    clarifai_client *c = fault_client(2, timeout_ms, 0);
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    int64_t t0, elapsed_ms;
    if (!c) return;
    t0 = h_now_us();
    CHECK_RESULT(clarifai_client_call(c, "ListModels", NULL, &resp, &err), CLARIFAI_RESULT_TIMEOUT, err);
    elapsed_ms = (h_now_us() - t0) / 1000;
    h_diag("timeout %llu ms fired after %lld ms", (unsigned long long)timeout_ms, (long long)elapsed_ms);
    CHECK(resp == SENTINEL);
    CHECK_MSG(elapsed_ms >= (int64_t)timeout_ms * 95 / 100, "returned after %lld ms, before the timeout", (long long)elapsed_ms);
    CHECK_MSG(elapsed_ms <= (int64_t)timeout_ms * (100 + slack) / 100, "returned after %lld ms, more than %ld%% over the timeout",
              (long long)elapsed_ms, slack);
    clarifai_error_free(err);
    err = NULL;
    /* Other endpoints of the same client are unaffected. */
    resp = NULL;
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(c);
}

static void test_throttled(void) {
    clarifai_client *c = fault_client(0, 0, 0);
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    if (!c) return;
    CHECK_RESULT(clarifai_client_call(c, "ListConcepts", NULL, &resp, &err), CLARIFAI_RESULT_THROTTLED, err);
    CHECK(resp == SENTINEL);
    CHECK(clarifai_error_status_code(err) == 11005 && clarifai_error_http_status(err) == 429);
    CHECK(clarifai_error_retry_after_secs(err) == 7);
    CHECK_STR(clarifai_error_header(err, "retry-after"), "7");
    clarifai_error_free(err);
    clarifai_client_free(c);
}

static void test_dropped_connection(void) {
    clarifai_client *c = fault_client(0, 5000, 0);
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    clarifai_result r;
    if (!c) return;
    r = clarifai_client_call(c, "ListWorkflows", NULL, &resp, &err);
    /* Cut after the headers: the body is short, which the transport reports as broken I/O (or,
     * depending on where the cut lands, as a body that is not JSON). */
    CHECK_MSG(r == CLARIFAI_RESULT_IO || r == CLARIFAI_RESULT_MALFORMED_RESPONSE, "got %s: %s", clarifai_result_name(r),
              clarifai_error_message(err));
    CHECK(resp == SENTINEL);
    clarifai_error_free(err);
    err = NULL;
    /* The next call gets a fresh connection. */
    resp = NULL;
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(c);
}

static void test_body_too_large(void) {
    clarifai_client *c = fault_client(0, 0, 4096);
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    if (!c) return;
    /* The oversize fault pads the answer to 1 MB; the limit is 4 KB. */
    CHECK_RESULT(clarifai_client_call(c, "ListApps", NULL, &resp, &err), CLARIFAI_RESULT_BODY_TOO_LARGE, err);
    CHECK(resp == SENTINEL);
    clarifai_error_free(err);
    err = NULL;
    resp = NULL;
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(c);
}

/* The default retry count, as an options-less client uses it: a GET answered 503 is retried
 * CLARIFAI_DEFAULT_MAX_RETRIES times (after the first attempt), as the server's log shows. */
static void test_default_retries(void) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    json_t *log;
    size_t attempts = 0;
    /* Only the base URL: every other setting is the library's default. */
    clarifai_client_options_set_base_url(o, F.url, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(F.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_client_options_free(o);
    clarifai_error_free(err);
    err = NULL;
    if (!c) return;
    CHECK(emu_clear_requests(&F) == 0);
    CHECK(emu_add_fault(&F, "ListDatasets=status:503") == 0);
    CHECK_RESULT(clarifai_client_call(c, "ListDatasets", NULL, &resp, &err), CLARIFAI_RESULT_API_ERROR, err);
    CHECK(resp == SENTINEL && clarifai_error_http_status(err) == 503);
    clarifai_error_free(err);
    log = emu_requests(&F);
    for (size_t i = 0; i < json_array_size(log); i++) {
        const char *ep = json_string_value(json_object_get(json_array_get(log, i), "endpoint"));
        if (ep && strcmp(ep, "ListDatasets") == 0) attempts++;
    }
    json_decref(log);
    CHECK_MSG(attempts == 1 + CLARIFAI_DEFAULT_MAX_RETRIES, "%zu attempts, expected 1 + CLARIFAI_DEFAULT_MAX_RETRIES (%d)",
              attempts, CLARIFAI_DEFAULT_MAX_RETRIES);
    clarifai_client_free(c);
}

static void with_fault_emulator(const char *name, test_fn fn) {
    if (fault_emulator_up) h_run(name, fn);
}

static void fault_emulator_starts(void) {
    CHECK(fault_emulator_up);
}

/* --- #19.2: a server that echoes the Authorization value gets it back redacted --- */

static emulator X;
static const char *echo_secret;

/* One accessor's text: never the secret; "[redacted]" where the echo was. */
static void clean(const char *what, const char *text, int must_show_redaction, int line) {
    if (!text) {
        h_fail(__FILE__, line, "%s is NULL", what);
    } else if (strstr(text, echo_secret)) {
        /* Not printed: the harness would redact it, but the point is it is there at all. */
        h_fail(__FILE__, line, "%s shows the credential", what);
    } else if (must_show_redaction && !strstr(text, "[redacted]")) {
        h_fail(__FILE__, line, "%s does not say [redacted] where the echo was: %s", what, text);
    }
}

static void check_response_clean(const clarifai_response *r, int line) {
    clean("response description", clarifai_response_description(r), 1, line);
    clean("response details", clarifai_response_details(r), 1, line);
    clean("response req_id", clarifai_response_req_id(r), 0, line);
    clean("response json", clarifai_response_json(r), 1, line);
    clean("response x-echo header", clarifai_response_header(r, "x-echo"), 1, line);
}

static void check_error_clean(const clarifai_error *e, int line) {
    if (clarifai_error_status_code(e) != 11009) h_fail(__FILE__, line, "status %u, expected 11009", clarifai_error_status_code(e));
    clean("error message", clarifai_error_message(e), 1, line);
    clean("error description", clarifai_error_description(e), 1, line);
    clean("error details", clarifai_error_details(e), 1, line);
    clean("error req_id", clarifai_error_req_id(e), 0, line);
    clean("error x-echo header", clarifai_error_header(e, "x-echo"), 1, line);
    for (size_t i = 0; i < clarifai_error_missing_scopes_count(e); i++) clean("missing scope", clarifai_error_missing_scope(e, i), 0, line);
    if (clarifai_error_missing_endpoint(e)) clean("missing endpoint", clarifai_error_missing_endpoint(e), 0, line);
}

static int echo_async_runs;
static void echo_async_done(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    int want_ok = userdata != NULL;
    if (want_ok) {
        CHECK_RESULT(result, CLARIFAI_RESULT_OK, error);
        if (response) check_response_clean(response, __LINE__);
    } else {
        CHECK_RESULT(result, CLARIFAI_RESULT_KEY_NOT_FOUND, error);
        if (error) check_error_clean(error, __LINE__);
    }
    clarifai_response_free(response);
    clarifai_error_free(error);
    __atomic_add_fetch(&echo_async_runs, 1, __ATOMIC_SEQ_CST);
}

/* Every way a call comes back, for one client whose credential is `secret`. */
static void echo_every_way(const clarifai_client *c, const char *secret) {
    static const char *const eps[] = {"ListInputs", "ListConcepts"};
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_batch *batch = NULL;
    clarifai_call *call = NULL;
    echo_secret = secret;

    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    if (resp) check_response_clean(resp, __LINE__);
    clarifai_response_free(resp);
    resp = SENTINEL;
    CHECK_RESULT(clarifai_client_call(c, "ListConcepts", NULL, &resp, &err), CLARIFAI_RESULT_KEY_NOT_FOUND, err);
    if (err) check_error_clean(err, __LINE__);
    clarifai_error_free(err);
    err = NULL;

    CHECK_RESULT(clarifai_client_call_many(c, eps, NULL, 2, &batch, &err), CLARIFAI_RESULT_OK, err);
    if (batch) {
        CHECK_RESULT(clarifai_batch_result(batch, 0), CLARIFAI_RESULT_OK, clarifai_batch_error(batch, 0));
        if (clarifai_batch_response(batch, 0)) check_response_clean(clarifai_batch_response(batch, 0), __LINE__);
        CHECK_RESULT(clarifai_batch_result(batch, 1), CLARIFAI_RESULT_KEY_NOT_FOUND, clarifai_batch_error(batch, 1));
        if (clarifai_batch_error(batch, 1)) check_error_clean(clarifai_batch_error(batch, 1), __LINE__);
    }
    clarifai_batch_free(batch);

    CHECK_RESULT(clarifai_client_call_start(c, "ListConcepts", NULL, NULL, &call, &err), CLARIFAI_RESULT_OK, err);
    if (call) {
        resp = SENTINEL;
        CHECK_RESULT(clarifai_call_wait(call, &resp, &err), CLARIFAI_RESULT_KEY_NOT_FOUND, err);
        if (err) check_error_clean(err, __LINE__);
        clarifai_error_free(err);
        err = NULL;
        clarifai_call_free(call);
    }

    __atomic_store_n(&echo_async_runs, 0, __ATOMIC_SEQ_CST);
    CHECK_RESULT(clarifai_client_call_async(c, "ListInputs", NULL, NULL, echo_async_done, (void *)c, NULL, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_call_async(c, "ListConcepts", NULL, NULL, echo_async_done, NULL, NULL, &err), CLARIFAI_RESULT_OK, err);
    for (int i = 0; i < 1000 && __atomic_load_n(&echo_async_runs, __ATOMIC_SEQ_CST) < 2; i++) h_sleep_ms(10);
    CHECK(__atomic_load_n(&echo_async_runs, __ATOMIC_SEQ_CST) == 2);
    clarifai_error_free(err);
}

static void test_echo_redacted(void) {
    clarifai_client_options *o = test_options(X.url, 0);
    clarifai_client *key = NULL, *pat = NULL, *none = NULL, *view = NULL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_new_api_key(X.api_key, o, &key, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_new_pat(X.pat, X.user_id, X.app_id, o, &pat, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_new_without_credential(o, &none, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    err = NULL;
    if (key) echo_every_way(key, X.api_key);
    if (pat) echo_every_way(pat, X.pat);
    /* A per-request view redacts its own credential. */
    if (none) CHECK_RESULT(clarifai_client_with_api_key(none, X.api_key, &view, &err), CLARIFAI_RESULT_OK, err);
    if (view) echo_every_way(view, X.api_key);
    clarifai_error_free(err);
    clarifai_client_free(key);
    clarifai_client_free(pat);
    clarifai_client_free(none);
    clarifai_client_free(view);
    clarifai_client_options_free(o);
}

static void echo_emulator_starts(void) {
    CHECK(!"the emulator with the echo faults starts");
}

static void suite_echo(void) {
    static const char *const faults[] = {"--fault", "ListInputs=echo", "--fault", "ListConcepts=echo:401", NULL};
    if (emu_start(&X, faults, NULL) != 0) {
        h_run("the emulator with the echo faults starts", echo_emulator_starts);
        return;
    }
    h_run("the echo fault comes back redacted from every response and error accessor (#19.2)", test_echo_redacted);
    emu_stop(&X);
}

void suite_network(void) {
    static const char *const faults[] = {
        "--fault", "ListModels=delay:3000",  "--fault", "ListConcepts=throttle:7",
        "--fault", "ListWorkflows=drop",     "--fault", "ListApps=oversize:1048576",
        NULL,
    };
    h_run("dead server: CLARIFAI_RESULT_CONNECT", test_dead_server);
    fault_emulator_up = emu_start(&F, faults, NULL) == 0;
    if (!fault_emulator_up) {
        h_run("the emulator with faults starts", fault_emulator_starts);
        return;
    }
    with_fault_emulator("slow server: CLARIFAI_RESULT_TIMEOUT within 10% of the timeout", test_slow_server);
    with_fault_emulator("throttled: retry-after reported", test_throttled);
    with_fault_emulator("connection cut mid-body", test_dropped_connection);
    with_fault_emulator("response over the size limit", test_body_too_large);
    with_fault_emulator("an options-less client retries CLARIFAI_DEFAULT_MAX_RETRIES times", test_default_retries);
    emu_stop(&F);
    suite_echo();
}
