/*
 * What a credential may do, as MyScopes reports it.
 */

#import "ClarifaiDefines.h"

@class ClarifaiUserAppIDSet;

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiScopes : NSObject {
@private
    id _owner;
    NSArray *_scopes;
    NSArray *_grantedScopes;
    NSArray *_endpoints;
    NSArray *_endpointGrants;
    NSArray *_unknownScopes;
    ClarifaiUserAppIDSet *_app;
}

/* Every scope the credential holds: the granted ones and their dependencies, docs spelling. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *scopes;
/* The scopes as granted, before dependencies were added. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *grantedScopes;
/* The endpoints MyScopes says the credential may call ("/clarifai.api.V2/ListInputs"). */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *endpoints;
/* The endpoints a key is limited to; empty means no endpoint limit. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *endpointGrants;
/* Scope names the server sent that this library does not know. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, NSString *) *unknownScopes;
/* The app an app key belongs to; nil when the API did not say (a PAT). */
@property (nonatomic, readonly, copy) ClarifaiUserAppIDSet * _Nullable app;

CLARIFAI_INIT_UNAVAILABLE

/* Whether the credential has scope, in either spelling ("Inputs:Add" or "Inputs_Add"), with
 * dependencies counted. NO for unknown names and nil. */
- (BOOL)containsScope:(NSString *)scope;

@end

NS_ASSUME_NONNULL_END
