/* Manual retain/release: build with -fno-objc-arc in ARC projects. */

#import "ClarifaiAppOptions.h"

@implementation ClarifaiAppOptions

@synthesize baseURL = _baseURL;
@synthesize timeout = _timeout;
@synthesize connectTimeout = _connectTimeout;
@synthesize CAFile = _CAFile;
@synthesize maxRetries = _maxRetries;
@synthesize maxConcurrency = _maxConcurrency;
@synthesize userAgent = _userAgent;
@synthesize allowInsecureHTTP = _allowInsecureHTTP;

+ (instancetype)defaultOptions
{
    return [[[self alloc] init] autorelease];
}

- (instancetype)init
{
    if ((self = [super init]) != nil) {
        /* The native library's documented defaults, so that reading an option tells the truth. */
        _timeout = 60.0;
        _connectTimeout = 10.0;
        _maxRetries = 2;
        _maxConcurrency = 128;
    }
    return self;
}

- (void)dealloc
{
    [_baseURL release];
    [_CAFile release];
    [_userAgent release];
    [super dealloc];
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
    copy->_userAgent = [_userAgent copy];
    copy->_allowInsecureHTTP = _allowInsecureHTTP;
    return copy;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<%@: %p baseURL=%@ timeout=%g connectTimeout=%g "
                                       "CAFile=%@ maxRetries=%lu maxConcurrency=%lu>",
                                      NSStringFromClass([self class]), (void *)self,
                                      _baseURL != nil ? [_baseURL absoluteString] : @"(default)",
                                      _timeout, _connectTimeout,
                                      _CAFile != nil ? _CAFile : @"(platform roots)",
                                      (unsigned long)_maxRetries, (unsigned long)_maxConcurrency];
}

@end
