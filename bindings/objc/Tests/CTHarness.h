/*
 * A small XCTest-like harness (GNUstep has no XCTest): subclasses of CTTestCase with methods
 * named test... are found at run time and run in name order, each in its own instance and
 * autorelease pool, between -setUp and -tearDown. Assertions record a failure and carry on, as
 * XCTest's do; an exception fails the test. Output is TAP-like: one "ok N - name" or
 * "not ok N - name" line per test (failure messages as "#" lines under it), then
 * "N passed, N failed".
 */

#import <Foundation/Foundation.h>

@interface CTTestCase : NSObject {
@private
    NSMutableArray *_failures;
}
- (void)setUp;
- (void)tearDown;
- (void)recordFailure:(NSString *)message file:(const char *)file line:(int)line;
- (NSArray *)failures;
@end

/* Report one result that is not a test method (a conformance vector, say). */
void CTReportResult(NSString *name, NSArray *failures);

/* Run every test; returns the number of failures. filter (may be nil) keeps only tests whose
 * name contains it. */
NSUInteger CTRunAllTests(NSString *filter);

#define CTFail(...) \
    [self recordFailure:[NSString stringWithFormat:__VA_ARGS__] file:__FILE__ line:__LINE__]

#define CTAssert(cond, ...) do { \
    if (!(cond)) { \
        [self recordFailure:[NSString stringWithFormat:@"%s: %@", #cond, \
                                [NSString stringWithFormat:@"" __VA_ARGS__]] \
                       file:__FILE__ line:__LINE__]; \
    } \
} while (0)

#define CTAssertTrue(cond, ...) CTAssert((cond), __VA_ARGS__)
#define CTAssertFalse(cond, ...) CTAssert(!(cond), __VA_ARGS__)
#define CTAssertNil(expr, ...) CTAssert((expr) == nil, __VA_ARGS__)
#define CTAssertNotNil(expr, ...) CTAssert((expr) != nil, __VA_ARGS__)

#define CTAssertEqual(a, b, ...) do { \
    long long ct_a = (long long)(a), ct_b = (long long)(b); \
    if (ct_a != ct_b) { \
        [self recordFailure:[NSString stringWithFormat:@"%s == %s: %lld != %lld %@", #a, #b, ct_a, ct_b, \
                                [NSString stringWithFormat:@"" __VA_ARGS__]] \
                       file:__FILE__ line:__LINE__]; \
    } \
} while (0)

#define CTAssertEqualObjects(a, b, ...) do { \
    id ct_a = (a), ct_b = (b); \
    if (!(ct_a == ct_b || [ct_a isEqual:ct_b])) { \
        [self recordFailure:[NSString stringWithFormat:@"%s equals %s: %@ != %@ %@", #a, #b, ct_a, ct_b, \
                                [NSString stringWithFormat:@"" __VA_ARGS__]] \
                       file:__FILE__ line:__LINE__]; \
    } \
} while (0)

/* An NSError in ClarifaiErrorDomain with this code. */
#define CTAssertClarifaiError(err, expectedCode, ...) do { \
    NSError *ct_e = (err); \
    if (ct_e == nil || ![[ct_e domain] isEqualToString:ClarifaiErrorDomain] || [ct_e code] != (expectedCode)) { \
        [self recordFailure:[NSString stringWithFormat:@"%s is a ClarifaiErrorDomain %s (%ld); got %@ %ld: %@ %@", \
                                #err, #expectedCode, (long)(expectedCode), [ct_e domain], (long)[ct_e code], \
                                [ct_e localizedDescription], [NSString stringWithFormat:@"" __VA_ARGS__]] \
                       file:__FILE__ line:__LINE__]; \
    } \
} while (0)
