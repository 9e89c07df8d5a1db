/* bitsht: command-line entry point. Parses, reads the password, opens the backend, runs
 * one command, and turns the result into an exit code (0 ok, 1 transfer failed, 2 bad
 * input, 3 helper token not set, 4 deadline, 5 BITS unavailable). */
#include <stdio.h>
#include <string.h>

#include "bitsht/version.h"

#include "args.h"
#include "backend_select.h"
#include "commands.h"
#include "output.h"
#include "password.h"
#include "stop_signals.h"
#include "bht_git_revision.h" /* generated: BHT_GIT_REVISION */

static const char usage_text[] =
    "usage: bitsht transfer [options] REMOTE LOCAL [REMOTE LOCAL ...]\n"
    "       bitsht REMOTE LOCAL DOMAIN USER PASSWORD   (the documented sample's form)\n"
    "       bitsht token-sid JOB | token-flags JOB [FLAGS] | clear-token JOB\n"
    "       bitsht list | cleanup [--older-than SECONDS]\n"
    "       bitsht doctor [--json] [--user DOMAIN\\USER [--password-stdin | --password-env VAR]\n"
    "                     [--logon-type TYPE] [--token-flags FLAGS]]\n"
    "       bitsht --help | --version\n"
    "\n"
    "Runs a BITS download job with a helper token: a second user's logon that BITS uses\n"
    "for the parts of the transfer the job owner cannot do.\n"
    "\n"
    "transfer options:\n"
    "  --user DOMAIN\\USER | USER@DOMAIN   the helper user (required unless --no-helper-token);\n"
    "                              a bare USER is a local account of this machine: give a\n"
    "                              domain account as DOMAIN\\USER or USER@DOMAIN\n"
    "  --password-stdin            read the helper's password from one line of stdin\n"
    "  --password-env VAR          read it from environment variable VAR\n"
    "                              (with neither, bitsht prompts with echo off on a terminal)\n"
    "  --token-flags FLAGS         local | network | local,network (default local):\n"
    "                                local   = the helper writes the destination (creates\n"
    "                                          and renames the temporary file)\n"
    "                                network = the helper reads a UNC (SMB) source and answers\n"
    "                                          HTTP server/proxy authentication\n"
    "                              everything else runs as the job owner\n"
    "  --logon-type TYPE           interactive (default), network, network-cleartext, batch,\n"
    "                              service, new-credentials:\n"
    "                                network           = no credentials kept: not with\n"
    "                                                    --token-flags network\n"
    "                                network-cleartext = a network logon that keeps them\n"
    "                                new-credentials   = your own token with the helper's\n"
    "                                                    credentials for servers only: the\n"
    "                                                    password is not checked at logon, the\n"
    "                                                    token's SID is yours, and a wrong\n"
    "                                                    password shows only as 401 or access\n"
    "                                                    denied during the transfer\n"
    "  --no-helper-token           transfer as yourself, no helper token\n"
    "  --timeout SECONDS           cancel the job after this long (default 900; 0 = never)\n"
    "  --max-transient N           give up after N transient errors (default: keep waiting)\n"
    "  --name NAME                 job display name (prefixed with 'bitsht:')\n"
    "  --priority P                foreground | high | normal | low\n"
    "  --overwrite                 allow replacing an existing destination file\n"
    "  --allow-metered             transfer on metered networks too (job cost flags: transfer\n"
    "                              always); a BITS without them warns and goes on\n";

/* A second string: ISO C bounds one literal at 4095 characters. */
static const char usage_text_tail[] =
    "doctor: says why BITS would not move a job (service, logon session, version and\n"
    "  helper-token support, job limits, network cost, proxy; with --user the helper's logon\n"
    "  and BITS's admin-helper rule, on throw-away jobs, nothing transferred). Each check is\n"
    "  pass, warn, fail or unknown; exit 0 when none fails, 1 when one does\n"
    "common options:\n"
    "  --json                      one JSON object on stdout\n"
    "  --quiet                     no stage lines (errors are still printed)\n"
    "  --backend fake|com          BITS implementation (default: com on Windows, fake elsewhere)\n"
    "  --fake-world FILE           the fake backend's world (users, resources, folders)\n"
    "  --fake-state FILE           the fake backend's persisted queue\n"
    "environment: BITSHT_BACKEND, BITSHT_FAKE_WORLD, BITSHT_FAKE_STATE\n"
    "\n"
    "exit codes: 0 success; 1 the transfer failed (BITS error); 2 usage or bad input (no\n"
    "job was created); 3 the helper token could not be set (logon failed, access denied,\n"
    "unsupported); 4 the deadline passed (job cancelled); 5 BITS unavailable.\n";

