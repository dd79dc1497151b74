/*
 * ClarifaiApp against the emulator: initializers, options, calls, JSON, every error path, nil
 * and empty arguments, per-request credentials, scopes, key management, callMany, asynchronous
 * calls and the lifetime of native handles. (Cancellation: CancellationTests.m; secrets:
 * SecretTests.m.)
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "CTCollector.h"
#import "CTSecrets.h"
#import "Clarifai.h"

#include "clarifai.h"

#include <locale.h>
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
    CTAssertFalse(CTLeaks(error, Canary), @"the refused key is in the error");

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
    CTAssertFalse(CTLeaks(app, [_emulator pat]));
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
    CTAssertFalse(CTLeaks(error, [_emulator pat]));
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
    /* A fresh options object reads as the library's defaults, from clarifai.h's macros. */
    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    CTAssertNil([options baseURL]);
    CTAssertTrue([options timeout] * 1000.0 == CLARIFAI_DEFAULT_TIMEOUT_MS);
    CTAssertTrue([options connectTimeout] * 1000.0 == CLARIFAI_DEFAULT_CONNECT_TIMEOUT_MS);
    CTAssertEqual([options maxRetries], CLARIFAI_DEFAULT_MAX_RETRIES);
    CTAssertEqual([options maxConcurrency], CLARIFAI_DEFAULT_MAX_CONCURRENCY);
    CTAssertEqual([options maxResponseBytes], CLARIFAI_DEFAULT_MAX_RESPONSE_BYTES);
    CTAssertNil([options proxyURL]);
    CTAssertTrue([options proxyFromEnvironment]);
    CTAssertFalse([options HTTP2PriorKnowledge]);
    CTAssertFalse([options allowInsecureHTTP]);

    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:NULL] autorelease];
    [options setMaxRetries:5];
    CTAssertEqual([[app options] maxRetries], CLARIFAI_DEFAULT_MAX_RETRIES, @"the app copies its options");
    ClarifaiAppOptions *copy = [[options copy] autorelease];
    CTAssertEqual([copy maxRetries], 5);
}

/* Bad values are the library's to refuse, when the app is made, with its own error: the same
 * setting gives the same result in every language. */
- (void)testBadOptionsFailTheInitializerWithTheLibrarysError
{
    NSError *error = nil;
    ClarifaiAppOptions *options = [self options];
    [options setTimeout:-1];
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"timeout"].location != NSNotFound, @"%@", error);

    options = [self options];
    [options setTimeout:0.0001];
    error = nil;
    CTAssertNotNil([[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease],
                   @"a small positive timeout rounds up to 1 ms, not down to the refused 0: %@", error);

    options = [self options];
    [options setMaxConcurrency:0];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"concurrency"].location != NSNotFound, @"%@", error);

    options = [self options];
    [options setMaxRetries:CLARIFAI_MAX_RETRIES_LIMIT + 1];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    options = [self options];
    [options setMaxRetries:CLARIFAI_MAX_RETRIES_LIMIT];
    CTAssertNotNil([[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:NULL] autorelease]);

    options = [self options];
    [options setMaxResponseBytes:0];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    options = [self options];
    [options setUserAgent:@"two\nlines"];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    options = [self options];
    [options setBaseURL:[NSURL URLWithString:@"http://example.com"]];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInsecureURL);
    CTAssertTrue([error isClarifaiErrorOfKind:ClarifaiErrorKindConfiguration]);
    [options setAllowInsecureHTTP:YES];
    error = nil;
    CTAssertNotNil([[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease],
                   @"%@", error);

    options = [self options];
    [options setProxyURL:[NSURL URLWithString:@"socks5://127.0.0.1:1080"]];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    options = [self options];
    [options setCAFile:@"/nonexistent/ca.pem"];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:@"me" appID:@"a" options:options error:&error]);
    CTAssertTrue([[error domain] isEqualToString:ClarifaiErrorDomain], @"%@", error);
    CTAssertFalse(CTLeaks(error, [_emulator pat]));

    /* Not even a string: refused here, since there is nothing to hand over. */
    options = [self options];
    [options setUserAgent:(NSString *)[NSNumber numberWithInt:3]];
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey]
                                            options:(ClarifaiAppOptions *)[NSArray array] error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
}

/* The emulator answers absolute-form requests, so it can stand in for an HTTP proxy: a base
 * URL nothing listens on is reached only through the proxy. */
