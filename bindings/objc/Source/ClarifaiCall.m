/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

/*
 * A started call learns its native handle only after clarifai_client_call_async has returned,
 * and -cancel may come from another thread before that. Both sides store, then look at the
 * other's: either the starter sees the request, or -cancel sees the handle (or both; cancelling
 * twice is harmless), so no cancel is lost.
 */
static void ClarifaiAttach(void **slot, int *cancelRequested, clarifai_call *call)
{
    __atomic_store_n(slot, (void *)call, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(cancelRequested, __ATOMIC_SEQ_CST)) {
        clarifai_call_cancel(call);
    }
}

static void ClarifaiCancel(void **slot, int *cancelRequested)
{
    __atomic_store_n(cancelRequested, 1, __ATOMIC_SEQ_CST);
    clarifai_call *call = __atomic_load_n(slot, __ATOMIC_SEQ_CST);
    if (call != NULL) {
        clarifai_call_cancel(call);
    }
}

/*
 * The last release of a started call comes after its outcome was delivered: the pending
 * delivery holds a reference until then. clarifai_call_free then finds the call done (or, when
 * this runs inside the delivery itself, knows its own thread), so it neither waits nor runs the
 * callback again.
 */
static void ClarifaiRelease(void **slot)
{
    clarifai_call_free((clarifai_call *)__atomic_exchange_n(slot, NULL, __ATOMIC_SEQ_CST));
}

@implementation ClarifaiCall

@synthesize endpoint = _endpoint;
@synthesize params = _params;

+ (instancetype)callWithEndpoint:(NSString *)endpoint params:(NSDictionary *)params
{
    return [[[self alloc] initWithEndpoint:endpoint params:params] autorelease];
}

- (instancetype)initWithEndpoint:(NSString *)endpoint params:(NSDictionary *)params
{
    if ((self = [super init]) != nil) {
        /* A nil endpoint is kept as nil so that running the call reports it, rather than the
         * constructor raising far from where the mistake shows. */
        _endpoint = [endpoint copy];
        _params = [params copy];
    }
    return self;
}

- (void)attachNativeCall:(clarifai_call *)call
{
    ClarifaiAttach(&_native, &_cancelRequested, call);
}

- (void)cancel
{
    ClarifaiCancel(&_native, &_cancelRequested);
}

- (void)dealloc
{
    ClarifaiRelease(&_native);
    [_endpoint release];
    [_params release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p %@>", NSStringFromClass([self class]), (void *)self, _endpoint];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end

@implementation ClarifaiBatchCall

@synthesize calls = _calls;

- (instancetype)initWithCalls:(NSArray *)calls
{
    if ((self = [super init]) != nil) {
        _calls = [calls copy];
    }
    return self;
}

- (void)attachNativeCall:(clarifai_call *)call
{
    ClarifaiAttach(&_native, &_cancelRequested, call);
}

- (void)cancel
{
    ClarifaiCancel(&_native, &_cancelRequested);
}

- (void)dealloc
{
    ClarifaiRelease(&_native);
    [_calls release];
    [super dealloc];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p %lu calls>", NSStringFromClass([self class]), (void *)self,
                                      (unsigned long)[_calls count]];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end

@implementation ClarifaiCallResult

@synthesize call = _call;
@synthesize response = _response;
@synthesize error = _error;

- (instancetype)initWithCall:(ClarifaiCall *)call response:(ClarifaiResponse *)response error:(NSError *)error
{
    if ((self = [super init]) != nil) {
        _call = [call retain];
        _response = [response retain];
        _error = [error retain];
    }
    return self;
}

- (void)dealloc
{
    [_call release];
    [_response release];
    [_error release];
    [super dealloc];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p %@ -> %@>", NSStringFromClass([self class]), (void *)self,
                                      [_call endpoint],
                                      _response != nil ? (id)_response : (id)[_error localizedDescription]];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end
