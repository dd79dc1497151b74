/* The C suite of clarifai-core: every function of include/clarifai.h against the emulator.
 *
 * Environment: CLARIFAI_EMULATOR (required), CLARIFAI_VECTORS (tests/vectors/cases.json),
 * CLARIFAI_REPO_ROOT (for the vectors' relative paths), CLARIFAI_C_ONLY (run only tests whose
 * name contains it), CLARIFAI_C_THREADS / CLARIFAI_C_CALLS / CLARIFAI_C_ASYNC / CLARIFAI_C_STORM
 * (load of the concurrency and cancellation tests; lowered under Valgrind and ASan),
 * CLARIFAI_C_CANCEL_MS (how soon a cancelled call must report; raised under Valgrind). */
#define _POSIX_C_SOURCE 200809L

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

emulator E;
const char *suite_path;

clarifai_client_options *test_options(const char *url, unsigned retries) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_error *err = NULL;
    CHECK(o != NULL);
    if (!o) return NULL;
    CHECK_RESULT(clarifai_client_options_set_base_url(o, url ? url : E.url, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    err = NULL;
    CHECK_RESULT(clarifai_client_options_set_max_retries(o, retries, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    return o;
}

clarifai_client *api_key_client(const char *key) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_new_api_key(key, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    clarifai_client_options_free(o);
    return c;
}

clarifai_client *pat_client(void) {
    clarifai_client_options *o = test_options(NULL, 0);
    clarifai_client *c = NULL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_new_pat(E.pat, E.user_id, E.app_id, o, &c, &err), CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    clarifai_client_options_free(o);
    return c;
}

char *create_demo_key(const char *const *scopes, size_t scope_count, const char *const *endpoints,
                      size_t endpoint_count) {
    clarifai_client *pat = pat_client();
    clarifai_error *err = NULL;
    clarifai_key *key = NULL;
    char *token = NULL;
    if (!pat) return NULL;
    CHECK_RESULT(clarifai_client_create_key(pat, "c suite", scopes, scope_count, endpoints, endpoint_count, NULL, E.app_id,
                                            &key, &err),
                 CLARIFAI_RESULT_OK, err);
    clarifai_error_free(err);
    clarifai_client_free(pat);
    if (!key) return NULL;
    if (clarifai_key_id(key)) {
        token = strdup(clarifai_key_id(key));
        h_secret(token);
    }
    CHECK(token != NULL);
    clarifai_key_free(key);
    return token;
}

long cancel_bound_ms(void) {
    return h_env_long("CLARIFAI_C_CANCEL_MS", 50);
}

int main(int argc, char **argv) {
    int status;
    /* Two malloc arenas, as a server would configure it, set before any thread exists: else
     * each of the (up to 64) threads that run callbacks may get an arena of its own, whose
     * high-water mark makes RSS creep though nothing leaks (the storm in t_cancel.c measures
     * RSS). A no-op under Valgrind and ASan, whose allocators replace glibc's. */
    mallopt(M_ARENA_MAX, 2);
    suite_path = argv[0];
    if (argc == 4 && strcmp(argv[1], "--fork-during-first-use") == 0) {
        return fork_first_use_main(argv[2], strtol(argv[3], NULL, 10));
    }
    if (argc == 5 && strcmp(argv[1], "--runtime-threads") == 0) return runtime_threads_main(argv[2], argv[3], argv[4]);
    if (argc == 5 && strcmp(argv[1], "--proxy-env") == 0) return proxy_env_main(argv[2], argv[3], argv[4]);
    /* A write to a closed socket must come back as an error, not kill the suite. */
    signal(SIGPIPE, SIG_IGN);
    h_secret(CANARY_KEY);
    if (emu_start(&E, NULL, NULL) != 0) {
        printf("not ok 1 - the emulator starts\n0 passed, 1 failed\n");
        return 1;
    }
    suite_basics();
    suite_nulls();
    suite_args();
    suite_calls();
    suite_network();
    suite_options();
    suite_concurrency();
    suite_cancel();
    suite_fork();
    suite_vectors();
    emu_stop(&E);
    status = h_finish();
    return status;
}
