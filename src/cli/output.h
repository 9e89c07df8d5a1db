/* bitsht CLI: the only place that prints and picks exit codes. */
#ifndef BITSHT_CLI_OUTPUT_H
#define BITSHT_CLI_OUTPUT_H

#include <stdio.h>

#include "bitsht/job.h"

struct cli_output {
    int json;
    int quiet;
    int tty;              /* stderr is a terminal: draw a live progress bar */
    int bar_drawn;
    uint64_t last_draw_ms;
    const char *user;     /* for the logon stage line; never a password */
    const char *flags_text;
    int new_credentials;  /* --logon-type new-credentials: the logon checks no password */
};

void out_init(struct cli_output *out, int json, int quiet);
/* bht_event_fn for bht_run_transfer. */
void out_event(void *user, const struct bht_event *ev);
/* Prints the final report (text or JSON) and returns the exit code. */
int out_report(struct cli_output *out, const struct bht_report *rep);
/* A usage/bad-input/unavailable error before any report exists; returns exit_code. */
int out_error(struct cli_output *out, int exit_code, bht_hr hr, const char *message);
/* Standard output that could not be written (a full disk, a closed descriptor, a reader
 * gone) is said on stderr; when that output is the command's result (list, token-sid,
 * ...), a run that would exit 0 exits 1. A transfer keeps its code: it describes the
 * files, which are in place. Returns the exit code to use. */
int out_check_stdout(int exit_code, int output_is_the_result);
/* Warnings always go to stderr, even with --quiet. */
void out_warning(const char *message);
/* s for a person's terminal: trailing CR, LF and blanks dropped, every other control
 * character but tab (ESC starts terminal commands, CR and LF forge lines) shown as '?'.
 * For text that echoes input or comes from BITS. */
void out_plain(FILE *f, const char *s);
/* JSON string literal of s (quotes included). */
void out_json_string(FILE *f, const char *s);
void out_hr_json(FILE *f, bht_hr hr);

#endif
