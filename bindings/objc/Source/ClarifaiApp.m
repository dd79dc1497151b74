/*
 * ClarifaiApp over the native client. Manual retain/release so the same file builds with gcc and
 * GNUstep and, with -fno-objc-arc, in ARC apps on Apple platforms.
 */

#import "ClarifaiPrivate.h"

#include <math.h>
#include <stdlib.h>

#ifdef GNUSTEP
#import <Foundation/NSThread.h>
#endif

/* Milliseconds for a native timeout. Rounds up so that a small positive interval never becomes
 * the zero the library refuses. */
static BOOL ClarifaiMilliseconds(NSTimeInterval seconds, NSString *name, uint64_t *ms, NSError **error)
{
    if (!(seconds > 0) || isinf(seconds) || seconds > 1e12) {
        return ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"options.%@ must be a positive number of seconds", name]));
    }
    *ms = (uint64_t)ceil(seconds * 1000.0);
    return YES;
}

/* Native options for `options`; NULL with *failed = NO for nil (the library's defaults, so that
 * CLARIFAI_API_BASE keeps working), NULL with *failed = YES and error set on a bad setting. */
static clarifai_client_options *ClarifaiNativeOptionsCreate(ClarifaiAppOptions *options, BOOL *failed,
                                                            NSError **error)
{
    *failed = NO;
    if (options == nil) {
        return NULL;
    }
    *failed = YES;
    clarifai_client_options *native = clarifai_client_options_new();
    if (native == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    clarifai_error *err = NULL;
    clarifai_result r = CLARIFAI_RESULT_OK;
    uint64_t ms = 0;
    char *text = NULL;

    if ([options baseURL] != nil) {
        text = ClarifaiCopyCString([[options baseURL] absoluteString], @"options.baseURL", error);
        if (text == NULL) {
            goto fail;
        }
        r = clarifai_client_options_set_base_url(native, text, &err);
        ClarifaiFreeCString(text);
        if (r != CLARIFAI_RESULT_OK) {
            goto native_fail;
        }
    }
    if ([options CAFile] != nil) {
        text = ClarifaiCopyCString([options CAFile], @"options.CAFile", error);
        if (text == NULL) {
            goto fail;
        }
        r = clarifai_client_options_set_ca_file(native, text, &err);
        ClarifaiFreeCString(text);
        if (r != CLARIFAI_RESULT_OK) {
            goto native_fail;
        }
    }
    if ([options userAgent] != nil) {
        text = ClarifaiCopyCString([options userAgent], @"options.userAgent", error);
        if (text == NULL) {
            goto fail;
        }
        r = clarifai_client_options_set_user_agent(native, text, &err);
        ClarifaiFreeCString(text);
        if (r != CLARIFAI_RESULT_OK) {
            goto native_fail;
        }
    }
    if (!ClarifaiMilliseconds([options timeout], @"timeout", &ms, error)) {
        goto fail;
    }
    if ((r = clarifai_client_options_set_timeout_ms(native, ms, &err)) != CLARIFAI_RESULT_OK) {
        goto native_fail;
    }
    if (!ClarifaiMilliseconds([options connectTimeout], @"connectTimeout", &ms, error)) {
        goto fail;
    }
    if ((r = clarifai_client_options_set_connect_timeout_ms(native, ms, &err)) != CLARIFAI_RESULT_OK) {
        goto native_fail;
    }
    if ([options maxRetries] > UINT32_MAX) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            @"options.maxRetries is too large"));
        goto fail;
    }
    if ((r = clarifai_client_options_set_max_retries(native, (uint32_t)[options maxRetries], &err)) != CLARIFAI_RESULT_OK) {
        goto native_fail;
    }
    if ((r = clarifai_client_options_set_max_concurrency(native, [options maxConcurrency], &err)) != CLARIFAI_RESULT_OK) {
        goto native_fail;
    }
    if ((r = clarifai_client_options_set_danger_allow_insecure_http(native, [options allowInsecureHTTP] ? true : false, &err))
        != CLARIFAI_RESULT_OK) {
        goto native_fail;
    }
    *failed = NO;
    return native;

