/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

@interface ClarifaiScopes ()
- (instancetype)initWithOwner:(ClarifaiNativeBox *)owner;
@end

@implementation ClarifaiScopes

@synthesize scopes = _scopes;
@synthesize grantedScopes = _grantedScopes;
@synthesize endpoints = _endpoints;
@synthesize endpointGrants = _endpointGrants;
@synthesize unknownScopes = _unknownScopes;
@synthesize app = _app;

+ (ClarifaiScopes *)scopesTakingNative:(clarifai_scopes *)scopes
{
    ClarifaiNativeBox *box = [[ClarifaiNativeBox alloc] initWithPointer:scopes
                                                                   free:(void (*)(void *))clarifai_scopes_free];
    ClarifaiScopes *result = box != nil ? [[[self alloc] initWithOwner:box] autorelease] : nil;
    [box release];
    return result;
}

- (instancetype)initWithOwner:(ClarifaiNativeBox *)owner
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    const clarifai_scopes *s = [owner pointer];
    /* Kept for -containsScope:, which asks the library (it knows both spellings). */
    _owner = [owner retain];
    _scopes = [CLARIFAI_STRING_LIST(s, clarifai_scopes_count, clarifai_scopes_get) retain];
    _grantedScopes = [CLARIFAI_STRING_LIST(s, clarifai_scopes_granted_count, clarifai_scopes_granted) retain];
    _endpoints = [CLARIFAI_STRING_LIST(s, clarifai_scopes_endpoint_count, clarifai_scopes_endpoint) retain];
    _endpointGrants = [CLARIFAI_STRING_LIST(s, clarifai_scopes_endpoint_grant_count, clarifai_scopes_endpoint_grant) retain];
    _unknownScopes = [CLARIFAI_STRING_LIST(s, clarifai_scopes_unknown_count, clarifai_scopes_unknown) retain];
    NSString *user = ClarifaiStringFromC(clarifai_scopes_app_user_id(s));
    NSString *app = ClarifaiStringFromC(clarifai_scopes_app_id(s));
    if (user != nil && app != nil) {
        _app = [[ClarifaiUserAppIDSet alloc] initWithUserID:user appID:app];
    }
    return self;
}

- (void)dealloc
{
    [_owner release];
    [_scopes release];
    [_grantedScopes release];
    [_endpoints release];
    [_endpointGrants release];
    [_unknownScopes release];
    [_app release];
    [super dealloc];
}

- (BOOL)containsScope:(NSString *)scope
{
    char *name = ClarifaiCopyCString(scope, @"scope", NULL);
    if (name == NULL) {
        return NO;
    }
    BOOL contains = clarifai_scopes_contains((const clarifai_scopes *)[_owner pointer], name) ? YES : NO;
    ClarifaiFreeCString(name);
    return contains;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p scopes=(%@) endpointGrants=(%@) app=%@>",
                                      NSStringFromClass([self class]), (void *)self,
                                      [_scopes componentsJoinedByString:@", "],
                                      [_endpointGrants componentsJoinedByString:@", "], _app];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end
