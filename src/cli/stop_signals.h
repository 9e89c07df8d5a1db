/* bitsht CLI: the requests to stop (Ctrl-C, kill, a closed terminal). They only set a
 * flag: the flow polls it and cancels its job, so nothing is left queued. */
#ifndef BITSHT_CLI_STOP_SIGNALS_H
#define BITSHT_CLI_STOP_SIGNALS_H

/* POSIX: SIGINT, SIGTERM and SIGHUP set the flag (sigaction, handler kept for every
 * later signal, no SA_RESTART so a blocking read returns EINTR); one that was ignored
 * at start (nohup) stays ignored. Windows: SIGINT and SIGTERM, and the console events
 * (console_events.c). For commands that poll the flag (transfer). */
void cli_stop_signals_install(void);
/* POSIX: SIGPIPE ignored, for every command: a closed reader of stdout or stderr is a
 * write error, never a death between two steps (a job cancelled, its state unsaved). */
void cli_ignore_broken_pipes(void);
/* Records a stop request (what the handlers do; a Windows console handler may call it). */
void cli_stop_request(void);
/* Forgets a request (tests that run several flows in one process). */
void cli_stop_clear(void);
/* Non-zero once a stop was requested. */
int cli_stop_requested(void);
/* Waits until fd has input (1) or a stop is requested (0); -1 on error. A stop signal
 * that lands just before the wait still ends it (POSIX: pselect with the stop signals
 * blocked until it waits); Windows only checks the flag. */
int cli_stop_wait_readable(int fd);

#endif