native_fail:
    ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
fail:
    clarifai_client_options_free(native);
    return NULL;
}

/* What the asynchronous trampoline needs: kept alive (retained here) from the moment the call
 * is queued until its outcome has been delivered. */
@interface ClarifaiPendingCall : NSObject {
@public
    ClarifaiApp *_app;
    ClarifaiCall *_call;
    id<ClarifaiAppDelegate> _delegate;
#if CLARIFAI_HAS_BLOCKS
    void (^_completion)(ClarifaiResponse *, NSError *);
#endif
}
- (void)deliverResponse:(ClarifaiResponse *)response error:(NSError *)error;
@end

@implementation ClarifaiPendingCall

- (void)deliverResponse:(ClarifaiResponse *)response error:(NSError *)error
{
    /* An exception may not unwind through the native library's worker frames. */
    @try {
        if (_delegate != nil) {
            [_delegate clarifaiApp:_app didCompleteCall:_call response:response error:error];
        }
#if CLARIFAI_HAS_BLOCKS
        if (_completion != nil) {
            _completion(response, error);
        }
#endif
    }
    @catch (id exception) {
        NSLog(@"ClarifaiApp: the completion of %@ raised %@; it was dropped, since it cannot cross "
              "the native library", [_call endpoint], exception);
    }
}

- (void)dealloc
{
    [_app release];
    [_call release];
    [_delegate release];
#if CLARIFAI_HAS_BLOCKS
    [_completion release];
#endif
    [super dealloc];
}

@end

/*
 * Runs on a native worker thread, a thread Foundation did not create. GNUstep must be told
 * about it before any Objective-C object is touched (Apple's Foundation adopts such threads by
 * itself), and nothing there drains autorelease pools for us.
 */
static void ClarifaiAsyncTrampoline(void *userdata, clarifai_result result,
                                    clarifai_response *response, clarifai_error *err)
{
#ifdef GNUSTEP
    BOOL registered = GSRegisterCurrentThread();
#endif
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    ClarifaiPendingCall *pending = (ClarifaiPendingCall *)userdata;
    ClarifaiResponse *r = nil;
    NSError *error = nil;
    if (result == CLARIFAI_RESULT_OK && response != NULL) {
        r = [ClarifaiResponse responseTakingNative:response error:&error];
    } else {
        clarifai_response_free(response);
        error = ClarifaiErrorTakingNative(result, err);
        err = NULL;
    }
    clarifai_error_free(err);
    [pending deliverResponse:r error:error];
    [pending release];
    [pool release];
#ifdef GNUSTEP
    /* Worker threads come and go with the native pool's load; a registered thread that exits
     * without unregistering leaks its NSThread. */
    if (registered) {
        GSUnregisterCurrentThread();
    }
#endif
}

@implementation ClarifaiApp

+ (NSString *)libraryVersion
{
    return ClarifaiStringFromC(clarifai_version());
}

/* Takes ownership of client: every other initializer ends here. */
- (instancetype)initTakingNativeClient:(clarifai_client *)client options:(ClarifaiAppOptions *)options
{
    if ((self = [super init]) == nil) {
        clarifai_client_free(client);
        return nil;
    }
    _client = client;
    _options = options != nil ? [options copy] : [[ClarifaiAppOptions alloc] init];
    return self;
}

- (instancetype)initWithApiKey:(NSString *)apiKey
{
    return [self initWithApiKey:apiKey options:nil error:NULL];
}

- (instancetype)initWithApiKey:(NSString *)apiKey error:(NSError **)error
{
    return [self initWithApiKey:apiKey options:nil error:error];
}

