/* bitsht CLI: the subcommands. Each returns the process exit code. */
#ifndef BITSHT_CLI_COMMANDS_H
#define BITSHT_CLI_COMMANDS_H

#include "args.h"
#include "backend_select.h"
#include "output.h"

int cmd_transfer(struct cli_options *o, struct cli_backend *b, struct cli_output *out,
                 char *password);
int cmd_token(struct cli_options *o, struct cli_backend *b, struct cli_output *out);
int cmd_list(struct cli_options *o, struct cli_backend *b, struct cli_output *out);
int cmd_cleanup(struct cli_options *o, struct cli_backend *b, struct cli_output *out);
/* doctor_cmd.c: bits_open_hr says why b has no usable BITS (S_OK when it has). */
int cmd_doctor(struct cli_options *o, struct cli_backend *b, struct cli_output *out,
               char *password, bht_hr bits_open_hr);

/* Exit code for a failed job-management call (not a transfer). */
int cmd_exit_code_for(bht_hr hr);

#endif
