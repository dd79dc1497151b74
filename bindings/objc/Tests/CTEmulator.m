#import "CTEmulator.h"

@implementation CTEmulator

- (id)initWithPath:(NSString *)path arguments:(NSArray *)arguments
{
    if ((self = [super init]) != nil) {
        NSMutableArray *args = [NSMutableArray arrayWithObjects:@"--listen", @"127.0.0.1:0",
                                                                @"--exit-on-stdin-eof", nil];
        [args addObjectsFromArray:arguments];
        _task = [[NSTask alloc] init];
        [_task setLaunchPath:path];
        [_task setArguments:args];
    }
    return self;
}

- (void)dealloc
{
    [self stop];
    [_task release];
    [_input release];
    [_info release];
    [super dealloc];
}

- (BOOL)start:(NSString **)message
{
    NSPipe *input = [NSPipe pipe];
    NSPipe *output = [NSPipe pipe];
    [_task setStandardInput:input];
    [_task setStandardOutput:output];
    /* It logs a line per start to stderr; test output stays ours alone. */
    [_task setStandardError:[NSFileHandle fileHandleWithNullDevice]];
    @try {
        [_task launch];
    }
    @catch (id exception) {
        *message = [NSString stringWithFormat:@"cannot start %@: %@", [_task launchPath], exception];
        return NO;
    }
    /* NSTask closed our copies of the child's pipe ends at launch; this one is the emulator's
     * lifeline: closing it stops the emulator. */
    _input = [[input fileHandleForWriting] retain];

    NSFileHandle *reader = [output fileHandleForReading];
    NSMutableData *line = [NSMutableData data];
    while (YES) {
        NSData *chunk = [reader availableData];
        if ([chunk length] == 0) {
            break;
        }
        [line appendData:chunk];
        if (memchr([line bytes], '\n', [line length]) != NULL) {
            break;
        }
    }
    [reader closeFile];
    id info = nil;
    if ([line length] > 0) {
        info = [NSJSONSerialization JSONObjectWithData:line options:0 error:NULL];
    }
    if (![info isKindOfClass:[NSDictionary class]] || [info objectForKey:@"url"] == nil) {
        *message = [NSString stringWithFormat:@"%@ did not print its JSON line", [_task launchPath]];
        [self stop];
        return NO;
    }
    _info = [info retain];
    return YES;
}

- (void)stop
{
    if (_input != nil) {
        [_input closeFile];
        [_input release];
        _input = nil;
        [_task waitUntilExit];
    }
}

- (NSURL *)url
{
    return [NSURL URLWithString:[_info objectForKey:@"url"]];
}

- (NSString *)userID
{
    return [_info objectForKey:@"user_id"];
}

- (NSString *)appID
{
    return [_info objectForKey:@"app_id"];
}

- (NSString *)pat
{
    return [_info objectForKey:@"pat"];
}

- (NSString *)apiKey
{
    return [_info objectForKey:@"api_key"];
}

- (NSString *)adminToken
{
    return [_info objectForKey:@"admin_token"];
}

@end
