/* The Clarifai API client for Objective-C: import this one header (installed:
 * #import <ClarifaiApp/Clarifai.h>). */

#import "ClarifaiDefines.h"
#import "ClarifaiErrorCodes.h"
#import "ClarifaiError.h"
#import "ClarifaiAppOptions.h"
#import "ClarifaiCallOptions.h"
#import "ClarifaiUserAppIDSet.h"
#import "ClarifaiResponse.h"
#import "ClarifaiKey.h"
#import "ClarifaiScopes.h"
#import "ClarifaiCall.h"
#import "ClarifaiApp.h"
