/* bitsht fake: the world-file parser — the forms the issue requires, and every refusal
 * as "file:line: reason" (fakes/README.md). */
#include "fake_support.h"

#include "../../fakes/fake_internal.h"
#include "alloc_fault.h"

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

/* A refusal gives this error and frees all it took (alloc_fault.h, native builds). */
static void refused(const char *text, const char *expected_err)
{
    bht_hr hr;
    size_t left;

    alloc_track_begin();
    hr = bht_fake_world_parse(w, text, "t.world", err, sizeof err);
    left = alloc_track_end();
    if (hr != E_INVALIDARG)
        fail_msg("accepted: %s", text);
    if (left)
        fail_msg("%lu blocks left behind (or overrun) by refusing: %s", (unsigned long)left,
                 text);
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
    accepted("user CORP\\solo\n"); /* a user with nothing more: the empty password */
    assert_string_equal(fake_find_user2(w, "CORP", "solo")->password, "");
    bht_fake_world_free(w);
    w = bht_fake_world_new();
    accepted("\n"); /* an empty first line */
    accepted("");
    assert_hr(BHT_E_LOGON_FAILURE, logon("LOCAL", "owner", ""));
}

static void users_may_be_named_after_they_are_used(void **state)
{
    (void)state;
    accepted("resource https://x.example/a size=1 readable-by=CORP\\late\n"
             "folder " ROOT_TMP " writable-by=CORP\\late\n"
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
    accepted("resource https://X.example/B size=1\n");
    refused("resource https://X.example/B size=1\n",
            "t.world:1: duplicate resource 'https://X.example/B'");
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


/* Every refusal the parser can give that the tests above do not, each with its line. */
static void every_other_refusal_names_its_line(void **state)
{
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"user \\x password=p\n", "t.world:1: user: expected DOMAIN\\name"},
        {"user A\\ password=p\n", "t.world:1: user: expected DOMAIN\\name"},
        {"user A\\b\\c password=p\n", "t.world:1: user: expected DOMAIN\\name"},
        {"user A\\\\c password=p\n", "t.world:1: user: expected DOMAIN\\name"},
        {"fault unknown_op call=1 hr=0x80004005\n", "t.world:1: fault: unknown op 'unknown_op'"},
        /* pass 1 reads users, options, faults, system lines and every line's UTF-8: its
         * errors come first, whatever pass 2 would say about a later line */
        {"user A\\b password=x\xff\nbogus\n", "t.world:1: not valid UTF-8"},
        {"fault cancel call=0 hr=0x80004005\nbogus\n",
         "t.world:1: fault: bad call number '0' (1 or more)"},
        {"system colour=blue\nbogus\n", "t.world:1: system: unknown key 'colour'"},
        {"option colour=blue\nbogus\n", "t.world:1: unknown option 'colour'"},
        {"user A\\b colour=blue\nbogus\n", "t.world:1: unknown key 'colour' for user"},
        {"user A\\b admin admin\n", "t.world:1: duplicate key 'admin'"},
        {"user A\\b logon=batch logon=service\n", "t.world:1: duplicate key 'logon'"},
        {"user A\\b logon\n", "t.world:1: key 'logon' needs a value"},
        {"user A\\b logon=batch,remote\n", "t.world:1: unknown logon type 'remote'"},
        {"user A\\b logon=\n", "t.world:1: unknown logon type ''"},
        {"resource https://x.example/a readable-by=\n",
         "t.world:1: readable-by needs at least one DOMAIN\\user"},
        {"user A\\b password=p\nresource https://x.example/a readable-by=A\\b,A\\ghost\n",
         "t.world:2: unknown user 'A\\ghost' in readable-by"},
        {"resource https://x.example/a readable-by=nobody\n",
         "t.world:1: unknown user 'nobody' in readable-by"},
        {"resource https://x.example/a content=\n", "t.world:1: content needs a path"},
        {"resource https://x.example/a content=/a content=/b\n",
         "t.world:1: duplicate key 'content'"},
        {"resource https://x.example/a content\n", "t.world:1: key 'content' needs a value"},
        {"resource https://x.example/a rate=1 rate=2\n", "t.world:1: duplicate key 'rate'"},
        {"resource https://x.example/a rate\n", "t.world:1: key 'rate' needs a value"},
        {"resource https://x.example/a rate=1000000000001\n",
         "t.world:1: bad number '1000000000001' for rate"},
        {"resource https://x.example/a size=1099511627777\n",
         "t.world:1: bad number '1099511627777' for size"},
        {"resource https://x.example/a size\n", "t.world:1: key 'size' needs a value"},
        {"resource https://x.example/a size=1099511627780\n",
         "t.world:1: bad number '1099511627780' for size"},
        {"resource https://X.example/A size=1\nresource https://X.example/A size=2\n",
         "t.world:2: duplicate resource 'https://X.example/A'"},
        {"user A\\b password=p\nresource https://x.example/a readable-by=A\\b readable-by=A\\b\n",
         "t.world:2: duplicate key 'readable-by'"},
        {"resource https://x.example/a readable-by\n",
         "t.world:1: key 'readable-by' needs a value"},
        {"user A\\b password=p\nresource \\\\s\\share\\f proxy-auth-by=A\\b\n",
         "t.world:2: proxy-auth-by is for http(s) resources"},
        {"resource https://x.example/a proxy-auth-by=A\\ghost\n",
         "t.world:1: unknown user 'A\\ghost' in proxy-auth-by"},
        {"user A\\b password=p\nresource https://x.example/a proxy-auth-by=A\\b "
         "proxy-auth-by=A\\b\n",
         "t.world:2: duplicate key 'proxy-auth-by'"},
        {"resource https://x.example/a proxy-auth-by\n",
         "t.world:1: key 'proxy-auth-by' needs a value"},
        {"resource https://x.example/a auth=network auth=network\n",
         "t.world:1: duplicate key 'auth'"},
        {"resource https://x.example/a auth\n", "t.world:1: key 'auth' needs a value"},
        {"resource https://x.example/a transient=1 transient=1\n",
         "t.world:1: duplicate key 'transient'"},
        {"resource https://x.example/a transient\n", "t.world:1: key 'transient' needs a value"},
        {"resource https://x.example/a transient=1000001\n",
         "t.world:1: bad number '1000001' for transient"},
        {"resource https://x.example/a fail=0x80004005 fail=0x80004005\n",
         "t.world:1: duplicate key 'fail'"},
        {"resource https://x.example/a fail\n", "t.world:1: key 'fail' needs a value"},
        {"resource https://x.example/a fail=1x80004005\n",
         "t.world:1: bad HRESULT '1x80004005' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0y80004005\n",
         "t.world:1: bad HRESULT '0y80004005' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0x7FFFFFFF\n",
         "t.world:1: bad HRESULT '0x7FFFFFFF' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0x8000000g\n",
         "t.world:1: bad HRESULT '0x8000000g' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0x8000000:\n",
         "t.world:1: bad HRESULT '0x8000000:' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0x8000000/\n",
         "t.world:1: bad HRESULT '0x8000000/' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0x8000000@\n",
         "t.world:1: bad HRESULT '0x8000000@' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a fail=0x8000000`\n",
         "t.world:1: bad HRESULT '0x8000000`' for fail (want 0x8XXXXXXX)"},
        {"resource https://x.example/a stall stall\n", "t.world:1: duplicate key 'stall'"},
        {"resource https://x.example/a drop-token-after=1 drop-token-after=2\n",
         "t.world:1: duplicate key 'drop-token-after'"},
        {"resource https://x.example/a drop-token-after\n",
         "t.world:1: key 'drop-token-after' needs a value"},
        {"resource https://x.example/a drop-token-after=1099511627777\n",
         "t.world:1: bad number '1099511627777' for drop-token-after"},
        {"folder\n", "t.world:1: folder: expected a full path of this machine"},
        {"user A\\b password=p\nfolder " ROOT_TMP " writable-by=A\\b writable-by=A\\b\n",
         "t.world:2: duplicate key 'writable-by'"},
        {"folder " ROOT_TMP " writable-by\n", "t.world:1: key 'writable-by' needs a value"},
        {"folder " ROOT_TMP " writable-by=\n",
         "t.world:1: writable-by needs at least one DOMAIN\\user"},
        {"option max-jobs-per-user=1\noption max-jobs-per-user=2\n",
         "t.world:2: duplicate option 'max-jobs-per-user'"},
        {"option max-files-per-job=1000001\n",
         "t.world:1: bad number '1000001' for max-files-per-job"},
        {"option max-jobs-per-machine=x\n", "t.world:1: bad number 'x' for max-jobs-per-machine"},
        {"option retry-delay=1000000001\n", "t.world:1: bad number '1000000001' for retry-delay"},
        {"option no-progress-timeout=1000000001\n",
         "t.world:1: bad number '1000000001' for no-progress-timeout"},
        {"option owner=A\\b\noption owner=A\\c\n", "t.world:2: duplicate option 'owner'"},
        {"option owner=alice\n", "t.world:1: owner: expected DOMAIN\\name"},
        {"option local-domain=PC\noption local-domain=PC2\n",
         "t.world:2: duplicate option 'local-domain'"},
        {"option local-domain=\n", "t.world:1: local-domain: expected a machine name"},
        {"option local-domain=A\\B\n", "t.world:1: local-domain: expected a machine name"},
        {"option local-domain=a@b\n", "t.world:1: local-domain: expected a machine name"},
        {"option local-domain=pc.corp\n", "t.world:1: local-domain: expected a machine name"},
        {"option admin-rule=legacy\noption admin-rule=1607\n",
         "t.world:2: duplicate option 'admin-rule'"},
        {"option clock-speed=0\n", "t.world:1: clock-speed: expected 1 or more"},
        {"option clock-speed=1000001\n", "t.world:1: bad number '1000001' for clock-speed"},
        {"option clock-speed=2\noption clock-speed=2\n",
         "t.world:2: duplicate option 'clock-speed'"},
        {"option profile=wine8 x\n", "t.world:1: option: expected exactly one key=value"},
        {"fault\n", "t.world:1: fault: expected an op name"},
        {"fault cancel\n", "t.world:1: fault: needs call=N and hr=0xHRESULT"},
        {"fault cancel call hr=0x80004005\n",
         "t.world:1: fault: unknown key 'call' (call=, hr=, persistent)"},
        {"fault cancel call=1 hr\n", "t.world:1: fault: unknown key 'hr' (call=, hr=, persistent)"},
        {"fault cancel hr=0x80004005\n", "t.world:1: fault: needs call=N and hr=0xHRESULT"},
        {"fault cancel call=1000001 hr=0x80004005\n",
         "t.world:1: fault: bad call number '1000001' (1 or more)"},
        {"fault cancel call=1 hr=80004005\n",
         "t.world:1: fault: bad HRESULT '80004005' (a failure, 0x8xxxxxxx)"},
        {"system colour=blue\n", "t.world:1: system: unknown key 'colour'"},
        /* pass 1 refuses any unknown declaration before pass 2 reads a resource */
        {"resource bad\nmachine X\n",
         "t.world:2: unknown declaration 'machine' (user, resource, folder, option, fault or "
         "system)"},
        {"resource https://x.example/a\tsize=1\tspeed=2\n",
         "t.world:1: unknown key 'speed' for resource"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bht_fake_world_free(w);
        w = bht_fake_world_new();
        assert_non_null(w);
        refused(cases[i].text, cases[i].why);
        assert_int_equal(w->users.n, 0);
        assert_int_equal(w->n_resources, 0);
    }
}

/* At most 32 fields on a line: 32 are read, 33 refused (a comment may be longer). */
static void a_line_has_at_most_32_fields(void **state)
{
    char text[400] = "user A\\b password=p logon=batch", line[512];
    int i;

    (void)state;
    for (i = 5; i <= 32; i++) /* fields 5 to 32 */
        strcat(text, " x=1");
    snprintf(line, sizeof line, "%.400s\n", text);
    refused(line, "t.world:1: unknown key 'x' for user"); /* 32 fields: read */
    snprintf(line, sizeof line, "%.400s x=1\n", text);
    refused(line, "t.world:1: too many fields (at most 32)");
    snprintf(line, sizeof line, "%.400s x=1\nbogus\n", text); /* found on pass 1 */
    refused(line, "t.world:1: too many fields (at most 32)");
    snprintf(line, sizeof line, "# %.400s x=1 y=2\n", text);
    accepted(line);
}

/* Every declared value reaches the world, the largest of each bound included. */
static void every_value_reaches_the_world(void **state)
{
    const struct fake_resource *r;
    const struct fake_user *u;

    (void)state;
    bht_fake_set_profile(w, BHT_FAKE_PROFILE_WINE8);
    accepted("user CORP\\a password=pa logon=batch,new-credentials\n"
             "user CORP\\b admin\n"
             "resource https://x.example/big size=1099511627776 rate=1000000000000 "
             "transient=1000000 drop-token-after=1099511627776 fail=0X8019019a stall "
             "auth=network readable-by=CORP\\a,CORP\\b,CORP\\a proxy-auth-by=CORP\\b\n"
             "resource https://x.example/max fail=0xffffffff\n"
             "resource https://x.example/min fail=0x80000000\n"
             "resource https://x.example/upper fail=0x800A00F0\n"
             "resource https://x.example/lower fail=0x800a00f0\n"
             "resource https://x.example/abs content=/data/x\n"
             "option profile=windows\noption admin-rule=legacy\noption local-domain=PC\n"
             "option max-files-per-job=1000000\noption max-jobs-per-user=1000000\n"
             "option max-jobs-per-machine=1000000\noption retry-delay=1000000000\n"
             "option no-progress-timeout=1000000000\noption clock-speed=1000000\n"
             "fault cancel call=1000000 hr=0x80004005 persistent\n"
             "fault resume call=2 hr=0x80070005\n"
             "fault create_job call=3 hr=0x80070005\n");
    u = fake_find_user2(w, "corp", "A");
    assert_non_null(u);
    assert_string_equal(u->password, "pa");
    assert_int_equal(u->admin, 0);
    assert_int_equal(u->logon_mask,
                     (1u << BHT_LOGON_BATCH) | (1u << BHT_LOGON_NEW_CREDENTIALS));
    assert_string_equal(u->sid, "S-1-5-21-1004336348-1177238915-682003330-1000");
    u = fake_find_user2(w, "CORP", "b");
    assert_string_equal(u->password, ""); /* no password=: the empty one (C104) */
    assert_int_equal(u->admin, 1);
    assert_int_equal(u->logon_mask, FAKE_LOGON_ALL);
    assert_string_equal(u->sid, "S-1-5-21-1004336348-1177238915-682003330-1001");
    r = fake_find_resource(w, "https://x.example/big");
    assert_non_null(r);
    assert_int_equal(r->kind, FAKE_REMOTE_HTTP);
    assert_int_equal(r->size, 1099511627776ull);
    assert_int_equal(r->rate, 1000000000000ull);
    assert_int_equal(r->transient, 1000000);
    assert_int_equal(r->drop_token_after, 1099511627776ull);
    assert_int_equal((uint32_t)r->fail, 0x8019019Au);
    assert_int_equal(r->stall, 1);
    assert_int_equal(r->auth_network, 1);
    assert_int_equal(r->has_readers, 1);
    assert_int_equal(r->readers.n, 2); /* CORP\a once */
    assert_ptr_equal(r->readers.v[0], fake_find_user2(w, "CORP", "a"));
    assert_ptr_equal(r->readers.v[1], u);
    assert_int_equal(r->has_proxy, 1);
    assert_int_equal(r->proxy_users.n, 1);
    assert_ptr_equal(r->proxy_users.v[0], u);
    assert_null(r->content);
    assert_int_equal((uint32_t)fake_find_resource(w, "https://x.example/max")->fail, 0xFFFFFFFFu);
    assert_int_equal((uint32_t)fake_find_resource(w, "https://x.example/min")->fail, 0x80000000u);
    r = fake_find_resource(w, "https://x.example/min");
    assert_int_equal(r->size, 0);
    assert_int_equal(r->rate, 0);
    assert_int_equal(r->transient, 0);
    assert_int_equal(r->stall, 0);
    assert_int_equal(r->auth_network, 0);
    assert_int_equal(r->has_readers, 0);
    assert_int_equal(r->has_proxy, 0);
    assert_int_equal(r->drop_token_after, FAKE_NO_EVENT);
    assert_string_equal(fake_find_resource(w, "https://x.example/abs")->content, "/data/x");
    assert_int_equal(w->profile, BHT_FAKE_PROFILE_WINDOWS);
    assert_int_equal(w->admin_rule, FAKE_ADMIN_RULE_LEGACY);
    assert_string_equal(w->local_domain, "PC");
    assert_int_equal(w->max_files_per_job, 1000000);
    assert_int_equal(w->max_jobs_per_user, 1000000);
    assert_int_equal(w->max_jobs_per_machine, 1000000);
    assert_int_equal(w->retry_delay_ms, 1000000000ull * 1000u);
    assert_int_equal(w->no_progress_timeout_ms, 1000000000ull * 1000u);
    assert_int_equal(w->clock_speed, 1000000);
    assert_int_equal(w->faults[BHT_OP_CANCEL].nth, 1000000);
    assert_int_equal((uint32_t)w->faults[BHT_OP_CANCEL].hr, 0x80004005u);
    assert_int_equal(w->faults[BHT_OP_CANCEL].mode, BHT_FAULT_PERSISTENT);
    assert_int_equal(w->faults[BHT_OP_RESUME].nth, 2);
    assert_int_equal((uint32_t)w->faults[BHT_OP_RESUME].hr, 0x80070005u);
    assert_int_equal(w->faults[BHT_OP_RESUME].mode, BHT_FAULT_ONCE);
    assert_int_equal(w->faults[BHT_OP_COMPLETE].nth, 0);
    assert_int_equal(w->faults[BHT_OP_CREATE_JOB].nth, 3);
    assert_int_equal((uint32_t)fake_find_resource(w, "https://x.example/upper")->fail, 0x800A00F0u);
    assert_int_equal((uint32_t)fake_find_resource(w, "https://x.example/lower")->fail, 0x800A00F0u);
    /* LOCAL\owner (the default owner, implicit) is the third account */
    assert_string_equal(w->owner->sid, "S-1-5-21-1004336348-1177238915-682003330-1002");
    assert_null(w->owner->password);
    assert_int_equal(w->owner->admin, 0);      /* implicit: no admin, */
    assert_int_equal(w->owner->logon_mask, 0); /* and no logon at all */

    /* a second text: options again (each once per text), numbering goes on, owner kept */
    accepted("user CORP\\c password=c\noption profile=wine8\noption admin-rule=1607\n"
             "option retry-delay=4\noption no-progress-timeout=0\noption clock-speed=1\n");
    assert_string_equal(fake_find_user2(w, "CORP", "c")->sid,
                        "S-1-5-21-1004336348-1177238915-682003330-1003");
    assert_string_equal(w->owner->name, "owner");
    assert_int_equal(w->profile, BHT_FAKE_PROFILE_WINE8);
    assert_int_equal(w->admin_rule, FAKE_ADMIN_RULE_1607);
    assert_int_equal(w->retry_delay_ms, 5000); /* C71: below 5 s becomes 5 s */
    assert_int_equal(w->no_progress_timeout_ms, 0);
    assert_int_equal(w->clock_speed, 1);
    assert_int_equal(w->max_files_per_job, 1000000); /* not named again: kept */
    accepted("option retry-delay=6\n");
    assert_int_equal(w->retry_delay_ms, 6000);
    /* what a text does not name stays */
    assert_int_equal(w->profile, BHT_FAKE_PROFILE_WINE8);
    assert_int_equal(w->admin_rule, FAKE_ADMIN_RULE_1607);
    assert_string_equal(w->local_domain, "PC");
    assert_int_equal(w->clock_speed, 1);
    assert_int_equal(w->no_progress_timeout_ms, 0);
    assert_int_equal(w->max_jobs_per_user, 1000000);
    assert_int_equal(w->max_jobs_per_machine, 1000000);
    assert_int_equal(w->faults[BHT_OP_CANCEL].nth, 1000000);
}

/* C05, C06: a BITS policy is the limit BITS enforces, over the option. */
static void policy_limits_win_over_the_options(void **state)
{
    (void)state;
    accepted("option max-jobs-per-user=50\noption max-jobs-per-machine=70\n"
             "system policy-max-jobs-per-user=7 policy-max-jobs-per-machine=9\n");
    assert_int_equal(w->max_jobs_per_user, 7);
    assert_int_equal(w->max_jobs_per_machine, 9);
    accepted("system policy-max-jobs-per-user=0 policy-max-jobs-per-machine=0\n");
    assert_int_equal(w->max_jobs_per_user, 0);
    assert_int_equal(w->max_jobs_per_machine, 0);
}

static void names_and_paths_at_their_limits(void **state)
{
    char text[12000], name[130], remote[8900];

    (void)state;
    memset(name, 'n', 127);
    name[127] = '\0';
    snprintf(text, sizeof text, "user %s\\%s password=p\noption local-domain=%s\n", name, name,
             name);
    accepted(text);
    assert_non_null(fake_find_user2(w, name, name));
    assert_string_equal(w->local_domain, name);
    strcat(name, "n"); /* 128 bytes: one too many */
    snprintf(text, sizeof text, "user %s\\x password=p\n", name);
    refused(text, "t.world:1: user: expected DOMAIN\\name");
    snprintf(text, sizeof text, "user x\\%s password=p\n", name);
    refused(text, "t.world:1: user: expected DOMAIN\\name");
    snprintf(text, sizeof text, "option local-domain=%s\n", name);
    refused(text, "t.world:1: local-domain: expected a machine name");
    /* a remote name of 4 x 2200 bytes (a UTF-8 character is at most 4), and one more */
    strcpy(remote, "https://x.example/");
    memset(remote + 18, 'r', 8800 - 18);
    remote[8800] = '\0';
    snprintf(text, sizeof text, "resource %s\n", remote);
    accepted(text);
    strcat(remote, "r");
    snprintf(text, sizeof text, "resource %s\n", remote);
    if (bht_fake_world_parse(w, text, "t.world", err, sizeof err) != E_INVALIDARG)
        fail_msg("a remote name of %d bytes was accepted", 8801);
    assert_int_equal(strncmp(err, "t.world:1: resource: 'https://x.example/rrr", 43), 0);
    /* folders: one spelling, trailing separators dropped, the root kept */
    accepted("user A\\b password=p\nfolder " ROOT_TMP SEP SEP " writable-by=A\\b\n"
             "folder " ROOT " writable-by=A\\b\n");
    assert_string_equal(w->folders[0]->path, ROOT_TMP);
    assert_string_equal(w->folders[1]->path, ROOT);
    assert_int_equal(w->folders[0]->writers.n, 1);
    refused("folder " ROOT_TMP " writable-by=A\\b\n", "t.world:1: duplicate folder '" ROOT_TMP "'");
    accepted("folder " ROOT_TMP SEP "other writable-by=A\\b\n"); /* another folder: fine */
    assert_int_equal(w->n_folders, 3);
}

/* A relative content= path is relative to the world file's folder (fakes/README.md). */
static void content_paths_are_relative_to_the_world_file(void **state)
{
    (void)state;
    assert_hr(S_OK, bht_fake_world_parse(w, "resource https://x.example/a content=data/a\n",
                                         "worlds/t.world", err, sizeof err));
    assert_string_equal(fake_find_resource(w, "https://x.example/a")->content, "worlds/data/a");
    assert_hr(S_OK, bht_fake_world_parse(w, "resource https://x.example/b content=data/b\n",
                                         "/t.world", err, sizeof err));
    assert_string_equal(fake_find_resource(w, "https://x.example/b")->content, "/data/b");
    assert_hr(S_OK, bht_fake_world_parse(w, "resource https://x.example/c content=data/c\n",
                                         "t.world", err, sizeof err));
    assert_string_equal(fake_find_resource(w, "https://x.example/c")->content, "data/c");
    assert_hr(S_OK, bht_fake_world_parse(w, "resource https://x.example/d content=data/d\n",
                                         NULL, err, sizeof err));
    assert_string_equal(fake_find_resource(w, "https://x.example/d")->content, "data/d");
    assert_hr(S_OK, bht_fake_world_parse(w, "resource https://x.example/e content=" ROOT_TMP "\n",
                                         "worlds/t.world", err, sizeof err));
    assert_string_equal(fake_find_resource(w, "https://x.example/e")->content, ROOT_TMP);
}

/* World text is UTF-8: every well-formed sequence passes, every ill-formed one is refused. */
static void world_text_must_be_utf8(void **state)
{
    static const char *const bad[] = {
        "\xc0\xaf",         /* overlong */
        "\xc1\xbf",         /* overlong */
        "\xc3(",            /* a continuation missing */
        "\xc3",             /* cut short */
        "\xe0\x80\xaf",     /* overlong 3-byte */
        "\xe0\x9f\xbf",     /* overlong: below U+0800 */
        "\xed\xa0\x80",     /* a surrogate, U+D800 */
        "\xed\xbf\xbf",     /* U+DFFF */
        "\xef\xbf",         /* cut short */
        "\xf0\x8f\xbf\xbf", /* overlong 4-byte */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\xf5\x80\x80\x80", /* no such lead byte */
        "\xf0\x9f\x98",     /* cut short */
        "\x80",             /* a continuation alone */
        "\xc3\xc0",         /* a lead byte where a continuation belongs */
        "\xff",
    };
    char text[128];
    size_t i;

    (void)state;
    accepted("user CORP\\u password=\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
             "\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\xf1\x80\x80\x80\xf3\xbf\xbf\xbf"
             "\x7f\n");
    assert_hr(S_OK, logon("CORP", "u",
                          "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
                          "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\xf1\x80\x80\x80\xf3\xbf\xbf\xbf"
                          "\x7f"));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "# fine\nuser CORP\\v%u password=x%s\n", (unsigned)i, bad[i]);
        if (bht_fake_world_parse(w, text, "t.world", err, sizeof err) != E_INVALIDARG)
            fail_msg("bad sequence %u accepted", (unsigned)i);
        assert_string_equal(err, "t.world:2: not valid UTF-8");
    }
}

