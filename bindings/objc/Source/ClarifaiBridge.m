/*
 * Conversions between Foundation objects and the native C ABI. Manual retain/release: build
 * with -fno-objc-arc in ARC projects.
 */

#import "ClarifaiPrivate.h"

#include <stdlib.h>
#include <string.h>

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
static void ClarifaiWipe(char *bytes, size_t length)
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

char *ClarifaiCopyJSONObject(id object, NSString *argument, BOOL *failed, NSError **error)
{
    *failed = NO;
    if (object == nil) {
        return NULL;
    }
    *failed = YES;
    if (![object isKindOfClass:[NSDictionary class]] && ![object isKindOfClass:[NSArray class]]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ must be an NSDictionary or NSArray", argument]));
        return NULL;
    }
    NSData *data = nil;
    NSError *jsonError = nil;
    /* Both Foundations raise, rather than fail, on some objects JSON cannot hold. */
    @try {
        if ([NSJSONSerialization isValidJSONObject:object]) {
            data = [NSJSONSerialization dataWithJSONObject:object options:0 error:&jsonError];
        }
    }
    @catch (id exception) {
        data = nil;
    }
    if (data == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ cannot be written as JSON (only strings, numbers, "
                                        "NSNull, arrays and dictionaries with string keys)",
                                       argument]));
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

id ClarifaiParseJSON(const char *text, NSError **error)
{
    NSData *data = [[NSData alloc] initWithBytesNoCopy:(void *)text
                                                length:strlen(text)
                                          freeWhenDone:NO];
    id object = nil;
    @try {
        object = [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL];
    }
    @catch (id exception) {
        object = nil;
    }
    [data release];
    if (object == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
            @"the native library returned text that is not JSON"));
    }
    return object;
}

NSString *ClarifaiStringFromC(const char *text)
{
    if (text == NULL) {
        return nil;
    }
    NSString *s = [NSString stringWithUTF8String:text];
    return s != nil ? s : @"";
}

NSArray *ClarifaiStringArray(id value)
{
    if (![value isKindOfClass:[NSArray class]]) {
        return [NSArray array];
    }
    NSMutableArray *strings = [NSMutableArray arrayWithCapacity:[value count]];
    NSEnumerator *e = [value objectEnumerator];
    id item;
    while ((item = [e nextObject]) != nil) {
        if ([item isKindOfClass:[NSString class]]) {
            [strings addObject:item];
        }
    }
    return strings;
}
