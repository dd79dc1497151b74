/*
 * Settings of single calls: a timeout of their own and a token that cancels them.
 *
 *     ClarifaiCancelToken *token = [ClarifaiCancelToken token];
 *     ClarifaiCallOptions *options = [ClarifaiCallOptions options];
 *     options.timeout = 5;
 *     options.cancelToken = token;
 *     // on another thread, later: [token cancel];
 *     ClarifaiResponse *r = [app callEndpoint:@"PostModelOutputs" params:p options:options error:&error];
 */

#import "ClarifaiDefines.h"

NS_ASSUME_NONNULL_BEGIN

/*
 * Cancels every call it is given to, running or to come, from any thread: a blocking call then
 * returns at once with ClarifaiErrorCancelled, an asynchronous one completes with it. Once
 * cancelled it stays cancelled; use a new token for new calls.
 */
@interface ClarifaiCancelToken : NSObject {
@private
    void *_token;
}
/* A new token; nil only when out of memory. */
+ (instancetype _Nullable)token;
- (instancetype _Nullable)init;
- (void)cancel;
@property (nonatomic, readonly, getter=isCancelled) BOOL cancelled;
@end

@interface ClarifaiCallOptions : NSObject <NSCopying> {
@private
    NSTimeInterval _timeout;
    BOOL _hasTimeout;
    ClarifaiCancelToken *_cancelToken;
}

+ (instancetype)options;

/* The call's total timeout in seconds, instead of the app's (every retry included; rounded up
 * to milliseconds). 0 until set: the app's timeout applies. Setting 0 or less is refused by
 * the library when a call is made (ClarifaiErrorInvalidArgument). */
@property (nonatomic) NSTimeInterval timeout;
/* Cancels the calls made with these options when cancelled. */
@property (nonatomic, retain) ClarifaiCancelToken * _Nullable cancelToken;

@end

NS_ASSUME_NONNULL_END
