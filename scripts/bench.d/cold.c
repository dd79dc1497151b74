/* One fresh C process's first call, for scripts/bench's cold start: built twice, against
 * today's library and against an older one (CLARIFAI_BENCH_OLD_LIB_DIR), and started by
 * `cabi coldpair`, which times it from before the spawn.
 *
 * Makes a client, counts this process's threads, makes one ListInputs against
 * CLARIFAI_BENCH_URL, counts them again, and writes to stdout
 * `<CLOCK_MONOTONIC ns at the answer> <threads at start> <after the client> <after the call>`.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clarifai.h"

static int threads(void) {
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

int main(void) {
    const char *url = getenv("CLARIFAI_BENCH_URL"), *key = getenv("CLARIFAI_BENCH_KEY");
    clarifai_client_options *o;
    clarifai_client *c = NULL;
    clarifai_response *resp = NULL;
    struct timespec ts;
    int at_start = threads(), after_client, after_call;
    if (!url || !key) return 2;
    o = clarifai_client_options_new();
    clarifai_client_options_set_base_url(o, url, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    if (clarifai_client_new_api_key(key, o, &c, NULL) != CLARIFAI_RESULT_OK) return 1;
    after_client = threads();
    if (clarifai_client_call(c, "ListInputs", "{\"per_page\":1}", &resp, NULL) != CLARIFAI_RESULT_OK) return 1;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    after_call = threads();
    printf("%lld %d %d %d\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, at_start, after_client, after_call);
    clarifai_response_free(resp);
    clarifai_client_free(c);
    clarifai_client_options_free(o);
    return 0;
}
