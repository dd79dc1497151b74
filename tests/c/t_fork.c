/* fork(): a child keeps using a client its parent made and used (it must work, or fail with a
 * clear error; never hang: alarm() kills a stuck child), and the parent carries on. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suite.h"

extern char **environ;

/* Header-only client requests, no-ops unless running under Valgrind. */
#include <valgrind/valgrind.h>

enum { CHILD_OK = 0, CHILD_CALL_FAILED = 1, CHILD_ASYNC_FAILED = 2, CHILD_NO_MESSAGE = 3, CHILD_MEMORY_ERRORS = 4 };

static volatile int child_async_result = -1;
static void child_callback(void *userdata, clarifai_result result, clarifai_response *response, clarifai_error *error) {
    (void)userdata;
    clarifai_response_free(response);
    clarifai_error_free(error);
    __atomic_store_n(&child_async_result, (int)result, __ATOMIC_SEQ_CST);
}

/* The child's work; its message (never a secret: library errors hold none) goes up `fd`. */
static int child_main(const clarifai_client *c, int fd) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_result r;
    char msg[512];
    alarm(20);
    r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
    clarifai_response_free(resp);
    if (r != CLARIFAI_RESULT_OK) {
        snprintf(msg, sizeof msg, "%s: %s", clarifai_result_name(r), clarifai_error_message(err));
        if (write(fd, msg, strlen(msg)) < 0) return CHILD_NO_MESSAGE;
        return *clarifai_error_message(err) ? CHILD_CALL_FAILED : CHILD_NO_MESSAGE;
    }
    /* The runtime (and its blocking pool, where callbacks run) is rebuilt in the child too. */
    r = clarifai_client_call_async(c, "ListInputs", NULL, NULL, child_callback, NULL, NULL, &err);
    if (r != CLARIFAI_RESULT_OK) {
        snprintf(msg, sizeof msg, "call_async: %s", clarifai_result_name(r));
        if (write(fd, msg, strlen(msg)) < 0) return CHILD_NO_MESSAGE;
        clarifai_error_free(err);
        return CHILD_ASYNC_FAILED;
    }
    for (int i = 0; i < 1000 && __atomic_load_n(&child_async_result, __ATOMIC_SEQ_CST) < 0; i++) h_sleep_ms(10);
    if (__atomic_load_n(&child_async_result, __ATOMIC_SEQ_CST) != CLARIFAI_RESULT_OK) {
        snprintf(msg, sizeof msg, "async callback: %s", clarifai_result_name((uint32_t)child_async_result));
        if (write(fd, msg, strlen(msg)) < 0) return CHILD_NO_MESSAGE;
        return CHILD_ASYNC_FAILED;
    }
    return CHILD_OK;
}

/* End a fork child with `code`. Under Valgrind, memory errors in the child become
 * CHILD_MEMORY_ERRORS; its leaks do not count: a child inherits every allocation its parent's
 * other threads own (the library's pool threads, the runtime's workers), which no code in the
 * child can reach, so Valgrind's leak check of a fork child is all noise. Exiting through exec
 * skips that check and keeps the exit status. */
static void child_exit(int code, unsigned errors_at_fork) {
    if (RUNNING_ON_VALGRIND) {
        char arg[32];
        if (VALGRIND_COUNT_ERRORS != errors_at_fork) code = CHILD_MEMORY_ERRORS;
        snprintf(arg, sizeof arg, "exit %d", code);
        execl("/bin/sh", "sh", "-c", arg, (char *)NULL);
    }
    /* _exit: the parent's atexit handlers and stdio buffers are not the child's to run. */
    _exit(code);
}

