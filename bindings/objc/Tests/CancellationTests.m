/*
 * Cancellation (#20): -cancel on the calls and batches the asynchronous methods return, cancel
 * tokens for blocking calls, per-call timeouts, and a stress run of 10,000 calls cancelled from
 * several threads. Against the slow emulator, whose ListInputs answers after 5 s.
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "CTCollector.h"
#import "Clarifai.h"

#include <stdlib.h>
#include <unistd.h>

static ClarifaiCallResult *Result(NSArray *results, NSUInteger i)
{
    return [results objectAtIndex:i];
}

/* Cancels its calls (each once, in a random order, at random moments) on its own thread. */
@interface CTCanceller : NSObject {
@public
    NSArray *_calls;
    unsigned int _seed;
    NSCondition *_done;
    int *_running;
}
- (void)run:(id)unused;
@end

@implementation CTCanceller

- (void)dealloc
{
    [_calls release];
    [super dealloc];
}

- (void)run:(id)unused
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSUInteger count = [_calls count];
    NSUInteger *order = malloc(sizeof(NSUInteger) * (count + 1));
    for (NSUInteger i = 0; i < count; i++) {
        order[i] = i;
    }
    for (NSUInteger i = count; i > 1; i--) {
        NSUInteger j = (NSUInteger)rand_r(&_seed) % i;
        NSUInteger t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (NSUInteger i = 0; i < count; i++) {
        if (rand_r(&_seed) % 8 == 0) {
            usleep((useconds_t)(rand_r(&_seed) % 400));
        }
        [(ClarifaiCall *)[_calls objectAtIndex:order[i]] cancel];
    }
    free(order);
    [_done lock];
    (*_running)--;
    [_done broadcast];
    [_done unlock];
    [pool release];
}

@end

@interface CancellationTests : CTTestCase {
    CTEmulator *_slow;
    double _cancelledAt;
}
@end

@implementation CancellationTests

- (void)setUp
{
    _slow = CTSlowEmulator();
}

/* The bound on how long a cancelled call takes to report: 50 ms, or 1 s under Valgrind. */
- (double)latencyLimit
{
    return CTUnderValgrind() ? 1.0 : 0.05;
}

/* Long enough for a request to reach the server. */
- (NSTimeInterval)onTheWire
{
    return CTUnderValgrind() ? 1.5 : 0.3;
}

- (ClarifaiApp *)slowApp
{
    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    [options setBaseURL:[_slow url]];
    [options setMaxRetries:0];
    NSError *error = nil;
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[_slow apiKey] options:options error:&error] autorelease];
    CTAssertNotNil(app, @"%@", error);
    return app;
}

/* Whether the emulator logged a request to path as aborted by the client (it logs it once it
 * notices the connection or stream go). */
- (BOOL)sawAbortedRequestTo:(NSString *)path
{
    for (int attempt = 0; attempt < 50; attempt++) {
        NSEnumerator *e = [[_slow requests] objectEnumerator];
        NSDictionary *request;
        while ((request = [e nextObject]) != nil) {
            if ([[request objectForKey:@"path"] isEqual:path] && [[request objectForKey:@"aborted"] boolValue]) {
                return YES;
            }
        }
        [NSThread sleepForTimeInterval:0.1];
    }
    return NO;
}

- (void)cancelLater:(ClarifaiCancelToken *)token
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    [NSThread sleepForTimeInterval:[self onTheWire]];
    _cancelledAt = CTNow();
    [token cancel];
    [pool release];
}

/* The done-when test of #20: the cancelled result within 50 ms, the server's request aborted,
 * and the next call on the same app fine. */
