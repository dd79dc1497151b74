/* Cancellation (#20): clarifai_call handles (callbacks, waits, batches), cancel tokens for
 * blocking calls, call options' timeouts, and a storm of calls cancelled or freed at random.
 * Against an emulator that delays ListInputs by 5 s, so only cancellation ends those calls
 * quickly; ListConcepts answers at once, ListModels after 20 ms, ListWorkflows after 600 ms. */
#define _GNU_SOURCE /* mallinfo2 */

#include <dirent.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Header-only client requests, no-ops unless running under Valgrind. */
#include <valgrind/valgrind.h>

#include "suite.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define SLOW "ListInputs"
#define FAST "ListConcepts"
#define SHORT "ListModels"
#define MEDIUM "ListWorkflows"

static emulator S;

static clarifai_client *slow_client(unsigned max_concurrency, uint64_t timeout_ms) {
    clarifai_client_options *o = test_options(S.url, 0);
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    if (max_concurrency) clarifai_client_options_set_max_concurrency(o, max_concurrency, NULL);
    if (timeout_ms) clarifai_client_options_set_timeout_ms(o, timeout_ms, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(S.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    clarifai_client_options_free(o);
    return c;
}

/* How long to let a request reach the server before cancelling it. */
static long settle_ms(void) {
    long b = cancel_bound_ms();
    return b * 2 > 100 ? b * 2 : 100;
}

/* Wait (3 s, or longer under Valgrind) until the emulator logged `n` aborted requests since its
 * log was last cleared: the server saw the client go away. Returns how many it saw, which may
 * be more: the server notices a cancel of an earlier test late now and then. */
static size_t wait_aborted(size_t n) {
    int64_t deadline = h_now_us() + (int64_t)cancel_bound_ms() * 60 * 1000;
    size_t aborted = 0;
    if (deadline < h_now_us() + 3000000) deadline = h_now_us() + 3000000;
    for (;;) {
        json_t *log = emu_requests(&S);
        aborted = 0;
        for (size_t i = 0; i < json_array_size(log); i++) {
            if (json_is_true(json_object_get(json_array_get(log, i), "aborted"))) aborted++;
        }
        json_decref(log);
        if (aborted >= n || h_now_us() > deadline) return aborted;
        h_sleep_ms(20);
    }
}

static clarifai_response *must_call(const clarifai_client *c, const char *endpoint, int line) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, endpoint, NULL, &resp, &err);
    if (r != CLARIFAI_RESULT_OK) h_fail(__FILE__, line, "%s gave %s: %s", endpoint, clarifai_result_name(r), clarifai_error_message(err));
    clarifai_error_free(err);
    return resp;
}

/* --- one call's callback, observed --- */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int runs;
    clarifai_result result;
    clarifai_result error_result;
    int had_response, had_error;
    int64_t at_us;
    pthread_t thread;
    /* When set, the callback frees this call (its own) before returning. */
    clarifai_call *self;
    int freed_self;
    /* The callback sleeps this long before returning. */
    long sleep_ms;
    int returned;
} probe;

static void probe_init(probe *p) {
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
}

static void probe_destroy(probe *p) {
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
}

