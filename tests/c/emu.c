#define _GNU_SOURCE /* pipe2 */

#include "emu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "harness.h"

extern char **environ;

static int copy_field(const json_t *hello, const char *key, char *dst, size_t cap) {
    const char *v = json_string_value(json_object_get(hello, key));
    if (!v || strlen(v) >= cap) return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* Read one line from `fd` within `timeout_ms`. */
static int read_line(int fd, char *buf, size_t cap, int timeout_ms) {
    size_t n = 0;
    int64_t deadline = h_now_us() + (int64_t)timeout_ms * 1000;
    while (n + 1 < cap) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int left = (int)((deadline - h_now_us()) / 1000);
        ssize_t got;
        if (left <= 0 || poll(&pfd, 1, left) <= 0) return -1;
        got = read(fd, buf + n, 1);
        if (got <= 0) return -1;
        if (buf[n] == '\n') {
            buf[n] = '\0';
            return 0;
        }
        n++;
    }
    return -1;
}

int emu_start(emulator *emu, const char *const *extra_args, const char *cwd) {
    const char *bin = getenv("CLARIFAI_EMULATOR");
    const char *argv[64];
    size_t argc = 0;
    int in_pipe[2], out_pipe[2];
    int devnull = -1;
    posix_spawn_file_actions_t fa;
    char line[4096];
    json_error_t jerr;
    json_t *hello;
    int rc;

    memset(emu, 0, sizeof *emu);
    emu->pid = -1;
    emu->stdin_fd = -1;
    if (!bin || !*bin) {
        h_diag("CLARIFAI_EMULATOR is not set");
        return -1;
    }
    argv[argc++] = bin;
    argv[argc++] = "--listen";
    argv[argc++] = "127.0.0.1:0";
    argv[argc++] = "--exit-on-stdin-eof";
    for (size_t i = 0; extra_args && extra_args[i] && argc + 1 < sizeof argv / sizeof argv[0]; i++) {
        argv[argc++] = extra_args[i];
    }
    argv[argc] = NULL;

    /* Close-on-exec, so that no other child (a second emulator, a forked test) inherits the
     * write end of this emulator's stdin and keeps it alive. dup2 clears the flag in the child. */
    if (pipe2(in_pipe, O_CLOEXEC) != 0) return -1;
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        close(in_pipe[0]);
        close(in_pipe[1]);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    if (cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);
    if (!getenv("CLARIFAI_C_EMULATOR_LOG")) {
        devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (devnull >= 0) posix_spawn_file_actions_adddup2(&fa, devnull, 2);
    }
    rc = posix_spawn(&emu->pid, bin, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (devnull >= 0) close(devnull);
    if (rc != 0) {
        h_diag("cannot start the emulator %s: %s", bin, strerror(rc));
        close(in_pipe[1]);
        close(out_pipe[0]);
        emu->pid = -1;
        return -1;
    }
    emu->stdin_fd = in_pipe[1];

    /* Valgrind and ASan slow the emulator's start only a little; 20 s covers a loaded machine. */
    rc = read_line(out_pipe[0], line, sizeof line, 20000);
    close(out_pipe[0]);
    if (rc != 0) {
        h_diag("the emulator printed no hello line");
        emu_stop(emu);
        return -1;
    }
    hello = json_loads(line, 0, &jerr);
    if (!hello) {
        h_diag("the emulator's hello line is not JSON: %s", jerr.text);
        emu_stop(emu);
        return -1;
    }
    rc = copy_field(hello, "url", emu->url, sizeof emu->url) | copy_field(hello, "user_id", emu->user_id, sizeof emu->user_id) |
         copy_field(hello, "app_id", emu->app_id, sizeof emu->app_id) | copy_field(hello, "pat", emu->pat, sizeof emu->pat) |
         copy_field(hello, "api_key", emu->api_key, sizeof emu->api_key) |
         copy_field(hello, "admin_token", emu->admin_token, sizeof emu->admin_token);
    json_decref(hello);
    if (rc != 0) {
        h_diag("the emulator's hello line lacks a field");
        emu_stop(emu);
        return -1;
    }
    h_secret(emu->pat);
    h_secret(emu->api_key);
    h_secret(emu->admin_token);
    return 0;
}

void emu_stop(emulator *emu) {
    if (emu->stdin_fd >= 0) {
        close(emu->stdin_fd);
        emu->stdin_fd = -1;
    }
    if (emu->pid > 0) {
        int status;
        /* It exits on EOF; a kill after 5 s keeps a wedged emulator from hanging the suite. */
        for (int i = 0; i < 500; i++) {
            pid_t r = waitpid(emu->pid, &status, WNOHANG);
            if (r == emu->pid || (r < 0 && errno != EINTR)) {
                emu->pid = -1;
                return;
            }
            usleep(10000);
        }
        h_diag("the emulator did not exit when its stdin closed; killing it");
        kill(emu->pid, SIGKILL);
        waitpid(emu->pid, &status, 0);
        emu->pid = -1;
    }
}

/* "http://127.0.0.1:PORT" → port; the emulator listens on loopback only in this suite. */
static int url_port(const char *url) {
    const char *colon = strrchr(url, ':');
    return colon ? atoi(colon + 1) : -1;
}

/* One admin exchange over a fresh connection; the body (NUL-terminated, malloc'd) goes to
 * `*body_out`. Returns the HTTP status, or -1. */
static int admin_exchange(const emulator *emu, const char *method, const char *path, const char *json_body,
                          char **body_out) {
    struct sockaddr_in addr;
    char head[1024];
    size_t total = 0, cap = 1 << 16;
    char *resp = malloc(cap);
    int fd, status = -1;
    size_t blen = json_body ? strlen(json_body) : 0;
    char *sep;

    *body_out = NULL;
    if (!resp) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)url_port(emu->url));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) goto out;
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Emulator-Admin-Token: %s\r\nConnection: close\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
             method, path, emu->admin_token, blen);
    if (write(fd, head, strlen(head)) < 0 || (blen && write(fd, json_body, blen) < 0)) goto out;
    for (;;) {
        ssize_t got;
        if (total + 1 == cap) {
            char *bigger = realloc(resp, cap * 2);
            if (!bigger) goto out;
            resp = bigger;
            cap *= 2;
        }
        got = read(fd, resp + total, cap - total - 1);
        if (got <= 0) break;
        total += (size_t)got;
    }
    resp[total] = '\0';
    if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1) status = -1;
    sep = strstr(resp, "\r\n\r\n");
    *body_out = strdup(sep ? sep + 4 : "");
