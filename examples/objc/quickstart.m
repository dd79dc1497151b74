/*
 * Quickstart: predict with a public model, then see what the key may do.
 *
 *   CLARIFAI_API_KEY=... ./quickstart            # against api.clarifai.com
 *   CLARIFAI_API_BASE=http://127.0.0.1:PORT ...   # against the local emulator
 *
 * Build (GNUstep): see bindings/objc/README.md; run-tests builds and runs it.
 */

#import <Foundation/Foundation.h>
#import "Clarifai.h"

#include <stdlib.h>

int main(int argc, const char *argv[])
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    int status = 1;

    const char *key = getenv("CLARIFAI_API_KEY");
    if (key == NULL) {
        fprintf(stderr, "set CLARIFAI_API_KEY to an app-specific API key\n");
        [pool release];
        return 2;
    }

    /* As the Clarifai docs show it; CLARIFAI_API_BASE, when set, picks the server. */
    ClarifaiApp *app = [[ClarifaiApp alloc] initWithApiKey:[NSString stringWithUTF8String:key]];
    if (app == nil) {
        fprintf(stderr, "that API key is malformed\n");
        [pool release];
        return 1;
    }

    NSDictionary *image = [NSDictionary dictionaryWithObject:
        [NSDictionary dictionaryWithObject:@"https://samples.clarifai.com/metro-north.jpg" forKey:@"url"]
                                                      forKey:@"image"];
    NSDictionary *params = [NSDictionary dictionaryWithObjectsAndKeys:
        @"general-image-recognition", @"model_id",
        [NSArray arrayWithObject:[NSDictionary dictionaryWithObject:image forKey:@"data"]], @"inputs",
        nil];

    NSError *error = nil;
    ClarifaiResponse *response = [app callEndpoint:@"PostModelOutputs" params:params error:&error];
    if (response == nil) {
        /* The error says what to do: the status, and for 11007 the scopes the key lacks. */
        fprintf(stderr, "prediction failed: %s\n", [[error localizedDescription] UTF8String]);
        NSArray *missing = [[error userInfo] objectForKey:ClarifaiMissingScopesErrorKey];
        if ([missing count] > 0) {
            fprintf(stderr, "the key needs: %s\n", [[missing componentsJoinedByString:@", "] UTF8String]);
        }
    } else {
        printf("PostModelOutputs: status %ld (%s)\n", (long)[response statusCode],
               [[response statusDescription] UTF8String]);
        NSArray *outputs = [[response body] objectForKey:@"outputs"];
        NSArray *concepts = [[[[outputs lastObject] objectForKey:@"data"] objectForKey:@"concepts"] retain];
        NSEnumerator *e = [concepts objectEnumerator];
        NSDictionary *concept;
        while ((concept = [e nextObject]) != nil) {
            printf("  %s %.3f\n", [[concept objectForKey:@"name"] UTF8String],
                   [[concept objectForKey:@"value"] doubleValue]);
        }
        [concepts release];

        NSArray *missing = nil;
        BOOL may = [app canCallEndpoint:@"PostInputs" missingScopes:&missing missingEndpoint:NULL];
        printf("may add inputs: %s", may ? "yes\n" : "no");
        if (!may) {
            printf(" (missing: %s)\n", [[missing componentsJoinedByString:@", "] UTF8String]);
        }
        status = 0;
    }

    [app release];
    [pool release];
    return status;
}
