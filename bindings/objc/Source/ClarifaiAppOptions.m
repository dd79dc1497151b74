/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiPrivate.h"

enum {
    ClarifaiSetBaseURL = 1 << 0,
    ClarifaiSetTimeout = 1 << 1,
    ClarifaiSetConnectTimeout = 1 << 2,
    ClarifaiSetCAFile = 1 << 3,
    ClarifaiSetMaxRetries = 1 << 4,
    ClarifaiSetMaxConcurrency = 1 << 5,
    ClarifaiSetMaxResponseBytes = 1 << 6,
    ClarifaiSetUserAgent = 1 << 7,
    ClarifaiSetAllowInsecureHTTP = 1 << 8,
    ClarifaiSetProxyURL = 1 << 9,
    ClarifaiSetProxyFromEnvironment = 1 << 10,
    ClarifaiSetHTTP2PriorKnowledge = 1 << 11,
};

@implementation ClarifaiAppOptions

@synthesize baseURL = _baseURL;
@synthesize timeout = _timeout;
@synthesize connectTimeout = _connectTimeout;
@synthesize CAFile = _CAFile;
@synthesize maxRetries = _maxRetries;
@synthesize maxConcurrency = _maxConcurrency;
@synthesize maxResponseBytes = _maxResponseBytes;
@synthesize userAgent = _userAgent;
@synthesize allowInsecureHTTP = _allowInsecureHTTP;
@synthesize proxyURL = _proxyURL;
@synthesize proxyFromEnvironment = _proxyFromEnvironment;
@synthesize HTTP2PriorKnowledge = _HTTP2PriorKnowledge;

+ (instancetype)defaultOptions
{
    return [[[self alloc] init] autorelease];
}

- (instancetype)init
{
    if ((self = [super init]) != nil) {
        /* What the library does when a setting is not passed, so that reading one tells the
         * truth. The numbers come from clarifai.h; the switches are documented there in words
         * (no macro): environment proxies on, h2c prior knowledge and insecure http off. */
        _timeout = CLARIFAI_DEFAULT_TIMEOUT_MS / 1000.0;
        _connectTimeout = CLARIFAI_DEFAULT_CONNECT_TIMEOUT_MS / 1000.0;
        _maxRetries = CLARIFAI_DEFAULT_MAX_RETRIES;
        _maxConcurrency = CLARIFAI_DEFAULT_MAX_CONCURRENCY;
        _maxResponseBytes = CLARIFAI_DEFAULT_MAX_RESPONSE_BYTES;
        _proxyFromEnvironment = YES;
    }
    return self;
}

- (void)dealloc
{
    [_baseURL release];
    [_CAFile release];
    [_userAgent release];
    [_proxyURL release];
    [super dealloc];
}

- (void)setBaseURL:(NSURL *)baseURL
{
    if (baseURL != _baseURL) {
        [_baseURL release];
        _baseURL = [baseURL copy];
    }
    _set |= ClarifaiSetBaseURL;
}

- (void)setTimeout:(NSTimeInterval)timeout
{
    _timeout = timeout;
    _set |= ClarifaiSetTimeout;
}

- (void)setConnectTimeout:(NSTimeInterval)connectTimeout
{
    _connectTimeout = connectTimeout;
    _set |= ClarifaiSetConnectTimeout;
}

- (void)setCAFile:(NSString *)CAFile
{
    if (CAFile != _CAFile) {
        [_CAFile release];
        _CAFile = [CAFile copy];
    }
    _set |= ClarifaiSetCAFile;
}

- (void)setMaxRetries:(NSUInteger)maxRetries
{
    _maxRetries = maxRetries;
    _set |= ClarifaiSetMaxRetries;
}

- (void)setMaxConcurrency:(NSUInteger)maxConcurrency
{
    _maxConcurrency = maxConcurrency;
    _set |= ClarifaiSetMaxConcurrency;
}

- (void)setMaxResponseBytes:(unsigned long long)maxResponseBytes
{
    _maxResponseBytes = maxResponseBytes;
    _set |= ClarifaiSetMaxResponseBytes;
}

