/*
 * ClarifaiApp: a Clarifai API client. It holds one credential (an app-specific API key or a
 * Personal Access Token with its user and app), its settings and a keep-alive connection pool,
 * and sends authorized calls through the native clarifai-core library.
 *
 *     ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:@"YOUR_API_KEY"];
 *
 * Thread-safe: one app may be used from any number of threads at once. Synchronous calls block
 * the calling thread for one HTTP exchange.
 */

#import "ClarifaiDefines.h"

@class ClarifaiApp;
@class ClarifaiAppOptions;
@class ClarifaiCall;
@class ClarifaiCallResult;
@class ClarifaiKey;
@class ClarifaiResponse;
@class ClarifaiScopes;

NS_ASSUME_NONNULL_BEGIN

typedef NS_ENUM(NSInteger, ClarifaiCredentialKind) {
    ClarifaiCredentialKindAPIKey = 0,
    ClarifaiCredentialKindPAT = 1,
    /* Deprecated by Clarifai in 2017 (Bearer access tokens). */
    ClarifaiCredentialKindLegacyToken = 2,
};

/*
 * Receives the outcome of an asynchronous call. The method runs once per call, on a worker
 * thread of the native library (never the thread that started the call, never a run loop):
 * hop to the main thread yourself if you touch UI. Exactly one of response and error is set.
 * The app keeps the delegate (and itself) alive until the method has returned.
 */
@protocol ClarifaiAppDelegate <NSObject>
- (void)clarifaiApp:(ClarifaiApp *)app
    didCompleteCall:(ClarifaiCall *)call
           response:(ClarifaiResponse * _Nullable)response
              error:(NSError * _Nullable)error;
@end

@interface ClarifaiApp : NSObject {
@private
    struct clarifai_client *_client;
    ClarifaiAppOptions *_options;
}

/* The native library's version, e.g. "0.1.0". */
+ (NSString *)libraryVersion;

/* As the Clarifai docs show it. Returns nil when the key is nil, empty or malformed (it is
 * checked before any request); use -initWithApiKey:error: to learn why. */
- (instancetype _Nullable)initWithApiKey:(NSString *)apiKey;
- (instancetype _Nullable)initWithApiKey:(NSString *)apiKey error:(NSError **)error;
- (instancetype _Nullable)initWithApiKey:(NSString *)apiKey
                                 options:(ClarifaiAppOptions * _Nullable)options
                                   error:(NSError **)error;

/* A Personal Access Token acting on userID ("me" for yourself) and appID by default: calls go
 * to /v2/users/{userID}/apps/{appID}/... unless their params name another "user_app_id". */
- (instancetype _Nullable)initWithPAT:(NSString *)pat
                               userID:(NSString *)userID
                                appID:(NSString *)appID
                                error:(NSError **)error;
- (instancetype _Nullable)initWithPAT:(NSString *)pat
                               userID:(NSString *)userID
                                appID:(NSString *)appID
                              options:(ClarifaiAppOptions * _Nullable)options
                                error:(NSError **)error;

/* From the environment, as the official SDK reads it: CLARIFAI_PAT with CLARIFAI_USER_ID and
 * CLARIFAI_APP_ID, else CLARIFAI_API_KEY; CLARIFAI_API_BASE; CLARIFAI_ROOT_CERTIFICATES_PATH.
 * Fails with ClarifaiErrorMissingConfig naming what is missing. Options win over the
 * environment. */
+ (instancetype _Nullable)appFromEnvironment:(NSError **)error;
+ (instancetype _Nullable)appFromEnvironmentWithOptions:(ClarifaiAppOptions * _Nullable)options
                                                  error:(NSError **)error;

CLARIFAI_INIT_UNAVAILABLE

@property (nonatomic, readonly) ClarifaiCredentialKind credentialKind;
/* A copy of the settings the app was made with. */
@property (nonatomic, readonly, copy) ClarifaiAppOptions *options;

/* Per-request credentials: a new app sending another credential, sharing this app's
 * connection pool and settings. */
- (ClarifaiApp * _Nullable)appWithApiKey:(NSString *)apiKey error:(NSError **)error;
- (ClarifaiApp * _Nullable)appWithPAT:(NSString *)pat
                               userID:(NSString *)userID
                                appID:(NSString *)appID
                                error:(NSError **)error;

/* Call an RPC by name ("PostModelOutputs") with its request fields. Path fields (model_id,
 * input_id, ...) are taken from params; user_app_id from params or, for a PAT, from the app. */
- (ClarifaiResponse * _Nullable)callEndpoint:(NSString *)endpoint
                                      params:(NSDictionary * _Nullable)params
                                       error:(NSError **)error;

