/* bitsht: the password read when read(2) itself fails after the wait said "readable"
 * (src/cli/password.c), and a stop signal that lands just before the wait starts
 * (src/cli/stop_signals.c). Linked with -Wl,--wrap=read,--wrap=pselect
 * (tests/unit/cli.cmake): __wrap_read can fail the next reads of standard input with a
 * chosen errno: EINTR (a signal landed during the read) is retried unless a stop was
 * requested meanwhile; any other error is "cannot read standard input".
 * __wrap_pselect can raise a signal right before the real wait, the moment a race would
 * need. A pipe cannot produce these on demand. Issue 14. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "password.h"
#include "stop_signals.h"

ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);

int __real_pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                    const sigset_t *mask);
int __wrap_pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                   const sigset_t *mask);

static int raise_before_wait; /* a signal to raise just before the real pselect, once */
static int limit_the_wait;    /* a wait that would block ends after 100 ms with ETIMEDOUT */

int __wrap_pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                   const sigset_t *mask)
{
    struct timespec limit = {3, 0}; /* a wait that the signal did not end fails the test */
    int n;

    if (limit_the_wait)
        limit.tv_sec = 0, limit.tv_nsec = 100 * 1000 * 1000;
    else if (!raise_before_wait)
        return __real_pselect(nfds, r, w, e, timeout, mask);
    if (raise_before_wait)
        raise(raise_before_wait);
    raise_before_wait = 0;
    n = __real_pselect(nfds, r, w, e, &limit, mask);
    if (n == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    return n;
}

static int reads_before_failure; /* reads of fd 0 that succeed first */
static int failures_left; /* then the next reads of fd 0 that fail */
static int failure_errno;
static int stop_with_the_failure; /* a stop signal "landed" during the failing read */
static int reads_of_stdin;

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    if (fd == 0) {
        reads_of_stdin++;
        if (reads_before_failure > 0)
            reads_before_failure--;
        else if (failures_left > 0) {
            failures_left--;
            if (stop_with_the_failure)
                cli_stop_request();
            errno = failure_errno;
            return -1;
        }
    }
    return __real_read(fd, buf, n);
}

static int all_zero(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* cli_read_password (--password-stdin) on a pipe holding input, the first `failures`
 * reads failing with err_no. */
static bht_hr read_with_failures(const char *input, int failures, int err_no, int stop,
                                 char *buf, size_t size, char *err)
{
    struct cli_options o;
    int fds[2], saved = dup(0);
    size_t len = strlen(input);
    bht_hr hr;

    memset(&o, 0, sizeof o);
    o.user_arg = "CORP\\alice";
    o.password_source = PASSWORD_STDIN;
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], input, len), (ssize_t)len);
    close(fds[1]);
    assert_int_equal(dup2(fds[0], 0), 0);
    close(fds[0]);
    failures_left = failures;
    failure_errno = err_no;
    stop_with_the_failure = stop;
    reads_of_stdin = 0;
    memset(buf, 'X', size);
    hr = cli_read_password(&o, buf, size, err, 256);
    failures_left = 0;
    reads_before_failure = 0;
    dup2(saved, 0);
    close(saved);
    return hr;
}

/* A read interrupted by a signal that is not a stop is simply done again. Only a failed
 * read is: the end of input that follows (errno still EINTR from before) ends the line. */
static void an_interrupted_read_is_retried(void **state)
{
    char buf[64], err[256];

    (void)state;
    assert_int_equal(read_with_failures("S3cret!\n", 2, EINTR, 0, buf, sizeof buf, err), S_OK);
    assert_string_equal(buf, "S3cret!");
    assert_int_equal(reads_of_stdin, 2 + 8); /* two failures, then one byte at a time */
    assert_false(cli_stop_requested());
    assert_int_equal(read_with_failures("S3cret!", 1, EINTR, 0, buf, sizeof buf, err), S_OK);
    assert_string_equal(buf, "S3cret!");
    assert_int_equal(reads_of_stdin, 1 + 7 + 1); /* the failure, 7 bytes, the end */
}

/* Ctrl-C during the read: "interrupted", BHT_E_CANCELLED (nothing is created), the
 * buffer wiped whole; no further read. */
static void a_stop_during_the_read_ends_it(void **state)
{
    char buf[64], err[256];

    (void)state;
    assert_int_equal(read_with_failures("S3cret!\n", 1, EINTR, 1, buf, sizeof buf, err),
                     BHT_E_CANCELLED);
    assert_string_equal(err, "--password-stdin: interrupted; no job was created");
    assert_true(all_zero(buf, sizeof buf));
    assert_int_equal(reads_of_stdin, 1);
    cli_stop_clear();
    assert_false(cli_stop_requested());
}

