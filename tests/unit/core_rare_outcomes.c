/* bitsht: the flow's rare outcomes and fault combinations (src/core/helper_token_job.c),
 * exact values: a success code other than S_OK from Complete (C38 BG_S_PARTIAL_COMPLETE),
 * a job cancelled or completed by another program while we wait, a second token drop
 * (C100: one recovery only), a revert that fails after an earlier failure, two faults in
 * one run (the cause is reported, never the cleanup's error), and the transient limit
 * exactly at its maximum. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"

static const char *const public_file[] = {PUBLIC_URL};

static void run(struct core_fixture *f)
{
    bht_run_transfer(&f->be, &f->req, &f->rep);
}

static void fail_once(struct core_fixture *f, enum bht_fake_op op, unsigned nth, bht_hr hr)
{
    bht_fake_fail(f->t->w, op, nth, hr, BHT_FAULT_ONCE);
}

/* C38: Complete answering a success code other than S_OK means a file did not make it:
 * a failed transfer (exit 1) at the complete step with that code, the job cancelled. */
static void complete_answering_partial_complete_is_a_failed_transfer(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_COMPLETE, 1, BG_S_PARTIAL_COMPLETE);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 1);
    assert_int_equal(f->rep.failed_step, BHT_STEP_COMPLETE);
    assert_hr(BG_S_PARTIAL_COMPLETE, f->rep.hr);
    assert_string_equal(f->rep.detail, "BITS completed only some of the files");
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(f->rep.job_left_in_queue, 0);
    assert_int_equal(fake_t_file_size(f->local[0]), -1);
    core_fixture_assert_clean(f);

    /* A failing Complete: the other message, same step. */
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_COMPLETE, 2, BG_E_INVALID_STATE);
    run(f);
    assert_int_equal(f->rep.failed_step, BHT_STEP_COMPLETE);
    assert_hr(BG_E_INVALID_STATE, f->rep.hr);
    assert_string_equal(f->rep.detail, "BITS could not move the downloaded files into place");
}

/* Another program acting on our job while we wait: polled through req->interrupted,
 * which the flow calls before every wait slice. */
struct intruder {
    struct core_fixture *f;
    int complete; /* 0: cancel the job; 1: let it finish, then complete it */
    int acted;
};

static int intrude(void *user)
{
    struct intruder *in = user;
    struct core_fixture *f = in->f;
    struct bht_job_info *jobs = NULL;
    struct bht_job *other = NULL;
    size_t n = 0;

    if (in->acted || bht_fake_calls(f->t->w, BHT_OP_RESUME) == 0)
        return 0;
    in->acted = 1;
    assert_hr(S_OK, f->t->b->enum_jobs(f->t->w, BHT_NAME_PREFIX, &jobs, &n));
    assert_int_equal(n, 1);
    assert_hr(S_OK, f->t->b->open_job(f->t->w, jobs[0].id, &other));
    f->t->b->free_mem(f->t->w, jobs);
    if (in->complete) {
        bht_fake_advance(f->t->w, 60 * 1000); /* the transfer ends meanwhile */
        assert_state(BHT_JOB_TRANSFERRED, fake_t_state(f->t, other));
        assert_hr(S_OK, f->t->b->complete(f->t->w, other));
    } else {
        assert_hr(S_OK, f->t->b->cancel(f->t->w, other));
    }
    f->t->b->release(f->t->w, other);
    return 0; /* we were never asked to stop */
}

static void job_finished_by_another_program_while_we_wait(void **state)
{
    struct core_fixture *f = *state;
    struct intruder in = {f, 0, 0};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    f->req.interrupted = intrude;
    f->req.event_user = &in;
    run(f);
    assert_int_equal(in.acted, 1);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_WAIT);
    assert_hr(BHT_E_CANCELLED, f->rep.hr);
    assert_string_equal(f->rep.detail, "another program cancelled the job");
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(f->rep.job_left_in_queue, 0); /* our own Cancel fails: it is final */
    core_fixture_assert_clean(f);

    in.acted = 0;
    in.complete = 1;
    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    f->req.interrupted = intrude;
    f->req.event_user = &in;
    run(f);
    assert_int_equal(in.acted, 1);
    assert_int_equal(f->rep.failed_step, BHT_STEP_WAIT);
    assert_hr(BHT_E_CANCELLED, f->rep.hr);
    assert_string_equal(f->rep.detail, "another program completed the job");
    assert_int_equal(f->rep.final_state, BHT_JOB_ACKNOWLEDGED);
    assert_int_equal(f->rep.job_left_in_queue, 0);
    assert_int_equal(fake_t_file_size(f->local[0]), PUBLIC_SIZE); /* the other one got it */
    core_fixture_assert_clean(f);
}

