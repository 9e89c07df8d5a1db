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
    assert_int_equal(o.token_flags_given, 1);
    assert_int_equal(o.token_flags, 0);
    assert_string_equal(o.backend, "fake");
    assert_int_equal(PARSE(&o, err, "token-flags", "{J}", "network"), S_OK);
    assert_int_equal(o.token_flags, BHT_TOKEN_NETWORK);
    assert_int_equal(o.token_flags_given, 1);
    assert_string_equal(o.job_id, "{J}");
    assert_int_equal(PARSE(&o, err, "token-flags", "{J}"), S_OK);
    assert_int_equal(o.token_flags_given, 0);
    assert_int_equal(o.token_flags, BHT_TOKEN_LOCAL_FILE); /* the default, unused */
    /* options between and after the positionals; "-j" is no job id */
    assert_int_equal(PARSE(&o, err, "token-sid", "-q", "{J}", "--json"), S_OK);
    assert_int_equal(o.quiet, 1);
    assert_int_equal(o.json, 1);
    assert_string_equal(o.job_id, "{J}");
    assert_int_equal(PARSE(&o, err, "token-sid", "-j"), E_INVALIDARG);
    assert_string_equal(err, "token-sid: unknown option '-j'");
    /* a successful parse leaves an empty message, never what the buffer held */
    memset(err, 'X', sizeof err);
    assert_int_equal(PARSE(&o, err, "list"), S_OK);
    assert_string_equal(err, "");
    assert_int_equal(PARSE(&o, err, "cleanup", "--older-than", "3600", "--json"), S_OK);
    assert_int_equal(o.command, CLI_CLEANUP);
    assert_int_equal(o.older_than_s, 3600);
    assert_true(o.json);
    assert_int_equal(PARSE(&o, err, "token-sid", "{J}"), S_OK);
    assert_int_equal(o.command, CLI_TOKEN_SID);
    assert_string_equal(o.job_id, "{J}");
}

/* Parses argv and expects E_INVALIDARG with exactly this message. */
static void expect_usage_error(int argc, char **argv, const char *message)
{
    struct cli_options o;
    char err[512];
    bht_hr hr = parse(&o, err, argc, argv);

    if (hr != E_INVALIDARG)
        fail_msg("'%s ...': 0x%08X, not E_INVALIDARG", argv[1] ? argv[1] : "",
                 (unsigned)hr);
    assert_string_equal(err, message);
    cli_options_free(&o);
}

#define REFUSED(message, ...) expect_usage_error(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), message)

/* Parses argv, expecting S_OK; the caller frees o. */
#define ACCEPTED(o, ...)                                                                    \
    do {                                                                                    \
        char err_[512];                                                                     \
        bht_hr hr_ = PARSE(o, err_, __VA_ARGS__);                                           \
        if (hr_ != S_OK)                                                                    \
            fail_msg("refused (0x%08X): %s", (unsigned)hr_, err_);                          \
    } while (0)

/* Issue 14: every option that takes a value, given last, names itself; the error is
 * E_INVALIDARG (exit 2). */
static void an_option_without_its_value_names_itself(void **state)
{
    static const char *const options[] = {"--user", "--password-env", "--token-flags",
                                          "--logon-type", "--timeout", "--max-transient",
                                          "--name", "--priority"};
    char message[128];

    (void)state;
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char *argv[] = {"bitsht", "transfer", "--user", "A\\b", "x", "y", (char *)options[i],
                        NULL};
        snprintf(message, sizeof message, "option %s needs a value", options[i]);
        expect_usage_error(7, argv, message);
    }
    REFUSED("option --backend needs a value", "list", "--backend");
    REFUSED("option --fake-state needs a value", "token-sid", "{J}", "--fake-state");
    REFUSED("option --fake-world needs a value", "doctor", "--fake-world");
    REFUSED("--older-than takes whole seconds", "cleanup", "--older-than");
}

