#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char h_sentinel_storage;

/* Checks may fail on library worker threads (async callbacks) and on test threads. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int test_number;
static int passed;
static int failed;
static int current_failures;

#define MAX_SECRETS 64
static char *secrets[MAX_SECRETS];
static size_t secret_count;

void h_secret(const char *value) {
    pthread_mutex_lock(&lock);
    if (value && *value && secret_count < MAX_SECRETS) {
        secrets[secret_count++] = strdup(value);
    }
    pthread_mutex_unlock(&lock);
}

void h_secrets_clear(void) {
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < secret_count; i++) free(secrets[i]);
    secret_count = 0;
    pthread_mutex_unlock(&lock);
}

static int leaks_locked(const char *text) {
    for (size_t i = 0; i < secret_count; i++) {
        if (strstr(text, secrets[i])) return 1;
    }
    return 0;
}

int h_leaks_secret(const char *text) {
    if (!text) return 0;
    pthread_mutex_lock(&lock);
    int r = leaks_locked(text);
    pthread_mutex_unlock(&lock);
    return r;
}

/* Print `prefix text` with every secret replaced; one fputs so lines from threads do not mix. */
static void print_redacted_locked(const char *prefix, const char *text) {
    /* Worst case: every byte starts a one-byte secret and grows to "[redacted]". */
    char *out = malloc(strlen(prefix) + 10 * strlen(text) + 2);
    char *w;
    const char *r = text;
    if (!out) return;
    w = out + sprintf(out, "%s", prefix);
    while (*r) {
        size_t hit = 0;
        for (size_t i = 0; i < secret_count && !hit; i++) {
            size_t n = strlen(secrets[i]);
            if (strncmp(r, secrets[i], n) == 0) hit = n;
        }
        if (hit) {
            w += sprintf(w, "[redacted]");
            r += hit;
        } else {
            *w++ = *r == '\n' ? ' ' : *r;
            r++;
        }
    }
    *w++ = '\n';
    *w = '\0';
    fputs(out, stdout);
    fflush(stdout);
    free(out);
}

static void vdiag_locked(const char *fmt, va_list ap) {
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    print_redacted_locked("# ", buf);
}

void h_diag(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&lock);
    vdiag_locked(fmt, ap);
    pthread_mutex_unlock(&lock);
    va_end(ap);
}

void h_fail(const char *file, int line, const char *fmt, ...) {
    char where[512];
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "#   %s:%d: ", file, line);
    pthread_mutex_lock(&lock);
    current_failures++;
    print_redacted_locked(where, buf);
    pthread_mutex_unlock(&lock);
}

void h_check_result(const char *file, int line, const char *expr, uint32_t got, uint32_t want,
                    const clarifai_error *err) {
    if (got == want) return;
    h_fail(file, line, "%s is %s, expected %s%s%s", expr, clarifai_result_name(got),
           clarifai_result_name(want), err ? ": " : "", err ? clarifai_error_message(err) : "");
}

void h_check_str(const char *file, int line, const char *expr, const char *got, const char *want) {
    if (got && want && strcmp(got, want) == 0) return;
    if (!got && !want) return;
    h_fail(file, line, "%s is \"%s\", expected \"%s\"", expr, got ? got : "(null)", want ? want : "(null)");
}

int h_run(const char *name, test_fn fn) {
    const char *only = getenv("CLARIFAI_C_ONLY");
    int64_t started;
    int ok;
    if (only && *only && !strstr(name, only)) return -1;
    pthread_mutex_lock(&lock);
    current_failures = 0;
    pthread_mutex_unlock(&lock);
    started = h_now_us();
    fn();
    pthread_mutex_lock(&lock);
    /* Numbering may continue a stream started by tests/c/run. */
    test_number = test_number ? test_number + 1 : (int)h_env_long("CLARIFAI_C_FIRST_TEST", 1);
    ok = current_failures == 0;
    if (ok) {
        passed++;
        printf("ok %d - %s (%.0f ms)\n", test_number, name, (double)(h_now_us() - started) / 1000.0);
    } else {
        failed++;
        printf("not ok %d - %s\n", test_number, name);
    }
    fflush(stdout);
    pthread_mutex_unlock(&lock);
    return ok;
}

int h_finish(void) {
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    h_secrets_clear();
    return failed == 0 && passed > 0 ? 0 : 1;
}

long h_env_long(const char *name, long fallback) {
    const char *v = getenv(name);
    char *end;
    long n;
    if (!v || !*v) return fallback;
    n = strtol(v, &end, 10);
    return (*end == '\0' && n > 0) ? n : fallback;
}

int64_t h_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void h_sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

void h_sleep_us(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}