- (void)setUserAgent:(NSString *)userAgent
{
    if (userAgent != _userAgent) {
        [_userAgent release];
        _userAgent = [userAgent copy];
    }
    _set |= ClarifaiSetUserAgent;
}

- (void)setAllowInsecureHTTP:(BOOL)allowInsecureHTTP
{
    _allowInsecureHTTP = allowInsecureHTTP;
    _set |= ClarifaiSetAllowInsecureHTTP;
}

- (void)setProxyURL:(NSURL *)proxyURL
{
    if (proxyURL != _proxyURL) {
        [_proxyURL release];
        _proxyURL = [proxyURL copy];
    }
    _set |= ClarifaiSetProxyURL;
}

- (void)setProxyFromEnvironment:(BOOL)proxyFromEnvironment
{
    _proxyFromEnvironment = proxyFromEnvironment;
    _set |= ClarifaiSetProxyFromEnvironment;
}

- (void)setHTTP2PriorKnowledge:(BOOL)HTTP2PriorKnowledge
{
    _HTTP2PriorKnowledge = HTTP2PriorKnowledge;
    _set |= ClarifaiSetHTTP2PriorKnowledge;
}

- (id)copyWithZone:(NSZone *)zone
{
    ClarifaiAppOptions *copy = [[[self class] allocWithZone:zone] init];
    copy->_baseURL = [_baseURL copy];
    copy->_timeout = _timeout;
    copy->_connectTimeout = _connectTimeout;
    copy->_CAFile = [_CAFile copy];
    copy->_maxRetries = _maxRetries;
    copy->_maxConcurrency = _maxConcurrency;
    copy->_maxResponseBytes = _maxResponseBytes;
    copy->_userAgent = [_userAgent copy];
    copy->_allowInsecureHTTP = _allowInsecureHTTP;
    copy->_proxyURL = [_proxyURL copy];
    copy->_proxyFromEnvironment = _proxyFromEnvironment;
    copy->_HTTP2PriorKnowledge = _HTTP2PriorKnowledge;
    copy->_set = _set;
    return copy;
}

/* A string setting: set is the native setter. NO with error set when text is not a string the
 * library can take (nil clears nothing: an unset setting is simply not passed). */
static BOOL ClarifaiPassString(clarifai_client_options *native, NSString *text, NSString *name,
                               clarifai_result (*set)(clarifai_client_options *, const char *, clarifai_error **),
                               NSError **error)
{
    if (text == nil) {
        return YES;
    }
    char *c = ClarifaiCopyCString(text, name, error);
    if (c == NULL) {
        return NO;
    }
    clarifai_error *err = NULL;
    clarifai_result r = set(native, c, &err);
    ClarifaiFreeCString(c);
    return r == CLARIFAI_RESULT_OK ? YES : ClarifaiSetError(error, ClarifaiErrorTakingNative(r, err));
}

/* Unwraps a native setter's result into the ok flag of -newNativeOptions:. */
#define CLARIFAI_PASS(call) do { \
    clarifai_error *err_ = NULL; \
    clarifai_result r_ = (call); \
    if (r_ != CLARIFAI_RESULT_OK) { \
        ClarifaiSetError(error, ClarifaiErrorTakingNative(r_, err_)); \
        ok = NO; \
    } \
} while (0)

