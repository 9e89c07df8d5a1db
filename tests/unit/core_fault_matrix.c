/* bitsht: the fault matrix. Every backend and identity op the flow calls is made to fail
 * with several HRESULTs, on its first call and on its last call of a successful run, and
 * every exit path must keep the invariants: thread reverted, token closed, password wiped,
 * no job of ours left in a non-final state, the right exit code and failing step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"

/* Two files (add_file twice), HTTP auth with NETWORK (set_implicit_credentials), an SMB
 * source and a destination only the helper may write: every op of the flow runs. */
static const char *const happy_remotes[] = {"https://files.corp.example/q3.pdf",
                                            "\\\\fs01\\finance\\ledger.xlsx"};

struct op_expectation {
    enum bht_fake_op op;
    int exit_code;          /* exit code when this op fails; 0 = the flow tolerates it */
    enum bht_step step;     /* failed step reported */
};

/* What the flow must do when each op fails (docs/design.md "The core flow"). get_id,
 * get_progress, get_state and close feed only the report, so their failure must not fail
 * the transfer; a failed revert is retried once (a ONCE fault is therefore survived). */
static const struct op_expectation expectations[] = {
    {BHT_OP_CREATE_JOB, 1, BHT_STEP_CREATE_JOB},
    {BHT_OP_GET_ID, 0, BHT_STEP_NONE},
    {BHT_OP_GET_TOKEN_OPTIONS, 3, BHT_STEP_TOKEN_OPTIONS},
    {BHT_OP_LOGON, 3, BHT_STEP_LOGON},
    {BHT_OP_IMPERSONATE, 3, BHT_STEP_IMPERSONATE},
    {BHT_OP_SET_HELPER_TOKEN, 3, BHT_STEP_SET_HELPER_TOKEN},
    {BHT_OP_SET_HELPER_TOKEN_FLAGS, 3, BHT_STEP_SET_TOKEN_FLAGS},
    {BHT_OP_REVERT, 0, BHT_STEP_NONE},
    {BHT_OP_SET_IMPLICIT_CREDENTIALS, 3, BHT_STEP_SET_CREDENTIALS},
    {BHT_OP_SET_PRIORITY, 1, BHT_STEP_SET_PRIORITY},
    {BHT_OP_ADD_FILE, 1, BHT_STEP_ADD_FILE},
    {BHT_OP_RESUME, 1, BHT_STEP_RESUME},
    {BHT_OP_WAIT, 1, BHT_STEP_WAIT},
    {BHT_OP_GET_PROGRESS, 0, BHT_STEP_NONE},
    {BHT_OP_GET_STATE, 0, BHT_STEP_NONE},
    {BHT_OP_COMPLETE, 1, BHT_STEP_COMPLETE},
    {BHT_OP_CLOSE, 0, BHT_STEP_NONE},
};

/* BITS itself gone: the class is not registered, or the service stopped or its proxy was
 * disconnected mid-run (issue 12 item 5). Any step that sees one of these exits 5. */
static const bht_hr unavailable_hrs[] = {
    REGDB_E_CLASSNOTREG, RPC_E_DISCONNECTED,       RPC_E_SERVER_DIED,
    RPC_E_SERVER_DIED_DNE, BHT_E_RPC_CALL_FAILED_DNE, CO_E_OBJNOTCONNECTED,
    BHT_E_RPC_SERVER_UNAVAILABLE,
};

static const bht_hr fault_hrs[] = {
    E_FAIL,           E_ACCESSDENIED,        E_OUTOFMEMORY,         E_INVALIDARG,
    BG_E_INVALID_STATE, REGDB_E_CLASSNOTREG, RPC_E_DISCONNECTED,    RPC_E_SERVER_DIED,
    RPC_E_SERVER_DIED_DNE, BHT_E_RPC_CALL_FAILED_DNE, CO_E_OBJNOTCONNECTED,
    BHT_E_RPC_SERVER_UNAVAILABLE,
};

