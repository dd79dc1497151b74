/*
 * JSON between Foundation objects and the native library's UTF-8 text. Manual retain/release:
 * build with -fno-objc-arc in ARC projects.
 *
 * Why not NSJSONSerialization: on GNUstep it spent about 20,000 instructions writing
 * {"per_page":1} and 24,000 reading a 55-byte response (callgrind), more than the whole native
 * call, and it reads every number as a double, so an id above 2^53 came back wrong. Both
 * directions here are a single pass over the bytes:
 *
 * - writing takes NSDictionary (string keys), NSArray, NSString, NSNumber (booleans as
 *   true/false, integers exactly, finite floating point in the shortest text that reads back
 *   the same) and NSNull, and says where anything else sits (`params["when"] is an NSDate`);
 * - reading is strict RFC 8259 (as strict as the native library, which has already checked the
 *   text): integers become long long or unsigned long long NSNumbers when they fit, other
 *   numbers doubles; containers are immutable; a duplicate key keeps its last value.
 *
 * Numbers are formatted and read in the C locale whatever the app's locale is.
 */

#import "ClarifaiPrivate.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__APPLE__)
#include <xlocale.h>
#endif

/* Twice what the native library accepts (128 levels); it also stops a container that holds
 * itself, long before the stack runs out. */
enum { ClarifaiJSONMaxDepth = 256 };

/* Classes and singletons, looked up once: with gcc's GNU runtime every `[NSString class]` in
 * the source is a by-name lookup at run time. */
static Class StringClass, NumberClass, BoolClass, NullClass, ArrayClass, DictionaryClass;
static id TrueValue, FalseValue, NullValue, EmptyArray, EmptyDictionary;
static locale_t CLocale;
static pthread_once_t ClassesOnce = PTHREAD_ONCE_INIT;

