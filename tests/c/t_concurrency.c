/* One client shared by many threads; asynchronous calls with callbacks; batches. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

typedef struct {
    const clarifai_client *client;
    long calls;
    long ok;
    char first_failure[256];
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    for (long i = 0; i < w->calls; i++) {
        clarifai_response *resp = NULL;
        clarifai_error *err = NULL;
        /* Alternate endpoints so that responses cannot be handed to the wrong caller unnoticed. */
        int inputs = (i % 2) == 0;
        clarifai_result r = clarifai_client_call(w->client, inputs ? "ListInputs" : "ListModels", "{\"per_page\":1}", &resp, &err);
        const char *route = clarifai_response_header(resp, "X-Clarifai-Emulator-Route");
        if (r == CLARIFAI_RESULT_OK && route && strcmp(route, inputs ? "GET /v2/inputs" : "GET /v2/models") == 0) {
            w->ok++;
        } else if (!w->first_failure[0]) {
            snprintf(w->first_failure, sizeof w->first_failure, "%s %s", clarifai_result_name(r),
                     r ? clarifai_error_message(err) : (route ? route : "no route header"));
        }
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    return NULL;
}

static void test_threads_share_a_client(void) {
    const long threads = h_env_long("CLARIFAI_C_THREADS", 8);
    const long calls = h_env_long("CLARIFAI_C_CALLS", 200);
    clarifai_client *c = api_key_client(E.api_key);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    worker *ws = calloc((size_t)threads, sizeof *ws);
    long total = 0;
    int64_t t0 = h_now_us();
    if (!c || !tids || !ws) goto done;
    for (long t = 0; t < threads; t++) {
        ws[t].client = c;
        ws[t].calls = calls;
        CHECK(pthread_create(&tids[t], NULL, worker_main, &ws[t]) == 0);
    }
    for (long t = 0; t < threads; t++) {
        pthread_join(tids[t], NULL);
        total += ws[t].ok;
        CHECK_MSG(ws[t].ok == calls, "thread %ld: %ld of %ld calls succeeded; first failure: %s", t, ws[t].ok, calls,
                  ws[t].first_failure);
    }
    h_diag("%ld threads x %ld calls: %ld ok in %.2f s", threads, calls, total, (double)(h_now_us() - t0) / 1e6);
done:
    free(tids);
    free(ws);
    clarifai_client_free(c);
}

/* Each asynchronous call owns one slot; its callback marks it. */
typedef struct {
    int runs;
    clarifai_result result;
    int had_response;
    int had_error;
} slot;

static pthread_mutex_t async_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t async_done = PTHREAD_COND_INITIALIZER;
static long async_completed;

static void on_complete(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    slot *s = userdata;
    pthread_mutex_lock(&async_lock);
    s->runs++;
    s->result = result;
    s->had_response = response != NULL;
    s->had_error = error != NULL;
    async_completed++;
    pthread_cond_broadcast(&async_done);
    pthread_mutex_unlock(&async_lock);
    /* The callback owns both. */
    clarifai_response_free(response);
    clarifai_error_free(error);
}

/* Wait until `n` callbacks ran, or 30 s. */
static long wait_completed(long n) {
    struct timespec deadline;
    long done;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 30;
    pthread_mutex_lock(&async_lock);
    while (async_completed < n) {
        if (pthread_cond_timedwait(&async_done, &async_lock, &deadline) != 0) break;
    }
    done = async_completed;
    pthread_mutex_unlock(&async_lock);
    return done;
}

