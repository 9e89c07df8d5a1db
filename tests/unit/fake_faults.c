/* bitsht fake: fault injection, call counting, the call log, the virtual clock and the
 * per-op cost the benchmark depends on (docs/design.md, "The fake"). */
#include "fake_support.h"

#include <stdio.h>
#include <string.h>

#define T(name) cmocka_unit_test_setup_teardown(name, fake_t_setup_job, fake_t_teardown)

static void the_nth_call_fails_once_with_the_planned_hresult(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st;

    assert_int_equal(bht_fake_fail(t->w, BHT_OP_GET_STATE, 2, E_ACCESSDENIED, BHT_FAULT_ONCE), 0);
    assert_hr(S_OK, t->b->get_state(t->w, t->job, &st));
    assert_hr(E_ACCESSDENIED, t->b->get_state(t->w, t->job, &st));
    assert_hr(S_OK, t->b->get_state(t->w, t->job, &st));
    assert_int_equal(bht_fake_calls(t->w, BHT_OP_GET_STATE), 3);
    assert_int_equal(bht_fake_faults_fired(t->w, BHT_OP_GET_STATE), 1);
}

static void a_persistent_fault_fails_every_call_from_the_nth(void **state)
{
    struct fake_t *t = *state;
    int i;

    bht_fake_fail(t->w, BHT_OP_RESUME, 1, BG_E_NOT_FOUND, BHT_FAULT_PERSISTENT);
    for (i = 0; i < 3; i++)
        assert_hr(BG_E_NOT_FOUND, t->b->resume(t->w, t->job));
    /* replacing the plan reports how often the old one fired */
    assert_int_equal(bht_fake_fail(t->w, BHT_OP_RESUME, 0, S_OK, BHT_FAULT_ONCE), 3);
    assert_hr(BG_E_EMPTY, t->b->resume(t->w, t->job));
}

static void an_injected_create_job_failure_leaves_no_job_and_a_null_output(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *job = (struct bht_job *)0xdeadbeef;

    bht_fake_fail(t->w, BHT_OP_CREATE_JOB, 2, E_OUTOFMEMORY, BHT_FAULT_ONCE);
    assert_hr(E_OUTOFMEMORY, t->b->create_job(t->w, "bitsht:x", &job));
    assert_null(job);
    assert_int_equal(bht_fake_job_count(t->w), 1); /* only the fixture's job */
}

static void identity_ops_can_fail_too_and_close_still_frees_the_token(void **state)
{
    struct fake_t *t = *state;
    struct bht_token *tok = NULL;

    bht_fake_fail(t->w, BHT_OP_IMPERSONATE, 1, BHT_E_BAD_IMPERSONATION_LEVEL, BHT_FAULT_ONCE);
    bht_fake_fail(t->w, BHT_OP_CLOSE, 1, BHT_E_INVALID_HANDLE, BHT_FAULT_ONCE);
    assert_hr(S_OK, t->id->logon(t->w, "CORP", "alice", "S3cret!", BHT_LOGON_INTERACTIVE, &tok));
    assert_hr(BHT_E_BAD_IMPERSONATION_LEVEL, t->id->impersonate(t->w, tok));
    assert_int_equal(bht_fake_impersonation_depth(t->w), 0);
    assert_hr(BHT_E_INVALID_HANDLE, t->id->close(t->w, tok));
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
}

static void the_log_records_every_op_with_its_result(void **state)
{
    struct fake_t *t = *state;
    char id[BHT_JOB_ID_SIZE], line[128];
    enum bht_job_state st;

    t->b->get_id(t->w, t->job, id);
    bht_fake_fail(t->w, BHT_OP_GET_STATE, 1, E_UNEXPECTED, BHT_FAULT_ONCE);
    t->b->get_state(t->w, t->job, &st);
    t->b->resume(t->w, t->job);
    snprintf(line, sizeof line, "resume %s -> BG_E_EMPTY", id);
    assert_string_equal(bht_fake_log_entry(t->w, bht_fake_log_size(t->w) - 1), line);
    snprintf(line, sizeof line, "get_state %s -> E_UNEXPECTED", id);
    assert_string_equal(bht_fake_log_entry(t->w, bht_fake_log_size(t->w) - 2), line);
    assert_true(fake_t_log_has(t, "create_job \"bitsht:test\" {00000001-"));
    assert_null(bht_fake_log_entry(t->w, bht_fake_log_size(t->w)));
}

static void the_log_keeps_only_the_most_recent_entries(void **state)
{
    struct fake_t *t = *state;
    enum bht_job_state st;
    int i;

    bht_fake_set_log_limit(t->w, 4);
    for (i = 0; i < 10; i++)
        t->b->get_state(t->w, t->job, &st);
    t->b->suspend(t->w, t->job);
    assert_int_equal(bht_fake_log_size(t->w), 4);
    assert_true(!strncmp(bht_fake_log_entry(t->w, 3), "suspend ", 8));
    assert_true(!strncmp(bht_fake_log_entry(t->w, 0), "get_state ", 10));
    bht_fake_set_log_limit(t->w, 0); /* off */
    t->b->get_state(t->w, t->job, &st);
    assert_int_equal(bht_fake_log_size(t->w), 0);
    assert_int_equal(bht_fake_calls(t->w, BHT_OP_GET_STATE), 11); /* counting goes on */
}

