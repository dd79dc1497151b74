/*
 * The shared conformance vectors (tests/vectors/cases.json, format in its README): every case is
 * run through the Objective-C API and reported as its own test.
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "Clarifai.h"
#import "CTErrorKinds.h"

#include "clarifai.h"

@interface VectorTests : CTTestCase
@end

/* Replace {user_id} and {app_id} in every string of a JSON value. */
static id Substitute(id value, CTEmulator *emulator)
{
    if ([value isKindOfClass:[NSString class]]) {
        NSString *s = [value stringByReplacingOccurrencesOfString:@"{user_id}" withString:[emulator userID]];
        return [s stringByReplacingOccurrencesOfString:@"{app_id}" withString:[emulator appID]];
    }
    if ([value isKindOfClass:[NSArray class]]) {
        NSMutableArray *out = [NSMutableArray arrayWithCapacity:[value count]];
        NSEnumerator *e = [value objectEnumerator];
        id item;
        while ((item = [e nextObject]) != nil) {
            [out addObject:Substitute(item, emulator)];
        }
        return out;
    }
    if ([value isKindOfClass:[NSDictionary class]]) {
        NSMutableDictionary *out = [NSMutableDictionary dictionaryWithCapacity:[value count]];
        NSEnumerator *e = [value keyEnumerator];
        id key;
        while ((key = [e nextObject]) != nil) {
            [out setObject:Substitute([value objectForKey:key], emulator) forKey:key];
        }
        return out;
    }
    return value;
}

static id NilForNull(id value)
{
    return value == [NSNull null] ? nil : value;
}

@implementation VectorTests

- (ClarifaiAppOptions *)options
{
    ClarifaiAppOptions *options = [ClarifaiAppOptions defaultOptions];
    [options setBaseURL:[CTSharedEmulator() url]];
    [options setMaxRetries:0];
    return options;
}

/* The app for a credential spec, or nil with a failure recorded. */
- (ClarifaiApp *)appForCredential:(NSString *)name spec:(NSDictionary *)spec pat:(ClarifaiApp *)pat
{
    CTEmulator *emulator = CTSharedEmulator();
    NSString *kind = [spec objectForKey:@"kind"];
    NSError *error = nil;
    ClarifaiApp *app = nil;
    if ([kind isEqualToString:@"pat"]) {
        app = [[[ClarifaiApp alloc] initWithPAT:[emulator pat] userID:[emulator userID] appID:[emulator appID]
                                        options:[self options] error:&error] autorelease];
    } else if ([kind isEqualToString:@"api_key"]) {
        NSString *token = nil;
        if ([[spec objectForKey:@"from"] isEqual:@"demo"]) {
            token = [emulator apiKey];
        } else if ([spec objectForKey:@"token"] != nil) {
            token = [spec objectForKey:@"token"];
        } else if ([spec objectForKey:@"create"] != nil) {
            NSDictionary *create = [spec objectForKey:@"create"];
            NSString *appID = [create objectForKey:@"app"];
            if ([appID isEqualToString:@"demo"]) {
                appID = [emulator appID];
            }
            ClarifaiKey *key = [pat createKeyWithDescription:[NSString stringWithFormat:@"vectors %@", name]
                                                      scopes:[create objectForKey:@"scopes"]
                                                   endpoints:NilForNull([create objectForKey:@"endpoints"])
                                                       appID:appID
                                                      userID:nil
                                                       error:&error];
            token = [key keyID];
        }
        if (token != nil) {
            app = [[[ClarifaiApp alloc] initWithApiKey:token options:[self options] error:&error] autorelease];
        }
    }
    if (app == nil) {
        CTFail(@"credential %@ (%@): %@", name, kind, [error localizedDescription]);
    }
    return app;
}