static void ClarifaiJSONLoadClasses(void)
{
    StringClass = [NSString class];
    NumberClass = [NSNumber class];
    NullClass = [NSNull class];
    ArrayClass = [NSArray class];
    DictionaryClass = [NSDictionary class];
    /* Retained for the life of the process: they are shared singletons anyway. */
    TrueValue = [[NSNumber numberWithBool:YES] retain];
    FalseValue = [[NSNumber numberWithBool:NO] retain];
    NullValue = [[NSNull null] retain];
    /* Immutable, so one of each serves every empty container read. */
    EmptyArray = [[NSArray alloc] init];
    EmptyDictionary = [[NSDictionary alloc] init];
    /* GNUstep's NSBoolNumber, Apple's __NSCFBoolean: what tells a BOOL from a char. */
    BoolClass = [TrueValue class];
    CLocale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static void ClarifaiJSONInit(void)
{
    pthread_once(&ClassesOnce, ClarifaiJSONLoadClasses);
}

/* ------------------------------------------------------------------------------ writing */

typedef struct {
    char *bytes;
    size_t length, capacity;
    /* Set on the first failure: what went wrong, and the path to it built as the recursion
     * unwinds (`["inputs"][0]`). */
    NSString *problem;
    NSMutableString *path;
    ClarifaiErrorCode code;
} ClarifaiJSONWriter;

static BOOL WriterFail(ClarifaiJSONWriter *w, ClarifaiErrorCode code, NSString *problem)
{
    if (w->problem == nil) {
        w->code = code;
        w->problem = [problem retain];
        w->path = [[NSMutableString alloc] init];
    }
    return NO;
}

static BOOL WriterReserve(ClarifaiJSONWriter *w, size_t more)
{
    if (w->capacity - w->length >= more) {
        return YES;
    }
    size_t capacity = w->capacity;
    while (capacity - w->length < more) {
        if (capacity > SIZE_MAX / 2) {
            return WriterFail(w, ClarifaiErrorState, @"is too large");
        }
        capacity *= 2;
    }
    char *bytes = malloc(capacity);
    if (bytes == NULL) {
        return WriterFail(w, ClarifaiErrorState, @"out of memory");
    }
    /* Not realloc: the text may hold whatever the app put in its params, so the old buffer is
     * wiped like the final one. */
    memcpy(bytes, w->bytes, w->length);
    ClarifaiWipe(w->bytes, w->capacity);
    free(w->bytes);
    w->bytes = bytes;
    w->capacity = capacity;
    return YES;
}

static BOOL WriterPut(ClarifaiJSONWriter *w, const char *bytes, size_t length)
{
    if (!WriterReserve(w, length)) {
        return NO;
    }
    memcpy(w->bytes + w->length, bytes, length);
    w->length += length;
    return YES;
}

static BOOL WriteString(ClarifaiJSONWriter *w, NSString *string)
{
    static const char hex[] = "0123456789abcdef";
    enum { Chunk = 64 };
    unichar units[Chunk];
    NSUInteger length = [string length], done = 0;
    unichar high = 0; /* a high surrogate waiting for its low half across chunks */
    /* At most 6 bytes (\u00XX) per UTF-16 unit, plus the quotes. */
    if (!WriterPut(w, "\"", 1)) {
        return NO;
    }
    while (done < length) {
        NSUInteger n = length - done < Chunk ? length - done : Chunk;
        [string getCharacters:units range:NSMakeRange(done, n)];
        done += n;
        if (!WriterReserve(w, 6 * n)) {
            return NO;
        }
        char *out = w->bytes + w->length;
        for (NSUInteger i = 0; i < n; i++) {
            unichar c = units[i];
            if (high != 0) {
                if (c < 0xDC00 || c > 0xDFFF) {
                    return WriterFail(w, ClarifaiErrorInvalidArgument,
                                      @"is a string that is not valid Unicode (a lone UTF-16 surrogate)");
                }
                uint32_t cp = 0x10000 + (((uint32_t)high - 0xD800) << 10) + (c - 0xDC00);
                *out++ = (char)(0xF0 | (cp >> 18));
                *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *out++ = (char)(0x80 | (cp & 0x3F));
                high = 0;
            } else if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    *out++ = '\\';
                    *out++ = (char)c;
                } else if (c >= 0x20) {
                    *out++ = (char)c;
                } else if (c == '\n') {
                    *out++ = '\\';
                    *out++ = 'n';
                } else if (c == '\t') {
                    *out++ = '\\';
                    *out++ = 't';
                } else if (c == '\r') {
                    *out++ = '\\';
                    *out++ = 'r';
                } else {
                    memcpy(out, "\\u00", 4);
                    out[4] = hex[c >> 4];
                    out[5] = hex[c & 0xF];
                    out += 6;
                }
            } else if (c < 0x800) {
                *out++ = (char)(0xC0 | (c >> 6));
                *out++ = (char)(0x80 | (c & 0x3F));
            } else if (c >= 0xD800 && c <= 0xDBFF) {
                high = c;
            } else if (c >= 0xDC00 && c <= 0xDFFF) {
                return WriterFail(w, ClarifaiErrorInvalidArgument,
                                  @"is a string that is not valid Unicode (a lone UTF-16 surrogate)");
            } else {
                *out++ = (char)(0xE0 | (c >> 12));
                *out++ = (char)(0x80 | ((c >> 6) & 0x3F));
                *out++ = (char)(0x80 | (c & 0x3F));
            }
        }
        w->length = (size_t)(out - w->bytes);
    }
    if (high != 0) {
        return WriterFail(w, ClarifaiErrorInvalidArgument,
                          @"is a string that is not valid Unicode (a lone UTF-16 surrogate)");
    }
    return WriterPut(w, "\"", 1);
}

/* The shortest %.Ng text that reads back as the same value: 0.1, not 0.10000000000000001. */
static int FormatDouble(char *text, size_t size, double value, BOOL single)
{
    int first = single ? 6 : 15, last = single ? 9 : 17;
    int n = 0;
    locale_t previous = uselocale(CLocale);
    for (int digits = first; digits <= last; digits++) {
        n = snprintf(text, size, "%.*g", digits, value);
        if (single ? strtof(text, NULL) == (float)value : strtod(text, NULL) == value) {
            break;
        }
    }
    uselocale(previous);
    return n;
}

