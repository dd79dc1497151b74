/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

/*
 * The strings and the body are made the first time they are asked for (most callers read one
 * or two of them, and JSONString and body copy the whole answer). A response may be read from
 * several threads at once, so each is published with a compare-and-swap: a thread that loses
 * the race releases its copy and returns the winner's.
 */
static id ClarifaiPublish(id *slot, id value)
{
    id expected = nil;
    if (!__atomic_compare_exchange_n(slot, &expected, value, NO, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        [value release];
        return expected;
    }
    return value;
}

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
    return ClarifaiPublish((id *)slot, s);
}

@implementation ClarifaiResponse

@synthesize httpStatus = _httpStatus;
@synthesize statusCode = _statusCode;

+ (ClarifaiResponse *)responseTakingNative:(clarifai_response *)response
{
    ClarifaiResponse *r = [[self alloc] initWithNativeResponse:response keeper:nil];
    if (r == nil) {
        clarifai_response_free(response);
        return nil;
    }
    r->_ownsResponse = YES;
    return [r autorelease];
}

- (instancetype)initWithNativeResponse:(const clarifai_response *)response keeper:(id)keeper
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    _response = response;
    _keeper = [keeper retain];
    _httpStatus = clarifai_response_http_status(response);
    _statusCode = clarifai_response_status_code(response);
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

- (const char *)JSONText
{
    const char *json = clarifai_response_json(_response);
    return json != NULL ? json : "{}";
}

- (NSDictionary *)body
{
    NSDictionary *body = __atomic_load_n(&_body, __ATOMIC_ACQUIRE);
    if (body != nil) {
        return body;
    }
    id object = ClarifaiReadJSON([self JSONText], NULL);
    if (![object isKindOfClass:[NSDictionary class]]) {
        return nil;
    }
    return ClarifaiPublish((id *)&_body, [object retain]);
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
    return ClarifaiLazyString(&_JSONString, [self JSONText]);
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

- (NSString *)debugDescription
{
    return [self description];
}

@end
