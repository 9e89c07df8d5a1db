/* bitsht fake: the manager rows — create, open, enumerate, limits, state and progress
 * (docs/contract.md C01-C13, C53-C57). */
#include "fake_support.h"

#include <stdio.h>
#include <string.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup, fake_t_teardown)

/* C01, C55 */
static void create_job_starts_suspended_with_zero_progress_and_notify_flags_3(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = (struct bht_job *)0xdeadbeef;
    enum bht_job_state st = (enum bht_job_state)0x7777;
    struct bht_progress p;
    uint32_t flags = 0xdeadbeef;
    char id[BHT_JOB_ID_SIZE];

    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:one", &job));
    assert_hr(S_OK, t->b->get_state(t->w, job, &st));
    assert_state(BHT_JOB_SUSPENDED, st);
    memset(&p, 0x55, sizeof p);
    assert_hr(S_OK, t->b->get_progress(t->w, job, &p));
    assert_int_equal(p.bytes_total, 0);
    assert_int_equal(p.bytes_transferred, 0);
    assert_int_equal(p.files_total, 0);
    assert_int_equal(p.files_transferred, 0);
    assert_hr(S_OK, t->b->get_notify_flags(t->w, job, &flags));
    assert_int_equal(flags, 0x3);
    assert_hr(S_OK, t->b->get_id(t->w, job, id));
    /* deterministic per world: the first job of every world has this id */
    assert_string_equal(id, "{00000001-FA4E-4B17-9B17-0000B175B175}");
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_SUSPENDED), 1);
    t->b->release(t->w, job);
}

/* C01: a new GUID per job */
static void each_job_gets_a_new_id(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t), *b = fake_t_new_job(t);
    char ida[BHT_JOB_ID_SIZE], idb[BHT_JOB_ID_SIZE];

    assert_hr(S_OK, t->b->get_id(t->w, a, ida));
    assert_hr(S_OK, t->b->get_id(t->w, b, idb));
    assert_string_not_equal(ida, idb);
    assert_int_equal(bht_fake_job_count(t->w), 2);
    t->b->release(t->w, a);
    t->b->release(t->w, b);
}

/* C02 */
static void create_job_with_257_character_name_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;
    char name[300];
    struct bht_job *job = (struct bht_job *)0xdeadbeef;

    memset(name, 'n', 257);
    name[257] = '\0';
    assert_hr(E_INVALIDARG, t->b->create_job(t->w, name, &job));
    assert_null(job);
    name[256] = '\0'; /* exactly the limit is fine */
    assert_hr(S_OK, t->b->create_job(t->w, name, &job));
    t->b->release(t->w, job);
}

/* C03 */
static void create_job_with_null_name_fails_with_rpc_null_ref_pointer(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = (struct bht_job *)0xdeadbeef;

    assert_hr(BHT_E_RPC_NULL_REF_POINTER, t->b->create_job(t->w, NULL, &job));
    assert_null(job);
    assert_int_equal(bht_fake_job_count(t->w), 0);
}

/* C05 */
static void create_job_beyond_jobs_per_user_limit_fails(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *jobs[3], *extra = (struct bht_job *)0xdeadbeef;
    int i;

    fake_t_world(t, "option max-jobs-per-user=3\n");
    for (i = 0; i < 3; i++)
        jobs[i] = fake_t_new_job(t);
    assert_hr(BG_E_TOO_MANY_JOBS_PER_USER, t->b->create_job(t->w, "bitsht:x", &extra));
    assert_null(extra);
    /* final jobs have left the queue and no longer count (question 15) */
    assert_hr(S_OK, t->b->cancel(t->w, jobs[0]));
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:x", &extra));
    t->b->release(t->w, extra);
    for (i = 0; i < 3; i++)
        t->b->release(t->w, jobs[i]);
}

