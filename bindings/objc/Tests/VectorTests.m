/*
 * The shared conformance vectors (tests/vectors/cases.json, format in its README): every case is
 * run through the Objective-C API and reported as its own test.
 */

#import "CTHarness.h"
#import "CTEmulator.h"
#import "Clarifai.h"

@interface VectorTests : CTTestCase
@end

/* The binding's side of the mapping the vectors check: C result name -> ClarifaiErrorCode,
 * written out here rather than asked of the library, so a wrong mapping shows. */
static NSDictionary *ExpectedCodes(void)
{
    return [NSDictionary dictionaryWithObjectsAndKeys:
        [NSNumber numberWithInteger:0], @"CLARIFAI_RESULT_OK",
        [NSNumber numberWithInteger:ClarifaiErrorNullArgument], @"CLARIFAI_RESULT_NULL_ARGUMENT",
        [NSNumber numberWithInteger:ClarifaiErrorInvalidArgument], @"CLARIFAI_RESULT_INVALID_ARGUMENT",
        [NSNumber numberWithInteger:ClarifaiErrorUnknownEndpoint], @"CLARIFAI_RESULT_UNKNOWN_ENDPOINT",
        [NSNumber numberWithInteger:ClarifaiErrorMissingConfig], @"CLARIFAI_RESULT_MISSING_CONFIG",
        [NSNumber numberWithInteger:ClarifaiErrorAPI], @"CLARIFAI_RESULT_API_ERROR",
        [NSNumber numberWithInteger:ClarifaiErrorInsufficientScopes], @"CLARIFAI_RESULT_INSUFFICIENT_SCOPES",
        [NSNumber numberWithInteger:ClarifaiErrorKeyNotFound], @"CLARIFAI_RESULT_KEY_NOT_FOUND",
        [NSNumber numberWithInteger:ClarifaiErrorKeyInvalid], @"CLARIFAI_RESULT_KEY_INVALID",
        [NSNumber numberWithInteger:ClarifaiErrorInvalidRequest], @"CLARIFAI_RESULT_INVALID_REQUEST",
        [NSNumber numberWithInteger:ClarifaiErrorPATRequired], @"CLARIFAI_RESULT_PAT_REQUIRED",
        [NSNumber numberWithInteger:ClarifaiErrorThrottled], @"CLARIFAI_RESULT_THROTTLED",
        [NSNumber numberWithInteger:ClarifaiErrorNotFound], @"CLARIFAI_RESULT_NOT_FOUND",
        [NSNumber numberWithInteger:ClarifaiErrorMethodNotAllowed], @"CLARIFAI_RESULT_METHOD_NOT_ALLOWED",
        [NSNumber numberWithInteger:ClarifaiErrorConnect], @"CLARIFAI_RESULT_CONNECT",
        [NSNumber numberWithInteger:ClarifaiErrorDNS], @"CLARIFAI_RESULT_DNS",
        [NSNumber numberWithInteger:ClarifaiErrorTimeout], @"CLARIFAI_RESULT_TIMEOUT",
        [NSNumber numberWithInteger:ClarifaiErrorTLS], @"CLARIFAI_RESULT_TLS",
        [NSNumber numberWithInteger:ClarifaiErrorBodyTooLarge], @"CLARIFAI_RESULT_BODY_TOO_LARGE",
        [NSNumber numberWithInteger:ClarifaiErrorRedirectRefused], @"CLARIFAI_RESULT_REDIRECT_REFUSED",
        [NSNumber numberWithInteger:ClarifaiErrorIO], @"CLARIFAI_RESULT_IO",
        [NSNumber numberWithInteger:ClarifaiErrorInsecureURL], @"CLARIFAI_RESULT_INSECURE_URL",
        [NSNumber numberWithInteger:ClarifaiErrorMalformedResponse], @"CLARIFAI_RESULT_MALFORMED_RESPONSE",
        [NSNumber numberWithInteger:ClarifaiErrorRotationIncomplete], @"CLARIFAI_RESULT_ROTATION_INCOMPLETE",
        [NSNumber numberWithInteger:ClarifaiErrorState], @"CLARIFAI_RESULT_STATE",
        [NSNumber numberWithInteger:ClarifaiErrorPanic], @"CLARIFAI_RESULT_PANIC",
        nil];
}

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

    NSString *result = [expect objectForKey:@"result"];
    if (result != nil) {
        NSNumber *code = [ExpectedCodes() objectForKey:result];
        if (code == nil) {
            [failures addObject:[NSString stringWithFormat:@"unknown result name %@", result]];
        } else if ([code integerValue] == 0) {
            if (response == nil) {
                [failures addObject:[NSString stringWithFormat:@"expected success, got %@ (%@)",
                                                               [info objectForKey:ClarifaiResultNameErrorKey],
                                                               [error localizedDescription]]];
            }
        } else if (response != nil) {
            [failures addObject:[NSString stringWithFormat:@"expected %@, got success", result]];
        } else if (![[error domain] isEqualToString:ClarifaiErrorDomain] || [error code] != [code integerValue]
                   || ![[info objectForKey:ClarifaiResultNameErrorKey] isEqual:result]) {
            [failures addObject:[NSString stringWithFormat:@"expected %@ (code %@), got %@ code %ld (%@)", result,
                                                           code, [info objectForKey:ClarifaiResultNameErrorKey],
                                                           (long)[error code], [error localizedDescription]]];
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
}

@end
