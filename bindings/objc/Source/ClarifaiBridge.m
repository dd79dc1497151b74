/*
 * Conversions between Foundation objects and the native C ABI. Manual retain/release: build
 * with -fno-objc-arc in ARC projects.
 */

#import "ClarifaiPrivate.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__APPLE__)
#include <xlocale.h>
#endif

@implementation ClarifaiNativeBox

@synthesize pointer = _pointer;

- (instancetype)initWithPointer:(void *)pointer free:(void (*)(void *))freeFunction
{
    if ((self = [super init]) == nil) {
        freeFunction(pointer);
        return nil;
    }
    _pointer = pointer;
    _free = freeFunction;
    return self;
}

- (void)dealloc
{
    if (_pointer != NULL) {
        _free(_pointer);
    }
    [super dealloc];
}

@end

/* A plain memset before free may be optimised away; volatile stores may not. */
void ClarifaiWipe(char *bytes, size_t length)
{
    volatile char *p = bytes;
    while (length-- > 0) {
        *p++ = 0;
    }
}

char *ClarifaiCopyCString(id string, NSString *argument, NSError **error)
{
    if (string == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorNullArgument,
            [NSString stringWithFormat:@"%@ must not be nil", argument]));
        return NULL;
    }
    if (![string isKindOfClass:[NSString class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ must be an NSString", argument]));
        return NULL;
    }
    /* getCString: writes into our own buffer, so the bytes can be wiped when freed; the
     * autoreleased buffer of -UTF8String would linger with a key in it. */
    NSUInteger capacity = [string maximumLengthOfBytesUsingEncoding:NSUTF8StringEncoding] + 1;
    char *buffer = malloc(capacity);
    if (buffer == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    NSString *problem = nil;
    if (![string getCString:buffer maxLength:capacity encoding:NSUTF8StringEncoding]) {
        problem = @"is not valid Unicode";
    } else if (strlen(buffer) != [string lengthOfBytesUsingEncoding:NSUTF8StringEncoding]) {
        problem = @"contains a NUL character";
    }
    if (problem != nil) {
        ClarifaiWipe(buffer, capacity);
        free(buffer);
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ %@", argument, problem]));
        return NULL;
    }
    return buffer;
}

void ClarifaiFreeCString(char *string)
{
    if (string != NULL) {
        ClarifaiWipe(string, strlen(string));
        free(string);
    }
}

NSString *ClarifaiStringFromC(const char *text)
{
    if (text == NULL) {
        return nil;
    }
    NSString *s = [NSString stringWithUTF8String:text];
    return s != nil ? s : @"";
}

uint64_t ClarifaiMilliseconds(NSTimeInterval seconds)
{
    if (!(seconds > 0)) {
        return 0;
    }
    double ms = ceil(seconds * 1000.0);
    /* 2^64 and above (infinity too) saturate: the library then says what it makes of that. */
    return ms >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)ms;
}

/* ------------------------------------------------------------------------------------ JSON */

/*
 * JSON is Foundation's NSJSONSerialization, with two things around it that GNUstep Base (1.28)
 * needs and Apple's Foundation does no harm with:
 *
 * - It reads numbers with the C library's strtod in the current locale: under a locale whose
 *   decimal separator is a comma, "2.5" reads as 2. Reading and writing therefore run under the
 *   C locale, set for this thread only (uselocale), so the app's locale is never touched.
 * - Its writer turns what JSON cannot hold into nothing, and +isValidJSONObject: lets it
 *   through: an NSDate in an array silently disappears ({"when": []}), one in a dictionary
 *   leaves broken text, NaN becomes `nan`. So params are walked once first, and anything that
 *   is not NSDictionary (string keys), NSArray, NSString, a finite NSNumber or NSNull is refused,
 *   naming where it sits. This is a check of types, not a writer.
 *
 * GNUstep also reads every number as a double: integers above 2^53 come back rounded (Apple's
 * Foundation keeps them exact). The API's ids are strings, so this only touches numbers an app
 * puts in its own metadata; JSONString has the exact text.
 */

static locale_t ClarifaiCLocaleValue;
static pthread_once_t ClarifaiCLocaleOnce = PTHREAD_ONCE_INIT;

static void ClarifaiMakeCLocale(void)
{
    ClarifaiCLocaleValue = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Switch this thread to the C locale; returns what to give ClarifaiRestoreLocale. */
static locale_t ClarifaiUseCLocale(void)
{
    pthread_once(&ClarifaiCLocaleOnce, ClarifaiMakeCLocale);
    return ClarifaiCLocaleValue != (locale_t)0 ? uselocale(ClarifaiCLocaleValue) : (locale_t)0;
}

static void ClarifaiRestoreLocale(locale_t previous)
{
    if (previous != (locale_t)0) {
        uselocale(previous);
    }
}

/* Far deeper than the 128 levels the native library accepts; it also stops a container that
 * holds itself long before the stack runs out. */
enum { ClarifaiJSONMaxDepth = 256 };

/* What is wrong with value, with path (e.g. `params["inputs"][1]`) extended to where; nil when
 * value is JSON. */
static NSString *ClarifaiJSONProblem(id value, NSString *path, int depth)
{
    if (depth > ClarifaiJSONMaxDepth) {
        return [NSString stringWithFormat:@"%@ is nested more than %d levels deep", path, ClarifaiJSONMaxDepth];
    }
    if ([value isKindOfClass:[NSString class]] || [value isKindOfClass:[NSNull class]]) {
        return nil;
    }
    if ([value isKindOfClass:[NSNumber class]]) {
        double d = [value doubleValue];
        return isfinite(d) ? nil
            : [NSString stringWithFormat:@"%@ is %g, which JSON cannot hold", path, d];
    }
    if ([value isKindOfClass:[NSArray class]]) {
        NSUInteger count = [value count];
        for (NSUInteger i = 0; i < count; i++) {
            NSString *problem = ClarifaiJSONProblem([value objectAtIndex:i],
                [NSString stringWithFormat:@"%@[%lu]", path, (unsigned long)i], depth + 1);
            if (problem != nil) {
                return problem;
            }
        }
        return nil;
    }
    if ([value isKindOfClass:[NSDictionary class]]) {
        NSEnumerator *keys = [value keyEnumerator];
        id key;
        while ((key = [keys nextObject]) != nil) {
            if (![key isKindOfClass:[NSString class]]) {
                return [NSString stringWithFormat:@"%@ has a key of class %@; JSON keys are strings",
                                                  path, NSStringFromClass([key class])];
            }
            NSString *problem = ClarifaiJSONProblem([value objectForKey:key],
                [NSString stringWithFormat:@"%@[\"%@\"]", path, key], depth + 1);
            if (problem != nil) {
                return problem;
            }
        }
        return nil;
    }
    return [NSString stringWithFormat:@"%@ is of class %@, which JSON cannot hold (use NSDictionary, "
                                       "NSArray, NSString, NSNumber or NSNull)",
                                      path, NSStringFromClass([value class])];
}

char *ClarifaiCopyJSONParams(id params, NSString *argument, BOOL *failed, NSError **error)
{
    *failed = NO;
    if (params == nil) {
        return NULL;
    }
    *failed = YES;
    if (![params isKindOfClass:[NSDictionary class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ must be an NSDictionary", argument]));
        return NULL;
    }
    NSString *problem = ClarifaiJSONProblem(params, argument, 0);
    if (problem != nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument, problem));
        return NULL;
    }
    NSData *data = nil;
    NSError *cause = nil;
    locale_t previous = ClarifaiUseCLocale();
    @try {
        data = [NSJSONSerialization dataWithJSONObject:params options:0 error:&cause];
    }
    @catch (NSException *exception) {
        data = nil;
    }
    ClarifaiRestoreLocale(previous);
    if (data == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ cannot be written as JSON", argument]));
        return NULL;
    }
    NSUInteger length = [data length];
    char *text = malloc(length + 1);
    if (text == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    memcpy(text, [data bytes], length);
    text[length] = '\0';
    *failed = NO;
    return text;
}

id ClarifaiReadJSON(const char *text, NSError **error)
{
    /* Borrowed, not copied: the text lives as long as the native response it came from. */
    NSData *data = [[NSData alloc] initWithBytesNoCopy:(void *)text length:strlen(text) freeWhenDone:NO];
    id object = nil;
    NSError *cause = nil;
    locale_t previous = ClarifaiUseCLocale();
    @try {
        object = [NSJSONSerialization JSONObjectWithData:data options:0 error:&cause];
    }
    @catch (NSException *exception) {
        object = nil;
    }
    ClarifaiRestoreLocale(previous);
    [data release];
    if (object == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
            @"Foundation's NSJSONSerialization cannot read the response body (JSONString has it)"));
    }
    return object;
}
