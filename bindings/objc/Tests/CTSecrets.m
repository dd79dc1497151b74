#import "CTSecrets.h"
#import "Clarifai.h"

/* Headers a careless server or proxy echoes a credential in. */
static NSArray *RiskyHeaders(void)
{
    return [NSArray arrayWithObjects:@"x-echo", @"authorization", @"www-authenticate", @"x-clarifai-request-id",
                                     @"proxy-authorization", nil];
}

static void Collect(id object, NSMutableArray *texts, int depth)
{
    if (object == nil || depth > 32) {
        return;
    }
    [texts addObject:[object description]];
    if ([object respondsToSelector:@selector(debugDescription)]) {
        [texts addObject:[object performSelector:@selector(debugDescription)]];
    }
    if ([object isKindOfClass:[NSError class]]) {
        NSError *error = object;
        [texts addObject:[error domain]];
        if ([error localizedDescription] != nil) {
            [texts addObject:[error localizedDescription]];
        }
        if ([error localizedFailureReason] != nil) {
            [texts addObject:[error localizedFailureReason]];
        }
        if ([error localizedRecoverySuggestion] != nil) {
            [texts addObject:[error localizedRecoverySuggestion]];
        }
        Collect([error userInfo], texts, depth + 1);
    } else if ([object isKindOfClass:[NSDictionary class]]) {
        NSEnumerator *keys = [object keyEnumerator];
        id key;
        while ((key = [keys nextObject]) != nil) {
            Collect(key, texts, depth + 1);
            Collect([object objectForKey:key], texts, depth + 1);
        }
    } else if ([object isKindOfClass:[NSArray class]]) {
        NSEnumerator *items = [object objectEnumerator];
        id item;
        while ((item = [items nextObject]) != nil) {
            Collect(item, texts, depth + 1);
        }
    } else if ([object isKindOfClass:[ClarifaiHTTPHeaders class]] || [object isKindOfClass:[ClarifaiResponse class]]) {
        NSEnumerator *names = [RiskyHeaders() objectEnumerator];
        NSString *name;
        while ((name = [names nextObject]) != nil) {
            NSString *value = [object valueForHTTPHeaderField:name];
            if (value != nil) {
                [texts addObject:value];
            }
        }
        if ([object isKindOfClass:[ClarifaiResponse class]]) {
            ClarifaiResponse *response = object;
            [texts addObject:[response statusDescription]];
            [texts addObject:[response details]];
            [texts addObject:[response reqID]];
            [texts addObject:[response JSONString]];
            Collect([response body], texts, depth + 1);
        }
    } else if ([object isKindOfClass:[ClarifaiCallResult class]]) {
        Collect([object response], texts, depth + 1);
        Collect([object error], texts, depth + 1);
    }
}

NSArray *CTTextsOf(id object)
{
    NSMutableArray *texts = [NSMutableArray array];
    Collect(object, texts, 0);
    return texts;
}

BOOL CTLeaks(id object, NSString *secret)
{
    NSEnumerator *e = [CTTextsOf(object) objectEnumerator];
    NSString *text;
    while ((text = [e nextObject]) != nil) {
        if ([text rangeOfString:secret].location != NSNotFound) {
            return YES;
        }
    }
    return NO;
}
