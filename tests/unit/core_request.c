/* bitsht: request validation (docs/design.md step 1; docs/contract.md, C16-C18). Bad
 * input is refused with a sentence naming the problem, before any backend call. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkfifo, symlink, alarm */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <cmocka.h>

#include "bitsht/job.h"
#include "destination.h"
#include "fake_support.h" /* assert_hr, a temporary folder per test */

#include <errno.h>
#ifndef _WIN32
#include <unistd.h> /* symlink */
#endif

struct request_case {
    const char *remote;
    const char *local;
    int valid;
    const char *detail_part; /* expected in report.detail when invalid */
};

static const struct request_case cases[] = {
    {"https://cdn.example/a.bin", "/srv/out/a.bin", 1, NULL},
#ifdef _WIN32
    {"HTTP://cdn.example/a.bin", "C:\\out\\a.bin", 1, NULL},
    {"\\\\fs01\\share\\a.bin", "D:/out/a.bin", 1, NULL},
    {"/srv/in/a.bin", "\\\\server\\share\\a.bin", 1, NULL},
#else
    /* Issue 13 item 15: the POSIX build writes POSIX paths only. */
    {"HTTP://cdn.example/a.bin", "C:\\out\\a.bin", 0, "Windows path"},
    {"\\\\fs01\\share\\a.bin", "D:/out/a.bin", 0, "Windows path"},
    {"/srv/in/a.bin", "\\\\server\\share\\a.bin", 0, "Windows path"},
#endif
    {"file:///srv/in/a.bin", "/srv/out/a.bin", 1, NULL},
    {"C:\\in\\a.bin", "/srv/out/a.bin", 1, NULL},
    /* Issue 12 item 9: URLs WinHTTP cannot parse never reach a job. */
    {"https://cdn.example:8443/a%20b.bin?x=1#f", "/srv/out/a.bin", 1, NULL},
    {"http://user@[2001:db8::1]:80/a", "/srv/out/a.bin", 1, NULL},
    {"http://10.0.0.1:65535/a", "/srv/out/a.bin", 1, NULL},
    {"http://host.example./a", "/srv/out/a.bin", 1, NULL},
    {"https://cdn.example/a b.bin", "/srv/out/a.bin", 0, "URL contains a space"},
    {"https://cdn example/a.bin", "/srv/out/a.bin", 0, "URL contains a space"},
    {"https://cdn.example/a\tb", "/srv/out/a.bin", 0, "control character"},
    {"https://cdn.example/a\x7f", "/srv/out/a.bin", 0, "control character"},
    {"https://cdn.example/a%2", "/srv/out/a.bin", 0, "malformed percent escape"},
    {"https://cdn.example/a%zz", "/srv/out/a.bin", 0, "malformed percent escape"},
    {"https://cdn.example/a%", "/srv/out/a.bin", 0, "malformed percent escape"},
    {"https://:80/a", "/srv/out/a.bin", 0, "no host"},
    {"https://user@/a", "/srv/out/a.bin", 0, "no host"},
    {"https://cdn..example/a", "/srv/out/a.bin", 0, "empty label"},
    {"https://.cdn.example/a", "/srv/out/a.bin", 0, "empty label"},
    {"https://cdn.exa$mple/a", "/srv/out/a.bin", 0, "invalid character in its host"},
    {"https://[fe80::1/a", "/srv/out/a.bin", 0, "malformed IPv6"},
    {"https://[]/a", "/srv/out/a.bin", 0, "malformed IPv6"},
    {"https://[::1]x/a", "/srv/out/a.bin", 0, "malformed IPv6"},
    {"https://[g::1]/a", "/srv/out/a.bin", 0, "malformed IPv6"},
    {"https://cdn.example:0/a", "/srv/out/a.bin", 0, "outside 1-65535"},
    {"https://cdn.example:65536/a", "/srv/out/a.bin", 0, "outside 1-65535"},
    {"https://cdn.example:99999999999999999999/a", "/srv/out/a.bin", 0, "outside 1-65535"},
    {"https://cdn.example:/a", "/srv/out/a.bin", 0, "empty port"},
    {"https://cdn.example:8o/a", "/srv/out/a.bin", 0, "not a number"},
    /* Names BITS takes as UTF-16 and Windows as file names. */
    {"https://cdn.example/\xff", "/srv/out/a.bin", 0, "remote name is not valid UTF-8"},
    {"https://cdn.example/a", "/srv/out/\xc3\x28", 0, "local name is not valid UTF-8"},
    {"https://cdn.example/a", "/srv/out/\xed\xa0\x80", 0, "not valid UTF-8"}, /* surrogate */
    {"https://cdn.example/a", "/srv/out/\xc0\xaf", 0, "not valid UTF-8"},     /* overlong */
    {"https://cdn.example/a", "/srv/out/\xf4\x90\x80\x80", 0, "not valid UTF-8"}, /* >10FFFF */
    {"https://cdn.example/a", "/srv/out/a\nb", 0, "local name contains a control"},
    {"https://cdn.example/a", "/srv/out/\xe2\x82\xac.bin", 1, NULL},
    {"\\\\fs01\\share\\a\x1b[2J", "/srv/out/a.bin", 0, "remote name contains a control"},
    {"", "/srv/out/a.bin", 0, "remote name is empty"},
    {"ftp://example.com/a", "/srv/out/a.bin", 0, "unsupported URL scheme"},       /* C17 */
    {"https://", "/srv/out/a.bin", 0, "no host"},
    {"https:///path", "/srv/out/a.bin", 0, "no host"},
    {"relative/path", "/srv/out/a.bin", 0, "neither a URL nor a full path"},       /* C18 */
    {"\\\\server", "/srv/out/a.bin", 0, "malformed UNC"},
    {"https://cdn.example/a", "", 0, "local name is empty"},
    {"https://cdn.example/a", "out/a.bin", 0, "not a full path"},                 /* C16 */
    {"https://cdn.example/a", "a.bin", 0, "not a full path"},
    {"https://cdn.example/a", "/srv/out/*.bin", 0, "wildcard"},
#ifdef _WIN32
    {"https://cdn.example/a", "C:\\out\\*.bin", 0, "wildcard"},
    {"https://cdn.example/a", "C:\\out\\a.bin:stream", 0, "NTFS stream"},
#endif
    {"https://cdn.example/a", "\\\\?\\C:\\out\\a.bin", 0, "not a full path"},
#ifndef _WIN32
    {"https://cdn.example/a", "/srv/out/a:b.bin", 1, NULL}, /* ':' is a POSIX name's */
#endif
    {"https://cdn.example/a", "/srv/out/", 0, "directory"},
};

