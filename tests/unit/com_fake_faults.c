/* bitsht: the fault matrix through src/com. The core's fault matrix (core_fault_matrix.c)
 * again, but every op fails behind a COM method of bitsht_fakebits.dll (the fake's fault
 * plan), so the COM backend's own paths carry the failure: the invariants hold on every
 * exit — job cancelled or never created, impersonation depth 0, token closed, password
 * wiped — and no COM object is left but the backend's manager. */
#include <windows.h>
#include <objbase.h>

#include <stdio.h>
#include <string.h>

#include "com_fake_support.h"

#define assert_hr(want, got) assert_int_equal((unsigned long)(HRESULT)(want), \
                                              (unsigned long)(HRESULT)(got))

static const char *const remotes[] = {COMFAKE_URL_AUTH, COMFAKE_URL_SMB};

struct op_expectation {
    enum bht_fake_op op;
    const char *name;   /* bht_fake_op_name's, without linking a second fake */
    int exit_code;      /* exit code when this op fails; 0 = the flow tolerates it */
    enum bht_step step;
};

/* As core_fault_matrix.c, minus wait (src/com waits with GetState, no op of its own) and
 * with get_state: through COM it is wait's only way to read the job, so its failure ends
 * the wait (exit 1, step WAIT) unless it hits a read the report makes. */
static const struct op_expectation expectations[] = {
    {BHT_OP_CREATE_JOB, "create_job", 1, BHT_STEP_CREATE_JOB},
    {BHT_OP_GET_ID, "get_id", 0, BHT_STEP_NONE},
    {BHT_OP_GET_TOKEN_OPTIONS, "get_token_options", 3, BHT_STEP_TOKEN_OPTIONS},
    {BHT_OP_LOGON, "logon", 3, BHT_STEP_LOGON},
    {BHT_OP_IMPERSONATE, "impersonate", 3, BHT_STEP_IMPERSONATE},
    {BHT_OP_SET_HELPER_TOKEN, "set_helper_token", 3, BHT_STEP_SET_HELPER_TOKEN},
    {BHT_OP_SET_HELPER_TOKEN_FLAGS, "set_helper_token_flags", 3, BHT_STEP_SET_TOKEN_FLAGS},
    {BHT_OP_REVERT, "revert", 0, BHT_STEP_NONE},
    {BHT_OP_SET_IMPLICIT_CREDENTIALS, "set_implicit_credentials", 3, BHT_STEP_SET_CREDENTIALS},
    {BHT_OP_SET_PRIORITY, "set_priority", 1, BHT_STEP_SET_PRIORITY},
    {BHT_OP_ADD_FILE, "add_file", 1, BHT_STEP_ADD_FILE},
    {BHT_OP_RESUME, "resume", 1, BHT_STEP_RESUME},
    {BHT_OP_GET_PROGRESS, "get_progress", 0, BHT_STEP_NONE},
    {BHT_OP_COMPLETE, "complete", 1, BHT_STEP_COMPLETE},
    {BHT_OP_CLOSE, "close", 0, BHT_STEP_NONE},
};

static const HRESULT fault_hrs[] = {E_FAIL, E_ACCESSDENIED, BG_E_INVALID_STATE};

static void prepare(struct comfake_t *t)
{
    comfake_world(t, NULL);
    comfake_request(t, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK, remotes, 2, 1);
    t->req.priority = BHT_PRIORITY_HIGH;
}

static unsigned live_jobs(const struct bht_fakebits_stats *st)
{
    unsigned s, n = 0;

    for (s = 0; s < BHT_JOB_STATE_COUNT; s++)
        if (s != BHT_JOB_ACKNOWLEDGED && s != BHT_JOB_CANCELLED)
            n += st->jobs_in_state[s];
    return n;
}

/* The invariants of every exit path, through COM. */
static void assert_clean(struct comfake_t *t, const char *what)
{
    struct bht_fakebits_stats st;
    char report[1024];

    bht_fakebits_drain(5000);
    bht_fakebits_stats(&st);
    if (st.impersonation_depth || st.open_tokens || t->password[0] ||
        (live_jobs(&st) && !t->rep.job_left_in_queue) || st.live_objects != 1) {
        bht_fakebits_audit(report, sizeof report);
        fail_msg("%s: depth %u, open tokens %u, password %s, jobs not ended %u (left in queue "
                 "%d), live COM objects %u (want 1: the manager)\n%s",
                 what, st.impersonation_depth, st.open_tokens, t->password[0] ? "kept" : "wiped",
                 live_jobs(&st), t->rep.job_left_in_queue, st.live_objects, report);
    }
}

