/* bitsht CLI: command-line parsing into a plain options struct (no I/O but the
 * environment defaults). */
#ifndef BITSHT_CLI_ARGS_H
#define BITSHT_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "bitsht/job.h"

enum cli_command {
    CLI_HELP,
    CLI_VERSION,
    CLI_TRANSFER,
    CLI_TOKEN_SID,
    CLI_TOKEN_FLAGS,
    CLI_CLEAR_TOKEN,
    CLI_LIST,
    CLI_CLEANUP,
    CLI_DOCTOR
};

enum password_source { PASSWORD_NONE, PASSWORD_STDIN, PASSWORD_ENV, PASSWORD_ARGV };

struct cli_options {
    enum cli_command command;
    const char *backend;     /* "fake" / "com"; NULL = platform default */
    const char *fake_world;  /* --fake-world / BITSHT_FAKE_WORLD */
    const char *fake_state;  /* --fake-state / BITSHT_FAKE_STATE */
    int json;
    int quiet;

    /* transfer */
    struct bht_file_pair *files; /* points into argv */
    size_t file_count;
    const char *user_arg;        /* as given: DOMAIN\USER or USER@DOMAIN */
    char domain[256];
    char user[256];
    enum password_source password_source;
    const char *password_env;    /* variable name */
    char *password_argv;         /* the sample's positional form: argv storage, wiped */
    int no_helper_token;
    uint32_t token_flags;
    int token_flags_given;
    enum bht_logon_type logon_type;
    int logon_type_given;
    int allow_metered;           /* transfer --allow-metered */
    uint32_t timeout_s;
    int max_transient;
    const char *name;
    int priority;
    int overwrite;
    int sample_form;             /* bitsht REMOTE LOCAL DOMAIN USER PASSWORD */

    /* token-sid / token-flags / clear-token */
    const char *job_id;
    /* cleanup */
    uint64_t older_than_s;
    int older_than_given;
};

/* Parses argv (argv[0] is the program). On error returns E_INVALIDARG with a message in
 * err. files is allocated (free with cli_options_free). */
bht_hr cli_parse(int argc, char **argv, struct cli_options *out, char *err, size_t err_size);
void cli_options_free(struct cli_options *opts);

/* "local", "network", "local,network" -> flags; 0 on error. */
uint32_t cli_parse_token_flags(const char *text);
/* flags -> "local,network" etc. (static storage) */
const char *cli_token_flags_text(uint32_t flags);

#endif