static void init(struct bht_request *req, struct bht_file_pair *pair, char *password)
{
    memset(req, 0, sizeof *req);
    req->files = pair;
    req->file_count = 1;
    req->use_helper_token = 1;
    req->domain = "CORP";
    req->user = "alice";
    req->password = password;
    req->token_flags = BHT_TOKEN_LOCAL_FILE;
    req->logon_type = BHT_LOGON_INTERACTIVE;
    req->priority = -1;
    req->max_transient = -1;
}

static void file_pairs_are_validated(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct bht_request req;
        struct bht_report rep;
        struct bht_file_pair pair = {cases[i].remote, cases[i].local};
        char password[] = "x";
        bht_hr hr;

        init(&req, &pair, password);
        memset(&rep, 0, sizeof rep);
        hr = bht_request_validate(&req, &rep);
        if (cases[i].valid) {
            if (hr != S_OK)
                fail_msg("case %zu (%s -> %s) refused: %s", i, cases[i].remote, cases[i].local,
                         rep.detail);
        } else {
            assert_hr(E_INVALIDARG, hr);
            assert_int_equal(rep.outcome, BHT_OUTCOME_BAD_INPUT);
            assert_int_equal(rep.failed_step, BHT_STEP_VALIDATE);
            if (!strstr(rep.detail, cases[i].detail_part))
                fail_msg("case %zu: detail '%s' does not mention '%s'", i, rep.detail,
                         cases[i].detail_part);
        }
    }
}

static void long_names_are_refused(void **state)
{
    static char remote[2300], local[300], name[300];
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {remote, "/srv/out/a.bin"};
    char password[] = "x";

    (void)state;
    memset(remote, 'a', sizeof remote - 1);
    memcpy(remote, "https://h/", 10); /* 2299 characters > 2200 (§2.4) */
    init(&req, &pair, password);
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "2200"));

    memset(local, 'b', sizeof local - 1);
    local[0] = '/'; /* 299 characters > MAX_PATH */
    pair.remote = "https://h/x";
    pair.local = local;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "MAX_PATH"));

    memset(name, 'n', sizeof name - 1); /* 299 + "bitsht:" > 256 (C02, C86) */
    pair.local = "/srv/out/a.bin";
    req.display_name = name;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "job name"));
}

