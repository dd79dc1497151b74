/*
 * A successful answer of the API: status 10000 SUCCESS, 10010 MIXED_STATUS (some items failed;
 * their statuses are in the body) or 10070 ACCEPTED. Failures never make a response: they
 * come back as an NSError. Immutable; may be read from any thread.
 */

#import "ClarifaiDefines.h"

NS_ASSUME_NONNULL_BEGIN

@interface ClarifaiResponse : NSObject {
@private
    const void *_response;
    /* What keeps _response alive when it is borrowed (from a batch); nil when owned. */
    id _keeper;
    BOOL _ownsResponse;
    NSInteger _httpStatus;
    NSInteger _statusCode;
    NSString *_statusDescription;
    NSString *_details;
    NSString *_reqID;
    NSString *_JSONString;
    NSDictionary *_body;
}

/* 200, or 202 for ACCEPTED. */
@property (nonatomic, readonly) NSInteger httpStatus;
/* The Clarifai status code: 10000, 10010 or 10070. */
@property (nonatomic, readonly) NSInteger statusCode;
@property (nonatomic, readonly, copy) NSString *statusDescription;
@property (nonatomic, readonly, copy) NSString *details;
/* The request id the server gave, or "". */
@property (nonatomic, readonly, copy) NSString *reqID;
/* The whole body, "status" included, as Foundation's NSJSONSerialization reads it, on first
 * access (in the C locale, whatever the app's). On GNUstep every number is a double, so
 * integers above 2^53 are rounded (JSONString has the exact text); true and false are BOOL
 * numbers. nil only if Foundation cannot read what the library has already checked is a
 * JSON object. */
@property (nonatomic, readonly, copy) NSDictionary * _Nullable body;
/* The body as the server sent it (after the library's redaction of its credential). */
@property (nonatomic, readonly, copy) NSString *JSONString;

CLARIFAI_INIT_UNAVAILABLE

/* A response header, name case-insensitive, or nil. */
- (NSString * _Nullable)valueForHTTPHeaderField:(NSString *)field;

@end

NS_ASSUME_NONNULL_END