static int is_unavailable(bht_hr hr)
{
    for (size_t i = 0; i < sizeof unavailable_hrs / sizeof unavailable_hrs[0]; i++)
        if (unavailable_hrs[i] == hr)
            return 1;
    return 0;
}

static void prepare(struct core_fixture *f)
{
    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK, happy_remotes, 2, 1);
    f->req.priority = BHT_PRIORITY_HIGH;
}

static int run_case(struct core_fixture *f, const struct op_expectation *e, unsigned nth,
                    bht_hr hr)
{
    int want = e->exit_code;
    char hrtext[64];

    prepare(f);
    bht_fake_fail(f->t->w, e->op, nth, hr, BHT_FAULT_ONCE);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    if (want && is_unavailable(hr))
        want = 5; /* whatever step sees it, BITS itself is unavailable */
    if (bht_fake_faults_fired(f->t->w, e->op) != 1)
        fail_msg("%s call %u: the fault did not fire", bht_fake_op_name(e->op), nth);
    if (bht_outcome_exit_code(f->rep.outcome) != want)
        fail_msg("%s call %u failing with %s: exit %d, want %d (step %s)",
                 bht_fake_op_name(e->op), nth, bht_hr_format(hr, hrtext, sizeof hrtext),
                 bht_outcome_exit_code(f->rep.outcome), want, bht_step_name(f->rep.failed_step));
    if (want) {
        assert_int_equal(f->rep.failed_step, e->step);
        assert_hr(hr, f->rep.hr);
        if (f->rep.job_created)
            assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    } else {
        assert_int_equal(f->rep.final_state, BHT_JOB_ACKNOWLEDGED);
    }
    core_fixture_assert_clean(f);
    return 1;
}

static void every_op_failure_keeps_the_invariants(void **state)
{
    struct core_fixture *f = *state;
    unsigned happy_calls[BHT_OP_COUNT];
    unsigned cases = 0;

    /* the happy run first: how often each op is called */
    prepare(f);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    for (int op = 0; op < BHT_OP_COUNT; op++)
        happy_calls[op] = bht_fake_calls(f->t->w, (enum bht_fake_op)op);

    for (size_t i = 0; i < sizeof expectations / sizeof expectations[0]; i++) {
        const struct op_expectation *e = &expectations[i];
        unsigned calls = happy_calls[e->op];

        if (calls == 0)
            fail_msg("%s is never called on the happy path", bht_fake_op_name(e->op));
        for (size_t h = 0; h < sizeof fault_hrs / sizeof fault_hrs[0]; h++) {
            cases += run_case(f, e, 1, fault_hrs[h]);
            if (calls > 1)
                cases += run_case(f, e, calls, fault_hrs[h]);
        }
    }
    print_message("fault matrix: %u cases\n", cases);
    assert_true(cases >= 100);
}

/* Failures on the error path: a job in ERROR whose error cannot be read is still
 * cancelled; a cancel that fails is reported as a job left in the queue, never hidden. */