/* Issue 14: each limit exactly at its maximum is taken, one more is refused. */
static void limits_are_exact(void **state)
{
    struct cli_options o;

    (void)state;
    ACCEPTED(&o, "transfer", "--no-helper-token", "--timeout", "2592000", "--max-transient",
             "1000000", "x", "y");
    assert_int_equal(o.timeout_s, 30u * 24 * 3600);
    assert_int_equal(o.max_transient, 1000000);
    cli_options_free(&o);
    ACCEPTED(&o, "transfer", "--no-helper-token", "--timeout", "0", "--max-transient", "0", "x",
             "y");
    assert_int_equal(o.timeout_s, 0);
    assert_int_equal(o.max_transient, 0);
    cli_options_free(&o);
    REFUSED("--timeout takes whole seconds (0 = no deadline), got '2592001'", "transfer",
            "--no-helper-token", "--timeout", "2592001", "x", "y");
    REFUSED("--max-transient takes a count, got '1000001'", "transfer", "--no-helper-token",
            "--max-transient", "1000001", "x", "y");
    REFUSED("--max-transient takes a count, got 'many'", "transfer", "--no-helper-token",
            "--max-transient", "many", "x", "y");
    REFUSED("--timeout takes whole seconds (0 = no deadline), got '+5'", "transfer",
            "--no-helper-token", "--timeout", "+5", "x", "y");
    REFUSED("--timeout takes whole seconds (0 = no deadline), got ''", "transfer",
            "--no-helper-token", "--timeout", "", "x", "y");
    REFUSED("--timeout takes whole seconds (0 = no deadline), got '99999999999999999999'",
            "transfer", "--no-helper-token", "--timeout", "99999999999999999999", "x", "y");
    /* --older-than: seconds that still fit in milliseconds */
    ACCEPTED(&o, "cleanup", "--older-than", "18446744073709551");
    assert_true(o.older_than_s == UINT64_MAX / 1000);
    assert_int_equal(o.older_than_given, 1);
    REFUSED("--older-than takes whole seconds", "cleanup", "--older-than", "18446744073709552");
}

/* Issue 14: DOMAIN and USER are at most 255 bytes each (their buffers less the NUL), in
 * every form of --user and in the sample form; one more byte is refused. */
static void user_and_domain_names_are_at_most_255_bytes(void **state)
{
    static char n255[256], n256[257], arg[600], message[700], password[] = "pw";
    struct cli_options o;
    char err[512];

    (void)state;
    memset(n255, 'a', 255);
    memset(n256, 'a', 256);
    snprintf(arg, sizeof arg, "%s\\%s", n255, n255);
    ACCEPTED(&o, "transfer", "--user", arg, "x", "y");
    assert_string_equal(o.domain, n255);
    assert_string_equal(o.user, n255);
    cli_options_free(&o);
    ACCEPTED(&o, "transfer", "--user", n255, "x", "y");
    assert_string_equal(o.user, n255);
    assert_string_equal(o.domain, "");
    cli_options_free(&o);
    for (int k = 0; k < 3; k++) {
        snprintf(arg, sizeof arg, k == 0 ? "%s\\bob" : k == 1 ? "CORP\\%s" : "%s", n256);
        snprintf(message, sizeof message, "--user takes DOMAIN\\USER or USER@DOMAIN, got '%s'",
                 arg);
        REFUSED(message, "transfer", "--user", arg, "x", "y");
    }
    /* the sample form */
    assert_int_equal(parse(&o, err, 6, (char *[]){"bitsht", "https://h/a", "/tmp/a", n255, n255,
                                                   password, NULL}),
                     S_OK);
    assert_string_equal(o.domain, n255);
    assert_string_equal(o.user, n255);
    cli_options_free(&o);
    expect_usage_error(6, (char *[]){"bitsht", "https://h/a", "/tmp/a", n256, "bob", password, NULL},
                       "the DOMAIN name is longer than 255 bytes");
    expect_usage_error(6, (char *[]){"bitsht", "https://h/a", "/tmp/a", "CORP", n256, password, NULL},
                       "the USER name is longer than 255 bytes");
}

/* Issue 14: the forms --user takes and the ones it refuses; the last --user wins, and a
 * UPN after a DOMAIN\USER leaves no domain behind (LogonUserW takes a UPN only with a
 * NULL domain). A refused --user leaves no name behind either. */
static void user_forms_taken_and_refused(void **state)
{
    static const char *const refused[] = {"CORP\\", "\\bob", "CORP\\\\bob", "CORP\\al\\ice",
                                          "@corp", "alice@", ""};
    struct cli_options o;
    char err[512], message[256];

    (void)state;
    ACCEPTED(&o, "transfer", "--user", "CORP\\alice", "--user", "bob@corp.example", "x", "y");
    assert_string_equal(o.domain, "");
    assert_string_equal(o.user, "bob@corp.example");
    assert_string_equal(o.user_arg, "bob@corp.example");
    cli_options_free(&o);
    ACCEPTED(&o, "transfer", "--user", "a@b", "x", "y");
    assert_string_equal(o.user, "a@b");
    cli_options_free(&o);
    ACCEPTED(&o, "transfer", "--user", "C\\b", "x", "y");
    assert_string_equal(o.domain, "C");
    assert_string_equal(o.user, "b");
    cli_options_free(&o);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(message, sizeof message, "--user takes DOMAIN\\USER or USER@DOMAIN, got '%s'",
                 refused[i]);
        REFUSED(message, "transfer", "--user", (char *)refused[i], "x", "y");
    }
    assert_int_equal(PARSE(&o, err, "transfer", "--user", "CORP\\alice", "--user", "CORP\\", "x",
                           "y"),
                     E_INVALIDARG);
    assert_string_equal(o.domain, "");
    assert_string_equal(o.user, "");
    cli_options_free(&o);
}