/* Decimal digits of value, written backwards from end; returns where they start. */
static char *FormatUnsigned(char *end, unsigned long long value)
{
    do {
        *--end = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    return end;
}

static BOOL WriteInteger(ClarifaiJSONWriter *w, unsigned long long magnitude, BOOL negative)
{
    char text[24];
    char *end = text + sizeof text, *start = FormatUnsigned(end, magnitude);
    if (negative) {
        *--start = '-';
    }
    return WriterPut(w, start, (size_t)(end - start));
}

static BOOL WriteNumber(ClarifaiJSONWriter *w, NSNumber *number)
{
    char text[40];
    int n;
    if ([number isKindOfClass:BoolClass]) {
        return [number boolValue] ? WriterPut(w, "true", 4) : WriterPut(w, "false", 5);
    }
    const char *type = [number objCType];
    switch (type != NULL ? type[0] : 'd') {
    case 'c': case 's': case 'i': case 'l': case 'q': {
        long long value = [number longLongValue];
        /* The magnitude of LLONG_MIN does not fit a long long; it does an unsigned one. */
        return value < 0 ? WriteInteger(w, 0ULL - (unsigned long long)value, YES)
                         : WriteInteger(w, (unsigned long long)value, NO);
    }
    case 'C': case 'S': case 'I': case 'L': case 'Q':
        return WriteInteger(w, [number unsignedLongLongValue], NO);
    case 'B':
        return [number boolValue] ? WriterPut(w, "true", 4) : WriterPut(w, "false", 5);
    default: {
        BOOL single = type != NULL && type[0] == 'f';
        double value = single ? (double)[number floatValue] : [number doubleValue];
        if (!isfinite(value)) {
            return WriterFail(w, ClarifaiErrorInvalidArgument,
                              @"is not a finite number (JSON has no NaN or infinity)");
        }
        n = FormatDouble(text, sizeof text, value, single);
        break;
    }
    }
    return n > 0 && (size_t)n < sizeof text ? WriterPut(w, text, (size_t)n)
                                             : WriterFail(w, ClarifaiErrorState, @"could not format a number");
}

static BOOL WriteValue(ClarifaiJSONWriter *w, id value, int depth);

/* On a child's failure, put its place in front of the path so far. */
static BOOL WriterFailedAt(ClarifaiJSONWriter *w, NSString *place)
{
    [w->path insertString:place atIndex:0];
    return NO;
}

static BOOL WriteArray(ClarifaiJSONWriter *w, NSArray *array, int depth)
{
    NSUInteger count = [array count];
    if (!WriterPut(w, "[", 1)) {
        return NO;
    }
    for (NSUInteger i = 0; i < count; i++) {
        if ((i > 0 && !WriterPut(w, ",", 1)) || !WriteValue(w, [array objectAtIndex:i], depth + 1)) {
            return WriterFailedAt(w, [NSString stringWithFormat:@"[%lu]", (unsigned long)i]);
        }
    }
    return WriterPut(w, "]", 1);
}

static BOOL WriteDictionary(ClarifaiJSONWriter *w, NSDictionary *dictionary, int depth)
{
    BOOL first = YES;
    if (!WriterPut(w, "{", 1)) {
        return NO;
    }
    /* Fast enumeration needs no temporary arrays of keys and values; for a small dictionary
     * on GNUstep it also costs less than -getObjects:andKeys:. */
    for (id key in dictionary) {
        if (![key isKindOfClass:StringClass]) {
            return WriterFail(w, ClarifaiErrorInvalidArgument,
                              [NSString stringWithFormat:@"has a key of class %@, not an NSString",
                                                         NSStringFromClass([key class])]);
        }
        if ((!first && !WriterPut(w, ",", 1)) || !WriteString(w, key) || !WriterPut(w, ":", 1)
            || !WriteValue(w, [dictionary objectForKey:key], depth + 1)) {
            return WriterFailedAt(w, [NSString stringWithFormat:@"[\"%@\"]", key]);
        }
        first = NO;
    }
    return WriterPut(w, "}", 1);
}

static BOOL WriteValue(ClarifaiJSONWriter *w, id value, int depth)
{
    if (depth > ClarifaiJSONMaxDepth) {
        return WriterFail(w, ClarifaiErrorInvalidArgument,
                          [NSString stringWithFormat:@"is nested more than %d deep (or contains itself)",
                                                     ClarifaiJSONMaxDepth]);
    }
    if ([value isKindOfClass:StringClass]) {
        return WriteString(w, value);
    }
    if ([value isKindOfClass:DictionaryClass]) {
        return WriteDictionary(w, value, depth);
    }
    if ([value isKindOfClass:ArrayClass]) {
        return WriteArray(w, value, depth);
    }
    if ([value isKindOfClass:NumberClass]) {
        return WriteNumber(w, value);
    }
    if (value == NullValue || [value isKindOfClass:NullClass]) {
        return WriterPut(w, "null", 4);
    }
    return WriterFail(w, ClarifaiErrorInvalidArgument,
                      [NSString stringWithFormat:@"is of class %@; JSON holds only strings, numbers, NSNull, "
                                                  "arrays and dictionaries with string keys",
                                                 NSStringFromClass([value class])]);
}

char *ClarifaiCopyJSONObject(id object, NSString *argument, BOOL *failed, NSError **error)
{
    *failed = NO;
    if (object == nil) {
        return NULL;
    }
    *failed = YES;
    ClarifaiJSONInit();
    if (![object isKindOfClass:DictionaryClass] && ![object isKindOfClass:ArrayClass]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorInvalidArgument,
            [NSString stringWithFormat:@"%@ must be an NSDictionary or NSArray", argument]));
        return NULL;
    }
    ClarifaiJSONWriter w = { NULL, 0, 256, nil, nil, ClarifaiErrorInvalidArgument };
    w.bytes = malloc(w.capacity);
    if (w.bytes == NULL) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorState, @"out of memory"));
        return NULL;
    }
    BOOL ok = NO;
    /* An NSString or NSArray subclass of the app's may raise; that is a failed argument, not
     * an exception through the caller. */
    @try {
        ok = WriteValue(&w, object, 0) && WriterPut(&w, "", 1);
    }
    @catch (id exception) {
        ok = NO;
        if (w.problem == nil) {
            WriterFail(&w, ClarifaiErrorInvalidArgument,
                       [NSString stringWithFormat:@"raised %@",
                                                  [exception respondsToSelector:@selector(name)]
                                                      ? [exception name] : @"an exception"]);
        }
    }
    if (!ok) {
        ClarifaiWipe(w.bytes, w.capacity);
        free(w.bytes);
        ClarifaiSetError(error, ClarifaiMakeError(w.code,
            [NSString stringWithFormat:@"%@%@ cannot be written as JSON: it %@", argument,
                                       w.path != nil ? (NSString *)w.path : @"", w.problem]));
        [w.problem release];
        [w.path release];
        return NULL;
    }
    *failed = NO;
    return w.bytes;
}