- (NSArray *)checkCase:(NSDictionary *)vector app:(ClarifaiApp *)app
{
    CTEmulator *emulator = CTSharedEmulator();
    NSMutableArray *failures = [NSMutableArray array];
    NSDictionary *expect = Substitute([vector objectForKey:@"expect"], emulator);
    NSError *error = nil;
    ClarifaiResponse *response = nil;
    if ([vector objectForKey:@"call"] != nil) {
        NSDictionary *call = Substitute([vector objectForKey:@"call"], emulator);
        response = [app callEndpoint:[call objectForKey:@"endpoint"]
                              params:NilForNull([call objectForKey:@"params"])
                               error:&error];
    } else {
        NSDictionary *request = Substitute([vector objectForKey:@"request"], emulator);
        response = [app requestWithMethod:[request objectForKey:@"method"]
                                     path:[request objectForKey:@"path"]
                                     body:NilForNull([request objectForKey:@"body"])
                                    error:&error];
    }
    NSDictionary *info = [error userInfo];

    /* The result by its name, as the library names its codes; the kind as docs/errors.md gives
     * it for that result, the same kind the PHP and C# bindings raise. */
    NSString *result = [expect objectForKey:@"result"];
    if ([result isEqualToString:@"CLARIFAI_RESULT_OK"]) {
        if (response == nil) {
            [failures addObject:[NSString stringWithFormat:@"expected success, got %@ (%@)",
                                                           [info objectForKey:ClarifaiResultNameErrorKey],
                                                           [error localizedDescription]]];
        }
    } else if (result != nil) {
        NSString *kind = CTDocumentedKindOfResult(result);
        if (response != nil) {
            [failures addObject:[NSString stringWithFormat:@"expected %@, got success", result]];
        } else if (![[error domain] isEqualToString:ClarifaiErrorDomain]
                   || ![[NSString stringWithUTF8String:clarifai_result_name((uint32_t)[error code])] isEqual:result]
                   || ![[info objectForKey:ClarifaiResultNameErrorKey] isEqual:result]) {
            [failures addObject:[NSString stringWithFormat:@"expected %@, got %@ code %ld (%@)", result,
                                                           [info objectForKey:ClarifaiResultNameErrorKey],
                                                           (long)[error code], [error localizedDescription]]];
        } else if (kind == nil || ![error isClarifaiErrorOfKind:CTErrorKindNamed(kind)]
                   || [[info objectForKey:ClarifaiErrorKindKey] integerValue] != CTErrorKindNamed(kind)) {
            [failures addObject:[NSString stringWithFormat:@"%@ is of kind %@ in docs/errors.md; the error's kind is %@",
                                                           result, kind, [info objectForKey:ClarifaiErrorKindKey]]];
        }
    }
    NSNumber *code = [expect objectForKey:@"code"];
    if (code != nil) {
        NSInteger got = response != nil ? [response statusCode] : [[info objectForKey:ClarifaiStatusCodeErrorKey] integerValue];
        if (got != [code integerValue]) {
            [failures addObject:[NSString stringWithFormat:@"status code %ld, expected %@", (long)got, code]];
        }
    }
    NSNumber *http = [expect objectForKey:@"http"];
    if (http != nil) {
        NSInteger got = response != nil ? [response httpStatus] : [[info objectForKey:ClarifaiHTTPStatusErrorKey] integerValue];
        if (got != [http integerValue]) {
            [failures addObject:[NSString stringWithFormat:@"HTTP %ld, expected %@", (long)got, http]];
        }
    }
    NSString *route = [expect objectForKey:@"route"];
    if (route != nil) {
        NSString *got = response != nil
            ? [response valueForHTTPHeaderField:@"X-Clarifai-Emulator-Route"]
            : [[info objectForKey:ClarifaiResponseHeadersErrorKey] valueForHTTPHeaderField:@"x-clarifai-emulator-route"];
        if (![got isEqual:route]) {
            [failures addObject:[NSString stringWithFormat:@"route %@, expected %@", got, route]];
        }
    }
    NSArray *scopes = [expect objectForKey:@"missing_scopes"];
    if (scopes != nil && ![[info objectForKey:ClarifaiMissingScopesErrorKey] isEqual:scopes]) {
        [failures addObject:[NSString stringWithFormat:@"missing scopes (%@), expected (%@)",
                                                       [[info objectForKey:ClarifaiMissingScopesErrorKey] componentsJoinedByString:@", "],
                                                       [scopes componentsJoinedByString:@", "]]];
    }
    if ([[expect allKeys] containsObject:@"missing_endpoint"]) {
        id want = NilForNull([expect objectForKey:@"missing_endpoint"]);
        id got = [info objectForKey:ClarifaiMissingEndpointErrorKey];
        if (!(want == got || [want isEqual:got])) {
            [failures addObject:[NSString stringWithFormat:@"missing endpoint %@, expected %@", got, want]];
        }
    }
    return failures;
}

