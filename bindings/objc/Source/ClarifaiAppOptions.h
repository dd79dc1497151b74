/*
 * Settings for a new ClarifaiApp. A fresh object holds the library's defaults; change what you
 * need and pass it to an initializer, which copies it (later changes do not affect the app).
 */

#import "ClarifaiDefines.h"

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiAppOptions : NSObject <NSCopying> {
@private
    NSURL *_baseURL;
    NSTimeInterval _timeout;
    NSTimeInterval _connectTimeout;
    NSString *_CAFile;
    NSUInteger _maxRetries;
    NSUInteger _maxConcurrency;
    NSString *_userAgent;
    BOOL _allowInsecureHTTP;
}

/* The API base URL. nil (the default) lets the native library decide: CLARIFAI_API_BASE from
 * the environment, else https://api.clarifai.com. Plain http:// is accepted for loopback only. */
@property (nonatomic, copy) NSURL * _Nullable baseURL;
/* Total time for one request, body included, in seconds (default 60). */
@property (nonatomic) NSTimeInterval timeout;
/* Time to establish a connection, in seconds (default 10). */
@property (nonatomic) NSTimeInterval connectTimeout;
/* A PEM file of CA certificates to trust instead of the platform's roots (default nil). */
@property (nonatomic, copy) NSString * _Nullable CAFile;
/* Retries after a first attempt, only where safe (default 2; 0 disables). */
@property (nonatomic) NSUInteger maxRetries;
/* Most asynchronous or batched calls in flight at once (default 128). */
@property (nonatomic) NSUInteger maxConcurrency;
/* The User-Agent header; nil keeps the library's. */
@property (nonatomic, copy) NSString * _Nullable userAgent;
/* Allow plain http:// to hosts that are not loopback: credentials then cross the network in
 * clear text. For test rigs only (default NO). */
@property (nonatomic) BOOL allowInsecureHTTP;

+ (instancetype)defaultOptions;

@end

NS_ASSUME_NONNULL_END