/* Issue 14: --password-env takes a portable name: a letter or '_' first, then letters,
 * digits or '_' (each end of each range taken, the byte just outside it refused). */
static void password_env_names_at_the_edges_of_each_range(void **state)
{
    static const char *const taken[] = {"A", "Z", "a", "z", "_", "AZaz09_", "_9"};
    static const char *const refused[] = {"@", "[", "`", "{", "0", "9", "A@", "A[", "A`", "A{",
                                          "A/", "A:", "A-B"};
    struct cli_options o;
    char err[512];

    (void)state;
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        char *argv[] = {"bitsht", "transfer", "--user", "A\\b", "--password-env",
                        (char *)taken[i], "x", "y", NULL};
        if (parse(&o, err, 8, argv) != S_OK)
            fail_msg("'%s' refused: %s", taken[i], err);
        assert_string_equal(o.password_env, taken[i]);
        assert_int_equal(o.password_source, PASSWORD_ENV);
        cli_options_free(&o);
    }
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char slot[8];
        char *argv[] = {"bitsht", "transfer", "--user", "A\\b", "--password-env", slot, "x", "y",
                        NULL};
        strcpy(slot, refused[i]);
        if (parse(&o, err, 8, argv) != E_INVALIDARG)
            fail_msg("'%s' taken", refused[i]);
        cli_options_free(&o);
    }
}