/* C05: administrators are exempt */
static void admin_owner_is_exempt_from_jobs_per_user_limit(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *jobs[3];
    int i;

    fake_t_world(t, "option max-jobs-per-user=1\noption owner=CORP\\root\n");
    for (i = 0; i < 3; i++)
        jobs[i] = fake_t_new_job(t);
    for (i = 0; i < 3; i++)
        t->b->release(t->w, jobs[i]);
}

/* C06 */
static void create_job_beyond_machine_limit_fails(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a, *b, *c = (struct bht_job *)0xdeadbeef;

    fake_t_world(t, "option max-jobs-per-machine=2\noption owner=CORP\\root\n");
    a = fake_t_new_job(t);
    b = fake_t_new_job(t);
    assert_hr(BG_E_TOO_MANY_JOBS_PER_MACHINE, t->b->create_job(t->w, "bitsht:x", &c));
    assert_null(c);
    t->b->release(t->w, a);
    t->b->release(t->w, b);
}

/* C08 */
static void open_job_with_unknown_guid_fails_with_bg_e_not_found(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = (struct bht_job *)0xdeadbeef;

    assert_hr(BG_E_NOT_FOUND,
              t->b->open_job(t->w, "{00000009-FA4E-4B17-9B17-0000B175B175}", &job));
    assert_null(job);
    assert_hr(BG_E_NOT_FOUND,
              t->b->open_job(t->w, "{12345678-1234-1234-1234-123456789012}", &job));
    assert_hr(E_INVALIDARG, t->b->open_job(t->w, "not-a-guid", &job));
    assert_hr(BHT_E_RPC_NULL_REF_POINTER, t->b->open_job(t->w, NULL, &job));
}

/* C08: a handle of an open job reaches the same job; releasing never cancels */
static void open_job_finds_a_released_job_in_its_state(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = fake_t_new_job(t), *again = NULL;
    char id[BHT_JOB_ID_SIZE], lower[BHT_JOB_ID_SIZE];
    enum bht_job_state st = (enum bht_job_state)0x7777;
    size_t i;

    assert_hr(S_OK, t->b->get_id(t->w, job, id));
    t->b->release(t->w, job);
    for (i = 0; i < sizeof lower; i++) /* GUID strings compare without case */
        lower[i] = (char)((id[i] >= 'A' && id[i] <= 'F') ? id[i] - 'A' + 'a' : id[i]);
    assert_hr(S_OK, t->b->open_job(t->w, lower, &again));
    assert_hr(S_OK, t->b->get_state(t->w, again, &st));
    assert_state(BHT_JOB_SUSPENDED, st);
    t->b->release(t->w, again);
}

/* C09 */
static void open_job_on_cancelled_or_acknowledged_job_fails_with_bg_e_not_found(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *a = fake_t_new_job(t), *b = fake_t_new_job(t), *x = NULL;
    char ida[BHT_JOB_ID_SIZE], idb[BHT_JOB_ID_SIZE];
    enum bht_job_state st = (enum bht_job_state)0x7777;

    t->b->get_id(t->w, a, ida);
    t->b->get_id(t->w, b, idb);
    assert_hr(S_OK, t->b->cancel(t->w, a));
    assert_hr(S_OK, t->b->complete(t->w, b)); /* C40: empty job */
    assert_hr(BG_E_NOT_FOUND, t->b->open_job(t->w, ida, &x));
    assert_hr(BG_E_NOT_FOUND, t->b->open_job(t->w, idb, &x));
    assert_null(x);
    /* the handles still answer: the job object lives as long as its handles */
    assert_hr(S_OK, t->b->get_state(t->w, a, &st));
    assert_state(BHT_JOB_CANCELLED, st);
    assert_hr(S_OK, t->b->get_state(t->w, b, &st));
    assert_state(BHT_JOB_ACKNOWLEDGED, st);
    t->b->release(t->w, a);
    t->b->release(t->w, b);
}

