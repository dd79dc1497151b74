/* Per-call latency of an authorized ListInputs through the C ABI, against libcurl doing the
 * same GET with one reused easy handle (the floor for a blocking HTTP/1.1 client in C). Both
 * talk to the local emulator over keep-alive loopback. A benchmark, not a test: `tests/c/run
 * bench` builds and runs it.
 *
 * CLARIFAI_BENCH_N (default 20000) timed calls after CLARIFAI_BENCH_WARMUP (default 2000).
 * CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY aim both at another server instead of a fresh
 * emulator (scripts/bench sets them, and reads the `@@` lines this then also prints). */
#define _POSIX_C_SOURCE 200809L

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clarifai.h"
#include "emu.h"
#include "harness.h"

typedef struct {
    const char *name;
    double median_us, p90_us, p99_us, max_us, calls_per_s;
    long failures;
} result;

/* Nanoseconds, reported as fractional µs: the ABI's own cost is a few µs, below h_now_us's grain. */
static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void summarize(result *r, int64_t *samples, long n, int64_t total_ns) {
    qsort(samples, (size_t)n, sizeof samples[0], cmp_i64);
    r->median_us = (double)samples[n / 2] / 1e3;
    r->p90_us = (double)samples[(n * 90) / 100] / 1e3;
    r->p99_us = (double)samples[(n * 99) / 100] / 1e3;
    r->max_us = (double)samples[n - 1] / 1e3;
    r->calls_per_s = (double)n / ((double)total_ns / 1e9);
}

static int abi_call(const clarifai_client *c) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, "ListInputs", "{\"per_page\":1}", &resp, &err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    return r == CLARIFAI_RESULT_OK;
}

static void bench_abi(const emulator *e, long warmup, long n, int64_t *samples, result *r) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    int64_t start;
    clarifai_client_options_set_base_url(o, e->url, NULL);
    if (clarifai_client_new_api_key(e->api_key, o, &c, NULL) != CLARIFAI_RESULT_OK) {
        r->failures = n;
        return;
    }
    for (long i = 0; i < warmup; i++) r->failures += !abi_call(c);
    start = now_ns();
    for (long i = 0; i < n; i++) {
        int64_t t0 = now_ns();
        r->failures += !abi_call(c);
        samples[i] = now_ns() - t0;
    }
    summarize(r, samples, n, now_ns() - start);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

typedef struct {
    char *data;
    size_t len, cap;
} buffer;

/* Keep the body, as the ABI does: a fair comparison copies the response once. */
static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
    buffer *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *bigger = realloc(b->data, cap);
        if (!bigger) return 0;
        b->data = bigger;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

static int curl_call(CURL *h, buffer *body) {
    long status = 0;
    body->len = 0;
    if (curl_easy_perform(h) != CURLE_OK) return 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return status == 200;
}

static void bench_curl(const emulator *e, long warmup, long n, int64_t *samples, result *r) {
    char url[512], auth[512];
    struct curl_slist *headers = NULL;
    buffer body = {NULL, 0, 0};
    CURL *h = curl_easy_init();
    int64_t start;
    snprintf(url, sizeof url, "%s/v2/inputs?per_page=1", e->url);
    snprintf(auth, sizeof auth, "Authorization: Key %s", e->api_key);
    headers = curl_slist_append(headers, auth);
    headers = curl_slist_append(headers, "Accept: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    for (long i = 0; i < warmup; i++) r->failures += !curl_call(h, &body);
    start = now_ns();
    for (long i = 0; i < n; i++) {
        int64_t t0 = now_ns();
        r->failures += !curl_call(h, &body);
        samples[i] = now_ns() - t0;
    }
    summarize(r, samples, n, now_ns() - start);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    free(body.data);
}

int main(void) {
    const long n = h_env_long("CLARIFAI_BENCH_N", 20000);
    const long warmup = h_env_long("CLARIFAI_BENCH_WARMUP", 2000);
    int64_t *samples = malloc((size_t)n * sizeof *samples);
    result results[2] = {{"clarifai_client_call (C ABI)", 0, 0, 0, 0, 0, 0}, {"libcurl, reused easy handle", 0, 0, 0, 0, 0, 0}};
    emulator e;
    signal(SIGPIPE, SIG_IGN);
    const char *url = getenv("CLARIFAI_BENCH_URL"), *key = getenv("CLARIFAI_BENCH_KEY");
    const int external = url && key;
    if (!samples) return 1;
    if (external) {
        memset(&e, 0, sizeof e);
        snprintf(e.url, sizeof e.url, "%s", url);
        snprintf(e.api_key, sizeof e.api_key, "%s", key);
    } else if (emu_start(&e, NULL, NULL) != 0) {
        return 1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bench_abi(&e, warmup, n, samples, &results[0]);
    bench_curl(&e, warmup, n, samples, &results[1]);
    curl_global_cleanup();
    if (!external) emu_stop(&e);
    free(samples);

    printf("ListInputs {\"per_page\":1}, authorized GET /v2/inputs against %s on loopback\n",
           external ? "the given server" : "the emulator");
    printf("N=%ld after %ld warm-up calls, one thread, keep-alive\n\n", n, warmup);
    printf("%-30s %12s %10s %10s %10s %9s %8s\n", "client", "median (us)", "p90 (us)", "p99 (us)", "max (us)", "calls/s",
           "failures");
    for (int i = 0; i < 2; i++) {
        printf("%-30s %12.1f %10.1f %10.1f %10.0f %9.0f %8ld\n", results[i].name, results[i].median_us, results[i].p90_us,
               results[i].p99_us, results[i].max_us, results[i].calls_per_s, results[i].failures);
    }
    if (external) {
        const char *ids[2] = {"c-abi", "c-libcurl"};
        for (int i = 0; i < 2; i++)
            printf("@@\tlatency\t%s\t%.2f\t%.2f\t%.0f\t%ld\n", ids[i], results[i].median_us, results[i].p99_us,
                   results[i].calls_per_s, n);
    }
    return results[0].failures || results[1].failures ? 1 : 0;
}
