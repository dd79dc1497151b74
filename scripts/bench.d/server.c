/* The benchmark's HTTP server: keep-alive HTTP/1.1 on 127.0.0.1, answering every request with
 * the same small JSON, so that what scripts/bench measures is the clients.
 *
 *     server [THREADS]     prints the port on stdout, serves until stdin closes
 *
 * Each thread owns a SO_REUSEPORT listener and a level-triggered epoll loop: a
 * connection lives on one thread, so one client's call costs one wake-up, one read and one
 * write here, with no locks or hand-offs. Requests are framed by their blank line and, if
 * present, Content-Length; pipelined requests are answered in order. It does not authorize:
 * any Authorization is accepted. */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY "{\"status\":{\"code\":10000,\"description\":\"Ok\"},\"inputs\":[]}"

static const char RESPONSE[] =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %zu\r\n\r\n" BODY;
static char response[256];
static size_t response_len;
static unsigned short port;

enum { BUF = 16384 };

typedef struct {
    int fd;
    size_t len;
    char buf[BUF];
} conn;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int listener(unsigned short want) {
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(want)};
    socklen_t alen = sizeof a;
    if (fd < 0) die("socket");
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(fd, 1024) < 0) die("listen");
    if (getsockname(fd, (struct sockaddr *)&a, &alen) < 0) die("getsockname");
    port = ntohs(a.sin_port);
    return fd;
}

/* Length of the first complete request in c->buf, or 0 if it is not all here yet. */
static size_t complete_request(const conn *c) {
    const char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    size_t head, body = 0;
    if (!end) return 0;
    head = (size_t)(end - c->buf) + 4;
    for (const char *p = c->buf; p < end;) {
        const char *eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
        if (!eol) break;
        if ((size_t)(eol - p) > 15 && strncasecmp(p, "content-length:", 15) == 0) body = strtoul(p + 15, NULL, 10);
        p = eol + 2;
    }
    return c->len >= head + body ? head + body : 0;
}

/* Returns 0 to keep the connection, -1 to close it. */
static int serve(conn *c) {
    for (;;) {
        ssize_t n = read(c->fd, c->buf + c->len, BUF - c->len);
        if (n == 0) return -1;
        if (n < 0) return errno == EAGAIN ? 0 : -1;
        c->len += (size_t)n;
        for (size_t used; (used = complete_request(c)) > 0;) {
            /* The answer is far smaller than a socket buffer: a write either takes it all or
             * the peer is not reading, which no client here does. */
            if (write(c->fd, response, response_len) != (ssize_t)response_len) return -1;
            memmove(c->buf, c->buf + used, c->len - used);
            c->len -= used;
        }
        if (c->len == BUF) return -1; /* a request larger than we ever expect */
        if ((size_t)n < BUF) return 0; /* drained: no need for the EAGAIN round trip */
    }
}

static void *loop(void *arg) {
    int lfd = (int)(long)arg, ep = epoll_create1(EPOLL_CLOEXEC), one = 1;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, events[64];
    if (ep < 0) die("epoll_create1");
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int n = epoll_wait(ep, events, 64, -1);
        for (int i = 0; i < n; i++) {
            conn *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    c = malloc(sizeof *c);
                    if (!c) die("malloc");
                    c->fd = fd;
                    c->len = 0;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    ev.events = EPOLLIN;
                    ev.data.ptr = c;
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
                }
            } else if (serve(c) < 0) {
                close(c->fd); /* also leaves the epoll set */
                free(c);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    char sink[256];
    pthread_t t;
    response_len = (size_t)snprintf(response, sizeof response, RESPONSE, strlen(BODY));
    if (threads < 1) threads = 1;
    /* The first listener picks the port; the others join it through SO_REUSEPORT. */
    int first = listener(0);
    pthread_create(&t, NULL, loop, (void *)(long)first);
    for (int i = 1; i < threads; i++) pthread_create(&t, NULL, loop, (void *)(long)listener(port));
    printf("%u\n", port);
    fflush(stdout);
    while (read(0, sink, sizeof sink) > 0) {
    }
    return 0;
}
