/* What a user feels over a network, through the C ABI and against libcurl doing the same, for
 * scripts/bench. It runs them against an emulator serving TLS (h2 by ALPN) that delays
 * ListInputs by 50 ms; each mode prints a human line and tab-separated `@@` lines.
 *
 *     net many batch|async|curl RUNS
 *         100 concurrent ListInputs from a fresh client: the wall ms of its first (cold) burst,
 *         then the median of RUNS warm bursts. batch: clarifai_client_call_many; async:
 *         clarifai_client_call_async; curl: libcurl multi, HTTP/2 multiplexed (CURLOPT_PIPEWAIT)
 *     net wire
 *         seed 1,000 inputs (PostInputs, 125 a call), then ListInputs per_page=1000: the
 *         length of the JSON text the client got (the script asks the emulator what it sent)
 *     net upload-rss core|curl
 *         one PostInputs of an 8 MiB image as base64, in this fresh process after one small
 *         call: peak RSS growth over the RSS before the upload, with the params already built
 *     net upload-wall RUNS
 *         the same upload through the C ABI and through libcurl (same URL, same headers),
 *         interleaved RUNS times after a warm-up: the median wall ms of each
 *
 * Environment: CLARIFAI_BENCH_URL, CLARIFAI_BENCH_KEY and CLARIFAI_BENCH_CA_FILE (the
 * emulator's CA certificate; unset for plain http).
 */
#define _GNU_SOURCE

#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "net"
#include "bench.h"
#include "clarifai.h"

enum { Concurrent = 100, MaxRuns = 64, SeedInputs = 1000, SeedBatch = 125 };
/* The image: 8 MiB of bytes, sent as base64 (11,184,812 characters). */
static const size_t ImageBytes = 8u << 20;

static const char *url, *key, *ca_file;

static clarifai_client *make_client(void) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    if ((r = clarifai_client_options_set_base_url(o, url, &err)) != CLARIFAI_RESULT_OK) die("base url", r, err);
    if ((r = clarifai_client_options_set_max_retries(o, 0, &err)) != CLARIFAI_RESULT_OK) die("retries", r, err);
    if (ca_file && (r = clarifai_client_options_set_ca_file(o, ca_file, &err)) != CLARIFAI_RESULT_OK) die("ca file", r, err);
    if ((r = clarifai_client_new_api_key(key, o, &c, &err)) != CLARIFAI_RESULT_OK) die("client", r, err);
    clarifai_client_options_free(o);
    return c;
}

/* The length of the JSON text of one call's answer; exits on any failure. */
static size_t call(const clarifai_client *c, const char *endpoint, const char *params) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, endpoint, params, &resp, &err);
    if (r != CLARIFAI_RESULT_OK) die(endpoint, r, err);
    size_t n = strlen(clarifai_response_json(resp));
    clarifai_response_free(resp);
    return n;
}

/* ------------------------------------------------------------------ libcurl, as a peer */

typedef struct {
    char *data;
    size_t len, cap;
} buffer;

/* Keeps the body, as the ABI does: both sides hold the whole answer once. */
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
    b->data[b->len] = '\0';
    return n;
}

/* The headers the library sends (accept-encoding comes from CURLOPT_ACCEPT_ENCODING); "Expect:"
 * turns off curl's 100-continue, which the library does not do either. */
static struct curl_slist *curl_headers(int json_body) {
    char auth[512];
    struct curl_slist *h = NULL;
    snprintf(auth, sizeof auth, "Authorization: Key %s", key);
    h = curl_slist_append(h, auth);
    if (json_body) h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Accept: */*");
    h = curl_slist_append(h, "Expect:");
    return h;
}

static CURL *curl_handle(const char *target, struct curl_slist *headers, buffer *body) {
    CURL *h = curl_easy_init();
    if (!h) exit(1);
    curl_easy_setopt(h, CURLOPT_URL, target);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "clarifai-core/0.1.0 (rust)");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    if (ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
    return h;
}

static void curl_check(CURL *h, CURLcode rc, const buffer *body, const char *what) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200 || !body->data || !strstr(body->data, "\"code\":10000")) {
        fprintf(stderr, "net: libcurl %s: %s, HTTP %ld\n", what, curl_easy_strerror(rc), status);
        exit(1);
    }
}

/* ------------------------------------------------------------------ 100 concurrent calls */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t done;
    int pending, failed;
} countdown;

