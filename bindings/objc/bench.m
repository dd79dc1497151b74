/*
 * bench URL API_KEY   (run by `run-tests bench`, which starts the emulator)
 *
 * Per-call latency of the same authorized request, GET /v2/inputs?per_page=1 (ListInputs with
 * per_page 1), through -[ClarifaiApp callEndpoint:params:error:] and through Foundation's own
 * NSURLConnection +sendSynchronousRequest:, one call at a time on one thread. Both parse the
 * JSON body with NSJSONSerialization so that they do the same work. A benchmark, not a test:
 * it reports figures and fails only if a call fails.
 *
 * scripts/bench runs it with CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY instead of arguments,
 * against a server of its own, CLARIFAI_BENCH_N calls each, and CLARIFAI_BENCH_PART `latency`
 * (the above) or `many` (-callMany: of 100 ListInputs, which that server delays: the wall time
 * of the first burst, then the median of CLARIFAI_BENCH_RUNS (5) more; CLARIFAI_BENCH_CA_FILE
 * is the CA of an https server) or `cold` (one call, then exit: the script times fresh
 * processes); the figures then also come as tab-separated `@@` lines for the script.
 */

#import <Foundation/Foundation.h>
#import "Clarifai.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { Warmup = 200, DefaultCalls = 5000, Concurrent = 100, DefaultRuns = 5, MaxRuns = 64 };
static int Calls = DefaultCalls;
static BOOL Machine = NO;

static double NowMicroseconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int CompareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void Report(const char *name, const char *ident, double *samples, int n)
{
    qsort(samples, (size_t)n, sizeof(double), CompareDoubles);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += samples[i];
    }
    printf("%-34s N=%d  median %8.1f us  p99 %8.1f us  mean %8.1f us\n", name, n,
           samples[n / 2], samples[(int)(n * 0.99)], sum / n);
    if (Machine) {
        printf("@@\tlatency\t%s\t%.2f\t%.2f\t%.0f\t%d\n", ident, samples[n / 2], samples[(int)(n * 0.99)],
               1e6 / (sum / n), n);
    }
}

/* Wall milliseconds of one -callMany: of Concurrent ListInputs, or -1 if any failed. */
static double CallManyOnce(ClarifaiApp *app, NSArray *calls)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSError *error = nil;
    double t = NowMicroseconds();
    NSArray *results = [app callMany:calls error:&error];
    t = (NowMicroseconds() - t) / 1e3;
    NSUInteger i;
    for (i = 0; results != nil && i < [results count]; i++) {
        if ([[results objectAtIndex:i] response] == nil) {
            results = nil;
        }
    }
    if (results == nil) {
        fprintf(stderr, "callMany failed\n");
        t = -1;
    }
    [pool release];
    return t;
}

static int BenchCallMany(ClarifaiApp *app, NSDictionary *params, int runs)
{
    NSMutableArray *calls = [NSMutableArray arrayWithCapacity:Concurrent];
    double walls[MaxRuns], cold;
    int i;
    for (i = 0; i < Concurrent; i++) {
        [calls addObject:[ClarifaiCall callWithEndpoint:@"ListInputs" params:params]];
    }
    /* The first burst is the app's first: it opens the connections (cold); the rest are warm. */
    if ((cold = CallManyOnce(app, calls)) < 0) {
        return 1;
    }
    for (i = 0; i < runs; i++) {
        if ((walls[i] = CallManyOnce(app, calls)) < 0) {
            return 1;
        }
    }
    qsort(walls, (size_t)runs, sizeof(double), CompareDoubles);
    printf("callMany: %d ListInputs, cold %.1f ms, warm median %.1f ms wall of %d runs\n@@\twall\tobjc-callMany\t%.1f\t%.1f\n",
           Concurrent, cold, walls[runs / 2], runs, walls[runs / 2], cold);
    return 0;
}

static BOOL CallLibrary(ClarifaiApp *app, NSDictionary *params)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSError *error = nil;
    ClarifaiResponse *response = [app callEndpoint:@"ListInputs" params:params error:&error];
    BOOL ok = response != nil && [[response body] objectForKey:@"inputs"] != nil;
    if (!ok) {
        fprintf(stderr, "callEndpoint: %s\n", [[error localizedDescription] UTF8String]);
    }
    [pool release];
    return ok;
}