- (instancetype)initWithApiKey:(NSString *)apiKey options:(ClarifaiAppOptions *)options error:(NSError **)error
{
    clarifai_client *client = NULL;
    char *key = ClarifaiCopyCString(apiKey, @"apiKey", error);
    BOOL failed = NO;
    clarifai_client_options *native = key != NULL ? ClarifaiNativeOptionsCreate(options, &failed, error) : NULL;
    if (key != NULL && !failed) {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_new_api_key(key, native, &client, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            client = NULL;
        }
    }
    ClarifaiFreeCString(key);
    clarifai_client_options_free(native);
    if (client == NULL) {
        /* Cocoa's contract for a failing initializer: release the allocated object. */
        [self release];
        return nil;
    }
    return [self initTakingNativeClient:client options:options];
}

- (instancetype)initWithPAT:(NSString *)pat userID:(NSString *)userID appID:(NSString *)appID error:(NSError **)error
{
    return [self initWithPAT:pat userID:userID appID:appID options:nil error:error];
}

- (instancetype)initWithPAT:(NSString *)pat
                     userID:(NSString *)userID
                      appID:(NSString *)appID
                    options:(ClarifaiAppOptions *)options
                      error:(NSError **)error
{
    clarifai_client *client = NULL;
    char *token = ClarifaiCopyCString(pat, @"pat", error);
    char *user = token != NULL ? ClarifaiCopyCString(userID, @"userID", error) : NULL;
    char *app = user != NULL ? ClarifaiCopyCString(appID, @"appID", error) : NULL;
    BOOL failed = NO;
    clarifai_client_options *native = app != NULL ? ClarifaiNativeOptionsCreate(options, &failed, error) : NULL;
    if (app != NULL && !failed) {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_new_pat(token, user, app, native, &client, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            client = NULL;
        }
    }
    ClarifaiFreeCString(token);
    ClarifaiFreeCString(user);
    ClarifaiFreeCString(app);
    clarifai_client_options_free(native);
    if (client == NULL) {
        [self release];
        return nil;
    }
    return [self initTakingNativeClient:client options:options];
}

- (instancetype)initFromEnvironmentWithOptions:(ClarifaiAppOptions *)options error:(NSError **)error
{
    clarifai_client *client = NULL;
    BOOL failed = NO;
    clarifai_client_options *native = ClarifaiNativeOptionsCreate(options, &failed, error);
    if (!failed) {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_new_from_env(native, &client, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            client = NULL;
        }
    }
    clarifai_client_options_free(native);
    if (client == NULL) {
        [self release];
        return nil;
    }
    return [self initTakingNativeClient:client options:options];
}

+ (instancetype)appFromEnvironment:(NSError **)error
{
    return [self appFromEnvironmentWithOptions:nil error:error];
}

+ (instancetype)appFromEnvironmentWithOptions:(ClarifaiAppOptions *)options error:(NSError **)error
{
    return [[[self alloc] initFromEnvironmentWithOptions:options error:error] autorelease];
}

- (void)dealloc
{
    /* Queued asynchronous calls hold their own reference to the native state, so freeing the
     * handle here never cuts one short. */
    clarifai_client_free(_client);
    [_options release];
    [super dealloc];
}

- (ClarifaiCredentialKind)credentialKind
{
    return (ClarifaiCredentialKind)clarifai_client_credential_kind(_client);
}

- (ClarifaiAppOptions *)options
{
    return [[_options copy] autorelease];
}

- (NSString *)description
{
    static NSString * const kinds[] = { @"API key", @"PAT", @"legacy token" };
    ClarifaiCredentialKind kind = [self credentialKind];
    return [NSString stringWithFormat:@"<%@: %p %@>", NSStringFromClass([self class]), (void *)self,
                                      (kind >= 0 && kind <= 2) ? kinds[kind] : @"unknown credential"];
}

/* Per-request credentials */

- (ClarifaiApp *)appWithApiKey:(NSString *)apiKey error:(NSError **)error
{
    char *key = ClarifaiCopyCString(apiKey, @"apiKey", error);
    if (key == NULL) {
        return nil;
    }
    clarifai_client *client = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_with_api_key(_client, key, &client, &err);
    ClarifaiFreeCString(key);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    return [[[[self class] alloc] initTakingNativeClient:client options:_options] autorelease];
}