static void on_done(void *userdata, clarifai_result r, clarifai_response *resp, clarifai_error *err) {
    countdown *cd = userdata;
    clarifai_response_free(resp);
    clarifai_error_free(err);
    pthread_mutex_lock(&cd->lock);
    cd->failed += r != CLARIFAI_RESULT_OK;
    if (--cd->pending == 0) pthread_cond_signal(&cd->done);
    pthread_mutex_unlock(&cd->lock);
}

static const char *ListParams = "{\"per_page\":1}";

static double burst_batch(const clarifai_client *c) {
    const char *endpoints[Concurrent], *params[Concurrent];
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    for (int i = 0; i < Concurrent; i++) {
        endpoints[i] = "ListInputs";
        params[i] = ListParams;
    }
    double t0 = now_ms();
    if ((r = clarifai_client_call_many(c, endpoints, params, Concurrent, &batch, &err)) != CLARIFAI_RESULT_OK)
        die("call_many", r, err);
    t0 = now_ms() - t0;
    for (size_t i = 0; i < clarifai_batch_len(batch); i++)
        if (clarifai_batch_result(batch, i) != CLARIFAI_RESULT_OK)
            die("call_many entry", clarifai_batch_result(batch, i), clarifai_batch_error(batch, i));
    clarifai_batch_free(batch);
    return t0;
}

static double burst_async(const clarifai_client *c) {
    countdown cd = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, Concurrent, 0};
    clarifai_error *err = NULL;
    clarifai_result r;
    double t0 = now_ms();
    for (int i = 0; i < Concurrent; i++)
        if ((r = clarifai_client_call_async(c, "ListInputs", ListParams, NULL, on_done, &cd, NULL, &err)) != CLARIFAI_RESULT_OK)
            die("call_async", r, err);
    pthread_mutex_lock(&cd.lock);
    while (cd.pending > 0) pthread_cond_wait(&cd.done, &cd.lock);
    pthread_mutex_unlock(&cd.lock);
    t0 = now_ms() - t0;
    if (cd.failed) die("call_async callback", CLARIFAI_RESULT_OK, NULL);
    return t0;
}

/* One burst on a multi handle that keeps its connections between bursts, as a long-lived
 * program would. */
static double burst_curl(CURLM *m, const char *target, struct curl_slist *headers) {
    CURL *h[Concurrent];
    buffer bodies[Concurrent];
    int running = 0;
    double t0 = now_ms();
    for (int i = 0; i < Concurrent; i++) {
        bodies[i] = (buffer){NULL, 0, 0};
        h[i] = curl_handle(target, headers, &bodies[i]);
        /* Wait for a connection that may multiplex rather than open one per request. */
        curl_easy_setopt(h[i], CURLOPT_PIPEWAIT, 1L);
        curl_multi_add_handle(m, h[i]);
    }
    do {
        if (curl_multi_perform(m, &running) != CURLM_OK) exit(1);
        if (running) curl_multi_poll(m, NULL, 0, 1000, NULL);
    } while (running);
    t0 = now_ms() - t0;
    for (CURLMsg *msg; (msg = curl_multi_info_read(m, &running)) != NULL;) {
        if (msg->msg != CURLMSG_DONE) continue;
        for (int i = 0; i < Concurrent; i++)
            if (h[i] == msg->easy_handle) curl_check(h[i], msg->data.result, &bodies[i], "multi");
    }
    for (int i = 0; i < Concurrent; i++) {
        curl_multi_remove_handle(m, h[i]);
        curl_easy_cleanup(h[i]);
        free(bodies[i].data);
    }
    return t0;
}