/* C10 */
static void open_job_of_another_user_fails_with_e_accessdenied_unless_admin(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *alice = NULL, *root = NULL;
    struct bht_job *job = NULL, *x = (struct bht_job *)0xdeadbeef;
    char id[BHT_JOB_ID_SIZE];

    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &alice));
    assert_hr(S_OK, t->id->impersonate(t->w, alice));
    job = fake_t_new_job(t); /* alice owns it */
    assert_hr(S_OK, t->id->revert(t->w));
    t->b->get_id(t->w, job, id);
    assert_hr(E_ACCESSDENIED, t->b->open_job(t->w, id, &x));
    assert_null(x);
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "root", "toor", BHT_LOGON_INTERACTIVE, &root));
    assert_hr(S_OK, t->id->impersonate(t->w, root));
    assert_hr(S_OK, t->b->open_job(t->w, id, &x));
    assert_hr(S_OK, t->id->revert(t->w));
    t->b->release(t->w, x);
    t->b->release(t->w, job);
    t->id->close(t->w, alice);
    t->id->close(t->w, root);
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

/* C11 */
static void enum_jobs_lists_only_the_callers_live_jobs_with_the_prefix(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *mine1 = NULL, *mine2 = NULL, *other = NULL, *gone = NULL, *alices = NULL;
    struct bht_token *alice = NULL;
    struct bht_job_info *v = (struct bht_job_info *)0xdeadbeef;
    size_t n = 99;
    char id1[BHT_JOB_ID_SIZE];

    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:a", &mine1));
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:b", &mine2));
    assert_hr(S_OK, t->b->create_job(t->w, "someone-else", &other));
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:gone", &gone));
    assert_hr(S_OK, t->b->cancel(t->w, gone));
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &alice));
    assert_hr(S_OK, t->id->impersonate(t->w, alice));
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:alice", &alices));
    assert_hr(S_OK, t->id->revert(t->w));
    assert_hr(S_OK, t->b->enum_jobs(t->w, "bitsht:", &v, &n));
    assert_int_equal(n, 2);
    t->b->get_id(t->w, mine1, id1);
    assert_string_equal(v[0].id, id1);
    assert_string_equal(v[0].display_name, "bitsht:a");
    assert_int_equal(v[0].state, BHT_JOB_SUSPENDED);
    assert_string_equal(v[1].display_name, "bitsht:b");
    assert_int_equal(v[0].created_unix_s, 1700000000u);
    assert_int_equal(v[0].age_s, 0);
    t->b->free_mem(t->w, v);
    bht_fake_advance(t->w, 90500); /* age counts on the virtual clock, whole seconds */
    assert_hr(S_OK, t->b->enum_jobs(t->w, "bitsht:", &v, &n));
    assert_int_equal(v[1].age_s, 90);
    t->b->free_mem(t->w, v);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "", &v, &n));
    assert_int_equal(n, 3);
    t->b->free_mem(t->w, v);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "nothing-matches", &v, &n));
    assert_int_equal(n, 0);
    assert_null(v);
    t->b->release(t->w, mine1);
    t->b->release(t->w, mine2);
    t->b->release(t->w, other);
    t->b->release(t->w, gone);
    t->b->release(t->w, alices);
    t->id->close(t->w, alice);
}

/* What enum_jobs reports for each job: its progress, and its creation time and age in
 * whole seconds of the virtual clock (999 s: a divisor off by one shows). */
static void enum_jobs_reports_progress_and_whole_seconds(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = NULL;
    struct bht_job_info *v = NULL;
    size_t n = 0;
    char local[600];

    bht_fake_advance(t->w, 999000);
    assert_hr(S_OK, t->b->create_job(t->w, "bitsht:late", &job));
    fake_t_path(t, local, sizeof local, "late.bin");
    assert_hr(S_OK, t->b->add_file(t->w, job, PUBLIC_URL, local));
    bht_fake_advance(t->w, 999000);
    assert_hr(S_OK, t->b->enum_jobs(t->w, "bitsht:late", &v, &n));
    assert_int_equal(n, 1);
    assert_int_equal(v[0].created_unix_s, 1700000000u + 999u);
    assert_int_equal(v[0].age_s, 999);
    assert_int_equal(v[0].progress.files_total, 1);
    assert_true(v[0].progress.bytes_total == BHT_SIZE_UNKNOWN); /* not yet connected (C56) */
    t->b->free_mem(t->w, v);
    t->b->release(t->w, job);
}

