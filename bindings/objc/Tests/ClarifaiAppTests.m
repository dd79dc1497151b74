/*
 * ClarifaiApp against the emulator: initializers, calls, every error path, nil and empty
 * arguments, per-request credentials, scopes, key management, callMany, asynchronous calls and
 * the lifetime of native handles.
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "Clarifai.h"

#include <stdlib.h>
#include <unistd.h>

static NSString * const Canary = @"canary-0123456789abcdef-CANARY";

/* What ListInputs needs (as the vectors' read_key has it). */
static NSArray *ReadScopes(void)
{
    return [NSArray arrayWithObjects:@"Apps:Get", @"Annotations:Get", @"Concepts:Get", @"Inputs:Get", @"Models:Get", nil];
}

/* Typed, since gcc would otherwise guess -response and -error from unrelated classes. */
static ClarifaiCallResult *At(NSArray *results, NSUInteger i)
{
    return [results objectAtIndex:i];
}

/* No secret may show in anything an error or an object prints. */
static BOOL Leaks(id object, NSString *secret)
{
    NSString *text = [object isKindOfClass:[NSError class]]
        ? [NSString stringWithFormat:@"%@ %@", [object localizedDescription], [object userInfo]]
        : [object description];
    return [text rangeOfString:secret].location != NSNotFound;
}

/* Collects asynchronous outcomes from worker threads and lets the test thread wait for them. */
@interface CTAsyncCollector : NSObject <ClarifaiAppDelegate> {
@public
    NSCondition *_condition;
    NSMutableArray *_outcomes;
    BOOL _raise;
    BOOL _sawForeignThread;
}
- (BOOL)waitForCount:(NSUInteger)count seconds:(NSTimeInterval)seconds;
@end

@implementation CTAsyncCollector

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

- (void)clarifaiApp:(ClarifaiApp *)app
    didCompleteCall:(ClarifaiCall *)call
           response:(ClarifaiResponse *)response
              error:(NSError *)error
{
    /* Foundation must work here: this is a native worker thread. */
    NSDictionary *outcome = [NSDictionary dictionaryWithObjectsAndKeys:
        call, @"call",
        response != nil ? (id)response : (id)error, @"outcome",
        app, @"app",
        nil];
    [_condition lock];
    if (![NSThread isMainThread]) {
        _sawForeignThread = YES;
    }
    [_outcomes addObject:outcome];
    [_condition broadcast];
    [_condition unlock];
    if (_raise) {
        [NSException raise:NSInternalInconsistencyException format:@"a delegate that raises"];
    }
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

@end

/* Counts deallocations, to show that releasing an app really frees it. */
static volatile int CountingAppDeallocs = 0;

@interface CTCountingApp : ClarifaiApp
@end

@implementation CTCountingApp
- (void)dealloc
{
    __sync_fetch_and_add(&CountingAppDeallocs, 1);
    [super dealloc];
}
@end

@interface ClarifaiAppTests : CTTestCase {
    CTEmulator *_emulator;
}
@end

@implementation ClarifaiAppTests

- (void)setUp
{
    _emulator = CTSharedEmulator();
}

- (ClarifaiAppOptions *)options
{
    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    [options setBaseURL:[_emulator url]];
    [options setMaxRetries:0];
    return options;
}

- (ClarifaiApp *)keyApp
{
    NSError *error = nil;
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:[self options]
                                                      error:&error] autorelease];
    CTAssertNotNil(app, @"%@", [error localizedDescription]);
    return app;
}

- (ClarifaiApp *)patApp
{
    NSError *error = nil;
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:[_emulator userID]
                                                   appID:[_emulator appID] options:[self options]
                                                   error:&error] autorelease];
    CTAssertNotNil(app, @"%@", [error localizedDescription]);
    return app;
}

/* Initializers */

- (void)testDocumentedInitializerWithEnvironmentBaseURL
{
    /* The docs' form takes no options: the native library reads CLARIFAI_API_BASE. */
    setenv("CLARIFAI_API_BASE", [[[_emulator url] absoluteString] UTF8String], 1);
    ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey]];
    unsetenv("CLARIFAI_API_BASE");
    CTAssertNotNil(app);
    CTAssertEqual([app credentialKind], ClarifaiCredentialKindAPIKey);
    NSError *error = nil;
    ClarifaiResponse *response = [app callEndpoint:@"ListInputs"
                                            params:[NSDictionary dictionaryWithObject:[NSNumber numberWithInt:1]
                                                                               forKey:@"per_page"]
                                             error:&error];
    CTAssertNotNil(response, @"%@", [error localizedDescription]);
    CTAssertEqualObjects([response valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"], @"GET /v2/inputs");
    [app release];
}

- (void)testDocumentedInitializerReturnsNilOnBadKeys
{
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:(NSString *)nil]);
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:@""]);
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:@"has space"]);
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:@"line\nbreak"]);
}