- (void)testConformanceVectors
{
    CTEmulator *emulator = CTSharedEmulator();
    NSDictionary *doc = CTVectors();
    NSError *error = nil;
    ClarifaiApp *pat = [[[ClarifaiApp alloc] initWithPAT:[emulator pat] userID:[emulator userID]
                                                   appID:[emulator appID] options:[self options]
                                                   error:&error] autorelease];
    CTAssertNotNil(pat, @"%@", [error localizedDescription]);
    if (pat == nil) {
        return;
    }

    NSEnumerator *apps = [[[doc objectForKey:@"setup"] objectForKey:@"apps"] objectEnumerator];
    NSString *appID;
    while ((appID = [apps nextObject]) != nil) {
        error = nil;
        /* An app left by an earlier run is fine: only its existence matters. */
        if ([pat createAppWithID:appID description:@"conformance vectors" error:&error] == nil
            && [[error localizedDescription] rangeOfString:@"exist"].location == NSNotFound) {
            CTFail(@"creating app %@: %@", appID, [error localizedDescription]);
        }
    }

    NSMutableDictionary *credentials = [NSMutableDictionary dictionary];
    NSDictionary *specs = [doc objectForKey:@"credentials"];
    NSEnumerator *names = [[[specs allKeys] sortedArrayUsingSelector:@selector(compare:)] objectEnumerator];
    NSString *name;
    while ((name = [names nextObject]) != nil) {
        ClarifaiApp *app = [self appForCredential:name spec:[specs objectForKey:name] pat:pat];
        if (app != nil) {
            [credentials setObject:app forKey:name];
        }
    }

    NSEnumerator *cases = [[doc objectForKey:@"cases"] objectEnumerator];
    NSDictionary *vector;
    while ((vector = [cases nextObject]) != nil) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        NSString *caseName = [NSString stringWithFormat:@"vector: %@", [vector objectForKey:@"name"]];
        ClarifaiApp *app = [credentials objectForKey:[vector objectForKey:@"credential"]];
        NSArray *failures = app != nil
            ? [self checkCase:vector app:app]
            : [NSArray arrayWithObject:[NSString stringWithFormat:@"no client for credential %@",
                                                                  [vector objectForKey:@"credential"]]];
        CTReportResult(caseName, failures);
        [pool release];
    }

    /* option_cases: the same bad setting is refused as in every other front end (the library
     * checks it when the app is made; the binding passes it on as set). */
    NSEnumerator *optionCases = [[doc objectForKey:@"option_cases"] objectEnumerator];
    while ((vector = [optionCases nextObject]) != nil) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        NSString *caseName = [NSString stringWithFormat:@"vector: %@", [vector objectForKey:@"name"]];
        NSMutableArray *failures = [NSMutableArray array];
        ClarifaiAppOptions *options = [self options];
        NSDictionary *settings = [vector objectForKey:@"options"];
        NSEnumerator *keys = [settings keyEnumerator];
        NSString *key;
        while ((key = [keys nextObject]) != nil) {
            id value = [settings objectForKey:key];
            if ([key isEqualToString:@"base_url"]) {
                [options setBaseURL:[NSURL URLWithString:value]];
            } else if ([key isEqualToString:@"timeout_ms"]) {
                [options setTimeout:[value doubleValue] / 1000.0];
            } else if ([key isEqualToString:@"connect_timeout_ms"]) {
                [options setConnectTimeout:[value doubleValue] / 1000.0];
            } else if ([key isEqualToString:@"user_agent"]) {
                [options setUserAgent:value];
            } else if ([key isEqualToString:@"max_concurrency"]) {
                [options setMaxConcurrency:[value unsignedIntegerValue]];
            } else if ([key isEqualToString:@"max_retries"]) {
                [options setMaxRetries:[value unsignedIntegerValue]];
            } else if ([key isEqualToString:@"max_response_bytes"]) {
                [options setMaxResponseBytes:[value unsignedLongLongValue]];
            } else if ([key isEqualToString:@"proxy"]) {
                [options setProxyURL:[NSURL URLWithString:value]];
            } else {
                [failures addObject:[NSString stringWithFormat:@"unknown option %@", key]];
            }
        }
        NSError *made = nil;
        ClarifaiApp *app = [[[ClarifaiApp alloc] initWithApiKey:[CTSharedEmulator() apiKey] options:options error:&made] autorelease];
        NSString *got = app != nil ? @"CLARIFAI_RESULT_OK" : [NSString stringWithUTF8String:clarifai_result_name((uint32_t)[made code])];
        NSString *want = [[vector objectForKey:@"expect"] objectForKey:@"result"];
        if (![got isEqualToString:want]) {
            [failures addObject:[NSString stringWithFormat:@"result %@, want %@", got, want]];
        } else if (app != nil && ![[[vector objectForKey:@"expect"] objectForKey:@"no_call"] boolValue]) {
            NSError *error = nil;
            if ([app callEndpoint:@"ListInputs" params:nil error:&error] == nil) {
                [failures addObject:[NSString stringWithFormat:@"the app was made but its call failed: %@", [error localizedDescription]]];
            }
        }
        CTReportResult(caseName, failures);
        [pool release];
    }
}

