/* bitsht: the events the flow emits, in order (docs/design.md "The core flow"), and the
 * moment the password is wiped: still there when the logon stage starts, gone before
 * impersonation (issue 14: secrets checked at the moment, not only at the end). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"

struct recorder {
    struct core_fixture *f;
    enum bht_step stages[64];
    int wiped_at[64]; /* the password was all zero when this stage began */
    size_t n;
    unsigned states;
    unsigned recoveries;
    enum bht_job_state state_seq[32]; /* the first 32 state events */
    uint64_t state_bytes[32];         /* and the bytes transferred each one reported */
};

static int password_wiped(const struct core_fixture *f)
{
    for (size_t i = 0; i < sizeof f->password; i++)
        if (f->password[i])
            return 0;
    return 1;
}

static void record_event(void *user, const struct bht_event *ev)
{
    struct recorder *r = user;

    if (ev->kind == BHT_EVENT_STATE) {
        if (r->states < 32) {
            r->state_seq[r->states] = ev->state;
            r->state_bytes[r->states] = ev->progress.bytes_transferred;
        }
        r->states++;
    }
    if (ev->kind == BHT_EVENT_TOKEN_RECOVERY)
        r->recoveries++;
    if (ev->kind != BHT_EVENT_STAGE)
        return;
    assert_true(r->n < 64);
    r->stages[r->n] = ev->step;
    r->wiped_at[r->n] = password_wiped(r->f);
    r->n++;
}

static void stages_of_a_helper_token_transfer_in_order(void **state)
{
    static const enum bht_step want[] = {
        BHT_STEP_VALIDATE,        BHT_STEP_CREATE_JOB,    BHT_STEP_TOKEN_OPTIONS,
        BHT_STEP_LOGON,           BHT_STEP_IMPERSONATE,   BHT_STEP_SET_HELPER_TOKEN,
        BHT_STEP_SET_TOKEN_FLAGS, BHT_STEP_REVERT,        BHT_STEP_SET_CREDENTIALS,
        BHT_STEP_SET_PRIORITY,    BHT_STEP_ADD_FILE,      BHT_STEP_RESUME,
        BHT_STEP_WAIT,            BHT_STEP_COMPLETE,      BHT_STEP_DONE,
    };
    static const char *const remotes[] = {"https://files.corp.example/q3.pdf"};
    struct core_fixture *f = *state;
    struct recorder r = {f, {0}, {0}, 0, 0, 0, {0}, {0}};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK, remotes, 1, 1);
    f->req.priority = BHT_PRIORITY_HIGH;
    f->req.on_event = record_event;
    f->req.event_user = &r;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(r.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r.n; i++) {
        if (r.stages[i] != want[i])
            fail_msg("stage %zu: %s, want %s", i, bht_step_name(r.stages[i]),
                     bht_step_name(want[i]));
        /* The password lives until the logon call and not one stage longer. */
        assert_int_equal(r.wiped_at[i], i > 3);
    }
    assert_true(r.states >= 3); /* QUEUED, TRANSFERRING, TRANSFERRED at least */
    /* QUEUED is shown at once, before the first wait; each state event carries the
     * progress of that moment: nothing yet, then all of it at TRANSFERRED. */
    assert_int_equal(r.state_seq[0], BHT_JOB_QUEUED);
    assert_true(r.state_bytes[0] == 0);
    assert_int_equal(r.state_seq[r.states - 1], BHT_JOB_TRANSFERRED);
    assert_true(r.state_bytes[r.states - 1] == 1048576);
    core_fixture_assert_clean(f);
}

/* One public-file transfer whose op fails once with hr, every event into r. */
static void run_recording_a_fault(struct core_fixture *f, struct recorder *r,
                                  enum bht_fake_op op, bht_hr hr)
{
    static const char *const remotes[] = {PUBLIC_URL};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    bht_fake_fail(f->t->w, op, 1, hr, BHT_FAULT_ONCE);
    f->req.on_event = record_event;
    f->req.event_user = r;
    bht_run_transfer(&f->be, &f->req, &f->rep);
}

/* A failure stops the stages at the failing one, then cancels and ends. */
static void stages_after_a_failure(void **state)
{
    static const enum bht_step want[] = {
        BHT_STEP_VALIDATE, BHT_STEP_CREATE_JOB, BHT_STEP_TOKEN_OPTIONS, BHT_STEP_LOGON,
        BHT_STEP_IMPERSONATE, BHT_STEP_CANCEL, BHT_STEP_DONE,
    };
    struct core_fixture *f = *state;
    struct recorder r = {f, {0}, {0}, 0, 0, 0, {0}, {0}};

    run_recording_a_fault(f, &r, BHT_OP_IMPERSONATE, E_ACCESSDENIED);
    assert_int_equal(f->rep.failed_step, BHT_STEP_IMPERSONATE);
    assert_int_equal(r.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r.n; i++)
        if (r.stages[i] != want[i])
            fail_msg("stage %zu: %s, want %s", i, bht_step_name(r.stages[i]),
                     bht_step_name(want[i]));
    core_fixture_assert_clean(f);
}

