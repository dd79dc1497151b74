/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

@implementation ClarifaiKey

@synthesize keyID = _keyID;
@synthesize keyDescription = _keyDescription;
@synthesize scopes = _scopes;
@synthesize endpoints = _endpoints;
@synthesize apps = _apps;

+ (ClarifaiKey *)keyWithJSONObject:(id)object error:(NSError **)error
{
    id keyID = [object isKindOfClass:[NSDictionary class]] ? [object objectForKey:@"id"] : nil;
    if (![keyID isKindOfClass:[NSString class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
            @"a key in the answer has no id"));
        return nil;
    }
    return [[[self alloc] initWithJSONObject:object] autorelease];
}

/* -init is unavailable to apps (keys come from the API only), so this calls super's. */
- (instancetype)initWithJSONObject:(NSDictionary *)object
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    _keyID = [[object objectForKey:@"id"] copy];
    id description = [object objectForKey:@"description"];
    _keyDescription = [([description isKindOfClass:[NSString class]] ? description : @"") copy];
    _scopes = [ClarifaiStringArray([object objectForKey:@"scopes"]) copy];
    _endpoints = [ClarifaiStringArray([object objectForKey:@"endpoints"]) copy];
    NSMutableArray *apps = [NSMutableArray array];
    id list = [object objectForKey:@"apps"];
    if ([list isKindOfClass:[NSArray class]]) {
        NSEnumerator *e = [list objectEnumerator];
        id item;
        while ((item = [e nextObject]) != nil) {
            ClarifaiUserAppIDSet *set = [ClarifaiUserAppIDSet setWithJSONObject:item];
            if (set != nil) {
                [apps addObject:set];
            }
        }
    }
    _apps = [apps copy];
    return self;
}

+ (ClarifaiKey *)keyTakingNativeJSON:(char *)json error:(NSError **)error
{
    id object = ClarifaiParseJSON(json, error);
    clarifai_string_free(json);
    return object != nil ? [self keyWithJSONObject:object error:error] : nil;
}

- (void)dealloc
{
    [_keyID release];
    [_keyDescription release];
    [_scopes release];
    [_endpoints release];
    [_apps release];
    [super dealloc];
}

- (BOOL)isEqual:(id)other
{
    return [other isKindOfClass:[ClarifaiKey class]] && [_keyID isEqualToString:((ClarifaiKey *)other)->_keyID];
}

- (NSUInteger)hash
{
    return [_keyID hash];
}

/* Never the id: it is the secret token, and descriptions end up in logs. */
- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p \"%@\" scopes=(%@) endpoints=(%@) apps=(%@)>",
                                      NSStringFromClass([self class]), (void *)self, _keyDescription,
                                      [_scopes componentsJoinedByString:@", "],
                                      [_endpoints componentsJoinedByString:@", "],
                                      [_apps componentsJoinedByString:@", "]];
}

@end
