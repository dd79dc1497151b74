/*
 * Shared by the implementation files only: the bridge between Foundation objects and the
 * native C ABI. Apps never import this (it pulls in clarifai.h).
 */

#import "Clarifai.h"

#include "clarifai.h"

NS_ASSUME_NONNULL_BEGIN

/*
 * Owns one native allocation and frees it with the library's own function when the last
 * Objective-C reference goes. Objects that borrow from native memory (a response inside a
 * batch, the headers of an error) retain the box of the allocation they borrow from.
 */
@interface ClarifaiNativeBox : NSObject {
@private
    void *_pointer;
    void (*_free)(void *);
}
- (instancetype)initWithPointer:(void *)pointer free:(void (*)(void *))freeFunction;
@property (nonatomic, readonly) void *pointer;
@end

/* A malloc'd UTF-8 copy of string, or NULL with a ClarifaiErrorNullArgument (nil),
 * ClarifaiErrorInvalidArgument (not a string, not encodable, or an embedded NUL that would
 * silently cut it short) error naming argument. Free with ClarifaiFreeCString, which wipes the
 * bytes first: these strings are often keys. */
char * _Nullable ClarifaiCopyCString(id _Nullable string, NSString *argument, NSError **error);
void ClarifaiFreeCString(char * _Nullable string);

/* Zero length bytes in a way the compiler keeps (before a buffer that held a secret is freed). */
void ClarifaiWipe(char *bytes, size_t length);

/* params as NUL-terminated JSON text (free with ClarifaiFreeCString), or NULL for nil params
 * (with *failed = NO) or for a failure (*failed = YES, error set, naming where in params the
 * offending value sits). ClarifaiJSON.m. */
char * _Nullable ClarifaiCopyJSONObject(id _Nullable object, NSString *argument, BOOL *failed,
                                        NSError **error);

/* Parse JSON text the native library produced: immutable containers, integers exact. */
id _Nullable ClarifaiParseJSON(const char *text, NSError **error);
/* The same, refusing anything but an object. */
NSDictionary * _Nullable ClarifaiParseJSONObject(const char *text, NSError **error);

/* An NSString from borrowed native UTF-8; nil for NULL. */
NSString * _Nullable ClarifaiStringFromC(const char * _Nullable text);

/* The strings of a JSON array; an empty array for anything else. */
NSArray *ClarifaiStringArray(id _Nullable value);

NSError *ClarifaiMakeError(ClarifaiErrorCode code, NSString *message);

/* The NSError for a failed native call. Takes ownership of err (which may be NULL). */
NSError *ClarifaiErrorTakingNative(clarifai_result result, clarifai_error * _Nullable err);

/* The same for an error borrowed from native memory that keeper owns. */
NSError *ClarifaiErrorFromNative(clarifai_result result, const clarifai_error * _Nullable err,
                                 id _Nullable keeper);

/* Store error in *outError when the caller asked for it; returns NO for `return Fail(...)`. */
BOOL ClarifaiSetError(NSError * _Nullable * _Nullable outError, NSError *error);

@interface ClarifaiHTTPHeaders (Private)
- (instancetype)initWithNativeError:(const clarifai_error *)err keeper:(id)keeper;
@end

@interface ClarifaiResponse (Private)
/* Takes ownership of response. */
+ (ClarifaiResponse * _Nullable)responseTakingNative:(clarifai_response *)response
                                               error:(NSError **)error;
- (instancetype _Nullable)initWithNativeResponse:(const clarifai_response *)response
                                          keeper:(id)keeper
                                           error:(NSError **)error;
@end

@interface ClarifaiKey (Private)
+ (ClarifaiKey * _Nullable)keyWithJSONObject:(id)object error:(NSError **)error;
- (instancetype)initWithJSONObject:(NSDictionary *)object;
/* Takes ownership of json (an owned native string; wiped on free: it holds the secret). */
+ (ClarifaiKey * _Nullable)keyTakingNativeJSON:(char *)json error:(NSError **)error;
@end

@interface ClarifaiScopes (Private)
+ (ClarifaiScopes * _Nullable)scopesWithJSONObject:(id)object error:(NSError **)error;
- (instancetype)initWithJSONObject:(NSDictionary *)object;
@end

@interface ClarifaiUserAppIDSet (Private)
/* {"user_id", "app_id"} or {"user_id", "id"} as the native JSON spells an app. */
+ (ClarifaiUserAppIDSet * _Nullable)setWithJSONObject:(id _Nullable)object;
@end

@interface ClarifaiCallResult (Private)
- (instancetype)initWithCall:(ClarifaiCall *)call
                    response:(ClarifaiResponse * _Nullable)response
                       error:(NSError * _Nullable)error;
@end

NS_ASSUME_NONNULL_END