- (void)testApiKeyInitializerErrors
{
    NSError *error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:(NSString *)nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiResultNameErrorKey], @"CLARIFAI_RESULT_NULL_ARGUMENT");

    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:@"" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    NSString *spaced = [Canary stringByAppendingString:@" x"];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:spaced error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertFalse(Leaks(error, Canary), @"the refused key is in the error");

    /* -UTF8String would silently cut this key at the NUL; it is refused instead. */
    unichar chars[] = { 'a', 'b', 0, 'c' };
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[NSString stringWithCharacters:chars length:4] error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:(NSString *)[NSNumber numberWithInt:7] error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    /* A NULL error pointer is allowed everywhere. */
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:@"" error:NULL]);
}

- (void)testPATInitializer
{
    ClarifaiApp *app = [self patApp];
    CTAssertEqual([app credentialKind], ClarifaiCredentialKindPAT);
    NSError *error = nil;
    ClarifaiResponse *response = [app callEndpoint:@"ListInputs" params:nil error:&error];
    CTAssertNotNil(response, @"%@", [error localizedDescription]);
    NSString *route = [NSString stringWithFormat:@"GET /v2/users/%@/apps/%@/inputs", [_emulator userID], [_emulator appID]];
    CTAssertEqualObjects([response valueForHTTPHeaderField:@"x-clarifai-emulator-route"], route);
    CTAssertFalse(Leaks(app, [_emulator pat]));
}

- (void)testPATInitializerNilAndEmptyArguments
{
    NSError *error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:(NSString *)nil userID:@"me" appID:@"a" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"pat"].location != NSNotFound);
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:(NSString *)nil appID:@"a" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"userID"].location != NSNotFound);
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:@"me" appID:(NSString *)nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:@"" userID:@"me" appID:@"a" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:@"" appID:@"" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertFalse(Leaks(error, [_emulator pat]));
}

- (void)testAppFromEnvironment
{
    unsetenv("CLARIFAI_PAT");
    unsetenv("CLARIFAI_API_KEY");
    unsetenv("CLARIFAI_USER_ID");
    unsetenv("CLARIFAI_APP_ID");
    NSError *error = nil;
    CTAssertNil([ClarifaiApp appFromEnvironment:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorMissingConfig);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"CLARIFAI_"].location != NSNotFound,
                 @"%@", [error localizedDescription]);

    setenv("CLARIFAI_PAT", [[_emulator pat] UTF8String], 1);
    setenv("CLARIFAI_USER_ID", [[_emulator userID] UTF8String], 1);
    setenv("CLARIFAI_APP_ID", [[_emulator appID] UTF8String], 1);
    setenv("CLARIFAI_API_BASE", [[[_emulator url] absoluteString] UTF8String], 1);
    error = nil;
    ClarifaiApp *app = [ClarifaiApp appFromEnvironment:&error];
    unsetenv("CLARIFAI_PAT");
    unsetenv("CLARIFAI_USER_ID");
    unsetenv("CLARIFAI_APP_ID");
    unsetenv("CLARIFAI_API_BASE");
    CTAssertNotNil(app, @"%@", [error localizedDescription]);
    CTAssertEqual([app credentialKind], ClarifaiCredentialKindPAT);
    CTAssertNotNil([app callEndpoint:@"ListInputs" params:nil error:&error], @"%@", [error localizedDescription]);

    /* Options win over the environment. */
    setenv("CLARIFAI_API_KEY", [[_emulator apiKey] UTF8String], 1);
    setenv("CLARIFAI_API_BASE", "http://127.0.0.1:1", 1);
    error = nil;
    app = [ClarifaiApp appFromEnvironmentWithOptions:[self options] error:&error];
    unsetenv("CLARIFAI_API_KEY");
    unsetenv("CLARIFAI_API_BASE");
    CTAssertNotNil(app, @"%@", [error localizedDescription]);
    CTAssertEqual([app credentialKind], ClarifaiCredentialKindAPIKey);
    CTAssertNotNil([app callEndpoint:@"ListInputs" params:nil error:&error], @"%@", [error localizedDescription]);
}

/* Options */

- (void)testOptionsDefaultsAndCopies
{
    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    CTAssertNil([options baseURL]);
    CTAssertTrue([options timeout] == 60.0);
    CTAssertTrue([options connectTimeout] == 10.0);
    CTAssertEqual([options maxRetries], 2);
    CTAssertEqual([options maxConcurrency], 128);

    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:NULL] autorelease];
    [options setMaxRetries:5];
    CTAssertEqual([[app options] maxRetries], 2, @"the app copies its options");
}

- (void)testBadOptionsFailTheInitializer
{
    ClarifaiAppOptions *options = [self options];
    NSError *error = nil;
    [options setTimeout:-1];
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    options = [self options];
    [options setMaxConcurrency:0];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    options = [self options];
    [options setBaseURL:[NSURL URLWithString:@"http://example.com"]];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertTrue(error != nil && [error code] != 0, @"plain http to a remote host is refused");

    options = [self options];
    [options setCAFile:@"/nonexistent/ca.pem"];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:@"me" appID:@"a" options:options error:&error]);
    CTAssertTrue([[error domain] isEqualToString:ClarifaiErrorDomain], @"%@", error);
    CTAssertFalse(Leaks(error, [_emulator pat]));
}

