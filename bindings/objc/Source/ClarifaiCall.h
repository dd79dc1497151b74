/*
 * One call by endpoint name, and what it gave.
 *
 * A ClarifaiCall you make describes a call for -callMany:. The asynchronous methods of
 * ClarifaiApp return a started one, which -cancel stops: its delegate (or completion) then
 * gets ClarifaiErrorCancelled, unless the answer was already being delivered. A started call
 * keeps itself alive until its outcome has been delivered, so you may release it at once;
 * releasing it does not cancel it.
 */

#import "ClarifaiDefines.h"

@class ClarifaiResponse;

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiCall : NSObject <NSCopying> {
@private
    NSString *_endpoint;
    NSDictionary *_params;
    /* The native clarifai_call once started; written once, read from any thread. */
    void *_native;
    int _cancelRequested;
}

/* The RPC name, e.g. "PostModelOutputs". */
@property (nonatomic, readonly, copy) NSString *endpoint;
/* The request fields; nil for none. */
@property (nonatomic, readonly, copy) NSDictionary * _Nullable params;

+ (instancetype)callWithEndpoint:(NSString *)endpoint params:(NSDictionary * _Nullable)params;
- (instancetype)initWithEndpoint:(NSString *)endpoint
                          params:(NSDictionary * _Nullable)params NS_DESIGNATED_INITIALIZER;
CLARIFAI_INIT_UNAVAILABLE

/* Cancel a started call, from any thread; idempotent. Does nothing once its outcome is being
 * delivered, and nothing for a call that was not started by an asynchronous method. */
- (void)cancel;

@end

/* The calls started by one asynchronous -callMany:...: -cancel stops every one still running. */
@interface ClarifaiBatchCall : NSObject {
@private
    NSArray *_calls;
    void *_native;
    int _cancelRequested;
}

/* The calls as given. */
@property (nonatomic, readonly, copy) CLARIFAI_GENERIC(NSArray, ClarifaiCall *) *calls;

CLARIFAI_INIT_UNAVAILABLE

/* Cancel every call of the batch still running (they end with ClarifaiErrorCancelled; those
 * already answered keep their answers), from any thread; idempotent. */
- (void)cancel;

@end

/* Exactly one of response and error is set. */
@interface ClarifaiCallResult : NSObject {
@private
    ClarifaiCall *_call;
    ClarifaiResponse *_response;
    NSError *_error;
}

@property (nonatomic, readonly, retain) ClarifaiCall *call;
@property (nonatomic, readonly, retain) ClarifaiResponse * _Nullable response;
@property (nonatomic, readonly, retain) NSError * _Nullable error;

CLARIFAI_INIT_UNAVAILABLE

@end

NS_ASSUME_NONNULL_END
