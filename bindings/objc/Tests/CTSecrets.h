/*
 * Where a secret could show: every text an object gives away.
 */

#import <Foundation/Foundation.h>

/* YES when secret appears in anything object shows: its -description and -debugDescription;
 * for an NSError its localized strings and every userInfo key and value, deeply (underlying
 * errors, arrays, dictionaries, the response headers most likely to carry a credential); for a
 * ClarifaiResponse every accessor (status, details, req_id, JSONString, body, those headers).
 * A ClarifaiKey's keyID is its secret by design: only its descriptions count. */
BOOL CTLeaks(id object, NSString *secret);

/* The texts CTLeaks searches (for messages and for tests that need them). */
NSArray *CTTextsOf(id object);