- (void)testConnectTimeoutAndIOErrors
{
    ClarifaiAppOptions *options = [self options];
    [options setBaseURL:[NSURL URLWithString:@"http://127.0.0.1:1"]];
    [options setConnectTimeout:2];
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:NULL] autorelease];
    NSError *error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorConnect);
    CTAssertNil([[error userInfo] objectForKey:ClarifaiHTTPStatusErrorKey], @"no answer, no HTTP status");

    options = [self options];
    [options setTimeout:0.3];
    app = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:NULL] autorelease];
    error = nil;
    NSDate *start = [NSDate date];
    CTAssertNil([app callEndpoint:@"GetWorkflow" params:[NSDictionary dictionaryWithObject:@"w" forKey:@"workflow_id"]
                            error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorTimeout);
    CTAssertTrue(-[start timeIntervalSinceNow] < 2.5, @"the timeout fired late");

    error = nil;
    CTAssertNil([[self keyApp] callEndpoint:@"ListAnnotations" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorIO);
}

/* Calls and responses */

- (void)testResponseFields
{
    NSError *error = nil;
    ClarifaiResponse *response = [[self keyApp] callEndpoint:@"ListInputs"
                                                      params:[NSDictionary dictionaryWithObject:[NSNumber numberWithInt:1]
                                                                                         forKey:@"per_page"]
                                                       error:&error];
    CTAssertNotNil(response, @"%@", [error localizedDescription]);
    CTAssertEqual([response httpStatus], 200);
    CTAssertEqual([response statusCode], 10000);
    CTAssertTrue([[response statusDescription] length] > 0);
    CTAssertTrue([[response reqID] length] > 0);
    CTAssertEqualObjects([[[response body] objectForKey:@"status"] objectForKey:@"code"], [NSNumber numberWithInt:10000]);
    CTAssertTrue([[[response body] objectForKey:@"inputs"] isKindOfClass:[NSArray class]]);
    CTAssertTrue([[response JSONString] hasPrefix:@"{"]);
    CTAssertNil([response valueForHTTPHeaderField:@"X-No-Such-Header"]);
    CTAssertNil([response valueForHTTPHeaderField:(NSString *)nil]);
}

- (void)testRawRequest
{
    NSError *error = nil;
    ClarifaiApp *app = [self keyApp];
    ClarifaiResponse *response = [app requestWithMethod:@"GET" path:@"/v2/inputs?per_page=1" body:nil error:&error];
    CTAssertNotNil(response, @"%@", [error localizedDescription]);
    CTAssertEqualObjects([response valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"], @"GET /v2/inputs");

    error = nil;
    CTAssertNil([app requestWithMethod:@"FETCH" path:@"/v2/inputs" body:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([app requestWithMethod:@"GET" path:@"v2/inputs" body:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([app requestWithMethod:(NSString *)nil path:@"/v2/inputs" body:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app requestWithMethod:@"GET" path:(NSString *)nil body:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app requestWithMethod:@"POST" path:@"/v2/inputs"
                                  body:(NSDictionary *)@"not a dictionary" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
}

- (void)testCallArgumentErrors
{
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    CTAssertNil([app callEndpoint:(NSString *)nil params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app callEndpoint:@"" params:nil error:&error]);
    CTAssertTrue(error != nil && ([error code] == ClarifaiErrorInvalidArgument || [error code] == ClarifaiErrorUnknownEndpoint),
                 @"%@", error);
    error = nil;
    CTAssertNil([app callEndpoint:@"NoSuchRpc" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorUnknownEndpoint);
    error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs"
                           params:[NSDictionary dictionaryWithObject:[NSDate date] forKey:@"when"]
                            error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([app callEndpoint:@"GetInput" params:[NSDictionary dictionary] error:&error],
                @"a path field is missing");
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    /* Nothing above may have crashed, and a NULL error pointer is fine. */
    CTAssertNil([app callEndpoint:(NSString *)nil params:nil error:NULL]);
}

- (void)testAPIErrorsCarryTheStatus
{
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:Canary options:[self options] error:NULL] autorelease];
    CTAssertNotNil(app);
    NSError *error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorKeyNotFound);
    NSDictionary *info = [error userInfo];
    CTAssertEqualObjects([info objectForKey:ClarifaiStatusCodeErrorKey], [NSNumber numberWithInt:11009]);
    CTAssertEqualObjects([info objectForKey:ClarifaiHTTPStatusErrorKey], [NSNumber numberWithInt:401]);
    CTAssertEqualObjects([info objectForKey:ClarifaiStatusDescriptionErrorKey], @"API key not found");
    CTAssertTrue([[info objectForKey:ClarifaiRequestIDErrorKey] length] > 0);
    CTAssertEqualObjects([info objectForKey:ClarifaiResultNameErrorKey], @"CLARIFAI_RESULT_KEY_NOT_FOUND");
    CTAssertTrue([[error localizedDescription] length] > 0);
    CTAssertEqualObjects([[info objectForKey:ClarifaiResponseHeadersErrorKey] valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"],
                         @"GET /v2/inputs");
    CTAssertFalse(Leaks(error, Canary), @"the unknown key is in the error");
    CTAssertFalse(Leaks(error, @"CANARY"));

    error = nil;
    CTAssertNil([[self keyApp] callEndpoint:@"ListDatasets" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorThrottled);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiRetryAfterErrorKey], [NSNumber numberWithInt:7]);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiHTTPStatusErrorKey], [NSNumber numberWithInt:429]);

    error = nil;
    CTAssertNil([[self keyApp] callEndpoint:@"ListTasks" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorAPI);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiStatusCodeErrorKey], [NSNumber numberWithInt:98004]);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiHTTPStatusErrorKey], [NSNumber numberWithInt:500]);
    CTAssertNil([[error userInfo] objectForKey:ClarifaiMissingScopesErrorKey]);

    /* Key management with an app key is refused before any request. */
    error = nil;
    CTAssertNil([[self keyApp] listKeysWithError:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorPATRequired);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"Personal Access Token"].location != NSNotFound, @"%@", error);

    /* The server's own refusal of an app key on a PAT-only endpoint. */
    error = nil;
    NSDictionary *me = [NSDictionary dictionaryWithObject:[NSDictionary dictionaryWithObject:[_emulator userID] forKey:@"user_id"]
                                                   forKey:@"user_app_id"];
    CTAssertNil([[self keyApp] callEndpoint:@"ListKeys" params:me error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorPATRequired);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiStatusCodeErrorKey], [NSNumber numberWithInt:11200]);
}