/* The error goes where it fits: none without a buffer, cut to the buffer's size. */
static void errors_fit_the_buffer_given(void **state)
{
    char small[8];

    (void)state;
    assert_hr(E_INVALIDARG, bht_fake_world_parse(w, "bogus\n", "t.world", NULL, 0));
    memset(small, 'z', sizeof small);
    assert_hr(E_INVALIDARG, bht_fake_world_parse(w, "bogus\n", "t.world", small, 0));
    assert_int_equal(small[0], 'z');
    assert_hr(E_INVALIDARG, bht_fake_world_parse(w, "bogus\n", "t.world", small, 5));
    assert_string_equal(small, "t.wo");
    assert_hr(E_INVALIDARG, bht_fake_world_parse(w, "bogus\n", "t.world", small, sizeof small));
    assert_string_equal(small, "t.world"); /* the prefix alone does not fit: no reason */
    assert_hr(E_INVALIDARG, bht_fake_world_parse(w, "bogus\n", NULL, err, sizeof err));
    assert_int_equal(strncmp(err, "(world):1: unknown declaration 'bogus'", 38), 0);
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_world_parse(NULL, "", "t.world", err, sizeof err));
    assert_string_equal(err, "");
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_world_parse(w, NULL, "t.world", err, sizeof err));
    assert_string_equal(err, "");
    strcpy(err, "poison");
    assert_hr(E_INVALIDARG, bht_fake_world_load(NULL, "x.world", err, sizeof err));
    assert_string_equal(err, "");
    assert_hr(E_INVALIDARG, bht_fake_world_load(w, NULL, err, sizeof err));
    assert_hr(S_OK, bht_fake_world_parse(w, "", "t.world", NULL, 0));
}

