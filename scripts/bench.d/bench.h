/* What scripts/bench's C programs (cabi.c, net.c) share: a clock, a median, and dying on a
 * failed call with its result and message. Each program defines BENCH_NAME before including it.
 */
#ifndef CLARIFAI_BENCH_H
#define CLARIFAI_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clarifai.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts `v`. */
static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[n / 2];
}

static void die(const char *what, clarifai_result r, const clarifai_error *err) {
    /* Messages never hold a key (see clarifai.h), so they are safe to print. */
    fprintf(stderr, BENCH_NAME ": %s: %s: %s\n", what, clarifai_result_name(r), err ? clarifai_error_message(err) : "");
    exit(1);
}

#endif