int main(int argc, char **argv)
{
    struct cli_options o;
    struct cli_output out;
    struct cli_backend b;
    char err[1024];
    char password[1024];
    char close_err[1024];
    int code;
    bht_hr hr;

    password[0] = '\0';
    cli_ignore_broken_pipes();
    hr = cli_parse(argc, argv, &o, err, sizeof err);
    out_init(&out, o.json, o.quiet);
    if (BHT_FAILED(hr)) {
        if (o.password_argv)
            bht_wipe(o.password_argv, strlen(o.password_argv));
        code = out_error(&out, 2, hr, err);
        fputs("usage: bitsht transfer [options] REMOTE LOCAL ... (see bitsht --help)\n", stderr);
        cli_options_free(&o);
        return code;
    }
    if (o.command == CLI_HELP) {
        /* one buffer for the whole text (over 4 KiB): a write error then shows at the
         * final flush, with its errno, instead of midway */
        static char help_buffer[sizeof usage_text + sizeof usage_text_tail];
        setvbuf(stdout, help_buffer, _IOFBF, sizeof help_buffer);
        fputs(usage_text, stdout);
        fputs(usage_text_tail, stdout);
        return out_check_stdout(0, 1);
    }
    if (o.command == CLI_VERSION) {
        printf("bitsht %s (git %s)\n", bht_version(), BHT_GIT_REVISION);
        return out_check_stdout(0, 1);
    }
    if (o.command == CLI_TRANSFER) {
        /* Before the prompt: Ctrl-C there must put echo back, and later cancel the job. */
        cli_stop_signals_install();
    }
    if ((o.command == CLI_TRANSFER && !o.no_helper_token) ||
        (o.command == CLI_DOCTOR && o.user_arg)) {
        /* Read (and so wipe the argv slot) before warning: the warning may block on a
         * full stderr pipe, and ps must not show the password meanwhile. */
        hr = cli_read_password(&o, password, sizeof password, err, sizeof err);
        if (BHT_FAILED(hr)) {
            bht_wipe(password, sizeof password); /* again: the reader wipes it on failure */
            cli_options_free(&o);
            return out_error(&out, 2, hr, err);
        }
        if (o.sample_form)
            out_warning("a password on the command line is visible to other processes; "
                        "use --password-stdin or --password-env");
    }
    hr = cli_backend_open(&o, &b, err, sizeof err);
    if (o.command == CLI_DOCTOR && hr != E_INVALIDARG) {
        /* BITS out of reach is one of the doctor's findings, not the end of it */
        code = cmd_doctor(&o, &b, &out, password, hr);
        bht_wipe(password, sizeof password); /* again: the doctor wipes it on every path */
        cli_backend_close(&b, close_err, sizeof close_err);
        cli_options_free(&o);
        return code;
    }
    if (BHT_FAILED(hr)) {
        bht_wipe(password, sizeof password);
        cli_options_free(&o);
        return out_error(&out, hr == E_INVALIDARG ? 2 : 5, hr, err);
    }
    switch (o.command) {
    case CLI_TRANSFER:
        code = cmd_transfer(&o, &b, &out, password);
        break;
    case CLI_LIST:
        code = cmd_list(&o, &b, &out);
        break;
    case CLI_CLEANUP:
        code = cmd_cleanup(&o, &b, &out);
        break;
    default:
        code = cmd_token(&o, &b, &out);
        break;
    }
    bht_wipe(password, sizeof password); /* again: the transfer's flow wiped it */
    if (BHT_FAILED(cli_backend_close(&b, close_err, sizeof close_err))) {
        fprintf(stderr, "bitsht: error: could not save the fake queue: %s\n", close_err);
        if (code == 0)
            code = 1;
    }
    code = out_check_stdout(code, o.command != CLI_TRANSFER);
    cli_options_free(&o);
    return code;
}
