/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

@implementation ClarifaiResponse

@synthesize httpStatus = _httpStatus;
@synthesize statusCode = _statusCode;
@synthesize statusDescription = _statusDescription;
@synthesize details = _details;
@synthesize reqID = _reqID;
@synthesize body = _body;
@synthesize JSONString = _JSONString;

+ (ClarifaiResponse *)responseTakingNative:(clarifai_response *)response error:(NSError **)error
{
    ClarifaiNativeBox *box = [[ClarifaiNativeBox alloc] initWithPointer:response
                                                                   free:(void (*)(void *))clarifai_response_free];
    ClarifaiResponse *r = [[self alloc] initWithNativeResponse:response keeper:box error:error];
    [box release];
    return [r autorelease];
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
    _statusDescription = [ClarifaiStringFromC(clarifai_response_description(response)) copy];
    _details = [ClarifaiStringFromC(clarifai_response_details(response)) copy];
    _reqID = [ClarifaiStringFromC(clarifai_response_req_id(response)) copy];
    const char *json = clarifai_response_json(response);
    _JSONString = [ClarifaiStringFromC(json != NULL ? json : "{}") copy];
    id body = ClarifaiParseJSON(json != NULL ? json : "{}", error);
    if (![body isKindOfClass:[NSDictionary class]]) {
        if (body != nil) {
            ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
                @"the response body is not a JSON object"));
        }
        [self release];
        return nil;
    }
    _body = [body copy];
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
    [super dealloc];
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
                                      (long)_httpStatus, (long)_statusCode, _statusDescription, _reqID];
}

@end
