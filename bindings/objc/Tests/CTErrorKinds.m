#import "CTErrorKinds.h"
#import "CTEmulator.h"
#import "Clarifai.h"

/* The cells of the table rows of docs/errors.md whose first cell satisfies keep. */
static NSArray *Rows(BOOL (*keep)(NSArray *cells))
{
    NSMutableArray *rows = [NSMutableArray array];
    NSEnumerator *lines = [[CTErrorsTable() componentsSeparatedByString:@"\n"] objectEnumerator];
    NSString *line;
    while ((line = [lines nextObject]) != nil) {
        if (![line hasPrefix:@"|"]) {
            continue;
        }
        NSMutableArray *cells = [NSMutableArray array];
        NSEnumerator *parts = [[line componentsSeparatedByString:@"|"] objectEnumerator];
        NSString *part;
        while ((part = [parts nextObject]) != nil) {
            [cells addObject:[part stringByTrimmingCharactersInSet:[NSCharacterSet whitespaceCharacterSet]]];
        }
        /* "| a | b |" splits into "", "a", "b", "". */
        if ([cells count] >= 3) {
            NSArray *inner = [cells subarrayWithRange:NSMakeRange(1, [cells count] - 2)];
            if (keep(inner)) {
                [rows addObject:inner];
            }
        }
    }
    return rows;
}

static BOOL IsResultRow(NSArray *cells)
{
    return [cells count] >= 2 && [[cells objectAtIndex:0] hasPrefix:@"CLARIFAI_RESULT_"];
}

static BOOL IsKindRow(NSArray *cells)
{
    return [cells count] >= 4 && [[cells objectAtIndex:3] hasPrefix:@"ClarifaiErrorKind"];
}

NSString *CTDocumentedKindOfResult(NSString *result)
{
    NSEnumerator *e = [Rows(IsResultRow) objectEnumerator];
    NSArray *row;
    while ((row = [e nextObject]) != nil) {
        if ([[row objectAtIndex:0] isEqualToString:result]) {
            return [row objectAtIndex:1];
        }
    }
    return nil;
}

NSArray *CTDocumentedResults(void)
{
    NSMutableArray *names = [NSMutableArray array];
    NSEnumerator *e = [Rows(IsResultRow) objectEnumerator];
    NSArray *row;
    while ((row = [e nextObject]) != nil) {
        [names addObject:[row objectAtIndex:0]];
    }
    return names;
}

NSDictionary *CTDocumentedObjCKinds(void)
{
    NSMutableDictionary *kinds = [NSMutableDictionary dictionary];
    NSEnumerator *e = [Rows(IsKindRow) objectEnumerator];
    NSArray *row;
    while ((row = [e nextObject]) != nil) {
        [kinds setObject:[row objectAtIndex:3] forKey:[row objectAtIndex:0]];
    }
    return kinds;
}

/* The enum's own identifiers, spelled once by the preprocessor: a name missing from the
 * generated header fails the build, and no value is written here. */
#define CT_KIND(k) [NSNumber numberWithInteger:k], @#k
NSDictionary *CTCompiledKinds(void)
{
    return [NSDictionary dictionaryWithObjectsAndKeys:
        CT_KIND(ClarifaiErrorKindInvalidArgument),
        CT_KIND(ClarifaiErrorKindUnknownEndpoint),
        CT_KIND(ClarifaiErrorKindConfiguration),
        CT_KIND(ClarifaiErrorKindApi),
        CT_KIND(ClarifaiErrorKindMissingScopes),
        CT_KIND(ClarifaiErrorKindKeyNotFound),
        CT_KIND(ClarifaiErrorKindKeyInvalid),
        CT_KIND(ClarifaiErrorKindInvalidRequest),
        CT_KIND(ClarifaiErrorKindPatRequired),
        CT_KIND(ClarifaiErrorKindThrottled),
        CT_KIND(ClarifaiErrorKindNotFound),
        CT_KIND(ClarifaiErrorKindMethodNotAllowed),
        CT_KIND(ClarifaiErrorKindTransport),
        CT_KIND(ClarifaiErrorKindRotationIncomplete),
        CT_KIND(ClarifaiErrorKindState),
        CT_KIND(ClarifaiErrorKindCancelled),
        CT_KIND(ClarifaiErrorKindInternal),
        nil];
}

NSInteger CTErrorKindNamed(NSString *kind)
{
    NSString *name = kind != nil ? [CTDocumentedObjCKinds() objectForKey:kind] : nil;
    NSNumber *value = name != nil ? [CTCompiledKinds() objectForKey:name] : nil;
    return value != nil ? [value integerValue] : -1;
}