/* ------------------------------------------------------------------------------ reading */

typedef struct {
    const unsigned char *start, *p, *end;
    /* Values made but not yet put in their container, and the keys of open objects: each
     * container is built in one go from the top of these, so it is never mutated. */
    id *values, *keys;
    size_t valueCount, valueCapacity, keyCount, keyCapacity;
    /* Unescaped string bytes; wiped when done (keys come back in these). */
    char *scratch;
    size_t scratchCapacity;
    const char *problem;
} ClarifaiJSONReader;

static BOOL ReaderFail(ClarifaiJSONReader *r, const char *problem)
{
    if (r->problem == NULL) {
        r->problem = problem;
    }
    return NO;
}

static BOOL Grow(id **items, size_t *capacity, size_t needed)
{
    if (needed <= *capacity) {
        return YES;
    }
    size_t capacity2 = *capacity < 16 ? 16 : *capacity * 2;
    while (capacity2 < needed) {
        capacity2 *= 2;
    }
    id *grown = realloc(*items, capacity2 * sizeof(id));
    if (grown == NULL) {
        return NO;
    }
    *items = grown;
    *capacity = capacity2;
    return YES;
}

/* Takes the +1 reference of object. */
static BOOL PushValue(ClarifaiJSONReader *r, id object)
{
    if (object == nil) {
        return ReaderFail(r, "out of memory");
    }
    if (!Grow(&r->values, &r->valueCapacity, r->valueCount + 1)) {
        [object release];
        return ReaderFail(r, "out of memory");
    }
    r->values[r->valueCount++] = object;
    return YES;
}