- (clarifai_client_options *)newNativeOptions:(NSError **)error
{
    clarifai_client_options *native = clarifai_client_options_new();
    if (native == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    BOOL ok = YES;
    if (ok && (_set & ClarifaiSetBaseURL)) {
        ok = ClarifaiPassString(native, [_baseURL absoluteString], @"options.baseURL",
                                clarifai_client_options_set_base_url, error);
    }
    if (ok && (_set & ClarifaiSetCAFile)) {
        ok = ClarifaiPassString(native, _CAFile, @"options.CAFile", clarifai_client_options_set_ca_file, error);
    }
    if (ok && (_set & ClarifaiSetUserAgent)) {
        ok = ClarifaiPassString(native, _userAgent, @"options.userAgent", clarifai_client_options_set_user_agent, error);
    }
    if (ok && (_set & ClarifaiSetProxyURL)) {
        ok = ClarifaiPassString(native, [_proxyURL absoluteString], @"options.proxyURL",
                                clarifai_client_options_set_proxy, error);
    }
    if (ok && (_set & ClarifaiSetTimeout)) {
        CLARIFAI_PASS(clarifai_client_options_set_timeout_ms(native, ClarifaiMilliseconds(_timeout), &err_));
    }
    if (ok && (_set & ClarifaiSetConnectTimeout)) {
        CLARIFAI_PASS(clarifai_client_options_set_connect_timeout_ms(native, ClarifaiMilliseconds(_connectTimeout), &err_));
    }
    if (ok && (_set & ClarifaiSetMaxRetries)) {
        /* Saturates: anything above what uint32_t holds is above the library's limit anyway. */
        uint32_t retries = _maxRetries > UINT32_MAX ? UINT32_MAX : (uint32_t)_maxRetries;
        CLARIFAI_PASS(clarifai_client_options_set_max_retries(native, retries, &err_));
    }
    if (ok && (_set & ClarifaiSetMaxConcurrency)) {
        CLARIFAI_PASS(clarifai_client_options_set_max_concurrency(native, _maxConcurrency, &err_));
    }
    if (ok && (_set & ClarifaiSetMaxResponseBytes)) {
        CLARIFAI_PASS(clarifai_client_options_set_max_response_bytes(native, _maxResponseBytes, &err_));
    }
    if (ok && (_set & ClarifaiSetAllowInsecureHTTP)) {
        CLARIFAI_PASS(clarifai_client_options_set_danger_allow_insecure_http(native, _allowInsecureHTTP ? true : false, &err_));
    }
    if (ok && (_set & ClarifaiSetProxyFromEnvironment)) {
        CLARIFAI_PASS(clarifai_client_options_set_proxy_from_env(native, _proxyFromEnvironment ? true : false, &err_));
    }
    if (ok && (_set & ClarifaiSetHTTP2PriorKnowledge)) {
        CLARIFAI_PASS(clarifai_client_options_set_http2_prior_knowledge(native, _HTTP2PriorKnowledge ? true : false, &err_));
    }
    if (!ok) {
        clarifai_client_options_free(native);
        return NULL;
    }
    return native;
}

/* The proxy as scheme://host:port: its user and password never reach a log. */
static NSString *ClarifaiProxyForDisplay(NSURL *proxy)
{
    if (proxy == nil) {
        return @"(none)";
    }
    if ([proxy host] == nil) {
        return @"(set)";
    }
    return [proxy port] != nil
        ? [NSString stringWithFormat:@"%@://%@:%@", [proxy scheme], [proxy host], [proxy port]]
        : [NSString stringWithFormat:@"%@://%@", [proxy scheme], [proxy host]];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p baseURL=%@ timeout=%g connectTimeout=%g CAFile=%@ "
                                       "maxRetries=%lu maxConcurrency=%lu maxResponseBytes=%llu proxy=%@ "
                                       "proxyFromEnvironment=%s HTTP2PriorKnowledge=%s allowInsecureHTTP=%s>",
                                      NSStringFromClass([self class]), (void *)self,
                                      _baseURL != nil ? [_baseURL absoluteString] : @"(default)",
                                      _timeout, _connectTimeout,
                                      _CAFile != nil ? _CAFile : @"(platform roots)",
                                      (unsigned long)_maxRetries, (unsigned long)_maxConcurrency,
                                      _maxResponseBytes, ClarifaiProxyForDisplay(_proxyURL),
                                      _proxyFromEnvironment ? "YES" : "NO",
                                      _HTTP2PriorKnowledge ? "YES" : "NO",
                                      _allowInsecureHTTP ? "YES" : "NO"];
}

- (NSString *)debugDescription
{
    return [self description];
}

@end