- (void)testProxyOption
{
    ClarifaiAppOptions *options = [self options];
    [options setBaseURL:[NSURL URLWithString:@"http://127.0.0.1:1"]];
    [options setConnectTimeout:2];
    NSError *error = nil;
    ClarifaiApp *direct = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease];
    CTAssertNil([direct callEndpoint:@"ListInputs" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorConnect);

    [options setProxyURL:[_emulator url]];
    error = nil;
    ClarifaiApp *proxied = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease];
    ClarifaiResponse *response = [proxied callEndpoint:@"ListInputs" params:nil error:&error];
    CTAssertNotNil(response, @"through the proxy: %@", error);
    CTAssertEqualObjects([response valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"], @"GET /v2/inputs");
}

/* Proxies from the environment apply to hosts that are not loopback; 192.0.2.1 (TEST-NET-1,
 * documentation only) is reached only through one. An address, not a name: no resolver runs. */
- (void)testProxyFromEnvironmentOption
{
    NSURL *remote = [NSURL URLWithString:@"http://192.0.2.1"];
    setenv("http_proxy", [[[_emulator url] absoluteString] UTF8String], 1);
    ClarifaiAppOptions *options = [self options];
    [options setBaseURL:remote];
    [options setAllowInsecureHTTP:YES];
    [options setConnectTimeout:1];
    NSError *error = nil;
    ClarifaiApp *viaEnvironment = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease];
    [options setProxyFromEnvironment:NO];
    ClarifaiApp *ignoring = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease];
    unsetenv("http_proxy");

    error = nil;
    CTAssertNotNil([viaEnvironment callEndpoint:@"ListInputs" params:nil error:&error], @"%@", error);
    error = nil;
    CTAssertNil([ignoring callEndpoint:@"ListInputs" params:nil error:&error]);
    CTAssertTrue([error isClarifaiErrorOfKind:ClarifaiErrorKindTransport], @"%@", error);
}

- (void)testHTTP2PriorKnowledgeOption
{
    ClarifaiAppOptions *options = [self options];
    NSError *error = nil;
    ClarifaiApp *h1 = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease];
    [options setHTTP2PriorKnowledge:YES];
    ClarifaiApp *h2 = [[[ClarifaiApp alloc] initWithApiKey:[_emulator apiKey] options:options error:&error] autorelease];

    CTAssertNotNil([h1 callEndpoint:@"GetInputCount" params:nil error:&error], @"%@", error);
    CTAssertEqualObjects([[[_emulator requests] lastObject] objectForKey:@"http_version"], @"HTTP/1.1");
    CTAssertNotNil([h2 callEndpoint:@"GetInputCount" params:nil error:&error], @"%@", error);
    CTAssertEqualObjects([[[_emulator requests] lastObject] objectForKey:@"http_version"], @"HTTP/2");
}

