/*
 * An app-specific API key as key management returns it. Its keyID is the secret token itself
 * (the API names keys by their secret): it stays in the native library's memory, which is
 * wiped when the key goes, and -description and -debugDescription never show it.
 */

#import "ClarifaiDefines.h"

@class ClarifaiUserAppIDSet;

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiKey : NSObject {
@private
    /* Owns the native key, or the list it was borrowed from. */
    id _owner;
    const void *_key;
    NSString *_keyDescription;
    NSArray *_scopes;
    NSArray *_endpoints;
    NSArray *_apps;
}

/* The key's id, which is also its secret token: keep it as you would a password. Each call
 * gives a new string read from the native key. */
@property (nonatomic, readonly, copy) NSString *keyID;
@property (nonatomic, readonly, copy) NSString *keyDescription;
/* Scope names, docs spelling ("Inputs:Add"). */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *scopes;
/* RPC names the key is limited to; empty means every endpoint its scopes allow. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *endpoints;
/* The app the key is bound to (an app key has exactly one). */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, ClarifaiUserAppIDSet *) *apps;

CLARIFAI_INIT_UNAVAILABLE

/* Equal when the ids are equal. */
- (BOOL)isEqual:(id _Nullable)object;

@end

NS_ASSUME_NONNULL_END