/* A raw request: method is GET, POST, PATCH, PUT or DELETE; path starts with "/" (a query
 * string is allowed) and is relative to the base URL; body nil for none. */
- (ClarifaiResponse * _Nullable)requestWithMethod:(NSString *)method
                                             path:(NSString *)path
                                             body:(NSDictionary * _Nullable)body
                                            error:(NSError **)error;

/* Run the calls concurrently (at most options.maxConcurrency at once) and wait for all. A call
 * that fails, even on a bad argument, fails alone: its result carries the error. The method
 * itself fails only when calls is not an array of ClarifaiCall. */
- (CLARIFAI_GENERIC(NSArray, ClarifaiCallResult *) * _Nullable)callMany:(CLARIFAI_GENERIC(NSArray, ClarifaiCall *) *)calls
                                                                  error:(NSError **)error;

/* Ask the API what this credential may do (MyScopes); the answer is cached for
 * -canCallEndpoint:.... */
- (ClarifaiScopes * _Nullable)myScopesWithError:(NSError **)error;

/* Preflight without a request once scopes are cached (the first check asks MyScopes, so a key
 * limited to a list of endpoints needs MyScopes in it). YES when the credential may call
 * endpoint, with an empty missingScopes. NO for a denial, with the missing scopes (docs
 * spelling) and the missing endpoint grant in the out parameters that are not NULL (an empty
 * array and nil when the endpoint refuses this kind of credential altogether). NO with both
 * set to nil when the check itself failed (MyScopes refused, no connection, bad argument). */
- (BOOL)canCallEndpoint:(NSString *)endpoint
          missingScopes:(NSArray * _Nullable * _Nullable)missingScopes
        missingEndpoint:(NSString * _Nullable * _Nullable)missingEndpoint;
/* The same, saying why in error: ClarifaiErrorInsufficientScopes or ClarifaiErrorPATRequired
 * for a denial (status code 0: the server was not asked), or whatever stopped the check. */
- (BOOL)canCallEndpoint:(NSString *)endpoint
          missingScopes:(NSArray * _Nullable * _Nullable)missingScopes
        missingEndpoint:(NSString * _Nullable * _Nullable)missingEndpoint
                  error:(NSError **)error;

/* The gRPC "authorization" metadata value for the official gRPC clients: "Key <token>". It is
 * the secret itself. */
- (NSString * _Nullable)grpcMetadataWithError:(NSError **)error;

/* Key and app management; these need a PAT. */

/* Create an app owned by the PAT's user (PostApps). */
- (ClarifaiResponse * _Nullable)createAppWithID:(NSString *)appID
                                    description:(NSString * _Nullable)description
                                          error:(NSError **)error;
/* Create an app key bound to appID of userID (nil means "me"). Scopes in either spelling
 * (unknown names are refused before any request); endpoints are RPC names, nil for every
 * endpoint the scopes allow. The new key's keyID is its secret token. */
- (ClarifaiKey * _Nullable)createKeyWithDescription:(NSString *)description
                                             scopes:(CLARIFAI_GENERIC(NSArray, NSString *) *)scopes
                                          endpoints:(CLARIFAI_GENERIC(NSArray, NSString *) * _Nullable)endpoints
                                              appID:(NSString *)appID
                                             userID:(NSString * _Nullable)userID
                                              error:(NSError **)error;
- (CLARIFAI_GENERIC(NSArray, ClarifaiKey *) * _Nullable)listKeysWithError:(NSError **)error;
- (BOOL)deleteKeyWithID:(NSString *)keyID error:(NSError **)error;
/* Replace a key by a new one with the same description, scopes, endpoints and app, then delete
 * the old one. ClarifaiErrorRotationIncomplete when the deletion failed: both keys then work. */
- (ClarifaiKey * _Nullable)rotateKeyWithID:(NSString *)keyID error:(NSError **)error;

/* Asynchronous calls. They return at once; the outcome arrives on a native worker thread (see
 * ClarifaiAppDelegate). On NO/nil nothing was started and the delegate is never called. */

/* Returns the call, which is handed back to the delegate to tell calls apart. */
- (ClarifaiCall * _Nullable)callEndpoint:(NSString *)endpoint
                                  params:(NSDictionary * _Nullable)params
                                delegate:(id<ClarifaiAppDelegate>)delegate
                                   error:(NSError **)error;

#if CLARIFAI_HAS_BLOCKS
/* The completion block runs on a native worker thread, like the delegate method. */
- (BOOL)callEndpoint:(NSString *)endpoint
              params:(NSDictionary * _Nullable)params
          completion:(void (^)(ClarifaiResponse * _Nullable response, NSError * _Nullable error))completion
               error:(NSError **)error;
#endif

@end

NS_ASSUME_NONNULL_END
