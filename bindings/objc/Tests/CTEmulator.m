#define _GNU_SOURCE 1 /* memmem */

#import "CTEmulator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

- (NSDictionary *)admin:(NSString *)method path:(NSString *)path body:(NSString *)body
{
    NSURL *url = [self url];
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)[[url port] intValue]);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return nil;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return nil;
    }
    NSData *payload = [(body != nil ? body : @"") dataUsingEncoding:NSUTF8StringEncoding];
    NSString *head = [NSString stringWithFormat:@"%@ /_emulator%@ HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                                                 "X-Emulator-Admin-Token: %@\r\nContent-Type: application/json\r\n"
                                                 "Content-Length: %lu\r\n\r\n",
                                                method, path, [self adminToken], (unsigned long)[payload length]];
    NSMutableData *request = [NSMutableData dataWithData:[head dataUsingEncoding:NSUTF8StringEncoding]];
    [request appendData:payload];
    const char *bytes = [request bytes];
    size_t left = [request length];
    while (left > 0) {
        ssize_t n = write(fd, bytes, left);
        if (n <= 0) {
            close(fd);
            return nil;
        }
        bytes += n;
        left -= (size_t)n;
    }
    NSMutableData *answer = [NSMutableData data];
    char buffer[8192];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        [answer appendBytes:buffer length:(NSUInteger)n];
    }
    close(fd);
    const char *start = [answer bytes];
    const char *end = start != NULL ? memmem(start, [answer length], "\r\n\r\n", 4) : NULL;
    if (end == NULL) {
        return nil;
    }
    end += 4;
    NSData *json = [answer subdataWithRange:NSMakeRange((NSUInteger)(end - start), [answer length] - (NSUInteger)(end - start))];
    id object = [NSJSONSerialization JSONObjectWithData:json options:0 error:NULL];
    return [object isKindOfClass:[NSDictionary class]] ? object : nil;
}

- (NSArray *)requests
{
    return [[self admin:@"GET" path:@"/requests" body:nil] objectForKey:@"requests"];
}

@end