static int run_case(struct comfake_t *t, const struct op_expectation *e, unsigned nth, HRESULT hr)
{
    struct bht_fakebits_stats st;
    char what[160];
    int got;

    prepare(t);
    bht_fakebits_fail(e->op, nth, hr, BHT_FAULT_ONCE);
    bht_run_transfer(&t->be, &t->req, &t->rep);
    bht_fakebits_stats(&st);
    snprintf(what, sizeof what, "%s call %u failing with 0x%08lX", e->name, nth,
             (unsigned long)hr);
    if (st.faults_fired[e->op] != 1)
        fail_msg("%s: the fault did not fire", what);
    got = bht_outcome_exit_code(t->rep.outcome);
    if (got != e->exit_code)
        fail_msg("%s: exit %d, want %d (step %s)", what, got, e->exit_code,
                 bht_step_name(t->rep.failed_step));
    if (e->exit_code) {
        assert_int_equal(t->rep.failed_step, e->step);
        assert_hr(hr, t->rep.hr);
        if (t->rep.job_created)
            assert_int_equal(t->rep.final_state, BHT_JOB_CANCELLED);
    } else {
        assert_int_equal(t->rep.final_state, BHT_JOB_ACKNOWLEDGED);
    }
    assert_clean(t, what);
    return 1;
}

static void every_op_failure_through_com_keeps_the_invariants(void **state)
{
    struct comfake_t *t = *state;
    struct bht_fakebits_stats st;
    unsigned happy[BHT_OP_COUNT], cases = 0;
    size_t i, h;

    comfake_open(t);
    prepare(t);
    bht_run_transfer(&t->be, &t->req, &t->rep);
    assert_int_equal(t->rep.outcome, BHT_OUTCOME_SUCCESS);
    bht_fakebits_stats(&st);
    memcpy(happy, st.op_calls, sizeof happy);
    for (i = 0; i < sizeof expectations / sizeof expectations[0]; i++) {
        const struct op_expectation *e = &expectations[i];

        if (!happy[e->op])
            fail_msg("%s is never called through COM on the happy path", e->name);
        for (h = 0; h < sizeof fault_hrs / sizeof fault_hrs[0]; h++) {
            cases += run_case(t, e, 1, fault_hrs[h]);
            if (happy[e->op] > 1)
                cases += run_case(t, e, happy[e->op], fault_hrs[h]);
        }
    }
    print_message("fault matrix through COM: %u cases, all invariants held\n", cases);
    comfake_close(t);
    comfake_assert_audit_clean("after the fault matrix");
}

/* Faults on COM methods that have no op of their own: the flow's GetState reads (wait),
 * Cancel on the error path. */
static void method_faults_through_com_keep_the_invariants(void **state)
{
    struct comfake_t *t = *state;
    static const char *const gone[] = {COMFAKE_URL_GONE};

    comfake_open(t);
    /* GetState fails inside wait: the job is cancelled, the step is WAIT */
    prepare(t);
    bht_fakebits_fail_method("IBackgroundCopyJob::GetState", 1, E_FAIL, BHT_FAULT_PERSISTENT);
    bht_run_transfer(&t->be, &t->req, &t->rep);
    assert_int_equal(bht_outcome_exit_code(t->rep.outcome), 1);
    assert_int_equal(t->rep.failed_step, BHT_STEP_WAIT);
    assert_hr(E_FAIL, t->rep.hr);
    bht_fakebits_fail_method("IBackgroundCopyJob::GetState", 0, S_OK, BHT_FAULT_ONCE);
    assert_clean(t, "GetState failing");

    /* Cancel keeps failing on the error path: reported as left in the queue, never hidden */
    comfake_world(t, NULL);
    comfake_request(t, 0, gone, 1, 0);
    bht_fakebits_fail(BHT_OP_CANCEL, 1, E_FAIL, BHT_FAULT_PERSISTENT);
    bht_run_transfer(&t->be, &t->req, &t->rep);
    assert_int_equal(t->rep.outcome, BHT_OUTCOME_TRANSFER_FAILED);
    assert_hr(0x80190194, t->rep.hr); /* the cause, not the cleanup error */
    assert_int_equal(t->rep.job_left_in_queue, 1);
    assert_clean(t, "Cancel failing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_op_failure_through_com_keeps_the_invariants,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(method_faults_through_com_keep_the_invariants,
                                        comfake_setup, comfake_teardown),
    };
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    return cmocka_run_group_tests_name("com_fake_faults", tests, NULL, NULL);
}
