/* bitsht fake: the world-file parser — the forms the issue requires, and every refusal
 * as "file:line: reason" (fakes/README.md). */
#include "fake_support.h"

#include <stdio.h>
#include <string.h>

/* Folders are full paths of the machine the test runs on. */
#ifdef _WIN32
#define ROOT "C:\\"
#define SEP "\\"
#define ROOT_TMP "C:\\tmp"
#else
#define ROOT "/"
#define SEP "/"
#define ROOT_TMP "/tmp"
#endif

static struct bht_fake_world *w;
static char err[512];

static int world_setup(void **state)
{
    (void)state;
    w = bht_fake_world_new();
    err[0] = '\0';
    return w ? 0 : -1;
}

static int world_teardown(void **state)
{
    (void)state;
    bht_fake_world_free(w);
    return 0;
}

#define T(name) cmocka_unit_test_setup_teardown(name, world_setup, world_teardown)

static void refused(const char *text, const char *expected_err)
{
    bht_hr hr = bht_fake_world_parse(w, text, "t.world", err, sizeof err);

    if (hr != E_INVALIDARG)
        fail_msg("accepted: %s", text);
    if (strcmp(err, expected_err) != 0)
        fail_msg("error \"%s\", expected \"%s\"", err, expected_err);
}

static void accepted(const char *text)
{
    bht_hr hr = bht_fake_world_parse(w, text, "t.world", err, sizeof err);

    if (hr != S_OK)
        fail_msg("refused: %s", err);
}

static bht_hr logon(const char *domain, const char *user, const char *password)
{
    struct bht_token *tok = NULL;
    bht_hr hr = bht_fake_identity_ops.logon(w, domain, user, password, BHT_LOGON_INTERACTIVE,
                                            &tok);

    if (tok)
        bht_fake_identity_ops.close(w, tok);
    return hr;
}

/* The issue's example, as written (content= is read at transfer time, not here). */
static void the_issue_example_parses(void **state)
{
    (void)state;
    accepted("user CORP\\alice password=S3cret! admin\n"
             "user CORP\\bob password=hunter2\n"
             "resource https://files.corp.example/q3.pdf size=1048576 rate=65536 "
             "readable-by=CORP\\alice auth=network\n"
             "resource \\\\fs01\\finance\\ledger.xlsx content=data/ledger.xlsx "
             "readable-by=CORP\\alice\n"
             "resource https://cdn.example/big.iso size=10000000 transient=3\n"
             "resource https://cdn.example/gone fail=0x80190194\n"
             "resource https://cdn.example/stuck size=100 stall\n"
             "folder " ROOT "srv" SEP "restricted writable-by=CORP\\alice\n"
             "option profile=wine8\n"
             "option owner=CORP\\bob\n");
    assert_int_equal(bht_fake_get_profile(w), BHT_FAKE_PROFILE_WINE8);
}

static void comments_blank_lines_and_crlf_are_ignored(void **state)
{
    (void)state;
    accepted("# a comment\r\n\r\n   \t\n  # indented comment\nuser CORP\\a password=x\r\n");
    assert_hr(S_OK, logon("CORP", "a", "x")); /* the \r is not part of the password */
}

static void an_empty_text_is_an_empty_world(void **state)
{
    (void)state;
    accepted("");
    assert_hr(BHT_E_LOGON_FAILURE, logon("LOCAL", "owner", ""));
}

static void users_may_be_named_after_they_are_used(void **state)
{
    (void)state;
    accepted("resource https://x.example/a size=1 readable-by=CORP\\late\n"
             "user CORP\\late password=p\n");
}

static void the_demo_world_file_loads(void **state)
{
    (void)state;
#ifdef _WIN32
    skip(); /* its folder is a Linux path: the demo runs the CLI natively */
#endif
    if (bht_fake_world_load(w, FAKE_T_SOURCE_DIR "/fakes/worlds/demo.world", err, sizeof err) !=
        S_OK)
        fail_msg("demo.world: %s", err);
    assert_hr(S_OK, logon("CORP", "alice", "S3cret!"));
}

