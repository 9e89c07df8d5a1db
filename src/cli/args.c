/* bitsht CLI: argument parsing. Everything a user can get wrong is caught here or in
 * bht_request_validate, before any backend exists (exit 2). */
#include "args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static bht_hr usage_error(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return E_INVALIDARG;
}

/* The few allocations: refused with a message too (main prints err whatever failed). */
static bht_hr out_of_memory(char *err, size_t err_size)
{
    snprintf(err, err_size, "out of memory");
    return E_OUTOFMEMORY;
}

static int parse_u64(const char *text, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!text || !*text || *text == '-' || *text == '+')
        return 0;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end || v > max)
        return 0;
    *out = v;
    return 1;
}

uint32_t cli_parse_token_flags(const char *text)
{
    uint32_t flags = 0;
    const char *p = text;

    if (!text || !*text)
        return 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 5 && strncmp(p, "local", 5) == 0)
            flags |= BHT_TOKEN_LOCAL_FILE;
        else if (n == 7 && strncmp(p, "network", 7) == 0)
            flags |= BHT_TOKEN_NETWORK;
        else
            return 0;
        p += n;
        if (*p == ',') {
            p++;
            if (!*p)
                return 0;
        }
    }
    return flags;
}

const char *cli_token_flags_text(uint32_t flags)
{
    switch (flags & BHT_TOKEN_VALID_MASK) {
    case BHT_TOKEN_LOCAL_FILE: return "local";
    case BHT_TOKEN_NETWORK: return "network";
    case BHT_TOKEN_VALID_MASK: return "local,network";
    default: return "none";
    }
}

static int parse_logon_type(const char *text, enum bht_logon_type *out)
{
    static const struct { const char *name; enum bht_logon_type type; } types[] = {
        {"interactive", BHT_LOGON_INTERACTIVE}, {"network", BHT_LOGON_NETWORK},
        {"batch", BHT_LOGON_BATCH},             {"service", BHT_LOGON_SERVICE},
        {"network-cleartext", BHT_LOGON_NETWORK_CLEARTEXT},
        {"new-credentials", BHT_LOGON_NEW_CREDENTIALS},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(text, types[i].name) == 0) {
            *out = types[i].type;
            return 1;
        }
    return 0;
}

static int parse_priority(const char *text, int *out)
{
    static const char *const names[] = {"foreground", "high", "normal", "low"};
    for (int i = 0; i < 4; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return 1;
        }
    return 0;
}

/* DOMAIN\USER -> (DOMAIN, USER); USER@DOMAIN and USER stay whole with an empty domain
 * (LogonUserW takes a UPN only with a NULL domain). */
static int split_user(const char *arg, struct cli_options *o)
{
    const char *bs = strchr(arg, '\\');

    o->domain[0] = o->user[0] = '\0';
    if (bht_has_control_char(arg))
        return 0; /* before any prompt shows it: it would forge lines or drive the terminal */
    if (bs) {
        size_t dn = (size_t)(bs - arg);
        if (dn == 0 || dn >= sizeof o->domain || !bs[1] || strlen(bs + 1) >= sizeof o->user ||
            strchr(bs + 1, '\\'))
            return 0;
        memcpy(o->domain, arg, dn);
        o->domain[dn] = '\0';
        strcpy(o->user, bs + 1);
        return 1;
    }
    if (!*arg || strlen(arg) >= sizeof o->user || arg[0] == '@' || arg[strlen(arg) - 1] == '@')
        return 0;
    strcpy(o->user, arg);
    return 1;
}