- (void)testRuntimeWorkerThreads
{
    NSError *error = nil;
    /* This process's runtime runs already (earlier tests called); its count is the default. */
    CTAssertNotNil([[self keyApp] callEndpoint:@"GetInputCount" params:nil error:&error], @"%@", error);
    CTAssertTrue([ClarifaiApp setRuntimeWorkerThreads:CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS error:&error], @"%@", error);
    error = nil;
    CTAssertFalse([ClarifaiApp setRuntimeWorkerThreads:CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS + 1 error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorState);
    error = nil;
    CTAssertFalse([ClarifaiApp setRuntimeWorkerThreads:0 error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertFalse([ClarifaiApp setRuntimeWorkerThreads:CLARIFAI_MAX_RUNTIME_WORKER_THREADS + 1 error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);

    /* Before the first call of a process the count is taken: a fresh process shows it. */
    NSTask *task = [[[NSTask alloc] init] autorelease];
    NSPipe *output = [NSPipe pipe];
    [task setLaunchPath:[[[NSProcessInfo processInfo] arguments] objectAtIndex:0]];
    [task setArguments:[NSArray arrayWithObject:@"--runtime-threads-probe"]];
    [task setStandardOutput:output];
    [task launch];
    NSData *data = [[output fileHandleForReading] readDataToEndOfFile];
    [task waitUntilExit];
    NSString *text = [[[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding] autorelease];
    CTAssertTrue([text rangeOfString:@"before first call: ok\n"].location != NSNotFound, @"%@", text);
    CTAssertTrue([text rangeOfString:@"same count after: ok\n"].location != NSNotFound, @"%@", text);
    NSString *refused = [NSString stringWithFormat:@"other count after: refused %ld\n", (long)ClarifaiErrorState];
    CTAssertTrue([text rangeOfString:refused].location != NSNotFound, @"%@", text);
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
    CTAssertNil([app callEndpoint:@"ListInputs" params:(NSDictionary *)[NSArray array] error:&error]);
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
    CTAssertFalse(CTLeaks(error, Canary), @"the unknown key is in the error");
    CTAssertFalse(CTLeaks(error, @"CANARY"));

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
    CTAssertFalse(CTLeaks(error, [key keyID]));
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
    CTAssertEqual([[scopes endpointGrants] count], 0, @"no endpoint limit");
    CTAssertTrue([[scopes endpoints] containsObject:@"/clarifai.api.V2/ListInputs"], @"%@", [scopes endpoints]);
    CTAssertEqual([[scopes unknownScopes] count], 0);
    CTAssertTrue([scopes containsScope:@"Inputs:Get"]);
    CTAssertTrue([scopes containsScope:@"Inputs_Get"], @"the proto spelling");
    CTAssertFalse([scopes containsScope:@"Inputs:Add"]);
    CTAssertFalse([scopes containsScope:@"No:Such"]);
    CTAssertFalse([scopes containsScope:(NSString *)nil]);

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
    NSArray *grants = [[predictOnly myScopesWithError:&error] endpointGrants];
    CTAssertTrue([grants containsObject:@"/clarifai.api.V2/PostModelOutputs"] && [grants count] == 2, @"%@", grants);

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
    CTAssertFalse(CTLeaks(key, [key keyID]), @"a key's description shows its secret");
    CTAssertEqualObjects([key endpoints], [NSArray arrayWithObject:@"/clarifai.api.V2/ListInputs"]);

    NSArray *keys = [pat listKeysWithError:&error];
    CTAssertTrue([keys containsObject:key], @"the new key is listed");
    ClarifaiKey *listed = [keys objectAtIndex:[keys indexOfObject:key]];
    CTAssertTrue(listed != key && [listed hash] == [key hash]);
    CTAssertEqualObjects([listed keyID], [key keyID]);
    CTAssertEqualObjects([listed scopes], [key scopes]);
    CTAssertFalse(CTLeaks(keys, [key keyID]), @"a listed key's description shows its secret");
    /* A key borrowed from the list outlives the list's other keys and the array. */
    [listed retain];
    keys = nil;
    CTAssertEqualObjects([listed keyDescription], @"objc rotation");
    [listed autorelease];

    ClarifaiApp *old = [[[ClarifaiApp alloc] initWithApiKey:[key keyID] options:[self options] error:NULL] autorelease];
    CTAssertNotNil([old callEndpoint:@"ListInputs" params:nil error:&error], @"%@", error);

    ClarifaiKey *rotated = [pat rotateKeyWithID:[key keyID] error:&error];
    CTAssertNotNil(rotated, @"%@", [error localizedDescription]);
    CTAssertFalse([[rotated keyID] isEqualToString:[key keyID]]);
    CTAssertEqualObjects([rotated keyDescription], [key keyDescription]);
    CTAssertEqualObjects([rotated scopes], [key scopes]);
    CTAssertEqualObjects([rotated endpoints], [key endpoints]);
    CTAssertEqualObjects([rotated apps], [key apps]);
    CTAssertFalse(CTLeaks(rotated, [rotated keyID]));

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
    CTAssertFalse(CTLeaks(error, [rotated keyID]));
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
    CTAssertNil([pat createKeyWithDescription:@"x" scopes:[NSArray arrayWithObject:[NSNumber numberWithInt:1]]
                                    endpoints:nil appID:[_emulator appID] userID:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"scopes[0]"].location != NSNotFound, @"%@", error);
    error = nil;
    CTAssertNil([pat createKeyWithDescription:@"x" scopes:[NSArray arrayWithObject:@"All"]
                                    endpoints:(NSArray *)@"ListInputs" appID:[_emulator appID] userID:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    /* No description is allowed: the library sends none. */
    error = nil;
    ClarifaiKey *plain = [pat createKeyWithDescription:nil scopes:[NSArray arrayWithObject:@"Inputs_Get"] endpoints:[NSArray array]
                                                 appID:[_emulator appID] userID:nil error:&error];
    CTAssertNotNil(plain, @"%@", error);
    CTAssertEqualObjects([plain keyDescription], @"");
    CTAssertEqualObjects([plain scopes], [NSArray arrayWithObject:@"Inputs:Get"], @"docs spelling");
    CTAssertEqual([[plain endpoints] count], 0);
    [pat deleteKeyWithID:[plain keyID] error:NULL];
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
    CTAssertFalse(CTLeaks(error, [_emulator apiKey]));
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
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
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
            CTAssertFalse(CTLeaks(result, Canary));
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
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
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
    error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil options:(ClarifaiCallOptions *)@"fast"
                         delegate:collector error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    /* A delegate without the method for the call is refused before anything starts. */
    CTMuteDelegate *mute = [[[CTMuteDelegate alloc] init] autorelease];
    error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil delegate:mute error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"didCompleteCall"].location != NSNotFound, @"%@", error);
    error = nil;
    CTAssertNil([app callMany:[NSArray array] delegate:mute error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    error = nil;
    CTAssertNil([app callMany:(NSArray *)nil delegate:collector error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    error = nil;
    CTAssertNil([app callMany:[NSArray arrayWithObject:@"ListInputs"] delegate:collector error:&error]);
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
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
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
    CTAssertFalse(CTLeaks([self keyApp], [_emulator apiKey]));
}

/* JSON */

- (void)testJSONParamsAreCheckedBeforeFoundationWritesThem
{
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    /* GNUstep's writer would silently drop the date and send {"query": {"ands": []}}, a valid
     * search for everything. */
    NSDictionary *dated = [NSDictionary dictionaryWithObject:[NSDictionary dictionaryWithObject:[NSArray arrayWithObject:[NSDate date]]
                                                                                         forKey:@"ands"]
                                                      forKey:@"query"];
    CTAssertNil([app callEndpoint:@"PostSearches" params:dated error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"params[\"query\"][\"ands\"][0]"].location != NSNotFound
                 && [[error localizedDescription] rangeOfString:@"of class"].location != NSNotFound, @"%@", error);

    error = nil;
    CTAssertNil([app callEndpoint:@"PostSearches"
                           params:[NSDictionary dictionaryWithObject:[NSNumber numberWithDouble:NAN] forKey:@"x"]
                            error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"params[\"x\"]"].location != NSNotFound, @"%@", error);

    error = nil;
    NSDictionary *numberKey = [NSDictionary dictionaryWithObject:[NSDictionary dictionaryWithObject:@"v"
                                                                                             forKey:[NSNumber numberWithInt:1]]
                                                          forKey:@"q"];
    CTAssertNil([app callEndpoint:@"PostSearches" params:numberKey error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"params[\"q\"] has a key"].location != NSNotFound, @"%@", error);

    /* A container that holds itself ends in an error, not a stack overflow. */
    NSMutableArray *loop = [NSMutableArray array];
    [loop addObject:loop];
    error = nil;
    CTAssertNil([app callEndpoint:@"PostSearches" params:[NSDictionary dictionaryWithObject:loop forKey:@"loop"] error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] rangeOfString:@"nested"].location != NSNotFound, @"%@", error);
    [loop removeAllObjects];

    /* What JSON holds goes there and back (the emulator echoes a search's query). */
    NSDictionary *query = [NSDictionary dictionaryWithObjectsAndKeys:
        [NSNumber numberWithDouble:2.5], @"x",
        [NSNumber numberWithLongLong:9007199254740993LL], @"big",
        [NSNumber numberWithBool:YES], @"flag",
        [NSNull null], @"none",
        @"caf\u00e9 \"quoted\"\nline", @"text",
        [NSArray arrayWithObjects:[NSNumber numberWithInt:-3], [NSDictionary dictionary], nil], @"list",
        nil];
    error = nil;
    ClarifaiResponse *response = [app callEndpoint:@"PostSearches"
                                            params:[NSDictionary dictionaryWithObject:query forKey:@"query"]
                                             error:&error];
    CTAssertNotNil(response, @"%@", error);
    NSDictionary *echoed = [[response body] objectForKey:@"query"];
    CTAssertEqualObjects([echoed objectForKey:@"x"], [NSNumber numberWithDouble:2.5]);
    CTAssertTrue([[echoed objectForKey:@"flag"] boolValue]);
    CTAssertEqualObjects([echoed objectForKey:@"none"], [NSNull null]);
    CTAssertEqualObjects([echoed objectForKey:@"text"], @"caf\u00e9 \"quoted\"\nline");
    CTAssertEqualObjects([echoed objectForKey:@"list"], [query objectForKey:@"list"]);
    /* Written exactly; read back as Foundation reads it (a double on GNUstep, see README). */
    CTAssertTrue([[response JSONString] rangeOfString:@"9007199254740993"].location != NSNotFound, @"%@", [response JSONString]);
    CTAssertTrue([[echoed objectForKey:@"big"] doubleValue] == 9007199254740993.0);
}

- (void)testResponseBodyIsReadOnceOnFirstAccess
{
    NSError *error = nil;
    ClarifaiResponse *response = [[self keyApp] callEndpoint:@"ListInputs" params:nil error:&error];
    CTAssertNotNil(response, @"%@", error);
    NSDictionary *body = [response body];
    CTAssertNotNil(body);
    CTAssertTrue([response body] == body, @"the body is kept after the first access");
    CTAssertTrue([[response body] isKindOfClass:[NSDictionary class]]);
}

/* GNUstep's NSJSONSerialization reads numbers with strtod in the current locale: under a
 * comma-decimal locale "2.5" would read as 2 were the binding not reading in the C locale. */
- (void)testJSONNumbersIgnoreTheLocale
{
    const char *dir = getenv("CT_LOCALE_DIR");
    if (dir == NULL) {
        CTFail(@"CT_LOCALE_DIR is not set (run-tests compiles a de_DE.UTF-8 locale there)");
        return;
    }
    /* LOCPATH for this one newlocale only: set for the whole run, every library's setup would
     * read it. */
    setenv("LOCPATH", dir, 1);
    locale_t german = newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);
    unsetenv("LOCPATH");
    if (german == (locale_t)0) {
        CTFail(@"cannot load the de_DE.UTF-8 locale from %s", dir);
        return;
    }
    locale_t previous = uselocale(german);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 2.5);
    NSError *error = nil;
    NSDictionary *query = [NSDictionary dictionaryWithObject:[NSNumber numberWithDouble:2.5] forKey:@"x"];
    ClarifaiResponse *response = [[self keyApp] callEndpoint:@"PostSearches"
                                                      params:[NSDictionary dictionaryWithObject:query forKey:@"query"]
                                                       error:&error];
    NSNumber *x = [[[response body] objectForKey:@"query"] objectForKey:@"x"];
    uselocale(previous);
    freelocale(german);
    CTAssertEqualObjects([NSString stringWithUTF8String:probe], @"2,5", @"the locale is in effect");
    CTAssertNotNil(response, @"%@", error);
    CTAssertTrue([x doubleValue] == 2.5, @"read as %@", x);
}

/* Error kinds (docs/errors.md) */

- (void)testEveryErrorCarriesItsKind
{
    NSMutableArray *errors = [NSMutableArray array];
    NSError *error = nil;
    [[ClarifaiApp alloc] initWithApiKey:(NSString *)nil error:&error];
    [errors addObject:error];
    ClarifaiApp *unknown = [[[ClarifaiApp alloc] initWithApiKey:Canary options:[self options] error:NULL] autorelease];
    [unknown callEndpoint:@"ListInputs" params:nil error:&error];
    [errors addObject:error];
    [[self keyApp] callEndpoint:@"ListDatasets" params:nil error:&error];
    [errors addObject:error];
    [[self keyApp] callEndpoint:@"NoSuchRpc" params:nil error:&error];
    [errors addObject:error];
    NSArray *results = [[self keyApp] callMany:[NSArray arrayWithObject:[ClarifaiCall callWithEndpoint:@"ListTasks" params:nil]]
                                         error:&error];
    [errors addObject:[At(results, 0) error]];
    NSEnumerator *e = [errors objectEnumerator];
    while ((error = [e nextObject]) != nil) {
        CTAssertEqualObjects([[error userInfo] objectForKey:ClarifaiErrorKindKey],
                             [NSNumber numberWithInteger:ClarifaiErrorKindForCode([error code])], @"%@", error);
        CTAssertTrue([error isClarifaiErrorOfKind:ClarifaiErrorKindForCode([error code])]);
    }
    CTAssertTrue([[errors objectAtIndex:0] isClarifaiErrorOfKind:ClarifaiErrorKindInvalidArgument]);
    CTAssertTrue([[errors objectAtIndex:1] isClarifaiErrorOfKind:ClarifaiErrorKindKeyNotFound]);
    CTAssertTrue([[errors objectAtIndex:2] isClarifaiErrorOfKind:ClarifaiErrorKindThrottled]);
    CTAssertTrue([[errors objectAtIndex:3] isClarifaiErrorOfKind:ClarifaiErrorKindUnknownEndpoint]);
    CTAssertTrue([[errors objectAtIndex:4] isClarifaiErrorOfKind:ClarifaiErrorKindApi]);
    CTAssertFalse([[errors objectAtIndex:4] isClarifaiErrorOfKind:ClarifaiErrorKindTransport]);
    NSError *foreign = [NSError errorWithDomain:NSPOSIXErrorDomain code:ClarifaiErrorKeyNotFound userInfo:nil];
    CTAssertFalse([foreign isClarifaiErrorOfKind:ClarifaiErrorKindKeyNotFound], @"another domain has no Clarifai kind");
}

#if !defined(__clang__)
/* gcc cannot mark -init unavailable: a plain -init gives an app without a credential whose
 * calls fail cleanly. */
- (void)testPlainInitGivesAnAppWithoutCredential
{
    ClarifaiApp *app = [[[ClarifaiApp alloc] init] autorelease];
    CTAssertEqual([app credentialKind], ClarifaiCredentialKindNone);
    NSError *error = nil;
    CTAssertNil([app callEndpoint:@"ListInputs" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorNullArgument);
    CTAssertTrue([[app description] rangeOfString:@"no credential"].location != NSNotFound, @"%@", app);
}
#endif

/* Asynchronous batches */

- (void)testAsyncBatch
{
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    NSArray *calls = [NSArray arrayWithObjects:
        [ClarifaiCall callWithEndpoint:@"ListInputs" params:nil],
        [ClarifaiCall callWithEndpoint:@"NoSuchRpc" params:nil],
        [ClarifaiCall callWithEndpoint:@"ListInputs" params:[NSDictionary dictionaryWithObject:[NSDate date] forKey:@"d"]],
        [ClarifaiCall callWithEndpoint:@"GetInputCount" params:nil],
        nil];
    ClarifaiBatchCall *batch = [app callMany:calls delegate:collector error:&error];
    CTAssertNotNil(batch, @"%@", error);
    CTAssertEqualObjects([batch calls], calls);
    ClarifaiBatchCall *empty = [app callMany:[NSArray array] delegate:collector error:&error];
    CTAssertNotNil(empty, @"%@", error);
    CTAssertTrue([collector waitForCount:2 seconds:20]);
    NSArray *results = [[collector outcomeForCall:batch] objectForKey:@"outcome"];
    CTAssertEqual([results count], 4);
    if ([results count] == 4) {
        CTAssertTrue([At(results, 0) call] == [calls objectAtIndex:0]);
        CTAssertNotNil([At(results, 0) response], @"%@", [At(results, 0) error]);
        CTAssertClarifaiError([At(results, 1) error], ClarifaiErrorUnknownEndpoint);
        CTAssertClarifaiError([At(results, 2) error], ClarifaiErrorInvalidArgument);
        CTAssertEqualObjects([[At(results, 3) response] valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"],
                             @"GET /v2/inputs/status");
    }
    CTAssertEqual([[[collector outcomeForCall:empty] objectForKey:@"outcome"] count], 0);
    CTAssertTrue(collector->_sawForeignThread);
}

/* A started call keeps itself alive until its outcome is delivered: releasing it at once does
 * not cancel it. */
- (void)testReleasingAStartedCallDoesNotCancelIt
{
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    ClarifaiApp *app = [self keyApp];
    NSError *error = nil;
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    CTAssertNotNil([app callEndpoint:@"GetInputCount" params:nil delegate:collector error:&error], @"%@", error);
    CTAssertNotNil([app callMany:[NSArray arrayWithObject:[ClarifaiCall callWithEndpoint:@"GetInputCount" params:nil]]
                        delegate:collector error:&error], @"%@", error);
    [pool release];
    CTAssertTrue([collector waitForCount:2 seconds:20]);
    [collector->_condition lock];
    NSEnumerator *e = [collector->_outcomes objectEnumerator];
    NSDictionary *entry;
    while ((entry = [e nextObject]) != nil) {
        id outcome = [entry objectForKey:@"outcome"];
        if ([outcome isKindOfClass:[NSArray class]]) {
            outcome = [At(outcome, 0) response];
        }
        CTAssertTrue([outcome isKindOfClass:[ClarifaiResponse class]], @"%@", outcome);
    }
    [collector->_condition unlock];
}

@end