static void every_op_has_a_name(void **state)
{
    int op;

    (void)state;
    for (op = 0; op < BHT_OP_COUNT; op++)
        assert_true(strlen(bht_fake_op_name((enum bht_fake_op)op)) > 0);
    assert_string_equal(bht_fake_op_name(BHT_OP_SET_HELPER_TOKEN), "set_helper_token");
    assert_string_equal(bht_fake_op_name(BHT_OP_COUNT), "unknown_op");
}

static void both_ops_structs_pass_the_layer_checks(void **state)
{
    struct fake_t *t = *state;
    struct bht_backend be;

    bht_fake_backend(t->w, &be);
    assert_hr(S_OK, bht_bits_ops_check(be.bits));
    assert_hr(S_OK, bht_identity_ops_check(be.identity));
    assert_ptr_equal(be.bits_ctx, t->w);
    assert_string_equal(be.bits->name, "fake");
}

/* A day of virtual time passes without work when nothing is scheduled. */
static void advancing_the_clock_costs_nothing_when_idle(void **state)
{
    struct fake_t *t = *state;

    bht_fake_advance(t->w, 24u * 3600u * 1000u);
    assert_int_equal(bht_fake_now_ms(t->w), 24u * 3600u * 1000u);
    assert_int_equal(t->b->clock_ms(t->w), 24u * 3600u * 1000u);
}

/* One clock for the world: waiting on one job moves every job (BITS runs them all). */
static void waiting_on_one_job_moves_every_job_on_the_same_clock(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *other;
    struct bht_progress p;
    char a[600], b[600];

    fake_t_world(t, "resource https://cdn.example/slow size=3000 rate=1000\n"
                    "resource https://cdn.example/slower size=3000 rate=500\n");
    t->job = fake_t_new_job(t);
    other = fake_t_new_job(t);
    fake_t_path(t, a, sizeof a, "a.bin");
    fake_t_path(t, b, sizeof b, "b.bin");
    assert_hr(S_OK, t->b->add_file(t->w, t->job, "https://cdn.example/slow", a));
    assert_hr(S_OK, t->b->add_file(t->w, other, "https://cdn.example/slower", b));
    assert_hr(S_OK, t->b->resume(t->w, t->job));
    assert_hr(S_OK, t->b->resume(t->w, other));
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, t->job));
    assert_int_equal(bht_fake_now_ms(t->w), 3000);
    assert_hr(S_OK, t->b->get_progress(t->w, other, &p));
    assert_int_equal(p.bytes_transferred, 1500);
    assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, other));
    assert_int_equal(bht_fake_now_ms(t->w), 6000);
    t->b->release(t->w, other);
}

/* The benchmark's shape: finished jobs leave every list, so the 300th job costs what
 * the first did. Checked by counts, not by timing. */
static void finished_jobs_leave_the_queue_and_the_log_stays_bounded(void **state)
{
    struct fake_t *t = *state;
    char local[600];
    int i;

    fake_t_path(t, local, sizeof local, "bench.bin");
    for (i = 0; i < 300; i++) {
        struct bht_job *job = fake_t_new_job(t);
        fake_t_set_alice_helper(t, job, BHT_TOKEN_LOCAL_FILE);
        assert_hr(S_OK, t->b->add_file(t->w, job, PUBLIC_URL, local));
        assert_hr(S_OK, t->b->resume(t->w, job));
        assert_state(BHT_JOB_TRANSFERRED, fake_t_run(t, job));
        assert_hr(S_OK, t->b->complete(t->w, job));
        t->b->release(t->w, job);
    }
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_ACKNOWLEDGED), 300);
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_TRANSFERRED), 0);
    assert_int_equal(bht_fake_jobs_in_state(t->w, BHT_JOB_SUSPENDED), 1); /* the fixture's */
    assert_int_equal(bht_fake_job_count(t->w), 301);
    assert_true(bht_fake_log_size(t->w) <= 1024);
    assert_int_equal(bht_fake_open_tokens(t->w), 0);
    assert_true(fake_t_file_is_pattern(local, PUBLIC_SIZE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_nth_call_fails_once_with_the_planned_hresult),
        T(a_persistent_fault_fails_every_call_from_the_nth),
        T(an_injected_create_job_failure_leaves_no_job_and_a_null_output),
        T(identity_ops_can_fail_too_and_close_still_frees_the_token),
        T(the_log_records_every_op_with_its_result),
        T(the_log_keeps_only_the_most_recent_entries),
        T(every_op_has_a_name),
        T(both_ops_structs_pass_the_layer_checks),
        T(advancing_the_clock_costs_nothing_when_idle),
        T(waiting_on_one_job_moves_every_job_on_the_same_clock),
        T(finished_jobs_leave_the_queue_and_the_log_stays_bounded),
    };
    return cmocka_run_group_tests_name("fake_faults", tests, NULL, NULL);
}
