/*
 * The binding's own JSON writer and reader (Source/ClarifaiJSON.m), directly: every type each
 * way, exact integers, the shortest float text, escapes, and a clear error for everything JSON
 * cannot hold or the reader must refuse. Calls through ClarifaiApp cover the same code with
 * real requests in ClarifaiAppTests.
 */

#import "CTHarness.h"
#import "ClarifaiPrivate.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

@interface JSONTests : CTTestCase
@end

/* UTF-16 units as given, lone surrogates included: GNUstep's own strings refuse them at
 * creation, Apple's do not, and an app's NSString subclass may hold anything. */
@interface CTUnitsString : NSString {
@private
    unichar _units[8];
    NSUInteger _length;
}
- (instancetype)initWithUnits:(const unichar *)units length:(NSUInteger)length;
@end

@implementation CTUnitsString
- (instancetype)initWithUnits:(const unichar *)units length:(NSUInteger)length
{
    if ((self = [super init]) != nil) {
        _length = length < 8 ? length : 8;
        memcpy(_units, units, _length * sizeof(unichar));
    }
    return self;
}
- (NSUInteger)length
{
    return _length;
}
- (unichar)characterAtIndex:(NSUInteger)index
{
    return _units[index];
}
@end

/* A string that raises when read, as a broken subclass of an app's might. */
@interface CTRaisingString : NSString
@end

@implementation CTRaisingString
- (NSUInteger)length
{
    [NSException raise:NSGenericException format:@"broken on purpose"];
    return 0;
}
- (unichar)characterAtIndex:(NSUInteger)index
{
    return 'x';
}
@end

/* params written as JSON, or the error's message prefixed with "error: ". */
static NSString *Write(id params)
{
    BOOL failed = NO;
    NSError *error = nil;
    char *text = ClarifaiCopyJSONObject(params, @"params", &failed, &error);
    if (text == NULL) {
        return failed ? [@"error: " stringByAppendingString:[error localizedDescription]] : @"(nil)";
    }
    NSString *s = [NSString stringWithUTF8String:text];
    ClarifaiFreeCString(text);
    return s;
}

static NSString *U8(const char *text)
{
    return [NSString stringWithUTF8String:text];
}

static id Read(const char *text)
{
    return ClarifaiParseJSON(text, NULL);
}

static NSNumber *ReadNumber(const char *text)
{
    return [Read([[NSString stringWithFormat:@"[%s]", text] UTF8String]) objectAtIndex:0];
}

@implementation JSONTests

- (void)testWritesEveryType
{
    NSArray *values = [NSArray arrayWithObjects:
        [NSNumber numberWithBool:YES], [NSNumber numberWithBool:NO], [NSNumber numberWithChar:1],
        [NSNumber numberWithInt:-5], [NSNumber numberWithLongLong:LLONG_MIN],
        [NSNumber numberWithUnsignedLongLong:ULLONG_MAX], [NSNumber numberWithDouble:0.1],
        [NSNumber numberWithDouble:1e300], [NSNumber numberWithDouble:-2.5], [NSNumber numberWithFloat:0.1f],
        [NSNumber numberWithDouble:9007199254740993.0], [NSNull null], [NSArray array], [NSDictionary dictionary],
        nil];
    CTAssertEqualObjects(Write(values),
                         @"[true,false,1,-5,-9223372036854775808,18446744073709551615,0.1,1e+300,-2.5,0.1,"
                         @"9007199254740992,null,[],{}]");
    CTAssertEqualObjects(Write([NSDictionary dictionaryWithObject:[NSDictionary dictionaryWithObject:@"v" forKey:@"k"]
                                                           forKey:@"outer"]),
                         @"{\"outer\":{\"k\":\"v\"}}");
}

