/*
 * Errors of the Clarifai classes: every failure is an NSError in ClarifaiErrorDomain whose code
 * is the native library's clarifai_result (ClarifaiErrorCode, generated from the header into
 * ClarifaiErrorCodes.h), and whose kind (ClarifaiErrorKind) is the one docs/errors.md gives that
 * result: the same kind the PHP and C# bindings raise for the same failure. No error ever
 * carries a key, PAT or token.
 */

#import "ClarifaiDefines.h"
#import "ClarifaiErrorCodes.h"

NS_ASSUME_NONNULL_BEGIN

CLARIFAI_EXPORT NSString * const ClarifaiErrorDomain;

/* userInfo keys. NSLocalizedDescriptionKey holds the library's message. */

/* NSNumber: the ClarifaiErrorKind of the error, ClarifaiErrorKindForCode(code). Always set. */
CLARIFAI_EXPORT NSString * const ClarifaiErrorKindKey;
/* NSString: the native result name, e.g. "CLARIFAI_RESULT_KEY_NOT_FOUND". Always set. */
CLARIFAI_EXPORT NSString * const ClarifaiResultNameErrorKey;
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
/* ClarifaiHTTPHeaders: the response headers of the failed request, when there was one. */
CLARIFAI_EXPORT NSString * const ClarifaiResponseHeadersErrorKey;

@interface NSError (ClarifaiErrorKind)
/* YES when the error is in ClarifaiErrorDomain and of that kind:
 * [error isClarifaiErrorOfKind:ClarifaiErrorKindTransport]. */
- (BOOL)isClarifaiErrorOfKind:(ClarifaiErrorKind)kind;
@end

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