static void a_missing_world_file_is_named_in_the_error(void **state)
{
    (void)state;
    assert_hr(BHT_E_FILE_NOT_FOUND, bht_fake_world_load(w, "/nonexistent/x.world", err, sizeof err));
    assert_string_equal(err, "/nonexistent/x.world: cannot open the world file");
}

static void fault_lines_plan_faults(void **state)
{
    struct bht_job *job = NULL;

    (void)state;
    accepted("fault cancel call=1 hr=0x80004005 persistent\nfault resume call=2 hr=0x80070005\n");
    assert_int_equal(bht_fake_bits_ops.create_job(w, "j", &job), S_OK);
    assert_int_equal(bht_fake_bits_ops.cancel(w, job), E_FAIL);
    assert_int_equal(bht_fake_bits_ops.cancel(w, job), E_FAIL); /* persistent */
    assert_int_equal(bht_fake_faults_fired(w, BHT_OP_CANCEL), 2);
    bht_fake_fail(w, BHT_OP_CANCEL, 1, S_OK, BHT_FAULT_ONCE); /* a plan that never fires */
    assert_int_equal(bht_fake_bits_ops.resume(w, job), BG_E_EMPTY);
    assert_int_equal(bht_fake_bits_ops.resume(w, job), E_ACCESSDENIED); /* call 2 only */
    assert_int_equal(bht_fake_bits_ops.cancel(w, job), S_OK);
    bht_fake_bits_ops.release(w, job);
}

static void bad_fault_lines_are_refused(void **state)
{
    (void)state;
    refused("fault frobnicate call=1 hr=0x80004005\n", "t.world:1: fault: unknown op 'frobnicate'");
    refused("fault cancel call=0 hr=0x80004005\n",
            "t.world:1: fault: bad call number '0' (1 or more)");
    refused("fault cancel call=1 hr=0x00000001\n",
            "t.world:1: fault: bad HRESULT '0x00000001' (a failure, 0x8xxxxxxx)");
    refused("fault cancel call=1\n", "t.world:1: fault: needs call=N and hr=0xHRESULT");
    refused("fault cancel call=1 hr=0x80004005 often\n",
            "t.world:1: fault: unknown key 'often' (call=, hr=, persistent)");
    refused("fault cancel call=1 hr=0x80004005\nfault cancel call=2 hr=0x80004005\n",
            "t.world:2: duplicate fault for 'cancel'");
}

static void an_unknown_declaration_is_refused(void **state)
{
    (void)state;
    refused("user A\\b password=x\n\nmachine X\n",
            "t.world:3: unknown declaration 'machine' (user, resource, folder, option, fault or system)");
}

static void an_unknown_key_is_refused(void **state)
{
    (void)state;
    refused("user A\\b colour=blue\n", "t.world:1: unknown key 'colour' for user");
    refused("resource https://x.example/a speed=3\n", "t.world:1: unknown key 'speed' for resource");
    refused("folder " ROOT_TMP " writable=A\\b\n", "t.world:1: unknown key 'writable' for folder");
    refused("option colour=blue\n", "t.world:1: unknown option 'colour'");
}