- (void)testWritesStringsAsEscapedUTF8
{
    unichar units[] = { 'q', '"', '\\', '/', '\n', '\t', '\r', 0x01, 0x1F, 0x00E9, 0x20AC, 0xD83D, 0xDE00, 0 };
    NSString *s = [NSString stringWithCharacters:units length:sizeof units / sizeof units[0]];
    CTAssertEqualObjects(Write([NSArray arrayWithObject:s]),
                         U8("[\"q\\\"\\\\/\\n\\t\\r\\u0001\\u001f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\\u0000\"]"));
    /* Longer than one 64-unit chunk, with a surrogate pair across the chunk boundary. */
    NSMutableString *longer = [NSMutableString string];
    for (int i = 0; i < 63; i++) {
        [longer appendString:@"a"];
    }
    unichar pair[] = { 0xD83D, 0xDE00 };
    [longer appendString:[NSString stringWithCharacters:pair length:2]];
    NSString *written = Write([NSArray arrayWithObject:longer]);
    CTAssertTrue([written hasSuffix:U8("a\xf0\x9f\x98\x80\"]")], @"%@", written);
    CTAssertEqualObjects([Read([written UTF8String]) objectAtIndex:0], longer);
}

- (void)testRefusesWhatJSONCannotHoldAndSaysWhere
{
    NSDictionary *nested = [NSDictionary dictionaryWithObject:
        [NSArray arrayWithObjects:@"fine", [NSDate date], nil] forKey:@"inputs"];
    NSString *message = Write(nested);
    CTAssertTrue([message hasPrefix:@"error: params[\"inputs\"][1] cannot be written as JSON: it is of class"],
                 @"%@", message);
    CTAssertTrue([message rangeOfString:@"Date"].location != NSNotFound, @"%@", message);

    message = Write([NSArray arrayWithObject:[NSNumber numberWithDouble:NAN]]);
    CTAssertEqualObjects(message, @"error: params[0] cannot be written as JSON: it is not a finite number "
                                  @"(JSON has no NaN or infinity)");
    message = Write([NSArray arrayWithObject:[NSNumber numberWithDouble:-INFINITY]]);
    CTAssertTrue([message hasPrefix:@"error: params[0] cannot be written"], @"%@", message);

    message = Write([NSDictionary dictionaryWithObject:@"v" forKey:[NSNumber numberWithInt:1]]);
    CTAssertTrue([message hasPrefix:@"error: params cannot be written as JSON: it has a key of class"], @"%@", message);

    unichar lone[] = { 'a', 0xD800, 'b' }, trailing[] = { 'a', 0xDBFF }, low[] = { 0xDC00 };
    CTUnitsString *units[] = {
        [[[CTUnitsString alloc] initWithUnits:lone length:3] autorelease],
        [[[CTUnitsString alloc] initWithUnits:trailing length:2] autorelease],
        [[[CTUnitsString alloc] initWithUnits:low length:1] autorelease],
    };
    for (int i = 0; i < 3; i++) {
        message = Write([NSArray arrayWithObject:units[i]]);
        CTAssertEqualObjects(message, @"error: params[0] cannot be written as JSON: it is a string that is not "
                                      @"valid Unicode (a lone UTF-16 surrogate)");
    }
    unichar pair[] = { 'a', 0xD83D, 0xDE00 };
    CTAssertEqualObjects(Write([NSArray arrayWithObject:[[[CTUnitsString alloc] initWithUnits:pair length:3] autorelease]]),
                         U8("[\"a\xf0\x9f\x98\x80\"]"));

    message = Write([NSDictionary dictionaryWithObject:[[[CTRaisingString alloc] init] autorelease] forKey:@"k"]);
    CTAssertEqualObjects(message, @"error: params cannot be written as JSON: it raised NSGenericException");

    /* A container that holds itself ends in an error, not a stack overflow. */
    NSMutableArray *loop = [NSMutableArray array];
    [loop addObject:loop];
    message = Write(loop);
    CTAssertTrue([message rangeOfString:@"nested more than"].location != NSNotFound, @"%@", message);
    [loop removeAllObjects];

    message = Write(@"a string");
    CTAssertEqualObjects(message, @"error: params must be an NSDictionary or NSArray");
    CTAssertEqualObjects(Write(nil), @"(nil)");

    NSError *error = nil;
    BOOL failed = NO;
    CTAssertTrue(ClarifaiCopyJSONObject([NSArray arrayWithObject:[NSDate date]], @"body", &failed, &error) == NULL);
    CTAssertTrue(failed);
    CTAssertClarifaiError(error, ClarifaiErrorInvalidArgument);
    CTAssertTrue([[error localizedDescription] hasPrefix:@"body[0] "], @"%@", [error localizedDescription]);
}

