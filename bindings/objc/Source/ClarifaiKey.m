/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

#include <string.h>

@implementation ClarifaiKey

@synthesize keyDescription = _keyDescription;
@synthesize scopes = _scopes;
@synthesize endpoints = _endpoints;
@synthesize apps = _apps;

+ (ClarifaiKey *)keyTakingNative:(clarifai_key *)key
{
    ClarifaiNativeBox *box = [[ClarifaiNativeBox alloc] initWithPointer:key free:(void (*)(void *))clarifai_key_free];
    ClarifaiKey *result = box != nil ? [[[self alloc] initWithNativeKey:key owner:box] autorelease] : nil;
    [box release];
    return result;
}

/* -init is unavailable to apps (keys come from the API only), so this calls super's. */
- (instancetype)initWithNativeKey:(const clarifai_key *)key owner:(ClarifaiNativeBox *)owner
{
    if ((self = [super init]) == nil) {
        return nil;
    }
    _owner = [owner retain];
    _key = key;
    NSString *description = ClarifaiStringFromC(clarifai_key_description(key));
    _keyDescription = [(description != nil ? description : @"") copy];
    _scopes = [CLARIFAI_STRING_LIST(key, clarifai_key_scope_count, clarifai_key_scope) retain];
    _endpoints = [CLARIFAI_STRING_LIST(key, clarifai_key_endpoint_count, clarifai_key_endpoint) retain];
    NSMutableArray *apps = [NSMutableArray array];
    size_t count = clarifai_key_app_count(key);
    for (size_t i = 0; i < count; i++) {
        NSString *user = ClarifaiStringFromC(clarifai_key_app_user_id(key, i));
        NSString *app = ClarifaiStringFromC(clarifai_key_app_id(key, i));
        if (user != nil && app != nil) {
            [apps addObject:[ClarifaiUserAppIDSet setWithUserID:user appID:app]];
        }
    }
    _apps = [apps copy];
    return self;
}

- (void)dealloc
{
    [_keyDescription release];
    [_scopes release];
    [_endpoints release];
    [_apps release];
    [_owner release];
    [super dealloc];
}

- (NSString *)keyID
{
    NSString *keyID = ClarifaiStringFromC(clarifai_key_id((const clarifai_key *)_key));
    return keyID != nil ? keyID : @"";
}

- (const char *)nativeID
{
    const char *keyID = clarifai_key_id((const clarifai_key *)_key);
    return keyID != NULL ? keyID : "";
}

/* Compared in native memory, so that comparing keys makes no copy of their secrets. */
- (BOOL)isEqual:(id)other
{
    return other == self
        || ([other isKindOfClass:[ClarifaiKey class]] && strcmp([self nativeID], [(ClarifaiKey *)other nativeID]) == 0);
}

- (NSUInteger)hash
{
    /* FNV-1a of the id: equal ids, equal hashes. */
    NSUInteger h = (NSUInteger)2166136261u;
    for (const unsigned char *p = (const unsigned char *)[self nativeID]; *p != '\0'; p++) {
        h = (h ^ *p) * (NSUInteger)16777619u;
    }
    return h;
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

- (NSString *)debugDescription
{
    return [self description];
}

@end