/* C53 */
static void get_state_with_null_pointer_fails_and_leaves_the_job(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = fake_t_new_job(t);

    assert_hr(E_INVALIDARG, t->b->get_state(t->w, job, NULL));
    t->b->release(t->w, job);
}

/* C54 */
static void get_progress_with_null_pointer_fails_with_e_invalidarg(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = fake_t_new_job(t);

    assert_hr(E_INVALIDARG, t->b->get_progress(t->w, job, NULL));
    t->b->release(t->w, job);
}

/* C56 */
static void progress_after_add_file_has_unknown_bytes_total(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = fake_t_new_job(t);
    struct bht_progress p;
    char local[600];

    fake_t_path(t, local, sizeof local, "a.bin");
    assert_hr(S_OK, t->b->add_file(t->w, job, PUBLIC_URL, local));
    assert_hr(S_OK, t->b->get_progress(t->w, job, &p));
    assert_true(p.bytes_total == BHT_SIZE_UNKNOWN);
    assert_int_equal(p.bytes_transferred, 0);
    assert_int_equal(p.files_total, 1);
    assert_int_equal(p.files_transferred, 0);
    t->b->release(t->w, job);
}

/* C57 */
static void progress_after_transfer_counts_every_byte_and_file(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = fake_t_new_job(t);
    struct bht_progress p;
    char a[600], b[600];

    fake_t_path(t, a, sizeof a, "a.bin");
    fake_t_path(t, b, sizeof b, "b.bin");
    assert_hr(S_OK, t->b->add_file(t->w, job, PUBLIC_URL, a));
    assert_hr(S_OK, t->b->add_file(t->w, job, "https://cdn.example/stuck", b));
    assert_hr(S_OK, t->b->resume(t->w, job));
    bht_fake_advance(t->w, 1000);
    /* first file done, second connected (size known) but stalled */
    assert_hr(S_OK, t->b->get_progress(t->w, job, &p));
    assert_int_equal(p.bytes_total, PUBLIC_SIZE + 100);
    assert_int_equal(p.bytes_transferred, PUBLIC_SIZE);
    assert_int_equal(p.files_total, 2);
    assert_int_equal(p.files_transferred, 1);
    t->b->cancel(t->w, job);
    t->b->release(t->w, job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(create_job_starts_suspended_with_zero_progress_and_notify_flags_3),
        T(each_job_gets_a_new_id),
        T(create_job_with_257_character_name_fails_with_e_invalidarg),
        T(create_job_with_null_name_fails_with_rpc_null_ref_pointer),
        T(create_job_beyond_jobs_per_user_limit_fails),
        T(admin_owner_is_exempt_from_jobs_per_user_limit),
        T(create_job_beyond_machine_limit_fails),
        T(open_job_with_unknown_guid_fails_with_bg_e_not_found),
        T(open_job_finds_a_released_job_in_its_state),
        T(open_job_on_cancelled_or_acknowledged_job_fails_with_bg_e_not_found),
        T(open_job_of_another_user_fails_with_e_accessdenied_unless_admin),
        T(enum_jobs_lists_only_the_callers_live_jobs_with_the_prefix),
        T(enum_jobs_reports_progress_and_whole_seconds),
        T(get_state_with_null_pointer_fails_and_leaves_the_job),
        T(get_progress_with_null_pointer_fails_with_e_invalidarg),
        T(progress_after_add_file_has_unknown_bytes_total),
        T(progress_after_transfer_counts_every_byte_and_file),
    };
    return cmocka_run_group_tests_name("fake_manager", tests, NULL, NULL);
}
