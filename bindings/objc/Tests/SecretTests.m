/*
 * Secrets (#19): no description, debug description or NSError of any path holds a key, and
 * what an echoing server sends back of one comes out redacted from every accessor. The canary
 * key also makes run-tests fail if it shows anywhere in the output.
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "CTCollector.h"
#import "CTSecrets.h"
#import "Clarifai.h"

static NSString * const Canary = @"canary-0123456789abcdef-CANARY";

@interface SecretTests : CTTestCase {
    CTEmulator *_emulator;
}
@end

/* Keep object for the sweep below; nil means the step did not give what it should. */
#define SHOW(expr) do { \
    id show_ = (expr); \
    if (show_ != nil) { \
        [shown addObject:show_]; \
    } else { \
        CTFail(@"%s gave nil", #expr); \
    } \
} while (0)

@implementation SecretTests

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

- (ClarifaiApp *)appWithKey:(NSString *)key
{
    NSError *error = nil;
    ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:key options:[self options] error:&error] autorelease];
    CTAssertNotNil(app, @"%@", [error localizedDescription]);
    return app;
}

/* The server echoed something (so the check below is not vacuous) and none of it is secret. */
- (void)checkEcho:(id)outcome secret:(NSString *)secret headers:(id)headers
{
    NSString *echo = [headers valueForHTTPHeaderField:@"x-echo"];
    CTAssertTrue([echo length] > 0, @"the emulator's x-echo header is missing from %@", outcome);
    CTAssertFalse([echo rangeOfString:secret].location != NSNotFound, @"x-echo is not redacted");
    CTAssertFalse(CTLeaks(outcome, secret), @"the echoed credential shows in %@", outcome);
}

/* ListModelTypes answers 200 with the caller's Authorization in its status, an x-echo header and
 * an "echo" member (fault ListModelTypes=echo). */