static void a_malformed_line_is_refused(void **state)
{
    (void)state;
    refused("user alice\n", "t.world:1: user: expected DOMAIN\\name");
    refused("user\n", "t.world:1: user: expected DOMAIN\\name");
    refused("resource\n", "t.world:1: resource: expected a remote name");
    refused("resource ftp://x/y size=1\n",
            "t.world:1: resource: 'ftp://x/y' is not an http(s) URL, UNC path, file:// URL or "
            "full local path");
    refused("folder relative/dir writable-by=A\\b\n",
            "t.world:1: folder: expected a full path of this machine");
    refused("option\n", "t.world:1: option: expected exactly one key=value");
    refused("option profile\n", "t.world:1: key 'profile' needs a value");
    refused("user A\\b admin=yes\n", "t.world:1: key 'admin' takes no value");
    refused("user A\\b password\n", "t.world:1: key 'password' needs a value");
    /* Issue 13 item 14: a password missing "password=" (or holding a blank) is never
     * repeated in the error. */
    refused("user CORP\\alice S3cret!\n",
            "t.world:1: user: word 3 is neither key=value nor a flag (not repeated: it may be "
            "a password; write password=...)");
    refused("user CORP\\alice password=my S3cret!\n",
            "t.world:1: user: word 4 is neither key=value nor a flag (not repeated: it may be "
            "a password; write password=...)");
    refused("user A\\b pasword=x\n", "t.world:1: unknown key 'pasword' for user");
    refused("resource https://x.example/a stall=1\n", "t.world:1: key 'stall' takes no value");
}

static void duplicates_are_refused(void **state)
{
    (void)state;
    refused("user CORP\\alice password=a\nuser corp\\ALICE password=b\n",
            "t.world:2: duplicate user 'corp\\ALICE'");
    refused("resource https://x.example/a size=1\nresource https://x.example/a size=2\n",
            "t.world:2: duplicate resource 'https://x.example/a'");
    refused("user A\\b password=x password=y\n", "t.world:1: duplicate key 'password'");
    refused("resource https://x.example/a size=1 size=2\n", "t.world:1: duplicate key 'size'");
    refused("option profile=wine8\noption profile=windows\n",
            "t.world:2: duplicate option 'profile'");
    refused("user A\\b password=x\nfolder " ROOT_TMP " writable-by=A\\b\nfolder " ROOT_TMP SEP
            " writable-by=A\\b\n",
            "t.world:3: duplicate folder '" ROOT_TMP "'");
}

/* across two parses: the second one meets the first one's declarations */
static void a_second_parse_refuses_what_the_first_declared(void **state)
{
    (void)state;
    accepted("user CORP\\a password=x\nresource https://x.example/a size=1\n");
    refused("resource https://x.example/a size=1\n",
            "t.world:1: duplicate resource 'https://x.example/a'");
    refused("user CORP\\a password=y\n", "t.world:1: duplicate user 'CORP\\a'");
}

static void bad_numbers_are_refused(void **state)
{
    (void)state;
    refused("resource https://x.example/a size=-1\n", "t.world:1: bad number '-1' for size");
    refused("resource https://x.example/a size=12k\n", "t.world:1: bad number '12k' for size");
    refused("resource https://x.example/a size=\n", "t.world:1: bad number '' for size");
    refused("resource https://x.example/a size=99999999999999999999\n",
            "t.world:1: bad number '99999999999999999999' for size");
    refused("resource https://x.example/a rate=0x10\n", "t.world:1: bad number '0x10' for rate");
    refused("resource https://x.example/a transient=1.5\n",
            "t.world:1: bad number '1.5' for transient");
    refused("resource https://x.example/a drop-token-after=+5\n",
            "t.world:1: bad number '+5' for drop-token-after");
    refused("option max-files-per-job=many\n",
            "t.world:1: bad number 'many' for max-files-per-job");
}

static void bad_hresults_are_refused(void **state)
{
    (void)state;
    refused("resource https://x.example/a fail=404\n",
            "t.world:1: bad HRESULT '404' for fail (want 0x8XXXXXXX)");
    refused("resource https://x.example/a fail=0x00000001\n",
            "t.world:1: bad HRESULT '0x00000001' for fail (want 0x8XXXXXXX)");
    refused("resource https://x.example/a fail=0x8019019G\n",
            "t.world:1: bad HRESULT '0x8019019G' for fail (want 0x8XXXXXXX)");
    refused("resource https://x.example/a fail=0x180190194\n",
            "t.world:1: bad HRESULT '0x180190194' for fail (want 0x8XXXXXXX)");
    refused("resource https://x.example/a fail=0x\n",
            "t.world:1: bad HRESULT '0x' for fail (want 0x8XXXXXXX)");
}

