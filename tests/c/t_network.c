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

static void with_fault_emulator(const char *name, test_fn fn) {
    if (fault_emulator_up) h_run(name, fn);
}

static void fault_emulator_starts(void) {
    CHECK(fault_emulator_up);
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
    emu_stop(&F);
}
