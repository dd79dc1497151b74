/* A tiny test harness for the C suite: TAP-style `ok N - name` lines, `# ` diagnostics, and a
 * closing `N passed, N failed`. No framework, so the suite builds wherever the library does. */
#ifndef CLARIFAI_TEST_HARNESS_H
#define CLARIFAI_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "clarifai.h"

typedef void (*test_fn)(void);

/* Run one test (skipped when CLARIFAI_C_ONLY is set and not a substring of `name`). Returns 1
 * when it passed, 0 when it failed, -1 when skipped. */
int h_run(const char *name, test_fn fn);
/* Print the closing line; returns the process exit status. */
int h_finish(void);

/* Record a failed check in the running test. */
void h_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A `# ` diagnostic line; every registered secret in it is replaced by [redacted]. */
void h_diag(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Register a credential value: no output of the suite may show it. */
void h_secret(const char *value);
/* True when `text` contains a registered secret. */
int h_leaks_secret(const char *text);
void h_secrets_clear(void);

/* An environment knob: a positive integer, or `fallback`. */
long h_env_long(const char *name, long fallback);
/* Monotonic time in microseconds. */
int64_t h_now_us(void);
void h_sleep_ms(long ms);
void h_sleep_us(long us);

/* The address out-parameters are preset to, to prove a failing call left them untouched. */
extern char h_sentinel_storage;
#define SENTINEL ((void *)&h_sentinel_storage)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) h_fail(__FILE__, __LINE__, "%s", #cond);                                     \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) h_fail(__FILE__, __LINE__, __VA_ARGS__);                                     \
    } while (0)

/* Compare result codes by name, showing the error's message when there is one. `got` is
 * evaluated first: it is usually the call that writes `err`. */
#define CHECK_RESULT(got, want, err)                                                               \
    do {                                                                                           \
        uint32_t got_ = (uint32_t)(got);                                                           \
        h_check_result(__FILE__, __LINE__, #got, got_, (uint32_t)(want), (err));                  \
    } while (0)
void h_check_result(const char *file, int line, const char *expr, uint32_t got, uint32_t want,
                    const clarifai_error *err);

#define CHECK_STR(got, want) h_check_str(__FILE__, __LINE__, #got, (got), (want))
void h_check_str(const char *file, int line, const char *expr, const char *got, const char *want);

#endif
