/* bitsht: command-line parsing (src/cli/args.c). Every usage error is caught before any
 * backend exists and says what is wrong. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* setenv */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

static bht_hr parse(struct cli_options *o, char *err, int argc, char **argv)
{
    return cli_parse(argc, argv, o, err, 512);
}

#define ARGV(...) (char *[]){"bitsht", __VA_ARGS__, NULL}
#define ARGC(...) ((int)(sizeof((char *[]){"bitsht", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, err, ...) parse(o, err, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void transfer_with_helper_options(void **state)
{
    struct cli_options o;
    char err[512];

    (void)state;
    assert_int_equal(PARSE(&o, err, "transfer", "--user", "CORP\\alice", "--password-env", "PW",
                           "--token-flags", "local,network", "--logon-type", "new-credentials",
                           "--timeout", "60", "--max-transient", "2", "--priority", "low",
                           "--json", "https://h/a", "/tmp/a", "\\\\s\\share\\b", "/tmp/b"),
                     S_OK);
    assert_int_equal(o.command, CLI_TRANSFER);
    assert_string_equal(o.domain, "CORP");
    assert_string_equal(o.user, "alice");
    assert_int_equal(o.password_source, PASSWORD_ENV);
    assert_string_equal(o.password_env, "PW");
    assert_int_equal(o.token_flags, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK);
    assert_int_equal(o.logon_type, BHT_LOGON_NEW_CREDENTIALS);
    assert_int_equal(o.timeout_s, 60);
    assert_int_equal(o.max_transient, 2);
    assert_int_equal(o.priority, BHT_PRIORITY_LOW);
    assert_true(o.json);
    assert_int_equal(o.file_count, 2);
    assert_string_equal(o.files[1].remote, "\\\\s\\share\\b");
    assert_string_equal(o.files[1].local, "/tmp/b");
    cli_options_free(&o);
}

