/*
 * The local Clarifai emulator, started as a child process: it prints one JSON line with its URL
 * and demo credentials, and serves until its standard input closes (so it cannot outlive us,
 * even if we crash).
 */

#import <Foundation/Foundation.h>

@interface CTEmulator : NSObject {
@private
    NSTask *_task;
    NSFileHandle *_input;
    NSDictionary *_info;
}

/* Launch path, then arguments after the fixed "--listen 127.0.0.1:0 --exit-on-stdin-eof". */
- (id)initWithPath:(NSString *)path arguments:(NSArray *)arguments;
/* Start and read the JSON line; NO with a message in *message when it failed. */
- (BOOL)start:(NSString **)message;
/* Close its standard input and wait for it to exit. */
- (void)stop;

- (NSURL *)url;
- (NSString *)userID;
- (NSString *)appID;
- (NSString *)pat;
- (NSString *)apiKey;
- (NSString *)adminToken;

@end

/* The run's shared emulator and the parsed tests/vectors/cases.json (set up by main). */
CTEmulator *CTSharedEmulator(void);
NSDictionary *CTVectors(void);