static void SkipSpace(ClarifaiJSONReader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')) {
        r->p++;
    }
}

static int HexDigit(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static BOOL ReadHex4(ClarifaiJSONReader *r, uint32_t *unit)
{
    if (r->end - r->p < 4) {
        return ReaderFail(r, "a truncated \\u escape");
    }
    uint32_t u = 0;
    for (int i = 0; i < 4; i++) {
        int d = HexDigit(r->p[i]);
        if (d < 0) {
            return ReaderFail(r, "a malformed \\u escape");
        }
        u = (u << 4) | (uint32_t)d;
    }
    r->p += 4;
    *unit = u;
    return YES;
}

/*
 * Object keys are few and repeat in every response ("status", "code", "id", ...): the first
 * 256 distinct short ASCII keys seen (by hash slot; a taken slot is never replaced) are kept
 * for the life of the process and handed out again, retained, instead of made anew. Entries
 * are immutable once published, so readers on any thread need no lock.
 */
enum { InternSlots = 256, InternMaxLength = 31 };
typedef struct {
    NSString *string;
    size_t length;
    char bytes[InternMaxLength];
} ClarifaiInternedKey;
static ClarifaiInternedKey *InternTable[InternSlots];

/* A +1 NSString of length bytes known to be free of escapes and control characters. */
static NSString *MakeString(const unsigned char *bytes, size_t length)
{
    char local[128];
    if (length < sizeof local) {
        /* -initWithUTF8String: makes an inline string, a third cheaper on GNUstep than
         * -initWithBytes:length:encoding:'s separate buffer; both refuse invalid UTF-8. */
        memcpy(local, bytes, length);
        local[length] = '\0';
        return [[StringClass alloc] initWithUTF8String:local];
    }
    return [[StringClass alloc] initWithBytes:bytes length:(NSUInteger)length encoding:NSUTF8StringEncoding];
}

static NSString *MakeKey(const unsigned char *bytes, size_t length, BOOL ascii)
{
    if (!ascii || length == 0 || length > InternMaxLength) {
        return MakeString(bytes, length);
    }
    uint32_t hash = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < length; i++) {
        hash = (hash ^ bytes[i]) * 16777619u;
    }
    ClarifaiInternedKey **slot = &InternTable[hash % InternSlots];
    ClarifaiInternedKey *entry = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (entry != NULL) {
        if (entry->length == length && memcmp(entry->bytes, bytes, length) == 0) {
            return [entry->string retain];
        }
        return MakeString(bytes, length);
    }
    NSString *string = MakeString(bytes, length);
    ClarifaiInternedKey *fresh = string != nil ? malloc(sizeof *fresh) : NULL;
    if (fresh != NULL) {
        fresh->string = [string retain];
        fresh->length = length;
        memcpy(fresh->bytes, bytes, length);
        ClarifaiInternedKey *expected = NULL;
        if (!__atomic_compare_exchange_n(slot, &expected, fresh, NO, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            [fresh->string release];
            free(fresh);
        }
    }
    return string;
}

/* The string at r->p (just after its opening quote) as a +1 NSString; a key if isKey. */
static NSString *ReadString(ClarifaiJSONReader *r, BOOL isKey)
{
    const unsigned char *run = r->p;
    unsigned char high = 0;
    /* The common case: no escapes, so the bytes between the quotes are the string. */
    while (r->p < r->end && *r->p != '"' && *r->p != '\\' && *r->p >= 0x20) {
        high |= *r->p++;
    }
    if (r->p < r->end && *r->p == '"') {
        size_t length = (size_t)(r->p - run);
        NSString *s = isKey ? MakeKey(run, length, high < 0x80) : MakeString(run, length);
        r->p++;
        if (s == nil) {
            ReaderFail(r, "a string that is not UTF-8");
        }
        return s;
    }
    /* Escapes: unescape into the scratch buffer (never longer than the escaped text). */
    size_t most = (size_t)(r->end - run);
    if (most > r->scratchCapacity) {
        char *scratch = malloc(most);
        if (scratch == NULL) {
            ReaderFail(r, "out of memory");
            return nil;
        }
        if (r->scratch != NULL) {
            ClarifaiWipe(r->scratch, r->scratchCapacity);
            free(r->scratch);
        }
        r->scratch = scratch;
        r->scratchCapacity = most;
    }
    char *out = r->scratch;
    memcpy(out, run, (size_t)(r->p - run));
    out += r->p - run;
    for (;;) {
        if (r->p >= r->end) {
            ReaderFail(r, "an unterminated string");
            return nil;
        }
        unsigned char c = *r->p++;
        if (c == '"') {
            break;
        }
        if (c < 0x20) {
            ReaderFail(r, "a control character in a string");
            return nil;
        }
        if (c != '\\') {
            *out++ = (char)c;
            continue;
        }
        if (r->p >= r->end) {
            ReaderFail(r, "an unterminated string");
            return nil;
        }
        c = *r->p++;
        switch (c) {
        case '"': case '\\': case '/':
            *out++ = (char)c;
            break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (!ReadHex4(r, &cp)) {
                return nil;
            }
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                ReaderFail(r, "a lone UTF-16 surrogate");
                return nil;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t low;
                if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
                    ReaderFail(r, "a lone UTF-16 surrogate");
                    return nil;
                }
                r->p += 2;
                if (!ReadHex4(r, &low)) {
                    return nil;
                }
                if (low < 0xDC00 || low > 0xDFFF) {
                    ReaderFail(r, "a lone UTF-16 surrogate");
                    return nil;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            /* Six escaped bytes (twelve for a pair) become at most four. */
            if (cp < 0x80) {
                *out++ = (char)cp;
            } else if (cp < 0x800) {
                *out++ = (char)(0xC0 | (cp >> 6));
                *out++ = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *out++ = (char)(0xE0 | (cp >> 12));
                *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *out++ = (char)(0x80 | (cp & 0x3F));
            } else {
                *out++ = (char)(0xF0 | (cp >> 18));
                *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *out++ = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            ReaderFail(r, "an unknown escape in a string");
            return nil;
        }
    }
    NSString *s = [[StringClass alloc] initWithBytes:r->scratch length:(NSUInteger)(out - r->scratch)
                                            encoding:NSUTF8StringEncoding];
    if (s == nil) {
        ReaderFail(r, "a string that is not UTF-8");
    }
    return s;
}

static BOOL IsDigit(const ClarifaiJSONReader *r, const unsigned char *p)
{
    return p < r->end && *p >= '0' && *p <= '9';
}

static BOOL ReadNumber(ClarifaiJSONReader *r)
{
    const unsigned char *start = r->p, *p = r->p;
    BOOL negative = NO, integral = YES;
    if (*p == '-') {
        negative = YES;
        p++;
    }
    if (!IsDigit(r, p)) {
        return ReaderFail(r, "a malformed number");
    }
    /* The integer part, accumulated while it fits. */
    unsigned long long magnitude = 0;
    BOOL fits = YES;
    if (*p == '0') {
        p++;
    } else {
        while (IsDigit(r, p)) {
            unsigned digit = (unsigned)(*p++ - '0');
            if (magnitude > (ULLONG_MAX - digit) / 10) {
                fits = NO;
            } else {
                magnitude = magnitude * 10 + digit;
            }
        }
    }
    if (p < r->end && *p == '.') {
        integral = NO;
        p++;
        if (!IsDigit(r, p)) {
            return ReaderFail(r, "a malformed number");
        }
        while (IsDigit(r, p)) {
            p++;
        }
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        integral = NO;
        p++;
        if (p < r->end && (*p == '+' || *p == '-')) {
            p++;
        }
        if (!IsDigit(r, p)) {
            return ReaderFail(r, "a malformed number");
        }
        while (IsDigit(r, p)) {
            p++;
        }
    }
    r->p = p;
    /* The class factories: on GNUstep they skip the placeholder object -alloc makes, and
     * share the small values. */
    if (integral && fits) {
        if (!negative && magnitude <= LLONG_MAX) {
            return PushValue(r, [[NumberClass numberWithLongLong:(long long)magnitude] retain]);
        }
        if (!negative) {
            return PushValue(r, [[NumberClass numberWithUnsignedLongLong:magnitude] retain]);
        }
        if (magnitude <= (unsigned long long)LLONG_MAX + 1) {
            long long value = magnitude == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)magnitude;
            return PushValue(r, [[NumberClass numberWithLongLong:value] retain]);
        }
    }
    /* strtod reads exactly the checked span: what follows a number cannot continue one. */
    char local[64];
    size_t length = (size_t)(p - start);
    char *text = length < sizeof local ? local : malloc(length + 1);
    if (text == NULL) {
        return ReaderFail(r, "out of memory");
    }
    memcpy(text, start, length);
    text[length] = '\0';
    locale_t previous = uselocale(CLocale);
    double value = strtod(text, NULL);
    uselocale(previous);
    if (text != local) {
        free(text);
    }
    if (!isfinite(value)) {
        return ReaderFail(r, "a number out of range");
    }
    return PushValue(r, [[NumberClass numberWithDouble:value] retain]);
}

static BOOL ReadLiteral(ClarifaiJSONReader *r, const char *word, size_t length, id value)
{
    if ((size_t)(r->end - r->p) < length || memcmp(r->p, word, length) != 0) {
        return ReaderFail(r, "an unexpected character");
    }
    r->p += length;
    return PushValue(r, [value retain]);
}

static void ReleaseItems(id *items, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        [items[i] release];
    }
}