static bht_hr validate_name(const char *name)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {"https://h/x", "/srv/out/a.bin"};
    char password[] = "x";

    init(&req, &pair, password);
    req.display_name = name;
    return bht_request_validate(&req, &rep);
}

/* Fills buf with count copies of the UTF-8 sequence unit. */
static char *repeat(char *buf, const char *unit, size_t count)
{
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++)
        strcat(buf, unit);
    return buf;
}

/* Issue 13 item 15, C02/C86: a job name is at most 256 UTF-16 units with "bitsht:", so
 * 249 for the user's part, an astral character counting 2. */
static void job_name_limit_counts_utf16_units(void **state)
{
    static char name[4 * 300];

    (void)state;
    assert_hr(S_OK, validate_name(repeat(name, "n", 249)));
    assert_hr(E_INVALIDARG, validate_name(repeat(name, "n", 250)));
    assert_hr(S_OK, validate_name(repeat(name, "\xe2\x82\xac", 249)));       /* U+20AC */
    assert_hr(S_OK, validate_name(repeat(name, "\xf0\x9f\x98\x80", 124)));   /* 248 units */
    assert_hr(S_OK, validate_name(strcat(repeat(name, "\xf0\x9f\x98\x80", 124), "n")));
    assert_hr(E_INVALIDARG, validate_name(repeat(name, "\xf0\x9f\x98\x80", 125)));
    assert_hr(E_INVALIDARG, validate_name(repeat(name, "\xf0\x9f\x98\x80", 249)));
    assert_hr(E_INVALIDARG, validate_name("tab\there"));
    assert_hr(E_INVALIDARG, validate_name("bad\xff"));
}

/* The validation of one pair with that local name; returns its HRESULT, detail in rep. */
static bht_hr validate_local(const char *local, struct bht_report *rep)
{
    struct bht_request req;
    struct bht_file_pair pair = {"https://h/x", local};
    char password[] = "x";

    init(&req, &pair, password);
    memset(rep, 0, sizeof *rep);
    return bht_request_validate(&req, rep);
}

/* Issue 13 item 15: one component of a local name holds at most 255 characters (NTFS)
 * and, on POSIX file systems, 255 bytes (NAME_MAX): refused before any job, not at
 * AddFile. */
static void local_component_limit_is_checked_at_the_maximum(void **state)
{
    static char local[600];
    struct bht_report rep;

    (void)state;
    strcpy(local, "/s/");
    repeat(local + 3, "c", 255);
    assert_hr(S_OK, validate_local(local, &rep));
    strcat(local, "c"); /* 256 */
    assert_hr(E_INVALIDARG, validate_local(local, &rep));
    assert_non_null(strstr(rep.detail, "component of the local name is longer than 255"));
    strcat(local, "/x"); /* not only the last component */
    assert_hr(E_INVALIDARG, validate_local(local, &rep));
    strcpy(local, "/s/");
    repeat(local + 3, "\xc3\xa9", 128); /* 128 characters, 256 bytes */
#ifdef _WIN32
    assert_hr(S_OK, validate_local(local, &rep));
#else
    assert_hr(E_INVALIDARG, validate_local(local, &rep));
    assert_non_null(strstr(rep.detail, "255 bytes"));
    repeat(local + 3, "\xc3\xa9", 127); /* 254 bytes */
    assert_hr(S_OK, validate_local(local, &rep));
#endif
}

#ifndef _WIN32
struct scratch {
    char dir[64];
    char path[128];
};

static const char *scratch_path(struct scratch *s, const char *name)
{
    snprintf(s->path, sizeof s->path, "%s/%s", s->dir, name);
    return s->path;
}

static void expect_refused(const char *local, int overwrite, const char *detail_part)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {"https://h/x", local};
    char password[] = "x";

    init(&req, &pair, password);
    req.overwrite = overwrite;
    memset(&rep, 0, sizeof rep);
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    if (!strstr(rep.detail, detail_part))
        fail_msg("%s (overwrite %d): detail '%s' lacks '%s'", local, overwrite, rep.detail,
                 detail_part);
}

