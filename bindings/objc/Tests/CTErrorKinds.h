/*
 * docs/errors.md, read by the tests: the kind of every result and each kind's Objective-C
 * name. The tests hold no copy of result codes or of the mapping; they check the binding's
 * errors against that table.
 */

#import <Foundation/Foundation.h>

/* The kind docs/errors.md gives a result ("CLARIFAI_RESULT_KEY_NOT_FOUND" -> "KeyNotFound"),
 * or nil. */
NSString *CTDocumentedKindOfResult(NSString *result);
/* Every result name of the table, in its order. */
NSArray *CTDocumentedResults(void);
/* The ClarifaiErrorKind value of a kind of the table ("KeyNotFound"), through the Objective-C
 * name the table gives it (ClarifaiErrorKindKeyNotFound); -1 when the table or the compiled
 * enum lacks it. */
NSInteger CTErrorKindNamed(NSString *kind);
/* Every kind of the table: kind -> Objective-C name. */
NSDictionary *CTDocumentedObjCKinds(void);
/* The compiled ClarifaiErrorKind enum: Objective-C name -> value. */
NSDictionary *CTCompiledKinds(void);