/* IBitsTokenOptions refused: no logon will come, so the password is wiped at once, before
 * the job is cancelled. */
static void a_refused_token_interface_wipes_the_password_at_once(void **state)
{
    static const enum bht_step want[] = {BHT_STEP_VALIDATE, BHT_STEP_CREATE_JOB,
                                         BHT_STEP_TOKEN_OPTIONS, BHT_STEP_CANCEL, BHT_STEP_DONE};
    struct core_fixture *f = *state;
    struct recorder r = {f, {0}, {0}, 0, 0, 0, {0}, {0}};

    run_recording_a_fault(f, &r, BHT_OP_GET_TOKEN_OPTIONS, E_NOINTERFACE);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TOKEN_OPTIONS);
    assert_int_equal(r.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(r.stages[i], want[i]);
        assert_int_equal(r.wiped_at[i], i > 2); /* gone when the cancel begins */
    }
    core_fixture_assert_clean(f);
}

/* SetHelperToken refused for another reason than access: the plain message. */
static void helper_token_refused_without_access_denied(void **state)
{
    static const char *const remotes[] = {PUBLIC_URL};
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_SET_HELPER_TOKEN, 1, E_FAIL, BHT_FAULT_ONCE);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.failed_step, BHT_STEP_SET_HELPER_TOKEN);
    assert_string_equal(f->rep.detail, "BITS refused the helper token");
    core_fixture_assert_clean(f);
}

/* C100: one token recovery, one event saying so. */
static void token_recovery_is_announced_once(void **state)
{
    static const char *const flaky[] = {"https://cdn.example/flaky"};
    struct core_fixture *f = *state;
    struct recorder r = {f, {0}, {0}, 0, 0, 0, {0}, {0}};

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, flaky, 1, 0);
    f->req.on_event = record_event;
    f->req.event_user = &r;
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.outcome, BHT_OUTCOME_SUCCESS);
    assert_int_equal(r.recoveries, 1);
    assert_int_equal(f->rep.token_recoveries, 1);
    assert_false(f->rep.has_bits_error); /* the recovered error is not this run's outcome */
    { /* the recovery's stages: the token again (no new logon), a Resume, then (the wait
       * goes on) Complete */
        static const enum bht_step again[] = {BHT_STEP_IMPERSONATE, BHT_STEP_SET_HELPER_TOKEN,
                                              BHT_STEP_SET_TOKEN_FLAGS, BHT_STEP_REVERT,
                                              BHT_STEP_RESUME, BHT_STEP_COMPLETE};
        size_t i = 0, found = 0;
        while (i < r.n && r.stages[i] != BHT_STEP_WAIT)
            i++; /* the first wait; the recovery comes after it */
        for (i++; i < r.n && found < sizeof again / sizeof again[0]; i++)
            if (r.stages[i] == again[found])
                found++;
            else
                fail_msg("stage %zu: %s, want %s", i, bht_step_name(r.stages[i]),
                         bht_step_name(again[found]));
        assert_int_equal(found, sizeof again / sizeof again[0]);
    }
}

/* IBitsTokenOptions refused: why, in the owner's words (C87: E_NOINTERFACE on Wine). */
static void token_options_refusals_say_why(void **state)
{
    static const char *const remotes[] = {PUBLIC_URL};
    struct core_fixture *f = *state;

    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_GET_TOKEN_OPTIONS, 1, E_NOINTERFACE, BHT_FAULT_ONCE);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_int_equal(f->rep.failed_step, BHT_STEP_TOKEN_OPTIONS);
    assert_string_equal(f->rep.detail, "this BITS has no IBitsTokenOptions: helper tokens are not "
                                       "supported here (use --no-helper-token to transfer as "
                                       "yourself)");
    core_fixture_world(f, NULL);
    core_fixture_request(f, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    bht_fake_fail(f->t->w, BHT_OP_GET_TOKEN_OPTIONS, 1, E_ACCESSDENIED, BHT_FAULT_ONCE);
    bht_run_transfer(&f->be, &f->req, &f->rep);
    assert_string_equal(f->rep.detail, "BITS refused the helper-token interface to the job owner");
    assert_int_equal(bht_fake_calls(f->t->w, BHT_OP_LOGON), 0); /* no logon was attempted */
    core_fixture_assert_clean(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_refused_token_interface_wipes_the_password_at_once,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(stages_of_a_helper_token_transfer_in_order,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(stages_after_a_failure, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(helper_token_refused_without_access_denied,
                                        core_fixture_setup, core_fixture_teardown),
        cmocka_unit_test_setup_teardown(token_recovery_is_announced_once, core_fixture_setup,
                                        core_fixture_teardown),
        cmocka_unit_test_setup_teardown(token_options_refusals_say_why, core_fixture_setup,
                                        core_fixture_teardown),
    };
    return cmocka_run_group_tests_name("core events", tests, NULL, NULL);
}