/* Issue 14: the token flags, both ways. */
static void token_flags_parse_and_print(void **state)
{
    (void)state;
    assert_int_equal(cli_parse_token_flags("local"), BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(cli_parse_token_flags("network"), BHT_TOKEN_NETWORK);
    assert_int_equal(cli_parse_token_flags("network,local"),
                     BHT_TOKEN_NETWORK | BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(cli_parse_token_flags("local,network"),
                     BHT_TOKEN_NETWORK | BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(cli_parse_token_flags("local,local"), BHT_TOKEN_LOCAL_FILE);
    static const char *const refused[] = {"", "locax", "loca", "locall", "networx", "networ",
                                          "networkk", "local,", ",local", "local,,network",
                                          "none", "LOCAL"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (cli_parse_token_flags(refused[i]) != 0)
            fail_msg("'%s' taken", refused[i]);
    assert_int_equal(cli_parse_token_flags(NULL), 0);
    assert_string_equal(cli_token_flags_text(0), "none");
    assert_string_equal(cli_token_flags_text(BHT_TOKEN_LOCAL_FILE), "local");
    assert_string_equal(cli_token_flags_text(BHT_TOKEN_NETWORK), "network");
    assert_string_equal(cli_token_flags_text(BHT_TOKEN_VALID_MASK), "local,network");
    assert_string_equal(cli_token_flags_text(0x4u | BHT_TOKEN_NETWORK), "network");
}

/* Issue 14: every logon type and priority by name, to its exact value. */
static void every_logon_type_and_priority_name(void **state)
{
    static const struct { const char *name; enum bht_logon_type type; } types[] = {
        {"interactive", BHT_LOGON_INTERACTIVE}, {"network", BHT_LOGON_NETWORK},
        {"batch", BHT_LOGON_BATCH}, {"service", BHT_LOGON_SERVICE},
        {"network-cleartext", BHT_LOGON_NETWORK_CLEARTEXT},
        {"new-credentials", BHT_LOGON_NEW_CREDENTIALS}};
    static const char *const priorities[] = {"foreground", "high", "normal", "low"};
    struct cli_options o;

    (void)state;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        ACCEPTED(&o, "transfer", "--user", "A\\b", "--logon-type", (char *)types[i].name, "x", "y");
        assert_int_equal(o.logon_type, types[i].type);
        assert_int_equal(o.logon_type_given, 1);
        cli_options_free(&o);
    }
    for (int i = 0; i < 4; i++) {
        ACCEPTED(&o, "transfer", "--user", "A\\b", "--priority", (char *)priorities[i], "x", "y");
        assert_int_equal(o.priority, i); /* BG_JOB_PRIORITY_FOREGROUND = 0 ... LOW = 3 */
        cli_options_free(&o);
    }
}

/* Issue 14: the on/off options set their field to exactly 1 (the rest of the program,
 * the JSON included, may compare them). */
static void switches_are_exactly_one(void **state)
{
    struct cli_options o;

    (void)state;
    ACCEPTED(&o, "transfer", "--no-helper-token", "--json", "--quiet", "--overwrite",
             "--allow-metered", "--name", "nightly", "x", "y");
    assert_int_equal(o.no_helper_token, 1);
    assert_int_equal(o.json, 1);
    assert_int_equal(o.quiet, 1);
    assert_int_equal(o.overwrite, 1);
    assert_int_equal(o.allow_metered, 1);
    assert_string_equal(o.name, "nightly");
    assert_int_equal(o.token_flags_given, 0);
    assert_int_equal(o.logon_type_given, 0);
    cli_options_free(&o);
    ACCEPTED(&o, "list", "-q");
    assert_int_equal(o.quiet, 1);
    assert_int_equal(o.json, 0);
    ACCEPTED(&o, "transfer", "--user", "A\\b", "--token-flags", "network", "--password-stdin",
             "x", "y");
    assert_int_equal(o.token_flags_given, 1);
    assert_int_equal(o.token_flags, BHT_TOKEN_NETWORK);
    assert_int_equal(o.password_source, PASSWORD_STDIN);
    assert_int_equal(o.sample_form, 0);
    cli_options_free(&o);
}

/* Issue 14: after "--" everything is a file, options included; a lone "-" is a file;
 * "-z" is an unknown option. */
static void double_dash_ends_the_options(void **state)
{
    struct cli_options o;

    (void)state;
    ACCEPTED(&o, "transfer", "--no-helper-token", "-", "--", "--json", "-x", "y");
    assert_int_equal(o.file_count, 2);
    assert_string_equal(o.files[0].remote, "-");
    assert_string_equal(o.files[0].local, "--json");
    assert_string_equal(o.files[1].remote, "-x");
    assert_string_equal(o.files[1].local, "y");
    assert_int_equal(o.json, 0);
    cli_options_free(&o);
    REFUSED("unknown option '-z' (see bitsht --help)", "transfer", "--no-helper-token", "-z",
            "x", "y");
    REFUSED("odd number of file arguments (3): each REMOTE needs a LOCAL", "transfer",
            "--no-helper-token", "x", "--", "y", "z");
}

/* Issue 14: the usage errors word for word (the e2e tests check a few through the
 * program; here every branch). */
static void usage_errors_word_for_word(void **state)
{
    (void)state;
    REFUSED("--no-helper-token cannot be combined with --user, a password option or "
            "--token-flags", "transfer", "--no-helper-token", "--password-stdin", "x", "y");
    REFUSED("--no-helper-token cannot be combined with --user, a password option or "
            "--token-flags", "transfer", "--no-helper-token", "--token-flags", "local", "x", "y");
    REFUSED("--no-helper-token cannot be combined with --user, a password option or "
            "--token-flags", "transfer", "--user", "A\\b", "x", "y", "--no-helper-token");
    REFUSED("no helper user: give --user DOMAIN\\USER, or --no-helper-token to transfer as "
            "yourself", "transfer", "--password-stdin", "x", "y");
    REFUSED("transfer needs REMOTE LOCAL pairs", "transfer", "--no-helper-token");
    REFUSED("token-flags: too many arguments", "token-flags", "{J}", "local", "extra");
    REFUSED("token-sid: too many arguments", "token-sid", "{J}", "local");
    REFUSED("token-sid: unknown option '--bogus'", "token-sid", "{J}", "--bogus");
    REFUSED("clear-token needs a job id ({GUID}, see bitsht list)", "clear-token", "--json");
    REFUSED("token-flags takes local, network, local,network or none, got 'nonE'", "token-flags",
            "{J}", "nonE");
    REFUSED("list: unexpected argument '--older-than'", "list", "--older-than", "5");
    REFUSED("cleanup: unexpected argument 'x'", "cleanup", "x");
    REFUSED("doctor: unexpected argument '--timeout'", "doctor", "--timeout", "5");
    REFUSED("doctor: a password option, --logon-type and --token-flags need --user "
            "DOMAIN\\USER", "doctor", "--password-stdin");
    REFUSED("doctor: a password option, --logon-type and --token-flags need --user "
            "DOMAIN\\USER", "doctor", "--logon-type", "batch");
    REFUSED("doctor: a password option, --logon-type and --token-flags need --user "
            "DOMAIN\\USER", "doctor", "--token-flags", "network");
    REFUSED("--logon-type takes interactive, network, network-cleartext, batch, service or "
            "new-credentials, got 'x'", "doctor", "--user", "A\\b", "--logon-type", "x");
    expect_usage_error(1, ARGV(NULL), "no command given (see bitsht --help)");
    /* six arguments: a command or an option first is not the sample form */
    REFUSED("list: unexpected argument 'a'", "list", "a", "b", "c", "d");
    REFUSED("unknown command '--jsonx' (see bitsht --help)", "--jsonx", "a", "b", "c", "d");
    REFUSED("unknown command '-x' (see bitsht --help)", "-x", "a", "b", "c", "d");
    REFUSED("the sample form takes REMOTE LOCAL DOMAIN USER PASSWORD and no options, but its "
            "PASSWORD argument looks like one: use 'bitsht transfer [options] REMOTE LOCAL'",
            "https://h/a", "/tmp/a", "CORP", "alice", "-q");
    REFUSED("the sample form takes REMOTE LOCAL DOMAIN USER PASSWORD and no options, but its "
            "PASSWORD argument looks like one: use 'bitsht transfer [options] REMOTE LOCAL'",
            "https://h/a", "/tmp/a", "CORP", "alice", "-h");
}

/* Issue 14: the sample form's password may start with one '-' (only "--...", -q and -h
 * look like options there); help and version by every name. */
static void sample_password_may_start_with_a_dash_and_help_names(void **state)
{
    struct cli_options o;
    char err[512], password[] = "-S3cret";

    (void)state;
    assert_int_equal(parse(&o, err, 6, (char *[]){"bitsht", "https://h/a", "/tmp/a", "CORP",
                                                  "alice", password, NULL}),
                     S_OK);
    assert_int_equal(o.sample_form, 1);
    assert_int_equal(o.command, CLI_TRANSFER);
    assert_string_equal(o.files[0].remote, "https://h/a");
    assert_string_equal(o.files[0].local, "/tmp/a");
    assert_int_equal(o.file_count, 1);
    assert_string_equal(o.user_arg, "alice");
    assert_string_equal(o.user, "alice");
    assert_string_equal(o.domain, "CORP");
    cli_options_free(&o);
    /* three slots of three lengths: each name is copied from its own slot */
    assert_int_equal(parse(&o, err, 6, (char *[]){"bitsht", "https://h/a", "/tmp/a",
                                                  "CORPORATION", "al", password, NULL}),
                     S_OK);
    assert_string_equal(o.domain, "CORPORATION");
    assert_string_equal(o.user, "al");
    cli_options_free(&o);
    REFUSED("the sample form takes REMOTE LOCAL DOMAIN USER PASSWORD and no options, but its "
            "LOCAL argument '-x' looks like one: use 'bitsht transfer [options] REMOTE LOCAL'",
            "https://h/a", "-x", "CORP", "alice", "pw");
    ACCEPTED(&o, "-h");
    assert_int_equal(o.command, CLI_HELP);
    ACCEPTED(&o, "help", "transfer");
    assert_int_equal(o.command, CLI_HELP);
    ACCEPTED(&o, "--help");
    assert_int_equal(o.command, CLI_HELP);
    ACCEPTED(&o, "--version");
    assert_int_equal(o.command, CLI_VERSION);
    ACCEPTED(&o, "clear-token", "{J}");
    assert_int_equal(o.command, CLI_CLEAR_TOKEN);
    ACCEPTED(&o, "list");
    assert_int_equal(o.command, CLI_LIST);
    ACCEPTED(&o, "doctor", "--user", "A\\b", "--password-env", "PW", "--token-flags", "network",
             "--json");
    assert_int_equal(o.command, CLI_DOCTOR);
    assert_int_equal(o.token_flags, BHT_TOKEN_NETWORK);
    assert_int_equal(o.json, 1);
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
        cmocka_unit_test(an_option_without_its_value_names_itself),
        cmocka_unit_test(limits_are_exact),
        cmocka_unit_test(user_and_domain_names_are_at_most_255_bytes),
        cmocka_unit_test(user_forms_taken_and_refused),
        cmocka_unit_test(password_env_names_at_the_edges_of_each_range),
        cmocka_unit_test(token_flags_parse_and_print),
        cmocka_unit_test(every_logon_type_and_priority_name),
        cmocka_unit_test(switches_are_exactly_one),
        cmocka_unit_test(double_dash_ends_the_options),
        cmocka_unit_test(usage_errors_word_for_word),
        cmocka_unit_test(sample_password_may_start_with_a_dash_and_help_names),
#ifndef _WIN32
        cmocka_unit_test(empty_environment_defaults_count_as_unset),
#endif
    };
    return cmocka_run_group_tests_name("cli_args", tests, NULL, NULL);
}