static void run_async(int free_client_early) {
    const long n = h_env_long("CLARIFAI_C_ASYNC", 100);
    clarifai_client *c = api_key_client(E.api_key);
    clarifai_client *canary = api_key_client(CANARY_KEY);
    slot *slots = calloc((size_t)n, sizeof *slots);
    /* Every other call keeps a handle, freed once every callback ran: that changes nothing. */
    clarifai_call **calls = calloc((size_t)n, sizeof *calls);
    long queued = 0;
    if (!c || !canary || !slots || !calls) goto done;
    async_completed = 0;
    for (long i = 0; i < n; i++) {
        clarifai_error *err = NULL;
        /* Every tenth call fails (unknown key), so both callback paths run. */
        const clarifai_client *who = i % 10 == 9 ? canary : c;
        clarifai_result r = clarifai_client_call_async(who, "ListInputs", "{\"per_page\":1}", NULL, on_complete, &slots[i],
                                                       i % 2 ? &calls[i] : NULL, &err);
        CHECK_RESULT(r, CLARIFAI_RESULT_OK, err);
        clarifai_error_free(err);
        if (r == CLARIFAI_RESULT_OK) queued++;
    }
    if (free_client_early) {
        /* Queued calls keep the shared state alive. */
        clarifai_client_free(c);
        clarifai_client_free(canary);
        c = canary = NULL;
    }
    CHECK_MSG(wait_completed(queued) == queued, "%ld of %ld callbacks ran within 30 s", async_completed, queued);
    for (long i = 0; i < n; i++) {
        /* Done once its callback returned (which may be a moment after it counted itself). */
        for (int k = 0; calls[i] && k < 2000 && !clarifai_call_is_done(calls[i]); k++) h_sleep_ms(1);
        if (calls[i]) CHECK(clarifai_call_is_done(calls[i]));
        clarifai_call_free(calls[i]);
    }
    /* Give a stray second invocation a moment to show itself. */
    h_sleep_ms(50);
    pthread_mutex_lock(&async_lock);
    for (long i = 0; i < n; i++) {
        const slot *s = &slots[i];
        int should_fail = i % 10 == 9;
        CHECK_MSG(s->runs == 1, "call %ld: callback ran %d times", i, s->runs);
        if (should_fail) {
            CHECK_MSG(s->result == CLARIFAI_RESULT_KEY_NOT_FOUND && !s->had_response && s->had_error, "call %ld: %s", i,
                      clarifai_result_name(s->result));
        } else {
            CHECK_MSG(s->result == CLARIFAI_RESULT_OK && s->had_response && !s->had_error, "call %ld: %s", i,
                      clarifai_result_name(s->result));
        }
    }
    pthread_mutex_unlock(&async_lock);
done:
    free(slots);
    free(calls);
    clarifai_client_free(c);
    clarifai_client_free(canary);
}

static void test_async(void) {
    run_async(0);
}

static void test_async_free_client_early(void) {
    run_async(1);
}

static void test_call_many(void) {
    enum { N = 40 };
    clarifai_client *c = api_key_client(E.api_key);
    const char *eps[N];
    const char *params[N];
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    if (!c) return;
    for (int i = 0; i < N; i++) {
        /* A mix whose results tell positions apart: two routes, an unknown RPC, bad params. */
        switch (i % 4) {
        case 0: eps[i] = "ListInputs"; params[i] = "{\"per_page\":1}"; break;
        case 1: eps[i] = "ListModels"; params[i] = NULL; break;
        case 2: eps[i] = "NoSuchRpc"; params[i] = NULL; break;
        default: eps[i] = "ListInputs"; params[i] = "{not json"; break;
        }
    }
    CHECK_RESULT(clarifai_client_call_many(c, eps, params, N, &batch, &err), CLARIFAI_RESULT_OK, err);
    CHECK(clarifai_batch_len(batch) == N);
    for (int i = 0; batch && i < N; i++) {
        const clarifai_response *resp = clarifai_batch_response(batch, i);
        const clarifai_error *e = clarifai_batch_error(batch, i);
        clarifai_result r = clarifai_batch_result(batch, i);
        switch (i % 4) {
        case 0:
        case 1:
            CHECK_RESULT(r, CLARIFAI_RESULT_OK, e);
            CHECK(resp && !e);
            CHECK_STR(clarifai_response_header(resp, "X-Clarifai-Emulator-Route"), i % 4 == 0 ? "GET /v2/inputs" : "GET /v2/models");
            break;
        case 2:
            CHECK_RESULT(r, CLARIFAI_RESULT_UNKNOWN_ENDPOINT, e);
            CHECK(!resp && e && clarifai_error_result(e) == CLARIFAI_RESULT_UNKNOWN_ENDPOINT);
            break;
        default:
            CHECK_RESULT(r, CLARIFAI_RESULT_INVALID_ARGUMENT, e);
            CHECK(!resp && e);
        }
    }
    CHECK_RESULT(clarifai_batch_result(batch, N), CLARIFAI_RESULT_INVALID_ARGUMENT, NULL);
    CHECK(clarifai_batch_response(batch, N) == NULL && clarifai_batch_error(batch, N) == NULL);
    clarifai_batch_free(batch);
    batch = NULL;
    /* params_json NULL: no parameters for any call. */
    CHECK_RESULT(clarifai_client_call_many(c, eps, NULL, 2, &batch, &err), CLARIFAI_RESULT_OK, err);
    CHECK(clarifai_batch_len(batch) == 2 && clarifai_batch_result(batch, 1) == CLARIFAI_RESULT_OK);
    clarifai_batch_free(batch);
    clarifai_error_free(err);
    clarifai_client_free(c);
}

void suite_concurrency(void) {
    h_run("threads share one client", test_threads_share_a_client);
    h_run("call_async: each callback exactly once, owning its results", test_async);
    h_run("call_async: client freed while calls are pending", test_async_free_client_early);
    h_run("call_many keeps the order of the calls", test_call_many);
}
