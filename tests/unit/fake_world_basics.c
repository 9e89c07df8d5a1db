/* bitsht fake: the world's own parts (fake_world.c) — users and the implicit owner, the
 * folder that governs a path, the virtual clock, the fault plan, the call log and the
 * accounting tests read. */
#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* symlink */
#endif
#include "fake_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include "../../fakes/fake_internal.h"

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

/* folders that do not exist, in the host's syntax */
#ifdef _WIN32
#define NX "C:\\nonexistent-bht"
#define S "\\"
#else
#define NX "/nonexistent-bht"
#define S "/"
#endif

/* A world no text named an owner of: LOCAL\owner, made once, non-admin, no password. */
static void the_implicit_owner_is_made_once(void **state)
{
    struct bht_fake_world *w = bht_fake_world_new();
    struct fake_user *u;
    char err[256];

    (void)state;
    assert_non_null(w);
    u = fake_owner(w);
    assert_non_null(u);
    assert_string_equal(u->domain, "LOCAL");
    assert_string_equal(u->name, "owner");
    assert_null(u->password);
    assert_int_equal(u->admin, 0);
    assert_int_equal(u->logon_mask, 0);
    assert_string_equal(u->sid, "S-1-5-21-1004336348-1177238915-682003330-1000");
    assert_ptr_equal(fake_owner(w), u);
    assert_int_equal(w->users.n, 1);
    assert_ptr_equal(fake_caller(w).local, u);
    assert_ptr_equal(fake_caller(w).network, u);
    bht_fake_world_free(w);

    /* declared (and no longer the owner, as a test may arrange): found, not made again */
    w = bht_fake_world_new();
    assert_hr(S_OK, bht_fake_world_parse(w, "user LOCAL\\owner password=p admin\n", NULL, err,
                                         sizeof err));
    u = w->owner;
    w->owner = NULL;
    assert_ptr_equal(fake_owner(w), u);
    assert_string_equal(u->password, "p");
    assert_int_equal(w->users.n, 1);
    bht_fake_world_free(w);
}

static void users_are_found_by_qualified_name_without_case(void **state)
{
    struct fake_t *t = *state;
    char long_domain[200];

    assert_string_equal(fake_find_user(t->w, "corp\\ALICE")->name, "alice");
    assert_null(fake_find_user(t->w, "alice"));
    assert_null(fake_find_user(t->w, "CORP\\nobody"));
    assert_null(fake_find_user(t->w, "\\alice"));
    memset(long_domain, 'd', 127);
    strcpy(long_domain + 127, "\\alice");
    assert_null(fake_find_user(t->w, long_domain)); /* 127 bytes: a domain, none declared */
    memset(long_domain, 'd', 128);
    strcpy(long_domain + 128, "\\alice");
    assert_null(fake_find_user(t->w, long_domain)); /* 128: longer than any domain */
    assert_int_equal(fake_ascii_casecmp("AbZ", "aBz"), 0);
    assert_int_equal(fake_ascii_casecmp("az", "AZ"), 0);
    assert_true(fake_ascii_casecmp("a", "b") < 0);
    assert_true(fake_ascii_casecmp("b", "A") > 0);
    assert_true(fake_ascii_casecmp("ab", "a") > 0);
    assert_true(fake_ascii_casecmp("a", "ab") < 0);
    assert_true(fake_ascii_casecmp("[", "a") != 0); /* '[' follows 'Z': no case of it */
    assert_true(fake_ascii_casecmp("@", "`") != 0);
}

static void user_names_have_a_limit(void **state)
{
    char name[129];
    struct fake_user *u;

    (void)state;
    memset(name, 'n', 127);
    name[127] = '\0';
    u = fake_user_new(name, name, NULL, 1, 5, 1234);
    assert_non_null(u);
    assert_string_equal(u->domain, name);
    assert_null(u->password);
    assert_int_equal(u->admin, 1);
    assert_int_equal(u->logon_mask, 5);
    assert_string_equal(u->sid, "S-1-5-21-1004336348-1177238915-682003330-1234");
    fake_user_free(u);
    strcat(name, "n");
    assert_null(fake_user_new(name, "x", NULL, 0, 0, 1));
    assert_null(fake_user_new("x", name, NULL, 0, 0, 1));
}

