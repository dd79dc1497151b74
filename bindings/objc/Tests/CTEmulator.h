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

/* An admin route (/_emulator/...) answered as parsed JSON, or nil: method GET, POST or DELETE,
 * body (JSON text) nil for none. Plain sockets and HTTP/1.0, so the tests see the emulator's
 * own log without going through the library under test. */
- (NSDictionary *)admin:(NSString *)method path:(NSString *)path body:(NSString *)body;
/* GET /_emulator/requests: the request log, oldest first. */
- (NSArray *)requests;

@end

/* The run's shared emulator and the parsed tests/vectors/cases.json (set up by main). */
CTEmulator *CTSharedEmulator(void);
NSDictionary *CTVectors(void);
/* A second emulator whose ListInputs answers after 5 s (fault ListInputs=delay:5000), for the
 * cancellation tests. */
CTEmulator *CTSlowEmulator(void);
/* The text of docs/errors.md (the table of result kinds every binding follows). */
NSString *CTErrorsTable(void);
/* YES when the tests run under Valgrind (everything is 20-50 times slower there). */
BOOL CTUnderValgrind(void);
