/* Client settings that change how requests travel: an explicit proxy, proxies from the
 * environment, HTTP/2 prior knowledge, the runtime's worker threads, and the CLARIFAI_DEFAULT_*
 * macros. What is process-wide (the environment, the runtime) is checked in a fresh process:
 * the suite runs itself again in a mode of its own. */
#define _GNU_SOURCE /* pipe2 */

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suite.h"

extern char **environ;

/* --- a recording HTTP proxy: answers every request itself with a Clarifai success --- */

typedef struct {
    int listen_fd;
    int port;
    pthread_t thread;
    int stop;
    pthread_mutex_t lock;
    /* Every request head it saw, one after the other. */
    char heads[16384];
    size_t heads_len;
    int requests;
} fake_proxy;

#define PROXY_ANSWER_BODY "{\"status\":{\"code\":10000,\"description\":\"Ok\",\"details\":\"\",\"req_id\":\"via-fake-proxy\"}}"

static void proxy_serve(fake_proxy *p, int fd) {
    char buf[8192];
    size_t n = 0;
    char *end = NULL;
    long body = 0;
    /* The head, then as much body as Content-Length says (read and dropped). */
    while (n + 1 < sizeof buf) {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t got;
        if (poll(&pfd, 1, 5000) <= 0) break;
        got = read(fd, buf + n, sizeof buf - 1 - n);
        if (got <= 0) break;
        n += (size_t)got;
        buf[n] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) != NULL) break;
    }
    if (!end) return;
    {
        const char *cl = strcasestr(buf, "\r\nContent-Length:");
        if (cl && cl < end) body = strtol(cl + 17, NULL, 10);
        body -= (long)(n - (size_t)(end + 4 - buf));
        while (body > 0) {
            char scratch[1024];
            ssize_t got = read(fd, scratch, body < (long)sizeof scratch ? (size_t)body : sizeof scratch);
            if (got <= 0) break;
            body -= (long)got;
        }
    }
    pthread_mutex_lock(&p->lock);
    {
        size_t head_len = (size_t)(end - buf) + 4;
        if (p->heads_len + head_len + 1 < sizeof p->heads) {
            memcpy(p->heads + p->heads_len, buf, head_len);
            p->heads_len += head_len;
            p->heads[p->heads_len] = '\0';
        }
        p->requests++;
    }
    pthread_mutex_unlock(&p->lock);
    {
        char answer[512];
        int len = snprintf(answer, sizeof answer,
                           "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
                           strlen(PROXY_ANSWER_BODY), PROXY_ANSWER_BODY);
        if (write(fd, answer, (size_t)len) < 0) {
            /* The client went away; nothing to record. */
        }
    }
}

static void *proxy_main(void *arg) {
    fake_proxy *p = arg;
    while (!__atomic_load_n(&p->stop, __ATOMIC_SEQ_CST)) {
        struct pollfd pfd = {p->listen_fd, POLLIN, 0};
        int fd;
        if (poll(&pfd, 1, 50) <= 0) continue;
        fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) continue;
        proxy_serve(p, fd);
        close(fd);
    }
    return NULL;
}

static int proxy_start(fake_proxy *p) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->listen_fd, 64) != 0 ||
        getsockname(p->listen_fd, (struct sockaddr *)&a, &len) != 0) {
        if (p->listen_fd >= 0) close(p->listen_fd);
        return -1;
    }
    p->port = ntohs(a.sin_port);
    if (pthread_create(&p->thread, NULL, proxy_main, p) != 0) {
        close(p->listen_fd);
        return -1;
    }
    return 0;
}

static void proxy_stop(fake_proxy *p) {
    __atomic_store_n(&p->stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
    pthread_mutex_destroy(&p->lock);
}

/* A copy of what the proxy saw so far, and how many requests; resets it. */
static int proxy_take(fake_proxy *p, char *heads, size_t cap) {
    int n;
    pthread_mutex_lock(&p->lock);
    snprintf(heads, cap, "%s", p->heads);
    n = p->requests;
    p->heads_len = 0;
    p->heads[0] = '\0';
    p->requests = 0;
    pthread_mutex_unlock(&p->lock);
    return n;
}

/* A loopback port nobody listens on. */
static int dead_port(void) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0) {
        port = ntohs(a.sin_port);
    }
    if (fd >= 0) close(fd);
    return port;
}