/* An environment default; set but empty counts as unset, as shells usually mean it. */
static const char *env_value(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

static void set_defaults(struct cli_options *o)
{
    memset(o, 0, sizeof *o);
    o->command = CLI_HELP;
    o->backend = env_value("BITSHT_BACKEND");
    o->fake_world = env_value("BITSHT_FAKE_WORLD");
    o->fake_state = env_value("BITSHT_FAKE_STATE");
    o->token_flags = BHT_TOKEN_LOCAL_FILE; /* the sample's only flag */
    o->logon_type = BHT_LOGON_INTERACTIVE;
    o->timeout_s = 900;
    o->max_transient = -1;
    o->priority = -1;
}

/* Fails the calling parser (with its own failure value) when option a has no value. */
#define NEED_VALUE_OR(failure) \
    do { \
        if (*i + 1 >= argc) { \
            usage_error(err, err_size, "option %s needs a value", a); \
            return failure; \
        } \
    } while (0)

/* The common options that take a value (none may be empty: '--fake-state ""' is a
 * mistake, not "no state file"); NULL when a is not one of them. */
static const char **common_value_slot(const char *a, struct cli_options *o)
{
    if (strcmp(a, "--backend") == 0)
        return &o->backend;
    if (strcmp(a, "--fake-world") == 0)
        return &o->fake_world;
    if (strcmp(a, "--fake-state") == 0)
        return &o->fake_state;
    return NULL;
}

/* Options every command takes. Returns 1 when consumed (advancing *i), 0 when not ours,
 * -1 on error. */
static int common_option(int argc, char **argv, int *i, struct cli_options *o, char *err,
                         size_t err_size)
{
    const char *a = argv[*i];
    const char **slot;

    if (strcmp(a, "--json") == 0) {
        o->json = 1;
        return 1;
    }
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
        o->quiet = 1;
        return 1;
    }
    slot = common_value_slot(a, o);
    if (!slot)
        return 0;
    NEED_VALUE_OR(-1);
    if (!*argv[*i + 1]) {
        usage_error(err, err_size, "option %s needs a non-empty value", a);
        return -1;
    }
    *slot = argv[++*i];
    return 1;
}

/* A portable environment variable name: a letter or '_', then letters, digits, '_'. */
static int is_variable_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

static bht_hr transfer_option(int argc, char **argv, int *i, struct cli_options *o, char *err,
                              size_t err_size)
{
    const char *a = argv[*i];
    uint64_t v;

    if (strcmp(a, "--user") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        o->user_arg = argv[++*i];
        if (!split_user(o->user_arg, o))
            return usage_error(err, err_size, "--user takes DOMAIN\\USER or USER@DOMAIN, got '%s'",
                               o->user_arg);
    } else if (strcmp(a, "--password-stdin") == 0) {
        o->password_source = PASSWORD_STDIN;
    } else if (strcmp(a, "--password-env") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        o->password_source = PASSWORD_ENV;
        o->password_env = argv[++*i];
        if (!is_variable_name(o->password_env)) {
            /* Maybe the password itself, given by mistake: never repeat it, and take it
             * off the command line (ps) at once. */
            bht_wipe(argv[*i], strlen(argv[*i]));
            return usage_error(err, err_size,
                               "--password-env takes the NAME of an environment variable "
                               "(letters, digits, '_'); what was given is not one and is not "
                               "repeated (it is wiped from the command line)");
        }
    } else if (strcmp(a, "--token-flags") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        o->token_flags = cli_parse_token_flags(argv[++*i]);
        o->token_flags_given = 1;
        if (!o->token_flags)
            return usage_error(err, err_size,
                               "--token-flags takes local, network or local,network, got '%s'",
                               argv[*i]);
    } else if (strcmp(a, "--logon-type") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        if (!parse_logon_type(argv[++*i], &o->logon_type))
            return usage_error(err, err_size,
                               "--logon-type takes interactive, network, network-cleartext, "
                               "batch, service or new-credentials, got '%s'", argv[*i]);
        o->logon_type_given = 1;
    } else if (strcmp(a, "--no-helper-token") == 0) {
        o->no_helper_token = 1;
    } else if (strcmp(a, "--timeout") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        if (!parse_u64(argv[++*i], 30u * 24 * 3600, &v))
            return usage_error(err, err_size,
                               "--timeout takes whole seconds (0 = no deadline), got '%s'",
                               argv[*i]);
        o->timeout_s = (uint32_t)v;
    } else if (strcmp(a, "--max-transient") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        if (!parse_u64(argv[++*i], 1000000, &v))
            return usage_error(err, err_size, "--max-transient takes a count, got '%s'", argv[*i]);
        o->max_transient = (int)v;
    } else if (strcmp(a, "--name") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        o->name = argv[++*i];
    } else if (strcmp(a, "--priority") == 0) {
        NEED_VALUE_OR(E_INVALIDARG);
        if (!parse_priority(argv[++*i], &o->priority))
            return usage_error(err, err_size,
                               "--priority takes foreground, high, normal or low, got '%s'",
                               argv[*i]);
    } else if (strcmp(a, "--overwrite") == 0) {
        o->overwrite = 1;
    } else if (strcmp(a, "--allow-metered") == 0) {
        o->allow_metered = 1;
    } else {
        return S_FALSE;
    }
    return S_OK;
}