static BOOL CallFoundation(NSURLRequest *request)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSURLResponse *response = nil;
    NSError *error = nil;
    NSData *data = [NSURLConnection sendSynchronousRequest:request returningResponse:&response error:&error];
    id body = data != nil ? [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL] : nil;
    BOOL ok = [(NSHTTPURLResponse *)response statusCode] == 200 && [body objectForKey:@"inputs"] != nil;
    if (!ok) {
        fprintf(stderr, "NSURLConnection: HTTP %ld, %s\n", (long)[(NSHTTPURLResponse *)response statusCode],
                [[error localizedDescription] UTF8String]);
    }
    [pool release];
    return ok;
}

int main(int argc, const char *argv[])
{
    const char *url = getenv("CLARIFAI_BENCH_URL"), *apiKey = getenv("CLARIFAI_BENCH_KEY");
    const char *part = getenv("CLARIFAI_BENCH_PART");
    if (url != NULL && apiKey != NULL) {
        Machine = YES;
        if (getenv("CLARIFAI_BENCH_N") != NULL && atoi(getenv("CLARIFAI_BENCH_N")) > 0) {
            Calls = atoi(getenv("CLARIFAI_BENCH_N"));
        }
    } else if (argc == 3) {
        url = argv[1];
        apiKey = argv[2];
        part = NULL;
    } else {
        fprintf(stderr, "usage: %s URL API_KEY\n", argv[0]);
        return 2;
    }
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSURL *base = [NSURL URLWithString:[NSString stringWithUTF8String:url]];
    NSString *key = [NSString stringWithUTF8String:apiKey];
    int status = 0;

    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    [options setBaseURL:base];
    [options setMaxRetries:0];
    if (getenv("CLARIFAI_BENCH_CA_FILE") != NULL && *getenv("CLARIFAI_BENCH_CA_FILE") != '\0') {
        [options setCAFile:[NSString stringWithUTF8String:getenv("CLARIFAI_BENCH_CA_FILE")]];
    }
    ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:key options:options error:NULL];
    NSDictionary *params = [NSDictionary dictionaryWithObject:[NSNumber numberWithInt:1] forKey:@"per_page"];

    NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:
        [NSURL URLWithString:@"/v2/inputs?per_page=1" relativeToURL:base]];
    [request setValue:[@"Key " stringByAppendingString:key] forHTTPHeaderField:@"Authorization"];
    [request setCachePolicy:NSURLRequestReloadIgnoringLocalCacheData];

    if (part != NULL && strcmp(part, "cold") == 0) {
        status = CallLibrary(app, params) ? 0 : 1;
        [app release];
        [pool release];
        return status;
    }
    if (part != NULL && strcmp(part, "many") == 0) {
        int runs = getenv("CLARIFAI_BENCH_RUNS") != NULL ? atoi(getenv("CLARIFAI_BENCH_RUNS")) : DefaultRuns;
        status = BenchCallMany(app, params, runs < 1 || runs > MaxRuns ? DefaultRuns : runs);
        [app release];
        [pool release];
        return status;
    }

    double *samples = malloc(sizeof(double) * Calls);
    printf("GET /v2/inputs?per_page=1 against %s, one call at a time, %d warm-up calls\n",
           Machine ? "the given server" : "the emulator", Warmup);

    BOOL ok = YES;
    for (int i = 0; i < Warmup && ok; i++) {
        ok = CallLibrary(app, params);
    }
    for (int i = 0; i < Calls && ok; i++) {
        double t = NowMicroseconds();
        ok = CallLibrary(app, params);
        samples[i] = NowMicroseconds() - t;
    }
    if (ok) {
        Report("ClarifaiApp callEndpoint:", "objc-binding", samples, Calls);
    } else {
        status = 1;
    }

    ok = YES;
    for (int i = 0; i < Warmup && ok; i++) {
        ok = CallFoundation(request);
    }
    for (int i = 0; i < Calls && ok; i++) {
        double t = NowMicroseconds();
        ok = CallFoundation(request);
        samples[i] = NowMicroseconds() - t;
    }
    if (ok) {
        Report("NSURLConnection sendSynchronous", "objc-nsurlconnection", samples, Calls);
    } else {
        status = 1;
    }

    free(samples);
    [app release];
    [pool release];
    return status;
}
