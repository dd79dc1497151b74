/*
 * Settings for a new ClarifaiApp. A fresh object reads as the native library's defaults (the
 * CLARIFAI_DEFAULT_* values of clarifai.h); only the settings you set are passed on, so the
 * library's own defaults and environment apply to the rest. Values are not checked here: the
 * library checks them when the app is made, and a bad one fails the initializer with the same
 * error (ClarifaiErrorInvalidArgument naming the setting, ClarifaiErrorInsecureURL, ...) that
 * the same setting gives in C, Rust, PHP and C#. An initializer copies its options.
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
    unsigned long long _maxResponseBytes;
    NSString *_userAgent;
    BOOL _allowInsecureHTTP;
    NSURL *_proxyURL;
    BOOL _proxyFromEnvironment;
    BOOL _HTTP2PriorKnowledge;
    /* Which settings were set (only those reach the library). */
    unsigned int _set;
}

/* The API base URL. nil (the default) lets the native library decide: CLARIFAI_API_BASE from
 * the environment, else https://api.clarifai.com. Plain http:// is accepted for loopback only. */
@property (nonatomic, copy) NSURL * _Nullable baseURL;
/* Total time for a call in seconds, every retry and the body included (default 60). Rounded
 * up to milliseconds; 0 or less is refused. */
@property (nonatomic) NSTimeInterval timeout;
/* Time to establish a connection, in seconds (default 10). */
@property (nonatomic) NSTimeInterval connectTimeout;
/* A PEM file of CA certificates to trust instead of the platform's roots (default nil). */
@property (nonatomic, copy) NSString * _Nullable CAFile;
/* Retries after a first attempt, only where safe (default 2; 0 disables; at most 10). */
@property (nonatomic) NSUInteger maxRetries;
/* Most asynchronous or batched calls in flight at once (default 128). */
@property (nonatomic) NSUInteger maxConcurrency;
/* Largest response body accepted, in bytes after decompression (default 64 MiB). */
@property (nonatomic) unsigned long long maxResponseBytes;
/* The User-Agent header; nil keeps the library's. */
@property (nonatomic, copy) NSString * _Nullable userAgent;
/* Allow plain http:// to hosts that are not loopback: credentials then cross the network in
 * clear text. For test rigs only (default NO). */
@property (nonatomic) BOOL allowInsecureHTTP;
/* Send every request through this proxy: http://[user:password@]host:port (or https://); https
 * requests are tunnelled with CONNECT, so TLS stays end to end. Wins over the environment.
 * Its password never appears in an error or in -description. Default nil. */
@property (nonatomic, copy) NSURL * _Nullable proxyURL;
/* Use the proxies the environment names, as curl reads them (https_proxy, http_proxy,
 * all_proxy, no_proxy; loopback hosts always go direct). Default YES. */
@property (nonatomic) BOOL proxyFromEnvironment;
/* Speak HTTP/2 from the first byte over plain http:// (h2c); over https only h2 is offered.
 * Default NO (HTTP/2 is still negotiated over https). */
@property (nonatomic) BOOL HTTP2PriorKnowledge;

+ (instancetype)defaultOptions;

@end

NS_ASSUME_NONNULL_END
