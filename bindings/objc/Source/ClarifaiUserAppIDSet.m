/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

@implementation ClarifaiUserAppIDSet

@synthesize userID = _userID;
@synthesize appID = _appID;

+ (instancetype)setWithUserID:(NSString *)userID appID:(NSString *)appID
{
    return [[[self alloc] initWithUserID:userID appID:appID] autorelease];
}

- (instancetype)initWithUserID:(NSString *)userID appID:(NSString *)appID
{
    if ((self = [super init]) != nil) {
        _userID = [(userID != nil ? userID : @"") copy];
        _appID = [(appID != nil ? appID : @"") copy];
    }
    return self;
}

- (void)dealloc
{
    [_userID release];
    [_appID release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain];
}

- (BOOL)isEqual:(id)other
{
    if (other == self) {
        return YES;
    }
    if (![other isKindOfClass:[ClarifaiUserAppIDSet class]]) {
        return NO;
    }
    ClarifaiUserAppIDSet *set = other;
    return [_userID isEqualToString:set->_userID] && [_appID isEqualToString:set->_appID];
}

- (NSUInteger)hash
{
    return [_userID hash] * 31u + [_appID hash];
}

- (NSDictionary *)dictionaryRepresentation
{
    return [NSDictionary dictionaryWithObjectsAndKeys:_userID, @"user_id", _appID, @"app_id", nil];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"%@/%@", _userID, _appID];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end