static bht_hr parse_transfer(int argc, char **argv, int i, struct cli_options *o, char *err,
                             size_t err_size)
{
    char **pos = calloc((size_t)argc, sizeof *pos);
    size_t npos = 0;
    bht_hr hr = S_OK;

    if (!pos)
        return out_of_memory(err, err_size);
    for (; i < argc; i++) {
        const char *a = argv[i];
        int c;

        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                pos[npos++] = argv[i];
            break;
        }
        if (a[0] != '-' || a[1] == '\0') {
            pos[npos++] = argv[i];
            continue;
        }
        c = common_option(argc, argv, &i, o, err, err_size);
        if (c < 0) {
            hr = E_INVALIDARG;
            goto out;
        }
        if (c > 0)
            continue;
        hr = transfer_option(argc, argv, &i, o, err, err_size);
        if (BHT_FAILED(hr))
            goto out;
        if (hr == S_FALSE) {
            hr = usage_error(err, err_size, "unknown option '%s' (see bitsht --help)", a);
            goto out;
        }
    }
    if (npos == 0) {
        hr = usage_error(err, err_size, "transfer needs REMOTE LOCAL pairs");
        goto out;
    }
    if (npos % 2) {
        hr = usage_error(err, err_size,
                         "odd number of file arguments (%zu): each REMOTE needs a LOCAL", npos);
        goto out;
    }
    if (o->no_helper_token && (o->user_arg || o->password_source != PASSWORD_NONE ||
                               o->token_flags_given)) {
        hr = usage_error(err, err_size,
                         "--no-helper-token cannot be combined with --user, a password option "
                         "or --token-flags");
        goto out;
    }
    if (!o->no_helper_token && !o->user_arg) {
        hr = usage_error(err, err_size,
                         "no helper user: give --user DOMAIN\\USER, or --no-helper-token to "
                         "transfer as yourself");
        goto out;
    }
    o->file_count = npos / 2;
    o->files = calloc(o->file_count, sizeof *o->files);
    if (!o->files) {
        hr = out_of_memory(err, err_size);
        goto out;
    }
    for (size_t k = 0; k < o->file_count; k++) {
        o->files[k].remote = pos[2 * k];
        o->files[k].local = pos[2 * k + 1];
    }
out:
    free(pos);
    return hr;
}

/* A sample-form slot that a user meant as an option ("bitsht URL L --fake-state S
 * --overwrite" has six arguments too). The password slot may start with one '-'. */
static int looks_like_option(const char *a, int password_slot)
{
    if (password_slot)
        return strncmp(a, "--", 2) == 0 || strcmp(a, "-q") == 0 || strcmp(a, "-h") == 0;
    return a[0] == '-';
}