static clarifai_client *client_with(clarifai_client_options *o, const char *key) {
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_new_api_key(key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    return c;
}

/* An explicit proxy carries every request, loopback ones included, with its credentials; an
 * unreachable one fails the call without showing its password. */
static void test_set_proxy(void) {
    fake_proxy p;
    char url[128], heads[16384], want[320];
    clarifai_client_options *o;
    clarifai_client *c;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    int n;
    if (proxy_start(&p) != 0) {
        CHECK(!"the test proxy starts");
        return;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d", p.port);
    o = test_options(NULL, 0);
    CHECK_RESULT(clarifai_client_options_set_proxy(o, url, &err), CLARIFAI_RESULT_OK, err);
    c = client_with(o, E.api_key);
    clarifai_client_options_free(o);
    if (c) {
        CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
        CHECK_STR(clarifai_response_req_id(resp), "via-fake-proxy");
        clarifai_response_free(resp);
        resp = NULL;
    }
    clarifai_client_free(c);
    n = proxy_take(&p, heads, sizeof heads);
    snprintf(want, sizeof want, "GET %s/v2/inputs HTTP/1.1\r\n", E.url);
    CHECK_MSG(n == 1 && strncmp(heads, want, strlen(want)) == 0, "the proxy saw %d requests, the first starting \"%.60s\"", n, heads);

    /* Credentials in the proxy URL become Proxy-Authorization (Basic proxyuser:proxy-secret-pw). */
    snprintf(url, sizeof url, "http://proxyuser:proxy-secret-pw@127.0.0.1:%d", p.port);
    h_secret("proxy-secret-pw");
    o = test_options(NULL, 0);
    clarifai_client_options_set_proxy(o, url, NULL);
    c = client_with(o, E.api_key);
    clarifai_client_options_free(o);
    if (c) {
        CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
        clarifai_response_free(resp);
        resp = NULL;
    }
    clarifai_client_free(c);
    n = proxy_take(&p, heads, sizeof heads);
    CHECK_MSG(n == 1 && strcasestr(heads, "\r\nProxy-Authorization: Basic cHJveHl1c2VyOnByb3h5LXNlY3JldC1wdw==\r\n"),
              "%d requests; no Proxy-Authorization for proxyuser", n);

    /* Without a proxy set (and none in this environment), loopback goes direct. */
    c = api_key_client(E.api_key);
    if (c) {
        CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
        CHECK(resp && clarifai_response_header(resp, "X-Clarifai-Emulator-Route") != NULL);
        clarifai_response_free(resp);
        resp = NULL;
    }
    clarifai_client_free(c);
    CHECK(proxy_take(&p, heads, sizeof heads) == 0);
    proxy_stop(&p);

    /* A proxy that does not answer: the call fails to connect, never naming the password. */
    snprintf(url, sizeof url, "http://u:hunter2-proxy-pw@127.0.0.1:%d", dead_port());
    h_secret("hunter2-proxy-pw");
    o = test_options(NULL, 0);
    clarifai_client_options_set_proxy(o, url, NULL);
    c = client_with(o, E.api_key);
    clarifai_client_options_free(o);
    if (c) {
        clarifai_result r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        CHECK_MSG(r == CLARIFAI_RESULT_CONNECT || r == CLARIFAI_RESULT_IO, "through a dead proxy: %s", clarifai_result_name(r));
        CHECK(err && !strstr(clarifai_error_message(err), "hunter2-proxy-pw"));
        clarifai_error_free(err);
    }
    clarifai_client_free(c);
}

/* --- proxies from the environment, in a fresh process with its own environment --- */

/* `suite --proxy-env on|off EMULATOR_URL API_KEY`, with http_proxy set by the parent: a host
 * that is not loopback goes through it unless set_proxy_from_env(false); loopback goes direct. */
int proxy_env_main(const char *mode, const char *emulator_url, const char *api_key) {
    int on = strcmp(mode, "on") == 0, failures = 0;
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    alarm(30);
    clarifai_client_options_set_base_url(o, "http://api.invalid", NULL);
    clarifai_client_options_set_danger_allow_insecure_http(o, true, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    clarifai_client_options_set_connect_timeout_ms(o, 2000, NULL);
    if (!on) clarifai_client_options_set_proxy_from_env(o, false, NULL);
    if (clarifai_client_new_api_key("proxy-env-test-key", o, &c, &err) != CLARIFAI_RESULT_OK) {
        printf("FAIL: client: %s\n", clarifai_error_message(err));
        return 1;
    }
    r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
    if (on && (r != CLARIFAI_RESULT_OK || strcmp(clarifai_response_req_id(resp), "via-fake-proxy") != 0)) {
        printf("FAIL: through http_proxy: %s %s\n", clarifai_result_name(r), clarifai_error_message(err));
        failures++;
    }
    if (!on && r != CLARIFAI_RESULT_DNS && r != CLARIFAI_RESULT_CONNECT) {
        printf("FAIL: with proxy_from_env off, api.invalid gave %s, not a DNS or connect failure\n", clarifai_result_name(r));
        failures++;
    }
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(c);
    resp = NULL;
    err = NULL;
    /* Loopback always goes direct: the emulator answers (its route header says so). */
    c = NULL;
    clarifai_client_options_set_base_url(o, emulator_url, NULL);
    if (clarifai_client_new_api_key(api_key, o, &c, &err) != CLARIFAI_RESULT_OK ||
        clarifai_client_call(c, "ListInputs", NULL, &resp, &err) != CLARIFAI_RESULT_OK ||
        !clarifai_response_header(resp, "X-Clarifai-Emulator-Route")) {
        printf("FAIL: loopback with http_proxy set: %s\n", clarifai_error_message(err));
        failures++;
    }
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
    fflush(stdout);
    return failures ? 1 : 0;
}

/* Run the suite again as `suite ARGS...` with `env` (NULL-terminated); its `FAIL:` lines
 * become failures here. */
static void run_child(char *const *args, char *const *env, int line) {
    int out[2];
    pid_t pid;
    int status = 0;
    char buf[8192];
    size_t n = 0;
    posix_spawn_file_actions_t fa;
    if (pipe2(out, O_CLOEXEC) != 0) {
        h_fail(__FILE__, line, "pipe");
        return;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    if (posix_spawn(&pid, suite_path, &fa, NULL, args, env) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    for (;;) {
        ssize_t got = read(out[0], buf + n, sizeof buf - 1 - n);
        if (got <= 0) break;
        n += (size_t)got;
        if (n + 1 == sizeof buf) break;
    }
    buf[n] = '\0';
    close(out[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        h_fail(__FILE__, line, "cannot run %s %s", suite_path, args[1]);
        return;
    }
    for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
        if (strncmp(l, "FAIL: ", 6) == 0) h_fail(__FILE__, line, "%s %s: %s", args[1], args[2], l + 6);
        else h_diag("%s %s: %s", args[1], args[2], l);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        h_fail(__FILE__, line, "%s %s ended with %s %d", args[1], args[2], WIFEXITED(status) ? "status" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
}

/* This environment without proxy variables or CLARIFAI_RUNTIME_THREADS, plus `extra`. */
static char **child_env(const char *extra) {
    size_t n = 0, w = 0;
    char **env;
    while (environ[n]) n++;
    env = calloc(n + 2, sizeof *env);
    if (!env) return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *v = environ[i];
        if (strncasecmp(v, "http_proxy=", 11) == 0 || strncasecmp(v, "https_proxy=", 12) == 0 ||
            strncasecmp(v, "all_proxy=", 10) == 0 || strncasecmp(v, "no_proxy=", 9) == 0 ||
            strncmp(v, "CLARIFAI_RUNTIME_THREADS=", 25) == 0) {
            continue;
        }
        env[w++] = environ[i];
    }
    if (extra) env[w++] = (char *)extra;
    env[w] = NULL;
    return env;
}

static void test_proxy_from_env(void) {
    fake_proxy p;
    char var[128], heads[16384];
    char **env;
    int n;
    if (proxy_start(&p) != 0) {
        CHECK(!"the test proxy starts");
        return;
    }
    snprintf(var, sizeof var, "http_proxy=http://127.0.0.1:%d", p.port);
    env = child_env(var);
    if (env) {
        char *on[] = {(char *)"suite", (char *)"--proxy-env", (char *)"on", E.url, E.api_key, NULL};
        char *off[] = {(char *)"suite", (char *)"--proxy-env", (char *)"off", E.url, E.api_key, NULL};
        run_child(on, env, __LINE__);
        n = proxy_take(&p, heads, sizeof heads);
        CHECK_MSG(n == 1 && strncmp(heads, "GET http://api.invalid/v2/inputs HTTP/1.1\r\n", 43) == 0,
                  "with http_proxy, the proxy saw %d requests, the first starting \"%.50s\"", n, heads);
        run_child(off, env, __LINE__);
        n = proxy_take(&p, heads, sizeof heads);
        CHECK_MSG(n == 0, "with proxy_from_env off, the proxy still saw %d requests", n);
    }
    free(env);
    proxy_stop(&p);
}

/* --- HTTP/2 prior knowledge --- */

/* 20 concurrent calls; returns the request records of ListInputs the emulator logged for them
 * and how many connections it accepted meanwhile (the admin query's own excluded). */
static json_t *twenty_calls(const clarifai_client *c, long *new_connections) {
    const char *eps[20];
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    json_t *log, *mine;
    long before, after;
    for (int i = 0; i < 20; i++) eps[i] = "ListInputs";
    CHECK(emu_clear_requests(&E) == 0);
    before = emu_connections(&E);
    CHECK_RESULT(clarifai_client_call_many(c, eps, NULL, 20, &batch, &err), CLARIFAI_RESULT_OK, err);
    for (size_t i = 0; batch && i < 20; i++) {
        CHECK_RESULT(clarifai_batch_result(batch, i), CLARIFAI_RESULT_OK, clarifai_batch_error(batch, i));
    }
    clarifai_batch_free(batch);
    clarifai_error_free(err);
    after = emu_connections(&E);
    *new_connections = after - before - 1;
    log = emu_requests(&E);
    mine = json_array();
    for (size_t i = 0; i < json_array_size(log); i++) {
        json_t *rec = json_array_get(log, i);
        const char *ep = json_string_value(json_object_get(rec, "endpoint"));
        if (ep && strcmp(ep, "ListInputs") == 0) json_array_append(mine, rec);
    }
    json_decref(log);
    return mine;
}

static void test_http2_prior_knowledge(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *h2 = NULL, *h1 = api_key_client(E.api_key);
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    json_t *recs;
    long conns = 0;
    CHECK_RESULT(clarifai_client_options_set_http2_prior_knowledge(o, true, &err), CLARIFAI_RESULT_OK, err);
    h2 = client_with(o, E.api_key);
    clarifai_client_options_free(o);
    if (!h2 || !h1) goto done;

    /* One call: served over HTTP/2 (h2c from the first byte, the emulator's plain port). */
    CHECK(emu_clear_requests(&E) == 0);
    CHECK_RESULT(clarifai_client_call(h2, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    recs = emu_requests(&E);
    CHECK_STR(json_string_value(json_object_get(json_array_get(recs, json_array_size(recs) - 1), "http_version")), "HTTP/2");
    json_decref(recs);

    /* 20 at once share the one connection it has: no new connection, one connection number. */
    recs = twenty_calls(h2, &conns);
    CHECK_MSG(json_array_size(recs) == 20, "%zu ListInputs logged", json_array_size(recs));
    CHECK_MSG(conns == 0, "20 concurrent HTTP/2 calls opened %ld new connections", conns);
    for (size_t i = 0; i < json_array_size(recs); i++) {
        json_t *r = json_array_get(recs, i);
        CHECK_STR(json_string_value(json_object_get(r, "http_version")), "HTTP/2");
        CHECK(json_integer_value(json_object_get(r, "connection")) == json_integer_value(json_object_get(json_array_get(recs, 0), "connection")));
    }
    json_decref(recs);

    /* What the setting changes: by default the same calls go over HTTP/1.1, several connections. */
    recs = twenty_calls(h1, &conns);
    CHECK_STR(json_string_value(json_object_get(json_array_get(recs, 0), "http_version")), "HTTP/1.1");
    CHECK_MSG(conns > 1, "20 concurrent HTTP/1.1 calls opened %ld connections", conns);
    json_decref(recs);
done:
    clarifai_error_free(err);
    clarifai_client_free(h2);
    clarifai_client_free(h1);
}

/* --- the runtime's worker threads, in fresh processes --- */

/* Threads of this process named like the library's runtime threads ("clarifai-runtime",
 * which the kernel cuts to 15 bytes). Workers, plus blocking-pool threads when any run. */
static int runtime_threads(void) {
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) {
        char path[300], comm[64] = "";
        FILE *f;
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        if (!(f = fopen(path, "r"))) continue;
        if (fgets(comm, sizeof comm, f) && strncmp(comm, "clarifai-runtim", 15) == 0) n++;
        fclose(f);
    }
    closedir(d);
    return n;
}

#define CHILD_EXPECT(cond, ...)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL: line %d: ", __LINE__);                                                   \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* `suite --runtime-threads set|default URL API_KEY`: a process whose library runtime has not
 * started yet. */
int runtime_threads_main(const char *mode, const char *url, const char *api_key) {
    int failures = 0, set = strcmp(mode, "set") == 0;
    size_t want = set ? 3 : CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS;
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    int threads;
    alarm(30);
    if (set) {
        /* Out of range: refused, naming the range. */
        static const size_t bad[] = {0, CLARIFAI_MAX_RUNTIME_WORKER_THREADS + 1, SIZE_MAX};
        for (size_t i = 0; i < COUNT_OF(bad); i++) {
            r = clarifai_runtime_set_worker_threads(bad[i], &err);
            CHILD_EXPECT(r == CLARIFAI_RESULT_INVALID_ARGUMENT && err && clarifai_error_result(err) == r,
                         "%zu workers gave %s", bad[i], clarifai_result_name(r));
            clarifai_error_free(err);
            err = NULL;
            CHILD_EXPECT(clarifai_runtime_set_worker_threads(bad[i], NULL) == CLARIFAI_RESULT_INVALID_ARGUMENT, "no out_error");
        }
        /* Before the runtime starts, any count in range, as often as wanted; the last wins. */
        CHILD_EXPECT(clarifai_runtime_set_worker_threads(CLARIFAI_MAX_RUNTIME_WORKER_THREADS, &err) == CLARIFAI_RESULT_OK, "max");
        CHILD_EXPECT(clarifai_runtime_set_worker_threads(1, &err) == CLARIFAI_RESULT_OK, "1");
        CHILD_EXPECT(clarifai_runtime_set_worker_threads(want, &err) == CLARIFAI_RESULT_OK, "%zu", want);
        CHILD_EXPECT(err == NULL, "an error for a success");
    }
    /* Nothing runs before the first call. */
    CHILD_EXPECT(runtime_threads() == 0, "%d runtime threads before any call", runtime_threads());
    clarifai_client_options_set_base_url(o, url, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    r = clarifai_client_new_api_key(api_key, o, &c, &err);
    CHILD_EXPECT(r == CLARIFAI_RESULT_OK, "client: %s", clarifai_error_message(err));
    if (c) {
        r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        CHILD_EXPECT(r == CLARIFAI_RESULT_OK, "call: %s", clarifai_error_message(err));
    }
    clarifai_response_free(resp);
    clarifai_error_free(err);
    err = NULL;
    /* Each thread names itself once it runs: give them a moment. */
    threads = runtime_threads();
    for (int i = 0; i < 200 && threads < (int)want; i++) {
        h_sleep_ms(10);
        threads = runtime_threads();
    }
    CHILD_EXPECT(threads >= (int)want, "%d runtime threads after the first call, expected at least %zu workers", threads, want);
    printf("runtime threads: %d\n", threads);
    /* Running: its own count is fine, another one is refused as too late. */
    r = clarifai_runtime_set_worker_threads(want, &err);
    CHILD_EXPECT(r == CLARIFAI_RESULT_OK, "the running count %zu again gave %s", want, clarifai_result_name(r));
    clarifai_error_free(err);
    err = NULL;
    r = clarifai_runtime_set_worker_threads(want + 1, &err);
    CHILD_EXPECT(r == CLARIFAI_RESULT_STATE && err && clarifai_error_result(err) == r && *clarifai_error_message(err),
                 "%zu workers after the first call gave %s", want + 1, clarifai_result_name(r));
    clarifai_error_free(err);
    err = NULL;
    CHILD_EXPECT(clarifai_runtime_set_worker_threads(want + 1, NULL) == CLARIFAI_RESULT_STATE, "no out_error");
    /* Out of range is still out of range. */
    CHILD_EXPECT(clarifai_runtime_set_worker_threads(0, NULL) == CLARIFAI_RESULT_INVALID_ARGUMENT, "0 while running");
    /* And calls still work. */
    if (c) {
        resp = NULL;
        r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        CHILD_EXPECT(r == CLARIFAI_RESULT_OK, "call after the refusal: %s", clarifai_error_message(err));
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    clarifai_client_free(c);
    clarifai_client_options_free(o);
    fflush(stdout);
    return failures ? 1 : 0;
}

static void test_worker_threads(void) {
    char **env = child_env(NULL);
    char *set[] = {(char *)"suite", (char *)"--runtime-threads", (char *)"set", E.url, E.api_key, NULL};
    char *dflt[] = {(char *)"suite", (char *)"--runtime-threads", (char *)"default", E.url, E.api_key, NULL};
    if (!env) return;
    run_child(set, env, __LINE__);
    run_child(dflt, env, __LINE__);
    free(env);
    /* In this process the runtime runs (with its default count, or the environment's): a
     * count out of range is refused whatever the state. */
    CHECK_RESULT(clarifai_runtime_set_worker_threads(0, NULL), CLARIFAI_RESULT_INVALID_ARGUMENT, NULL);
    CHECK_RESULT(clarifai_runtime_set_worker_threads(CLARIFAI_MAX_RUNTIME_WORKER_THREADS + 1, NULL),
                 CLARIFAI_RESULT_INVALID_ARGUMENT, NULL);
}

/* The defaults are header macros (never hand copies): values the library itself accepts when
 * set explicitly. What a default does is observed where it can be cheaply: the retry count
 * (t_network.c) and the worker count (above). */
static void test_default_macros(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = NULL;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    CHECK(strncmp(CLARIFAI_DEFAULT_BASE_URL, "https://", 8) == 0);
    CHECK(CLARIFAI_DEFAULT_CONNECT_TIMEOUT_MS > 0 && CLARIFAI_DEFAULT_TIMEOUT_MS >= CLARIFAI_DEFAULT_CONNECT_TIMEOUT_MS);
    CHECK(CLARIFAI_DEFAULT_MAX_RETRIES <= CLARIFAI_MAX_RETRIES_LIMIT);
    CHECK(CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS >= 1 &&
          CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS <= CLARIFAI_MAX_RUNTIME_WORKER_THREADS);
    CHECK(CLARIFAI_DEFAULT_MAX_CONCURRENCY >= 1 && CLARIFAI_DEFAULT_MAX_RESPONSE_BYTES > 0 && CLARIFAI_DEFAULT_MAX_REDIRECTS >= 0);
    clarifai_client_options_set_connect_timeout_ms(o, CLARIFAI_DEFAULT_CONNECT_TIMEOUT_MS, NULL);
    clarifai_client_options_set_timeout_ms(o, CLARIFAI_DEFAULT_TIMEOUT_MS, NULL);
    clarifai_client_options_set_max_concurrency(o, CLARIFAI_DEFAULT_MAX_CONCURRENCY, NULL);
    clarifai_client_options_set_max_retries(o, CLARIFAI_DEFAULT_MAX_RETRIES, NULL);
    clarifai_client_options_set_max_response_bytes(o, CLARIFAI_DEFAULT_MAX_RESPONSE_BYTES, NULL);
    CHECK_RESULT(clarifai_client_new_api_key(E.api_key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    if (c) CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
}

void suite_options(void) {
    h_run("set_proxy: every request through it, with its credentials; a dead one never shows its password", test_set_proxy);
    h_run("set_proxy_from_env: http_proxy for other hosts, never for loopback; off ignores it", test_proxy_from_env);
    h_run("set_http2_prior_knowledge: HTTP/2 to the plain emulator, 20 concurrent calls on one connection",
          test_http2_prior_knowledge);
    h_run("runtime_set_worker_threads: range, before the first call, STATE after", test_worker_threads);
    h_run("CLARIFAI_DEFAULT_* macros are values the library takes", test_default_macros);
}
