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
