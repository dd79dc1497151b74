/*
 * The user and app a request acts on: the API's user_app_id. A value: immutable, copyable,
 * equal when both ids are equal.
 */

#import "ClarifaiDefines.h"

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiUserAppIDSet : NSObject <NSCopying> {
@private
    NSString *_userID;
    NSString *_appID;
}

/* "me" names the caller's own user. */
@property (nonatomic, readonly, copy) NSString *userID;
@property (nonatomic, readonly, copy) NSString *appID;

+ (instancetype)setWithUserID:(NSString *)userID appID:(NSString *)appID;
- (instancetype)initWithUserID:(NSString *)userID appID:(NSString *)appID NS_DESIGNATED_INITIALIZER;
CLARIFAI_INIT_UNAVAILABLE

/* {"user_id": ..., "app_id": ...}, ready to be the "user_app_id" of a call's params. */
- (NSDictionary *)dictionaryRepresentation;

@end

NS_ASSUME_NONNULL_END