/* A world file is text: a NUL byte in it is refused, with the file named. */
static void a_world_file_with_a_nul_byte_is_refused(void **state)
{
    static const char text[] = "user A\\b password=p\n\0\n";
    void *fixture = NULL;
    char path[600], want[700];

    (void)state;
    assert_int_equal(fake_t_setup(&fixture), 0); /* for its folder */
    fake_t_path(fixture, path, sizeof path, "nul-byte.world");
    fake_t_write_file(path, text, sizeof text - 1);
    alloc_track_begin();
    assert_hr(E_INVALIDARG, bht_fake_world_load(w, path, err, sizeof err));
    assert_int_equal(alloc_track_end(), 0); /* the text read is freed */
    snprintf(want, sizeof want, "%s: contains a NUL byte (not a text file)", path);
    assert_string_equal(err, want);
    assert_int_equal(w->users.n, 0);
    fake_t_write_file(path, text, sizeof text - 3); /* without the NUL: loads */
    assert_hr(S_OK, bht_fake_world_load(w, path, err, sizeof err));
    assert_int_equal(w->users.n, 2); /* A\b and LOCAL\owner */
    fake_t_teardown(&fixture);
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
        T(every_other_refusal_names_its_line),
        T(a_line_has_at_most_32_fields),
        T(every_value_reaches_the_world),
        T(policy_limits_win_over_the_options),
        T(names_and_paths_at_their_limits),
        T(content_paths_are_relative_to_the_world_file),
        T(world_text_must_be_utf8),
        T(errors_fit_the_buffer_given),
        T(a_world_file_with_a_nul_byte_is_refused),
    };
    return cmocka_run_group_tests_name("fake_world_file", tests, NULL, NULL);
}