/* Midway through the line: the bytes already read are wiped too. */
static void a_failing_read_midway_wipes_what_was_read(void **state)
{
    char buf[64], err[256];

    (void)state;
    reads_before_failure = 3;
    assert_int_equal(read_with_failures("S3cret!\n", 1, EIO, 0, buf, sizeof buf, err),
                     E_INVALIDARG);
    assert_string_equal(err, "--password-stdin: cannot read standard input");
    assert_true(all_zero(buf, sizeof buf));
    assert_int_equal(reads_of_stdin, 4);
}

/* Any other error (EIO: the terminal went away) is "cannot read standard input". */
static void a_read_error_is_refused(void **state)
{
    char buf[64], err[256];

    (void)state;
    assert_int_equal(read_with_failures("S3cret!\n", 1, EIO, 0, buf, sizeof buf, err),
                     E_INVALIDARG);
    assert_string_equal(err, "--password-stdin: cannot read standard input");
    assert_true(all_zero(buf, sizeof buf));
    assert_int_equal(reads_of_stdin, 1);
}

static int stops_blocked(void)
{
    sigset_t now;

    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGINT) + sigismember(&now, SIGTERM) + sigismember(&now, SIGHUP);
}

/* A stop signal that lands after the flag was checked but before the wait started is
 * kept pending (the stop signals are blocked from the check until pselect atomically
 * unblocks them), so the wait ends at once instead of waiting for input that may never
 * come; every stop signal, and the signal mask is as before afterwards. */
static void a_stop_just_before_the_wait_still_ends_it(void **state)
{
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    int fds[2];

    (void)state;
    /* the premise: a process started with the default dispositions. A suite started in the
     * background or under nohup inherits SIGINT or SIGHUP ignored, and install keeps an
     * ignored stop signal ignored (by design: nohup), so the raise below would do nothing. */
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
        signal(stops[i], SIG_DFL);
    cli_stop_signals_install();
    assert_int_equal(pipe(fds), 0); /* nothing ever written: only a stop ends the wait */
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        cli_stop_clear();
        raise_before_wait = stops[i];
        assert_int_equal(cli_stop_wait_readable(fds[0]), 0);
        assert_true(cli_stop_requested());
        assert_int_equal(stops_blocked(), 0);
    }
    cli_stop_clear();
    /* input that is there: 1, whatever fd it is on */
    assert_int_equal(write(fds[1], "x", 1), 1);
    assert_int_equal(cli_stop_wait_readable(fds[0]), 1);
    assert_int_equal(stops_blocked(), 0);
    close(fds[0]);
    close(fds[1]);
}

/* Leaves 0xFF in the stack below the caller, where the next call's locals will be. */
static void __attribute__((noinline)) poison_the_stack(void)
{
    volatile unsigned char junk[8192];

    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = 0xFF;
}

/* The wait watches its own descriptor only: with another one readable (and whatever the
 * stack held before), an empty pipe still blocks. */
static void the_wait_watches_only_its_own_fd(void **state)
{
    int empty[2], full[2], n;

    (void)state;
    cli_stop_clear();
    assert_int_equal(pipe(empty), 0);
    assert_int_equal(pipe(full), 0);
    assert_int_equal(write(full[1], "x", 1), 1);
    assert_true(full[0] > empty[0]);
    limit_the_wait = 1;
    poison_the_stack();
    n = cli_stop_wait_readable(empty[0]);
    limit_the_wait = 0;
    assert_int_equal(n, -1); /* it blocked until the test's 100 ms limit */
    assert_int_equal(errno, ETIMEDOUT);
    poison_the_stack();
    assert_int_equal(cli_stop_wait_readable(full[0]), 1);
    close(empty[0]);
    close(empty[1]);
    close(full[0]);
    close(full[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_interrupted_read_is_retried),
        cmocka_unit_test(a_stop_during_the_read_ends_it),
        cmocka_unit_test(a_read_error_is_refused),
        cmocka_unit_test(a_failing_read_midway_wipes_what_was_read),
        cmocka_unit_test(a_stop_just_before_the_wait_still_ends_it),
        cmocka_unit_test(the_wait_watches_only_its_own_fd),
    };
    return cmocka_run_group_tests_name("cli_password_read_faults", tests, NULL, NULL);
}
