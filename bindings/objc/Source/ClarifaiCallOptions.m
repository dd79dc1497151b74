/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

@implementation ClarifaiCancelToken

+ (instancetype)token
{
    return [[[self alloc] init] autorelease];
}

- (instancetype)init
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    _token = clarifai_cancel_token_new();
    if (_token == NULL) {
        [self release];
        return nil;
    }
    return self;
}

- (void)dealloc
{
    /* Calls it was given keep their own reference. */
    clarifai_cancel_token_free((clarifai_cancel_token *)_token);
    [super dealloc];
}

- (const clarifai_cancel_token *)nativeToken
{
    return (const clarifai_cancel_token *)_token;
}

- (void)cancel
{
    clarifai_cancel_token_cancel((const clarifai_cancel_token *)_token);
}

- (BOOL)isCancelled
{
    return clarifai_cancel_token_is_cancelled((const clarifai_cancel_token *)_token) ? YES : NO;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p%@>", NSStringFromClass([self class]), (void *)self,
                                      [self isCancelled] ? @" cancelled" : @""];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end

@implementation ClarifaiCallOptions

@synthesize timeout = _timeout;
@synthesize cancelToken = _cancelToken;

+ (instancetype)options
{
    return [[[self alloc] init] autorelease];
}

- (void)dealloc
{
    [_cancelToken release];
    [super dealloc];
}

- (void)setTimeout:(NSTimeInterval)timeout
{
    _timeout = timeout;
    _hasTimeout = YES;
}

- (id)copyWithZone:(NSZone *)zone
{
    ClarifaiCallOptions *copy = [[[self class] allocWithZone:zone] init];
    copy->_timeout = _timeout;
    copy->_hasTimeout = _hasTimeout;
    copy->_cancelToken = [_cancelToken retain];
    return copy;
}

- (clarifai_call_options *)newNativeOptions:(NSError **)error
{
    clarifai_call_options *native = clarifai_call_options_new();
    if (native == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    clarifai_error *err = NULL;
    clarifai_result r = CLARIFAI_RESULT_OK;
    if (_hasTimeout) {
        r = clarifai_call_options_set_timeout_ms(native, ClarifaiMilliseconds(_timeout), &err);
    }
    if (r == CLARIFAI_RESULT_OK && _cancelToken != nil) {
        r = clarifai_call_options_set_cancel_token(native, [_cancelToken nativeToken], &err);
    }
    if (r != CLARIFAI_RESULT_OK) {
        clarifai_call_options_free(native);
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
        return NULL;
    }
    return native;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p timeout=%@ cancelToken=%@>", NSStringFromClass([self class]),
                                      (void *)self,
                                      _hasTimeout ? [NSString stringWithFormat:@"%g", _timeout] : @"(the app's)",
                                      _cancelToken];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end