static int many(const char *how, int runs) {
    double walls[MaxRuns], cold;
    const char *id;
    if (runs < 1 || runs > MaxRuns) return 2;
    if (strcmp(how, "curl") == 0) {
        char target[1024];
        struct curl_slist *headers = curl_headers(0);
        CURLM *m = curl_multi_init();
        curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
        snprintf(target, sizeof target, "%s/v2/inputs?per_page=1", url);
        cold = burst_curl(m, target, headers);
        for (int i = 0; i < runs; i++) walls[i] = burst_curl(m, target, headers);
        curl_multi_cleanup(m);
        curl_slist_free_all(headers);
        id = "c-libcurl-multi";
    } else {
        int batch = strcmp(how, "batch") == 0;
        clarifai_client *c = make_client();
        cold = batch ? burst_batch(c) : burst_async(c);
        for (int i = 0; i < runs; i++) walls[i] = batch ? burst_batch(c) : burst_async(c);
        clarifai_client_free(c);
        id = batch ? "c-call_many" : "c-call_async";
    }
    double m = median(walls, runs);
    printf("%s, %d concurrent ListInputs: cold %.1f ms, warm median %.1f ms of %d\n", id, Concurrent, cold, m, runs);
    printf("@@\twall\t%s\t%.1f\t%.1f\n", id, m, cold);
    return 0;
}

/* ------------------------------------------------------------------ bytes on the wire */

static int wire(void) {
    clarifai_client *c = make_client();
    /* {"inputs":[{"id":"bench-NNNN","data":{"image":{"url":"https://samples.clarifai.com/metro-north.jpg?n=NNNN"}}},...]} */
    size_t cap = (size_t)SeedBatch * 160 + 64;
    char *params = malloc(cap);
    for (int first = 0; first < SeedInputs; first += SeedBatch) {
        size_t len = (size_t)snprintf(params, cap, "{\"inputs\":[");
        for (int i = first; i < first + SeedBatch && i < SeedInputs; i++)
            len += (size_t)snprintf(params + len, cap - len,
                                    "%s{\"id\":\"bench-%04d\",\"data\":{\"image\":{\"url\":"
                                    "\"https://samples.clarifai.com/metro-north.jpg?n=%04d\"}}}",
                                    i == first ? "" : ",", i, i);
        snprintf(params + len, cap - len, "]}");
        call(c, "PostInputs", params);
    }
    free(params);
    size_t text = call(c, "ListInputs", "{\"per_page\":1000}");
    printf("ListInputs per_page=1000 after seeding %d inputs: %zu bytes of JSON text\n", SeedInputs, text);
    printf("@@\twire_text\t%zu\t%d\n", text, SeedInputs);
    clarifai_client_free(c);
    return 0;
}

/* ------------------------------------------------------------------ an 8 MiB upload */

/* {"inputs":[{"data":{"image":{"base64":"..."}}}]} around ImageBytes of pseudo-random bytes,
 * which compress about as badly as a photograph. */
static char *upload_params(size_t *len) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char head[] = "{\"inputs\":[{\"data\":{\"image\":{\"base64\":\"", tail[] = "\"}}}]}";
    size_t b64 = (ImageBytes + 2) / 3 * 4;
    char *p = malloc(sizeof head + b64 + sizeof tail), *o;
    uint64_t x = 0x9e3779b97f4a7c15u;
    if (!p) exit(1);
    memcpy(p, head, sizeof head - 1);
    o = p + sizeof head - 1;
    for (size_t i = 0; i < ImageBytes; i += 3) {
        /* xorshift64: three bytes of the image at a time, then their four characters. */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint32_t v = (uint32_t)(x & 0xffffff);
        size_t n = ImageBytes - i < 3 ? ImageBytes - i : 3;
        if (n < 3) v &= n == 1 ? 0xff0000u : 0xffff00u;
        *o++ = alphabet[(v >> 18) & 63];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = n > 1 ? alphabet[(v >> 6) & 63] : '=';
        *o++ = n > 2 ? alphabet[v & 63] : '=';
    }
    memcpy(o, tail, sizeof tail);
    *len = (size_t)(o - p) + sizeof tail - 1;
    return p;
}

/* VmRSS or VmHWM from /proc/self/status, in bytes. */
static long status_kib(const char *field) {
    char line[256];
    long kib = -1;
    size_t n = strlen(field);
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) exit(1);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') kib = atol(line + n + 1);
    fclose(f);
    return kib * 1024;
}

/* Makes VmHWM start again from the current RSS (Linux 4.0 and later). */
static void reset_peak(void) {
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f || fputs("5", f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "net: cannot reset the peak RSS through /proc/self/clear_refs\n");
        exit(1);
    }
}

static double upload_curl(CURL *h, buffer *body, const char *params, size_t len) {
    double t0 = now_ms();
    body->len = 0;
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, params);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_check(h, curl_easy_perform(h), body, "PostInputs");
    return now_ms() - t0;
}

