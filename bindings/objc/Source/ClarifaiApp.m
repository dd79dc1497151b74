/*
 * ClarifaiApp over the native client. Manual retain/release so the same file builds with gcc and
 * GNUstep and, with -fno-objc-arc, in ARC apps on Apple platforms.
 */

#import "ClarifaiPrivate.h"

#include <stdlib.h>

#ifdef GNUSTEP
#import <Foundation/NSThread.h>
#endif

/* ------------------------------------------------------------------------------ helpers */

/* Native call options for options, or NULL for nil; NO with error set when they cannot be made. */
static BOOL ClarifaiMakeCallOptions(ClarifaiCallOptions *options, clarifai_call_options **out, NSError **error)
{
    *out = NULL;
    if (options == nil) {
        return YES;
    }
    if (![options isKindOfClass:[ClarifaiCallOptions class]]) {
        return ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            @"options must be a ClarifaiCallOptions"));
    }
    *out = [options newNativeOptions:error];
    return *out != NULL;
}

/* A NULL-terminated array of C copies of strings (an NSArray of NSString), count in *count;
 * NULL with error set naming argument[i] when one is not a string. nil gives an empty array. */
static char **ClarifaiCopyCStringArray(NSArray *strings, NSString *argument, size_t *count, NSError **error)
{
    *count = 0;
    if (strings != nil && ![strings isKindOfClass:[NSArray class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ must be an NSArray", argument]));
        return NULL;
    }
    NSUInteger n = [strings count];
    char **array = calloc(n + 1, sizeof(char *));
    if (array == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    for (NSUInteger i = 0; i < n; i++) {
        array[i] = ClarifaiCopyCString([strings objectAtIndex:i],
            [NSString stringWithFormat:@"%@[%lu]", argument, (unsigned long)i], error);
        if (array[i] == NULL) {
            for (NSUInteger j = 0; j < i; j++) {
                ClarifaiFreeCString(array[j]);
            }
            free(array);
            return NULL;
        }
    }
    *count = n;
    return array;
}

static void ClarifaiFreeCStringArray(char **array, size_t count)
{
    if (array != NULL) {
        for (size_t i = 0; i < count; i++) {
            ClarifaiFreeCString(array[i]);
        }
        free(array);
    }
}

/* The response for a native call's outcome; owns response and err. */
static ClarifaiResponse *ClarifaiFinish(clarifai_result r, clarifai_response *response, clarifai_error *err,
                                        NSError **error)
{
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    ClarifaiResponse *result = [ClarifaiResponse responseTakingNative:response];
    if (result == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
    }
    return result;
}

/* ------------------------------------------------------------------------------ batches */

/*
 * The calls of a batch as C arrays for the library. A call whose arguments cannot even be
 * converted fails alone, like one the library refuses: it is left out of the native batch and
 * keeps its own error; slots maps the native batch's entries back to the calls.
 */
@interface ClarifaiBatchPlan : NSObject {
@public
    NSArray *_calls;
    NSMutableArray *_outcomes;
    char **_names;
    char **_params;
    NSUInteger *_slots;
    size_t _native;
}
+ (ClarifaiBatchPlan *)planWithCalls:(id)calls error:(NSError **)error;
/* The strings are the library's own copies once a call has returned: free them early. */
- (void)freeStrings;
/* One result per call, from the native batch (taken: freed with the last result). */
- (NSArray *)resultsTakingBatch:(clarifai_batch *)batch;
/* One result per call when the batch as a whole failed. */
- (NSArray *)resultsWithFailure:(NSError *)failure;
@end

@implementation ClarifaiBatchPlan

+ (ClarifaiBatchPlan *)planWithCalls:(id)calls error:(NSError **)error
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
    ClarifaiBatchPlan *plan = [[[ClarifaiBatchPlan alloc] init] autorelease];
    plan->_calls = [calls copy];
    plan->_outcomes = [[NSMutableArray alloc] initWithCapacity:count];
    /* Never NULL, even for no calls: the library wants arrays. */
    plan->_names = calloc(count + 1, sizeof(char *));
    plan->_params = calloc(count + 1, sizeof(char *));
    plan->_slots = calloc(count + 1, sizeof(NSUInteger));
    if (plan->_names == NULL || plan->_params == NULL || plan->_slots == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return nil;
    }
    for (NSUInteger i = 0; i < count; i++) {
        ClarifaiCall *call = [calls objectAtIndex:i];
        NSError *conversion = nil;
        BOOL failed = NO;
        char *name = ClarifaiCopyCString([call endpoint], @"endpoint", &conversion);
        char *json = name != NULL ? ClarifaiCopyJSONParams([call params], @"params", &failed, &conversion) : NULL;
        if (name == NULL || failed) {
            ClarifaiFreeCString(name);
            [plan->_outcomes addObject:conversion];
            continue;
        }
        [plan->_outcomes addObject:[NSNull null]];
        plan->_names[plan->_native] = name;
        plan->_params[plan->_native] = json;
        plan->_slots[plan->_native] = i;
        plan->_native++;
    }
    return plan;
}

- (void)freeStrings
{
    for (size_t j = 0; j < _native; j++) {
        ClarifaiFreeCString(_names[j]);
        ClarifaiFreeCString(_params[j]);
        _names[j] = _params[j] = NULL;
    }
}

- (void)dealloc
{
    if (_names != NULL && _params != NULL) {
        [self freeStrings];
    }
    free(_names);
    free(_params);
    free(_slots);
    [_calls release];
    [_outcomes release];
    [super dealloc];
}

- (NSArray *)results
{
    NSUInteger count = [_calls count];
    NSMutableArray *results = [NSMutableArray arrayWithCapacity:count];
    for (NSUInteger i = 0; i < count; i++) {
        id outcome = [_outcomes objectAtIndex:i];
        BOOL ok = [outcome isKindOfClass:[ClarifaiResponse class]];
        ClarifaiCallResult *result = [[ClarifaiCallResult alloc] initWithCall:[_calls objectAtIndex:i]
                                                                     response:ok ? outcome : nil
                                                                        error:ok ? nil : outcome];
        [results addObject:result];
        [result release];
    }
    return results;
}

- (NSArray *)resultsTakingBatch:(clarifai_batch *)batch
{
    /* Responses and errors are borrowed from the batch: each keeps the batch alive. */
    ClarifaiNativeBox *box = [[ClarifaiNativeBox alloc] initWithPointer:batch free:(void (*)(void *))clarifai_batch_free];
    size_t length = box != nil ? clarifai_batch_len(batch) : 0;
    for (size_t j = 0; j < _native; j++) {
        id outcome = nil;
        if (j >= length) {
            outcome = ClarifaiMakeError(ClarifaiErrorState, @"the call did not run");
        } else {
            clarifai_result r = clarifai_batch_result(batch, j);
            const clarifai_response *response = clarifai_batch_response(batch, j);
            if (r == CLARIFAI_RESULT_OK && response != NULL) {
                outcome = [[[ClarifaiResponse alloc] initWithNativeResponse:response keeper:box] autorelease];
            }
            if (outcome == nil) {
                outcome = ClarifaiErrorFromNative(r != CLARIFAI_RESULT_OK ? r : CLARIFAI_RESULT_STATE,
                                                  clarifai_batch_error(batch, j), box);
            }
        }
        [_outcomes replaceObjectAtIndex:_slots[j] withObject:outcome];
    }
    [box release];
    return [self results];
}

- (NSArray *)resultsWithFailure:(NSError *)failure
{
    for (size_t j = 0; j < _native; j++) {
        [_outcomes replaceObjectAtIndex:_slots[j] withObject:failure];
    }
    return [self results];
}

@end

/* ------------------------------------------------------------------------ asynchronous calls */

/* What a delivery needs, retained from the moment the call is started until its outcome has
 * been delivered: the app, the delegate, and the started call or batch. */
@interface ClarifaiPendingCall : NSObject {
@public
    ClarifaiApp *_app;
    id<ClarifaiAppDelegate> _delegate;
    ClarifaiCall *_call;
    ClarifaiBatchCall *_batch;
    ClarifaiBatchPlan *_plan;
}
@end

@implementation ClarifaiPendingCall

- (void)dealloc
{
    [_app release];
    [_delegate release];
    /* The last reference to a started call may be this one: its dealloc frees the native call,
     * which is allowed from inside the call's own callback. */
    [_call release];
    [_batch release];
    [_plan release];
    [super dealloc];
}

@end

/*
 * The callbacks run on a thread of the native library's blocking pool, which Foundation did
 * not create. GNUstep must be told about it before any Objective-C object is touched (Apple's
 * Foundation adopts such threads by itself), and nothing there drains autorelease pools for us.
 * A registered thread that exits without unregistering leaks its NSThread, and the pool's
 * threads come and go with the load, so each delivery registers and unregisters.
 *
 * Nothing here takes a lock, so a delivery cannot deadlock with clarifai_call_free (which, on
 * another thread, waits for a running callback): the call object is released last, and only
 * after the delegate has returned.
 */
static BOOL ClarifaiEnterThread(void)
{
#ifdef GNUSTEP
    return GSRegisterCurrentThread();
#else
    return NO;
#endif
}

static void ClarifaiLeaveThread(BOOL registered)
{
#ifdef GNUSTEP
    if (registered) {
        GSUnregisterCurrentThread();
    }
#else
    (void)registered;
#endif
}

/* An exception may not unwind through the native library's frames. */
static void ClarifaiLogDropped(id exception, id what)
{
    NSLog(@"ClarifaiApp: the delegate of %@ raised %@; it was dropped, since it cannot cross the "
          "native library", what, exception);
}

static void ClarifaiCallCompleted(void *userdata, clarifai_result result, clarifai_response *response,
                                  clarifai_error *err)
{
    BOOL registered = ClarifaiEnterThread();
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    ClarifaiPendingCall *pending = (ClarifaiPendingCall *)userdata;
    ClarifaiResponse *r = nil;
    NSError *error = nil;
    if (result == CLARIFAI_RESULT_OK && response != NULL) {
        r = [ClarifaiResponse responseTakingNative:response];
        if (r == nil) {
            error = ClarifaiMakeError(ClarifaiErrorState, @"out of memory");
        }
        clarifai_error_free(err);
    } else {
        clarifai_response_free(response);
        error = ClarifaiErrorTakingNative(result != CLARIFAI_RESULT_OK ? result : CLARIFAI_RESULT_STATE, err);
    }
    @try {
        [pending->_delegate clarifaiApp:pending->_app didCompleteCall:pending->_call response:r error:error];
    }
    @catch (id exception) {
        ClarifaiLogDropped(exception, [pending->_call endpoint]);
    }
    [pending release];
    [pool release];
    ClarifaiLeaveThread(registered);
}

static void ClarifaiBatchCompleted(void *userdata, clarifai_result result, clarifai_batch *batch,
                                   clarifai_error *err)
{
    BOOL registered = ClarifaiEnterThread();
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    ClarifaiPendingCall *pending = (ClarifaiPendingCall *)userdata;
    NSArray *results = nil;
    if (result == CLARIFAI_RESULT_OK && batch != NULL) {
        results = [pending->_plan resultsTakingBatch:batch];
        clarifai_error_free(err);
    } else {
        clarifai_batch_free(batch);
        results = [pending->_plan resultsWithFailure:
            ClarifaiErrorTakingNative(result != CLARIFAI_RESULT_OK ? result : CLARIFAI_RESULT_STATE, err)];
    }
    @try {
        [pending->_delegate clarifaiApp:pending->_app didCompleteBatch:pending->_batch results:results];
    }
    @catch (id exception) {
        ClarifaiLogDropped(exception, pending->_batch);
    }
    [pending release];
    [pool release];
    ClarifaiLeaveThread(registered);
}

#if CLARIFAI_HAS_BLOCKS
/* The completion-block forms: a delegate that calls the block. */
@interface ClarifaiBlockDelegate : NSObject <ClarifaiAppDelegate> {
@public
    void (^_callCompletion)(ClarifaiResponse *, NSError *);
    void (^_batchCompletion)(NSArray *);
}
@end

@implementation ClarifaiBlockDelegate

- (void)clarifaiApp:(ClarifaiApp *)app didCompleteCall:(ClarifaiCall *)call
           response:(ClarifaiResponse *)response error:(NSError *)error
{
    _callCompletion(response, error);
}

- (void)clarifaiApp:(ClarifaiApp *)app didCompleteBatch:(ClarifaiBatchCall *)batch results:(NSArray *)results
{
    _batchCompletion(results);
}

- (void)dealloc
{
    [_callCompletion release];
    [_batchCompletion release];
    [super dealloc];
}

@end
#endif

/* ------------------------------------------------------------------------------ the app */

@implementation ClarifaiApp

+ (NSString *)libraryVersion
{
    return ClarifaiStringFromC(clarifai_version());
}

+ (BOOL)setRuntimeWorkerThreads:(NSUInteger)count error:(NSError **)error
{
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_runtime_set_worker_threads(count, &err);
    return r == CLARIFAI_RESULT_OK ? YES : ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
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

/* Native options for options (NULL for nil); NO with error set when they cannot be made. */
static BOOL ClarifaiMakeClientOptions(ClarifaiAppOptions *options, clarifai_client_options **out, NSError **error)
{
    *out = NULL;
    if (options == nil) {
        return YES;
    }
    if (![options isKindOfClass:[ClarifaiAppOptions class]]) {
        return ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            @"options must be a ClarifaiAppOptions"));
    }
    *out = [options newNativeOptions:error];
    return *out != NULL;
}

/* The end of every failing initializer: Cocoa's contract is to release the allocated object. */
- (instancetype)failedInit
{
    [self release];
    return nil;
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
    clarifai_client_options *native = NULL;
    char *key = ClarifaiCopyCString(apiKey, @"apiKey", error);
    if (key != NULL && ClarifaiMakeClientOptions(options, &native, error)) {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_new_api_key(key, native, &client, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            client = NULL;
        }
    }
    ClarifaiFreeCString(key);
    clarifai_client_options_free(native);
    return client != NULL ? [self initTakingNativeClient:client options:options] : [self failedInit];
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
    clarifai_client_options *native = NULL;
    char *token = ClarifaiCopyCString(pat, @"pat", error);
    char *user = token != NULL ? ClarifaiCopyCString(userID, @"userID", error) : NULL;
    char *app = user != NULL ? ClarifaiCopyCString(appID, @"appID", error) : NULL;
    if (app != NULL && ClarifaiMakeClientOptions(options, &native, error)) {
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
    return client != NULL ? [self initTakingNativeClient:client options:options] : [self failedInit];
}

- (instancetype)initFromEnvironmentWithOptions:(ClarifaiAppOptions *)options error:(NSError **)error
{
    clarifai_client *client = NULL;
    clarifai_client_options *native = NULL;
    if (ClarifaiMakeClientOptions(options, &native, error)) {
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_new_from_env(native, &client, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            client = NULL;
        }
    }
    clarifai_client_options_free(native);
    return client != NULL ? [self initTakingNativeClient:client options:options] : [self failedInit];
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
    /* Started calls hold their own reference to the native client, so freeing the handle here
     * never cuts one short. */
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

/* The kind of credential only: never the credential. */
- (NSString *)description
{
    static NSString * const kinds[] = { @"API key", @"PAT", @"legacy token", @"no credential" };
    ClarifaiCredentialKind kind = [self credentialKind];
    return [NSString stringWithFormat:@"<%@: %p %@>", NSStringFromClass([self class]), (void *)self,
                                      (kind >= 0 && kind <= 3) ? kinds[kind] : @"unknown credential"];
}

- (NSString *)debugDescription
{
    return [self description];
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

- (ClarifaiResponse *)callEndpoint:(NSString *)endpoint params:(NSDictionary *)params error:(NSError **)error
{
    return [self callEndpoint:endpoint params:params options:nil error:error];
}

- (ClarifaiResponse *)callEndpoint:(NSString *)endpoint
                            params:(NSDictionary *)params
                           options:(ClarifaiCallOptions *)options
                             error:(NSError **)error
{
    BOOL failed = YES;
    char *name = ClarifaiCopyCString(endpoint, @"endpoint", error);
    char *json = name != NULL ? ClarifaiCopyJSONParams(params, @"params", &failed, error) : NULL;
    clarifai_call_options *native = NULL;
    ClarifaiResponse *result = nil;
    if (!failed && ClarifaiMakeCallOptions(options, &native, error)) {
        clarifai_response *response = NULL;
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_call_with_options(_client, name, json, native, &response, &err);
        result = ClarifaiFinish(r, response, err, error);
    }
    clarifai_call_options_free(native);
    ClarifaiFreeCString(name);
    ClarifaiFreeCString(json);
    return result;
}

- (ClarifaiResponse *)requestWithMethod:(NSString *)method
                                   path:(NSString *)path
                                   body:(NSDictionary *)body
                                  error:(NSError **)error
{
    char *m = ClarifaiCopyCString(method, @"method", error);
    char *p = m != NULL ? ClarifaiCopyCString(path, @"path", error) : NULL;
    BOOL failed = YES;
    char *json = p != NULL ? ClarifaiCopyJSONParams(body, @"body", &failed, error) : NULL;
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
    return [self callMany:calls options:nil error:error];
}

- (NSArray *)callMany:(NSArray *)calls options:(ClarifaiCallOptions *)options error:(NSError **)error
{
    ClarifaiBatchPlan *plan = [ClarifaiBatchPlan planWithCalls:calls error:error];
    clarifai_call_options *native = NULL;
    if (plan == nil || !ClarifaiMakeCallOptions(options, &native, error)) {
        return nil;
    }
    clarifai_batch *batch = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call_many_with_options(_client, (const char *const *)plan->_names,
                                                               (const char *const *)plan->_params, plan->_native,
                                                               native, &batch, &err);
    clarifai_call_options_free(native);
    [plan freeStrings];
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    return [plan resultsTakingBatch:batch];
}

/* Scopes */

- (ClarifaiScopes *)myScopesWithError:(NSError **)error
{
    clarifai_scopes *scopes = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_my_scopes(_client, &scopes, &err);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    return [ClarifaiScopes scopesTakingNative:scopes];
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
    size_t scopeCount = 0, endpointCount = 0;
    char **scopeArray = NULL, **endpointArray = NULL;
    char *desc = NULL, *user = NULL;
    char *app = ClarifaiCopyCString(appID, @"appID", error);
    if (app == NULL) {
        goto done;
    }
    if (description != nil && (desc = ClarifaiCopyCString(description, @"description", error)) == NULL) {
        goto done;
    }
    if (userID != nil && (user = ClarifaiCopyCString(userID, @"userID", error)) == NULL) {
        goto done;
    }
    if (scopes == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"scopes must not be nil"));
        goto done;
    }
    if ((scopeArray = ClarifaiCopyCStringArray(scopes, @"scopes", &scopeCount, error)) == NULL
        || (endpointArray = ClarifaiCopyCStringArray(endpoints, @"endpoints", &endpointCount, error)) == NULL) {
        goto done;
    }
    {
        clarifai_key *created = NULL;
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_create_key(_client, desc,
                                                       (const char *const *)scopeArray, scopeCount,
                                                       (const char *const *)endpointArray, endpointCount,
                                                       user, app, &created, &err);
        if (r != CLARIFAI_RESULT_OK) {
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        } else if ((key = [ClarifaiKey keyTakingNative:created]) == nil) {
            ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        }
    }
done:
    ClarifaiFreeCString(app);
    ClarifaiFreeCString(desc);
    ClarifaiFreeCString(user);
    ClarifaiFreeCStringArray(scopeArray, scopeCount);
    ClarifaiFreeCStringArray(endpointArray, endpointCount);
    return key;
}

- (NSArray *)listKeysWithError:(NSError **)error
{
    clarifai_key_list *list = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_list_keys(_client, &list, &err);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    /* Every key borrows from the list, which goes with the last of them. */
    ClarifaiNativeBox *box = [[ClarifaiNativeBox alloc] initWithPointer:list free:(void (*)(void *))clarifai_key_list_free];
    if (box == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return nil;
    }
    size_t count = clarifai_key_list_len(list);
    NSMutableArray *keys = [NSMutableArray arrayWithCapacity:count];
    for (size_t i = 0; i < count; i++) {
        const clarifai_key *native = clarifai_key_list_get(list, i);
        ClarifaiKey *key = native != NULL ? [[ClarifaiKey alloc] initWithNativeKey:native owner:box] : nil;
        if (key != nil) {
            [keys addObject:key];
            [key release];
        }
    }
    [box release];
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
    clarifai_key *rotated = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_rotate_key(_client, key, &rotated, &err);
    ClarifaiFreeCString(key);
    if (r != CLARIFAI_RESULT_OK) {
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return nil;
    }
    ClarifaiKey *result = [ClarifaiKey keyTakingNative:rotated];
    if (result == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
    }
    return result;
}

/* Asynchronous calls */

/* nil, or an error when delegate cannot take the outcome of selector. */
static NSError *ClarifaiCheckDelegate(id delegate, SEL selector)
{
    if (delegate == nil) {
        return ClarifaiMakeError(ClarifaiErrorNullArgument, @"delegate must not be nil");
    }
    if (![delegate respondsToSelector:selector]) {
        return ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"the delegate does not implement -%@", NSStringFromSelector(selector)]);
    }
    return nil;
}