- (ClarifaiApp *)appWithPAT:(NSString *)pat userID:(NSString *)userID appID:(NSString *)appID error:(NSError **)error
{
    char *token = ClarifaiCopyCString(pat, @"pat", error);
    char *user = token != NULL ? ClarifaiCopyCString(userID, @"userID", error) : NULL;
    char *app = user != NULL ? ClarifaiCopyCString(appID, @"appID", error) : NULL;
    clarifai_client *client = NULL;
    if (app != NULL) {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_with_pat(_client, token, user, app, &client, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            client = NULL;
        }
    }
    ClarifaiFreeCString(token);
    ClarifaiFreeCString(user);
    ClarifaiFreeCString(app);
    if (client == NULL) {
        return nil;
    }
    return [[[[self class] alloc] initTakingNativeClient:client options:_options] autorelease];
}

/* Calls */

/* The response for a native call's outcome; owns response and err. */
static ClarifaiResponse *ClarifaiFinish(clarifai_result r, clarifai_response *response, clarifai_error *err,
                                        NSError **error)
{
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    return [ClarifaiResponse responseTakingNative:response error:error];
}

- (ClarifaiResponse *)callEndpoint:(NSString *)endpoint params:(NSDictionary *)params error:(NSError **)error
{
    char *name = ClarifaiCopyCString(endpoint, @"endpoint", error);
    if (name == NULL) {
        return nil;
    }
    BOOL failed = NO;
    char *json = ClarifaiCopyJSONObject(params, @"params", &failed, error);
    if (failed) {
        ClarifaiFreeCString(name);
        return nil;
    }
    clarifai_response *response = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call(_client, name, json, &response, &err);
    ClarifaiFreeCString(name);
    ClarifaiFreeCString(json);
    return ClarifaiFinish(r, response, err, error);
}

- (ClarifaiResponse *)requestWithMethod:(NSString *)method
                                   path:(NSString *)path
                                   body:(NSDictionary *)body
                                  error:(NSError **)error
{
    char *m = ClarifaiCopyCString(method, @"method", error);
    char *p = m != NULL ? ClarifaiCopyCString(path, @"path", error) : NULL;
    BOOL failed = YES;
    char *json = p != NULL ? ClarifaiCopyJSONObject(body, @"body", &failed, error) : NULL;
    ClarifaiResponse *result = nil;
    if (!failed) {
        clarifai_response *response = NULL;
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_request(_client, m, p, json, &response, &err);
        result = ClarifaiFinish(r, response, err, error);
    }
    ClarifaiFreeCString(m);
    ClarifaiFreeCString(p);
    ClarifaiFreeCString(json);
    return result;
}

