/* bitsht CLI: the terminal. Detection, and echo off for the password prompt. */
#ifndef BITSHT_CLI_TERMINAL_H
#define BITSHT_CLI_TERMINAL_H

#include <stdio.h>

/* Non-zero when f is attached to a terminal (console on Windows). */
int cli_is_terminal(FILE *f);

/* Turns echo off on standard input's terminal, remembering its state. Returns 1 when
 * echo was turned off (call cli_echo_restore), 0 when stdin is not a terminal. */
int cli_echo_off(void);
/* Puts the remembered state back, if echo is off; safe to call more than once. */
void cli_echo_restore(void);

#endif