/* The compiled codes and kinds follow docs/errors.md: every documented result is a code of the
 * library (by its name there) whose ClarifaiErrorKindForCode is the kind the table gives, under
 * the Objective-C name the table gives it; and every compiled kind is in the table. */
- (void)testErrorKindsFollowTheTable
{
    NSArray *results = CTDocumentedResults();
    CTAssertTrue([results count] > 20, @"docs/errors.md lists %lu results", (unsigned long)[results count]);
    NSMutableDictionary *codes = [NSMutableDictionary dictionary];
    for (uint32_t code = 1; code < 256; code++) {
        NSString *name = [NSString stringWithUTF8String:clarifai_result_name(code)];
        if (![name isEqualToString:@"CLARIFAI_RESULT_UNKNOWN"]) {
            [codes setObject:[NSNumber numberWithUnsignedInt:code] forKey:name];
        }
    }
    CTAssertEqual([codes count], [results count], @"the library's failures and the table's rows");
    NSEnumerator *e = [results objectEnumerator];
    NSString *result;
    while ((result = [e nextObject]) != nil) {
        NSNumber *code = [codes objectForKey:result];
        NSString *kind = CTDocumentedKindOfResult(result);
        CTAssertNotNil(code, @"%@ is not a result of the library", result);
        CTAssertTrue(CTErrorKindNamed(kind) >= 0, @"kind %@ of %@ has no Objective-C name", kind, result);
        CTAssertEqual(ClarifaiErrorKindForCode([code integerValue]), CTErrorKindNamed(kind), @"%@", result);
    }
    NSDictionary *documented = CTDocumentedObjCKinds();
    NSDictionary *compiled = CTCompiledKinds();
    CTAssertEqual([documented count], [compiled count]);
    CTAssertEqualObjects([NSSet setWithArray:[documented allValues]], [NSSet setWithArray:[compiled allKeys]]);
    /* The codes the binding names itself are the library's. */
    CTAssertEqualObjects([codes objectForKey:@"CLARIFAI_RESULT_CANCELLED"], [NSNumber numberWithInteger:ClarifaiErrorCancelled]);
    CTAssertEqualObjects([codes objectForKey:@"CLARIFAI_RESULT_NULL_ARGUMENT"], [NSNumber numberWithInteger:ClarifaiErrorNullArgument]);
    CTAssertEqualObjects([codes objectForKey:@"CLARIFAI_RESULT_STATE"], [NSNumber numberWithInteger:ClarifaiErrorState]);
}

@end
