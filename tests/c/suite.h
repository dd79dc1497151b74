/* Shared fixture of the C suite: the emulator every test talks to, and client helpers. */
#ifndef CLARIFAI_TEST_SUITE_H
#define CLARIFAI_TEST_SUITE_H

#include "clarifai.h"
#include "emu.h"
#include "harness.h"

/* The emulator of the whole run, started by main. */
extern emulator E;

/* Never sent anywhere it could be logged; no output may show it (the harness redacts it, and
 * tests check the library's messages do not carry it). */
#define CANARY_KEY "canary-0123456789abcdef-CANARY"

/* Options pointing at `url` with `retries` retries; NULL url means the shared emulator. */
clarifai_client_options *test_options(const char *url, unsigned retries);
/* Clients against the shared emulator with 0 retries; NULL (and a failed check) on error. */
clarifai_client *api_key_client(const char *key);
clarifai_client *pat_client(void);
/* A key created with the demo PAT for the demo app (`endpoints` may be NULL when its count is
 * 0). Returns the key token (caller frees with free()) and registers it as a secret. */
char *create_demo_key(const char *const *scopes, size_t scope_count, const char *const *endpoints,
                      size_t endpoint_count);

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* How long a cancelled call may take to report, in ms: 50 natively; tests/c/run raises it
 * under Valgrind (every thread on one core, 20-50x slower) with CLARIFAI_C_CANCEL_MS. */
long cancel_bound_ms(void);

/* How this program was started (argv[0]), to run itself again. Not /proc/self/exe: under
 * Valgrind that is Valgrind's own launcher. */
extern const char *suite_path;
/* The suite run as `suite --fork-during-first-use URL DELAY_US` (see t_fork.c). */
int fork_first_use_main(const char *url, long delay_us);
/* Fresh-process checks of t_options.c: `suite --runtime-threads MODE URL KEY` and `suite
 * --proxy-env MODE URL KEY` (they print `FAIL: ...` lines and exit non-zero on failure). */
int runtime_threads_main(const char *mode, const char *url, const char *api_key);
int proxy_env_main(const char *mode, const char *emulator_url, const char *api_key);

/* The groups of tests, one per file. */
void suite_basics(void);
void suite_nulls(void);
void suite_args(void);
void suite_calls(void);
void suite_network(void);
void suite_options(void);
void suite_concurrency(void);
void suite_cancel(void);
void suite_fork(void);
void suite_vectors(void);

#endif
