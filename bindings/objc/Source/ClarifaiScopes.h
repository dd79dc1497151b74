/*
 * What a credential may do, as MyScopes reports it.
 */

#import "ClarifaiDefines.h"

@class ClarifaiUserAppIDSet;

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiScopes : NSObject {
@private
    NSArray *_scopes;
    NSArray *_grantedScopes;
    NSArray *_endpoints;
    ClarifaiUserAppIDSet *_app;
    NSArray *_unknownScopes;
}

/* Every scope the credential holds: the granted ones and their dependencies, docs spelling. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *scopes;
/* The scopes as granted, before dependencies were added. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *grantedScopes;
/* Endpoint grants ("/clarifai.api.V2/PostModelOutputs"); empty means no endpoint limit. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *endpoints;
/* The app an app key belongs to; nil for a PAT. */
@property (nonatomic, readonly, copy) ClarifaiUserAppIDSet * _Nullable app;
/* Scope names the server sent that this library does not know. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *unknownScopes;

CLARIFAI_INIT_UNAVAILABLE

@end

NS_ASSUME_NONNULL_END
