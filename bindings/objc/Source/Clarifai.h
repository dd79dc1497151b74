/* The Clarifai API client for Objective-C: import this one header. */

#import "ClarifaiDefines.h"
#import "ClarifaiError.h"
#import "ClarifaiAppOptions.h"
#import "ClarifaiUserAppIDSet.h"
#import "ClarifaiResponse.h"
#import "ClarifaiKey.h"
#import "ClarifaiScopes.h"
#import "ClarifaiCall.h"
#import "ClarifaiApp.h"