- (void)testEchoedCredentialIsRedactedInEveryResponseAccessor
{
    NSError *error = nil;
    ClarifaiApp *app = [self appWithKey:Canary];
    ClarifaiResponse *response = [app callEndpoint:@"ListModelTypes" params:nil error:&error];
    CTAssertNotNil(response, @"%@", error);
    CTAssertTrue([[response statusDescription] hasPrefix:@"echo of"], @"%@", [response statusDescription]);
    CTAssertTrue([[[response body] objectForKey:@"echo"] length] > 0, @"%@", [response JSONString]);
    [self checkEcho:response secret:Canary headers:response];

    /* The same through a batch (borrowed responses) and the asynchronous path. */
    NSArray *results = [app callMany:[NSArray arrayWithObject:[ClarifaiCall callWithEndpoint:@"ListModelTypes" params:nil]]
                               error:&error];
    ClarifaiCallResult *result = [results lastObject];
    CTAssertNotNil([result response], @"%@", [result error]);
    [self checkEcho:results secret:Canary headers:[result response]];

    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    CTAssertNotNil([app callEndpoint:@"ListModelTypes" params:nil delegate:collector error:&error], @"%@", error);
    CTAssertTrue([collector waitForCount:1 seconds:20]);
    id outcome = [[collector->_outcomes lastObject] objectForKey:@"outcome"];
    CTAssertTrue([outcome isKindOfClass:[ClarifaiResponse class]], @"%@", outcome);
    [self checkEcho:outcome secret:Canary headers:outcome];

    /* A PAT is redacted too. */
    ClarifaiApp *pat = [[[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:[_emulator userID] appID:[_emulator appID]
                                                 options:[self options] error:&error] autorelease];
    response = [pat callEndpoint:@"ListModelTypes" params:nil error:&error];
    CTAssertNotNil(response, @"%@", error);
    [self checkEcho:response secret:[_emulator pat] headers:response];
}

/* ListEvaluations answers 401 (11009) the same way (fault ListEvaluations=echo:401). */
- (void)testEchoedCredentialIsRedactedInEveryErrorAccessor
{
    NSError *error = nil;
    ClarifaiApp *app = [self appWithKey:Canary];
    CTAssertNil([app callEndpoint:@"ListEvaluations" params:nil error:&error]);
    CTAssertClarifaiError(error, ClarifaiErrorKeyNotFound);
    CTAssertTrue([[[error userInfo] objectForKey:ClarifaiStatusDescriptionErrorKey] hasPrefix:@"echo of"], @"%@",
                 [error userInfo]);
    [self checkEcho:error secret:Canary headers:[[error userInfo] objectForKey:ClarifaiResponseHeadersErrorKey]];

    NSArray *results = [app callMany:[NSArray arrayWithObject:[ClarifaiCall callWithEndpoint:@"ListEvaluations" params:nil]]
                               error:&error];
    NSError *batched = [[results lastObject] error];
    CTAssertClarifaiError(batched, ClarifaiErrorKeyNotFound);
    [self checkEcho:results secret:Canary headers:[[batched userInfo] objectForKey:ClarifaiResponseHeadersErrorKey]];

    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    CTAssertNotNil([app callEndpoint:@"ListEvaluations" params:nil delegate:collector error:&error], @"%@", error);
    CTAssertTrue([collector waitForCount:1 seconds:20]);
    NSError *async = [[collector->_outcomes lastObject] objectForKey:@"outcome"];
    CTAssertClarifaiError(async, ClarifaiErrorKeyNotFound);
    [self checkEcho:async secret:Canary headers:[[async userInfo] objectForKey:ClarifaiResponseHeadersErrorKey]];
}

/* Every failure path a key can take, and every object that holds one. */
- (void)testNoDescriptionOrErrorHoldsTheCanary
{
    NSMutableArray *shown = [NSMutableArray array];
    NSError *error = nil;

    /* Refused keys. */
    error = nil;
    [[ClarifaiApp alloc] initWithApiKey:[Canary stringByAppendingString:@" x"] error:&error];
    SHOW(error);
    unichar nul[] = { 'c', 'a', 'n', 0 };
    NSString *withNul = [Canary stringByAppendingString:[NSString stringWithCharacters:nul length:4]];
    error = nil;
    [[ClarifaiApp alloc] initWithApiKey:withNul error:&error];
    SHOW(error);
    error = nil;
    [[ClarifaiApp alloc] initWithPAT:[Canary stringByAppendingString:@"\n"] userID:@"me" appID:@"a" error:&error];
    SHOW(error);

    /* Apps holding it, their options (a proxy password too) and derived apps. */
    ClarifaiApp *app = [self appWithKey:Canary];
    SHOW(app);
    SHOW([app options]);
    SHOW([[self appWithKey:[_emulator apiKey]] appWithApiKey:Canary error:&error]);
    SHOW([app appWithPAT:Canary userID:@"me" appID:[_emulator appID] error:&error]);
    ClarifaiAppOptions *proxied = [self options];
    [proxied setProxyURL:[NSURL URLWithString:[NSString stringWithFormat:@"http://user:%@@127.0.0.1:1", Canary]]];
    SHOW(proxied);
    SHOW([[proxied copy] autorelease]);
    ClarifaiApp *viaProxy = [[[ClarifaiApp alloc] initWithApiKey:Canary options:proxied error:&error] autorelease];
    CTAssertNotNil(viaProxy, @"%@", error);
    SHOW(viaProxy);
    error = nil;
    CTAssertNil([viaProxy callEndpoint:@"ListInputs" params:nil error:&error]);
    SHOW(error);
    ClarifaiAppOptions *insecure = [self options];
    [insecure setBaseURL:[NSURL URLWithString:@"http://example.com"]];
    error = nil;
    [[ClarifaiApp alloc] initWithApiKey:Canary options:insecure error:&error];
    SHOW(error);

    /* Failed calls: the API, preflight, scopes, key management with the canary as a key id. */
    error = nil;
    [app callEndpoint:@"ListInputs" params:nil error:&error];
    SHOW(error);
    error = nil;
    [app requestWithMethod:@"GET" path:@"/v2/inputs" body:nil error:&error];
    SHOW(error);
    error = nil;
    [app myScopesWithError:&error];
    SHOW(error);
    error = nil;
    [app canCallEndpoint:@"ListInputs" missingScopes:NULL missingEndpoint:NULL error:&error];
    SHOW(error);
    error = nil;
    [app listKeysWithError:&error];
    SHOW(error);
    ClarifaiApp *pat = [[[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:[_emulator userID] appID:[_emulator appID]
                                                 options:[self options] error:&error] autorelease];
    error = nil;
    CTAssertFalse([pat deleteKeyWithID:Canary error:&error]);
    SHOW(error);
    error = nil;
    CTAssertNil([pat rotateKeyWithID:Canary error:&error]);
    SHOW(error);
    NSArray *calls = [NSArray arrayWithObjects:[ClarifaiCall callWithEndpoint:@"ListInputs" params:nil],
                                               [ClarifaiCall callWithEndpoint:@"NoSuchRpc" params:nil], nil];
    SHOW([app callMany:calls error:&error]);

    /* Asynchronous failures: refused, and cancelled. */
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    SHOW([app callEndpoint:@"ListInputs" params:nil delegate:collector error:&error]);
    SHOW([app callMany:calls delegate:collector error:&error]);
    ClarifaiAppOptions *slowOptions = [ClarifaiAppOptions defaultOptions];
    [slowOptions setBaseURL:[CTSlowEmulator() url]];
    ClarifaiApp *slow = [[[ClarifaiApp alloc] initWithApiKey:Canary options:slowOptions error:&error] autorelease];
    ClarifaiCall *cancelled = [slow callEndpoint:@"ListInputs" params:nil delegate:collector error:&error];
    [cancelled cancel];
    SHOW(cancelled);
    CTAssertTrue([collector waitForCount:3 seconds:20]);
    [collector->_condition lock];
    SHOW([NSArray arrayWithArray:collector->_outcomes]);
    [collector->_condition unlock];

    /* Keys from create, list and rotate: their id is their secret. */
    ClarifaiKey *key = [pat createKeyWithDescription:@"objc secrets" scopes:[NSArray arrayWithObject:@"Inputs:Get"]
                                           endpoints:nil appID:[_emulator appID] userID:nil error:&error];
    CTAssertNotNil(key, @"%@", error);
    NSString *keyID = [key keyID];
    CTAssertFalse(CTLeaks(key, keyID));
    CTAssertFalse(CTLeaks([pat listKeysWithError:&error], keyID), @"a listed key shows its id");
    ClarifaiKey *rotated = [pat rotateKeyWithID:keyID error:&error];
    CTAssertNotNil(rotated, @"%@", error);
    CTAssertFalse(CTLeaks(rotated, [rotated keyID]));
    CTAssertFalse(CTLeaks(rotated, keyID));
    [pat deleteKeyWithID:[rotated keyID] error:NULL];

    NSUInteger i = 0;
    NSEnumerator *e = [shown objectEnumerator];
    id object;
    while ((object = [e nextObject]) != nil) {
        CTAssertFalse(CTLeaks(object, Canary), @"item %lu (%@) shows the canary key", (unsigned long)i,
                      NSStringFromClass([object class]));
        CTAssertFalse(CTLeaks(object, [_emulator pat]), @"item %lu shows the PAT", (unsigned long)i);
        i++;
    }
    CTAssertTrue([shown count] > 20, @"only %lu things were looked at", (unsigned long)[shown count]);
}

/* GNUstep's NSObject has no -debugDescription (Apple's says what -description says): every class
 * that holds or meets a credential has its own, as safe as its -description, so a debugger's
 * `po` or a log of it never raises nor shows a key. */
- (void)testDebugDescriptionsAreTheSafeDescriptions
{
    NSError *error = nil;
    ClarifaiApp *pat = [[[ClarifaiApp alloc] initWithPAT:[_emulator pat] userID:[_emulator userID] appID:[_emulator appID]
                                                 options:[self options] error:&error] autorelease];
    ClarifaiKey *key = [pat createKeyWithDescription:@"objc debug" scopes:[NSArray arrayWithObject:@"Inputs:Get"]
                                           endpoints:nil appID:[_emulator appID] userID:nil error:&error];
    CTAssertNotNil(key, @"%@", error);
    ClarifaiApp *app = [self appWithKey:Canary];
    ClarifaiCallOptions *callOptions = [ClarifaiCallOptions options];
    [callOptions setCancelToken:[ClarifaiCancelToken token]];
    CTCollector *collector = [[[CTCollector alloc] init] autorelease];
    ClarifaiCall *call = [app callEndpoint:@"ListInputs" params:nil delegate:collector error:&error];
    ClarifaiBatchCall *batch = [app callMany:[NSArray array] delegate:collector error:&error];
    NSArray *objects = [NSArray arrayWithObjects:app, [app options], key, [[pat listKeysWithError:&error] lastObject],
                                                 [pat myScopesWithError:&error], callOptions, [callOptions cancelToken],
                                                 call, batch, [ClarifaiUserAppIDSet setWithUserID:@"me" appID:@"a"],
                                                 [pat callEndpoint:@"ListInputs" params:nil error:&error],
                                                 [[[app callMany:[NSArray arrayWithObject:call] error:&error] lastObject] error],
                                                 nil];
    CTAssertEqual([objects count], 12, @"a step gave nil: %@", error);
    NSEnumerator *e = [objects objectEnumerator];
    id object;
    while ((object = [e nextObject]) != nil) {
        if ([object isKindOfClass:[NSError class]]) {
            object = [[object userInfo] objectForKey:ClarifaiResponseHeadersErrorKey];
        }
        CTAssertTrue([object respondsToSelector:@selector(debugDescription)], @"%@ has no -debugDescription",
                     NSStringFromClass([object class]));
        if ([object respondsToSelector:@selector(debugDescription)]) {
            CTAssertEqualObjects([object performSelector:@selector(debugDescription)], [object description]);
        }
    }
    CTAssertFalse(CTLeaks(objects, Canary));
    CTAssertFalse(CTLeaks(key, [key keyID]));
    CTAssertTrue([collector waitForCount:2 seconds:20]);
    [pat deleteKeyWithID:[key keyID] error:NULL];
}

@end