/* Issue 13 item 12 (and item 1's stat rule): what is at the destination is asked
 * without opening it. A FIFO would block an open for reading forever, so the alarm
 * turns a regression into a failure, not a hang. Not-a-file is refused even with
 * --overwrite; anything stat cannot answer (ELOOP, ENOTDIR) counts as "maybe there". */
static void destinations_are_checked_without_opening_them(void **state)
{
    struct scratch s;
    FILE *f;

    (void)state;
    strcpy(s.dir, "/tmp/bht-request-XXXXXX");
    assert_non_null(mkdtemp(s.dir));
    alarm(20);
    assert_int_equal(mkfifo(scratch_path(&s, "fifo"), 0600), 0);
    expect_refused(s.path, 0, "is not a regular file");
    expect_refused(s.path, 1, "is not a regular file");
    expect_refused(s.dir, 1, "is not a regular file"); /* a folder named without '/' */
    assert_int_equal(symlink("fifo", scratch_path(&s, "to-fifo")), 0);
    expect_refused(s.path, 1, "is not a regular file");
    assert_int_equal(symlink("nowhere", scratch_path(&s, "dangling")), 0);
    expect_refused(s.path, 0, "already exists");
    assert_int_equal(symlink("loop", scratch_path(&s, "loop")), 0);
    expect_refused(s.path, 1, "cannot tell whether");
    f = fopen(scratch_path(&s, "file"), "wb");
    assert_non_null(f);
    fclose(f);
    expect_refused(s.path, 0, "already exists");
    strcat(s.path, "/below");
    expect_refused(s.path, 1, "cannot tell whether"); /* ENOTDIR */
    alarm(0);
    {
        struct bht_report rep;
        assert_hr(S_OK, validate_local(scratch_path(&s, "absent"), &rep));
    }
    remove(scratch_path(&s, "file"));
    remove(scratch_path(&s, "loop"));
    remove(scratch_path(&s, "dangling"));
    remove(scratch_path(&s, "to-fifo"));
    remove(scratch_path(&s, "fifo"));
    rmdir(s.dir);
}
#endif

static void helper_settings_are_validated(void **state)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {"https://h/x", "/srv/out/a.bin"};
    char password[] = "x";

    (void)state;
    init(&req, &pair, password);
    req.token_flags = 0x4; /* C94: only LOCAL_FILE|NETWORK are flags */
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.token_flags = 0;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.user = "";
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "user name"));
    /* A name with a newline forged stage lines and reached LogonUser (exit 3). */
    init(&req, &pair, password);
    req.user = "al\nice";
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_string_equal(rep.detail, "the helper's user or domain name contains a control character");
    init(&req, &pair, password);
    req.domain = "CO\x1bRP";
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.user = "al\xffice";
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_string_equal(rep.detail, "the helper's user or domain name is not valid UTF-8");
    init(&req, &pair, password);
    req.logon_type = (enum bht_logon_type)7; /* UNLOCK: not a type bitsht offers */
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.priority = 4;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.use_helper_token = 0;
    req.token_flags = 0;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
}

static void duplicate_destinations_are_refused(void **state)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pairs[2] = {{"https://h/x", "/srv/out/a.bin"},
                                     {"https://h/y", "/srv/out/a.bin"}};
    char password[] = "x";

    (void)state;
    init(&req, pairs, password);
    req.file_count = 2;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "same local file"));
    req.file_count = 0;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
}

/* Issue 13 item 1: only ENOENT means "absent"; EACCES (a folder the user may not
 * search, a file fopen cannot read), ELOOP, ENOTDIR... mean "it may exist": refuse. */
static void only_enoent_counts_as_absent(void **state)
{
    static const int maybe[] = {EACCES, ENOTDIR, ENAMETOOLONG, EPERM, EIO, ENOMEM, EINVAL,
#ifdef ELOOP
                                ELOOP,
#endif
                                0};

    (void)state;
    assert_int_equal(bht_dest_status_from_lstat(-1, ENOENT), BHT_DEST_ABSENT);
    assert_int_equal(bht_dest_status_from_lstat(0, 0), BHT_DEST_EXISTS);
    for (size_t i = 0; maybe[i]; i++)
        assert_int_equal(bht_dest_status_from_lstat(-1, maybe[i]), BHT_DEST_UNKNOWN);
}

static void write_file(const char *path)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    fputs("mine\n", fp);
    fclose(fp);
}