- (NSArray *)callMany:(NSArray *)calls error:(NSError **)error
{
    if (calls == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"calls must not be nil"));
        return nil;
    }
    if (![calls isKindOfClass:[NSArray class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument, @"calls must be an NSArray"));
        return nil;
    }
    NSUInteger count = [calls count];
    for (NSUInteger i = 0; i < count; i++) {
        if (![[calls objectAtIndex:i] isKindOfClass:[ClarifaiCall class]]) {
            ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
                [NSString stringWithFormat:@"calls[%lu] is not a ClarifaiCall", (unsigned long)i]));
            return nil;
        }
    }

    /* A call whose arguments cannot even be converted fails alone, like one the library
     * refuses: it is left out of the native batch and gets its own error. */
    NSMutableArray *outcomes = [NSMutableArray arrayWithCapacity:count];
    char **names = calloc(count + 1, sizeof(char *));
    char **params = calloc(count + 1, sizeof(char *));
    NSUInteger *slots = calloc(count + 1, sizeof(NSUInteger));
    if (names == NULL || params == NULL || slots == NULL) {
        free(names);
        free(params);
        free(slots);
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return nil;
    }
    size_t native = 0;
    for (NSUInteger i = 0; i < count; i++) {
        ClarifaiCall *call = [calls objectAtIndex:i];
        NSError *conversion = nil;
        BOOL failed = NO;
        char *name = ClarifaiCopyCString([call endpoint], @"endpoint", &conversion);
        char *json = name != NULL ? ClarifaiCopyJSONObject([call params], @"params", &failed, &conversion) : NULL;
        if (name == NULL || failed) {
            ClarifaiFreeCString(name);
            [outcomes addObject:conversion];
            continue;
        }
        [outcomes addObject:[NSNull null]];
        names[native] = name;
        params[native] = json;
        slots[native] = i;
        native++;
    }

    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = CLARIFAI_RESULT_OK;
    if (native > 0) {
        r = clarifai_client_call_many(_client, (const char *const *)names, (const char *const *)params,
                                      native, &batch, &err);
    }
    for (size_t j = 0; j < native; j++) {
        ClarifaiFreeCString(names[j]);
        ClarifaiFreeCString(params[j]);
    }
    free(names);
    free(params);
    if (r != CLARIFAI_RESULT_OK) {
        free(slots);
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }

    /* Responses and errors are borrowed from the batch: each result keeps the batch alive. */
    ClarifaiNativeBox *box = batch != NULL
        ? [[ClarifaiNativeBox alloc] initWithPointer:batch free:(void (*)(void *))clarifai_batch_free]
        : nil;
    for (size_t j = 0; j < native; j++) {
        NSUInteger i = slots[j];
        clarifai_result rj = clarifai_batch_result(batch, j);
        const clarifai_response *rsp = clarifai_batch_response(batch, j);
        id outcome = nil;
        if (rj == CLARIFAI_RESULT_OK && rsp != NULL) {
            NSError *parse = nil;
            ClarifaiResponse *response = [[[ClarifaiResponse alloc] initWithNativeResponse:rsp
                                                                                   keeper:box
                                                                                    error:&parse] autorelease];
            outcome = response != nil ? (id)response : (id)parse;
        } else {
            outcome = ClarifaiErrorFromNative(rj, clarifai_batch_error(batch, j), box);
        }
        [outcomes replaceObjectAtIndex:i withObject:outcome];
    }
    [box release];
    free(slots);

    NSMutableArray *results = [NSMutableArray arrayWithCapacity:count];
    for (NSUInteger i = 0; i < count; i++) {
        id outcome = [outcomes objectAtIndex:i];
        BOOL ok = [outcome isKindOfClass:[ClarifaiResponse class]];
        ClarifaiCallResult *result = [[ClarifaiCallResult alloc] initWithCall:[calls objectAtIndex:i]
                                                                     response:ok ? outcome : nil
                                                                        error:ok ? nil : outcome];
        [results addObject:result];
        [result release];
    }
    return results;
}

/* Scopes */

- (ClarifaiScopes *)myScopesWithError:(NSError **)error
{
    char *json = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_my_scopes(_client, &json, &err);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    id object = ClarifaiParseJSON(json, error);
    clarifai_string_free(json);
    return object != nil ? [ClarifaiScopes scopesWithJSONObject:object error:error] : nil;
}

- (BOOL)canCallEndpoint:(NSString *)endpoint
          missingScopes:(NSArray **)missingScopes
        missingEndpoint:(NSString **)missingEndpoint
{
    return [self canCallEndpoint:endpoint missingScopes:missingScopes missingEndpoint:missingEndpoint error:NULL];
}