/* C20: the most specific declared folder governs, whatever the order of declaration. */
static void the_most_specific_folder_governs(void **state)
{
    struct fake_t *t = *state;
    const struct fake_folder *f;

    fake_t_world(t, "folder " NX S "a writable-by=CORP\\alice\n"
                    "folder " NX S "a" S "b" S "c writable-by=CORP\\bob\n"
                    "folder " NX S "a" S "b writable-by=CORP\\root\n");
    f = fake_find_folder(t->w, NX S "a" S "b" S "c" S "d");
    assert_non_null(f);
    assert_string_equal(f->path, NX S "a" S "b" S "c");
    f = fake_find_folder(t->w, NX S "a" S "b" S "x");
    assert_string_equal(f->path, NX S "a" S "b");
    f = fake_find_folder(t->w, NX S "a");
    assert_string_equal(f->path, NX S "a");
    assert_null(fake_find_folder(t->w, NX S "ab"));
    assert_ptr_equal(fake_find_folder(t->w, t->restricted), t->w->folders[0]); /* declared first */
    fake_t_world(t, NULL); /* the fixture's one folder */
    assert_int_equal(t->w->n_folders, 1);
    assert_ptr_equal(fake_find_folder(t->w, t->restricted), t->w->folders[0]);
    assert_null(fake_find_folder(t->w, t->dir));
#ifndef _WIN32
    { /* two spellings of one folder (a link): the first declared governs */
        char real[600], alias[600], text[1400];

        fake_t_path(t, real, sizeof real, "real");
        fake_t_path(t, alias, sizeof alias, "alias");
        fake_t_mkdir(real);
        assert_int_equal(symlink(real, alias), 0);
        snprintf(text, sizeof text, "folder %s writable-by=CORP\\alice\nfolder %s writable-by=CORP\\bob\n",
                 real, alias);
        fake_t_world(t, text);
        assert_string_equal(fake_find_folder(t->w, real)->path, real);
        assert_string_equal(fake_find_folder(t->w, alias)->path, real);
        remove(alias);
        fake_t_rmdir(real);
    }
#endif
}

/* The clock never reaches UINT64_MAX, which means "no event" to the scheduler. */
static void the_clock_adds_and_stops_short_of_no_event(void **state)
{
    struct fake_t *t = *state;

    bht_fake_advance(t->w, 10);
    assert_int_equal(bht_fake_now_ms(t->w), 10);
    bht_fake_advance(t->w, 0);
    assert_int_equal(bht_fake_now_ms(t->w), 10);
    bht_fake_advance(t->w, UINT64_MAX - 12);
    assert_int_equal(bht_fake_now_ms(t->w), UINT64_MAX - 2);
    bht_fake_advance(t->w, 2); /* exactly to UINT64_MAX: held one short */
    assert_int_equal(bht_fake_now_ms(t->w), UINT64_MAX - 1);
    bht_fake_advance(t->w, UINT64_MAX);
    assert_int_equal(bht_fake_now_ms(t->w), UINT64_MAX - 1);
}

static void ops_outside_the_list_have_no_plan_and_no_name(void **state)
{
    struct fake_t *t = *state;
    const enum bht_fake_op bad = (enum bht_fake_op)BHT_OP_COUNT;

    /* A plan for the first op puts non-zero numbers right after the call counts: an op
     * one past the list must not read them. */
    assert_int_equal(bht_fake_fail(t->w, BHT_OP_CREATE_JOB, 7, E_FAIL, BHT_FAULT_ONCE), 0);
    assert_int_equal(bht_fake_fail(t->w, bad, 1, E_FAIL, BHT_FAULT_ONCE), 0);
    assert_int_equal(bht_fake_faults_fired(t->w, bad), 0);
    assert_int_equal(bht_fake_calls(t->w, bad), 0);
    assert_string_equal(bht_fake_op_name(bad), "unknown_op");
    assert_string_equal(bht_fake_op_name(BHT_OP_CREATE_JOB), "create_job");
    assert_string_equal(bht_fake_op_name((enum bht_fake_op)(BHT_OP_COUNT - 1)), "set_cost_flags");
    assert_int_equal(bht_fake_jobs_in_state(t->w, (enum bht_job_state)BHT_JOB_STATE_COUNT), 0);
}

/* A plan fires on call N (once) or from N on (persistent); replacing it says how often the
 * old one fired and starts counting again. */
