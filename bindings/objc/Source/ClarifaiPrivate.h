/*
 * Shared by the implementation files only: the bridge between Foundation objects and the
 * native C ABI. Apps never import this (it pulls in clarifai.h); it is not installed.
 */

#import "Clarifai.h"

#include "clarifai.h"

NS_ASSUME_NONNULL_BEGIN

/*
 * Owns one native allocation and frees it with the library's own function when the last
 * Objective-C reference goes. Objects that borrow from native memory (a response inside a
 * batch, the headers of an error, a key of a list) retain the box of the allocation they
 * borrow from.
 */
@interface ClarifaiNativeBox : NSObject {
@private
    void *_pointer;
    void (*_free)(void *);
}
/* Takes ownership of pointer: frees it at once when the box cannot be made (returns nil). */
- (instancetype _Nullable)initWithPointer:(void *)pointer free:(void (*)(void *))freeFunction;
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

/* params as NUL-terminated JSON text written by NSJSONSerialization (free with
 * ClarifaiFreeCString), or NULL for nil params (with *failed = NO) or for a failure (*failed =
 * YES, error set, naming where in params the offending value sits). */
char * _Nullable ClarifaiCopyJSONParams(id _Nullable params, NSString *argument, BOOL *failed,
                                        NSError **error);

/* JSON text the native library produced (and checked), read by NSJSONSerialization in the C
 * locale. nil with error set when Foundation cannot read it. */
id _Nullable ClarifaiReadJSON(const char *text, NSError **error);

/* An NSString from borrowed native UTF-8; nil for NULL. */
NSString * _Nullable ClarifaiStringFromC(const char * _Nullable text);

/* An immutable NSArray of the strings of a native list: countFn(owner) entries, itemFn(owner, i)
 * each (NULL ones skipped). A macro, so that every accessor is called with its own type. */
#define CLARIFAI_STRING_LIST(owner, countFn, itemFn) ({ \
    size_t clarifai_n_ = countFn(owner); \
    NSMutableArray *clarifai_list_ = [NSMutableArray arrayWithCapacity:clarifai_n_]; \
    for (size_t clarifai_i_ = 0; clarifai_i_ < clarifai_n_; clarifai_i_++) { \
        NSString *clarifai_s_ = ClarifaiStringFromC(itemFn(owner, clarifai_i_)); \
        if (clarifai_s_ != nil) { \
            [clarifai_list_ addObject:clarifai_s_]; \
        } \
    } \
    (NSArray *)[NSArray arrayWithArray:clarifai_list_]; \
})

/* Seconds as the milliseconds of a native setting: rounded up, so that a small positive
 * interval never becomes 0; 0 for anything not above 0 (NaN included), which the library
 * refuses with its own message, as it does for a 0 given in C. */
uint64_t ClarifaiMilliseconds(NSTimeInterval seconds);

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
+ (ClarifaiResponse * _Nullable)responseTakingNative:(clarifai_response *)response;
/* Borrows response from keeper, which it retains. */
- (instancetype _Nullable)initWithNativeResponse:(const clarifai_response *)response keeper:(id _Nullable)keeper;
@end

@interface ClarifaiKey (Private)
/* key is borrowed from owner (a box of the key itself or of its list), which it retains. */
- (instancetype _Nullable)initWithNativeKey:(const clarifai_key *)key owner:(ClarifaiNativeBox *)owner;
/* Takes ownership of key. */
+ (ClarifaiKey * _Nullable)keyTakingNative:(clarifai_key *)key;
@end

@interface ClarifaiScopes (Private)
/* Takes ownership of scopes. */
+ (ClarifaiScopes * _Nullable)scopesTakingNative:(clarifai_scopes *)scopes;
@end

@interface ClarifaiAppOptions (Private)
/* Native options holding the settings that were set (free with clarifai_client_options_free),
 * or NULL with error set (out of memory, or a string setting that is not a C string). */
- (clarifai_client_options * _Nullable)newNativeOptions:(NSError **)error;
@end

@interface ClarifaiCallOptions (Private)
/* Native options for these settings (free with clarifai_call_options_free), or NULL with error
 * set when out of memory. */
- (clarifai_call_options * _Nullable)newNativeOptions:(NSError **)error;
@end

@interface ClarifaiCancelToken (Private)
- (const clarifai_cancel_token *)nativeToken;
@end

@interface ClarifaiCall (Private)
/* Hand the started call its native handle (once), cancelling it at once if -cancel came first. */
- (void)attachNativeCall:(clarifai_call *)call;
@end

@interface ClarifaiBatchCall (Private)
- (instancetype)initWithCalls:(NSArray *)calls;
- (void)attachNativeCall:(clarifai_call *)call;
@end

@interface ClarifaiCallResult (Private)
- (instancetype)initWithCall:(ClarifaiCall *)call
                    response:(ClarifaiResponse * _Nullable)response
                       error:(NSError * _Nullable)error;
@end

NS_ASSUME_NONNULL_END
