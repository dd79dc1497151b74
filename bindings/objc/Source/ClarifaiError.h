/*
 * Errors of the Clarifai classes: every failure is an NSError in ClarifaiErrorDomain whose code
 * is the native library's clarifai_result, so an app can switch on what went wrong and read the
 * Clarifai status from userInfo. No error ever carries a key, PAT or token.
 */

#import "ClarifaiDefines.h"

NS_ASSUME_NONNULL_BEGIN

CLARIFAI_EXPORT NSString * const ClarifaiErrorDomain;

/* The values are those of clarifai_result in clarifai.h (0 is success, so it has no case). */
typedef NS_ENUM(NSInteger, ClarifaiErrorCode) {
    /* A required argument was nil. */
    ClarifaiErrorNullArgument = 1,
    /* An argument was refused before any request: empty or malformed key or id, params that
     * are not JSON, a bad path or URL. */
    ClarifaiErrorInvalidArgument = 2,
    /* No RPC of that name in the endpoint catalogue. */
    ClarifaiErrorUnknownEndpoint = 3,
    /* The environment lacks a variable (the description names it). */
    ClarifaiErrorMissingConfig = 4,
    /* The API answered with a failure not covered by a more specific code. */
    ClarifaiErrorAPI = 5,
    /* 11007: see ClarifaiMissingScopesErrorKey and ClarifaiMissingEndpointErrorKey. */
    ClarifaiErrorInsufficientScopes = 6,
    /* 11009: the API does not know this key. */
    ClarifaiErrorKeyNotFound = 7,
    /* 11008: the key does not belong to that app, or a PAT was used without an app. */
    ClarifaiErrorKeyInvalid = 8,
    /* 11102: no or a malformed Authorization header, or a malformed request. */
    ClarifaiErrorInvalidRequest = 9,
    /* 11200: the endpoint needs a Personal Access Token. */
    ClarifaiErrorPATRequired = 10,
    /* 11005: throttled; see ClarifaiRetryAfterErrorKey. */
    ClarifaiErrorThrottled = 11,
    /* 11101: unknown resource, app or route. */
    ClarifaiErrorNotFound = 12,
    /* 11103: the path exists but not with that method. */
    ClarifaiErrorMethodNotAllowed = 13,
    ClarifaiErrorConnect = 14,
    ClarifaiErrorDNS = 15,
    ClarifaiErrorTimeout = 16,
    ClarifaiErrorTLS = 17,
    ClarifaiErrorBodyTooLarge = 18,
    ClarifaiErrorRedirectRefused = 19,
    ClarifaiErrorIO = 20,
    /* Plain http:// to a host that is not loopback. */
    ClarifaiErrorInsecureURL = 21,
    /* The answer was not a Clarifai JSON response. */
    ClarifaiErrorMalformedResponse = 22,
    /* Key rotation created the new key but could not delete the old one: both work. */
    ClarifaiErrorRotationIncomplete = 23,
    /* The operation cannot run now (for example the client is shutting down). */
    ClarifaiErrorState = 24,
    /* A bug in the native library, caught at its boundary. */
    ClarifaiErrorPanic = 25,
};

/* userInfo keys. NSLocalizedDescriptionKey holds the library's message. */

/* NSNumber: the Clarifai status code (e.g. 11007); absent when the server sent none. */
CLARIFAI_EXPORT NSString * const ClarifaiStatusCodeErrorKey;
/* NSString: the status description, e.g. "API key not found". */
CLARIFAI_EXPORT NSString * const ClarifaiStatusDescriptionErrorKey;
/* NSString: the status details. */
CLARIFAI_EXPORT NSString * const ClarifaiStatusDetailsErrorKey;
/* NSString: the request id the server gave. */
CLARIFAI_EXPORT NSString * const ClarifaiRequestIDErrorKey;
/* NSNumber: the HTTP status; absent when there was no answer. */
CLARIFAI_EXPORT NSString * const ClarifaiHTTPStatusErrorKey;
/* NSArray of NSString: the scopes the credential lacks, docs spelling ("Inputs:Add"). */
CLARIFAI_EXPORT NSString * const ClarifaiMissingScopesErrorKey;
/* NSString: the endpoint grant the key lacks ("/clarifai.api.V2/PostInputs"). */
CLARIFAI_EXPORT NSString * const ClarifaiMissingEndpointErrorKey;
/* NSNumber: seconds the server asked to wait (Retry-After). */
CLARIFAI_EXPORT NSString * const ClarifaiRetryAfterErrorKey;
/* NSString: the native result name, e.g. "CLARIFAI_RESULT_KEY_NOT_FOUND" (for logs and the
 * shared conformance vectors). */
CLARIFAI_EXPORT NSString * const ClarifaiResultNameErrorKey;
/* ClarifaiHTTPHeaders: the response headers of the failed request, when there was one. */
CLARIFAI_EXPORT NSString * const ClarifaiResponseHeadersErrorKey;

/*
 * Response headers, looked up case-insensitively. The native library keeps them; this object
 * only answers lookups, so an error can carry them without copying every header.
 */
@interface ClarifaiHTTPHeaders : NSObject {
@private
    const void *_error;
    id _keeper;
}
CLARIFAI_INIT_UNAVAILABLE
- (NSString * _Nullable)valueForHTTPHeaderField:(NSString *)field;
@end

NS_ASSUME_NONNULL_END