/* Item 1 as root can show it: fopen("rb") fails on a dangling link and on a path under a
 * file, and the old check called both absent. */
static void a_destination_that_cannot_be_opened_is_not_absent(void **state)
{
    struct fake_t *t = *state;
    struct bht_report rep;
    char file[600];
#ifndef _WIN32
    char under_file[700];
#endif

    fake_t_path(t, file, sizeof file, "plain");
    write_file(file);
#ifndef _WIN32 /* Windows' CRT answers ENOENT under a file, and has no symlinks */
    snprintf(under_file, sizeof under_file, "%s/x", file);
    assert_hr(E_INVALIDARG, validate_local(under_file, &rep));
    assert_int_equal(rep.outcome, BHT_OUTCOME_BAD_INPUT);
    assert_non_null(strstr(rep.detail, "cannot tell whether"));
    {
        char link[600];
        fake_t_path(t, link, sizeof link, "dangling");
        assert_int_equal(symlink("/nonexistent/target", link), 0);
        assert_hr(E_INVALIDARG, validate_local(link, &rep));
        assert_non_null(strstr(rep.detail, "already exists"));
    }
#endif
    fake_t_path(t, file, sizeof file, "absent");
    assert_hr(S_OK, validate_local(file, &rep));
}

/* Item 3: one file under several spellings is one destination. */
static void aliased_destinations_are_refused_as_duplicates(void **state)
{
    struct fake_t *t = *state;
    static const char *const aliases[] = {"//x", "/./x", "/a/../x", "/gone/../x", "/a/./../x"};
    char base[600], sub[600], alias[700];
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pairs[2];
    char password[] = "x";

    fake_t_path(t, base, sizeof base, "x");
    fake_t_path(t, sub, sizeof sub, "a");
    fake_t_mkdir(sub);
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        snprintf(alias, sizeof alias, "%s%s", t->dir, aliases[i]);
        pairs[0].remote = "https://h/1";
        pairs[0].local = base;
        pairs[1].remote = "https://h/2";
        pairs[1].local = alias;
        init(&req, pairs, password);
        req.file_count = 2;
        memset(&rep, 0, sizeof rep);
        if (bht_request_validate(&req, &rep) != E_INVALIDARG || !strstr(rep.detail, "same local"))
            fail_msg("'%s' and '%s' passed as two files: %s", base, alias, rep.detail);
    }
#ifndef _WIN32
    { /* a symlinked folder: the real path decides */
        char link[600];
        fake_t_path(t, link, sizeof link, "lnk");
        assert_int_equal(symlink(t->dir, link), 0);
        snprintf(alias, sizeof alias, "%s/x", link);
        pairs[1].local = alias;
        assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
        assert_non_null(strstr(rep.detail, "same local"));
    }
#else
    snprintf(alias, sizeof alias, "%s\\X", t->dir);
    pairs[1].local = alias;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep)); /* NTFS: no case */
#endif
    snprintf(alias, sizeof alias, "%s/a/x", t->dir); /* a different file */
    pairs[1].local = alias;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    fake_t_rmdir(sub);
}

static void hresults_have_names_and_messages(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(bht_hr_name(BG_E_EMPTY), "BG_E_EMPTY");
    assert_string_equal(bht_hr_name(BHT_BG_E_HTTP_ERROR(404)), "BG_E_HTTP_ERROR_404");
    assert_string_equal(bht_hr_name(BHT_E_LOGON_FAILURE), "HRESULT_FROM_WIN32(ERROR_LOGON_FAILURE)");
    assert_null(bht_hr_name(BHT_HR(0x80071234u)));
    assert_string_equal(bht_hr_format(E_NOINTERFACE, buf, sizeof buf), "0x80004002 (E_NOINTERFACE)");
    assert_string_equal(bht_hr_format(BHT_HR(0x80071234u), buf, sizeof buf), "0x80071234");
    assert_string_equal(bht_hr_message(BHT_E_LOGON_FAILURE), "wrong user name or password");
    assert_int_equal((uint32_t)BHT_HR_FROM_WIN32(1326), 0x8007052Eu);
    assert_string_equal(bht_job_state_name(BHT_JOB_TRANSIENT_ERROR), "TRANSIENT_ERROR");
    assert_int_equal(bht_outcome_exit_code(BHT_OUTCOME_UNAVAILABLE), 5);
    assert_true(bht_hr_means_unavailable(REGDB_E_CLASSNOTREG));
    assert_true(bht_hr_means_unavailable(BHT_HR(0x800706BEu))); /* service died (Wine) */
    assert_false(bht_hr_means_unavailable(E_ACCESSDENIED));
}

