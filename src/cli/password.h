/* bitsht CLI: obtaining the helper user's password without ever echoing or printing it. */
#ifndef BITSHT_CLI_PASSWORD_H
#define BITSHT_CLI_PASSWORD_H

#include <stddef.h>

#include "args.h"

/* Fills buf (NUL-terminated) from the source the options name: stdin (one line), an
 * environment variable (its value is wiped from the environment copy afterwards), the
 * sample's argv slot (wiped in place, so ps shows no password), or an interactive
 * prompt with echo off when stdin is a terminal. Returns S_OK or E_INVALIDARG with a
 * message in err that never contains the password. */
bht_hr cli_read_password(struct cli_options *o, char *buf, size_t size, char *err,
                         size_t err_size);

#endif