out:
    if (fd >= 0) close(fd);
    free(resp);
    return status;
}

int emu_admin(const emulator *emu, const char *method, const char *path, const char *json_body,
              char *body, size_t body_len) {
    char *text = NULL;
    int status = admin_exchange(emu, method, path, json_body, &text);
    if (body && body_len) snprintf(body, body_len, "%s", text ? text : "");
    free(text);
    return status;
}

json_t *emu_admin_json(const emulator *emu, const char *method, const char *path, const char *json_body) {
    char *text = NULL;
    json_error_t jerr;
    json_t *doc = NULL;
    int status = admin_exchange(emu, method, path, json_body, &text);
    if (status != 200) {
        h_diag("%s %s: HTTP %d %s", method, path, status, text ? text : "");
    } else if (!(doc = json_loads(text, 0, &jerr))) {
        h_diag("%s %s: the answer is not JSON: %s", method, path, jerr.text);
    }
    free(text);
    return doc;
}

int emu_add_fault(const emulator *emu, const char *spec) {
    json_t *body = json_pack("{s:s}", "spec", spec);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_t *answer = text ? emu_admin_json(emu, "POST", "/_emulator/faults", text) : NULL;
    int ok = answer != NULL;
    json_decref(answer);
    free(text);
    json_decref(body);
    return ok ? 0 : -1;
}

int emu_clear_faults(const emulator *emu) {
    json_t *answer = emu_admin_json(emu, "DELETE", "/_emulator/faults", NULL);
    int ok = answer != NULL;
    json_decref(answer);
    return ok ? 0 : -1;
}

int emu_clear_requests(const emulator *emu) {
    json_t *answer = emu_admin_json(emu, "DELETE", "/_emulator/requests", NULL);
    int ok = answer != NULL;
    json_decref(answer);
    return ok ? 0 : -1;
}

json_t *emu_requests(const emulator *emu) {
    json_t *answer = emu_admin_json(emu, "GET", "/_emulator/requests", NULL);
    json_t *requests = json_incref(json_object_get(answer, "requests"));
    json_decref(answer);
    if (requests && !json_is_array(requests)) {
        json_decref(requests);
        requests = NULL;
    }
    return requests;
}

long emu_connections(const emulator *emu) {
    json_t *answer = emu_admin_json(emu, "GET", "/_emulator/connections", NULL);
    json_t *n = json_object_get(answer, "connections");
    long count = json_is_integer(n) ? (long)json_integer_value(n) : -1;
    json_decref(answer);
    return count;
}
