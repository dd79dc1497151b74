/*
 * A ClarifaiAppDelegate for the tests: collects the outcomes of asynchronous calls and batches
 * from the library's worker threads (with the time each arrived) and lets the test thread wait
 * for them.
 */

#import <Foundation/Foundation.h>
#import "Clarifai.h"

/* Seconds on a monotonic clock. */
double CTNow(void);

@interface CTCollector : NSObject <ClarifaiAppDelegate> {
@public
    NSCondition *_condition;
    /* Dictionaries: "call" (a ClarifaiCall or ClarifaiBatchCall), "outcome" (a
     * ClarifaiResponse, an NSError or, for a batch, the array of ClarifaiCallResult), "app",
     * "time" (CTNow() on arrival). */
    NSMutableArray *_outcomes;
    /* Raise from the delegate method after recording. */
    BOOL _raise;
    BOOL _sawForeignThread;
}
- (BOOL)waitForCount:(NSUInteger)count seconds:(NSTimeInterval)seconds;
- (NSUInteger)count;
/* The outcome recorded for call (or batch), nil when none. */
- (NSDictionary *)outcomeForCall:(id)call;
@end

/* A delegate that implements neither method (to be refused). */
@interface CTMuteDelegate : NSObject <ClarifaiAppDelegate>
@end