- (ClarifaiCall *)callEndpoint:(NSString *)endpoint
                        params:(NSDictionary *)params
                      delegate:(id<ClarifaiAppDelegate>)delegate
                         error:(NSError **)error
{
    return [self callEndpoint:endpoint params:params options:nil delegate:delegate error:error];
}

- (ClarifaiCall *)callEndpoint:(NSString *)endpoint
                        params:(NSDictionary *)params
                       options:(ClarifaiCallOptions *)options
                      delegate:(id<ClarifaiAppDelegate>)delegate
                         error:(NSError **)error
{
    NSError *refused = ClarifaiCheckDelegate(delegate, @selector(clarifaiApp:didCompleteCall:response:error:));
    if (refused != nil) {
        ClarifaiSetError(error, refused);
        return nil;
    }
    BOOL failed = YES;
    char *name = ClarifaiCopyCString(endpoint, @"endpoint", error);
    char *json = name != NULL ? ClarifaiCopyJSONParams(params, @"params", &failed, error) : NULL;
    clarifai_call_options *native = NULL;
    ClarifaiCall *call = nil;
    if (!failed && ClarifaiMakeCallOptions(options, &native, error)) {
        ClarifaiPendingCall *pending = [[ClarifaiPendingCall alloc] init];
        pending->_app = [self retain];
        pending->_delegate = [delegate retain];
        pending->_call = [[ClarifaiCall alloc] initWithEndpoint:endpoint params:params];
        call = [[pending->_call retain] autorelease];
        /* The callback's reference, taken first: it may run before the start returns. */
        [pending retain];
        clarifai_call *handle = NULL;
        clarifai_error *err = NULL;
        clarifai_result r = clarifai_client_call_async(_client, name, json, native, ClarifaiCallCompleted, pending,
                                                       &handle, &err);
        if (r == CLARIFAI_RESULT_OK) {
            [call attachNativeCall:handle];
        } else {
            [pending release];
            ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
            call = nil;
        }
        [pending release];
    }
    clarifai_call_options_free(native);
    ClarifaiFreeCString(name);
    ClarifaiFreeCString(json);
    return call;
}

