/*
 * One call by endpoint name, for -callMany:error: and the asynchronous calls, and what it gave.
 */

#import "ClarifaiDefines.h"

@class ClarifaiResponse;

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiCall : NSObject <NSCopying> {
@private
    NSString *_endpoint;
    NSDictionary *_params;
}

/* The RPC name, e.g. "PostModelOutputs". */
@property (nonatomic, readonly, copy) NSString *endpoint;
/* The request fields; nil for none. */
@property (nonatomic, readonly, copy) NSDictionary * _Nullable params;

+ (instancetype)callWithEndpoint:(NSString *)endpoint params:(NSDictionary * _Nullable)params;
- (instancetype)initWithEndpoint:(NSString *)endpoint
                          params:(NSDictionary * _Nullable)params NS_DESIGNATED_INITIALIZER;
CLARIFAI_INIT_UNAVAILABLE

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
