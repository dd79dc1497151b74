/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

NSString * const ClarifaiErrorDomain = @"ClarifaiErrorDomain";

NSString * const ClarifaiErrorKindKey = @"ClarifaiErrorKind";
NSString * const ClarifaiStatusCodeErrorKey = @"ClarifaiStatusCode";
NSString * const ClarifaiStatusDescriptionErrorKey = @"ClarifaiStatusDescription";
NSString * const ClarifaiStatusDetailsErrorKey = @"ClarifaiStatusDetails";
NSString * const ClarifaiRequestIDErrorKey = @"ClarifaiRequestID";
NSString * const ClarifaiHTTPStatusErrorKey = @"ClarifaiHTTPStatus";
NSString * const ClarifaiMissingScopesErrorKey = @"ClarifaiMissingScopes";
NSString * const ClarifaiMissingEndpointErrorKey = @"ClarifaiMissingEndpoint";
NSString * const ClarifaiRetryAfterErrorKey = @"ClarifaiRetryAfter";
NSString * const ClarifaiResultNameErrorKey = @"ClarifaiResultName";
NSString * const ClarifaiResponseHeadersErrorKey = @"ClarifaiResponseHeaders";

NSError *ClarifaiMakeError(ClarifaiErrorCode code, NSString *message)
{
    NSDictionary *userInfo = [NSDictionary dictionaryWithObjectsAndKeys:
        message, NSLocalizedDescriptionKey,
        ClarifaiStringFromC(clarifai_result_name((uint32_t)code)), ClarifaiResultNameErrorKey,
        [NSNumber numberWithInteger:ClarifaiErrorKindForCode(code)], ClarifaiErrorKindKey,
        nil];
    return [NSError errorWithDomain:ClarifaiErrorDomain code:code userInfo:userInfo];
}

static void ClarifaiPutNonEmpty(NSMutableDictionary *info, NSString *key, const char *text)
{
    if (text != NULL && text[0] != '\0') {
        [info setObject:ClarifaiStringFromC(text) forKey:key];
    }
}

NSError *ClarifaiErrorFromNative(clarifai_result result, const clarifai_error *err, id keeper)
{
    if (err == NULL) {
        /* Only a library bug gets here: every failure is documented to write its error. */
        return ClarifaiMakeError((ClarifaiErrorCode)result,
            ClarifaiStringFromC(clarifai_result_name(result)));
    }
    NSMutableDictionary *info = [NSMutableDictionary dictionary];
    [info setObject:ClarifaiStringFromC(clarifai_error_message(err)) forKey:NSLocalizedDescriptionKey];
    [info setObject:ClarifaiStringFromC(clarifai_result_name(result)) forKey:ClarifaiResultNameErrorKey];
    [info setObject:[NSNumber numberWithInteger:ClarifaiErrorKindForCode((NSInteger)result)] forKey:ClarifaiErrorKindKey];
    uint32_t status = clarifai_error_status_code(err);
    if (status != 0) {
        [info setObject:[NSNumber numberWithUnsignedInt:status] forKey:ClarifaiStatusCodeErrorKey];
    }
    ClarifaiPutNonEmpty(info, ClarifaiStatusDescriptionErrorKey, clarifai_error_description(err));
    ClarifaiPutNonEmpty(info, ClarifaiStatusDetailsErrorKey, clarifai_error_details(err));
    ClarifaiPutNonEmpty(info, ClarifaiRequestIDErrorKey, clarifai_error_req_id(err));
    ClarifaiPutNonEmpty(info, ClarifaiMissingEndpointErrorKey, clarifai_error_missing_endpoint(err));
    size_t missing = clarifai_error_missing_scopes_count(err);
    if (missing > 0 || result == CLARIFAI_RESULT_INSUFFICIENT_SCOPES) {
        NSMutableArray *scopes = [NSMutableArray arrayWithCapacity:missing];
        for (size_t i = 0; i < missing; i++) {
            NSString *scope = ClarifaiStringFromC(clarifai_error_missing_scope(err, i));
            if (scope != nil) {
                [scopes addObject:scope];
            }
        }
        [info setObject:[NSArray arrayWithArray:scopes] forKey:ClarifaiMissingScopesErrorKey];
    }
    int64_t retryAfter = clarifai_error_retry_after_secs(err);
    if (retryAfter >= 0) {
        [info setObject:[NSNumber numberWithLongLong:retryAfter] forKey:ClarifaiRetryAfterErrorKey];
    }
    uint16_t http = clarifai_error_http_status(err);
    if (http != 0) {
        [info setObject:[NSNumber numberWithUnsignedShort:http] forKey:ClarifaiHTTPStatusErrorKey];
        ClarifaiHTTPHeaders *headers = [[ClarifaiHTTPHeaders alloc] initWithNativeError:err keeper:keeper];
        [info setObject:headers forKey:ClarifaiResponseHeadersErrorKey];
        [headers release];
    }
    return [NSError errorWithDomain:ClarifaiErrorDomain code:(NSInteger)result userInfo:info];
}

NSError *ClarifaiErrorTakingNative(clarifai_result result, clarifai_error *err)
{
    if (err == NULL) {
        return ClarifaiErrorFromNative(result, NULL, nil);
    }
    ClarifaiNativeBox *box = [[ClarifaiNativeBox alloc] initWithPointer:err
                                                                   free:(void (*)(void *))clarifai_error_free];
    NSError *error = ClarifaiErrorFromNative(result, err, box);
    [box release];
    return error;
}

BOOL ClarifaiSetError(NSError **outError, NSError *error)
{
    if (outError != NULL) {
        *outError = error;
    }
    return NO;
}

@implementation NSError (ClarifaiErrorKind)

- (BOOL)isClarifaiErrorOfKind:(ClarifaiErrorKind)kind
{
    return [[self domain] isEqualToString:ClarifaiErrorDomain] && ClarifaiErrorKindForCode([self code]) == kind;
}

@end

@implementation ClarifaiHTTPHeaders

- (instancetype)initWithNativeError:(const clarifai_error *)err keeper:(id)keeper
{
    if ((self = [super init]) != nil) {
        _error = err;
        _keeper = [keeper retain];
    }
    return self;
}

- (void)dealloc
{
    [_keeper release];
    [super dealloc];
}

- (NSString *)valueForHTTPHeaderField:(NSString *)field
{
    char *name = ClarifaiCopyCString(field, @"field", NULL);
    if (name == NULL) {
        return nil;
    }
    NSString *value = ClarifaiStringFromC(clarifai_error_header((const clarifai_error *)_error, name));
    ClarifaiFreeCString(name);
    return value;
}

/* GNUstep's NSObject has no -debugDescription; here it says what -description says. */
- (NSString *)debugDescription
{
    return [self description];
}

@end
