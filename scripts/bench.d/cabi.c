/* The C ABI parts of scripts/bench that tests/c/bench.c does not cover. Each mode prints a
 * human line and a tab-separated `@@` line for the script.
 *
 *     cabi cold                   one client, one call, exit (the script times processes)
 *     cabi soak CALLS             RSS after 1000 calls and after CALLS calls
 *     cabi threads T SECONDS      one client shared by T threads: total calls/s
 *     cabi many                   100 concurrent ListInputs by call_many and by call_async
 *     cabi spawn RUNS CMD [ARG...]  run CMD RUNS times as fresh processes: median wall ms
 *
 * The server and key come from CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY, like tests/c/bench.c
 * (the environment rather than argv, which any `ps` shows).
 */
#define _GNU_SOURCE

#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clarifai.h"

extern char **environ;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[n / 2];
}

static void fail(const char *what, clarifai_result r, clarifai_error *err) {
    /* Messages never hold a key (see clarifai.h), so they are safe to print. */
    fprintf(stderr, "cabi: %s: %s: %s\n", what, clarifai_result_name(r), err ? clarifai_error_message(err) : "");
    exit(1);
}

static clarifai_client *make_client(const char *url, const char *key) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    clarifai_client_options_set_base_url(o, url, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    if ((r = clarifai_client_new_api_key(key, o, &c, &err)) != CLARIFAI_RESULT_OK) fail("client", r, err);
    clarifai_client_options_free(o);
    return c;
}

static void call(const clarifai_client *c) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, "ListInputs", "{\"per_page\":1}", &resp, &err);
    if (r != CLARIFAI_RESULT_OK) fail("ListInputs", r, err);
    clarifai_response_free(resp);
}

/* Resident set in bytes, from /proc/self/statm (its second field, in pages). */
static long rss_bytes(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2) exit(1);
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static int soak(const char *url, const char *key, long calls) {
    clarifai_client *c = make_client(url, key);
    long first, last;
    double t0;
    for (long i = 0; i < 1000; i++) call(c);
    first = rss_bytes();
    t0 = now_ms();
    for (long i = 1000; i < calls; i++) call(c);
    last = rss_bytes();
    printf("RSS after 1000 calls %ld KiB, after %ld calls %ld KiB: growth %ld KiB (%.0f calls/s)\n", first / 1024, calls,
           last / 1024, (last - first) / 1024, (double)(calls - 1000) / ((now_ms() - t0) / 1e3));
    printf("@@\trss\t%ld\t%ld\t%ld\n", first, last, calls);
    clarifai_client_free(c);
    return 0;
}

typedef struct {
    const clarifai_client *client;
    atomic_bool *stop;
    long calls;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
        call(w->client);
        w->calls++;
    }
    return NULL;
}

static int threads(const char *url, const char *key, int n, double seconds) {
    clarifai_client *c = make_client(url, key);
    atomic_bool stop = false;
    worker *ws = calloc((size_t)n, sizeof *ws);
    pthread_t *ts = calloc((size_t)n, sizeof *ts);
    long before = 0, after = 0;
    double t0;
    for (int i = 0; i < n; i++) {
        ws[i] = (worker){c, &stop, 0};
        pthread_create(&ts[i], NULL, work, &ws[i]);
    }
    /* A warm-up second opens every thread's connection before the count starts. */
    sleep(1);
    for (int i = 0; i < n; i++) before += ws[i].calls;
    t0 = now_ms();
    usleep((useconds_t)(seconds * 1e6));
    for (int i = 0; i < n; i++) after += ws[i].calls;
    t0 = now_ms() - t0;
    atomic_store(&stop, true);
    for (int i = 0; i < n; i++) pthread_join(ts[i], NULL);
    /* The counters are read while the workers run: a racy but monotonic sample, off by at most
     * one call per thread, which is noise at these counts. */
    printf("%d threads, one client: %.0f calls/s\n", n, (double)(after - before) / (t0 / 1e3));
    printf("@@\tthreads\t%d\t%.0f\n", n, (double)(after - before) / (t0 / 1e3));
    clarifai_client_free(c);
    free(ws);
    free(ts);
    return 0;
}