- (void)testReadsIntegersExactly
{
    CTAssertEqual([ReadNumber("9007199254740993") longLongValue], 9007199254740993LL);
    CTAssertEqual([ReadNumber("9223372036854775807") longLongValue], LLONG_MAX);
    CTAssertEqual([ReadNumber("-9223372036854775808") longLongValue], LLONG_MIN);
    CTAssertTrue([ReadNumber("18446744073709551615") unsignedLongLongValue] == ULLONG_MAX);
    CTAssertEqual([ReadNumber("-0") longLongValue], 0);
    CTAssertEqual([ReadNumber("10000") integerValue], 10000);
    /* Beyond 64 bits, and anything with a fraction or exponent, is a double. */
    CTAssertTrue([ReadNumber("18446744073709551616") doubleValue] == 18446744073709551616.0);
    CTAssertTrue([ReadNumber("-9223372036854775809") doubleValue] == -9223372036854775808.0);
    CTAssertTrue([ReadNumber("1.5") doubleValue] == 1.5);
    CTAssertTrue([ReadNumber("1e2") doubleValue] == 100.0);
    CTAssertTrue([ReadNumber("-2.5E-3") doubleValue] == -0.0025);
    CTAssertTrue([ReadNumber("0.1") doubleValue] == 0.1);
}

- (void)testReadsEveryType
{
    id doc = Read(" {\"s\":\"\\u00e9\\ud83d\\ude00\\n\\\"\\/x\", \"t\":true, \"f\":false, \"n\":null,"
                  " \"a\":[1, [], {}], \"o\":{\"k\":\"v\"}, \"d\":1, \"d\":2, \"raw\":\"caf\xc3\xa9\"} ");
    CTAssertTrue([doc isKindOfClass:[NSDictionary class]]);
    CTAssertFalse([doc isKindOfClass:[NSMutableDictionary class]], @"containers are immutable");
    unichar expected[] = { 0x00E9, 0xD83D, 0xDE00, '\n', '"', '/', 'x' };
    CTAssertEqualObjects([doc objectForKey:@"s"], [NSString stringWithCharacters:expected length:7]);
    CTAssertEqualObjects([doc objectForKey:@"raw"], U8("caf\xc3\xa9"));
    CTAssertTrue([doc objectForKey:@"t"] == [NSNumber numberWithBool:YES]);
    CTAssertTrue([doc objectForKey:@"f"] == [NSNumber numberWithBool:NO]);
    CTAssertTrue([doc objectForKey:@"n"] == [NSNull null]);
    CTAssertEqual([[doc objectForKey:@"a"] count], 3);
    CTAssertEqual([[[doc objectForKey:@"a"] objectAtIndex:1] count], 0);
    CTAssertEqualObjects([[doc objectForKey:@"o"] objectForKey:@"k"], @"v");
    CTAssertEqualObjects([doc objectForKey:@"d"], [NSNumber numberWithInt:2], @"the last duplicate wins");
    CTAssertEqual([doc count], 8);
    /* An escaped NUL is kept, not a terminator. */
    CTAssertEqual([[Read("[\"a\\u0000b\"]") objectAtIndex:0] length], 3);
    /* What the reader writes back reads the same. */
    CTAssertEqualObjects(Read([Write(doc) UTF8String]), doc);
}

- (void)testRefusesMalformedText
{
    const char *bad[] = {
        "", " ", "{", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "[01]", "[1.]", "[.5]", "[-]",
        "[1e]", "[+1]", "[1e400]", "[\"\\x\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]",
        "[\"\\u12\"]", "[\"a\x01\"]", "[\"\xff\"]", "[\"\xc0\x80\"]", "[\"unterminated", "{} x", "[tru]",
        "[nul]", "[True]", "[NaN]", "[Infinity]", "'a'",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        NSError *error = nil;
        id object = ClarifaiParseJSON(bad[i], &error);
        CTAssertNil(object, @"%s read as %@", bad[i], object);
        CTAssertClarifaiError(error, ClarifaiErrorMalformedResponse, @"for %s", bad[i]);
        CTAssertTrue([[error localizedDescription] rangeOfString:@" at byte "].location != NSNotFound,
                     @"%@", [error localizedDescription]);
    }
    /* Deep nesting: up to the limit reads, past it is refused. */
    NSMutableString *deep = [NSMutableString string];
    for (int i = 0; i < 200; i++) {
        [deep appendString:@"["];
    }
    for (int i = 0; i < 200; i++) {
        [deep appendString:@"]"];
    }
    CTAssertNotNil(Read([deep UTF8String]));
    NSMutableString *deeper = [NSMutableString string];
    for (int i = 0; i < 100000; i++) {
        [deeper appendString:@"["];
    }
    NSError *error = nil;
    CTAssertNil(ClarifaiParseJSON([deeper UTF8String], &error));
    CTAssertTrue([[error localizedDescription] rangeOfString:@"nesting too deep"].location != NSNotFound,
                 @"%@", [error localizedDescription]);
    error = nil;
    CTAssertNil(ClarifaiParseJSONObject("[1]", &error), @"an array is not an object");
    CTAssertClarifaiError(error, ClarifaiErrorMalformedResponse);
}