/* C100: BITS drops the helper token once: recovered; a second drop is the job's error. */
static void second_token_drop_is_not_recovered(void **state)
{
    struct core_fixture *f = *state;
    static const char *const two_flaky[] = {"https://cdn.example/flaky",
                                            "https://cdn.example/flaky2"};

    core_fixture_world(f, "resource https://cdn.example/flaky2 size=50000 rate=1000 "
                          "drop-token-after=20000\n");
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, two_flaky, 2, 0);
    run(f);
    assert_int_equal(f->rep.token_recoveries, 1);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_hr(BG_E_TOKEN_REQUIRED, f->rep.hr);
    assert_true(f->rep.has_bits_error);
    assert_hr(BG_E_TOKEN_REQUIRED, f->rep.bits_error.code);
    assert_string_equal(f->rep.detail, "BITS reported an error for the job");
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_HELPER_TOKEN), 2);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 1);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);
}

/* A recovery that fails: resuming after the token is restored. */
static void failed_resume_after_token_recovery(void **state)
{
    struct core_fixture *f = *state;
    static const char *const flaky[] = {"https://cdn.example/flaky"};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, flaky, 1, 0);
    fail_once(f, BHT_OP_RESUME, 2, E_ACCESSDENIED);
    run(f);
    assert_int_equal(f->rep.token_recoveries, 1);
    assert_int_equal(f->rep.failed_step, BHT_STEP_RESUME);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    assert_string_equal(f->rep.detail,
                        "could not resume the job after restoring the helper token");
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    core_fixture_assert_clean(f);
}

/* SetHelperToken fails, then both reverts fail: the report keeps the first failure (the
 * cause), revert was tried exactly twice, and the job is cancelled and the token closed
 * anyway. */
static void revert_failure_after_an_earlier_failure(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_SET_HELPER_TOKEN, 1, E_ACCESSDENIED);
    bht_fake_fail(f->t->w, BHT_OP_REVERT, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 3);
    assert_int_equal(f->rep.failed_step, BHT_STEP_SET_HELPER_TOKEN);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_REVERT), 2);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_HELPER_TOKEN_FLAGS), 0);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(bht_fake_open_tokens(f->t->w), 0);

    /* One failed revert after a failed SetHelperToken: the retry reverts, and the report
     * keeps the first failure with its own message. */
    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_SET_HELPER_TOKEN, 1, E_ACCESSDENIED);
    fail_once(f, BHT_OP_REVERT, 1, E_FAIL);
    run(f);
    assert_int_equal(f->rep.failed_step, BHT_STEP_SET_HELPER_TOKEN);
    assert_hr(E_ACCESSDENIED, f->rep.hr);
    assert_string_equal(f->rep.detail, "BITS refused the helper token (an administrator helper "
                                       "needs an administrator job owner)");
    assert_int_equal(bht_fake_impersonation_depth(f->t->w), 0);
}

/* Two faults in one run: the first failure is reported, the cleanup's is not; a Cancel
 * that fails on a job that is not final leaves it in the queue, said so. */
static void two_faults_report_the_cause(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_COMPLETE, 1, E_FAIL);
    fail_once(f, BHT_OP_CANCEL, 1, E_ACCESSDENIED);
    run(f);
    assert_int_equal(f->rep.failed_step, BHT_STEP_COMPLETE);
    assert_hr(E_FAIL, f->rep.hr);
    assert_int_equal(f->rep.job_left_in_queue, 1);
    assert_int_equal(bht_fake_jobs_in_state(f->t->w, BHT_JOB_TRANSFERRED), 1);
    core_fixture_assert_clean(f);

    /* Cancel fails and so does reading the state: left in the queue, as far as we know. */
    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_ADD_FILE, 1, E_INVALIDARG);
    fail_once(f, BHT_OP_CANCEL, 1, E_FAIL);
    bht_fake_fail(f->t->w, BHT_OP_GET_STATE, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    run(f);
    assert_int_equal(f->rep.failed_step, BHT_STEP_ADD_FILE);
    assert_hr(E_INVALIDARG, f->rep.hr);
    assert_int_equal(f->rep.job_left_in_queue, 1);

    /* Logon fails and closing... nothing to close: the token was never opened. */
    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_LOGON, 1, BHT_E_LOGON_FAILURE);
    fail_once(f, BHT_OP_CANCEL, 1, E_FAIL);
    run(f);
    assert_int_equal(f->rep.failed_step, BHT_STEP_LOGON);
    assert_hr(BHT_E_LOGON_FAILURE, f->rep.hr);
    assert_int_equal(f->rep.job_left_in_queue, 1);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_CLOSE), 0);
    core_fixture_assert_clean(f);
}