enum { Concurrent = 100, Runs = 5 };

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

static double batch_once(const clarifai_client *c) {
    const char *endpoints[Concurrent], *params[Concurrent];
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    double t0 = now_ms();
    for (int i = 0; i < Concurrent; i++) {
        endpoints[i] = "ListInputs";
        params[i] = "{\"per_page\":1}";
    }
    if ((r = clarifai_client_call_many(c, endpoints, params, Concurrent, &batch, &err)) != CLARIFAI_RESULT_OK)
        fail("call_many", r, err);
    t0 = now_ms() - t0;
    for (size_t i = 0; i < clarifai_batch_len(batch); i++)
        if (clarifai_batch_result(batch, i) != CLARIFAI_RESULT_OK)
            fail("call_many entry", clarifai_batch_result(batch, i), NULL);
    clarifai_batch_free(batch);
    return t0;
}

static double async_once(const clarifai_client *c) {
    countdown cd = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, Concurrent, 0};
    clarifai_error *err = NULL;
    clarifai_result r;
    double t0 = now_ms();
    for (int i = 0; i < Concurrent; i++)
        if ((r = clarifai_client_call_async(c, "ListInputs", "{\"per_page\":1}", on_done, &cd, &err)) != CLARIFAI_RESULT_OK)
            fail("call_async", r, err);
    pthread_mutex_lock(&cd.lock);
    while (cd.pending > 0) pthread_cond_wait(&cd.done, &cd.lock);
    pthread_mutex_unlock(&cd.lock);
    t0 = now_ms() - t0;
    if (cd.failed) fail("call_async callback", CLARIFAI_RESULT_OK, NULL);
    return t0;
}

static int many(const char *url, const char *key) {
    clarifai_client *c = make_client(url, key);
    double walls[Runs];
    /* One untimed round each: it opens the connections, as a long-lived client has them. */
    batch_once(c);
    for (int i = 0; i < Runs; i++) walls[i] = batch_once(c);
    double m = median(walls, Runs);
    printf("clarifai_client_call_many, 100 calls: median %.1f ms wall\n@@\twall\tc-call_many\t%.1f\n", m, m);
    async_once(c);
    for (int i = 0; i < Runs; i++) walls[i] = async_once(c);
    m = median(walls, Runs);
    printf("clarifai_client_call_async, 100 calls: median %.1f ms wall\n@@\twall\tc-call_async\t%.1f\n", m, m);
    clarifai_client_free(c);
    return 0;
}

static int spawn(int runs, char **argv) {
    double *walls = calloc((size_t)runs, sizeof *walls);
    for (int i = 0; i < runs; i++) {
        pid_t pid;
        int status;
        double t0 = now_ms();
        if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0) return 1;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "cabi: %s failed\n", argv[0]);
            return 1;
        }
        walls[i] = now_ms() - t0;
    }
    double m = median(walls, runs);
    printf("%d fresh processes: median %.2f ms\n@@\tcold\t%.2f\n", runs, m, m);
    free(walls);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "spawn") == 0 && argc > 3) return spawn(atoi(argv[2]), argv + 3);
    const char *url = getenv("CLARIFAI_BENCH_URL"), *key = getenv("CLARIFAI_BENCH_KEY");
    if (!url || !key) {
        fprintf(stderr, "cabi: set CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY\n");
        return 2;
    }
    if (strcmp(mode, "cold") == 0) {
        clarifai_client *c = make_client(url, key);
        call(c);
        clarifai_client_free(c);
        return 0;
    }
    if (strcmp(mode, "soak") == 0 && argc > 2) return soak(url, key, atol(argv[2]));
    if (strcmp(mode, "threads") == 0 && argc > 3) return threads(url, key, atoi(argv[2]), atof(argv[3]));
    if (strcmp(mode, "many") == 0) return many(url, key);
    fprintf(stderr, "cabi: unknown mode or missing arguments\n");
    return 2;
}
