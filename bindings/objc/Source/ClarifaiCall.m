/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

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

- (void)dealloc
{
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

@end