- (void)testCancelAnAsynchronousCallOnASlowRoute
{
    ClarifaiApp *app = [self slowApp];
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    [_slow admin:@"DELETE" path:@"/requests" body:nil];
    NSError *error = nil;
    ClarifaiCall *call = [app callEndpoint:@"ListInputs" params:nil delegate:collector error:&error];
    CTAssertNotNil(call, @"%@", error);
    [NSThread sleepForTimeInterval:[self onTheWire]];
    CTAssertEqual([collector count], 0, @"answered before it was cancelled");

    double start = CTNow();
    [call cancel];
    CTAssertTrue([collector waitForCount:1 seconds:5], @"no outcome after the cancel");
    NSDictionary *entry = [collector outcomeForCall:call];
    double latency = [[entry objectForKey:@"time"] doubleValue] - start;
    CTAssertTrue(latency < [self latencyLimit], @"the cancelled result came after %.1f ms", latency * 1000);
    NSError *cancelled = [entry objectForKey:@"outcome"];
    CTAssertClarifaiError(cancelled, ClarifaiErrorCancelled);
    CTAssertTrue([cancelled isClarifaiErrorOfKind:ClarifaiErrorKindCancelled]);
    CTAssertEqualObjects([[cancelled userInfo] objectForKey:ClarifaiResultNameErrorKey], @"CLARIFAI_RESULT_CANCELLED");

    CTAssertTrue([self sawAbortedRequestTo:@"/v2/inputs"], @"the emulator did not log the request as aborted: %@",
                 [_slow requests]);

    error = nil;
    CTAssertNotNil([app callEndpoint:@"GetInputCount" params:nil error:&error], @"the next call: %@", error);

    /* Once delivered, cancelling again changes nothing and delivers nothing. */
    [call cancel];
    [NSThread sleepForTimeInterval:0.2];
    CTAssertEqual([collector count], 1, @"a second outcome");
}