/* The documented sample's form: bitsht REMOTE LOCAL DOMAIN USER PASSWORD. */
static bht_hr parse_sample_form(char **argv, struct cli_options *o, char *err, size_t err_size)
{
    static const char *const slots[] = {"REMOTE", "LOCAL", "DOMAIN", "USER"};
    static const char sample_only[] =
        "the sample form takes REMOTE LOCAL DOMAIN USER PASSWORD and no options";
    static const char use_transfer[] = "use 'bitsht transfer [options] REMOTE LOCAL'";
    size_t dn = strlen(argv[3]), un = strlen(argv[4]);

    o->password_argv = argv[5]; /* first: the caller wipes it whatever happens next */
    for (int k = 2; k <= 4; k++)
        if (looks_like_option(argv[k], 0))
            return usage_error(err, err_size, "%s, but its %s argument '%s' looks like one: %s",
                               sample_only, slots[k - 1], argv[k], use_transfer);
    if (looks_like_option(argv[5], 1)) /* never repeated: it is the password */
        return usage_error(err, err_size, "%s, but its PASSWORD argument looks like one: %s",
                           sample_only, use_transfer);
    if (un == 0)
        return usage_error(err, err_size, "the sample form needs a USER name (it is empty)");
    if (dn >= sizeof o->domain || un >= sizeof o->user)
        return usage_error(err, err_size, "the %s name is longer than %zu bytes",
                           dn >= sizeof o->domain ? "DOMAIN" : "USER", sizeof o->user - 1);
    o->command = CLI_TRANSFER;
    o->sample_form = 1;
    o->files = calloc(1, sizeof *o->files);
    if (!o->files)
        return out_of_memory(err, err_size);
    o->files[0].remote = argv[1];
    o->files[0].local = argv[2];
    o->file_count = 1;
    memcpy(o->domain, argv[3], dn + 1);
    memcpy(o->user, argv[4], un + 1);
    o->user_arg = argv[4];
    o->password_source = PASSWORD_ARGV;
    return S_OK;
}

static int is_command(const char *a)
{
    static const char *const cmds[] = {"transfer", "token-sid", "token-flags", "clear-token",
                                       "list", "cleanup", "doctor", "help"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(a, cmds[i]) == 0)
            return 1;
    return 0;
}

static bht_hr parse_job_command(int argc, char **argv, int i, struct cli_options *o, char *err,
                                size_t err_size)
{
    const char *cmd = argv[i - 1];
    const char *pos[2] = {NULL, NULL};
    int npos = 0;

    for (; i < argc; i++) {
        int c;
        if (argv[i][0] != '-') {
            if (npos == 2)
                return usage_error(err, err_size, "%s: too many arguments", cmd);
            pos[npos++] = argv[i];
            continue;
        }
        c = common_option(argc, argv, &i, o, err, err_size);
        if (c < 0)
            return E_INVALIDARG;
        if (c == 0)
            return usage_error(err, err_size, "%s: unknown option '%s'", cmd, argv[i]);
    }
    if (npos == 0)
        return usage_error(err, err_size, "%s needs a job id ({GUID}, see bitsht list)", cmd);
    o->job_id = pos[0];
    if (npos == 2) {
        if (o->command != CLI_TOKEN_FLAGS)
            return usage_error(err, err_size, "%s: too many arguments", cmd);
        if (strcmp(pos[1], "none") == 0)
            o->token_flags = 0;
        else if (!(o->token_flags = cli_parse_token_flags(pos[1])))
            return usage_error(err, err_size,
                               "token-flags takes local, network, local,network or none, got '%s'",
                               pos[1]);
        o->token_flags_given = 1;
    }
    return S_OK;
}