static void fault_plans_fire_on_their_call(void **state)
{
    struct fake_t *t = *state;
    unsigned calls0 = bht_fake_calls(t->w, BHT_OP_CANCEL);

    assert_int_equal(bht_fake_fail(t->w, BHT_OP_CANCEL, calls0 + 2, E_ACCESSDENIED,
                                   BHT_FAULT_PERSISTENT), 0);
    assert_hr(S_OK, fake_enter(t->w, BHT_OP_CANCEL));
    assert_hr(E_ACCESSDENIED, fake_enter(t->w, BHT_OP_CANCEL));
    assert_hr(E_ACCESSDENIED, fake_enter(t->w, BHT_OP_CANCEL));
    assert_int_equal(bht_fake_calls(t->w, BHT_OP_CANCEL), calls0 + 3);
    assert_int_equal(bht_fake_faults_fired(t->w, BHT_OP_CANCEL), 2);
    assert_int_equal(bht_fake_fail(t->w, BHT_OP_CANCEL, calls0 + 5, E_FAIL, BHT_FAULT_ONCE), 2);
    assert_int_equal(bht_fake_faults_fired(t->w, BHT_OP_CANCEL), 0);
    assert_hr(S_OK, fake_enter(t->w, BHT_OP_CANCEL));
    assert_hr(E_FAIL, fake_enter(t->w, BHT_OP_CANCEL));
    assert_hr(S_OK, fake_enter(t->w, BHT_OP_CANCEL)); /* once */
    assert_int_equal(bht_fake_faults_fired(t->w, BHT_OP_CANCEL), 1);
    bht_fake_fail(t->w, BHT_OP_CANCEL, 0, E_FAIL, BHT_FAULT_PERSISTENT); /* call 0: none */
    assert_hr(S_OK, fake_enter(t->w, BHT_OP_CANCEL));
}

/* The call log: "op args -> NAME", or the code in hex when it has no name; a ring of the
 * last entries. */
static void the_call_log_keeps_the_last_entries(void **state)
{
    struct fake_t *t = *state;

    bht_fake_set_log_limit(t->w, 2);
    assert_int_equal(bht_fake_log_size(t->w), 0);
    assert_hr(E_ACCESSDENIED, fake_leave(t->w, BHT_OP_CANCEL, E_ACCESSDENIED, NULL));
    assert_hr(S_OK, fake_leave(t->w, BHT_OP_RESUME, S_OK, "job=%d", 7));
    assert_int_equal(bht_fake_log_size(t->w), 2);
    assert_string_equal(bht_fake_log_entry(t->w, 0), "cancel -> E_ACCESSDENIED");
    assert_string_equal(bht_fake_log_entry(t->w, 1), "resume job=7 -> S_OK");
    assert_null(bht_fake_log_entry(t->w, 2));
    assert_hr(0x80001234, fake_leave(t->w, BHT_OP_WAIT, (bht_hr)0x80001234, NULL));
    assert_hr(0x80001235, fake_leave(t->w, BHT_OP_WAIT, (bht_hr)0x80001235, "x"));
    assert_int_equal(bht_fake_log_size(t->w), 2);
    assert_string_equal(bht_fake_log_entry(t->w, 0), "wait -> 0x80001234");
    assert_string_equal(bht_fake_log_entry(t->w, 1), "wait x -> 0x80001235");
    assert_hr(S_OK, fake_leave(t->w, BHT_OP_CLOSE, S_OK, NULL));
    assert_string_equal(bht_fake_log_entry(t->w, 0), "wait x -> 0x80001235");
    assert_string_equal(bht_fake_log_entry(t->w, 1), "close -> S_OK");
    bht_fake_set_log_limit(t->w, 0); /* no log at all */
    assert_hr(E_FAIL, fake_leave(t->w, BHT_OP_CLOSE, E_FAIL, NULL));
    assert_int_equal(bht_fake_log_size(t->w), 0);
    assert_null(bht_fake_log_entry(t->w, 0));
}

