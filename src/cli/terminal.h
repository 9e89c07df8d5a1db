/* bitsht CLI: is a stream a terminal? (the one portability shim the CLI needs twice) */
#ifndef BITSHT_CLI_TERMINAL_H
#define BITSHT_CLI_TERMINAL_H

#include <stdio.h>

/* Non-zero when f is attached to a terminal (console on Windows). */
int cli_is_terminal(FILE *f);

#endif