static BOOL ReadValue(ClarifaiJSONReader *r, int depth);

/* After a container's item: 1 for a ',' (another item follows), 0 for the closing byte, -1 (and
 * the failure recorded as problem) for anything else. */
static int ReadSeparator(ClarifaiJSONReader *r, unsigned char close, const char *problem)
{
    SkipSpace(r);
    if (r->p < r->end && (*r->p == ',' || *r->p == close)) {
        return *r->p++ == ',' ? 1 : 0;
    }
    ReaderFail(r, problem);
    return -1;
}

static BOOL ReadArray(ClarifaiJSONReader *r, int depth)
{
    size_t base = r->valueCount;
    r->p++;
    SkipSpace(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return PushValue(r, [EmptyArray retain]);
    }
    for (;;) {
        if (!ReadValue(r, depth + 1)) {
            return NO;
        }
        int next = ReadSeparator(r, ']', "an array without its ',' or ']'");
        if (next < 0) {
            return NO;
        }
        if (next == 0) {
            break;
        }
    }
    NSArray *array = [[ArrayClass alloc] initWithObjects:r->values + base count:r->valueCount - base];
    ReleaseItems(r->values, base, r->valueCount);
    r->valueCount = base;
    return PushValue(r, array);
}

static BOOL ReadObject(ClarifaiJSONReader *r, int depth)
{
    size_t valueBase = r->valueCount, keyBase = r->keyCount;
    r->p++;
    SkipSpace(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return PushValue(r, [EmptyDictionary retain]);
    }
    for (;;) {
        SkipSpace(r);
        if (r->p >= r->end || *r->p != '"') {
            return ReaderFail(r, "an object key that is not a string");
        }
        r->p++;
        NSString *key = ReadString(r, YES);
        if (key == nil) {
            return NO;
        }
        if (!Grow(&r->keys, &r->keyCapacity, r->keyCount + 1)) {
            [key release];
            return ReaderFail(r, "out of memory");
        }
        r->keys[r->keyCount++] = key;
        SkipSpace(r);
        if (r->p >= r->end || *r->p != ':') {
            return ReaderFail(r, "an object key without its ':'");
        }
        r->p++;
        if (!ReadValue(r, depth + 1)) {
            return NO;
        }
        int next = ReadSeparator(r, '}', "an object without its ',' or '}'");
        if (next < 0) {
            return NO;
        }
        if (next == 0) {
            break;
        }
    }
    /* A later duplicate key replaces an earlier one, as in the native library. */
    NSDictionary *object = [[DictionaryClass alloc] initWithObjects:r->values + valueBase
                                                            forKeys:r->keys + keyBase
                                                              count:r->keyCount - keyBase];
    ReleaseItems(r->values, valueBase, r->valueCount);
    ReleaseItems(r->keys, keyBase, r->keyCount);
    r->valueCount = valueBase;
    r->keyCount = keyBase;
    return PushValue(r, object);
}

