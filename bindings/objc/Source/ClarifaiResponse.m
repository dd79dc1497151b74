/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

/*
 * The strings are made the first time they are asked for (most callers read one or two of
 * them, and JSONString copies the whole body). A response may be read from several threads at
 * once, so each is published with a compare-and-swap: a thread that loses the race releases
 * its copy and returns the winner's.
 */
static NSString *ClarifaiLazyString(NSString **slot, const char *text)
{
    NSString *s = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (s != nil) {
        return s;
    }
    s = text != NULL ? [[NSString alloc] initWithUTF8String:text] : nil;
    if (s == nil) {
        s = @""; /* the library's strings are UTF-8; this is only in case */
    }
    NSString *expected = nil;
    if (!__atomic_compare_exchange_n(slot, &expected, s, NO, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        [s release];
        return expected;
    }
    return s;
}

@implementation ClarifaiResponse

@synthesize httpStatus = _httpStatus;
@synthesize statusCode = _statusCode;
@synthesize body = _body;

+ (ClarifaiResponse *)responseTakingNative:(clarifai_response *)response error:(NSError **)error
{
    ClarifaiResponse *r = [self alloc];
    if (r == nil) {
        clarifai_response_free(response);
        return nil;
    }
    /* Owned from here on: dealloc frees it, also when init fails. */
    r->_response = response;
    r->_ownsResponse = YES;
    return [[r initWithNativeResponse:response keeper:nil error:error] autorelease];
}

- (instancetype)initWithNativeResponse:(const clarifai_response *)response
                                keeper:(id)keeper
                                 error:(NSError **)error
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    _response = response;
    _keeper = [keeper retain];
    _httpStatus = clarifai_response_http_status(response);
    _statusCode = clarifai_response_status_code(response);
    const char *json = clarifai_response_json(response);
    NSDictionary *body = ClarifaiParseJSONObject(json != NULL ? json : "{}", error);
    if (body == nil) {
        [self release];
        return nil;
    }
    /* Immutable already: a copy would only be a retain. */
    _body = [body retain];
    return self;
}

- (void)dealloc
{
    [_statusDescription release];
    [_details release];
    [_reqID release];
    [_JSONString release];
    [_body release];
    [_keeper release];
    if (_ownsResponse) {
        clarifai_response_free((clarifai_response *)_response);
    }
    [super dealloc];
}

- (NSString *)statusDescription
{
    return ClarifaiLazyString(&_statusDescription, clarifai_response_description(_response));
}

- (NSString *)details
{
    return ClarifaiLazyString(&_details, clarifai_response_details(_response));
}

- (NSString *)reqID
{
    return ClarifaiLazyString(&_reqID, clarifai_response_req_id(_response));
}

- (NSString *)JSONString
{
    const char *json = clarifai_response_json(_response);
    return ClarifaiLazyString(&_JSONString, json != NULL ? json : "{}");
}

- (NSString *)valueForHTTPHeaderField:(NSString *)field
{
    char *name = ClarifaiCopyCString(field, @"field", NULL);
    if (name == NULL) {
        return nil;
    }
    NSString *value = ClarifaiStringFromC(clarifai_response_header((const clarifai_response *)_response, name));
    ClarifaiFreeCString(name);
    return value;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p HTTP %ld, status %ld %@, req_id %@>",
                                      NSStringFromClass([self class]), (void *)self,
                                      (long)_httpStatus, (long)_statusCode, [self statusDescription],
                                      [self reqID]];
}

@end
