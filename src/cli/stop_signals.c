/* bitsht CLI: stop signals. A handler only sets a flag; whoever waits (the password
 * prompt, the flow's wait loop) sees it and ends its step the ordinary way, so echo is
 * restored and the job cancelled by ordinary code. */
#define _POSIX_C_SOURCE 200809L /* sigaction */
#include "stop_signals.h"

#ifdef _WIN32
#include "console_events.h"
#endif

#include <errno.h>
#include <signal.h>
#include <string.h>

#ifndef _WIN32
#include <sys/select.h>
#endif

static volatile sig_atomic_t stop_requested;

void cli_stop_request(void)
{
    stop_requested = 1;
}

void cli_stop_clear(void)
{
    stop_requested = 0;
}

int cli_stop_requested(void)
{
    return stop_requested != 0;
}

int cli_stop_wait_readable(int fd)
{
#ifdef _WIN32
    (void)fd;
    return cli_stop_requested() ? 0 : 1;
#else
    sigset_t stops, old;
    fd_set readable;
    int n;

    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    sigprocmask(SIG_BLOCK, &stops, &old);
    do {
        if (cli_stop_requested()) {
            n = 0;
            break;
        }
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        n = pselect(fd + 1, &readable, NULL, NULL, NULL, &old); /* unblocks while waiting */
    } while (n < 0 && errno == EINTR);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return n < 0 ? -1 : n > 0;
#endif
}

static void on_stop_signal(int sig)
{
#ifdef _WIN32
    signal(sig, on_stop_signal); /* the CRT resets the handler before calling it */
#else
    (void)sig;
#endif
    cli_stop_request();
}

void cli_stop_signals_install(void)
{
#ifdef _WIN32
    signal(SIGINT, on_stop_signal);
    signal(SIGTERM, on_stop_signal);
    cli_console_events_install(); /* close, logoff, shutdown too (console_events.c) */
#else
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
        sigaddset(&sa.sa_mask, stops[i]); /* one handler at a time */
    sa.sa_flags = 0; /* no SA_RESETHAND: a second Ctrl-C finds the handler in place */
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        struct sigaction was;
        /* Ignored when bitsht started (nohup, a background job of a script): whoever
         * started it asked for that, and a hangup must not cancel a nohup transfer. */
        if (sigaction(stops[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN)
            continue;
        sigaction(stops[i], &sa, NULL);
    }
#endif
}

void cli_ignore_broken_pipes(void)
{
#ifndef _WIN32 /* Windows has no SIGPIPE: a write to a closed pipe just fails */
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
#endif
}
