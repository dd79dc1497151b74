/* The local Clarifai API emulator, run as a child of the test process. It serves until its
 * stdin closes, so it also goes away when this process dies, however that happens. */
#ifndef CLARIFAI_TEST_EMU_H
#define CLARIFAI_TEST_EMU_H

#include <jansson.h>
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
/* The same, for a JSON answer: the parsed body of a 200 (caller json_decref()s), or NULL with
 * the status and body as a diagnostic. */
json_t *emu_admin_json(const emulator *emu, const char *method, const char *path, const char *json_body);

/* POST /_emulator/faults with one rule ("ListInputs=delay:5000", "ListInputs=echo,times=1");
 * DELETE /_emulator/faults (also the ones given with --fault); 0 on success. */
int emu_add_fault(const emulator *emu, const char *spec);
int emu_clear_faults(const emulator *emu);
/* The request log (GET /_emulator/requests): an array of records (caller json_decref()s), or
 * NULL; and DELETE /_emulator/requests. */
json_t *emu_requests(const emulator *emu);
int emu_clear_requests(const emulator *emu);
/* Connections the emulator accepted since it started (this query's own included), or -1. */
long emu_connections(const emulator *emu);

#endif