/* ---------------------------------------------------------------------------------------
 * Issue 14: exact details, and each limit at the value itself and one past it. */

/* The detail of validating one pair (and the request's other settings from init). */
static bht_hr validate_pair(const char *remote, const char *local, struct bht_report *rep)
{
    struct bht_request req;
    struct bht_file_pair pair = {remote, local};
    char password[] = "x";

    init(&req, &pair, password);
    memset(rep, 0x5A, sizeof *rep);
    return bht_request_validate(&req, rep);
}

static void assert_refused_with(bht_hr hr, const struct bht_report *rep, const char *detail)
{
    assert_hr(E_INVALIDARG, hr);
    assert_int_equal(rep->outcome, BHT_OUTCOME_BAD_INPUT);
    assert_int_equal(rep->failed_step, BHT_STEP_VALIDATE);
    assert_hr(E_INVALIDARG, rep->hr);
    assert_string_equal(rep->detail, detail);
}

static void null_arguments_are_e_pointer(void **state)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {"https://h/x", "/srv/out/a.bin"};
    char password[] = "x";

    (void)state;
    init(&req, &pair, password);
    assert_hr(E_POINTER, bht_request_validate(NULL, &rep));
    assert_hr(E_POINTER, bht_request_validate(&req, NULL));
}

/* C16-C18: the detail names the pair (1-based), the problem and the name as given. */
static void details_name_the_pair_the_problem_and_the_name(void **state)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pairs[2] = {{"https://h/x", "/srv/out/a.bin"},
                                     {"https://h/y", "/srv/out/a.bin"}};
    char password[] = "x";

    (void)state;
    assert_refused_with(validate_pair("https://cdn.example/a b.bin", "/srv/out/a.bin", &rep),
                        &rep,
                        "file 1: URL contains a space (write it as %20): "
                        "'https://cdn.example/a b.bin'");
    assert_refused_with(validate_pair(NULL, "/srv/out/a.bin", &rep), &rep,
                        "file 1: remote name is empty: ''");
    assert_refused_with(validate_pair("https://h/x", NULL, &rep), &rep,
                        "file 1: local name is empty: ''");
    assert_refused_with(validate_pair("https://h/x", "out/a.bin", &rep), &rep,
                        "file 1: local name is not a full path: 'out/a.bin'");
    assert_refused_with(validate_pair("file://", "/srv/out/a.bin", &rep), &rep,
                        "file 1: file:// URL has no path: 'file://'");
    assert_refused_with(validate_pair("ftp://h/x", "/srv/out/a.bin", &rep), &rep,
                        "file 1: unsupported URL scheme (BITS takes http://, https://, file://, "
                        "UNC and full local paths): 'ftp://h/x'");
    assert_refused_with(validate_pair("https://h/x", "/srv/out/a?.bin", &rep), &rep,
                        "file 1: local name contains a wildcard: '/srv/out/a?.bin'");
    assert_refused_with(validate_pair("https://h/x", "/srv/out\\", &rep), &rep,
                        "file 1: local name is a directory, not a file: '/srv/out\\'");
    init(&req, pairs, password);
    req.file_count = 2;
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "files 1 and 2 write the same local file '/srv/out/a.bin'");
    pairs[1].remote = "relative";
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "file 2: remote name is neither a URL nor a full path: 'relative'");
    req.files = NULL;
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "no files to transfer: give REMOTE LOCAL pairs");
}

/* C15, C18: schemes in any case, drive letters at both ends of each range, UNC names
 * with a server and a share; \\?\ and \\.\ are not UNC. */