/* --max-transient N: exactly N transient errors are waited through, the N+1th fails. The
 * big.iso resource has 3 transient errors. */
static void transient_limit_exactly_at_the_maximum(void **state)
{
    struct core_fixture *f = *state;
    static const char *const big[] = {"https://cdn.example/big.iso"};

    core_fixture_world(f, NULL); /* the resource's transient errors are used up per world */
    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0; /* BITS's retry delay is long: no deadline */
    f->req.max_transient = 3;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(f->rep.transient_errors, 3);

    core_fixture_world(f, NULL); /* the resource's transient errors are used up per world */
    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0;
    f->req.max_transient = 2;
    run(f);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_int_equal(f->rep.transient_errors, 3);
    assert_string_equal(f->rep.detail, "gave up after 3 transient errors (--max-transient 2)");
    core_fixture_assert_clean(f);

    core_fixture_world(f, NULL); /* the resource's transient errors are used up per world */
    core_fixture_request(f, 0, big, 1, 0);
    f->req.timeout_s = 0;
    f->req.max_transient = 0;
    run(f);
    assert_int_equal(f->rep.transient_errors, 1);
    assert_string_equal(f->rep.detail, "gave up after 1 transient errors (--max-transient 0)");
}

/* ---------------------------------------------------------------------------------------
 * Issue 14: what the flow does at the edges a plain run never reaches, with exact values. */

/* The call-log entry of op's first call, or NULL ("set_priority {id} 0 -> S_OK"). */
static const char *logged(const struct core_fixture *f, enum bht_fake_op op)
{
    const char *name = bht_fake_op_name(op);

    for (size_t i = 0; i < bht_fake_log_size(f->t->w); i++) {
        const char *e = bht_fake_log_entry(f->t->w, i);
        if (strncmp(e, name, strlen(name)) == 0 && e[strlen(name)] == ' ')
            return e;
    }
    return NULL;
}

/* Priority 0 (foreground) is a priority like the others; -1 leaves BITS's default. */
static void foreground_priority_is_set_and_the_default_is_left_alone(void **state)
{
    struct core_fixture *f = *state;
    char want[128];

    core_fixture_request(f, 0, public_file, 1, 0);
    f->req.priority = BHT_PRIORITY_FOREGROUND;
    assert_hr(S_OK, bht_run_transfer(&f->be, &f->req, &f->rep));
    snprintf(want, sizeof want, "set_priority %s 0 -> S_OK", f->rep.job_id);
    assert_non_null(logged(f, BHT_OP_SET_PRIORITY));
    assert_string_equal(logged(f, BHT_OP_SET_PRIORITY), want);
    core_fixture_world(f, NULL);
    core_fixture_request(f, 0, public_file, 1, 0);
    f->req.priority = -1;
    assert_hr(S_OK, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_SET_PRIORITY), 0);
}

/* A refusal of the second file names it (1-based) with both its names. */
static void the_second_file_is_named_in_its_refusal(void **state)
{
    struct core_fixture *f = *state;
    static const char *const two[] = {PUBLIC_URL, "https://cdn.example/big.iso"};
    char want[1500];

    core_fixture_request(f, 0, two, 2, 0);
    fail_once(f, BHT_OP_ADD_FILE, 2, E_ACCESSDENIED);
    assert_hr(E_ACCESSDENIED, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.failed_step, BHT_STEP_ADD_FILE);
    snprintf(want, sizeof want, "BITS refused file 2 (https://cdn.example/big.iso -> %s)",
             f->local[1]);
    assert_string_equal(f->rep.detail, want);
    core_fixture_assert_clean(f);
}

/* Issue 13 item 2: the second destination appearing is named as file 2. */
static int create_second_destination(void *user)
{
    struct core_fixture *f = user;
    FILE *fp;

    if (bht_fake_calls(f->t->w, BHT_OP_RESUME) == 0 || fake_t_file_size(f->local[1]) >= 0)
        return 0;
    fp = fopen(f->local[1], "wb");
    assert_non_null(fp);
    fputs("mine\n", fp);
    fclose(fp);
    return 0;
}

