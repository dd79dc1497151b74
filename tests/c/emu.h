/* The local Clarifai API emulator, run as a child of the test process. It serves until its
 * stdin closes, so it also goes away when this process dies, however that happens. */
#ifndef CLARIFAI_TEST_EMU_H
#define CLARIFAI_TEST_EMU_H

#include <stdio.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    int stdin_fd;
    char url[256];
    char user_id[128];
    char app_id[128];
    char pat[256];
    char api_key[256];
    char admin_token[256];
} emulator;

/* Start `$CLARIFAI_EMULATOR --listen 127.0.0.1:0 --exit-on-stdin-eof [extra_args...]` in
 * directory `cwd` (NULL: this one) and read its hello line. `extra_args` is NULL-terminated (or
 * NULL). Returns 0 on success; the values are registered as secrets with the harness. */
int emu_start(emulator *emu, const char *const *extra_args, const char *cwd);
/* Close its stdin and reap it. */
void emu_stop(emulator *emu);

/* An admin request (faults, request log) over a plain socket: the library has no way to send
 * the admin header, and should not. Returns the HTTP status, or -1; the body goes to `body`. */
int emu_admin(const emulator *emu, const char *method, const char *path, const char *json_body,
              char *body, size_t body_len);

#endif
