/* bitsht: the CLI's backend choice and the fake's state file (src/cli/backend_select.c):
 * the names, which commands lock and save the queue and which only read it, one save per
 * run, the wait for another bitsht that holds the queue (said once on stderr unless
 * --quiet), and a bad world or state file as bad input with the lock released. Issue 14
 * (the file had no unit test; e2e covered it through the program). */
#define _POSIX_C_SOURCE 200809L /* fork, pipe, nanosleep */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "args.h"
#include "backend_select.h"
#include "bitsht/fake_world.h"
#include "capture.h"
#include "fake_support.h"

static struct cli_options options(enum cli_command command, const char *state_path)
{
    struct cli_options o;

    memset(&o, 0, sizeof o);
    o.command = command;
    o.fake_state = state_path;
    return o;
}

static void backends_by_name(void **state)
{
    static const char *const fake_names[] = {NULL, "", "fake"};
    struct cli_options o = options(CLI_LIST, NULL);
    struct cli_backend b;
    char err[256];

    (void)state;
    for (size_t i = 0; i < sizeof fake_names / sizeof fake_names[0]; i++) {
        o.backend = fake_names[i];
        assert_hr(S_OK, cli_backend_open(&o, &b, err, sizeof err));
        assert_non_null(b.world);
        assert_non_null(b.be.bits);
        assert_null(b.state_path);
        assert_null(b.state_lock);
        assert_hr(S_OK, cli_backend_close(&b, err, sizeof err));
        assert_null(b.world);
    }
    o.backend = "com";
    assert_hr(E_INVALIDARG, cli_backend_open(&o, &b, err, sizeof err));
    assert_string_equal(err, "--backend com needs the Windows build (bitsht.exe); this build "
                             "has the fake backend only");
    assert_null(b.world);
    o.backend = "Fake";
    assert_hr(E_INVALIDARG, cli_backend_open(&o, &b, err, sizeof err));
    assert_string_equal(err, "unknown backend 'Fake' (fake or com)");
    assert_null(b.world);
    /* closing what is closed (or never opened) does nothing */
    assert_hr(S_OK, cli_backend_close(&b, err, sizeof err));
}

/* Commands that only read the queue neither lock nor save it (C-side of issue 13's
 * read-only commands); the ones that change it hold the lock and save at close. */
static void only_changing_commands_lock_and_save_the_queue(void **state)
{
    struct fake_t *t = *state;
    static const struct { enum cli_command command; int flags_given; int changes; } cases[] = {
        {CLI_LIST, 0, 0},        {CLI_TOKEN_SID, 0, 0},   {CLI_TOKEN_FLAGS, 0, 0},
        {CLI_TOKEN_FLAGS, 1, 1}, {CLI_CLEAR_TOKEN, 0, 1}, {CLI_CLEANUP, 0, 1},
        {CLI_TRANSFER, 0, 1},    {CLI_DOCTOR, 0, 1},
    };
    char path[600], err[256];

    fake_t_path(t, path, sizeof path, "q.state");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_options o = options(cases[i].command, path);
        struct cli_backend b;

        o.token_flags_given = cases[i].flags_given;
        remove(path);
        assert_hr(S_OK, cli_backend_open(&o, &b, err, sizeof err));
        if (cases[i].changes) {
            assert_ptr_equal(b.state_path, path);
            assert_non_null(b.state_lock);
        } else {
            assert_null(b.state_path);
            assert_null(b.state_lock);
        }
        assert_hr(S_OK, cli_backend_close(&b, err, sizeof err));
        if ((fake_t_file_size(path) >= 0) != cases[i].changes)
            fail_msg("case %zu: the queue was %ssaved", i, cases[i].changes ? "not " : "");
        assert_null(b.state_lock);
    }
    remove(path);
}

/* The queue is saved once: a later save returns the first result, and close does not save
 * again (the report already told a failure). */
static void the_queue_is_saved_once(void **state)
{
    struct fake_t *t = *state;
    struct cli_options o;
    struct cli_backend b;
    char path[600], blocker[700], err[256];
    bht_hr first;

    fake_t_path(t, path, sizeof path, "q.state");
    o = options(CLI_CLEANUP, path);
    assert_hr(S_OK, cli_backend_open(&o, &b, err, sizeof err));
    assert_hr(S_OK, cli_backend_save(&b, err, sizeof err));
    assert_true(fake_t_file_size(path) > 0);
    remove(path);
    assert_hr(S_OK, cli_backend_save(&b, err, sizeof err));
    assert_hr(S_OK, cli_backend_close(&b, err, sizeof err));
    assert_int_equal(fake_t_file_size(path), -1);

    /* a failing save: its error, then the same HRESULT again without a new attempt */
    snprintf(blocker, sizeof blocker, "%s.tmp", path);
    fake_t_mkdir(blocker);
    snprintf(blocker, sizeof blocker, "%s.tmp/x", path);
    fake_t_write_file(blocker, "", 0);
    assert_hr(S_OK, cli_backend_open(&o, &b, err, sizeof err));
    first = cli_backend_save(&b, err, sizeof err);
    assert_true(BHT_FAILED(first));
    assert_non_null(strstr(err, "q.state.tmp: cannot write ("));
    err[0] = '\0';
    assert_hr(first, cli_backend_save(&b, err, sizeof err));
    assert_string_equal(err, "");
    assert_hr(S_OK, cli_backend_close(&b, err, sizeof err)); /* already reported */
    /* without an earlier save, close saves and returns the failure */
    assert_hr(S_OK, cli_backend_open(&o, &b, err, sizeof err));
    assert_hr(first, cli_backend_close(&b, err, sizeof err));
    assert_non_null(strstr(err, "q.state.tmp: cannot write ("));
    remove(blocker);
    snprintf(blocker, sizeof blocker, "%s.tmp", path);
    fake_t_rmdir(blocker);
}