static BOOL ReadValue(ClarifaiJSONReader *r, int depth)
{
    if (depth > ClarifaiJSONMaxDepth) {
        return ReaderFail(r, "nesting too deep");
    }
    SkipSpace(r);
    if (r->p >= r->end) {
        return ReaderFail(r, "an unexpected end");
    }
    switch (*r->p) {
    case '{':
        return ReadObject(r, depth);
    case '[':
        return ReadArray(r, depth);
    case '"': {
        r->p++;
        NSString *s = ReadString(r, NO);
        return s != nil && PushValue(r, s);
    }
    case 't':
        return ReadLiteral(r, "true", 4, TrueValue);
    case 'f':
        return ReadLiteral(r, "false", 5, FalseValue);
    case 'n':
        return ReadLiteral(r, "null", 4, NullValue);
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
            return ReadNumber(r);
        }
        return ReaderFail(r, "an unexpected character");
    }
}

id ClarifaiParseJSON(const char *text, NSError **error)
{
    ClarifaiJSONInit();
    size_t length = strlen(text);
    ClarifaiJSONReader r;
    memset(&r, 0, sizeof r);
    r.start = r.p = (const unsigned char *)text;
    r.end = r.start + length;
    id object = nil;
    if (ReadValue(&r, 0)) {
        SkipSpace(&r);
        if (r.p == r.end) {
            object = [r.values[0] autorelease];
            r.valueCount = 0;
        } else {
            ReaderFail(&r, "text after the value");
        }
    }
    ReleaseItems(r.values, 0, r.valueCount);
    ReleaseItems(r.keys, 0, r.keyCount);
    free(r.values);
    free(r.keys);
    if (r.scratch != NULL) {
        ClarifaiWipe(r.scratch, r.scratchCapacity);
        free(r.scratch);
    }
    if (object == nil) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
            [NSString stringWithFormat:@"the native library returned text that is not JSON (%s at byte %lu)",
                                       r.problem, (unsigned long)(r.p - r.start)]));
    }
    return object;
}

NSDictionary *ClarifaiParseJSONObject(const char *text, NSError **error)
{
    id object = ClarifaiParseJSON(text, error);
    if (object != nil && ![object isKindOfClass:DictionaryClass]) {
        ClarifaiSetError(error, ClarifaiMakeError(ClarifaiErrorMalformedResponse,
            @"the native library returned JSON that is not an object"));
        return nil;
    }
    return object;
}
