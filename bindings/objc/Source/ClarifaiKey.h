/*
 * An app-specific API key as key management returns it. Its keyID is the secret token itself
 * (the API names keys by their secret): -description never shows it.
 */

#import "ClarifaiDefines.h"

@class ClarifaiUserAppIDSet;

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiKey : NSObject {
@private
    NSString *_keyID;
    NSString *_keyDescription;
    NSArray *_scopes;
    NSArray *_endpoints;
    NSArray *_apps;
}

/* The key's id, which is also its secret token: keep it as you would a password. */
@property (nonatomic, readonly, copy) NSString *keyID;
@property (nonatomic, readonly, copy) NSString *keyDescription;
/* Scope names, docs spelling ("Inputs:Add"). */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *scopes;
/* RPC names the key is limited to; empty means every endpoint its scopes allow. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *endpoints;
/* The app the key is bound to (an app key has exactly one). */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, ClarifaiUserAppIDSet *) *apps;

CLARIFAI_INIT_UNAVAILABLE

@end

NS_ASSUME_NONNULL_END
