#import "CTHarness.h"

#include <objc/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static NSUInteger CTNumber = 0;
static NSUInteger CTPassed = 0;
static NSUInteger CTFailed = 0;

@implementation CTTestCase

- (id)init
{
    if ((self = [super init]) != nil) {
        _failures = [[NSMutableArray alloc] init];
    }
    return self;
}

- (void)dealloc
{
    [_failures release];
    [super dealloc];
}

- (void)setUp
{
}

- (void)tearDown
{
}

- (void)recordFailure:(NSString *)message file:(const char *)file line:(int)line
{
    const char *base = strrchr(file, '/');
    @synchronized (_failures) {
        [_failures addObject:[NSString stringWithFormat:@"%s:%d: %@", base != NULL ? base + 1 : file, line, message]];
    }
}

- (NSArray *)failures
{
    @synchronized (_failures) {
        return [NSArray arrayWithArray:_failures];
    }
}

@end

void CTReportResult(NSString *name, NSArray *failures)
{
    CTNumber++;
    if ([failures count] == 0) {
        CTPassed++;
        printf("ok %lu - %s\n", (unsigned long)CTNumber, [name UTF8String]);
    } else {
        CTFailed++;
        printf("not ok %lu - %s\n", (unsigned long)CTNumber, [name UTF8String]);
        NSEnumerator *e = [failures objectEnumerator];
        NSString *f;
        while ((f = [e nextObject]) != nil) {
            printf("#   %s\n", [f UTF8String]);
        }
    }
    fflush(stdout);
}

static NSInteger CTCompareNames(id a, id b, void *context)
{
    return [a compare:b];
}

/* Test classes: every class that inherits from CTTestCase, in name order. */
static NSArray *CTTestClasses(void)
{
    NSMutableArray *names = [NSMutableArray array];
    int count = objc_getClassList(NULL, 0);
    Class *classes = malloc(sizeof(Class) * (size_t)count);
    count = objc_getClassList(classes, count);
    for (int i = 0; i < count; i++) {
        Class c = classes[i];
        for (Class s = class_getSuperclass(c); s != Nil; s = class_getSuperclass(s)) {
            if (s == [CTTestCase class]) {
                [names addObject:NSStringFromClass(c)];
                break;
            }
        }
    }
    free(classes);
    return [names sortedArrayUsingFunction:CTCompareNames context:NULL];
}

static NSArray *CTTestMethods(Class c)
{
    NSMutableArray *names = [NSMutableArray array];
    unsigned int count = 0;
    Method *methods = class_copyMethodList(c, &count);
    for (unsigned int i = 0; i < count; i++) {
        const char *name = sel_getName(method_getName(methods[i]));
        if (strncmp(name, "test", 4) == 0 && strchr(name, ':') == NULL) {
            [names addObject:[NSString stringWithUTF8String:name]];
        }
    }
    free(methods);
    return [names sortedArrayUsingFunction:CTCompareNames context:NULL];
}

NSUInteger CTRunAllTests(NSString *filter)
{
    NSEnumerator *classes = [CTTestClasses() objectEnumerator];
    NSString *className;
    while ((className = [classes nextObject]) != nil) {
        Class c = NSClassFromString(className);
        NSEnumerator *methods = [CTTestMethods(c) objectEnumerator];
        NSString *methodName;
        while ((methodName = [methods nextObject]) != nil) {
            NSString *name = [NSString stringWithFormat:@"-[%@ %@]", className, methodName];
            if (filter != nil && [name rangeOfString:filter].location == NSNotFound) {
                continue;
            }
            NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
            CTTestCase *test = [[c alloc] init];
            @try {
                [test setUp];
                [test performSelector:NSSelectorFromString(methodName)];
            }
            @catch (id exception) {
                [test recordFailure:[NSString stringWithFormat:@"raised %@", exception] file:"" line:0];
            }
            @try {
                [test tearDown];
            }
            @catch (id exception) {
                [test recordFailure:[NSString stringWithFormat:@"tearDown raised %@", exception] file:"" line:0];
            }
            CTReportResult(name, [test failures]);
            [test release];
            [pool release];
        }
    }
    printf("%lu passed, %lu failed\n", (unsigned long)CTPassed, (unsigned long)CTFailed);
    fflush(stdout);
    return CTFailed;
}
