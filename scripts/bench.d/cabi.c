/* The C ABI parts of scripts/bench that tests/c/bench.c does not cover. Each mode prints a
 * human line and a tab-separated `@@` line for the script.
 *
 *     cabi cold                   one client, one call, exit (the script times processes)
 *     cabi soak CALLS             RSS after 1000 calls and after CALLS calls
 *     cabi threads T SECONDS      one client shared by T threads: total calls/s
 *     cabi spawn RUNS CMD [ARG...]  run CMD RUNS times as fresh processes: median wall ms
 *     cabi coldpair RUNS NEW [OLD]  run the cold-start programs (scripts/bench.d/cold.c) built
 *                                 against today's library and an older one, alternately, RUNS
 *                                 times each: median ms from before the spawn to the first
 *                                 answer, and the threads each counted; then once more each
 *                                 with the host `localhost`, whose lookup may start a thread
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

#define BENCH_NAME "cabi"
#include "bench.h"
#include "clarifai.h"

extern char **environ;

static clarifai_client *make_client(const char *url, const char *key) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    clarifai_client_options_set_base_url(o, url, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    if ((r = clarifai_client_new_api_key(key, o, &c, &err)) != CLARIFAI_RESULT_OK) die("client", r, err);
    clarifai_client_options_free(o);
    return c;
}

static void call(const clarifai_client *c) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(c, "ListInputs", "{\"per_page\":1}", &resp, &err);
    if (r != CLARIFAI_RESULT_OK) die("ListInputs", r, err);
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

/* Runs a cold-start program once: ms from before the spawn to its first answer, and the
 * thread counts it wrote. */
static double cold_once(const char *program, int counts[3]) {
    char *argv[] = {(char *)program, NULL}, out[256];
    posix_spawn_file_actions_t fa;
    int fds[2], status;
    long long answered;
    ssize_t n, len = 0;
    pid_t pid;
    if (pipe(fds) != 0) exit(1);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    double t0 = now_ms();
    if (posix_spawn(&pid, program, &fa, NULL, argv, environ) != 0) exit(1);
    close(fds[1]);
    while (len < (ssize_t)sizeof out - 1 && (n = read(fds[0], out + len, sizeof out - 1 - (size_t)len)) > 0) len += n;
    out[len] = '\0';
    close(fds[0]);
    posix_spawn_file_actions_destroy(&fa);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(out, "%lld %d %d %d", &answered, &counts[0], &counts[1], &counts[2]) != 4) {
        fprintf(stderr, "cabi: %s failed\n", program);
        exit(1);
    }
    return (double)answered / 1e6 - t0;
}

static int coldpair(int runs, const char *new_program, const char *old_program) {
    const char *programs[2] = {new_program, old_program}, *names[2] = {"new", "old"};
    int sides = old_program ? 2 : 1, counts[2][3] = {{0}}, dns[3];
    double *walls[2] = {calloc((size_t)runs, sizeof(double)), calloc((size_t)runs, sizeof(double))};
    for (int i = 0; i < runs; i++)
        for (int k = 0; k < sides; k++) {
            /* Alternating which goes first, so neither always runs in the other's wake. */
            int s = (i % 2 == 0) ? k : sides - 1 - k;
            walls[s][i] = cold_once(programs[s], counts[s]);
        }
    for (int s = 0; s < sides; s++) {
        double m = median(walls[s], runs);
        printf("%s library: process start to first answer, median of %d: %.2f ms; threads %d at start, %d with a "
               "client, %d after the call\n",
               names[s], runs, m, counts[s][0], counts[s][1], counts[s][2]);
        printf("@@\tcold_c\t%s\t%.3f\t%d\t%d\t%d\n", names[s], m, counts[s][0], counts[s][1], counts[s][2]);
    }
    /* The same with a name to look up: 127.0.0.1 needs none. */
    const char *url = getenv("CLARIFAI_BENCH_URL");
    const char *ip = url ? strstr(url, "127.0.0.1") : NULL;
    if (ip) {
        char named[512];
        snprintf(named, sizeof named, "%.*slocalhost%s", (int)(ip - url), url, ip + strlen("127.0.0.1"));
        setenv("CLARIFAI_BENCH_URL", named, 1);
        for (int s = 0; s < sides; s++) {
            cold_once(programs[s], dns);
            printf("%s library, host localhost: threads %d at start, %d with a client, %d after the call\n", names[s],
                   dns[0], dns[1], dns[2]);
            printf("@@\tcold_threads_dns\t%s\t%d\t%d\t%d\n", names[s], dns[0], dns[1], dns[2]);
        }
    }
    free(walls[0]);
    free(walls[1]);
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
    if (strcmp(mode, "coldpair") == 0 && argc > 3) return coldpair(atoi(argv[2]), argv[3], argc > 4 ? argv[4] : NULL);
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
    fprintf(stderr, "cabi: unknown mode or missing arguments\n");
    return 2;
}