static void remote_forms_at_their_edges(void **state)
{
    static const char *const valid[] = {
        "HTTPS://h/x", "hTtP://h/x", "FILE:///srv/x", "File://x", "A:\\x", "Z:/x", "a:\\x",
        "z:/x", "\\\\s\\share", "\\\\s\\share\\a.bin", "/srv/in/x",
    };
    static const char *const not_a_path[] = {"@:\\x", "[:\\x", "`:\\x", "{:\\x", "C:x", "C;\\x",
                                             "x\\s\\share", "\\xs\\share"}; /* one '\\' */
    static const char *const bad_unc[] = {"\\\\?\\C:\\x", "\\\\.\\pipe\\x", "\\\\\\x", "\\\\",
                                          "\\\\s\\", "\\\\s\\\\x", "\\\\s"};
    struct bht_report rep;

    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        if (validate_pair(valid[i], "/srv/out/a.bin", &rep) != S_OK)
            fail_msg("'%s' refused: %s", valid[i], rep.detail);
    for (size_t i = 0; i < sizeof not_a_path / sizeof not_a_path[0]; i++) {
        char want[128];
        snprintf(want, sizeof want, "file 1: remote name is neither a URL nor a full path: '%s'",
                 not_a_path[i]);
        assert_refused_with(validate_pair(not_a_path[i], "/srv/out/a.bin", &rep), &rep, want);
    }
    for (size_t i = 0; i < sizeof bad_unc / sizeof bad_unc[0]; i++) {
        char want[128];
        snprintf(want, sizeof want,
                 "file 1: malformed UNC path (expected \\\\server\\share\\file): '%s'",
                 bad_unc[i]);
        assert_refused_with(validate_pair(bad_unc[i], "/srv/out/a.bin", &rep), &rep, want);
    }
}

/* §2.4, C18: 2200 characters of remote name, 260 of local name (MAX_PATH); each counted
 * in UTF-16 units, exactly at the limit and one past it. */
static void name_lengths_at_the_limit_and_one_past(void **state)
{
    static char remote[2300], local[300];
    struct bht_report rep;

    (void)state;
    memset(remote, 'a', 2200);
    memcpy(remote, "https://h/", 10);
    remote[2200] = '\0';
    assert_hr(S_OK, validate_pair(remote, "/srv/out/a.bin", &rep));
    remote[2200] = 'a';
    remote[2201] = '\0';
    assert_hr(E_INVALIDARG, validate_pair(remote, "/srv/out/a.bin", &rep));
    assert_non_null(strstr(rep.detail, "file 1: remote name is longer than 2200 characters: "));
    /* 260 units: "/" and components of at most 255 */
    memset(local, 'b', 260);
    local[0] = '/';
    local[200] = '/';
    local[260] = '\0';
    assert_hr(S_OK, validate_pair("https://h/x", local, &rep));
    local[260] = 'b';
    local[261] = '\0';
    assert_hr(E_INVALIDARG, validate_pair("https://h/x", local, &rep));
    assert_non_null(strstr(rep.detail, "file 1: local name is longer than MAX_PATH (260 "
                                       "characters): "));
    /* separators in a row are one: "//s//" + 255 characters is fine */
    memset(local, 'c', 260);
    memcpy(local, "//s//", 5);
    local[5 + 255] = '\0';
    assert_hr(S_OK, validate_pair("https://h/x", local, &rep));
}

/* The helper's settings and the job's, each message exact and each limit on both sides
 * (priority -1..3, --max-transient -1 and up; C94 flags; C113 network logon). */
static void settings_at_their_limits_with_exact_messages(void **state)
{
    static const enum bht_logon_type types[] = {
        BHT_LOGON_INTERACTIVE, BHT_LOGON_NETWORK, BHT_LOGON_BATCH, BHT_LOGON_SERVICE,
        BHT_LOGON_NETWORK_CLEARTEXT, BHT_LOGON_NEW_CREDENTIALS};
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {"https://h/x", "/srv/out/a.bin"};
    char password[] = "x";

    (void)state;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        init(&req, &pair, password);
        req.logon_type = types[i];
        assert_hr(S_OK, bht_request_validate(&req, &rep));
    }
    init(&req, &pair, password);
    req.logon_type = (enum bht_logon_type)7;
    assert_refused_with(bht_request_validate(&req, &rep), &rep, "unknown logon type 7");
    init(&req, &pair, password);
    req.password = NULL;
    assert_refused_with(bht_request_validate(&req, &rep), &rep, "a helper token needs a password");
    init(&req, &pair, password);
    req.user = NULL;
    assert_refused_with(bht_request_validate(&req, &rep), &rep, "a helper token needs a user name");
    init(&req, &pair, password);
    req.domain = NULL; /* no domain: a bare or UPN name */
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.token_flags = BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    req.token_flags = 0x4;
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "token flags must be local, network or local,network");
    /* C113 */
    init(&req, &pair, password);
    req.logon_type = BHT_LOGON_NETWORK;
    req.token_flags = BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK;
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "--logon-type network gives a token without credentials, which cannot "
                        "do what --token-flags network asks; use network-cleartext, interactive, "
                        "batch, service or new-credentials");
    req.logon_type = BHT_LOGON_NETWORK_CLEARTEXT;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    /* priority: -1 (BITS's default) to 3 (low) */
    init(&req, &pair, password);
    req.priority = BHT_PRIORITY_LOW;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    req.priority = 0;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    req.priority = -2;
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "priority must be foreground, high, normal or low");
    req.priority = BHT_PRIORITY_LOW + 1;
    assert_refused_with(bht_request_validate(&req, &rep), &rep,
                        "priority must be foreground, high, normal or low");
    /* --max-transient: -1 (none given), 0 and up */
    init(&req, &pair, password);
    req.max_transient = 0;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    req.max_transient = -2;
    assert_refused_with(bht_request_validate(&req, &rep), &rep, "--max-transient must be 0 or more");
    /* without a helper none of its settings is read */
    init(&req, &pair, NULL);
    req.use_helper_token = 0;
    req.user = NULL;
    req.token_flags = 0x4;
    req.logon_type = (enum bht_logon_type)7;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
}

