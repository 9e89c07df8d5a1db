/* bitsht CLI: password input. Every copy of the password that bitsht did not make
 * itself (the argv slot, environment entries) is wiped as soon as it is read, on every
 * path; stdin is read with read(2) into the caller's buffer, so no stdio buffer ever
 * holds it. */
#define _POSIX_C_SOURCE 200809L /* environ */
#include "password.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stop_signals.h"
#include "terminal.h"

#ifdef _WIN32
#include <io.h>
#define read_fd _read
#define environ _environ
#else
#include <unistd.h>
#define read_fd read
extern char **environ;
#endif

enum line_result { LINE_OK, LINE_EMPTY_INPUT, LINE_TOO_LONG, LINE_NUL, LINE_INTERRUPTED,
                   LINE_READ_ERROR };

/* One line from standard input, a byte at a time so nothing past the newline is taken
 * (and nothing sits in a buffer of someone else's). A trailing CR (CRLF) is dropped;
 * the password is at most size - 1 bytes. On any failure buf is wiped. */
static enum line_result read_line(char *buf, size_t size)
{
    size_t n = 0;
    enum line_result r = LINE_OK;
    int cr_pending = 0; /* a CR read at the limit, kept out of buf: the line may end next */
    char c = 0;

    for (;;) {
        int ready = cli_stop_wait_readable(0), got;
        if (ready <= 0) {
            r = ready == 0 ? LINE_INTERRUPTED : LINE_READ_ERROR;
            break;
        }
        got = (int)read_fd(0, &c, 1);
        if (got < 0 && errno == EINTR && !cli_stop_requested())
            continue;
        if (got < 0) {
            r = cli_stop_requested() ? LINE_INTERRUPTED : LINE_READ_ERROR;
            break;
        }
        if (got == 0) {
            if (n == 0)
                r = LINE_EMPTY_INPUT;
            break;
        }
        if (c == '\n')
            break;
        if (c == '\0') {
            r = LINE_NUL; /* C strings would cut the password here: refuse, never truncate */
            break;
        }
        if (n == size - 1) {
            if (c == '\r' && !cr_pending) {
                cr_pending = 1;
                continue;
            }
            r = LINE_TOO_LONG;
            break;
        }
        buf[n++] = c;
    }
    bht_wipe(&c, sizeof c);
    if (r == LINE_OK && n && buf[n - 1] == '\r')
        n--; /* CRLF */
    buf[n] = '\0';
    if (r != LINE_OK)
        bht_wipe(buf, size);
    return r;
}

static bht_hr line_error(enum line_result r, const char *source, size_t size, char *err,
                         size_t err_size)
{
    switch (r) {
    case LINE_OK:
        return S_OK;
    case LINE_EMPTY_INPUT:
        snprintf(err, err_size, "%s: no password (end of input)", source);
        return E_INVALIDARG;
    case LINE_TOO_LONG:
        snprintf(err, err_size, "%s: the password is too long (at most %zu bytes)", source,
                 size - 1);
        return E_INVALIDARG;
    case LINE_NUL:
        snprintf(err, err_size, "%s: the password contains a NUL byte", source);
        return E_INVALIDARG;
    case LINE_INTERRUPTED:
        snprintf(err, err_size, "%s: interrupted; no job was created", source);
        return BHT_E_CANCELLED;
    default:
        snprintf(err, err_size, "%s: cannot read standard input", source);
        return E_INVALIDARG;
    }
}

/* One line from the terminal with echo off, after a prompt on stderr. */
static enum line_result prompt(const char *who, char *buf, size_t size)
{
    enum line_result r;

    cli_echo_off(); /* first: TCSAFLUSH drops what was typed before the prompt */
    fprintf(stderr, "Password for %s: ", who);
    fflush(stderr);
    r = read_line(buf, size);
    cli_echo_restore();
    fputc('\n', stderr);
    return r;
}

/* Zeroes the value of every NAME=... entry: a crafted environment may hold several,
 * and getenv shows only the first. */
static void wipe_environment(const char *name)
{
    size_t len = strlen(name);

    for (char **e = environ; e && *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') {
            char *value = *e + len + 1;
            bht_wipe(value, strlen(value));
        }
}

/* Copies secret into buf if it fits; the caller wipes the original either way. */
static bht_hr copy_secret(const char *secret, char *buf, size_t size)
{
    size_t n = strlen(secret);

    if (n >= size)
        return E_INVALIDARG;
    memcpy(buf, secret, n + 1);
    return S_OK;
}

bht_hr cli_read_password(struct cli_options *o, char *buf, size_t size, char *err,
                         size_t err_size)
{
    const char *who = o->user_arg ? o->user_arg : "the helper user";
    enum line_result r;
    bht_hr hr;

    buf[0] = '\0';
    switch (o->password_source) {
    case PASSWORD_ARGV:
        hr = copy_secret(o->password_argv, buf, size);
        bht_wipe(o->password_argv, strlen(o->password_argv)); /* ps shows it no more */
        if (BHT_FAILED(hr))
            snprintf(err, err_size, "the password is too long (at most %zu bytes)", size - 1);
        return hr;
    case PASSWORD_ENV: {
        const char *v = getenv(o->password_env);
        if (!v) {
            snprintf(err, err_size, "--password-env: the environment variable %s is not set",
                     o->password_env);
            return E_INVALIDARG;
        }
        hr = copy_secret(v, buf, size);
        wipe_environment(o->password_env); /* our copy only; children inherit nothing */
        if (BHT_FAILED(hr))
            snprintf(err, err_size, "the password in %s is too long (at most %zu bytes)",
                     o->password_env, size - 1);
        return hr;
    }
    case PASSWORD_STDIN:
        /* On a terminal the typed line would be echoed: read it as the prompt does. */
        r = cli_is_terminal(stdin) ? prompt(who, buf, size) : read_line(buf, size);
        return line_error(r, "--password-stdin", size, err, err_size);
    case PASSWORD_NONE:
        if (!cli_is_terminal(stdin)) {
            snprintf(err, err_size,
                     "no password for %s: use --password-stdin or --password-env VAR (standard "
                     "input is not a terminal, so bitsht cannot prompt)", who);
            return E_INVALIDARG;
        }
        return line_error(prompt(who, buf, size), "the password prompt", size, err, err_size);
    }
    return E_INVALIDARG;
}
