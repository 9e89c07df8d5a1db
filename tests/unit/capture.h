/* bitsht tests: capture what code under test prints on stdout and stderr, byte for byte,
 * by pointing the streams' file descriptors at temporary files (POSIX dup/dup2: native
 * builds only). */
#ifndef BITSHT_TEST_CAPTURE_H
#define BITSHT_TEST_CAPTURE_H

#include <stdio.h>

struct capture {
    FILE *stream;
    FILE *tmp;
    int saved;
    char text[8192]; /* what was printed, NUL-terminated, after capture_end */
};

void capture_start(struct capture *c, FILE *stream);
const char *capture_end(struct capture *c);

/* Captures stdout into out_cap and stderr into err_cap around one statement. */
#define CAPTURE(out_cap, err_cap, stmt)       \
    do {                                      \
        capture_start(&(out_cap), stdout);    \
        capture_start(&(err_cap), stderr);    \
        stmt;                                 \
        capture_end(&(err_cap));              \
        capture_end(&(out_cap));              \
    } while (0)

#endif
