/*
 * bench URL API_KEY   (run by `run-tests bench`, which starts the emulator)
 *
 * Per-call latency of the same authorized request, GET /v2/inputs?per_page=1 (ListInputs with
 * per_page 1), through -[ClarifaiApp callEndpoint:params:error:] and through Foundation's own
 * NSURLConnection +sendSynchronousRequest:, one call at a time on one thread. Both parse the
 * JSON body with NSJSONSerialization so that they do the same work. A benchmark, not a test:
 * it reports figures and fails only if a call fails.
 */

#import <Foundation/Foundation.h>
#import "Clarifai.h"

#include <stdlib.h>
#include <time.h>

enum { Warmup = 200, Calls = 5000 };

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

static void Report(const char *name, double *samples, int n)
{
    qsort(samples, (size_t)n, sizeof(double), CompareDoubles);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += samples[i];
    }
    printf("%-34s N=%d  median %8.1f us  p99 %8.1f us  mean %8.1f us\n", name, n,
           samples[n / 2], samples[(int)(n * 0.99)], sum / n);
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
    if (argc != 3) {
        fprintf(stderr, "usage: %s URL API_KEY\n", argv[0]);
        return 2;
    }
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSURL *base = [NSURL URLWithString:[NSString stringWithUTF8String:argv[1]]];
    NSString *key = [NSString stringWithUTF8String:argv[2]];
    int status = 0;

    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    [options setBaseURL:base];
    [options setMaxRetries:0];
    ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:key options:options error:NULL];
    NSDictionary *params = [NSDictionary dictionaryWithObject:[NSNumber numberWithInt:1] forKey:@"per_page"];

    NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:
        [NSURL URLWithString:@"/v2/inputs?per_page=1" relativeToURL:base]];
    [request setValue:[@"Key " stringByAppendingString:key] forHTTPHeaderField:@"Authorization"];
    [request setCachePolicy:NSURLRequestReloadIgnoringLocalCacheData];

    double *samples = malloc(sizeof(double) * Calls);
    printf("GET /v2/inputs?per_page=1 against the emulator, one call at a time, %d warm-up calls\n", Warmup);

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
        Report("ClarifaiApp callEndpoint:", samples, Calls);
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
        Report("NSURLConnection sendSynchronous", samples, Calls);
    } else {
        status = 1;
    }

    free(samples);
    [app release];
    [pool release];
    return status;
}
