/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

@implementation ClarifaiScopes

@synthesize scopes = _scopes;
@synthesize grantedScopes = _grantedScopes;
@synthesize endpoints = _endpoints;
@synthesize app = _app;
@synthesize unknownScopes = _unknownScopes;

+ (ClarifaiScopes *)scopesWithJSONObject:(id)object error:(NSError **)error
{
    if (![object isKindOfClass:[NSDictionary class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
            @"MyScopes did not answer with an object"));
        return nil;
    }
    return [[[self alloc] initWithJSONObject:object] autorelease];
}

- (instancetype)initWithJSONObject:(NSDictionary *)object
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    _scopes = [ClarifaiStringArray([object objectForKey:@"scopes"]) copy];
    _grantedScopes = [ClarifaiStringArray([object objectForKey:@"granted"]) copy];
    _endpoints = [ClarifaiStringArray([object objectForKey:@"endpoints"]) copy];
    _unknownScopes = [ClarifaiStringArray([object objectForKey:@"unknown_scopes"]) copy];
    _app = [[ClarifaiUserAppIDSet setWithJSONObject:[object objectForKey:@"app"]] retain];
    return self;
}

- (void)dealloc
{
    [_scopes release];
    [_grantedScopes release];
    [_endpoints release];
    [_app release];
    [_unknownScopes release];
    [super dealloc];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p scopes=(%@) endpoints=(%@) app=%@>",
                                      NSStringFromClass([self class]), (void *)self,
                                      [_scopes componentsJoinedByString:@", "],
                                      [_endpoints componentsJoinedByString:@", "], _app];
}

@end