static int upload_rss(const char *how) {
    size_t len, answer;
    char *params = upload_params(&len);
    long before, peak;
    if (strcmp(how, "curl") == 0) {
        char target[1024];
        struct curl_slist *headers = curl_headers(1);
        buffer body = {NULL, 0, 0};
        CURL *h;
        curl_global_init(CURL_GLOBAL_DEFAULT);
        snprintf(target, sizeof target, "%s/v2/inputs?per_page=1", url);
        h = curl_handle(target, headers, &body);
        curl_check(h, curl_easy_perform(h), &body, "ListInputs");
        snprintf(target, sizeof target, "%s/v2/inputs", url);
        curl_easy_setopt(h, CURLOPT_URL, target);
        free(body.data);
        body = (buffer){NULL, 0, 0};
        reset_peak();
        before = status_kib("VmRSS");
        upload_curl(h, &body, params, len);
        peak = status_kib("VmHWM");
        answer = body.len;
        curl_easy_cleanup(h);
        curl_slist_free_all(headers);
        free(body.data);
    } else {
        clarifai_client *c = make_client();
        call(c, "ListInputs", ListParams);
        reset_peak();
        before = status_kib("VmRSS");
        answer = call(c, "PostInputs", params);
        peak = status_kib("VmHWM");
        clarifai_client_free(c);
    }
    printf("%s: PostInputs of %zu bytes (answer %zu bytes): RSS %ld KiB before, peak %ld KiB: growth %.2fx the body\n",
           how, len, answer, before / 1024, peak / 1024, (double)(peak - before) / (double)len);
    printf("@@\tupload_rss\t%s\t%zu\t%ld\t%ld\t%zu\n", how, len, before, peak, answer);
    free(params);
    return 0;
}

static int upload_wall(int runs) {
    size_t len;
    char *params = upload_params(&len), target[1024];
    struct curl_slist *headers = curl_headers(1);
    buffer body = {NULL, 0, 0};
    double core[MaxRuns], peer[MaxRuns];
    clarifai_client *c = make_client();
    CURL *h;
    if (runs < 1 || runs > MaxRuns) return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(target, sizeof target, "%s/v2/inputs", url);
    h = curl_handle(target, headers, &body);
    /* A warm-up upload each: connections open, buffers grown. */
    call(c, "PostInputs", params);
    upload_curl(h, &body, params, len);
    for (int i = 0; i < runs; i++) {
        /* Alternating which goes first, so neither always follows the other's garbage. */
        if (i % 2 == 0) {
            double t = now_ms();
            call(c, "PostInputs", params);
            core[i] = now_ms() - t;
            peer[i] = upload_curl(h, &body, params, len);
        } else {
            peer[i] = upload_curl(h, &body, params, len);
            double t = now_ms();
            call(c, "PostInputs", params);
            core[i] = now_ms() - t;
        }
    }
    double mc = median(core, runs), mp = median(peer, runs);
    printf("PostInputs of %zu bytes, median of %d: C ABI %.1f ms, libcurl %.1f ms (%.2fx)\n", len, runs, mc, mp, mc / mp);
    printf("@@\tupload_wall\t%.1f\t%.1f\t%zu\t%d\n", mc, mp, len, runs);
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    clarifai_client_free(c);
    free(body.data);
    free(params);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    url = getenv("CLARIFAI_BENCH_URL");
    key = getenv("CLARIFAI_BENCH_KEY");
    ca_file = getenv("CLARIFAI_BENCH_CA_FILE");
    if (ca_file && !*ca_file) ca_file = NULL;
    if (!url || !key) {
        fprintf(stderr, "net: set CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY\n");
        return 2;
    }
    if (strcmp(mode, "many") == 0 && argc > 3) {
        if (strcmp(argv[2], "curl") == 0) curl_global_init(CURL_GLOBAL_DEFAULT);
        return many(argv[2], atoi(argv[3]));
    }
    if (strcmp(mode, "wire") == 0) return wire();
    if (strcmp(mode, "upload-rss") == 0 && argc > 2) return upload_rss(argv[2]);
    if (strcmp(mode, "upload-wall") == 0 && argc > 2) return upload_wall(atoi(argv[2]));
    fprintf(stderr, "net: unknown mode or missing arguments\n");
    return 2;
}
