/*
 * ClarifaiAppTests --emulator PATH --vectors PATH [--filter TEXT]
 * ClarifaiAppTests --leak-on-purpose
 *
 * Starts one emulator with the conformance vectors' arguments plus the faults the error-path
 * tests need (on endpoints no vector uses), runs every test against it, and exits 1 on any
 * failure.
 */

#import "CTHarness.h"
#import "CTEmulator.h"

static CTEmulator *sharedEmulator = nil;
static NSDictionary *vectors = nil;

CTEmulator *CTSharedEmulator(void)
{
    return sharedEmulator;
}

NSDictionary *CTVectors(void)
{
    return vectors;
}

#import "Clarifai.h"

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

int main(int argc, const char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "--leak-on-purpose") == 0) {
        return LeakOnPurpose();
    }
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSString *emulatorPath = nil;
    NSString *vectorsPath = nil;
    NSString *filter = nil;
    for (int i = 1; i + 1 < argc; i += 2) {
        NSString *value = [NSString stringWithUTF8String:argv[i + 1]];
        if (strcmp(argv[i], "--emulator") == 0) {
            emulatorPath = value;
        } else if (strcmp(argv[i], "--vectors") == 0) {
            vectorsPath = value;
        } else if (strcmp(argv[i], "--filter") == 0) {
            filter = value;
        }
    }
    if (emulatorPath == nil || vectorsPath == nil) {
        fprintf(stderr, "usage: %s --emulator PATH --vectors PATH [--filter TEXT]\n", argv[0]);
        [pool release];
        return 2;
    }

    NSData *data = [NSData dataWithContentsOfFile:vectorsPath];
    id doc = data != nil ? [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL] : nil;
    if (![doc isKindOfClass:[NSDictionary class]]) {
        fprintf(stderr, "cannot read the conformance vectors at %s\n", [vectorsPath UTF8String]);
        [pool release];
        return 2;
    }
    vectors = [doc retain];

    NSMutableArray *args = [NSMutableArray array];
    id vectorArgs = [vectors objectForKey:@"emulator_args"];
    if ([vectorArgs isKindOfClass:[NSArray class]]) {
        [args addObjectsFromArray:vectorArgs];
    }
    /* For the error paths: a slow endpoint (timeouts), a failing one and one that hangs up. */
    [args addObjectsFromArray:[NSArray arrayWithObjects:
        @"--fault", @"GetWorkflow=delay:3000",
        @"--fault", @"ListTasks=status:500:98004",
        @"--fault", @"ListAnnotations=drop",
        nil]];
    sharedEmulator = [[CTEmulator alloc] initWithPath:emulatorPath arguments:args];
    NSString *message = nil;
    if (![sharedEmulator start:&message]) {
        fprintf(stderr, "%s\n", [message UTF8String]);
        printf("0 passed, 1 failed\n");
        [sharedEmulator release];
        [vectors release];
        [pool release];
        return 1;
    }

    NSUInteger failed = CTRunAllTests(filter);

    [sharedEmulator stop];
    [sharedEmulator release];
    [vectors release];
    [pool release];
    return failed == 0 ? 0 : 1;
}