- (void)testInsufficientScopesNameWhatIsMissing
{
    NSError *error = nil;
    ClarifaiApp *pat = [self patApp];
    ClarifaiKey *key = [pat createKeyWithDescription:@"objc read only"
                                              scopes:[NSArray arrayWithObject:@"Inputs:Get"]
                                           endpoints:nil
                                               appID:[_emulator appID]
                                              userID:nil
                                               error:&error];
    CTAssertNotNil(key, @"%@", [error localizedDescription]);
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[key keyID] options:[self options] error:&error] autorelease];
    error = nil;
    CTAssertNil([app callEndpoint:@"PostInputs" params:[NSDictionary dictionaryWithObject:[NSArray array] forKey:@"inputs"]
                            error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInsufficientScopes);
    NSArray *missing = [[error userInfo] objectForKey:ClarifaiMissingScopesErrorKey];
    CTAssertTrue([missing containsObject:@"Inputs:Add"], @"%@", missing);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiStatusCodeErrorKey], [NSNumber numberWithInt:11007]);
    CTAssertFalse(Leaks(error, [key keyID]));
    [pat deleteKeyWithID:[key keyID] error:NULL];
}

/* Per-request credentials */

- (void)testPerRequestCredentialsShareThePool
{
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    ClarifaiApp *other = [app appWithApiKey:Canary error:&error];
    CTAssertNotNil(other, @"%@", [error localizedDescription]);
    CTAssertTrue(other != app);
    CTAssertNil([other callEndpoint:@"ListInputs" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorKeyNotFound);
    error = nil;
    CTAssertNotNil([app callEndpoint:@"ListInputs" params:nil error:&error], @"the original keeps its key: %@", error);
    CTAssertEqual([[other options] maxRetries], 0, @"settings are shared");

    ClarifaiApp *asPAT = [app appWithPAT:[_emulator pat] userID:[_emulator userID] appID:[_emulator appID] error:&error];
    CTAssertNotNil(asPAT, @"%@", [error localizedDescription]);
    CTAssertEqual([asPAT credentialKind], ClarifaiCredentialKindPAT);
    CTAssertNotNil([asPAT listKeysWithError:&error], @"%@", [error localizedDescription]);

    error = nil;
    CTAssertNil([app appWithApiKey:(NSString *)nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app appWithApiKey:@"" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([app appWithPAT:[_emulator pat] userID:(NSString *)nil appID:@"x" error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);

    /* A derived app outlives its parent. */
    ClarifaiApp *parent = [[ClarifaiApp alloc] initWithApiKey:Canary options:[self options] error:NULL];
    ClarifaiApp *child = [[parent appWithApiKey:[_emulator apiKey] error:&error] retain];
    [parent release];
    CTAssertNotNil([child callEndpoint:@"ListInputs" params:nil error:&error], @"%@", error);
    [child release];
}

/* Scopes */

- (void)testMyScopesAndPreflight
{
    NSError *error = nil;
    ClarifaiApp *pat = [self patApp];
    ClarifaiKey *key = [pat createKeyWithDescription:@"objc preflight"
                                              scopes:ReadScopes()
                                           endpoints:nil
                                               appID:[_emulator appID]
                                              userID:nil
                                               error:&error];
    CTAssertNotNil(key, @"%@", [error localizedDescription]);
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[key keyID] options:[self options] error:NULL] autorelease];

    ClarifaiScopes *scopes = [app myScopesWithError:&error];
    CTAssertNotNil(scopes, @"%@", [error localizedDescription]);
    CTAssertTrue([[scopes scopes] containsObject:@"Inputs:Get"], @"%@", scopes);
    CTAssertTrue([[scopes grantedScopes] containsObject:@"Concepts:Get"], @"%@", scopes);
    CTAssertFalse([[scopes scopes] containsObject:@"Inputs:Add"], @"%@", scopes);
    CTAssertEqualObjects([scopes app], [ClarifaiUserAppIDSet setWithUserID:[_emulator userID] appID:[_emulator appID]]);

    NSArray *missing = [NSArray arrayWithObject:@"stale"];
    NSString *endpoint = @"stale";
    CTAssertTrue([app canCallEndpoint:@"ListInputs" missingScopes:&missing missingEndpoint:&endpoint]);
    CTAssertEqual([missing count], 0);
    CTAssertNil(endpoint);

    CTAssertFalse([app canCallEndpoint:@"PostInputs" missingScopes:&missing missingEndpoint:&endpoint error:&error]);
    CTAssertTrue([missing containsObject:@"Inputs:Add"], @"%@", missing);
    CTAssertClarifaiError(error, ClarifaiErrorInsufficientScopes);
    CTAssertNil([[error userInfo] objectForKey:ClarifaiStatusCodeErrorKey], @"the server was not asked");

    error = nil;
    CTAssertFalse([app canCallEndpoint:@"ListKeys" missingScopes:&missing missingEndpoint:&endpoint error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorPATRequired);
    CTAssertEqual([missing count], 0);

    error = nil;
    CTAssertFalse([app canCallEndpoint:@"NoSuchRpc" missingScopes:NULL missingEndpoint:NULL error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorUnknownEndpoint);
    CTAssertFalse([app canCallEndpoint:(NSString *)nil missingScopes:&missing missingEndpoint:&endpoint]);
    CTAssertNil(missing);

    /* An endpoint-limited key names the missing endpoint grant (MyScopes is in its list, since
     * the preflight asks it). */
    ClarifaiKey *limited = [pat createKeyWithDescription:@"objc predict only"
                                                  scopes:[NSArray arrayWithObject:@"All"]
                                               endpoints:[NSArray arrayWithObjects:@"PostModelOutputs", @"MyScopes", nil]
                                                   appID:[_emulator appID]
                                                  userID:nil
                                                   error:&error];
    CTAssertNotNil(limited, @"%@", [error localizedDescription]);
    ClarifaiApp *predictOnly = [[[ClarifaiApp alloc] initWithApiKey:[limited keyID] options:[self options] error:NULL] autorelease];
    CTAssertFalse([predictOnly canCallEndpoint:@"ListInputs" missingScopes:&missing missingEndpoint:&endpoint]);
    CTAssertEqualObjects(endpoint, @"/clarifai.api.V2/ListInputs");
    CTAssertTrue([predictOnly canCallEndpoint:@"PostModelOutputs" missingScopes:NULL missingEndpoint:NULL]);

    /* Without MyScopes in its list the preflight cannot learn the scopes: that is an error of
     * the check, not a denial of the endpoint asked about, so nothing is reported missing. */
    ClarifaiKey *blind = [pat createKeyWithDescription:@"objc predict without MyScopes"
                                                scopes:[NSArray arrayWithObject:@"All"]
                                             endpoints:[NSArray arrayWithObject:@"PostModelOutputs"]
                                                 appID:[_emulator appID]
                                                userID:nil
                                                 error:&error];
    ClarifaiApp *blindApp = [[[ClarifaiApp alloc] initWithApiKey:[blind keyID] options:[self options] error:NULL] autorelease];
    error = nil;
    CTAssertFalse([blindApp canCallEndpoint:@"ListInputs" missingScopes:&missing missingEndpoint:&endpoint error:&error]);
    CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiStatusCodeErrorKey], [NSNumber numberWithInt:11007],
                         @"the server refused MyScopes");
    CTAssertNil(missing);
    CTAssertNil(endpoint);

    [pat deleteKeyWithID:[key keyID] error:NULL];
    [pat deleteKeyWithID:[limited keyID] error:NULL];
    [pat deleteKeyWithID:[blind keyID] error:NULL];
}

- (void)testGrpcMetadata
{
    NSError *error = nil;
    NSString *metadata = [[self keyApp] grpcMetadataWithError:&error];
    CTAssertNotNil(metadata, @"%@", [error localizedDescription]);
    CTAssertTrue([metadata isEqualToString:[@"Key " stringByAppendingString:[_emulator apiKey]]],
                 @"the value is Key and the token");
}

/* Key management */

- (void)testKeyLifecycleAndRotation
{
    NSError *error = nil;
    ClarifaiApp *pat = [self patApp];
    ClarifaiKey *key = [pat createKeyWithDescription:@"objc rotation"
                                              scopes:ReadScopes()
                                           endpoints:[NSArray arrayWithObject:@"ListInputs"]
                                               appID:[_emulator appID]
                                              userID:nil
                                               error:&error];
    CTAssertNotNil(key, @"%@", [error localizedDescription]);
    if (key == nil) {
        return;
    }
    CTAssertEqualObjects([key keyDescription], @"objc rotation");
    CTAssertTrue([[key scopes] containsObject:@"Inputs:Get"], @"%@", key);
    CTAssertEqualObjects([key apps], [NSArray arrayWithObject:[ClarifaiUserAppIDSet setWithUserID:[_emulator userID]
                                                                                             appID:[_emulator appID]]]);
    CTAssertFalse(Leaks(key, [key keyID]), @"a key's description shows its secret");

    NSArray *keys = [pat listKeysWithError:&error];
    CTAssertTrue([keys containsObject:key], @"the new key is listed");

    ClarifaiApp *old = [[[ClarifaiApp alloc] initWithApiKey:[key keyID] options:[self options] error:NULL] autorelease];
    CTAssertNotNil([old callEndpoint:@"ListInputs" params:nil error:&error], @"%@", error);

    ClarifaiKey *rotated = [pat rotateKeyWithID:[key keyID] error:&error];
    CTAssertNotNil(rotated, @"%@", [error localizedDescription]);
    CTAssertFalse([[rotated keyID] isEqualToString:[key keyID]]);
    CTAssertEqualObjects([rotated keyDescription], [key keyDescription]);
    CTAssertEqualObjects([rotated scopes], [key scopes]);
    CTAssertEqualObjects([rotated endpoints], [key endpoints]);
    CTAssertEqualObjects([rotated apps], [key apps]);

    error = nil;
    CTAssertNil([old callEndpoint:@"ListInputs" params:nil error:&error], @"the old key was deleted");
    CTAssertClarifaiError(error, ClarifaiErrorKeyNotFound);
    ClarifaiApp *fresh = [old appWithApiKey:[rotated keyID] error:&error];
    CTAssertNotNil([fresh callEndpoint:@"ListInputs" params:nil error:&error], @"%@", error);

    keys = [pat listKeysWithError:&error];
    CTAssertTrue([keys containsObject:rotated]);
    CTAssertFalse([keys containsObject:key]);

    CTAssertTrue([pat deleteKeyWithID:[rotated keyID] error:&error], @"%@", error);
    CTAssertFalse([[pat listKeysWithError:&error] containsObject:rotated]);
    error = nil;
    CTAssertFalse([pat deleteKeyWithID:[rotated keyID] error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNotFound);
    error = nil;
    CTAssertNil([pat rotateKeyWithID:[rotated keyID] error:&error]);
    CTAssertTrue(error != nil);
    CTAssertFalse(Leaks(error, [rotated keyID]));
}

- (void)testKeyManagementArgumentErrors
{
    ClarifaiApp *pat = [self patApp];
    NSError *error = nil;
    CTAssertNil([pat createKeyWithDescription:@"x" scopes:(NSArray *)nil endpoints:nil appID:[_emulator appID]
                                       userID:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([pat createKeyWithDescription:@"x" scopes:[NSArray arrayWithObject:@"Inputs:Frobnicate"] endpoints:nil
                                        appID:[_emulator appID] userID:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([pat createKeyWithDescription:(NSString *)nil scopes:[NSArray array] endpoints:nil
                                        appID:[_emulator appID] userID:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([pat createKeyWithDescription:@"x" scopes:[NSArray arrayWithObject:@"All"] endpoints:nil
                                        appID:(NSString *)nil userID:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertFalse([pat deleteKeyWithID:(NSString *)nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([pat rotateKeyWithID:@"" error:&error]);
    CTAssertTrue(error != nil);
    error = nil;
    CTAssertNil([pat createAppWithID:(NSString *)nil description:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);

    /* App keys may not manage keys or apps: refused before any request. */
    error = nil;
    CTAssertNil([[self keyApp] createAppWithID:@"objc-nope" description:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorPATRequired);
    error = nil;
    CTAssertNil([[self keyApp] rotateKeyWithID:[_emulator apiKey] error:&error]);
    CTAssertTrue(error != nil);
    CTAssertFalse(Leaks(error, [_emulator apiKey]));
}

- (void)testCreateApp
{
    NSError *error = nil;
    NSString *appID = [NSString stringWithFormat:@"objc-app-%d", (int)getpid()];
    ClarifaiResponse *response = [[self patApp] createAppWithID:appID description:@"from the ObjC tests" error:&error];
    CTAssertNotNil(response, @"%@", [error localizedDescription]);
    CTAssertEqual([response statusCode], 10000);
    ClarifaiApp *there = [[self patApp] appWithPAT:[_emulator pat] userID:@"me" appID:appID error:&error];
    CTAssertNotNil([there callEndpoint:@"ListInputs" params:nil error:&error], @"%@", error);
}

/* callMany */

- (void)testCallManyKeepsOrderAndFailsCallsAlone
{
    NSError *error = nil;
    NSDictionary *perPage = [NSDictionary dictionaryWithObject:[NSNumber numberWithInt:1] forKey:@"per_page"];
    NSArray *calls = [NSArray arrayWithObjects:
        [ClarifaiCall callWithEndpoint:@"ListInputs" params:perPage],
        [ClarifaiCall callWithEndpoint:@"NoSuchRpc" params:nil],
        [ClarifaiCall callWithEndpoint:@"ListInputs" params:[NSDictionary dictionaryWithObject:[NSDate date] forKey:@"d"]],
        [ClarifaiCall callWithEndpoint:(NSString *)nil params:nil],
        [ClarifaiCall callWithEndpoint:@"ListDatasets" params:nil],
        [ClarifaiCall callWithEndpoint:@"GetInputCount" params:nil],
        nil];
    NSArray *results = [[self keyApp] callMany:calls error:&error];
    CTAssertNotNil(results, @"%@", [error localizedDescription]);
    CTAssertEqual([results count], [calls count]);
    if ([results count] != [calls count]) {
        return;
    }
    for (NSUInteger i = 0; i < [calls count]; i++) {
        CTAssertTrue([At(results, i) call] == [calls objectAtIndex:i], @"result %lu is out of order", (unsigned long)i);
    }
    ClarifaiCallResult *first = At(results, 0);
    CTAssertNotNil([first response], @"%@", [first error]);
    CTAssertNil([first error]);
    CTAssertEqualObjects([[first response] valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"], @"GET /v2/inputs");
    CTAssertClarifaiError([At(results, 1) error], ClarifaiErrorUnknownEndpoint);
    CTAssertClarifaiError([At(results, 2) error], ClarifaiErrorInvalidArgument);
    CTAssertClarifaiError([At(results, 3) error], ClarifaiErrorNullArgument);
    NSError *throttled = [At(results, 4) error];
    CTAssertClarifaiError(throttled, ClarifaiErrorThrottled);
    CTAssertEqualObjects([[[throttled userInfo] objectForKey:ClarifaiResponseHeadersErrorKey]
                             valueForHTTPHeaderField:@"Retry-After"], @"7");
    CTAssertEqualObjects([[At(results, 5) response] valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"],
                         @"GET /v2/inputs/status");

    /* Borrowed results stay valid after the batch's other results are gone. */
    ClarifaiResponse *kept = [[first response] retain];
    results = nil;
    CTAssertEqual([kept statusCode], 10000);
    [kept release];
}

- (void)testCallManyEdgeCases
{
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    NSArray *results = [app callMany:[NSArray array] error:&error];
    CTAssertNotNil(results, @"%@", error);
    CTAssertEqual([results count], 0);

    CTAssertNil([app callMany:(NSArray *)nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app callMany:[NSArray arrayWithObject:@"ListInputs"] error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    NSMutableArray *many = [NSMutableArray array];
    for (int i = 0; i < 40; i++) {
        [many addObject:[ClarifaiCall callWithEndpoint:@"ListInputs" params:nil]];
    }
    results = [app callMany:many error:&error];
    NSUInteger ok = 0;
    for (NSUInteger i = 0; i < [results count]; i++) {
        ok += [At(results, i) response] != nil;
    }
    CTAssertEqual(ok, 40);
}

/* Asynchronous calls */

- (void)testAsyncDelegate
{
    CTAsyncCollector *collector = [[[CTAsyncCollector alloc] init] autorelease];
    NSError *error = nil;
    ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:[self options] error:&error];
    ClarifaiApp *bad = [app appWithApiKey:Canary error:&error];
    ClarifaiCall *good = [app callEndpoint:@"ListInputs" params:nil delegate:collector error:&error];
    CTAssertNotNil(good, @"%@", error);
    ClarifaiCall *denied = [bad callEndpoint:@"ListInputs" params:nil delegate:collector error:&error];
    CTAssertNotNil(denied, @"%@", error);
    NSUInteger started = 2;
    for (int i = 0; i < 30; i++) {
        if ([app callEndpoint:@"GetInputCount" params:nil delegate:collector error:&error] != nil) {
            started++;
        }
    }
    CTAssertEqual(started, 32);
    /* The app may go while its calls are queued: they keep what they need alive. */
    [app release];

    CTAssertTrue([collector waitForCount:started seconds:20], @"only %lu of %lu outcomes arrived",
                 (unsigned long)[collector->_outcomes count], (unsigned long)started);
    CTAssertTrue(collector->_sawForeignThread, @"outcomes arrive on a worker thread");
    NSUInteger successes = 0;
    [collector->_condition lock];
    NSEnumerator *e = [collector->_outcomes objectEnumerator];
    NSDictionary *outcome;
    while ((outcome = [e nextObject]) != nil) {
        id result = [outcome objectForKey:@"outcome"];
        if ([outcome objectForKey:@"call"] == denied) {
            CTAssertClarifaiError(result, ClarifaiErrorKeyNotFound);
            CTAssertFalse(Leaks(result, Canary));
        } else if ([result isKindOfClass:[ClarifaiResponse class]]) {
            successes++;
        } else {
            CTFail(@"call %@ failed: %@", [outcome objectForKey:@"call"], result);
        }
    }
    [collector->_condition unlock];
    CTAssertEqual(successes, 31);
}

- (void)testAsyncArgumentErrorsNeverCallTheDelegate
{
    CTAsyncCollector *collector = [[[CTAsyncCollector alloc] init] autorelease];
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil delegate:(id<ClarifaiAppDelegate>)nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app callEndpoint:(NSString *)nil params:nil delegate:collector error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:[NSDictionary dictionaryWithObject:[NSDate date] forKey:@"d"]
                         delegate:collector error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    /* An unknown endpoint fails either at once or through the delegate, never silently. */
    error = nil;
    ClarifaiCall *call = [app callEndpoint:@"NoSuchRpc" params:nil delegate:collector error:&error];
    if (call == nil) {
        CTAssertClarifaiError(error, ClarifaiErrorUnknownEndpoint);
    } else {
        CTAssertTrue([collector waitForCount:1 seconds:10]);
        CTAssertClarifaiError([[collector->_outcomes lastObject] objectForKey:@"outcome"], ClarifaiErrorUnknownEndpoint);
    }
    NSUInteger expected = call == nil ? 0 : 1;
    [NSThread sleepForTimeInterval:0.2];
    CTAssertEqual([collector->_outcomes count], expected, @"a call that did not start reached the delegate");
}

- (void)testAsyncDelegateThatRaisesDoesNotCrash
{
    CTAsyncCollector *collector = [[[CTAsyncCollector alloc] init] autorelease];
    collector->_raise = YES;
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    CTAssertNotNil([app callEndpoint:@"ListInputs" params:nil delegate:collector error:&error]);
    CTAssertNotNil([app callEndpoint:@"ListInputs" params:nil delegate:collector error:&error]);
    CTAssertTrue([collector waitForCount:2 seconds:10]);
    CTAssertNotNil([app callEndpoint:@"ListInputs" params:nil error:&error], @"the app still works: %@", error);
}

/* Lifetime */

- (void)testThousandAppsAreFreed
{
    CountingAppDeallocs = 0;
    NSError *error = nil;
    for (int i = 0; i < 1000; i++) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        CTCountingApp *app = [[CTCountingApp alloc] initWithApiKey:[_emulator apiKey] options:[self options] error:&error];
        if (app == nil) {
            CTFail(@"app %d: %@", i, error);
            [pool release];
            break;
        }
        /* Half of them derive a second app sharing the pool, released first or last. */
        if (i % 2 == 0) {
            ClarifaiApp *derived = [app appWithApiKey:Canary error:NULL];
            CTAssertTrue([derived isKindOfClass:[CTCountingApp class]]);
        }
        [app release];
        [pool release];
    }
    CTAssertEqual(CountingAppDeallocs, 1500);

    /* Failing initializers release what alloc made. */
    CountingAppDeallocs = 0;
    for (int i = 0; i < 100; i++) {
        CTAssertNil([[CTCountingApp alloc] initWithApiKey:@"" error:NULL]);
    }
    CTAssertEqual(CountingAppDeallocs, 100);
}

- (void)testValueClasses
{
    ClarifaiUserAppIDSet *a = [ClarifaiUserAppIDSet setWithUserID:@"me" appID:@"main"];
    ClarifaiUserAppIDSet *b = [[[ClarifaiUserAppIDSet alloc] initWithUserID:@"me" appID:@"main"] autorelease];
    ClarifaiUserAppIDSet *c = [ClarifaiUserAppIDSet setWithUserID:@"me" appID:@"other"];
    CTAssertEqualObjects(a, b);
    CTAssertEqual([a hash], [b hash]);
    CTAssertFalse([a isEqual:c]);
    CTAssertEqualObjects([[a copy] autorelease], a);
    CTAssertEqualObjects([a dictionaryRepresentation],
                         ([NSDictionary dictionaryWithObjectsAndKeys:@"me", @"user_id", @"main", @"app_id", nil]));

    /* A user_app_id from the value class routes the call. */
    NSError *error = nil;
    ClarifaiUserAppIDSet *demo = [ClarifaiUserAppIDSet setWithUserID:[_emulator userID] appID:[_emulator appID]];
    ClarifaiResponse *response = [[self keyApp] callEndpoint:@"ListInputs"
                                                      params:[NSDictionary dictionaryWithObject:[demo dictionaryRepresentation]
                                                                                         forKey:@"user_app_id"]
                                                       error:&error];
    CTAssertNotNil(response, @"%@", error);
    CTAssertTrue([[response valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"] hasPrefix:@"GET /v2/users/"]);

    CTAssertTrue([[ClarifaiApp libraryVersion] length] > 0);
    CTAssertFalse(Leaks([self keyApp], [_emulator apiKey]));
}

@end
