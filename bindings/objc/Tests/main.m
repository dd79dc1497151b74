/*
 * ClarifaiAppTests --emulator PATH --vectors PATH --errors PATH [--filter TEXT]
 * ClarifaiAppTests --leak-on-purpose
 * ClarifaiAppTests --runtime-threads-probe      (run by a test: see ClarifaiAppTests.m)
 *
 * Starts one emulator with the conformance vectors' arguments plus the faults the error-path
 * tests need (on endpoints no vector uses), and a second one whose ListInputs is slow for the
 * cancellation tests; runs every test against them, and exits 1 on any failure.
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "Clarifai.h"

#include <valgrind/valgrind.h>

static CTEmulator *sharedEmulator = nil;
static CTEmulator *slowEmulator = nil;
static NSDictionary *vectors = nil;
static NSString *errorsTable = nil;

CTEmulator *CTSharedEmulator(void)
{
    return sharedEmulator;
}

CTEmulator *CTSlowEmulator(void)
{
    return slowEmulator;
}

NSDictionary *CTVectors(void)
{
    return vectors;
}

NSString *CTErrorsTable(void)
{
    return errorsTable;
}

BOOL CTUnderValgrind(void)
{
    return RUNNING_ON_VALGRIND ? YES : NO;
}

/* run-tests runs this under Valgrind and expects a leak report: proof that valgrind.supp hides
 * only the runtime's own allocations, never an app (and its native client) someone forgot. */
static int LeakOnPurpose(void)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    ClarifaiApp *forgotten = [[ClarifaiApp alloc] initWithApiKey:@"leak-on-purpose" error:NULL];
    printf("leaked %s\n", forgotten != nil ? "an app" : "nothing");
    [pool release];
    return forgotten != nil ? 0 : 1;
}

/* A fresh process (the test's own runtime has long been running): the worker count is taken
 * before the first call, and refused once the runtime runs with another. Prints one line per
 * step; the test reads them. */
static int RuntimeThreadsProbe(void)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSError *error = nil;
    BOOL before = [ClarifaiApp setRuntimeWorkerThreads:3 error:&error];
    printf("before first call: %s\n", before ? "ok" : [[error localizedDescription] UTF8String]);
    /* Any call starts the runtime; this one needs no server. */
    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    [options setBaseURL:[NSURL URLWithString:@"http://127.0.0.1:1"]];
    ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:@"probe" options:options error:NULL];
    [app callEndpoint:@"ListInputs" params:nil error:NULL];
    [app release];
    error = nil;
    BOOL same = [ClarifaiApp setRuntimeWorkerThreads:3 error:&error];
    printf("same count after: %s\n", same ? "ok" : [[error localizedDescription] UTF8String]);
    error = nil;
    BOOL other = [ClarifaiApp setRuntimeWorkerThreads:2 error:&error];
    printf("other count after: %s %ld\n", other ? "ok" : "refused", (long)[error code]);
    [pool release];
    return 0;
}

static CTEmulator *StartEmulator(NSString *path, NSArray *args)
{
    CTEmulator *emulator = [[CTEmulator alloc] initWithPath:path arguments:args];
    NSString *message = nil;
    if (![emulator start:&message]) {
        fprintf(stderr, "%s\n", [message UTF8String]);
        [emulator release];
        return nil;
    }
    return emulator;
}

int main(int argc, const char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "--leak-on-purpose") == 0) {
        return LeakOnPurpose();
    }
    if (argc == 2 && strcmp(argv[1], "--runtime-threads-probe") == 0) {
        return RuntimeThreadsProbe();
    }
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSString *emulatorPath = nil;
    NSString *vectorsPath = nil;
    NSString *errorsPath = nil;
    NSString *filter = nil;
    for (int i = 1; i + 1 < argc; i += 2) {
        NSString *value = [NSString stringWithUTF8String:argv[i + 1]];
        if (strcmp(argv[i], "--emulator") == 0) {
            emulatorPath = value;
        } else if (strcmp(argv[i], "--vectors") == 0) {
            vectorsPath = value;
        } else if (strcmp(argv[i], "--errors") == 0) {
            errorsPath = value;
        } else if (strcmp(argv[i], "--filter") == 0) {
            filter = value;
        }
    }
    if (emulatorPath == nil || vectorsPath == nil || errorsPath == nil) {
        fprintf(stderr, "usage: %s --emulator PATH --vectors PATH --errors PATH [--filter TEXT]\n", argv[0]);
        [pool release];
        return 2;
    }

    NSData *data = [NSData dataWithContentsOfFile:vectorsPath];
    id doc = data != nil ? [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL] : nil;
    errorsTable = [[NSString alloc] initWithContentsOfFile:errorsPath encoding:NSUTF8StringEncoding error:NULL];
    if (![doc isKindOfClass:[NSDictionary class]] || errorsTable == nil) {
        fprintf(stderr, "cannot read %s or %s\n", [vectorsPath UTF8String], [errorsPath UTF8String]);
        [errorsTable release];
        [pool release];
        return 2;
    }
    vectors = [doc retain];

    NSMutableArray *args = [NSMutableArray array];
    id vectorArgs = [vectors objectForKey:@"emulator_args"];
    if ([vectorArgs isKindOfClass:[NSArray class]]) {
        [args addObjectsFromArray:vectorArgs];
    }
    /* For the error paths: a slow endpoint (timeouts), a failing one, one that hangs up, and two
     * that echo the caller's Authorization back (redaction). */
    [args addObjectsFromArray:[NSArray arrayWithObjects:
        @"--fault", @"GetWorkflow=delay:3000",
        @"--fault", @"ListTasks=status:500:98004",
        @"--fault", @"ListAnnotations=drop",
        @"--fault", @"ListModelTypes=echo",
        @"--fault", @"ListEvaluations=echo:401",
        nil]];
    sharedEmulator = StartEmulator(emulatorPath, args);
    slowEmulator = StartEmulator(emulatorPath, [NSArray arrayWithObjects:@"--fault", @"ListInputs=delay:5000", nil]);
    NSUInteger failed = 1;
    if (sharedEmulator != nil && slowEmulator != nil) {
        failed = CTRunAllTests(filter);
    } else {
        printf("0 passed, 1 failed\n");
    }

    [sharedEmulator stop];
    [sharedEmulator release];
    [slowEmulator stop];
    [slowEmulator release];
    [vectors release];
    [errorsTable release];
    [pool release];
    return failed == 0 ? 0 : 1;
}