/* C114: the pairs a job has implicit credentials for, in a fixed order. */
static void implicit_credentials_name_every_pair(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = fake_t_new_job(t);
    char id[BHT_JOB_ID_SIZE], out[256];
    struct fake_job *j;

    assert_hr(S_OK, t->b->get_id(t->w, job, id));
    j = fake_job_by_serial(t->w, 1);
    assert_non_null(j);
    j->credentials = FAKE_CRED_ALL;
    assert_hr(S_OK, bht_fake_implicit_credentials(t->w, id, out, sizeof out));
    assert_string_equal(out, "server/negotiate server/ntlm proxy/negotiate proxy/ntlm "
                             "server/basic server/digest server/passport proxy/basic "
                             "proxy/digest proxy/passport");
    /* exactly the size it needs, then one byte short */
    assert_hr(S_OK, bht_fake_implicit_credentials(t->w, id, out, strlen(out) + 1));
    assert_hr(E_OUTOFMEMORY, bht_fake_implicit_credentials(t->w, id, out, strlen(out)));
    { /* each pair alone: its own bit, its own name */
        static const struct {
            int target, scheme;
            const char *name;
        } one[] = {
            {FAKE_AUTH_TARGET_SERVER, FAKE_AUTH_SCHEME_NEGOTIATE, "server/negotiate"},
            {FAKE_AUTH_TARGET_SERVER, FAKE_AUTH_SCHEME_NTLM, "server/ntlm"},
            {FAKE_AUTH_TARGET_PROXY, FAKE_AUTH_SCHEME_NEGOTIATE, "proxy/negotiate"},
            {FAKE_AUTH_TARGET_PROXY, FAKE_AUTH_SCHEME_NTLM, "proxy/ntlm"},
            {FAKE_AUTH_TARGET_SERVER, 1, "server/basic"},
            {FAKE_AUTH_TARGET_SERVER, 2, "server/digest"},
            {FAKE_AUTH_TARGET_SERVER, 5, "server/passport"},
            {FAKE_AUTH_TARGET_PROXY, 1, "proxy/basic"},
            {FAKE_AUTH_TARGET_PROXY, 2, "proxy/digest"},
            {FAKE_AUTH_TARGET_PROXY, 5, "proxy/passport"},
        };
        size_t i;

        for (i = 0; i < sizeof one / sizeof *one; i++) {
            j->credentials = FAKE_CRED_BIT(one[i].target, one[i].scheme);
            assert_hr(S_OK, bht_fake_implicit_credentials(t->w, id, out, sizeof out));
            assert_string_equal(out, one[i].name);
        }
    }
    strcpy(out, "poison");
    assert_hr(BG_E_NOT_FOUND, bht_fake_implicit_credentials(t->w, NULL, out, sizeof out));
    assert_string_equal(out, "");
    assert_hr(BG_E_NOT_FOUND, bht_fake_implicit_credentials(
                                  t->w, "{00000002-FA4E-4B17-9B17-0000B175B175}", out, sizeof out));
    assert_hr(BG_E_NOT_FOUND, bht_fake_implicit_credentials(t->w, "not an id", out, sizeof out));
    t->b->release(t->w, job);
}

/* A new world is a default Windows 10 BITS: C24 200 files a job, C05 60 jobs a user, C06
 * 300 a machine, §2.4 MinimumRetryDelay 600 s and NoProgressTimeout 14 days. */
static void a_new_world_has_the_windows_defaults(void **state)
{
    struct bht_fake_world *w = bht_fake_world_new();

    (void)state;
    assert_non_null(w);
    assert_int_equal(w->profile, BHT_FAKE_PROFILE_WINDOWS);
    assert_int_equal(w->admin_rule, FAKE_ADMIN_RULE_1607);
    assert_string_equal(w->local_domain, "LOCAL");
    assert_int_equal(w->max_files_per_job, 200);
    assert_int_equal(w->max_jobs_per_user, 60);
    assert_int_equal(w->max_jobs_per_machine, 300);
    assert_int_equal(w->retry_delay_ms, 600000);
    assert_int_equal(w->no_progress_timeout_ms, 1209600000ull);
    assert_int_equal(w->epoch_unix_s, FAKE_DEFAULT_EPOCH_UNIX_S);
    assert_int_equal(w->next_serial, 1);
    assert_int_equal(w->log_limit, FAKE_LOG_DEFAULT_LIMIT);
    assert_int_equal(w->now_ms, 0);
    assert_null(w->owner);
    bht_fake_world_free(w);
    bht_fake_world_free(NULL); /* the free functions take NULL, as free does */
    fake_user_free(NULL);
    fake_resource_free(NULL);
    fake_folder_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_world_has_the_windows_defaults),
        cmocka_unit_test(the_implicit_owner_is_made_once),
        T(users_are_found_by_qualified_name_without_case),
        cmocka_unit_test(user_names_have_a_limit),
        T(the_most_specific_folder_governs),
        T(the_clock_adds_and_stops_short_of_no_event),
        T(ops_outside_the_list_have_no_plan_and_no_name),
        T(fault_plans_fire_on_their_call),
        T(the_call_log_keeps_the_last_entries),
        T(implicit_credentials_name_every_pair),
    };
    return cmocka_run_group_tests_name("fake_world_basics", tests, NULL, NULL);
}