static void other_value_errors_are_refused(void **state)
{
    (void)state;
    refused("resource https://x.example/a readable-by=CORP\\ghost\n",
            "t.world:1: unknown user 'CORP\\ghost' in readable-by");
    refused("resource https://x.example/a auth=basic\n",
            "t.world:1: unknown auth 'basic' (only auth=network)");
    refused("resource \\\\s\\share\\f auth=network\n",
            "t.world:1: auth=network is for http(s) resources");
    refused("resource https://x.example/a size=1 content=/etc/hostname\n",
            "t.world:1: size and content exclude each other");
    refused("option profile=win95\n", "t.world:1: unknown profile 'win95' (windows or wine8)");
    refused("option admin-rule=never\n",
            "t.world:1: unknown admin-rule 'never' (1607 or legacy)");
    refused("user A\\b logon=remote\n", "t.world:1: unknown logon type 'remote'");
    refused("folder " ROOT_TMP "\n", "t.world:1: folder needs writable-by=DOMAIN\\user[,...]");
    refused("user A\\b password=\xff\n", "t.world:1: not valid UTF-8");
}

/* "a failed parse leaves the world as it was" */
static void a_failed_parse_leaves_the_world_unchanged(void **state)
{
    (void)state;
    accepted("user CORP\\a password=x\n");
    refused("user CORP\\new password=y\noption profile=wine8\nresource bad\n",
            "t.world:3: resource: 'bad' is not an http(s) URL, UNC path, file:// URL or full "
            "local path");
    assert_hr(BHT_E_LOGON_FAILURE, logon("CORP", "new", "y"));
    assert_int_equal(bht_fake_get_profile(w), BHT_FAKE_PROFILE_WINDOWS);
    assert_hr(S_OK, logon("CORP", "a", "x"));
}

/* option owner= names a user; an undeclared one is an implicit non-admin account */
static void an_undeclared_owner_becomes_an_implicit_account(void **state)
{
    struct bht_job *job = NULL;
    struct bht_job_info *v = NULL;
    size_t n = 0;

    (void)state;
    accepted("option owner=SVC\\runner\nresource https://x.example/a size=1 "
             "readable-by=SVC\\runner\n");
    assert_hr(BHT_E_LOGON_FAILURE, logon("SVC", "runner", ""));
    assert_hr(S_OK, bht_fake_bits_ops.create_job(w, "j", &job));
    assert_hr(S_OK, bht_fake_bits_ops.enum_jobs(w, "", &v, &n));
    assert_int_equal(n, 1);
    bht_fake_bits_ops.free_mem(w, v);
    bht_fake_bits_ops.release(w, job);
}

/* the default owner is LOCAL\owner, not an admin, and can be named in declarations */
static void the_default_owner_is_local_owner(void **state)
{
    (void)state;
    accepted("resource https://x.example/a size=1 readable-by=LOCAL\\owner\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_issue_example_parses),
        T(comments_blank_lines_and_crlf_are_ignored),
        T(an_empty_text_is_an_empty_world),
        T(users_may_be_named_after_they_are_used),
        T(the_demo_world_file_loads),
        T(a_missing_world_file_is_named_in_the_error),
        T(an_unknown_declaration_is_refused),
        T(fault_lines_plan_faults),
        T(bad_fault_lines_are_refused),
        T(an_unknown_key_is_refused),
        T(a_malformed_line_is_refused),
        T(duplicates_are_refused),
        T(a_second_parse_refuses_what_the_first_declared),
        T(bad_numbers_are_refused),
        T(bad_hresults_are_refused),
        T(other_value_errors_are_refused),
        T(a_failed_parse_leaves_the_world_unchanged),
        T(an_undeclared_owner_becomes_an_implicit_account),
        T(the_default_owner_is_local_owner),
    };
    return cmocka_run_group_tests_name("fake_world_file", tests, NULL, NULL);
}
