/*
 * ClarifaiApp: a Clarifai API client. It holds one credential (an app-specific API key or a
 * Personal Access Token with its user and app), its settings and a keep-alive connection pool,
 * and sends authorized calls through the native clarifai-core library.
 *
 *     ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:@"YOUR_API_KEY"];
 *
 * Thread-safe: one app may be used from any number of threads at once. Synchronous calls block
 * the calling thread for one call (retries included); a ClarifaiCancelToken in their
 * ClarifaiCallOptions stops them from another thread.
 */

#import "ClarifaiDefines.h"
#import "ClarifaiErrorCodes.h"

@class ClarifaiApp;
@class ClarifaiAppOptions;
@class ClarifaiBatchCall;
@class ClarifaiCall;
@class ClarifaiCallOptions;
@class ClarifaiCallResult;
@class ClarifaiKey;
@class ClarifaiResponse;
@class ClarifaiScopes;

NS_ASSUME_NONNULL_BEGIN


/*
 * Receives the outcome of asynchronous calls: implement the method for the calls you start.
 * Each runs exactly once per call or batch, on a worker thread of the native library (never the
 * thread that started the call, never a run loop): hop to the main thread yourself if you
 * touch UI. A cancelled call ends with an NSError of code ClarifaiErrorCancelled. The app
 * keeps the delegate, the call and itself alive until the method has returned.
 */
@protocol ClarifaiAppDelegate <NSObject>
@optional
/* Exactly one of response and error is set. */
- (void)clarifaiApp:(ClarifaiApp *)app
    didCompleteCall:(ClarifaiCall *)call
           response:(ClarifaiResponse * _Nullable)response
              error:(NSError * _Nullable)error;
/* One result per call of batch, in order. */
- (void)clarifaiApp:(ClarifaiApp *)app
   didCompleteBatch:(ClarifaiBatchCall *)batch
            results:(CLARIFAI_GENERIC(NSArray, ClarifaiCallResult *) *)results;
@end

@interface ClarifaiApp : NSObject {
@private
    struct clarifai_client *_client;
    ClarifaiAppOptions *_options;
}

/* The native library's version, e.g. "0.1.0". */
+ (NSString *)libraryVersion;

/* The number of worker threads of the native library's runtime (one per process, shared by
 * every app): 1 to 64, default 1 or the CLARIFAI_RUNTIME_THREADS environment variable. Call it
 * before the process's first call; once the runtime runs with another count it fails with
 * ClarifaiErrorState. */
+ (BOOL)setRuntimeWorkerThreads:(NSUInteger)count error:(NSError **)error;

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
 * input_id, ...) are taken from params; user_app_id from params or, for a PAT, from the app.
 * params holds NSDictionary (string keys), NSArray, NSString, NSNumber (finite) and NSNull;
 * anything else fails with ClarifaiErrorInvalidArgument naming where it sits. */
- (ClarifaiResponse * _Nullable)callEndpoint:(NSString *)endpoint
                                      params:(NSDictionary * _Nullable)params
                                       error:(NSError **)error;
/* The same with the call's own timeout and cancel token (options nil: none). A cancelled token
 * makes it return at once with ClarifaiErrorCancelled, whichever thread cancels it. */
- (ClarifaiResponse * _Nullable)callEndpoint:(NSString *)endpoint
                                      params:(NSDictionary * _Nullable)params
                                     options:(ClarifaiCallOptions * _Nullable)options
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
/* The same with options for every call: each call's timeout, and a token that cancels the
 * calls still running (they fail with ClarifaiErrorCancelled). */
- (CLARIFAI_GENERIC(NSArray, ClarifaiCallResult *) * _Nullable)callMany:(CLARIFAI_GENERIC(NSArray, ClarifaiCall *) *)calls
                                                                options:(ClarifaiCallOptions * _Nullable)options
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
 * (unknown names are refused before any request); endpoints are RPC names, nil or empty for
 * every endpoint the scopes allow. The new key's keyID is its secret token. */
- (ClarifaiKey * _Nullable)createKeyWithDescription:(NSString * _Nullable)description
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

/*
 * Asynchronous calls. They return at once; the outcome arrives once, on a native worker thread
 * (see ClarifaiAppDelegate). On nil nothing was started and the delegate is never called. The
 * returned call (or batch) stops the work with -cancel; it keeps itself alive until its
 * outcome has been delivered, so it may be released at once.
 */

- (ClarifaiCall * _Nullable)callEndpoint:(NSString *)endpoint
                                  params:(NSDictionary * _Nullable)params
                                delegate:(id<ClarifaiAppDelegate>)delegate
                                   error:(NSError **)error;
- (ClarifaiCall * _Nullable)callEndpoint:(NSString *)endpoint
                                  params:(NSDictionary * _Nullable)params
                                 options:(ClarifaiCallOptions * _Nullable)options
                                delegate:(id<ClarifaiAppDelegate>)delegate
                                   error:(NSError **)error;
- (ClarifaiBatchCall * _Nullable)callMany:(CLARIFAI_GENERIC(NSArray, ClarifaiCall *) *)calls
                                 delegate:(id<ClarifaiAppDelegate>)delegate
                                    error:(NSError **)error;
- (ClarifaiBatchCall * _Nullable)callMany:(CLARIFAI_GENERIC(NSArray, ClarifaiCall *) *)calls
                                  options:(ClarifaiCallOptions * _Nullable)options
                                 delegate:(id<ClarifaiAppDelegate>)delegate
                                    error:(NSError **)error;

#if CLARIFAI_HAS_BLOCKS
/* The completion block runs once on a native worker thread, like the delegate methods. */
- (ClarifaiCall * _Nullable)callEndpoint:(NSString *)endpoint
                                  params:(NSDictionary * _Nullable)params
                              completion:(void (^)(ClarifaiResponse * _Nullable response, NSError * _Nullable error))completion
                                   error:(NSError **)error;
- (ClarifaiBatchCall * _Nullable)callMany:(CLARIFAI_GENERIC(NSArray, ClarifaiCall *) *)calls
                               completion:(void (^)(CLARIFAI_GENERIC(NSArray, ClarifaiCallResult *) *results))completion
                                    error:(NSError **)error;
#endif

@end

NS_ASSUME_NONNULL_END