static bht_hr parse_list_or_cleanup(int argc, char **argv, int i, struct cli_options *o,
                                    char *err, size_t err_size)
{
    const char *cmd = argv[i - 1];

    for (; i < argc; i++) {
        int c = common_option(argc, argv, &i, o, err, err_size);
        if (c < 0)
            return E_INVALIDARG;
        if (c > 0)
            continue;
        if (o->command == CLI_CLEANUP && strcmp(argv[i], "--older-than") == 0) {
            if (i + 1 >= argc || !parse_u64(argv[i + 1], UINT64_MAX / 1000, &o->older_than_s))
                return usage_error(err, err_size, "--older-than takes whole seconds");
            o->older_than_given = 1;
            i++;
            continue;
        }
        return usage_error(err, err_size, "%s: unexpected argument '%s'", cmd, argv[i]);
    }
    return S_OK;
}

/* doctor [--json] [--user U [--password-stdin|--password-env VAR] [--logon-type T]
 * [--token-flags F]]: the helper options mean what they mean for transfer. */
static bht_hr parse_doctor(int argc, char **argv, int i, struct cli_options *o, char *err,
                           size_t err_size)
{
    static const char *const helper_options[] = {"--user", "--password-stdin",
                                                 "--password-env", "--logon-type",
                                                 "--token-flags"};

    for (; i < argc; i++) {
        int c = common_option(argc, argv, &i, o, err, err_size);
        size_t k;

        if (c < 0)
            return E_INVALIDARG;
        if (c > 0)
            continue;
        for (k = 0; k < sizeof helper_options / sizeof helper_options[0]; k++)
            if (strcmp(argv[i], helper_options[k]) == 0)
                break;
        if (k == sizeof helper_options / sizeof helper_options[0])
            return usage_error(err, err_size, "doctor: unexpected argument '%s'", argv[i]);
        if (BHT_FAILED(transfer_option(argc, argv, &i, o, err, err_size)))
            return E_INVALIDARG;
    }
    if (!o->user_arg && (o->password_source != PASSWORD_NONE || o->logon_type_given ||
                         o->token_flags_given))
        return usage_error(err, err_size,
                           "doctor: a password option, --logon-type and --token-flags need "
                           "--user DOMAIN\\USER");
    return S_OK;
}

bht_hr cli_parse(int argc, char **argv, struct cli_options *o, char *err, size_t err_size)
{
    const char *cmd;

    set_defaults(o);
    err[0] = '\0';
    if (argc < 2)
        return usage_error(err, err_size, "no command given (see bitsht --help)");
    cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        o->command = CLI_HELP;
        return S_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        o->command = CLI_VERSION;
        return S_OK;
    }
    if (argc == 6 && !is_command(cmd) && cmd[0] != '-')
        return parse_sample_form(argv, o, err, err_size);
    if (strcmp(cmd, "transfer") == 0) {
        o->command = CLI_TRANSFER;
        return parse_transfer(argc, argv, 2, o, err, err_size);
    }
    if (strcmp(cmd, "token-sid") == 0 || strcmp(cmd, "clear-token") == 0 ||
        strcmp(cmd, "token-flags") == 0) {
        o->command = cmd[0] == 'c' ? CLI_CLEAR_TOKEN
                     : strcmp(cmd, "token-sid") == 0 ? CLI_TOKEN_SID
                                                     : CLI_TOKEN_FLAGS;
        return parse_job_command(argc, argv, 2, o, err, err_size);
    }
    if (strcmp(cmd, "doctor") == 0) {
        o->command = CLI_DOCTOR;
        return parse_doctor(argc, argv, 2, o, err, err_size);
    }
    if (strcmp(cmd, "list") == 0 || strcmp(cmd, "cleanup") == 0) {
        o->command = cmd[0] == 'l' ? CLI_LIST : CLI_CLEANUP;
        return parse_list_or_cleanup(argc, argv, 2, o, err, err_size);
    }
    return usage_error(err, err_size, "unknown command '%s' (see bitsht --help)", cmd);
}

void cli_options_free(struct cli_options *o)
{
    free(o->files);
    o->files = NULL;
}
