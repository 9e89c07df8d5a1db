/* bitsht CLI: password input. The only platform-specific part of the CLI is turning
 * terminal echo off (termios / console mode). */
#define _POSIX_C_SOURCE 200809L /* termios */
#include "password.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "terminal.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

static int read_line(FILE *in, char *buf, size_t size)
{
    size_t n;

    if (!fgets(buf, (int)size, in))
        return 0;
    n = strlen(buf);
    if (n == size - 1 && buf[n - 1] != '\n') {
        bht_wipe(buf, n);
        return -1; /* too long */
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 1;
}

static int prompt_no_echo(const char *user, char *buf, size_t size)
{
    int r;
#ifdef _WIN32
    HANDLE h = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode = 0;
    int restore = GetConsoleMode(h, &mode) && SetConsoleMode(h, mode & ~(DWORD)ENABLE_ECHO_INPUT);
#else
    struct termios old, quiet;
    int restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
#endif
    fprintf(stderr, "Password for %s: ", user);
    fflush(stderr);
    r = read_line(stdin, buf, size);
#ifdef _WIN32
    if (restore)
        SetConsoleMode(h, mode);
#else
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
#endif
    fputc('\n', stderr);
    return r;
}

bht_hr cli_read_password(struct cli_options *o, char *buf, size_t size, char *err,
                         size_t err_size)
{
    const char *who = o->user_arg ? o->user_arg : "the helper user";
    int r;

    buf[0] = '\0';
    switch (o->password_source) {
    case PASSWORD_ARGV: {
        size_t n = strlen(o->password_argv);
        if (n >= size) {
            snprintf(err, err_size, "the password is too long (at most %zu bytes)", size - 1);
            return E_INVALIDARG;
        }
        memcpy(buf, o->password_argv, n + 1);
        bht_wipe(o->password_argv, n);
        return S_OK;
    }
    case PASSWORD_ENV: {
        char *v = getenv(o->password_env);
        size_t n;
        if (!v) {
            snprintf(err, err_size, "--password-env: the environment variable %s is not set",
                     o->password_env);
            return E_INVALIDARG;
        }
        n = strlen(v);
        if (n >= size) {
            snprintf(err, err_size, "the password in %s is too long (at most %zu bytes)",
                     o->password_env, size - 1);
            return E_INVALIDARG;
        }
        memcpy(buf, v, n + 1);
        bht_wipe(v, n); /* our copy of the environment only; children inherit nothing */
        return S_OK;
    }
    case PASSWORD_STDIN:
        r = read_line(stdin, buf, size);
        if (r == 0) {
            snprintf(err, err_size, "--password-stdin: no password on standard input");
            return E_INVALIDARG;
        }
        if (r < 0) {
            snprintf(err, err_size, "--password-stdin: the password is too long (at most %zu bytes)",
                     size - 2);
            return E_INVALIDARG;
        }
        return S_OK;
    case PASSWORD_NONE:
        if (!cli_is_terminal(stdin)) {
            snprintf(err, err_size,
                     "no password for %s: use --password-stdin or --password-env VAR (standard "
                     "input is not a terminal, so bitsht cannot prompt)", who);
            return E_INVALIDARG;
        }
        r = prompt_no_echo(who, buf, size);
        if (r <= 0) {
            snprintf(err, err_size, "no password entered for %s", who);
            return E_INVALIDARG;
        }
        return S_OK;
    }
    return E_INVALIDARG;
}