- (BOOL)canCallEndpoint:(NSString *)endpoint
          missingScopes:(NSArray **)missingScopes
        missingEndpoint:(NSString **)missingEndpoint
                  error:(NSError **)error
{
    /* Written on every path, so a caller never reads a stale value after NO. */
    if (missingScopes != NULL) {
        *missingScopes = nil;
    }
    if (missingEndpoint != NULL) {
        *missingEndpoint = nil;
    }
    char *name = ClarifaiCopyCString(endpoint, @"endpoint", error);
    if (name == NULL) {
        return NO;
    }
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_check(_client, name, &err);
    ClarifaiFreeCString(name);
    if (r == CLARIFAI_RESULT_OK) {
        if (missingScopes != NULL) {
            *missingScopes = [NSArray array];
        }
        return YES;
    }
    /* A denial has no status code (the server was not asked). The same result codes with a
     * status come from MyScopes itself failing, which says nothing about endpoint. */
    BOOL denial = (r == CLARIFAI_RESULT_INSUFFICIENT_SCOPES || r == CLARIFAI_RESULT_PAT_REQUIRED)
        && err != NULL && clarifai_error_status_code(err) == 0;
    NSError *failure = ClarifaiErrorTakingNative(r, err);
    if (denial) {
        NSArray *scopes = [[failure userInfo] objectForKey:ClarifaiMissingScopesErrorKey];
        if (missingScopes != NULL) {
            *missingScopes = scopes != nil ? scopes : [NSArray array];
        }
        if (missingEndpoint != NULL) {
            *missingEndpoint = [[failure userInfo] objectForKey:ClarifaiMissingEndpointErrorKey];
        }
    }
    return ClarifaiSetError(error, failure);
}

- (NSString *)grpcMetadataWithError:(NSError **)error
{
    char *value = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_grpc_metadata(_client, &value, &err);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    NSString *metadata = ClarifaiStringFromC(value);
    clarifai_string_free(value);
    return metadata;
}

/* Key and app management */

- (ClarifaiResponse *)createAppWithID:(NSString *)appID description:(NSString *)description error:(NSError **)error
{
    char *app = ClarifaiCopyCString(appID, @"appID", error);
    if (app == NULL) {
        return nil;
    }
    char *text = NULL;
    if (description != nil && (text = ClarifaiCopyCString(description, @"description", error)) == NULL) {
        ClarifaiFreeCString(app);
        return nil;
    }
    clarifai_response *response = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_create_app(_client, app, text, &response, &err);
    ClarifaiFreeCString(app);
    ClarifaiFreeCString(text);
    return ClarifaiFinish(r, response, err, error);
}

- (ClarifaiKey *)createKeyWithDescription:(NSString *)description
                                   scopes:(NSArray *)scopes
                                endpoints:(NSArray *)endpoints
                                    appID:(NSString *)appID
                                   userID:(NSString *)userID
                                    error:(NSError **)error
{
    ClarifaiKey *key = nil;
    BOOL failed = YES;
    char *desc = ClarifaiCopyCString(description, @"description", error);
    char *app = desc != NULL ? ClarifaiCopyCString(appID, @"appID", error) : NULL;
    char *user = NULL;
    char *scopesJSON = NULL;
    char *endpointsJSON = NULL;
    if (app == NULL) {
        goto done;
    }
    if (userID != nil && (user = ClarifaiCopyCString(userID, @"userID", error)) == NULL) {
        goto done;
    }
    if (scopes == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"scopes must not be nil"));
        goto done;
    }
    if (![scopes isKindOfClass:[NSArray class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument, @"scopes must be an NSArray"));
        goto done;
    }
    scopesJSON = ClarifaiCopyJSONObject(scopes, @"scopes", &failed, error);
    if (failed) {
        goto done;
    }
    if (endpoints != nil && ![endpoints isKindOfClass:[NSArray class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument, @"endpoints must be an NSArray"));
        goto done;
    }
    endpointsJSON = ClarifaiCopyJSONObject(endpoints, @"endpoints", &failed, error);
    if (failed) {
        goto done;
    }
    {
        char *json = NULL;
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_create_key(_client, desc, scopesJSON, endpointsJSON, user, app,
                                                       &json, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        } else {
            key = [ClarifaiKey keyTakingNativeJSON:json error:error];
        }
    }
done:
    ClarifaiFreeCString(desc);
    ClarifaiFreeCString(app);
    ClarifaiFreeCString(user);
    ClarifaiFreeCString(scopesJSON);
    ClarifaiFreeCString(endpointsJSON);
    return key;
}