/* Fork, run child_main in the child, and judge how it ended. */
static void fork_and_use(const clarifai_client *c) {
    int fds[2];
    pid_t pid;
    int status = 0;
    char msg[512] = "";
    ssize_t n;
    int64_t deadline;
    if (pipe(fds) != 0) {
        CHECK(!"pipe");
        return;
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        unsigned errors_at_fork = VALGRIND_COUNT_ERRORS;
        close(fds[0]);
        child_exit(child_main(c, fds[1]), errors_at_fork);
    }
    close(fds[1]);
    CHECK(pid > 0);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    n = read(fds[0], msg, sizeof msg - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    /* The child's alarm is the guard; this one is for a child that blocked SIGALRM somehow. */
    deadline = h_now_us() + 30 * 1000000LL;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (h_now_us() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        h_sleep_ms(10);
    }
    if (WIFSIGNALED(status)) {
        h_fail(__FILE__, __LINE__, "the child died of signal %d%s", WTERMSIG(status),
               WTERMSIG(status) == SIGALRM ? " (it hung)" : "");
    } else if (WEXITSTATUS(status) == CHILD_CALL_FAILED) {
        /* A clear error would be acceptable from a library that refuses forks; this one
         * documents that a child may keep using the client, so it must work. */
        h_fail(__FILE__, __LINE__, "the child's call failed: %s", msg);
    } else if (WEXITSTATUS(status) == CHILD_MEMORY_ERRORS) {
        h_fail(__FILE__, __LINE__, "Valgrind found memory errors in the child (rerun with --child-silent-after-fork=no)");
    } else if (WEXITSTATUS(status) != CHILD_OK) {
        h_fail(__FILE__, __LINE__, "the child exited with %d: %s", WEXITSTATUS(status), msg);
    }
}

static void parent_still_works(const clarifai_client *c) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    CHECK_RESULT(clarifai_client_call(c, "ListInputs", NULL, &resp, &err), CLARIFAI_RESULT_OK, err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
}

static void test_fork_after_use(void) {
    clarifai_client *c = api_key_client(E.api_key);
    if (!c) return;
    /* Used first, so the pool holds a live keep-alive connection the child must not share. */
    parent_still_works(c);
    fork_and_use(c);
    parent_still_works(c);
    fork_and_use(c);
    parent_still_works(c);
    clarifai_client_free(c);
}

/* Fork while another thread is inside a call: the child inherits whatever locks that thread
 * held at that instant, which is what deadlocks naive libraries. */
static volatile int busy_stop;
static void *busy_caller(void *arg) {
    const clarifai_client *c = arg;
    while (!__atomic_load_n(&busy_stop, __ATOMIC_SEQ_CST)) {
        clarifai_response *resp = NULL;
        clarifai_error *err = NULL;
        clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    return NULL;
}

static void *busy_caller_once(void *arg) {
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    clarifai_client_call(arg, "ListInputs", NULL, &resp, &err);
    clarifai_response_free(resp);
    clarifai_error_free(err);
    return NULL;
}

static void test_fork_during_calls(void) {
    clarifai_client *c = api_key_client(E.api_key);
    pthread_t t[2];
    const long forks = h_env_long("CLARIFAI_C_FORKS", 5);
    if (!c) return;
    /* Steady state: the library's one-time setup is done (first use is the next test's). */
    parent_still_works(c);
    busy_stop = 0;
    pthread_create(&t[0], NULL, busy_caller, c);
    pthread_create(&t[1], NULL, busy_caller, c);
    for (long i = 0; i < forks; i++) {
        h_sleep_ms(3);
        fork_and_use(c);
    }
    __atomic_store_n(&busy_stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
    parent_still_works(c);
    clarifai_client_free(c);
}

/* The library's one-time setup (the endpoint catalogue, built on first use) in progress on
 * another thread when fork() happens: only a fresh process has it still to do, so the suite
 * runs itself again in the mode below, several times with different timing. */
int fork_first_use_main(const char *url, long delay_us) {
    clarifai_client_options *o = clarifai_client_options_new();
    clarifai_client *c = NULL;
    pthread_t t;
    pid_t pid;
    int status;
    clarifai_client_options_set_base_url(o, url, NULL);
    clarifai_client_options_set_max_retries(o, 0, NULL);
    if (clarifai_client_new_api_key(CANARY_KEY, o, &c, NULL) != CLARIFAI_RESULT_OK) return 3;
    clarifai_client_options_free(o);
    pthread_create(&t, NULL, busy_caller_once, c);
    h_sleep_us(delay_us);
    pid = fork();
    if (pid == 0) {
        clarifai_response *resp = NULL;
        clarifai_error *err = NULL;
        alarm(3);
        /* The canary key is unknown: any answer from the server will do. */
        _exit(clarifai_client_call(c, "ListInputs", NULL, &resp, &err) == CLARIFAI_RESULT_KEY_NOT_FOUND ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    pthread_join(t, NULL);
    clarifai_client_free(c);
    if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGALRM ? 2 : 4;
    return WEXITSTATUS(status) == 0 ? 0 : 1;
}

static void test_fork_during_first_use(void) {
    /* A race, so many tries at once with spread delays: together they take about as long as
     * one, and a hang costs the 3 s of the child's alarm. */
    enum { MAX_RUNS = 64 };
    long runs = h_env_long("CLARIFAI_C_FIRST_USE_RUNS", 16);
    pid_t pids[MAX_RUNS];
    int hung = 0, failed = 0;
    if (runs > MAX_RUNS) runs = MAX_RUNS;
    for (long i = 0; i < runs; i++) {
        char delay[32];
        char *argv[5];
        snprintf(delay, sizeof delay, "%ld", i * 250);
        argv[0] = (char *)"suite";
        argv[1] = (char *)"--fork-during-first-use";
        argv[2] = E.url;
        argv[3] = delay;
        argv[4] = NULL;
        if (posix_spawn(&pids[i], suite_path, NULL, NULL, argv, environ) != 0) pids[i] = -1;
    }
    for (long i = 0; i < runs; i++) {
        int status = 0;
        if (pids[i] < 0 || waitpid(pids[i], &status, 0) != pids[i]) {
            failed++;
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
            hung++;
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed++;
        }
    }
    CHECK_MSG(hung == 0, "%d of %ld children forked during the library's first use hung (killed by alarm after 3 s)", hung, runs);
    CHECK_MSG(failed == 0, "%d of %ld fork-during-first-use runs failed otherwise", failed, runs);
}

/* A child whose own runtime is busy in another thread forks again: the grandchild rebuilds
 * the runtime a second time and its call works. */
static void *busy_for_a_while(void *arg) {
    for (int i = 0; i < 200 && !__atomic_load_n(&busy_stop, __ATOMIC_SEQ_CST); i++) {
        clarifai_response *resp = NULL;
        clarifai_error *err = NULL;
        clarifai_client_call(arg, "ListInputs", NULL, &resp, &err);
        clarifai_response_free(resp);
        clarifai_error_free(err);
    }
    return NULL;
}

static int child_forks_a_grandchild(const clarifai_client *c) {
    pthread_t busy;
    pid_t pid;
    int status = 0;
    clarifai_response *resp = NULL;
    clarifai_error *err = NULL;
    alarm(20);
    if (clarifai_client_call(c, "ListInputs", NULL, &resp, &err) != CLARIFAI_RESULT_OK) return 10;
    clarifai_response_free(resp);
    busy_stop = 0;
    if (pthread_create(&busy, NULL, busy_for_a_while, (void *)c) != 0) return 11;
    h_sleep_ms(2);
    pid = fork();
    if (pid == 0) {
        unsigned errors_at_fork = VALGRIND_COUNT_ERRORS;
        clarifai_result r;
        alarm(10);
        r = clarifai_client_call(c, "ListInputs", NULL, &resp, &err);
        clarifai_response_free(resp);
        clarifai_error_free(err);
        child_exit(r == CLARIFAI_RESULT_OK ? 0 : 12, errors_at_fork);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return 13;
    __atomic_store_n(&busy_stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(busy, NULL);
    if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGALRM ? 14 : 15;
    return WEXITSTATUS(status);
}

static void test_fork_grandchildren(void) {
    clarifai_client *c = api_key_client(E.api_key);
    pthread_t t;
    pid_t pid;
    int status = 0;
    if (!c) return;
    parent_still_works(c);
    busy_stop = 0;
    pthread_create(&t, NULL, busy_caller, c);
    h_sleep_ms(3);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        unsigned errors_at_fork = VALGRIND_COUNT_ERRORS;
        child_exit(child_forks_a_grandchild(c), errors_at_fork);
    }
    CHECK(pid > 0);
    if (pid > 0) waitpid(pid, &status, 0);
    __atomic_store_n(&busy_stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child/grandchild status %d (14: the grandchild hung; 10: the child's call failed; 12: the grandchild's; 4: memory errors)",
              WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status));
    parent_still_works(c);
    clarifai_client_free(c);
}

void suite_fork(void) {
    h_run("fork: a child uses its parent's client; the parent still works", test_fork_after_use);
    h_run("fork while other threads are mid-call never hangs the child", test_fork_during_calls);
    h_run("fork while another thread makes the library's first call never hangs the child", test_fork_during_first_use);
    h_run("a child with its runtime busy forks again: the grandchild's call works", test_fork_grandchildren);
}