static void error_path_faults_are_reported(void **state)
{
    struct core_fixture *f = *state;
    static const char *const gone[] = {"https://cdn.example/gone"};

    core_fixture_world(f, NULL);
    core_fixture_request(f, 0, gone, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_GET_ERROR, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_false(f->rep.has_bits_error);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    core_fixture_assert_clean(f);

    core_fixture_world(f, NULL);
    core_fixture_request(f, 0, gone, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_CANCEL, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_hr(BHT_BG_E_HTTP_ERROR(404), f->rep.hr); /* the cause, not the cleanup error */
    assert_int_equal(f->rep.job_left_in_queue, 1);
    assert_int_equal(bht_fake_jobs_in_state(f->t->w, BHT_JOB_ERROR), 1);
    core_fixture_assert_clean(f);
}

/* Issue 12 item 5: the service dies while the job waits. Every later call fails too, so the
 * job cannot be cancelled: exit 5 (not a failed transfer), the report says the job may be
 * left in the queue, and the thread is reverted and the token closed all the same. */
static void lost_service_while_waiting_is_unavailable_and_leaves_the_job_to_cleanup(
    void **state)
{
    static const enum bht_fake_op dead_ops[] = {BHT_OP_WAIT, BHT_OP_GET_STATE,
                                                BHT_OP_GET_PROGRESS, BHT_OP_GET_ERROR,
                                                BHT_OP_CANCEL};
    struct core_fixture *f = *state;
    char hrtext[64];

    /* from 1: the six codes a call meets when the service goes away mid-run */
    for (size_t h = 1; h < sizeof unavailable_hrs / sizeof unavailable_hrs[0]; h++) {
        bht_hr hr = unavailable_hrs[h];

        prepare(f);
        for (size_t k = 0; k < sizeof dead_ops / sizeof dead_ops[0]; k++)
            bht_fake_fail(f->t->w, dead_ops[k], 1, hr, BHT_FAULT_PERSISTENT);
        bht_run_transfer(&f->be, &f->req, &f->rep);
        print_message("lost service %s: exit %d, step %s, left in queue %d\n",
                      bht_hr_format(hr, hrtext, sizeof hrtext),
                      bht_outcome_exit_code(f->rep.outcome), bht_step_name(f->rep.failed_step),
                      f->rep.job_left_in_queue);
        assert_int_equal(f->rep.outcome, BHT_OUTCOME_UNAVAILABLE);
        assert_int_equal(bht_outcome_exit_code(f->rep.outcome), 5);
        assert_int_equal(f->rep.failed_step, BHT_STEP_WAIT);
        assert_hr(hr, f->rep.hr);
        assert_true(f->rep.job_created);
        assert_int_equal(f->rep.job_left_in_queue, 1);
        assert_int_equal(bht_fake_faults_fired(f->t->w, BHT_OP_CANCEL), 1);
        core_fixture_assert_clean(f);
    }
}

/* A job's own error code that reads like a lost service (an SMB server that is down gives
 * RPC_S_SERVER_UNAVAILABLE) is a failed transfer: BITS is fine and cancels the job. */
static void job_error_with_an_rpc_code_is_a_failed_transfer(void **state)
{
    struct core_fixture *f = *state;
    static const char *const down[] = {"\\\\fs02\\down\\file.bin"};

    core_fixture_world(f, "resource \\\\fs02\\down\\file.bin fail=0x800706BA\n");
    core_fixture_request(f, BHT_TOKEN_NETWORK, down, 1, 0);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TRANSFER);
    assert_hr(BHT_E_RPC_SERVER_UNAVAILABLE, f->rep.hr);
    assert_int_equal(f->rep.final_state, BHT_JOB_CANCELLED);
    assert_int_equal(f->rep.job_left_in_queue, 0);
    core_fixture_assert_clean(f);
}

/* A revert that keeps failing must stop the flow: nothing more runs as the helper. */
static void persistent_revert_failure_stops_the_flow(void **state)
{
    struct core_fixture *f = *state;

    prepare(f);
    bht_fake_fail(f->t->w, BHT_OP_REVERT, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_REVERT);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_ADD_FILE), 0);
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_REVERT), 2);
    assert_int_equal(bht_fake_open_tokens(f->t->w), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_op_failure_keeps_the_invariants,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(error_path_faults_are_reported, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(persistent_revert_failure_stops_the_flow,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(
            lost_service_while_waiting_is_unavailable_and_leaves_the_job_to_cleanup,
            core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(job_error_with_an_rpc_code_is_a_failed_transfer,
                                        core_fixture_setup, core_fixture_teardown),
    };
    return cmocka_run_group_tests_name("core_fault_matrix", tests, NULL, NULL);
}