static void probe_cb(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    probe *p = userdata;
    int64_t now = h_now_us();
    clarifai_call *self;
    long sleep_ms;
    pthread_mutex_lock(&p->lock);
    p->runs++;
    p->result = result;
    p->had_response = response != NULL;
    p->had_error = error != NULL;
    p->error_result = error ? clarifai_error_result(error) : CLARIFAI_RESULT_OK;
    p->at_us = now;
    p->thread = pthread_self();
    self = p->self;
    p->self = NULL;
    sleep_ms = p->sleep_ms;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    if (sleep_ms) h_sleep_ms(sleep_ms);
    clarifai_response_free(response);
    clarifai_error_free(error);
    if (self) clarifai_call_free(self);
    pthread_mutex_lock(&p->lock);
    p->freed_self = self != NULL;
    p->returned = 1;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

/* Wait up to `ms` for the callback to have run (`returned` 0) or returned (1). */
static int probe_wait(probe *p, int returned, long ms) {
    struct timespec deadline;
    int ok;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    while (!(returned ? p->returned : p->runs > 0)) {
        if (pthread_cond_timedwait(&p->cond, &p->lock, &deadline) != 0) break;
    }
    ok = returned ? p->returned : p->runs > 0;
    pthread_mutex_unlock(&p->lock);
    return ok;
}

static int probe_runs(probe *p) {
    int n;
    pthread_mutex_lock(&p->lock);
    n = p->runs;
    pthread_mutex_unlock(&p->lock);
    return n;
}

/* The callback ran once, with CLARIFAI_RESULT_CANCELLED and an error saying so. */
static void check_cancelled(probe *p, int line) {
    pthread_mutex_lock(&p->lock);
    if (p->runs != 1) h_fail(__FILE__, line, "the callback ran %d times", p->runs);
    if (p->result != CLARIFAI_RESULT_CANCELLED || p->error_result != CLARIFAI_RESULT_CANCELLED || !p->had_error ||
        p->had_response) {
        h_fail(__FILE__, line, "the callback got %s (error %s, response %d)", clarifai_result_name(p->result),
               clarifai_result_name(p->error_result), p->had_response);
    }
    pthread_mutex_unlock(&p->lock);
}

static clarifai_call *start_async(const clarifai_client *c, const char *endpoint, const clarifai_call_options *opts, probe *p) {
    clarifai_call *call = NULL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_call_async(c, endpoint, NULL, opts, probe_cb, p, &call, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    return call;
}

/* Cancel a call held by the server: the callback within the bound, the request aborted at the
 * server, and the client's next call fine. */
static void test_cancel_async(void) {
    clarifai_client *c = slow_client(0, 0);
    clarifai_call *call;
    probe p;
    int64_t t0;
    size_t aborted;
    probe_init(&p);
    if (!c) goto done;
    clarifai_response_free(must_call(c, FAST, __LINE__)); /* warm: a connection exists */
    CHECK(emu_clear_requests(&S) == 0);
    call = start_async(c, SLOW, NULL, &p);
    if (!call) goto done;
    h_sleep_ms(settle_ms());
    CHECK(!clarifai_call_is_done(call) && probe_runs(&p) == 0);
    t0 = h_now_us();
    clarifai_call_cancel(call);
    CHECK_MSG(probe_wait(&p, 0, 2000), "no callback within 2 s of the cancel");
    check_cancelled(&p, __LINE__);
    CHECK_MSG(p.at_us - t0 < cancel_bound_ms() * 1000, "the callback ran %.1f ms after the cancel (bound %ld ms)",
              (double)(p.at_us - t0) / 1000.0, cancel_bound_ms());
    /* Idempotent; done once the callback returned. */
    clarifai_call_cancel(call);
    CHECK(probe_wait(&p, 1, 2000));
    CHECK(clarifai_call_is_done(call));
    aborted = wait_aborted(1);
    CHECK_MSG(aborted >= 1, "the emulator logged %zu aborted requests, expected 1", aborted);
    /* The same client carries on. */
    clarifai_response_free(must_call(c, FAST, __LINE__));
    clarifai_call_free(call);
    h_sleep_ms(50);
    CHECK_MSG(probe_runs(&p) == 1, "the callback ran %d times", probe_runs(&p));
done:
    clarifai_client_free(c);
    probe_destroy(&p);
}

/* Freeing a call before its answer runs its callback (on the freeing thread, as a rule) with
 * CANCELLED before clarifai_call_free returns; never again afterwards. */
static void test_free_before_completion(void) {
    clarifai_client *c = slow_client(0, 0);
    probe p, q;
    clarifai_call *call;
    probe_init(&p);
    probe_init(&q);
    if (!c) goto done;
    call = start_async(c, SLOW, NULL, &p);
    if (call) {
        h_sleep_ms(settle_ms());
        clarifai_call_free(call);
        CHECK_MSG(probe_runs(&p) == 1, "after clarifai_call_free the callback had run %d times", probe_runs(&p));
        CHECK(p.returned);
        /* Documented: on the freeing thread. The library cancels the call's token before it
         * takes the callback, so now and then the runtime's pool thread wins that race and
         * runs it (once, CANCELLED, before the free returns): noted, not failed. */
        if (!pthread_equal(p.thread, pthread_self())) h_diag("the freed call's callback ran on a pool thread, not the freeing one");
        check_cancelled(&p, __LINE__);
    }
    /* Freed at once, before the request could even start. */
    call = start_async(c, SLOW, NULL, &q);
    if (call) {
        clarifai_call_free(call);
        CHECK(probe_runs(&q) == 1 && q.returned);
        if (!pthread_equal(q.thread, pthread_self())) h_diag("the freed call's callback ran on a pool thread, not the freeing one");
        check_cancelled(&q, __LINE__);
    }
    h_sleep_ms(100);
    CHECK(probe_runs(&p) == 1 && probe_runs(&q) == 1);
done:
    clarifai_client_free(c);
    probe_destroy(&p);
    probe_destroy(&q);
}

/* A callback may free its own call: cancelled, and on completion. */
static void test_free_inside_callback(void) {
    clarifai_client *c = slow_client(0, 0);
    probe p, q;
    clarifai_call *call;
    probe_init(&p);
    probe_init(&q);
    if (!c) goto done;
    call = start_async(c, SLOW, NULL, &p);
    if (call) {
        pthread_mutex_lock(&p.lock);
        p.self = call;
        pthread_mutex_unlock(&p.lock);
        clarifai_call_cancel(call);
        CHECK_MSG(probe_wait(&p, 1, 2000), "the cancelled callback did not return");
        check_cancelled(&p, __LINE__);
        CHECK(p.freed_self);
    }
    /* Completing (after 20 ms): the callback frees it, unless it ran before we handed it over. */
    call = start_async(c, SHORT, NULL, &q);
    if (call) {
        int handed;
        pthread_mutex_lock(&q.lock);
        handed = q.runs == 0;
        if (handed) q.self = call;
        pthread_mutex_unlock(&q.lock);
        CHECK(probe_wait(&q, 1, 5000));
        if (!handed) clarifai_call_free(call);
        CHECK(q.runs == 1 && q.result == CLARIFAI_RESULT_OK && q.had_response);
        CHECK(q.freed_self == handed);
        if (!handed) h_diag("the 20 ms call completed before its handle was handed to the callback");
    }
    h_sleep_ms(50);
    CHECK(probe_runs(&p) == 1 && probe_runs(&q) == 1);
done:
    clarifai_client_free(c);
    probe_destroy(&p);
    probe_destroy(&q);
}

/* A callback running on another thread: clarifai_call_free waits for it to return. */
static void test_free_waits_for_a_running_callback(void) {
    clarifai_client *c = slow_client(0, 0);
    probe p;
    clarifai_call *call;
    probe_init(&p);
    p.sleep_ms = 300;
    if (!c) goto done;
    call = start_async(c, FAST, NULL, &p);
    if (call) {
        int64_t t0;
        CHECK_MSG(probe_wait(&p, 0, 5000), "the callback did not start");
        t0 = h_now_us();
        clarifai_call_free(call);
        CHECK_MSG(p.returned, "clarifai_call_free returned while the callback was still running");
        CHECK_MSG(h_now_us() - t0 > 100000, "clarifai_call_free returned after %.1f ms", (double)(h_now_us() - t0) / 1000.0);
        CHECK(p.runs == 1 && p.result == CLARIFAI_RESULT_OK);
        CHECK(!pthread_equal(p.thread, pthread_self()));
    }
done:
    clarifai_client_free(c);
    probe_destroy(&p);
}

/* call_start + call_wait: a result is taken once; a cancelled call waits CANCELLED; a call
 * with a callback (or a batch) cannot be waited for. */
static void test_start_and_wait(void) {
    clarifai_client *c = slow_client(0, 0);
    clarifai_call *quick = NULL, *slow = NULL, *bad = NULL, *cb = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    probe p;
    int64_t t0;
    probe_init(&p);
    if (!c) goto done;
    CHECK(emu_clear_requests(&S) == 0);
    CHECK_RESULT(clarifai_client_call_start(c, FAST, NULL, NULL, &quick, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_client_call_start(c, SLOW, NULL, NULL, &slow, &err), CLARIFAI_RESULT_OK, err);
    if (!quick || !slow) goto done;
    /* Done once the result waits to be collected. */
    for (int i = 0; i < 500 && !clarifai_call_is_done(quick); i++) h_sleep_ms(10);
    CHECK(clarifai_call_is_done(quick) && !clarifai_call_is_done(slow));
    CHECK_RESULT(clarifai_call_wait(quick, &resp, &err), CLARIFAI_RESULT_OK, err);
    CHECK(resp && clarifai_response_status_code(resp) == 10000);
    clarifai_response_free(resp);
    resp = SENTINEL;
    CHECK_RESULT(clarifai_call_wait(quick, &resp, &err), CLARIFAI_RESULT_STATE, err);
    CHECK(resp == SENTINEL && err && clarifai_error_result(err) == CLARIFAI_RESULT_STATE);
    clarifai_error_free(err);
    err = NULL;

    h_sleep_ms(settle_ms());
    t0 = h_now_us();
    clarifai_call_cancel(slow);
    CHECK_RESULT(clarifai_call_wait(slow, &resp, &err), CLARIFAI_RESULT_CANCELLED, err);
    CHECK_MSG(h_now_us() - t0 < cancel_bound_ms() * 1000, "the wait returned %.1f ms after the cancel",
              (double)(h_now_us() - t0) / 1000.0);
    CHECK(resp == SENTINEL && err && clarifai_error_result(err) == CLARIFAI_RESULT_CANCELLED);
    clarifai_error_free(err);
    err = NULL;
    CHECK_RESULT(clarifai_call_wait(slow, &resp, &err), CLARIFAI_RESULT_STATE, err);
    clarifai_error_free(err);
    err = NULL;
    CHECK(wait_aborted(1) >= 1);

    /* Unknown RPCs are refused at the start; parameters that cannot be planned fail the call. */
    CHECK_RESULT(clarifai_client_call_start(c, "NoSuchRpc", NULL, NULL, &bad, &err), CLARIFAI_RESULT_UNKNOWN_ENDPOINT, err);
    CHECK(bad == NULL);
    clarifai_error_free(err);
    err = NULL;
    CHECK_RESULT(clarifai_client_call_start(c, "GetInput", "{}", NULL, &bad, &err), CLARIFAI_RESULT_OK, err);
    if (bad) {
        CHECK_RESULT(clarifai_call_wait(bad, &resp, &err), CLARIFAI_RESULT_INVALID_ARGUMENT, err);
        clarifai_error_free(err);
        err = NULL;
    }

    /* A call with a callback: its result went there. */
    cb = start_async(c, FAST, NULL, &p);
    if (cb) {
        CHECK(probe_wait(&p, 1, 5000));
        CHECK_RESULT(clarifai_call_wait(cb, &resp, &err), CLARIFAI_RESULT_STATE, err);
        CHECK(resp == SENTINEL);
        clarifai_error_free(err);
        err = NULL;
    }
    /* A started call freed unwaited is cancelled (and nothing leaks). */
    {
        clarifai_call *dropped = NULL;
        CHECK_RESULT(clarifai_client_call_start(c, SLOW, NULL, NULL, &dropped, &err), CLARIFAI_RESULT_OK, err);
        h_sleep_ms(settle_ms());
        clarifai_call_free(dropped);
        CHECK(wait_aborted(2) >= 2);
    }
done:
    clarifai_error_free(err);
    clarifai_call_free(quick);
    clarifai_call_free(slow);
    clarifai_call_free(bad);
    clarifai_call_free(cb);
    clarifai_client_free(c);
    probe_destroy(&p);
}

/* --- batches --- */

typedef struct {
    pthread_mutex_t lock;
    int runs;
    clarifai_result result;
    clarifai_batch *batch;
    int had_error;
    int64_t at_us;
} batch_probe;

static void batch_cb(void *userdata, clarifai_result result, clarifai_batch *batch, clarifai_error *error) {
    batch_probe *b = userdata;
    int64_t now = h_now_us();
    pthread_mutex_lock(&b->lock);
    b->runs++;
    b->result = result;
    b->had_error = error != NULL;
    b->at_us = now;
    if (!b->batch) {
        b->batch = batch;
        batch = NULL;
    }
    pthread_mutex_unlock(&b->lock);
    clarifai_batch_free(batch);
    clarifai_error_free(error);
}

static int batch_runs(batch_probe *b) {
    int n;
    pthread_mutex_lock(&b->lock);
    n = b->runs;
    pthread_mutex_unlock(&b->lock);
    return n;
}

enum { N_SLOW = 5, N_FAST = 5, N_BATCH = N_SLOW + N_FAST + 1 };

static void batch_calls(const char **eps) {
    for (int i = 0; i < N_BATCH; i++) eps[i] = i < N_SLOW ? SLOW : i < N_SLOW + N_FAST ? FAST : "NoSuchRpc";
}

/* Slow calls CANCELLED, fast ones OK, the unknown one UNKNOWN_ENDPOINT, in call order. */
static void check_cancelled_batch(const clarifai_batch *batch, int fast_done, int line) {
    if (clarifai_batch_len(batch) != N_BATCH) {
        h_fail(__FILE__, line, "batch of %zu", clarifai_batch_len(batch));
        return;
    }
    for (size_t i = 0; i < N_BATCH; i++) {
        clarifai_result want = i < N_SLOW ? CLARIFAI_RESULT_CANCELLED
                             : i < N_SLOW + N_FAST ? CLARIFAI_RESULT_OK
                                                   : CLARIFAI_RESULT_UNKNOWN_ENDPOINT;
        clarifai_result got = clarifai_batch_result(batch, i);
        if (i >= N_SLOW && i < N_SLOW + N_FAST && !fast_done && got == CLARIFAI_RESULT_CANCELLED) continue;
        if (got != want) h_fail(__FILE__, line, "call %zu: %s, expected %s", i, clarifai_result_name(got), clarifai_result_name(want));
        if (got == CLARIFAI_RESULT_CANCELLED && clarifai_error_result(clarifai_batch_error(batch, i)) != CLARIFAI_RESULT_CANCELLED) {
            h_fail(__FILE__, line, "call %zu: its error is not CANCELLED", i);
        }
    }
}

static void test_many_async_cancel(void) {
    clarifai_client *c = slow_client(0, 0);
    const char *eps[N_BATCH];
    clarifai_call *call = NULL;
    clarifai_error *err = NULL;
    batch_probe b;
    int64_t t0;
    memset(&b, 0, sizeof b);
    pthread_mutex_init(&b.lock, NULL);
    batch_calls(eps);
    if (!c) goto done;
    CHECK(emu_clear_requests(&S) == 0);
    CHECK_RESULT(clarifai_client_call_many_async(c, eps, NULL, N_BATCH, NULL, batch_cb, &b, &call, &err), CLARIFAI_RESULT_OK, err);
    if (!call) goto done;
    /* The fast ones answer; the slow ones sit at the server. */
    h_sleep_ms(settle_ms() + 200);
    CHECK(!clarifai_call_is_done(call) && batch_runs(&b) == 0);
    t0 = h_now_us();
    clarifai_call_cancel(call);
    for (int i = 0; i < 2000 && batch_runs(&b) == 0; i++) h_sleep_us(500);
    CHECK_MSG(batch_runs(&b) == 1, "the batch callback ran %d times", batch_runs(&b));
    if (batch_runs(&b) == 1) {
        CHECK_MSG(b.at_us - t0 < cancel_bound_ms() * 1000, "the batch callback ran %.1f ms after the cancel",
                  (double)(b.at_us - t0) / 1000.0);
        CHECK_RESULT(b.result, CLARIFAI_RESULT_OK, NULL);
        CHECK(!b.had_error);
        check_cancelled_batch(b.batch, 1, __LINE__);
    }
    CHECK(wait_aborted(N_SLOW) >= N_SLOW);
    clarifai_call_free(call);
    CHECK(batch_runs(&b) == 1);
    clarifai_batch_free(b.batch);
    b.batch = NULL;

    /* Freed before completion: the callback has run (here, as a rule) when the free returns. */
    b.runs = 0;
    call = NULL;
    CHECK_RESULT(clarifai_client_call_many_async(c, eps, NULL, N_BATCH, NULL, batch_cb, &b, &call, &err), CLARIFAI_RESULT_OK, err);
    clarifai_call_free(call);
    CHECK_MSG(batch_runs(&b) == 1, "after clarifai_call_free the batch callback had run %d times", batch_runs(&b));
    CHECK(b.batch && clarifai_batch_len(b.batch) == N_BATCH);
    for (size_t i = 0; b.batch && i < N_SLOW; i++) {
        CHECK_RESULT(clarifai_batch_result(b.batch, i), CLARIFAI_RESULT_CANCELLED, clarifai_batch_error(b.batch, i));
    }
    clarifai_batch_free(b.batch);
    b.batch = NULL;

    /* Without a handle it runs to its end: every call's own result. */
    b.runs = 0;
    {
        const char *quick[] = {FAST, SHORT, "NoSuchRpc"};
        CHECK_RESULT(clarifai_client_call_many_async(c, quick, NULL, 3, NULL, batch_cb, &b, NULL, &err), CLARIFAI_RESULT_OK, err);
        for (int i = 0; i < 1000 && batch_runs(&b) == 0; i++) h_sleep_ms(10);
        CHECK(batch_runs(&b) == 1 && clarifai_batch_len(b.batch) == 3);
        CHECK_RESULT(clarifai_batch_result(b.batch, 0), CLARIFAI_RESULT_OK, clarifai_batch_error(b.batch, 0));
        CHECK_RESULT(clarifai_batch_result(b.batch, 1), CLARIFAI_RESULT_OK, clarifai_batch_error(b.batch, 1));
        CHECK_RESULT(clarifai_batch_result(b.batch, 2), CLARIFAI_RESULT_UNKNOWN_ENDPOINT, clarifai_batch_error(b.batch, 2));
        /* Let the callback return before its probe goes. */
        h_sleep_ms(50);
        clarifai_batch_free(b.batch);
        b.batch = NULL;
    }
done:
    clarifai_error_free(err);
    clarifai_client_free(c);
    pthread_mutex_destroy(&b.lock);
}

/* A batch freed before it completed: its callback runs on the freeing thread, the calls still
 * running CANCELLED, and (as clarifai_batch_callback documents: "the calls still running have
 * CLARIFAI_RESULT_CANCELLED") the calls that had already finished keep their results, as they
 * do when the batch is cancelled with clarifai_call_cancel. */
static void test_freed_batch_keeps_finished_results(void) {
    clarifai_client *c = slow_client(0, 0);
    const char *eps[N_BATCH];
    clarifai_call *call = NULL;
    clarifai_error *err = NULL;
    batch_probe b;
    memset(&b, 0, sizeof b);
    pthread_mutex_init(&b.lock, NULL);
    batch_calls(eps);
    if (!c) goto done;
    CHECK_RESULT(clarifai_client_call_many_async(c, eps, NULL, N_BATCH, NULL, batch_cb, &b, &call, &err), CLARIFAI_RESULT_OK, err);
    h_sleep_ms(settle_ms() + 200);
    clarifai_call_free(call);
    CHECK(batch_runs(&b) == 1);
    if (b.batch) check_cancelled_batch(b.batch, 1, __LINE__);
    clarifai_batch_free(b.batch);
done:
    clarifai_error_free(err);
    clarifai_client_free(c);
    pthread_mutex_destroy(&b.lock);
}

/* --- tokens and blocking calls --- */

typedef struct {
    const clarifai_client *c;
    const clarifai_call_options *opts;
    clarifai_result result;
    int wrote_response;
    int64_t at_us;
} blocking;

static void *blocking_main(void *arg) {
    blocking *b = arg;
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    b->result = clarifai_client_call_with_options(b->c, SLOW, NULL, b->opts, &resp, &err);
    b->at_us = h_now_us();
    b->wrote_response = resp != SENTINEL;
    if (resp != SENTINEL) clarifai_response_free(resp);
    if (err && clarifai_error_result(err) != b->result) b->result = CLARIFAI_RESULT_PANIC;
    clarifai_error_free(err);
    return NULL;
}

static void test_token_cancels_blocking_calls(void) {
    enum { THREADS = 3 };
    clarifai_client *c = slow_client(0, 0);
    clarifai_cancel_token *token = clarifai_cancel_token_new();
    clarifai_cancel_token *other = clarifai_cancel_token_new();
    clarifai_call_options *opts = clarifai_call_options_new();
    clarifai_call_options *other_opts = clarifai_call_options_new();
    pthread_t t[THREADS];
    blocking b[THREADS];
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    int64_t t0;
    if (!c || !token || !opts) goto done;
    CHECK(emu_clear_requests(&S) == 0);
    CHECK_RESULT(clarifai_call_options_set_cancel_token(opts, token, &err), CLARIFAI_RESULT_OK, err);
    CHECK_RESULT(clarifai_call_options_set_cancel_token(other_opts, other, &err), CLARIFAI_RESULT_OK, err);
    /* The options hold their own reference. */
    clarifai_cancel_token_free(other);
    other = NULL;
    for (int i = 0; i < THREADS; i++) {
        b[i].c = c;
        b[i].opts = opts;
        CHECK(pthread_create(&t[i], NULL, blocking_main, &b[i]) == 0);
    }
    h_sleep_ms(settle_ms() + 50);
    t0 = h_now_us();
    clarifai_cancel_token_cancel(token);
    CHECK(clarifai_cancel_token_is_cancelled(token));
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK_MSG(b[i].result == CLARIFAI_RESULT_CANCELLED, "thread %d: %s", i, clarifai_result_name(b[i].result));
        CHECK(!b[i].wrote_response);
        CHECK_MSG(b[i].at_us - t0 < cancel_bound_ms() * 1000, "thread %d returned %.1f ms after the cancel", i,
                  (double)(b[i].at_us - t0) / 1000.0);
    }
    CHECK(wait_aborted(THREADS) >= THREADS);

    /* A cancelled token cancels the next call at once, whatever its form. */
    t0 = h_now_us();
    CHECK_RESULT(clarifai_client_call_with_options(c, FAST, NULL, opts, &resp, &err), CLARIFAI_RESULT_CANCELLED, err);
    CHECK(resp == SENTINEL && h_now_us() - t0 < cancel_bound_ms() * 1000);
    clarifai_error_free(err);
    err = NULL;
    {
        probe p;
        clarifai_call *call = NULL;
        probe_init(&p);
        call = start_async(c, FAST, opts, &p);
        CHECK(probe_wait(&p, 1, 2000));
        check_cancelled(&p, __LINE__);
        clarifai_call_free(call);
        probe_destroy(&p);
        CHECK_RESULT(clarifai_client_call_start(c, FAST, NULL, opts, &call, &err), CLARIFAI_RESULT_OK, err);
        if (call) CHECK_RESULT(clarifai_call_wait(call, &resp, &err), CLARIFAI_RESULT_CANCELLED, err);
        clarifai_call_free(call);
        clarifai_error_free(err);
        err = NULL;
    }
    /* Another token, not cancelled (and already freed by us): calls run. */
    resp = NULL;
    CHECK_RESULT(clarifai_client_call_with_options(c, FAST, NULL, other_opts, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    /* Cleared, the options cancel nothing. */
    clarifai_call_options_set_cancel_token(opts, NULL, NULL);
    resp = NULL;
    CHECK_RESULT(clarifai_client_call_with_options(c, FAST, NULL, opts, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
done:
    clarifai_error_free(err);
    clarifai_call_options_free(opts);
    clarifai_call_options_free(other_opts);
    clarifai_cancel_token_free(token);
    clarifai_cancel_token_free(other);
    clarifai_client_free(c);
}

/* --- call options' timeout --- */

static void test_call_timeout(void) {
    const long slack = h_env_long("CLARIFAI_C_TIMING_SLACK", 10);
    clarifai_client *c = slow_client(0, 0);
    clarifai_client *impatient = slow_client(0, 300);
    clarifai_call_options *short_opts = clarifai_call_options_new();
    clarifai_call_options *long_opts = clarifai_call_options_new();
    clarifai_call_options *zero = clarifai_call_options_new();
    clarifai_response *resp = SENTINEL;
    clarifai_error *err = NULL;
    int64_t t0, ms;
    if (!c || !impatient) goto done;
    clarifai_call_options_set_timeout_ms(short_opts, 300, NULL);
    clarifai_call_options_set_timeout_ms(long_opts, 3000, NULL);
    clarifai_call_options_set_timeout_ms(zero, 0, NULL);

    /* The call's own timeout instead of the client's (60 s by default)... */
    t0 = h_now_us();
    CHECK_RESULT(clarifai_client_call_with_options(c, SLOW, NULL, short_opts, &resp, &err), CLARIFAI_RESULT_TIMEOUT, err);
    ms = (h_now_us() - t0) / 1000;
    CHECK_MSG(ms >= 285 && ms <= 300 * (100 + slack) / 100 + 50, "a 300 ms call timeout fired after %lld ms", (long long)ms);
    CHECK(resp == SENTINEL);
    clarifai_error_free(err);
    err = NULL;
    /* ...either way: a client of 300 ms waits 600 ms for a call allowed 3 s. */
    resp = NULL;
    CHECK_RESULT(clarifai_client_call_with_options(impatient, MEDIUM, NULL, long_opts, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    resp = SENTINEL;
    CHECK_RESULT(clarifai_client_call_with_options(impatient, MEDIUM, NULL, NULL, &resp, &err), CLARIFAI_RESULT_TIMEOUT, err);
    clarifai_error_free(err);
    err = NULL;

    /* Asynchronous and batched calls take it too. */
    {
        probe p;
        clarifai_call *call;
        probe_init(&p);
        call = start_async(c, SLOW, short_opts, &p);
        CHECK(probe_wait(&p, 1, 5000));
        CHECK_RESULT(p.result, CLARIFAI_RESULT_TIMEOUT, NULL);
        clarifai_call_free(call);
        probe_destroy(&p);
    }
    {
        const char *eps[] = {SLOW, FAST};
        clarifai_batch *batch = NULL;
        t0 = h_now_us();
        CHECK_RESULT(clarifai_client_call_many_with_options(c, eps, NULL, 2, short_opts, &batch, &err), CLARIFAI_RESULT_OK, err);
        CHECK(h_now_us() - t0 < 2000000);
        CHECK_RESULT(clarifai_batch_result(batch, 0), CLARIFAI_RESULT_TIMEOUT, clarifai_batch_error(batch, 0));
        CHECK_RESULT(clarifai_batch_result(batch, 1), CLARIFAI_RESULT_OK, clarifai_batch_error(batch, 1));
        clarifai_batch_free(batch);
    }

    /* A zero timeout is refused when a call is made with it, before any request. */
    resp = SENTINEL;
    CHECK_RESULT(clarifai_client_call_with_options(c, FAST, NULL, zero, &resp, &err), CLARIFAI_RESULT_INVALID_ARGUMENT, err);
    CHECK(resp == SENTINEL && err && strstr(clarifai_error_message(err), "timeout"));
    clarifai_error_free(err);
    err = NULL;
    {
        clarifai_call *call = NULL;
        CHECK_RESULT(clarifai_client_call_start(c, FAST, NULL, zero, &call, &err), CLARIFAI_RESULT_OK, err);
        if (call) CHECK_RESULT(clarifai_call_wait(call, &resp, &err), CLARIFAI_RESULT_INVALID_ARGUMENT, err);
        clarifai_call_free(call);
        clarifai_error_free(err);
        err = NULL;
    }
done:
    clarifai_error_free(err);
    clarifai_call_options_free(short_opts);
    clarifai_call_options_free(long_opts);
    clarifai_call_options_free(zero);
    clarifai_client_free(c);
    clarifai_client_free(impatient);
}

/* --- call_many_with_options with a token cancelled from another thread --- */

static void *cancel_later(void *arg) {
    h_sleep_ms(settle_ms() + 50);
    clarifai_cancel_token_cancel(arg);
    return NULL;
}

static void test_many_with_options(void) {
    clarifai_client *c = slow_client(0, 0);
    clarifai_cancel_token *token = clarifai_cancel_token_new();
    clarifai_call_options *opts = clarifai_call_options_new();
    const char *eps[N_BATCH];
    clarifai_batch *batch = SENTINEL;
    clarifai_error *err = NULL;
    pthread_t t;
    int64_t t0;
    batch_calls(eps);
    if (!c) goto done;
    CHECK(emu_clear_requests(&S) == 0);
    clarifai_call_options_set_cancel_token(opts, token, NULL);
    pthread_create(&t, NULL, cancel_later, token);
    t0 = h_now_us();
    CHECK_RESULT(clarifai_client_call_many_with_options(c, eps, NULL, N_BATCH, opts, &batch, &err), CLARIFAI_RESULT_OK, err);
    pthread_join(t, NULL);
    CHECK_MSG(h_now_us() - t0 < 1000000 + cancel_bound_ms() * 1000, "the batch took %.1f ms", (double)(h_now_us() - t0) / 1000.0);
    if (batch != SENTINEL) check_cancelled_batch(batch, 1, __LINE__);
    if (batch != SENTINEL) clarifai_batch_free(batch);
    CHECK(wait_aborted(N_SLOW) >= N_SLOW);
    /* Cancelled before: every call cancelled (the unknown one still fails as unknown). */
    batch = NULL;
    CHECK_RESULT(clarifai_client_call_many_with_options(c, eps, NULL, N_BATCH, opts, &batch, &err), CLARIFAI_RESULT_OK, err);
    for (size_t i = 0; batch && i < N_SLOW + N_FAST; i++) {
        CHECK_RESULT(clarifai_batch_result(batch, i), CLARIFAI_RESULT_CANCELLED, clarifai_batch_error(batch, i));
    }
    clarifai_batch_free(batch);
    /* No options: as call_many. */
    batch = NULL;
    CHECK_RESULT(clarifai_client_call_many_with_options(c, eps + N_SLOW, NULL, N_FAST, NULL, &batch, &err), CLARIFAI_RESULT_OK, err);
    for (size_t i = 0; batch && i < N_FAST; i++) {
        CHECK_RESULT(clarifai_batch_result(batch, i), CLARIFAI_RESULT_OK, clarifai_batch_error(batch, i));
    }
    clarifai_batch_free(batch);
done:
    clarifai_error_free(err);
    clarifai_call_options_free(opts);
    clarifai_cancel_token_free(token);
    clarifai_client_free(c);
}

/* --- the storm: many calls cancelled or freed at random moments from several threads --- */

enum { STORM_THREADS = 4 };

typedef struct {
    const clarifai_client *c;
    long calls;
    long first;
    unsigned long long seed;
    int *runs;      /* per call: how often its callback ran */
    /* Every fourth call's handle goes to the shared pool the chaos thread cancels from. */
    clarifai_call **pool;
    long *pool_len;
    long refused;
} storm_worker;

static int storm_cancelled;
static int storm_stop;

static void storm_cb(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    int *runs = userdata;
    __atomic_add_fetch(runs, 1, __ATOMIC_SEQ_CST);
    if (result == CLARIFAI_RESULT_CANCELLED) __atomic_add_fetch(&storm_cancelled, 1, __ATOMIC_SEQ_CST);
    clarifai_response_free(response);
    clarifai_error_free(error);
}

static unsigned long long next_rand(unsigned long long *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void *storm_worker_main(void *arg) {
    storm_worker *w = arg;
    clarifai_call **mine = calloc((size_t)w->calls, sizeof *mine);
    long held = 0;
    if (!mine) return NULL;
    for (long i = 0; i < w->calls; i++) {
        unsigned long long r = next_rand(&w->seed);
        long idx = w->first + i;
        /* Mostly a 20 ms call (some finish, some are cut off); some instant, some 5 s. */
        const char *ep = r % 10 == 0 ? FAST : r % 10 == 1 ? SLOW : SHORT;
        clarifai_call *h = NULL;
        if (clarifai_client_call_async(w->c, ep, NULL, NULL, storm_cb, &w->runs[idx], &h, NULL) != CLARIFAI_RESULT_OK) {
            w->refused++;
            continue;
        }
        if (i % 4 == 3) {
            long at = __atomic_fetch_add(w->pool_len, 1, __ATOMIC_SEQ_CST);
            __atomic_store_n(&w->pool[at], h, __ATOMIC_SEQ_CST);
        } else {
            mine[held++] = h;
        }
        /* Now and then free one (which cancels it if still running) or cancel one. */
        if (held > 0 && r % 3 == 0) {
            long k = (long)((r / 3) % (unsigned long long)held);
            if ((r / 7) % 2 == 0) {
                clarifai_call_free(mine[k]);
                mine[k] = mine[--held];
            } else {
                clarifai_call_cancel(mine[k]);
            }
        }
        if (i % 97 == 0) h_sleep_us((long)(r % 3000));
    }
    for (long k = 0; k < held; k++) clarifai_call_free(mine[k]);
    free(mine);
    return NULL;
}

/* Cancels random handles of the shared pool while the workers run; they are freed after. */
static void *storm_chaos_main(void *arg) {
    storm_worker *w = arg;
    unsigned long long seed = 0x2545F4914F6CDD1DULL;
    while (!__atomic_load_n(&storm_stop, __ATOMIC_SEQ_CST)) {
        long n = __atomic_load_n(w->pool_len, __ATOMIC_SEQ_CST);
        if (n > 0) {
            clarifai_call *h = __atomic_load_n(&w->pool[next_rand(&seed) % (unsigned long long)n], __ATOMIC_SEQ_CST);
            if (h) clarifai_call_cancel(h);
        }
        if (next_rand(&seed) % 16 == 0) h_sleep_us(200);
    }
    return NULL;
}

/* One storm of `n` calls; returns how many callbacks did not run exactly once. */
static long storm_round(const clarifai_client *c, long n, int *cancelled) {
    pthread_t threads[STORM_THREADS], chaos;
    storm_worker w[STORM_THREADS];
    int *runs = calloc((size_t)n, sizeof *runs);
    clarifai_call **pool = calloc((size_t)n, sizeof *pool);
    long pool_len = 0, wrong = 0, refused = 0;
    if (!runs || !pool) {
        free(runs);
        free(pool);
        return n;
    }
    __atomic_store_n(&storm_cancelled, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&storm_stop, 0, __ATOMIC_SEQ_CST);
    for (int t = 0; t < STORM_THREADS; t++) {
        w[t].c = c;
        w[t].calls = n / STORM_THREADS + (t < n % STORM_THREADS);
        w[t].first = t == 0 ? 0 : w[t - 1].first + w[t - 1].calls;
        w[t].seed = 0x9E3779B97F4A7C15ULL ^ (unsigned long long)(t + 1) ^ (unsigned long long)h_now_us();
        w[t].runs = runs;
        w[t].pool = pool;
        w[t].pool_len = &pool_len;
        w[t].refused = 0;
    }
    pthread_create(&chaos, NULL, storm_chaos_main, &w[0]);
    for (int t = 0; t < STORM_THREADS; t++) pthread_create(&threads[t], NULL, storm_worker_main, &w[t]);
    for (int t = 0; t < STORM_THREADS; t++) {
        pthread_join(threads[t], NULL);
        refused += w[t].refused;
    }
    __atomic_store_n(&storm_stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(chaos, NULL);
    for (long i = 0; i < pool_len; i++) clarifai_call_free(pool[i]);
    /* Every handle is freed: every callback has run, and none may run again. */
    h_sleep_ms(100);
    for (long i = 0; i < n; i++) {
        int r = __atomic_load_n(&runs[i], __ATOMIC_SEQ_CST);
        if (r != 1) {
            if (wrong < 5) h_diag("storm call %ld: its callback ran %d times", i, r);
            wrong++;
        }
    }
    CHECK_MSG(refused == 0, "%ld calls were refused", refused);
    *cancelled = __atomic_load_n(&storm_cancelled, __ATOMIC_SEQ_CST);
    free(runs);
    free(pool);
    return wrong;
}

static long open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    long n = 0;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') n++;
    }
    closedir(d);
    return n;
}

static long resident_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, pages = 0;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &pages) != 2) pages = -1;
    fclose(f);
    return pages < 0 ? -1 : pages * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Bytes malloc has handed out and not had back, every arena counted. */
static long long live_heap(void) {
    struct mallinfo2 mi = mallinfo2();
    return (long long)(mi.uordblks + mi.hblkhd);
}

static void test_storm(void) {
    /* CLARIFAI_C_STORM: calls per round (10,000 natively; tests/c/run lowers it under Valgrind
     * and ASan). Memory is judged natively only: Valgrind's and ASan's allocators keep freed
     * blocks (quarantine) and report no glibc arena figures; their own leak checks judge there. */
    const long n = h_env_long("CLARIFAI_C_STORM", 10000);
    const int native = !RUNNING_ON_VALGRIND && !UNDER_ASAN;
    /* RSS settles after about five rounds (thread stacks and arenas reach their high-water
     * marks); instrumented passes only count callbacks and descriptors, after fewer. */
    const int warmups = (int)h_env_long("CLARIFAI_C_STORM_WARMUP", native ? 5 : 1);
    /* A small pool: descriptors vary by at most the connections it keeps between rounds. */
    clarifai_client *c = slow_client(32, 0);
    long fds0, fds1 = 0, rss0, rss1 = 0;
    long long heap0, heap1 = 0;
    int cancelled = 0;
    int64_t t0 = h_now_us();
    if (!c) return;
    clarifai_response_free(must_call(c, FAST, __LINE__));
    /* Warm-up rounds fill the pool and the allocator; then more rounds must not grow them. */
    for (int round = 0; round < warmups; round++) {
        CHECK_MSG(storm_round(c, n, &cancelled) == 0, "warm-up round %d: callbacks not run exactly once", round);
        CHECK_MSG(cancelled > n / 10, "round %d: only %d of %ld calls were cancelled", round, cancelled, n);
        h_diag("storm warm-up %d: %d cancelled; fds %ld, RSS %ld kB, heap %lld", round, cancelled, open_fds(), resident_kb(), live_heap());
    }
    h_sleep_ms(300);
    fds0 = open_fds();
    rss0 = resident_kb();
    heap0 = live_heap();
    for (int round = 0; round < 2; round++) {
        CHECK_MSG(storm_round(c, n, &cancelled) == 0, "measured round %d: callbacks not run exactly once", round);
        h_sleep_ms(300);
        if (open_fds() > fds1) fds1 = open_fds();
        if (resident_kb() > rss1) rss1 = resident_kb();
        if (live_heap() > heap1) heap1 = live_heap();
    }
    h_diag("storm: %d rounds of %ld calls in %.1f s (last: %d cancelled); fds %ld -> %ld, RSS %ld -> %ld kB, heap %lld -> %lld",
           warmups + 2, n, (double)(h_now_us() - t0) / 1e6, cancelled, fds0, fds1, rss0, rss1, heap0, heap1);
    CHECK_MSG(fds1 <= fds0 + 40, "file descriptors %ld -> %ld", fds0, fds1);
    if (native) {
        CHECK_MSG(rss1 < rss0 + 8 * 1024, "RSS %ld -> %ld kB", rss0, rss1);
        CHECK_MSG(heap1 < heap0 + 2 * 1024 * 1024, "live heap %lld -> %lld bytes", heap0, heap1);
    }
    /* The client still works. */
    clarifai_response_free(must_call(c, FAST, __LINE__));
    clarifai_client_free(c);
}

static void slow_emulator_starts(void) {
    CHECK(!"the emulator with delays starts");
}

void suite_cancel(void) {
    static const char *const faults[] = {"--fault", "ListInputs=delay:5000", "--fault", "ListModels=delay:20",
                                         "--fault", "ListWorkflows=delay:600", NULL};
    if (emu_start(&S, faults, NULL) != 0) {
        h_run("the emulator with delays starts", slow_emulator_starts);
        return;
    }
    h_run("call_async + clarifai_call_cancel: CANCELLED at once, the server's request aborted, the client reusable",
          test_cancel_async);
    h_run("clarifai_call_free before completion: the callback has run once, CANCELLED, when it returns", test_free_before_completion);
    h_run("a callback may free its own call", test_free_inside_callback);
    h_run("clarifai_call_free waits for a callback running on another thread", test_free_waits_for_a_running_callback);
    h_run("call_start + call_wait: taken once, cancelled, refused for callbacks", test_start_and_wait);
    h_run("call_many_async: cancel, free before completion, run to the end", test_many_async_cancel);
    h_run("call_many_async freed after some calls finished: they keep their results", test_freed_batch_keeps_finished_results);
    h_run("a cancel token stops blocking calls on other threads at once", test_token_cancels_blocking_calls);
    h_run("call options' timeout wins over the client's, every call form", test_call_timeout);
    h_run("call_many_with_options with a token cancelled from another thread", test_many_with_options);
    h_run("storm: calls cancelled or freed at random from several threads; every callback once; fds and memory flat",
          test_storm);
    emu_stop(&S);
}