- (ClarifaiBatchCall *)callMany:(NSArray *)calls delegate:(id<ClarifaiAppDelegate>)delegate error:(NSError **)error
{
    return [self callMany:calls options:nil delegate:delegate error:error];
}

- (ClarifaiBatchCall *)callMany:(NSArray *)calls
                        options:(ClarifaiCallOptions *)options
                       delegate:(id<ClarifaiAppDelegate>)delegate
                          error:(NSError **)error
{
    NSError *refused = ClarifaiCheckDelegate(delegate, @selector(clarifaiApp:didCompleteBatch:results:));
    if (refused != nil) {
        ClarifaiSetError(error, refused);
        return nil;
    }
    ClarifaiBatchPlan *plan = [ClarifaiBatchPlan planWithCalls:calls error:error];
    clarifai_call_options *native = NULL;
    if (plan == nil || !ClarifaiMakeCallOptions(options, &native, error)) {
        return nil;
    }
    ClarifaiPendingCall *pending = [[ClarifaiPendingCall alloc] init];
    pending->_app = [self retain];
    pending->_delegate = [delegate retain];
    pending->_batch = [[ClarifaiBatchCall alloc] initWithCalls:plan->_calls];
    pending->_plan = [plan retain];
    ClarifaiBatchCall *batch = [[pending->_batch retain] autorelease];
    [pending retain];
    clarifai_call *handle = NULL;
    clarifai_error *err = NULL;
    clarifai_result r = clarifai_client_call_many_async(_client, (const char *const *)plan->_names,
                                                        (const char *const *)plan->_params, plan->_native, native,
                                                        ClarifaiBatchCompleted, pending, &handle, &err);
    clarifai_call_options_free(native);
    [plan freeStrings];
    if (r == CLARIFAI_RESULT_OK) {
        [batch attachNativeCall:handle];
    } else {
        [pending release];
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        batch = nil;
    }
    [pending release];
    return batch;
}

#if CLARIFAI_HAS_BLOCKS
- (ClarifaiCall *)callEndpoint:(NSString *)endpoint
                        params:(NSDictionary *)params
                    completion:(void (^)(ClarifaiResponse *, NSError *))completion
                         error:(NSError **)error
{
    if (completion == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"completion must not be nil"));
        return nil;
    }
    ClarifaiBlockDelegate *delegate = [[[ClarifaiBlockDelegate alloc] init] autorelease];
    delegate->_callCompletion = [completion copy];
    return [self callEndpoint:endpoint params:params options:nil delegate:delegate error:error];
}

- (ClarifaiBatchCall *)callMany:(NSArray *)calls
                     completion:(void (^)(NSArray *))completion
                          error:(NSError **)error
{
    if (completion == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument, @"completion must not be nil"));
        return nil;
    }
    ClarifaiBlockDelegate *delegate = [[[ClarifaiBlockDelegate alloc] init] autorelease];
    delegate->_batchCompletion = [completion copy];
    return [self callMany:calls options:nil delegate:delegate error:error];
}
#endif

@end
