#import "CTCollector.h"

#include <time.h>

double CTNow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

@implementation CTCollector

- (id)init
{
    if ((self = [super init]) != nil) {
        _condition = [[NSCondition alloc] init];
        _outcomes = [[NSMutableArray alloc] init];
    }
    return self;
}

- (void)dealloc
{
    [_condition release];
    [_outcomes release];
    [super dealloc];
}

- (void)record:(id)call outcome:(id)outcome app:(ClarifaiApp *)app
{
    /* Foundation must work here: this is a native worker thread. */
    NSDictionary *entry = [NSDictionary dictionaryWithObjectsAndKeys:
        call, @"call",
        outcome, @"outcome",
        app, @"app",
        [NSNumber numberWithDouble:CTNow()], @"time",
        nil];
    [_condition lock];
    if (![NSThread isMainThread]) {
        _sawForeignThread = YES;
    }
    [_outcomes addObject:entry];
    [_condition broadcast];
    [_condition unlock];
    if (_raise) {
        [NSException raise:NSInternalInconsistencyException format:@"a delegate that raises"];
    }
}

- (void)clarifaiApp:(ClarifaiApp *)app
    didCompleteCall:(ClarifaiCall *)call
           response:(ClarifaiResponse *)response
              error:(NSError *)error
{
    [self record:call outcome:(response != nil ? (id)response : (id)error) app:app];
}

- (void)clarifaiApp:(ClarifaiApp *)app didCompleteBatch:(ClarifaiBatchCall *)batch results:(NSArray *)results
{
    [self record:batch outcome:results app:app];
}

- (BOOL)waitForCount:(NSUInteger)count seconds:(NSTimeInterval)seconds
{
    NSDate *limit = [NSDate dateWithTimeIntervalSinceNow:seconds];
    [_condition lock];
    while ([_outcomes count] < count) {
        if (![_condition waitUntilDate:limit]) {
            break;
        }
    }
    BOOL done = [_outcomes count] >= count;
    [_condition unlock];
    return done;
}

- (NSUInteger)count
{
    [_condition lock];
    NSUInteger count = [_outcomes count];
    [_condition unlock];
    return count;
}

- (NSDictionary *)outcomeForCall:(id)call
{
    NSDictionary *found = nil;
    [_condition lock];
    NSEnumerator *e = [_outcomes objectEnumerator];
    NSDictionary *entry;
    while ((entry = [e nextObject]) != nil) {
        if ([entry objectForKey:@"call"] == call) {
            found = [[entry retain] autorelease];
            break;
        }
    }
    [_condition unlock];
    return found;
}

@end

@implementation CTMuteDelegate
@end