- (void)testBlockingCallCancelledByATokenFromAnotherThread
{
    ClarifaiApp *app = [self slowApp];
    ClarifaiCancelToken *token = [ClarifaiCancelToken token];
    CTAssertFalse([token isCancelled]);
    ClarifaiCallOptions *options = [ClarifaiCallOptions options];
    [options setCancelToken:token];
    _cancelledAt = 0;
    [NSThread detachNewThreadSelector:@selector(cancelLater:) toTarget:self withObject:token];

    NSError *error = nil;
    double start = CTNow();
    ClarifaiResponse *response = [app callEndpoint:@"ListInputs" params:nil options:options error:&error];
    double end = CTNow();
    CTAssertNil(response);
    CTAssertClarifaiError(error, ClarifaiErrorCancelled);
    CTAssertTrue(_cancelledAt > 0 && end - _cancelledAt < [self latencyLimit],
                 @"returned %.1f ms after the cancel", (end - _cancelledAt) * 1000);
    CTAssertTrue(end - start < 4, @"it waited for the answer");
    CTAssertTrue([token isCancelled]);

    /* A cancelled token stops calls before they start; the app is fine without it. */
    error = nil;
    start = CTNow();
    CTAssertNil([app callEndpoint:@"GetInputCount" params:nil options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorCancelled);
    CTAssertTrue(CTNow() - start < [self latencyLimit]);
    error = nil;
    CTAssertNotNil([app callEndpoint:@"GetInputCount" params:nil error:&error], @"%@", error);
    CTAssertTrue([[options description] rangeOfString:@"cancelled"].location != NSNotFound, @"%@", options);
}

- (void)testAsynchronousCallCancelledByAToken
{
    ClarifaiApp *app = [self slowApp];
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    ClarifaiCancelToken *token = [ClarifaiCancelToken token];
    ClarifaiCallOptions *options = [ClarifaiCallOptions options];
    [options setCancelToken:token];
    NSError *error = nil;
    ClarifaiCall *first = [app callEndpoint:@"ListInputs" params:nil options:options delegate:collector error:&error];
    ClarifaiCall *second = [app callEndpoint:@"ListInputs" params:nil options:options delegate:collector error:&error];
    CTAssertNotNil(first, @"%@", error);
    CTAssertNotNil(second, @"%@", error);
    [NSThread sleepForTimeInterval:[self onTheWire]];
    [token cancel];
    CTAssertTrue([collector waitForCount:2 seconds:5]);
    CTAssertClarifaiError([[collector outcomeForCall:first] objectForKey:@"outcome"], ClarifaiErrorCancelled);
    CTAssertClarifaiError([[collector outcomeForCall:second] objectForKey:@"outcome"], ClarifaiErrorCancelled);
}

- (void)testCallTimeoutOption
{
    ClarifaiApp *app = [self slowApp];
    ClarifaiCallOptions *options = [ClarifaiCallOptions options];
    CTAssertTrue([options timeout] == 0, @"unset: the app's timeout");
    [options setTimeout:0.3];
    NSError *error = nil;
    double start = CTNow();
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorTimeout);
    CTAssertTrue([error isClarifaiErrorOfKind:ClarifaiErrorKindTransport]);
    CTAssertTrue(CTNow() - start < 3, @"the call's own timeout did not apply");

    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    ClarifaiCall *call = [app callEndpoint:@"ListInputs" params:nil options:options delegate:collector error:&error];
    CTAssertTrue([collector waitForCount:1 seconds:4]);
    CTAssertClarifaiError([[collector outcomeForCall:call] objectForKey:@"outcome"], ClarifaiErrorTimeout);

    /* Refused by the library, as in every language. */
    [options setTimeout:0];
    error = nil;
    CTAssertNil([app callEndpoint:@"GetInputCount" params:nil options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    [options setTimeout:-2];
    error = nil;
    CTAssertNil([app callEndpoint:@"GetInputCount" params:nil options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    [options setTimeout:30];
    error = nil;
    CTAssertNotNil([app callEndpoint:@"GetInputCount" params:nil options:options error:&error], @"%@", error);
}

- (NSArray *)mixedCalls
{
    return [NSArray arrayWithObjects:
        [ClarifaiCall callWithEndpoint:@"ListInputs" params:nil],
        [ClarifaiCall callWithEndpoint:@"GetInputCount" params:nil],
        [ClarifaiCall callWithEndpoint:@"NoSuchRpc" params:nil],
        [ClarifaiCall callWithEndpoint:@"ListInputs" params:[NSDictionary dictionaryWithObject:[NSNumber numberWithInt:2]
                                                                                        forKey:@"per_page"]],
        nil];
}

- (void)checkMixedResults:(NSArray *)results calls:(NSArray *)calls
{
    CTAssertEqual([results count], [calls count]);
    if ([results count] != 4) {
        return;
    }
    for (NSUInteger i = 0; i < 4; i++) {
        CTAssertTrue([Result(results, i) call] == [calls objectAtIndex:i]);
    }
    CTAssertClarifaiError([Result(results, 0) error], ClarifaiErrorCancelled);
    CTAssertNotNil([Result(results, 1) response], @"an answered call keeps its answer: %@", [Result(results, 1) error]);
    CTAssertClarifaiError([Result(results, 2) error], ClarifaiErrorUnknownEndpoint);
    CTAssertClarifaiError([Result(results, 3) error], ClarifaiErrorCancelled);
}

- (void)testCancelAnAsynchronousBatch
{
    ClarifaiApp *app = [self slowApp];
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    NSArray *calls = [self mixedCalls];
    NSError *error = nil;
    ClarifaiBatchCall *batch = [app callMany:calls delegate:collector error:&error];
    CTAssertNotNil(batch, @"%@", error);
    [NSThread sleepForTimeInterval:[self onTheWire]];
    CTAssertEqual([collector count], 0);
    double start = CTNow();
    [batch cancel];
    CTAssertTrue([collector waitForCount:1 seconds:5]);
    NSDictionary *entry = [collector outcomeForCall:batch];
    double latency = [[entry objectForKey:@"time"] doubleValue] - start;
    CTAssertTrue(latency < [self latencyLimit], @"the cancelled batch came after %.1f ms", latency * 1000);
    [self checkMixedResults:[entry objectForKey:@"outcome"] calls:calls];
}

- (void)testBlockingBatchCancelledByAToken
{
    ClarifaiApp *app = [self slowApp];
    ClarifaiCancelToken *token = [ClarifaiCancelToken token];
    ClarifaiCallOptions *options = [ClarifaiCallOptions options];
    [options setCancelToken:token];
    _cancelledAt = 0;
    [NSThread detachNewThreadSelector:@selector(cancelLater:) toTarget:self withObject:token];
    NSArray *calls = [self mixedCalls];
    NSError *error = nil;
    NSArray *results = [app callMany:calls options:options error:&error];
    double end = CTNow();
    CTAssertNotNil(results, @"%@", error);
    CTAssertTrue(_cancelledAt > 0 && end - _cancelledAt < [self latencyLimit],
                 @"returned %.1f ms after the cancel", (end - _cancelledAt) * 1000);
    [self checkMixedResults:results calls:calls];
}

static NSUInteger OpenFileDescriptors(void)
{
    /* Less the one that lists the directory. */
    return [[[NSFileManager defaultManager] contentsOfDirectoryAtPath:@"/proc/self/fd" error:NULL] count] - 1;
}

static double ResidentMegabytes(void)
{
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2) {
            resident = 0;
        }
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* One round of the stress test: count calls in flight (three in four on the slow route, the
 * rest fast) on a fresh app, cancelled from four threads at random moments while some answer.
 * YES when every call's outcome came exactly once. */
- (BOOL)stressRound:(NSUInteger)count seed:(unsigned int)seed
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    ClarifaiApp *app = [self slowApp];
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    NSMutableArray *calls = [NSMutableArray arrayWithCapacity:count];
    NSError *error = nil;
    for (NSUInteger i = 0; i < count; i++) {
        ClarifaiCall *call = [app callEndpoint:(i % 4 == 0 ? @"GetInputCount" : @"ListInputs") params:nil
                                      delegate:collector error:&error];
        if (call == nil) {
            CTFail(@"call %lu did not start: %@", (unsigned long)i, error);
            break;
        }
        [calls addObject:call];
    }
    NSCondition *done = [[[NSCondition alloc] init] autorelease];
    int running = 4;
    for (unsigned int t = 0; t < 4; t++) {
        /* Each thread cancels half the calls, so most are cancelled twice, concurrently. */
        NSMutableArray *mine = [NSMutableArray array];
        for (NSUInteger i = 0; i < [calls count]; i++) {
            if ((i + t) % 2 == 0) {
                [mine addObject:[calls objectAtIndex:i]];
            }
        }
        CTCanceller *canceller = [[[CTCanceller alloc] init] autorelease];
        canceller->_calls = [mine copy];
        canceller->_seed = seed * 31 + t;
        canceller->_done = done;
        canceller->_running = &running;
        [NSThread detachNewThreadSelector:@selector(run:) toTarget:canceller withObject:nil];
    }
    [done lock];
    while (running > 0) {
        [done wait];
    }
    [done unlock];
    BOOL complete = [collector waitForCount:[calls count] seconds:CTUnderValgrind() ? 600 : 60];
    /* Nothing more may come. */
    [NSThread sleepForTimeInterval:0.2];
    NSCountedSet *seen = [[[NSCountedSet alloc] init] autorelease];
    NSUInteger cancelled = 0, answered = 0;
    [collector->_condition lock];
    NSEnumerator *e = [collector->_outcomes objectEnumerator];
    NSDictionary *entry;
    while ((entry = [e nextObject]) != nil) {
        [seen addObject:[entry objectForKey:@"call"]];
        id outcome = [entry objectForKey:@"outcome"];
        if ([outcome isKindOfClass:[ClarifaiResponse class]]) {
            answered++;
        } else if ([outcome isKindOfClass:[NSError class]] && [outcome code] == ClarifaiErrorCancelled) {
            cancelled++;
        } else {
            CTFail(@"an outcome that is neither an answer nor a cancellation: %@", outcome);
        }
    }
    NSUInteger total = [collector->_outcomes count];
    [collector->_condition unlock];
    BOOL once = complete && total == [calls count];
    NSEnumerator *c = [calls objectEnumerator];
    ClarifaiCall *call;
    while ((call = [c nextObject]) != nil) {
        if ([seen countForObject:call] != 1) {
            once = NO;
        }
    }
    CTAssertTrue(once, @"%lu outcomes for %lu calls (complete: %d)", (unsigned long)total, (unsigned long)[calls count],
                 complete);
    CTAssertTrue(cancelled > [calls count] / 2, @"only %lu of %lu were cancelled", (unsigned long)cancelled,
                 (unsigned long)[calls count]);
    printf("# stress round: %lu calls, %lu cancelled, %lu answered\n", (unsigned long)[calls count],
           (unsigned long)cancelled, (unsigned long)answered);
    [pool release];
    return once;
}

- (void)testTenThousandCallsCancelledFromSeveralThreads
{
    enum { Calls = 10000 };
    /* Under Valgrind one round (which also checks for leaks); otherwise a first round that
     * warms up, then two whose memory and descriptors must stay where the first left them. */
    int rounds = CTUnderValgrind() ? 1 : 3;
    NSUInteger fds = 0;
    double megabytes = 0;
    for (int round = 0; round < rounds; round++) {
        if (![self stressRound:Calls seed:(unsigned int)round + 1]) {
            return;
        }
        /* Freed apps close their connections a moment later. */
        NSUInteger now = OpenFileDescriptors();
        for (int wait = 0; round > 0 && wait < 50 && now > fds; wait++) {
            [NSThread sleepForTimeInterval:0.1];
            now = OpenFileDescriptors();
        }
        if (round == 0) {
            fds = now;
            megabytes = ResidentMegabytes();
        } else {
            CTAssertTrue(now <= fds, @"round %d: %lu descriptors open, %lu after the first", round, (unsigned long)now,
                         (unsigned long)fds);
            CTAssertTrue(ResidentMegabytes() - megabytes < 16, @"round %d: resident memory grew from %.1f to %.1f MB",
                         round, megabytes, ResidentMegabytes());
        }
    }
    printf("# stress: %lu descriptors, %.1f MB resident after the first round, %.1f MB now\n", (unsigned long)fds,
           megabytes, ResidentMegabytes());
}

@end