/* A world or state file that cannot be used is bad input (exit 2), named in err, and
 * leaves nothing held: the queue's lock is free again. */
static void a_bad_world_or_state_file_is_bad_input_and_frees_the_lock(void **state)
{
    struct fake_t *t = *state;
    struct cli_options o;
    struct cli_backend b;
    struct bht_fake_state_lock *lock = NULL;
    char path[600], world[600], want[800], err[256];

    fake_t_path(t, path, sizeof path, "q.state");
    fake_t_path(t, world, sizeof world, "missing.world");
    o = options(CLI_CLEANUP, path);
    o.fake_world = world;
    assert_hr(E_INVALIDARG, cli_backend_open(&o, &b, err, sizeof err));
    snprintf(want, sizeof want, "%s: ", world);
    assert_memory_equal(err, want, strlen(want));
    assert_null(b.world);
    assert_null(b.state_lock);
    assert_null(b.state_path);

    fake_t_write_file(path, "not a state file\n", 17);
    o.fake_world = NULL;
    assert_hr(E_INVALIDARG, cli_backend_open(&o, &b, err, sizeof err));
    snprintf(want, sizeof want, "%s: ", path);
    assert_memory_equal(err, want, strlen(want));
    assert_null(b.world);
    assert_null(b.state_lock);
    assert_null(b.state_path);
    assert_hr(S_OK, bht_fake_state_lock(path, 0, &lock, err, sizeof err)); /* not S_FALSE */
    bht_fake_state_unlock(lock);
    remove(path);
}

/* Another process holds the queue for 300 ms; returns its pid once it holds it. */
static pid_t hold_the_queue(const char *path)
{
    int ready[2];
    char byte;
    pid_t pid;

    assert_int_equal(pipe(ready), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct bht_fake_state_lock *lock = NULL;
        struct timespec hold = {0, 300 * 1000 * 1000};
        char err[256];
        bht_hr hr = bht_fake_state_lock(path, 0, &lock, err, sizeof err);
        if (write(ready[1], "x", 1) != 1 || hr != S_OK)
            _exit(1);
        nanosleep(&hold, NULL);
        bht_fake_state_unlock(lock);
        _exit(0);
    }
    close(ready[1]);
    assert_int_equal(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    return pid;
}

/* Issue 13's shared queue: a changing command waits for the other bitsht, and says so
 * once on stderr unless --quiet; then it holds the lock itself. */
static void a_held_queue_is_waited_for_and_said_unless_quiet(void **state)
{
    struct fake_t *t = *state;
    struct capture so, se;
    char path[600], want[800], err[256];
    int status;

    fake_t_path(t, path, sizeof path, "q.state");
    for (int quiet = 0; quiet <= 1; quiet++) {
        struct cli_options o = options(CLI_CLEANUP, path);
        struct cli_backend b;
        bht_hr hr = E_FAIL;
        pid_t holder = hold_the_queue(path);

        o.quiet = quiet;
        CAPTURE(so, se, hr = cli_backend_open(&o, &b, err, sizeof err));
        assert_hr(S_OK, hr);
        assert_int_equal(waitpid(holder, &status, 0), holder);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        snprintf(want, sizeof want, "bitsht: waiting for another bitsht that uses %s\n", path);
        assert_string_equal(se.text, quiet ? "" : want);
        assert_string_equal(so.text, "");
        assert_non_null(b.state_lock);
        assert_hr(S_OK, cli_backend_close(&b, err, sizeof err));
    }
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backends_by_name),
        cmocka_unit_test_setup_teardown(only_changing_commands_lock_and_save_the_queue,
                                        fake_t_setup, fake_t_teardown),
        cmocka_unit_test_setup_teardown(the_queue_is_saved_once, fake_t_setup, fake_t_teardown),
        cmocka_unit_test_setup_teardown(a_bad_world_or_state_file_is_bad_input_and_frees_the_lock,
                                        fake_t_setup, fake_t_teardown),
        cmocka_unit_test_setup_teardown(a_held_queue_is_waited_for_and_said_unless_quiet,
                                        fake_t_setup, fake_t_teardown),
    };
    return cmocka_run_group_tests_name("cli_backend_select", tests, NULL, NULL);
}