- (NSArray *)listKeysWithError:(NSError **)error
{
    char *json = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_list_keys(_client, &json, &err);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    id list = ClarifaiParseJSON(json, error);
    clarifai_string_free(json);
    if (list == nil) {
        return nil;
    }
    if (![list isKindOfClass:[NSArray class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse, @"ListKeys did not answer with a list"));
        return nil;
    }
    NSMutableArray *keys = [NSMutableArray arrayWithCapacity:[list count]];
    NSEnumerator *e = [list objectEnumerator];
    id item;
    while ((item = [e nextObject]) != nil) {
        ClarifaiKey *key = [ClarifaiKey keyWithJSONObject:item error:error];
        if (key == nil) {
            return nil;
        }
        [keys addObject:key];
    }
    return keys;
}

- (BOOL)deleteKeyWithID:(NSString *)keyID error:(NSError **)error
{
    char *key = ClarifaiCopyCString(keyID, @"keyID", error);
    if (key == NULL) {
        return NO;
    }
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_delete_key(_client, key, &err);
    ClarifaiFreeCString(key);
    if (r != CLARIFAI_RESULT_OK) {
        return ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
    }
    return YES;
}

- (ClarifaiKey *)rotateKeyWithID:(NSString *)keyID error:(NSError **)error
{
    char *key = ClarifaiCopyCString(keyID, @"keyID", error);
    if (key == NULL) {
        return nil;
    }
    char *json = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_rotate_key(_client, key, &json, &err);
    ClarifaiFreeCString(key);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    return [ClarifaiKey keyTakingNativeJSON:json error:error];
}

/* Asynchronous calls */

/* Queue pending's call; on success the trampoline owns (and releases) pending. */
- (BOOL)startPendingCall:(ClarifaiPendingCall *)pending error:(NSError **)error
{
    ClarifaiCall *call = pending->_call;
    char *name = ClarifaiCopyCString([call endpoint], @"endpoint", error);
    if (name == NULL) {
        return NO;
    }
    BOOL failed = NO;
    char *json = ClarifaiCopyJSONObject([call params], @"params", &failed, error);
    if (failed) {
        ClarifaiFreeCString(name);
        return NO;
    }
    /* The reference the trampoline releases; taken before queueing, since the callback may
     * run before clarifai_client_call_async returns. */
    [pending retain];
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call_async(_client, name, json, ClarifaiAsyncTrampoline, pending, &err);
    ClarifaiFreeCString(name);
    ClarifaiFreeCString(json);
    if (r != CLARIFAI_RESULT_OK) {
        [pending release];
        return ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
    }
    return YES;
}

- (ClarifaiCall *)callEndpoint:(NSString *)endpoint
                        params:(NSDictionary *)params
                      delegate:(id<ClarifaiAppDelegate>)delegate
                         error:(NSError **)error
{
    if (delegate == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"delegate must not be nil"));
        return nil;
    }
    ClarifaiPendingCall *pending = [[ClarifaiPendingCall alloc] init];
    pending->_app = [self retain];
    pending->_call = [[ClarifaiCall alloc] initWithEndpoint:endpoint params:params];
    pending->_delegate = [delegate retain];
    ClarifaiCall *call = [[pending->_call retain] autorelease];
    BOOL started = [self startPendingCall:pending error:error];
    [pending release];
    return started ? call : nil;
}

#if CLARIFAI_HAS_BLOCKS
- (BOOL)callEndpoint:(NSString *)endpoint
              params:(NSDictionary *)params
          completion:(void (^)(ClarifaiResponse *, NSError *))completion
               error:(NSError **)error
{
    if (completion == nil) {
        return ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"completion must not be nil"));
    }
    ClarifaiPendingCall *pending = [[ClarifaiPendingCall alloc] init];
    pending->_app = [self retain];
    pending->_call = [[ClarifaiCall alloc] initWithEndpoint:endpoint params:params];
    pending->_completion = [completion copy];
    BOOL started = [self startPendingCall:pending error:error];
    [pending release];
    return started;
}
#endif

@end