static void defaults_follow_the_sample(void **state)
{
    struct cli_options o;
    char err[512];

    (void)state;
    assert_int_equal(PARSE(&o, err, "transfer", "--user", "alice@corp.example", "https://h/a",
                           "/tmp/a"),
                     S_OK);
    assert_string_equal(o.domain, ""); /* UPN: LogonUserW takes a NULL domain */
    assert_string_equal(o.user, "alice@corp.example");
    assert_int_equal(o.token_flags, BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(o.logon_type, BHT_LOGON_INTERACTIVE);
    assert_int_equal(o.timeout_s, 900);
    assert_int_equal(o.max_transient, -1);
    assert_int_equal(o.priority, -1);
    assert_int_equal(o.password_source, PASSWORD_NONE);
    cli_options_free(&o);
}

static void sample_positional_form_is_accepted(void **state)
{
    struct cli_options o;
    char err[512];
    char password[] = "S3cret!";

    (void)state;
    assert_int_equal(parse(&o, err, 6,
                           (char *[]){"bitsht", "https://h/a", "C:\\a", "CORP", "alice", password,
                                      NULL}),
                     S_OK);
    assert_true(o.sample_form);
    assert_int_equal(o.password_source, PASSWORD_ARGV);
    assert_ptr_equal(o.password_argv, password);
    assert_string_equal(o.domain, "CORP");
    assert_int_equal(o.token_flags, BHT_TOKEN_LOCAL_FILE);
    cli_options_free(&o);
}

struct bad_case {
    int argc;
    char **argv;
    const char *message_part;
};

static void usage_errors_name_the_problem(void **state)
{
    const struct bad_case cases[] = {
        {1, ARGV(NULL), "no command"},
        {ARGC("frobnicate"), ARGV("frobnicate"), "unknown command"},
        {ARGC("transfer", "--user", "A\\b", "--bogus", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--bogus", "x", "y"), "unknown option '--bogus'"},
        {ARGC("transfer", "--user", "A\\b", "x"), ARGV("transfer", "--user", "A\\b", "x"),
         "odd number"},
        {ARGC("transfer", "--user", "A\\b"), ARGV("transfer", "--user", "A\\b"), "REMOTE LOCAL"},
        {ARGC("transfer", "x", "y"), ARGV("transfer", "x", "y"), "--no-helper-token"},
        {ARGC("transfer", "--user", "A\\b", "--token-flags", "disk", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--token-flags", "disk", "x", "y"), "--token-flags"},
        {ARGC("transfer", "--user", "A\\b", "--token-flags", "local,", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--token-flags", "local,", "x", "y"), "--token-flags"},
        {ARGC("transfer", "--user", "\\bob", "x", "y"), ARGV("transfer", "--user", "\\bob", "x", "y"),
         "--user takes"},
        {ARGC("transfer", "--user", "CORP\\al\nice", "x", "y"),
         ARGV("transfer", "--user", "CORP\\al\nice", "x", "y"), "--user takes"},
        {ARGC("transfer", "--user", "\x1b]0;x\x07@corp", "x", "y"),
         ARGV("transfer", "--user", "\x1b]0;x\x07@corp", "x", "y"), "--user takes"},
        {ARGC("transfer", "--user", "A\\b", "--timeout", "-1", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--timeout", "-1", "x", "y"), "--timeout"},
        {ARGC("transfer", "--user", "A\\b", "--timeout", "10s", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--timeout", "10s", "x", "y"), "--timeout"},
        {ARGC("transfer", "--user", "A\\b", "--logon-type", "unlock", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--logon-type", "unlock", "x", "y"), "--logon-type"},
        {ARGC("transfer", "--user", "A\\b", "--priority", "urgent", "x", "y"),
         ARGV("transfer", "--user", "A\\b", "--priority", "urgent", "x", "y"), "--priority"},
        {ARGC("transfer", "--no-helper-token", "--user", "A\\b", "x", "y"),
         ARGV("transfer", "--no-helper-token", "--user", "A\\b", "x", "y"), "cannot be combined"},
        {ARGC("transfer", "--user"), ARGV("transfer", "--user"), "needs a value"},
        {ARGC("token-sid"), ARGV("token-sid"), "needs a job id"},
        {ARGC("token-flags", "{J}", "all"), ARGV("token-flags", "{J}", "all"), "token-flags takes"},
        {ARGC("clear-token", "{J}", "extra"), ARGV("clear-token", "{J}", "extra"), "too many"},
        {ARGC("cleanup", "--older-than", "soon"), ARGV("cleanup", "--older-than", "soon"),
         "--older-than"},
        {ARGC("list", "extra"), ARGV("list", "extra"), "unexpected argument"},
        /* Issue 13 item 15: an empty file name is a mistake, not "no state file". */
        {ARGC("list", "--fake-state", ""), ARGV("list", "--fake-state", ""),
         "option --fake-state needs a non-empty value"},
        {ARGC("transfer", "--fake-world", "", "--no-helper-token", "x", "y"),
         ARGV("transfer", "--fake-world", "", "--no-helper-token", "x", "y"),
         "option --fake-world needs a non-empty value"},
        {ARGC("token-sid", "{J}", "--backend", ""), ARGV("token-sid", "{J}", "--backend", ""),
         "option --backend needs a non-empty value"},
        /* Issue 13 item 15: six arguments with options in them are not the sample form. */
        {ARGC("https://h/a", "/tmp/a", "--fake-state", "S", "--overwrite"),
         ARGV("https://h/a", "/tmp/a", "--fake-state", "S", "--overwrite"),
         "its DOMAIN argument '--fake-state' looks like one"},
        {ARGC("https://h/a", "-q", "CORP", "alice", "pw"),
         ARGV("https://h/a", "-q", "CORP", "alice", "pw"), "its LOCAL argument '-q'"},
        {ARGC("https://h/a", "/tmp/a", "CORP", "--json", "pw"),
         ARGV("https://h/a", "/tmp/a", "CORP", "--json", "pw"), "its USER argument '--json'"},
        {ARGC("https://h/a", "/tmp/a", "CORP", "alice", "--json"),
         ARGV("https://h/a", "/tmp/a", "CORP", "alice", "--json"),
         "but its PASSWORD argument looks like one"},
        {ARGC("https://h/a", "/tmp/a", "CORP", "", "pw"), ARGV("https://h/a", "/tmp/a", "CORP", "", "pw"),
         "the sample form needs a USER name (it is empty)"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_options o;
        char err[512];
        bht_hr hr = parse(&o, err, cases[i].argc, cases[i].argv);

        if (hr != E_INVALIDARG)
            fail_msg("case %zu: accepted", i);
        if (!strstr(err, cases[i].message_part))
            fail_msg("case %zu: message '%s' does not mention '%s'", i, err,
                     cases[i].message_part);
        cli_options_free(&o);
    }
}

/* The sample form's password slot is wiped on every path, refusals included, and a
 * refusal never repeats it: the caller gets the slot to wipe before anything else. */
static void sample_form_refusals_hand_back_the_password_slot(void **state)
{
    struct cli_options o;
    char err[512];
    char password[] = "--S3cret";

    (void)state;
    assert_int_equal(parse(&o, err, 6,
                           (char *[]){"bitsht", "https://h/a", "/tmp/a", "CORP", "alice", password,
                                      NULL}),
                     E_INVALIDARG);
    assert_ptr_equal(o.password_argv, password);
    assert_null(strstr(err, "S3cret"));
    assert_int_equal(parse(&o, err, 6,
                           (char *[]){"bitsht", "https://h/a", "/tmp/a", "CORP", "", password,
                                      NULL}),
                     E_INVALIDARG);
    assert_ptr_equal(o.password_argv, password);
    cli_options_free(&o);
}

#ifndef _WIN32 /* Windows has no "set but empty" variable */
/* A set but empty BITSHT_FAKE_STATE (or _WORLD, _BACKEND) is unset, as shells mean it. */
static void empty_environment_defaults_count_as_unset(void **state)
{
    struct cli_options o;
    char err[512];

    (void)state;
    setenv("BITSHT_FAKE_STATE", "", 1);
    setenv("BITSHT_FAKE_WORLD", "", 1);
    setenv("BITSHT_BACKEND", "", 1);
    assert_int_equal(PARSE(&o, err, "list"), S_OK);
    assert_null(o.fake_state);
    assert_null(o.fake_world);
    assert_null(o.backend);
    setenv("BITSHT_FAKE_STATE", "/tmp/q.state", 1);
    assert_int_equal(PARSE(&o, err, "list"), S_OK);
    assert_string_equal(o.fake_state, "/tmp/q.state");
    unsetenv("BITSHT_FAKE_STATE");
    unsetenv("BITSHT_FAKE_WORLD");
    unsetenv("BITSHT_BACKEND");
}
#endif

/* A password given to --password-env by mistake is refused without repeating it, and
 * wiped from argv (ps) at once. */
static void password_env_takes_a_name_never_a_password(void **state)
{
    struct cli_options o;
    char err[512], mistake[] = "S3cret!";
    char *argv[] = {"bitsht", "transfer", "--user", "A\\b", "--password-env", mistake, "x", "y",
                    NULL};

    (void)state;
    assert_int_equal(parse(&o, err, 8, argv), E_INVALIDARG);
    assert_string_equal(err, "--password-env takes the NAME of an environment variable "
                             "(letters, digits, '_'); what was given is not one and is not "
                             "repeated (it is wiped from the command line)");
    assert_memory_equal(mistake, "\0\0\0\0\0\0\0", sizeof mistake);
    cli_options_free(&o);
    assert_int_equal(PARSE(&o, err, "transfer", "--user", "A\\b", "--password-env", "_BHT_PW2",
                           "x", "y"),
                     S_OK);
    assert_string_equal(o.password_env, "_BHT_PW2");
    cli_options_free(&o);
    argv[5] = (char[]){"2PW"}; /* writable: a refusal wipes it */
    assert_int_equal(parse(&o, err, 8, argv), E_INVALIDARG);
    cli_options_free(&o);
}

static void job_commands_take_their_arguments(void **state)
{
    struct cli_options o;
    char err[512];

    (void)state;
    assert_int_equal(PARSE(&o, err, "token-flags", "{J}", "none", "--backend", "fake"), S_OK);
    assert_int_equal(o.command, CLI_TOKEN_FLAGS);
    assert_true(o.token_flags_given);
    assert_int_equal(o.token_flags, 0);
    assert_string_equal(o.backend, "fake");
    assert_int_equal(PARSE(&o, err, "cleanup", "--older-than", "3600", "--json"), S_OK);
    assert_int_equal(o.command, CLI_CLEANUP);
    assert_int_equal(o.older_than_s, 3600);
    assert_true(o.json);
    assert_int_equal(PARSE(&o, err, "token-sid", "{J}"), S_OK);
    assert_int_equal(o.command, CLI_TOKEN_SID);
    assert_string_equal(o.job_id, "{J}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transfer_with_helper_options),
        cmocka_unit_test(defaults_follow_the_sample),
        cmocka_unit_test(sample_positional_form_is_accepted),
        cmocka_unit_test(usage_errors_name_the_problem),
        cmocka_unit_test(job_commands_take_their_arguments),
        cmocka_unit_test(sample_form_refusals_hand_back_the_password_slot),
        cmocka_unit_test(password_env_takes_a_name_never_a_password),
#ifndef _WIN32
        cmocka_unit_test(empty_environment_defaults_count_as_unset),
#endif
    };
    return cmocka_run_group_tests_name("cli_args", tests, NULL, NULL);
}