static void a_second_destination_that_appears_is_named(void **state)
{
    struct core_fixture *f = *state;
    static const char *const two[] = {PUBLIC_URL, "https://cdn.example/second"};
    char want[1500];

    core_fixture_world(f, "resource https://cdn.example/second size=100\n");
    core_fixture_request(f, 0, two, 2, 0);
    f->req.interrupted = create_second_destination;
    f->req.event_user = f;
    assert_hr(BHT_E_FILE_EXISTS, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.failed_step, BHT_STEP_COMPLETE);
    snprintf(want, sizeof want,
             "file 2: '%s' appeared during the transfer; it was kept, the job was cancelled "
             "and the downloaded data discarded (use --overwrite to replace it)",
             f->local[1]);
    assert_string_equal(f->rep.detail, want);
    assert_int_equal(fake_t_file_size(f->local[1]), 5); /* still the user's */
    assert_int_equal(fake_t_file_size(f->local[0]), -1);
    remove(f->local[1]);
    core_fixture_assert_clean(f);
}

/* The run's return value is the report's HRESULT on each early exit too. */
static int always(void *user)
{
    (void)user;
    return 1;
}

static void early_exits_return_the_reports_hresult(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    f->req.interrupted = always;
    assert_hr(BHT_E_CANCELLED, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_hr(BHT_E_CANCELLED, f->rep.hr);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, public_file, 1, 0);
    fail_once(f, BHT_OP_CREATE_JOB, 1, E_ACCESSDENIED);
    assert_hr(E_ACCESSDENIED, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_string_equal(f->rep.detail, "BITS could not create the job");
    assert_int_equal(f->rep.job_created, 0);
    core_fixture_assert_clean(f);
}

/* A job id BITS cannot give is reported empty, and the run goes on. */
static void an_unknown_job_id_is_empty(void **state)
{
    struct core_fixture *f = *state;

    core_fixture_request(f, 0, public_file, 1, 0);
    fail_once(f, BHT_OP_GET_ID, 1, E_FAIL);
    assert_hr(S_OK, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.job_created, 1);
    assert_string_equal(f->rep.job_id, "");
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
}

/* ERROR without error details (Wine, C59) and too many transient errors without details:
 * E_FAIL stands for the code BITS did not give. */
static void job_errors_without_details_are_e_fail(void **state)
{
    struct core_fixture *f = *state;
    static const char *const gone[] = {"https://cdn.example/gone"};
    static const char *const big[] = {"https://cdn.example/big.iso"};

    core_fixture_request(f, 0, gone, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_GET_ERROR, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    assert_hr(E_FAIL, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_int_equal(f->rep.has_bits_error, 0);
    assert_string_equal(f->rep.detail, "BITS put the job in ERROR and gave no error details "
                                       "(Wine gives them only for HTTP status errors)");
    core_fixture_world(f, NULL);
    core_fixture_request(f, 0, big, 1, 0);
    f->req.max_transient = 0;
    bht_fake_fail(f->t->w, BHT_OP_GET_ERROR, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    assert_hr(E_FAIL, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_string_equal(f->rep.detail, "gave up after 1 transient errors (--max-transient 0)");
    core_fixture_assert_clean(f);
}

/* C100: a token recovery whose new impersonation fails stops there, as TOKEN_FAILED. */
static void a_recovery_that_cannot_impersonate_stops(void **state)
{
    struct core_fixture *f = *state;
    static const char *const flaky[] = {"https://cdn.example/flaky"};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, flaky, 1, 0);
    fail_once(f, BHT_OP_IMPERSONATE, 2, E_ACCESSDENIED);
    assert_hr(E_ACCESSDENIED, bht_run_transfer(&f->be, &f->req, &f->rep));
    assert_int_equal(f->rep.token_recoveries, 1);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_IMPERSONATE);
    assert_string_equal(f->rep.detail, "could not impersonate the helper user");
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_RESUME), 1); /* no second Resume */
    core_fixture_assert_clean(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(complete_answering_partial_complete_is_a_failed_transfer,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(job_finished_by_another_program_while_we_wait,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(second_token_drop_is_not_recovered, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(failed_resume_after_token_recovery, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(revert_failure_after_an_earlier_failure,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(two_faults_report_the_cause, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(foreground_priority_is_set_and_the_default_is_left_alone,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(the_second_file_is_named_in_its_refusal,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_second_destination_that_appears_is_named,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(early_exits_return_the_reports_hresult,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(an_unknown_job_id_is_empty, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(job_errors_without_details_are_e_fail,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_recovery_that_cannot_impersonate_stops,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(transient_limit_exactly_at_the_maximum,
                                        core_fixture_setup, core_fixture_teardown),
    };
    return cmocka_run_group_tests_name("core rare outcomes", tests, NULL, NULL);
}