/* An app in a comma-decimal locale still writes and reads JSON numbers with a point. run-tests
 * compiles de_DE.UTF-8 into the build tree and names the directory in CT_LOCALE_DIR. */
- (void)testNumbersIgnoreTheLocale
{
    const char *dir = getenv("CT_LOCALE_DIR");
    if (dir != NULL) {
        setenv("LOCPATH", dir, 1);
    }
    locale_t german = newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);
    unsetenv("LOCPATH");
    if (german == (locale_t)0) {
        CTFail(@"no de_DE.UTF-8 locale in %s: run-tests compiles it with localedef", dir != NULL ? dir : "(unset)");
        return;
    }
    locale_t previous = uselocale(german);
    char text[16];
    snprintf(text, sizeof text, "%.1f", 0.5);
    NSString *written = Write([NSArray arrayWithObjects:[NSNumber numberWithDouble:0.5],
                                                        [NSNumber numberWithFloat:-1.25f], nil]);
    NSArray *read = Read("[0.5, 1.25e1, -3E-1]");
    uselocale(previous);
    freelocale(german);
    CTAssertTrue(strcmp(text, "0,5") == 0, @"the locale is in effect: %s", text);
    CTAssertEqualObjects(written, @"[0.5,-1.25]");
    CTAssertTrue([[read objectAtIndex:0] doubleValue] == 0.5, @"%@", read);
    CTAssertTrue([[read objectAtIndex:1] doubleValue] == 12.5, @"%@", read);
    CTAssertTrue([[read objectAtIndex:2] doubleValue] == -0.3, @"%@", read);
}

/* Keys are shared across parses and threads; every thread must still read the same values. */
static int ReadRoundsFailures = 0;

- (void)testReadsTheSameOnManyThreads
{
    enum { Threads = 4, Rounds = 2000 };
    NSMutableArray *threads = [NSMutableArray array];
    ReadRoundsFailures = 0;
    for (int t = 0; t < Threads; t++) {
        NSThread *thread = [[[NSThread alloc] initWithTarget:self selector:@selector(readRounds:)
                                                      object:[NSNumber numberWithInt:Rounds]] autorelease];
        [threads addObject:thread];
        [thread start];
    }
    for (NSUInteger i = 0; i < [threads count]; i++) {
        while (![[threads objectAtIndex:i] isFinished]) {
            [NSThread sleepForTimeInterval:0.01];
        }
    }
    CTAssertEqual(__atomic_load_n(&ReadRoundsFailures, __ATOMIC_SEQ_CST), 0);
}

- (void)readRounds:(NSNumber *)rounds
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    for (int i = 0; i < [rounds intValue]; i++) {
        NSAutoreleasePool *inner = [[NSAutoreleasePool alloc] init];
        /* 300 distinct keys: more than the shared table holds, so some slots collide. */
        NSString *text = [NSString stringWithFormat:@"{\"status\":{\"code\":%d,\"description\":\"Ok\"},"
                                                     "\"key%d\":\"v\",\"inputs\":[]}", i, i % 300];
        NSDictionary *doc = Read([text UTF8String]);
        if ([[[doc objectForKey:@"status"] objectForKey:@"code"] intValue] != i
            || ![[doc objectForKey:[NSString stringWithFormat:@"key%d", i % 300]] isEqual:@"v"]
            || [[doc objectForKey:@"inputs"] count] != 0) {
            __atomic_fetch_add(&ReadRoundsFailures, 1, __ATOMIC_SEQ_CST);
        }
        [inner release];
    }
    [pool release];
}

@end