#ifndef _WIN32
/* Issue 13 item 1: --overwrite lets an existing file (or a dangling link) be replaced, and
 * nothing else; the detail names the file. */
static void overwrite_lets_only_a_file_name_be_replaced(void **state)
{
    struct fake_t *t = *state;
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair;
    char password[] = "x", file[600], link[700], want[1400];

    fake_t_path(t, file, sizeof file, "plain");
    write_file(file);
    fake_t_path(t, link, sizeof link, "dangling");
    assert_int_equal(symlink("/nonexistent/target", link), 0);
    pair.remote = "https://h/x";
    pair.local = file;
    init(&req, &pair, password);
    snprintf(want, sizeof want,
             "file 1: '%s' already exists; refusing to risk it (use --overwrite)", file);
    assert_refused_with(bht_request_validate(&req, &rep), &rep, want);
    req.overwrite = 1;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    pair.local = link;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
    pair.local = t->dir;
    snprintf(want, sizeof want,
             "file 1: '%s' exists and is not a regular file (a folder, FIFO or device); BITS "
             "writes files only", t->dir);
    assert_refused_with(bht_request_validate(&req, &rep), &rep, want);
    snprintf(link, sizeof link, "%s/x", file); /* ENOTDIR */
    pair.local = link;
    snprintf(want, sizeof want,
             "file 1: cannot tell whether '%s' exists (Not a directory); refusing to risk it",
             link);
    assert_refused_with(bht_request_validate(&req, &rep), &rep, want);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_pairs_are_validated),
        cmocka_unit_test(long_names_are_refused),
        cmocka_unit_test(job_name_limit_counts_utf16_units),
        cmocka_unit_test(local_component_limit_is_checked_at_the_maximum),
#ifndef _WIN32
        cmocka_unit_test(destinations_are_checked_without_opening_them),
#endif
        cmocka_unit_test(helper_settings_are_validated),
        cmocka_unit_test(duplicate_destinations_are_refused),
        cmocka_unit_test(hresults_have_names_and_messages),
        cmocka_unit_test(only_enoent_counts_as_absent),
        cmocka_unit_test_setup_teardown(a_destination_that_cannot_be_opened_is_not_absent,
                                        fake_t_setup, fake_t_teardown),
        cmocka_unit_test_setup_teardown(aliased_destinations_are_refused_as_duplicates,
                                        fake_t_setup, fake_t_teardown),
        cmocka_unit_test(null_arguments_are_e_pointer),
        cmocka_unit_test(details_name_the_pair_the_problem_and_the_name),
        cmocka_unit_test(remote_forms_at_their_edges),
        cmocka_unit_test(name_lengths_at_the_limit_and_one_past),
        cmocka_unit_test(settings_at_their_limits_with_exact_messages),
#ifndef _WIN32
        cmocka_unit_test_setup_teardown(overwrite_lets_only_a_file_name_be_replaced,
                                        fake_t_setup, fake_t_teardown),
#endif
    };
    return cmocka_run_group_tests_name("core_request", tests, NULL, NULL);
}
